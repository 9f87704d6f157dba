/* vigil/version.h: comparing package versions the way each ecosystem does:
 * dpkg (Debian, Ubuntu), rpm (Red Hat family), apk (Alpine), semver 2.0.0,
 * PEP 440 (Python) and Maven's ComparableVersion.
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

/* scheme: "dpkg", "rpm", "apk", "semver", "semver-loose", "pep440", "maven".
 * Returns VIGIL_EINVAL for an unknown scheme, VIGIL_EFORMAT (message naming
 * the version and the scheme) for an invalid version, VIGIL_ELIMIT for a
 * version longer than VIGIL_VERSION_MAX_LEN. */
VIGIL_EXTERN(int) vigil_version_compare(const char *scheme, const char *a, size_t alen, const char *b,
			  size_t blen, int *result);
/* 0 when v is a valid version of scheme, else as above. */
VIGIL_EXTERN(int) vigil_version_validate(const char *scheme, const char *v, size_t len);

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
/* Also accepts a leading "v" or "=" (and surrounding spaces). */
VIGIL_EXTERN(int) vigil_semver_loose_cmp(const char *a, size_t alen, const char *b, size_t blen);
VIGIL_EXTERN(int) vigil_pep440_cmp(const char *a, size_t alen, const char *b, size_t blen);
VIGIL_EXTERN(int) vigil_maven_cmp(const char *a, size_t alen, const char *b, size_t blen);

/* Validity checks: 1 valid, 0 not. */
VIGIL_EXTERN(int) vigil_dpkg_valid(const char *v, size_t len);
VIGIL_EXTERN(int) vigil_rpm_valid(const char *v, size_t len);
VIGIL_EXTERN(int) vigil_apk_valid(const char *v, size_t len);
VIGIL_EXTERN(int) vigil_semver_valid(const char *v, size_t len, int loose);
VIGIL_EXTERN(int) vigil_pep440_valid(const char *v, size_t len);
VIGIL_EXTERN(int) vigil_maven_valid(const char *v, size_t len);

#ifdef __cplusplus
}
#endif
#endif
