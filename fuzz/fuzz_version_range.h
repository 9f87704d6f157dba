/* fuzz/fuzz_version_range.h: the harness of the constraint fuzz targets
 * (fuzz_version_<scheme>_range.c): the input is CONSTRAINT NUL VERSION (no
 * NUL: all constraint, version "1.0.0"); vigil_version_satisfies() must
 * return 0 with a result of 0 or 1, or VIGIL_EFORMAT / VIGIL_ELIMIT with
 * a message, never crash or read outside the input. */
#ifndef VIGIL_FUZZ_VERSION_RANGE_H
#define VIGIL_FUZZ_VERSION_RANGE_H

#include "vigil/version.h"

#include <stdint.h>
#include <string.h>

static inline void fuzz_split(const uint8_t *data, size_t size, const char **c, size_t *clen,
			      const char **v, size_t *vlen)
{
	const char *s = (const char *)data;
	const char *nul = size ? memchr(s, '\0', size) : NULL;
	*c = s;
	*clen = nul ? (size_t)(nul - s) : size;
	*v = nul ? nul + 1 : "1.0.0";
	*vlen = nul ? size - *clen - 1 : 5;
}

static inline void fuzz_check(int rc, int res)
{
	if (rc == 0 && res != 0 && res != 1)
		__builtin_trap();
	if (rc != 0 && rc != VIGIL_EFORMAT && rc != VIGIL_ELIMIT)
		__builtin_trap();
	if (rc != 0 && !vigil_error_message()[0])
		__builtin_trap();
}

static inline int fuzz_range(const char *scheme, const uint8_t *data, size_t size)
{
	const char *c, *v;
	size_t clen, vlen;
	int res = 2;
	fuzz_split(data, size, &c, &clen, &v, &vlen);
	int rc = vigil_version_satisfies(scheme, v, vlen, c, clen, &res);
	fuzz_check(rc, res);
	return 0;
}

#endif
