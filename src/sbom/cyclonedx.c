/* sbom/cyclonedx.c: CycloneDX JSON (specVersion 1.2 to 1.7: syft and
 * Trivy write 1.6 and 1.7, the shapes read here did not change) into
 * sbom_add_purl() calls.
 *
 * Read: metadata.component.name (what was scanned); components[], nested
 * components[] to VIGIL_SBOM_MAX_DEPTH levels: an "operating-system"
 * component is the distribution (syft's syft:distro:* properties win over
 * its name and version), any other with a purl is a package; properties
 * give the layer (syft:location:0:layerID, aquasecurity:trivy:LayerDiffID,
 * vigil:layer), the path (syft:location:0:path, vigil:package_db) and the
 * source package (aquasecurity:trivy:Src*, syft:metadata:originPackage /
 * source / sourceVersion, vigil:source_name/_version); vigil's own
 * vigil:module, vigil:owner, vigil:dev, vigil:os_owned and, on the OS
 * component, vigil:distro:* (what vigil's CycloneDX writer puts there).
 * dependencies[] is only held to its limit: matching needs no graph. */
#include "sbom/sbom_priv.h"
#include "util/error.h"
#include "util/json.h"
#include "vigil/purl.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define CDX_FIELD 512 /* bytes of a field path quoted in messages (16 levels of "components[N].") */

/* The property value names a hint; first one wins. */
static void hint_of(sbom_hints *h, const char *name, const char *value)
{
	static const struct {
		const char *name;
		size_t off;
	} map[] = {
		{ "syft:location:0:layerID", offsetof(sbom_hints, layer) },
		{ "aquasecurity:trivy:LayerDiffID", offsetof(sbom_hints, layer) },
		{ "vigil:layer", offsetof(sbom_hints, layer) },
		{ "syft:location:0:path", offsetof(sbom_hints, path) },
		{ "vigil:package_db", offsetof(sbom_hints, path) },
		{ "aquasecurity:trivy:SrcName", offsetof(sbom_hints, src_name) },
		{ "syft:metadata:originPackage", offsetof(sbom_hints, src_name) },
		{ "syft:metadata:source", offsetof(sbom_hints, src_name) },
		{ "vigil:source_name", offsetof(sbom_hints, src_name) },
		{ "aquasecurity:trivy:SrcVersion", offsetof(sbom_hints, src_version) },
		{ "syft:metadata:sourceVersion", offsetof(sbom_hints, src_version) },
		{ "vigil:source_version", offsetof(sbom_hints, src_version) },
		{ "aquasecurity:trivy:SrcRelease", offsetof(sbom_hints, src_release) },
		{ "aquasecurity:trivy:SrcEpoch", offsetof(sbom_hints, src_epoch) },
		{ "vigil:module", offsetof(sbom_hints, module) },
		{ "vigil:owner", offsetof(sbom_hints, owner) },
	};
	if (!strcmp(name, "vigil:dev") && !strcmp(value, "true"))
		h->flags |= VIGIL_PKG_F_DEV;
	if (!strcmp(name, "vigil:os_owned") && !strcmp(value, "true"))
		h->flags |= VIGIL_PKG_F_OS_OWNED;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (strcmp(name, map[i].name))
			continue;
		const char **slot = (const char **)((char *)h + map[i].off);
		if (!*slot && *value)
			*slot = value;
		return;
	}
}

/* properties[] of component c (at path) into hints; strings point into the document. */
static int cdx_hints(json_t *c, const char *path, sbom_hints *h)
{
	json_t *props;
	char at[CDX_FIELD + 48];
	int rc;

	memset(h, 0, sizeof(*h));
	if ((rc = vigil_json_arr(c, path, "properties", 0, VIGIL_SBOM_MAX_PROPERTIES, &props)) < 0)
		return rc;
	for (size_t i = 0; props && i < json_array_size(props); i++) {
		json_t *p = json_array_get(props, i);
		vigil_slice name, value;
		snprintf(at, sizeof(at), "%s.properties[%zu]", path, i);
		if ((rc = vigil_json_str(p, at, "name", 0, VIGIL_SBOM_MAX_STRING, &name)) < 0 ||
		    (rc = vigil_json_str(p, at, "value", 0, VIGIL_SBOM_MAX_STRING, &value)) < 0)
			return rc;
		if (name.len && value.len)
			hint_of(h, name.ptr, value.ptr);
	}
	return 0;
}

