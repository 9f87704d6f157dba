/* server/run.c: vigil_server_run: the configuration (Clair's defaults, a
 * YAML file, then the command line's overrides), the store, the listeners,
 * and the wait for SIGTERM or SIGINT. Signals are blocked before any
 * thread starts (the worker threads inherit the mask) and taken with
 * sigwait() here, so no handler runs inside libmicrohttpd or SQLite; then
 * the server stops accepting, finishes the requests in flight and
 * returns 0. Indexing requests still running after the grace are answered
 * 503 (http.c); their threads still use the server, so it is then left
 * for the process's exit to reclaim (kept reachable in `orphaned`). */
#include "server/events.h"
#include "server/harbor.h"
#include "server/srv_priv.h"
#include "util/error.h"
#include "vigil/server.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

void vigil_server_options_init(vigil_server_options *o)
{
	memset(o, 0, sizeof(*o));
	o->index_queue = -1;
	o->report_cache_bytes = -1;
	o->shutdown_grace_s = -1;
}

/* A server whose indexing threads outlived the shutdown: not freed. */
static vigil_srv *orphaned;

static int level_of(const char *s)
{
	if (!strcasecmp(s, "debug") || !strcasecmp(s, "debug-color"))
		return SRV_LOG_DEBUG;
	if (!strcasecmp(s, "warn") || !strcasecmp(s, "warning"))
		return SRV_LOG_WARN;
	if (!strcasecmp(s, "error"))
		return SRV_LOG_ERROR;
	return SRV_LOG_INFO;
}

