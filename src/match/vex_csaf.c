/* match/vex_csaf.c: CSAF 2.0 VEX (document.category "csaf_vex", and any
 * CSAF document with vulnerabilities) into statements (match/vex_priv.h).
 *
 *   {"document": {"category": "csaf_vex", "tracking": {"current_release_date": ...}},
 *    "product_tree": {"branches": [... {"product": {"product_id": "P1",
 *        "product_identification_helper": {"purl": "pkg:apk/alpine/busybox@1.24.2-r9"}}}],
 *        "full_product_names": [...], "relationships": [{"full_product_name": {"product_id": "P2"},
 *        "product_reference": "P1", "relates_to_product_reference": "IMG"}]},
 *    "vulnerabilities": [{"cve": "CVE-2016-6301", "ids": [{"text": "GHSA-..."}],
 *        "product_status": {"known_not_affected": ["P1"], "fixed": [...]},
 *        "flags": [{"label": "vulnerable_code_not_in_execute_path", "product_ids": ["P1"]}],
 *        "threats": [{"category": "impact", "details": "...", "product_ids": ["P1"]}]}]}
 *
 * A product id is the purl of its product_identification_helper; one made
 * by a relationship is its product_reference's purl (the component inside
 * the platform); one with no purl (a platform, an image) covers the whole
 * image. known_not_affected is "not_affected" (its flag label or impact
 * threat the justification), fixed and first_fixed "fixed";
 * known_affected and under_investigation are kept so that a newer
 * statement can undo an older suppression. A product id the tree does
 * not define is an error. */
#include "match/vex_priv.h"
#include "util/error.h"
#include "util/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSAF_PATH 512

/* product id -> purl ("" when it has none), in a jansson object */
static int csaf_product(json_t *ids, json_t *p, const char *path)
{
	vigil_slice id, purl;
	json_t *helper;
	int rc;
	if ((rc = vigil_json_str(p, path, "product_id", VIGIL_JSON_REQUIRED, 1024, &id)) < 0 ||
	    (rc = vigil_json_obj(p, path, "product_identification_helper", 0, &helper)) < 0 ||
	    (rc = vigil_json_str(helper, path, "purl", VIGIL_JSON_TRIM, VIGIL_VEX_MAX_STRING, &purl)) < 0)
		return rc;
	if (json_object_size(ids) >= VIGIL_VEX_MAX_PRODUCTS)
		return vigil_error_set(VIGIL_ELIMIT, "%s: more than %d products", path, VIGIL_VEX_MAX_PRODUCTS);
	if (json_object_setn_new(ids, id.ptr, id.len, json_stringn(purl.ptr, purl.len)) < 0)
		return vigil_error_oom();
	return 0;
}

static int csaf_branches(json_t *ids, json_t *parent, const char *ppath, int depth)
{
	json_t *arr, *prod;
	char path[CSAF_PATH];
	int rc;

	if ((rc = vigil_json_arr(parent, ppath, "branches", 0, VIGIL_VEX_MAX_PRODUCTS, &arr)) < 0 || !arr)
		return rc;
	if (depth > VIGIL_VEX_MAX_DEPTH)
		return vigil_error_set(VIGIL_ELIMIT, "%s.branches: nested deeper than %d levels", ppath, VIGIL_VEX_MAX_DEPTH);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *b = json_array_get(arr, i);
		snprintf(path, sizeof(path), "%s.branches[%zu]", ppath, i);
		if ((rc = vigil_json_obj(b, path, "product", 0, &prod)) < 0)
			return rc;
		if (prod) {
			char pp[CSAF_PATH + 16];
			snprintf(pp, sizeof(pp), "%s.product", path);
			if ((rc = csaf_product(ids, prod, pp)) < 0)
				return rc;
		}
		if ((rc = csaf_branches(ids, b, path, depth + 1)) < 0)
			return rc;
	}
	return 0;
}

