/* util/map.h: the one string-keyed hash map of vigil (and its hash).
 *
 * Open addressing with linear probing over a power-of-two table, FNV-1a
 * 64-bit hashes stored beside the keys, grown at half full. Keys are byte
 * strings (pointer + length, NUL not needed) that are NOT copied: they
 * must outlive the map (interned, arena-owned, or inside the document the
 * values point into). Values are pointers; a NULL value reads as absent. A zeroed struct is
 * an empty map with the default cap; nothing is allocated before the first
 * insert. The cap (max entries) is a named limit: inserting past it fails
 * with VIGIL_ELIMIT and leaves the map as it was. Not thread-safe.
 *
 *   vigil_map m = { 0 };                      // or vigil_map_init(&m, 1000)
 *   if ((rc = vigil_map_set(&m, k, n, v)) < 0) ... error set
 *   void *v = vigil_map_get(&m, k, n);        // NULL when absent
 *   vigil_map_free(&m);
 */
#ifndef VIGIL_UTIL_MAP_H
#define VIGIL_UTIL_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The default cap of a map whose max is 0. */
#define VIGIL_MAP_DEFAULT_MAX ((size_t)16 * 1024 * 1024)

/* ---- the hash (FNV-1a, 64 bits) ---- */
#define VIGIL_HASH_INIT 14695981039346656037ULL

static inline uint64_t vigil_hash_more(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

static inline uint64_t vigil_hash_bytes(const void *p, size_t n)
{
	return vigil_hash_more(VIGIL_HASH_INIT, p, n);
}

/* ---- the map ---- */
struct vigil_map_ent {
	const char *key; /* NULL: a free slot */
	size_t klen;
	uint64_t hash;
	void *val;
};

typedef struct vigil_map {
	struct vigil_map_ent *e;
	size_t n, cap; /* entries, slots (0 or a power of two) */
	size_t max;    /* the cap on n; 0: VIGIL_MAP_DEFAULT_MAX */
} vigil_map;

/* An empty map of at most max entries (0: VIGIL_MAP_DEFAULT_MAX). */
void vigil_map_init(vigil_map *m, size_t max);
/* Frees the table (not keys or values); the map is empty and usable after.
 * NULL is fine. */
void vigil_map_free(vigil_map *m);
/* Empties the map, keeping its table. */
void vigil_map_clear(vigil_map *m);

/* Inserts or replaces: 0, VIGIL_ENOMEM or VIGIL_ELIMIT (past the cap). */
int vigil_map_set(vigil_map *m, const char *key, size_t klen, void *val);
/* Inserts only when absent: 1 inserted, 0 the key was there (its value
 * kept), or the errors of vigil_map_set(). */
int vigil_map_add(vigil_map *m, const char *key, size_t klen, void *val);
/* The value of key, or NULL. */
void *vigil_map_get(const vigil_map *m, const char *key, size_t klen);
/* The stored key equal to key (the map's own pointer), or NULL. */
const char *vigil_map_key(const vigil_map *m, const char *key, size_t klen);

static inline size_t vigil_map_count(const vigil_map *m) { return m->n; }

/* Iteration in table order: *it starts at 0; false at the end.
 *   size_t it = 0; const char *k; size_t kl; void *v;
 *   while (vigil_map_next(&m, &it, &k, &kl, &v)) ... */
bool vigil_map_next(const vigil_map *m, size_t *it, const char **key, size_t *klen, void **val);

/* NUL-terminated keys. */
static inline int vigil_map_set_cstr(vigil_map *m, const char *key, void *val)
{
	return vigil_map_set(m, key, key ? strlen(key) : 0, val);
}
static inline void *vigil_map_get_cstr(const vigil_map *m, const char *key)
{
	return key ? vigil_map_get(m, key, strlen(key)) : NULL;
}

#endif
