/* server/v1.c: the Clair v1 API (the API of Clair 2.x) that clair-scanner,
 * klar, Harbor's adapter and the old clairctl speak: layers posted one by
 * one with their parent, shown with the features and vulnerabilities of
 * their whole ancestry; namespaces and their vulnerabilities listed.
 * Shapes and status codes follow Clair 2 (see docs/server.md): errors
 * are {"Error": {"Message": ...}}, 400 for a bad request, 404 for an
 * unknown layer (or one whose scan left the layer cache: post it again),
 * 422 for a layer that cannot be read, 503 when the store is unavailable.
 * Concurrent posts of one layer fetch it once (v1_layer_lock). */
#include "server/server.h"
#include "server/v1.h"
#include "store/store.h"
#include "util/digest.h"
#include "util/error.h"
#include "util/slice.h"
#include "vigil/match.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int reply(srv_response *rs, int status, json_t *o)
{
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!text)
		return srv_error_v1(rs, 500, "out of memory");
	return srv_json_text(rs, status, text, strlen(text));
}

static void set_str(json_t *o, const char *k, const char *v)
{
	json_t *s;
	if (v && *v && (s = json_string(v)))
		json_object_set_new(o, k, s);
}

/* ---- POST /v1/layers ---- */
static int post_layer(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	vigil_store *st = srv_store(s);
	json_error_t jerr;
	json_t *root = NULL, *out = NULL;
	char *hdrs[V1_MAX_HEADERS] = { 0 };
	size_t nh = 0;
	vigil_layer_result *r = NULL;
	char parent_of[V1_MAX_NAME + 1], digest[VIGIL_LAYER_DIGEST_MAX];
	vigil_store_lock *lk = NULL;
	int rc, unreadable = 0;

	if (!(root = json_loadb(rq->body ? rq->body : "", rq->body_len, JSON_REJECT_DUPLICATES, &jerr))) {
		rc = srv_error_v1(rs, 400, "could not decode the body as JSON: line %d: %s", jerr.line, jerr.text);
		goto out;
	}
	json_t *layer = json_object_get(root, "Layer");
	if (!json_is_object(layer)) {
		rc = srv_error_v1(rs, 400, "the body has no Layer object");
		goto out;
	}
	const char *name = json_string_value(json_object_get(layer, "Name"));
	const char *path = json_string_value(json_object_get(layer, "Path"));
	const char *parent = json_string_value(json_object_get(layer, "ParentName"));
	const char *format = json_string_value(json_object_get(layer, "Format"));
	json_t *headers = json_object_get(layer, "Headers");
	if (!name || !*name || strlen(name) > V1_MAX_NAME) {
		rc = srv_error_v1(rs, 400, "Layer.Name is required (a string of 1 to %d bytes)", V1_MAX_NAME);
		goto out;
	}
	if (!path || !*path) {
		rc = srv_error_v1(rs, 400, "Layer.Path is required");
		goto out;
	}
	if (strncasecmp(path, "http://", 7) && strncasecmp(path, "https://", 8)) {
		rc = srv_error_v1(rs, 400, "Layer.Path: only http and https URLs are fetched");
		goto out;
	}
	if (json_object_get(layer, "ParentName") && !json_is_string(json_object_get(layer, "ParentName")) &&
	    !json_is_null(json_object_get(layer, "ParentName"))) {
		rc = srv_error_v1(rs, 400, "Layer.ParentName is not a string");
		goto out;
	}
	if (parent && strlen(parent) > V1_MAX_NAME) {
		rc = srv_error_v1(rs, 400, "Layer.ParentName longer than %d bytes", V1_MAX_NAME);
		goto out;
	}
	if (format && *format && strcasecmp(format, "Docker") && strcasecmp(format, "OCI")) {
		rc = srv_error_v1(rs, 422, "Layer.Format %s is not supported (Docker)", format);
		goto out;
	}
	if (headers && !json_is_null(headers)) {
		const char *k;
		json_t *v;
		if (!json_is_object(headers)) {
			rc = srv_error_v1(rs, 400, "Layer.Headers is not an object");
			goto out;
		}
		json_object_foreach(headers, k, v) {
			const char *val = json_string_value(v);
			if (nh == V1_MAX_HEADERS) {
				rc = srv_error_v1(rs, 400, "Layer.Headers: more than %d headers", V1_MAX_HEADERS);
				goto out;
			}
			if (!val || !*k || strpbrk(k, "\r\n:") || strpbrk(val, "\r\n") ||
			    strlen(k) + strlen(val) + 2 > V1_MAX_HEADER) {
				rc = srv_error_v1(rs, 400, "Layer.Headers.%.64s: not a valid header", k);
				goto out;
			}
			size_t len = strlen(k) + strlen(val) + 3;
			if (!(hdrs[nh] = malloc(len))) {
				rc = srv_error_v1(rs, 500, "out of memory");
				goto out;
			}
			snprintf(hdrs[nh++], len, "%s: %s", k, val);
		}
	}
	if (parent && *parent) {
		if ((rc = vigil_store_v1_layer_get(st, parent, parent_of, sizeof(parent_of), digest, sizeof(digest))) < 0) {
			rc = rc == VIGIL_ENOTFOUND ? srv_error_v1(rs, 400, "parent layer %s is unknown: post it first", parent)
						   : srv_error_v1(rs, 500, "%s", vigil_error_message());
			goto out;
		}
	}
	/* posted before with the same parent and its scan still cached: done
	 * (as Clair 2). Else one request fetches the layer however many post
	 * it at once (and, with PostgreSQL, on whichever node): the others
	 * wait for the lock, then find it done. */
	if (!v1_layer_current(st, name, parent)) {
		if ((rc = v1_layer_lock(st, name, &lk)) < 0) {
			rc = srv_error_v1(rs, rc == VIGIL_EUNAVAILABLE ? 503 : 500, "layer %s: %s", name,
					  vigil_error_message());
			goto out;
		}
	}
	if (!lk || v1_layer_current(st, name, parent)) {
		srv_count_layers(s, 0, 1);
		goto created;
	}
	if ((rc = v1_fetch_scan(path, (const char *const *)hdrs, nh, &r, &unreadable)) < 0) {
		rc = srv_error_v1(rs, unreadable ? 422 : 500, "layer %s: %s", name, vigil_error_message());
		goto out;
	}
	if ((rc = v1_cache_put(st, r)) < 0 ||
	    (rc = vigil_store_v1_layer_put(st, name, parent, r->digest)) < 0) {
		rc = srv_error_v1(rs, rc == VIGIL_EUNAVAILABLE ? 503 : 500, "layer %s: %s", name,
				  vigil_error_message());
		goto out;
	}
	srv_count_layers(s, 1, 0);
created:
	/* the layer as posted, as Clair 2 answered (its fields only) */
	out = json_object();
	json_t *l = json_object();
	set_str(l, "Name", name);
	set_str(l, "Path", path);
	if (json_is_object(headers) && json_object_size(headers))
		json_object_set(l, "Headers", headers);
	set_str(l, "ParentName", parent);
	set_str(l, "Format", format);
	json_object_set_new(l, "IndexedByVersion", json_integer(V1_INDEXED_BY_VERSION));
	json_object_set_new(out, "Layer", l);
	rc = reply(rs, 201, out);
out:
	vigil_store_lock_release(lk);
	for (size_t i = 0; i < nh; i++)
		free(hdrs[i]);
	vigil_layer_result_free(r);
	json_decref(root);
	return rc;
}

