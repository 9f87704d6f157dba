/* feed/redhat_csaf.c: Red Hat CSAF 2.0 documents, both kinds: security
 * advisories (category csaf_security_advisory, one RHSA with its CVEs) and
 * VEX files (category csaf_vex, one CVE with the state of every product).
 * The product_tree gives each product id either a product (its CPE in
 * product_identification_helper.cpe) or a component (an rpm purl
 * "pkg:rpm/redhat/curl@7.61.1-30.el8_8.3?arch=src&epoch=0"), and its
 * relationships (category default_component_of) the full ids
 * "<product>:<component>" the statuses list. A status becomes an entry in
 * the namespace of the product's CPE (feed/redhat.h) for the component's
 * package: fixed -> FIXED at "<epoch>:<version>" (epoch 0 when the purl has
 * none), known_affected -> NOT_FIXED (WILL_NOT_FIX when a no_fix_planned
 * remediation names it), known_not_affected -> NOT_AFFECTED,
 * under_investigation -> NOT_FIXED. An advisory becomes one record (the RHSA
 * id, the CVEs as aliases) with its fixed products only; a VEX document one
 * record per CVE. Non-rpm components are out of scope and skipped quietly.
 * Decisions in docs/feeds-redhat.md. */
#include "feed/redhat.h"
#include "util/error.h"
#include "util/json.h"
#include "util/slice.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The largest document (VEX files of widely shipped components are tens of MB). */
#define VIGIL_CSAF_MAX_SIZE VIGIL_FEED_MAX_FILE
/* Nesting of product_tree branches (Red Hat uses 3). */
#define VIGIL_CSAF_MAX_DEPTH 32
/* Vulnerabilities of one document. */
#define VIGIL_CSAF_MAX_VULNS 100000
/* The longest purl looked at. */
#define VIGIL_CSAF_MAX_PURL 2048

struct csaf {
	vigil_feed_ctx *ctx;
	bool vex;
	vigil_map products; /* product_id -> product object (the first of an id) */
	vigil_map rels;     /* full product id -> relationship object */
	vigil_map wontfix;  /* product ids a no_fix_planned remediation names */
	vigil_rh_affset aff;
	vigil_rh_strlist aliases, links;
	vigil_rh_skipped skipped;
};

/* ---- strings (JSON access is util/json.h: absent is fine, a wrong type is an error) ---- */

static const char *str(struct csaf *c, vigil_slice s)
{
	return s.len ? feed_str(c->ctx, s.ptr, s.len) : NULL;
}

/* ---- product tree ---- */

static int add_product(struct csaf *c, json_t *p, const char *path)
{
	json_t *id;
	int rc = vigil_json_get(p, path, "product_id", JSON_STRING, 0, &id);
	if (rc < 0 || !id)
		return rc;
	rc = vigil_map_add(&c->products, json_string_value(id), json_string_length(id), p);
	return rc < 0 ? rc : 0;
}

static int walk_branches(struct csaf *c, json_t *branches, const char *path, int depth)
{
	char sub[256];
	size_t i;
	json_t *b;
	if (depth > VIGIL_CSAF_MAX_DEPTH)
		return vigil_error_set(VIGIL_ELIMIT, "%s: branches nested deeper than %d", path, VIGIL_CSAF_MAX_DEPTH);
	json_array_foreach(branches, i, b) {
		json_t *p, *more;
		int rc;
		snprintf(sub, sizeof(sub), "%.200s[%zu]", path, i);
		if ((rc = vigil_json_want(b, JSON_OBJECT, sub)) < 0 ||
		    (rc = vigil_json_get(b, sub, "product", JSON_OBJECT, 0, &p)) < 0 ||
		    (p && (rc = add_product(c, p, sub)) < 0) ||
		    (rc = vigil_json_get(b, sub, "branches", JSON_ARRAY, 0, &more)) < 0)
			return rc;
		snprintf(sub, sizeof(sub), "%.200s[%zu].branches", path, i);
		if (more && (rc = walk_branches(c, more, sub, depth + 1)) < 0)
			return rc;
	}
	return 0;
}

