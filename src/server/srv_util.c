/* server/srv_util.c: what handlers call: responses (JSON, v4 and v1
 * errors), query parameters, route matching over the v4 and v1 tables
 * (and the methods of a path, a 405's Allow), the readings of Go's
 * strconv.ParseBool and uuid.Parse that Clair's parameters get, the
 * server's accessors, counters and log lines. Every error body and
 * log line goes through vigil_redact_text() last: a URL in a message (a
 * layer URI, a library's error naming one) never repeats its userinfo or
 * its query's values (presigned signatures, tokens). */
#include "server/srv_priv.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/redact.h"
#include "util/slice.h"
#include "util/utf8.h"

#include <microhttpd.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

vigil_store *srv_store(vigil_srv *s) { return s->store; }
const vigil_server_config *srv_config(vigil_srv *s) { return &s->conf; }
struct srv_v4 *srv_v4_state(vigil_srv *s) { return s->v4; }
int srv_index_threads(vigil_srv *s) { return s->threads > 2 ? 2 : 1; }

void srv_count_layers(vigil_srv *s, uint64_t indexed, uint64_t cached)
{
	atomic_fetch_add(&s->layers_indexed, indexed);
	atomic_fetch_add(&s->layers_cached, cached);
}

void srv_count_manifest_indexed(vigil_srv *s) { atomic_fetch_add(&s->manifests_indexed, 1); }

void srv_log(vigil_srv *s, const char *fmt, ...)
{
	char msg[2048], red[2048];
	va_list ap;
	if (s && s->log_level > SRV_LOG_INFO)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "vigil serve: %s\n", vigil_redact_text(msg, red, sizeof(red)));
}

int srv_json_text(srv_response *rs, int status, char *json, size_t len)
{
	free(rs->body);
	rs->status = status;
	rs->body = json;
	rs->len = len;
	rs->content_type = "application/json";
	return 0;
}

/* Each byte of s that does not begin a valid UTF-8 sequence becomes '?':
 * a client's text in a message, or one cut by a precision or the buffer
 * inside a character, is still a JSON string (jansson refuses invalid
 * UTF-8, which made a 400 a 500 "out of memory"). */
static void utf8_mend(char *s)
{
	size_t n = strlen(s), i = 0;
	while ((i += vigil_utf8_prefix(s + i, n - i)) < n)
		s[i++] = '?';
}

/* {"<k1>": {"<k2>": msg}} or {"code": code, "message": msg}. */
static int error_body(srv_response *rs, int status, json_t *root)
{
	char *txt = root ? json_dumps(root, JSON_COMPACT) : NULL;
	json_decref(root);
	if (!txt) {
		/* out of memory: a fixed answer */
		static const char oom[] = "{\"code\":\"internal-error\",\"message\":\"out of memory\"}";
		if (!(txt = malloc(sizeof(oom))))
			return VIGIL_ENOMEM;
		memcpy(txt, oom, sizeof(oom));
		status = 500;
	}
	return srv_json_text(rs, status, txt, strlen(txt));
}

/* A 500 whose cause is a store that cannot be reached now (PostgreSQL
 * restarting, every pooled connection busy) is a 503: the client may try
 * again, nothing is wrong with its request or with vigil. The handlers
 * call these right after the failed call, so the thread's error code is
 * that call's. */
static int unavailable(int status)
{
	return status == 500 && vigil_error_code() == VIGIL_EUNAVAILABLE;
}

srv_blob *srv_blob_new(const char *data, size_t len)
{
	srv_blob *b = malloc(sizeof(*b) + len + 1);
	if (!b)
		return NULL;
	atomic_init(&b->refs, 1);
	b->len = len;
	if (len)
		memcpy(b->data, data, len);
	b->data[len] = '\0';
	return b;
}

srv_blob *srv_blob_ref(srv_blob *b)
{
	if (b)
		atomic_fetch_add(&b->refs, 1);
	return b;
}

void srv_blob_unref(srv_blob *b)
{
	if (b && atomic_fetch_sub(&b->refs, 1) == 1)
		free(b);
}

int srv_json_blob(srv_response *rs, int status, srv_blob *b)
{
	free(rs->body);
	rs->body = NULL;
	srv_blob_unref(rs->blob);
	rs->blob = b;
	rs->len = b->len;
	rs->status = status;
	rs->content_type = "application/json";
	return 0;
}

