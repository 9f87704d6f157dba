/* match/vex_openvex.c: OpenVEX (v0.2.0, and v0.0.x's string forms) into
 * statements (match/vex_priv.h).
 *
 *   {"@context": "https://openvex.dev/ns/v0.2.0", "timestamp": ...,
 *    "statements": [{"vulnerability": {"name": "CVE-...", "aliases": [...]},
 *                    "products": [{"@id": "pkg:apk/alpine/busybox@1.24.2-r9",
 *                                  "subcomponents": [{"@id": "pkg:..."}]}],
 *                    "status": "not_affected", "justification": ..., "timestamp": ...}]}
 *
 * A product's purl is its "@id" or identifiers.purl; a product that is no
 * package (an image reference, pkg:oci) covers the whole image being
 * scanned; a product with subcomponents narrows to them. A statement's time is its own
 * timestamp, else the document's; the newest wins at lookup. */
#include "match/vex_priv.h"
#include "util/error.h"
#include "util/grow.h"
#include "util/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OV_PATH 96

/* The purl (or other @id) of a product or subcomponent p (an object or, v0.0.x, a string). */
static int ov_id(json_t *p, const char *path, vigil_slice *id)
{
	json_t *idents;
	vigil_slice purl;
	int rc;

	if (json_is_string(p)) {
		*id = vigil_slice_make(json_string_value(p), json_string_length(p));
		return 0;
	}
	if ((rc = vigil_json_want(p, JSON_OBJECT, path)) < 0 ||
	    (rc = vigil_json_str(p, path, "@id", VIGIL_JSON_TRIM, VIGIL_VEX_MAX_STRING, id)) < 0 ||
	    (rc = vigil_json_obj(p, path, "identifiers", 0, &idents)) < 0 ||
	    (rc = vigil_json_str(idents, path, "purl", VIGIL_JSON_TRIM, VIGIL_VEX_MAX_STRING, &purl)) < 0)
		return rc;
	if (purl.len && !vigil_slice_starts_with(*id, "pkg:"))
		*id = purl;
	if (!id->len)
		return vigil_error_set(VIGIL_EFORMAT, "%s: neither @id nor identifiers.purl", path);
	return 0;
}

static int push_product(vex_doc *d, vigil_slice id, const char *path, vex_product **arr, size_t *n, size_t *alloc)
{
	int rc;
	if ((rc = vigil_grow((void **)arr, alloc, *n, sizeof(**arr), 4, VIGIL_VEX_MAX_PRODUCTS)) < 0 ||
	    (rc = vex_product_of(d, id, &(*arr)[*n])) < 0) {
		vigil_error_prefix("%s: ", path);
		return rc;
	}
	(*n)++;
	return 0;
}

static int ov_products(vex_doc *d, json_t *st, const char *where, vex_product **arr, size_t *n)
{
	json_t *prods;
	char path[OV_PATH + 64], sub[OV_PATH + 128];
	size_t alloc = 0;
	int rc;

	if ((rc = vigil_json_arr(st, where, "products", 0, VIGIL_VEX_MAX_PRODUCTS, &prods)) < 0)
		return rc;
	for (size_t i = 0; prods && i < json_array_size(prods); i++) {
		json_t *p = json_array_get(prods, i), *subs = NULL;
		vigil_slice id;
		snprintf(path, sizeof(path), "%s.products[%zu]", where, i);
		if ((rc = ov_id(p, path, &id)) < 0 ||
		    (rc = vigil_json_arr(p, path, "subcomponents", 0, VIGIL_VEX_MAX_PRODUCTS, &subs)) < 0)
			return rc;
		if (subs && json_array_size(subs)) { /* the statement is about these parts of the product */
			for (size_t j = 0; j < json_array_size(subs); j++) {
				vigil_slice sid;
				snprintf(sub, sizeof(sub), "%s.subcomponents[%zu]", path, j);
				if ((rc = ov_id(json_array_get(subs, j), sub, &sid)) < 0 ||
				    (rc = push_product(d, sid, sub, arr, n, &alloc)) < 0)
					return rc;
			}
		} else if ((rc = push_product(d, id, path, arr, n, &alloc)) < 0) {
			return rc;
		}
	}
	return 0;
}

