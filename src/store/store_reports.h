/* store/store_reports.h: the server's records, the store's part that
 * `vigil serve` uses: the v4 index reports (server/v4*.c) and the Clair v1
 * layers with the v1 listings of the current data (server/v1*.c).
 *
 * A backend implements struct store_report_ops (store/sqlite_report.c and
 * sqlite_v1.c, store/pg_report.c and pg_v1.c) and the store points at it
 * (store/store_priv.h); callers go through the wrappers below
 * (store/store_reports.c), never through the ops. */
#ifndef VIGIL_STORE_STORE_REPORTS_H
#define VIGIL_STORE_STORE_REPORTS_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/store.h"

/* The server's record of an indexed Clair Manifest. */
typedef struct vigil_stored_report {
	char *report;          /* the IndexReport JSON (malloc'd by report_get) */
	size_t report_len;
	char *manifest;        /* the Manifest JSON it was made from (to match again) */
	size_t manifest_len;
	char state[80];        /* the indexer state it was made under */
} vigil_stored_report;
/* Frees the members (not r). */
void store_stored_report_free(vigil_stored_report *r);

struct store_report_ops {
	/* ---- the v4 index reports (store/sqlite_report.c, pg_report.c) ---- */
	/* What is stored for a manifest hash; VIGIL_ENOTFOUND when nothing. */
	int (*report_get)(vigil_store *s, const char *manifest, vigil_stored_report *out);
	/* Stores (or replaces) it. */
	int (*report_put)(vigil_store *s, const char *manifest, const vigil_stored_report *r);
	/* Deletes it; *deleted is 1 when there was one. */
	int (*report_delete)(vigil_store *s, const char *manifest, int *deleted);

	/* ---- Clair v1 layers and listings (store/sqlite_v1.c, pg_v1.c) ---- */
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
};

/* The wrappers, one per operation above (same contracts):
 * VIGIL_EUNSUPPORTED when the store keeps none of this. report_get clears
 * *out first. */
int store_report_get(vigil_store *s, const char *manifest, vigil_stored_report *out);
int store_report_put(vigil_store *s, const char *manifest, const vigil_stored_report *r);
int store_report_delete(vigil_store *s, const char *manifest, int *deleted);

/* The v1 wrappers and listings: include/vigil/store_v1.h. */
#include "vigil/store_v1.h"

#endif
