/* store/store_fetch.h: the fetch validators, the store's part that
 * `vigil db update` (db/update.c, db/update_feed.c) uses: per URL, the
 * ETag and Last-Modified the server gave with the body that was last
 * imported, sent back as If-None-Match and If-Modified-Since so that an
 * unchanged feed costs one 304 per URL.
 *
 * A backend implements struct store_fetch_ops (store/sqlite_fetch.c,
 * store/pg.c) and the store points at it (store/store_priv.h); callers go
 * through the wrappers below (store/store_fetch.c), never through the ops. */
#ifndef VIGIL_STORE_STORE_FETCH_H
#define VIGIL_STORE_STORE_FETCH_H

#include <stddef.h>

#include "vigil/store.h"

struct store_fetch_ops {
	/* The ETag and Last-Modified last stored for url ("" when the server
	 * gave none); VIGIL_ENOTFOUND when url has no entry. */
	int (*fetch_get)(vigil_store *s, const char *url, char *etag, size_t etag_n,
			 char *last_modified, size_t lm_n);
	/* Stores them for url (NULL or "": none), replacing what was there. */
	int (*fetch_put)(vigil_store *s, const char *url, const char *etag, const char *last_modified);
};

/* The wrappers: VIGIL_EUNSUPPORTED when the store keeps no validators. */
int store_fetch_get(vigil_store *s, const char *url, char *etag, size_t etag_n,
			  char *last_modified, size_t lm_n);
int store_fetch_put(vigil_store *s, const char *url, const char *etag, const char *last_modified);

#endif
