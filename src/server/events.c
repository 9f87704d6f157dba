/* server/events.c: push-triggered scanning: POST /registry/events, the
 * queue and the workers.
 *
 * The handler answers at once and indexes nothing itself: a registry
 * posts its notifications from one queue per endpoint and retries any
 * non-2xx answer (after `backoff`) until it is accepted, so a slow or
 * refusing endpoint holds back every later event of that registry. It
 * checks the endpoint's token (registry_events.token: the registry's
 * `notifications.endpoints[].headers` sends "Authorization: Bearer T";
 * without a token, auth.psk's JWT when auth is on, else open), parses the
 * envelope (events_parse.c), and for each push of a manifest or index
 * from a configured registry queues a job; the answer is 202 with the
 * counts. What it does not queue is answered 202 too and logged: pulls,
 * blob pushes, deletes (a delete drops nothing: the stored report stays
 * until DELETE index_report), malformed events, and events from a
 * registry that is not configured (dropped, not 403: a 4xx would be
 * retried by the registry for ever and block its queue). Only a full
 * queue (or a server stopping) is 503 with Retry-After: the registry
 * sends the envelope again later, which is the back-pressure wanted.
 *
 * Duplicates are harmless at three levels: a job for the same (registry,
 * repository, digest) already queued or running is not queued again (a
 * push of a second tag of one image, a replayed event); a job whose
 * manifest's report is stored with the same layers and indexer state is
 * answered from the store by srv_v4_index_manifest (a later push of the
 * same digest, in any repository), and the in-flight table there joins a
 * concurrent Clair POST of the same Manifest. Order does not matter: each
 * job pulls what the registry holds under the digest now.
 *
 * A job: "HOST/REPO@DIGEST" is resolved with the registry's credentials
 * into a Clair v4 Manifest (vigil_registry_manifest_json: blob URLs and
 * the Authorization they need), indexed through the same path as POST
 * index_report, and stored under the event's digest. The stored Manifest
 * has its headers removed: a token expires and Basic credentials must not
 * sit in the store (a layer evicted from the cache is then fetched without
 * them). An index (manifest list) is stored under its own digest with the
 * report of the configured platform (registry_events.platform, linux/amd64
 * by default); its platform manifests come with their own push events (a
 * registry notifies every manifest PUT) and are stored under theirs. A
 * job that fails (repository deleted, registry down, unreadable image) is
 * logged and counted, never retried: the next push is the retry. */
#define _GNU_SOURCE /* pthread_timedjoin_np */
#include "server/events.h"
#include "server/srv_priv.h"
#include "server/v4.h"
#include "util/buf.h"
#include "util/error.h"
#include "vigil/registry.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define SRV_EV_RETRY_AFTER_S 5 /* a 503 (queue full) asks the registry to wait this long */

struct ev_job {
	struct ev_job *next;
	size_t reg;                            /* index into conf.events.reg */
	srv_ev_kind kind;
	char repo[SRV_EV_MAX_REPO + 1];
	char digest[VIGIL_MANIFEST_DIGEST_MAX];
	char tag[SRV_EV_MAX_TAG + 1];
};

struct srv_events {
	pthread_mutex_t mu;
	pthread_cond_t cv;                     /* a job queued, or stop */
	struct ev_job *head, *tail;            /* the queue */
	size_t queued;
	struct ev_job *running[SRV_EV_MAX_WORKERS]; /* each worker's job, NULL when idle */
	pthread_t th[SRV_EV_MAX_WORKERS];
	int nth;
	bool stop;
	atomic_uint_fast64_t received, ignored, dropped, duplicate, indexed, failed;
};

/* ---- the workers ---- */

static bool same_job(const struct ev_job *a, const struct ev_job *b)
{
	return a && a->reg == b->reg && !strcmp(a->digest, b->digest) && !strcmp(a->repo, b->repo);
}

