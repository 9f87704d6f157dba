/* tests/version/test_rpm.c: rpm's order against versions/rpm.tsv
 * (rpmvercmp on bare strings, from rpm's tests/rpmvercmp.at) and
 * versions/rpm_evr.tsv ([epoch:]version[-release]); rpm_oddities.tsv holds
 * rows rpm itself comments out and is not asserted. */
#include "vectors.h"

static void test_vectors(void **state)
{
	(void)state;
	th_testdata_or_skip();
	vec_failures = 0;
	assert_int_equal(vec_cmp_file("rpm.tsv", vigil_rpmvercmp, NULL, 0), 91);
	assert_int_equal(vec_cmp_file("rpm_evr.tsv", vigil_rpm_evr_cmp, "rpm", 1), 17);
	printf("%d failing checks\n", vec_failures);
	assert_int_equal(vec_failures, 0);
}

static void test_bad_input(void **state)
{
	(void)state;
	int res;
	assert_int_equal(vigil_version_compare("rpm", "1.0", 3, "1:", 2, &res), VIGIL_EFORMAT);
	vec_junk(vigil_rpmvercmp, "rpmvercmp");
	vec_junk(vigil_rpm_evr_cmp, "rpm");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
