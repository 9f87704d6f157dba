/* registry/http.c: one HTTP GET with libcurl, driven from the reading
 * side. Each transfer has its own easy handle inside its own multi handle;
 * vigil_reg_xfer_read() runs curl_multi_perform()/curl_multi_poll() until
 * body bytes are there. The write callback copies them into a fixed
 * staging buffer (VIGIL_REG_STAGE_SIZE) and pauses the transfer
 * (CURL_WRITEFUNC_PAUSE) when it is full; the next read empties it and
 * resumes. So a transfer holds at most that buffer plus libcurl's own,
 * whatever the body's size, costs no thread, and a slow reader only slows
 * the connection (TCP flow control): memory stays flat.
 *
 * Limits: a connect timeout, a stall limit (less than
 * VIGIL_REG_STALL_BYTES/s for VIGIL_REG_STALL_TIME_S), an optional total
 * timeout, a body cap, at most VIGIL_REG_MAX_REDIRECTS redirects and only
 * to http/https (https never down to http), TLS always verified. The
 * Authorization header given is sent to the first host only (libcurl's
 * rule for custom headers), so a blob redirected to a storage service
 * never carries the registry's credentials. Only the body of a 2xx answer
 * is handed out; of another, the first VIGIL_REG_MAX_ERROR_BODY bytes are
 * kept for the message (the registry's {"errors": [{code, message}]}). */
#include "registry/registry.h"
#include "util/buf.h"
#include "util/curl_init.h"
#include "util/error.h"

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct vigil_reg_xfer {
	CURL *easy;
	CURLM *multi;
	struct curl_slist *headers;
	char *url;
	char errbuf[CURL_ERROR_SIZE];
	vigil_reg_resp resp;
	uint64_t max_body, body;
	bool over_cap, paused, done, started;
	CURLcode result;
	char *stage;
	size_t stage_len, stage_off;
	vigil_buf errbody;
};

int vigil_reg_http_init(void)
{
	return vigil_curl_global_init();
}

static bool is_2xx(long s) { return s >= 200 && s < 300; }

/* "Name: value" -> value, trimmed, into out (cut when too long: *cut). */
static void header_value(const char *p, size_t n, size_t name_len, char *out, size_t outn, bool *cut)
{
	const char *v = p + name_len, *end = p + n;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	size_t k = (size_t)(end - v);
	if (cut)
		*cut = k >= outn;
	if (k >= outn)
		k = outn - 1;
	memcpy(out, v, k);
	out[k] = '\0';
}

