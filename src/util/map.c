/* util/map.c: open-addressing string map (see map.h). Deletion is not
 * offered, so probing needs no tombstones: a free slot ends every search. */
#include "util/map.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

#define MAP_MIN_SLOTS 16

static size_t map_max(const vigil_map *m) { return m->max ? m->max : VIGIL_MAP_DEFAULT_MAX; }

void vigil_map_init(vigil_map *m, size_t max)
{
	memset(m, 0, sizeof(*m));
	m->max = max;
}

void vigil_map_free(vigil_map *m)
{
	if (!m)
		return;
	free(m->e);
	m->e = NULL;
	m->n = m->cap = 0;
}

void vigil_map_clear(vigil_map *m)
{
	if (m->e)
		memset(m->e, 0, m->cap * sizeof(*m->e));
	m->n = 0;
}

/* The slot of key, or of the free slot where it would go (cap > 0). */
static size_t map_find(const vigil_map *m, const char *key, size_t klen, uint64_t h)
{
	size_t j = (size_t)h & (m->cap - 1);
	for (; m->e[j].key; j = (j + 1) & (m->cap - 1))
		if (m->e[j].hash == h && m->e[j].klen == klen &&
		    (klen == 0 || memcmp(m->e[j].key, key, klen) == 0))
			break;
	return j;
}

static int map_grow(vigil_map *m)
{
	size_t ncap = m->cap ? m->cap * 2 : MAP_MIN_SLOTS;
	if (ncap > SIZE_MAX / sizeof(struct vigil_map_ent))
		return vigil_error_oom();
	struct vigil_map_ent *ne = calloc(ncap, sizeof(*ne));
	if (!ne)
		return vigil_error_oom();
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->e[i].key)
			continue;
		size_t j = (size_t)m->e[i].hash & (ncap - 1);
		while (ne[j].key)
			j = (j + 1) & (ncap - 1);
		ne[j] = m->e[i];
	}
	free(m->e);
	m->e = ne;
	m->cap = ncap;
	return 0;
}

static int map_put(vigil_map *m, const char *key, size_t klen, void *val, bool replace)
{
	uint64_t h = vigil_hash_bytes(key, klen);
	size_t j;
	int rc;
	if (!key)
		key = "";
	if (m->cap) {
		j = map_find(m, key, klen, h);
		if (m->e[j].key) {
			if (replace)
				m->e[j].val = val;
			return 0;
		}
	}
	if (m->n >= map_max(m))
		return vigil_error_set(VIGIL_ELIMIT, "map: more than %zu entries", map_max(m));
	if ((m->n + 1) * 2 > m->cap && (rc = map_grow(m)) < 0)
		return rc;
	j = map_find(m, key, klen, h);
	m->e[j] = (struct vigil_map_ent){ key, klen, h, val };
	m->n++;
	return 1;
}

int vigil_map_set(vigil_map *m, const char *key, size_t klen, void *val)
{
	int rc = map_put(m, key, klen, val, true);
	return rc < 0 ? rc : 0;
}

int vigil_map_add(vigil_map *m, const char *key, size_t klen, void *val)
{
	return map_put(m, key, klen, val, false);
}

void *vigil_map_get(const vigil_map *m, const char *key, size_t klen)
{
	if (!m->n)
		return NULL;
	if (!key)
		key = "";
	size_t j = map_find(m, key, klen, vigil_hash_bytes(key, klen));
	return m->e[j].key ? m->e[j].val : NULL;
}

const char *vigil_map_key(const vigil_map *m, const char *key, size_t klen)
{
	if (!m->n)
		return NULL;
	if (!key)
		key = "";
	size_t j = map_find(m, key, klen, vigil_hash_bytes(key, klen));
	return m->e[j].key;
}

bool vigil_map_next(const vigil_map *m, size_t *it, const char **key, size_t *klen, void **val)
{
	for (; *it < m->cap; (*it)++) {
		const struct vigil_map_ent *e = &m->e[*it];
		if (!e->key)
			continue;
		(*it)++;
		if (key)
			*key = e->key;
		if (klen)
			*klen = e->klen;
		if (val)
			*val = e->val;
		return true;
	}
	return false;
}
