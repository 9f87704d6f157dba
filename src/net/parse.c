/* net/parse.c: the lines of an HTTP response header as libcurl hands them
 * over (one call per line, CRLF included, status line first, then the
 * headers, then the blank line; again for each redirect or 1xx answer).
 * Pure functions over the bytes given, no allocation: fuzz/fuzz_net_headers.c
 * feeds them hostile lines. What vigil keeps of a response is net_resp:
 * status and reason, Content-Type (without parameters), the validators
 * (ETag, Last-Modified: kept whole or not at all, never cut), whether the
 * body is encoded, Retry-After in seconds and the start of a 206's
 * Content-Range; every value has a fixed room (net.h). */
#include "net/net.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool is_blank(char c) { return c == ' ' || c == '\t'; }
static bool is_eol(char c) { return c == '\r' || c == '\n'; }

/* token characters of RFC 9110 */
static bool is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static void trim(const char **p, size_t *n)
{
	while (*n && (is_blank(**p) || is_eol(**p))) {
		(*p)++;
		(*n)--;
	}
	while (*n && (is_blank((*p)[*n - 1]) || is_eol((*p)[*n - 1])))
		(*n)--;
}

/* printable ASCII copy into out (others become '?'); cut to fit */
static void copy_text(const char *p, size_t n, char *out, size_t on)
{
	if (!on)
		return;
	if (n >= on)
		n = on - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? p[i] : '?';
	out[n] = '\0';
}

bool net_status_line(const char *p, size_t n, long *status, char *reason, size_t rn)
{
	trim(&p, &n);
	if (n < 5 || memcmp(p, "HTTP/", 5) != 0)
		return false;
	size_t i = 5;
	while (i < n && !is_blank(p[i]))
		i++;
	while (i < n && is_blank(p[i]))
		i++;
	size_t start = i;
	long s = 0;
	while (i < n && p[i] >= '0' && p[i] <= '9' && i - start < 3)
		s = s * 10 + (p[i++] - '0');
	if (i - start != 3 || (i < n && !is_blank(p[i])) || s < 100)
		return false;
	*status = s;
	copy_text(p + start, n - start, reason, rn);
	return true;
}

bool net_header_split(const char *p, size_t n, const char **name, size_t *nlen, const char **value,
		      size_t *vlen)
{
	const char *colon = n ? memchr(p, ':', n) : NULL;
	if (!colon || colon == p)
		return false;
	for (const char *q = p; q < colon; q++)
		if (!is_tchar(*q))
			return false;
	*name = p;
	*nlen = (size_t)(colon - p);
	*value = colon + 1;
	*vlen = n - *nlen - 1;
	trim(value, vlen);
	return true;
}

void net_resp_reset(net_resp *r)
{
	memset(r, 0, sizeof(*r));
	r->retry_after_s = -1;
	r->range_start = -1;
}

static bool name_is(const char *name, size_t nlen, const char *want)
{
	return strlen(want) == nlen && !strncasecmp(name, want, nlen);
}

/* whole or nothing: a cut validator would not match the server's */
static void keep_whole(const char *v, size_t vlen, char *out, size_t on)
{
	if (vlen >= on) {
		out[0] = '\0';
		return;
	}
	copy_text(v, vlen, out, on);
}

static bool digits(const char *v, size_t vlen, size_t *used, int64_t cap, int64_t *out)
{
	int64_t s = 0;
	size_t i = 0;
	for (; i < vlen && v[i] >= '0' && v[i] <= '9'; i++) {
		s = s * 10 + (v[i] - '0');
		if (s > cap)
			return false;
	}
	*used = i;
	*out = s;
	return i > 0;
}

static void header(net_resp *r, const char *name, size_t nlen, const char *v, size_t vlen)
{
	int64_t num;
	size_t used;
	if (name_is(name, nlen, "Content-Type")) {
		size_t k = 0;
		while (k < vlen && v[k] != ';' && !is_blank(v[k]))
			k++;
		copy_text(v, k, r->content_type, sizeof(r->content_type));
	} else if (name_is(name, nlen, "ETag")) {
		keep_whole(v, vlen, r->etag, sizeof(r->etag));
	} else if (name_is(name, nlen, "Last-Modified")) {
		keep_whole(v, vlen, r->last_modified, sizeof(r->last_modified));
	} else if (name_is(name, nlen, "Content-Encoding")) {
		r->encoded = vlen && !(vlen == 8 && !strncasecmp(v, "identity", 8));
	} else if (name_is(name, nlen, "Retry-After")) {
		/* seconds only; an HTTP date is ignored (the backoff applies) */
		if (digits(v, vlen, &used, 100000, &num) && used == vlen)
			r->retry_after_s = (long)num;
	} else if (name_is(name, nlen, "Content-Range")) {
		if (vlen > 6 && !strncasecmp(v, "bytes ", 6) &&
		    digits(v + 6, vlen - 6, &used, (int64_t)1 << 55, &num) && used < vlen - 6 && v[6 + used] == '-')
			r->range_start = num;
	}
}

bool net_resp_line(net_resp *r, const char *p, size_t n)
{
	long status;
	char reason[NET_MAX_REASON];
	const char *name, *v;
	size_t nlen, vlen;
	if (net_status_line(p, n, &status, reason, sizeof(reason))) {
		/* a new response (a redirect's, a 100's): forget the last one's */
		net_resp_reset(r);
		r->status = status;
		memcpy(r->reason, reason, sizeof(reason));
		r->header_bytes = n;
		return true;
	}
	r->header_bytes += n;
	if (n <= 2 && (n == 0 || is_eol(p[0]))) {
		r->header_done = true;
		return false;
	}
	if (net_header_split(p, n, &name, &nlen, &v, &vlen))
		header(r, name, nlen, v, vlen);
	return false;
}