static int read_product_tree(struct csaf *c, json_t *doc)
{
	json_t *tree, *branches, *names, *rels, *v;
	char path[96];
	size_t i;
	int rc;
	if ((rc = vigil_json_get(doc, "", "product_tree", JSON_OBJECT, 0, &tree)) < 0 ||
	    (rc = vigil_json_get(tree, "product_tree", "branches", JSON_ARRAY, 0, &branches)) < 0 ||
	    (rc = vigil_json_get(tree, "product_tree", "full_product_names", JSON_ARRAY, 0, &names)) < 0 ||
	    (rc = vigil_json_get(tree, "product_tree", "relationships", JSON_ARRAY, 0, &rels)) < 0)
		return rc;
	if (branches && (rc = walk_branches(c, branches, "product_tree.branches", 0)) < 0)
		return rc;
	json_array_foreach(names, i, v) {
		snprintf(path, sizeof(path), "product_tree.full_product_names[%zu]", i);
		if ((rc = vigil_json_want(v, JSON_OBJECT, path)) < 0 || (rc = add_product(c, v, path)) < 0)
			return rc;
	}
	json_array_foreach(rels, i, v) {
		json_t *full, *id;
		vigil_slice cat;
		snprintf(path, sizeof(path), "product_tree.relationships[%zu]", i);
		if ((rc = vigil_json_want(v, JSON_OBJECT, path)) < 0 ||
		    (rc = vigil_json_str(v, path, "category", 0, VIGIL_FEED_MAX_STRING, &cat)) < 0 ||
		    (rc = vigil_json_get(v, path, "full_product_name", JSON_OBJECT, 0, &full)) < 0 ||
		    (rc = vigil_json_get(full, path, "product_id", JSON_STRING, 0, &id)) < 0)
			return rc;
		if (id && vigil_slice_eq_cstr(cat, "default_component_of") &&
		    (rc = vigil_map_add(&c->rels, json_string_value(id), json_string_length(id), v)) < 0)
			return rc;
	}
	return 0;
}

/* ---- components ---- */

struct purl {
	char name[256], version[256], arch[64], epoch[16], rpmmod[256];
	bool has_version;
};

/* Percent-decodes s into out (NUL-terminated); false when bad or too long. */
static bool decode(vigil_slice s, char *out, size_t size)
{
	size_t n = 0;
	for (size_t i = 0; i < s.len; i++) {
		char ch = s.ptr[i];
		if (ch == '%') {
			if (i + 2 >= s.len || vigil_hex_digit(s.ptr[i + 1]) < 0 ||
			    vigil_hex_digit(s.ptr[i + 2]) < 0)
				return false;
			ch = (char)(vigil_hex_digit(s.ptr[i + 1]) * 16 + vigil_hex_digit(s.ptr[i + 2]));
			i += 2;
		}
		if (ch == '\0' || n + 1 >= size)
			return false;
		out[n++] = ch;
	}
	out[n] = '\0';
	return true;
}

/* "pkg:rpm/<namespace>/<name>[@<version>][?<qualifiers>][#<subpath>]";
 * 0 when it is one, 1 for another type, < 0 when malformed. */
static int parse_purl(vigil_slice s, struct purl *p)
{
	vigil_slice rest, quals, path, seg, name, ver, q, k, v;
	memset(p, 0, sizeof(*p));
	if (s.len > VIGIL_CSAF_MAX_PURL || !vigil_slice_starts_with(s, "pkg:"))
		return -1;
	if (!vigil_slice_starts_with(s, "pkg:rpm/"))
		return 1;
	vigil_slice_split(vigil_slice_sub(s, 8, s.len), '#', &rest, &q);
	vigil_slice_split(rest, '?', &path, &quals);
	ptrdiff_t slash = vigil_slice_rfind(path, '/');
	seg = slash >= 0 ? vigil_slice_sub(path, (size_t)slash + 1, path.len) : path;
	p->has_version = vigil_slice_split(seg, '@', &name, &ver);
	if (!decode(name, p->name, sizeof(p->name)) || !decode(ver, p->version, sizeof(p->version)))
		return -1;
	while (quals.len) {
		vigil_slice_split(quals, '&', &q, &quals);
		if (!vigil_slice_split(q, '=', &k, &v))
			continue;
		if (vigil_slice_eq_cstr(k, "arch") && !decode(v, p->arch, sizeof(p->arch)))
			return -1;
		if (vigil_slice_eq_cstr(k, "epoch") && !decode(v, p->epoch, sizeof(p->epoch)))
			return -1;
		if (vigil_slice_eq_cstr(k, "rpmmod") && !decode(v, p->rpmmod, sizeof(p->rpmmod)))
			return -1;
	}
	return 0;
}

