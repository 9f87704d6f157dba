/* tests/version/test_maven.c: Maven's ComparableVersion against
 * versions/maven.tsv and versions/maven_nonascii.tsv (apache/maven's
 * ComparableVersionTest), each pair both ways; over-long versions. */
#include "vectors.h"

static void test_vectors(void **state)
{
	(void)state;
	th_testdata_or_skip();
	vec_failures = 0;
	assert_int_equal(vec_cmp_file("maven.tsv", vigil_maven_cmp, "maven", 1), 1327);
	assert_int_equal(vec_cmp_file("maven_nonascii.tsv", vigil_maven_cmp, "maven", 1), 6);
	printf("%d failing checks\n", vec_failures);
	assert_int_equal(vec_failures, 0);
}

static void test_bad_input(void **state)
{
	(void)state;
	int res;
	char big[VIGIL_VERSION_MAX_LEN + 2];
	memset(big, '1', sizeof(big));
	assert_int_equal(vigil_version_compare("maven", big, VIGIL_VERSION_MAX_LEN, "1", 1, &res), 0);
	assert_int_equal(res, 1);
	assert_int_equal(vigil_maven_valid(big, sizeof(big)), 0);
	assert_int_equal(vigil_maven_cmp(big, sizeof(big), "1", 1), 1);
	vec_junk(vigil_maven_cmp, "maven");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