static int copy_opt(char *dst, size_t n, const char *v, const char *what)
{
	if (strlen(v) >= n)
		return vigil_error_set(VIGIL_ELIMIT, "%s: over %zu bytes", what, n - 1);
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

/* The store location: --db, else the indexer's connstring, else the
 * matcher's, else the default file: an SQLite path or a PostgreSQL DSN. */
static int open_store(vigil_srv *s, const char *db)
{
	const char *loc = db && *db ? db : s->conf.indexer_connstring[0] ? s->conf.indexer_connstring
				    : s->conf.matcher_connstring[0] ? s->conf.matcher_connstring : NULL;
	return vigil_store_open(loc, &s->store);
}

int vigil_server_run(const vigil_server_options *o)
{
	vigil_srv *s;
	sigset_t set;
	int rc, sig = 0, left = 0;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	if (!(s = calloc(1, sizeof(*s))))
		return vigil_error_oom();
	pthread_mutex_init(&s->mu, NULL);
	srv_config_defaults(&s->conf);
	if (o->config_path && (rc = srv_config_load(o->config_path, &s->conf, o->warn, o->warn_ud)) < 0)
		goto out;
	if ((o->listen && (rc = copy_opt(s->conf.http_listen_addr, sizeof(s->conf.http_listen_addr), o->listen,
					  "--listen")) < 0) ||
	    (o->introspection_listen &&
	     (rc = copy_opt(s->conf.introspection_addr, sizeof(s->conf.introspection_addr),
			    o->introspection_listen, "--introspection-listen")) < 0) ||
	    (o->mode && (rc = copy_opt(s->conf.mode, sizeof(s->conf.mode), o->mode, "--mode")) < 0) ||
	    (o->harbor_listen && (rc = copy_opt(s->conf.harbor_listen, sizeof(s->conf.harbor_listen),
						o->harbor_listen, "--harbor-listen")) < 0))
		goto out;
	/* the layer-URI fetch policy of the config (indexer.fetch, docs/net.md) */
	if ((rc = vigil_fetch_policy_set(s->conf.fetch_deny, s->conf.fetch_allow, s->conf.fetch_deadline_s)) < 0)
		goto out;
	if (srv_mode_of(s->conf.mode) < 0) {
		rc = vigil_error_set(VIGIL_EINVAL, "mode \"%s\": combo, indexer or matcher expected", s->conf.mode);
		goto out;
	}
	if (s->conf.harbor_listen[0] && srv_mode_of(s->conf.mode) != SRV_MODE_COMBO) {
		rc = vigil_error_set(VIGIL_EINVAL, "harbor.listen: Harbor's scanner API indexes and matches: combo mode only");
		goto out;
	}
	s->threads = o->threads > 0 ? o->threads : s->conf.threads > 0 ? s->conf.threads
			: (int)(cores > 0 ? 2 * cores : 4);
	if (o->index_concurrency)
		s->conf.index_concurrency = o->index_concurrency;
	if (o->index_queue >= 0)
		s->conf.index_queue = o->index_queue;
	if (o->report_cache_bytes >= 0)
		s->conf.report_cache_bytes = o->report_cache_bytes;
	if (o->shutdown_grace_s >= 0)
		s->conf.shutdown_grace_s = o->shutdown_grace_s;
	s->index_limit = s->conf.index_concurrency < 0 ? -1 : s->conf.index_concurrency > 0 ? s->conf.index_concurrency
			: (int)(cores > 0 ? 2 * cores : 4);
	s->index_queue = s->conf.index_queue;
	s->log_level = level_of(s->conf.log_level);
	if ((rc = open_store(s, o->db)) < 0 || (rc = srv_v4_new((size_t)s->conf.report_cache_bytes, &s->v4)) < 0 || (rc = srv_metrics_init(s)) < 0)
		goto out;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	/* before the listeners: a manifest indexed from the first request on gets its baseline */
	if ((rc = srv_notify_start(s, o->config_path)) < 0 || (rc = srv_events_start(s)) < 0 ||
	    (rc = srv_http_start(s, s->conf.http_listen_addr, s->conf.introspection_addr)) < 0)
		goto out;
	if (s->conf.harbor_listen[0]) {
		int w = s->index_limit < 0 || s->index_limit > SRV_HARBOR_MAX_WORKERS ? SRV_HARBOR_MAX_WORKERS : s->index_limit;
		if ((rc = srv_harbor_new(s, w, &s->harbor)) < 0 || (rc = srv_http_start_harbor(s, s->conf.harbor_listen)) < 0)
			goto out;
		srv_log(s, "Harbor's scanner API on %s (%d scans at once%s)", s->conf.harbor_listen, w,
			s->conf.harbor_token[0] ? ", token required" : "");
	}
	srv_log(s, "listening on %s (introspection %s), %s mode, store %s, %d threads", s->conf.http_listen_addr,
		s->conf.introspection_addr[0] ? s->conf.introspection_addr : "off",
		s->conf.mode[0] ? s->conf.mode : "combo", vigil_store_describe(s->store), s->threads);
	if ((rc = srv_updater_start(s, o)) < 0)
		goto out;
	sigdelset(&set, SIGPIPE);
	while (sigwait(&set, &sig) != 0)
		;
	srv_log(s, "%s: finishing %ld requests in flight", sig == SIGTERM ? "SIGTERM" : "SIGINT",
		(long)atomic_load(&s->inflight));
	srv_updater_stop(s);
	srv_notify_stop(s);
	left = srv_events_stop(s, s->conf.shutdown_grace_s);
	left += srv_http_stop(s, s->conf.shutdown_grace_s);
	if (left)
		srv_log(s, "stopped (%d indexing runs abandoned)", left);
	else
		srv_log(s, "stopped");
	rc = 0;
out:
	srv_updater_stop(s);
	srv_notify_stop(s);
	left += srv_events_stop(s, 1); /* idle workers end at once */
	left += srv_http_stop(s, 0);
	left += srv_harbor_stop(s->harbor, left ? 0 : s->conf.shutdown_grace_s);
	if (left > 0) {
		orphaned = s; /* its threads still run: the process's exit reclaims it */
		return rc;
	}
	srv_events_free(s);
	srv_v4_free(s->v4);
	srv_harbor_free(s->harbor);
	srv_metrics_free(s);
	vigil_store_close(s->store);
	pthread_mutex_destroy(&s->mu);
	free(s);
	return rc;
}
