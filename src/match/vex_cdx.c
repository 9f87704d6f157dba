/* match/vex_cdx.c: CycloneDX VEX (a BOM with vulnerabilities[], 1.4 and
 * later) into statements (match/vex_priv.h).
 *
 *   {"bomFormat": "CycloneDX", "specVersion": "1.6",
 *    "components": [{"bom-ref": "busybox", "purl": "pkg:apk/alpine/busybox@1.24.2-r9"}],
 *    "vulnerabilities": [{"id": "CVE-2016-6301", "references": [{"id": "GHSA-..."}],
 *        "analysis": {"state": "not_affected", "justification": "code_not_reachable", "detail": "..."},
 *        "affects": [{"ref": "busybox"}]}]}
 *
 * affects[].ref is a bom-ref of the document's components (nested ones
 * too), a purl, or "urn:cdx:SERIAL/VERSION#bom-ref" (a ref into another
 * BOM: the part after '#' is looked up, else taken as a purl); the
 * metadata.component's bom-ref is the whole image. A ref that resolves to
 * nothing is an error. States: not_affected and false_positive are
 * "not_affected", resolved and resolved_with_pedigree "fixed"; exploitable
 * and in_triage are kept (as "affected", "under_investigation") so that a
 * newer statement can undo an older suppression. */
#include "match/vex_priv.h"
#include "util/error.h"
#include "util/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CDX_PATH 512

struct refs {
	json_t *map;        /* bom-ref -> purl string (a jansson object: keys copied, no cap beyond the components') */
	const char *top;    /* metadata.component's bom-ref */
};

static int cdx_collect(json_t *parent, const char *ppath, int depth, struct refs *r)
{
	json_t *arr;
	char path[CDX_PATH];
	int rc;

	if ((rc = vigil_json_arr(parent, ppath, "components", 0, VIGIL_VEX_MAX_PRODUCTS, &arr)) < 0 || !arr)
		return rc;
	if (depth > VIGIL_VEX_MAX_DEPTH)
		return vigil_error_set(VIGIL_ELIMIT, "%s.components: nested deeper than %d levels", ppath,
				       VIGIL_VEX_MAX_DEPTH);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *c = json_array_get(arr, i);
		vigil_slice ref, purl;
		snprintf(path, sizeof(path), "%s%scomponents[%zu]", ppath, *ppath ? "." : "", i);
		if ((rc = vigil_json_str(c, path, "bom-ref", 0, VIGIL_VEX_MAX_STRING, &ref)) < 0 ||
		    (rc = vigil_json_str(c, path, "purl", VIGIL_JSON_TRIM, VIGIL_VEX_MAX_STRING, &purl)) < 0)
			return rc;
		if (json_object_size(r->map) >= VIGIL_VEX_MAX_PRODUCTS)
			return vigil_error_set(VIGIL_ELIMIT, "%s: more than %d components", path, VIGIL_VEX_MAX_PRODUCTS);
		if (ref.len && purl.len && json_object_set_new(r->map, ref.ptr, json_stringn(purl.ptr, purl.len)) < 0)
			return vigil_error_oom();
		if ((rc = cdx_collect(c, path, depth + 1, r)) < 0)
			return rc;
	}
	return 0;
}

static const char *cdx_status(vigil_slice s)
{
	if (vigil_slice_eq_cstr(s, "not_affected") || vigil_slice_eq_cstr(s, "false_positive"))
		return VEX_NOT_AFFECTED;
	if (vigil_slice_eq_cstr(s, "resolved") || vigil_slice_eq_cstr(s, "resolved_with_pedigree"))
		return VEX_FIXED;
	if (vigil_slice_eq_cstr(s, "exploitable"))
		return VEX_AFFECTED;
	if (vigil_slice_eq_cstr(s, "in_triage"))
		return VEX_UNDER_INVESTIGATION;
	return NULL;
}

/* ref -> a product: a bom-ref of the document, a purl, or the image. */
static int cdx_product(vex_doc *d, const struct refs *r, vigil_slice ref, const char *path, vex_product *out)
{
	const char *hash = memchr(ref.ptr, '#', ref.len);
	vigil_slice key = ref;
	if (vigil_slice_starts_with(ref, "urn:cdx:") && hash)
		key = vigil_slice_make(hash + 1, ref.len - (size_t)(hash + 1 - ref.ptr));
	if (r->top && vigil_slice_eq_cstr(key, r->top)) {
		memset(out, 0, sizeof(*out));
		out->any = 1;
		return 0;
	}
	json_t *purl = json_object_getn(r->map, key.ptr, key.len);
	vigil_slice id = purl ? vigil_slice_make(json_string_value(purl), json_string_length(purl)) : key;
	if (!vigil_slice_starts_with(id, "pkg:"))
		return vigil_error_set(VIGIL_EFORMAT, "%s: \"%.*s\" is neither a bom-ref of the document's components nor a purl",
				       path, (int)(ref.len > 200 ? 200 : ref.len), ref.ptr);
	int rc = vex_product_of(d, id, out);
	if (rc < 0)
		vigil_error_prefix("%s: ", path);
	return rc;
}

