/* scanner/lang/dotnet.c: the packages of a .NET application, from the
 * <app>.deps.json the SDK writes next to every published app (and the
 * runtime reads to load it).
 *
 * Read as trivy does (pkg/dependency/parser/dotnet/core_deps): the
 * "libraries" object maps "Name/Version" (cut at the first '/') to
 * {"type": ...}; entries of type "package" (NuGet packages), "project" (the
 * app and its project references) and "runtimepack" (the runtime bundled
 * into a self-contained app, reported without its "runtimepack." prefix:
 * "Microsoft.NETCore.App.Runtime.linux-x64") are packages, other types
 * ("reference", "referenceassembly") are not. When
 * targets[runtimeTarget.name] exists, a library that appears there without
 * any "runtime", "runtimeTargets" or "native" member (a compile-time-only
 * package such as Microsoft.NETCore.App 1.x or NETStandard.Library) is not
 * reported; one missing from the target is. Without the target, every
 * library is reported. A deps.json without "libraries" has no packages.
 * A document that is not JSON, or whose members are not of the types above,
 * is VIGIL_EFORMAT naming the field; a key without '/' is skipped with a
 * warning. Packages come out in the file's order (trivy sorts them). */
#include "scanner/lang/rpn.h"
#include "util/error.h"
#include "util/json.h"
#include "util/map.h"

#include <string.h>
#include <strings.h>

#define DN_RUNTIMEPACK "runtimepack."

bool scan_lang_dotnet_deps_path(vigil_slice path)
{
	ptrdiff_t s = vigil_slice_rfind(path, '/');
	vigil_slice file = s < 0 ? path : vigil_slice_sub(path, (size_t)s + 1, path.len);
	return file.len > 10 && vigil_slice_ends_with(file, ".deps.json");
}

/* "Name/Version" without the runtimepack prefix: the package's id (trivy's
 * packageID); a slice of key. */
static vigil_slice dn_id(const char *key)
{
	vigil_slice k = vigil_slice_cstr(key);
	if (vigil_slice_starts_with(k, DN_RUNTIMEPACK))
		k = vigil_slice_sub(k, strlen(DN_RUNTIMEPACK), k.len);
	return k;
}

/* Present and not JSON null (trivy: lo.IsEmpty on an `any`). */
static bool dn_has(json_t *lib, const char *key)
{
	json_t *v = json_is_object(lib) ? json_object_get(lib, key) : NULL;
	return v && !json_is_null(v);
}

static bool dn_type_is(vigil_slice type, const char *want)
{
	return type.len == strlen(want) && strncasecmp(type.ptr, want, type.len) == 0;
}

/* The state of one parse: the runtime target's entries by id, the ids
 * already reported. */
struct dn_state {
	vigil_map target; /* id -> the target's entry (NULL map: no target) */
	bool have_target;
	vigil_map seen;   /* id -> (void *)1 */
};

static int dn_library(vigil_scan_ctx *ctx, struct dn_state *st, const char *key, json_t *lib,
		      vigil_pkg_list *out)
{
	char where[VIGIL_LANG_MAX_NAME + 32];
	vigil_slice id = dn_id(key), name, version, type;
	json_t *tl;
	int rc;
	snprintf(where, sizeof(where), "libraries.%s", key);
	if (!json_is_object(lib))
		return vigil_error_set(VIGIL_EFORMAT, "%s: not an object", where);
	if ((rc = vigil_json_str(lib, where, "type", 0, 64, &type)) < 0)
		return rc;
	if (!dn_type_is(type, "package") && !dn_type_is(type, "project") &&
	    !dn_type_is(type, "runtimepack"))
		return 0;
	if (!vigil_slice_split(id, '/', &name, &version)) {
		scan_warn(ctx, "%s: no \"Name/Version\": skipped", where);
		return 0;
	}
	if (st->have_target && (tl = vigil_map_get(&st->target, id.ptr, id.len)) != NULL &&
	    !dn_has(tl, "runtime") && !dn_has(tl, "runtimeTargets") && !dn_has(tl, "native"))
		return 0; /* compile-time only */
	if ((rc = vigil_map_add(&st->seen, id.ptr, id.len, (void *)1)) <= 0)
		return rc; /* 0: reported already */
	return scan_rpn_add(ctx, VIGIL_PKG_NUGET, name, version, 0, where, out);
}

/* st->target from targets[name]. */
static int dn_index_target(struct dn_state *st, json_t *targets, vigil_slice name)
{
	json_t *target = targets && name.len ? json_object_getn(targets, name.ptr, name.len) : NULL;
	const char *key;
	json_t *v;
	int rc;
	if (!target)
		return 0;
	if (!json_is_object(target))
		return vigil_error_set(VIGIL_EFORMAT, "targets.%.*s: not an object", (int)name.len,
				       name.ptr);
	st->have_target = true;
	json_object_foreach(target, key, v) {
		vigil_slice id = dn_id(key);
		if ((rc = vigil_map_set(&st->target, id.ptr, id.len, v)) < 0)
			return rc;
	}
	return 0;
}

int scan_lang_dotnet_deps_parse(vigil_scan_ctx *ctx, const char *data, size_t len,
				vigil_pkg_list *out)
{
	json_t *root = NULL, *rt = NULL, *targets = NULL, *libs = NULL, *lib;
	struct dn_state st = { 0 };
	vigil_slice rt_name;
	const char *key;
	int rc = scan_rpn_json("deps.json", data, len, VIGIL_LANG_DOTNET_DEPS_MAX_SIZE, &root);
	vigil_map_init(&st.target, VIGIL_LANG_RPN_MAX_PACKAGES);
	vigil_map_init(&st.seen, VIGIL_LANG_RPN_MAX_PACKAGES);
	if (rc < 0)
		goto out;
	if (!json_is_object(root)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "deps.json: not a JSON object");
		goto out;
	}
	if ((rc = vigil_json_obj(root, "", "runtimeTarget", 0, &rt)) < 0 ||
	    (rc = vigil_json_str(rt, "runtimeTarget", "name", 0, 1024, &rt_name)) < 0 ||
	    (rc = vigil_json_obj(root, "", "targets", 0, &targets)) < 0 ||
	    (rc = vigil_json_obj(root, "", "libraries", 0, &libs)) < 0 ||
	    (rc = dn_index_target(&st, targets, rt_name)) < 0)
		goto out;
	json_object_foreach(libs, key, lib)
		if ((rc = dn_library(ctx, &st, key, lib, out)) < 0)
			goto out;
out:
	vigil_map_free(&st.target);
	vigil_map_free(&st.seen);
	json_decref(root);
	return rc;
}
