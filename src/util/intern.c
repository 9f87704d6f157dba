/* util/intern.c: open-addressing hash set of strings (FNV-1a), see intern.h. */
#include "util/intern.h"
#include "util/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct slot {
	const char *s;
	size_t len;
	uint64_t hash;
};

struct vigil_intern {
	vigil_arena *arena;
	struct slot *slots;
	size_t cap, count;
};

static uint64_t fnv1a(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

vigil_intern *vigil_intern_new(vigil_arena *a)
{
	vigil_intern *t = calloc(1, sizeof(*t));
	if (!t) {
		vigil_error_oom();
		return NULL;
	}
	t->arena = a;
	t->cap = 256;
	t->slots = calloc(t->cap, sizeof(*t->slots));
	if (!t->slots) {
		free(t);
		vigil_error_oom();
		return NULL;
	}
	return t;
}

void vigil_intern_free(vigil_intern *t)
{
	if (!t)
		return;
	free(t->slots);
	free(t);
}

static int rehash(vigil_intern *t)
{
	size_t ncap = t->cap * 2;
	struct slot *ns = calloc(ncap, sizeof(*ns));
	if (!ns)
		return vigil_error_oom();
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->slots[i].s)
			continue;
		size_t j = t->slots[i].hash & (ncap - 1);
		while (ns[j].s)
			j = (j + 1) & (ncap - 1);
		ns[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = ns;
	t->cap = ncap;
	return 0;
}

const char *vigil_intern_str(vigil_intern *t, const char *p, size_t n)
{
	uint64_t h = fnv1a(p, n);
	size_t j = h & (t->cap - 1);
	while (t->slots[j].s) {
		struct slot *s = &t->slots[j];
		if (s->hash == h && s->len == n && memcmp(s->s, p, n) == 0)
			return s->s;
		j = (j + 1) & (t->cap - 1);
	}
	char *copy = vigil_arena_strndup(t->arena, p, n);
	if (!copy)
		return NULL;
	t->slots[j] = (struct slot){ copy, n, h };
	if (++t->count * 4 > t->cap * 3 && rehash(t) < 0)
		return NULL;
	return copy;
}

const char *vigil_intern_cstr(vigil_intern *t, const char *s)
{
	return s ? vigil_intern_str(t, s, strlen(s)) : NULL;
}

size_t vigil_intern_count(const vigil_intern *t) { return t->count; }
