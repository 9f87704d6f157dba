/* scanner/dpkg.c: reads the dpkg database of Debian and Ubuntu images: the
 * var/lib/dpkg/status file (RFC822-like stanzas separated by empty lines,
 * continuation lines start with a space or a tab) and the files of the
 * distroless var/lib/dpkg/status.d/ folder (one or more stanzas without a
 * Status field). Lines are split as dpkg's parsedb() does; the Status field
 * ("want flag status") decides whether a package counts: only the states in
 * which the package's files are on disk do (half-installed, unpacked,
 * half-configured, triggers-awaited, triggers-pending, installed), never
 * not-installed or config-files. Only the fields vigil uses are kept and
 * validated (Package, Version, Architecture, Source, Multi-Arch, Status,
 * Maintainer, Installed-Size); the others are skipped. See docs/packages.md. */
#include "scanner/scanner.h"
#include "util/error.h"
#include "util/utf8.h"
#include "util/slice.h"

#include <string.h>

/* The largest status file read. */
#define VIGIL_DPKG_MAX_SIZE ((size_t)512 * 1024 * 1024)
/* The longest line (a Depends or Provides line is a few KiB at most). */
#define VIGIL_DPKG_MAX_LINE (256 * 1024)
/* The longest value of a field vigil keeps (Package, Version, Maintainer...). */
#define VIGIL_DPKG_MAX_VALUE 4096
/* The most stanzas in one file (installed or not). */
#define VIGIL_DPKG_MAX_STANZAS VIGIL_MAX_PACKAGES_PER_DB
/* The most fields in one stanza. */
#define VIGIL_DPKG_MAX_FIELDS 1024

enum field {
	F_PACKAGE, F_VERSION, F_ARCH, F_SOURCE, F_MULTIARCH, F_STATUS, F_MAINTAINER, F_SIZE,
	F_COUNT
};

static const char *const field_names[F_COUNT] = {
	"Package", "Version", "Architecture", "Source", "Multi-Arch", "Status", "Maintainer",
	"Installed-Size",
};

/* The third word of Status, in dpkg's order, and whether files are on disk. */
enum state { S_NOT_INSTALLED, S_CONFIG_FILES, S_HALF_INSTALLED, S_UNPACKED, S_HALF_CONFIGURED,
	     S_TRIGGERS_AWAITED, S_TRIGGERS_PENDING, S_INSTALLED };

static const char *const wants[] = { "unknown", "install", "hold", "deinstall", "purge" };
/* "hold" and "hold-reinstreq" are what dpkg before 1.13 wrote. */
static const char *const eflags[] = { "ok", "reinstreq", "hold", "hold-reinstreq" };
static const char *const states[] = { "not-installed", "config-files", "half-installed",
				      "unpacked", "half-configured", "triggers-awaited",
				      "triggers-pending", "installed" };

struct stanza {
	size_t line;              /* its first line; 0 while none is open */
	size_t nfields;
	int cur;                  /* kept field the last line belongs to, -1 another */
	vigil_slice val[F_COUNT];
	size_t vline[F_COUNT];    /* line of each kept field, 0 when absent */
};

struct dpkg {
	vigil_scan_ctx *ctx;
	vigil_pkg_list *out;
	bool status_d;
	size_t stanzas;
	const char *db;
};

/* ---- small checks ---- */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static bool in_set(char c, const char *set) { return c != '\0' && strchr(set, c) != NULL; }
static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }

static bool eq_nocase(vigil_slice a, const char *b)
{
	size_t n = strlen(b);
	if (a.len != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower(a.ptr[i]) != lower(b[i]))
			return false;
	return true;
}

static int word_index(vigil_slice w, const char *const *names, int count)
{
	for (int i = 0; i < count; i++)
		if (eq_nocase(w, names[i]))
			return i;
	return -1;
}

/* dpkg's pkg_name_is_illegal(): NULL when fine, else why not. */
static const char *name_error(vigil_slice n)
{
	if (n.len == 0)
		return "empty package name";
	if (!is_alnum(n.ptr[0]))
		return "package name must start with an alphanumeric character";
	for (size_t i = 1; i < n.len; i++)
		if (!is_alnum(n.ptr[i]) && !in_set(n.ptr[i], "-+._"))
			return "invalid character in package name";
	return NULL;
}

