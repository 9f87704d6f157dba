/* server/harbor_jobs.c: the scans of Harbor's scanner API. A POST /scan
 * is a job in a table of at most SRV_HARBOR_MAX_JOBS, named by a random
 * UUID (getrandom: ids cannot be guessed to read another artifact's
 * report). A fixed pool of worker threads (SRV_HARBOR_MAX_WORKERS at
 * most) takes waiting jobs in order: it pulls the artifact from the
 * registry Harbor named, with the Authorization Harbor gave sent verbatim
 * (vigil_registry_options.authorization), indexes it (layers cached in the
 * store, shared with every other API), matches it, and renders the reports
 * the request enabled into shared blobs, so a GET sends them without a
 * copy. Nothing but the rendered reports is kept: the Authorization is
 * wiped and freed as soon as the pull is over.
 *
 * Memory is bounded: the rendered reports in all at most
 * SRV_HARBOR_MAX_BYTES (the oldest finished scans are forgotten first), a
 * finished scan is forgotten after SRV_HARBOR_KEEP_S, and a table full of
 * unfinished scans refuses the next one (VIGIL_ELIMIT, a 503 with
 * Retry-After). A forgotten id is a 404, as an unknown one.
 *
 * Shutdown: the workers finish the scan in hand; srv_harbor_stop waits up
 * to the grace for them and reports the ones still running, whose state
 * is then left for the process to reclaim when it ends (as the v4 indexing threads). */
#include "server/harbor.h"
#include "server/srv_priv.h"
#include "util/error.h"
#include "util/redact.h"
#include "vigil/index.h"
#include "vigil/match.h"
#include "vigil/registry.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

struct job {
	struct job *next;          /* the table, newest first */
	char id[40];
	int state;
	int64_t created, finished; /* unix times */
	srv_harbor_scan sc;
	srv_blob *vuln, *spdx, *cdx;
	char err[512];
};

struct srv_harbor {
	vigil_srv *s;
	pthread_mutex_t mu;
	pthread_cond_t work, idle;
	struct job *jobs;
	size_t njobs, bytes;
	int running, alive;        /* scans in hand; worker threads alive */
	bool stop;
};

static void job_free(struct job *j)
{
	if (!j)
		return;
	if (j->sc.authorization) {
		memset(j->sc.authorization, 0, strlen(j->sc.authorization));
		free(j->sc.authorization);
	}
	srv_blob_unref(j->vuln);
	srv_blob_unref(j->spdx);
	srv_blob_unref(j->cdx);
	free(j);
}

static size_t job_bytes(const struct job *j)
{
	return (j->vuln ? j->vuln->len : 0) + (j->spdx ? j->spdx->len : 0) + (j->cdx ? j->cdx->len : 0);
}

/* Forgets finished jobs (under mu): those past SRV_HARBOR_KEEP_S, then the
 * oldest while over the byte cap or, when need_slot, the table is full. */
static void evict(struct srv_harbor *h, bool need_slot)
{
	int64_t now = (int64_t)time(NULL);
	for (;;) {
		struct job **pp, **oldest = NULL;
		for (pp = &h->jobs; *pp; pp = &(*pp)->next)
			if ((*pp)->state >= HARBOR_JOB_DONE)
				oldest = pp; /* newest first: the last finished one seen is the oldest */
		if (!oldest)
			return;
		struct job *j = *oldest;
		bool expired = now - j->finished > SRV_HARBOR_KEEP_S;
		if (!expired && h->bytes <= SRV_HARBOR_MAX_BYTES && !(need_slot && h->njobs >= SRV_HARBOR_MAX_JOBS))
			return;
		*oldest = j->next;
		h->njobs--;
		h->bytes -= job_bytes(j);
		job_free(j);
	}
}

/* ---- one scan ---- */

static srv_blob *blob_of(char *json, size_t len)
{
	srv_blob *b = json ? srv_blob_new(json, len) : NULL;
	free(json);
	return b;
}

