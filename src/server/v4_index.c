/* server/v4_index.c: the Clair v4 routes that index and match.
 *
 * POST /indexer/api/v1/index_report: the body is parsed once
 * (vigil_manifest_parse: 400 naming the field; no layers: 400, as Clair's
 * "bogus manifest") into the handle the indexer
 * takes. A report is bound to what it was made from: the manifest hash and
 * the layers id (the sha256 of the layer digests in order; URIs and headers
 * left out, they carry expiring signatures). A stored report is answered
 * only to a Manifest with the same hash, the same layers id and the current
 * indexer state; a Manifest whose layers differ from the stored one's is
 * indexed anew and its report replaces the stored one (whoever POSTs gets
 * the report of the layers it sent: a first poster with fake layers cannot
 * answer for the real image, and refusing instead (409) would let it lock
 * the real image out). The in-flight table is keyed by hash and layers id:
 * concurrent POSTs of one Manifest index it once (the others wait on the
 * condition variable and get the same answer), a POST with other layers
 * never gets that answer. Across nodes of one PostgreSQL the store's lock
 * "manifest:<hash>:<layers id>" makes the others wait and then find what
 * is stored; a POST of other layers takes another lock, so a slow fake
 * layer never holds the real image's POST (the last report stored wins
 * the GETs; each POST is answered with its own). A report stored anew drops the hash's cached VulnerabilityReport.
 * The 201 carries the index state's ETag, as Clair's does (Quay asserts it),
 * and Clair's two Link headers (rel .../index_report, .../vulnerability_report);
 * an If-None-Match naming the current state is answered 412 without
 * indexing, and a Manifest without layers 400, as Clair does.
 *
 * GET /matcher/api/v1/vulnerability_report/{digest}: the stored Manifest
 * is indexed again from the layer cache (no layer is fetched while its
 * scan is cached; an evicted one is fetched from its URI again) and
 * matched, answered 200 as Clair does (clairctl accepts only 200 and 304);
 * 202 with no body while no feed has data yet, as Clair's matcher before
 * its first update. Re-indexing from the cache, rather than decoding the stored
 * IndexReport JSON, keeps one path from layers to packages (the report the
 * matcher sees is exactly what `vigil scan` sees). The VulnerabilityReport
 * JSON is cached in memory per (manifest, newest update operation of every
 * feed), capped in bytes (report_cache.c); a watcher thread reads the
 * feeds' state every SRV_FP_TTL_MS, so a db update (on any node) shows
 * within a second and no request waits on the database when its report is
 * cached. */
#include "server/report_cache.h"
#include "server/srv_priv.h"
#include "server/v4.h"
#include "util/buf.h"
#include "util/error.h"
#include "vigil/db.h"
#include "vigil/index.h"
#include "vigil/manifest.h"
#include "vigil/match.h"
#include "vigil/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SRV_FP_TTL_MS    1000 /* how long the feeds' fingerprint is trusted */
#define SRV_FP_STALE_MS  3000 /* how old it may be before a request reads it itself */
#define SRV_FP_MAX       4096 /* the fingerprint: the newest op ref of every feed */
#define SRV_MANIFEST_LOCK_MS (30 * 60 * 1000) /* waiting for another node's indexing of a manifest */
#define SRV_DIGEST_MAX   VIGIL_MANIFEST_DIGEST_MAX

struct inflight {
	struct inflight *next;
	char hash[SRV_DIGEST_MAX];
	char layers_id[SRV_DIGEST_MAX]; /* what the answer is made from */
	int refs;
	bool done;
	int status;
	char *body;
	size_t len;
};

struct srv_v4 {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct inflight *inflight;
	char state[72];
	srv_rcache *cache;
	char fp[SRV_FP_MAX];
	int64_t fp_ms;      /* when fp was read (monotonic ms), -1: never */
	pthread_t fp_th;    /* the watcher */
	pthread_cond_t fp_cv;
	bool fp_started, fp_stop;
};

