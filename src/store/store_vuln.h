/* store/store_vuln.h: the vulnerability data, the store's part that db/
 * writes and reads back (import, bundles, update, status, lookups) and
 * match/ reads (the matcher's reader; the server's Clair v1 listings show
 * details through it too). An update operation of a feed is written in one
 * transaction by a writer; the matcher reads the current data (the newest
 * operation of each feed, fixed when its reader opens) with statements
 * prepared once.
 *
 * A backend implements struct store_vuln_ops (store/sqlite_vuln.c and
 * sqlite_match.c, store/pg_vuln.c and pg_match.c) and the store points at
 * it (store/store_priv.h); callers go through the wrappers below
 * (store/store_vuln.c), never through the ops. A backend's writer and
 * reader begin with the vigil_store * they were opened on: the wrappers
 * that take only w or r find the ops through it. */
#ifndef VIGIL_STORE_STORE_VULN_H
#define VIGIL_STORE_STORE_VULN_H

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

/* The callbacks: a record's canonical JSON; a record by name with its
 * feed; a change of vigil_db_diff (vigil/db.h); an affected row; a detail. */
typedef int (*vigil_store_record_fn)(void *ud, const char *record, size_t len);
typedef int (*vigil_store_named_fn)(void *ud, const char *feed, const char *record, size_t len);
typedef int (*vigil_store_change_fn)(void *ud, vigil_db_change c, const char *source, const char *id,
				     const char *hash);
typedef int (*vigil_store_row_fn)(void *ud, const vigil_affected_row *row);
typedef int (*vigil_store_detail_fn)(void *ud, const vigil_vuln_detail *d);

/* One feed's part of a namespace in the current data (namespace_feeds):
 * its affected rows there, the newest date ("YYYY-MM-DD", the first ten
 * characters of a record's published date, none after `today`) a record of
 * those rows carries and that record's id; both NULL when no record has a
 * date. */
typedef struct vigil_ns_feed {
	const char *feed;
	int64_t rows;
	const char *newest;
	const char *newest_id;
} vigil_ns_feed;
typedef int (*vigil_store_nsfeed_fn)(void *ud, const vigil_ns_feed *f);

struct store_vuln_ops {
	/* ---- writing (db/) ---- */
	/* Starts the operation of a feed (a transaction: nothing is visible
	 * before commit, and abort leaves the feed as it was). */
	int (*vuln_begin)(vigil_store *s, const char *feed, vigil_vuln_writer **w);
	/* Adds one record: v for its affected rows, record its canonical JSON,
	 * hash the sha256 of record (records are shared by hash). */
	int (*vuln_put)(vigil_vuln_writer *w, const vigil_vuln *v, const char *hash,
			const char *record, size_t len);
	/* Ends the operation; *op gets what was written. Frees w. */
	int (*vuln_commit)(vigil_vuln_writer *w, const char *fingerprint, vigil_db_op *op);
	void (*vuln_abort)(vigil_vuln_writer *w); /* frees w */
	/* Notes a run of a feed: error NULL = it succeeded. */
	int (*feed_attempt)(vigil_store *s, const char *feed, const char *error);
	int (*db_gc)(vigil_store *s, int keep, int64_t *ops_removed, int64_t *vulns_removed);

	/* ---- reading back (db/) ---- */
	/* The newest operation of a feed: VIGIL_ENOTFOUND when none. */
	int (*feed_last_op)(vigil_store *s, const char *feed, vigil_db_op *op);
	int (*db_status)(vigil_store *s, vigil_db_feed_status **out, size_t *n);
	int (*db_ops)(vigil_store *s, const char *feed, vigil_db_op **out, size_t *n);
	int (*db_diff)(vigil_store *s, const char *ref_a, const char *ref_b, vigil_store_change_fn fn,
		       void *ud);
	/* Records named name in the newest operation of each feed (feed NULL:
	 * every feed). */
	int (*vuln_by_name)(vigil_store *s, const char *name, const char *feed, vigil_store_named_fn fn,
			    void *ud);
	/* 1 when namespace has an affected row in the newest operation of some feed, else 0. */
	int (*namespace_count)(vigil_store *s, const char *namespace, int64_t *count);
	/* Calls fn for every feed with rows in namespace, by feed name. */
	int (*namespace_feeds)(vigil_store *s, const char *namespace, const char *today,
			       vigil_store_nsfeed_fn fn, void *ud);
	/* Every record (canonical JSON) of an operation, ordered by id. */
	int (*op_records)(vigil_store *s, const char *ref, vigil_store_record_fn fn, void *ud);

