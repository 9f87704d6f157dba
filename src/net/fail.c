/* net/fail.c: what went wrong with a transfer, said once for every caller
 * of net/: the class (net_fail, with retryable and unreachable), the code
 * (VIGIL_EIO; VIGIL_ELIMIT for the body and header caps; VIGIL_EUNSUPPORTED
 * for the address policy) and a message that starts with the URL,
 * redacted, and carries libcurl's own words redacted too. Callers add
 * what only they know (a registry's error codes, a hint) after it. */
#include "net/net_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

/* libcurl's text for the failure, redacted */
static const char *curl_text(const net_xfer *x, char *out, size_t n)
{
	return vigil_redact_text(x->errbuf[0] ? x->errbuf : curl_easy_strerror(x->result), out, n);
}

static int http_fail(net_xfer *x, net_outcome *o)
{
	long st = x->resp.status;
	o->fail = NET_FAIL_HTTP;
	o->retryable = st == 429 || (st >= 500 && st != 501 && st != 505);
	if (!st)
		return vigil_error_set(VIGIL_EIO, "%s: no HTTP answer", x->red);
	return vigil_error_set(VIGIL_EIO, "%s: the server answered HTTP %s", x->red,
			       x->resp.reason[0] ? x->resp.reason : "(no reason)");
}

static int header_cap(net_xfer *x, net_outcome *o)
{
	o->fail = NET_FAIL_HEADER_CAP;
	return vigil_error_set(VIGIL_ELIMIT, "response header over %zu bytes from %s",
			       x->pol.max_header ? x->pol.max_header : NET_MAX_HEADER_BYTES, x->red);
}

static int body_cap(net_xfer *x, net_outcome *o)
{
	o->fail = NET_FAIL_BODY_CAP;
	return vigil_error_set(VIGIL_ELIMIT, "%s: the body is over the size cap of %llu bytes", x->red,
			       (unsigned long long)x->pol.max_body);
}

static int refused(net_xfer *x, net_outcome *o)
{
	char *eff = NULL, where[VIGIL_REDACT_MAX + 32] = "";
	o->fail = NET_FAIL_REFUSED;
	curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &eff);
	if (eff && strcmp(eff, x->url)) {
		char r[VIGIL_REDACT_MAX];
		snprintf(where, sizeof(where), " (redirected to %s)", vigil_redact_url(eff, r, sizeof(r)));
	}
	return vigil_error_set(VIGIL_EUNSUPPORTED, "%s: refused by the address policy%s: %s", x->red, where,
			       x->refused_why[0] ? x->refused_why : "no address allowed");
}

static int timed_out(net_xfer *x, net_outcome *o, const char *msg)
{
	const net_policy *p = &x->pol;
	curl_off_t connect_us = 0;
	curl_easy_getinfo(x->easy, CURLINFO_CONNECT_TIME_T, &connect_us);
	o->retryable = true;
	if (strstr(msg, "too slow")) {
		o->fail = NET_FAIL_STALL;
		return vigil_error_set(VIGIL_EIO, "%s: stalled: less than %ld bytes/s for %ld s after %llu bytes (%s)",
				       x->red, p->stall_bytes, p->stall_time_s, (unsigned long long)x->body, msg);
	}
	if (connect_us == 0 && !x->resp.status && !x->body) {
		if (x->refused)
			return refused(x, o); /* the other addresses timed out */
		long t = p->connect_timeout_s;
		if (p->deadline_s > 0 && (t <= 0 || p->deadline_s < t))
			t = p->deadline_s;
		o->fail = NET_FAIL_CONNECT;
		o->unreachable = true;
		return vigil_error_set(VIGIL_EIO, "%s: no connection within %ld s (%s)", x->red, t, msg);
	}
	o->fail = NET_FAIL_DEADLINE;
	return vigil_error_set(VIGIL_EIO, "%s: timed out after %ld s (the deadline of the whole transfer) with %llu bytes received",
			       x->red, p->deadline_s, (unsigned long long)x->body);
}

int net_xfer_fail(net_xfer *x, net_outcome *o)
{
	char msg[CURL_ERROR_SIZE + 64];
	const char *u = x->red;
	curl_text(x, msg, sizeof(msg));
	switch (x->result) {
	case CURLE_OK:
		return http_fail(x, o);
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		o->fail = NET_FAIL_RESOLVE;
		o->unreachable = true;
		return vigil_error_set(VIGIL_EIO, "%s: cannot resolve the host name (%s)", u, msg);
	case CURLE_COULDNT_CONNECT:
		if (x->refused)
			return refused(x, o);
		o->fail = NET_FAIL_CONNECT;
		o->unreachable = o->retryable = true;
		return vigil_error_set(VIGIL_EIO, "%s: cannot connect (%s)", u, msg);
	case CURLE_OPERATION_TIMEDOUT:
		return timed_out(x, o, msg);
	case CURLE_PARTIAL_FILE:
		o->fail = NET_FAIL_BROKEN;
		o->retryable = true;
		return vigil_error_set(VIGIL_EIO, "%s: body cut short after %llu bytes (%s)", u,
				       (unsigned long long)x->body, msg);
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		o->fail = NET_FAIL_BROKEN;
		o->retryable = true;
		return vigil_error_set(VIGIL_EIO, "%s: connection broken after %llu bytes (%s)", u,
				       (unsigned long long)x->body, msg);
	case CURLE_TOO_MANY_REDIRECTS:
		o->fail = NET_FAIL_REDIRECTS;
		return vigil_error_set(VIGIL_EIO, "%s: more than %ld redirects", u, x->pol.max_redirects);
	case CURLE_UNSUPPORTED_PROTOCOL:
		o->fail = NET_FAIL_SCHEME;
		return vigil_error_set(VIGIL_EIO, "%s: refused a redirect or URL: %s (%s)", u,
				       x->pol.allow_http ? "only http and https are followed, https never to http"
							 : "only https is followed",
				       msg);
	case CURLE_FILESIZE_EXCEEDED:
		return body_cap(x, o);
	case CURLE_OUT_OF_MEMORY:
		/* libcurl's own cap on one header line (100 kB) says "out of memory" */
		if (!x->resp.header_done)
			return header_cap(x, o);
		o->fail = NET_FAIL_OTHER;
		return vigil_error_set(VIGIL_ENOMEM, "%s: %s", u, msg);
	case CURLE_WRITE_ERROR:
		if (x->over_header)
			return header_cap(x, o);
		if (x->over_cap)
			return body_cap(x, o);
		if (x->err_full)
			return http_fail(x, o);
		o->fail = NET_FAIL_LOCAL;
		if (x->sink_failed)
			return vigil_error_set(VIGIL_EIO, "%s: cannot write the download: %s", u, strerror(x->sink_errno));
		return vigil_error_set(VIGIL_EIO, "%s: %s", u, msg);
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		o->fail = NET_FAIL_TLS;
		return vigil_error_set(VIGIL_EIO, "%s: TLS failed (%s)%s%s", u, msg, x->pol.tls_hint ? "; " : "",
				       x->pol.tls_hint ? x->pol.tls_hint : "");
	default:
#if LIBCURL_VERSION_NUM >= 0x080600
		if (x->result == CURLE_TOO_LARGE && !x->resp.header_done)
			return header_cap(x, o);
#endif
		o->fail = NET_FAIL_OTHER;
		return vigil_error_set(VIGIL_EIO, "%s: %s", u, msg);
	}
}
