/* scanner/lang/rpn.c: what the Ruby, PHP and .NET parsers share: adding one
 * package with its purl, the duplicate check of the lock files, and JSON
 * parsing with the size and depth limits (rpn.h).
 *
 * purls: "pkg:gem/<name>@<v>", "pkg:nuget/<Name>@<v>" and, for Composer,
 * "pkg:composer/<vendor>/<name>@<v>": the vendor is the namespace. Composer
 * names are "[a-z0-9_.-]+/[a-z0-9_.-]+" (older packages have upper case),
 * all unreserved purl characters; a vendor with any other byte is not a
 * Composer name and the entry is skipped with a warning. The escaping of
 * name and version is scan_lang_purl()'s. */
#include "scanner/lang/rpn.h"
#include "util/error.h"
#include "util/json.h"

#include <string.h>

static bool rpn_vendor_ok(vigil_slice v)
{
	if (v.len == 0 || v.len > 128)
		return false;
	for (size_t i = 0; i < v.len; i++) {
		unsigned char c = (unsigned char)v.ptr[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-' || c == '_' || c == '~'))
			return false;
	}
	return true;
}

/* The purl of a package of type t (NULL with the error set, or with *bad
 * set when the name has no usable namespace). */
static const char *rpn_purl(vigil_scan_ctx *ctx, vigil_pkg_type t, vigil_slice name,
			    vigil_slice version, bool *bad)
{
	char type[160];
	ptrdiff_t slash;
	if (t != VIGIL_PKG_COMPOSER)
		return scan_lang_purl(ctx, vigil_pkg_type_name(t), name, version);
	slash = vigil_slice_find(name, '/');
	if (slash <= 0 || !rpn_vendor_ok(vigil_slice_sub(name, 0, (size_t)slash)) ||
	    (size_t)slash + 1 == name.len) {
		*bad = true;
		return NULL;
	}
	snprintf(type, sizeof(type), "composer/%.*s", (int)slash, name.ptr);
	return scan_lang_purl(ctx, type, vigil_slice_sub(name, (size_t)slash + 1, name.len),
			      version);
}

int scan_rpn_add(vigil_scan_ctx *ctx, vigil_pkg_type t, vigil_slice name, vigil_slice version,
		 uint32_t flags, const char *where, vigil_pkg_list *out)
{
	vigil_package *p;
	const char *purl;
	bool bad = false;
	int rc;
	if (!scan_lang_token_ok(name, VIGIL_LANG_MAX_NAME) ||
	    !scan_lang_token_ok(version, VIGIL_LANG_MAX_VERSION)) {
		scan_warn(ctx, "%s: no usable name and version: skipped", where);
		return 0;
	}
	if (out->len >= VIGIL_LANG_RPN_MAX_PACKAGES)
		return vigil_error_set(VIGIL_ELIMIT, "%s: more than %d packages", where,
				       VIGIL_LANG_RPN_MAX_PACKAGES);
	purl = rpn_purl(ctx, t, name, version, &bad);
	if (bad) {
		scan_warn(ctx, "%s: %.*s: not a \"vendor/name\": skipped", where, (int)name.len,
			  name.ptr);
		return 0;
	}
	if (!purl)
		return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
	if ((rc = scan_pkg_list_push(out, &p)) != 0)
		return rc;
	p->type = t;
	p->flags = flags;
	p->purl = purl;
	p->name = scan_str(ctx, name.ptr, name.len);
	p->version = scan_str(ctx, version.ptr, version.len);
	p->package_db = ctx->path ? scan_str(ctx, ctx->path, strlen(ctx->path)) : NULL;
	if (!p->name || !p->version || (ctx->path && !p->package_db)) {
		out->len--;
		return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
	}
	return 0;
}

bool scan_rpn_has(const vigil_pkg_list *out, size_t from, vigil_slice name, vigil_slice version)
{
	for (size_t i = from; i < out->len; i++)
		if (vigil_slice_eq_cstr(name, out->items[i].name) &&
		    vigil_slice_eq_cstr(version, out->items[i].version))
			return true;
	return false;
}

/* Whether v nests more than left levels deep (left counts down). */
static bool rpn_too_deep(json_t *v, int left)
{
	const char *key;
	json_t *m;
	size_t i;
	if (!json_is_object(v) && !json_is_array(v))
		return false;
	if (left == 0)
		return true;
	if (json_is_array(v)) {
		json_array_foreach(v, i, m)
			if (rpn_too_deep(m, left - 1))
				return true;
		return false;
	}
	json_object_foreach(v, key, m)
		if (rpn_too_deep(m, left - 1))
			return true;
	return false;
}

int scan_rpn_json(const char *what, const char *data, size_t len, size_t max, json_t **out)
{
	json_error_t jerr;
	json_t *root;
	char text[256];
	*out = NULL;
	if (len > max)
		return vigil_error_set(VIGIL_ELIMIT, "%s of %zu bytes (limit %zu)", what, len, max);
	root = json_loadb(data, len, 0, &jerr);
	if (!root)
		return vigil_error_set(VIGIL_EFORMAT, "%s: line %d: %s", what, jerr.line,
				       vigil_json_error_text(&jerr, text, sizeof(text)));
	if (rpn_too_deep(root, VIGIL_LANG_JSON_MAX_DEPTH)) {
		json_decref(root);
		return vigil_error_set(VIGIL_ELIMIT, "%s: nested more than %d deep", what,
				       VIGIL_LANG_JSON_MAX_DEPTH);
	}
	*out = root;
	return 0;
}
