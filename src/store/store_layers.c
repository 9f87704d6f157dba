/* store/store_layers.c: the wrappers of the layer cache (store_layers.h):
 * the backend's ops, or VIGIL_EUNSUPPORTED when it has no layer cache. */
#include "store/store_priv.h"

#define PART "layer cache"

int store_layer_get(vigil_store *s, const char *digest, const char *scanners, char **blob,
			  size_t *len)
{
	return s->layers ? s->layers->layer_get(s, digest, scanners, blob, len) : store_unsupported(s, PART);
}

int store_layer_put(vigil_store *s, const char *digest, const char *scanners,
			  const char *blob, size_t len)
{
	return s->layers ? s->layers->layer_put(s, digest, scanners, blob, len) : store_unsupported(s, PART);
}

int vigil_store_cache_clear(vigil_store *s, long long *removed)
{
	return s->layers ? s->layers->cache_clear(s, removed) : store_unsupported(s, PART);
}

int vigil_store_cache_count(vigil_store *s, long long *count)
{
	return s->layers ? s->layers->cache_count(s, count) : store_unsupported(s, PART);
}
