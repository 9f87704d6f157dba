/* scanner/lang/npm.c: Node.js packages as installed, one
 * node_modules/<name>/package.json (or node_modules/@scope/<name>/...) per
 * package; a package.json nested deeper (a package's own test fixtures,
 * node_modules/x/lib/package.json) or outside node_modules (the
 * application's own manifest) is not an installed package and is not read.
 * Nested node_modules are separate installs and each copy is a package.
 *
 * The file is parsed with jansson (at most VIGIL_LANG_NPM_MAX_SIZE bytes);
 * "name" and "version" must be strings of printable ASCII. A package.json
 * without them (a stub some tools write) is skipped with a warning; one that
 * is not a JSON object is VIGIL_EFORMAT. The purl puts the scope in the
 * namespace: "@babel/parser" 7.23.6 is "pkg:npm/%40babel/parser@7.23.6". */
#include "scanner/lang/lang.h"
#include "util/error.h"

#include <jansson.h>
#include <string.h>

/* A path component of a package name: non-empty, not "." or "..". */
static bool npm_component_ok(vigil_slice c)
{
	return c.len > 0 && !vigil_slice_eq_cstr(c, ".") && !vigil_slice_eq_cstr(c, "..") &&
	       vigil_slice_find(c, '/') < 0;
}

/* The folder before the last component of a (a with its last "/x" cut). */
static bool npm_cut_last(vigil_slice *a, vigil_slice *last)
{
	ptrdiff_t s = vigil_slice_rfind(*a, '/');
	if (s < 0) {
		*last = *a;
		*a = vigil_slice_make(a->ptr, 0);
		return false;
	}
	*last = vigil_slice_sub(*a, (size_t)s + 1, a->len);
	*a = vigil_slice_sub(*a, 0, (size_t)s);
	return true;
}

bool scan_lang_npm_path(vigil_slice path)
{
	vigil_slice rest = path, file, name, up;
	bool more;
	if (!npm_cut_last(&rest, &file) || !vigil_slice_eq_cstr(file, "package.json"))
		return false;
	if (!npm_cut_last(&rest, &name) || !npm_component_ok(name) || name.ptr[0] == '@')
		return false;
	more = npm_cut_last(&rest, &up);
	if (up.len > 1 && up.ptr[0] == '@') {
		if (!more)
			return false;
		more = npm_cut_last(&rest, &up);
	}
	(void)more;
	return vigil_slice_eq_cstr(up, "node_modules");
}

static bool npm_string(json_t *obj, const char *key, vigil_slice *out)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_string(v))
		return false;
	*out = vigil_slice_make(json_string_value(v), json_string_length(v));
	return true;
}

int scan_lang_npm_parse(vigil_scan_ctx *ctx, const char *data, size_t len,
			vigil_pkg_list *out)
{
	json_error_t jerr;
	json_t *root = NULL;
	vigil_slice name, version;
	vigil_package *p;
	int rc = 0;
	if (len > VIGIL_LANG_NPM_MAX_SIZE) {
		rc = vigil_error_set(VIGIL_ELIMIT, "package.json of %zu bytes (limit %zu)", len,
				     VIGIL_LANG_NPM_MAX_SIZE);
		goto out;
	}
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root || !json_is_object(root)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "line %d: %s", root ? 1 : jerr.line,
				     root ? "not a JSON object" : jerr.text);
		goto out;
	}
	if (!npm_string(root, "name", &name) || !scan_lang_token_ok(name, VIGIL_LANG_MAX_NAME)) {
		scan_warn(ctx, "no usable \"name\": skipped");
		goto out;
	}
	if (!npm_string(root, "version", &version) ||
	    !scan_lang_token_ok(version, VIGIL_LANG_MAX_VERSION)) {
		scan_warn(ctx, "%.*s: no usable \"version\": skipped", (int)name.len, name.ptr);
		goto out;
	}
	if ((rc = scan_pkg_list_push(out, &p)) != 0)
		goto out;
	p->type = VIGIL_PKG_NPM;
	p->name = scan_str(ctx, name.ptr, name.len);
	p->version = scan_str(ctx, version.ptr, version.len);
	p->package_db = ctx->path ? scan_str(ctx, ctx->path, strlen(ctx->path)) : NULL;
	p->purl = scan_lang_purl(ctx, "npm", name, version);
	if (!p->name || !p->version || !p->purl || (ctx->path && !p->package_db)) {
		out->len--;
		rc = vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
	}
out:
	json_decref(root);
	return rc;
}
