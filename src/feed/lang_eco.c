/* feed/lang_eco.c: the one table of language ecosystems (namespace,
 * version scheme, package type, name normalisation) that the feeds write
 * records with and the matcher looks records up with, and the comparator
 * of each language scheme; see lang_eco.h and docs/matching.md
 * ("Language packages"). */
#include "feed/lang_eco.h"
#include "vigil/version.h"

#include <string.h>

static const feed_lang_eco ecos[] = {
	{ "PyPI", "osv:PyPI", "pep440", VIGIL_PKG_PYPI, FEED_NAME_PEP503 },
	{ "npm", "osv:npm", "npm", VIGIL_PKG_NPM, FEED_NAME_EXACT },
	{ "Maven", "osv:Maven", "maven", VIGIL_PKG_MAVEN, FEED_NAME_EXACT },
	{ "Go", "osv:Go", "go", VIGIL_PKG_GO, FEED_NAME_EXACT },
	{ "crates.io", "osv:crates.io", "semver", VIGIL_PKG_CARGO, FEED_NAME_EXACT },
	{ "RubyGems", "osv:RubyGems", "rubygems", VIGIL_PKG_GEM, FEED_NAME_EXACT },
	{ "Packagist", "osv:Packagist", "composer", VIGIL_PKG_COMPOSER, FEED_NAME_LOWER },
	{ "NuGet", "osv:NuGet", "nuget", VIGIL_PKG_NUGET, FEED_NAME_LOWER },
};

const feed_lang_eco *feed_lang_by_ecosystem(const char *ecosystem)
{
	for (size_t i = 0; ecosystem && i < sizeof(ecos) / sizeof(ecos[0]); i++)
		if (!strcmp(ecos[i].ecosystem, ecosystem))
			return &ecos[i];
	return NULL;
}

const feed_lang_eco *feed_lang_by_type(vigil_pkg_type t)
{
	for (size_t i = 0; i < sizeof(ecos) / sizeof(ecos[0]); i++)
		if (ecos[i].type == t)
			return &ecos[i];
	return NULL;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool feed_lang_name(const feed_lang_eco *e, const char *name, size_t len, char *buf, size_t n)
{
	size_t k = 0;
	if (n == 0 || len > FEED_LANG_MAX_NAME)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (e->norm == FEED_NAME_PEP503 && (c == '-' || c == '_' || c == '.')) {
			while (i + 1 < len && (name[i + 1] == '-' || name[i + 1] == '_' || name[i + 1] == '.'))
				i++;
			c = '-';
		} else if (e->norm != FEED_NAME_EXACT) {
			c = lower(c);
		}
		if (k + 1 >= n)
			return false;
		buf[k++] = c;
	}
	buf[k] = '\0';
	return true;
}

/* Composer writes tags with or without "v" ("v5.4.1", "2.0.99"). */
static int composer_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen && (a[0] == 'v' || a[0] == 'V'))
		a++, alen--;
	if (blen && (b[0] == 'v' || b[0] == 'V'))
		b++, blen--;
	return vigil_maven_cmp(a, alen, b, blen);
}

/* The orderings of version/ that exist today, per scheme. Once
 * vigil_version_comparator() (vigil/version.h) is in the tree, this table
 * gives way to `return vigil_version_comparator(scheme);`. Meanwhile npm,
 * go and semver (crates) use semver-loose; rubygems PEP 440's order
 * (numeric segments, "a"/"b"/"rc"/"pre" pre-releases); composer and nuget
 * Maven's (numeric segments of any count, qualifiers before the release). */
static const struct {
	const char *scheme;
	feed_lang_cmp_fn cmp;
} cmps[] = {
	{ "pep440", vigil_pep440_cmp }, { "maven", vigil_maven_cmp }, { "semver", vigil_semver_loose_cmp },
	{ "npm", vigil_semver_loose_cmp }, { "go", vigil_semver_loose_cmp }, { "rubygems", vigil_pep440_cmp },
	{ "composer", composer_cmp }, { "nuget", vigil_maven_cmp },
};

feed_lang_cmp_fn feed_lang_cmp(const char *scheme)
{
	for (size_t i = 0; scheme && i < sizeof(cmps) / sizeof(cmps[0]); i++)
		if (!strcmp(cmps[i].scheme, scheme))
			return cmps[i].cmp;
	return NULL;
}
