/* store/pg_priv.h: what the files of the PostgreSQL backend share.
 *
 *   pg.c        open (migrations from pg_schema.c), close, schema_version,
 *               layer scans, cache, fetch validators; the ops table of
 *               each part of the store (store_priv.h) it points at
 *   pg_conn.c   conninfo, the pool, describe, errors, query helpers
 *   pg_lock.c   xlock_try/xlock_release: session advisory locks on one
 *               connection of the node kept for them (a killed node's
 *               session ends and its locks with it)
 *   pg_v1.c     Clair v1 layers and listings
 *   pg_report.c the server's v4 index reports
 *   pg_notify.c notifications (baselines, sets, entries, delivery claims)
 *   pg_vuln.c   update operations (COPY into the tables), status, ops,
 *               diff, gc
 *   pg_match.c  the matcher's reader (one REPEATABLE READ transaction on a
 *               connection of the pool, held until reader_close), records
 *               by name, the records of an operation, namespace counts
 *
 * The schema (pg_schema.c) has the tables and columns of the SQLite
 * schema under the same names, so the two backends read alike.
 *
 * Connections: a pool per store of at most PG_POOL_SIZE (or the
 * conninfo's pool_size, or $VIGIL_PG_POOL). A caller that finds every
 * connection busy waits up to PG_POOL_WAIT_MS and then gets
 * VIGIL_EUNAVAILABLE (the server answers 503): requests queue, the
 * database is not flooded. A connection found broken (the server
 * restarted) is reset on its next use; while the server is down every
 * operation fails with VIGIL_EUNAVAILABLE and a message naming the
 * database. */
#ifndef VIGIL_STORE_PG_PRIV_H
#define VIGIL_STORE_PG_PRIV_H

#include <libpq-fe.h>
#include <pthread.h>

#include "store/store_priv.h"

#define PG_POOL_SIZE      8      /* connections per node, default */
#define PG_POOL_MAX       64     /* the most a conninfo may ask for */
#define PG_POOL_WAIT_MS   10000  /* how long a caller queues for a connection */
#define PG_CONNECT_TIMEOUT_S 5   /* connect_timeout of every connection */
#define PG_MAX_CONNINFO   2048

struct pg_store {
	vigil_store base;
	char conninfo[PG_MAX_CONNINFO]; /* what libpq is given (pool_size removed) */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	PGconn *idle[PG_POOL_MAX];
	size_t nidle, nopen, max;
	/* pg_lock.c: the session that holds this node's advisory locks */
	pthread_mutex_t lock_mu;
	PGconn *lockconn;
};

static inline struct pg_store *pg_store_of(vigil_store *s) { return (struct pg_store *)s; }

/* The schema's migrations (pg_schema.c): pg_migrations[i] brings version
 * i to i + 1; applied in one transaction under an advisory lock, so nodes
 * starting together migrate once. */
extern const char *const pg_migrations[];
extern const int pg_nmigrations;

/* A connection of the pool, waiting up to PG_POOL_WAIT_MS for one:
 * VIGIL_EUNAVAILABLE when none comes or the server cannot be reached. */
int pg_conn_get(vigil_store *s, PGconn **out);
/* Gives it back; a broken one, or one left inside a transaction, is
 * closed (rolled back) instead of pooled. NULL is fine. */
void pg_conn_put(vigil_store *s, PGconn *c);

/* Sets the error of a failed call and returns it: VIGIL_EUNAVAILABLE when
 * the connection is gone (CONNECTION_BAD, or SQLSTATE class 08 / 57P0x),
 * else VIGIL_ESTORE, with "postgres: <what>: <server message>". res may be
 * NULL. */
int pg_error(PGconn *c, const PGresult *res, const char *what);
/* One statement without parameters that returns no rows. */
int pg_exec(PGconn *c, const char *sql);
/* PQexecParams with text parameters (NULL = SQL NULL); *out is a
 * PGRES_TUPLES_OK or PGRES_COMMAND_OK result the caller PQclear()s. */
int pg_query(PGconn *c, const char *what, const char *sql, int nparams, const char *const *params,
	     PGresult **out);
/* The same with lengths and formats (binary parameters: bytea). */
int pg_query_bin(PGconn *c, const char *what, const char *sql, int nparams, const char *const *params,
		 const int *lengths, const int *formats, PGresult **out);

/* pg_lock.c */
int pg_xlock_try(vigil_store *s, const char *key);
void pg_xlock_release(vigil_store *s, const char *key);
void pg_lock_close(struct pg_store *p);

/* pg_vuln.c */
int pg_vuln_begin(vigil_store *s, const char *feed, vigil_vuln_writer **w);
int pg_vuln_put(vigil_vuln_writer *w, const vigil_vuln *v, const char *hash, const char *record, size_t len);
int pg_vuln_commit(vigil_vuln_writer *w, const char *fingerprint, vigil_db_op *op);
void pg_vuln_abort(vigil_vuln_writer *w);
int pg_feed_last_op(vigil_store *s, const char *feed, vigil_db_op *op);
int pg_feed_attempt(vigil_store *s, const char *feed, const char *error);
int pg_db_status(vigil_store *s, vigil_db_feed_status **out, size_t *n);
int pg_db_ops(vigil_store *s, const char *feed, vigil_db_op **out, size_t *n);
int pg_db_diff(vigil_store *s, const char *ref_a, const char *ref_b,
	       int (*fn)(void *, vigil_db_change, const char *, const char *, const char *), void *ud);