static int csaf_tree(json_t *ids, json_t *doc)
{
	json_t *tree, *names, *rels;
	char path[CSAF_PATH];
	int rc;

	if ((rc = vigil_json_obj(doc, "", "product_tree", 0, &tree)) < 0 || !tree ||
	    (rc = csaf_branches(ids, tree, "product_tree", 0)) < 0 ||
	    (rc = vigil_json_arr(tree, "product_tree", "full_product_names", 0, VIGIL_VEX_MAX_PRODUCTS, &names)) < 0 ||
	    (rc = vigil_json_arr(tree, "product_tree", "relationships", 0, VIGIL_VEX_MAX_PRODUCTS, &rels)) < 0)
		return rc;
	for (size_t i = 0; names && i < json_array_size(names); i++) {
		snprintf(path, sizeof(path), "product_tree.full_product_names[%zu]", i);
		if ((rc = csaf_product(ids, json_array_get(names, i), path)) < 0)
			return rc;
	}
	for (size_t i = 0; rels && i < json_array_size(rels); i++) {
		json_t *r = json_array_get(rels, i), *fpn;
		vigil_slice ref, id;
		snprintf(path, sizeof(path), "product_tree.relationships[%zu]", i);
		if ((rc = vigil_json_obj(r, path, "full_product_name", VIGIL_JSON_REQUIRED, &fpn)) < 0 ||
		    (rc = vigil_json_str(r, path, "product_reference", VIGIL_JSON_REQUIRED, 1024, &ref)) < 0 ||
		    (rc = vigil_json_str(fpn, path, "product_id", VIGIL_JSON_REQUIRED, 1024, &id)) < 0)
			return rc;
		json_t *purl = json_object_getn(ids, ref.ptr, ref.len);
		if (json_object_size(ids) >= VIGIL_VEX_MAX_PRODUCTS)
			return vigil_error_set(VIGIL_ELIMIT, "%s: more than %d products", path, VIGIL_VEX_MAX_PRODUCTS);
		if (json_object_setn_new(ids, id.ptr, id.len, purl ? json_copy(purl) : json_string("")) < 0)
			return vigil_error_oom();
	}
	return 0;
}

/* The justification of product pid: its flag's label, else its impact threat's details. */
static const char *csaf_why(json_t *vuln, const char *pid)
{
	static const char *const keys[] = { "flags", "threats" };
	for (size_t k = 0; k < 2; k++) {
		json_t *arr = json_object_get(vuln, keys[k]);
		for (size_t i = 0; json_is_array(arr) && i < json_array_size(arr); i++) {
			json_t *e = json_array_get(arr, i), *pids = json_object_get(e, "product_ids");
			const char *what = json_string_value(json_object_get(e, k == 0 ? "label" : "details"));
			if (k == 1 && strcmp(json_string_value(json_object_get(e, "category")) ?: "", "impact"))
				continue;
			for (size_t j = 0; what && json_is_array(pids) && j < json_array_size(pids); j++)
				if (!strcmp(json_string_value(json_array_get(pids, j)) ?: "", pid))
					return what;
		}
	}
	return NULL;
}

static int csaf_ids(vex_doc *d, json_t *v, const char *where, vex_stmt *s)
{
	vigil_slice cve;
	json_t *ids;
	int rc;
	if ((rc = vigil_json_str(v, where, "cve", VIGIL_JSON_TRIM, 256, &cve)) < 0 ||
	    (rc = vigil_json_arr(v, where, "ids", 0, VIGIL_VEX_MAX_IDS - 1, &ids)) < 0)
		return rc;
	if (!(s->ids = calloc(1 + (ids ? json_array_size(ids) : 0), sizeof(*s->ids))))
		return vigil_error_oom();
	if (cve.len && !(s->ids[s->nids++] = vex_str(d, cve)))
		return vigil_error_or_oom();
	for (size_t i = 0; ids && i < json_array_size(ids); i++) {
		char path[CSAF_PATH];
		vigil_slice t;
		snprintf(path, sizeof(path), "%s.ids[%zu]", where, i);
		if ((rc = vigil_json_str(json_array_get(ids, i), path, "text", VIGIL_JSON_TRIM, 256, &t)) < 0)
			return rc;
		if (t.len && !(s->ids[s->nids++] = vex_str(d, t)))
			return vigil_error_or_oom();
	}
	return 0;
}

