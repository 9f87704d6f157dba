/* store/store_priv.h: the store itself, shared by the backends
 * (store/sqlite*.c, store/pg*.c) and the wrappers (store/store*.c), never
 * included outside store/ (tests aside). A store is a pointer to each
 * part's ops, which its backend fills in at open:
 *
 *   core     close and the schema version (every backend)
 *   layers   the layer cache                      store_layers.h
 *   vuln     vulnerability data                   store_vuln.h
 *   fetch    fetch validators                     store_fetch.h
 *   reports  v4 index reports, Clair v1 layers    store_reports.h
 *   xlock    locks across processes (nodes)       store_locks.h
 *   notify   notifications                        store_notify.h
 *
 * A part a backend lacks is NULL: its wrappers then give
 * VIGIL_EUNSUPPORTED (xlock NULL: the in-process lock is the whole lock).
 * Within a part a backend implements every operation. */
#ifndef VIGIL_STORE_STORE_PRIV_H
#define VIGIL_STORE_STORE_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* Links or aliases of one record, joined, in the detail row. */
#define STORE_MAX_JOINED ((size_t)1024 * 1024)

struct store_core_ops {
	void (*close)(vigil_store *s);
	/* The schema version the store is at (after the migrations of open). */
	int (*schema_version)(vigil_store *s, int *version);
};

struct store_locks;

struct vigil_store {
	const struct store_core_ops *core;
	const struct store_layer_ops *layers;
	const struct store_vuln_ops *vuln;
	const struct store_fetch_ops *fetch;
	const struct store_report_ops *reports;
	const struct store_lock_ops *xlock;
	const struct store_notify_ops *notify;
	const struct store_image_ops *images; /* store_images.h: the images vigil indexed */
	char describe[4200];
	struct store_locks *locks; /* store_lock.c: the keys held in this process */
};

/* A backend's vigil_vuln_writer and vigil_vuln_reader begin with the
 * store they were opened on, `vigil_store *s`, through which the wrappers
 * of store_vuln.c find the ops; each backend checks it with this. */
#define STORE_HANDLE_CHECK(type)                                                              \
	_Static_assert(offsetof(type, s) == 0 && _Generic(((type *)0)->s, vigil_store *: 1, default: 0), \
		       #type " begins with its vigil_store *s (store_vuln.c)")

/* Sets VIGIL_EUNSUPPORTED ("<describe>: no <part> in this store") and
 * returns it: the wrappers of a part the store lacks. */
int store_unsupported(const vigil_store *s, const char *part);

/* The in-process lock table (store_lock.c), made and freed by open and close. */
struct store_locks *store_locks_new(void);
void store_locks_free(struct store_locks *l);

/* The backends' opens (store.c chooses): store/sqlite.c, and store/pg.c
 * where conninfo is a postgres:// or postgresql:// URI or a
 * "host=... dbname=..." string. */
int sqlite_store_open(const char *path, vigil_store **out);
int pg_store_open(const char *conninfo, vigil_store **out);
/* 1 when location names a PostgreSQL database rather than an SQLite file. */
int store_is_pg(const char *location);

/* For the writers: what a committed operation reports (vuln_commit's *op),
 * made now; a new update operation's ref, a random (version 4) UUID, 36
 * chars + NUL. */
void store_op_set(vigil_db_op *op, const char *ref, const char *feed, const char *fingerprint,
		  int64_t vulns, int64_t affected);
int store_new_ref(char out[40]);

#endif
