/* store/store.h: the store's backend interface. One backend now (SQLite,
 * store/sqlite.c); PostgreSQL joins behind the same operations later. All
 * operations may be called from several threads at once. */
#ifndef VIGIL_STORE_STORE_H
#define VIGIL_STORE_STORE_H

#include <stddef.h>

#include "vigil/db.h"
#include "vigil/store.h"
#include "vigil/vuln.h"

/* Writes one feed's update operation in one transaction (see vigil/db.h). */
typedef struct vigil_vuln_writer vigil_vuln_writer;

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

	/* ---- vulnerability data (store/sqlite_vuln.c) ---- */
	/* Starts the operation of a feed (a transaction: nothing is visible
	 * before commit, and abort leaves the feed as it was). */
	int (*vuln_begin)(vigil_store *s, const char *feed, vigil_vuln_writer **w);
	/* Adds one record: v for its affected rows, record its canonical JSON,
	 * hash the sha256 of record (records are shared by hash). */
	int (*vuln_put)(vigil_vuln_writer *w, const vigil_vuln *v, const char *hash,
			const char *record, size_t len);
	/* Ends the operation; *op gets what was written. Frees w. */
	int (*vuln_commit)(vigil_vuln_writer *w, const char *fingerprint, vigil_db_op *op);
	void (*vuln_abort)(vigil_vuln_writer *w); /* frees w; NULL is fine */
	/* The newest operation of a feed: VIGIL_ENOTFOUND when none. */
	int (*feed_last_op)(vigil_store *s, const char *feed, vigil_db_op *op);
	/* Notes a run of a feed: error NULL = it succeeded. */
	int (*feed_attempt)(vigil_store *s, const char *feed, const char *error);
	int (*db_status)(vigil_store *s, vigil_db_feed_status **out, size_t *n);
	int (*db_ops)(vigil_store *s, const char *feed, vigil_db_op **out, size_t *n);
	int (*db_diff)(vigil_store *s, const char *ref_a, const char *ref_b,
		       int (*fn)(void *, vigil_db_change, const char *, const char *, const char *),
		       void *ud);
	int (*db_gc)(vigil_store *s, int keep, int64_t *ops_removed, int64_t *vulns_removed);
	/* Records named name in the newest operation of each feed (feed NULL:
	 * every feed), fn(ud, feed, record JSON, length). */
	int (*vuln_by_name)(vigil_store *s, const char *name, const char *feed,
			    int (*fn)(void *ud, const char *feed, const char *record, size_t len), void *ud);
	/* Affected rows of namespace in the newest operation of every feed. */
	int (*namespace_count)(vigil_store *s, const char *namespace, int64_t *count);
	/* Every record (canonical JSON) of an operation, ordered by id. */
	int (*op_records)(vigil_store *s, const char *ref,
			  int (*fn)(void *ud, const char *record, size_t len), void *ud);

	/* ---- fetch validators (store/sqlite_fetch.c) ---- */
	/* The ETag and Last-Modified last stored for url ("" when the server
	 * gave none); VIGIL_ENOTFOUND when url has no entry. */
	int (*fetch_get)(vigil_store *s, const char *url, char *etag, size_t etag_n,
			 char *last_modified, size_t lm_n);
	/* Stores them for url (NULL or "": none), replacing what was there. */
	int (*fetch_put)(vigil_store *s, const char *url, const char *etag, const char *last_modified);
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