/* One statement per product of one status list. */
static int csaf_list(vex_doc *d, json_t *ids, json_t *v, const vex_stmt *base, json_t *list, const char *path,
		     const char *status)
{
	int rc;
	for (size_t i = 0; json_is_array(list) && i < json_array_size(list); i++) {
		char where[CSAF_PATH + 128];
		json_t *pid = json_array_get(list, i);
		snprintf(where, sizeof(where), "%s[%zu]", path, i);
		if (!json_is_string(pid))
			return vigil_error_set(VIGIL_EFORMAT, "%s: not a string", where);
		json_t *purl = json_object_get(ids, json_string_value(pid));
		if (!purl)
			return vigil_error_set(VIGIL_EFORMAT, "%s: product \"%.100s\" is not in the product_tree", where,
					       json_string_value(pid));
		vex_stmt s = *base;
		vex_product pr;
		if ((rc = vex_product_of(d, vigil_slice_make(json_string_value(purl), json_string_length(purl)), &pr)) < 0) {
			vigil_error_prefix("%s: ", where);
			return rc;
		}
		const char *why = csaf_why(v, json_string_value(pid));
		s.products = &pr;
		s.nproducts = 1;
		s.status = status;
		if (why && !(s.justification = vex_cstr(d, why)))
			return vigil_error_or_oom();
		if ((rc = vex_stmt_add(d, &s, where)) < 0)
			return rc;
	}
	return 0;
}

static int csaf_vuln(vex_doc *d, json_t *ids, json_t *v, const char *where, int64_t ts)
{
	static const struct {
		const char *key, *status;
	} lists[] = { { "known_not_affected", VEX_NOT_AFFECTED }, { "fixed", VEX_FIXED },
		      { "first_fixed", VEX_FIXED },		   { "known_affected", VEX_AFFECTED },
		      { "under_investigation", VEX_UNDER_INVESTIGATION } };
	vex_stmt base = { .ts = ts };
	json_t *ps;
	char path[CSAF_PATH + 64];
	int rc;

	if ((rc = vigil_json_want(v, JSON_OBJECT, where)) < 0 ||
	    (rc = vigil_json_obj(v, where, "product_status", 0, &ps)) < 0 || (rc = csaf_ids(d, v, where, &base)) < 0)
		goto out;
	if (!base.nids) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: neither cve nor ids", where);
		goto out;
	}
	for (size_t k = 0; ps && k < sizeof(lists) / sizeof(lists[0]); k++) {
		json_t *list;
		if ((rc = vigil_json_arr(ps, where, lists[k].key, 0, VIGIL_VEX_MAX_PRODUCTS, &list)) < 0)
			goto out;
		snprintf(path, sizeof(path), "%s.product_status.%s", where, lists[k].key);
		if ((rc = csaf_list(d, ids, v, &base, list, path, lists[k].status)) < 0)
			goto out;
	}
out:
	free(base.ids);
	return rc;
}

int vex_csaf_read(vex_doc *d, json_t *doc)
{
	json_t *ids = json_object(), *vulns, *meta, *tracking;
	vigil_slice ts;
	char where[64];
	int rc;

	if (!ids)
		return vigil_error_oom();
	if ((rc = vigil_json_obj(doc, "", "document", VIGIL_JSON_REQUIRED, &meta)) < 0 ||
	    (rc = vigil_json_obj(meta, "document", "tracking", 0, &tracking)) < 0 ||
	    (rc = vigil_json_str(tracking, "document.tracking", "current_release_date", 0, 64, &ts)) < 0 ||
	    (rc = vigil_json_arr(doc, "", "vulnerabilities", VIGIL_JSON_REQUIRED, VIGIL_VEX_MAX_STATEMENTS, &vulns)) < 0 ||
	    (rc = csaf_tree(ids, doc)) < 0)
		goto out;
	for (size_t i = 0; i < json_array_size(vulns); i++) {
		snprintf(where, sizeof(where), "vulnerabilities[%zu]", i);
		if ((rc = csaf_vuln(d, ids, json_array_get(vulns, i), where, vex_time(ts))) < 0)
			goto out;
	}
out:
	json_decref(ids);
	return rc;
}
