/* scanner/lang/egg.c: zipped Python distributions: an .egg (setuptools;
 * its metadata in EGG-INFO/PKG-INFO) and a .whl (a wheel; its metadata in
 * <name>-<version>.dist-info/METADATA at the top of the zip), as
 * osv-scalibr's wheelegg extractor reads them.
 *
 * The zip is read as a stream (lang/java_zip.c, the limits of the Java
 * scanner); every other entry is skipped unread. The first metadata entry
 * found is read (at most VIGIL_LANG_PY_MAX_HEADER bytes: only its header
 * block matters) and handed to scan_lang_python_parse(), so the package is
 * the same as for the unzipped forms; package_db is the .egg/.whl itself.
 * A zip without one gives nothing (scalibr: no package either). */
#include "scanner/lang/java.h"
#include "scanner/lang/java_zip.h"
#include "scanner/lang/lang.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

bool scan_lang_egg_path(vigil_slice path)
{
	ptrdiff_t s = vigil_slice_rfind(path, '/');
	vigil_slice base = s >= 0 ? vigil_slice_sub(path, (size_t)s + 1, path.len) : path;
	return base.len > 4 &&
	       (vigil_slice_ends_with(base, ".egg") || vigil_slice_ends_with(base, ".whl"));
}

/* "EGG-INFO/PKG-INFO", or "<x>.dist-info/METADATA" at the top. */
static bool egg_is_metadata(vigil_slice name)
{
	if (vigil_slice_eq_cstr(name, "EGG-INFO/PKG-INFO"))
		return true;
	ptrdiff_t s = vigil_slice_find(name, '/');
	if (s <= 0)
		return false;
	vigil_slice dir = vigil_slice_sub(name, 0, (size_t)s);
	return vigil_slice_eq_cstr(vigil_slice_sub(name, (size_t)s + 1, name.len), "METADATA") &&
	       vigil_slice_ends_with(dir, ".dist-info") && dir.len > strlen(".dist-info");
}

int scan_lang_egg_parse_stream(vigil_scan_ctx *ctx, vigil_istream *in, uint64_t size,
			       vigil_pkg_list *out)
{
	jz_budget budget;
	jz_reader *zr = NULL;
	const char *name;
	char *data = NULL;
	size_t len;
	bool trunc;
	int rc, r;
	jz_budget_init(&budget, &scan_java_default_limits, size);
	if ((rc = jz_open_stream(&zr, in, &budget)) < 0)
		goto out;
	while ((r = jz_next(zr, &name)) == 1) {
		if (!egg_is_metadata(vigil_slice_cstr(name)))
			continue;
		if (!(data = malloc(VIGIL_LANG_PY_MAX_HEADER))) {
			rc = vigil_error_oom();
			goto out;
		}
		if ((rc = jz_read_member(zr, data, VIGIL_LANG_PY_MAX_HEADER, &len, &trunc)) < 0) {
			vigil_error_prefix("%s: ", name);
			goto out;
		}
		rc = scan_lang_python_parse(ctx, data, len, out);
		goto out;
	}
	if (r < 0)
		rc = r;
out:
	free(data);
	jz_close(zr);
	if (in->err)
		return in->err;
	return rc;
}