/* Manifest JSON with the Authorization headers (to fetch with) into
 * *fetch, and without them (to store) into *keep; the hash set to digest.
 * kind MANIFEST: the registry must have served that digest. */
static int job_manifest(const char *json, size_t len, const struct ev_job *j, char **fetch, char **keep)
{
	json_error_t je;
	json_t *root = json_loadb(json, len, 0, &je), *layers, *l;
	size_t i;
	int rc = 0;
	*fetch = *keep = NULL;
	if (!root || !json_is_object(root))
		return vigil_error_set(VIGIL_EFORMAT, "the Clair manifest of %s is not JSON", j->digest);
	const char *hash = json_string_value(json_object_get(root, "hash"));
	if (j->kind == SRV_EV_MANIFEST && (!hash || strcmp(hash, j->digest))) {
		rc = vigil_error_set(VIGIL_EDIGEST, "the registry served manifest %s for %s", hash ? hash : "(none)", j->digest);
		goto out;
	}
	if (json_object_set_new(root, "hash", json_string(j->digest)) < 0 ||
	    !(*fetch = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER))) {
		rc = vigil_error_oom();
		goto out;
	}
	layers = json_object_get(root, "layers");
	json_array_foreach(layers, i, l)
		json_object_set_new(l, "headers", json_object());
	if (!(*keep = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER)))
		rc = vigil_error_oom();
out:
	json_decref(root);
	return rc;
}

/* The log line's description of a job: "HOST/REPO@DIGEST (tag T)". */
static void job_name(vigil_srv *s, const struct ev_job *j, char *out, size_t n)
{
	snprintf(out, n, "%s/%s@%s%s%s%s", s->conf.events.reg[j->reg].host, j->repo, j->digest, j->tag[0] ? " (tag " : "",
		 j->tag, j->tag[0] ? ")" : "");
}

static void run_job(vigil_srv *s, const struct ev_job *j)
{
	struct srv_events *ev = s->events;
	const srv_ev_registry *r = &s->conf.events.reg[j->reg];
	vigil_registry_options ro;
	vigil_manifest *m = NULL;
	srv_response rs = { 0 };
	char ref[SRV_EV_MAX_HOST + SRV_EV_MAX_REPO + VIGIL_MANIFEST_DIGEST_MAX + 4], name[1024];
	char *json = NULL, *fetch = NULL, *keep = NULL;
	size_t len = 0;
	bool fresh = false;
	int rc;

	job_name(s, j, name, sizeof(name));
	snprintf(ref, sizeof(ref), "%s/%s@%s", r->host, j->repo, j->digest);
	vigil_registry_options_init(&ro);
	ro.insecure = r->insecure;
	ro.config_path = r->docker_config; /* "": none, never the server's own ~/.docker */
	if (r->username[0]) {
		ro.username = r->username;
		ro.password = r->password;
	}
	vigil_error_clear();
	if ((rc = vigil_registry_manifest_json(ref, j->kind == SRV_EV_INDEX ? (r->platform[0] ? r->platform
							      : s->conf.events.platform) : NULL,
						&ro, 0, &json, &len)) < 0 ||
	    (rc = job_manifest(json, len, j, &fetch, &keep)) < 0 ||
	    (rc = vigil_manifest_parse(fetch, strlen(fetch), &m)) < 0) {
		atomic_fetch_add(&ev->failed, 1);
		srv_log(s, "registry event: %s: failed, not retried: %s", name, vigil_error_message());
		goto out;
	}
	srv_v4_index_manifest(s, m, keep, strlen(keep), NULL, &rs, &fresh);
	m = NULL;
	if (rs.status != 201) {
		atomic_fetch_add(&ev->failed, 1);
		srv_log(s, "registry event: %s: failed (%d), not retried: %.*s", name, rs.status,
			(int)(rs.len > 1024 ? 1024 : rs.len), rs.body ? rs.body : "");
	} else if (fresh) {
		atomic_fetch_add(&ev->indexed, 1);
		srv_log(s, "registry event: %s: indexed", name);
	} else {
		atomic_fetch_add(&ev->duplicate, 1);
		srv_log(s, "registry event: %s: already indexed with the same layers", name);
	}
out:
	free(rs.body);
	vigil_manifest_free(m);
	free(json);
	free(fetch);
	free(keep);
}

