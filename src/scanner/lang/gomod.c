/* scanner/lang/gomod.c: go.mod, as trivy's golang/mod parser reads it
 * (pkg/dependency/parser/golang/mod/parse.go): the main module ("module",
 * no version), every "require" (single lines and blocks); "// indirect"
 * ones too unless the "go" line is older than 1.17 (whose go.mod lists
 * them incompletely); "replace" directives applied: the replacement is
 * reported, a replacement without a version (a local directory) drops the
 * requirement. A version-specific replace wins over a path-only one, as
 * in the go command (trivy applies them in file order). go.sum is not
 * read; no "stdlib" (the go line is a minimum, not the toolchain).
 *
 * Which go.mod files: any, except those of Go's own source tree and module
 * cache, of vendored copies and of test data (scan_lang_gomod_path), whose
 * requirements are not an application's. They are reported even where a
 * binary built from them exists: the indexer reads one file at a time and
 * a binary does not name its go.mod; package_db (the go.mod path) tells
 * the two apart. See docs/lang.md.
 *
 * Syntax (golang.org/x/mod/modfile): tokens separated by spaces, "quoted"
 * or `raw` strings, // comments, "verb (" ... ")" blocks. Other verbs
 * (toolchain, exclude, retract, godebug) are ignored. Limits: the file
 * size (VIGIL_MAX_GO_MOD_FILE), GOMOD_MAX_TOKENS per line,
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

struct gomod_req {
	vigil_slice path, version;
	bool indirect;
};

struct gomod {
	vigil_slice module, go;
	struct gomod_req *reqs;
	struct gomod_rep *reps;
	size_t nreqs, nreps;
};

/* Splits a line into tokens and its comment (after "//"); false on a bad
 * quote or too many tokens. */
