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

/* Go: a module version is "v1.2.3" in a binary's build info and in
 * go.mod, "1.2.3" in OSV's Go ecosystem (and "0" for "since the start"):
 * both sides get the "v" Go's own order needs. A version too long to copy
 * is compared as it is. */
static int go_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	char ab[VIGIL_VERSION_MAX_LEN + 2], bb[VIGIL_VERSION_MAX_LEN + 2];
	if (alen && a[0] != 'v' && alen <= VIGIL_VERSION_MAX_LEN) {
		ab[0] = 'v';
		memcpy(ab + 1, a, alen);
		a = ab, alen++;
	}
	if (blen && b[0] != 'v' && blen <= VIGIL_VERSION_MAX_LEN) {
		bb[0] = 'v';
		memcpy(bb + 1, b, blen);
		b = bb, blen++;
	}
	return vigil_go_cmp(a, alen, b, blen);
}

/* Each scheme's order is version/'s (vigil/version.h), Go's with the "v"
 * made uniform; NULL for a scheme version/ does not know. */
feed_lang_cmp_fn feed_lang_cmp(const char *scheme)
{
	if (scheme && !strcmp(scheme, "go"))
		return go_cmp;
	return scheme ? vigil_version_comparator(scheme) : NULL;
}