struct worker_arg {
	vigil_srv *s;
	int slot;
};

static void *worker(void *arg)
{
	struct worker_arg a = *(struct worker_arg *)arg;
	struct srv_events *ev = a.s->events;
	free(arg);
	pthread_mutex_lock(&ev->mu);
	for (;;) {
		while (!ev->stop && !ev->head)
			pthread_cond_wait(&ev->cv, &ev->mu);
		if (ev->stop)
			break;
		struct ev_job *j = ev->head;
		if (!(ev->head = j->next))
			ev->tail = NULL;
		ev->queued--;
		ev->running[a.slot] = j;
		pthread_mutex_unlock(&ev->mu);
		run_job(a.s, j);
		pthread_mutex_lock(&ev->mu);
		ev->running[a.slot] = NULL;
		free(j);
	}
	pthread_mutex_unlock(&ev->mu);
	return NULL;
}

int srv_events_start(vigil_srv *s)
{
	const srv_events_config *c = &s->conf.events;
	struct srv_events *ev;
	if (!c->nreg)
		return 0;
	if (!(ev = calloc(1, sizeof(*ev))))
		return vigil_error_oom();
	pthread_mutex_init(&ev->mu, NULL);
	pthread_cond_init(&ev->cv, NULL);
	s->events = ev;
	for (int i = 0; i < c->workers && i < SRV_EV_MAX_WORKERS; i++) {
		struct worker_arg *a = malloc(sizeof(*a));
		if (!a)
			return vigil_error_oom();
		a->s = s;
		a->slot = i;
		if (pthread_create(&ev->th[i], NULL, worker, a) != 0) {
			free(a);
			return vigil_error_set(VIGIL_ERROR, "registry_events: cannot start worker thread %d", i);
		}
		ev->nth++;
	}
	srv_log(s, "push-triggered scanning: POST /registry/events from %zu registr%s, %d workers, queue %d%s", c->nreg,
		c->nreg == 1 ? "y" : "ies", ev->nth, c->queue,
		c->token[0] ? "" : s->conf.auth_psk_len ? " (auth.psk's JWT required)" : " (no token: open to anyone)");
	return 0;
}

int srv_events_stop(vigil_srv *s, int grace_s)
{
	struct srv_events *ev = s->events;
	struct timespec dl;
	size_t dropped = 0;
	int left = 0;
	if (!ev)
		return 0;
	pthread_mutex_lock(&ev->mu);
	if (!ev->stop) {
		ev->stop = true;
		while (ev->head) {
			struct ev_job *j = ev->head;
			ev->head = j->next;
			free(j);
			dropped++;
		}
		ev->tail = NULL;
		ev->queued = 0;
	}
	pthread_cond_broadcast(&ev->cv);
	pthread_mutex_unlock(&ev->mu);
	if (dropped)
		srv_log(s, "push-triggered scanning: stopping: %zu queued events dropped (indexed at their next push)", dropped);
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += grace_s;
	for (int i = 0; i < ev->nth; i++) {
		if (pthread_timedjoin_np(ev->th[i], NULL, &dl) != 0)
			ev->th[left++] = ev->th[i]; /* still indexing: waited for again by a later stop */
	}
	ev->nth = left;
	return left;
}

void srv_events_free(vigil_srv *s)
{
	struct srv_events *ev = s->events;
	if (!ev || ev->nth)
		return;
	pthread_mutex_destroy(&ev->mu);
	pthread_cond_destroy(&ev->cv);
	free(ev);
	s->events = NULL;
}