static bool gomod_tokens(vigil_slice line, vigil_slice *tok, size_t *n, vigil_slice *comment)
{
	size_t i = 0;
	*n = 0;
	*comment = (vigil_slice){ 0 };
	while (i < line.len) {
		char ch = line.ptr[i];
		if (ch == ' ' || ch == '\t' || ch == '\r') {
			i++;
			continue;
		}
		if (ch == '/' && i + 1 < line.len && line.ptr[i + 1] == '/') {
			*comment = vigil_slice_trim(vigil_slice_sub(line, i + 2, line.len));
			break;
		}
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

/* modfile's isIndirect: the comment is "indirect" or starts "indirect;". */
static bool gomod_indirect(vigil_slice c)
{
	return vigil_slice_eq_cstr(c, "indirect") || vigil_slice_starts_with(c, "indirect;");
}

/* The arguments of a replace: "old [v] => new [v]". */
static int gomod_replace(struct gomod *m, vigil_slice *t, size_t n, size_t lineno)
{
	size_t arrow = n;
	for (size_t i = 0; i < n; i++)
		if (vigil_slice_eq_cstr(t[i], "=>"))
			arrow = i;
	if (arrow == 0 || arrow > 2 || n - arrow - 1 < 1 || n - arrow - 1 > 2)
		return vigil_error_set(VIGIL_EFORMAT, "go.mod line %zu: replace: malformed", lineno);
	if (m->nreps == GOMOD_MAX_REPLACES)
		return vigil_error_set(VIGIL_ELIMIT, "go.mod: over %d replace directives",
				       GOMOD_MAX_REPLACES);
	m->reps[m->nreps++] = (struct gomod_rep){
		t[0], arrow == 2 ? t[1] : (vigil_slice){ 0 }, t[arrow + 1],
		n - arrow - 1 == 2 ? t[arrow + 2] : (vigil_slice){ 0 }
	};
	return 0;
}

static int gomod_require(struct gomod *m, vigil_slice *t, size_t n, vigil_slice comment,
			 size_t lineno)
{
	if (n != 2)
		return vigil_error_set(VIGIL_EFORMAT,
				       "go.mod line %zu: require: path and version expected", lineno);
	m->reqs[m->nreqs++] = (struct gomod_req){ t[0], t[1], gomod_indirect(comment) };
	return 0;
}

/* Reads every line into m. */
static int gomod_read(struct gomod *m, vigil_slice in)
{
	enum { B_NONE, B_REQUIRE, B_REPLACE, B_OTHER } block = B_NONE;
	vigil_slice line, t[GOMOD_MAX_TOKENS], comment;
	size_t n, lineno = 0;
	while (vigil_slice_next_line(&in, &line)) {
		lineno++;
		if (!gomod_tokens(line, t, &n, &comment))
			return vigil_error_set(VIGIL_EFORMAT, "go.mod line %zu: malformed", lineno);
		if (n == 0)
			continue;
		if (block != B_NONE) {
			if (n == 1 && vigil_slice_eq_cstr(t[0], ")"))
				block = B_NONE;
			else if (block == B_REQUIRE && gomod_require(m, t, n, comment, lineno) < 0)
				return vigil_error_code();
			else if (block == B_REPLACE && gomod_replace(m, t, n, lineno) < 0)
				return vigil_error_code();
			continue;
		}
		bool req = vigil_slice_eq_cstr(t[0], "require"), rep = vigil_slice_eq_cstr(t[0], "replace");
		if (n == 2 && vigil_slice_eq_cstr(t[1], "(")) {
			block = req ? B_REQUIRE : rep ? B_REPLACE : B_OTHER;
		} else if (req) {
			if (gomod_require(m, t + 1, n - 1, comment, lineno) < 0)
				return vigil_error_code();
		} else if (rep) {
			if (gomod_replace(m, t + 1, n - 1, lineno) < 0)
				return vigil_error_code();
		} else if (n == 2 && vigil_slice_eq_cstr(t[0], "module")) {
			m->module = t[1];
		} else if (n == 2 && vigil_slice_eq_cstr(t[0], "go")) {
			m->go = t[1];
		}
	}
	return 0;
}

/* trivy's lessThan(go, 1, 17) for "1.N" lines. */
static bool gomod_before_117(vigil_slice go)
{
	vigil_slice major, minor;
	uint64_t ma, mi;
	return vigil_slice_split(go, '.', &major, &minor) && vigil_slice_to_u64(major, 9, &ma) &&
	       vigil_slice_to_u64(minor, 1000, &mi) && ma <= 1 && mi < 17;
}

/* The replace for p@v: a version-specific one first, then a path-only one. */
static const struct gomod_rep *gomod_find_rep(const struct gomod *m, vigil_slice p, vigil_slice v)
{
	const struct gomod_rep *any = NULL;
	for (size_t j = 0; j < m->nreps; j++) {
		const struct gomod_rep *r = &m->reps[j];
		if (!vigil_slice_eq(r->old_path, p))
			continue;
		if (r->old_version.ptr && vigil_slice_eq(r->old_version, v))
			return r;
		if (!r->old_version.ptr && !any)
			any = r;
	}
	return any;
}

static int gomod_emit(vigil_scan_ctx *ctx, const struct gomod *m, vigil_pkg_list *out)
{
	bool skip_indirect = m->go.ptr && gomod_before_117(m->go);
	int rc = 0;
	if (m->module.len)
		rc = scan_lang_go_push(ctx, m->module, (vigil_slice){ 0 }, 0, out);
	for (size_t i = 0; i < m->nreqs && rc == 0; i++) {
		const struct gomod_req *q = &m->reqs[i];
		if (skip_indirect && q->indirect)
			continue;
		const struct gomod_rep *r = gomod_find_rep(m, q->path, q->version);
		if (r && !r->new_version.ptr)
			continue; /* a local directory */
		rc = r ? scan_lang_go_push(ctx, r->new_path, r->new_version, 0, out)
		       : scan_lang_go_push(ctx, q->path, q->version, 0, out);
	}
	return rc;
}

int scan_lang_gomod_parse(vigil_scan_ctx *ctx, const char *data, size_t len,
			  vigil_pkg_list *out)
{
	struct gomod m = { 0 };
	int rc;
	if (len > VIGIL_MAX_GO_MOD_FILE)
		return vigil_error_set(VIGIL_ELIMIT, "go.mod of %zu bytes (limit %zu)", len,
				       VIGIL_MAX_GO_MOD_FILE);
	if (memchr(data, '\0', len))
		return vigil_error_set(VIGIL_EFORMAT, "go.mod: NUL byte");
	/* a require line takes at least 4 bytes ("a b\n") */
	if (!(m.reps = calloc(GOMOD_MAX_REPLACES, sizeof(*m.reps))) ||
	    !(m.reqs = calloc(len / 3 + 1, sizeof(*m.reqs)))) {
		rc = vigil_error_oom();
		goto out;
	}
	if ((rc = gomod_read(&m, vigil_slice_make(data, len))) == 0)
		rc = gomod_emit(ctx, &m, out);
out:
	free(m.reps);
	free(m.reqs);
	return rc;
}

/* Go's own tree (GOROOT: /usr/local/go, Debian's /usr/lib/go-1.N and
 * /usr/share/go-1.N), the module cache (.../pkg/mod/), vendored copies
 * and test data are not applications. */
static bool gomod_excluded(vigil_slice p)
{
	static const char *prefixes[] = { "usr/local/go/", "usr/lib/go/", "usr/lib/go-",
					  "usr/share/go/", "usr/share/go-" };
	static const char *parts[] = { "/pkg/mod/", "/vendor/", "/testdata/" };
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (vigil_slice_starts_with(p, prefixes[i]))
			return true;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		size_t n = strlen(parts[i]);
		if (vigil_slice_starts_with(p, parts[i] + 1))
			return true;
		for (size_t j = 0; j + n <= p.len; j++)
			if (memcmp(p.ptr + j, parts[i], n) == 0)
				return true;
	}
	return false;
}

bool scan_lang_gomod_path(vigil_slice path)
{
	return (vigil_slice_eq_cstr(path, "go.mod") || vigil_slice_ends_with(path, "/go.mod")) &&
	       !gomod_excluded(path);
}
