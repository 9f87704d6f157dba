/* version/composer.h: the pieces of Composer's version handling shared by
 * composer.c (normalize, PHP's version_compare, the order) and
 * range_composer.c (parseConstraints and matching). */
#ifndef VIGIL_VERSION_COMPOSER_H
#define VIGIL_VERSION_COMPOSER_H

#include <stddef.h>

#include "vigil/version.h"

/* A normalized version fits in this many bytes (with its NUL). */
#define CP_NORM_MAX (VIGIL_VERSION_MAX_LEN + 64)

typedef struct cp_cap {
	const char *p; /* NULL: the group did not take part */
	size_t n;
} cp_cap;

/* PHP's version_compare(a, b) (ext/standard/versioning.c): -1, 0, 1.
 * Inputs longer than VIGIL_VERSION_MAX_LEN are cut there. */
int cp_php_compare(const char *a, size_t alen, const char *b, size_t blen);

/* VersionParser::normalize(): the length written to out (NUL-terminated),
 * -1 for an invalid version, -2 when out is too small. */
long cp_normalize(const char *v, size_t len, char *out, size_t cap);

/* VersionParser::parseStability() of a normalized version: "stable",
 * "RC", "beta", "alpha" or "dev". */
const char *cp_stability(const char *v, size_t len);

/* versionRegex of parseConstraints at s[i]:
 *   v?(\d++)(?:\.(\d++))?(?:\.(\d++))?(?:\.(\d++))?
 *   (?:MODIFIER|\.([xX*][.-]?dev))(?:\+[^\s]+)?
 * (case-insensitive), followed by `end` when end_is_hyphen is 0 (the end
 * of s) or by " +- +" when 1. g[1..8] get the groups; returns the end of
 * the match (>i) or 0. */
size_t cp_version_regex(const char *s, size_t i, size_t n, int end_is_hyphen, cp_cap g[9]);

/* preg_match('/-' . modifierRegex . '$/', s): a "-" then a modifier
 * (case-sensitive words) up to the end. */
int cp_ends_with_modifier(const char *s, size_t n);

/* A branch: "dev-*" (Composer's strpos($v, 'dev-') === 0). */
static inline int cp_is_branch(const char *s, size_t n)
{
	return n >= 4 && s[0] == 'd' && s[1] == 'e' && s[2] == 'v' && s[3] == '-';
}

#endif
