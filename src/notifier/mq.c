/* notifier/mq.c: the front door of the message-queue delivery
 * (vigil/notify_mq.h). It checks the target once (kind, URIs, routing key
 * or destination, timeout) so that a bad configuration is VIGIL_EINVAL
 * before any packet, then tries the URIs in order, each with its own
 * deadline (timeout_ms), and stops at the first broker that takes the
 * message. When none does, the message joins each URI's failure (URI
 * redacted, step, reason) and the code is VIGIL_EUNAVAILABLE: the
 * notifier keeps the notification and tries again later. SIGPIPE is
 * blocked for the calling thread during the attempt (mq_sock.c). */
#include "notifier/notify_mq_priv.h"
#include "util/error.h"
#include "util/redact.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mq_peer_text(const char *p, size_t n, char *out, size_t outsz)
{
	char raw[MQ_MAX_PEER_TEXT + 1];
	size_t k = 0;
	for (size_t i = 0; i < n && k < MQ_MAX_PEER_TEXT && k + 1 < sizeof(raw); i++)
		raw[k++] = p[i] >= 0x20 && p[i] < 0x7f ? p[i] : ' ';
	while (k && raw[k - 1] == ' ')
		k--;
	raw[k] = 0;
	vigil_redact_text(raw, out, outsz);
}

/* A URI for messages: vigil_redact_url(), except that Clair's STOMP
 * host:port (no scheme, no '@', nothing secret) is shown as it is, where
 * the redactor would cut it at the ':'. */
static const char *mq_redact(const char *uri, char *out, size_t n)
{
	if (!strstr(uri, "://") && !strpbrk(uri, "@?#") && strlen(uri) < n) {
		memcpy(out, uri, strlen(uri) + 1);
		return out;
	}
	return vigil_redact_url(uri, out, n);
}

static int check_target(const vigil_notify_mq *c, const char *content_type, const char *body, size_t len);

int vigil_notify_mq_check(const vigil_notify_mq *c)
{
	return check_target(c, "application/json", "", 0);
}

static int check_target(const vigil_notify_mq *c, const char *content_type, const char *body, size_t len)
{
	char red[VIGIL_REDACT_MAX];
	if (!c)
		return vigil_error_set(VIGIL_EINVAL, "notify: no target");
	if (c->kind != VIGIL_NOTIFY_AMQP && c->kind != VIGIL_NOTIFY_STOMP)
		return vigil_error_set(VIGIL_EINVAL, "notify: unknown delivery kind %d", (int)c->kind);
	const char *what = c->kind == VIGIL_NOTIFY_AMQP ? "amqp" : "stomp";
	if (!c->n_uris || !c->uris)
		return vigil_error_set(VIGIL_EINVAL, "notify %s: no uris", what);
	if (c->n_uris > MQ_MAX_URIS)
		return vigil_error_set(VIGIL_EINVAL, "notify %s: %zu uris (limit %d)", what, c->n_uris, MQ_MAX_URIS);
	if (c->timeout_ms < 0 || c->timeout_ms > MQ_MAX_TIMEOUT_MS)
		return vigil_error_set(VIGIL_EINVAL, "notify %s: timeout %d ms out of range (0..%d)", what,
				       c->timeout_ms, MQ_MAX_TIMEOUT_MS);
	if (!content_type || !content_type[0])
		return vigil_error_set(VIGIL_EINVAL, "notify %s: no content type", what);
	if ((!body && len) || len > MQ_MAX_BODY)
		return vigil_error_set(VIGIL_EINVAL, "notify %s: a body of %zu bytes (limit %zu)", what, len,
				       MQ_MAX_BODY);
	if (c->kind == VIGIL_NOTIFY_AMQP && (!c->routing_key || !c->routing_key[0]))
		return vigil_error_set(VIGIL_EINVAL, "notify amqp: no routing_key (Clair requires one)");
	if (c->kind == VIGIL_NOTIFY_STOMP && (!c->destination || !c->destination[0]))
		return vigil_error_set(VIGIL_EINVAL, "notify stomp: no destination");
	for (size_t i = 0; i < c->n_uris; i++) {
		const char *u = c->uris[i];
		int rc = 0;
		if (!u || !u[0])
			return vigil_error_set(VIGIL_EINVAL, "notify %s: uris[%zu] is empty", what, i);
		if (strlen(u) > MQ_MAX_URI)
			return vigil_error_set(VIGIL_EINVAL, "notify %s: uris[%zu] is over %d bytes", what, i, MQ_MAX_URI);
		mq_redact(u, red, sizeof(red));
		if (c->kind == VIGIL_NOTIFY_AMQP) {
			rc = mq_amqp_check_uri(u, red);
		} else {
			mq_stomp_addr a;
			if ((rc = mq_stomp_parse_addr(u, c->tls != 0, &a)) < 0)
				vigil_error_prefix("%s: ", red);
		}
		if (rc < 0) {
			vigil_error_prefix("notify %s: ", what);
			return rc;
		}
	}
	return 0;
}

