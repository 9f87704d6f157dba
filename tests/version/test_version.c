/* tests/version/test_version.c: every row of every data file of
 * testdata/versions/ through the version comparators (each pair also
 * reversed: the comparators must be antisymmetric), apk validity and fuzzy
 * matching, the generic vigil_version_compare() on the same rows, and bad
 * input: unknown schemes, invalid and over-long versions, garbage bytes.
 * Failing rows are all printed before the test fails. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/slice.h"
#include "vigil/version.h"

typedef int (*cmp_fn)(const char *, size_t, const char *, size_t);

typedef struct row {
	vigil_slice col[3];
	int ncol;
} row;

static int split_row(vigil_slice line, row *r)
{
	vigil_slice head, tail = line;
	r->ncol = 0;
	while (r->ncol < 3) {
		if (!vigil_slice_split(tail, '\t', &head, &tail)) {
			r->col[r->ncol++] = head;
			break;
		}
		r->col[r->ncol++] = head;
	}
	return r->ncol;
}

/* Python escapes left in the transcribed strings: \t, \n, \N{NAME}. */
static size_t unescape(vigil_slice in, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < in.len && o + 4 < cap; i++) {
		if (in.ptr[i] != '\\' || i + 1 >= in.len) {
			out[o++] = in.ptr[i];
			continue;
		}
		char c = in.ptr[++i];
		if (c == 't') {
			out[o++] = '\t';
		} else if (c == 'n') {
			out[o++] = '\n';
		} else if (c == 'N') {
			vigil_slice rest = vigil_slice_sub(in, i + 1, in.len);
			ptrdiff_t end = vigil_slice_find(rest, '}');
			if (vigil_slice_starts_with(rest, "{NARROW NO-BREAK SPACE}"))
				memcpy(out + o, "\xe2\x80\xaf", 3), o += 3;
			else if (vigil_slice_starts_with(rest, "{PARAGRAPH SEPARATOR}"))
				memcpy(out + o, "\xe2\x80\xa9", 3), o += 3;
			else
				fail_msg("unknown escape %.*s", (int)rest.len, rest.ptr);
			i += (size_t)end + 1;
		} else {
			out[o++] = '\\';
			out[o++] = c;
		}
	}
	return o;
}

static int failures;

static void failf(const char *file, int lineno, vigil_slice line, const char *what, int got)
{
	printf("FAIL %s:%d: %.*s: %s (got %d)\n", file, lineno, (int)line.len, line.ptr, what, got);
	failures++;
}

/* Rows a<TAB>b<TAB>expected; returns the number of rows. */
static int run_cmp_file(const char *file, cmp_fn fn, const char *scheme, int escapes,
			int check_valid)
{
	char rel[256], ea[512], eb[512];
	size_t len;
	int lineno = 0, rows = 0;

	snprintf(rel, sizeof(rel), "versions/%s", file);
	char *data = th_read_file(th_data_path(rel), &len);
	assert_non_null(data);
	vigil_slice in = vigil_slice_make(data, len), line;
	while (vigil_slice_next_line(&in, &line)) {
		row r;
		lineno++;
		if (line.len == 0 || line.ptr[0] == '#')
			continue;
		if (split_row(line, &r) != 3) {
			failf(file, lineno, line, "not 3 columns", r.ncol);
			continue;
		}
		vigil_slice a = r.col[0], b = r.col[1];
		if (escapes) {
			a = vigil_slice_make(ea, unescape(a, ea, sizeof(ea)));
			b = vigil_slice_make(eb, unescape(b, eb, sizeof(eb)));
		}
		int want = vigil_slice_eq_cstr(r.col[2], "-1") ? -1 : vigil_slice_eq_cstr(r.col[2], "1") ? 1 : 0;
		rows++;
		int got = fn(a.ptr, a.len, b.ptr, b.len);
		if (got != want)
			failf(file, lineno, line, "compare", got);
		int back = fn(b.ptr, b.len, a.ptr, a.len);
		if (back != -want)
			failf(file, lineno, line, "reversed compare", back);
		if (!scheme)
			continue;
		int res = 99;
		int rc = vigil_version_compare(scheme, a.ptr, a.len, b.ptr, b.len, &res);
		if (rc == 0 && res != want)
			failf(file, lineno, line, "vigil_version_compare", res);
		if (rc < 0 && check_valid)
			failf(file, lineno, line, vigil_error_message(), rc);
	}
	free(data);
	printf("%s: %d rows\n", file, rows);
	return rows;
}

