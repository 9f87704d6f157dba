/* server/report_cache.h: the VulnerabilityReports kept in memory
 * (report_cache.c), capped in bytes, least recently used out first. */
#ifndef VIGIL_SERVER_REPORT_CACHE_H
#define VIGIL_SERVER_REPORT_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "server/server.h"

#define SRV_RCACHE_DEFAULT_BYTES ((size_t)256 * 1024 * 1024) /* report_cache_bytes' default */
#define SRV_RCACHE_BUCKETS       4096                        /* hash table heads */

typedef struct srv_rcache srv_rcache;

/* A cache of at most cap bytes (0: keeps nothing). */
int srv_rcache_new(size_t cap, srv_rcache **out);
void srv_rcache_free(srv_rcache *c); /* NULL is fine */
/* A reference to the report of key under the feeds' state fp, or NULL. */
srv_blob *srv_rcache_get(srv_rcache *c, const char *key, const char *fp);
/* The generation: bumped by every srv_rcache_drop. Read it before reading
 * what a report is made from, and give it to put: a report made while its
 * key was dropped (re-indexed, deleted) is not kept. */
uint64_t srv_rcache_gen(srv_rcache *c);
/* Keeps b (takes a reference of its own) as key's report under fp,
 * replacing key's previous one; evicts the least recently used entries to
 * stay under the cap. A report bigger than the cap is not kept. */
void srv_rcache_put(srv_rcache *c, const char *key, const char *fp, srv_blob *b, uint64_t gen);
/* Forgets key's report. */
void srv_rcache_drop(srv_rcache *c, const char *key);
/* What is kept: entries and bytes (blobs plus keys). */
void srv_rcache_usage(srv_rcache *c, size_t *entries, size_t *bytes);

#endif
