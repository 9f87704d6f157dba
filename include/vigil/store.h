/* vigil/store.h: where vigil keeps what it learned: the per-layer scan
 * cache now, vulnerability data later. The embedded default is one SQLite
 * file in the user's cache directory, shared safely by concurrent vigil
 * processes (WAL, busy timeout). */
#ifndef VIGIL_STORE_H
#define VIGIL_STORE_H

#include <stddef.h>

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

#ifdef __cplusplus
}
#endif
#endif