/* syft's distro properties, else the component's name and version. */
static int cdx_os(vigil_sbom *s, json_t *c, const char *path)
{
	vigil_slice name, version, id = { "", 0 }, vid = { "", 0 }, pretty = { "", 0 };
	json_t *props = json_object_get(c, "properties");
	int rc;

	if ((rc = vigil_json_str(c, path, "name", VIGIL_JSON_TRIM, 256, &name)) < 0 ||
	    (rc = vigil_json_str(c, path, "version", VIGIL_JSON_TRIM, 256, &version)) < 0)
		return rc;
	for (size_t i = 0; json_is_array(props) && i < json_array_size(props); i++) {
		json_t *p = json_array_get(props, i);
		const char *n = json_string_value(json_object_get(p, "name"));
		json_t *v = json_object_get(p, "value");
		if (!n || !json_is_string(v) || json_string_length(v) > 256)
			continue;
		vigil_slice val = vigil_slice_make(json_string_value(v), json_string_length(v));
		if (!strcmp(n, "syft:distro:id"))
			id = val;
		else if (!strcmp(n, "syft:distro:versionID"))
			vid = val;
		else if (!strcmp(n, "syft:distro:prettyName"))
			pretty = val;
	}
	if ((rc = sbom_set_os(s, id.len ? id : name, vid.len ? vid : version, pretty)) < 0)
		return rc;
	for (size_t i = 0; json_is_array(props) && i < json_array_size(props); i++) {
		json_t *p = json_array_get(props, i), *n = json_object_get(p, "name"), *v = json_object_get(p, "value");
		if (json_is_string(n) && json_is_string(v) && json_string_length(v) <= 256 &&
		    sbom_os_property(s, vigil_slice_make(json_string_value(n), json_string_length(n)),
				     vigil_slice_make(json_string_value(v), json_string_length(v))) < 0)
			return -1;
	}
	return 0;
}

static int cdx_components(vigil_sbom *s, json_t *parent, const char *ppath, int depth);

static int cdx_component(vigil_sbom *s, json_t *c, const char *path, int depth)
{
	vigil_slice type, purl;
	char field[CDX_FIELD + 8];
	sbom_hints h;
	int rc;

	if ((rc = vigil_json_want(c, JSON_OBJECT, path)) < 0 || (rc = sbom_count(s, path)) < 0)
		return rc;
	if ((rc = vigil_json_str(c, path, "type", 0, 64, &type)) < 0 ||
	    (rc = vigil_json_str(c, path, "purl", VIGIL_JSON_TRIM, VIGIL_PURL_MAX_LEN, &purl)) < 0)
		return rc;
	if (vigil_slice_eq_cstr(type, "operating-system")) {
		if ((rc = cdx_os(s, c, path)) < 0)
			return rc;
	} else if (purl.len) {
		snprintf(field, sizeof(field), "%s.purl", path);
		vigil_slice name;
		if ((rc = cdx_hints(c, path, &h)) < 0 ||
		    (rc = vigil_json_str(c, path, "name", 0, VIGIL_SBOM_MAX_STRING, &name)) < 0)
			return rc;
		h.name = name.len ? name.ptr : NULL;
		if ((rc = sbom_add_purl(s, purl, &h, field)) < 0)
			return rc;
	} else {
		s->skipped++;
	}
	return cdx_components(s, c, path, depth + 1);
}

static int cdx_components(vigil_sbom *s, json_t *parent, const char *ppath, int depth)
{
	json_t *arr;
	char path[CDX_FIELD];
	int rc;

	if ((rc = vigil_json_arr(parent, ppath, "components", 0, VIGIL_SBOM_MAX_COMPONENTS, &arr)) < 0 || !arr)
		return rc;
	if (depth > VIGIL_SBOM_MAX_DEPTH)
		return vigil_error_set(VIGIL_ELIMIT, "%s.components: nested deeper than %d levels", ppath,
				       VIGIL_SBOM_MAX_DEPTH);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		snprintf(path, sizeof(path), "%s%scomponents[%zu]", ppath, *ppath ? "." : "", i);
		if ((rc = cdx_component(s, json_array_get(arr, i), path, depth)) < 0)
			return rc;
	}
	return 0;
}

int sbom_cdx_read(vigil_sbom *s, json_t *doc)
{
	vigil_slice fmt, ver, name;
	json_t *meta, *comp, *deps;
	char label[32];
	int rc;

	if ((rc = vigil_json_str(doc, "", "bomFormat", VIGIL_JSON_REQUIRED, 64, &fmt)) < 0 ||
	    (rc = vigil_json_str(doc, "", "specVersion", VIGIL_JSON_REQUIRED, 16, &ver)) < 0)
		return rc;
	if (!vigil_slice_eq_cstr(fmt, "CycloneDX"))
		return vigil_error_set(VIGIL_EFORMAT, "bomFormat: \"%.*s\" is not CycloneDX", (int)fmt.len, fmt.ptr);
	if (ver.len != 3 || ver.ptr[0] != '1' || ver.ptr[1] != '.' || ver.ptr[2] < '2' || ver.ptr[2] > '7')
		return vigil_error_set(VIGIL_EUNSUPPORTED, "specVersion: \"%.*s\" (vigil reads CycloneDX 1.2 to 1.7)",
				       (int)ver.len, ver.ptr);
	snprintf(label, sizeof(label), "CycloneDX %.*s", (int)ver.len, ver.ptr);
	if (!(s->format = sbom_str(s, vigil_slice_cstr(label))))
		return -1;
	if ((rc = vigil_json_obj(doc, "", "metadata", 0, &meta)) < 0 ||
	    (rc = vigil_json_obj(meta, "metadata", "component", 0, &comp)) < 0 ||
	    (rc = vigil_json_str(comp, "metadata.component", "name", 0, VIGIL_SBOM_MAX_STRING, &name)) < 0)
		return rc;
	if (name.len && !(s->name = sbom_str(s, name)))
		return -1;
	if ((rc = vigil_json_arr(doc, "", "dependencies", 0, VIGIL_SBOM_MAX_RELATIONS, &deps)) < 0)
		return rc;
	return cdx_components(s, doc, "", 0);
}
