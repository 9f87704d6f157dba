/* sbom/spdx.c: SPDX 2.2/2.3 JSON into sbom_add_purl() calls.
 *
 * Read: name; packages[]: the one whose primaryPackagePurpose is
 * OPERATING-SYSTEM is the distribution (Trivy writes it; syft does not,
 * the purls' distro= qualifier says it then); every other package's first
 * externalRefs[] entry of referenceType "purl" is a package. Hints:
 * Trivy's annotations ("LayerDiffID: sha256:...", "SrcName: x") and its
 * sourceInfo "built package from: NAME VERSION"; syft's sourceInfo
 * "acquired package info from ...: /path" (the package database);
 * vigil's "acquired package info from TYPE PATH in layer DIGEST". The OS
 * package's purpose is OPERATING-SYSTEM (Trivy) or OPERATING_SYSTEM (the
 * schema's spelling, vigil).
 * relationships[] is only held to its limit: matching needs no graph. */
#include "sbom/sbom_priv.h"
#include "util/error.h"
#include "util/json.h"
#include "vigil/purl.h"

#include <stdio.h>
#include <string.h>

#define SPDX_FIELD 64 /* bytes of "packages[N]" */

/* Trivy's annotation comments "Key: value" into hints (values in the arena). */
static int spdx_annotations(vigil_sbom *s, json_t *p, const char *path, sbom_hints *h)
{
	json_t *arr;
	char at[SPDX_FIELD + 96];
	int rc;

	if ((rc = vigil_json_arr(p, path, "annotations", 0, VIGIL_SBOM_MAX_PROPERTIES, &arr)) < 0)
		return rc;
	for (size_t i = 0; arr && i < json_array_size(arr); i++) {
		vigil_slice c, key, val;
		snprintf(at, sizeof(at), "%s.annotations[%zu]", path, i);
		if ((rc = vigil_json_str(json_array_get(arr, i), at, "comment", 0, VIGIL_SBOM_MAX_STRING, &c)) < 0)
			return rc;
		if (!vigil_slice_split(c, ':', &key, &val))
			continue;
		val = vigil_slice_trim(val);
		const char **slot = vigil_slice_eq_cstr(key, "LayerDiffID") ? &h->layer
				    : vigil_slice_eq_cstr(key, "SrcName")   ? &h->src_name
				    : vigil_slice_eq_cstr(key, "SrcVersion") ? &h->src_version
				    : vigil_slice_eq_cstr(key, "SrcRelease") ? &h->src_release
				    : vigil_slice_eq_cstr(key, "SrcEpoch")   ? &h->src_epoch
				    : vigil_slice_eq_cstr(key, "vigil:layer") ? &h->layer
									     : NULL;
		if (slot && !*slot && val.len && !(*slot = sbom_str(s, val)))
			return -1;
	}
	return 0;
}

/* vigil's "acquired package info from TYPE PATH in layer DIGEST (history)". */
static int spdx_vigil_source_info(vigil_sbom *s, vigil_slice si, sbom_hints *h)
{
	static const char from[] = "acquired package info from ";
	vigil_slice rest = vigil_slice_sub(si, strlen(from), si.len - strlen(from)), type, path, tail, digest;
	if (!vigil_slice_split(rest, ' ', &type, &rest) || !vigil_slice_split(rest, ' ', &path, &tail))
		path = rest, tail = vigil_slice_cstr("");
	if (!type.len)
		return 0;
	if (path.len && path.ptr[0] != '(' && !h->path && !(h->path = sbom_str(s, path)))
		return -1;
	if (vigil_slice_starts_with(tail, "in layer ")) {
		tail = vigil_slice_sub(tail, 9, tail.len - 9);
		if (!vigil_slice_split(tail, ' ', &digest, &tail))
			digest = tail;
		if (digest.len && !h->layer && !(h->layer = sbom_str(s, digest)))
			return -1;
	}
	return 0;
}

/* sourceInfo: Trivy's "built package from: NAME VERSION", syft's
 * "acquired package info from <what>: /path[, /path2]". */
static int spdx_source_info(vigil_sbom *s, json_t *p, const char *path, sbom_hints *h)
{
	static const char built[] = "built package from: ";
	vigil_slice si, head, tail;
	int rc;

	if ((rc = vigil_json_str(p, path, "sourceInfo", 0, VIGIL_SBOM_MAX_STRING, &si)) < 0)
		return rc;
	if (vigil_slice_starts_with(si, built)) {
		vigil_slice rest = vigil_slice_sub(si, strlen(built), si.len - strlen(built));
		if (!h->src_name && vigil_slice_split(rest, ' ', &head, &tail) && head.len && tail.len) {
			if (!(h->src_name = sbom_str(s, head)) || !(h->src_version = sbom_str(s, vigil_slice_trim(tail))))
				return -1;
		}
	} else if (vigil_slice_starts_with(si, "acquired package info from ")) {
		ptrdiff_t colon = vigil_slice_find(si, ':');
		int syft = colon > 0 && (size_t)colon + 2 < si.len && si.ptr[colon + 1] == ' ' && si.ptr[colon + 2] == '/';
		if (!syft)
			return spdx_vigil_source_info(s, si, h);
		if (!h->path) {
			vigil_slice rest = vigil_slice_sub(si, (size_t)colon + 2, si.len - (size_t)colon - 2);
			if (vigil_slice_split(rest, ',', &head, &tail))
				rest = head;
			if (!(h->path = sbom_str(s, vigil_slice_trim(rest))))
				return -1;
		}
	}
	return 0;
}