/* dpkg's parseversion() ([epoch:]upstream[-revision]): NULL when fine. */
static const char *version_error(vigil_slice v)
{
	vigil_slice up = v, rev = { v.ptr + v.len, 0 };
	uint64_t epoch;
	if (v.len == 0)
		return "empty version";
	for (size_t i = 0; i < v.len; i++)
		if (v.ptr[i] == ' ' || v.ptr[i] == '\t')
			return "version has embedded spaces";
	ptrdiff_t colon = vigil_slice_find(v, ':');
	if (colon >= 0) {
		if (colon == 0)
			return "empty epoch";
		if (!vigil_slice_to_u64(vigil_slice_sub(v, 0, (size_t)colon), INT32_MAX, &epoch))
			return "epoch is not a number (0 to 2147483647)";
		up = vigil_slice_sub(v, (size_t)colon + 1, v.len);
		if (up.len == 0)
			return "nothing after the epoch colon";
	}
	ptrdiff_t dash = vigil_slice_rfind(up, '-');
	if (dash >= 0) {
		rev = vigil_slice_sub(up, (size_t)dash + 1, up.len);
		up.len = (size_t)dash;
		if (rev.len == 0)
			return "empty revision";
	}
	if (up.len == 0)
		return "empty upstream version";
	for (size_t i = 0; i < up.len; i++)
		if (!is_alnum(up.ptr[i]) && !in_set(up.ptr[i], ".-+~:"))
			return "invalid character in upstream version";
	for (size_t i = 0; i < rev.len; i++)
		if (!is_alnum(rev.ptr[i]) && !in_set(rev.ptr[i], ".+~"))
			return "invalid character in revision";
	return NULL;
}

static int field_error(struct stanza *st, enum field f, const char *why)
{
	vigil_slice v = st->val[f];
	return vigil_error_set(VIGIL_EFORMAT, "line %zu: field %s: %s ('%.*s')", st->vline[f],
			       field_names[f], why, (int)(v.len > 200 ? 200 : v.len), v.ptr);
}

/* Status "want flag status" -> the state; -1 with the error set. */
static int parse_status(struct stanza *st)
{
	vigil_slice rest = st->val[F_STATUS], w[3];
	for (int i = 0; i < 3; i++) {
		size_t n = 0;
		rest = vigil_slice_trim(rest);
		while (n < rest.len && rest.ptr[n] != ' ' && rest.ptr[n] != '\t')
			n++;
		w[i] = vigil_slice_sub(rest, 0, n);
		rest = vigil_slice_sub(rest, n, rest.len);
	}
	if (vigil_slice_trim(rest).len || !w[2].len) {
		field_error(st, F_STATUS, "not three words \"want flag status\"");
		return -1;
	}
	if (word_index(w[0], wants, 5) < 0) {
		field_error(st, F_STATUS, "unknown first (want) word");
		return -1;
	}
	if (word_index(w[1], eflags, 4) < 0) {
		field_error(st, F_STATUS, "unknown second (error flag) word");
		return -1;
	}
	int s = word_index(w[2], states, 8);
	if (s < 0)
		field_error(st, F_STATUS, "unknown third (status) word");
	return s;
}

/* "name" or "name (version)". */
static int parse_source(struct stanza *st, vigil_slice *name, vigil_slice *version)
{
	vigil_slice v = st->val[F_SOURCE];
	size_t n = 0;
	const char *why;
	while (n < v.len && v.ptr[n] != ' ' && v.ptr[n] != '\t' && v.ptr[n] != '(')
		n++;
	*name = vigil_slice_sub(v, 0, n);
	vigil_slice rest = vigil_slice_trim(vigil_slice_sub(v, n, v.len));
	if ((why = name_error(*name)) != NULL)
		return field_error(st, F_SOURCE, why);
	version->len = 0;
	if (rest.len == 0)
		return 0;
	if (rest.len < 2 || rest.ptr[0] != '(' || rest.ptr[rest.len - 1] != ')')
		return field_error(st, F_SOURCE, "expected \"name\" or \"name (version)\"");
	*version = vigil_slice_trim(vigil_slice_sub(rest, 1, rest.len - 2));
	if ((why = version_error(*version)) != NULL)
		return field_error(st, F_SOURCE, why);
	return 0;
}

/* ---- one stanza into one package ---- */

static int put_str(struct dpkg *p, vigil_slice v, const char **out)
{
	if (v.len == 0) {
		*out = NULL;
		return 0;
	}
	*out = scan_str(p->ctx, v.ptr, v.len);
	if (!*out)
		return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
	return 0;
}

