/* scanner/lang/gemfile.c: the gems a Bundler lock file (Gemfile.lock, or
 * gems.locked) pins.
 *
 * The file is a list of sections: a header at column 0 ("GEM", "GIT",
 * "PATH", "PLUGIN SOURCE", "PLATFORMS", "DEPENDENCIES", "RUBY VERSION",
 * "BUNDLED WITH", "CHECKSUMS"), then lines indented by two spaces
 * ("remote: ...", "specs:"). In a GEM, GIT, PATH or PLUGIN SOURCE section,
 * after "  specs:", a line indented by exactly four spaces is one locked gem,
 * "name (version)"; six spaces are its own dependencies (constraints, not
 * read). The version may end in a platform ("1.13.6-x86_64-linux",
 * "1.15.4-arm64-darwin"); RubyGems versions hold no '-', so the platform is
 * cut at the first one, as trivy and syft do. The same gem locked for two
 * platforms is one package (Bundler sorts specs by name: the copies are
 * neighbours). Other sections (a "BAD-SECTION" included) are not read, as
 * syft does (trivy reads every four-space line).
 *
 * Errors: a line at column 0 that is not a section header (upper-case
 * letters, digits, spaces, '-' and '_') is VIGIL_EFORMAT naming the line, so
 * a file that is not a lock file fails; a line longer than
 * VIGIL_LANG_GEMFILE_MAX_LINE is VIGIL_ELIMIT. A spec line without a
 * "(version)" is skipped with a warning. */
#include "scanner/lang/rpn.h"
#include "util/error.h"

#include <string.h>

bool scan_lang_gemfile_lock_path(vigil_slice path)
{
	ptrdiff_t s = vigil_slice_rfind(path, '/');
	vigil_slice file = s < 0 ? path : vigil_slice_sub(path, (size_t)s + 1, path.len);
	return vigil_slice_eq_cstr(file, "Gemfile.lock") || vigil_slice_eq_cstr(file, "gems.locked");
}

static bool gf_is_header(vigil_slice line)
{
	for (size_t i = 0; i < line.len; i++) {
		char c = line.ptr[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' || c == '-' ||
		      c == '_'))
			return false;
	}
	return line.len > 0;
}

static size_t gf_indent(vigil_slice line)
{
	size_t i = 0;
	while (i < line.len && line.ptr[i] == ' ')
		i++;
	return i;
}

/* Whether the last packages added since from name this gem at this version. */
static bool gf_dup(const vigil_pkg_list *out, size_t from, vigil_slice name, vigil_slice version)
{
	for (size_t i = out->len; i > from; i--) {
		const vigil_package *p = &out->items[i - 1];
		if (!vigil_slice_eq_cstr(name, p->name))
			return false;
		if (vigil_slice_eq_cstr(version, p->version))
			return true;
	}
	return false;
}

/* One "    name (version)" line. */
static int gf_spec(vigil_scan_ctx *ctx, vigil_slice line, size_t lineno, size_t from,
		   vigil_pkg_list *out)
{
	vigil_slice name, rest, version;
	char where[48];
	ptrdiff_t dash;
	line = vigil_slice_trim(line);
	snprintf(where, sizeof(where), "line %zu", lineno);
	if (!vigil_slice_split(line, ' ', &name, &rest) || (rest = vigil_slice_trim(rest)).len < 3 ||
	    rest.ptr[0] != '(' || rest.ptr[rest.len - 1] != ')') {
		scan_warn(ctx, "%s: no \"name (version)\": skipped", where);
		return 0;
	}
	version = vigil_slice_sub(rest, 1, rest.len - 2);
	if ((dash = vigil_slice_find(version, '-')) >= 0)
		version.len = (size_t)dash;
	if (gf_dup(out, from, name, version))
		return 0;
	return scan_rpn_add(ctx, VIGIL_PKG_GEM, name, version, 0, where, out);
}

int scan_lang_gemfile_lock_parse(vigil_scan_ctx *ctx, const char *data, size_t len,
				 vigil_pkg_list *out)
{
	vigil_slice in = vigil_slice_make(data, len), line;
	bool gems = false, specs = false;
	size_t lineno = 0, from = out->len;
	int rc = 0;
	if (len > VIGIL_LANG_GEMFILE_LOCK_MAX_SIZE)
		return vigil_error_set(VIGIL_ELIMIT, "Gemfile.lock of %zu bytes (limit %zu)", len,
				       VIGIL_LANG_GEMFILE_LOCK_MAX_SIZE);
	while (rc == 0 && vigil_slice_next_line(&in, &line)) {
		size_t ind;
		lineno++;
		if (line.len > VIGIL_LANG_GEMFILE_MAX_LINE)
			return vigil_error_set(VIGIL_ELIMIT, "line %zu: longer than %zu bytes", lineno,
					       VIGIL_LANG_GEMFILE_MAX_LINE);
		if (vigil_slice_trim(line).len == 0)
			continue;
		ind = gf_indent(line);
		if (ind == 0) {
			if (!gf_is_header(line))
				return vigil_error_set(VIGIL_EFORMAT,
						       "line %zu: not a section header", lineno);
			gems = vigil_slice_eq_cstr(line, "GEM") || vigil_slice_eq_cstr(line, "GIT") ||
			       vigil_slice_eq_cstr(line, "PATH") ||
			       vigil_slice_eq_cstr(line, "PLUGIN SOURCE");
			specs = false;
		} else if (ind == 2) {
			specs = gems && vigil_slice_eq_cstr(vigil_slice_trim(line), "specs:");
		} else if (ind == 4 && specs) {
			rc = gf_spec(ctx, line, lineno, from, out);
		}
	}
	return rc;
}
