/* feed/debian_json.c: the Debian security tracker JSON parser
 * (security-tracker.debian.org/tracker/data/json: {source package: {CVE:
 * {description, scope, debianbug, releases: {codename: {status,
 * fixed_version, urgency, nodsa, nodsa_reason, repositories}}}}}). The
 * document (~70 MB) is never built as one tree: a small scanner walks the
 * top-level object, finds where each source package's value starts and
 * ends, and jansson parses one package at a time, so the memory beyond the
 * input is one package's tree plus what was emitted. One vulnerability is
 * emitted per (package, CVE) with one affected entry per known release
 * ("debian:12", sid -> "debian:unstable"). State mapping and limits:
 * docs/feeds-debian-ubuntu.md. */
#include "feed/feed.h"
#include "util/error.h"
#include "util/json.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Nesting of brackets the scanner follows (the tracker uses 4). */
#define VIGIL_DEBIAN_JSON_MAX_DEPTH 64
/* Bytes of one source package's value (the largest, linux, is a few MB). */
#define VIGIL_DEBIAN_JSON_MAX_PACKAGE ((size_t)128 * 1024 * 1024)
/* Length of a package name, a CVE id or a release codename. */
#define VIGIL_DEBIAN_JSON_MAX_NAME ((size_t)256)
/* Distinct unknown releases warned about one by one in a document. */
#define VIGIL_DEBIAN_JSON_MAX_RELEASE_WARN 32

struct unknown_release {
	char name[64];
	size_t count;
};

struct djson {
	vigil_feed_ctx *ctx;
	const char *data;
	size_t len, pos;
	const char *pkg; /* the package being read, for messages */
	const char *ns_ver[16], *ns_str[16];
	size_t nns;
	struct unknown_release unknown[VIGIL_DEBIAN_JSON_MAX_RELEASE_WARN];
	size_t nunknown, unknown_more;
};

static size_t line_of(const struct djson *d, size_t off)
{
	size_t line = 1;
	for (size_t i = 0; i < off && i < d->len; i++)
		line += d->data[i] == '\n';
	return line;
}

static int syntax(const struct djson *d, const char *what)
{
	return vigil_error_set(VIGIL_EFORMAT, "line %zu (offset %zu): %s", line_of(d, d->pos), d->pos,
			       what);
}

static void skip_ws(struct djson *d)
{
	while (d->pos < d->len && (d->data[d->pos] == ' ' || d->data[d->pos] == '\t' ||
				   d->data[d->pos] == '\n' || d->data[d->pos] == '\r'))
		d->pos++;
}

/* At a '"': moves past the closing quote. */
static int scan_string(struct djson *d)
{
	size_t start = d->pos++;
	while (d->pos < d->len) {
		char c = d->data[d->pos++];
		if (c == '"')
			return 0;
		if (c == '\\' && d->pos < d->len)
			d->pos++;
	}
	d->pos = start;
	return syntax(d, "unterminated string");
}

/* Moves past one value. Only finds its end: jansson checks it. */
static int scan_value(struct djson *d)
{
	int depth = 0, rc;
	if (d->pos >= d->len)
		return syntax(d, "value expected");
	if (d->data[d->pos] != '{' && d->data[d->pos] != '[') {
		if (d->data[d->pos] == '"')
			return scan_string(d);
		while (d->pos < d->len && !strchr(",}] \t\r\n", d->data[d->pos]))
			d->pos++;
		return 0;
	}
	do {
		if (d->pos >= d->len)
			return syntax(d, "truncated document");
		char c = d->data[d->pos];
		if (c == '"') {
			if ((rc = scan_string(d)) < 0)
				return rc;
			continue;
		}
		if (c == '{' || c == '[') {
			if (++depth > VIGIL_DEBIAN_JSON_MAX_DEPTH)
				return vigil_error_set(VIGIL_ELIMIT, "line %zu: nesting deeper than %d",
						       line_of(d, d->pos), VIGIL_DEBIAN_JSON_MAX_DEPTH);
		} else if (c == '}' || c == ']') {
			depth--;
		}
		d->pos++;
	} while (depth > 0);
	return 0;
}

