/* scanner/apk.c: reads the apk database of Alpine (and Wolfi, Chainguard)
 * images, lib/apk/db/installed: one entry per installed package, entries
 * separated by an empty line, every other line "X:value" where X is one
 * letter (P name, V version, A arch, o origin, m maintainer, L license,
 * c aports commit, I installed size, and many more vigil skips: a/Z/M
 * file attributes, D/p dependencies and provides, ...). The F (folder) and
 * R (file in the last F folder) lines are read only when ctx->file asks for
 * the packages' files: each F/R pair goes to it once the entry is done. A line that is not
 * "X:value" means the database is corrupt and is an error (apk-tools itself
 * would silently drop it); an entry without V: is skipped with a warning.
 * See docs/packages.md. */
#include "scanner/scanner.h"
#include "util/error.h"
#include "util/utf8.h"
#include "util/slice.h"

#include <string.h>

/* The largest database read. */
#define VIGIL_APK_MAX_SIZE ((size_t)512 * 1024 * 1024)
/* The longest line (a long p: or D: line is a few KiB). */
#define VIGIL_APK_MAX_LINE (256 * 1024)
/* The longest value of a field vigil keeps. */
#define VIGIL_APK_MAX_VALUE 4096
/* The most entries in one database. */
#define VIGIL_APK_MAX_ENTRIES VIGIL_MAX_PACKAGES_PER_DB

enum key { K_NAME, K_VERSION, K_ARCH, K_ORIGIN, K_MAINTAINER, K_LICENSE, K_COMMIT, K_SIZE,
	   K_COUNT };

static const char key_letters[K_COUNT] = { 'P', 'V', 'A', 'o', 'm', 'L', 'c', 'I' };

struct entry {
	size_t line;           /* first line; 0 while none is open */
	const char *files, *files_end; /* from the first F:/R: line to the end of the last */
	vigil_slice val[K_COUNT];
	size_t vline[K_COUNT]; /* 0 when absent */
};

struct apk {
	vigil_scan_ctx *ctx;
	vigil_pkg_list *out;
	size_t entries;
	const char *db;
};

/* Name, version, arch, origin, commit: printable ASCII without spaces. */
static bool is_token(vigil_slice v)
{
	for (size_t i = 0; i < v.len; i++)
		if ((unsigned char)v.ptr[i] <= 0x20 || (unsigned char)v.ptr[i] >= 0x7F)
			return false;
	return true;
}

static int put_str(struct apk *a, vigil_slice v, const char **out)
{
	if (v.len == 0) {
		*out = NULL;
		return 0;
	}
	*out = scan_str(a->ctx, v.ptr, v.len);
	if (!*out)
		return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
	return 0;
}

/* Free text (maintainer, license): invalid UTF-8 is dropped with a warning. */
static vigil_slice text_or_empty(struct apk *a, struct entry *e, enum key k)
{
	vigil_slice v = e->val[k];
	if (vigil_utf8_valid(v.ptr, v.len))
		return v;
	scan_warn(a->ctx, "line %zu: %c: invalid UTF-8: ignored", e->vline[k], key_letters[k]);
	return vigil_slice_make(v.ptr, 0);
}

/* Hands each file of the entry (an R: line, in the folder of the F: line
 * before it) to ctx->file. */
static int entry_files(struct apk *a, struct entry *e, const char *name)
{
	char path[2 * VIGIL_APK_MAX_VALUE + 2];
	vigil_slice in = vigil_slice_make(e->files, (size_t)(e->files_end - e->files)), line;
	vigil_slice dir = { 0 };
	int rc;
	while (vigil_slice_next_line(&in, &line)) {
		if (line.len < 2 || line.ptr[1] != ':')
			continue;
		vigil_slice v = vigil_slice_sub(line, 2, line.len);
		if (line.ptr[0] == 'F') {
			dir = v;
			continue;
		}
		if (line.ptr[0] != 'R' || v.len == 0 || v.len > VIGIL_APK_MAX_VALUE ||
		    dir.len > VIGIL_APK_MAX_VALUE)
			continue;
		size_t n = 0;
		if (dir.len) {
			memcpy(path, dir.ptr, dir.len);
			path[dir.len] = '/';
			n = dir.len + 1;
		}
		memcpy(path + n, v.ptr, v.len);
		n += v.len;
		if ((rc = a->ctx->file(a->ctx->file_ud, VIGIL_PKG_APK, name,
				       vigil_slice_make(path, n))) != 0)
			return rc;
	}
	return 0;
}

