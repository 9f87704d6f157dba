/* util/intern.h: string interning in an arena. Package names, versions and
 * architectures repeat thousands of times across an image (and across
 * layers); each distinct string is stored once and compared by pointer. */
#ifndef VIGIL_UTIL_INTERN_H
#define VIGIL_UTIL_INTERN_H

#include <stddef.h>

#include "util/arena.h"

typedef struct vigil_intern vigil_intern;

/* The table lives in the arena's memory only for its strings; the hash
 * index itself is malloc'd and freed by vigil_intern_free(). */
vigil_intern *vigil_intern_new(vigil_arena *a);
void vigil_intern_free(vigil_intern *t);
/* The one copy of p[0..n) (NUL-terminated). NULL with the error set on failure. */
const char *vigil_intern_str(vigil_intern *t, const char *p, size_t n);
const char *vigil_intern_cstr(vigil_intern *t, const char *s);
size_t vigil_intern_count(const vigil_intern *t);

#endif