/* ---- GET /v1/layers/{name} ---- */

/* Clair 2's Metadata: {"NVD": {"CVSSv2": {"Score": 2.1, "Vectors": "AV:L/..."}}}
 * (CVSSv3 likewise when the score is a v3 one), keyed by who scored it. */
static json_t *metadata(const char *source, double score, const char *vector)
{
	if (score < 0 || !vector || !*vector)
		return NULL;
	int v3 = !strncmp(vector, "CVSS:3", 6) || !strncmp(vector, "CVSS:4", 6);
	json_t *cv = json_object(), *by = json_object(), *md = json_object();
	json_object_set_new(cv, "Score", json_real(score));
	set_str(cv, "Vectors", vector);
	json_object_set_new(by, v3 ? "CVSSv3" : "CVSSv2", cv);
	json_object_set_new(md, source && strcmp(source, "nvd") ? source : "NVD", by);
	return md;
}

static json_t *vuln_json(const vigil_finding *f)
{
	json_t *v = json_object();
	set_str(v, "Name", f->id);
	set_str(v, "NamespaceName", f->namespace);
	set_str(v, "Description", f->description && *f->description ? f->description : f->summary);
	if (f->nlinks)
		set_str(v, "Link", f->links[0]);
	set_str(v, "Severity", vigil_severity_name(f->severity));
	set_str(v, "FixedBy", f->fixed);
	json_t *md = metadata(f->cvss_source, f->cvss_score, f->cvss_vector);
	if (md)
		json_object_set_new(v, "Metadata", md);
	return v;
}

