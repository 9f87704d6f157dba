/* vigil/store_v1.h: what the store keeps for Clair 2's v1 API, for its
 * clients (the server's v1 routes, indexer/chain.c): the v1 layer table (a
 * client's layer name, its parent's name, the digest of the bytes fetched
 * and what they were fetched from) and two listings of the current
 * vulnerability data: its namespaces, and the vulnerabilities of one
 * namespace by name, paged. Thin wrappers over the backends (SQLite,
 * PostgreSQL); VIGIL_EUNSUPPORTED from a backend without v1 tables.
 *
 *   int64_t n = 0;
 *   if (vigil_store_v1_layer_delete(st, "layer-b", &n) == 0 && n == 0)
 *       puts("no such layer");
 */
#ifndef VIGIL_STORE_V1_H
#define VIGIL_STORE_V1_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VIGIL_V1_MAX_NAME   512 /* a layer name (Clair 2 clients send 64-char ids or digests) */
#define VIGIL_V1_MAX_DEPTH  256 /* layers from one layer down to its base */
#define VIGIL_V1_SOURCE_MAX 80  /* "sha256:" + 64 hex + NUL, with room */

/* Records (or replaces) layer name: parent ("" or NULL: none), digest the
 * sha256 of its bytes (its scan is cached under it), source what it was
 * made from ("sha256:" of its Path). One statement: VIGIL_EINVAL and
 * nothing written when parent is name or one of its descendants (the
 * ancestry would loop). */
VIGIL_EXTERN(int) vigil_store_v1_layer_put(vigil_store *s, const char *name, const char *parent, const char *digest,
			     const char *source);
/* VIGIL_ENOTFOUND when name is unknown; parent and source are "" when none
 * (source: a layer recorded before sources were). */
VIGIL_EXTERN(int) vigil_store_v1_layer_get(vigil_store *s, const char *name, char *parent, size_t parent_n, char *digest,
			     size_t digest_n, char *source, size_t source_n);
/* Removes name and every layer above it (its children, theirs ...);
 * *removed gets the count (0: name was unknown). */
VIGIL_EXTERN(int) vigil_store_v1_layer_delete(vigil_store *s, const char *name, int64_t *removed);
/* The namespaces of the current data, each with a version scheme. */
VIGIL_EXTERN(int) vigil_store_v1_namespaces(vigil_store *s, int (*fn)(void *ud, const char *ns, const char *scheme), void *ud);
/* Vulnerability names of ns after after ("" = from the start), by name, at
 * most limit: fn(ud, name, a record key, severity). */
VIGIL_EXTERN(int) vigil_store_v1_ns_vulns(vigil_store *s, const char *ns, const char *after, size_t limit,
			    int (*fn)(void *ud, const char *name, int64_t vuln, int severity), void *ud);

/* One vulnerability of a namespace listing with what its record says
 * (strings valid during the callback; NULL or score < 0 when unknown). */
typedef struct vigil_v1_vuln {
	const char *name;
	int severity;            /* vigil_severity: the highest of its rows */
	const char *description; /* else the summary */
	const char *link;        /* the record's first link */
	double cvss_score;       /* CVSS 3.x when the record has it, else 2 */
	const char *cvss_vector;
} vigil_v1_vuln;
/* vigil_store_v1_ns_vulns with each record's detail read as well. */
VIGIL_EXTERN(int) vigil_store_v1_vulns(vigil_store *s, const char *ns, const char *after, size_t limit,
			 int (*fn)(void *ud, const vigil_v1_vuln *v), void *ud);
/* *known = 1 when the current data has a row in namespace ns. */
VIGIL_EXTERN(int) vigil_store_v1_namespace_known(vigil_store *s, const char *ns, int *known);

#ifdef __cplusplus
}
#endif
#endif
