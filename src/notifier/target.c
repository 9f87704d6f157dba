/* notifier/target.c: delivery targets. A target announces a set:
 * deliver(target, id) -> 0 (taken) or an error, after which the set is
 * tried again later (deliver.c). The webhook is Clair's
 * (notifier/webhook/deliverer.go): a POST of {"notification_id": id,
 * "callback": callback + id} with Content-Type application/json, the
 * configured headers, and, when auth.psk is set, "Authorization: Bearer"
 * with an HS256 JWT (iss "clair-notifier", iat, nbf and exp one minute
 * around now: go-jose's default leeway, as Clair's signer). It goes through
 * the one HTTP client (net/): its address policy (link-local refused,
 * loopback allowed), no redirects, a deadline per attempt (a receiver that
 * hangs costs one attempt's timeout, on the notifier's thread, never the
 * server's), any 2xx taken (Clair takes 200 only). Messages name the
 * target redacted (net/ words them). AMQP and STOMP targets (Clair's
 * notifier.amqp, notifier.stomp) publish the same callback message, or in
 * direct mode the set's notifications themselves, `rollup` per message
 * (vigil_notify_direct_bodies), each through vigil_notify_mq_publish: a
 * set counts as delivered when the broker confirmed every message. */
#include "net/net.h"
#include "notifier/notifier_priv.h"
#include "util/base64.h"
#include "util/error.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NTF_LEEWAY_S 60 /* go-jose's jwt.DefaultLeeway */

int ntf_callback_body(const ntf_target *t, const char *id, char **body, size_t *len)
{
	char url[NTF_MAX_URL + VIGIL_NOTIFY_ID_MAX];
	snprintf(url, sizeof(url), "%s%s", t->callback, id);
	json_t *o = json_pack("{s:s, s:s}", "notification_id", id, "callback", url);
	*body = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!*body)
		return vigil_error_oom();
	*len = strlen(*body);
	return 0;
}

static int b64url(const void *p, size_t n, char *out, size_t outn)
{
	return vigil_base64_encode(p, n, VIGIL_BASE64_URL, out, outn);
}

int ntf_sign(const unsigned char *key, size_t key_len, int64_t now, char *out, size_t n)
{
	static const char hdr[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
	char claims[160], h64[64], c64[256], input[400], sig64[64];
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	int rc;
	snprintf(claims, sizeof(claims), "{\"exp\":%lld,\"iat\":%lld,\"iss\":\"clair-notifier\",\"nbf\":%lld}",
		 (long long)(now + NTF_LEEWAY_S), (long long)now, (long long)(now - NTF_LEEWAY_S));
	if ((rc = b64url(hdr, strlen(hdr), h64, sizeof(h64))) < 0 ||
	    (rc = b64url(claims, strlen(claims), c64, sizeof(c64))) < 0)
		return rc;
	snprintf(input, sizeof(input), "%s.%s", h64, c64);
	if (!HMAC(EVP_sha256(), key, (int)key_len, (const unsigned char *)input, strlen(input), mac, &maclen))
		return vigil_error_set(VIGIL_ERROR, "cannot compute HMAC-SHA256");
	if ((rc = b64url(mac, maclen, sig64, sizeof(sig64))) < 0)
		return rc;
	if ((size_t)snprintf(out, n, "Bearer %s.%s", input, sig64) >= n)
		return vigil_error_set(VIGIL_ELIMIT, "the webhook's JWT is too long");
	return 0;
}

static int webhook(const ntf_target *t, const char *id)
{
	net_xfer *x = NULL;
	net_outcome o;
	net_policy p = { 0 };
	char auth[700], bearer[640], msg[1024];
	const char **hs = calloc(t->nheaders + 2, sizeof(*hs));
	char *body = NULL;
	size_t len = 0, nh = 0;
	int rc;
	if (!hs)
		return vigil_error_oom();
	hs[nh++] = "Content-Type: application/json";
	for (size_t i = 0; i < t->nheaders; i++)
		hs[nh++] = t->headers[i];
	if (t->psk_len) {
		if ((rc = ntf_sign(t->psk, t->psk_len, (int64_t)time(NULL), bearer, sizeof(bearer))) < 0)
			goto out;
		snprintf(auth, sizeof(auth), "Authorization: %s", bearer);
		hs[nh++] = auth;
	}
	if ((rc = ntf_callback_body(t, id, &body, &len)) < 0 || (rc = net_xfer_new(&x)) < 0)
		goto out;
	p.connect_timeout_s = t->timeout_s;
	p.deadline_s = t->timeout_s;
	p.max_body = 1024 * 1024;
	p.allow_http = true;
	net_req rq = { .url = t->url, .headers = hs, .nheaders = nh };
	rc = net_post(x, &p, &rq, body, len, &o);
	if (rc < 0) {
		/* net/'s message names the URL, redacted */
		snprintf(msg, sizeof(msg), "%s", vigil_error_message());
		rc = vigil_error_set(o.retryable || o.unreachable ? VIGIL_EUNAVAILABLE : rc, "webhook: %s", msg);
	}
out:
	net_xfer_free(x);
	free(body);
	free(hs);
	return rc;
}

static int mq_publish_one(void *ud, const char *body, size_t len)
{
	const ntf_target *t = ud;
	return vigil_notify_mq_publish(&t->mq, "application/json", body, len);
}

static int mq_deliver(const ntf_target *t, const char *id)
{
	char *body = NULL, msg[1024];
	size_t len;
	int rc;
	if (t->mq.direct)
		rc = vigil_notify_direct_bodies(t->store, id, t->mq.rollup, mq_publish_one, (void *)t);
	else if ((rc = ntf_callback_body(t, id, &body, &len)) == 0)
		rc = mq_publish_one((void *)t, body, len);
	free(body);
	if (rc < 0) {
		/* publish's message names the broker, redacted */
		snprintf(msg, sizeof(msg), "%s", vigil_error_message());
		rc = vigil_error_set(rc, "notifier.%s: %s", t->kind == NTF_AMQP ? "amqp" : "stomp", msg);
	}
	return rc;
}

int ntf_deliver(const ntf_target *t, const char *id)
{
	switch (t->kind) {
	case NTF_WEBHOOK:
		return webhook(t, id);
	case NTF_AMQP:
	case NTF_STOMP:
		return mq_deliver(t, id);
	}
	return vigil_error_set(VIGIL_EINVAL, "unknown notification target");
}
