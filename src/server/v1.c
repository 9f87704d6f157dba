/* server/v1.c: the Clair v1 API (the API of Clair 2.x) that clair-scanner,
 * klar, Harbor's adapter and the old clairctl speak: layers posted one by
 * one with their parent, shown with the features and vulnerabilities of
 * their whole ancestry; namespaces and their vulnerabilities listed.
 * Shapes and status codes follow Clair 2 (see docs/server.md): errors
 * are {"Error": {"Message": ...}}, 400 for a bad request or a layer that
 * cannot be fetched, 404 for an unknown layer (or one whose scan left the
 * layer cache: post it again), 422 for a layer fetched that is not a
 * readable tar, 503 when the store is unavailable. Clair 0.x's flavour
 * (analyze-local-images) is v1_legacy.c's.
 * The work is the indexer's chain calls (vigil/index.h: a layer bound to
 * what its Path holds, concurrent posts of one name fetched once, a
 * cycle refused); GET answers are kept rendered (v1_cache.c). */
#include "server/server.h"
#include "server/v1.h"
#include "util/digest.h"
#include "util/error.h"
#include "util/redact.h"
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

/* ---- POST /v1/layers: parse (v1_body.c) -> ensure -> reply ---- */

/* The layer bound to what its Path holds (indexer/chain.c): fetched
 * unless it is bound to the same Path on the same parent already. */
static int post_ensure(vigil_srv *s, const v1_post *p, srv_response *rs)
{
	vigil_chain_layer l = { .name = p->name, .parent = p->parent, .url = p->path,
				.headers = (const char *const *)p->headers, .nheaders = p->nheaders,
				.max_size = SRV_MAX_LAYER_SIZE, .lock_ms = V1_LAYER_LOCK_MS };
	vigil_chain_outcome o;
	char msg[VIGIL_REDACT_MAX];
	int rc = vigil_index_chain_put(srv_store(s), &l, &o);
	if (rc == 0) {
		srv_count_layers(s, (uint64_t)o.fetched, (uint64_t)!o.fetched);
		if (o.fetched)
			v1_cache_bump();
		return 0;
	}
	/* the fetch's message may name the Path: never its userinfo or query */
	vigil_redact_text(vigil_error_message(), msg, sizeof(msg));
	switch (o.stage) {
	case VIGIL_CHAIN_INPUT:
	case VIGIL_CHAIN_PARENT:
		return srv_error_v1(rs, 400, "%s", msg);
	case VIGIL_CHAIN_FETCH:
		srv_log(s, "v1 layer %s: %s", p->name, msg);
		/* as Clair 2 (imagefmt.Extract): a layer it could not download
		 * (no answer, not 2xx, refused) is 400 "could not find layer";
		 * one that is not a tar, or too big, is 422 */
		if (rc == VIGIL_EIO || rc == VIGIL_ENOTFOUND || (rc == VIGIL_ELIMIT && strstr(msg, "header")))
			return srv_error_v1(rs, 400, "could not find layer %s: %s", p->name, msg);
		return srv_error_v1(rs, 422, "layer %s: %s", p->name, msg);
	default:
		return srv_error_v1(rs, rc == VIGIL_EUNAVAILABLE ? 503 : 500, "layer %s: %s", p->name, msg);
	}
}

/* The layer as posted, as Clair 2 answered (its fields only), with the
 * Path redacted and the header values left out: they are credentials. */
static int post_reply(const v1_post *p, srv_response *rs)
{
	char path[VIGIL_REDACT_MAX];
	json_t *out = json_object(), *l = json_object(), *h = json_object_get(p->layer, "Headers");
	set_str(l, "Name", p->name);
	set_str(l, "Path", vigil_redact_url(p->path, path, sizeof(path)));
	if (json_is_object(h) && json_object_size(h)) {
		json_t *hh = json_object();
		const char *k;
		json_t *v;
		json_object_foreach(h, k, v) json_object_set_new(hh, k, json_string("***"));
		json_object_set_new(l, "Headers", hh);
	}
	set_str(l, "ParentName", p->parent);
	set_str(l, "Format", p->format);
	json_object_set_new(l, "IndexedByVersion", json_integer(V1_INDEXED_BY_VERSION));
	json_object_set_new(out, "Layer", l);
	return reply(rs, 201, out);
}

