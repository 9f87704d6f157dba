/* notifier/deliver.c: the notifier's thread. It wakes on a kick (a feed
 * update just ended), every poll interval (a `vigil db update` run by
 * another process on the same store shows as a change of the data's
 * state) and every NTF_TICK_S for delivery:
 *
 *   1. generate (when o->generate): vigil_notify_generate, which does
 *      nothing unless the data changed, and runs on one node at a time;
 *   2. deliver: claim a set due for delivery (store_notify_claim: a row
 *      claim, so two nodes never announce one set), announce it to every
 *      target, record the outcome; repeat while sets are due. A failure
 *      is tried again after a backoff of 2^attempts seconds, at most the
 *      delivery interval; delivery state lives in the store, so a restart
 *      or another node picks up where this one stopped. A set delivered is
 *      kept (readable) until deleted or expired;
 *   3. expire: sets older than retention_s, when set.
 *
 * An attempt is bounded by attempt_timeout_s (net/'s deadline); the claim's
 * lease is longer than every target's attempts together, so a slow target
 * never lets another node take the set while this one still tries. */
#include "notifier/notifier_priv.h"
#include "util/error.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NTF_TICK_S           1     /* how often due deliveries are looked for */
#define NTF_POLL_DEFAULT_S   60
#define NTF_DELIVERY_DEFAULT_S 3600
#define NTF_TIMEOUT_DEFAULT_S 30
#define NTF_MAX_TARGETS      4

struct vigil_notifier {
	vigil_store *store;
	int generate;
	long poll_s, delivery_s, timeout_s, retention_s;
	char node[256];
	ntf_target targets[NTF_MAX_TARGETS];
	size_t ntargets;
	void (*log)(void *ud, const char *msg);
	void *log_ud;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop, kicked, started;
	atomic_uint_fast64_t delivered, failed, generated;
};

void vigil_notifier_options_init(vigil_notifier_options *o)
{
	memset(o, 0, sizeof(*o));
	o->generate = 1;
}

