/* util/grow.c: see grow.h. */
#include "util/grow.h"
#include "util/error.h"

#include <stdint.h>
#include <stdlib.h>

int vigil_grow(void **p, size_t *alloc, size_t n, size_t size, size_t first, size_t max)
{
	if (n < *alloc)
		return 0;
	if (n >= max)
		return VIGIL_ELIMIT;
	size_t a = *alloc ? *alloc * 2 : first;
	if (a > max)
		a = max;
	if (a <= n)
		a = n + 1;
	if (size && a > SIZE_MAX / size)
		return vigil_error_oom();
	void *np = realloc(*p, a * size);
	if (!np)
		return vigil_error_oom();
	*p = np;
	*alloc = a;
	return 0;
}