/* Pulls, indexes, matches and renders j (outside the lock). */
static int run_scan(struct srv_harbor *h, struct job *j, srv_blob **vuln, srv_blob **spdx, srv_blob **cdx)
{
	vigil_srv *s = h->s;
	vigil_registry_options ro;
	vigil_index_options io;
	vigil_match_options mo;
	vigil_index_report *ir = NULL;
	vigil_vuln_report *vr = NULL;
	char ref[sizeof(j->sc.host) + sizeof(j->sc.art.repository) + sizeof(j->sc.art.digest) + 16], *json = NULL;
	size_t len = 0;
	int64_t now;
	int rc;

	snprintf(ref, sizeof(ref), "docker://%s/%s@%s", j->sc.host, j->sc.art.repository, j->sc.art.digest);
	vigil_registry_options_init(&ro);
	ro.insecure = j->sc.insecure;
	ro.authorization = j->sc.authorization;
	ro.config_path = ""; /* never the server's own Docker credentials */
	ro.fetch_policy = 1; /* a registry Harbor named: only where indexer.fetch allows */
	vigil_index_options_init(&io);
	io.store = srv_store(s);
	io.threads = srv_index_threads(s);
	io.max_layer_size = s->conf.max_layer_size;
	io.registry = &ro;
	rc = vigil_index_image(ref, &io, &ir);
	/* the credential is not needed any more */
	pthread_mutex_lock(&h->mu);
	if (j->sc.authorization) {
		memset(j->sc.authorization, 0, strlen(j->sc.authorization));
		free(j->sc.authorization);
		j->sc.authorization = NULL;
	}
	pthread_mutex_unlock(&h->mu);
	if (rc < 0)
		goto out;
	now = (int64_t)time(NULL);
	if (j->sc.outputs & HARBOR_OUT_VULN) {
		vigil_match_options_init(&mo);
		mo.store = srv_store(s);
		mo.lang_os_owned = s->conf.lang_os_owned;
		if ((rc = vigil_match(ir, &mo, &vr)) < 0 ||
		    (rc = srv_harbor_vuln_json(vr, &j->sc.art, now, &json, &len)) < 0)
			goto out;
		if (!(*vuln = blob_of(json, len))) {
			rc = vigil_error_oom();
			goto out;
		}
	}
	for (unsigned f = HARBOR_OUT_SPDX; f <= HARBOR_OUT_CDX; f <<= 1) {
		if (!(j->sc.outputs & f))
			continue;
		if ((rc = srv_harbor_sbom_json(ir, &j->sc.art, f, now, &json, &len)) < 0)
			goto out;
		srv_blob *b = blob_of(json, len);
		if (!b) {
			rc = vigil_error_oom();
			goto out;
		}
		*(f == HARBOR_OUT_SPDX ? spdx : cdx) = b;
	}
	srv_log(s, "harbor scan %s: %s/%s@%s: %zu packages, %zu findings", j->id, j->sc.host, j->sc.art.repository,
		j->sc.art.digest, ir->package_count, vr ? vr->finding_count : 0);
out:
	vigil_vuln_report_free(vr);
	vigil_index_report_free(ir);
	return rc;
}

static void *worker(void *arg)
{
	struct srv_harbor *h = arg;
	pthread_mutex_lock(&h->mu);
	for (;;) {
		struct job *j = NULL;
		for (struct job *k = h->jobs; k; k = k->next)
			if (k->state == HARBOR_JOB_WAITING)
				j = k; /* the oldest waiting */
		if (h->stop)
			break;
		if (!j) {
			pthread_cond_wait(&h->work, &h->mu);
			continue;
		}
		j->state = HARBOR_JOB_RUNNING;
		h->running++;
		pthread_mutex_unlock(&h->mu);

		srv_blob *vuln = NULL, *spdx = NULL, *cdx = NULL;
		vigil_error_clear();
		int rc = run_scan(h, j, &vuln, &spdx, &cdx);
		char err[512] = "";
		if (rc < 0) {
			char red[VIGIL_REDACT_MAX];
			snprintf(err, sizeof(err), "%s", vigil_redact_text(vigil_error_message(), red, sizeof(red)));
			srv_log(h->s, "harbor scan %s: %s/%s@%s failed: %s", j->id, j->sc.host, j->sc.art.repository,
				j->sc.art.digest, err);
		}

		pthread_mutex_lock(&h->mu);
		h->running--;
		j->vuln = vuln;
		j->spdx = spdx;
		j->cdx = cdx;
		snprintf(j->err, sizeof(j->err), "%s", err);
		j->finished = (int64_t)time(NULL);
		j->state = rc < 0 ? HARBOR_JOB_FAILED : HARBOR_JOB_DONE;
		h->bytes += job_bytes(j);
		evict(h, false);
		pthread_cond_broadcast(&h->idle);
	}
	h->alive--;
	pthread_cond_broadcast(&h->idle);
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

/* ---- the table ---- */

int srv_harbor_new(vigil_srv *s, int workers, struct srv_harbor **out)
{
	struct srv_harbor *h = calloc(1, sizeof(*h));
	*out = NULL;
	if (!h)
		return vigil_error_oom();
	h->s = s;
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->work, NULL);
	pthread_cond_init(&h->idle, NULL);
	if (workers < 1)
		workers = 1;
	if (workers > SRV_HARBOR_MAX_WORKERS)
		workers = SRV_HARBOR_MAX_WORKERS;
	for (int i = 0; i < workers; i++) {
		pthread_t th;
		pthread_mutex_lock(&h->mu);
		if (pthread_create(&th, NULL, worker, h) == 0) {
			pthread_detach(th);
			h->alive++;
		}
		pthread_mutex_unlock(&h->mu);
	}
	if (!h->alive) {
		srv_harbor_free(h);
		return vigil_error_set(VIGIL_EIO, "cannot start the Harbor scan workers");
	}
	*out = h;
	return 0;
}

