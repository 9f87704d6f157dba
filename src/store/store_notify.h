/* store/store_notify.h: notifications, the store's part that the
 * notifier (src/notifier/) uses: what each watched manifest matched at the
 * last generation (its baseline), the notification sets made from the
 * differences, their entries (one per manifest, vulnerability and reason),
 * and their delivery state.
 *
 * Tables (both backends, same names): notify_known (manifests that have a
 * baseline, even an empty one), notify_base (manifest, vulnerability key,
 * the summary JSON it had), notify_set (a set: id, created, entries,
 * delivery state: delivered_at, attempts, next_attempt, claimed_by,
 * claimed_until, last_error), notify_entry (set, entry id, manifest,
 * reason, summary JSON), notify_state (key/value: the feeds' state of the
 * last generation).
 *
 * Delivery is claimed row by row: claim sets claimed_by/claimed_until on
 * one set due for delivery in one statement (PostgreSQL: FOR UPDATE SKIP
 * LOCKED, SQLite: its single writer), so two nodes never hold one set;
 * a node that dies leaves a claim that lapses after its lease. A set is
 * kept until it is deleted (acknowledged) or expires.
 *
 * A backend implements struct store_notify_ops (store/sqlite_notify.c,
 * store/pg_notify.c) and the store points at it (store_priv.h); callers go
 * through the wrappers below (store/store_notify.c). */
#ifndef VIGIL_STORE_STORE_NOTIFY_H
#define VIGIL_STORE_STORE_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/store.h"

#define STORE_NOTIFY_ID_MAX 40 /* a set or entry id: a UUID, 36 chars + NUL, with room */

/* A manifest's baseline: the vulnerability keys it matched and the
 * summary JSON of each. */
typedef struct store_notify_base {
	const char *manifest;
	size_t n;
	const char *const *vkeys;
	const char *const *summaries;
} store_notify_base;

/* One entry of a set. */
typedef struct store_notify_entry {
	const char *id;        /* a UUID; pages are in id order, as Clair's */
	const char *manifest;
	const char *reason;    /* "added", "removed" */
	const char *summary;   /* the VulnerabilitySummary JSON */
} store_notify_entry;

/* What one generation writes, in one transaction: the set (when
 * nentries > 0), the baselines replaced, the state recorded; baselines of
 * manifests no longer stored (their index report deleted) are dropped. */
typedef struct store_notify_commit {
	const char *id;
	int64_t created;
	const store_notify_entry *entries;
	size_t nentries;
	const store_notify_base *bases;
	size_t nbases;
	const char *state_key, *state_value; /* NULL: none */
} store_notify_commit;

/* A set's record. */
typedef struct store_notify_info {
	char id[STORE_NOTIFY_ID_MAX];
	int64_t created;
	int64_t entries;
	int64_t delivered_at;  /* 0: not yet */
	int64_t attempts;
	char last_error[512];
} store_notify_info;

struct store_notify_ops {
	/* Every manifest with a stored v4 index report. */
	int (*manifests)(vigil_store *s, int (*fn)(void *ud, const char *manifest), void *ud);
	/* The baseline of manifest: *known 0 when it has none (fn not called). */
	int (*base_get)(vigil_store *s, const char *manifest, int *known,
			int (*fn)(void *ud, const char *vkey, const char *summary), void *ud);
	/* Writes b as manifest's baseline; when only_new, only if it has none. */
	int (*base_put)(vigil_store *s, const store_notify_base *b, int only_new);
	int (*commit)(vigil_store *s, const store_notify_commit *c);
	/* The value of key ("" when none). */
	int (*state_get)(vigil_store *s, const char *key, char *out, size_t n);
	/* Entries of set id with an id after `after` ("": from the start), in
	 * id order, at most limit; *found 0 when the set is unknown. */
	int (*page)(vigil_store *s, const char *id, const char *after, size_t limit, int *found,
		    int (*fn)(void *ud, const store_notify_entry *e), void *ud);
	int (*info)(vigil_store *s, const char *id, store_notify_info *out); /* VIGIL_ENOTFOUND */
	/* Deletes set id and its entries; *deleted 1 when there was one. */
	int (*remove)(vigil_store *s, const char *id, int *deleted);
	/* Claims the oldest set not delivered whose next attempt is due (at
	 * now) and that nobody holds, for node until now + lease_s: *got 1 and
	 * its id in id. */
	int (*claim)(vigil_store *s, const char *node, int64_t now, int64_t lease_s, char id[STORE_NOTIFY_ID_MAX],
		     int *got);
	/* Ends node's claim of id: delivered (ok) at now, or failed with error
	 * and tried again at next_attempt. Nothing when node no longer holds it. */
	int (*release)(vigil_store *s, const char *id, const char *node, int ok, int64_t now, int64_t next_attempt,
		       const char *error);
	/* Deletes the sets created before `before`; *removed gets the count. */
	int (*expire)(vigil_store *s, int64_t before, int64_t *removed);
};

/* The wrappers, one per operation (same contracts); VIGIL_EUNSUPPORTED
 * when the store keeps no notifications. */
int store_notify_manifests(vigil_store *s, int (*fn)(void *ud, const char *manifest), void *ud);
int store_notify_base_get(vigil_store *s, const char *manifest, int *known,
			  int (*fn)(void *ud, const char *vkey, const char *summary), void *ud);
int store_notify_base_put(vigil_store *s, const store_notify_base *b, int only_new);
int store_notify_commit_set(vigil_store *s, const store_notify_commit *c);
int store_notify_state_get(vigil_store *s, const char *key, char *out, size_t n);
int store_notify_page(vigil_store *s, const char *id, const char *after, size_t limit, int *found,
		      int (*fn)(void *ud, const store_notify_entry *e), void *ud);
int store_notify_info_get(vigil_store *s, const char *id, store_notify_info *out);
int store_notify_remove(vigil_store *s, const char *id, int *deleted);
int store_notify_claim(vigil_store *s, const char *node, int64_t now, int64_t lease_s,
		       char id[STORE_NOTIFY_ID_MAX], int *got);
int store_notify_release(vigil_store *s, const char *id, const char *node, int ok, int64_t now,
			 int64_t next_attempt, const char *error);
int store_notify_expire(vigil_store *s, int64_t before, int64_t *removed);

#endif