/* The entry for one component of purl p; false (with a warning) when unusable. */
static int purl_entry(struct csaf *c, const struct purl *p, vigil_affected *a, const char *pid, bool *ok)
{
	vigil_slice name = vigil_slice_cstr(p->name), mod;
	char evr[300];
	*ok = false;
	if (!rh_valid_name(name)) {
		feed_warn(c->ctx, "product %s: bad package name \"%s\": skipped", pid, p->name);
		return 0;
	}
	if (p->rpmmod[0]) {
		if (!rh_module_stream(vigil_slice_cstr(p->rpmmod), &mod)) {
			feed_warn(c->ctx, "product %s: rpmmod \"%s\" is not name:stream: skipped", pid, p->rpmmod);
			return 0;
		}
		if (!(a->module = str(c, mod)))
			return vigil_error_or_oom();
	}
	if (a->state == VIGIL_STATE_FIXED) {
		snprintf(evr, sizeof(evr), "%s:%s", p->epoch[0] ? p->epoch : "0", p->version);
		if (!p->has_version || !rh_valid_evr(vigil_slice_cstr(evr))) {
			feed_warn(c->ctx, "product %s: fixed without a valid version: skipped", pid);
			return 0;
		}
		if (!(a->fixed = feed_cstr(c->ctx, evr)))
			return vigil_error_or_oom();
	}
	a->is_source = strcmp(p->arch, "src") == 0;
	if (p->arch[0] && !a->is_source && !(a->arch = feed_cstr(c->ctx, p->arch)))
		return vigil_error_or_oom();
	if (!(a->package = feed_cstr(c->ctx, p->name)))
		return vigil_error_or_oom();
	*ok = true;
	return 0;
}

/* Status product id -> entry; *ok false when it is skipped. */
static int resolve(struct csaf *c, vigil_slice pid, vigil_affected *a, bool *ok)
{
	json_t *rel = vigil_map_get(&c->rels, pid.ptr, pid.len), *comp, *plat, *ref;
	vigil_slice cpe = { 0 }, purl = { 0 }, name = { 0 };
	char ns[VIGIL_RH_NS_MAX], pidz[160];
	struct purl p;
	int rc;
	*ok = false;
	if (!rel)
		return 0; /* a product, not a component of one */
	snprintf(pidz, sizeof(pidz), "%.*s", (int)(pid.len < 150 ? pid.len : 150), pid.ptr);
	ref = json_object_get(rel, "relates_to_product_reference");
	plat = json_is_string(ref) ? vigil_map_get(&c->products, json_string_value(ref), json_string_length(ref)) : NULL;
	ref = json_object_get(rel, "product_reference");
	comp = json_is_string(ref) ? vigil_map_get(&c->products, json_string_value(ref), json_string_length(ref)) : NULL;
	if ((rc = vigil_json_str(json_object_get(plat, "product_identification_helper"), pidz, "cpe",
				 0, VIGIL_FEED_MAX_STRING, &cpe)) < 0 ||
	    (rc = vigil_json_str(json_object_get(comp, "product_identification_helper"), pidz, "purl",
				 0, VIGIL_FEED_MAX_STRING, &purl)) < 0 ||
	    (rc = vigil_json_str(comp, pidz, "name", 0, VIGIL_FEED_MAX_STRING, &name)) < 0)
		return rc;
	if (!rh_cpe_namespace(cpe, ns)) {
		rh_skipped_add(c->ctx, &c->skipped, cpe.len ? cpe : vigil_slice_cstr(pidz),
				     "not a product vigil maps to a namespace");
		return 0;
	}
	if (!(a->namespace = feed_cstr(c->ctx, ns)))
		return vigil_error_or_oom();
	a->scheme = "rpm";
	if (purl.len) {
		rc = parse_purl(purl, &p);
		if (rc < 0)
			feed_warn(c->ctx, "product %s: bad purl: skipped", pidz);
		return rc == 0 ? purl_entry(c, &p, a, pidz, ok) : 0;
	}
	/* no purl: older VEX files name the rpm component alone ("snakeyaml") */
	if (!rh_valid_name(name) || a->state == VIGIL_STATE_FIXED)
		return 0;
	if (!(a->package = str(c, name)))
		return vigil_error_or_oom();
	*ok = true;
	return 0;
}

/* ---- vulnerabilities ---- */

