/* report/spdx.c: an inventory as an SPDX 2.3 JSON document
 * (spdx-schema-2.3.json), shaped as syft and Trivy write theirs:
 *
 *   { spdxVersion "SPDX-2.3", dataLicense "CC0-1.0", SPDXID
 *     "SPDXRef-DOCUMENT", name (the image), documentNamespace
 *     "https://vigil.invalid/spdx/<image>-<uuid>" (the reserved .invalid
 *     domain: a unique name that never resolves; the UUID is a hash of
 *     the document, sbom_out.h), creationInfo { created, creators
 *     ["Tool: vigil-<version>"] },
 *     packages: [ the image (primaryPackagePurpose CONTAINER, versionInfo
 *       the manifest digest, its purl for a registry image), the operating
 *       system (OPERATING_SYSTEM, the JSON schema's spelling; Trivy writes
 *       OPERATING-SYSTEM and reads both; name = os-release ID, versionInfo =
 *       VERSION_ID, as Trivy writes it), every package (LIBRARY, SPDXID
 *       SPDXRef-Package-<purl type>-<name>-<hash>, versionInfo, the purl
 *       as a PACKAGE-MANAGER external reference, sourceInfo naming the
 *       package database and the layer, licenseDeclared when the license
 *       is a valid SPDX expression, NOASSERTION otherwise) ],
 *     relationships: [ DOCUMENT DESCRIBES image, image CONTAINS the OS
 *       and each package ] }
 *
 * SPDX 2.3 has no place for findings: `vigil scan --format spdx` writes
 * the inventory only (CycloneDX carries the vulnerabilities). An SPDX id
 * keeps only [A-Za-z0-9.-]; the hash (of the package's unique bom-ref)
 * keeps two packages of one name apart. */
#include "report/report_priv.h"
#include "report/sbom_out.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/map.h"
#include "vigil/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* s with every byte outside [A-Za-z0-9.-] as '-', at most max bytes. */
static int put_idstring(vigil_buf *b, const char *s, size_t max)
{
	int rc = 0;
	for (size_t i = 0; s && s[i] && i < max; i++) {
		char c = s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
		rc |= vigil_buf_putc(b, ok ? c : '-');
	}
	return rc;
}

static const char *purl_type(const struct sbom_pkg *k)
{
	static const char *const os[] = { [VIGIL_PKG_DPKG] = "deb", [VIGIL_PKG_APK] = "apk", [VIGIL_PKG_RPM] = "rpm" };
	if ((unsigned)k->p->type < sizeof(os) / sizeof(os[0]) && os[k->p->type])
		return os[k->p->type];
	return vigil_pkg_type_name(k->p->type);
}

/* The SPDX ids of the packages, unique: a clash of the 64-bit hash (or
 * of the cut names) gets the package's place appended. */
static int package_ids(const struct sbom_inv *v, char **ids)
{
	vigil_map seen = { 0 };
	vigil_buf b;
	int rc = 0;
	for (size_t i = 0; i < v->n && rc == 0; i++) {
		const struct sbom_pkg *k = &v->pkgs[i];
		uint64_t h = vigil_hash_bytes(k->ref, strlen(k->ref));
		vigil_buf_init(&b, 64 + 2 * SBOM_SPDXID_NAME_MAX);
		rc |= vigil_buf_puts(&b, "SPDXRef-Package-");
		rc |= put_idstring(&b, purl_type(k), SBOM_SPDXID_NAME_MAX);
		rc |= vigil_buf_putc(&b, '-');
		rc |= put_idstring(&b, k->p->name, SBOM_SPDXID_NAME_MAX);
		rc |= vigil_buf_printf(&b, "-%016llx", (unsigned long long)h);
		if (rc == 0 && vigil_map_get(&seen, b.data, b.len))
			rc = vigil_buf_printf(&b, "-%zu", i + 1);
		if (rc) {
			vigil_buf_free(&b);
			rc = vigil_error_or_oom();
			break;
		}
		ids[i] = vigil_buf_detach(&b, NULL);
		rc = vigil_map_set_cstr(&seen, ids[i], ids[i]);
	}
	vigil_map_free(&seen);
	return rc;
}