static int post_layer(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	v1_post p;
	char msg[VIGIL_REDACT_MAX];
	int status = v1_post_parse(rq->body, rq->body_len, &p, msg, sizeof(msg));
	int rc = status ? srv_error_v1(rs, status, "%s", msg) : post_ensure(s, &p, rs);
	if (!status && !rs->status)
		rc = post_reply(&p, rs);
	if (p.legacy)
		v1_legacy_post_answer(rs);
	v1_post_free(&p);
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

/* The answer's JSON for a chain: stacked, matched (with vulns), rendered. */
static int render_layer(vigil_store *st, const vigil_chain *c, int want_feat, int want_vulns, char **out,
			size_t *len)
{
	vigil_index_report *ir = NULL;
	vigil_vuln_report *vr = NULL;
	char ns[128] = "";
	int rc;

	*out = NULL;
	if ((rc = vigil_index_chain_report(st, c, &ir)) < 0)
		return rc;
	if (ir->distribution && vigil_distribution_namespace(ir->distribution, ns, sizeof(ns)) < 0)
		ns[0] = 0;
	if (want_vulns) {
		vigil_match_options mo;
		vigil_match_options_init(&mo);
		mo.store = st;
		mo.max_age = -1;
		if ((rc = vigil_match(ir, &mo, &vr)) < 0)
			goto out;
	}
	json_t *layer = json_object();
	set_str(layer, "Name", c->names[c->n - 1]);
	set_str(layer, "NamespaceName", ns);
	set_str(layer, "ParentName", c->parent);
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
	json_t *o = json_object();
	json_object_set_new(o, "Layer", layer);
	*out = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!*out)
		rc = vigil_error_oom();
	else
		*len = strlen(*out);
out:
	vigil_vuln_report_free(vr);
	vigil_index_report_free(ir);
	return rc;
}

/* "name=digest;" of every layer, base first: what an answer was made from. */
static char *chain_id(const vigil_chain *c)
{
	size_t n = 1;
	for (size_t i = 0; i < c->n; i++)
		n += strlen(c->names[i]) + strlen(c->digests[i]) + 2;
	char *id = malloc(n), *w = id;
	for (size_t i = 0; id && i < c->n; i++)
		w += snprintf(w, n - (size_t)(w - id), "%s=%s;", c->names[i], c->digests[i]);
	if (id)
		*w = '\0';
	return id;
}

static int layer_status(int rc)
{
	return rc == VIGIL_ENOTFOUND ? 404 : rc == VIGIL_EUNAVAILABLE ? 503 : 500;
}

/* Served from v1_cache.c while the chain, the feeds' state and the layer
 * cache are what the answer was made from; else made and kept. */
static int get_layer(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	vigil_store *st = srv_store(s);
	const char *flag, *name = rq->nparams ? rq->params[0] : "";
	int want_feat = srv_query_param(rq, "features", &flag);
	int want_vulns = srv_query_param(rq, "vulnerabilities", &flag);
	char fp[V1_FP_MAX], key[V1_MAX_NAME + 8], *id = NULL, *json = NULL;
	vigil_chain *c = NULL;
	srv_blob *b;
	size_t len = 0;
	int rc, all = 0;

	if (v1_check_params(rq, rs))
		return 0;
	if ((rc = v1_feeds_state(st, fp, sizeof(fp))) < 0)
		return srv_error_v1(rs, layer_status(rc) == 404 ? 500 : layer_status(rc), "%s", vigil_error_message());
	snprintf(key, sizeof(key), "%c%c:%s", want_feat ? 'f' : '-', want_vulns ? 'v' : '-', name);
	if ((b = v1_cache_get(st, key, fp, NULL, 0)))
		return srv_json_blob(rs, 200, b);
	uint64_t gen = v1_cache_generation();
	if ((rc = vigil_index_chain_open(st, name, &c)) < 0 || (rc = vigil_index_chain_cached(st, c, &all)) < 0)
		goto fail;
	if (!(id = chain_id(c))) {
		rc = vigil_error_oom();
		goto fail;
	}
	if (all && (b = v1_cache_get(st, key, fp, id, gen))) {
		srv_json_blob(rs, 200, b);
		goto out;
	}
	if ((rc = render_layer(st, c, want_feat, want_vulns, &json, &len)) < 0)
		goto fail;
	if (!(b = srv_blob_new(json, len))) {
		rc = vigil_error_oom();
		goto fail;
	}
	v1_cache_put(st, key, fp, id, gen, b);
	srv_json_blob(rs, 200, b);
	goto out;
fail:
	srv_error_v1(rs, layer_status(rc), "%s", vigil_error_message());
out:
	free(json);
	free(id);
	vigil_index_chain_free(c);
	return 0;
}