static int read_wontfix(struct csaf *c, json_t *v, const char *path)
{
	json_t *rems, *r, *ids, *id;
	char sub[128];
	size_t i, j;
	int rc;
	vigil_map_clear(&c->wontfix);
	if ((rc = vigil_json_get(v, path, "remediations", JSON_ARRAY, 0, &rems)) < 0)
		return rc;
	json_array_foreach(rems, i, r) {
		vigil_slice cat;
		snprintf(sub, sizeof(sub), "%s.remediations[%zu]", path, i);
		if ((rc = vigil_json_want(r, JSON_OBJECT, sub)) < 0 ||
		    (rc = vigil_json_str(r, sub, "category", 0, VIGIL_FEED_MAX_STRING, &cat)) < 0 ||
		    (rc = vigil_json_get(r, sub, "product_ids", JSON_ARRAY, 0, &ids)) < 0)
			return rc;
		if (!vigil_slice_eq_cstr(cat, "no_fix_planned"))
			continue;
		json_array_foreach(ids, j, id)
			if (json_is_string(id) &&
			    (rc = vigil_map_add(&c->wontfix, json_string_value(id), json_string_length(id), id)) < 0)
				return rc;
	}
	return 0;
}

static int read_statuses(struct csaf *c, json_t *v, const char *path)
{
	static const struct {
		const char *key;
		vigil_vuln_state state;
		bool in_advisory;
	} lists[] = {
		{ "fixed", VIGIL_STATE_FIXED, true },
		{ "known_affected", VIGIL_STATE_NOT_FIXED, false },
		{ "known_not_affected", VIGIL_STATE_NOT_AFFECTED, false },
		{ "under_investigation", VIGIL_STATE_NOT_FIXED, false },
	};
	json_t *ps, *ids, *id;
	char sub[128];
	size_t i;
	int rc;
	if ((rc = vigil_json_get(v, path, "product_status", JSON_OBJECT, 0, &ps)) < 0)
		return rc;
	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
		snprintf(sub, sizeof(sub), "%s.product_status", path);
		if ((rc = vigil_json_get(ps, sub, lists[l].key, JSON_ARRAY, 0, &ids)) < 0)
			return rc;
		if (!c->vex && !lists[l].in_advisory)
			continue;
		json_array_foreach(ids, i, id) {
			vigil_affected a = { .state = lists[l].state };
			vigil_slice pid;
			bool ok;
			snprintf(sub, sizeof(sub), "%s.product_status.%s[%zu]", path, lists[l].key, i);
			if ((rc = vigil_json_want(id, JSON_STRING, sub)) < 0)
				return rc;
			pid = vigil_slice_make(json_string_value(id), json_string_length(id));
			if (a.state == VIGIL_STATE_NOT_FIXED && l == 1 && vigil_map_get(&c->wontfix, pid.ptr, pid.len))
				a.state = VIGIL_STATE_WILL_NOT_FIX;
			if ((rc = resolve(c, pid, &a, &ok)) < 0)
				return rc;
			if (ok && (rc = rh_affset_add(&c->aff, &a)) < 0) {
				vigil_error_prefix("%s: ", sub);
				return rc;
			}
		}
	}
	return 0;
}

