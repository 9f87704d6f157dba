/* report/cyclonedx.c: an inventory (and its findings, when there are any)
 * as a CycloneDX 1.6 JSON BOM (bom-1.6.schema.json), shaped as syft and
 * Trivy write theirs so that both read it back:
 *
 *   { "$schema", "bomFormat": "CycloneDX", "specVersion": "1.6",
 *     "serialNumber": "urn:uuid:<hash of the document>", "version": 1,
 *     "metadata": { timestamp, tools: { components: [vigil] },
 *        component: { the image: type container, name = the reference,
 *        version = the manifest digest, purl pkg:oci/... for a registry
 *        image, properties: each layer's digest and created_by } },
 *     "components": [ the operating system (type operating-system, name
 *        = os-release ID, version = VERSION_ID, as syft and Trivy write
 *        it), then every package (type library, bom-ref, name, version,
 *        purl, licenses, properties "vigil:...") ],
 *     "dependencies": [ image -> the OS and every package; OS -> its
 *        packages (Trivy takes a library below the OS component as an OS
 *        package); a package's own dependencies are not known, so none is
 *        listed ],
 *     "vulnerabilities": [ with vulnerability data only: cyclonedx_vulns.c ] }
 *
 * Property names (docs/scan.md has the table with syft's and Trivy's):
 * vigil:package:type, vigil:package_db, vigil:layer, vigil:source_name,
 * vigil:source_version, vigil:module, vigil:dev, vigil:os_owned,
 * vigil:owner; on the image vigil:layer:N:digest, vigil:layer:N:created_by
 * and vigil:warning. */
#include "report/report_priv.h"
#include "report/sbom_out.h"
#include "util/error.h"
#include "vigil/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CDX_SCHEMA "http://cyclonedx.org/schema/bom-1.6.schema.json"

static json_t *tools(const vigil_report_options *o)
{
	json_t *t = json_object(), *comps = json_array(), *c = json_object();
	if (!t || !comps || !c) {
		json_decref(t), json_decref(comps), json_decref(c);
		return NULL;
	}
	json_object_set_new(c, "type", json_string("application"));
	json_object_set_new(c, "name", report_jstr(o->tool_name));
	json_object_set_new(c, "version", report_jstr(vigil_version()));
	json_array_append_new(comps, c);
	json_object_set_new(t, "components", comps);
	return t;
}

static json_t *image_component(const vigil_report_input *in, const struct sbom_inv *v)
{
	const vigil_index_report *r = in->index;
	json_t *c = json_object(), *props = json_array();
	char key[64];
	if (!c || !props) {
		json_decref(c), json_decref(props);
		return NULL;
	}
	json_object_set_new(c, "bom-ref", report_jstr(v->image_ref));
	json_object_set_new(c, "type", json_string("container"));
	json_object_set_new(c, "name", report_jstr(in->image));
	if (r->manifest_hash)
		json_object_set_new(c, "version", report_jstr(r->manifest_hash));
	if (v->image_purl)
		json_object_set_new(c, "purl", report_jstr(v->image_purl));
	for (size_t i = 0; i < r->layer_count; i++) {
		snprintf(key, sizeof(key), "vigil:layer:%zu:digest", i);
		sbom_prop(props, key, r->layers[i].digest);
		snprintf(key, sizeof(key), "vigil:layer:%zu:created_by", i);
		sbom_prop(props, key, r->layers[i].created_by);
	}
	for (size_t i = 0; i < r->warning_count; i++)
		sbom_prop(props, "vigil:warning", r->warnings[i]);
	if (json_array_size(props))
		json_object_set_new(c, "properties", props);
	else
		json_decref(props);
	return c;
}

static json_t *os_component(const vigil_distribution *d, const struct sbom_inv *v)
{
	json_t *c = json_object(), *props = json_array();
	if (!c || !props) {
		json_decref(c), json_decref(props);
		return NULL;
	}
	json_object_set_new(c, "bom-ref", report_jstr(v->os_ref));
	json_object_set_new(c, "type", json_string("operating-system"));
	json_object_set_new(c, "name", report_jstr(d->did ? d->did : "unknown"));
	if (d->version_id)
		json_object_set_new(c, "version", report_jstr(d->version_id));
	if (d->pretty_name)
		json_object_set_new(c, "description", report_jstr(d->pretty_name));
	sbom_prop(props, "vigil:distro:name", d->name);
	sbom_prop(props, "vigil:distro:version", d->version);
	sbom_prop(props, "vigil:distro:version_code_name", d->version_code_name);
	sbom_prop(props, "vigil:distro:id_like", d->id_like);
	sbom_prop(props, "vigil:distro:cpe", d->cpe);
	sbom_prop(props, "vigil:distro:source_file", d->source_file);
	if (json_array_size(props))
		json_object_set_new(c, "properties", props);
	else
		json_decref(props);
	return c;
}

static json_t *licenses(const struct sbom_pkg *k)
{
	json_t *a = json_array(), *choice = json_object(), *lic = NULL;
	if (!a || !choice)
		goto oom;
	if (k->license && !k->license_single) {
		json_object_set_new(choice, "expression", report_jstr(k->license));
	} else {
		if (!(lic = json_object()))
			goto oom;
		/* license.id must be one of SPDX's ids; anything else is a name */
		json_object_set_new(lic, k->license ? "id" : "name", report_jstr(k->license ? k->license : k->p->license));
		json_object_set_new(choice, "license", lic);
	}
	json_array_append_new(a, choice);
	return a;
oom:
	json_decref(a), json_decref(choice);
	return NULL;
}