int srv_v4_new(size_t report_cache_bytes, struct srv_v4 **out)
{
	struct srv_v4 *v = calloc(1, sizeof(*v));
	char d[SRV_DIGEST_MAX];
	int rc;
	*out = NULL;
	if (!v)
		return vigil_error_oom();
	if ((rc = srv_rcache_new(report_cache_bytes, &v->cache)) < 0) {
		free(v);
		return rc;
	}
	pthread_mutex_init(&v->mu, NULL);
	pthread_cond_init(&v->cv, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&v->fp_cv, &ca);
	pthread_condattr_destroy(&ca);
	vigil_digest_sha256(vigil_index_scanners_version(), strlen(vigil_index_scanners_version()), d);
	snprintf(v->state, sizeof(v->state), "%.64s", d + 7);
	v->fp_ms = -1;
	*out = v;
	return 0;
}

void srv_v4_free(struct srv_v4 *v)
{
	if (!v)
		return;
	pthread_mutex_lock(&v->mu);
	v->fp_stop = true;
	pthread_cond_broadcast(&v->fp_cv);
	bool joined = v->fp_started;
	pthread_mutex_unlock(&v->mu);
	if (joined)
		pthread_join(v->fp_th, NULL);
	pthread_cond_destroy(&v->fp_cv);
	srv_rcache_free(v->cache);
	pthread_mutex_destroy(&v->mu);
	pthread_cond_destroy(&v->cv);
	free(v);
}

const char *srv_v4_index_state(vigil_srv *s) { return srv_v4_state(s)->state; }

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static char *dup_mem(const char *p, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, p, n);
		d[n] = '\0';
	}
	return d;
}

/* ---- POST index_report ---- */

struct counts {
	vigil_srv *s;
	uint64_t read, cached;
};

static void on_progress(void *ud, const vigil_index_progress *p)
{
	struct counts *c = ud;
	if (p->event == VIGIL_INDEX_LAYER_CACHED)
		c->cached++;
	else if (p->event == VIGIL_INDEX_LAYER_DONE)
		c->read++;
}

/* libcurl's answer to a response header over its cap (CURL_MAX_HTTP_HEADER)
 * is CURLE_OUT_OF_MEMORY, which the HTTP client passes on as
 * "<url>: Out of memory"; a client that names the limit says "header". */
static bool header_too_large(int rc, const char *msg)
{
	size_t n = strlen(msg);
	if (rc == VIGIL_ELIMIT)
		return strstr(msg, "header") != NULL;
	return rc == VIGIL_EIO && n >= 15 && !strcmp(msg + n - 15, ": Out of memory");
}

/* The answer to a failed indexing run, by what failed. */
static void index_error(srv_response *rs, int rc, const char *hash)
{
	const char *msg = vigil_error_message();
	if (header_too_large(rc, msg)) {
		srv_error_v4(rs, 502, "layer-fetch-failed", "manifest %s: %s (the upstream's response header too large)",
			     hash, msg);
		return;
	}
	switch (rc) {
	case VIGIL_EIO:
	case VIGIL_ENOTFOUND:
		srv_error_v4(rs, 502, "layer-fetch-failed", "manifest %s: %s", hash, msg);
		break;
	case VIGIL_EDIGEST:
		srv_error_v4(rs, 422, "digest-mismatch", "manifest %s: %s", hash, msg);
		break;
	case VIGIL_ELIMIT:
	case VIGIL_EFORMAT:
	case VIGIL_EUNSUPPORTED:
		srv_error_v4(rs, 422, "unprocessable", "manifest %s: %s", hash, msg);
		break;
	case VIGIL_EUNAVAILABLE:
		srv_error_v4(rs, 503, "unavailable", "manifest %s: %s", hash, msg);
		break;
	default:
		srv_error_v4(rs, 500, "internal-error", "manifest %s: %s", hash, msg);
	}
}

/* 1 when the stored record sr was made from layers_id under the current
 * state: its report answers the request. */
