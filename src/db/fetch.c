/* db/fetch.c: one HTTP(S) GET of a feed file with libcurl, the way `vigil
 * db update` needs it: conditional (If-None-Match / If-Modified-Since from
 * the validators the caller kept), bounded (connect timeout, total timeout,
 * a low-speed limit so that a stalled server fails in bounded time, a size
 * cap, at most a few redirects, only to http/https and never from https
 * down to http), TLS verification
 * always on, and all-or-nothing: the body goes to a hidden temp file that
 * replaces the destination only when the transfer is complete (a body cut
 * short, an HTTP error, a timeout leave the old file as it was). Errors name
 * the URL and what happened. A fetcher keeps one easy handle so that the
 * URLs of a feed reuse their connection; one fetcher per thread. */
#include "db/fetch.h"
#include "util/curl_init.h"
#include "util/error.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct vigil_fetcher {
	CURL *curl;
	vigil_fetch_limits lim;
	void (*progress)(void *ud, int64_t delta);
	void *ud;
	char errbuf[CURL_ERROR_SIZE];
	/* the current transfer */
	FILE *out;
	int64_t bytes, seen;
	bool over_cap, write_failed;
	char status_line[160];
	char etag[VIGIL_FETCH_MAX_VALIDATOR];
	char last_modified[VIGIL_FETCH_MAX_VALIDATOR];
	bool encoded; /* Content-Encoding: the Content-Length is not the body's */
};

int vigil_fetch_global_init(void)
{
	return vigil_curl_global_init();
}

int vigil_fetcher_new(const vigil_fetch_limits *lim, void (*progress)(void *ud, int64_t delta),
		      void *ud, vigil_fetcher **out)
{
	int rc = vigil_fetch_global_init();
	*out = NULL;
	if (rc < 0)
		return rc;
	vigil_fetcher *f = calloc(1, sizeof(*f));
	if (!f)
		return vigil_error_oom();
	if (!(f->curl = curl_easy_init())) {
		free(f);
		return vigil_error_set(VIGIL_ERROR, "libcurl: cannot create a handle");
	}
	f->lim = *lim;
	f->progress = progress;
	f->ud = ud;
	*out = f;
	return 0;
}

void vigil_fetcher_free(vigil_fetcher *f)
{
	if (!f)
		return;
	curl_easy_cleanup(f->curl);
	free(f);
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	vigil_fetcher *f = ud;
	size_t len = size * n;
	if (f->bytes + (int64_t)len > f->lim.max_bytes) {
		f->over_cap = true;
		return 0;
	}
	if (!f->out || fwrite(p, 1, len, f->out) != len) {
		f->write_failed = true;
		return 0;
	}
	f->bytes += (int64_t)len;
	return len;
}

/* Copies the value of a "Name: value" header line, trimmed. */
static void header_value(const char *p, size_t n, size_t name_len, char *out, size_t outn)
{
	const char *v = p + name_len, *end = p + n;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	size_t k = (size_t)(end - v);
	if (k >= outn) {
		out[0] = '\0'; /* too long to keep: better none than a cut one */
		return;
	}
	memcpy(out, v, k);
	out[k] = '\0';
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	vigil_fetcher *f = ud;
	size_t len = size * n;
	if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		/* a new response (after a redirect or 100): forget the last one's */
		header_value(p, len, 0, f->status_line, sizeof(f->status_line));
		f->etag[0] = f->last_modified[0] = '\0';
		f->encoded = false;
	} else if (len > 5 && strncasecmp(p, "ETag:", 5) == 0) {
		header_value(p, len, 5, f->etag, sizeof(f->etag));
	} else if (len > 14 && strncasecmp(p, "Last-Modified:", 14) == 0) {
		header_value(p, len, 14, f->last_modified, sizeof(f->last_modified));
	} else if (len > 17 && strncasecmp(p, "Content-Encoding:", 17) == 0) {
		char v[32];
		header_value(p, len, 17, v, sizeof(v));
		f->encoded = v[0] && strcasecmp(v, "identity") != 0;
	}
	return len;
}

static int on_xfer(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	vigil_fetcher *f = ud;
	(void)dltotal, (void)ultotal, (void)ulnow;
	if (dlnow > f->seen) {
		if (f->progress)
			f->progress(f->ud, (int64_t)(dlnow - f->seen));
		f->seen = (int64_t)dlnow;
	}
	return 0;
}

