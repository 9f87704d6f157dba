/* tests/version/test_version.c: the generic API of include/vigil/version.h
 * (each ordering has its own test_<scheme>.c reading its vector files):
 * every scheme is known by name with its comparator, unknown names and
 * NULLs are refused, over-long versions and constraints hit their limits,
 * errors name the version and the scheme, and every comparator stays
 * -1/0/1, antisymmetric and reflexive on garbage. */
#include "vectors.h"

static const struct {
	const char *name;
	vec_cmp_fn fn;
	int constraints;
} SCHEMES[] = {
	{ "dpkg", vigil_dpkg_cmp, 0 },       { "rpm", vigil_rpm_evr_cmp, 0 },
	{ "apk", vigil_apk_cmp, 0 },         { "semver", vigil_semver_cmp, 0 },
	{ "semver-loose", vigil_semver_loose_cmp, 0 },
	{ "npm", vigil_npm_cmp, 1 },         { "pep440", vigil_pep440_cmp, 0 },
	{ "maven", vigil_maven_cmp, 0 },     { "go", vigil_go_cmp, 0 },
	{ "rubygems", vigil_rubygems_cmp, 1 }, { "composer", vigil_composer_cmp, 1 },
	{ "nuget", vigil_nuget_cmp, 1 },
};

static void test_registry(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(SCHEMES) / sizeof(SCHEMES[0]); i++) {
		int res = 99;
		assert_ptr_equal(vigil_version_comparator(SCHEMES[i].name), SCHEMES[i].fn);
		int rc = vigil_version_satisfies(SCHEMES[i].name, "1.0.0", 5, "1.0.0", 5, &res);
		if (SCHEMES[i].constraints) {
			assert_int_equal(rc, 0);
			assert_int_equal(res, 1);
		} else {
			assert_int_equal(rc, VIGIL_EINVAL);
			assert_non_null(strstr(vigil_error_message(), SCHEMES[i].name));
		}
		vec_junk(SCHEMES[i].fn, SCHEMES[i].name);
	}
	assert_null(vigil_version_comparator("nosuch"));
	assert_null(vigil_version_comparator(NULL));
	assert_null(vigil_version_comparator("crates"));
}

static void test_bad_input(void **state)
{
	(void)state;
	int res;
	assert_int_equal(vigil_version_compare("nosuch", "1", 1, "1", 1, &res), VIGIL_EINVAL);
	assert_non_null(strstr(vigil_error_message(), "rubygems"));
	assert_int_equal(vigil_version_compare(NULL, "1", 1, "1", 1, &res), VIGIL_EINVAL);
	assert_int_equal(vigil_version_compare("dpkg", "1", 1, "1", 1, NULL), VIGIL_EINVAL);
	assert_int_equal(vigil_version_satisfies("npm", "1.0.0", 5, "1", 1, NULL), VIGIL_EINVAL);
	assert_int_equal(vigil_version_satisfies("npm", "1.0.0", 5, NULL, 3, &res), VIGIL_EINVAL);
	assert_int_equal(vigil_version_satisfies(NULL, "1.0.0", 5, "1", 1, &res), VIGIL_EINVAL);
	/* limits */
	char big[VIGIL_VERSION_CONSTRAINT_MAX_LEN + 2];
	memset(big, '1', sizeof(big));
	assert_int_equal(vigil_version_compare("dpkg", big, VIGIL_VERSION_MAX_LEN + 1, "1", 1, &res),
			 VIGIL_ELIMIT);
	for (size_t i = 0; i < sizeof(SCHEMES) / sizeof(SCHEMES[0]); i++) {
		if (!SCHEMES[i].constraints)
			continue;
		assert_int_equal(vigil_version_satisfies(SCHEMES[i].name, "1.0.0", 5, big, sizeof(big), &res),
				 VIGIL_ELIMIT);
		assert_int_equal(vigil_version_satisfies(SCHEMES[i].name, big, VIGIL_VERSION_MAX_LEN + 1,
							 "1", 1, &res), VIGIL_ELIMIT);
		/* an invalid version is named */
		int rc = vigil_version_satisfies(SCHEMES[i].name, "\x01", 1, "1", 1, &res);
		assert_int_equal(rc, VIGIL_EFORMAT);
		assert_non_null(strstr(vigil_error_message(), SCHEMES[i].name));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
