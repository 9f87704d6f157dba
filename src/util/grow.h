/* util/grow.h: growing a malloc'd array to hold one more element, doubling,
 * never past a cap (the named limit of whoever owns the array). */
#ifndef VIGIL_UTIL_GROW_H
#define VIGIL_UTIL_GROW_H

#include <stddef.h>

/* Makes room for element n of *p (each size bytes, *alloc of them now, first
 * growth to `first`): 0, VIGIL_ELIMIT when n >= max (the message is left
 * for the caller, who knows what is counted), or VIGIL_ENOMEM. */
int vigil_grow(void **p, size_t *alloc, size_t n, size_t size, size_t first, size_t max);

#endif
