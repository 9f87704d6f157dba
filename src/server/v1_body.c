/* server/v1_body.c: what a v1 request is checked against before any work:
 * the POST /v1/layers body, in either flavour: Clair 2's {"Layer": {Name,
 * Path, Headers, ParentName, Format}}, or Clair 0.x's top-level {"ID",
 * "Path", "ParentID", "ImageFormat"} (analyze-local-images; no headers),
 * read through one table of field names; and the names every v1 route
 * takes in its path. Messages never repeat a Path's userinfo or query
 * values, nor a header's value (util/redact.h). Fuzzed:
 * fuzz/fuzz_srv_v1_body.c. */
#include "server/v1.h"
#include "util/error.h"
#include "util/json.h"
#include "util/redact.h"
#include "util/utf8.h"
#include "util/slice.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void v1_post_free(v1_post *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nheaders; i++)
		free(p->headers[i]);
	json_decref(p->root);
	memset(p, 0, sizeof(*p));
}

static int __attribute__((format(printf, 4, 5))) bad(char *msg, size_t n, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, n, fmt, ap);
	va_end(ap);
	return status;
}

static int parse_headers(json_t *h, v1_post *p, char *msg, size_t n)
{
	const char *k;
	json_t *v;
	if (!h || json_is_null(h))
		return 0;
	if (!json_is_object(h))
		return bad(msg, n, 400, "Layer.Headers is not an object");
	json_object_foreach(h, k, v) {
		const char *val = json_string_value(v);
		char kk[65];
		/* the name only, cut: a value is a credential */
		snprintf(kk, sizeof(kk), "%s", k);
		for (char *c = kk; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';
		if (p->nheaders == V1_MAX_HEADERS)
			return bad(msg, n, 400, "Layer.Headers: more than %d headers", V1_MAX_HEADERS);
		if (!val || !*k || strpbrk(k, "\r\n:") || strpbrk(val, "\r\n") ||
		    strlen(k) + strlen(val) + 2 > V1_MAX_HEADER)
			return bad(msg, n, 400, "Layer.Headers.%s: not a valid header", kk);
		size_t len = strlen(k) + strlen(val) + 3;
		if (!(p->headers[p->nheaders] = malloc(len)))
			return bad(msg, n, 500, "out of memory");
		snprintf(p->headers[p->nheaders++], len, "%s: %s", k, val);
	}
	return 0;
}

/* A string member, or "" when absent or null; -1 when of another type. */
static int str_member(json_t *o, const char *k, const char **out)
{
	json_t *v = json_object_get(o, k);
	*out = "";
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -1;
	*out = json_string_value(v);
	/* an embedded NUL ("\u0000") would cut the name where the store reads it */
	return strlen(*out) == json_string_length(v) ? 0 : -1;
}

/* The field names of the two flavours of the body. */
struct v1_fields {
	const char *obj, *name, *path, *parent, *format; /* obj: the messages' prefix */
};
static const struct v1_fields clair2 = { "Layer.", "Name", "Path", "ParentName", "Format" };
static const struct v1_fields clair0 = { "", "ID", "Path", "ParentID", "ImageFormat" };

/* Format: Docker or OCI (a tar) read; ACI (Clair 2 read it) is 422; any
 * other is 400 "unsupported image format", as Clair 2 (imagefmt.Extract). */
static int check_format(const v1_post *p, const struct v1_fields *f, char *msg, size_t n)
{
	char fmt[65];
	if (!*p->format || !strcasecmp(p->format, "Docker") || !strcasecmp(p->format, "OCI"))
		return 0;
	snprintf(fmt, sizeof(fmt), "%s", p->format);
	for (char *c = fmt; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	if (!strcasecmp(p->format, "ACI"))
		return bad(msg, n, 422, "%s%s %s is not supported (Docker)", f->obj, f->format, fmt);
	return bad(msg, n, 400, "%s%s: unsupported image format '%s' (Docker)", f->obj, f->format, fmt);
}

int v1_post_parse(const char *body, size_t len, v1_post *p, char *msg, size_t n)
{
	const struct v1_fields *f = &clair2;
	json_error_t jerr;
	char red[VIGIL_REDACT_MAX];

	memset(p, 0, sizeof(*p));
	msg[0] = '\0';
	if (!(p->root = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, &jerr))) {
		/* jansson quotes the input near the error: it may be a Path or a header */
		vigil_json_error_text(&jerr, red, sizeof(red));
		snprintf(msg, n, "could not decode the body as JSON: line %d: %s", jerr.line, red);
		return 400;
	}
	p->layer = json_object_get(p->root, "Layer");
	if (!p->layer && json_is_object(p->root) && json_object_get(p->root, "ID")) {
		p->layer = p->root; /* Clair 0.x */
		p->legacy = 1;
		f = &clair0;
	}
	if (!json_is_object(p->layer))
		return bad(msg, n, 400, "the body has no Layer object (nor Clair 0.x's top-level ID)");
	if (str_member(p->layer, f->name, &p->name) < 0 || !vigil_index_chain_name_ok(p->name, strlen(p->name))) {
		snprintf(msg, n, "%s%s is required: a string of 1 to %d bytes without control characters", f->obj,
			 f->name, V1_MAX_NAME);
		return 400;
	}
	if (str_member(p->layer, f->path, &p->path) < 0 || !*p->path)
		return bad(msg, n, 400, "%s%s is required", f->obj, f->path);
	if (strncasecmp(p->path, "http://", 7) && strncasecmp(p->path, "https://", 8))
		return bad(msg, n, 400, "%s%s: only http and https URLs are fetched", f->obj, f->path);
	if (str_member(p->layer, f->parent, &p->parent) < 0 ||
	    (*p->parent && !vigil_index_chain_name_ok(p->parent, strlen(p->parent)))) {
		snprintf(msg, n, "%s%s: a string of 1 to %d bytes without control characters", f->obj, f->parent,
			 V1_MAX_NAME);
		return 400;
	}
	if (str_member(p->layer, f->format, &p->format) < 0)
		return bad(msg, n, 400, "%s%s is not a string", f->obj, f->format);
	int st = check_format(p, f, msg, n);
	if (st || p->legacy)
		return st;
	return parse_headers(json_object_get(p->layer, "Headers"), p, msg, n);
}

/* 1 when the raw s[0..len) percent-encodes a control character. */
static int hides_control(const char *s, size_t len)
{
	for (size_t i = 0; i + 2 < len; i++) {
		int h, l;
		if (s[i] == '%' && (h = vigil_hex_digit(s[i + 1])) >= 0 && (l = vigil_hex_digit(s[i + 2])) >= 0 &&
		    (h * 16 + l < 0x20 || h * 16 + l == 0x7f))
			return 1;
	}
	return 0;
}

int v1_check_params(const srv_request *rq, srv_response *rs)
{
	const char *t = rq->target;
	size_t tl = t ? strcspn(t, "?") : 0;
	for (size_t i = 0; i < rq->nparams; i++) {
		const char *p = rq->params[i];
		/* UTF-8 too: PostgreSQL refuses other bytes (a 500 where SQLite
		 * answered 404) */
		if (!vigil_index_chain_name_ok(p, strlen(p)) || !vigil_utf8_valid(p, strlen(p)))
			goto bad;
	}
	/* libmicrohttpd decodes the path before the handler sees it: a %00
	 * there cuts the name short ("NAME%00junk" arrives as "NAME") */
	if (t && hides_control(t, tl))
		goto bad;
	return 0;
bad:
	srv_error_v1(rs, 400,
		     "a layer name or namespace is 1 to %d bytes of UTF-8 without control characters (%%00 .. %%1F)",
		     V1_MAX_NAME);
	return 1;
}
