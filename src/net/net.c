/* net/net.c: the transfer engine of net/ (see net.h for the policy).
 *
 * One HTTP GET with libcurl, driven from the reading side. A net_xfer has
 * one easy handle inside its own multi handle (kept across the transfers
 * of one thread, so they reuse connections); net_xfer_read() runs
 * curl_multi_perform()/curl_multi_poll() until body bytes are there. The
 * write callback copies them into a fixed staging buffer (NET_STAGE_SIZE)
 * and pauses the transfer (CURL_WRITEFUNC_PAUSE) when it is full; the next
 * read empties it and resumes. So a transfer holds at most that buffer
 * plus libcurl's own, whatever the body's size, costs no thread, and a slow
 * reader only slows the connection (TCP flow control): memory stays flat.
 * The all-or-nothing mode (get.c) runs the same transfer with a sink (a
 * temp file, a capped buffer) in place of the staging buffer.
 *
 * Only the body of a 2xx answer is handed out; of another, the first
 * NET_MAX_ERROR_BODY bytes are kept for the caller's message (a registry's
 * {"errors": [...]}) and the rest is not read. Header lines go through
 * parse.c into net_resp, counted against the header cap, then to the
 * caller's hook. Every socket is opened by on_open(), which asks the
 * address policy first (addr.c). Failures are classified and worded once,
 * here (net_xfer_fail), with the URL redacted and libcurl's text too. */
#include "net/net_priv.h"
#include "util/curl_init.h"
#include "util/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static bool is_2xx(long s) { return s >= 200 && s < 300; }

int net_global_init(void)
{
	return vigil_curl_global_init();
}

int net_xfer_new(net_xfer **out)
{
	net_xfer *x;
	int rc;
	*out = NULL;
	if ((rc = net_global_init()) < 0)
		return rc;
	if (!(x = calloc(1, sizeof(*x))))
		return vigil_error_oom();
	vigil_buf_init(&x->errbody, NET_MAX_ERROR_BODY);
	if (!(x->easy = curl_easy_init()) || !(x->multi = curl_multi_init())) {
		net_xfer_free(x);
		return vigil_error_set(VIGIL_ERROR, "libcurl: cannot create a handle");
	}
	*out = x;
	return 0;
}

static void detach(net_xfer *x)
{
	if (x->added)
		curl_multi_remove_handle(x->multi, x->easy);
	x->added = false;
	curl_slist_free_all(x->headers);
	x->headers = NULL;
	free(x->url);
	x->url = NULL;
}

void net_xfer_free(net_xfer *x)
{
	if (!x)
		return;
	detach(x);
	curl_easy_cleanup(x->easy);
	curl_multi_cleanup(x->multi);
	vigil_buf_free(&x->errbody);
	free(x->stage);
	free(x);
}

/* ---- libcurl's callbacks ---- */

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	net_xfer *x = ud;
	size_t len = size * n, max = x->pol.max_header ? x->pol.max_header : NET_MAX_HEADER_BYTES;
	const char *name, *value;
	size_t nlen, vlen;
	bool status = net_resp_line(&x->resp, p, len);
	if (x->resp.header_bytes > max) {
		x->over_header = true;
		return 0;
	}
	if (status)
		vigil_buf_reset(&x->errbody);
	if (!x->on_header)
		return len;
	if (status)
		x->on_header(x->ud, &x->resp, NULL, 0, NULL, 0);
	else if (net_header_split(p, len, &name, &nlen, &value, &vlen))
		x->on_header(x->ud, &x->resp, name, nlen, value, vlen);
	return len;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	net_xfer *x = ud;
	size_t len = size * n;
	if (!is_2xx(x->resp.status)) {
		size_t room = NET_MAX_ERROR_BODY - x->errbody.len;
		if (!room) {
			x->err_full = true; /* enough for the message: stop reading */
			return 0;
		}
		vigil_buf_append(&x->errbody, p, len < room ? len : room);
		return len;
	}
	if (x->pol.max_body && x->body + len > x->pol.max_body) {
		x->over_cap = true;
		return 0;
	}
	if (x->sink) {
		if (x->sink(x->sink_ud, p, len) < 0) {
			x->sink_failed = true;
			x->sink_errno = errno;
			return 0;
		}
	} else {
		if (len > NET_STAGE_SIZE)
			return 0; /* cannot happen (libcurl hands out at most CURL_MAX_WRITE_SIZE) */
		if (x->stage_off == x->stage_len)
			x->stage_off = x->stage_len = 0;
		if (NET_STAGE_SIZE - x->stage_len < len) {
			x->paused = true;
			return CURL_WRITEFUNC_PAUSE;
		}
		memcpy(x->stage + x->stage_len, p, len);
		x->stage_len += len;
	}
	x->body += len;
	if (x->progress)
		x->progress(x->ud, (int64_t)len);
	return len;
}

