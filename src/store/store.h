/* store/store.h: the store's backend interface. One backend now (SQLite,
 * store/sqlite.c); PostgreSQL joins behind the same operations later. All
 * operations may be called from several threads at once. */
#ifndef VIGIL_STORE_STORE_H
#define VIGIL_STORE_STORE_H

#include <stddef.h>

#include "vigil/store.h"

struct vigil_store_ops {
	/* The cached scan of a layer: VIGIL_ENOTFOUND when there is none.
	 * *blob is malloc'd. */
	int (*layer_get)(vigil_store *s, const char *digest, const char *scanners, char **blob,
			 size_t *len);
	/* Stores (or replaces) a layer's scan in one transaction. */
	int (*layer_put)(vigil_store *s, const char *digest, const char *scanners, const char *blob,
			 size_t len);
	int (*cache_clear)(vigil_store *s, long long *removed);
	int (*cache_count)(vigil_store *s, long long *count);
	void (*close)(vigil_store *s);
};

struct vigil_store {
	const struct vigil_store_ops *ops;
	char describe[4200];
};

int vigil_store_layer_get(vigil_store *s, const char *digest, const char *scanners, char **blob,
			  size_t *len);
int vigil_store_layer_put(vigil_store *s, const char *digest, const char *scanners,
			  const char *blob, size_t len);

int vigil_sqlite_store_open(const char *path, vigil_store **out);

#endif
