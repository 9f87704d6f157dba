/* util/intern.c: string interning (see intern.h) on util/map.c: the map's
 * keys are the arena copies, each the value of itself. */
#include "util/intern.h"
#include "util/error.h"
#include "util/map.h"

#include <stdlib.h>
#include <string.h>

struct vigil_intern {
	vigil_arena *arena;
	vigil_map set; /* copy -> copy */
};

vigil_intern *vigil_intern_new(vigil_arena *a)
{
	vigil_intern *t = calloc(1, sizeof(*t));
	if (!t) {
		vigil_error_oom();
		return NULL;
	}
	t->arena = a;
	vigil_map_init(&t->set, 0);
	return t;
}

void vigil_intern_free(vigil_intern *t)
{
	if (!t)
		return;
	vigil_map_free(&t->set);
	free(t);
}

const char *vigil_intern_str(vigil_intern *t, const char *p, size_t n)
{
	const char *have = vigil_map_key(&t->set, p, n);
	if (have)
		return have;
	char *copy = vigil_arena_strndup(t->arena, p, n);
	if (!copy || vigil_map_add(&t->set, copy, n, copy) < 0)
		return NULL;
	return copy;
}

const char *vigil_intern_cstr(vigil_intern *t, const char *s)
{
	return s ? vigil_intern_str(t, s, strlen(s)) : NULL;
}

size_t vigil_intern_count(const vigil_intern *t) { return vigil_map_count(&t->set); }
