/* vigil/db.h: the vulnerability database: feeds imported into the store as
 * update operations.
 *
 * Every run of a feed (one import or update of, say, the Debian tracker) is
 * an update operation with its own ref, time and fingerprint of the input.
 * Vulnerability records are content-addressed: an unchanged record is
 * stored once and shared by the operations that saw it, so the store can say
 * what changed between two operations, and old operations are dropped after
 * a retention count without losing what the newer ones hold. A feed is
 * written in one transaction: a failure leaves its previous data untouched. */
#ifndef VIGIL_DB_H
#define VIGIL_DB_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/common.h"
#include "vigil/store.h"
#include "vigil/vuln.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Operations kept per feed by vigil_db_gc() when the caller says 0. */
#define VIGIL_DB_DEFAULT_RETENTION 10

typedef struct vigil_db_op {
	char ref[40];           /* uuid-like, unique across the store */
	char feed[32];          /* "debian", "ubuntu", "alpine", "redhat-oval", "osv", "nvd" ... */
	char fingerprint[72];   /* "sha256:..." of the input */
	int64_t created;        /* unix time */
	int64_t vulns;          /* records in this operation */
	int64_t affected;       /* affected entries in them */
} vigil_db_op;

typedef struct vigil_db_feed_status {
	char feed[32];
	int has_data;           /* an operation exists */
	vigil_db_op last;       /* the newest operation (when has_data) */
	int64_t last_attempt;   /* unix time of the last run, successful or not (0: never) */
	char last_error[512];   /* "" when the last run succeeded */
} vigil_db_feed_status;

typedef void (*vigil_db_message_fn)(void *ud, const char *msg);

typedef struct vigil_db_import_options {
	vigil_db_message_fn progress; /* "ubuntu: 6509 files, 6509 vulnerabilities" (may be NULL) */
	vigil_db_message_fn warn;     /* per-record problems that were skipped (may be NULL) */
	void *ud;
	int force;                    /* write a new operation even when the fingerprint is unchanged */
	/* a file of a per-file feed that failed and was left out, the rest of
	 * its feed imported: "PATH: FORMAT: why" (may be NULL: then warn) */
	vigil_db_message_fn refused;
} vigil_db_import_options;

typedef struct vigil_db_import_result {
	char feed[32];
	int unchanged;          /* same fingerprint as the last operation: nothing written */
	int failed;             /* this feed failed: error holds why, its old data is untouched */
	char error[1024];
	vigil_db_op op;         /* the new operation (when neither unchanged nor failed) */
	int64_t files;
	int64_t warnings;
	int64_t refused;        /* files of this feed left out (opt->refused named each) */
} vigil_db_import_result;

/* Imports files and folders (walked recursively), detecting each file's
 * format; files of no known format are counted and skipped. Feeds are
 * written one transaction each; *results (malloc'd, *nresults of them) says
 * how each went. Returns 0 when every feed succeeded, else the first
 * failure's code (the others were still imported). */
VIGIL_EXTERN(int) vigil_db_import(vigil_store *s, const char *const *paths, size_t npaths,
		    const vigil_db_import_options *opt, vigil_db_import_result **results,
		    size_t *nresults);

/* One entry per feed that has data or was ever attempted; *out is malloc'd. */
VIGIL_EXTERN(int) vigil_db_status(vigil_store *s, vigil_db_feed_status **out, size_t *n);

/* Operations, newest first (feed NULL: every feed). *out is malloc'd. */
VIGIL_EXTERN(int) vigil_db_ops(vigil_store *s, const char *feed, vigil_db_op **out, size_t *n);

typedef enum vigil_db_change { VIGIL_DB_ADDED = 1, VIGIL_DB_REMOVED = 2 } vigil_db_change;
/* Calls fn for every record that is in op b and not in op a (ADDED) or in a
 * and not in b (REMOVED); a changed record shows as both. a may be NULL (the
 * empty database). */