static const char *namespace_of(struct djson *d, const char *version)
{
	char buf[64];
	for (size_t i = 0; i < d->nns; i++)
		if (d->ns_ver[i] == version)
			return d->ns_str[i];
	snprintf(buf, sizeof(buf), "debian:%s", version);
	const char *s = feed_cstr(d->ctx, buf);
	if (s && d->nns < sizeof(d->ns_ver) / sizeof(d->ns_ver[0])) {
		d->ns_ver[d->nns] = version;
		d->ns_str[d->nns++] = s;
	}
	return s;
}

static void note_unknown_release(struct djson *d, const char *name)
{
	for (size_t i = 0; i < d->nunknown; i++)
		if (strcmp(d->unknown[i].name, name) == 0) {
			d->unknown[i].count++;
			return;
		}
	if (d->nunknown < VIGIL_DEBIAN_JSON_MAX_RELEASE_WARN && strlen(name) < sizeof(d->unknown[0].name)) {
		snprintf(d->unknown[d->nunknown].name, sizeof(d->unknown[0].name), "%s", name);
		d->unknown[d->nunknown++].count = 1;
	} else {
		d->unknown_more++;
	}
}

/* A string member, absent or null -> NULL; another type is an error
 * ("<pkg>/<cve>[/<release>].<key>: not a string"). */
static int get_str(const struct djson *d, json_t *obj, const char *key, const char *cve,
		   const char *rel, const char **out)
{
	char path[320];
	vigil_slice s;
	snprintf(path, sizeof(path), "%.100s/%.100s%s%.100s", d->pkg, cve, rel ? "/" : "", rel ? rel : "");
	int rc = vigil_json_str(obj, path, key, 0, VIGIL_FEED_MAX_STRING, &s);
	*out = rc == 0 && json_is_string(json_object_get(obj, key)) ? s.ptr : NULL;
	return rc;
}

/* One release of one CVE -> *a; 1 when the entry is skipped. */
static int read_release(struct djson *d, const char *cve, const char *codename, json_t *rel,
			vigil_affected *a)
{
	const char *status, *fixed, *urgency, *nodsa, *reason, *version;
	int rc;
	if (!json_is_object(rel))
		return vigil_error_set(VIGIL_EFORMAT, "%s/%s/%s: not an object", d->pkg, cve, codename);
	if ((rc = get_str(d, rel, "status", cve, codename, &status)) < 0 ||
	    (rc = get_str(d, rel, "fixed_version", cve, codename, &fixed)) < 0 ||
	    (rc = get_str(d, rel, "urgency", cve, codename, &urgency)) < 0 ||
	    (rc = get_str(d, rel, "nodsa", cve, codename, &nodsa)) < 0 ||
	    (rc = get_str(d, rel, "nodsa_reason", cve, codename, &reason)) < 0)
		return rc;
	if (!(version = feed_debian_release_version(codename)) || strchr(codename, '/')) {
		note_unknown_release(d, codename);
		return 1;
	}
	*a = (vigil_affected){ .is_source = 1, .scheme = "dpkg" };
	if (status && strcmp(status, "resolved") == 0) {
		if (!fixed || !*fixed) {
			feed_warn(d->ctx, "%s/%s/%s: resolved without fixed_version: skipped", d->pkg,
					cve, codename);
			return 1;
		}
		a->state = strcmp(fixed, "0") == 0 ? VIGIL_STATE_NOT_AFFECTED : VIGIL_STATE_FIXED;
	} else if (status && strcmp(status, "open") == 0) {
		a->state = VIGIL_STATE_NOT_FIXED;
		if (reason && strcmp(reason, "ignored") == 0)
			a->state = VIGIL_STATE_WILL_NOT_FIX;
		else if (nodsa && *nodsa && !(reason && strcmp(reason, "postponed") == 0))
			a->state = VIGIL_STATE_WILL_NOT_FIX; /* <no-dsa> */
		else if (urgency && strncmp(urgency, "end-of-life", 11) == 0)
			a->state = VIGIL_STATE_WILL_NOT_FIX;
	} else if (status && strcmp(status, "undetermined") == 0) {
		a->state = VIGIL_STATE_NOT_FIXED;
	} else {
		feed_warn(d->ctx, "%s/%s/%s: status '%.64s': skipped", d->pkg, cve, codename,
				status ? status : "(none)");
		return 1;
	}
	a->namespace = namespace_of(d, version);
	a->package = feed_cstr(d->ctx, d->pkg);
	if (a->state == VIGIL_STATE_FIXED)
		a->fixed = feed_cstr(d->ctx, fixed);
	if (urgency) {
		a->vendor_severity = feed_cstr(d->ctx, urgency);
		a->severity = feed_severity_debian(urgency);
	}
	if (!a->namespace || !a->package || (a->state == VIGIL_STATE_FIXED && !a->fixed) ||
	    (urgency && !a->vendor_severity))
		return vigil_error_code() < 0 ? vigil_error_code() : vigil_error_oom();
	return 0;
}

