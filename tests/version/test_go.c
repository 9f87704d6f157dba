/* tests/version/test_go.c: Go module versions against golang/mod's own
 * tables: versions/go_semver.tsv (semver.Compare over the 32x32 pairs of
 * semver_test.go, invalid strings equal to each other and below valid ones)
 * and versions/go_pseudo.tsv (IsPseudoVersion, PseudoVersionBase, Rev,
 * Time of pseudo_test.go); plus bad input and limits. */
#include "vectors.h"

static void pseudo_row(const vec_row *r, void *ctx)
{
	(void)ctx;
	char out[VIGIL_VERSION_MAX_LEN + 1], want[VIGIL_VERSION_MAX_LEN + 1];
	vigil_slice v = r->col[0], isp = r->col[1], base = r->col[2], rev = r->col[3], tm = r->col[4];
	if (r->ncol != 5) {
		vec_fail(r, "not 5 columns", r->ncol);
		return;
	}
	int p = vigil_go_is_pseudo(v.ptr, v.len);
	if (isp.len && p != vec_sign(isp))
		vec_fail(r, "is_pseudo", p);
	int rc = vigil_go_pseudo_base(v.ptr, v.len, out, sizeof(out));
	if (vigil_slice_eq_cstr(base, "-")) {
		/* must fail, except where upstream asserts nothing (is_pseudo 0, not v0.0.0) */
		if (rc == 0 && (isp.len == 0 || vigil_slice_eq_cstr(v, "v0.0.0")))
			vec_fail(r, "base should fail", rc);
	} else if (rc < 0 || strcmp(out, vec_str(base, want, sizeof(want))) != 0) {
		vec_fail(r, out, rc);
	}
	const char *rp = NULL;
	size_t rl = 0;
	rc = vigil_go_pseudo_rev(v.ptr, v.len, &rp, &rl);
	int not_pseudo = vigil_slice_eq_cstr(isp, "0"); /* rev and time must fail */
	if (vigil_slice_eq_cstr(rev, "-")) {
		if (rc == 0 && not_pseudo)
			vec_fail(r, "rev should fail", rc);
	} else if (rc < 0 || !vigil_slice_eq(vigil_slice_make(rp, rl), rev)) {
		vec_fail(r, "rev", rc);
	}
	char t[21];
	rc = vigil_go_pseudo_time(v.ptr, v.len, t);
	if (vigil_slice_eq_cstr(tm, "-")) {
		if (rc == 0 && not_pseudo)
			vec_fail(r, "time should fail", rc);
	} else if (rc < 0 || !vigil_slice_eq_cstr(tm, t)) {
		vec_fail(r, "time", rc);
	}
}

static void test_vectors(void **state)
{
	(void)state;
	th_testdata_or_skip();
	vec_failures = 0;
	assert_int_equal(vec_cmp_file("go_semver.tsv", vigil_go_cmp, "go", 0), 1024);
	assert_int_equal(vec_each("go_pseudo.tsv", pseudo_row, NULL), 27);
	printf("%d failing checks\n", vec_failures);
	assert_int_equal(vec_failures, 0);
}

static void test_rules(void **state)
{
	(void)state;
	int res;
	/* +incompatible is build metadata: ignored */
	assert_int_equal(vigil_go_cmp("v2.0.0+incompatible", 19, "v2.0.0", 6), 0);
	/* a pseudo-version sorts before its release and after the previous tag */
	const char *ps = "v1.2.4-0.20191109021931-daa7c04131f5";
	assert_int_equal(vigil_go_cmp(ps, strlen(ps), "v1.2.4", 6), -1);
	assert_int_equal(vigil_go_cmp(ps, strlen(ps), "v1.2.3", 6), 1);
	/* the generic API rejects invalid versions, naming them */
	assert_int_equal(vigil_version_compare("go", "1.2.3", 5, "v1.2.3", 6, &res), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "1.2.3"));
	assert_int_equal(vigil_version_compare("go", "v1.2-pre", 8, "v1.2.3", 6, &res), VIGIL_EFORMAT);
	assert_int_equal(vigil_version_compare("go", "v01.2.3", 7, "v1.2.3", 6, &res), VIGIL_EFORMAT);
	assert_int_equal(vigil_version_compare("go", "v1", 2, "v1.0.0", 6, &res), 0);
	assert_int_equal(res, 0);
	/* a bad timestamp is not a time */
	char t[21];
	const char *bad = "v0.0.0-20061302150405-abc";
	assert_true(vigil_go_is_pseudo(bad, strlen(bad)));
	assert_int_equal(vigil_go_pseudo_time(bad, strlen(bad), t), VIGIL_EFORMAT);
	/* base into too small a buffer */
	char small[4];
	const char *p2 = "v1.2.4-0.20060102150405-hash";
	assert_int_equal(vigil_go_pseudo_base(p2, strlen(p2), small, sizeof(small)), VIGIL_ELIMIT);
	vec_junk(vigil_go_cmp, "go");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
