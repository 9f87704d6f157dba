/* server/notify.c: the notifier in vigil serve (vigil/notify.h does the
 * work): started from the config's notifier: section on combo and matcher
 * nodes (generation and delivery) and on indexer nodes (baselines at
 * indexing only), kicked after each feed update of this node's updater;
 * and the notification routes:
 *
 *   GET    /notifier/api/v1/notification/{id}?page_size=&next=  Clair v4's page
 *   DELETE /notifier/api/v1/notification/{id}                    acknowledges
 *   POST   /indexer/api/v1/internal/affected_manifest            Clair's internal query
 *   GET    /v1/notifications/{name}?page=&limit=                 Clair 2's (notify_v1.c)
 *   DELETE /v1/notifications/{name}
 *
 * An id that is not a UUID, a page_size or limit that is not a number in
 * range, a next or page token that is not one: 400; an unknown id: 404,
 * each in its API's error shape. */
#include "server/config_notify_mq.h"
#include "server/srv_priv.h"
#include "util/error.h"
#include "vigil/notify.h"

#include <stdlib.h>
#include <string.h>

static void log_cb(void *ud, const char *msg)
{
	srv_log(ud, "%s", msg);
}

/* Clair's notifier.amqp and notifier.stomp of the config file (checked
 * when it was loaded) into mq[0..*n). */
static int load_mq(vigil_srv *s, const char *config_path, vigil_notify_mq mq[2], size_t *n)
{
	*n = 0;
	if (!config_path)
		return 0;
	int rc = srv_notify_mq_load(config_path, mq, n, NULL, NULL);
	if (rc < 0)
		srv_log(s, "notifier: %s", vigil_error_message());
	return rc;
}

int srv_notify_start(vigil_srv *s, const char *config_path)
{
	vigil_notifier_options o;
	const char *hs[SRV_NOTIFY_MAX_HEADERS];
	int mode = srv_mode_of(s->conf.mode);
	if (!s->conf.notifier_on)
		return 0;
	vigil_notifier_options_init(&o);
	o.store = s->store;
	o.generate = mode != SRV_MODE_INDEXER;
	if (o.generate && s->conf.webhook_target[0]) {
		for (size_t i = 0; i < s->conf.n_webhook_headers; i++)
			hs[i] = s->conf.webhook_headers[i];
		o.webhook_target = s->conf.webhook_target;
		o.webhook_callback = s->conf.webhook_callback;
		o.webhook_headers = hs;
		o.nwebhook_headers = s->conf.n_webhook_headers;
		o.psk = s->conf.auth_psk;
		o.psk_len = s->conf.auth_psk_len;
	}
	vigil_notify_mq mq[2];
	size_t nmq = 0;
	int rc;
	if (o.generate && (rc = load_mq(s, config_path, mq, &nmq)) < 0)
		return rc;
	o.mq = mq;
	o.nmq = nmq;
	o.poll_interval_s = s->conf.notify_poll_s;
	o.delivery_interval_s = s->conf.notify_delivery_s;
	o.retention_s = s->conf.notify_retention_s;
	o.attempt_timeout_s = s->conf.notify_timeout_s;
	o.log = log_cb;
	o.log_ud = s;
	if (mode == SRV_MODE_INDEXER) {
		srv_log(s, "notifier: baselines at indexing (generation and delivery on matcher nodes)");
		s->notify_baselines = true;
		return 0;
	}
	rc = vigil_notifier_start(&o, &s->notifier); /* copies the targets */
	if (rc == 0) {
		char uri[512];
		s->notify_baselines = true;
		srv_log(s, "notifier: on%s%s", o.webhook_target ? ", webhook " : "", o.webhook_target ? o.webhook_target : "");
		for (size_t i = 0; i < nmq; i++)
			srv_log(s, "notifier: %s to %s%s", mq[i].kind == VIGIL_NOTIFY_AMQP ? "AMQP" : "STOMP",
				vigil_notify_mq_uri_redacted(&mq[i], 0, uri, sizeof(uri)), mq[i].direct ? " (direct)" : "");
		if (!o.webhook_target && !nmq)
			srv_log(s, "notifier: no delivery target: sets are read with GET /notifier/api/v1/notification/{id}");
	}
	for (size_t i = 0; i < nmq; i++)
		vigil_notify_mq_clear(&mq[i]);
	return rc;
}

void srv_notify_stop(vigil_srv *s)
{
	vigil_notifier_stop(s->notifier);
	s->notifier = NULL;
}

void srv_notify_kick(vigil_srv *s)
{
	vigil_notifier_kick(s->notifier);
}

void srv_notify_indexed(vigil_srv *s, const char *hash, const vigil_index_report *ir)
{
	if (!s->notify_baselines)
		return;
	if (vigil_notify_baseline(s->store, hash, ir) < 0)
		srv_log(s, "notifier: manifest %s: no baseline recorded: %s", hash, vigil_error_message());
}

static int v4_get(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	const char *next = NULL;
	long size = 0;
	char *json = NULL;
	size_t len = 0;
	int rc;
	if (srv_notify_number(rq, "page_size", VIGIL_NOTIFY_MAX_PAGE, &size) < 0)
		return srv_error_v4(rs, 400, "bad-request", "page_size: a number from 0 to %d expected",
				    VIGIL_NOTIFY_MAX_PAGE);
	srv_query_param(rq, "next", &next);
	if ((rc = vigil_notify_page(srv_store(s), rq->params[0], next, (size_t)size, &json, &len)) < 0) {
		if (rc == VIGIL_EINVAL)
			return srv_error_v4(rs, 400, "bad-request", "%s", vigil_error_message());
		if (rc == VIGIL_ENOTFOUND)
			return srv_error_v4(rs, 404, "not-found", "%s", vigil_error_message());
		return srv_error_v4(rs, rc == VIGIL_EUNAVAILABLE ? 503 : 500, "internal-error", "%s", vigil_error_message());
	}
	return srv_json_text(rs, 200, json, len);
}

static int v4_delete(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	int deleted = 0, rc = vigil_notify_delete(srv_store(s), rq->params[0], &deleted);
	if (rc == VIGIL_EINVAL)
		return srv_error_v4(rs, 400, "bad-request", "%s", vigil_error_message());
	if (rc < 0)
		return srv_error_v4(rs, rc == VIGIL_EUNAVAILABLE ? 503 : 500, "internal-error", "%s", vigil_error_message());
	if (!deleted)
		return srv_error_v4(rs, 404, "not-found", "no notification %s", rq->params[0]);
	/* Clair answers 200 with no body */
	rs->status = 200;
	return 0;
}

static int affected(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	char *json = NULL;
	size_t len = 0;
	int rc = vigil_notify_affected(srv_store(s), rq->body, rq->body_len, &json, &len);
	if (rc == VIGIL_EINVAL)
		return srv_error_v4(rs, 400, "bad-request", "%s", vigil_error_message());
	if (rc < 0)
		return srv_error_v4(rs, rc == VIGIL_EUNAVAILABLE ? 503 : 500, "internal-error", "%s", vigil_error_message());
	return srv_json_text(rs, 200, json, len);
}

int srv_notify_affected(vigil_srv *s, const srv_request *rq, srv_response *rs) { return affected(s, rq, rs); }
int srv_notify_v4_get(vigil_srv *s, const srv_request *rq, srv_response *rs) { return v4_get(s, rq, rs); }
int srv_notify_v4_delete(vigil_srv *s, const srv_request *rq, srv_response *rs) { return v4_delete(s, rq, rs); }