static void logf_(vigil_notifier *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(vigil_notifier *n, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	if (!n->log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	n->log(n->log_ud, msg);
}

static void on_warn(void *ud, const char *msg)
{
	logf_(ud, "notifier: %s", msg);
}

static void generate(vigil_notifier *n)
{
	vigil_notify_generation g;
	if (vigil_notify_generate(n->store, 0, on_warn, n, &g) < 0) {
		logf_(n, "notifier: generation failed: %s", vigil_error_message());
		return;
	}
	if (!g.ran)
		return;
	if (g.id[0]) {
		atomic_fetch_add(&n->generated, 1);
		logf_(n, "notifier: notification %s: %zu entries over %zu manifests", g.id, g.entries, g.manifests);
	} else {
		logf_(n, "notifier: the data changed; no manifest of %zu changed", g.manifests);
	}
}

static int64_t backoff(const vigil_notifier *n, int64_t attempts)
{
	int64_t d = attempts >= 30 ? n->delivery_s : (int64_t)1 << attempts;
	return d > n->delivery_s ? n->delivery_s : d;
}

/* Claims and announces sets while some are due; 1 when one was handled. */
static int deliver_one(vigil_notifier *n)
{
	char id[STORE_NOTIFY_ID_MAX], err[1024] = "";
	int got = 0, rc;
	int64_t lease = (int64_t)(n->timeout_s * 2 + 10) * (int64_t)(n->ntargets ? n->ntargets : 1);
	store_notify_info info;
	if (store_notify_claim(n->store, n->node, (int64_t)time(NULL), lease, id, &got) < 0) {
		logf_(n, "notifier: cannot claim a notification: %s", vigil_error_message());
		return 0;
	}
	if (!got)
		return 0;
	rc = 0;
	for (size_t i = 0; i < n->ntargets && rc == 0; i++)
		if ((rc = ntf_deliver(&n->targets[i], id)) < 0)
			snprintf(err, sizeof(err), "%s", vigil_error_message());
	int64_t now = (int64_t)time(NULL), attempts = 0;
	if (store_notify_info_get(n->store, id, &info) == 0)
		attempts = info.attempts;
	if (rc == 0) {
		atomic_fetch_add(&n->delivered, 1);
		logf_(n, "notifier: notification %s delivered", id);
	} else {
		atomic_fetch_add(&n->failed, 1);
		logf_(n, "notifier: notification %s: delivery failed (attempt %lld, next in %lld s): %s", id,
		      (long long)attempts + 1, (long long)backoff(n, attempts), err);
	}
	if (store_notify_release(n->store, id, n->node, rc == 0, now, now + backoff(n, attempts), err) < 0)
		logf_(n, "notifier: notification %s: cannot record the delivery: %s", id, vigil_error_message());
	return 1;
}

static void expire(vigil_notifier *n)
{
	int64_t removed = 0;
	if (n->retention_s <= 0)
		return;
	if (store_notify_expire(n->store, (int64_t)time(NULL) - n->retention_s, &removed) < 0)
		logf_(n, "notifier: expiry failed: %s", vigil_error_message());
	else if (removed)
		logf_(n, "notifier: %lld notifications expired", (long long)removed);
}

static void *loop(void *arg)
{
	vigil_notifier *n = arg;
	struct timespec last_poll = { 0 }, now;
	bool first = true;
	pthread_mutex_lock(&n->mu);
	while (!n->stop) {
		bool kicked = n->kicked;
		n->kicked = false;
		pthread_mutex_unlock(&n->mu);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (n->generate && (first || kicked || now.tv_sec - last_poll.tv_sec >= n->poll_s)) {
			generate(n);
			last_poll = now;
		}
		first = false;
		/* bounded: a stop is heard between sets */
		for (int k = 0; k < 100 && n->ntargets && deliver_one(n); k++) {
			pthread_mutex_lock(&n->mu);
			bool stop = n->stop;
			pthread_mutex_unlock(&n->mu);
			if (stop)
				break;
		}
		expire(n);
		pthread_mutex_lock(&n->mu);
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += NTF_TICK_S;
		while (!n->stop && !n->kicked && pthread_cond_timedwait(&n->cv, &n->mu, &ts) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&n->mu);
	return NULL;
}

static void target_free(ntf_target *t)
{
	vigil_notify_mq_clear(&t->mq);
	for (size_t i = 0; i < t->nheaders; i++)
		free(t->headers[i]);
	free(t->headers);
}

static void notifier_free(vigil_notifier *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->ntargets; i++)
		target_free(&n->targets[i]);
	pthread_cond_destroy(&n->cv);
	pthread_mutex_destroy(&n->mu);
	free(n);
}

static int add_webhook(vigil_notifier *n, const vigil_notifier_options *o)
{
	ntf_target *t = &n->targets[n->ntargets];
	size_t cl = o->webhook_callback ? strlen(o->webhook_callback) : 0;
	if (strncmp(o->webhook_target, "http://", 7) && strncmp(o->webhook_target, "https://", 8))
		return vigil_error_set(VIGIL_EINVAL, "notifier.webhook.target: an http or https URL expected");
	if (!cl || (strncmp(o->webhook_callback, "http://", 7) && strncmp(o->webhook_callback, "https://", 8)))
		return vigil_error_set(VIGIL_EINVAL, "notifier.webhook.callback: an http or https URL expected");
	if (strlen(o->webhook_target) >= sizeof(t->url) || cl + 1 >= sizeof(t->callback))
		return vigil_error_set(VIGIL_ELIMIT, "notifier.webhook: a URL over %d bytes", NTF_MAX_URL - 2);
	if (o->nwebhook_headers > VIGIL_NOTIFY_MAX_HEADERS)
		return vigil_error_set(VIGIL_ELIMIT, "notifier.webhook.headers: more than %d", VIGIL_NOTIFY_MAX_HEADERS);
	t->kind = NTF_WEBHOOK;
	snprintf(t->url, sizeof(t->url), "%s", o->webhook_target);
	/* as Clair's config: a callback gets its "/" */
	snprintf(t->callback, sizeof(t->callback), "%s%s", o->webhook_callback,
		 o->webhook_callback[cl - 1] == '/' ? "" : "/");
	t->timeout_s = n->timeout_s;
	if (o->psk_len > sizeof(t->psk))
		return vigil_error_set(VIGIL_ELIMIT, "auth.psk: over %zu bytes", sizeof(t->psk));
	if (o->psk_len)
		memcpy(t->psk, o->psk, o->psk_len);
	t->psk_len = o->psk_len;
	n->ntargets++;
	if (!(t->headers = calloc(o->nwebhook_headers + 1, sizeof(*t->headers))))
		return vigil_error_oom();
	for (size_t i = 0; i < o->nwebhook_headers; i++) {
		if (!(t->headers[i] = strdup(o->webhook_headers[i])))
			return vigil_error_oom();
		t->nheaders++;
	}
	return 0;
}

/* An AMQP or STOMP target (Clair's notifier.amqp, notifier.stomp). */
static int add_mq(vigil_notifier *n, const vigil_notify_mq *mq)
{
	ntf_target *t = &n->targets[n->ntargets];
	const char *what = mq->kind == VIGIL_NOTIFY_AMQP ? "notifier.amqp" : "notifier.stomp";
	size_t cl = mq->callback ? strlen(mq->callback) : 0;
	int rc;
	if (n->ntargets >= NTF_MAX_TARGETS)
		return vigil_error_set(VIGIL_ELIMIT, "notifier: more than %d delivery targets", NTF_MAX_TARGETS);
	if ((rc = vigil_notify_mq_check(mq)) < 0)
		return rc;
	if (!mq->direct && !cl)
		return vigil_error_set(VIGIL_EINVAL, "%s.callback: required unless direct is set", what);
	if (cl + 1 >= sizeof(t->callback))
		return vigil_error_set(VIGIL_ELIMIT, "%s.callback: a URL over %d bytes", what, NTF_MAX_URL - 2);
	t->kind = mq->kind == VIGIL_NOTIFY_AMQP ? NTF_AMQP : NTF_STOMP;
	t->store = n->store;
	t->timeout_s = n->timeout_s;
	if (cl)
		snprintf(t->callback, sizeof(t->callback), "%s%s", mq->callback, mq->callback[cl - 1] == '/' ? "" : "/");
	n->ntargets++; /* from here target_free() frees what the copy holds */
	if ((rc = vigil_notify_mq_copy(&t->mq, mq)) < 0)
		return rc;
	if (!t->mq.timeout_ms)
		t->mq.timeout_ms = (int)(n->timeout_s > 600 ? 600000 : n->timeout_s * 1000);
	return 0;
}

int vigil_notifier_start(const vigil_notifier_options *o, vigil_notifier **out)
{
	vigil_notifier *n;
	pthread_condattr_t ca;
	int rc;
	*out = NULL;
	if (!o->store)
		return vigil_error_set(VIGIL_EINVAL, "the notifier needs a store");
	if (!(n = calloc(1, sizeof(*n))))
		return vigil_error_oom();
	pthread_mutex_init(&n->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&n->cv, &ca);
	pthread_condattr_destroy(&ca);
	n->store = o->store;
	n->generate = o->generate;
	n->poll_s = o->poll_interval_s > 0 ? o->poll_interval_s : NTF_POLL_DEFAULT_S;
	n->delivery_s = o->delivery_interval_s > 0 ? o->delivery_interval_s : NTF_DELIVERY_DEFAULT_S;
	n->timeout_s = o->attempt_timeout_s > 0 ? o->attempt_timeout_s : NTF_TIMEOUT_DEFAULT_S;
	n->retention_s = o->retention_s;
	n->log = o->log;
	n->log_ud = o->log_ud;
	if (o->node && *o->node) {
		snprintf(n->node, sizeof(n->node), "%s", o->node);
	} else {
		char host[200] = "";
		gethostname(host, sizeof(host) - 1);
		snprintf(n->node, sizeof(n->node), "%s:%ld", host, (long)getpid());
	}
	if (o->webhook_target && *o->webhook_target && (rc = add_webhook(n, o)) < 0)
		goto fail;
	for (size_t i = 0; i < o->nmq; i++)
		if ((rc = add_mq(n, &o->mq[i])) < 0)
			goto fail;
	if (pthread_create(&n->th, NULL, loop, n) != 0) {
		rc = vigil_error_set(VIGIL_ERROR, "cannot start the notifier's thread");
		goto fail;
	}
	n->started = true;
	*out = n;
	return 0;
fail:
	notifier_free(n);
	return rc;
}

void vigil_notifier_kick(vigil_notifier *n)
{
	if (!n)
		return;
	pthread_mutex_lock(&n->mu);
	n->kicked = true;
	pthread_cond_broadcast(&n->cv);
	pthread_mutex_unlock(&n->mu);
}

void vigil_notifier_stop(vigil_notifier *n)
{
	if (!n)
		return;
	pthread_mutex_lock(&n->mu);
	n->stop = true;
	pthread_cond_broadcast(&n->cv);
	pthread_mutex_unlock(&n->mu);
	if (n->started)
		pthread_join(n->th, NULL);
	notifier_free(n);
}

void vigil_notifier_counts(vigil_notifier *n, uint64_t *delivered, uint64_t *failed, uint64_t *generated)
{
	*delivered = n ? atomic_load(&n->delivered) : 0;
	*failed = n ? atomic_load(&n->failed) : 0;
	*generated = n ? atomic_load(&n->generated) : 0;
}
