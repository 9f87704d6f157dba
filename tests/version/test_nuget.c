/* tests/version/test_nuget.c: NuGet versions and ranges against
 * NuGet.Client's own tests: versions/nuget.tsv (VersionComparer.Default,
 * each pair both ways) and versions/nuget_range.tsv
 * (VersionRange.Parse(range).Satisfies(version)); plus bad input. */
#include "vectors.h"

static void range_row(const vec_row *r, void *ctx)
{
	(void)ctx;
	if (r->ncol != 3) {
		vec_fail(r, "not 3 columns", r->ncol);
		return;
	}
	int want = vec_sign(r->col[2]), got = -1;
	int rc = vigil_version_satisfies("nuget", r->col[1].ptr, r->col[1].len, r->col[0].ptr,
					 r->col[0].len, &got);
	if (rc < 0)
		vec_fail(r, vigil_error_message(), rc);
	else if (got != want)
		vec_fail(r, "Satisfies", got);
}

static void test_vectors(void **state)
{
	(void)state;
	th_testdata_or_skip();
	vec_failures = 0;
	assert_int_equal(vec_cmp_file("nuget.tsv", vigil_nuget_cmp, "nuget", 1), 94);
	assert_int_equal(vec_each("nuget_range.tsv", range_row, NULL), 29);
	printf("%d failing checks\n", vec_failures);
	assert_int_equal(vec_failures, 0);
}

static int sat(const char *range, const char *v)
{
	int res = -1;
	int rc = vigil_version_satisfies("nuget", v, strlen(v), range, strlen(range), &res);
	return rc < 0 ? rc : res;
}

static void test_rules(void **state)
{
	(void)state;
	assert_int_equal(sat("1.*", "1.5.0"), 1);
	assert_int_equal(sat("1.*", "0.9"), 0);
	assert_int_equal(sat("*", "0.0.1"), 1);
	assert_int_equal(sat("[1.0.0.1, 1.0.0.2)", "1.0.0.1"), 1);
	assert_int_equal(sat("[1.0.0.1, 1.0.0.2)", "1.0.0.2"), 0);
	assert_int_equal(sat("(1.0.0, 1.0.0)", "1.0.0"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "(1.0.0, 1.0.0)"));
	assert_int_equal(sat("[2.0, 1.0]", "1.0"), VIGIL_EFORMAT);
	assert_int_equal(sat("(,)", "1.0"), VIGIL_EFORMAT);
	assert_int_equal(sat("[1.0,2.0,3.0]", "1.0"), VIGIL_EFORMAT);
	assert_int_equal(sat("[1.0", "1.0"), VIGIL_EFORMAT);
	assert_int_equal(sat("", "1.0"), VIGIL_EFORMAT);
	assert_int_equal(sat("1.0-*", "1.0"), VIGIL_EFORMAT);
	assert_int_equal(sat("[1.0]", "1.0.0.0.0"), VIGIL_EFORMAT);
	assert_int_equal(sat("[1.0]", "2147483648.0"), VIGIL_EFORMAT);
	assert_int_equal(vigil_nuget_valid("2147483647.0", 12), 1);
	assert_int_equal(vigil_nuget_valid("1.0-a..b", 8), 0);
	assert_int_equal(vigil_nuget_valid("1.0+", 4), 0);
	vec_junk(vigil_nuget_cmp, "nuget");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