/* ---- DELETE /v1/layers/{name} ---- */
static int delete_layer(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	int64_t removed = 0;
	const char *name = rq->nparams ? rq->params[0] : "";
	if (v1_check_params(rq, rs))
		return 0;
	if (vigil_store_v1_layer_delete(srv_store(s), name, &removed) < 0)
		return srv_error_v1(rs, 500, "%s", vigil_error_message());
	v1_cache_bump();
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
};

static int on_vuln(void *ud, const vigil_v1_vuln *d)
{
	struct listing *l = ud;
	if (l->n == l->limit) {
		l->more = 1;
		return 0;
	}
	json_t *v = json_object();
	set_str(v, "Name", d->name);
	set_str(v, "NamespaceName", l->ns);
	set_str(v, "Severity", vigil_severity_name((vigil_severity)d->severity));
	set_str(v, "Description", d->description);
	set_str(v, "Link", d->link);
	json_t *md = metadata("nvd", d->cvss_score, d->cvss_vector);
	if (md)
		json_object_set_new(v, "Metadata", md);
	json_array_append_new(l->arr, v);
	snprintf(l->last, sizeof(l->last), "%s", d->name);
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
	struct listing l = { .ns = rq->nparams ? rq->params[0] : "", .limit = V1_DEFAULT_LIMIT };
	vigil_store *st = srv_store(s);
	const char *v;
	char after[V1_MAX_NAME + 1] = "";
	int rc, known = 1;

	if (v1_check_params(rq, rs))
		return 0;
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
	if ((rc = vigil_store_v1_vulns(st, l.ns, after, l.limit + 1, on_vuln, &l)) < 0) {
		json_decref(l.arr);
		return srv_error_v1(rs, 500, "%s", vigil_error_message());
	}
	if (!l.n && !after[0] && vigil_store_v1_namespace_known(st, l.ns, &known) == 0 && !known) {
		json_decref(l.arr);
		return srv_error_v1(rs, 404, "namespace %s: unknown", l.ns);
	}
	vigil_error_clear();
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
	int version;
	/* as Clair 2: the store pinged (a query), 500 when it does not answer */
	rs->status = srv_store(s) && vigil_store_schema_version(srv_store(s), &version) == 0 ? 200 : 500;
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
	{ "GET", "/v1/notifications/{}", srv_notify_v1_get, "v1_notification_get" },
	{ "DELETE", "/v1/notifications/{}", srv_notify_v1_delete, "v1_notification_delete" },
	/* Clair 0.x (v1_legacy.c) */
	{ "GET", "/v1/layers/{}/vulnerabilities", v1_legacy_vulnerabilities, "v1_legacy_layer_vulnerabilities" },
	{ "GET", "/v1/layers/{}/packages", v1_legacy_packages, "v1_legacy_layer_packages" },
	{ "GET", "/v1/layers/{}/os", v1_legacy_os, "v1_legacy_layer_os" },
	{ "GET", "/v1/layers/{}/parent", v1_legacy_parent, "v1_legacy_layer_parent" },
};
const size_t srv_v1_nroutes = sizeof(srv_v1_routes) / sizeof(srv_v1_routes[0]);
