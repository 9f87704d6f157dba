/* feed/redhat_cve.c: one CVE of the Red Hat Security Data API
 * (access.redhat.com/hydra/rest/securitydata/cve/CVE-....json). Its
 * affected_release[] entries (product cpe, source package NEVR
 * "openssl-1:1.1.1k-7.el8_6", advisory) are FIXED at the EVR as written;
 * its package_state[] entries (cpe, package_name, optionally
 * "module:stream/package", fix_state) give the other states: Affected, Fix
 * deferred, Under investigation -> NOT_FIXED; Will not fix, Out of support
 * scope -> WILL_NOT_FIX; Not affected -> NOT_AFFECTED. The API names source
 * packages, so every entry has is_source = 1. Namespaces come from the CPE
 * (feed/redhat.h); entries of products vigil does not map are tallied in one
 * warning per product. Decisions in docs/feeds-redhat.md. */
#include "feed/redhat.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/json.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* The largest document (the biggest CVEs list a few hundred releases). */
#define VIGIL_RHCVE_MAX_SIZE ((size_t)64 * 1024 * 1024)
/* affected_release plus package_state entries. */
#define VIGIL_RHCVE_MAX_ENTRIES 100000

struct rhcve {
	vigil_feed_ctx *ctx;
	vigil_rh_affset aff;
	vigil_rh_strlist links;
	vigil_rh_skipped skipped;
};

static const char *str(struct rhcve *r, vigil_slice s)
{
	return s.len ? feed_str(r->ctx, s.ptr, s.len) : NULL;
}

/* A score given as "7.5" (the API's way) or 7.5. */
static int score(json_t *o, const char *key, const char *path, double *out)
{
	json_t *v = json_object_get(o, key);
	double s;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_number(v))
		s = json_number_value(v);
	else if (!json_is_string(v) ||
		 !rh_parse_score(vigil_slice_make(json_string_value(v), json_string_length(v)), &s))
		return vigil_error_set(VIGIL_EFORMAT, "%s.%s: not a score from 0.0 to 10.0", path, key);
	if (s < 0 || s > 10)
		return vigil_error_set(VIGIL_EFORMAT, "%s.%s: not a score from 0.0 to 10.0", path, key);
	*out = s;
	return 0;
}

static int cvss(struct rhcve *r, json_t *root, const char *key, const char *skey, const char *vkey, double *sc,
		const char **vec)
{
	json_t *o;
	vigil_slice v;
	int rc;
	if ((rc = vigil_json_get(root, "", key, JSON_OBJECT, 0, &o)) < 0 || !o ||
	    (rc = score(o, skey, key, sc)) < 0 ||
	    (rc = vigil_json_str(o, key, vkey, VIGIL_JSON_TRIM, VIGIL_FEED_MAX_STRING, &v)) < 0)
		return rc;
	if (v.len && !(*vec = str(r, v)))
		return vigil_error_or_oom();
	return 0;
}

/* The namespace of an entry's CPE, NULL (tallied) when vigil has none. */
static int entry_namespace(struct rhcve *r, json_t *e, const char *path, const char **ns)
{
	char buf[VIGIL_RH_NS_MAX];
	vigil_slice cpe, product;
	int rc;
	*ns = NULL;
	if ((rc = vigil_json_str(e, path, "cpe", VIGIL_JSON_TRIM, VIGIL_FEED_MAX_STRING, &cpe)) < 0 ||
	    (rc = vigil_json_str(e, path, "product_name",
				 VIGIL_JSON_TRIM, VIGIL_FEED_MAX_STRING, &product)) < 0)
		return rc;
	if (!rh_cpe_namespace(cpe, buf)) {
		rh_skipped_add(r->ctx, &r->skipped, cpe.len ? cpe : product,
				     "not a product vigil maps to a namespace");
		return 0;
	}
	return (*ns = feed_cstr(r->ctx, buf)) ? 0 : vigil_error_or_oom();
}

static int add(struct rhcve *r, vigil_affected *a, const char *path)
{
	int rc;
	a->scheme = "rpm";
	a->is_source = 1;
	if ((rc = rh_affset_add(&r->aff, a)) < 0)
		vigil_error_prefix("%s: ", path);
	return rc;
}

static int affected_release(struct rhcve *r, json_t *e, const char *path)
{
	vigil_affected a = { .state = VIGIL_STATE_FIXED };
	vigil_slice pkg, name, evr;
	int rc;
	if ((rc = vigil_json_want(e, JSON_OBJECT, path)) < 0 ||
	    (rc = vigil_json_str(e, path, "package", VIGIL_JSON_TRIM, VIGIL_FEED_MAX_STRING, &pkg)) < 0)
		return rc;
	if (!pkg.len)
		return 0; /* a non-rpm product (a container, a tarball) */
	if (!rh_split_nevr(pkg, &name, &evr)) {
		feed_warn(r->ctx, "%s.package \"%.*s\": not name-[epoch:]version-release: skipped", path,
				(int)(pkg.len < 200 ? pkg.len : 200), pkg.ptr);
		return 0;
	}
	if ((rc = entry_namespace(r, e, path, &a.namespace)) < 0 || !a.namespace)
		return rc;
	if (!(a.package = str(r, name)) || !(a.fixed = str(r, evr)))
		return vigil_error_or_oom();
	return add(r, &a, path);
}