int vigil_notify_mq_publish(const vigil_notify_mq *c, const char *content_type, const char *body, size_t len)
{
	vigil_buf why;
	mq_sigpipe sp;
	int rc, last = VIGIL_EUNAVAILABLE;

	if ((rc = check_target(c, content_type, body, len)) < 0)
		return rc;
	vigil_buf_init(&why, MQ_MAX_ERRORS);
	mq_sigpipe_block(&sp);
	for (size_t i = 0; i < c->n_uris; i++) {
		char red[VIGIL_REDACT_MAX];
		int64_t deadline = mq_now_ms() + (c->timeout_ms ? c->timeout_ms : MQ_DEFAULT_TIMEOUT_MS);
		mq_redact(c->uris[i], red, sizeof(red));
		if (c->kind == VIGIL_NOTIFY_AMQP)
			rc = mq_amqp_try(c, c->uris[i], red, content_type, body, len, deadline);
		else
			rc = mq_stomp_try(c, c->uris[i], red, content_type, body, len, deadline);
		if (rc == 0)
			goto out;
		last = rc;
		if (rc == VIGIL_ENOMEM)
			goto out;
		/* capped: a message cut short still names the first brokers */
		if (why.len)
			vigil_buf_puts(&why, "; ");
		vigil_buf_puts(&why, vigil_error_message());
	}
	rc = vigil_error_set(last == VIGIL_EINVAL ? VIGIL_EINVAL : VIGIL_EUNAVAILABLE, "notify %s: %s%s",
			     c->kind == VIGIL_NOTIFY_AMQP ? "amqp" : "stomp",
			     c->n_uris > 1 ? "no broker took the message: " : "", vigil_buf_cstr(&why));
out:
	mq_sigpipe_restore(&sp);
	vigil_buf_free(&why);
	if (rc == 0)
		vigil_error_clear();
	return rc;
}

const char *vigil_notify_mq_uri_redacted(const vigil_notify_mq *c, size_t i, char *out, size_t n)
{
	if (!out || !n)
		return out;
	out[0] = 0;
	if (c && c->uris && i < c->n_uris)
		mq_redact(c->uris[i], out, n);
	return out;
}

void vigil_notify_mq_clear(vigil_notify_mq *c)
{
	if (!c)
		return;
	for (size_t i = 0; c->uris && i < c->n_uris; i++)
		free(c->uris[i]);
	free(c->uris);
	free(c->exchange);
	free(c->exchange_type);
	free(c->routing_key);
	free(c->destination);
	free(c->login);
	free(c->passcode);
	free(c->callback);
	free(c->tls_root_ca);
	free(c->tls_cert);
	free(c->tls_key);
	memset(c, 0, sizeof(*c));
}

static bool dup_str(char **dst, const char *src)
{
	*dst = NULL;
	return !src || (*dst = strdup(src)) != NULL;
}

int vigil_notify_mq_copy(vigil_notify_mq *dst, const vigil_notify_mq *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->kind = src->kind;
	dst->durable = src->durable;
	dst->auto_delete = src->auto_delete;
	dst->direct = src->direct;
	dst->rollup = src->rollup;
	dst->tls = src->tls;
	dst->timeout_ms = src->timeout_ms;
	if (src->n_uris && !(dst->uris = calloc(src->n_uris, sizeof(*dst->uris))))
		goto oom;
	for (; dst->n_uris < src->n_uris; dst->n_uris++)
		if (!dup_str(&dst->uris[dst->n_uris], src->uris[dst->n_uris]))
			goto oom;
	if (!dup_str(&dst->exchange, src->exchange) || !dup_str(&dst->exchange_type, src->exchange_type) ||
	    !dup_str(&dst->routing_key, src->routing_key) || !dup_str(&dst->destination, src->destination) ||
	    !dup_str(&dst->login, src->login) || !dup_str(&dst->passcode, src->passcode) ||
	    !dup_str(&dst->callback, src->callback) || !dup_str(&dst->tls_root_ca, src->tls_root_ca) ||
	    !dup_str(&dst->tls_cert, src->tls_cert) || !dup_str(&dst->tls_key, src->tls_key))
		goto oom;
	return 0;
oom:
	return vigil_error_oom();
}
