/* store/store_layers.h: the layer cache, the store's part that the indexer
 * uses (and the server's Clair v1 layers, which index through it): a
 * layer's scan by (layer digest, scanners version), stored once it is
 * verified and read back instead of the layer's bytes. The cache's count
 * and clearing are public (vigil/store.h: `vigil cache`).
 *
 * A backend implements struct store_layer_ops (store/sqlite.c, store/pg.c)
 * and the store points at it (store/store_priv.h); callers go through the
 * wrappers below (store/store_layers.c), never through the ops. */
#ifndef VIGIL_STORE_STORE_LAYERS_H
#define VIGIL_STORE_STORE_LAYERS_H

#include <stddef.h>

#include "vigil/store.h"

struct store_layer_ops {
	/* The cached scan of a layer: VIGIL_ENOTFOUND when there is none.
	 * *blob is malloc'd (NUL-terminated, *len bytes before the NUL). */
	int (*layer_get)(vigil_store *s, const char *digest, const char *scanners, char **blob,
			 size_t *len);
	/* Stores (or replaces) a layer's scan in one transaction. */
	int (*layer_put)(vigil_store *s, const char *digest, const char *scanners, const char *blob,
			 size_t len);
	int (*cache_clear)(vigil_store *s, long long *removed);
	int (*cache_count)(vigil_store *s, long long *count);
};

/* The wrappers (VIGIL_EUNSUPPORTED when the store has no layer cache);
 * vigil_store_cache_clear and vigil_store_cache_count are in vigil/store.h. */
int store_layer_get(vigil_store *s, const char *digest, const char *scanners, char **blob,
			  size_t *len);
int store_layer_put(vigil_store *s, const char *digest, const char *scanners,
			  const char *blob, size_t len);

#endif