/* "HTTP/1.1 500 Internal Server Error" -> "500 Internal Server Error" */
static const char *status_words(const vigil_fetcher *f)
{
	const char *sp = strchr(f->status_line, ' ');
	return sp ? sp + 1 : f->status_line;
}

static int fail(vigil_fetcher *f, const char *url, CURLcode cc, vigil_fetch_resp *resp)
{
	const char *msg = f->errbuf[0] ? f->errbuf : curl_easy_strerror(cc);
	curl_off_t connect_us = 0;
	curl_easy_getinfo(f->curl, CURLINFO_CONNECT_TIME_T, &connect_us);
	switch (cc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		resp->unreachable = true;
		return vigil_error_set(VIGIL_EIO, "%s: cannot resolve the host name (%s)", url, msg);
	case CURLE_COULDNT_CONNECT:
		resp->unreachable = true;
		return vigil_error_set(VIGIL_EIO, "%s: cannot connect (%s)", url, msg);
	case CURLE_OPERATION_TIMEDOUT:
		if (connect_us == 0) {
			resp->unreachable = true;
			return vigil_error_set(VIGIL_EIO, "%s: no connection within %ld s (%s)", url,
					       f->lim.connect_timeout_s, msg);
		}
		if (strstr(msg, "too slow"))
			return vigil_error_set(VIGIL_EIO, "%s: stalled: less than %ld bytes/s for %ld s after %lld bytes (%s)",
					       url, f->lim.stall_bytes, f->lim.stall_time_s, (long long)f->bytes, msg);
		return vigil_error_set(VIGIL_EIO, "%s: timed out after %ld s with %lld bytes received (%s)", url,
				       f->lim.timeout_s, (long long)f->bytes, msg);
	case CURLE_PARTIAL_FILE:
		return vigil_error_set(VIGIL_EIO, "%s: body cut short after %lld bytes (%s)", url,
				       (long long)f->bytes, msg);
	case CURLE_HTTP_RETURNED_ERROR: {
		long code = 0;
		curl_easy_getinfo(f->curl, CURLINFO_RESPONSE_CODE, &code);
		resp->status = code;
		return vigil_error_set(VIGIL_EIO, "%s: the server answered HTTP %s", url,
				       f->status_line[0] ? status_words(f) : msg);
	}
	case CURLE_TOO_MANY_REDIRECTS:
		return vigil_error_set(VIGIL_EIO, "%s: more than %ld redirects", url, f->lim.max_redirects);
	case CURLE_UNSUPPORTED_PROTOCOL:
		return vigil_error_set(VIGIL_EIO, "%s: refused: only http and https are followed (%s)", url, msg);
	case CURLE_FILESIZE_EXCEEDED:
		return vigil_error_set(VIGIL_ELIMIT, "%s: larger than the size cap of %lld bytes", url,
				       (long long)f->lim.max_bytes);
	case CURLE_WRITE_ERROR:
		if (f->over_cap)
			return vigil_error_set(VIGIL_ELIMIT, "%s: larger than the size cap of %lld bytes", url,
					       (long long)f->lim.max_bytes);
		return vigil_error_set(VIGIL_EIO, "%s: cannot write the download: %s", url, strerror(errno));
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		return vigil_error_set(VIGIL_EIO, "%s: TLS failed (%s)", url, msg);
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
		return vigil_error_set(VIGIL_EIO, "%s: connection broken after %lld bytes (%s)", url,
				       (long long)f->bytes, msg);
	default:
		return vigil_error_set(VIGIL_EIO, "%s: %s", url, msg);
	}
}

static struct curl_slist *request_headers(const vigil_fetch_req *req, int *rc)
{
	struct curl_slist *h = NULL, *t;
	char line[VIGIL_FETCH_MAX_VALIDATOR + 32];
	*rc = 0;
	if (req->etag && *req->etag) {
		snprintf(line, sizeof(line), "If-None-Match: %s", req->etag);
		if (!(t = curl_slist_append(h, line)))
			goto oom;
		h = t;
	}
	if (req->last_modified && *req->last_modified) {
		snprintf(line, sizeof(line), "If-Modified-Since: %s", req->last_modified);
		if (!(t = curl_slist_append(h, line)))
			goto oom;
		h = t;
	}
	for (size_t i = 0; req->headers && req->headers[i]; i++) {
		if (!(t = curl_slist_append(h, req->headers[i])))
			goto oom;
		h = t;
	}
	return h;
oom:
	curl_slist_free_all(h);
	*rc = vigil_error_oom();
	return NULL;
}

