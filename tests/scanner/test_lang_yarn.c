/* tests/scanner/test_lang_yarn.c: scan_yarn_lock_parse() on trivy's
 * yarn.lock fixtures: v1 (happy, with a file: package) against their
 * lang/expected/ lists, and berry (v2_happy, whose list is withheld: the
 * count SOURCES.md gives and the packages the file shows); the path
 * predicate; small cases of both formats; bad input and the limits. */
#include "node_lock_fixture.h"

static int setup(void **state)
{
	return scan_fx_setup(state, "app/yarn.lock");
}

static void test_trivy_v1_happy(void **state)
{
	nl_check(*state, scan_yarn_lock_parse, "trivy_yarn_happy.lock");
}

static void test_trivy_v1_local(void **state)
{
	nl_check(*state, scan_yarn_lock_parse, "trivy_yarn_with_local.lock");
}

static const vigil_package *find(struct scan_fx *f, const char *name, const char *version)
{
	for (size_t i = 0; i < f->list.len; i++)
		if (!strcmp(f->list.items[i].name, name) && !strcmp(f->list.items[i].version, version))
			return &f->list.items[i];
	fail_msg("%s@%s: not found", name, version);
	return NULL;
}

/* berry: 16 packages (SOURCES.md), the workspace itself not one of them */
static void test_trivy_berry(void **state)
{
	struct scan_fx *f = *state;
	assert_int_equal(nl_parse_fixture(f, scan_yarn_lock_parse, "trivy_yarn_v2_happy.lock"), 16);
	assert_int_equal(f->warnings, 0);
	assert_string_equal(find(f, "@types/color-name", "1.1.1")->purl,
			    "pkg:npm/%40types/color-name@1.1.1");
	/* what trivy's yarn parser takes from this file (its rules applied by
	 * hand to the file; not the withheld list) */
	static const char *const want[][2] = {
		{ "abbrev", "1.1.1" }, { "ansi-styles", "3.2.1" }, { "ansi-styles", "4.2.1" },
		{ "assert-plus", "1.0.0" }, { "async", "3.2.0" }, { "color-convert", "1.9.3" },
		{ "color-convert", "2.0.1" }, { "color-name", "1.1.3" }, { "color-name", "1.1.4" },
		{ "ipaddr.js", "1.9.1" }, { "js-tokens", "4.0.0" }, { "loose-envify", "1.4.0" },
		{ "node-gyp", "7.1.0" }, { "once", "1.4.0" }, { "wrappy", "1.0.2" },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		find(f, want[i][0], want[i][1]);
	for (size_t i = 0; i < f->list.len; i++)
		assert_int_equal(f->list.items[i].flags, 0);
}

static void test_paths(void **state)
{
	(void)state;
	assert_true(scan_yarn_lock_path(vigil_slice_cstr("app2/yarn.lock")));
	assert_true(scan_yarn_lock_path(vigil_slice_cstr("yarn.lock")));
	assert_false(scan_yarn_lock_path(vigil_slice_cstr("app/node_modules/x/yarn.lock")));
	assert_false(scan_yarn_lock_path(vigil_slice_cstr("app/myyarn.lock")));
	assert_false(scan_yarn_lock_path(vigil_slice_cstr("app/yarn.lock/x")));
	assert_false(scan_yarn_lock_path(vigil_slice_cstr("app/.yarn/cache/yarn.lock")));
	assert_true(scan_yarn_lock_path(vigil_slice_cstr("app/yarn/yarn.lock")));
}

static void test_small_v1(void **state)
{
	struct scan_fx *f = *state;
	/* CRLF line ends, several patterns, a scoped name, a git and an
	 * https: package (the latter warned about), dependencies passed over */
	assert_int_equal(nl_parse_text(f, scan_yarn_lock_parse,
		"# yarn lockfile v1\r\n\r\n"
		"\"@s/a@^1.0.0\", \"@s/a@^1.1.0\":\r\n  version \"1.2.0\"\r\n"
		"  dependencies:\r\n    b \"^2.0.0\"\r\n\r\n"
		"b@^2.0.0:\r\n  version \"2.0.1\"\r\n\r\n"
		"c@git+https://example.invalid/c.git:\r\n  version \"3.0.0\"\r\n\r\n"
		"d@https://example.invalid/d.tgz:\r\n  version \"4.0.0\"\r\n"), 0);
	assert_int_equal(f->list.len, 2);
	assert_string_equal(f->list.items[0].name, "@s/a");
	assert_string_equal(f->list.items[0].version, "1.2.0");
	assert_string_equal(f->list.items[1].purl, "pkg:npm/b@2.0.1");
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "https"));
}

