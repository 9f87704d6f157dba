/* server/v1.h: what the Clair v1 API's files share: fetching and scanning
 * a posted layer, and the index report of a layer with its ancestry
 * (v1_layers.c), used by the handlers (v1.c). */
#ifndef VIGIL_SERVER_V1_H
#define VIGIL_SERVER_V1_H

#include <stddef.h>

#include "indexer/layer_result.h"
#include "store/store.h"
#include "vigil/index.h"
#include "vigil/store.h"

#define V1_MAX_NAME     512   /* a layer name (Clair 2 clients send 64-char ids or digests) */
#define V1_MAX_CHAIN    256   /* layers from one layer down to its base */
#define V1_MAX_HEADER   8192  /* one "Name: value" header of a posted layer */
#define V1_MAX_HEADERS  64    /* headers of a posted layer (registry/url.c takes 64) */
#define V1_MAX_LIMIT    1000  /* ?limit of a vulnerability listing */
#define V1_DEFAULT_LIMIT 100
#define V1_INDEXED_BY_VERSION 1 /* IndexedByVersion: vigil's layer scan generation */
#define V1_LAYER_LOCK_MS (30 * 60 * 1000) /* waiting for another request's fetch of a layer */

/* GETs url with the "Name: value" headers, decompresses and scans it; the
 * result's digest is the sha256 of the bytes as fetched. *unreadable is set
 * when the failure is the layer's (unreachable, not a tar, bad gzip, too
 * big: 422) rather than the server's. */
int v1_fetch_scan(const char *url, const char *const *headers, size_t nheaders, vigil_layer_result **out,
		  int *unreadable);
/* Caches a scan in the store under its digest. */
int v1_cache_put(vigil_store *st, const vigil_layer_result *r);
/* 1 when the scan of digest is cached, else 0. */
int v1_cache_has(vigil_store *st, const char *digest);
/* 1 when name was posted on parent ("" or NULL: none) and its scan is
 * still cached: a new post of it has nothing to do. */
int v1_layer_current(vigil_store *st, const char *name, const char *parent);
/* Takes the lock of layer name (one fetch of it at a time, across the
 * threads and, with PostgreSQL, the nodes of the store), waiting at most
 * V1_LAYER_LOCK_MS: VIGIL_EUNAVAILABLE then. */
int v1_layer_lock(vigil_store *st, const char *name, vigil_store_lock **out);

/* A layer with its ancestry as an index report whose packages'
 * introduced_in is the v1 name of the layer that brought them. */
typedef struct v1_chain {
	vigil_index_report *report;
	char **names;   /* base first; names[n - 1] is the layer asked for */
	size_t n;
	char parent[V1_MAX_NAME + 1];
} v1_chain;

/* VIGIL_ENOTFOUND when name (or an ancestor) is unknown, or when the scan
 * of one of them is no longer cached (the message says which layer to post
 * again); the store's error otherwise. */
int v1_chain_load(vigil_store *st, const char *name, v1_chain *out);
void v1_chain_free(v1_chain *c);

#endif
