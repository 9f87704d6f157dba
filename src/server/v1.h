/* server/v1.h: what the Clair v1 API's files share: the POST body parser
 * (v1_body.c, fuzzed by fuzz/fuzz_srv_v1_body.c), the request checks of
 * every v1 route, and the cache of rendered GET answers (v1_cache.c), used
 * by the handlers (v1.c). The work itself (fetching, scanning, stacking a
 * chain of layers) is the indexer's: vigil/index.h's chain calls. */
#ifndef VIGIL_SERVER_V1_H
#define VIGIL_SERVER_V1_H

#include <stddef.h>
#include <stdint.h>

#include "server/server.h"
#include "vigil/index.h"
#include "vigil/store_v1.h"

#define V1_MAX_NAME     VIGIL_V1_MAX_NAME  /* a layer name */
#define V1_MAX_CHAIN    VIGIL_V1_MAX_DEPTH /* layers from one layer down to its base */
#define V1_MAX_HEADER   8192  /* one "Name: value" header of a posted layer */
#define V1_MAX_HEADERS  64    /* headers of a posted layer (registry/url.c takes 64) */
#define V1_MAX_LIMIT    1000  /* ?limit of a vulnerability listing */
#define V1_DEFAULT_LIMIT 100
#define V1_INDEXED_BY_VERSION 1 /* IndexedByVersion: vigil's layer scan generation */
#define V1_LAYER_LOCK_MS (30 * 60 * 1000) /* waiting for another request's fetch of a layer */

/* ---- the POST /v1/layers body (v1_body.c) ---- */
typedef struct v1_post {
	const char *name, *path, *parent, *format; /* point into the parsed body; parent "" when none */
	char *headers[V1_MAX_HEADERS];             /* "Name: value", malloc'd */
	size_t nheaders;
	struct json_t *layer;                      /* the Layer object (a reference of root's), or root */
	int legacy;                                /* Clair 0.x's top-level {ID, Path, ParentID} */
	struct json_t *root;
} v1_post;

/* Parses and checks a body ({"Layer": {Name, Path, ParentName, Format,
 * Headers}}, or Clair 0.x's {ID, Path, ParentID, ImageFormat}: legacy
 * set): 0, or the HTTP status to answer (400, 422, 500) with the
 * reason in msg (URLs and JSON excerpts redacted). Free with
 * v1_post_free either way. */
int v1_post_parse(const char *body, size_t len, v1_post *out, char *msg, size_t msg_n);
void v1_post_free(v1_post *p);

/* ---- Clair 0.x's flavour (v1_legacy.c) ---- */
/* Turns the answer to a legacy POST into Clair 0.x's: 201 {"Version":
 * "1"}, an error {"Message": ...}. */
void v1_legacy_post_answer(srv_response *rs);
/* GET /v1/layers/{id}/vulnerabilities, /packages, /os, /parent. */
int v1_legacy_vulnerabilities(vigil_srv *s, const srv_request *rq, srv_response *rs);
int v1_legacy_packages(vigil_srv *s, const srv_request *rq, srv_response *rs);
int v1_legacy_os(vigil_srv *s, const srv_request *rq, srv_response *rs);
int v1_legacy_parent(vigil_srv *s, const srv_request *rq, srv_response *rs);

/* ---- request checks ---- */
/* 0 when every {placeholder} of rq is a valid layer name or namespace (no
 * control character, none hidden as %00 .. %1F or %7F in the raw target),
 * else answers 400 in rs and returns 1. */
int v1_check_params(const srv_request *rq, srv_response *rs);

/* ---- rendered GET answers (v1_cache.c) ----
 * A GET /v1/layers/{name} answer is kept per (name, query flags), valid
 * for the layer chain it was made from (names and digests), the feeds'
 * state (the newest update operation of every feed) and the generation of
 * this process's v1 layer writes. Within V1_CHECK_MS of its last check a
 * hit costs no store round trip at all; after that the chain is walked
 * again and the entry kept when it is the same. */
#define V1_CACHE_MAX_ENTRIES 1024
#define V1_CACHE_MAX_BYTES   ((size_t)256 * 1024 * 1024)
#define V1_CHECK_MS          1000 /* how long a chain and the feeds' state are trusted */
#define V1_FP_MAX            4096 /* the feeds' state: the newest op ref of every feed */

/* The feeds' state of st (read again when older than V1_CHECK_MS). */
int v1_feeds_state(vigil_store *st, char *out, size_t n);
/* A v1 layer write of this process: every entry must check its chain. */
void v1_cache_bump(void);
uint64_t v1_cache_generation(void);
/* A reference to the answer for key under fp: with chain NULL only when it
 * was checked within V1_CHECK_MS and no write happened since; with chain
 * (the names and digests as walked now) when it was made from that chain
 * (the entry is then checked anew as of gen). NULL: none. */
srv_blob *v1_cache_get(vigil_store *st, const char *key, const char *fp, const char *chain, uint64_t gen);
/* Keeps b (a reference is taken) for key, made from chain under fp as of gen. */
void v1_cache_put(vigil_store *st, const char *key, const char *fp, const char *chain, uint64_t gen, srv_blob *b);
/* Drops every entry (tests). */
void v1_cache_clear(void);

#endif