static json_t *relationship(const char *from, const char *type, const char *to)
{
	return json_pack("{s:o,s:o,s:s}", "spdxElementId", report_jstr(from), "relatedSpdxElement", report_jstr(to),
			 "relationshipType", type);
}

static json_t *purl_ref(const char *purl)
{
	return json_pack("[{s:s,s:s,s:o}]", "referenceCategory", "PACKAGE-MANAGER", "referenceType", "purl",
			 "referenceLocator", report_jstr(purl));
}

/* The members every package of the document has. */
static json_t *package(const char *name, const char *id, const char *version, const char *license)
{
	json_t *p = json_object();
	if (!p)
		return NULL;
	json_object_set_new(p, "name", report_jstr(name));
	json_object_set_new(p, "SPDXID", report_jstr(id));
	if (version)
		json_object_set_new(p, "versionInfo", report_jstr(version));
	json_object_set_new(p, "downloadLocation", json_string("NOASSERTION"));
	json_object_set_new(p, "filesAnalyzed", json_false());
	json_object_set_new(p, "licenseConcluded", json_string("NOASSERTION"));
	json_object_set_new(p, "licenseDeclared", report_jstr(license ? license : "NOASSERTION"));
	json_object_set_new(p, "copyrightText", json_string("NOASSERTION"));
	return p;
}

static json_t *lib_package(const vigil_index_report *r, const struct sbom_pkg *k, const char *id)
{
	const vigil_package *q = k->p;
	json_t *p = package(q->name, id, q->version, k->license);
	vigil_buf si;
	long layer = sbom_layer_index(r, q);
	if (!p)
		return NULL;
	vigil_buf_init(&si, 8192);
	vigil_buf_printf(&si, "acquired package info from %s %s", vigil_pkg_type_name(q->type),
			 q->package_db ? q->package_db : "(unknown file)");
	if (q->introduced_in)
		vigil_buf_printf(&si, " in layer %s", q->introduced_in);
	if (layer >= 0 && r->layers[layer].created_by)
		vigil_buf_printf(&si, " (%s)", r->layers[layer].created_by);
	json_object_set_new(p, "sourceInfo", report_jstr(vigil_buf_cstr(&si)));
	vigil_buf_free(&si);
	if (k->purl)
		json_object_set_new(p, "externalRefs", purl_ref(k->purl));
	json_object_set_new(p, "primaryPackagePurpose", json_string("LIBRARY"));
	return p;
}

struct spdx_doc {
	json_t *pkgs, *rels;
	char *image_id, *os_id;
};

static int add_top(const vigil_report_input *in, const struct sbom_inv *v, struct spdx_doc *d)
{
	const vigil_index_report *r = in->index;
	const vigil_distribution *dist = r->distribution;
	vigil_buf b;
	json_t *p;
	int rc = 0;

	vigil_buf_init(&b, 64 + SBOM_SPDXID_NAME_MAX);
	rc |= vigil_buf_puts(&b, "SPDXRef-DocumentRoot-Image-");
	rc |= put_idstring(&b, in->image, SBOM_SPDXID_NAME_MAX);
	if (rc || !(d->image_id = vigil_buf_detach(&b, NULL)))
		goto oom;
	if (!(p = package(in->image, d->image_id, r->manifest_hash, NULL)))
		goto oom;
	if (v->image_purl)
		json_object_set_new(p, "externalRefs", purl_ref(v->image_purl));
	json_object_set_new(p, "primaryPackagePurpose", json_string("CONTAINER"));
	json_array_append_new(d->pkgs, p);
	json_array_append_new(d->rels, relationship("SPDXRef-DOCUMENT", "DESCRIBES", d->image_id));
	if (!dist)
		return 0;
	vigil_buf_init(&b, 64 + 2 * SBOM_SPDXID_NAME_MAX);
	rc |= vigil_buf_puts(&b, "SPDXRef-OperatingSystem-");
	rc |= put_idstring(&b, dist->did ? dist->did : "unknown", SBOM_SPDXID_NAME_MAX);
	rc |= vigil_buf_putc(&b, '-');
	rc |= put_idstring(&b, dist->version_id ? dist->version_id : "unknown", SBOM_SPDXID_NAME_MAX);
	if (rc || !(d->os_id = vigil_buf_detach(&b, NULL)))
		goto oom;
	if (!(p = package(dist->did ? dist->did : "unknown", d->os_id, dist->version_id, NULL)))
		goto oom;
	if (dist->pretty_name)
		json_object_set_new(p, "description", report_jstr(dist->pretty_name));
	json_object_set_new(p, "primaryPackagePurpose", json_string("OPERATING_SYSTEM"));
	json_array_append_new(d->pkgs, p);
	json_array_append_new(d->rels, relationship(d->image_id, "CONTAINS", d->os_id));
	return 0;
oom:
	vigil_buf_free(&b);
	return vigil_error_or_oom();
}