/* Checks every kept field of the stanza; *count says whether it is a package. */
static int check_stanza(struct dpkg *p, struct stanza *st, bool *count)
{
	static const char *const multiarch[] = { "no", "same", "foreign", "allowed" };
	const char *why;
	int state = -1;
	if (!st->vline[F_PACKAGE])
		return vigil_error_set(VIGIL_EFORMAT, "line %zu: stanza without a Package field",
				       st->line);
	if ((why = name_error(st->val[F_PACKAGE])) != NULL)
		return field_error(st, F_PACKAGE, why);
	if (st->vline[F_STATUS] && (state = parse_status(st)) < 0)
		return vigil_error_code();
	if (st->vline[F_VERSION] && (why = version_error(st->val[F_VERSION])) != NULL)
		return field_error(st, F_VERSION, why);
	if (st->val[F_ARCH].len) {
		vigil_slice a = st->val[F_ARCH];
		if (!is_alnum(a.ptr[0]))
			return field_error(st, F_ARCH, "invalid architecture name");
		for (size_t i = 0; i < a.len; i++)
			if (!is_alnum(a.ptr[i]) && a.ptr[i] != '-')
				return field_error(st, F_ARCH, "invalid architecture name");
	}
	if (st->val[F_MULTIARCH].len && word_index(st->val[F_MULTIARCH], multiarch, 4) < 0)
		return field_error(st, F_MULTIARCH, "not one of no, same, foreign, allowed");

	vigil_slice name = st->val[F_PACKAGE];
	*count = true;
	if (!st->vline[F_STATUS] && !p->status_d) {
		scan_warn(p->ctx, "line %zu: package %.*s has no Status field: not installed",
				st->line, (int)name.len, name.ptr);
		*count = false;
	} else if (!p->status_d && state < S_HALF_INSTALLED) {
		*count = false;
	}
	if (*count && !st->vline[F_VERSION]) {
		if (state != S_HALF_INSTALLED)
			return vigil_error_set(VIGIL_EFORMAT, "line %zu: package %.*s has no Version field",
					       st->line, (int)name.len, name.ptr);
		scan_warn(p->ctx, "line %zu: half-installed package %.*s has no Version: skipped",
				st->line, (int)name.len, name.ptr);
		*count = false;
	}
	return 0;
}

static int finish_stanza(struct dpkg *p, struct stanza *st)
{
	vigil_slice src, srcver = st->val[F_VERSION], size = st->val[F_SIZE];
	vigil_slice maint = st->val[F_MAINTAINER];
	char name[VIGIL_DPKG_MAX_VALUE];
	vigil_package pkg, *slot;
	bool count = false;
	uint64_t kib = 0;
	int rc;

	if ((rc = check_stanza(p, st, &count)) < 0 || !count)
		return rc;
	/* dpkg folds package names to lower case (and so the default source name). */
	for (size_t i = 0; i < st->val[F_PACKAGE].len; i++)
		name[i] = lower(st->val[F_PACKAGE].ptr[i]);
	src = vigil_slice_make(name, st->val[F_PACKAGE].len);
	if (st->vline[F_SOURCE]) {
		vigil_slice sv;
		if ((rc = parse_source(st, &src, &sv)) < 0)
			return rc;
		if (sv.len)
			srcver = sv;
	}
	if (size.len && !vigil_slice_to_u64(size, UINT64_MAX / 1024, &kib)) {
		scan_warn(p->ctx, "line %zu: field Installed-Size: not a number of KiB: ignored",
				st->vline[F_SIZE]);
		kib = 0;
	}
	if (!vigil_utf8_valid(maint.ptr, maint.len)) {
		scan_warn(p->ctx, "line %zu: field Maintainer: invalid UTF-8: ignored",
				st->vline[F_MAINTAINER]);
		maint.len = 0;
	}
	memset(&pkg, 0, sizeof(pkg));
	pkg.type = VIGIL_PKG_DPKG;
	pkg.installed_size = kib * 1024;
	pkg.package_db = p->db;
	if ((rc = put_str(p, vigil_slice_make(name, st->val[F_PACKAGE].len), &pkg.name)) < 0 ||
	    (rc = put_str(p, st->val[F_VERSION], &pkg.version)) < 0 ||
	    (rc = put_str(p, st->val[F_ARCH], &pkg.arch)) < 0 ||
	    (rc = put_str(p, src, &pkg.source_name)) < 0 ||
	    (rc = put_str(p, srcver, &pkg.source_version)) < 0 ||
	    (rc = put_str(p, st->val[F_MULTIARCH], &pkg.multi_arch)) < 0 ||
	    (rc = put_str(p, st->val[F_STATUS], &pkg.status)) < 0 ||
	    (rc = put_str(p, maint, &pkg.maintainer)) < 0)
		return rc;
	if ((rc = scan_pkg_list_push(p->out, &slot)) < 0) {
		vigil_error_prefix("line %zu: ", st->line);
		return rc;
	}
	*slot = pkg;
	return 0;
}

