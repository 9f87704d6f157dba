/* registry/http.c: the registry's view of one transfer of net/ (the one
 * HTTP client of vigil; the streaming design, the staging buffer and the
 * limits are described in net/net.c and docs/net.md). What is the
 * registry's own is here: its policy (VIGIL_REG_CONNECT_TIMEOUT_S, the
 * stall rule VIGIL_REG_STALL_BYTES/s for VIGIL_REG_STALL_TIME_S, the
 * request's total timeout and body cap, VIGIL_REG_MAX_REDIRECTS, https
 * only unless allow_http, net/'s default address policy unless the request
 * gives one), the headers it sends (Accept, Authorization, Range), the ones
 * it reads besides net/'s (WWW-Authenticate joined and capped,
 * Docker-Content-Digest), and the registry's error codes from the first
 * VIGIL_REG_MAX_ERROR_BODY bytes of an error answer ({"errors": [{code,
 * message}]}) added to net/'s message. The Authorization header goes to
 * the first host only (libcurl's rule), so a blob redirected to a storage
 * service never carries the registry's credentials. */
#include "net/net.h"
#include "registry/registry.h"
#include "util/error.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct vigil_reg_xfer {
	net_xfer *x;
	vigil_reg_resp resp;
};

int reg_http_init(void)
{
	return net_global_init();
}

static bool name_is(const char *name, size_t nlen, const char *want)
{
	return strlen(want) == nlen && !strncasecmp(name, want, nlen);
}

static void on_header(void *ud, const net_resp *r, const char *name, size_t nlen, const char *v, size_t vlen)
{
	vigil_reg_resp *o = &((vigil_reg_xfer *)ud)->resp;
	if (!name) /* a new response (a redirect's, a 100's): forget the last one's headers */
		memset(o, 0, sizeof(*o));
	o->status = r->status;
	memcpy(o->reason, r->reason, sizeof(o->reason));
	memcpy(o->content_type, r->content_type, sizeof(o->content_type));
	o->retry_after_s = r->retry_after_s;
	o->range_start = r->range_start;
	if (!name)
		return;
	if (name_is(name, nlen, "WWW-Authenticate")) {
		size_t have = strlen(o->www_auth);
		if (vlen > VIGIL_REG_MAX_AUTH_HEADER || have + vlen + 2 > VIGIL_REG_MAX_AUTH_HEADER)
			o->www_auth_cut = true;
		else
			snprintf(o->www_auth + have, sizeof(o->www_auth) - have, "%s%.*s", have ? ", " : "", (int)vlen, v);
	} else if (name_is(name, nlen, "Docker-Content-Digest")) {
		if (vlen > VIGIL_REG_MAX_DIGEST)
			snprintf(o->digest, sizeof(o->digest), "?");
		else
			snprintf(o->digest, sizeof(o->digest), "%.*s", (int)vlen, v);
	} else if (name_is(name, nlen, "Location")) {
		if (vlen >= sizeof(o->location))
			snprintf(o->location, sizeof(o->location), "?");
		else
			snprintf(o->location, sizeof(o->location), "%.*s", (int)vlen, v);
	}
}

void reg_xfer_free(vigil_reg_xfer *x)
{
	if (!x)
		return;
	net_xfer_free(x->x);
	free(x);
}

static char *header_line(const char *name, const char *value)
{
	size_t n = strlen(name) + strlen(value) + 3;
	char *line = malloc(n);
	if (line)
		snprintf(line, n, "%s: %s", name, value);
	return line;
}

/* The header lines and policy of req: own[] holds the lines made here (the
 * caller wipes and frees them), lines[] all of them (req->nheaders + 3). */
static int build(const vigil_reg_req *req, char *own[3], const char **lines, size_t *n, net_policy *p)
{
	char range[48];
	size_t k = 0;
	*n = 0;
	snprintf(range, sizeof(range), "bytes=%llu-", (unsigned long long)req->range_from);
	if ((req->accept && !(own[k++] = header_line("Accept", req->accept))) ||
	    (req->authorization && !(own[k++] = header_line("Authorization", req->authorization))) ||
	    (req->range_from && !(own[k++] = header_line("Range", range))))
		return vigil_error_oom();
	for (size_t i = 0; i < k; i++)
		lines[(*n)++] = own[i];
	for (size_t i = 0; i < req->nheaders; i++)
		lines[(*n)++] = req->headers[i];
	*p = (net_policy){
		.connect_timeout_s = VIGIL_REG_CONNECT_TIMEOUT_S,
		.stall_bytes = VIGIL_REG_STALL_BYTES,
		.stall_time_s = VIGIL_REG_STALL_TIME_S,
		.deadline_s = req->timeout_s,
		.max_body = req->max_body,
		.max_redirects = VIGIL_REG_MAX_REDIRECTS,
		.allow_http = req->allow_http,
		.addr = req->addr,
		.tls_hint = req->allow_http ? NULL : "a plain-HTTP registry needs --insecure-registry",
	};
	return 0;
}

static void wipe(char *own[3])
{
	for (size_t i = 0; i < 3; i++) {
		if (own[i])
			memset(own[i], 0, strlen(own[i])); /* credentials */
		free(own[i]);
	}
}

