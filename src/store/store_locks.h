/* store/store_locks.h: named locks, the store's part that the indexer (a
 * layer is read once), the server (a manifest is indexed once) and the
 * feed updater (one node updates a feed) use: one holder at a time across
 * the threads of this process and, through the backend, across every
 * process or node sharing the store. Keys: "layer:<digest>",
 * "manifest:<hash>", "feed:<name>".
 *
 * The in-process part is store/store_lock.c, the same for every backend.
 * A backend that other processes share implements struct store_lock_ops
 * (store/sqlite_lock.c: file locks; store/pg_lock.c: advisory locks), taken
 * after the in-process key; a store without it (NULL) is one process and
 * the in-process part is then the whole lock. */
#ifndef VIGIL_STORE_STORE_LOCKS_H
#define VIGIL_STORE_STORE_LOCKS_H

#include "vigil/store.h"

#define VIGIL_STORE_MAX_LOCK_KEY 256

struct store_lock_ops {
	/* 1 when this process (node) now holds key, 0 when another holds it,
	 * < 0 on error. Held until xlock_release or the end of the process's
	 * session with the store (a killed node leaves no lock behind). */
	int (*xlock_try)(vigil_store *s, const char *key);
	void (*xlock_release)(vigil_store *s, const char *key);
};

typedef struct vigil_store_lock vigil_store_lock;
/* Takes key, waiting at most timeout_ms (< 0: without end) while another
 * holds it: VIGIL_EUNAVAILABLE when the time is up. */
int vigil_store_lock_take(vigil_store *s, const char *key, int timeout_ms, vigil_store_lock **out);
/* Takes key when it is free: 1 and *out, or 0 when another holds it. */
int vigil_store_lock_try(vigil_store *s, const char *key, vigil_store_lock **out);
void vigil_store_lock_release(vigil_store_lock *l); /* NULL is fine */

#endif