/* Severity, scores, notes, references and date of one vulnerability. */
static int read_details(struct csaf *c, json_t *v, const char *path, vigil_vuln *out)
{
	json_t *arr, *e, *cv;
	char sub[128];
	size_t i;
	int rc;
	if ((rc = vigil_json_get(v, path, "threats", JSON_ARRAY, 0, &arr)) < 0)
		return rc;
	json_array_foreach(arr, i, e) {
		vigil_slice cat, det;
		snprintf(sub, sizeof(sub), "%s.threats[%zu]", path, i);
		if ((rc = vigil_json_want(e, JSON_OBJECT, sub)) < 0 ||
		    (rc = vigil_json_str(e, sub, "category", 0, VIGIL_FEED_MAX_STRING, &cat)) < 0 ||
		    (rc = vigil_json_str(e, sub, "details", 0, VIGIL_FEED_MAX_STRING, &det)) < 0)
			return rc;
		vigil_severity sev = feed_severity_redhat(det.ptr); /* jansson strings end in NUL */
		if (vigil_slice_eq_cstr(cat, "impact") && sev > out->severity) {
			out->severity = sev;
			if (!(out->vendor_severity = str(c, det)))
				return vigil_error_or_oom();
		}
	}
	if ((rc = vigil_json_get(v, path, "scores", JSON_ARRAY, 0, &arr)) < 0)
		return rc;
	json_array_foreach(arr, i, e) {
		static const char *const keys[] = { "cvss_v3", "cvss_v2" };
		snprintf(sub, sizeof(sub), "%s.scores[%zu]", path, i);
		if ((rc = vigil_json_want(e, JSON_OBJECT, sub)) < 0)
			return rc;
		for (int k = 0; k < 2; k++) {
			json_t *bs;
			vigil_slice vec;
			double *score = k ? &out->cvss2_score : &out->cvss3_score;
			const char **vector = k ? &out->cvss2_vector : &out->cvss3_vector;
			if ((rc = vigil_json_get(e, sub, keys[k], JSON_OBJECT, 0, &cv)) < 0 ||
			    (rc = vigil_json_get(cv, sub, "baseScore", JSON_REAL, 0, &bs)) < 0 ||
			    (rc = vigil_json_str(cv, sub, "vectorString",
						 0, VIGIL_FEED_MAX_STRING, &vec)) < 0)
				return rc;
			if (!bs || json_number_value(bs) < 0 || json_number_value(bs) > 10 ||
			    json_number_value(bs) <= *score)
				continue;
			*score = json_number_value(bs);
			*vector = str(c, vec);
		}
	}
	if ((rc = vigil_json_get(v, path, "notes", JSON_ARRAY, 0, &arr)) < 0)
		return rc;
	json_array_foreach(arr, i, e) {
		vigil_slice cat, text;
		snprintf(sub, sizeof(sub), "%s.notes[%zu]", path, i);
		if ((rc = vigil_json_want(e, JSON_OBJECT, sub)) < 0 ||
		    (rc = vigil_json_str(e, sub, "category", 0, VIGIL_FEED_MAX_STRING, &cat)) < 0 ||
		    (rc = vigil_json_str(e, sub, "text", 0, VIGIL_FEED_MAX_STRING, &text)) < 0)
			return rc;
		if (vigil_slice_eq_cstr(cat, "description") && !out->description)
			out->description = str(c, text);
		if (vigil_slice_eq_cstr(cat, "summary") && !out->summary)
			out->summary = str(c, text);
	}
	if ((rc = vigil_json_get(v, path, "references", JSON_ARRAY, 0, &arr)) < 0)
		return rc;
	json_array_foreach(arr, i, e) {
		vigil_slice url;
		snprintf(sub, sizeof(sub), "%s.references[%zu]", path, i);
		if ((rc = vigil_json_want(e, JSON_OBJECT, sub)) < 0 ||
		    (rc = vigil_json_str(e, sub, "url", 0, VIGIL_FEED_MAX_STRING, &url)) < 0 ||
		    (rc = rh_strlist_add(c->ctx, &c->links, url, "links")) < 0)
			return rc;
	}
	return 0;
}

/* What the document says for every record it gives. */
struct docinfo {
	vigil_slice id, title, severity, summary, general, initial, current;
	json_t *refs;
};