static int spdx_package(vigil_sbom *s, json_t *p, const char *path)
{
	vigil_slice purpose, name, version, purl = { "", 0 };
	json_t *refs;
	char at[SPDX_FIELD + 96];
	sbom_hints h;
	int rc;

	if ((rc = vigil_json_want(p, JSON_OBJECT, path)) < 0 || (rc = sbom_count(s, path)) < 0)
		return rc;
	if ((rc = vigil_json_str(p, path, "primaryPackagePurpose", 0, 64, &purpose)) < 0 ||
	    (rc = vigil_json_str(p, path, "name", VIGIL_JSON_TRIM, VIGIL_SBOM_MAX_STRING, &name)) < 0 ||
	    (rc = vigil_json_str(p, path, "versionInfo", VIGIL_JSON_TRIM, VIGIL_SBOM_MAX_STRING, &version)) < 0)
		return rc;
	if (vigil_slice_eq_cstr(purpose, "OPERATING-SYSTEM") || vigil_slice_eq_cstr(purpose, "OPERATING_SYSTEM"))
		return sbom_set_os(s, name, version, vigil_slice_cstr(""));
	if ((rc = vigil_json_arr(p, path, "externalRefs", 0, VIGIL_SBOM_MAX_PROPERTIES, &refs)) < 0)
		return rc;
	for (size_t i = 0; refs && i < json_array_size(refs) && !purl.len; i++) {
		vigil_slice type;
		json_t *r = json_array_get(refs, i);
		snprintf(at, sizeof(at), "%s.externalRefs[%zu]", path, i);
		if ((rc = vigil_json_str(r, at, "referenceType", 0, 64, &type)) < 0)
			return rc;
		if (vigil_slice_eq_cstr(type, "purl") &&
		    (rc = vigil_json_str(r, at, "referenceLocator", VIGIL_JSON_TRIM | VIGIL_JSON_REQUIRED,
					 VIGIL_PURL_MAX_LEN, &purl)) < 0)
			return rc;
		if (purl.len)
			snprintf(at + strlen(at), sizeof(at) - strlen(at), ".referenceLocator");
	}
	if (!purl.len) {
		s->skipped++;
		return 0;
	}
	memset(&h, 0, sizeof(h));
	h.name = name.len ? sbom_str(s, name) : NULL;
	if ((rc = spdx_annotations(s, p, path, &h)) < 0 || (rc = spdx_source_info(s, p, path, &h)) < 0)
		return rc;
	return sbom_add_purl(s, purl, &h, at);
}

int sbom_spdx_read(vigil_sbom *s, json_t *doc)
{
	vigil_slice ver, name;
	json_t *pkgs, *rels;
	char path[SPDX_FIELD];
	int rc;

	if ((rc = vigil_json_str(doc, "", "spdxVersion", VIGIL_JSON_REQUIRED, 16, &ver)) < 0)
		return rc;
	if (!vigil_slice_eq_cstr(ver, "SPDX-2.2") && !vigil_slice_eq_cstr(ver, "SPDX-2.3"))
		return vigil_error_set(VIGIL_EUNSUPPORTED, "spdxVersion: \"%.*s\" (vigil reads SPDX-2.2 and SPDX-2.3)",
				       (int)ver.len, ver.ptr);
	if (!(s->format = sbom_str(s, ver)))
		return -1;
	if ((rc = vigil_json_str(doc, "", "name", 0, VIGIL_SBOM_MAX_STRING, &name)) < 0)
		return rc;
	if (name.len && !(s->name = sbom_str(s, name)))
		return -1;
	if ((rc = vigil_json_arr(doc, "", "relationships", 0, VIGIL_SBOM_MAX_RELATIONS, &rels)) < 0 ||
	    (rc = vigil_json_arr(doc, "", "packages", 0, VIGIL_SBOM_MAX_COMPONENTS, &pkgs)) < 0)
		return rc;
	for (size_t i = 0; pkgs && i < json_array_size(pkgs); i++) {
		snprintf(path, sizeof(path), "packages[%zu]", i);
		if ((rc = spdx_package(s, json_array_get(pkgs, i), path)) < 0)
			return rc;
	}
	return 0;
}
