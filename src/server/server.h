/* server/server.h: what the files of the Clair-compatible server share:
 * the request and response a handler sees, the route tables of the APIs
 * (v4 in v4.c, v1 in v1.c, introspection in introspection.c), the
 * configuration (config.c, Clair's YAML keys) and the authentication
 * (auth.c, HS256 JWTs with a pre-shared key). The HTTP engine (http.c,
 * libmicrohttpd) parses requests, enforces the limits, finds the route,
 * checks auth and writes the response; handlers never touch the socket. */
#ifndef VIGIL_SERVER_SERVER_H
#define VIGIL_SERVER_SERVER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/events_conf.h"
#include "util/arena.h"
#include "vigil/fetch.h"
#include "vigil/store.h"

/* Named limits of the server. */
#define SRV_MAX_BODY        ((size_t)16 * 1024 * 1024) /* a request body */
#define SRV_MAX_HEADER      8192                       /* one request header */
#define SRV_MAX_PARAMS      4                          /* {placeholders} of one route */
#define SRV_MAX_ISSUERS     16                         /* auth.psk issuers */
#define SRV_MAX_LAYER_SIZE  ((uint64_t)8 << 30)        /* one fetched layer (8 GiB) */
#define SRV_NOTIFY_MAX_HEADERS 32                      /* notifier.webhook.headers lines */
#define SRV_NOTIFY_MAX_HEADER  512                     /* one "Name: value" */

/* ---- configuration (config.c) ---- */
typedef struct vigil_server_config {
	char http_listen_addr[128];      /* ":6060" */
	char introspection_addr[128];    /* ":8089" */
	char log_level[16];              /* "info" */
	char indexer_connstring[1024];   /* a store location ("" = the default SQLite file) */
	char matcher_connstring[1024];
	unsigned char auth_psk[512];     /* the decoded key; auth is on when auth_psk_len > 0 */
	size_t auth_psk_len;
	char auth_issuers[SRV_MAX_ISSUERS][128];
	size_t n_issuers;
	char mode[16];                   /* "combo", "indexer", "matcher" */
	int threads;                     /* worker threads (0: 2 x cores) */
	uint64_t max_layer_size;         /* indexer.max_layer_size (0: the indexer's default) */
	/* indexer.fetch.deny / allow (docs/net.md): checked CIDR lists, each
	 * joined with ", " ("" = none), as vigil_fetch_policy_set takes them */
	char fetch_deny[VIGIL_FETCH_MAX_LIST], fetch_allow[VIGIL_FETCH_MAX_LIST];
	long fetch_deadline_s;           /* indexer.fetch.deadline (0: VIGIL_FETCH_DEADLINE_S) */
	/* indexing requests (http.c): at most index_concurrency at once
	 * (Clair's indexer.index_report_request_concurrency: 0 auto = 2 x
	 * cores, < 0 unlimited), index_queue more waiting; beyond, 429 */
	int index_concurrency;
	int index_queue;                 /* indexer.index_report_queue (vigil), default SRV_INDEX_QUEUE */
	long long report_cache_bytes;    /* report_cache_bytes (vigil): the VulnerabilityReports kept */
	int shutdown_grace_s;            /* shutdown_grace (vigil): seconds for requests in flight */
	/* matcher.period (Clair's, a Go duration) or Clair 2's
	 * clair.updater.interval in seconds, 0: not given;
	 * the periodic update's when --update-period is not given (updater.c),
	 * unless matcher.disable_updaters */
	long update_period_s;
	bool disable_updaters;           /* matcher.disable_updaters, or Clair 2's interval 0 */
	bool lang_os_owned;              /* matcher.lang_os_owned (vigil): also match language packages
					    whose files an OS package owns (vigil_match_options) */
	srv_events_config events;        /* registry_events (vigil): push-triggered scanning (events_conf.c) */
	/* Harbor's pluggable scanner API (harbor.c, docs/harbor.md) */
	char harbor_listen[128];         /* harbor.listen: its address ("" = not served) */
	char harbor_token[512];          /* harbor.token: the bearer token Harbor must send ("" = none) */
	/* notifier: (config_notify.c, docs/notifier.md); on when the section is given */
	bool notifier_on;
	char webhook_target[1024], webhook_callback[1024];
	char webhook_headers[SRV_NOTIFY_MAX_HEADERS][SRV_NOTIFY_MAX_HEADER]; /* "Name: value" */
	size_t n_webhook_headers;
	bool webhook_signed;             /* Clair's deprecated flag: signed whenever auth.psk is set */
	long notify_poll_s, notify_delivery_s, notify_retention_s, notify_timeout_s; /* 0: defaults */
} vigil_server_config;