static int read_document(struct csaf *c, json_t *root, struct docinfo *d)
{
	json_t *doc, *tracking, *agg, *notes, *e;
	vigil_slice cat, ver;
	char sub[64];
	size_t i;
	int rc;
	memset(d, 0, sizeof(*d));
	if ((rc = vigil_json_want(root, JSON_OBJECT, "(document root)")) < 0 ||
	    (rc = vigil_json_get(root, "", "document", JSON_OBJECT, 0, &doc)) < 0)
		return rc;
	if (!doc)
		return vigil_error_set(VIGIL_EFORMAT, "no \"document\": not a CSAF document");
	if ((rc = vigil_json_str(doc, "document", "category", 0, VIGIL_FEED_MAX_STRING, &cat)) < 0 ||
	    (rc = vigil_json_str(doc, "document", "csaf_version", 0, VIGIL_FEED_MAX_STRING, &ver)) < 0 ||
	    (rc = vigil_json_get(doc, "document", "tracking", JSON_OBJECT, 0, &tracking)) < 0 ||
	    (rc = vigil_json_str(tracking, "document.tracking", "id",
				 0, VIGIL_FEED_MAX_STRING, &d->id)) < 0 ||
	    (rc = vigil_json_str(tracking, "document.tracking", "initial_release_date",
				 0, VIGIL_FEED_MAX_STRING, &d->initial)) < 0 ||
	    (rc = vigil_json_str(tracking, "document.tracking", "current_release_date",
				 0, VIGIL_FEED_MAX_STRING, &d->current)) < 0 ||
	    (rc = vigil_json_str(doc, "document", "title", 0, VIGIL_FEED_MAX_STRING, &d->title)) < 0 ||
	    (rc = vigil_json_get(doc, "document", "aggregate_severity", JSON_OBJECT, 0, &agg)) < 0 ||
	    (rc = vigil_json_str(agg, "document.aggregate_severity", "text",
				 0, VIGIL_FEED_MAX_STRING, &d->severity)) < 0 ||
	    (rc = vigil_json_get(doc, "document", "references", JSON_ARRAY, 0, &d->refs)) < 0 ||
	    (rc = vigil_json_get(doc, "document", "notes", JSON_ARRAY, 0, &notes)) < 0)
		return rc;
	if (ver.len && !vigil_slice_starts_with(ver, "2."))
		return vigil_error_set(VIGIL_EUNSUPPORTED, "document.csaf_version %.*s: only 2.x is read",
				       (int)(ver.len < 16 ? ver.len : 16), ver.ptr);
	if (vigil_slice_eq_cstr(cat, "csaf_vex"))
		c->vex = true;
	else if (!vigil_slice_eq_cstr(cat, "csaf_security_advisory"))
		return vigil_error_set(VIGIL_EUNSUPPORTED, "document.category \"%.*s\": not an advisory or VEX",
				       (int)(cat.len < 64 ? cat.len : 64), cat.ptr);
	json_array_foreach(notes, i, e) {
		vigil_slice ncat, text;
		snprintf(sub, sizeof(sub), "document.notes[%zu]", i);
		if ((rc = vigil_json_want(e, JSON_OBJECT, sub)) < 0 ||
		    (rc = vigil_json_str(e, sub, "category", 0, VIGIL_FEED_MAX_STRING, &ncat)) < 0 ||
		    (rc = vigil_json_str(e, sub, "text", 0, VIGIL_FEED_MAX_STRING, &text)) < 0)
			return rc;
		if (vigil_slice_eq_cstr(ncat, "summary") && !d->summary.len)
			d->summary = text;
		if (vigil_slice_eq_cstr(ncat, "general") && !d->general.len)
			d->general = text;
	}
	return 0;
}

static int document_links(struct csaf *c, const struct docinfo *d)
{
	json_t *e;
	char sub[64];
	size_t i;
	int rc;
	json_array_foreach(d->refs, i, e) {
		vigil_slice url;
		snprintf(sub, sizeof(sub), "document.references[%zu]", i);
		if ((rc = vigil_json_want(e, JSON_OBJECT, sub)) < 0 ||
		    (rc = vigil_json_str(e, sub, "url", 0, VIGIL_FEED_MAX_STRING, &url)) < 0 ||
		    (rc = rh_strlist_add(c->ctx, &c->links, url, "links")) < 0)
			return rc;
	}
	return 0;
}

static int emit(struct csaf *c, vigil_vuln *v)
{
	int rc;
	if (!v->id)
		return vigil_error_set(VIGIL_EFORMAT, "no id (document.tracking.id or vulnerabilities[].cve)");
	if ((rc = rh_affset_take(&c->aff, &v->affected, &v->naffected)) < 0 ||
	    (rc = rh_strlist_take(c->ctx, &c->aliases, &v->aliases, &v->naliases)) < 0 ||
	    (rc = rh_strlist_take(c->ctx, &c->links, &v->links, &v->nlinks)) < 0)
		return rc;
	if (!(v->source = feed_cstr(c->ctx, "redhat")) || vigil_error_code() == VIGIL_ENOMEM ||
	    vigil_error_code() == VIGIL_ELIMIT) /* a copy that failed on the way */
		return vigil_error_or_oom();
	return c->ctx->emit(c->ctx->emit_ud, v);
}

