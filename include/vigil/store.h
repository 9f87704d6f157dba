/* vigil/store.h: where vigil keeps what it learned: the per-layer scan
 * cache now, vulnerability data later. The embedded default is one SQLite
 * file in the user's cache directory, shared safely by concurrent vigil
 * processes (WAL, busy timeout). */
#ifndef VIGIL_STORE_H
#define VIGIL_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vigil_store vigil_store;

/* Opens (creating and migrating when needed) the store at location: a
 * path to an SQLite file ("sqlite:PATH" too), a PostgreSQL database
 * (postgres://user@host:port/dbname or "host=... dbname=...", see
 * docs/postgres.md), or NULL for the default (vigil_store_default_path).
 * An empty SQLite path ("", "sqlite:") is VIGIL_EINVAL (SQLite would make a
 * temporary database, lost at close). A store that cannot be opened says
 * why, naming the path and SQLite's message: "the disk is full",
 * "read-only file system", "I/O error", "not a vigil store (not an SQLite
 * database)" ... (VIGIL_ESTORE). */
VIGIL_EXTERN(int) vigil_store_open(const char *location, vigil_store **out);
VIGIL_EXTERN(void) vigil_store_close(vigil_store *s);

/* $VIGIL_DB (set and not empty: VIGIL_DB='' is unset), else $XDG_CACHE_HOME/vigil/vigil.db, else ~/.cache/vigil/vigil.db.
 * Creates the folder. */
VIGIL_EXTERN(int) vigil_store_default_path(char *buf, size_t n);

/* Where the store is ("sqlite:/root/.cache/vigil/vigil.db"). */
VIGIL_EXTERN(const char *) vigil_store_describe(const vigil_store *s);

/* The schema version the store is at (after the migrations of open). */
VIGIL_EXTERN(int) vigil_store_schema_version(vigil_store *s, int *version);

/* Drops every cached layer scan; *removed gets the count. */
VIGIL_EXTERN(int) vigil_store_cache_clear(vigil_store *s, long long *removed);
/* Counts cached layer scans. */
VIGIL_EXTERN(int) vigil_store_cache_count(vigil_store *s, long long *count);

/* ---- the Clair server's index reports (store/index_report_api.c: thin
 * calls of the backends' report operations) ---- */
typedef struct vigil_store_index_report {
	char *report;          /* the IndexReport JSON (malloc'd by get) */
	size_t report_len;
	char *manifest;        /* the Manifest JSON it was made from */
	size_t manifest_len;
	char state[80];        /* the indexer state it was made under */
} vigil_store_index_report;
/* VIGIL_ENOTFOUND when hash has none. */
VIGIL_EXTERN(int) vigil_store_index_report_get(vigil_store *s, const char *hash, vigil_store_index_report *out);
/* Stores r under hash, replacing what was there. */
VIGIL_EXTERN(int) vigil_store_index_report_put(vigil_store *s, const char *hash, const vigil_store_index_report *r);
VIGIL_EXTERN(int) vigil_store_index_report_delete(vigil_store *s, const char *hash, int *deleted);
VIGIL_EXTERN(void) vigil_store_index_report_free(vigil_store_index_report *r); /* the members, not r */

/* ---- named locks: one holder at a time across the threads of this
 * process and, with PostgreSQL, across every node of the database. Keys:
 * "layer:<digest>", "manifest:<hash>:<layers id>", "feed:<name>". ---- */
#define VIGIL_STORE_MAX_LOCK_KEY 256
typedef struct vigil_store_lock vigil_store_lock;
/* Takes key, waiting at most timeout_ms (< 0: without end) while another
 * holds it: VIGIL_EUNAVAILABLE when the time is up. */
VIGIL_EXTERN(int) vigil_store_lock_take(vigil_store *s, const char *key, int timeout_ms, vigil_store_lock **out);
/* Takes key when it is free: 1 and *out, or 0 when another holds it. */
VIGIL_EXTERN(int) vigil_store_lock_try(vigil_store *s, const char *key, vigil_store_lock **out);
VIGIL_EXTERN(void) vigil_store_lock_release(vigil_store_lock *l); /* NULL is fine */

/* ---- the images vigil indexed (store/store_images.c): one record per
 * `vigil index` or `vigil scan` of an image, for `vigil inspect`'s family
 * tree and tag history (docs/audit.md (vigil inspect)) ---- */
#define VIGIL_STORE_MAX_IMAGE_LAYERS 1024 /* layers of one record */
#define VIGIL_STORE_MAX_IMAGE_ROWS 1000000 /* records one listing reads */
typedef struct vigil_store_image {
	const char *reference;       /* the reference as given */
	const char *repository;      /* vigil_image_ref_split of it */
	const char *tag;             /* NULL when it names none (a digest, a bare layout) */
	const char *manifest_digest; /* "sha256:..." */
	const char *config_digest;   /* NULL when not known */
	const char *const *layers;   /* layer digests, base first */
	size_t layer_count;
	int64_t indexed_at;          /* unix time; 0 when recording: now */
	int64_t findings;            /* findings of the scan, -1: not known (index) */
} vigil_store_image;

/* Records one indexing of an image (repository and tag filled from
 * reference when NULL). VIGIL_EINVAL without reference or digest. */
VIGIL_EXTERN(int) vigil_store_image_record(vigil_store *s, const vigil_store_image *rec);
/* Every record, oldest first; with repository (and tag) only theirs.
 * fn's record lives for the call only; a non-zero return stops (and is
 * returned). */
VIGIL_EXTERN(int) vigil_store_images(vigil_store *s, const char *repository, const char *tag,
				     int (*fn)(void *ud, const vigil_store_image *rec), void *ud);
/* The repository and tag of a reference: "oci:DIR:TAG" -> ("oci:/abs/DIR",
 * "TAG"), "docker-archive:F:NAME:TAG" -> ("NAME", "TAG"),
 * "docker.io/library/alpine:3.19" -> ("docker.io/library/alpine",
 * "3.19"), "alpine" -> ("alpine", "latest"), "...@sha256:..." -> (repo,
 * ""); local paths are made absolute when they exist. */
VIGIL_EXTERN(int) vigil_image_ref_split(const char *ref, char *repo, size_t repo_n, char *tag, size_t tag_n);

#ifdef __cplusplus
}
#endif
#endif