/* ---- the handler ---- */

/* Compares without stopping at the first difference. */
static bool same_secret(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	unsigned char d = na != nb;
	for (size_t i = 0; i < nb; i++)
		d |= (unsigned char)(a[i < na ? i : 0] ^ b[i]);
	return !d;
}

/* 0 when the request may post events; else the 401 is answered. */
static int check_auth(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	const char *tok = s->conf.events.token, *h = rq->authorization;
	char why[256] = "";
	if (tok[0]) {
		if (h && !strncasecmp(h, "Bearer ", 7) && same_secret(h + 7, tok))
			return 0;
		srv_error_v4(rs, 401, "unauthorized", "unauthorized: %s", h ? "wrong token" : "a bearer token is needed");
		return -1;
	}
	if (!s->conf.auth_psk_len || srv_auth_check(&s->conf, h, (int64_t)time(NULL), why, sizeof(why)) == 0)
		return 0;
	srv_error_v4(rs, 401, "unauthorized", "unauthorized: %s", why[0] ? why : "a bearer token is needed");
	return -1;
}

/* The configured registry the event comes from, or -1. */
static long find_registry(const srv_events_config *c, const srv_event *e)
{
	for (size_t i = 0; i < c->nreg; i++)
		if ((e->host[0] && !strcmp(c->reg[i].host, e->host)) || (e->url_host[0] && !strcmp(c->reg[i].host, e->url_host)))
			return (long)i;
	return -1;
}

enum { EV_QUEUED, EV_DUPLICATE, EV_FULL };

/* Queues the job of e unless it is queued or running already. */
static int enqueue(vigil_srv *s, size_t reg, const srv_event *e)
{
	struct srv_events *ev = s->events;
	struct ev_job *j = calloc(1, sizeof(*j)), *q;
	int rc = EV_QUEUED;
	if (!j)
		return EV_FULL;
	j->reg = reg;
	j->kind = e->kind;
	memcpy(j->repo, e->repo, sizeof(j->repo));
	memcpy(j->digest, e->digest, sizeof(j->digest));
	memcpy(j->tag, e->tag, sizeof(j->tag));
	pthread_mutex_lock(&ev->mu);
	for (int i = 0; i < ev->nth && rc == EV_QUEUED; i++)
		if (same_job(ev->running[i], j))
			rc = EV_DUPLICATE;
	for (q = ev->head; q && rc == EV_QUEUED; q = q->next) /* at most registry_events.queue */
		if (same_job(q, j))
			rc = EV_DUPLICATE;
	if (rc == EV_QUEUED && (ev->stop || ev->queued >= (size_t)s->conf.events.queue))
		rc = EV_FULL;
	if (rc == EV_QUEUED) {
		if (ev->tail)
			ev->tail->next = j;
		else
			ev->head = j;
		ev->tail = j;
		ev->queued++;
		j = NULL;
		pthread_cond_signal(&ev->cv);
	}
	pthread_mutex_unlock(&ev->mu);
	free(j);
	return rc;
}