static int read_vulnerabilities(struct csaf *c, json_t *root, const struct docinfo *d)
{
	json_t *vulns, *v;
	vigil_vuln adv = { .cvss3_score = -1, .cvss2_score = -1 };
	char path[64];
	size_t i;
	int rc;
	if ((rc = vigil_json_get(root, "", "vulnerabilities", JSON_ARRAY, 0, &vulns)) < 0)
		return rc;
	if (json_array_size(vulns) > VIGIL_CSAF_MAX_VULNS)
		return vigil_error_set(VIGIL_ELIMIT, "vulnerabilities: %zu entries (limit %d)", json_array_size(vulns),
				       VIGIL_CSAF_MAX_VULNS);
	if (!c->vex && (rc = document_links(c, d)) < 0)
		return rc;
	json_array_foreach(vulns, i, v) {
		vigil_vuln one = { .cvss3_score = -1, .cvss2_score = -1 };
		vigil_slice cve, title, rdate;
		snprintf(path, sizeof(path), "vulnerabilities[%zu]", i);
		if ((rc = vigil_json_want(v, JSON_OBJECT, path)) < 0 ||
		    (rc = vigil_json_str(v, path, "cve", 0, VIGIL_FEED_MAX_STRING, &cve)) < 0 ||
		    (rc = vigil_json_str(v, path, "title", 0, VIGIL_FEED_MAX_STRING, &title)) < 0 ||
		    (rc = vigil_json_str(v, path, "release_date", 0, VIGIL_FEED_MAX_STRING, &rdate)) < 0 ||
		    (rc = read_wontfix(c, v, path)) < 0 ||
		    (rc = read_statuses(c, v, path)) < 0)
			return rc;
		if (!c->vex) { /* one advisory: the CVEs are aliases, the rest is pooled */
			if ((rc = rh_strlist_add(c->ctx, &c->aliases, cve, "aliases")) < 0 ||
			    (rc = read_details(c, v, path, &adv)) < 0)
				return rc;
			continue;
		}
		if ((rc = document_links(c, d)) < 0 || (rc = read_details(c, v, path, &one)) < 0)
			return rc;
		one.id = str(c, cve.len ? cve : d->id);
		if (!one.summary)
			one.summary = str(c, title.len ? title : d->title);
		one.published = str(c, rdate.len ? rdate : d->initial);
		one.modified = str(c, d->current);
		if (d->severity.len && one.severity == VIGIL_SEV_UNKNOWN) {
			one.vendor_severity = str(c, d->severity);
			one.severity = feed_severity_redhat(one.vendor_severity);
		}
		if ((rc = emit(c, &one)) < 0)
			return rc;
	}
	if (c->vex)
		return 0;
	adv.id = str(c, d->id);
	adv.summary = str(c, d->title);
	adv.description = str(c, d->general.len ? d->general : d->summary);
	adv.published = str(c, d->initial);
	adv.modified = str(c, d->current);
	if (d->severity.len) {
		adv.vendor_severity = str(c, d->severity);
		adv.severity = feed_severity_redhat(adv.vendor_severity);
	}
	return emit(c, &adv);
}

int feed_redhat_csaf(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	struct csaf *c = NULL;
	struct docinfo d;
	json_error_t jerr;
	json_t *root = NULL;
	int rc;

	if (!ctx || !ctx->arena || !ctx->emit || (!data && len))
		return vigil_error_set(VIGIL_EINVAL, "feed_redhat_csaf: bad arguments");
	if (len > VIGIL_CSAF_MAX_SIZE)
		return vigil_error_set(VIGIL_ELIMIT, "CSAF document of %zu bytes (limit VIGIL_CSAF_MAX_SIZE)", len);
	root = json_loadb(data ? data : "", len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return vigil_error_set(VIGIL_EFORMAT, "JSON: line %d column %d: %s", jerr.line, jerr.column, jerr.text);
	if (!(c = calloc(1, sizeof(*c)))) {
		rc = vigil_error_oom();
		goto out;
	}
	c->ctx = ctx;
	vigil_map_init(&c->products, VIGIL_RH_MAP_MAX);
	vigil_map_init(&c->rels, VIGIL_RH_MAP_MAX);
	vigil_map_init(&c->wontfix, VIGIL_RH_MAP_MAX);
	rh_affset_init(&c->aff, ctx);
	vigil_error_clear();
	if ((rc = read_document(c, root, &d)) < 0 || (rc = read_product_tree(c, root)) < 0 ||
	    (rc = read_vulnerabilities(c, root, &d)) < 0)
		goto out;
	rh_skipped_warn(ctx, &c->skipped);
out:
	if (c) {
		vigil_map_free(&c->products);
		vigil_map_free(&c->rels);
		vigil_map_free(&c->wontfix);
		rh_affset_free(&c->aff);
		rh_strlist_free(&c->aliases);
		rh_strlist_free(&c->links);
		free(c);
	}
	json_decref(root);
	return rc;
}
