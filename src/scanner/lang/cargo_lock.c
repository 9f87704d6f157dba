/* scanner/lang/cargo_lock.c: Cargo.lock (v1, v2, v3, v4): every
 * [[package]] table's name and version, in file order (the root and
 * workspace crates too, as trivy lists them).
 *
 * Debian packages no TOML library for C (only C++ ones), so this is a small
 * strict reader of the TOML that Cargo writes and that a hand edit may
 * add: comments, [table] and [[array]] headers (dotted, quoted keys),
 * key = value with bare, "basic" and 'literal' keys; values: basic and
 * literal strings, their multi-line forms, bare scalars (integers,
 * booleans, dates), arrays (over several lines, trailing comma) and inline
 * tables. Anything else is VIGIL_EFORMAT naming the line. Only strings of
 * [[package]] are decoded; the v1 [metadata] checksum table and
 * everything else is read and ignored. Limits: the file size
 * (VIGIL_MAX_CARGO_LOCK_FILE), nesting (CL_MAX_DEPTH), packages
 * (VIGIL_CARGO_MAX_PACKAGES). */
#include "scanner/lang/gorust.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

#define CL_MAX_DEPTH 16

struct cl {
	const char *p, *end;
	size_t line;
	char *scratch; /* decoded strings, bump-allocated (never longer than the input) */
	size_t used;
};

static int cl_err(struct cl *c, const char *what)
{
	return vigil_error_set(VIGIL_EFORMAT, "Cargo.lock line %zu: %s", c->line, what);
}

/* Skips spaces and tabs (and newlines and comments when nl). */
static void cl_ws(struct cl *c, bool nl)
{
	while (c->p < c->end) {
		char ch = *c->p;
		if (ch == ' ' || ch == '\t' || ch == '\r') {
			c->p++;
		} else if (nl && ch == '\n') {
			c->line++;
			c->p++;
		} else if (ch == '#') {
			while (c->p < c->end && *c->p != '\n')
				c->p++;
		} else {
			break;
		}
	}
}

/* After a statement: only a comment, then the end of the line. */
static int cl_eol(struct cl *c)
{
	cl_ws(c, false);
	if (c->p < c->end && *c->p != '\n')
		return cl_err(c, "unexpected text after the value");
	return 0;
}

static bool cl_bare(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '-';
}

/* After a backslash of a basic string (c->p on the escaped byte): the
 * byte it stands for into *ch; -1 for a line-ending backslash of a
 * multi-line string (the whitespace after it skipped), 0 otherwise. */
static int cl_escape(struct cl *c, bool multi, char *ch)
{
	switch (*c->p) {
	case 'n': *ch = '\n'; return 0;
	case 't': *ch = '\t'; return 0;
	case 'r': *ch = '\r'; return 0;
	case 'b': *ch = '\b'; return 0;
	case 'f': *ch = '\f'; return 0;
	case '"': case '\\': *ch = *c->p; return 0;
	case 'u': case 'U': /* kept as written: never in a name or version */
		*ch = 'u';
		return 0;
	case '\n': case ' ': case '\t': case '\r':
		if (!multi)
			return cl_err(c, "bad escape");
		while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' ||
					 *c->p == '\n'))
			c->line += *c->p++ == '\n';
		return 1;
	default:
		return cl_err(c, "bad escape");
	}
}

/* Whether c->p closes the string. */
static bool cl_closes(const struct cl *c, char q, bool multi)
{
	if (*c->p != q)
		return false;
	if (!multi)
		return true;
	/* """ closes, but up to two quotes before it belong to the string */
	return c->end - c->p >= 3 && c->p[1] == q && c->p[2] == q &&
	       !(c->end - c->p >= 4 && c->p[3] == q);
}

/* A basic ("...", """...""") or literal ('...', '''...''') string; the
 * decoded bytes into *out (scratch) when out is given. */
