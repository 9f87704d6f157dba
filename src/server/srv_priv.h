/* server/srv_priv.h: the server object, shared by the HTTP engine
 * (http.c), the metrics (metrics.c) and the start-up (run.c). Handlers
 * see it only through the accessors of server.h. */
#ifndef VIGIL_SERVER_SRV_PRIV_H
#define VIGIL_SERVER_SRV_PRIV_H

#include <pthread.h>
#include <stdatomic.h>

#include "server/server.h"
#include "vigil/server.h"

#define SRV_CONN_TIMEOUT_S   60     /* an idle or stalled connection */
#define SRV_REQ_ARENA_CAP    ((size_t)4 * 1024 * 1024) /* memory of one request's params and query */
#define SRV_MAX_CODES        16     /* distinct status codes counted per route */
#define SRV_NBUCKETS         14     /* latency histogram buckets (+Inf aside) */
#define SRV_MAX_URI          8192   /* the request target */

extern const double srv_buckets[SRV_NBUCKETS];

struct srv_route_metrics {
	const char *name;
	int codes[SRV_MAX_CODES];
	uint64_t counts[SRV_MAX_CODES];
	uint64_t hist[SRV_NBUCKETS + 1];
	double sum;
	uint64_t n;
};

enum { SRV_LOG_DEBUG, SRV_LOG_INFO, SRV_LOG_WARN, SRV_LOG_ERROR };

struct vigil_srv {
	vigil_server_config conf;
	vigil_store *store;
	struct srv_v4 *v4;
	struct MHD_Daemon *api, *intro, *harbor_d; /* harbor_d: Harbor's scanner API (harbor.c) */
	struct srv_harbor *harbor;          /* harbor_jobs.c: its scans, or NULL when not served */
	int threads;
	int log_level;
	int index_limit, index_queue;       /* the gate of indexing requests (http.c); limit < 0: none */
	pthread_mutex_t mu;                 /* the metrics */
	struct srv_route_metrics *rm;       /* v4 routes, v1 routes, then "not_found" */
	size_t nrm;
	atomic_uint_fast64_t layers_indexed, layers_cached, manifests_indexed;
	atomic_long inflight;               /* requests between their start and completion */
	struct srv_updater *updater;        /* updater.c: the periodic feed update, or NULL */
	struct srv_events *events;          /* events.c: push-triggered scanning, or NULL (not configured) */
	atomic_uint_fast64_t updates_run, updates_skipped; /* runs done here; turns another node had */
	struct vigil_notifier *notifier;    /* notify.c: generation and delivery, or NULL */
	bool notify_baselines;              /* record a baseline of each manifest indexed */
};

/* Modes (Clair's): which APIs a node serves (modes.c). The v1 API needs
 * both halves and is served in combo mode only. */
enum { SRV_MODE_COMBO, SRV_MODE_INDEXER, SRV_MODE_MATCHER };
int srv_mode_of(const char *name); /* < 0 when unknown */
/* 1 when the node's mode serves route. */
int srv_route_allowed(const vigil_srv *s, const struct srv_route *r);

/* The periodic feed update (updater.c): every period, on one node of the
 * store at a time (the lock "feed:update"); the first run at start. */
int srv_updater_start(vigil_srv *s, const vigil_server_options *o);
void srv_updater_stop(vigil_srv *s); /* waits for a run in progress to end */

/* The notifier (notify.c, vigil/notify.h): started when the config has
 * a notifier: section; stopped before the store closes. */
/* config_path: the file whose notifier.amqp and notifier.stomp blocks are
 * the message-queue targets (NULL: none). */
int srv_notify_start(vigil_srv *s, const char *config_path);
void srv_notify_stop(vigil_srv *s);

/* Metrics (metrics.c). */
int srv_metrics_init(vigil_srv *s);
void srv_metrics_free(vigil_srv *s);
/* route: index into the metrics (nrm - 1: not found). */
void srv_metrics_observe(vigil_srv *s, size_t route, int status, double seconds);
size_t srv_metrics_route_index(const struct srv_route *r);

/* The engine (http.c). */
int srv_http_start(vigil_srv *s, const char *api_addr, const char *intro_addr);
/* Harbor's scanner API listener on addr (one daemon, like introspection;
 * stopped by srv_http_stop). */
int srv_http_start_harbor(vigil_srv *s, const char *addr);
/* Stops accepting, waits for the requests in flight (at most grace_s),
 * answers the indexing requests still running 503, stops. Returns the
 * indexing threads still running: they use s until they end, so s must
 * then outlive the call (the process is about to exit). */
int srv_http_stop(vigil_srv *s, int grace_s);

#endif
