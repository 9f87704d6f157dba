/* tests/version/test_composer.c: Composer versions against composer/semver's
 * own tests: versions/composer_normalize.tsv (VersionParser::normalize),
 * versions/composer_compare.tsv (Comparator::compare on the strings as
 * given: dev-* branches below releases, never ordered among themselves),
 * versions/composer_constraint.tsv (Constraint::matches); plus the
 * scheme's order, constraints as Packagist advisories write them, bad
 * input and limits. */
#include "vectors.h"

/* Rows transcribed from lines that composer/semver's VersionParserTest.php
 * comments out ("not supported for BC 'semver metadata/7'" and "/8"): the
 * real normalize() throws on them, so vigil rejects them too. */
static const char *const upstream_unsupported[] = { "1.0.0-0.3.7", "1.0.0-x.7.z.92" };

static void norm_row(const vec_row *r, void *ctx)
{
	(void)ctx;
	char out[512], want[512];
	if (r->ncol != 2) {
		vec_fail(r, "not 2 columns", r->ncol);
		return;
	}
	int rc = vigil_composer_normalize(r->col[0].ptr, r->col[0].len, out, sizeof(out));
	for (size_t i = 0; i < sizeof(upstream_unsupported) / sizeof(upstream_unsupported[0]); i++) {
		if (vigil_slice_eq_cstr(r->col[0], upstream_unsupported[i])) {
			printf("upstream-unsupported row %d (%s): rc %d\n", r->lineno, upstream_unsupported[i], rc);
			if (rc != VIGIL_EFORMAT)
				vec_fail(r, "composer/semver rejects this version", rc);
			return;
		}
	}
	if (rc < 0 || strcmp(out, vec_str(r->col[1], want, sizeof(want))) != 0) {
		vec_fail(r, rc < 0 ? vigil_error_message() : out, rc);
		return;
	}
	/* the scheme's order: a spelling equals its normalized form, when that
	 * is a fixed point (dates are not: "2010.01.02" reads as classical) */
	char again[512];
	if (vigil_composer_normalize(out, strlen(out), again, sizeof(again)) < 0 || strcmp(again, out))
		return;
	int c = vigil_composer_cmp(r->col[0].ptr, r->col[0].len, r->col[1].ptr, r->col[1].len);
	if (c != 0)
		vec_fail(r, "vigil_composer_cmp(input, normalized)", c);
}

static void cmp_row(const vec_row *r, void *ctx)
{
	(void)ctx;
	char op[8];
	if (r->ncol != 4) {
		vec_fail(r, "not 4 columns", r->ncol);
		return;
	}
	int got = -1, want = vec_sign(r->col[3]);
	int rc = vigil_composer_compare_op(r->col[0].ptr, r->col[0].len, vec_str(r->col[1], op, sizeof(op)),
					   r->col[2].ptr, r->col[2].len, &got);
	if (rc < 0 || got != want)
		vec_fail(r, rc < 0 ? vigil_error_message() : "Comparator::compare", rc < 0 ? rc : got);
}

static void constraint_row(const vec_row *r, void *ctx)
{
	(void)ctx;
	if (r->ncol != 3) {
		vec_fail(r, "not 3 columns", r->ncol);
		return;
	}
	int got = -1, want = vec_sign(r->col[2]);
	int rc = vigil_version_satisfies("composer", r->col[1].ptr, r->col[1].len, r->col[0].ptr,
					 r->col[0].len, &got);
	if (rc < 0 || got != want)
		vec_fail(r, rc < 0 ? vigil_error_message() : "matches", rc < 0 ? rc : got);
}

static void test_vectors(void **state)
{
	(void)state;
	th_testdata_or_skip();
	vec_failures = 0;
	assert_int_equal(vec_each("composer_normalize.tsv", norm_row, NULL), 75);
	assert_int_equal(vec_each("composer_compare.tsv", cmp_row, NULL), 39);
	assert_int_equal(vec_each("composer_constraint.tsv", constraint_row, NULL), 36);
	printf("%d failing checks\n", vec_failures);
	assert_int_equal(vec_failures, 0);
}

