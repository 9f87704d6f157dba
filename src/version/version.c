/* version/version.c: vigil_version_compare() and _validate(): finds the
 * comparator of a scheme by name, checks both versions with the scheme's
 * validity rules (a clear error naming the version and the scheme), and
 * compares with the scheme's fast function. */
#include "vigil/version.h"
#include "util/error.h"

#include <string.h>

typedef struct scheme {
	const char *name;
	int (*cmp)(const char *, size_t, const char *, size_t);
	int (*valid)(const char *, size_t);
	const char *rule;
} scheme;

static int semver_strict_valid(const char *v, size_t n) { return vigil_semver_valid(v, n, 0); }
static int semver_loose_valid(const char *v, size_t n) { return vigil_semver_valid(v, n, 1); }

static const scheme SCHEMES[] = {
	{ "dpkg", vigil_dpkg_cmp, vigil_dpkg_valid, "[epoch:]upstream[-revision], upstream starting with a digit" },
	{ "rpm", vigil_rpm_evr_cmp, vigil_rpm_valid, "[epoch:]version[-release], printable ASCII" },
	{ "apk", vigil_apk_cmp, vigil_apk_valid, "digit{.digit}...{letter}{_suffix{N}}...{~hash}{-rN}" },
	{ "semver", vigil_semver_cmp, semver_strict_valid, "MAJOR.MINOR.PATCH[-pre][+build]" },
	{ "semver-loose", vigil_semver_loose_cmp, semver_loose_valid, "[v|=]MAJOR.MINOR.PATCH[-pre][+build]" },
	{ "pep440", vigil_pep440_cmp, vigil_pep440_valid, "[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]" },
	{ "maven", vigil_maven_cmp, vigil_maven_valid, "at most 256 bytes, no NUL" },
};

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
		return vigil_error_set(VIGIL_EINVAL, "unknown version scheme \"%s\" (dpkg, rpm, apk, "
				       "semver, semver-loose, pep440, maven)", scheme_name ? scheme_name : "(null)");
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
