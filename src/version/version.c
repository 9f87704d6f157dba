/* version/version.c: vigil_version_compare(), _validate(), _comparator()
 * and _satisfies(): finds a scheme by name in one table, checks versions
 * with the scheme's validity rules (a clear error naming the version and
 * the scheme), compares with the scheme's fast function, and hands
 * constraints to the scheme's range parser (src/version/range_*.c). */
#include "vigil/version.h"
#include "util/error.h"
#include "version/range.h"

#include <string.h>

typedef struct scheme {
	const char *name;
	int (*cmp)(const char *, size_t, const char *, size_t);
	int (*valid)(const char *, size_t);
	const char *rule;
	int (*satisfies)(const char *c, size_t clen, const char *v, size_t vlen, int *result);
} scheme;

static int semver_strict_valid(const char *v, size_t n) { return vigil_semver_valid(v, n, 0); }
static int semver_loose_valid(const char *v, size_t n) { return vigil_semver_valid(v, n, 1); }
static int npm_valid(const char *v, size_t n) { return vigil_npm_valid(v, n, 0); }
static int npm_satisfies(const char *c, size_t clen, const char *v, size_t vlen, int *result)
{
	return vigil_npm_satisfies(c, clen, v, vlen, 0, result);
}

static const scheme SCHEMES[] = {
	{ "dpkg", vigil_dpkg_cmp, vigil_dpkg_valid, "[epoch:]upstream[-revision], upstream starting with a digit", NULL },
	{ "rpm", vigil_rpm_evr_cmp, vigil_rpm_valid, "[epoch:]version[-release], printable ASCII", NULL },
	{ "apk", vigil_apk_cmp, vigil_apk_valid, "digit{.digit}...{letter}{_suffix{N}}...{~hash}{-rN}", NULL },
	{ "semver", vigil_semver_cmp, semver_strict_valid, "MAJOR.MINOR.PATCH[-pre][+build]", NULL },
	{ "semver-loose", vigil_semver_loose_cmp, semver_loose_valid, "[v|=]MAJOR.MINOR.PATCH[-pre][+build]", NULL },
	{ "pep440", vigil_pep440_cmp, vigil_pep440_valid, "[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]", NULL },
	{ "maven", vigil_maven_cmp, vigil_maven_valid, "at most 256 bytes, no NUL", NULL },
	{ "npm", vigil_npm_cmp, npm_valid, "[v]MAJOR.MINOR.PATCH[-pre][+build]", npm_satisfies },
	{ "go", vigil_go_cmp, vigil_go_valid, "vMAJOR[.MINOR[.PATCH[-pre][+build]]]", NULL },
	{ "rubygems", vigil_rubygems_cmp, vigil_rubygems_valid, "N(.alnum)*[-pre], or empty",
	  vr_rubygems_satisfies },
	{ "composer", vigil_composer_cmp, vigil_composer_valid,
	  "[v]N[.N[.N[.N]]][-stability[N]][-dev], a date, or dev-BRANCH", vr_composer_satisfies },
	{ "nuget", vigil_nuget_cmp, vigil_nuget_valid, "N[.N[.N[.N]]][-pre][+build]",
	  vr_nuget_satisfies },
};

#define SCHEME_NAMES "dpkg, rpm, apk, semver, semver-loose, npm, pep440, maven, go, rubygems, " \
		     "composer, nuget"


static const scheme *find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof(SCHEMES) / sizeof(SCHEMES[0]); i++)
		if (!strcmp(SCHEMES[i].name, name))
			return &SCHEMES[i];
	return NULL;
}

static int check(const scheme *s, const char *v, size_t len)
{
	if (len > VIGIL_VERSION_MAX_LEN)
		return vigil_error_set(VIGIL_ELIMIT, "%s version of %zu bytes (limit %d)", s->name, len,
				       VIGIL_VERSION_MAX_LEN);
	if (!s->valid(v, len))
		return vigil_error_set(VIGIL_EFORMAT, "invalid %s version \"%.*s\" (expected %s)", s->name,
				       (int)len, v, s->rule);
	return 0;
}

int vigil_version_validate(const char *scheme_name, const char *v, size_t len)
{
	const scheme *s = find(scheme_name);

	if (!s)
		return vigil_error_set(VIGIL_EINVAL, "unknown version scheme \"%s\" (" SCHEME_NAMES ")",
				       scheme_name ? scheme_name : "(null)");
	if (!v && len)
		return vigil_error_set(VIGIL_EINVAL, "%s version: NULL", s->name);
	return check(s, v ? v : "", len);
}

int vigil_version_compare(const char *scheme_name, const char *a, size_t alen, const char *b,
			  size_t blen, int *result)
{
	int rc;

	if (!result)
		return vigil_error_set(VIGIL_EINVAL, "version compare: NULL result");
	if ((rc = vigil_version_validate(scheme_name, a, alen)) < 0 ||
	    (rc = vigil_version_validate(scheme_name, b, blen)) < 0)
		return rc;
	*result = find(scheme_name)->cmp(a ? a : "", alen, b ? b : "", blen);
	return 0;
}

vigil_version_cmp_fn vigil_version_comparator(const char *scheme_name)
{
	const scheme *s = find(scheme_name);
	return s ? s->cmp : NULL;
}

int vigil_version_satisfies(const char *scheme_name, const char *version, size_t vlen,
			    const char *constraint, size_t clen, int *result)
{
	const scheme *s = find(scheme_name);
	int rc;

	if (!result)
		return vigil_error_set(VIGIL_EINVAL, "version satisfies: NULL result");
	*result = 0;
	if (!s || !s->satisfies)
		return vigil_error_set(VIGIL_EINVAL, "version scheme \"%s\" has no constraints (npm, "
				       "rubygems, composer, nuget)", scheme_name ? scheme_name : "(null)");
	if (!constraint && clen)
		return vigil_error_set(VIGIL_EINVAL, "%s constraint: NULL", s->name);
	if (clen > VIGIL_VERSION_CONSTRAINT_MAX_LEN)
		return vigil_error_set(VIGIL_ELIMIT, "%s constraint of %zu bytes (limit %d)", s->name,
				       clen, VIGIL_VERSION_CONSTRAINT_MAX_LEN);
	if ((rc = vigil_version_validate(scheme_name, version, vlen)) < 0)
		return rc;
	return s->satisfies(constraint ? constraint : "", clen, version ? version : "", vlen, result);
}
