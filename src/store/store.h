/* store/store.h: the store's backend interface: SQLite (store/sqlite*.c,
 * one process or several on one machine) and PostgreSQL (store/pg*.c, a
 * fleet of nodes) behind the same operations, and the named locks that
 * make a layer or manifest indexed once. All operations may be called from
 * several threads at once. */
#ifndef VIGIL_STORE_STORE_H
#define VIGIL_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/db.h"
#include "vigil/store.h"
#include "vigil/vuln.h"

/* Writes one feed's update operation in one transaction (see vigil/db.h). */
typedef struct vigil_vuln_writer vigil_vuln_writer;

/* Reads the current data (the newest operation of each feed, fixed when the
 * reader opens) for the matcher, with statements prepared once. */
typedef struct vigil_vuln_reader vigil_vuln_reader;

/* Links or aliases of one record, joined, in the detail row. */
#define VIGIL_STORE_MAX_JOINED ((size_t)1024 * 1024)

/* What a finding shows of a record (the vuln_detail row); lists are joined
 * with '\n'; scores < 0 when unknown. */
typedef struct vigil_vuln_detail {
	const char *summary, *description, *links, *aliases, *published, *vendor_severity;
	double cvss3_score, cvss2_score;
	const char *cvss3_vector, *cvss2_vector;
} vigil_vuln_detail;

/* One affected row as the matcher sees it; strings live until the callback returns. */
typedef struct vigil_affected_row {
	const char *feed;       /* the feed of the operation holding the record */
	int64_t vuln;           /* the record's key, for reader_record */
	const char *id;         /* the record's id: "CVE-2021-3711" */
	const char *source;     /* the record's source: "ubuntu" */
	const char *package;
	int is_source;
	const char *scheme;     /* NULL when the feed gave none */
	int state;              /* vigil_vuln_state */
	const char *fixed;
	const char *module;
	const char *arch;
	int severity;           /* per-package, else the record's (vigil_severity) */
	const char *vendor_severity; /* per-package vendor word, NULL when none */
} vigil_affected_row;

/* The server's record of an indexed Clair Manifest. */
typedef struct vigil_stored_report {
	char *report;          /* the IndexReport JSON (malloc'd by report_get) */
	size_t report_len;
	char *manifest;        /* the Manifest JSON it was made from (to match again) */
	size_t manifest_len;
	char state[80];        /* the indexer state it was made under */
} vigil_stored_report;
/* Frees the members (not r). */
void vigil_stored_report_free(vigil_stored_report *r);

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
	/* 1 when namespace has an affected row in the newest operation of some feed, else 0. */
	int (*namespace_count)(vigil_store *s, const char *namespace, int64_t *count);
	/* Every record (canonical JSON) of an operation, ordered by id. */
	int (*op_records)(vigil_store *s, const char *ref,
			  int (*fn)(void *ud, const char *record, size_t len), void *ud);

	/* ---- matching (store/sqlite_match.c) ---- */
	int (*reader_open)(vigil_store *s, vigil_vuln_reader **r);
	/* Affected rows of (namespace, package) in the current data. */
	int (*reader_affected)(vigil_vuln_reader *r, const char *namespace, const char *package,
			       int (*fn)(void *ud, const vigil_affected_row *row), void *ud);
	/* The canonical JSON of the record keyed vuln. */
	int (*reader_record)(vigil_vuln_reader *r, int64_t vuln,
			     int (*fn)(void *ud, const char *record, size_t len), void *ud);
	/* The detail row of the record keyed vuln: VIGIL_ENOTFOUND when it has
	 * none (written before schema 4: decode the record instead). */
	int (*reader_detail)(vigil_vuln_reader *r, int64_t vuln,
			     int (*fn)(void *ud, const vigil_vuln_detail *d), void *ud);
	/* The detail of the current record of feed named name (NVD's record of
	 * a CVE); VIGIL_ENOTFOUND when there is none. */
	int (*reader_named_detail)(vigil_vuln_reader *r, const char *feed, const char *name,
				   int (*fn)(void *ud, const vigil_vuln_detail *d), void *ud);
	void (*reader_close)(vigil_vuln_reader *r); /* NULL is fine */

	/* ---- fetch validators (store/sqlite_fetch.c) ---- */
	/* The ETag and Last-Modified last stored for url ("" when the server
	 * gave none); VIGIL_ENOTFOUND when url has no entry. */
	int (*fetch_get)(vigil_store *s, const char *url, char *etag, size_t etag_n,
			 char *last_modified, size_t lm_n);
	/* Stores them for url (NULL or "": none), replacing what was there. */
	int (*fetch_put)(vigil_store *s, const char *url, const char *etag, const char *last_modified);

	/* ---- Clair v1 layers and listings (store/sqlite_v1.c) ---- */
	/* Records (or replaces) the v1 layer name: parent ("" or NULL: none),
	 * digest of its bytes (its scan is cached under that digest), source
	 * what it was made from (the sha256 of its Path). VIGIL_EINVAL, and
	 * nothing written, when parent is name or descends from it (a cycle). */
	int (*v1_layer_put)(vigil_store *s, const char *name, const char *parent, const char *digest,
			    const char *source);
	/* VIGIL_ENOTFOUND when name is unknown; parent and source "" when none. */
	int (*v1_layer_get)(vigil_store *s, const char *name, char *parent, size_t parent_n, char *digest,
			    size_t digest_n, char *source, size_t source_n);
	/* Removes name and every layer below it (its children, theirs ...);
	 * *removed gets the count (0: name was unknown). */
	int (*v1_layer_delete)(vigil_store *s, const char *name, int64_t *removed);
	/* The namespaces of the current data, with a version scheme of each. */
	int (*v1_namespaces)(vigil_store *s, int (*fn)(void *ud, const char *ns, const char *scheme), void *ud);
	/* Vulnerability names of namespace ns after after ("" = from the start),
	 * in name order, at most limit: fn(ud, name, a record key, severity). */
	int (*v1_ns_vulns)(vigil_store *s, const char *ns, const char *after, size_t limit,
			   int (*fn)(void *ud, const char *name, int64_t vuln, int severity), void *ud);

	/* ---- the server's v4 index reports (store/sqlite_report.c) ---- */
	/* What is stored for a manifest hash; VIGIL_ENOTFOUND when nothing. */
	int (*report_get)(vigil_store *s, const char *manifest, vigil_stored_report *out);
	/* Stores (or replaces) it. */
	int (*report_put)(vigil_store *s, const char *manifest, const vigil_stored_report *r);
	/* Deletes it; *deleted is 1 when there was one. */
	int (*report_delete)(vigil_store *s, const char *manifest, int *deleted);

	/* ---- locks across nodes (NULL in a backend only one process serves:
	 * the in-process part in store.c is then the whole lock) ---- */
	/* 1 when this node now holds key, 0 when another node holds it, < 0
	 * on error. Held until xlock_release or the end of the node's database
	 * session (a killed node leaves no lock behind). */
	int (*xlock_try)(vigil_store *s, const char *key);
	void (*xlock_release)(vigil_store *s, const char *key);
	/* The schema version the store is at (after the migrations of open). */
	int (*schema_version)(vigil_store *s, int *version);
};