static bool header_is(const char *p, size_t n, const char *name)
{
	size_t k = strlen(name);
	return n > k && p[k] == ':' && !strncasecmp(p, name, k);
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	vigil_reg_xfer *x = ud;
	vigil_reg_resp *r = &x->resp;
	size_t len = size * n;
	bool cut = false;
	if (len >= 5 && !memcmp(p, "HTTP/", 5)) {
		/* a new response (a redirect's, a 100's): forget the last one's headers */
		memset(r, 0, sizeof(*r));
		r->retry_after_s = -1;
		r->range_start = -1;
		char line[128];
		header_value(p, len, 0, line, sizeof(line), NULL);
		const char *sp = strchr(line, ' ');
		snprintf(r->reason, sizeof(r->reason), "%.95s", sp ? sp + 1 : line);
		if (sp) {
			long s = 0;
			for (const char *q = sp + 1; *q >= '0' && *q <= '9' && s < 1000; q++)
				s = s * 10 + (*q - '0');
			r->status = s;
		}
	} else if (header_is(p, len, "WWW-Authenticate")) {
		size_t have = strlen(r->www_auth);
		char v[VIGIL_REG_MAX_AUTH_HEADER + 1];
		header_value(p, len, 17, v, sizeof(v), &cut);
		if (cut || have + strlen(v) + 2 > VIGIL_REG_MAX_AUTH_HEADER)
			r->www_auth_cut = true;
		else
			snprintf(r->www_auth + have, sizeof(r->www_auth) - have, "%s%s", have ? ", " : "", v);
	} else if (header_is(p, len, "Content-Type")) {
		header_value(p, len, 13, r->content_type, sizeof(r->content_type), NULL);
		r->content_type[strcspn(r->content_type, "; \t")] = '\0';
	} else if (header_is(p, len, "Docker-Content-Digest")) {
		header_value(p, len, 22, r->digest, sizeof(r->digest), &cut);
		if (cut)
			snprintf(r->digest, sizeof(r->digest), "?");
	} else if (header_is(p, len, "Retry-After")) {
		char v[32];
		header_value(p, len, 12, v, sizeof(v), NULL);
		long s = 0;
		size_t i = 0;
		for (; v[i] >= '0' && v[i] <= '9' && s < 100000; i++)
			s = s * 10 + (v[i] - '0');
		if (i && !v[i])
			r->retry_after_s = s;
	} else if (header_is(p, len, "Content-Range")) {
		char v[96];
		header_value(p, len, 14, v, sizeof(v), NULL);
		if (!strncasecmp(v, "bytes ", 6)) {
			int64_t s = 0;
			size_t i = 6;
			for (; v[i] >= '0' && v[i] <= '9' && s < ((int64_t)1 << 55); i++)
				s = s * 10 + (v[i] - '0');
			if (i > 6 && v[i] == '-')
				r->range_start = s;
		}
	}
	return len;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	vigil_reg_xfer *x = ud;
	size_t len = size * n;
	if (!is_2xx(x->resp.status)) {
		size_t room = VIGIL_REG_MAX_ERROR_BODY - x->errbody.len;
		vigil_buf_append(&x->errbody, p, len < room ? len : room);
		return len;
	}
	if (len > VIGIL_REG_STAGE_SIZE)
		return 0; /* cannot happen (libcurl hands out at most CURL_MAX_WRITE_SIZE) */
	if (x->body + len > x->max_body) {
		x->over_cap = true;
		return 0;
	}
	if (x->stage_off == x->stage_len)
		x->stage_off = x->stage_len = 0;
	if (VIGIL_REG_STAGE_SIZE - x->stage_len < len) {
		x->paused = true;
		return CURL_WRITEFUNC_PAUSE;
	}
	memcpy(x->stage + x->stage_len, p, len);
	x->stage_len += len;
	x->body += len;
	return len;
}

void vigil_reg_xfer_free(vigil_reg_xfer *x)
{
	if (!x)
		return;
	if (x->multi && x->easy)
		curl_multi_remove_handle(x->multi, x->easy);
	curl_easy_cleanup(x->easy);
	curl_multi_cleanup(x->multi);
	curl_slist_free_all(x->headers);
	vigil_buf_free(&x->errbody);
	free(x->stage);
	free(x->url);
	free(x);
}

static int add_header(vigil_reg_xfer *x, const char *name, const char *value)
{
	size_t n = strlen(name) + strlen(value) + 3;
	char *line = malloc(n);
	if (!line)
		return vigil_error_oom();
	snprintf(line, n, "%s: %s", name, value);
	struct curl_slist *t = curl_slist_append(x->headers, line);
	free(line);
	if (!t)
		return vigil_error_oom();
	x->headers = t;
	return 0;
}