#define SRV_INDEX_QUEUE          256  /* indexing requests waiting for a slot, by default */
#define SRV_MAX_INDEX_QUEUE      100000
#define SRV_SHUTDOWN_GRACE_S     120  /* how long requests in flight may finish after SIGTERM */
#define SRV_MAX_SHUTDOWN_GRACE_S 86400
#define SRV_RCACHE_DEFAULT       ((long long)256 * 1024 * 1024)
#define SRV_MAX_UPDATE_PERIOD_S  ((long)366 * 86400) /* matcher.period */

/* Clair's defaults (":6060", ":8089", "info", "combo"). */
void srv_config_defaults(vigil_server_config *c);
/* The periodic update's period in seconds (0: none): option_s
 * (--update-period) when > 0, else matcher.period unless
 * matcher.disable_updaters. */
long srv_config_update_period(const vigil_server_config *c, long option_s);
/* Go's time.ParseDuration syntax ("30m", "1h30m", "1.5h", "0") in whole
 * seconds into *out, at most max_s (duration.c); -1 when s is not one. */
int srv_go_duration(const char *s, long max_s, long *out);
/* Reads a Clair-style YAML config over the defaults; unknown keys are
 * ignored (reported through warn), bad values are an error naming the key. */
int srv_config_load(const char *path, vigil_server_config *c,
		    void (*warn)(void *ud, const char *msg), void *ud);

/* ---- authentication (auth.c) ---- */
/* 0 when authorization ("Bearer <jwt>") is an HS256 JWT signed with the
 * key, from an allowed issuer, not expired; else VIGIL_EINVAL with why. */
int srv_auth_check(const vigil_server_config *c, const char *authorization, int64_t now,
		   char *why, size_t why_n);

/* ---- requests and responses ---- */
typedef struct vigil_srv vigil_srv;

typedef struct srv_request {
	const char *method;              /* "GET" */
	const char *path;                /* "/indexer/api/v1/index_report/sha256:..." (decoded) */
	const char *query;               /* the raw query string without '?', "" when none */
	const char *target;              /* the raw request target as sent (percent-encoded, with the query), NULL when unknown */
	const char *body;                /* NUL-terminated copy, body_len bytes */
	size_t body_len;
	const char *if_none_match;       /* NULL when absent */
	const char *authorization;       /* the Authorization header, NULL when absent */
	const char *params[SRV_MAX_PARAMS]; /* the route's {placeholders}, in order */
	size_t nparams;
	vigil_arena *arena;              /* freed with the request */
	const void *conn;                /* the engine's connection (srv_request_header), NULL in tests */
} srv_request;

/* A request header's value (NULL when absent or when rq has no connection). */
const char *srv_request_header(const srv_request *rq, const char *name);

/* A shared, immutable, reference-counted response body (a cached
 * VulnerabilityReport): the engine sends it without copying it and drops
 * its reference when the response is gone. */
typedef struct srv_blob {
	_Atomic long refs;
	size_t len;
	char data[];
} srv_blob;
srv_blob *srv_blob_new(const char *data, size_t len); /* one reference; NULL: out of memory */
srv_blob *srv_blob_ref(srv_blob *b);
void srv_blob_unref(srv_blob *b); /* NULL is fine */

typedef struct srv_response {
	int status;
	srv_blob *blob;                  /* when set, the body (one reference, the engine's) */
	char *body;                      /* malloc'd; the engine frees it */
	size_t len;
	const char *content_type;        /* default "application/json" */
	char etag[80];                   /* "" when none */
	char location[512];              /* "" when none */
	char link[2][256];               /* Link headers, "" when none (Clair's rel links) */
	int retry_after;                 /* > 0: a Retry-After header (seconds) */
	int refresh_after;               /* > 0: a Refresh-After header (seconds; Harbor's scanner API) */
	char allow[64];                  /* "" when none: a 405's Allow header */
} srv_response;

typedef int (*srv_handler)(vigil_srv *s, const srv_request *rq, srv_response *rs);

struct srv_route {
	const char *method;
	const char *pattern;             /* "/v1/layers/{}": {} matches one path segment */
	srv_handler fn;
	const char *name;                /* for metrics: "v1_layer_get" */
};

extern const struct srv_route srv_v4_routes[];
extern const size_t srv_v4_nroutes;
extern const struct srv_route srv_v1_routes[];
extern const size_t srv_v1_nroutes;

/* The server's shared state. */
vigil_store *srv_store(vigil_srv *s);
const vigil_server_config *srv_config(vigil_srv *s);

/* true when an If-None-Match value (NULL: absent) names etag, or is "*" */
bool srv_etag_matches(const char *if_none_match, const char *etag);