static bool stored_answers(struct srv_v4 *v, const vigil_store_index_report *sr, const char *layers_id)
{
	vigil_manifest *m = NULL;
	bool same;
	if (strcmp(sr->state, v->state) || vigil_manifest_parse(sr->manifest, sr->manifest_len, &m) < 0)
		return false;
	same = !strcmp(vigil_manifest_layers_id(m), layers_id);
	vigil_manifest_free(m);
	return same;
}

/* Indexes (or finds) the manifest m (taken): the work of the first
 * request. body is the Manifest JSON stored with the report; *fresh is set
 * when the report was made now (not found stored). */
static void index_once(vigil_srv *s, const char *body, size_t body_len, vigil_manifest *m, srv_response *rs,
		       bool *fresh)
{
	struct srv_v4 *v = srv_v4_state(s);
	vigil_store_index_report sr = { 0 };
	vigil_index_report *ir = NULL;
	vigil_index_options opt;
	struct counts cnt = { s, 0, 0 };
	vigil_store_lock *lk = NULL;
	char key[VIGIL_STORE_MAX_LOCK_KEY], hash[SRV_DIGEST_MAX], id[SRV_DIGEST_MAX];
	char *json = NULL;
	size_t len = 0;
	int rc;

	snprintf(hash, sizeof(hash), "%s", vigil_manifest_hash(m));
	snprintf(id, sizeof(id), "%s", vigil_manifest_layers_id(m));
	/* one indexing of these layers under hash across the nodes of the
	 * store; a POST of other layers never waits behind it (a slow fake
	 * layer cannot hold the real image's POST) */
	snprintf(key, sizeof(key), "manifest:%.135s:%.71s", hash, id);
	if ((rc = vigil_store_lock_take(srv_store(s), key, SRV_MANIFEST_LOCK_MS, &lk)) < 0) {
		index_error(rs, rc, hash);
		goto out;
	}
	if ((rc = vigil_store_index_report_get(srv_store(s), hash, &sr)) >= 0) {
		if (stored_answers(v, &sr, id)) {
			srv_json_text(rs, 201, sr.report, sr.report_len);
			sr.report = NULL;
			goto out;
		}
		if (!strcmp(sr.state, v->state))
			srv_log(s, "manifest %s: its layers differ from the stored report's: indexing anew", hash);
		vigil_store_index_report_free(&sr);
	} else if (rc != VIGIL_ENOTFOUND) {
		index_error(rs, rc, hash);
		goto out;
	}
	vigil_index_options_init(&opt);
	opt.store = srv_store(s);
	opt.threads = srv_index_threads(s);
	opt.max_layer_size = s->conf.max_layer_size;
	opt.progress = on_progress;
	opt.progress_ud = &cnt;
	rc = vigil_index_manifest_parsed(m, &opt, &ir);
	m = NULL;
	srv_count_layers(s, cnt.read, cnt.cached);
	if (rc < 0) {
		srv_log(s, "index %s failed: %s", hash, vigil_error_message());
		index_error(rs, rc, hash);
		goto out;
	}
	if ((rc = vigil_index_report_json(ir, 0, &json, &len)) < 0) {
		srv_log(s, "index %s failed: the IndexReport JSON: %s", hash, vigil_error_message());
		srv_error_v4(rs, 500, "internal-error", "manifest %s: %s", hash, vigil_error_message());
		goto out;
	}
	sr.report = json;
	sr.report_len = len;
	sr.manifest = (char *)body;
	sr.manifest_len = body_len;
	snprintf(sr.state, sizeof(sr.state), "%.64s", v->state);
	rc = vigil_store_index_report_put(srv_store(s), hash, &sr);
	sr.report = sr.manifest = NULL;
	if (rc < 0) {
		srv_log(s, "index %s failed: storing the IndexReport (%zu packages) in the store: %s", hash,
			ir->package_count, vigil_error_message());
		srv_error_v4(rs, rc == VIGIL_EUNAVAILABLE ? 503 : 500, rc == VIGIL_EUNAVAILABLE ? "unavailable" : "internal-error",
			     "manifest %s: storing the IndexReport failed: %s", hash, vigil_error_message());
		goto out;
	}
	srv_rcache_drop(v->cache, hash); /* a report made from other layers is gone */
	srv_count_manifest_indexed(s);
	srv_notify_indexed(s, hash, ir);
	*fresh = true;
	srv_log(s, "indexed manifest %s: %zu layers (%llu from the cache), %zu packages", hash, ir->layer_count,
		(unsigned long long)cnt.cached, ir->package_count);
	srv_json_text(rs, 201, json, len);
	json = NULL;
out:
	vigil_store_lock_release(lk);
	vigil_store_index_report_free(&sr);
	vigil_manifest_free(m);
	free(json);
	vigil_index_report_free(ir);
}

