/* version/internal.h: helpers shared by the version comparators of
 * src/version/: ASCII classes that ignore the locale, and comparing decimal
 * digit runs of any length without converting them (no overflow). */
#ifndef VIGIL_VERSION_INTERNAL_H
#define VIGIL_VERSION_INTERNAL_H

#include <stddef.h>
#include <string.h>

static inline int vv_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static inline int vv_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
static inline int vv_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static inline int vv_alnum(unsigned char c) { return vv_digit(c) || vv_alpha(c); }
static inline unsigned char vv_tolower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c;
}
static inline int vv_sign(int r) { return (r > 0) - (r < 0); }

/* Compares two runs of ASCII digits as numbers (leading zeros ignored). */
static inline int vv_numcmp(const char *a, size_t alen, const char *b, size_t blen)
{
	while (alen && *a == '0')
		a++, alen--;
	while (blen && *b == '0')
		b++, blen--;
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return alen ? vv_sign(memcmp(a, b, alen)) : 0;
}

/* Byte-wise comparison, shorter first when one is a prefix of the other. */
static inline int vv_bytecmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int r = n ? memcmp(a, b, n) : 0;
	if (r)
		return vv_sign(r);
	return (alen > blen) - (alen < blen);
}

#endif
