/* scanner/lang/yarn.c: yarn.lock, v1 (yarn's own line format) and berry
 * (v2+, a YAML subset yarn writes with __metadata), read with one line
 * reader over slices, the way trivy's yarn parser reads both
 * (pkg/dependency/parser/nodejs/yarn/parse.go; its regular expressions are
 * written out here as small matchers, named after them).
 *
 * The file is cut into blocks at the first empty line ("\n\n", or
 * "\r\n\r\n" when the file has none); a block is one resolved package:
 *
 *   "@babel/code-frame@^7.0.0", "@babel/code-frame@^7.8.3":   (v1)
 *     version "7.8.3"
 *   "@types/color-name@npm:^1.1.1":                           (berry)
 *     version: 1.1.1
 *
 * The header line gives the name (the first pattern's, before the "@" of
 * the range) and the protocol of the range: none or npm: is a registry
 * package; workspace:, patch:, file:, link:, portal:, github: and git*:
 * are not packages (skipped); any other (https:, a tarball) skips the block
 * with a warning. The "version" line gives the version; the __metadata
 * block and "#" comments are skipped; a "dependencies:" list is passed
 * over (its first line that is not a dependency with it). yarn.lock does
 * not say which packages are development ones: no VIGIL_PKG_F_DEV.
 *
 * Limits: the file size (VIGIL_MAX_NODE_LOCK_FILE), no NUL byte; packages
 * per file (VIGIL_MAX_PACKAGES_PER_DB). Text that is not a lock file gives
 * no package and no error, as in trivy. */
#include "scanner/lang/node_lock.h"
#include "util/error.h"

#include <string.h>

bool scan_yarn_lock_path(vigil_slice path)
{
	return scan_node_lock_path(path, "yarn.lock") && !scan_node_path_has_dir(path, ".yarn");
}

/* Go's \s (RE2): [\t\n\f\r ]. */
static bool yarn_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

/* The next block of *in (false at the end). *no_lflf: no "\n\n" is left
 * (so a CRLF file is not searched for one again at every block). */
static bool yarn_next_block(vigil_slice *in, vigil_slice *block, size_t *lines, bool *no_lflf)
{
	const char *end = NULL;
	size_t skip = 0;
	if (in->len == 0)
		return false;
	for (size_t i = 0; i + 1 < in->len && !end && !*no_lflf; i++)
		if (in->ptr[i] == '\n' && in->ptr[i + 1] == '\n')
			end = in->ptr + i, skip = 2;
	*no_lflf = !end;
	for (size_t i = 0; i + 3 < in->len && !end; i++)
		if (memcmp(in->ptr + i, "\r\n\r\n", 4) == 0)
			end = in->ptr + i, skip = 4;
	if (!end)
		end = in->ptr + in->len;
	*block = vigil_slice_make(in->ptr, (size_t)(end - in->ptr));
	*in = vigil_slice_sub(*in, block->len + skip, in->len);
	*lines = skip ? 2 : 0;
	for (size_t i = 0; i < block->len; i++)
		*lines += block->ptr[i] == '\n';
	return true;
}

/* The shortest version (at least one byte) of r whose rest matches
 * \\?"?:?$; false when r is empty. */
static bool yarn_range(vigil_slice r, vigil_slice *version)
{
	static const char *const tails[] = { "", ":", "\"", "\":", "\\", "\\:", "\\\"", "\\\":" };
	/* a tail is at most 3 bytes: only the last lengths can be the shortest */
	for (size_t l = r.len > 4 ? r.len - 3 : 1; l <= r.len; l++)
		for (size_t t = 0; t < sizeof(tails) / sizeof(tails[0]); t++)
			if (vigil_slice_eq_cstr(vigil_slice_sub(r, l, r.len), tails[t])) {
				*version = vigil_slice_sub(r, 0, l);
				return true;
			}
	return false;
}

/* After "name@": (?:(\S+?):)?(.+?)\\?"?:?$ */
static bool yarn_after_at(vigil_slice s, vigil_slice *proto)
{
	vigil_slice version;
	for (size_t m = 1; m < s.len && !yarn_ws(s.ptr[m - 1]); m++)
		if (s.ptr[m] == ':' && yarn_range(vigil_slice_sub(s, m + 1, s.len), &version)) {
			*proto = vigil_slice_sub(s, 0, m);
			return true;
		}
	*proto = vigil_slice_make(s.ptr, 0);
	return yarn_range(s, &version);
}

/* yarnPatternRegexp from s[pos..]: (\S+?)@ then yarn_after_at. */
static bool yarn_pattern_at(vigil_slice s, size_t pos, vigil_slice *name, vigil_slice *proto)
{
	for (size_t j = pos + 1; j < s.len && !yarn_ws(s.ptr[j - 1]); j++) {
		if (yarn_ws(s.ptr[j]))
			return false;
		if (s.ptr[j] == '@' && yarn_after_at(vigil_slice_sub(s, j + 1, s.len), proto)) {
			*name = vigil_slice_sub(s, pos, j - pos);
			return true;
		}
	}
	return false;
}

/* yarnPatternRegexp: ^\s?\\?"?(\S+?)@(?:(\S+?):)?(.+?)\\?"?:?$, the
 * optional prefix tried greedily first, as RE2's leftmost-first match. */
