/* vigil/version.h: comparing package versions the way each ecosystem does:
 * dpkg (Debian, Ubuntu), rpm (Red Hat family), apk (Alpine), semver 2.0.0
 * (crates.io), npm (node-semver), PEP 440 (Python), Maven's
 * ComparableVersion, Go modules, RubyGems, Composer (Packagist) and NuGet;
 * and whether a version satisfies an ecosystem's constraint (npm ranges,
 * Gem requirements, Composer constraints, NuGet intervals).
 *
 *   vigil_version_cmp_fn cmp = vigil_version_comparator("npm");
 *   if (cmp && cmp(v, vlen, fixed, flen) < 0) ...            (inner loop)
 *   int ok;
 *   rc = vigil_version_satisfies("rubygems", "1.2.4", 5, "~> 1.2.3", 8, &ok);
 *
 * vigil_version_compare() validates both versions in the named scheme and
 * sets *result to -1, 0 or 1. The per-scheme functions below work on
 * length-carrying slices, never allocate and never fail: they order any
 * bytes (invalid versions get a deterministic, antisymmetric order), and
 * are what the matcher calls in its inner loop. */
#ifndef VIGIL_VERSION_H
#define VIGIL_VERSION_H

#include <stddef.h>

#include "vigil/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest version accepted by vigil_version_compare() / _validate(). */
#define VIGIL_VERSION_MAX_LEN 256

/* scheme: "dpkg", "rpm", "apk", "semver", "semver-loose", "npm", "pep440",
 * "maven", "go", "rubygems", "composer", "nuget".
 * Returns VIGIL_EINVAL for an unknown scheme, VIGIL_EFORMAT (message naming
 * the version and the scheme) for an invalid version, VIGIL_ELIMIT for a
 * version longer than VIGIL_VERSION_MAX_LEN. */
VIGIL_EXTERN(int) vigil_version_compare(const char *scheme, const char *a, size_t alen, const char *b,
			  size_t blen, int *result);
/* 0 when v is a valid version of scheme, else as above. */
VIGIL_EXTERN(int) vigil_version_validate(const char *scheme, const char *v, size_t len);

/* A scheme's fast comparator (below), or NULL for an unknown name. */
typedef int (*vigil_version_cmp_fn)(const char *a, size_t alen, const char *b, size_t blen);
VIGIL_EXTERN(vigil_version_cmp_fn) vigil_version_comparator(const char *scheme);

/* Longest constraint accepted, and most clauses (comparators) in one. */
#define VIGIL_VERSION_CONSTRAINT_MAX_LEN 1024
#define VIGIL_VERSION_MAX_CLAUSES 64

/* Whether version satisfies constraint in scheme ("npm", "rubygems",
 * "composer", "nuget"): *result 1 or 0. VIGIL_EINVAL for a scheme without
 * constraints; VIGIL_EFORMAT naming the constraint (or the version) when
 * either does not parse; VIGIL_ELIMIT past the limits above. */
VIGIL_EXTERN(int) vigil_version_satisfies(const char *scheme, const char *version, size_t vlen,
			    const char *constraint, size_t clen, int *result);

/* Fast comparators: <0, 0, >0 (always exactly -1, 0 or 1). */
VIGIL_EXTERN(int) vigil_dpkg_cmp(const char *a, size_t alen, const char *b, size_t blen);
/* rpmvercmp() of two bare version (or release) strings. */
VIGIL_EXTERN(int) vigil_rpmvercmp(const char *a, size_t alen, const char *b, size_t blen);
/* [epoch:]version[-release]: missing epoch is 0; a release missing on
 * either side is not compared. */
VIGIL_EXTERN(int) vigil_rpm_evr_cmp(const char *a, size_t alen, const char *b, size_t blen);
VIGIL_EXTERN(int) vigil_apk_cmp(const char *a, size_t alen, const char *b, size_t blen);
/* apk fuzzy match ("~"): 1 when a matches the prefix version b. */
VIGIL_EXTERN(int) vigil_apk_fuzzy_match(const char *a, size_t alen, const char *b, size_t blen);
VIGIL_EXTERN(int) vigil_semver_cmp(const char *a, size_t alen, const char *b, size_t blen);
/* node-semver's loose mode: any "v", "=" and spaces in front, leading
 * zeros, a pre-release without its "-" ("1.2.3beta"). */
