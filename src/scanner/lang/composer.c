/* scanner/lang/composer.c: PHP packages as Composer records them.
 *
 * vendor/composer/installed.json is what is installed (Composer writes it
 * on every install): Composer 1 wrote a top-level array of package
 * objects; Composer 2 writes {"packages": [...], "dev": bool,
 * "dev-package-names": [...]}, and a package named in dev-package-names is
 * flagged VIGIL_PKG_F_DEV. composer.lock is what an application pins:
 * {"packages": [...], "packages-dev": [...]}; the second list is flagged
 * dev (trivy reports both, syft only "packages").
 *
 * Each package object gives "name" ("vendor/project") and "version" as
 * tagged ("v1.8.1" keeps its "v"; version_normalized is not used). An
 * entry without them is skipped with a warning naming it
 * ("packages[3]"); a document that is not JSON, or whose package lists
 * are not arrays of objects, is VIGIL_EFORMAT naming the field. */
#include "scanner/lang/rpn.h"
#include "util/error.h"
#include "util/json.h"
#include "util/map.h"

#include <string.h>

/* Whether path ends in "/" + tail or is tail. */
static bool cp_path_is(vigil_slice path, const char *tail)
{
	size_t n = strlen(tail);
	if (!vigil_slice_ends_with(path, tail))
		return false;
	return path.len == n || path.ptr[path.len - n - 1] == '/';
}

bool scan_lang_composer_installed_path(vigil_slice path)
{
	return cp_path_is(path, "vendor/composer/installed.json");
}

bool scan_lang_composer_lock_path(vigil_slice path)
{
	return cp_path_is(path, "composer.lock");
}

/* The dev-package-names (an array of strings) as a set; the keys point
 * into the document. */
static int cp_dev_set(json_t *names, vigil_map *set)
{
	size_t i;
	json_t *v;
	int rc;
	json_array_foreach(names, i, v)
		if (json_is_string(v) &&
		    (rc = vigil_map_set(set, json_string_value(v), json_string_length(v), (void *)1)) < 0)
			return rc;
	return 0;
}

/* Every package object of list (the value of field), dev ones flagged:
 * all when dev, else those in dev_set. */
static int cp_list(vigil_scan_ctx *ctx, json_t *list, const char *field, bool dev,
		   const vigil_map *dev_set, vigil_pkg_list *out)
{
	size_t i;
	json_t *pkg;
	int rc = 0;
	if (!list)
		return 0;
	if (!json_is_array(list))
		return vigil_error_set(VIGIL_EFORMAT, "%s: not an array", field);
	json_array_foreach(list, i, pkg) {
		char where[64];
		vigil_slice name, version;
		bool is_dev;
		snprintf(where, sizeof(where), "%s[%zu]", field, i);
		if (!json_is_object(pkg))
			return vigil_error_set(VIGIL_EFORMAT, "%s: not an object", where);
		if ((rc = vigil_json_str(pkg, where, "name", 0, VIGIL_LANG_MAX_NAME, &name)) < 0 ||
		    (rc = vigil_json_str(pkg, where, "version", 0, VIGIL_LANG_MAX_VERSION,
					 &version)) < 0) {
			scan_warn(ctx, "%s", vigil_error_message());
			rc = 0;
			continue;
		}
		is_dev = dev || (dev_set && vigil_map_get(dev_set, name.ptr, name.len));
		rc = scan_rpn_add(ctx, VIGIL_PKG_COMPOSER, name, version,
				  is_dev ? VIGIL_PKG_F_DEV : 0, where, out);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int scan_lang_composer_installed_parse(vigil_scan_ctx *ctx, const char *data, size_t len,
				       vigil_pkg_list *out)
{
	json_t *root = NULL, *names = NULL;
	vigil_map dev_set;
	int rc = scan_rpn_json("installed.json", data, len, VIGIL_LANG_COMPOSER_MAX_SIZE, &root);
	vigil_map_init(&dev_set, VIGIL_LANG_RPN_MAX_PACKAGES);
	if (rc < 0)
		goto out;
	if (json_is_array(root)) {
		rc = cp_list(ctx, root, "packages", false, NULL, out);
		goto out;
	}
	if (!json_is_object(root)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "installed.json: neither an array nor an object");
		goto out;
	}
	if ((rc = vigil_json_get(root, "", "dev-package-names", JSON_ARRAY, 0, &names)) < 0 ||
	    (rc = cp_dev_set(names, &dev_set)) < 0)
		goto out;
	rc = cp_list(ctx, json_object_get(root, "packages"), "packages", false, &dev_set, out);
out:
	vigil_map_free(&dev_set);
	json_decref(root);
	return rc;
}

int scan_lang_composer_lock_parse(vigil_scan_ctx *ctx, const char *data, size_t len,
				  vigil_pkg_list *out)
{
	json_t *root = NULL;
	int rc = scan_rpn_json("composer.lock", data, len, VIGIL_LANG_COMPOSER_MAX_SIZE, &root);
	if (rc < 0)
		goto out;
	if (!json_is_object(root)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "composer.lock: not a JSON object");
		goto out;
	}
	if ((rc = cp_list(ctx, json_object_get(root, "packages"), "packages", false, NULL, out)) < 0)
		goto out;
	rc = cp_list(ctx, json_object_get(root, "packages-dev"), "packages-dev", true, NULL, out);
out:
	json_decref(root);
	return rc;
}