int srv_v4_index_manifest(vigil_srv *s, vigil_manifest *m, const char *body, size_t body_len,
			  const char *if_none_match, srv_response *rs, bool *fresh)
{
	struct srv_v4 *v = srv_v4_state(s);
	struct inflight *f, **pp;
	char hash[SRV_DIGEST_MAX], id[SRV_DIGEST_MAX];

	*fresh = false;
	snprintf(hash, sizeof(hash), "%s", vigil_manifest_hash(m));
	snprintf(id, sizeof(id), "%s", vigil_manifest_layers_id(m));
	if (vigil_manifest_layer_count(m) == 0) {
		vigil_manifest_free(m);
		return srv_error_v4(rs, 400, "bad-request", "bogus manifest: no layers");
	}
	/* Clair's links to the report, on its 201 and 412 alike (clairctl
	 * keeps the ETag as the validator of the index_report link) */
	snprintf(rs->link[0], sizeof(rs->link[0]),
		 "</indexer/api/v1/index_report/%s>; rel=\"https://projectquay.io/clair/v1/index_report\"", hash);
	snprintf(rs->link[1], sizeof(rs->link[1]),
		 "</matcher/api/v1/vulnerability_report/%s>; rel=\"https://projectquay.io/clair/v1/vulnerability_report\"",
		 hash);
	char state[sizeof(rs->etag)];
	snprintf(state, sizeof(state), "\"%s\"", srv_v4_index_state(s));
	if (if_none_match && srv_etag_matches(if_none_match, state)) {
		/* the client has this manifest's report of the current state */
		vigil_manifest_free(m);
		rs->status = 412;
		return 0;
	}

	pthread_mutex_lock(&v->mu);
	for (f = v->inflight; f && (strcmp(f->hash, hash) || strcmp(f->layers_id, id)); f = f->next)
		;
	if (f) {
		vigil_manifest_free(m);
		f->refs++;
		while (!f->done)
			pthread_cond_wait(&v->cv, &v->mu);
	} else {
		if (!(f = calloc(1, sizeof(*f)))) {
			pthread_mutex_unlock(&v->mu);
			vigil_manifest_free(m);
			return srv_error_v4(rs, 500, "internal-error", "out of memory");
		}
		snprintf(f->hash, sizeof(f->hash), "%s", hash);
		snprintf(f->layers_id, sizeof(f->layers_id), "%s", id);
		f->refs = 1;
		f->next = v->inflight;
		v->inflight = f;
		pthread_mutex_unlock(&v->mu);

		srv_response mine = { 0 };
		index_once(s, body, body_len, m, &mine, fresh);

		pthread_mutex_lock(&v->mu);
		f->status = mine.status;
		f->body = mine.body;
		f->len = mine.len;
		f->done = true;
		/* later POSTs index again (or find the stored report) */
		for (pp = &v->inflight; *pp; pp = &(*pp)->next)
			if (*pp == f) {
				*pp = f->next;
				break;
			}
		pthread_cond_broadcast(&v->cv);
	}
	char *copy = dup_mem(f->body ? f->body : "", f->len);
	int status = f->status;
	if (--f->refs == 0) {
		free(f->body);
		free(f);
	}
	pthread_mutex_unlock(&v->mu);
	if (!copy)
		return srv_error_v4(rs, 500, "internal-error", "out of memory");
	srv_json_text(rs, status, copy, strlen(copy));
	if (status == 201) {
		snprintf(rs->location, sizeof(rs->location), "/indexer/api/v1/index_report/%s", hash);
		/* the index state's, as Clair's answer has it (Quay asserts it) */
		snprintf(rs->etag, sizeof(rs->etag), "\"%s\"", v->state);
	}
	return 0;
}