/* ---- lines ---- */

/* "Name: value" (dpkg allows blanks before the colon). */
static int field_line(struct dpkg *p, struct stanza *st, vigil_slice line, size_t lno)
{
	size_t i = 0;
	while (i < line.len && line.ptr[i] != ':' && line.ptr[i] != ' ' && line.ptr[i] != '\t')
		i++;
	vigil_slice name = vigil_slice_sub(line, 0, i);
	while (i < line.len && (line.ptr[i] == ' ' || line.ptr[i] == '\t'))
		i++;
	if (i >= line.len || line.ptr[i] != ':')
		return vigil_error_set(VIGIL_EFORMAT, "line %zu: field line without a colon ('%.*s')",
				       lno, (int)(name.len > 100 ? 100 : name.len), name.ptr);
	if (name.len == 0)
		return vigil_error_set(VIGIL_EFORMAT, "line %zu: empty field name", lno);
	if (!st->line) {
		if (p->stanzas >= VIGIL_DPKG_MAX_STANZAS)
			return vigil_error_set(VIGIL_ELIMIT, "line %zu: more than %d stanzas", lno,
					       VIGIL_DPKG_MAX_STANZAS);
		p->stanzas++;
		st->line = lno;
	}
	if (++st->nfields > VIGIL_DPKG_MAX_FIELDS)
		return vigil_error_set(VIGIL_ELIMIT, "line %zu: more than %d fields in one stanza",
				       lno, VIGIL_DPKG_MAX_FIELDS);
	st->cur = word_index(name, field_names, F_COUNT);
	if (st->cur < 0)
		return 0;
	if (st->vline[st->cur])
		return vigil_error_set(VIGIL_EFORMAT, "line %zu: duplicate field %s (first at line %zu)",
				       lno, field_names[st->cur], st->vline[st->cur]);
	vigil_slice value = vigil_slice_trim(vigil_slice_sub(line, i + 1, line.len));
	if (value.len > VIGIL_DPKG_MAX_VALUE)
		return vigil_error_set(VIGIL_ELIMIT, "line %zu: field %s: longer than %d bytes", lno,
				       field_names[st->cur], VIGIL_DPKG_MAX_VALUE);
	st->val[st->cur] = value;
	st->vline[st->cur] = lno;
	return 0;
}

static int parse_lines(struct dpkg *p, const char *data, size_t len)
{
	vigil_slice in = vigil_slice_make(data, len), line;
	struct stanza st;
	size_t lno = 0;
	int rc;

	memset(&st, 0, sizeof(st));
	while (vigil_slice_next_line(&in, &line)) {
		lno++;
		if (line.len > VIGIL_DPKG_MAX_LINE)
			return vigil_error_set(VIGIL_ELIMIT, "line %zu: longer than %d bytes", lno,
					       VIGIL_DPKG_MAX_LINE);
		if (line.len == 0) {
			if (st.line && (rc = finish_stanza(p, &st)) < 0)
				return rc;
			memset(&st, 0, sizeof(st));
		} else if (line.ptr[0] == ' ' || line.ptr[0] == '\t') {
			if (!st.line)
				return vigil_error_set(VIGIL_EFORMAT,
						       "line %zu: continuation line outside a field", lno);
			if (st.cur >= 0)
				return vigil_error_set(VIGIL_EFORMAT,
						       "line %zu: field %s: continuation line in a one-line field",
						       lno, field_names[st.cur]);
		} else if ((rc = field_line(p, &st, line, lno)) < 0) {
			return rc;
		}
	}
	if (st.line && (rc = finish_stanza(p, &st)) < 0)
		return rc;
	return 0;
}

int scan_dpkg_parse(vigil_scan_ctx *ctx, const char *data, size_t len, bool status_d,
		     vigil_pkg_list *out)
{
	struct dpkg p = { .ctx = ctx, .out = out, .status_d = status_d };
	int rc;

	if (!ctx || !out || (!data && len))
		return vigil_error_set(VIGIL_EINVAL, "scan_dpkg_parse: bad argument");
	if ((rc = scan_text_check("dpkg database", data, len, VIGIL_DPKG_MAX_SIZE)) < 0)
		return rc;
	if (ctx->path && !(p.db = scan_str(ctx, ctx->path, strlen(ctx->path))))
		return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
	/* On error, out is left as it was on entry. */
	size_t start = out->len;
	if ((rc = parse_lines(&p, data, len)) < 0)
		out->len = start;
	return rc;
}