VIGIL_EXTERN(int) vigil_db_diff(vigil_store *s, const char *ref_a, const char *ref_b,
		  int (*fn)(void *ud, vigil_db_change c, const char *source, const char *id,
			    const char *hash),
		  void *ud);

/* Keeps the newest `keep` operations of each feed (0: the default) and drops
 * the records no kept operation holds. */
VIGIL_EXTERN(int) vigil_db_gc(vigil_store *s, int keep, int64_t *ops_removed, int64_t *vulns_removed);

/* ---- reading records (db/lookup.c) ---- */
/* Calls fn for every current record named id (one per feed that has it,
 * from the newest operation of each feed). A record without CVSS gets NVD's
 * (by its id when it is a CVE, else by its first CVE alias): enriched is 1
 * then, and a record of Unknown severity takes NVD's level too. */
VIGIL_EXTERN(int) vigil_db_lookup(vigil_store *s, const char *id,
		    int (*fn)(void *ud, const char *feed, const vigil_vuln *v, int enriched), void *ud);

/* ---- is the data fit to scan with? (db/check.c) ---- */
/* Data older than this is stale (3 days). */
#define VIGIL_DB_DEFAULT_MAX_AGE ((int64_t)3 * 24 * 3600)

/* Says, through fn, everything that makes a scan's silence untrustworthy:
 * no vulnerability data at all; feeds whose last run failed; feeds older
 * than max_age seconds (0: the default). When namespace is given
 * ("debian:12", as the indexer's distribution names it), only the feeds
 * that cover it are judged, and also: no record at all for it, and its
 * data's own newest date (vigil_db_check_namespaces in vigil/db_health.h).
 * Returns the number of problems said (0: all good) or a negative error. */
VIGIL_EXTERN(int) vigil_db_check(vigil_store *s, const char *namespace, int64_t max_age, vigil_db_message_fn fn,
		   void *ud);

/* ---- bundles: the whole database in one file (db/bundle.c) ---- */
/* A bundle is a zstd-compressed tar: manifest.json first (format
 * "vigil-db-bundle", version 1, and per feed its operation ref, fingerprint,
 * record and affected counts, member name, size and sha256), then one
 * records/<feed>.jsonl per feed: the canonical records of its newest
 * operation, one per line. */
#define VIGIL_DB_BUNDLE_MAX_RECORD ((size_t)64 * 1024 * 1024)

/* Writes the newest operation of every feed to path (atomically: a temp file
 * renamed into place). *nfeeds gets the number of feeds written. */
VIGIL_EXTERN(int) vigil_db_export(vigil_store *s, const char *path, size_t *nfeeds);
/* 1 when path is a vigil database bundle, 0 when not. */
VIGIL_EXTERN(int) vigil_db_is_bundle(const char *path);
/* Verifies the whole bundle first (manifest, every member's sha256, size and
 * record count); only then writes each feed as a new operation (one
 * transaction each; a feed whose fingerprint equals its newest operation's
 * is unchanged unless opt->force). */
VIGIL_EXTERN(int) vigil_db_import_bundle(vigil_store *s, const char *path, const vigil_db_import_options *opt,
			   vigil_db_import_result **results, size_t *nresults);

/* What a bundle's manifest says of one feed (vigil_db_bundle_feeds). */
typedef struct vigil_db_bundle_feed {
	char feed[32];
	char fingerprint[72];
	int64_t created;        /* unix time of the feed's operation in the store it came from */
	int64_t records;
} vigil_db_bundle_feed;
/* The bundle format version vigil writes and reads. */
#define VIGIL_DB_BUNDLE_VERSION 1
/* The feeds a bundle's manifest lists (the members are not verified: the
 * import does that); *out is malloc'd. */
VIGIL_EXTERN(int) vigil_db_bundle_feeds(const char *path, vigil_db_bundle_feed **out, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
