/* store/sqlite_priv.h: what the files of the SQLite backend share. */
#ifndef VIGIL_STORE_SQLITE_PRIV_H
#define VIGIL_STORE_SQLITE_PRIV_H

#include <pthread.h>
#include <sqlite3.h>

#include "store/store_priv.h"

struct sqlite_store {
	vigil_store base;
	sqlite3 *db;
	char path[4096];
	pthread_mutex_t lock_mu; /* sqlite_lock.c */
	int lockfd;              /* <path>-locks, opened on first use; -1 before */
};

/* The rows of match_row from affected rows of an operation (o) joined
 * with their record (v); the caller adds the WHERE. */
#define MATCH_ROW_SELECT \
	"SELECT a.namespace, a.package, a.rowid, o.feed, v.id, v.name, v.source, a.is_source, a.scheme, " \
	"a.state, a.fixed, a.module, a.arch, a.severity, a.vendor_severity FROM affected a " \
	"JOIN uo_vuln x ON x.vuln = a.vuln JOIN update_operation o ON o.id = x.op JOIN vuln v ON v.id = a.vuln "

/* How long a statement waits for another process's lock. */
#define SQLITE_BUSY_MS 30000

static inline sqlite3 *sqlite_db(vigil_store *s) { return ((struct sqlite_store *)s)->db; }

/* Sets VIGIL_ESTORE with SQLite's message and returns it. */
int sqlite_error(sqlite3 *db, const char *what);

/* The vulnerability operations (sqlite_vuln.c), for the ops table. */
int sqlite_vuln_begin(vigil_store *s, const char *feed, vigil_vuln_writer **w);
int sqlite_vuln_put(vigil_vuln_writer *w, const vigil_vuln *v, const char *hash,
		    const char *record, size_t len);
int sqlite_vuln_commit(vigil_vuln_writer *w, const char *fingerprint, vigil_db_op *op);
void sqlite_vuln_abort(vigil_vuln_writer *w);
int sqlite_feed_last_op(vigil_store *s, const char *feed, vigil_db_op *op);
int sqlite_feed_attempt(vigil_store *s, const char *feed, const char *error);
int sqlite_db_status(vigil_store *s, vigil_db_feed_status **out, size_t *n);
int sqlite_db_ops(vigil_store *s, const char *feed, vigil_db_op **out, size_t *n);
int sqlite_db_diff(vigil_store *s, const char *ref_a, const char *ref_b,
		   int (*fn)(void *, vigil_db_change, const char *, const char *, const char *),
		   void *ud);
int sqlite_db_gc(vigil_store *s, int keep, int64_t *ops_removed, int64_t *vulns_removed);
int sqlite_vuln_by_name(vigil_store *s, const char *name, const char *feed,
			int (*fn)(void *ud, const char *feed, const char *record, size_t len), void *ud);
int sqlite_namespace_count(vigil_store *s, const char *namespace, int64_t *count);
int sqlite_namespace_feeds(vigil_store *s, const char *namespace, const char *today,
			   vigil_store_nsfeed_fn fn, void *ud);
int sqlite_op_records(vigil_store *s, const char *ref,
		      int (*fn)(void *ud, const char *record, size_t len), void *ud);

/* The matcher's reader (sqlite_match.c). */
int sqlite_reader_open(vigil_store *s, vigil_vuln_reader **r);
int sqlite_reader_affected(vigil_vuln_reader *r, const char *namespace, const char *package,
			   int (*fn)(void *ud, const vigil_affected_row *row), void *ud);
int sqlite_reader_record(vigil_vuln_reader *r, int64_t vuln,
			 int (*fn)(void *ud, const char *record, size_t len), void *ud);
int sqlite_reader_detail(vigil_vuln_reader *r, int64_t vuln,
			 int (*fn)(void *ud, const vigil_vuln_detail *d), void *ud);
int sqlite_reader_named_detail(vigil_vuln_reader *r, const char *feed, const char *name,
			       int (*fn)(void *ud, const vigil_vuln_detail *d), void *ud);
void sqlite_reader_close(vigil_vuln_reader *r);

/* Clair v1 layers and listings (sqlite_v1.c). */
int sqlite_v1_layer_put(vigil_store *s, const char *name, const char *parent, const char *digest,
		    const char *source);
int sqlite_v1_layer_get(vigil_store *s, const char *name, char *parent, size_t parent_n, char *digest,
		    size_t digest_n, char *source, size_t source_n);
int sqlite_v1_layer_delete(vigil_store *s, const char *name, int64_t *removed);
int sqlite_v1_namespaces(vigil_store *s, int (*fn)(void *ud, const char *ns, const char *scheme), void *ud);
int sqlite_v1_ns_vulns(vigil_store *s, const char *ns, const char *after, size_t limit,
		       int (*fn)(void *ud, const char *name, int64_t vuln, int severity), void *ud);

/* The server's v4 index reports (sqlite_report.c). */
int sqlite_report_get(vigil_store *s, const char *manifest, vigil_stored_report *out);
int sqlite_report_put(vigil_store *s, const char *manifest, const vigil_stored_report *r);
int sqlite_report_delete(vigil_store *s, const char *manifest, int *deleted);

/* Locks across the processes that share the file (sqlite_lock.c). */
int sqlite_xlock_try(vigil_store *s, const char *key);
void sqlite_xlock_release(vigil_store *s, const char *key);
void sqlite_lock_close(struct sqlite_store *s);

/* Notifications (sqlite_notify.c, store_notify.h). */
int sqlite_notify_manifests(vigil_store *s, int (*fn)(void *ud, const char *manifest), void *ud);
int sqlite_notify_base_get(vigil_store *s, const char *manifest, int *known,
			   int (*fn)(void *ud, const char *vkey, const char *summary), void *ud);
int sqlite_notify_base_put(vigil_store *s, const store_notify_base *b, int only_new);
int sqlite_notify_commit(vigil_store *s, const store_notify_commit *c);
int sqlite_notify_state_get(vigil_store *s, const char *key, char *out, size_t n);
int sqlite_notify_page(vigil_store *s, const char *id, const char *after, size_t limit, int *found,
		       int (*fn)(void *ud, const store_notify_entry *e), void *ud);
int sqlite_notify_info(vigil_store *s, const char *id, store_notify_info *out);
int sqlite_notify_remove(vigil_store *s, const char *id, int *deleted);
int sqlite_notify_claim(vigil_store *s, const char *node, int64_t now, int64_t lease_s,
			char id[STORE_NOTIFY_ID_MAX], int *got);
int sqlite_notify_release(vigil_store *s, const char *id, const char *node, int ok, int64_t now,
			  int64_t next_attempt, const char *error);
int sqlite_notify_expire(vigil_store *s, int64_t before, int64_t *removed);

/* Fetch validators (sqlite_fetch.c). */
int sqlite_fetch_get(vigil_store *s, const char *url, char *etag, size_t etag_n,
		     char *last_modified, size_t lm_n);
int sqlite_fetch_put(vigil_store *s, const char *url, const char *etag, const char *last_modified);

#endif