static void test_small_berry(void **state)
{
	struct scan_fx *f = *state;
	/* an npm: alias keeps the alias' name; workspace: and patch: are not
	 * packages; the __metadata version is not a package's */
	assert_int_equal(nl_parse_text(f, scan_yarn_lock_parse,
		"__metadata:\n  version: 6\n  cacheKey: 8\n\n"
		"\"app@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"app@workspace:.\"\n\n"
		"\"a@npm:^1.0.0, a@npm:^1.1.0\":\n  version: 1.1.0\n  resolution: \"a@npm:1.1.0\"\n"
		"  dependencies:\n    b: ^2.0.0\n  checksum: 00\n  languageName: node\n  linkType: hard\n\n"
		"\"b-cjs@npm:b@^2.0.0\":\n  version: 2.0.0\n\n"
		"\"c@patch:c@npm%3A1.0.0#~builtin<compat/c>\":\n  version: 1.0.0\n"), 0);
	assert_int_equal(f->list.len, 2);
	assert_string_equal(f->list.items[0].purl, "pkg:npm/a@1.1.0");
	assert_string_equal(f->list.items[1].name, "b-cjs");
	assert_int_equal(f->warnings, 0);
}

static void test_bad_input(void **state)
{
	struct scan_fx *f = *state;
	static const char nul[] = "a@^1:\n  version \"1\0\"\n";
	/* text that is not a lock file: nothing, no error (as trivy) */
	assert_int_equal(nl_parse_text(f, scan_yarn_lock_parse, "{\"not\": \"yarn\"}"), 0);
	assert_int_equal(f->list.len, 0);
	assert_int_equal(nl_parse_text(f, scan_yarn_lock_parse, ""), 0);
	assert_int_equal(nl_parse_text(f, scan_yarn_lock_parse, "@@@:\n\n\n:::\n\"\n"), 0);
	assert_int_equal(f->warnings, 1); /* "@" is no name */
	assert_int_equal(f->list.len, 0);
	/* truncated: the last block without its version has none */
	assert_int_equal(nl_parse_text(f, scan_yarn_lock_parse, "a@^1.0.0:\n  version \"1.0.0\"\n\nb@^2:\n"), 0);
	assert_int_equal(f->list.len, 2);
	assert_string_equal(f->list.items[1].version, "");
	assert_string_equal(f->list.items[1].purl, "pkg:npm/b");
	/* a version line that is not one drops its block, with a warning */
	assert_int_equal(nl_parse_text(f, scan_yarn_lock_parse, "a@^1.0.0:\n  version \"\"\n"), 0);
	assert_int_equal(f->list.len, 0);
	assert_int_equal(f->warnings, 1);
	/* a NUL byte: not a text file */
	f->list.len = 0;
	assert_int_equal(scan_yarn_lock_parse(&f->ctx, nul, sizeof(nul) - 1, &f->list), VIGIL_EFORMAT);
	assert_int_equal(f->list.len, 0);
}

static void test_limits(void **state)
{
	nl_check_too_large(*state, scan_yarn_lock_parse);
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_trivy_v1_happy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trivy_v1_local, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trivy_berry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_small_v1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_small_berry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