static json_t *package_component(const struct sbom_pkg *k)
{
	const vigil_package *p = k->p;
	json_t *c = json_object(), *props = json_array();
	if (!c || !props) {
		json_decref(c), json_decref(props);
		return NULL;
	}
	json_object_set_new(c, "bom-ref", report_jstr(k->ref));
	json_object_set_new(c, "type", json_string("library"));
	if (p->maintainer) {
		json_t *s = json_object();
		if (s) {
			json_object_set_new(s, "name", report_jstr(p->maintainer));
			json_object_set_new(c, "supplier", s);
		}
	}
	json_object_set_new(c, "name", report_jstr(p->name));
	if (p->version)
		json_object_set_new(c, "version", report_jstr(p->version));
	if (p->license)
		json_object_set_new(c, "licenses", licenses(k));
	if (k->purl)
		json_object_set_new(c, "purl", report_jstr(k->purl));
	sbom_prop(props, "vigil:package:type", vigil_pkg_type_name(p->type));
	sbom_prop(props, "vigil:package_db", p->package_db);
	sbom_prop(props, "vigil:layer", p->introduced_in);
	if (!vigil_pkg_type_is_lang(p->type)) {
		sbom_prop(props, "vigil:source_name", p->source_name);
		sbom_prop(props, "vigil:source_version", p->source_version);
	}
	sbom_prop(props, "vigil:module", p->module);
	if (p->flags & VIGIL_PKG_F_DEV)
		sbom_prop(props, "vigil:dev", "true");
	if (p->flags & VIGIL_PKG_F_OS_OWNED)
		sbom_prop(props, "vigil:os_owned", "true");
	sbom_prop(props, "vigil:owner", p->owner);
	json_object_set_new(c, "properties", props);
	return c;
}

static json_t *dependency(const char *ref, json_t *on)
{
	json_t *d = json_object();
	if (!d || !on) {
		json_decref(d), json_decref(on);
		return NULL;
	}
	json_object_set_new(d, "ref", report_jstr(ref));
	json_object_set_new(d, "dependsOn", on);
	return d;
}

/* image -> OS and every package; OS -> the OS packages. */
static json_t *dependencies(const struct sbom_inv *v)
{
	json_t *deps = json_array(), *img = json_array(), *os = v->os_ref ? json_array() : NULL;
	if (!deps || !img || (v->os_ref && !os))
		goto oom;
	if (v->os_ref)
		json_array_append_new(img, report_jstr(v->os_ref));
	for (size_t i = 0; i < v->n; i++) {
		json_array_append_new(img, report_jstr(v->pkgs[i].ref));
		if (os && !vigil_pkg_type_is_lang(v->pkgs[i].p->type))
			json_array_append_new(os, report_jstr(v->pkgs[i].ref));
	}
	/* dependency() and json_array_append_new() take their argument, even when they fail */
	json_t *d = dependency(v->image_ref, img);
	img = NULL;
	if (!d || json_array_append_new(deps, d) < 0)
		goto oom;
	if (os) {
		d = dependency(v->os_ref, os);
		os = NULL;
		if (!d || json_array_append_new(deps, d) < 0)
			goto oom;
	}
	return deps;
oom:
	json_decref(deps), json_decref(img), json_decref(os);
	return NULL;
}

static int build(const vigil_report_input *in, const vigil_report_options *o, const struct sbom_inv *v,
		 json_t *root)
{
	const vigil_index_report *r = in->index;
	json_t *meta = json_object(), *comps = json_array(), *c;
	if (!meta || !comps)
		goto oom;
	json_object_set_new(root, "$schema", json_string(CDX_SCHEMA));
	json_object_set_new(root, "bomFormat", json_string("CycloneDX"));
	json_object_set_new(root, "specVersion", json_string("1.6"));
	json_object_set_new(root, "serialNumber", json_string("")); /* sbom_dump_with_uuid fills it */
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(meta, "timestamp", json_string(v->created));
	json_object_set_new(meta, "tools", tools(o));
	json_object_set_new(meta, "component", image_component(in, v));
	json_object_set_new(root, "metadata", meta);
	meta = NULL;
	if (r->distribution && (!(c = os_component(r->distribution, v)) || json_array_append_new(comps, c) < 0))
		goto oom;
	for (size_t i = 0; i < v->n; i++)
		if (!(c = package_component(&v->pkgs[i])) || json_array_append_new(comps, c) < 0)
			goto oom;
	json_object_set_new(root, "components", comps);
	comps = NULL;
	if (!(c = dependencies(v)))
		goto oom;
	json_object_set_new(root, "dependencies", c);
	if (in->vulns) {
		if (!(c = cdx_vulnerabilities(in->vulns, v)))
			return vigil_error_or_oom();
		json_object_set_new(root, "vulnerabilities", c);
	}
	return 0;
oom:
	json_decref(meta), json_decref(comps);
	return vigil_error_oom();
}

int report_write_cyclonedx(const vigil_report_input *in, const vigil_report_options *o, char **out, size_t *len)
{
	struct sbom_inv v;
	json_t *root = NULL;
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = sbom_inv_init(&v, in, o)) < 0)
		return rc;
	if (!(root = json_object()))
		rc = vigil_error_oom();
	else if ((rc = build(in, o, &v, root)) == 0)
		rc = sbom_dump_with_uuid(root, "serialNumber", "urn:uuid:", "", o->pretty, out, len);
	json_decref(root);
	sbom_inv_free(&v);
	return rc;
}