static int sat(const char *c, const char *v)
{
	int res = -1;
	int rc = vigil_version_satisfies("composer", v, strlen(v), c, strlen(c), &res);
	return rc < 0 ? rc : res;
}

static int cmp(const char *a, const char *b)
{
	return vigil_composer_cmp(a, strlen(a), b, strlen(b));
}

static void test_rules(void **state)
{
	(void)state;
	/* the order: normalized, then version_compare; branches lowest */
	assert_int_equal(cmp("v1.2.3", "1.2.3"), 0);
	assert_int_equal(cmp("1.0.0-beta2", "1.0.0-RC1"), -1);
	assert_int_equal(cmp("1.0.0-RC1", "1.0.0"), -1);
	assert_int_equal(cmp("1.0.0", "1.0.0-p1"), -1);
	assert_int_equal(cmp("1.0.0-dev", "1.0.0-alpha1"), -1);
	assert_int_equal(cmp("dev-master", "0.0.1"), -1);
	assert_int_equal(cmp("1.x-dev", "1.99"), 1);
	assert_int_equal(cmp("2.0", "10.0"), -1);
	/* FriendsOfPHP security-advisories branch constraints */
	assert_int_equal(sat(">=2.0.0,<2.0.5", "2.0.4"), 1);
	assert_int_equal(sat(">=2.0.0,<2.0.5", "2.0.5"), 0);
	/* "<2.0.5" is "<2.0.5.0-dev": 2.0.5's prereleases are not below it */
	assert_int_equal(sat(">=2.0.0,<2.0.5", "2.0.5-beta1"), 0);
	assert_int_equal(sat(">=2.0.0,<2.0.5", "2.0.0-beta1"), 1);
	assert_int_equal(sat("<1.1.2", "v1.1.1"), 1);
	assert_int_equal(sat(">=1.0 <1.4 || >=2.0,<2.3", "2.2.9"), 1);
	assert_int_equal(sat(">=1.0 <1.4 || >=2.0,<2.3", "1.4.0"), 0);
	assert_int_equal(sat("^1.2.3", "1.9.0"), 1);
	assert_int_equal(sat("^1.2.3", "2.0.0"), 0);
	assert_int_equal(sat("^0.3", "0.3.9"), 1);
	assert_int_equal(sat("^0.3", "0.4.0"), 0);
	assert_int_equal(sat("~1.2", "1.9"), 1);
	assert_int_equal(sat("~1.2.3", "1.3.0"), 0);
	assert_int_equal(sat("1.2.*", "1.2.7"), 1);
	assert_int_equal(sat("1.2.*", "1.3.0"), 0);
	assert_int_equal(sat("*", "dev-master"), 1);
	assert_int_equal(sat("1.0 - 2.0", "2.0.5"), 1);
	assert_int_equal(sat("1.0 - 2.0", "2.1.0"), 0);
	assert_int_equal(sat("1.0.0 - 2.0.0", "2.0.0"), 1);
	assert_int_equal(sat(">=1.0@dev", "1.0.0-beta"), 1);
	/* bad constraints name themselves */
	assert_int_equal(sat("~>1.2", "1.2"), VIGIL_EFORMAT);
	assert_int_equal(sat(">= foo bar", "1.0"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "foo"));
	assert_int_equal(sat("", "1.0"), VIGIL_EFORMAT);
	assert_int_equal(sat(">=1.0", "not a version"), VIGIL_EFORMAT);
	/* limits */
	char many[VIGIL_VERSION_CONSTRAINT_MAX_LEN];
	size_t o = 0;
	for (int i = 0; i <= VIGIL_VERSION_MAX_CLAUSES; i++)
		o += (size_t)snprintf(many + o, sizeof(many) - o, "%s>=1", i ? "," : "");
	assert_int_equal(sat(many, "1.0"), VIGIL_ELIMIT);
	int res;
	assert_int_equal(vigil_composer_compare_op("1", 1, "~", "1", 1, &res), VIGIL_EINVAL);
	char small[4];
	assert_int_equal(vigil_composer_normalize("1.0.0", 5, small, sizeof(small)), VIGIL_ELIMIT);
	vec_junk(vigil_composer_cmp, "composer");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