int srv_v4_index_post(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	vigil_manifest *m = NULL;
	bool fresh;
	int rc;
	/* the Manifest is checked before anything is fetched, parsed once */
	if ((rc = vigil_manifest_parse(rq->body, rq->body_len, &m)) < 0)
		return srv_error_v4(rs, rc == VIGIL_ENOMEM ? 500 : 400, "bad-request", "%s", vigil_error_message());
	return srv_v4_index_manifest(s, m, rq->body, rq->body_len, rq->if_none_match, rs, &fresh);
}

/* ---- GET vulnerability_report ---- */

/* Reads the feeds' state (the newest operation of every feed) from the
 * store into v->fp. */
static int fp_refresh(vigil_srv *s)
{
	struct srv_v4 *v = srv_v4_state(s);
	vigil_db_feed_status *st = NULL;
	size_t k = 0;
	vigil_buf b;
	int64_t t = now_ms();
	int rc = vigil_db_status(srv_store(s), &st, &k);
	if (rc < 0)
		return rc;
	vigil_buf_init(&b, SRV_FP_MAX - 1);
	for (size_t i = 0; i < k; i++)
		if (st[i].has_data)
			vigil_buf_printf(&b, "%s=%s;", st[i].feed, st[i].last.ref);
	free(st);
	pthread_mutex_lock(&v->mu);
	snprintf(v->fp, sizeof(v->fp), "%s", b.data ? b.data : "");
	v->fp_ms = t;
	pthread_mutex_unlock(&v->mu);
	vigil_buf_free(&b);
	return 0;
}

/* The watcher: reads the feeds' state every SRV_FP_TTL_MS, off the
 * requests' path (a database round trip on a worker would hold every
 * connection of that worker). */
static void *fp_watch(void *arg)
{
	vigil_srv *s = arg;
	struct srv_v4 *v = srv_v4_state(s);
	pthread_mutex_lock(&v->mu);
	while (!v->fp_stop) {
		pthread_mutex_unlock(&v->mu);
		(void)fp_refresh(s); /* a failure shows as the state growing old */
		pthread_mutex_lock(&v->mu);
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += (long)SRV_FP_TTL_MS * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		if (!v->fp_stop)
			pthread_cond_timedwait(&v->fp_cv, &v->mu, &ts);
	}
	pthread_mutex_unlock(&v->mu);
	return NULL;
}

/* The feeds' state a report is cached under: the watcher's (started on
 * first use) while it is under SRV_FP_STALE_MS old; else (the store does
 * not answer the watcher) read here, so a store gone away is a 503. */
static int feeds_fingerprint(vigil_srv *s, char *out, size_t n)
{
	struct srv_v4 *v = srv_v4_state(s);
	pthread_mutex_lock(&v->mu);
	if (!v->fp_started && !v->fp_stop) {
		if (pthread_create(&v->fp_th, NULL, fp_watch, s) == 0) {
			v->fp_started = true;
		}
	}
	if (v->fp_ms >= 0 && now_ms() - v->fp_ms < SRV_FP_STALE_MS) {
		snprintf(out, n, "%s", v->fp);
		pthread_mutex_unlock(&v->mu);
		return 0;
	}
	pthread_mutex_unlock(&v->mu);
	int rc = fp_refresh(s);
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&v->mu);
	snprintf(out, n, "%s", v->fp);
	pthread_mutex_unlock(&v->mu);
	return 0;
}

void srv_v4_cache_drop(vigil_srv *s, const char *hash)
{
	srv_rcache_drop(srv_v4_state(s)->cache, hash);
}