int reg_xfer_start(const vigil_reg_req *req, vigil_reg_xfer **out)
{
	vigil_reg_xfer *x = NULL;
	const char **lines = NULL;
	char *own[3] = { NULL, NULL, NULL };
	size_t n = 0;
	net_policy p;
	int rc;
	*out = NULL;
	if (!(x = calloc(1, sizeof(*x))) || !(lines = calloc(req->nheaders + 3, sizeof(*lines)))) {
		rc = vigil_error_oom();
		goto out;
	}
	x->resp.retry_after_s = -1;
	x->resp.range_start = -1;
	if ((rc = build(req, own, lines, &n, &p)) < 0)
		goto out;
	net_req rq = { .url = req->url, .headers = lines, .nheaders = n, .on_header = on_header, .ud = x };
	if ((rc = net_xfer_new(&x->x)) < 0 || (rc = net_xfer_start(x->x, &p, &rq)) < 0)
		goto out;
	*out = x;
	x = NULL;
out:
	wipe(own);
	free(lines);
	reg_xfer_free(x);
	return rc;
}

ssize_t reg_xfer_read(vigil_reg_xfer *x, void *buf, size_t n)
{
	return net_xfer_read(x->x, buf, n);
}

const vigil_reg_resp *reg_xfer_resp(const vigil_reg_xfer *x) { return &x->resp; }
uint64_t reg_xfer_body_bytes(const vigil_reg_xfer *x) { return net_xfer_body_bytes(x->x); }

/* The registry's error codes from an error body: "MANIFEST_UNKNOWN: manifest
 * unknown", printable ASCII only. */
static void error_codes(const vigil_reg_xfer *x, char *out, size_t n)
{
	json_t *root = NULL, *errs, *e;
	size_t i, len = 0;
	const char *body = net_xfer_error_body(x->x, &len);
	out[0] = '\0';
	if (!len || !(root = json_loadb(body, len, 0, NULL)))
		return;
	errs = json_object_get(root, "errors");
	json_array_foreach(errs, i, e) {
		const char *code = json_string_value(json_object_get(e, "code"));
		const char *msg = json_string_value(json_object_get(e, "message"));
		size_t have = strlen(out);
		if (i >= 3 || have + 8 >= n)
			break;
		snprintf(out + have, n - have, "%s%.40s%s%.160s", have ? "; " : "", code ? code : "?",
			 msg ? ": " : "", msg ? msg : "");
	}
	json_decref(root);
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			*p = '?';
}

/* rc of a transfer that ended without a 2xx answer, the registry's error
 * codes added to the message. */
static int with_codes(vigil_reg_xfer *x, int rc)
{
	char msg[VIGIL_ERROR_MAX], codes[512];
	error_codes(x, codes, sizeof(codes));
	snprintf(msg, sizeof(msg), "%s", vigil_error_message());
	return vigil_error_set(x->resp.status == 404 ? VIGIL_ENOTFOUND : rc, "%s%s%s%s", msg, codes[0] ? " (" : "",
			       codes, codes[0] ? ")" : "");
}

int reg_xfer_result(vigil_reg_xfer *x, bool *retryable)
{
	net_outcome o;
	int rc = net_xfer_finish(x->x, &o);
	*retryable = o.retryable;
	if (rc >= 0 || o.fail != NET_FAIL_HTTP)
		return rc;
	return with_codes(x, rc);
}

int reg_send_once(const vigil_reg_req *req, const char *method, const struct net_body *body,
		  vigil_reg_resp *resp, bool *retryable)
{
	vigil_reg_xfer x = { 0 };
	const char **lines = NULL;
	char *own[3] = { NULL, NULL, NULL };
	size_t n = 0;
	net_policy p;
	net_outcome o = { 0 };
	int rc;
	*retryable = false;
	memset(resp, 0, sizeof(*resp));
	x.resp.retry_after_s = -1;
	x.resp.range_start = -1;
	if (!(lines = calloc(req->nheaders + 3, sizeof(*lines)))) {
		rc = vigil_error_oom();
		goto out;
	}
	if ((rc = build(req, own, lines, &n, &p)) < 0 || (rc = net_xfer_new(&x.x)) < 0)
		goto out;
	p.max_redirects = 0; /* an upload is not sent twice */
	net_req rq = { .url = req->url, .headers = lines, .nheaders = n, .on_header = on_header, .ud = &x };
	rc = net_send(x.x, &p, &rq, method, body, &o);
	*retryable = o.retryable;
	if (rc < 0 && o.fail == NET_FAIL_HTTP)
		rc = with_codes(&x, rc);
out:
	*resp = x.resp;
	net_xfer_free(x.x);
	wipe(own);
	free(lines);
	return rc;
}

long reg_backoff_ms(int attempt, long retry_after_s)
{
	long ms;
	if (retry_after_s >= 0)
		ms = retry_after_s > VIGIL_REG_RETRY_MAX_MS / 1000 ? VIGIL_REG_RETRY_MAX_MS : retry_after_s * 1000;
	else
		ms = (long)VIGIL_REG_RETRY_BASE_MS << (attempt < 16 ? attempt : 16);
	return ms > VIGIL_REG_RETRY_MAX_MS ? VIGIL_REG_RETRY_MAX_MS : ms;
}

void reg_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}
