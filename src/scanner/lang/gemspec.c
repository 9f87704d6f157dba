/* scanner/lang/gemspec.c: installed Ruby gems, one
 * <GEM_HOME>/specifications/<name>-<version>.gemspec per gem (RubyGems'
 * layout under /usr/local/bundle, /usr/lib/ruby/gems/X.Y.Z, a user's
 * ~/.gem, and Debian's /usr/share/rubygems-integration/all and
 * /usr/lib/<triplet>/rubygems-integration/X.Y.Z), default gems in
 * specifications/default/ too.
 *
 * The file is Ruby code written by Gem::Specification#to_ruby; no Ruby is
 * run. As trivy does, a line reader finds "Gem::Specification.new do |s|",
 * takes the block variable ("s", "spec") and then the first
 * "<var>.name = <value>" and "<var>.version = <value>" lines (leading
 * spaces skipped). A value is "x", 'x', %q{x} (or %q<x>, %q(x), %q[x],
 * %Q, %), each with an optional ".freeze", or Gem::Version.new(<one of
 * those>); anything else ("Foo::VERSION") is no value. A gemspec without
 * the block, name or version is VIGIL_EFORMAT naming what is missing (trivy
 * fails the same files). Lines longer than VIGIL_LANG_GEMSPEC_MAX_LINE are
 * not looked at; NUL bytes are allowed (the "# stub:" line of a gem with
 * extensions holds them). */
#include "scanner/lang/rpn.h"
#include "util/error.h"

#include <string.h>

bool scan_lang_gemspec_path(vigil_slice path)
{
	ptrdiff_t s = vigil_slice_rfind(path, '/');
	vigil_slice dir, file;
	if (s < 0)
		return false;
	file = vigil_slice_sub(path, (size_t)s + 1, path.len);
	dir = vigil_slice_sub(path, 0, (size_t)s);
	if (file.len <= 8 || !vigil_slice_ends_with(file, ".gemspec"))
		return false;
	if (vigil_slice_ends_with(dir, "/default") || vigil_slice_eq_cstr(dir, "default"))
		dir.len -= 7 + (dir.len > 7 ? 1 : 0);
	return vigil_slice_eq_cstr(dir, "specifications") ||
	       vigil_slice_ends_with(dir, "/specifications");
}

static vigil_slice gs_skip_space(vigil_slice s)
{
	size_t i = 0;
	while (i < s.len && (s.ptr[i] == ' ' || s.ptr[i] == '\t'))
		i++;
	return vigil_slice_sub(s, i, s.len);
}

/* The closing delimiter of a %q literal opened with c (0: none). */
static char gs_close(char c)
{
	switch (c) {
	case '{': return '}';
	case '(': return ')';
	case '[': return ']';
	case '<': return '>';
	case '|': case '!': case '/': return c;
	default: return 0;
	}
}

/* A string literal at the start of v into *out. */
static bool gs_literal(vigil_slice v, vigil_slice *out)
{
	char close;
	size_t start;
	ptrdiff_t end;
	if (v.len >= 2 && (v.ptr[0] == '"' || v.ptr[0] == '\'')) {
		close = v.ptr[0];
		start = 1;
	} else if (v.len >= 3 && v.ptr[0] == '%' && (v.ptr[1] == 'q' || v.ptr[1] == 'Q') &&
		   (close = gs_close(v.ptr[2])) != 0) {
		start = 3;
	} else if (v.len >= 2 && v.ptr[0] == '%' && (close = gs_close(v.ptr[1])) != 0) {
		start = 2;
	} else {
		return false;
	}
	end = vigil_slice_find(vigil_slice_sub(v, start, v.len), close);
	if (end < 0)
		return false;
	*out = vigil_slice_sub(v, start, (size_t)end);
	return true;
}

/* The value of "<var>.<field> = <value>" in line (spaces skipped). */
static bool gs_assign(vigil_slice line, vigil_slice var, const char *field, vigil_slice *out)
{
	size_t n = strlen(field);
	vigil_slice v;
	if (line.len < var.len + 1 + n || memcmp(line.ptr, var.ptr, var.len) != 0 ||
	    line.ptr[var.len] != '.' || memcmp(line.ptr + var.len + 1, field, n) != 0)
		return false;
	v = gs_skip_space(vigil_slice_sub(line, var.len + 1 + n, line.len));
	if (v.len == 0 || v.ptr[0] != '=' || (v.len > 1 && v.ptr[1] == '='))
		return false;
	v = gs_skip_space(vigil_slice_sub(v, 1, v.len));
	if (vigil_slice_starts_with(v, "Gem::Version.new(")) {
		v = gs_skip_space(vigil_slice_sub(v, 17, v.len));
	}
	return gs_literal(v, out);
}

/* The block variable of "Gem::Specification.new do |s|" (or "{ |s|"). */
static bool gs_block_var(vigil_slice line, vigil_slice *var)
{
	static const char key[] = "Gem::Specification.new";
	ptrdiff_t a, b;
	size_t i;
	for (i = 0; i + sizeof(key) - 1 <= line.len; i++)
		if (memcmp(line.ptr + i, key, sizeof(key) - 1) == 0)
			break;
	if (i + sizeof(key) - 1 > line.len)
		return false;
	line = vigil_slice_sub(line, i + sizeof(key) - 1, line.len);
	if ((a = vigil_slice_find(line, '|')) < 0)
		return false;
	line = vigil_slice_sub(line, (size_t)a + 1, line.len);
	if ((b = vigil_slice_find(line, '|')) < 0)
		return false;
	*var = vigil_slice_trim(vigil_slice_sub(line, 0, (size_t)b));
	return var->len > 0;
}

int scan_lang_gemspec_parse(vigil_scan_ctx *ctx, const char *data, size_t len,
			    vigil_pkg_list *out)
{
	vigil_slice in = vigil_slice_make(data, len), line, var = { 0 }, name = { 0 },
		    version = { 0 };
	bool have_var = false, have_name = false, have_version = false;
	if (len > VIGIL_LANG_GEMSPEC_MAX_SIZE)
		return vigil_error_set(VIGIL_ELIMIT, "gemspec of %zu bytes (limit %zu)", len,
				       VIGIL_LANG_GEMSPEC_MAX_SIZE);
	while (!(have_name && have_version) && vigil_slice_next_line(&in, &line)) {
		if (line.len > VIGIL_LANG_GEMSPEC_MAX_LINE)
			continue;
		line = gs_skip_space(line);
		if (gs_block_var(line, &var)) {
			have_var = true;
			continue;
		}
		if (!have_var)
			continue;
		if (!have_name)
			have_name = gs_assign(line, var, "name", &name);
		if (!have_version)
			have_version = gs_assign(line, var, "version", &version);
	}
	if (!have_var)
		return vigil_error_set(VIGIL_EFORMAT, "no \"Gem::Specification.new do |s|\"");
	if (!have_name || !have_version)
		return vigil_error_set(VIGIL_EFORMAT, "no %.*s.%s = \"...\"", (int)var.len, var.ptr,
				       have_name ? "version" : "name");
	return scan_rpn_add(ctx, VIGIL_PKG_GEM, name, version, 0, "gemspec", out);
}