static int read_releases(struct djson *d, const char *cve, json_t *rels, vigil_vuln *v)
{
	const char *codename;
	json_t *rel;
	vigil_affected *aff;
	if (!rels || json_is_null(rels) || (json_is_array(rels) && json_array_size(rels) == 0))
		return 0; /* the tracker writes [] for none */
	if (!json_is_object(rels))
		return vigil_error_set(VIGIL_EFORMAT, "%s/%s: \"releases\" is not an object", d->pkg, cve);
	if (json_object_size(rels) > VIGIL_FEED_MAX_AFFECTED)
		return vigil_error_set(VIGIL_ELIMIT, "%s/%s: %zu releases (limit %d)", d->pkg, cve,
				       json_object_size(rels), VIGIL_FEED_MAX_AFFECTED);
	if (json_object_size(rels) == 0)
		return 0;
	aff = vigil_arena_calloc(d->ctx->arena, json_object_size(rels), sizeof(*aff));
	if (!aff)
		return vigil_error_code();
	json_object_foreach(rels, codename, rel) {
		int rc = read_release(d, cve, codename, rel, &aff[v->naffected]);
		if (rc < 0)
			return rc;
		if (rc > 0)
			continue;
		/* the most severe urgency; the first word when none is known */
		if (!v->vendor_severity || aff[v->naffected].severity > v->severity) {
			v->vendor_severity = aff[v->naffected].vendor_severity;
			v->severity = aff[v->naffected].severity;
		}
		v->naffected++;
	}
	v->affected = aff;
	return 0;
}

static int links_of(struct djson *d, const char *cve, json_t *bug, vigil_vuln *v)
{
	char buf[512];
	const char **links = vigil_arena_calloc(d->ctx->arena, 2, sizeof(*links));
	if (!links)
		return vigil_error_code();
	snprintf(buf, sizeof(buf), "https://security-tracker.debian.org/tracker/%s", cve);
	if (!(links[v->nlinks++] = feed_cstr(d->ctx, buf)))
		return vigil_error_code();
	if (json_is_integer(bug) && json_integer_value(bug) > 0) {
		snprintf(buf, sizeof(buf), "https://bugs.debian.org/%lld", (long long)json_integer_value(bug));
		if (!(links[v->nlinks++] = feed_cstr(d->ctx, buf)))
			return vigil_error_code();
	}
	v->links = links;
	return 0;
}

static int read_cve(struct djson *d, const char *cve, json_t *obj)
{
	vigil_vuln v = { .source = "debian", .cvss3_score = -1, .cvss2_score = -1 };
	const char *desc;
	int rc;
	if (!json_is_object(obj))
		return vigil_error_set(VIGIL_EFORMAT, "%s/%s: not an object", d->pkg, cve);
	if (strlen(cve) == 0 || strlen(cve) > VIGIL_DEBIAN_JSON_MAX_NAME)
		return vigil_error_set(VIGIL_EFORMAT, "%s: CVE id of %zu bytes", d->pkg, strlen(cve));
	if ((rc = get_str(d, obj, "description", cve, NULL, &desc)) < 0 ||
	    (rc = read_releases(d, cve, json_object_get(obj, "releases"), &v)) < 0)
		return rc;
	if (v.naffected == 0)
		return 0;
	if (!(v.id = feed_cstr(d->ctx, cve)) || (desc && !(v.description = feed_cstr(d->ctx, desc))))
		return vigil_error_code();
	if ((rc = links_of(d, cve, json_object_get(obj, "debianbug"), &v)) < 0)
		return rc;
	rc = d->ctx->emit(d->ctx->emit_ud, &v);
	return rc < 0 ? rc : 0;
}