	/* ---- the matcher's reader (match/) ---- */
	int (*reader_open)(vigil_store *s, vigil_vuln_reader **r);
	/* Affected rows of (namespace, package) in the current data. */
	int (*reader_affected)(vigil_vuln_reader *r, const char *namespace, const char *package,
			       vigil_store_row_fn fn, void *ud);
	/* The canonical JSON of the record keyed vuln. */
	int (*reader_record)(vigil_vuln_reader *r, int64_t vuln, vigil_store_record_fn fn, void *ud);
	/* The detail row of the record keyed vuln: VIGIL_ENOTFOUND when it has
	 * none (written before schema 4: decode the record instead). */
	int (*reader_detail)(vigil_vuln_reader *r, int64_t vuln, vigil_store_detail_fn fn, void *ud);
	/* The detail of the current record of feed named name (NVD's record of
	 * a CVE); VIGIL_ENOTFOUND when there is none. */
	int (*reader_named_detail)(vigil_vuln_reader *r, const char *feed, const char *name,
				   vigil_store_detail_fn fn, void *ud);
	void (*reader_close)(vigil_vuln_reader *r);
};

/* ---- the wrappers, one per operation above (same contracts); those
 * taking s give VIGIL_EUNSUPPORTED when the store keeps no vulnerability
 * data. ---- */
int store_vuln_begin(vigil_store *s, const char *feed, vigil_vuln_writer **w);
int store_vuln_put(vigil_vuln_writer *w, const vigil_vuln *v, const char *hash, const char *record,
			 size_t len);
int store_vuln_commit(vigil_vuln_writer *w, const char *fingerprint, vigil_db_op *op);
void store_vuln_abort(vigil_vuln_writer *w); /* NULL is fine */
int store_feed_attempt(vigil_store *s, const char *feed, const char *error);
int store_db_gc(vigil_store *s, int keep, int64_t *ops_removed, int64_t *vulns_removed);

int store_feed_last_op(vigil_store *s, const char *feed, vigil_db_op *op);
int store_db_status(vigil_store *s, vigil_db_feed_status **out, size_t *n);
int store_db_ops(vigil_store *s, const char *feed, vigil_db_op **out, size_t *n);
int store_db_diff(vigil_store *s, const char *ref_a, const char *ref_b, vigil_store_change_fn fn,
			void *ud);
int store_vuln_by_name(vigil_store *s, const char *name, const char *feed, vigil_store_named_fn fn,
			     void *ud);
int store_namespace_count(vigil_store *s, const char *namespace, int64_t *count);
int store_namespace_feeds(vigil_store *s, const char *namespace, const char *today,
			  vigil_store_nsfeed_fn fn, void *ud);
int store_op_records(vigil_store *s, const char *ref, vigil_store_record_fn fn, void *ud);

/* *r is NULL on failure. */
int store_reader_open(vigil_store *s, vigil_vuln_reader **r);
int store_reader_affected(vigil_vuln_reader *r, const char *namespace, const char *package,
				vigil_store_row_fn fn, void *ud);
int store_reader_record(vigil_vuln_reader *r, int64_t vuln, vigil_store_record_fn fn, void *ud);
int store_reader_detail(vigil_vuln_reader *r, int64_t vuln, vigil_store_detail_fn fn, void *ud);
int store_reader_named_detail(vigil_vuln_reader *r, const char *feed, const char *name,
				    vigil_store_detail_fn fn, void *ud);
void store_reader_close(vigil_vuln_reader *r); /* NULL is fine */

#endif
