/* tests/version/test_apk.c: apk-tools' order, validity and fuzzy matching
 * against versions/apk.tsv, apk_validity.tsv and apk_fuzzy.tsv (from
 * apk-tools' test/unit/version.data). apk.tsv has rows with versions apk
 * calls invalid ("do string sort"): the fast function orders them as apk
 * does, vigil_version_compare() rejects them. */
#include "vectors.h"

static void validity_row(const vec_row *r, void *ctx)
{
	(void)ctx;
	if (r->ncol != 2) {
		vec_fail(r, "not 2 columns", r->ncol);
		return;
	}
	int want = vigil_slice_eq_cstr(r->col[1], "1");
	int got = vigil_apk_valid(r->col[0].ptr, r->col[0].len);
	if (got != want)
		vec_fail(r, "validity", got);
	int rc = vigil_version_validate("apk", r->col[0].ptr, r->col[0].len);
	if ((rc == 0) != want)
		vec_fail(r, "vigil_version_validate", rc);
}

static void fuzzy_row(const vec_row *r, void *ctx)
{
	(void)ctx;
	if (r->ncol != 3) {
		vec_fail(r, "not 3 columns", r->ncol);
		return;
	}
	vigil_slice a = r->col[0], op = r->col[1], b = r->col[2];
	int fuzzy = vigil_apk_fuzzy_match(a.ptr, a.len, b.ptr, b.len);
	int c = vigil_apk_cmp(a.ptr, a.len, b.ptr, b.len), ok = 0;
	if (vigil_slice_eq_cstr(op, "~"))
		ok = fuzzy;
	else if (vigil_slice_eq_cstr(op, "!~"))
		ok = !fuzzy;
	else if (vigil_slice_eq_cstr(op, "<~"))
		ok = c < 0 || fuzzy;
	else if (vigil_slice_eq_cstr(op, ">~"))
		ok = c > 0 || fuzzy;
	if (!ok)
		vec_fail(r, "fuzzy", fuzzy);
}

static void test_vectors(void **state)
{
	(void)state;
	th_testdata_or_skip();
	vec_failures = 0;
	assert_int_equal(vec_cmp_file("apk.tsv", vigil_apk_cmp, "apk", 0), 738);
	assert_int_equal(vec_each("apk_validity.tsv", validity_row, NULL), 31);
	assert_int_equal(vec_each("apk_fuzzy.tsv", fuzzy_row, NULL), 16);
	printf("%d failing checks\n", vec_failures);
	assert_int_equal(vec_failures, 0);
}

static void test_bad_input(void **state)
{
	(void)state;
	int res;
	assert_int_equal(vigil_version_compare("apk", "1.0", 3, "1.0bc", 5, &res), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "1.0bc"));
	assert_non_null(strstr(vigil_error_message(), "apk"));
	assert_int_equal(vigil_version_compare("apk", "1.0", 3, "1.0_foo", 7, &res), VIGIL_EFORMAT);
	vec_junk(vigil_apk_cmp, "apk");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