static int cl_string(struct cl *c, vigil_slice *out)
{
	char q = *c->p;
	bool multi = c->end - c->p >= 3 && c->p[1] == q && c->p[2] == q;
	char *dst = c->scratch + c->used;
	size_t n = 0;
	int rc;
	c->p += multi ? 3 : 1;
	if (multi && c->p < c->end && *c->p == '\n')
		c->p++, c->line++;
	for (;;) {
		if (c->p >= c->end)
			return cl_err(c, "unterminated string");
		char ch = *c->p;
		if (cl_closes(c, q, multi)) {
			c->p += multi ? 3 : 1;
			break;
		}
		if (ch == '\n' && !multi)
			return cl_err(c, "newline in a string");
		c->line += ch == '\n';
		if (ch == '\\' && q == '"') {
			if (++c->p >= c->end)
				return cl_err(c, "unterminated string");
			if ((rc = cl_escape(c, multi, &ch)) < 0)
				return rc;
			if (rc > 0)
				continue;
			if (ch == 'u')
				dst[n++] = '\\';
		}
		dst[n++] = ch;
		c->p++;
	}
	if (out) {
		*out = vigil_slice_make(dst, n);
		c->used += n;
	}
	return 0;
}

static int cl_value(struct cl *c, vigil_slice *str, int depth);

/* [v, v, ...] or {k = v, ...}. */
static int cl_compound(struct cl *c, int depth)
{
	char close = *c->p == '[' ? ']' : '}';
	bool table = close == '}';
	int rc;
	if (depth >= CL_MAX_DEPTH)
		return vigil_error_set(VIGIL_ELIMIT, "Cargo.lock line %zu: nesting over %d",
				       c->line, CL_MAX_DEPTH);
	c->p++;
	for (;;) {
		cl_ws(c, !table);
		if (c->p < c->end && *c->p == close) {
			c->p++;
			return 0;
		}
		if (table) {
			while (c->p < c->end && (cl_bare(*c->p) || *c->p == '.'))
				c->p++;
			cl_ws(c, false);
			if (c->p >= c->end || *c->p++ != '=')
				return cl_err(c, "'=' expected in an inline table");
			cl_ws(c, false);
		}
		if ((rc = cl_value(c, NULL, depth + 1)) < 0)
			return rc;
		cl_ws(c, !table);
		if (c->p < c->end && *c->p == ',')
			c->p++;
		else if (c->p >= c->end || *c->p != close)
			return cl_err(c, table ? "',' or '}' expected" : "',' or ']' expected");
	}
}

static int cl_value(struct cl *c, vigil_slice *str, int depth)
{
	if (c->p >= c->end || *c->p == '\n' || *c->p == '#')
		return cl_err(c, "value expected");
	if (*c->p == '"' || *c->p == '\'')
		return cl_string(c, str);
	if (*c->p == '[' || *c->p == '{')
		return cl_compound(c, depth);
	const char *b = c->p;
	while (c->p < c->end && (cl_bare(*c->p) || *c->p == '.' || *c->p == ':' || *c->p == '+'))
		c->p++;
	if (c->p == b)
		return cl_err(c, "value expected");
	return 0;
}

/* A key (dotted, bare or quoted); *out the first part, decoded. */
static int cl_key(struct cl *c, vigil_slice *out)
{
	bool first = true;
	for (;;) {
		vigil_slice part;
		const char *b = c->p;
		int rc;
		if (c->p < c->end && (*c->p == '"' || *c->p == '\'')) {
			if ((rc = cl_string(c, &part)) < 0)
				return rc;
		} else {
			while (c->p < c->end && cl_bare(*c->p))
				c->p++;
			if (c->p == b)
				return cl_err(c, "key expected");
			part = vigil_slice_make(b, (size_t)(c->p - b));
		}
		if (first)
			*out = part;
		first = false;
		cl_ws(c, false);
		if (c->p >= c->end || *c->p != '.')
			return 0;
		c->p++;
		cl_ws(c, false);
	}
}

