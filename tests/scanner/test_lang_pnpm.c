/* tests/scanner/test_lang_pnpm.c: scan_pnpm_lock_parse() on trivy's
 * pnpm-lock.yaml fixtures (5.3, 6.0, 6.0 with dev packages, 9.0 with
 * importers, snapshots, tarball and file: packages) against their
 * lang/expected/ lists with the dev flag; the path predicate; small cases;
 * bad input and the limits (an alias bomb, nesting, size). */
#include "node_lock_fixture.h"

static int setup(void **state)
{
	return scan_fx_setup(state, "app/pnpm-lock.yaml");
}

static void test_trivy_v5(void **state)
{
	nl_check(*state, scan_pnpm_lock_parse, "trivy_pnpm-lock_normal.yaml");
}

static void test_trivy_v6(void **state)
{
	nl_check(*state, scan_pnpm_lock_parse, "trivy_pnpm-lock_v6.yaml");
}

/* 6.0: "dev: true" packages are not listed (trivy's rule) */
static void test_trivy_v6_dev(void **state)
{
	nl_check(*state, scan_pnpm_lock_parse, "trivy_pnpm-lock_v6_with_dev.yaml");
}

/* 9.0: dev unless a production package reaches it */
static void test_trivy_v9(void **state)
{
	nl_check(*state, scan_pnpm_lock_parse, "trivy_pnpm-lock_v9.yaml");
}

static void test_paths(void **state)
{
	(void)state;
	assert_true(scan_pnpm_lock_path(vigil_slice_cstr("app3/pnpm-lock.yaml")));
	assert_true(scan_pnpm_lock_path(vigil_slice_cstr("pnpm-lock.yaml")));
	assert_false(scan_pnpm_lock_path(vigil_slice_cstr("app/node_modules/.pnpm/pnpm-lock.yaml")));
	assert_false(scan_pnpm_lock_path(vigil_slice_cstr("app/pnpm-lock.yml")));
	assert_false(scan_pnpm_lock_path(vigil_slice_cstr("app/xpnpm-lock.yaml")));
}

static void test_small(void **state)
{
	struct scan_fx *f = *state;
	/* 5.4: a registry host, a scope, a peer suffix, a tarball (no
	 * version), "name"/"version" fields, a dev package left out */
	assert_int_equal(nl_parse_text(f, scan_pnpm_lock_parse,
		"lockfileVersion: 5.4\npackages:\n"
		"  registry.npmjs.org/@s/a/1.0.0_react@18.0.0:\n    dev: false\n"
		"  /b/2.0.0:\n    dev: true\n"
		"  /c/file:c.tgz:\n    resolution: {tarball: file:c.tgz}\n"
		"  github.com/x/d/abc:\n    name: d\n    version: 4.0.0\n"), 0);
	assert_int_equal(f->list.len, 3);
	assert_string_equal(f->list.items[0].name, "@s/a");
	assert_string_equal(f->list.items[0].purl, "pkg:npm/%40s/a@1.0.0");
	assert_string_equal(f->list.items[1].name, "c");
	assert_string_equal(f->list.items[1].version, "");
	assert_string_equal(f->list.items[2].purl, "pkg:npm/d@4.0.0");
	/* 9.0, two documents: pnpm 11's env lockfile first (skipped) */
	assert_int_equal(nl_parse_text(f, scan_pnpm_lock_parse,
		"---\nlockfileVersion: '9.0'\nimporters:\n  .:\n    configDependencies:\n"
		"      e: 1.0.0\n---\nlockfileVersion: '9.0'\nimporters:\n  .:\n"
		"    dependencies:\n      a:\n        specifier: ^1\n        version: 1.0.0(p@2.0.0)\n"
		"    devDependencies:\n      t:\n        version: 3.0.0\n"
		"packages:\n  a@1.0.0: {}\n  b@1.0.0: {}\n  t@3.0.0: {}\n"
		"snapshots:\n  a@1.0.0(p@2.0.0):\n    dependencies:\n      b: 1.0.0\n"
		"  b@1.0.0: {}\n  t@3.0.0:\n    dependencies:\n      b: 1.0.0\n"), 0);
	assert_int_equal(f->list.len, 3);
	assert_string_equal(f->list.items[0].name, "a");
	assert_int_equal(f->list.items[0].flags, 0);
	assert_int_equal(f->list.items[1].flags, 0); /* b: reached from a */
	assert_int_equal(f->list.items[2].flags, VIGIL_PKG_F_DEV);
}

static void test_bad_input(void **state)
{
	struct scan_fx *f = *state;
	static const char *const eformat[] = {
		"lockfileVersion: '9.0'\npackages: [\n", "- a\n- b\n", "just text",
		"lockfileVersion: 6.0\npackages:\n  /a@1.0.0:\n\tdev: false\n", "a: 'unterminated\n",
	};
	for (size_t i = 0; i < sizeof(eformat) / sizeof(eformat[0]); i++)
		if (nl_parse_text(f, scan_pnpm_lock_parse, eformat[i]) != VIGIL_EFORMAT)
			fail_msg("\"%s\": not VIGIL_EFORMAT (%s)", eformat[i], vigil_error_message());
	/* no or an unknown lockfileVersion: nothing, a warning */
	assert_int_equal(nl_parse_text(f, scan_pnpm_lock_parse, "packages:\n  /a@1.0.0: {}\n"), 0);
	assert_int_equal(f->list.len, 0);
	assert_int_equal(f->warnings, 1);
	assert_int_equal(nl_parse_text(f, scan_pnpm_lock_parse, "lockfileVersion: x\n"), 0);
	assert_int_equal(f->warnings, 1);
	/* an empty file, wrong shapes: nothing */
	assert_int_equal(nl_parse_text(f, scan_pnpm_lock_parse, ""), 0);
	assert_int_equal(nl_parse_text(f, scan_pnpm_lock_parse,
		"lockfileVersion: '9.0'\nimporters: 1\npackages: [1]\nsnapshots:\n  [a]: 1\n  b@1.0.0: 2\n"), 0);
	assert_int_equal(f->list.len, 1);
	assert_string_equal(f->list.items[0].purl, "pkg:npm/b@1.0.0");
}

static void test_limits(void **state)
{
	struct scan_fx *f = *state;
	char deep[1024] = "lockfileVersion: '6.0'\npackages: ";
	size_t n = strlen(deep);
	nl_check_too_large(f, scan_pnpm_lock_parse);
	/* an alias bomb is refused at its first alias */
	assert_int_equal(nl_parse_text(f, scan_pnpm_lock_parse,
		"lockfileVersion: '6.0'\na: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a]\n"
		"c: &c [*b, *b, *b, *b]\npackages: *c\n"), VIGIL_ELIMIT);
	assert_non_null(strstr(vigil_error_message(), "alias"));
	/* nesting */
	for (int i = 0; i < VIGIL_PNPM_MAX_DEPTH + 1; i++)
		deep[n++] = '[';
	deep[n] = 0;
	assert_int_equal(nl_parse_text(f, scan_pnpm_lock_parse, deep), VIGIL_ELIMIT);
	assert_int_equal(f->list.len, 0);
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_trivy_v5, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trivy_v6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trivy_v6_dev, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trivy_v9, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_small, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