/* Every socket libcurl opens: the address policy first. */
static curl_socket_t on_open(void *ud, curlsocktype purpose, struct curl_sockaddr *a)
{
	net_xfer *x = ud;
	if (purpose == CURLSOCKTYPE_IPCXN && x->pol.unix_socket && a->family == AF_UNIX)
		return socket(AF_UNIX, a->socktype | SOCK_CLOEXEC, a->protocol);
	if (purpose != CURLSOCKTYPE_IPCXN || x->pol.unix_socket ||
	    !net_addr_allowed(&x->addr, &a->addr, a->addrlen, x->refused_why, sizeof(x->refused_why))) {
		x->refused++;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

/* ---- starting ---- */

static int add_line(net_xfer *x, const char *name, const char *value)
{
	char line[NET_MAX_VALIDATOR + 32];
	snprintf(line, sizeof(line), "%s: %s", name, value);
	struct curl_slist *t = curl_slist_append(x->headers, line);
	if (!t)
		return vigil_error_oom();
	x->headers = t;
	return 0;
}

static int request_headers(net_xfer *x, const net_req *rq)
{
	int rc;
	if (rq->etag && *rq->etag && strlen(rq->etag) < NET_MAX_VALIDATOR &&
	    (rc = add_line(x, "If-None-Match", rq->etag)) < 0)
		return rc;
	if (rq->last_modified && *rq->last_modified && strlen(rq->last_modified) < NET_MAX_VALIDATOR &&
	    (rc = add_line(x, "If-Modified-Since", rq->last_modified)) < 0)
		return rc;
	for (size_t i = 0; i < rq->nheaders; i++) {
		struct curl_slist *t = curl_slist_append(x->headers, rq->headers[i]);
		if (!t)
			return vigil_error_oom();
		x->headers = t;
	}
	return 0;
}

static void set_options(net_xfer *x)
{
	CURL *c = x->easy;
	const net_policy *p = &x->pol;
	bool https = !strncasecmp(x->url, "https://", 8);
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, x->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, p->allow_http ? "http,https" : "https");
	/* an https URL is never downgraded to http by a redirect */
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, https ? "https" : "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, p->max_redirects > 0 ? 1L : 0L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, p->max_redirects);
	curl_easy_setopt(c, CURLOPT_UNRESTRICTED_AUTH, 0L);
	if (p->connect_timeout_s > 0)
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, p->connect_timeout_s);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, p->deadline_s > 0 ? p->deadline_s : 0L);
	if (p->stall_time_s > 0) {
		curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, p->stall_bytes);
		curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, p->stall_time_s);
	}
	if (p->max_body)
		curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)p->max_body);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (p->compressed)
		curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_USERAGENT, p->user_agent ? p->user_agent : "vigil/" VIGIL_VERSION);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, on_open);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, x);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, x->headers);
	if (p->unix_socket) {
		curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, p->unix_socket);
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
		curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	}
}

static int check_url(const net_xfer *x, const char *url)
{
	if (strlen(url) > NET_MAX_URL)
		return vigil_error_set(VIGIL_ELIMIT, "a URL is over %d bytes", NET_MAX_URL);
	if (!strncasecmp(url, "https://", 8) || (x->pol.allow_http && !strncasecmp(url, "http://", 7)))
		return 0;
	return vigil_error_set(VIGIL_EIO, "%s: refused: only %s URLs are fetched", x->red,
			       x->pol.allow_http ? "http and https" : "https");
}