int srv_error_v4(srv_response *rs, int status, const char *code, const char *fmt, ...)
{
	char msg[2048], red[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (unavailable(status)) {
		status = 503;
		code = "unavailable";
	}
	vigil_redact_text(msg, red, sizeof(red));
	utf8_mend(red);
	return error_body(rs, status, json_pack("{s:s, s:s%}", "code", code, "message", red, strlen(red)));
}

int srv_error_v1(srv_response *rs, int status, const char *fmt, ...)
{
	char msg[2048], red[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (unavailable(status))
		status = 503;
	vigil_redact_text(msg, red, sizeof(red));
	utf8_mend(red);
	return error_body(rs, status, json_pack("{s:{s:s%}}", "Error", "Message", red, strlen(red)));
}

/* Percent-decodes p[0..n) ('+' is a space) into arena memory, by
 * libmicrohttpd (MHD_http_unescape: %XX decoded, a bad escape kept as it
 * is). A %00 becomes DEL (0x7f) rather than ending the C string: the value
 * never reads as what precedes the NUL ("kind=%00x" is not an empty kind,
 * "latest=true%00" not true), as Go's Query().Get keeps the NUL for Clair
 * (found by schemathesis). */
static const char *decode(vigil_arena *a, const char *p, size_t n)
{
	char *out = vigil_arena_alloc(a, n + 1);
	size_t k;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++)
		out[i] = p[i] == '+' ? ' ' : p[i];
	out[n] = '\0';
	k = MHD_http_unescape(out);
	for (size_t i = 0; i < k; i++)
		if (!out[i])
			out[i] = 0x7f;
	out[k] = '\0';
	return out;
}

int srv_query_get(vigil_arena *a, const char *query, const char *name, const char **value)
{
	size_t nl = strlen(name);
	const char *p = query ? query : "";
	*value = NULL;
	while (*p) {
		const char *end = strchr(p, '&');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', n);
		size_t kl = eq ? (size_t)(eq - p) : n;
		const char *key = decode(a, p, kl);
		if (key && strlen(key) == nl && !memcmp(key, name, nl)) {
			*value = eq ? decode(a, eq + 1, n - kl - 1) : "";
			return *value ? 1 : 0;
		}
		p += n;
		if (*p == '&')
			p++;
	}
	return 0;
}

int srv_query_param(const srv_request *rq, const char *name, const char **value)
{
	return srv_query_get(rq->arena, rq->query, name, value);
}

int srv_route_match(vigil_arena *a, const char *pattern, const char *path, const char **params,
		    size_t *nparams)
{
	const char *p = pattern, *q = path;
	size_t n = 0;
	while (*p && *q) {
		if (p[0] == '{' && p[1] == '}') {
			size_t k = strcspn(q, "/");
			if (!k || n >= SRV_MAX_PARAMS)
				return 0;
			if (params && !(params[n] = vigil_arena_strndup(a, q, k)))
				return 0;
			n++;
			q += k;
			p += 2;
			continue;
		}
		if (*p != *q)
			return 0;
		p++;
		q++;
	}
	if (*p || *q)
		return 0;
	if (nparams)
		*nparams = n;
	return 1;
}

static const struct srv_route *find_in(vigil_arena *a, const struct srv_route *t, size_t n, const char *method,
				       const char *path, const char **params, size_t *nparams, bool *other)
{
	for (size_t i = 0; i < n; i++) {
		if (!srv_route_match(a, t[i].pattern, path, params, nparams))
			continue;
		if (!strcmp(t[i].method, method))
			return &t[i];
		*other = true;
	}
	return NULL;
}

const struct srv_route *srv_route_find(vigil_arena *a, const char *method, const char *path,
				       const char **params, size_t *nparams, bool *other_method)
{
	const struct srv_route *r;
	*other_method = false;
	*nparams = 0;
	if ((r = find_in(a, srv_v4_routes, srv_v4_nroutes, method, path, params, nparams, other_method)))
		return r;
	return find_in(a, srv_v1_routes, srv_v1_nroutes, method, path, params, nparams, other_method);
}

/* One route table's methods for path, appended to out once each. */
static void methods_in(const struct srv_route *t, size_t n, const char *path, char *out, size_t cap)
{
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(out), m = strlen(t[i].method);
		bool seen = false;
		if (!srv_route_match(NULL, t[i].pattern, path, NULL, NULL))
			continue;
		for (const char *p = out; (p = strstr(p, t[i].method)); p += m)
			if ((p == out || p[-1] == ' ') && (p[m] == ',' || p[m] == '\0'))
				seen = true;
		if (!seen)
			snprintf(out + k, cap - k, "%s%s", k ? ", " : "", t[i].method);
	}
}

void srv_route_methods(const char *path, char *out, size_t n)
{
	if (!n)
		return;
	out[0] = '\0';
	methods_in(srv_v4_routes, srv_v4_nroutes, path, out, n);
	methods_in(srv_v1_routes, srv_v1_nroutes, path, out, n);
}

int srv_go_parse_bool(const char *s)
{
	static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" };
	static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False" };
	for (size_t i = 0; s && i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcmp(s, yes[i]))
			return 1;
		if (!strcmp(s, no[i]))
			return 0;
	}
	return -1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool srv_uuid_canon(const char *s, char out[SRV_UUID_LEN + 1])
{
	static const char dash[] = { 8, 13, 18, 23 };
	size_t n = s ? strnlen(s, 46) : 0, k = 0;
	char hex[32];
	if (n == 45 && !strncasecmp(s, "urn:uuid:", 9)) {
		s += 9;
		n = 36;
	} else if (n == 38 && s[0] == '{' && s[37] == '}') {
		s++;
		n = 36;
	}
	if (n != 36 && n != 32)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (n == 36 && memchr(dash, (int)i, sizeof(dash))) {
			if (s[i] != '-')
				return false;
			continue;
		}
		int v = hexval(s[i]);
		if (v < 0)
			return false;
		hex[k++] = "0123456789abcdef"[v];
	}
	snprintf(out, SRV_UUID_LEN + 1, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
	return true;
}
