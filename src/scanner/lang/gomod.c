/* scanner/lang/gomod.c: go.mod: the modules a Go source tree requires
 * ("require" lines, single and in blocks, "// indirect" ones too) with
 * its "replace" directives applied (the replacement is reported, as for a
 * binary; a replacement by a local directory, "./x", "../x" or "/x", is
 * not a published module and drops the requirement). go.sum is not read.
 *
 * Reported always, not only where no binary says more: the indexer reads
 * one file at a time and a Go binary does not say which go.mod it came
 * from; package_db (the go.mod path) tells the two apart. Syntax (as
 * golang.org/x/mod/modfile): tokens separated by spaces, "quoted" or
 * `raw` strings, // comments, "verb (" ... ")" blocks. Lines of other
 * verbs (module, go, toolchain, exclude, retract, godebug) are ignored.
 * Limits: the file size (VIGIL_MAX_GO_MOD_FILE), GOMOD_MAX_TOKENS per line,
 * GOMOD_MAX_REPLACES. */
#include "scanner/lang/gorust.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

#define GOMOD_MAX_TOKENS 8
#define GOMOD_MAX_REPLACES 4096

struct gomod_rep {
	vigil_slice old_path, old_version, new_path, new_version;
};

/* Splits a line (its comment cut off) into tokens; false on a bad quote. */
static bool gomod_tokens(vigil_slice line, vigil_slice *tok, size_t *n)
{
	size_t i = 0;
	*n = 0;
	while (i < line.len) {
		char ch = line.ptr[i];
		if (ch == ' ' || ch == '\t' || ch == '\r') {
			i++;
			continue;
		}
		if (ch == '/' && i + 1 < line.len && line.ptr[i + 1] == '/')
			break;
		size_t b = i;
		if (ch == '"' || ch == '`') {
			for (i++; i < line.len && line.ptr[i] != ch; i++)
				if (ch == '"' && line.ptr[i] == '\\')
					i++;
			if (i >= line.len)
				return false;
			b++;
		} else {
			while (i < line.len && line.ptr[i] != ' ' && line.ptr[i] != '\t' &&
			       line.ptr[i] != '\r' && !(line.ptr[i] == '/' && i + 1 < line.len &&
							line.ptr[i + 1] == '/'))
				i++;
		}
		if (*n == GOMOD_MAX_TOKENS)
			return false;
		tok[(*n)++] = vigil_slice_make(line.ptr + b, i - b);
		if (ch == '"' || ch == '`')
			i++;
	}
	return true;
}

static bool gomod_local(vigil_slice p)
{
	return vigil_slice_starts_with(p, "./") || vigil_slice_starts_with(p, "../") ||
	       vigil_slice_starts_with(p, "/") || vigil_slice_eq_cstr(p, ".") ||
	       vigil_slice_eq_cstr(p, "..");
}

/* The replace arguments: "old [v] => new [v]". */
static bool gomod_replace(vigil_slice *t, size_t n, struct gomod_rep *r)
{
	size_t arrow = n;
	for (size_t i = 0; i < n; i++)
		if (vigil_slice_eq_cstr(t[i], "=>"))
			arrow = i;
	if (arrow == 0 || arrow > 2 || n - arrow - 1 < 1 || n - arrow - 1 > 2)
		return false;
	*r = (struct gomod_rep){ t[0], arrow == 2 ? t[1] : (vigil_slice){ 0 }, t[arrow + 1],
				 n - arrow - 1 == 2 ? t[arrow + 2] : (vigil_slice){ 0 } };
	return true;
}

struct gomod_req {
	vigil_slice path, version;
};

/* Pass 1 collects; pass 2 pushes with the replacements applied. */
int scan_lang_gomod_parse(vigil_scan_ctx *ctx, const char *data, size_t len,
			  vigil_pkg_list *out)
{
	vigil_slice in = vigil_slice_make(data, len), line, t[GOMOD_MAX_TOKENS];
	struct gomod_rep *reps = NULL;
	struct gomod_req *reqs = NULL;
	size_t nreps = 0, nreqs = 0, lineno = 0, n;
	enum { B_NONE, B_REQUIRE, B_REPLACE, B_OTHER } block = B_NONE;
	int rc = 0;
	if (len > VIGIL_MAX_GO_MOD_FILE)
		return vigil_error_set(VIGIL_ELIMIT, "go.mod of %zu bytes (limit %zu)", len,
				       VIGIL_MAX_GO_MOD_FILE);
	if (memchr(data, '\0', len))
		return vigil_error_set(VIGIL_EFORMAT, "go.mod: NUL byte");
	if (!(reps = calloc(GOMOD_MAX_REPLACES, sizeof(*reps))) ||
	    !(reqs = calloc(len / 3 + 1, sizeof(*reqs)))) {
		rc = vigil_error_oom();
		goto out;
	}
	while (vigil_slice_next_line(&in, &line)) {
		lineno++;
		if (!gomod_tokens(line, t, &n)) {
			rc = vigil_error_set(VIGIL_EFORMAT, "go.mod line %zu: malformed", lineno);
			goto out;
		}
		if (n == 0)
			continue;
		vigil_slice *a = t;
		size_t na = n;
		if (block == B_NONE) {
			bool req = vigil_slice_eq_cstr(t[0], "require");
			bool rep = vigil_slice_eq_cstr(t[0], "replace");
			if (n == 2 && vigil_slice_eq_cstr(t[1], "(")) {
				block = req ? B_REQUIRE : rep ? B_REPLACE : B_OTHER;
				continue;
			}
			if (!req && !rep)
				continue;
			a = t + 1;
			na = n - 1;
			if (rep)
				goto replace;
		} else if (n == 1 && vigil_slice_eq_cstr(t[0], ")")) {
			block = B_NONE;
			continue;
		} else if (block == B_OTHER) {
			continue;
		} else if (block == B_REPLACE) {
			goto replace;
		}
		if (na != 2) {
			rc = vigil_error_set(VIGIL_EFORMAT, "go.mod line %zu: require: path and version expected",
					     lineno);
			goto out;
		}
		reqs[nreqs++] = (struct gomod_req){ a[0], a[1] };
		continue;
replace:
		if (nreps == GOMOD_MAX_REPLACES) {
			rc = vigil_error_set(VIGIL_ELIMIT, "go.mod: over %d replace directives",
					     GOMOD_MAX_REPLACES);
			goto out;
		}
		if (!gomod_replace(a, na, &reps[nreps++])) {
			rc = vigil_error_set(VIGIL_EFORMAT, "go.mod line %zu: replace: malformed", lineno);
			goto out;
		}
	}
	for (size_t i = 0; i < nreqs && rc == 0; i++) {
		vigil_slice p = reqs[i].path, v = reqs[i].version;
		for (size_t j = nreps; j-- > 0;) {
			struct gomod_rep *r = &reps[j];
			if (vigil_slice_eq(r->old_path, p) &&
			    (!r->old_version.ptr || vigil_slice_eq(r->old_version, v))) {
				p = r->new_path;
				v = r->new_version;
				break;
			}
		}
		if (gomod_local(p))
			continue;
		rc = scan_lang_go_push(ctx, p, v, 0, out);
	}
out:
	free(reps);
	free(reqs);
	return rc;
}

bool scan_lang_gomod_path(vigil_slice path)
{
	return vigil_slice_eq_cstr(path, "go.mod") || vigil_slice_ends_with(path, "/go.mod");
}