/* vulnerability: {"name", "@id", "aliases"} or (v0.0.x) a string. */
static int ov_ids(vex_doc *d, json_t *st, const char *where, const char ***ids, size_t *n)
{
	json_t *v = json_object_get(st, "vulnerability"), *aliases = NULL;
	char path[OV_PATH + 32];
	size_t alloc = 0;
	int rc;

	snprintf(path, sizeof(path), "%s.vulnerability", where);
	const char *one[2] = { NULL, NULL };
	if (json_is_string(v)) {
		one[0] = json_string_value(v);
	} else {
		vigil_slice name, id;
		if ((rc = vigil_json_want(v, JSON_OBJECT, path)) < 0 ||
		    (rc = vigil_json_str(v, path, "name", VIGIL_JSON_TRIM, 256, &name)) < 0 ||
		    (rc = vigil_json_str(v, path, "@id", VIGIL_JSON_TRIM, 1024, &id)) < 0 ||
		    (rc = vigil_json_arr(v, path, "aliases", 0, VIGIL_VEX_MAX_IDS, &aliases)) < 0)
			return rc;
		one[0] = name.len ? name.ptr : NULL;
		one[1] = id.len ? id.ptr : NULL;
	}
	size_t total = 2 + (aliases ? json_array_size(aliases) : 0);
	for (size_t i = 0; i < total; i++) {
		json_t *a = i >= 2 ? json_array_get(aliases, i - 2) : NULL;
		const char *s = i < 2 ? one[i] : json_string_value(a);
		if (i >= 2 && !json_is_string(a))
			return vigil_error_set(VIGIL_EFORMAT, "%s.aliases[%zu]: not a string", path, i - 2);
		if (!s || !*s)
			continue;
		if ((rc = vigil_grow((void **)ids, &alloc, *n, sizeof(**ids), 4, VIGIL_VEX_MAX_IDS)) < 0)
			return rc;
		if (!((*ids)[(*n)++] = vex_cstr(d, s)))
			return vigil_error_or_oom();
	}
	return 0;
}

static const char *ov_status(vigil_slice s)
{
	return vigil_slice_eq_cstr(s, "not_affected")	     ? VEX_NOT_AFFECTED
	       : vigil_slice_eq_cstr(s, "fixed")	     ? VEX_FIXED
	       : vigil_slice_eq_cstr(s, "affected")	     ? VEX_AFFECTED
	       : vigil_slice_eq_cstr(s, "under_investigation") ? VEX_UNDER_INVESTIGATION
							     : NULL;
}

static int ov_statement(vex_doc *d, json_t *st, const char *where, int64_t doc_ts)
{
	vex_stmt s = { 0 };
	vigil_slice status, just, impact, ts;
	int rc;

	if ((rc = vigil_json_want(st, JSON_OBJECT, where)) < 0 ||
	    (rc = vigil_json_str(st, where, "status", VIGIL_JSON_REQUIRED, 64, &status)) < 0 ||
	    (rc = vigil_json_str(st, where, "justification", 0, 256, &just)) < 0 ||
	    (rc = vigil_json_str(st, where, "impact_statement", 0, VIGIL_VEX_MAX_STRING, &impact)) < 0 ||
	    (rc = vigil_json_str(st, where, "timestamp", 0, 64, &ts)) < 0)
		return rc;
	if (!(s.status = ov_status(status)))
		return vigil_error_set(VIGIL_EFORMAT, "%s.status: \"%.*s\" is not an OpenVEX status", where,
				       (int)(status.len > 64 ? 64 : status.len), status.ptr);
	if ((rc = ov_ids(d, st, where, (const char ***)&s.ids, &s.nids)) < 0 ||
	    (rc = ov_products(d, st, where, &s.products, &s.nproducts)) < 0)
		goto out;
	if (just.len || impact.len)
		s.justification = vex_str(d, just.len ? just : impact);
	if ((just.len || impact.len) && !s.justification) {
		rc = vigil_error_or_oom();
		goto out;
	}
	s.ts = ts.len ? vex_time(ts) : doc_ts;
	rc = vex_stmt_add(d, &s, where);
out:
	free(s.ids);
	free(s.products);
	return rc;
}

int vex_openvex_read(vex_doc *d, json_t *doc)
{
	vigil_slice ctx, ts;
	json_t *stmts;
	char where[OV_PATH];
	int rc;

	if ((rc = vigil_json_str(doc, "", "@context", VIGIL_JSON_REQUIRED, 256, &ctx)) < 0 ||
	    (rc = vigil_json_str(doc, "", "timestamp", 0, 64, &ts)) < 0 ||
	    (rc = vigil_json_arr(doc, "", "statements", VIGIL_JSON_REQUIRED, VIGIL_VEX_MAX_STATEMENTS, &stmts)) < 0)
		return rc;
	if (!vigil_slice_starts_with(ctx, "https://openvex.dev/ns"))
		return vigil_error_set(VIGIL_EFORMAT, "@context: \"%.*s\" is not OpenVEX's", (int)(ctx.len > 80 ? 80 : ctx.len),
				       ctx.ptr);
	int64_t doc_ts = vex_time(ts);
	for (size_t i = 0; i < json_array_size(stmts); i++) {
		snprintf(where, sizeof(where), "statements[%zu]", i);
		if ((rc = ov_statement(d, json_array_get(stmts, i), where, doc_ts)) < 0)
			return rc;
	}
	return 0;
}