int pg_db_gc(vigil_store *s, int keep, int64_t *ops_removed, int64_t *vulns_removed);
int pg_vuln_by_name(vigil_store *s, const char *name, const char *feed,
		    int (*fn)(void *ud, const char *feed, const char *record, size_t len), void *ud);
int pg_namespace_count(vigil_store *s, const char *namespace, int64_t *count);
int pg_namespace_feeds(vigil_store *s, const char *namespace, const char *today, vigil_store_nsfeed_fn fn,
		       void *ud);
int pg_op_records(vigil_store *s, const char *ref, int (*fn)(void *ud, const char *record, size_t len),
		  void *ud);

/* pg_match.c */
int pg_reader_open(vigil_store *s, vigil_vuln_reader **r);
int pg_reader_affected(vigil_vuln_reader *r, const char *namespace, const char *package,
		       int (*fn)(void *ud, const vigil_affected_row *row), void *ud);
int pg_reader_record(vigil_vuln_reader *r, int64_t vuln, int (*fn)(void *ud, const char *record, size_t len),
		     void *ud);
int pg_reader_detail(vigil_vuln_reader *r, int64_t vuln, int (*fn)(void *ud, const vigil_vuln_detail *d),
		     void *ud);
int pg_reader_named_detail(vigil_vuln_reader *r, const char *feed, const char *name,
			   int (*fn)(void *ud, const vigil_vuln_detail *d), void *ud);
void pg_reader_close(vigil_vuln_reader *r);

/* pg_v1.c */
int pg_v1_layer_put(vigil_store *s, const char *name, const char *parent, const char *digest,
		const char *source);
int pg_v1_layer_get(vigil_store *s, const char *name, char *parent, size_t parent_n, char *digest,
		size_t digest_n, char *source, size_t source_n);
int pg_v1_layer_delete(vigil_store *s, const char *name, int64_t *removed);
int pg_v1_namespaces(vigil_store *s, int (*fn)(void *ud, const char *ns, const char *scheme), void *ud);
int pg_v1_ns_vulns(vigil_store *s, const char *ns, const char *after, size_t limit,
		   int (*fn)(void *ud, const char *name, int64_t vuln, int severity), void *ud);

/* pg_report.c */
int pg_report_get(vigil_store *s, const char *manifest, vigil_stored_report *out);
int pg_report_put(vigil_store *s, const char *manifest, const vigil_stored_report *r);
int pg_report_delete(vigil_store *s, const char *manifest, int *deleted);

/* pg_notify.c (store_notify.h) */
int pg_notify_manifests(vigil_store *s, int (*fn)(void *ud, const char *manifest), void *ud);
int pg_notify_base_get(vigil_store *s, const char *manifest, int *known,
		       int (*fn)(void *ud, const char *vkey, const char *summary), void *ud);
int pg_notify_base_put(vigil_store *s, const store_notify_base *b, int only_new);
int pg_notify_commit(vigil_store *s, const store_notify_commit *c);
int pg_notify_state_get(vigil_store *s, const char *key, char *out, size_t n);
int pg_notify_page(vigil_store *s, const char *id, const char *after, size_t limit, int *found,
		   int (*fn)(void *ud, const store_notify_entry *e), void *ud);
int pg_notify_info(vigil_store *s, const char *id, store_notify_info *out);
int pg_notify_remove(vigil_store *s, const char *id, int *deleted);
int pg_notify_claim(vigil_store *s, const char *node, int64_t now, int64_t lease_s,
		    char id[STORE_NOTIFY_ID_MAX], int *got);
int pg_notify_release(vigil_store *s, const char *id, const char *node, int ok, int64_t now,
		      int64_t next_attempt, const char *error);
int pg_notify_expire(vigil_store *s, int64_t before, int64_t *removed);

/* ---- more of pg.c (added with the backend; the above is unchanged) ---- */
/* pg_query_bin with the results' format too (1: binary, for bytea). */
int pg_query_fmt(PGconn *c, const char *what, const char *sql, int nparams, const char *const *params,
		 const int *lengths, const int *formats, int result_format, PGresult **out);
/* Ends the transaction begun on c: COMMIT when rc is 0 (its error if that
 * fails), else ROLLBACK and rc. */
int pg_tx_end(PGconn *c, int rc);
/* One statement on a connection of the pool, given back before return;
 * *res (NULL: not wanted) is the caller's to PQclear(). */
int pg_run(vigil_store *s, const char *what, const char *sql, int nparams, const char *const *params,
	   const int *lengths, const int *formats, int result_format, PGresult **res);
/* The row count of an INSERT/UPDATE/DELETE result. */
int64_t pg_cmd_tuples(PGresult *res);
/* A malloc'd, NUL-terminated copy of a value (*len its length; may be NULL). */
int pg_copy_value(const PGresult *res, int row, int col, char **out, size_t *len);
/* A new connection outside the pool (pg_lock.c's session): NULL and the
 * error set when the server cannot be reached. */
PGconn *pg_connect(vigil_store *s);
/* 1 when c is usable: connected, not ended by the server, idle. */
int pg_conn_alive(PGconn *c);
/* open: p->conninfo (pool_size removed; connect_timeout and
 * fallback_application_name added when absent), p->max and a first
 * describe; *password is 1 when the string holds one. */
int pg_parse_conninfo(struct pg_store *p, const char *in, int *password);
/* p->base.describe: postgres://user[:***]@host:port/dbname. */
void pg_set_describe(struct pg_store *p, const char *user, int password, const char *host, const char *port,
		     const char *db);

#endif
