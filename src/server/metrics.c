/* server/metrics.c: the server's Prometheus metrics: requests by route
 * name and status code, a latency histogram per route, layers read and
 * taken from the cache, manifests indexed, registry events (events.c), and the age of each feed's
 * newest update operation. Rendered in the text exposition format (0.0.4)
 * at GET /metrics on the introspection address. */
#include "server/events.h"
#include "server/srv_priv.h"
#include "util/buf.h"
#include "util/error.h"
#include "vigil/db.h"
#include "vigil/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const double srv_buckets[SRV_NBUCKETS] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
					   0.1,    0.25,  0.5,    1,     2.5,  5,     10 };

#define SRV_METRICS_MAX ((size_t)4 * 1024 * 1024) /* the /metrics text */

int srv_metrics_init(vigil_srv *s)
{
	s->nrm = srv_v4_nroutes + srv_v1_nroutes + 1;
	if (!(s->rm = calloc(s->nrm, sizeof(*s->rm))))
		return vigil_error_oom();
	for (size_t i = 0; i < srv_v4_nroutes; i++)
		s->rm[i].name = srv_v4_routes[i].name;
	for (size_t i = 0; i < srv_v1_nroutes; i++)
		s->rm[srv_v4_nroutes + i].name = srv_v1_routes[i].name;
	s->rm[s->nrm - 1].name = "not_found";
	return 0;
}

void srv_metrics_free(vigil_srv *s)
{
	free(s->rm);
	s->rm = NULL;
}

size_t srv_metrics_route_index(const struct srv_route *r)
{
	if (!r)
		return srv_v4_nroutes + srv_v1_nroutes;
	if (r >= srv_v4_routes && r < srv_v4_routes + srv_v4_nroutes)
		return (size_t)(r - srv_v4_routes);
	return srv_v4_nroutes + (size_t)(r - srv_v1_routes);
}

void srv_metrics_observe(vigil_srv *s, size_t route, int status, double seconds)
{
	if (route >= s->nrm)
		route = s->nrm - 1;
	struct srv_route_metrics *m = &s->rm[route];
	pthread_mutex_lock(&s->mu);
	size_t i = 0;
	for (; i < SRV_MAX_CODES && m->codes[i] && m->codes[i] != status; i++)
		;
	if (i < SRV_MAX_CODES) {
		m->codes[i] = status;
		m->counts[i]++;
	}
	size_t b = 0;
	while (b < SRV_NBUCKETS && seconds > srv_buckets[b])
		b++;
	m->hist[b]++;
	m->sum += seconds;
	m->n++;
	pthread_mutex_unlock(&s->mu);
}

static void render_routes(vigil_srv *s, vigil_buf *b)
{
	vigil_buf_puts(b, "# HELP vigil_http_requests_total HTTP requests answered, by route and status code.\n"
			  "# TYPE vigil_http_requests_total counter\n");
	pthread_mutex_lock(&s->mu);
	for (size_t r = 0; r < s->nrm; r++)
		for (size_t i = 0; i < SRV_MAX_CODES && s->rm[r].codes[i]; i++)
			vigil_buf_printf(b, "vigil_http_requests_total{route=\"%s\",code=\"%d\"} %llu\n", s->rm[r].name,
					 s->rm[r].codes[i], (unsigned long long)s->rm[r].counts[i]);
	vigil_buf_puts(b, "# HELP vigil_http_request_duration_seconds Time to answer a request, by route.\n"
			  "# TYPE vigil_http_request_duration_seconds histogram\n");
	for (size_t r = 0; r < s->nrm; r++) {
		const struct srv_route_metrics *m = &s->rm[r];
		uint64_t cum = 0;
		if (!m->n)
			continue;
		for (size_t k = 0; k < SRV_NBUCKETS; k++) {
			cum += m->hist[k];
			vigil_buf_printf(b, "vigil_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
					 m->name, srv_buckets[k], (unsigned long long)cum);
		}
		vigil_buf_printf(b, "vigil_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
				    "vigil_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
				    "vigil_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
				 m->name, (unsigned long long)m->n, m->name, m->sum, m->name, (unsigned long long)m->n);
	}
	pthread_mutex_unlock(&s->mu);
}

int srv_metrics_text(vigil_srv *s, char **out, size_t *len)
{
	vigil_buf b;
	vigil_db_feed_status *st = NULL;
	size_t n = 0;
	int64_t now = (int64_t)time(NULL);
	vigil_buf_init(&b, SRV_METRICS_MAX);
	render_routes(s, &b);
	vigil_buf_printf(&b,
			 "# HELP vigil_layers_indexed_total Layers fetched and scanned by the indexer.\n"
			 "# TYPE vigil_layers_indexed_total counter\n"
			 "vigil_layers_indexed_total %llu\n"
			 "# HELP vigil_layers_cached_total Layers whose scan came from the cache.\n"
			 "# TYPE vigil_layers_cached_total counter\n"
			 "vigil_layers_cached_total %llu\n"
			 "# HELP vigil_manifests_indexed_total Manifests indexed (not requests answered).\n"
			 "# TYPE vigil_manifests_indexed_total counter\n"
			 "vigil_manifests_indexed_total %llu\n"
			 "# HELP vigil_requests_in_flight Requests being answered.\n"
			 "# TYPE vigil_requests_in_flight gauge\n"
			 "vigil_requests_in_flight %ld\n",
			 (unsigned long long)atomic_load(&s->layers_indexed),
			 (unsigned long long)atomic_load(&s->layers_cached),
			 (unsigned long long)atomic_load(&s->manifests_indexed), (long)atomic_load(&s->inflight));
	srv_events_metrics(s, &b);
	if (s->notifier) {
		uint64_t delivered, failed, generated;
		vigil_notifier_counts(s->notifier, &delivered, &failed, &generated);
		vigil_buf_printf(&b,
				 "# HELP vigil_notifications_generated_total Notification sets made by this node.\n"
				 "# TYPE vigil_notifications_generated_total counter\n"
				 "vigil_notifications_generated_total %llu\n"
				 "# HELP vigil_notifications_delivered_total Notification sets this node delivered.\n"
				 "# TYPE vigil_notifications_delivered_total counter\n"
				 "vigil_notifications_delivered_total %llu\n"
				 "# HELP vigil_notification_failures_total Delivery attempts of this node that failed.\n"
				 "# TYPE vigil_notification_failures_total counter\n"
				 "vigil_notification_failures_total %llu\n",
				 (unsigned long long)generated, (unsigned long long)delivered, (unsigned long long)failed);
	}
	if (vigil_db_status(s->store, &st, &n) >= 0) {
		vigil_buf_puts(&b, "# HELP vigil_feed_age_seconds Age of the newest update operation of each feed.\n"
				   "# TYPE vigil_feed_age_seconds gauge\n");
		for (size_t i = 0; i < n; i++)
			if (st[i].has_data)
				vigil_buf_printf(&b, "vigil_feed_age_seconds{feed=\"%s\"} %lld\n", st[i].feed,
						 (long long)(now - st[i].last.created));
		free(st);
	}
	if (!b.data && vigil_buf_puts(&b, "") < 0) {
		vigil_buf_free(&b);
		return vigil_error_oom();
	}
	*out = vigil_buf_detach(&b, len);
	return *out ? 0 : vigil_error_oom();
}