struct cl_pkg {
	vigil_slice name, version;
	bool open;
	size_t line;
};

static int cl_emit(vigil_scan_ctx *ctx, struct cl_pkg *pk, vigil_pkg_list *out, size_t *count)
{
	int rc = 0;
	if (!pk->open)
		return 0;
	pk->open = false;
	if (!pk->name.ptr || !pk->version.ptr) {
		scan_warn(ctx, "Cargo.lock line %zu: [[package]] without name or version: skipped",
			  pk->line);
		return 0;
	}
	if (++*count > VIGIL_CARGO_MAX_PACKAGES)
		return vigil_error_set(VIGIL_ELIMIT, "Cargo.lock: over %d packages",
				       VIGIL_CARGO_MAX_PACKAGES);
	rc = scan_lang_cargo_push(ctx, pk->name, pk->version, out);
	return rc;
}

/* A [header] or [[header]]: whether it opens a [[package]]. */
static int cl_header(struct cl *c, bool *is_package)
{
	bool array = c->end - c->p >= 2 && c->p[1] == '[';
	vigil_slice key;
	int rc;
	c->p += array ? 2 : 1;
	cl_ws(c, false);
	const char *b = c->p;
	if ((rc = cl_key(c, &key)) < 0)
		return rc;
	*is_package = array && c->p - b >= 7 && vigil_slice_eq_cstr(key, "package") &&
		      memchr(b, '.', (size_t)(c->p - b)) == NULL;
	if (c->end - c->p < (array ? 2 : 1) || *c->p != ']' || (array && c->p[1] != ']'))
		return cl_err(c, "']' expected");
	c->p += array ? 2 : 1;
	return cl_eol(c);
}

int scan_lang_cargo_lock_parse(vigil_scan_ctx *ctx, const char *data, size_t len,
			       vigil_pkg_list *out)
{
	struct cl c = { data, data + len, 1, NULL, 0 };
	struct cl_pkg pk = { 0 };
	bool in_package = false;
	size_t count = 0;
	int rc = 0;
	if (len > VIGIL_MAX_CARGO_LOCK_FILE)
		return vigil_error_set(VIGIL_ELIMIT, "Cargo.lock of %zu bytes (limit %zu)", len,
				       VIGIL_MAX_CARGO_LOCK_FILE);
	if (memchr(data, '\0', len))
		return vigil_error_set(VIGIL_EFORMAT, "Cargo.lock: NUL byte");
	if (!(c.scratch = malloc(len + 1)))
		return vigil_error_oom();
	for (;;) {
		cl_ws(&c, true);
		if (c.p >= c.end)
			break;
		if (*c.p == '[') {
			if ((rc = cl_emit(ctx, &pk, out, &count)) < 0 ||
			    (rc = cl_header(&c, &in_package)) < 0)
				goto out;
			if (in_package)
				pk = (struct cl_pkg){ .open = true, .line = c.line };
			continue;
		}
		vigil_slice key, val = { 0 };
		if ((rc = cl_key(&c, &key)) < 0)
			goto out;
		if (c.p >= c.end || *c.p++ != '=') {
			rc = cl_err(&c, "'=' expected");
			goto out;
		}
		cl_ws(&c, false);
		if ((rc = cl_value(&c, &val, 0)) < 0 || (rc = cl_eol(&c)) < 0)
			goto out;
		if (in_package && val.ptr && vigil_slice_eq_cstr(key, "name"))
			pk.name = val;
		else if (in_package && val.ptr && vigil_slice_eq_cstr(key, "version"))
			pk.version = val;
	}
	rc = cl_emit(ctx, &pk, out, &count);
out:
	free(c.scratch);
	return rc;
}

bool scan_lang_cargo_lock_path(vigil_slice path)
{
	return vigil_slice_eq_cstr(path, "Cargo.lock") || vigil_slice_ends_with(path, "/Cargo.lock");
}