static int cdx_ids(vex_doc *d, json_t *v, const char *where, vex_stmt *s)
{
	vigil_slice id;
	json_t *refs;
	int rc;

	if ((rc = vigil_json_str(v, where, "id", VIGIL_JSON_REQUIRED | VIGIL_JSON_TRIM, 256, &id)) < 0 ||
	    (rc = vigil_json_arr(v, where, "references", 0, VIGIL_VEX_MAX_IDS - 1, &refs)) < 0)
		return rc;
	if (!(s->ids = calloc(1 + (refs ? json_array_size(refs) : 0), sizeof(*s->ids))))
		return vigil_error_oom();
	if (!(s->ids[s->nids++] = vex_str(d, id)))
		return vigil_error_or_oom();
	for (size_t i = 0; refs && i < json_array_size(refs); i++) {
		char path[CDX_PATH];
		vigil_slice rid;
		snprintf(path, sizeof(path), "%s.references[%zu]", where, i);
		if ((rc = vigil_json_str(json_array_get(refs, i), path, "id", VIGIL_JSON_TRIM, 256, &rid)) < 0)
			return rc;
		if (rid.len && !(s->ids[s->nids++] = vex_str(d, rid)))
			return vigil_error_or_oom();
	}
	return 0;
}

static int cdx_vuln(vex_doc *d, const struct refs *r, json_t *v, const char *where)
{
	vex_stmt s = { 0 };
	json_t *analysis, *affects;
	vigil_slice state, just, detail, updated;
	char path[CDX_PATH];
	int rc;

	if ((rc = vigil_json_want(v, JSON_OBJECT, where)) < 0 ||
	    (rc = vigil_json_obj(v, where, "analysis", 0, &analysis)) < 0 ||
	    (rc = vigil_json_arr(v, where, "affects", 0, VIGIL_VEX_MAX_PRODUCTS, &affects)) < 0)
		return rc;
	snprintf(path, sizeof(path), "%s.analysis", where);
	if ((rc = vigil_json_str(analysis, path, "state", 0, 64, &state)) < 0 ||
	    (rc = vigil_json_str(analysis, path, "justification", 0, 256, &just)) < 0 ||
	    (rc = vigil_json_str(analysis, path, "detail", 0, VIGIL_VEX_MAX_STRING, &detail)) < 0 ||
	    (rc = vigil_json_str(analysis, path, "lastUpdated", 0, 64, &updated)) < 0)
		return rc;
	if (!analysis || !state.len)
		return 0; /* a vulnerability without analysis (an SBOM's findings) says nothing */
	if (!(s.status = cdx_status(state)))
		return vigil_error_set(VIGIL_EFORMAT, "%s.state: \"%.*s\" is not a CycloneDX analysis state", path,
				       (int)(state.len > 64 ? 64 : state.len), state.ptr);
	if ((rc = cdx_ids(d, v, where, &s)) < 0)
		goto out;
	if (affects && json_array_size(affects) &&
	    !(s.products = calloc(json_array_size(affects), sizeof(*s.products)))) {
		rc = vigil_error_oom();
		goto out;
	}
	for (size_t i = 0; affects && i < json_array_size(affects); i++) {
		vigil_slice ref;
		snprintf(path, sizeof(path), "%s.affects[%zu]", where, i);
		if ((rc = vigil_json_str(json_array_get(affects, i), path, "ref", VIGIL_JSON_REQUIRED | VIGIL_JSON_TRIM,
					 VIGIL_VEX_MAX_STRING, &ref)) < 0)
			goto out;
		snprintf(path + strlen(path), sizeof(path) - strlen(path), ".ref");
		if ((rc = cdx_product(d, r, ref, path, &s.products[s.nproducts])) < 0)
			goto out;
		s.nproducts++;
	}
	if ((just.len || detail.len) && !(s.justification = vex_str(d, just.len ? just : detail))) {
		rc = vigil_error_or_oom();
		goto out;
	}
	s.ts = vex_time(updated);
	rc = vex_stmt_add(d, &s, where);
out:
	free(s.ids);
	free(s.products);
	return rc;
}

int vex_cdx_read(vex_doc *d, json_t *doc)
{
	struct refs r = { .map = json_object(), .top = NULL };
	json_t *vulns, *meta, *comp;
	vigil_slice fmt, top;
	char where[64];
	int rc;

	if (!r.map)
		return vigil_error_oom();
	if ((rc = vigil_json_str(doc, "", "bomFormat", VIGIL_JSON_REQUIRED, 64, &fmt)) < 0)
		goto out;
	if (!vigil_slice_eq_cstr(fmt, "CycloneDX")) {
		rc = vigil_error_set(VIGIL_EFORMAT, "bomFormat: not CycloneDX");
		goto out;
	}
	if ((rc = vigil_json_arr(doc, "", "vulnerabilities", VIGIL_JSON_REQUIRED, VIGIL_VEX_MAX_STATEMENTS, &vulns)) < 0 ||
	    (rc = vigil_json_obj(doc, "", "metadata", 0, &meta)) < 0 ||
	    (rc = vigil_json_obj(meta, "metadata", "component", 0, &comp)) < 0 ||
	    (rc = vigil_json_str(comp, "metadata.component", "bom-ref", 0, VIGIL_VEX_MAX_STRING, &top)) < 0 ||
	    (rc = cdx_collect(doc, "", 0, &r)) < 0)
		goto out;
	r.top = top.len ? top.ptr : NULL;
	for (size_t i = 0; i < json_array_size(vulns); i++) {
		snprintf(where, sizeof(where), "vulnerabilities[%zu]", i);
		if ((rc = cdx_vuln(d, &r, json_array_get(vulns, i), where)) < 0)
			goto out;
	}
out:
	json_decref(r.map);
	return rc;
}