static int package_state(struct rhcve *r, json_t *e, const char *path)
{
	vigil_affected a = { 0 };
	vigil_slice state, pkg, mod = { 0 }, name, m, rest;
	int rc;
	if ((rc = vigil_json_want(e, JSON_OBJECT, path)) < 0 ||
	    (rc = vigil_json_str(e, path, "fix_state", VIGIL_JSON_TRIM, VIGIL_FEED_MAX_STRING, &state)) < 0 ||
	    (rc = vigil_json_str(e, path, "package_name", VIGIL_JSON_TRIM, VIGIL_FEED_MAX_STRING, &pkg)) < 0)
		return rc;
	if (!rh_fix_state(state, &a.state)) {
		feed_warn(r->ctx, "%s.fix_state \"%.*s\": unknown: skipped", path,
				(int)(state.len < 64 ? state.len : 64), state.ptr);
		return 0;
	}
	name = pkg;
	if (vigil_slice_split(pkg, '/', &m, &rest)) { /* "nodejs:12/nodejs" */
		name = rest;
		if (!rh_module_stream(m, &mod) || mod.len != m.len)
			name = vigil_slice_make("", 0);
	}
	if (!rh_valid_name(name)) {
		feed_warn(r->ctx, "%s.package_name \"%.*s\": not [module:stream/]name: skipped", path,
				(int)(pkg.len < 200 ? pkg.len : 200), pkg.ptr);
		return 0;
	}
	if ((rc = entry_namespace(r, e, path, &a.namespace)) < 0 || !a.namespace)
		return rc;
	if (!(a.package = str(r, name)) || (mod.len && !(a.module = str(r, mod))))
		return vigil_error_or_oom();
	return add(r, &a, path);
}

static int entries(struct rhcve *r, json_t *root, const char *key, int (*fn)(struct rhcve *, json_t *, const char *),
		   size_t *total)
{
	json_t *arr, *e;
	char path[64];
	size_t i;
	int rc;
	if ((rc = vigil_json_get(root, "", key, JSON_ARRAY, 0, &arr)) < 0)
		return rc;
	*total += json_array_size(arr);
	if (*total > VIGIL_RHCVE_MAX_ENTRIES)
		return vigil_error_set(VIGIL_ELIMIT, "%s: more than %d entries (limit VIGIL_RHCVE_MAX_ENTRIES)", key,
				       VIGIL_RHCVE_MAX_ENTRIES);
	json_array_foreach(arr, i, e) {
		snprintf(path, sizeof(path), "%s[%zu]", key, i);
		if ((rc = fn(r, e, path)) < 0)
			return rc;
	}
	return 0;
}

/* details[] (joined by blank lines), else the statement. */
static int description(struct rhcve *r, json_t *root, vigil_vuln *v)
{
	json_t *details, *d;
	vigil_buf b;
	vigil_slice s;
	size_t i;
	int rc;
	if ((rc = vigil_json_get(root, "", "details", JSON_ARRAY, 0, &details)) < 0)
		return rc;
	vigil_buf_init(&b, VIGIL_FEED_MAX_STRING);
	json_array_foreach(details, i, d) {
		char path[48];
		snprintf(path, sizeof(path), "details[%zu]", i);
		if ((rc = vigil_json_want(d, JSON_STRING, path)) < 0 ||
		    (b.len && (rc = vigil_buf_puts(&b, "\n\n")) < 0) ||
		    (rc = vigil_buf_append(&b, json_string_value(d), json_string_length(d))) < 0) {
			vigil_buf_free(&b);
			if (rc == VIGIL_ELIMIT)
				vigil_error_prefix("%s: ", path);
			return rc;
		}
	}
	if (b.len && !(v->description = feed_str(r->ctx, b.data, b.len)))
		rc = vigil_error_or_oom();
	vigil_buf_free(&b);
	if (rc < 0 || v->description)
		return rc;
	if ((rc = vigil_json_str(root, "", "statement", VIGIL_JSON_TRIM, VIGIL_FEED_MAX_STRING, &s)) < 0)
		return rc;
	return s.len && !(v->description = str(r, s)) ? vigil_error_or_oom() : 0;
}