static int get_layer(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	vigil_store *st = srv_store(s);
	const char *flag, *name = rq->nparams ? rq->params[0] : "";
	int want_feat = srv_query_param(rq, "features", &flag);
	int want_vulns = srv_query_param(rq, "vulnerabilities", &flag);
	v1_chain c;
	vigil_vuln_report *vr = NULL;
	char ns[128] = "";
	int rc;

	if ((rc = v1_chain_load(st, name, &c)) < 0)
		return srv_error_v1(rs, rc == VIGIL_ENOTFOUND ? 404 : rc == VIGIL_EUNAVAILABLE ? 503 : 500, "%s",
				    vigil_error_message());
	const vigil_index_report *ir = c.report;
	if (ir->distribution && vigil_distribution_namespace(ir->distribution, ns, sizeof(ns)) < 0)
		ns[0] = 0;
	if (want_vulns) {
		vigil_match_options mo;
		vigil_match_options_init(&mo);
		mo.store = st;
		mo.max_age = -1;
		if ((rc = vigil_match(ir, &mo, &vr)) < 0) {
			rc = srv_error_v1(rs, 500, "layer %s: %s", name, vigil_error_message());
			goto out;
		}
	}
	json_t *layer = json_object();
	set_str(layer, "Name", c.names[c.n - 1]);
	set_str(layer, "NamespaceName", ns);
	set_str(layer, "ParentName", c.parent);
	json_object_set_new(layer, "IndexedByVersion", json_integer(V1_INDEXED_BY_VERSION));
	if (want_feat || want_vulns) {
		json_t *feats = json_array();
		size_t fi = 0;
		for (size_t i = 0; i < ir->package_count; i++) {
			const vigil_package *p = &ir->packages[i];
			json_t *f = json_object();
			set_str(f, "Name", p->name);
			set_str(f, "NamespaceName", ns);
			set_str(f, "VersionFormat", vigil_pkg_type_name(p->type));
			set_str(f, "Version", p->version);
			set_str(f, "AddedBy", p->introduced_in);
			json_t *vs = NULL;
			while (vr && fi < vr->finding_count && vr->findings[fi].package_index < i)
				fi++;
			for (; vr && fi < vr->finding_count && vr->findings[fi].package_index == i; fi++) {
				if (!vs)
					vs = json_array();
				json_array_append_new(vs, vuln_json(&vr->findings[fi]));
			}
			if (vs)
				json_object_set_new(f, "Vulnerabilities", vs);
			json_array_append_new(feats, f);
		}
		json_object_set_new(layer, "Features", feats);
	}
	json_t *out = json_object();
	json_object_set_new(out, "Layer", layer);
	rc = reply(rs, 200, out);
out:
	vigil_vuln_report_free(vr);
	v1_chain_free(&c);
	return rc;
}

/* ---- DELETE /v1/layers/{name} ---- */
static int delete_layer(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	int64_t removed = 0;
	const char *name = rq->nparams ? rq->params[0] : "";
	if (vigil_store_v1_layer_delete(srv_store(s), name, &removed) < 0)
		return srv_error_v1(rs, 500, "%s", vigil_error_message());
	if (!removed)
		return srv_error_v1(rs, 404, "layer %s: unknown", name);
	rs->status = 200;
	rs->body = NULL;
	rs->len = 0;
	return 0;
}

/* ---- GET /v1/namespaces ---- */
static int add_ns(void *ud, const char *ns, const char *scheme)
{
	json_t *o = json_object();
	set_str(o, "Name", ns);
	set_str(o, "VersionFormat", scheme);
	return json_array_append_new(ud, o) < 0 ? vigil_error_oom() : 0;
}

static int get_namespaces(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	json_t *arr = json_array();
	if (vigil_store_v1_namespaces(srv_store(s), add_ns, arr) < 0) {
		json_decref(arr);
		return srv_error_v1(rs, 500, "%s", vigil_error_message());
	}
	json_t *out = json_object();
	json_object_set_new(out, "Namespaces", arr);
	return reply(rs, 200, out);
}

/* ---- GET /v1/namespaces/{ns}/vulnerabilities?limit=N&page=TOKEN ---- */
struct listing {
	json_t *arr;
	const char *ns;
	size_t limit, n;
	char last[V1_MAX_NAME + 1];
	int more;
	vigil_store *st;
	vigil_vuln_reader *rd;
	json_t *cur;
};

static int on_detail(void *ud, const vigil_vuln_detail *d)
{
	struct listing *l = ud;
	set_str(l->cur, "Description", d->description && *d->description ? d->description : d->summary);
	if (d->links && *d->links) {
		const char *nl = strchr(d->links, '\n');
		char link[2048];
		snprintf(link, sizeof(link), "%.*s", (int)(nl ? (size_t)(nl - d->links) : strlen(d->links)), d->links);
		set_str(l->cur, "Link", link);
	}
	json_t *md = d->cvss3_score >= 0 ? metadata("nvd", d->cvss3_score, d->cvss3_vector)
					 : metadata("nvd", d->cvss2_score, d->cvss2_vector);
	if (md)
		json_object_set_new(l->cur, "Metadata", md);
	return 0;
}

