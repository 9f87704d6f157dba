/* scanner/lang/python.c: Python distributions, read from their core
 * metadata (packaging.python.org "Core metadata specifications"): the
 * METADATA file of a *.dist-info folder (wheels, pip installs) and PKG-INFO
 * of a *.egg-info folder, or an *.egg-info that is itself that file
 * (setuptools, distutils, Debian's python3-* packages).
 *
 * The file is an RFC 822 header block, then an empty line, then the long
 * description. Only the header block is read (it must end within
 * VIGIL_LANG_PY_MAX_HEADER bytes, or at the end of the file): the first
 * "Name:" and the first "Version:" (field names case-insensitive as in
 * email; a line starting with a space or tab continues the previous field
 * and is skipped). The name is kept as written ("Flask"); the purl carries
 * the PEP 503 form ("pkg:pypi/flask@2.0.0"). A file without Name is
 * skipped with a warning; one without Version gives a package whose
 * version is "" (syft does the same; trivy drops it). */
#include "scanner/lang/lang.h"
#include "util/error.h"

#include <string.h>

/* Case-insensitive "<field>:" at the start of line; *value gets the rest, trimmed. */
static bool py_field(vigil_slice line, const char *field, vigil_slice *value)
{
	size_t n = strlen(field);
	if (line.len <= n || line.ptr[n] != ':')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = line.ptr[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != field[i])
			return false;
	}
	*value = vigil_slice_trim(vigil_slice_sub(line, n + 1, line.len));
	return true;
}

bool scan_lang_pep503(vigil_slice name, char *buf, size_t size)
{
	size_t o = 0;
	bool sep = false;
	for (size_t i = 0; i < name.len; i++) {
		char c = name.ptr[i];
		if (c == '-' || c == '_' || c == '.') {
			sep = true;
			continue;
		}
		if (sep && o > 0) {
			if (o + 1 >= size)
				return false;
			buf[o++] = '-';
		}
		sep = false;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (o + 1 >= size)
			return false;
		buf[o++] = c;
	}
	if (sep && o > 0) {
		if (o + 1 >= size)
			return false;
		buf[o++] = '-';
	}
	if (size == 0)
		return false;
	buf[o] = '\0';
	return true;
}

bool scan_lang_python_path(vigil_slice path)
{
	vigil_slice dir = vigil_slice_make(path.ptr, 0), file = path;
	ptrdiff_t slash = vigil_slice_rfind(path, '/');
	if (slash >= 0) {
		dir = vigil_slice_sub(path, 0, (size_t)slash);
		file = vigil_slice_sub(path, (size_t)slash + 1, path.len);
	}
	/* the file form: "<x>.egg-info" */
	if (vigil_slice_ends_with(file, ".egg-info") && file.len > strlen(".egg-info"))
		return true;
	ptrdiff_t ds = vigil_slice_rfind(dir, '/');
	vigil_slice parent = ds >= 0 ? vigil_slice_sub(dir, (size_t)ds + 1, dir.len) : dir;
	if (vigil_slice_eq_cstr(file, "METADATA"))
		return vigil_slice_ends_with(parent, ".dist-info") &&
		       parent.len > strlen(".dist-info");
	if (vigil_slice_eq_cstr(file, "PKG-INFO"))
		return vigil_slice_ends_with(parent, ".egg-info") &&
		       parent.len > strlen(".egg-info");
	return false;
}

/* The header block: up to the first empty line, or the whole file. */
static int py_header(const char *data, size_t len, vigil_slice *out)
{
	vigil_slice in = vigil_slice_make(data, len), line;
	while (vigil_slice_next_line(&in, &line)) {
		size_t end = (size_t)(in.ptr - data);
		if (end > VIGIL_LANG_PY_MAX_HEADER)
			break;
		if (line.len == 0) {
			*out = vigil_slice_make(data, (size_t)(line.ptr - data));
			return 0;
		}
	}
	if (len > VIGIL_LANG_PY_MAX_HEADER) {
		vigil_error_set(VIGIL_ELIMIT, "header block longer than %zu bytes",
				VIGIL_LANG_PY_MAX_HEADER);
		return VIGIL_ELIMIT;
	}
	*out = vigil_slice_make(data, len);
	return 0;
}

int scan_lang_python_parse(vigil_scan_ctx *ctx, const char *data, size_t len,
			   vigil_pkg_list *out)
{
	vigil_slice head, line, name = { 0 }, version = { 0 }, v;
	bool have_name = false, have_version = false;
	char norm[VIGIL_LANG_MAX_NAME + 1];
	vigil_package *p;
	int rc = py_header(data, len, &head);
	if (rc != 0)
		return rc;
	if (memchr(head.ptr, '\0', head.len)) {
		vigil_error_set(VIGIL_EFORMAT, "NUL byte in the header block");
		return VIGIL_EFORMAT;
	}
	while (vigil_slice_next_line(&head, &line)) {
		if (line.len > 0 && (line.ptr[0] == ' ' || line.ptr[0] == '\t'))
			continue;
		if (!have_name && py_field(line, "name", &v)) {
			name = v;
			have_name = true;
		} else if (!have_version && py_field(line, "version", &v)) {
			version = v;
			have_version = true;
		}
	}
	if (!scan_lang_token_ok(name, VIGIL_LANG_MAX_NAME)) {
		scan_warn(ctx, "%s: no usable Name: skipped", name.len ? "Name" : "header block");
		return 0;
	}
	if (version.len > 0 && !scan_lang_token_ok(version, VIGIL_LANG_MAX_VERSION)) {
		scan_warn(ctx, "Version of %.*s: not a version: skipped", (int)name.len, name.ptr);
		return 0;
	}
	if (!scan_lang_pep503(name, norm, sizeof(norm))) {
		scan_warn(ctx, "Name: too long: skipped");
		return 0;
	}
	if ((rc = scan_pkg_list_push(out, &p)) != 0)
		return rc;
	p->type = VIGIL_PKG_PYPI;
	p->name = scan_str(ctx, name.ptr, name.len);
	p->version = scan_str(ctx, version.ptr ? version.ptr : "", version.len);
	p->package_db = ctx->path ? scan_str(ctx, ctx->path, strlen(ctx->path)) : NULL;
	p->purl = scan_lang_purl(ctx, "pypi", vigil_slice_cstr(norm), version);
	if (!p->name || !p->version || !p->purl || (ctx->path && !p->package_db)) {
		out->len--;
		return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
	}
	return 0;
}
