/* util/arena.c: chunked bump allocator (see arena.h). Large requests get a
 * chunk of their own so that small ones do not waste the rest of it. */
#include "util/arena.h"
#include "util/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct chunk {
	struct chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

struct vigil_arena {
	struct chunk *head;
	size_t cap, total;
};

vigil_arena *vigil_arena_new(size_t cap)
{
	vigil_arena *a = calloc(1, sizeof(*a));
	if (!a) {
		vigil_error_oom();
		return NULL;
	}
	a->cap = cap ? cap : VIGIL_ARENA_DEFAULT_CAP;
	return a;
}

void vigil_arena_free(vigil_arena *a)
{
	if (!a)
		return;
	struct chunk *c = a->head;
	while (c) {
		struct chunk *next = c->next;
		free(c);
		c = next;
	}
	free(a);
}

void *vigil_arena_alloc(vigil_arena *a, size_t n)
{
	size_t need = (n + 15) & ~(size_t)15;
	if (need < n || need > a->cap - a->total) {
		vigil_error_set(VIGIL_ELIMIT, "memory limit of %zu bytes reached", a->cap);
		return NULL;
	}
	struct chunk *c = a->head;
	if (!c || c->size - c->used < need) {
		size_t size = need > VIGIL_ARENA_CHUNK / 4 ? need : VIGIL_ARENA_CHUNK;
		struct chunk *nc = malloc(sizeof(*nc) + size);
		if (!nc) {
			vigil_error_oom();
			return NULL;
		}
		nc->size = size;
		nc->used = 0;
		if (c && size == need && c->size - c->used >= 64) {
			/* keep the current chunk in front for the small ones */
			nc->next = c->next;
			c->next = nc;
		} else {
			nc->next = c;
			a->head = nc;
		}
		c = nc;
	}
	void *p = c->data + c->used;
	c->used += need;
	a->total += need;
	return p;
}

void *vigil_arena_calloc(vigil_arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size) {
		vigil_error_set(VIGIL_ELIMIT, "allocation of %zu x %zu bytes overflows", count, size);
		return NULL;
	}
	void *p = vigil_arena_alloc(a, count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

char *vigil_arena_strndup(vigil_arena *a, const char *p, size_t n)
{
	char *s = vigil_arena_alloc(a, n + 1);
	if (!s)
		return NULL;
	if (n)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

char *vigil_arena_strdup(vigil_arena *a, const char *s)
{
	return vigil_arena_strndup(a, s, strlen(s));
}

size_t vigil_arena_used(const vigil_arena *a) { return a->total; }
