/* tests/version/vectors.h: reading the vector files of
 * ../shared/testdata/versions/ for the per-scheme tests (test_<scheme>.c):
 * one row per line, TAB-separated columns (empty columns kept), lines
 * starting with '#' skipped. vec_cmp_file() runs a file of a<TAB>b<TAB>sign
 * rows through a comparator (each pair also reversed) and, when a scheme
 * name is given, through vigil_version_compare(). Failing rows are all
 * printed (FAIL file:line: row: what) before the test asserts
 * vec_failures == 0. Included by one test file each (static functions). */
#ifndef VIGIL_TESTS_VERSION_VECTORS_H
#define VIGIL_TESTS_VERSION_VECTORS_H

#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/slice.h"
#include "vigil/version.h"

#define VEC_MAX_COLS 8

typedef struct vec_row {
	vigil_slice col[VEC_MAX_COLS];
	int ncol;
	int lineno;
	vigil_slice line;
	const char *file;
} vec_row;

typedef void (*vec_fn)(const vec_row *r, void *ctx);

static int vec_failures;

static inline void vec_fail(const vec_row *r, const char *what, int got)
{
	printf("FAIL %s:%d: %.*s: %s (got %d)\n", r->file, r->lineno, (int)r->line.len, r->line.ptr,
	       what, got);
	vec_failures++;
}

/* Calls fn for every data row of versions/<file>; returns the row count. */
static inline int vec_each(const char *file, vec_fn fn, void *ctx)
{
	char rel[256];
	size_t len;
	int rows = 0;
	vec_row r;

	memset(&r, 0, sizeof(r));
	r.file = file;
	snprintf(rel, sizeof(rel), "versions/%s", file);
	char *data = th_read_file(th_data_path(rel), &len);
	assert_non_null(data);
	vigil_slice in = vigil_slice_make(data, len), line;
	while (vigil_slice_next_line(&in, &line)) {
		r.lineno++;
		if (line.len == 0 || line.ptr[0] == '#')
			continue;
		vigil_slice head, tail = line;
		r.ncol = 0;
		r.line = line;
		for (;;) {
			int more = vigil_slice_split(tail, '\t', &head, &tail);
			if (r.ncol < VEC_MAX_COLS)
				r.col[r.ncol] = head;
			r.ncol++;
			if (!more)
				break;
		}
		rows++;
		fn(&r, ctx);
	}
	free(data);
	printf("%s: %d rows\n", file, rows);
	return rows;
}

/* "-1", "0", "1" as a number. */
static inline int vec_sign(vigil_slice s)
{
	return vigil_slice_eq_cstr(s, "-1") ? -1 : vigil_slice_eq_cstr(s, "1") ? 1 : 0;
}

/* A column as a NUL-terminated copy (for printing and C-string APIs). */
static inline const char *vec_str(vigil_slice s, char *buf, size_t cap)
{
	size_t n = s.len < cap - 1 ? s.len : cap - 1;
	memcpy(buf, s.ptr, n);
	buf[n] = '\0';
	return buf;
}

typedef int (*vec_cmp_fn)(const char *, size_t, const char *, size_t);

typedef struct vec_cmp_ctx {
	vec_cmp_fn fn;
	const char *scheme;
	int check_valid;
	size_t (*decode)(vigil_slice in, char *out, size_t cap);
} vec_cmp_ctx;

static inline void vec_cmp_row(const vec_row *r, void *p)
{
	const vec_cmp_ctx *c = p;
	char ea[512], eb[512];
	vigil_slice a = r->col[0], b = r->col[1];

	if (r->ncol != 3) {
		vec_fail(r, "not 3 columns", r->ncol);
		return;
	}
	if (c->decode) {
		a = vigil_slice_make(ea, c->decode(a, ea, sizeof(ea)));
		b = vigil_slice_make(eb, c->decode(b, eb, sizeof(eb)));
	}
	int want = vec_sign(r->col[2]);
	int got = c->fn(a.ptr, a.len, b.ptr, b.len);
	if (got != want)
		vec_fail(r, "compare", got);
	int back = c->fn(b.ptr, b.len, a.ptr, a.len);
	if (back != -want)
		vec_fail(r, "reversed compare", back);
	if (!c->scheme)
		return;
	int res = 99;
	int rc = vigil_version_compare(c->scheme, a.ptr, a.len, b.ptr, b.len, &res);
	if (rc == 0 && res != want)
		vec_fail(r, "vigil_version_compare", res);
	if (rc < 0 && c->check_valid)
		vec_fail(r, vigil_error_message(), rc);
	if (vigil_version_comparator(c->scheme) != c->fn)
		vec_fail(r, "vigil_version_comparator() is another function", 0);
}

/* Rows a<TAB>b<TAB>expected; check_valid: every version must be valid. */
static inline int vec_cmp_file(const char *file, vec_cmp_fn fn, const char *scheme, int check_valid)
{
	vec_cmp_ctx c = { fn, scheme, check_valid, NULL };
	return vec_each(file, vec_cmp_row, &c);
}

/* Garbage and truncations through a fast comparator: -1/0/1, antisymmetric,
 * reflexive, no crash. */
static inline void vec_junk(vec_cmp_fn fn, const char *name)
{
	static const char *const junk[] = { "", ":", "-", "~", "^", "1:", ":1", "1-", "-1", "1.", ".1",
					    "_", "1_", "1_p", "1-r", "\xff\xfe", "1.0\0x", "+", "1+", "!",
					    "1!", "1.0-ALPHA-1-2-", "a-1-b-2", "1..-.--", "~~~^^^", "v",
					    "v1", "v1.2.3-", "1.0.0-0.", "dev-", "dev-master", " 1 ",
					    "1.0.0.0.0", "1.a.b.c", "99999999999999999999999.1",
					    "v0.0.0-20060102150405-abc", "1.0.0-beta+", "=1.0", "1-.a" };
	size_t nj = sizeof(junk) / sizeof(junk[0]);
	for (size_t i = 0; i < nj; i++)
		for (size_t j = 0; j < nj; j++) {
			size_t li = i == 16 ? 5 : strlen(junk[i]), lj = j == 16 ? 5 : strlen(junk[j]);
			int x = fn(junk[i], li, junk[j], lj), y = fn(junk[j], lj, junk[i], li);
			if (x != -y || x < -1 || x > 1 || fn(junk[i], li, junk[i], li) != 0)
				fail_msg("%s: \"%s\" vs \"%s\": %d / %d", name, junk[i], junk[j], x, y);
		}
}

#endif
