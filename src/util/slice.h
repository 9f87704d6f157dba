/* util/slice.h: length-carrying views of bytes, the way every parser of
 * vigil reads its input (no NUL-terminated scanning, no strtok/sscanf).
 *
 *   vigil_slice in = vigil_slice_make(data, len), line;
 *   while (vigil_slice_next_line(&in, &line)) { ... }
 */
#ifndef VIGIL_UTIL_SLICE_H
#define VIGIL_UTIL_SLICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct vigil_slice {
	const char *ptr;
	size_t len;
} vigil_slice;

#define VIGIL_SLICE_LIT(s) ((vigil_slice){ (s), sizeof(s) - 1 })

/* The value of a hexadecimal digit (either case), or -1. */
static inline int vigil_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static inline vigil_slice vigil_slice_make(const void *p, size_t n)
{
	return (vigil_slice){ (const char *)p, n };
}

static inline vigil_slice vigil_slice_cstr(const char *s)
{
	return (vigil_slice){ s, s ? strlen(s) : 0 };
}

static inline bool vigil_slice_eq(vigil_slice a, vigil_slice b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static inline bool vigil_slice_eq_cstr(vigil_slice a, const char *s)
{
	return vigil_slice_eq(a, vigil_slice_cstr(s));
}

static inline bool vigil_slice_starts_with(vigil_slice a, const char *prefix)
{
	size_t n = strlen(prefix);
	return a.len >= n && memcmp(a.ptr, prefix, n) == 0;
}

static inline bool vigil_slice_ends_with(vigil_slice a, const char *suffix)
{
	size_t n = strlen(suffix);
	return a.len >= n && memcmp(a.ptr + a.len - n, suffix, n) == 0;
}

static inline vigil_slice vigil_slice_sub(vigil_slice a, size_t off, size_t n)
{
	if (off > a.len)
		off = a.len;
	if (n > a.len - off)
		n = a.len - off;
	return (vigil_slice){ a.ptr + off, n };
}

/* Position of c in a, or -1. */
static inline ptrdiff_t vigil_slice_find(vigil_slice a, char c)
{
	const char *p = a.len ? memchr(a.ptr, c, a.len) : NULL;
	return p ? p - a.ptr : -1;
}

static inline ptrdiff_t vigil_slice_rfind(vigil_slice a, char c)
{
	for (size_t i = a.len; i > 0; i--)
		if (a.ptr[i - 1] == c)
			return (ptrdiff_t)(i - 1);
	return -1;
}

/* Drops spaces, tabs, CR and LF at both ends. */
vigil_slice vigil_slice_trim(vigil_slice a);

/* Takes the next line (without its \n, and without a trailing \r) off the
 * front of *in. False when *in is empty. */
bool vigil_slice_next_line(vigil_slice *in, vigil_slice *line);

/* Splits a at the first c: *head gets what is before, *tail what is after.
 * False (and *head = a, tail empty) when c is absent. */
bool vigil_slice_split(vigil_slice a, char c, vigil_slice *head, vigil_slice *tail);

/* A decimal number of at most max; false on anything else (sign, junk, overflow). */
bool vigil_slice_to_u64(vigil_slice a, uint64_t max, uint64_t *out);

#endif
