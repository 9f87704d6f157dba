/* tests/version/test_dpkg.c: dpkg's order against versions/dpkg.tsv (rows
 * checked with the real dpkg --compare-versions), each pair both ways and
 * through vigil_version_compare("dpkg"). */
#include "vectors.h"

static void test_vectors(void **state)
{
	(void)state;
	th_testdata_or_skip();
	vec_failures = 0;
	assert_int_equal(vec_cmp_file("dpkg.tsv", vigil_dpkg_cmp, "dpkg", 1), 128);
	printf("%d failing checks\n", vec_failures);
	assert_int_equal(vec_failures, 0);
}

static void test_bad_input(void **state)
{
	(void)state;
	int res;
	static const char *const bad[] = { "", "1:", ":1", "x:1.0", "1.0-", "1.0 1" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(vigil_version_compare("dpkg", bad[i], strlen(bad[i]), "1", 1, &res),
				 VIGIL_EFORMAT);
	assert_int_equal(vigil_version_compare("dpkg", "1:2.3-4", 7, "1:2.3-4", 7, &res), 0);
	vec_junk(vigil_dpkg_cmp, "dpkg");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