/* The key at d->pos -> a NUL-terminated name in buf. */
static int read_key(struct djson *d, char *buf, size_t size)
{
	size_t start = d->pos;
	int rc;
	if (d->pos >= d->len || d->data[d->pos] != '"')
		return syntax(d, "package name expected");
	if ((rc = scan_string(d)) < 0)
		return rc;
	json_error_t err;
	json_t *s = json_loadb(d->data + start, d->pos - start, JSON_DECODE_ANY, &err);
	size_t n = s ? json_string_length(s) : 0;
	if (!s || n == 0 || n >= size || strlen(json_string_value(s)) != n) {
		json_decref(s);
		d->pos = start;
		return syntax(d, n >= size ? "package name too long" : "bad package name");
	}
	memcpy(buf, json_string_value(s), n + 1);
	json_decref(s);
	return 0;
}

static int read_package(struct djson *d, const char *name, size_t start)
{
	json_error_t err;
	const char *cve;
	json_t *root, *obj;
	int rc = 0;
	if (d->pos - start > VIGIL_DEBIAN_JSON_MAX_PACKAGE)
		return vigil_error_set(VIGIL_ELIMIT, "line %zu: package %s of %zu bytes (limit %zu)",
				       line_of(d, start), name, d->pos - start, VIGIL_DEBIAN_JSON_MAX_PACKAGE);
	root = json_loadb(d->data + start, d->pos - start, 0, &err);
	if (!root)
		return vigil_error_set(VIGIL_EFORMAT, "line %zu (offset %zu): package %s: %s",
				       line_of(d, start + (size_t)err.position), start + (size_t)err.position,
				       name, err.text);
	d->pkg = name;
	if (!json_is_object(root))
		rc = vigil_error_set(VIGIL_EFORMAT, "line %zu: package %s: not an object", line_of(d, start),
				     name);
	json_object_foreach(root, cve, obj) {
		if (rc < 0 || (rc = read_cve(d, cve, obj)) < 0)
			break;
	}
	json_decref(root);
	return rc;
}

static int read_document(struct djson *d)
{
	char name[VIGIL_DEBIAN_JSON_MAX_NAME + 1];
	int rc;
	skip_ws(d);
	if (d->pos >= d->len || d->data[d->pos] != '{')
		return syntax(d, "the document is not a JSON object");
	d->pos++;
	skip_ws(d);
	if (d->pos < d->len && d->data[d->pos] == '}') {
		d->pos++;
	} else {
		for (;;) {
			if ((rc = read_key(d, name, sizeof(name))) < 0)
				return rc;
			skip_ws(d);
			if (d->pos >= d->len || d->data[d->pos] != ':')
				return syntax(d, "':' expected");
			d->pos++;
			skip_ws(d);
			size_t start = d->pos;
			if ((rc = scan_value(d)) < 0 || (rc = read_package(d, name, start)) < 0)
				return rc;
			skip_ws(d);
			if (d->pos < d->len && d->data[d->pos] == ',') {
				d->pos++;
				skip_ws(d);
				continue;
			}
			if (d->pos < d->len && d->data[d->pos] == '}') {
				d->pos++;
				break;
			}
			return syntax(d, "',' or '}' expected");
		}
	}
	skip_ws(d);
	if (d->pos != d->len)
		return syntax(d, "data after the document");
	return 0;
}

int feed_debian_json(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	struct djson d = { .ctx = ctx, .data = data, .len = len };
	int rc;
	if (len > VIGIL_FEED_MAX_FILE)
		return vigil_error_set(VIGIL_ELIMIT, "document of %zu bytes (limit %zu)", len,
				       VIGIL_FEED_MAX_FILE);
	if (!data)
		d.len = 0;
	if ((rc = read_document(&d)) < 0)
		return rc;
	for (size_t i = 0; i < d.nunknown; i++)
		feed_warn(ctx, "release '%s' is not mapped: %zu entries skipped", d.unknown[i].name,
				d.unknown[i].count);
	if (d.unknown_more)
		feed_warn(ctx, "%zu entries of further unmapped releases skipped", d.unknown_more);
	return 0;
}