static void setup(vigil_fetcher *f, const vigil_fetch_req *req, struct curl_slist *headers)
{
	CURL *c = f->curl;
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, req->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	/* an https URL is never downgraded to http by a redirect */
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR,
			 strncasecmp(req->url, "https://", 8) == 0 ? "https" : "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, f->lim.max_redirects);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, f->lim.connect_timeout_s);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, f->lim.timeout_s);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, f->lim.stall_bytes);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, f->lim.stall_time_s);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->lim.max_bytes);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "vigil/" VIGIL_VERSION " (vulnerability feed update)");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, f->errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, f);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_xfer);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, f);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
}

/* dest's hidden temp name: "dir/.name.part" (the importer skips dot files) */
static int temp_name(const char *dest, char *out, size_t n)
{
	const char *slash = strrchr(dest, '/');
	int w = slash ? snprintf(out, n, "%.*s/.%s.part", (int)(slash - dest), dest, slash + 1)
		      : snprintf(out, n, ".%s.part", dest);
	if (w < 0 || (size_t)w >= n)
		return vigil_error_set(VIGIL_ELIMIT, "%s: path too long", dest);
	return 0;
}

int vigil_fetch(vigil_fetcher *f, const vigil_fetch_req *req, vigil_fetch_resp *resp)
{
	char tmp[4200];
	struct curl_slist *headers = NULL;
	long code = 0;
	int rc;
	memset(resp, 0, sizeof(*resp));
	f->errbuf[0] = f->status_line[0] = f->etag[0] = f->last_modified[0] = '\0';
	f->bytes = f->seen = 0;
	f->over_cap = f->write_failed = f->encoded = false;
	if ((rc = temp_name(req->dest, tmp, sizeof(tmp))) < 0)
		return rc;
	if (!(f->out = fopen(tmp, "wbe")))
		return vigil_error_set(VIGIL_EIO, "%s: %s", tmp, strerror(errno));
	headers = request_headers(req, &rc);
	if (rc < 0)
		goto out;
	setup(f, req, headers);
	CURLcode cc = curl_easy_perform(f->curl);
	curl_easy_getinfo(f->curl, CURLINFO_RESPONSE_CODE, &code);
	resp->status = code;
	if (cc == CURLE_HTTP_RETURNED_ERROR && code == 404 && req->missing_ok) {
		resp->missing = true;
		goto out;
	}
	if (cc != CURLE_OK) {
		rc = fail(f, req->url, cc, resp);
		goto out;
	}
	if (code == 304) {
		resp->not_modified = true;
		goto out;
	}
	if (code != 200) {
		rc = vigil_error_set(VIGIL_EIO, "%s: the server answered HTTP %s, not 200", req->url,
				     f->status_line[0] ? status_words(f) : "(no status)");
		goto out;
	}
	curl_off_t clen = -1;
	curl_easy_getinfo(f->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &clen);
	if (!f->encoded && clen >= 0 && clen != f->bytes) {
		rc = vigil_error_set(VIGIL_EIO, "%s: body cut short: %lld of %lld bytes (Content-Length)", req->url,
				     (long long)f->bytes, (long long)clen);
		goto out;
	}
	if (fflush(f->out) != 0 || fsync(fileno(f->out)) != 0) {
		rc = vigil_error_set(VIGIL_EIO, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (fclose(f->out) != 0) {
		f->out = NULL;
		rc = vigil_error_set(VIGIL_EIO, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	f->out = NULL;
	if (rename(tmp, req->dest) != 0) {
		rc = vigil_error_set(VIGIL_EIO, "cannot rename %s to %s: %s", tmp, req->dest, strerror(errno));
		goto out;
	}
	resp->bytes = f->bytes;
	snprintf(resp->etag, sizeof(resp->etag), "%s", f->etag);
	snprintf(resp->last_modified, sizeof(resp->last_modified), "%s", f->last_modified);
out:
	if (f->out) {
		fclose(f->out);
		f->out = NULL;
	}
	unlink(tmp); /* gone already when renamed */
	curl_slist_free_all(headers);
	curl_easy_setopt(f->curl, CURLOPT_HTTPHEADER, NULL);
	return rc;
}