int srv_events_post(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	struct srv_events *ev = s->events;
	srv_event_batch b;
	size_t n[5] = { 0 }; /* queued, duplicate, ignored, dropped, refused (full) */
	char msg[512], name[1024];
	int st;
	if (!ev)
		return srv_error_v4(rs, 404, "not-found", "push-triggered scanning is not configured (registry_events.registries)");
	if (check_auth(s, rq, rs) < 0)
		return 0;
	if ((st = srv_events_parse(rq->body, rq->body_len, &b, msg, sizeof(msg))) != 0) {
		srv_events_batch_free(&b);
		srv_log(s, "registry event: envelope refused (%d): %s", st, msg);
		return srv_error_v4(rs, st, st == 413 ? "too-large" : st == 500 ? "internal-error" : "bad-request", "%s", msg);
	}
	atomic_fetch_add(&ev->received, b.n);
	for (size_t i = 0; i < b.n; i++) {
		const srv_event *e = &b.ev[i];
		long reg;
		if (e->kind == SRV_EV_IGNORE) {
			n[2]++;
			continue;
		}
		if (e->kind == SRV_EV_BAD) {
			n[3]++;
			srv_log(s, "registry event: dropped: %s", e->why);
			continue;
		}
		if ((reg = find_registry(&s->conf.events, e)) < 0) {
			n[3]++;
			srv_log(s, "registry event: dropped: %s@%s from %s: not a configured registry (registry_events.registries)",
				e->repo, e->digest, e->host[0] ? e->host : e->url_host);
			continue;
		}
		int r = enqueue(s, (size_t)reg, e);
		n[r == EV_QUEUED ? 0 : r == EV_DUPLICATE ? 1 : 4]++;
		if (r == EV_DUPLICATE) {
			struct ev_job tmp = { .reg = (size_t)reg };
			memcpy(tmp.repo, e->repo, sizeof(tmp.repo));
			memcpy(tmp.digest, e->digest, sizeof(tmp.digest));
			memcpy(tmp.tag, e->tag, sizeof(tmp.tag));
			job_name(s, &tmp, name, sizeof(name));
			srv_log(s, "registry event: %s: already queued", name);
		}
	}
	srv_events_batch_free(&b);
	atomic_fetch_add(&ev->ignored, n[2]);
	atomic_fetch_add(&ev->dropped, n[3]);
	atomic_fetch_add(&ev->duplicate, n[1]);
	if (n[4]) {
		rs->retry_after = SRV_EV_RETRY_AFTER_S;
		return srv_error_v4(rs, 503, "unavailable", "%zu events not queued: the queue is full (%d) or the server is stopping",
				    n[4], s->conf.events.queue);
	}
	json_t *o = json_pack("{s:I, s:I, s:I, s:I}", "queued", (json_int_t)n[0], "duplicates", (json_int_t)n[1],
			      "ignored", (json_int_t)n[2], "dropped", (json_int_t)n[3]);
	char *txt = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!txt)
		return srv_error_v4(rs, 500, "internal-error", "out of memory");
	return srv_json_text(rs, 202, txt, strlen(txt));
}

void srv_events_metrics(vigil_srv *s, vigil_buf *b)
{
	struct srv_events *ev = s->events;
	static const char *const help[] = {
		"received", "Registry events received (every event of an accepted envelope).",
		"ignored", "Registry events that ask for nothing (pulls, blob pushes, mounts, deletes).",
		"dropped", "Registry events dropped: malformed, or from a registry not configured.",
		"duplicate", "Manifest pushes already queued, running or indexed with the same layers.",
		"indexed", "Manifest pushes indexed.",
		"failed", "Manifest pushes whose indexing failed (logged, not retried).",
	};
	if (!ev)
		return;
	uint64_t v[6] = { atomic_load(&ev->received), atomic_load(&ev->ignored), atomic_load(&ev->dropped),
			  atomic_load(&ev->duplicate), atomic_load(&ev->indexed), atomic_load(&ev->failed) };
	for (size_t i = 0; i < 6; i++)
		vigil_buf_printf(b, "# HELP vigil_registry_events_%s_total %s\n# TYPE vigil_registry_events_%s_total counter\n"
				    "vigil_registry_events_%s_total %llu\n",
				 help[2 * i], help[2 * i + 1], help[2 * i], help[2 * i], (unsigned long long)v[i]);
	pthread_mutex_lock(&ev->mu);
	size_t q = ev->queued;
	pthread_mutex_unlock(&ev->mu);
	vigil_buf_printf(b, "# HELP vigil_registry_events_queued Manifest pushes waiting for a worker.\n"
			    "# TYPE vigil_registry_events_queued gauge\nvigil_registry_events_queued %zu\n", q);
}