int net_xfer_begin(net_xfer *x, const net_policy *p, const net_req *rq, net_sink_fn sink, void *sink_ud)
{
	int rc;
	detach(x);
	x->pol = *p;
	if (p->addr)
		x->addr = *p->addr;
	else
		memset(&x->addr, 0, sizeof(x->addr));
	x->pol.addr = &x->addr;
	x->pol.user_agent = NULL; /* not copied: set_options reads p's */
	vigil_redact_url(rq->url, x->red, sizeof(x->red));
	net_resp_reset(&x->resp);
	vigil_buf_reset(&x->errbody);
	x->errbuf[0] = '\0';
	x->refused_why[0] = '\0';
	x->body = 0;
	x->refused = 0;
	x->over_cap = x->over_header = x->err_full = x->paused = x->done = x->sink_failed = false;
	x->result = CURLE_OK;
	x->stage_len = x->stage_off = 0;
	x->sink = sink;
	x->sink_ud = sink_ud;
	x->on_header = rq->on_header;
	x->progress = rq->progress;
	x->ud = rq->ud;
	if ((rc = check_url(x, rq->url)) < 0)
		return rc;
	if (!(x->url = strdup(rq->url)) || (!sink && !x->stage && !(x->stage = malloc(NET_STAGE_SIZE))))
		return vigil_error_oom();
	if ((rc = request_headers(x, rq)) < 0)
		return rc;
	set_options(x);
	if (p->user_agent)
		curl_easy_setopt(x->easy, CURLOPT_USERAGENT, p->user_agent);
	if (curl_multi_add_handle(x->multi, x->easy) != CURLM_OK)
		return vigil_error_set(VIGIL_ERROR, "libcurl: cannot start a transfer");
	x->added = true;
	return 0;
}

int net_xfer_start(net_xfer *x, const net_policy *p, const net_req *rq)
{
	return net_xfer_begin(x, p, rq, NULL, NULL);
}

/* ---- driving ---- */

static void check_done(net_xfer *x)
{
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(x->multi, &left)))
		if (m->msg == CURLMSG_DONE && m->easy_handle == x->easy) {
			x->done = true;
			x->result = m->data.result;
		}
}

/* One round: perform, then wait for the socket unless there is news. */
static int step(net_xfer *x, bool *news)
{
	int running = 0;
	CURLMcode mc = curl_multi_perform(x->multi, &running);
	*news = false;
	if (mc != CURLM_OK)
		return vigil_error_set(VIGIL_EIO, "%s: libcurl: %s", x->red, curl_multi_strerror(mc));
	check_done(x);
	if (x->stage_len || x->done || x->paused)
		return *news = true, 0;
	if (!running) {
		/* finished, but no message (should not happen): treat as done */
		x->done = true;
		x->result = CURLE_RECV_ERROR;
		return *news = true, 0;
	}
	mc = curl_multi_poll(x->multi, NULL, 0, 1000, NULL);
	if (mc != CURLM_OK)
		return vigil_error_set(VIGIL_EIO, "%s: libcurl: %s", x->red, curl_multi_strerror(mc));
	return 0;
}

int net_xfer_run(net_xfer *x)
{
	bool news;
	int rc;
	if (!x->added)
		return vigil_error_set(VIGIL_ERROR, "net: no transfer started");
	while (!x->done)
		if ((rc = step(x, &news)) < 0)
			return rc;
	return 0;
}

ssize_t net_xfer_read(net_xfer *x, void *buf, size_t n)
{
	bool news;
	int rc;
	if (!x->added)
		return vigil_error_set(VIGIL_ERROR, "net: no transfer started");
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
		if ((rc = step(x, &news)) < 0)
			return rc;
	}
}

const net_resp *net_xfer_resp(const net_xfer *x) { return &x->resp; }
uint64_t net_xfer_body_bytes(const net_xfer *x) { return x->body; }
const char *net_xfer_url(const net_xfer *x) { return x->red; }

const char *net_xfer_error_body(const net_xfer *x, size_t *len)
{
	*len = x->errbody.len;
	return x->errbody.data ? x->errbody.data : "";
}

int net_xfer_finish(net_xfer *x, net_outcome *o)
{
	net_outcome tmp;
	if (!o)
		o = &tmp;
	memset(o, 0, sizeof(*o));
	o->bytes = x->body;
	if (!x->done)
		return vigil_error_set(VIGIL_ERROR, "%s: the transfer is not over", x->red);
	if (x->result == CURLE_OK && is_2xx(x->resp.status))
		return 0;
	return net_xfer_fail(x, o);
}