int srv_harbor_stop(struct srv_harbor *h, int grace_s)
{
	if (!h)
		return 0;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += grace_s;
	pthread_mutex_lock(&h->mu);
	h->stop = true;
	pthread_cond_broadcast(&h->work);
	while (h->alive > 0 && pthread_cond_timedwait(&h->idle, &h->mu, &ts) == 0)
		;
	int left = h->alive;
	pthread_mutex_unlock(&h->mu);
	return left;
}

void srv_harbor_free(struct srv_harbor *h)
{
	if (!h)
		return;
	while (h->jobs) {
		struct job *j = h->jobs;
		h->jobs = j->next;
		job_free(j);
	}
	pthread_cond_destroy(&h->work);
	pthread_cond_destroy(&h->idle);
	pthread_mutex_destroy(&h->mu);
	free(h);
}

/* A random UUID (version 4). */
static int new_id(char out[40])
{
	unsigned char r[16];
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return vigil_error_set(VIGIL_EIO, "getrandom failed");
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	snprintf(out, 40, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2],
		 r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
	return 0;
}

int srv_harbor_submit(struct srv_harbor *h, srv_harbor_scan *sc, char id[40])
{
	struct job *j = calloc(1, sizeof(*j));
	int rc;
	if (!j) {
		rc = vigil_error_oom();
		goto fail;
	}
	if ((rc = new_id(j->id)) < 0)
		goto fail;
	j->sc = *sc;
	sc->authorization = NULL; /* the job's now */
	j->created = (int64_t)time(NULL);
	j->state = HARBOR_JOB_WAITING;
	pthread_mutex_lock(&h->mu);
	evict(h, true);
	if (h->njobs >= SRV_HARBOR_MAX_JOBS || h->stop) {
		pthread_mutex_unlock(&h->mu);
		rc = vigil_error_set(VIGIL_ELIMIT, "%d scans are waiting or running: try again later",
				     SRV_HARBOR_MAX_JOBS);
		goto fail;
	}
	j->next = h->jobs;
	h->jobs = j;
	h->njobs++;
	snprintf(id, 40, "%s", j->id);
	pthread_cond_signal(&h->work);
	pthread_mutex_unlock(&h->mu);
	return 0;
fail:
	if (sc->authorization) {
		memset(sc->authorization, 0, strlen(sc->authorization));
		free(sc->authorization);
		sc->authorization = NULL;
	}
	job_free(j);
	return rc;
}

int srv_harbor_result(struct srv_harbor *h, const char *id, unsigned output, int *state, unsigned *outputs,
		      srv_blob **report, char *err, size_t errn)
{
	struct job *j;
	*report = NULL;
	pthread_mutex_lock(&h->mu);
	evict(h, false);
	for (j = h->jobs; j && strcmp(j->id, id); j = j->next)
		;
	if (!j) {
		pthread_mutex_unlock(&h->mu);
		return VIGIL_ENOTFOUND;
	}
	*state = j->state;
	*outputs = j->sc.outputs;
	srv_blob *b = output == HARBOR_OUT_VULN ? j->vuln : output == HARBOR_OUT_SPDX ? j->spdx
		    : output == HARBOR_OUT_CDX ? j->cdx : NULL;
	if (b)
		*report = srv_blob_ref(b);
	snprintf(err, errn, "%s", j->err);
	pthread_mutex_unlock(&h->mu);
	return 0;
}

struct srv_harbor *srv_harbor_state(vigil_srv *s) { return s->harbor; }