struct store_locks;

struct vigil_store {
	const struct vigil_store_ops *ops;
	char describe[4200];
	struct store_locks *locks; /* store.c: the keys held in this process */
};

/* ---- named locks (store.c): one holder at a time across the threads of
 * this process and, with PostgreSQL, across every node of the database.
 * Keys: "layer:<digest>" (a layer is read once), "manifest:<hash>" (a
 * manifest is indexed once), "feed:<name>" (one node updates a feed). ---- */
#define VIGIL_STORE_MAX_LOCK_KEY 256
typedef struct vigil_store_lock vigil_store_lock;
/* Takes key, waiting at most timeout_ms (< 0: without end) while another
 * holds it: VIGIL_EUNAVAILABLE when the time is up. */
int vigil_store_lock_take(vigil_store *s, const char *key, int timeout_ms, vigil_store_lock **out);
/* Takes key when it is free: 1 and *out, or 0 when another holds it. */
int vigil_store_lock_try(vigil_store *s, const char *key, vigil_store_lock **out);
void vigil_store_lock_release(vigil_store_lock *l); /* NULL is fine */
/* The in-process table (store_lock.c), made and freed by open and close. */
struct store_locks *store_locks_new(void);
void store_locks_free(struct store_locks *l);

int vigil_store_layer_get(vigil_store *s, const char *digest, const char *scanners, char **blob,
			  size_t *len);
int vigil_store_layer_put(vigil_store *s, const char *digest, const char *scanners,
			  const char *blob, size_t len);

int vigil_sqlite_store_open(const char *path, vigil_store **out);
/* store/pg.c: conninfo is a postgres:// or postgresql:// URI or a
 * "host=... dbname=..." string. */
int vigil_pg_store_open(const char *conninfo, vigil_store **out);
/* 1 when location names a PostgreSQL database rather than an SQLite file. */
int vigil_store_is_pg(const char *location);
/* What a committed operation reports (vuln_commit's *op), made now. */
void vigil_store_op_set(vigil_db_op *op, const char *ref, const char *feed, const char *fingerprint,
			int64_t vulns, int64_t affected);
/* A new update operation's ref: a random (version 4) UUID, 36 chars + NUL. */
int vigil_store_new_ref(char out[40]);
/* The schema version (vigil db migrate). */
int vigil_store_schema_version(vigil_store *s, int *version);

/* The v1 operations for any backend (VIGIL_EUNSUPPORTED when it has none):
 * declared for the store's clients in include/vigil/store_v1.h. */
#include "vigil/store_v1.h"

/* The v4 index report operations for any backend (store/sqlite_report.c;
 * VIGIL_EUNSUPPORTED when it has none). */
int vigil_store_report_get(vigil_store *s, const char *manifest, vigil_stored_report *out);
int vigil_store_report_put(vigil_store *s, const char *manifest, const vigil_stored_report *r);
int vigil_store_report_delete(vigil_store *s, const char *manifest, int *deleted);

#endif