/* Response helpers: they set status, body and content type. */
int srv_json_text(srv_response *rs, int status, char *json, size_t len); /* takes json */
int srv_json_blob(srv_response *rs, int status, srv_blob *b);           /* takes the reference */
/* Clair v4 error: {"code": code, "message": ...}. */
int srv_error_v4(srv_response *rs, int status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Clair v1 error: {"Error": {"Message": ...}}. */
int srv_error_v1(srv_response *rs, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A query parameter: 1 and *value (decoded, arena) when present (a flag
 * without '=' gives ""), 0 when absent. */
int srv_query_param(const srv_request *rq, const char *name, const char **value);

/* ---- added for config.c, auth.c and v1.c ---- */
/* srv_config_load on a buffer (what names it in messages): for tests and fuzzing. */
int srv_config_parse(const char *what, const char *data, size_t len, vigil_server_config *c,
		     void (*warn)(void *ud, const char *msg), void *ud);
/* Named limits of auth.c. */
#define SRV_AUTH_MAX_TOKEN  8192 /* the JWT after "Bearer " */
#define SRV_AUTH_LEEWAY_S   60   /* clock skew allowed on exp, nbf and iat */
/* Clair 2's health check (GET /health on its own port, clair.api.healthport:
 * the introspection listener): 200 with an empty body when the store
 * answers, 500 otherwise, as Clair 2 (api/router.go healthHandler). */
int srv_v1_health(vigil_srv *s, const srv_request *rq, srv_response *rs);

/* ---- added for http.c, v4.c and introspection.c ---- */
/* Matches path against pattern ({} = one non-empty segment); the segments
 * matched go to params (arena copies, at most SRV_MAX_PARAMS). 1: match. */
int srv_route_match(vigil_arena *a, const char *pattern, const char *path, const char **params,
		    size_t *nparams);
/* The route for (method, path) over the v4 and v1 tables (NULL: none;
 * *other_method set when the path matches under another method). */
const struct srv_route *srv_route_find(vigil_arena *a, const char *method, const char *path,
				       const char **params, size_t *nparams, bool *other_method);
/* The methods the route tables serve at path, "GET, DELETE" (the Allow
 * header of a 405, RFC 9110 section 15.5.6); "" when none. */
void srv_route_methods(const char *path, char *out, size_t n);
/* Go's strconv.ParseBool, as Clair reads a flag ("latest"): 1 for 1, t, T,
 * TRUE, true, True; 0 for 0, f, F, FALSE, false, False; -1 otherwise. */
int srv_go_parse_bool(const char *s);
/* Go's uuid.Parse (github.com/google/uuid), as Clair reads an update
 * operation ref: the 36-character form, {…}, urn:uuid:…, or 32 hex digits,
 * in any case; out gets the lowercase 36-character form. */
#define SRV_UUID_LEN 36
bool srv_uuid_canon(const char *s, char out[SRV_UUID_LEN + 1]);
/* srv_query_param on a raw query string (for tests). */
int srv_query_get(vigil_arena *a, const char *query, const char *name, const char **value);

/* What v4.c keeps per server: in-flight indexing, the report cache. */
struct srv_v4;
int srv_v4_new(size_t report_cache_bytes, struct srv_v4 **out);
void srv_v4_free(struct srv_v4 *v);
struct srv_v4 *srv_v4_state(vigil_srv *s);
/* Counters for /metrics: layers read from their URI and taken from the cache. */
void srv_count_layers(vigil_srv *s, uint64_t indexed, uint64_t cached);
/* Manifests indexed (the work done, not the requests answered). */
void srv_count_manifest_indexed(vigil_srv *s);
/* A log line on stderr ("vigil serve: ..."), at info level and above. */
void srv_log(vigil_srv *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Threads one indexing run reads layers with. */
int srv_index_threads(vigil_srv *s);
/* The introspection listener's handler (GET /healthz, /readyz, /metrics, /health). */
int srv_introspection(vigil_srv *s, const srv_request *rq, srv_response *rs);
/* The Prometheus text of the server's metrics (malloc'd). */
int srv_metrics_text(vigil_srv *s, char **out, size_t *len);
/* ---- the notifier (notify.c) ---- */
struct vigil_index_report;
/* After a feed update: generate and deliver now. */
void srv_notify_kick(vigil_srv *s);
/* A manifest just indexed: its baseline (when the notifier is on). */
void srv_notify_indexed(vigil_srv *s, const char *hash, const struct vigil_index_report *ir);
int srv_notify_v4_get(vigil_srv *s, const srv_request *rq, srv_response *rs);
int srv_notify_affected(vigil_srv *s, const srv_request *rq, srv_response *rs);
int srv_notify_v4_delete(vigil_srv *s, const srv_request *rq, srv_response *rs);
int srv_notify_v1_get(vigil_srv *s, const srv_request *rq, srv_response *rs);
int srv_notify_v1_delete(vigil_srv *s, const srv_request *rq, srv_response *rs);
/* A decimal query parameter in [0, max]: 1 and *out, 0 when absent (or
 * ""), -1 when malformed (notify_v1.c). */
int srv_notify_number(const srv_request *rq, const char *name, long max, long *out);

/* The OpenAPI document (openapi.c, embedded from docs/openapi.json). */
extern const char srv_openapi_json[];
extern const size_t srv_openapi_json_len;

#endif