static int on_vuln(void *ud, const char *name, int64_t vuln, int severity)
{
	struct listing *l = ud;
	if (l->n == l->limit) {
		l->more = 1;
		return 0;
	}
	json_t *v = json_object();
	set_str(v, "Name", name);
	set_str(v, "NamespaceName", l->ns);
	set_str(v, "Severity", vigil_severity_name((vigil_severity)severity));
	l->cur = v;
	if (l->rd)
		(void)l->st->ops->reader_detail(l->rd, vuln, on_detail, l);
	vigil_error_clear();
	json_array_append_new(l->arr, v);
	snprintf(l->last, sizeof(l->last), "%s", name);
	l->n++;
	return 0;
}

/* Page tokens: the last name, in lowercase hex (util/digest.h), cut to fit n. */
static void hex(const char *s, char *out, size_t n)
{
	size_t len = strlen(s);
	vigil_hex_encode(s, len < (n - 1) / 2 ? len : (n - 1) / 2, out);
}

/* A token back (lowercase, as hex() writes it, and no NUL byte); -1 if not. */
static int unhex(const char *s, char *out, size_t n)
{
	vigil_slice t = vigil_slice_cstr(s);
	size_t k = t.len / 2;
	if (t.len % 2 || k >= n || (t.len && !vigil_hex_is_lower(t)) || !vigil_hex_decode(t, out, k) ||
	    memchr(out, 0, k))
		return -1;
	out[k] = 0;
	return 0;
}

static int get_ns_vulns(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	struct listing l = { .ns = rq->nparams ? rq->params[0] : "", .limit = V1_DEFAULT_LIMIT, .st = srv_store(s) };
	const char *v;
	char after[V1_MAX_NAME + 1] = "";
	int rc;

	if (srv_query_param(rq, "limit", &v)) {
		size_t lim = 0;
		if (!*v || strlen(v) > 6 || strspn(v, "0123456789") != strlen(v))
			return srv_error_v1(rs, 400, "limit: not a number");
		for (const char *p = v; *p; p++)
			lim = lim * 10 + (size_t)(*p - '0');
		if (lim < 1 || lim > V1_MAX_LIMIT)
			return srv_error_v1(rs, 400, "limit: from 1 to %d", V1_MAX_LIMIT);
		l.limit = lim;
	}
	if (srv_query_param(rq, "page", &v) && *v && unhex(v, after, sizeof(after)) < 0)
		return srv_error_v1(rs, 400, "page: not a page token of this server");
	if (!(l.arr = json_array()))
		return srv_error_v1(rs, 500, "out of memory");
	if (l.st->ops->reader_open && l.st->ops->reader_open(l.st, &l.rd) < 0)
		l.rd = NULL;
	rc = vigil_store_v1_ns_vulns(l.st, l.ns, after, l.limit + 1, on_vuln, &l);
	if (l.rd)
		l.st->ops->reader_close(l.rd);
	if (rc < 0) {
		json_decref(l.arr);
		return srv_error_v1(rs, 500, "%s", vigil_error_message());
	}
	if (!l.n && !after[0]) {
		int64_t count = 0;
		if (l.st->ops->namespace_count && l.st->ops->namespace_count(l.st, l.ns, &count) == 0 && !count) {
			json_decref(l.arr);
			return srv_error_v1(rs, 404, "namespace %s: unknown", l.ns);
		}
	}
	json_t *out = json_object();
	json_object_set_new(out, "Vulnerabilities", l.arr);
	if (l.more) {
		char tok[2 * V1_MAX_NAME + 2];
		hex(l.last, tok, sizeof(tok));
		json_object_set_new(out, "NextPage", json_string(tok));
	}
	return reply(rs, 200, out);
}

int srv_v1_health(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	rs->status = srv_store(s) ? 200 : 503;
	rs->body = NULL;
	rs->len = 0;
	return 0;
}

const struct srv_route srv_v1_routes[] = {
	{ "POST", "/v1/layers", post_layer, "v1_layer_post" },
	{ "GET", "/v1/layers/{}", get_layer, "v1_layer_get" },
	{ "DELETE", "/v1/layers/{}", delete_layer, "v1_layer_delete" },
	{ "GET", "/v1/namespaces", get_namespaces, "v1_namespaces" },
	{ "GET", "/v1/namespaces/{}/vulnerabilities", get_ns_vulns, "v1_namespace_vulnerabilities" },
};
const size_t srv_v1_nroutes = sizeof(srv_v1_routes) / sizeof(srv_v1_routes[0]);
