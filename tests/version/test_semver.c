/* tests/version/test_semver.c: SemVer 2.0.0 (the "semver" scheme, used for
 * crates.io) against versions/semver.tsv (node-semver's comparisons and
 * equality fixtures and the spec's precedence chain), each pair both ways;
 * the strict grammar's rejections. The loose rows (semver_loose.tsv) are
 * node-semver's loose mode and are read by test_npm.c. */
#include "vectors.h"

static void test_vectors(void **state)
{
	(void)state;
	th_testdata_or_skip();
	vec_failures = 0;
	assert_int_equal(vec_cmp_file("semver.tsv", vigil_semver_cmp, "semver", 1), 62);
	printf("%d failing checks\n", vec_failures);
	assert_int_equal(vec_failures, 0);
}

static void test_bad_input(void **state)
{
	(void)state;
	int res;
	static const char *const bad[] = { "v1.2.3", "1.2", "01.2.3", "1.2.3-01", "1.2.3-a..b",
					   " 1.2.3", "1.2.3+", "1.2.3-" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(vigil_version_compare("semver", bad[i], strlen(bad[i]), "1.2.3", 5, &res),
				 VIGIL_EFORMAT);
	vec_junk(vigil_semver_cmp, "semver");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
