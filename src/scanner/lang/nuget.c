/* scanner/lang/nuget.c: the packages a NuGet lock file
 * (packages.lock.json, written when a project sets
 * RestorePackagesWithLockFile) pins.
 *
 * {"version": 1|2, "dependencies": {"<target framework>": {"<Name>":
 * {"type": "Direct"|"Transitive"|"CentralTransitive"|"Project",
 * "resolved": "<version>", ...}}}}. Read as trivy does
 * (pkg/dependency/parser/nuget/lock): every entry of every target
 * framework except those of type "Project" (the application's own
 * projects), one package per distinct name@resolved across the
 * frameworks (the first seen is kept). An entry without "resolved" is
 * skipped with a warning; a document that is not JSON, or whose members are
 * not objects, is VIGIL_EFORMAT naming the field
 * ("dependencies.net6.0.Foo"). */
#include "scanner/lang/rpn.h"
#include "util/error.h"
#include "util/json.h"
#include "util/map.h"

#include <string.h>

bool scan_lang_nuget_lock_path(vigil_slice path)
{
	ptrdiff_t s = vigil_slice_rfind(path, '/');
	vigil_slice file = s < 0 ? path : vigil_slice_sub(path, (size_t)s + 1, path.len);
	return vigil_slice_eq_cstr(file, "packages.lock.json");
}

/* Whether name@version was reported already (records it when not): 1
 * seen, 0 new, or an error. The key is interned, so it outlives the map. */
static int ng_seen(vigil_scan_ctx *ctx, vigil_map *seen, const char *name, vigil_slice version)
{
	char key[VIGIL_LANG_MAX_NAME + VIGIL_LANG_MAX_VERSION + 2];
	const char *k;
	int n = snprintf(key, sizeof(key), "%s/%.*s", name, (int)version.len, version.ptr);
	if (n < 0 || (size_t)n >= sizeof(key))
		return 0; /* too long: scan_rpn_add() skips it */
	if (vigil_map_get(seen, key, (size_t)n))
		return 1;
	if (!(k = scan_str(ctx, key, (size_t)n)))
		return vigil_error_or_oom();
	return vigil_map_set(seen, k, (size_t)n, (void *)1);
}

static int ng_target(vigil_scan_ctx *ctx, vigil_map *seen, const char *tfm, json_t *deps,
		     vigil_pkg_list *out)
{
	const char *name;
	json_t *dep;
	int rc;
	if (!json_is_object(deps))
		return vigil_error_set(VIGIL_EFORMAT, "dependencies.%s: not an object", tfm);
	json_object_foreach(deps, name, dep) {
		char where[2 * VIGIL_LANG_MAX_NAME + 32];
		vigil_slice type, resolved;
		snprintf(where, sizeof(where), "dependencies.%s.%s", tfm, name);
		if (!json_is_object(dep))
			return vigil_error_set(VIGIL_EFORMAT, "%s: not an object", where);
		if ((rc = vigil_json_str(dep, where, "type", 0, 64, &type)) < 0 ||
		    (rc = vigil_json_str(dep, where, "resolved", 0, VIGIL_LANG_MAX_VERSION,
					 &resolved)) < 0) {
			scan_warn(ctx, "%s", vigil_error_message());
			continue;
		}
		if (vigil_slice_eq_cstr(type, "Project"))
			continue;
		if ((rc = ng_seen(ctx, seen, name, resolved)) < 0)
			return rc;
		if (rc == 1)
			continue;
		if ((rc = scan_rpn_add(ctx, VIGIL_PKG_NUGET, vigil_slice_cstr(name), resolved, 0,
				       where, out)) < 0)
			return rc;
	}
	return 0;
}

int scan_lang_nuget_lock_parse(vigil_scan_ctx *ctx, const char *data, size_t len,
			       vigil_pkg_list *out)
{
	json_t *root = NULL, *targets = NULL, *deps;
	vigil_map seen;
	const char *tfm;
	int rc = scan_rpn_json("packages.lock.json", data, len, VIGIL_LANG_NUGET_LOCK_MAX_SIZE,
			       &root);
	vigil_map_init(&seen, VIGIL_LANG_RPN_MAX_PACKAGES);
	if (rc < 0)
		goto out;
	if (!json_is_object(root)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "packages.lock.json: not a JSON object");
		goto out;
	}
	if ((rc = vigil_json_obj(root, "", "dependencies", 0, &targets)) < 0)
		goto out;
	json_object_foreach(targets, tfm, deps)
		if ((rc = ng_target(ctx, &seen, tfm, deps, out)) < 0)
			goto out;
out:
	vigil_map_free(&seen);
	json_decref(root);
	return rc;
}