VIGIL_EXTERN(int) vigil_semver_loose_cmp(const char *a, size_t alen, const char *b, size_t blen);
VIGIL_EXTERN(int) vigil_pep440_cmp(const char *a, size_t alen, const char *b, size_t blen);
VIGIL_EXTERN(int) vigil_maven_cmp(const char *a, size_t alen, const char *b, size_t blen);
/* node-semver (strict): as semver plus a leading "v" and spaces around. */
VIGIL_EXTERN(int) vigil_npm_cmp(const char *a, size_t alen, const char *b, size_t blen);
/* golang.org/x/mod/semver.Compare: invalid versions are all equal and
 * below every valid one. */
VIGIL_EXTERN(int) vigil_go_cmp(const char *a, size_t alen, const char *b, size_t blen);
VIGIL_EXTERN(int) vigil_rubygems_cmp(const char *a, size_t alen, const char *b, size_t blen);
/* Both versions normalized as Composer does, then PHP's version_compare;
 * dev-* branches below every release, ordered by bytes among themselves. */
VIGIL_EXTERN(int) vigil_composer_cmp(const char *a, size_t alen, const char *b, size_t blen);
VIGIL_EXTERN(int) vigil_nuget_cmp(const char *a, size_t alen, const char *b, size_t blen);

/* Validity checks: 1 valid, 0 not. */
VIGIL_EXTERN(int) vigil_dpkg_valid(const char *v, size_t len);
VIGIL_EXTERN(int) vigil_rpm_valid(const char *v, size_t len);
VIGIL_EXTERN(int) vigil_apk_valid(const char *v, size_t len);
VIGIL_EXTERN(int) vigil_semver_valid(const char *v, size_t len, int loose);
VIGIL_EXTERN(int) vigil_pep440_valid(const char *v, size_t len);
VIGIL_EXTERN(int) vigil_maven_valid(const char *v, size_t len);
VIGIL_EXTERN(int) vigil_npm_valid(const char *v, size_t len, int loose);
VIGIL_EXTERN(int) vigil_go_valid(const char *v, size_t len);
VIGIL_EXTERN(int) vigil_rubygems_valid(const char *v, size_t len);
VIGIL_EXTERN(int) vigil_composer_valid(const char *v, size_t len);
VIGIL_EXTERN(int) vigil_nuget_valid(const char *v, size_t len);

/* npm ranges with node-semver's options (vigil_version_satisfies("npm")
 * uses none). An unparseable version is an error, where node-semver
 * answers false. */
#define VIGIL_NPM_LOOSE 1u
#define VIGIL_NPM_INCLUDE_PRERELEASE 2u
VIGIL_EXTERN(int) vigil_npm_satisfies(const char *range, size_t rlen, const char *v, size_t vlen,
			unsigned flags, int *result);

/* Go pseudo-versions (golang.org/x/mod/module): 1 when v is one. */
VIGIL_EXTERN(int) vigil_go_is_pseudo(const char *v, size_t len);
/* The version a pseudo-version is based on ("" for vX.0.0-...), into out
 * (NUL-terminated); VIGIL_EFORMAT when v is not a pseudo-version or has no
 * valid base, VIGIL_ELIMIT when out is too small. */
VIGIL_EXTERN(int) vigil_go_pseudo_base(const char *v, size_t len, char *out, size_t cap);
/* The revision identifier (a slice of v). */
VIGIL_EXTERN(int) vigil_go_pseudo_rev(const char *v, size_t len, const char **rev, size_t *revlen);
/* The commit time as "YYYY-MM-DDTHH:MM:SSZ". */
VIGIL_EXTERN(int) vigil_go_pseudo_time(const char *v, size_t len, char out[21]);

/* Composer: VersionParser::normalize() into out (NUL-terminated);
 * VIGIL_EFORMAT for an invalid version, VIGIL_ELIMIT when out is too small. */
VIGIL_EXTERN(int) vigil_composer_normalize(const char *v, size_t len, char *out, size_t cap);
/* Composer\Semver\Comparator::compare(a, op, b) on the strings as given
 * (op: > >= < <= == = != <>): *result 1 or 0; VIGIL_EINVAL for another op. */
VIGIL_EXTERN(int) vigil_composer_compare_op(const char *a, size_t alen, const char *op,
			      const char *b, size_t blen, int *result);

#ifdef __cplusplus
}
#endif
#endif
