/* vigil/server.h: vigil serve, the Clair-compatible server (Clair v4 and
 * v1 APIs on one address, introspection on another). See docs/server.md.
 *
 *   vigil_server_options o;
 *   vigil_server_options_init(&o);
 *   o.listen = "127.0.0.1:6060";
 *   if (vigil_server_run(&o) < 0)    // returns after SIGTERM or SIGINT
 *       fprintf(stderr, "%s\n", vigil_error_message());
 */
#ifndef VIGIL_SERVER_H
#define VIGIL_SERVER_H

#include "vigil/common.h"
#include "vigil/notify_mq.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vigil_server_options {
	const char *config_path;          /* a Clair-style YAML config, or NULL */
	const char *listen;               /* overrides http_listen_addr (":6060") when not NULL */
	const char *introspection_listen; /* overrides introspection_addr (":8089"); "" = none */
	const char *db;                   /* overrides the connstrings: an SQLite path or a
	                                   * PostgreSQL DSN (postgres://...) */
	const char *mode;                 /* overrides the config's: "combo", "indexer", "matcher" */
	int threads;                      /* worker threads; 0: the config's, else 2 x cores */
	/* The periodic feed update (vigil db update inside the server), in
	 * combo and matcher modes: every update_period_s seconds (0: never),
	 * on one node of the database at a time. */
	long update_period_s;
	const char *update_mirror;        /* vigil_db_update_options.mirror, or NULL */
	const char *update_config;        /* vigil_db_update_options.config (a sources file), or NULL */
	/* Overrides of the config's (< 0: the config's, as options_init sets them). */
	int index_concurrency;            /* indexing requests at once (0: 2 x cores) */
	int index_queue;                  /* indexing requests waiting for a slot; beyond: 429 */
	long long report_cache_bytes;     /* memory for cached VulnerabilityReports */
	int shutdown_grace_s;             /* seconds requests in flight may finish after SIGTERM */
	void (*warn)(void *ud, const char *msg); /* config warnings (unknown keys), may be NULL */
	void *warn_ud;
	const char *harbor_listen;        /* overrides harbor.listen: Harbor's pluggable scanner API
	                                   * (docs/harbor.md) on its own address; "" = none */
} vigil_server_options;

VIGIL_EXTERN(void) vigil_server_options_init(vigil_server_options *o);

/* Loads the config, opens the store, listens, and serves until SIGTERM or
 * SIGINT: then it stops accepting, lets the requests in flight finish and
 * returns 0. An error (bad config, address in use, store) returns < 0 with
 * the message set. Blocks SIGTERM, SIGINT and SIGPIPE in the calling
 * thread. */
VIGIL_EXTERN(int) vigil_server_run(const vigil_server_options *o);

/* The notifier's message-queue targets of a Clair config (notifier.amqp,
 * then notifier.stomp), read and checked as vigil serve reads them:
 * *out is an array of *n (0..2) targets; vigil_notify_mq_clear() each,
 * then free() the array. `vigil notify test` sends through them. */
VIGIL_EXTERN(int) vigil_server_notify_targets(const char *config_path, vigil_notify_mq **out, size_t *n,
					      void (*warn)(void *ud, const char *msg), void *ud);

#ifdef __cplusplus
}
#endif
#endif