static void run_apk_validity(void)
{
	size_t len;
	int lineno = 0;
	char *data = th_read_file(th_data_path("versions/apk_validity.tsv"), &len);
	assert_non_null(data);
	vigil_slice in = vigil_slice_make(data, len), line;
	while (vigil_slice_next_line(&in, &line)) {
		row r;
		lineno++;
		if (line.len && line.ptr[0] == '#')
			continue;
		if (split_row(line, &r) != 2) {
			failf("apk_validity.tsv", lineno, line, "not 2 columns", r.ncol);
			continue;
		}
		int want = vigil_slice_eq_cstr(r.col[1], "1");
		int got = vigil_apk_valid(r.col[0].ptr, r.col[0].len);
		if (got != want)
			failf("apk_validity.tsv", lineno, line, "validity", got);
		int rc = vigil_version_validate("apk", r.col[0].ptr, r.col[0].len);
		if ((rc == 0) != want)
			failf("apk_validity.tsv", lineno, line, "vigil_version_validate", rc);
	}
	free(data);
}

static void run_apk_fuzzy(void)
{
	size_t len;
	int lineno = 0;
	char *data = th_read_file(th_data_path("versions/apk_fuzzy.tsv"), &len);
	assert_non_null(data);
	vigil_slice in = vigil_slice_make(data, len), line;
	while (vigil_slice_next_line(&in, &line)) {
		row r;
		lineno++;
		if (line.len == 0 || line.ptr[0] == '#')
			continue;
		if (split_row(line, &r) != 3) {
			failf("apk_fuzzy.tsv", lineno, line, "not 3 columns", r.ncol);
			continue;
		}
		vigil_slice a = r.col[0], op = r.col[1], b = r.col[2];
		int fuzzy = vigil_apk_fuzzy_match(a.ptr, a.len, b.ptr, b.len);
		int c = vigil_apk_cmp(a.ptr, a.len, b.ptr, b.len);
		int ok;
		if (vigil_slice_eq_cstr(op, "~"))
			ok = fuzzy;
		else if (vigil_slice_eq_cstr(op, "!~"))
			ok = !fuzzy;
		else if (vigil_slice_eq_cstr(op, "<~"))
			ok = c < 0 || fuzzy;
		else if (vigil_slice_eq_cstr(op, ">~"))
			ok = c > 0 || fuzzy;
		else
			ok = 0;
		if (!ok)
			failf("apk_fuzzy.tsv", lineno, line, "fuzzy", fuzzy);
	}
	free(data);
}

static void test_data_files(void **state)
{
	(void)state;
	th_testdata_or_skip();
	failures = 0;
	assert_int_equal(run_cmp_file("dpkg.tsv", vigil_dpkg_cmp, "dpkg", 0, 1), 128);
	assert_int_equal(run_cmp_file("rpm.tsv", vigil_rpmvercmp, NULL, 0, 0), 91);
	assert_int_equal(run_cmp_file("rpm_evr.tsv", vigil_rpm_evr_cmp, "rpm", 0, 1), 17);
	assert_int_equal(run_cmp_file("apk.tsv", vigil_apk_cmp, "apk", 0, 0), 738);
	assert_int_equal(run_cmp_file("semver.tsv", vigil_semver_cmp, "semver", 0, 1), 62);
	assert_int_equal(run_cmp_file("semver_loose.tsv", vigil_semver_loose_cmp, "semver-loose", 0, 1), 32);
	assert_int_equal(run_cmp_file("pep440.tsv", vigil_pep440_cmp, "pep440", 0, 1), 426);
	assert_int_equal(run_cmp_file("pep440_normalize.tsv", vigil_pep440_cmp, "pep440", 1, 1), 102);
	assert_int_equal(run_cmp_file("maven.tsv", vigil_maven_cmp, "maven", 0, 1), 1327);
	assert_int_equal(run_cmp_file("maven_nonascii.tsv", vigil_maven_cmp, "maven", 0, 1), 6);
	run_apk_validity();
	run_apk_fuzzy();
	printf("%d failing checks\n", failures);
	assert_int_equal(failures, 0);
}

static void expect_rc(const char *scheme, const char *a, const char *b, int want)
{
	int res = 99;
	int rc = vigil_version_compare(scheme, a, strlen(a), b, strlen(b), &res);
	if (rc != want)
		fail_msg("%s %s %s: rc %d (%s), want %d", scheme, a, b, rc, vigil_error_message(), want);
}