static bool yarn_pattern(vigil_slice s, vigil_slice *name, vigil_slice *proto)
{
	for (int v = 7; v >= 0; v--) {
		size_t pos = 0;
		if ((v & 4) && !(pos < s.len && yarn_ws(s.ptr[pos++])))
			continue;
		if ((v & 2) && !(pos < s.len && s.ptr[pos++] == '\\'))
			continue;
		if ((v & 1) && !(pos < s.len && s.ptr[pos++] == '"'))
			continue;
		if (yarn_pattern_at(s, pos, name, proto))
			return true;
	}
	return false;
}

/* yarnVersionRegexp on a line starting with "version":
 * ^"?version:?"?\s+"?([^"]+)"? */
static bool yarn_version(vigil_slice t, vigil_slice *version)
{
	size_t i = strlen("version"), start;
	if (i < t.len && t.ptr[i] == ':')
		i++;
	if (i < t.len && t.ptr[i] == '"')
		i++;
	if (i >= t.len || !yarn_ws(t.ptr[i]))
		return false;
	while (i < t.len && yarn_ws(t.ptr[i]))
		i++;
	if (i < t.len && t.ptr[i] == '"')
		i++;
	start = i;
	while (i < t.len && t.ptr[i] != '"')
		i++;
	*version = vigil_slice_sub(t, start, i - start);
	return version->len > 0;
}

/* yarnDependencyRegexp (unanchored): \s{4,}"?(.+?)"?:?\s"?(\S+?:)?([^"]+)"?
 * i.e. four blanks, at least one byte, a blank, then a byte that is not a
 * quote (after at most one quote). */
static bool yarn_dependency(vigil_slice l)
{
	size_t i = 0, run = 0;
	/* the first run of four blanks: a later one only leaves fewer j */
	while (i < l.len && run < 4)
		run = yarn_ws(l.ptr[i++]) ? run + 1 : 0;
	if (run < 4)
		return false;
	for (size_t j = i + 1; j + 1 < l.len; j++)
		if (yarn_ws(l.ptr[j]) &&
		    (l.ptr[j + 1] != '"' || (j + 2 < l.len && l.ptr[j + 2] != '"')))
			return true;
	return false;
}

static bool yarn_proto_in(vigil_slice p, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (vigil_slice_eq_cstr(p, list[i]))
			return true;
	return false;
}

/* One block: adds its package, if it is one. */
static int yarn_block(scan_node_out *o, vigil_slice block, size_t line_no)
{
	static const char *const ignored[] = { "workspace", "patch", "file", "link", "portal",
					       "github", "git", "git+ssh", "git+http", "git+https",
					       "git+file" };
	vigil_slice in = block, line, name = { "", 0 }, version = { "", 0 }, proto;
	bool skip = false, drop = false;
	while (vigil_slice_next_line(&in, &line)) {
		vigil_slice t, n, p;
		if (line.len == 0 || line.ptr[0] == '#' || skip)
			continue;
		if (vigil_slice_starts_with(line, "__metadata")) {
			skip = true;
			continue;
		}
		t = vigil_slice_trim(line);
		if (t.len > 0 && t.ptr[0] == '"')
			t = vigil_slice_sub(t, 1, t.len);
		if (vigil_slice_starts_with(t, "version")) {
			if (!yarn_version(t, &version))
				skip = drop = true;
			continue;
		}
		if (vigil_slice_starts_with(t, "dependencies:")) {
			while (vigil_slice_next_line(&in, &line) && yarn_dependency(line))
				;
			continue;
		}
		vigil_slice first = t;
		for (size_t i = 0; i + 1 < t.len; i++)
			if (t.ptr[i] == ',' && t.ptr[i + 1] == ' ') {
				first = vigil_slice_sub(t, 0, i);
				break;
			}
		if (!yarn_pattern(first, &n, &p))
			continue;
		if (p.len == 0 || vigil_slice_eq_cstr(p, "npm")) {
			name = n;
			continue;
		}
		skip = true;
		proto = p;
		if (!yarn_proto_in(p, ignored, sizeof(ignored) / sizeof(ignored[0]))) {
			scan_warn(o->ctx, "line %zu: %.*s: protocol \"%.*s:\" not read", line_no,
				  scan_node_shown(n), n.ptr, scan_node_shown(proto), proto.ptr);
			return 0;
		}
	}
	if (drop) {
		scan_warn(o->ctx, "line %zu: a version line that is not one: block skipped", line_no);
		return 0;
	}
	if (name.len == 0)
		return 0;
	return scan_node_add(o, name, version, false);
}

int scan_yarn_lock_parse(vigil_scan_ctx *ctx, const char *data, size_t len, vigil_pkg_list *out)
{
	vigil_slice in = vigil_slice_make(data, len), block;
	scan_node_out o;
	size_t line_no = 1, lines;
	bool no_lflf = false;
	int rc;
	scan_node_out_init(&o, ctx, out);
	if ((rc = scan_text_check("yarn.lock", data, len, VIGIL_MAX_NODE_LOCK_FILE)) != 0)
		goto out;
	while (rc == 0 && yarn_next_block(&in, &block, &lines, &no_lflf)) {
		rc = yarn_block(&o, block, line_no);
		line_no += lines;
	}
out:
	scan_node_out_done(&o, rc);
	return rc;
}