int vigil_reg_xfer_start(const vigil_reg_req *req, vigil_reg_xfer **out)
{
	vigil_reg_xfer *x = NULL;
	int rc;
	*out = NULL;
	if ((rc = vigil_reg_http_init()) < 0)
		return rc;
	if (strncasecmp(req->url, "https://", 8) && !(req->allow_http && !strncasecmp(req->url, "http://", 7)))
		return vigil_error_set(VIGIL_EINVAL, "%.300s: only %s URLs are fetched", req->url,
				       req->allow_http ? "http and https" : "https");
	if (strlen(req->url) > VIGIL_REG_MAX_URL)
		return vigil_error_set(VIGIL_ELIMIT, "a URL is over %d bytes", VIGIL_REG_MAX_URL);
	if (!(x = calloc(1, sizeof(*x))))
		return vigil_error_oom();
	vigil_buf_init(&x->errbody, VIGIL_REG_MAX_ERROR_BODY);
	x->max_body = req->max_body;
	x->resp.retry_after_s = -1;
	x->resp.range_start = -1;
	if (!(x->url = strdup(req->url)) || !(x->stage = malloc(VIGIL_REG_STAGE_SIZE))) {
		rc = vigil_error_oom();
		goto fail;
	}
	if (!(x->easy = curl_easy_init()) || !(x->multi = curl_multi_init())) {
		rc = vigil_error_set(VIGIL_ERROR, "libcurl: cannot create a handle");
		goto fail;
	}
	if ((req->accept && (rc = add_header(x, "Accept", req->accept)) < 0) ||
	    (req->authorization && (rc = add_header(x, "Authorization", req->authorization)) < 0))
		goto fail;
	for (size_t i = 0; i < req->nheaders; i++) {
		struct curl_slist *t = curl_slist_append(x->headers, req->headers[i]);
		if (!t) {
			rc = vigil_error_oom();
			goto fail;
		}
		x->headers = t;
	}
	if (req->range_from) {
		char v[48];
		snprintf(v, sizeof(v), "bytes=%llu-", (unsigned long long)req->range_from);
		if ((rc = add_header(x, "Range", v)) < 0)
			goto fail;
	}
	CURL *c = x->easy;
	bool https = !strncasecmp(req->url, "https://", 8);
	curl_easy_setopt(c, CURLOPT_URL, req->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, req->allow_http ? "http,https" : "https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, https ? "https" : "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)VIGIL_REG_MAX_REDIRECTS);
	curl_easy_setopt(c, CURLOPT_UNRESTRICTED_AUTH, 0L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)VIGIL_REG_CONNECT_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, req->timeout_s);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, (long)VIGIL_REG_STALL_BYTES);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (long)VIGIL_REG_STALL_TIME_S);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)req->max_body);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "vigil/" VIGIL_VERSION);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, x->headers);
	if (curl_multi_add_handle(x->multi, c) != CURLM_OK) {
		rc = vigil_error_set(VIGIL_ERROR, "libcurl: cannot start a transfer");
		goto fail;
	}
	*out = x;
	return 0;
fail:
	vigil_reg_xfer_free(x);
	return rc;
}

static void check_done(vigil_reg_xfer *x)
{
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(x->multi, &left)))
		if (m->msg == CURLMSG_DONE && m->easy_handle == x->easy) {
			x->done = true;
			x->result = m->data.result;
		}
}

ssize_t vigil_reg_xfer_read(vigil_reg_xfer *x, void *buf, size_t n)
{
	for (;;) {
		if (x->stage_off < x->stage_len) {
			size_t k = x->stage_len - x->stage_off;
			if (k > n)
				k = n;
			memcpy(buf, x->stage + x->stage_off, k);
			x->stage_off += k;
			return (ssize_t)k;
		}
		x->stage_off = x->stage_len = 0;
		if (x->done)
			return 0;
		if (x->paused) {
			x->paused = false;
			/* may call on_body at once with what libcurl held back */
			curl_easy_pause(x->easy, CURLPAUSE_CONT);
			if (x->stage_len)
				continue;
		}
		int running = 0;
		CURLMcode mc = curl_multi_perform(x->multi, &running);
		if (mc != CURLM_OK)
			return vigil_error_set(VIGIL_EIO, "%s: libcurl: %s", x->url, curl_multi_strerror(mc));
		x->started = true;
		check_done(x);
		if (x->stage_len || x->done)
			continue;
		if (!running) {
			/* finished, but no message (should not happen): treat as done */
			x->done = true;
			x->result = CURLE_RECV_ERROR;
			continue;
		}
		if (x->paused)
			continue;
		mc = curl_multi_poll(x->multi, NULL, 0, 1000, NULL);
		if (mc != CURLM_OK)
			return vigil_error_set(VIGIL_EIO, "%s: libcurl: %s", x->url, curl_multi_strerror(mc));
	}
}

const vigil_reg_resp *vigil_reg_xfer_resp(const vigil_reg_xfer *x) { return &x->resp; }
uint64_t vigil_reg_xfer_body_bytes(const vigil_reg_xfer *x) { return x->body; }

