/* util/utf8.h: strict UTF-8 validation (no overlong forms, no surrogates,
 * nothing past U+10FFFF), for parsers that must tell text from garbage. */
#ifndef VIGIL_UTIL_UTF8_H
#define VIGIL_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the valid UTF-8 prefix of p[0..n) (n when all of it is valid). */
size_t vigil_utf8_prefix(const void *p, size_t n);

static inline bool vigil_utf8_valid(const void *p, size_t n)
{
	return vigil_utf8_prefix(p, n) == n;
}

#endif