static int finish_entry(struct apk *a, struct entry *e)
{
	static const enum key tokens[] = { K_NAME, K_VERSION, K_ARCH, K_ORIGIN, K_COMMIT };
	vigil_slice name = e->val[K_NAME];
	vigil_package pkg, *slot;
	uint64_t size = 0;
	int rc;

	if (!e->vline[K_NAME] || name.len == 0)
		return vigil_error_set(VIGIL_EFORMAT, "line %zu: entry without a package name (P:)",
				       e->line);
	for (size_t i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++) {
		vigil_slice v = e->val[tokens[i]];
		if (!is_token(v))
			return vigil_error_set(VIGIL_EFORMAT,
					       "line %zu: %c: control character, space or non-ASCII byte in '%.*s'",
					       e->vline[tokens[i]], key_letters[tokens[i]],
					       (int)(v.len > 200 ? 200 : v.len), v.ptr);
	}
	if (e->vline[K_SIZE] && !vigil_slice_to_u64(e->val[K_SIZE], UINT64_MAX, &size))
		return vigil_error_set(VIGIL_EFORMAT, "line %zu: I: installed size is not a number",
				       e->vline[K_SIZE]);
	if (e->val[K_VERSION].len == 0) {
		scan_warn(a->ctx, "line %zu: package %.*s has no version (V:): skipped", e->line,
				(int)name.len, name.ptr);
		return 0;
	}

	memset(&pkg, 0, sizeof(pkg));
	pkg.type = VIGIL_PKG_APK;
	pkg.installed_size = size;
	pkg.package_db = a->db;
	if ((rc = put_str(a, name, &pkg.name)) < 0 ||
	    (rc = put_str(a, e->val[K_VERSION], &pkg.version)) < 0 ||
	    (rc = put_str(a, e->val[K_ARCH], &pkg.arch)) < 0 ||
	    (rc = put_str(a, e->val[K_ORIGIN], &pkg.source_name)) < 0 ||
	    (rc = put_str(a, e->val[K_COMMIT], &pkg.commit)) < 0 ||
	    (rc = put_str(a, text_or_empty(a, e, K_MAINTAINER), &pkg.maintainer)) < 0 ||
	    (rc = put_str(a, text_or_empty(a, e, K_LICENSE), &pkg.license)) < 0)
		return rc;
	pkg.source_version = pkg.version;
	if ((rc = scan_pkg_list_push(a->out, &slot)) < 0) {
		vigil_error_prefix("line %zu: ", e->line);
		return rc;
	}
	*slot = pkg;
	if (a->ctx->file && e->files)
		return entry_files(a, e, pkg.name);
	return 0;
}

static int entry_line(struct apk *a, struct entry *e, vigil_slice line, size_t lno)
{
	char c = line.len ? line.ptr[0] : '\0';
	if (line.len < 2 || line.ptr[1] != ':' || !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
		return vigil_error_set(VIGIL_EFORMAT,
				       "line %zu: not an \"X:value\" line: the database is corrupt", lno);
	if (!e->line) {
		if (a->entries >= VIGIL_APK_MAX_ENTRIES)
			return vigil_error_set(VIGIL_ELIMIT, "line %zu: more than %d entries", lno,
					       VIGIL_APK_MAX_ENTRIES);
		a->entries++;
		e->line = lno;
	}
	if (c == 'F' || c == 'R') {
		if (!e->files)
			e->files = line.ptr;
		e->files_end = line.ptr + line.len;
		return 0;
	}
	const char *k = memchr(key_letters, c, K_COUNT);
	if (!k)
		return 0; /* a, Z, D, p, ...: skipped */
	size_t i = (size_t)(k - key_letters);
	if (e->vline[i])
		return vigil_error_set(VIGIL_EFORMAT, "line %zu: second %c: line in one entry (first at line %zu)",
				       lno, c, e->vline[i]);
	if (line.len - 2 > VIGIL_APK_MAX_VALUE)
		return vigil_error_set(VIGIL_ELIMIT, "line %zu: %c: value longer than %d bytes", lno, c,
				       VIGIL_APK_MAX_VALUE);
	e->val[i] = vigil_slice_sub(line, 2, line.len);
	e->vline[i] = lno;
	return 0;
}

static int parse_lines(struct apk *a, const char *data, size_t len)
{
	vigil_slice in = vigil_slice_make(data, len), line;
	struct entry e;
	size_t lno = 0;
	int rc;

	memset(&e, 0, sizeof(e));
	while (vigil_slice_next_line(&in, &line)) {
		lno++;
		if (line.len > VIGIL_APK_MAX_LINE)
			return vigil_error_set(VIGIL_ELIMIT, "line %zu: longer than %d bytes", lno,
					       VIGIL_APK_MAX_LINE);
		if (line.len == 0) {
			if (e.line && (rc = finish_entry(a, &e)) < 0)
				return rc;
			memset(&e, 0, sizeof(e));
		} else if ((rc = entry_line(a, &e, line, lno)) < 0) {
			return rc;
		}
	}
	if (e.line && (rc = finish_entry(a, &e)) < 0)
		return rc;
	return 0;
}

int scan_apk_parse(vigil_scan_ctx *ctx, const char *data, size_t len, vigil_pkg_list *out)
{
	struct apk a = { .ctx = ctx, .out = out };
	int rc;

	if (!ctx || !out || (!data && len))
		return vigil_error_set(VIGIL_EINVAL, "scan_apk_parse: bad argument");
	if ((rc = scan_text_check("apk database", data, len, VIGIL_APK_MAX_SIZE)) < 0)
		return rc;
	if (ctx->path && !(a.db = scan_str(ctx, ctx->path, strlen(ctx->path))))
		return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
	/* On error, out is left as it was on entry. */
	size_t start = out->len;
	if ((rc = parse_lines(&a, data, len)) < 0)
		out->len = start;
	return rc;
}