int srv_v4_vuln_report(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	const char *hash = rq->params[0];
	char fp[SRV_FP_MAX];
	vigil_store_index_report sr = { 0 };
	vigil_manifest *m = NULL;
	vigil_index_report *ir = NULL;
	vigil_vuln_report *vr = NULL;
	vigil_index_options opt;
	vigil_match_options mo;
	struct counts cnt = { s, 0, 0 };
	char *json = NULL;
	srv_blob *blob;
	size_t len = 0;
	uint64_t gen;
	vigil_report_format fmt;
	int rc;

	if (vigil_digest_check(hash, "digest") < 0)
		return srv_error_v4(rs, 400, "bad-request", "%s", vigil_error_message());
	if (srv_report_format(rq, rs, &fmt) != 0 || rs->status >= 400)
		return 0;
	if ((rc = feeds_fingerprint(s, fp, sizeof(fp))) < 0)
		return srv_error_v4(rs, rc == VIGIL_EUNAVAILABLE ? 503 : 500,
				    rc == VIGIL_EUNAVAILABLE ? "unavailable" : "internal-error", "%s", vigil_error_message());
	if (!fp[0]) {
		/* as Clair's matcher before its first update: 202, no body */
		rs->status = 202;
		return 0;
	}
	if (fmt == VIGIL_FMT_CLAIR && (blob = srv_rcache_get(srv_v4_state(s)->cache, hash, fp)))
		return srv_json_blob(rs, 200, blob);
	gen = srv_rcache_gen(srv_v4_state(s)->cache); /* before the record is read */
	if ((rc = vigil_store_index_report_get(srv_store(s), hash, &sr)) < 0) {
		if (rc == VIGIL_ENOTFOUND)
			return srv_error_v4(rs, 404, "not-found", "manifest %s has not been indexed", hash);
		index_error(rs, rc, hash);
		return 0;
	}
	vigil_index_options_init(&opt);
	opt.store = srv_store(s);
	opt.threads = srv_index_threads(s);
	opt.max_layer_size = s->conf.max_layer_size;
	opt.progress = on_progress;
	opt.progress_ud = &cnt;
	if ((rc = vigil_manifest_parse(sr.manifest, sr.manifest_len, &m)) < 0 ||
	    (rc = vigil_index_manifest_parsed(m, &opt, &ir)) < 0) {
		m = NULL;
		index_error(rs, rc, hash);
		goto out;
	}
	m = NULL;
	srv_count_layers(s, cnt.read, cnt.cached);
	vigil_match_options_init(&mo);
	mo.store = srv_store(s);
	mo.lang_os_owned = s->conf.lang_os_owned;
	if (fmt != VIGIL_FMT_CLAIR) {
		if ((rc = vigil_match(ir, &mo, &vr)) < 0 && rc == VIGIL_EUNAVAILABLE)
			index_error(rs, rc, hash);
		else if (rc < 0)
			srv_error_v4(rs, 500, "internal-error", "manifest %s: %s", hash, vigil_error_message());
		else
			srv_send_report(rs, fmt, ir, vr, hash);
		goto out;
	}
	if ((rc = vigil_match(ir, &mo, &vr)) < 0 || (rc = vigil_vuln_report_json(vr, 0, &json, &len)) < 0) {
		if (rc == VIGIL_EUNAVAILABLE)
			index_error(rs, rc, hash);
		else
			srv_error_v4(rs, 500, "internal-error", "manifest %s: %s", hash, vigil_error_message());
		goto out;
	}
	if (!(blob = srv_blob_new(json, len))) {
		srv_error_v4(rs, 500, "internal-error", "out of memory");
		goto out;
	}
	srv_rcache_put(srv_v4_state(s)->cache, hash, fp, blob, gen);
	srv_json_blob(rs, 200, blob);
out:
	free(json);
	vigil_vuln_report_free(vr);
	vigil_index_report_free(ir);
	vigil_store_index_report_free(&sr);
	return 0;
}