static void test_bad_input(void **state)
{
	(void)state;
	expect_rc("nosuch", "1", "1", VIGIL_EINVAL);
	expect_rc(NULL, "1", "1", VIGIL_EINVAL);
	expect_rc("dpkg", "", "1", VIGIL_EFORMAT);
	expect_rc("dpkg", "1:", "1", VIGIL_EFORMAT);
	expect_rc("dpkg", ":1", "1", VIGIL_EFORMAT);
	expect_rc("dpkg", "x:1.0", "1", VIGIL_EFORMAT);
	expect_rc("dpkg", "1.0-", "1", VIGIL_EFORMAT);
	expect_rc("dpkg", "1.0 1", "1", VIGIL_EFORMAT);
	expect_rc("rpm", "1.0", "1:", VIGIL_EFORMAT);
	expect_rc("apk", "1.0", "1.0_foo", VIGIL_EFORMAT);
	expect_rc("semver", "v1.2.3", "1.2.3", VIGIL_EFORMAT);
	expect_rc("semver", "1.2", "1.2.3", VIGIL_EFORMAT);
	expect_rc("semver", "01.2.3", "1.2.3", VIGIL_EFORMAT);
	expect_rc("semver", "1.2.3-01", "1.2.3", VIGIL_EFORMAT);
	expect_rc("semver", "1.2.3-a..b", "1.2.3", VIGIL_EFORMAT);
	expect_rc("pep440", "1.0", "1.0+", VIGIL_EFORMAT);
	expect_rc("pep440", "french toast", "1.0", VIGIL_EFORMAT);
	expect_rc("pep440", "1.0", "1.0.", VIGIL_EFORMAT);
	expect_rc("dpkg", "1:2.3-4", "1:2.3-4", 0);

	/* the message names the version and the scheme */
	int res;
	assert_int_equal(vigil_version_compare("apk", "1.0", 3, "1.0bc", 5, &res), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "1.0bc"));
	assert_non_null(strstr(vigil_error_message(), "apk"));

	/* limits */
	char big[VIGIL_VERSION_MAX_LEN + 2];
	memset(big, '1', sizeof(big));
	assert_int_equal(vigil_version_compare("dpkg", big, sizeof(big), "1", 1, &res), VIGIL_ELIMIT);
	assert_int_equal(vigil_version_compare("maven", big, VIGIL_VERSION_MAX_LEN, "1", 1, &res), 0);
	assert_int_equal(res, 1);
	assert_int_equal(vigil_version_compare("dpkg", "1", 1, "1", 1, NULL), VIGIL_EINVAL);

	/* garbage and truncations through the fast functions: antisymmetric, no crash */
	static const char *const junk[] = { "", ":", "-", "~", "^", "1:", ":1", "1-", "-1", "1.", ".1",
					    "_", "1_", "1_p", "1-r", "\xff\xfe", "1.0\0x", "+", "1+", "!",
					    "1!", "1.0-ALPHA-1-2-", "a-1-b-2", "1..-.--", "~~~^^^" };
	cmp_fn fns[] = { vigil_dpkg_cmp, vigil_rpmvercmp, vigil_rpm_evr_cmp, vigil_apk_cmp,
			 vigil_semver_cmp, vigil_semver_loose_cmp, vigil_pep440_cmp, vigil_maven_cmp };
	size_t nj = sizeof(junk) / sizeof(junk[0]);
	for (size_t f = 0; f < sizeof(fns) / sizeof(fns[0]); f++)
		for (size_t i = 0; i < nj; i++)
			for (size_t j = 0; j < nj; j++) {
				size_t li = i == 16 ? 5 : strlen(junk[i]), lj = j == 16 ? 5 : strlen(junk[j]);
				int x = fns[f](junk[i], li, junk[j], lj), y = fns[f](junk[j], lj, junk[i], li);
				if (x != -y || x < -1 || x > 1)
					fail_msg("fn %zu: \"%s\" vs \"%s\": %d / %d", f, junk[i], junk[j], x, y);
			}
	/* over-long Maven versions: invalid, still ordered */
	assert_int_equal(vigil_maven_valid(big, sizeof(big)), 0);
	assert_int_equal(vigil_maven_cmp(big, sizeof(big), "1", 1), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_files),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