/* references[]: strings holding one or more URLs separated by white space. */
static int references(struct rhcve *r, json_t *root)
{
	json_t *refs, *e, *bz;
	vigil_slice url;
	size_t i;
	int rc;
	if ((rc = vigil_json_get(root, "", "references", JSON_ARRAY, 0, &refs)) < 0)
		return rc;
	json_array_foreach(refs, i, e) {
		char path[48];
		vigil_slice rest;
		snprintf(path, sizeof(path), "references[%zu]", i);
		if ((rc = vigil_json_want(e, JSON_STRING, path)) < 0)
			return rc;
		rest = vigil_slice_make(json_string_value(e), json_string_length(e));
		while (rest.len) {
			size_t n = 0;
			while (n < rest.len && rest.ptr[n] != ' ' && rest.ptr[n] != '\n' && rest.ptr[n] != '\t' &&
			       rest.ptr[n] != '\r')
				n++;
			if ((rc = rh_strlist_add(r->ctx, &r->links, vigil_slice_sub(rest, 0, n), "links")) < 0)
				return rc;
			rest = vigil_slice_sub(rest, n + (n < rest.len), rest.len);
		}
	}
	if ((rc = vigil_json_get(root, "", "bugzilla", JSON_OBJECT, 0, &bz)) < 0 ||
	    (rc = vigil_json_str(bz, "bugzilla", "url", VIGIL_JSON_TRIM, VIGIL_FEED_MAX_STRING, &url)) < 0)
		return rc;
	return rh_strlist_add(r->ctx, &r->links, url, "links");
}

static int parse(struct rhcve *r, json_t *root)
{
	vigil_vuln v = { .cvss3_score = -1, .cvss2_score = -1 };
	vigil_slice name, sev, date, summary;
	json_t *bz;
	size_t total = 0;
	int rc;
	if ((rc = vigil_json_want(root, JSON_OBJECT, "(document root)")) < 0 ||
	    (rc = vigil_json_str(root, "", "name", VIGIL_JSON_TRIM, VIGIL_FEED_MAX_STRING, &name)) < 0 ||
	    (rc = vigil_json_str(root, "", "threat_severity",
				 VIGIL_JSON_TRIM, VIGIL_FEED_MAX_STRING, &sev)) < 0 ||
	    (rc = vigil_json_str(root, "", "public_date",
				 VIGIL_JSON_TRIM, VIGIL_FEED_MAX_STRING, &date)) < 0 ||
	    (rc = vigil_json_get(root, "", "bugzilla", JSON_OBJECT, 0, &bz)) < 0 ||
	    (rc = vigil_json_str(bz, "bugzilla", "description",
				 VIGIL_JSON_TRIM, VIGIL_FEED_MAX_STRING, &summary)) < 0)
		return rc;
	if (!name.len || name.len > 64)
		return vigil_error_set(VIGIL_EFORMAT, "name: missing or not a CVE id");
	if (!(v.id = str(r, name)) || !(v.source = feed_cstr(r->ctx, "redhat")))
		return vigil_error_or_oom();
	v.vendor_severity = str(r, sev);
	v.severity = feed_severity_redhat(v.vendor_severity);
	v.published = str(r, date);
	v.summary = str(r, summary);
	if ((rc = cvss(r, root, "cvss3", "cvss3_base_score", "cvss3_scoring_vector", &v.cvss3_score,
		       &v.cvss3_vector)) < 0 ||
	    (rc = cvss(r, root, "cvss", "cvss_base_score", "cvss_scoring_vector", &v.cvss2_score, &v.cvss2_vector)) < 0 ||
	    (rc = description(r, root, &v)) < 0 || (rc = references(r, root)) < 0 ||
	    (rc = entries(r, root, "affected_release", affected_release, &total)) < 0 ||
	    (rc = entries(r, root, "package_state", package_state, &total)) < 0 ||
	    (rc = rh_affset_take(&r->aff, &v.affected, &v.naffected)) < 0 ||
	    (rc = rh_strlist_take(r->ctx, &r->links, &v.links, &v.nlinks)) < 0)
		return rc;
	if (vigil_error_code() == VIGIL_ENOMEM || vigil_error_code() == VIGIL_ELIMIT)
		return vigil_error_code(); /* a copy that failed on the way */
	return r->ctx->emit(r->ctx->emit_ud, &v);
}

int feed_redhat_cve_json(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	struct rhcve r = { .ctx = ctx };
	json_error_t jerr;
	json_t *root;
	int rc;

	if (!ctx || !ctx->arena || !ctx->emit || (!data && len))
		return vigil_error_set(VIGIL_EINVAL, "feed_redhat_cve_json: bad arguments");
	if (len > VIGIL_RHCVE_MAX_SIZE)
		return vigil_error_set(VIGIL_ELIMIT, "CVE JSON of %zu bytes (limit VIGIL_RHCVE_MAX_SIZE)", len);
	if (!(root = json_loadb(data ? data : "", len, JSON_REJECT_DUPLICATES, &jerr)))
		return vigil_error_set(VIGIL_EFORMAT, "JSON: line %d column %d: %s", jerr.line, jerr.column, jerr.text);
	rh_affset_init(&r.aff, ctx);
	vigil_error_clear();
	rc = parse(&r, root);
	if (rc == 0)
		rh_skipped_warn(ctx, &r.skipped);
	rh_affset_free(&r.aff);
	rh_strlist_free(&r.links);
	json_decref(root);
	return rc;
}