static int build(const vigil_report_input *in, const vigil_report_options *o, const struct sbom_inv *v,
		 json_t *root)
{
	struct spdx_doc d = { .pkgs = json_array(), .rels = json_array() };
	char **ids = v->n ? calloc(v->n, sizeof(*ids)) : NULL;
	vigil_buf b;
	json_t *ci = json_object();
	int rc = 0;

	vigil_buf_init(&b, 4096);
	if (!d.pkgs || !d.rels || !ci || (v->n && !ids)) {
		rc = vigil_error_oom();
		goto out;
	}
	json_object_set_new(root, "spdxVersion", json_string("SPDX-2.3"));
	json_object_set_new(root, "dataLicense", json_string("CC0-1.0"));
	json_object_set_new(root, "SPDXID", json_string("SPDXRef-DOCUMENT"));
	json_object_set_new(root, "name", report_jstr(in->image));
	json_object_set_new(root, "documentNamespace", json_string("")); /* sbom_dump_with_uuid fills it */
	json_object_set_new(ci, "created", json_string(v->created));
	if (vigil_buf_printf(&b, "Tool: %s-%s", o->tool_name, vigil_version()) == 0)
		json_object_set_new(ci, "creators", json_pack("[o]", report_jstr(vigil_buf_cstr(&b))));
	json_object_set_new(root, "creationInfo", ci);
	ci = NULL;
	if ((rc = add_top(in, v, &d)) < 0 || (rc = package_ids(v, ids)) < 0)
		goto out;
	for (size_t i = 0; i < v->n; i++) {
		json_t *p = lib_package(in->index, &v->pkgs[i], ids[i]);
		if (!p || json_array_append_new(d.pkgs, p) < 0 ||
		    json_array_append_new(d.rels, relationship(d.image_id, "CONTAINS", ids[i])) < 0) {
			rc = vigil_error_oom();
			goto out;
		}
	}
	json_object_set_new(root, "packages", d.pkgs);
	json_object_set_new(root, "relationships", d.rels);
	d.pkgs = d.rels = NULL;
out:
	json_decref(d.pkgs), json_decref(d.rels), json_decref(ci);
	free(d.image_id), free(d.os_id);
	for (size_t i = 0; ids && i < v->n; i++)
		free(ids[i]);
	free(ids);
	vigil_buf_free(&b);
	return rc;
}

int report_write_spdx(const vigil_report_input *in, const vigil_report_options *o, char **out, size_t *len)
{
	struct sbom_inv v;
	json_t *root = NULL;
	vigil_buf prefix;
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = sbom_inv_init(&v, in, o)) < 0)
		return rc;
	vigil_buf_init(&prefix, 64 + SBOM_SPDXID_NAME_MAX);
	if (vigil_buf_puts(&prefix, "https://vigil.invalid/spdx/") < 0 ||
	    put_idstring(&prefix, in->image, SBOM_SPDXID_NAME_MAX) || vigil_buf_putc(&prefix, '-') < 0)
		rc = vigil_error_or_oom();
	else if (!(root = json_object()))
		rc = vigil_error_oom();
	else if ((rc = build(in, o, &v, root)) == 0)
		rc = sbom_dump_with_uuid(root, "documentNamespace", vigil_buf_cstr(&prefix), "", o->pretty, out, len);
	json_decref(root);
	vigil_buf_free(&prefix);
	sbom_inv_free(&v);
	return rc;
}
