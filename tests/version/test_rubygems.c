/* tests/version/test_rubygems.c: Gem::Version and Gem::Requirement against
 * rubygems' own tests: versions/rubygems.tsv (<=>, each pair both ways;
 * blank versions are "0", spaces around ignored) and
 * versions/rubygems_requirement.tsv (satisfied_by?, requirements joined
 * with ", "); plus bad input and limits. */
#include "vectors.h"

static void req_row(const vec_row *r, void *ctx)
{
	(void)ctx;
	if (r->ncol != 3) {
		vec_fail(r, "not 3 columns", r->ncol);
		return;
	}
	vigil_slice req = r->col[0], v = r->col[1];
	int want = vec_sign(r->col[2]), got = -1;
	int rc = vigil_version_satisfies("rubygems", v.ptr, v.len, req.ptr, req.len, &got);
	if (rc < 0)
		vec_fail(r, vigil_error_message(), rc);
	else if (got != want)
		vec_fail(r, "satisfied_by?", got);
}

static void test_vectors(void **state)
{
	(void)state;
	th_testdata_or_skip();
	vec_failures = 0;
	assert_int_equal(vec_cmp_file("rubygems.tsv", vigil_rubygems_cmp, "rubygems", 1), 49);
	assert_int_equal(vec_each("rubygems_requirement.tsv", req_row, NULL), 108);
	printf("%d failing checks\n", vec_failures);
	assert_int_equal(vec_failures, 0);
}

static int sat(const char *req, const char *v)
{
	int res = -1;
	int rc = vigil_version_satisfies("rubygems", v, strlen(v), req, strlen(req), &res);
	return rc < 0 ? rc : res;
}

static void test_rules(void **state)
{
	(void)state;
	/* rubysec patched_versions */
	assert_int_equal(sat("~> 4.2.5, >= 4.2.5.1", "4.2.5.2"), 1);
	assert_int_equal(sat("~> 4.2.5, >= 4.2.5.1", "4.2.5"), 0);
	assert_int_equal(sat("~> 4.2.5, >= 4.2.5.1", "4.3.0"), 0);
	assert_int_equal(sat("~> 1.2.3", "1.2.9.rc1"), 1);
	assert_int_equal(sat("~> 9.9", "10.0"), 0);
	assert_int_equal(sat("~> 1.99", "2.0"), 0);
	assert_int_equal(sat("~> 1.99", "1.100"), 1);
	/* bad requirements name themselves */
	assert_int_equal(sat("=> 1.0", "1.0"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "=> 1.0"));
	assert_int_equal(sat("", "1.0"), VIGIL_EFORMAT);
	assert_int_equal(sat(">= 1.0,", "1.0"), VIGIL_EFORMAT);
	assert_int_equal(sat("~> 1.0 beta", "1.0"), VIGIL_EFORMAT);
	assert_int_equal(sat(">= 1.0", "1.0-"), VIGIL_EFORMAT);
	assert_int_equal(sat(">= 1.0", "a1"), VIGIL_EFORMAT);
	/* limits: clauses and length */
	char many[VIGIL_VERSION_CONSTRAINT_MAX_LEN];
	size_t o = 0;
	for (int i = 0; i <= VIGIL_VERSION_MAX_CLAUSES; i++)
		o += (size_t)snprintf(many + o, sizeof(many) - o, "%s>= 1", i ? "," : "");
	int res;
	assert_int_equal(vigil_version_satisfies("rubygems", "1", 1, many, o, &res), VIGIL_ELIMIT);
	char big[VIGIL_VERSION_CONSTRAINT_MAX_LEN + 2];
	memset(big, '1', sizeof(big));
	assert_int_equal(vigil_version_satisfies("rubygems", "1", 1, big, sizeof(big), &res), VIGIL_ELIMIT);
	assert_int_equal(vigil_version_satisfies("rubygems", big, VIGIL_VERSION_MAX_LEN + 1, "1", 1, &res),
			 VIGIL_ELIMIT);
	/* huge numbers compare as numbers */
	assert_int_equal(vigil_rubygems_cmp("1.99999999999999999999999", 25, "1.100000000000000000000000", 26), -1);
	vec_junk(vigil_rubygems_cmp, "rubygems");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