/* The registry's error codes from an error body: "MANIFEST_UNKNOWN: manifest
 * unknown", printable ASCII only. */
static void error_codes(const vigil_reg_xfer *x, char *out, size_t n)
{
	json_t *root = NULL, *errs, *e;
	size_t i;
	out[0] = '\0';
	if (!x->errbody.len || !(root = json_loadb(x->errbody.data, x->errbody.len, 0, NULL)))
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

int vigil_reg_xfer_result(vigil_reg_xfer *x, bool *retryable)
{
	const char *url = x->url, *msg = x->errbuf[0] ? x->errbuf : curl_easy_strerror(x->result);
	long st = x->resp.status;
	*retryable = false;
	if (!x->done)
		return vigil_error_set(VIGIL_ERROR, "%s: the transfer is not over", url);
	if (x->result == CURLE_OK && is_2xx(st))
		return 0;
	switch (x->result) {
	case CURLE_OK: {
		char codes[512];
		error_codes(x, codes, sizeof(codes));
		*retryable = st == 429 || (st >= 500 && st != 501 && st != 505);
		return vigil_error_set(st == 404 ? VIGIL_ENOTFOUND : VIGIL_EIO, "%s: HTTP %s%s%s%s", url,
				       x->resp.reason[0] ? x->resp.reason : "(no status)", codes[0] ? " (" : "",
				       codes, codes[0] ? ")" : "");
	}
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return vigil_error_set(VIGIL_EIO, "%s: cannot resolve the host name (%s)", url, msg);
	case CURLE_COULDNT_CONNECT:
		*retryable = true;
		return vigil_error_set(VIGIL_EIO, "%s: cannot connect (%s)", url, msg);
	case CURLE_OPERATION_TIMEDOUT:
		*retryable = true;
		if (strstr(msg, "too slow"))
			return vigil_error_set(VIGIL_EIO, "%s: stalled: less than %d bytes/s for %d s after %llu bytes",
					       url, VIGIL_REG_STALL_BYTES, VIGIL_REG_STALL_TIME_S,
					       (unsigned long long)x->body);
		return vigil_error_set(VIGIL_EIO, "%s: timed out (%s)", url, msg);
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		*retryable = true;
		return vigil_error_set(VIGIL_EIO, "%s: connection broken after %llu bytes (%s)", url,
				       (unsigned long long)x->body, msg);
	case CURLE_TOO_MANY_REDIRECTS:
		return vigil_error_set(VIGIL_EIO, "%s: more than %d redirects", url, VIGIL_REG_MAX_REDIRECTS);
	case CURLE_UNSUPPORTED_PROTOCOL:
		return vigil_error_set(VIGIL_EIO, "%s: refused a redirect or URL: only http and https are followed, https never to http (%s)",
				       url, msg);
	case CURLE_FILESIZE_EXCEEDED:
		return vigil_error_set(VIGIL_ELIMIT, "%s: the body is over the cap of %llu bytes", url,
				       (unsigned long long)x->max_body);
	case CURLE_WRITE_ERROR:
		if (x->over_cap)
			return vigil_error_set(VIGIL_ELIMIT, "%s: the body is over the cap of %llu bytes", url,
					       (unsigned long long)x->max_body);
		return vigil_error_set(VIGIL_EIO, "%s: %s", url, msg);
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		return vigil_error_set(VIGIL_EIO, "%s: TLS failed (%s); a plain-HTTP registry needs --insecure-registry",
				       url, msg);
	default:
		return vigil_error_set(VIGIL_EIO, "%s: %s", url, msg);
	}
}

long vigil_reg_backoff_ms(int attempt, long retry_after_s)
{
	long ms;
	if (retry_after_s >= 0)
		ms = retry_after_s > VIGIL_REG_RETRY_MAX_MS / 1000 ? VIGIL_REG_RETRY_MAX_MS : retry_after_s * 1000;
	else
		ms = (long)VIGIL_REG_RETRY_BASE_MS << (attempt < 16 ? attempt : 16);
	return ms > VIGIL_REG_RETRY_MAX_MS ? VIGIL_REG_RETRY_MAX_MS : ms;
}

void vigil_reg_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}
