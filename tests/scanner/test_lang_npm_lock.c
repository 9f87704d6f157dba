/* tests/scanner/test_lang_npm_lock.c: scan_npm_lock_parse() on trivy's
 * package-lock.json fixtures (lockfileVersion 1, 2, 3, workspaces, peers,
 * a package both dev and not, a broken link), each against its
 * lang/expected/ list with the dev flag; the path predicate; and bad input
 * and the limits. */
#include "node_lock_fixture.h"

static int setup(void **state)
{
	return scan_fx_setup(state, "app/package-lock.json");
}

static void test_trivy_v1(void **state)
{
	nl_check(*state, scan_npm_lock_parse, "trivy_package-lock_v1.json");
}

static void test_trivy_v2(void **state)
{
	nl_check(*state, scan_npm_lock_parse, "trivy_package-lock_v2.json");
}

static void test_trivy_v3(void **state)
{
	nl_check(*state, scan_npm_lock_parse, "trivy_package-lock_v3.json");
}

/* workspace packages are listed under their link's name (function1 with
 * no version: its folder has none) */
static void test_trivy_v3_workspace(void **state)
{
	nl_check(*state, scan_npm_lock_parse, "trivy_package-lock_v3_with_workspace.json");
}

static void test_trivy_v3_peer(void **state)
{
	nl_check(*state, scan_npm_lock_parse, "trivy_package-lock_v3_with_peer.json");
}

/* minimist 0.0.8 is both a dev (under fsevents) and a production copy:
 * listed once, not dev */
static void test_trivy_v3_same_dev(void **state)
{
	nl_check(*state, scan_npm_lock_parse, "trivy_package-lock_v3_with-same-dev-and-non-dev.json");
}

/* a link with an empty "resolved": no package, no error, a warning */
static void test_trivy_v3_broken_link(void **state)
{
	struct scan_fx *f = *state;
	assert_int_equal(nl_parse_fixture(f, scan_npm_lock_parse,
					  "trivy_package-lock_v3_broken_link.json"), 0);
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "node_modules/func1"));
}

static void test_paths(void **state)
{
	(void)state;
	static const char *const yes[] = { "app/package-lock.json", "package-lock.json",
					   "srv/a/b/npm-shrinkwrap.json" };
	static const char *const no[] = {
		"node_modules/.package-lock.json", "app/node_modules/x/package-lock.json",
		"app/node_modules/x/npm-shrinkwrap.json", "app/xpackage-lock.json",
		"app/package-lock.json.bak", "app/package.json", "node_modules/package-lock.json",
	};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!scan_npm_lock_path(vigil_slice_cstr(yes[i])))
			fail_msg("%s: not matched", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (scan_npm_lock_path(vigil_slice_cstr(no[i])))
			fail_msg("%s: matched", no[i]);
}

static void test_small(void **state)
{
	struct scan_fx *f = *state;
	/* scoped names, a nested copy of the same name@version once (dev only
	 * when every copy is), devOptional is not dev, the root and a
	 * workspace folder are not packages, a link to a missing folder
	 * neither */
	assert_int_equal(nl_parse_text(f, scan_npm_lock_parse,
		"{\"lockfileVersion\":3,\"packages\":{"
		"\"\":{\"name\":\"root\",\"version\":\"1.0.0\"},"
		"\"tools/x\":{\"version\":\"2.0.0\"},"
		"\"node_modules/@s/a\":{\"version\":\"1.0.0\",\"dev\":true},"
		"\"node_modules/b\":{\"version\":\"1.0.0\",\"devOptional\":true},"
		"\"node_modules/b/node_modules/@s/a\":{\"version\":\"1.0.0\"},"
		"\"node_modules/c\":{\"version\":\"3.0.0\",\"dev\":true},"
		"\"node_modules/b/node_modules/c\":{\"version\":\"3.0.0\",\"dev\":true},"
		"\"node_modules/alias\":{\"name\":\"real\",\"version\":\"4.0.0\"},"
		"\"node_modules/gone\":{\"resolved\":\"../elsewhere\",\"link\":true}}}"), 0);
	assert_int_equal(f->list.len, 4);
	assert_string_equal(f->list.items[0].name, "@s/a");
	assert_string_equal(f->list.items[0].purl, "pkg:npm/%40s/a@1.0.0");
	assert_int_equal(f->list.items[0].flags, 0);
	assert_string_equal(f->list.items[1].name, "b");
	assert_int_equal(f->list.items[1].flags, 0);
	assert_string_equal(f->list.items[2].name, "c");
	assert_int_equal(f->list.items[2].flags, VIGIL_PKG_F_DEV);
	assert_string_equal(f->list.items[3].name, "real");
	assert_int_equal(f->warnings, 0);
	/* v1: nested dependencies; v2 read from packages, not its v1 tree */
	assert_int_equal(nl_parse_text(f, scan_npm_lock_parse,
		"{\"lockfileVersion\":1,\"dependencies\":{\"a\":{\"version\":\"1.0.0\",\"dev\":true,"
		"\"dependencies\":{\"b\":{\"version\":\"2.0.0\"}}}}}"), 0);
	assert_int_equal(f->list.len, 2);
	assert_int_equal(f->list.items[0].flags, VIGIL_PKG_F_DEV);
	assert_string_equal(f->list.items[1].purl, "pkg:npm/b@2.0.0");
	assert_int_equal(nl_parse_text(f, scan_npm_lock_parse,
		"{\"lockfileVersion\":2,\"dependencies\":{\"a\":{\"version\":\"1.0.0\"}},"
		"\"packages\":{\"node_modules/z\":{\"version\":\"9.0.0\"}}}"), 0);
	assert_int_equal(f->list.len, 1);
	assert_string_equal(f->list.items[0].name, "z");
}

static void test_bad_input(void **state)
{
	struct scan_fx *f = *state;
	static const char *const eformat[] = {
		"", "not json", "{\"lockfileVersion\":3,\"packages\":{", "[1]",
		"{\"lockfileVersion\":\"3\"}", "{\"lockfileVersion\":3,\"packages\":[]}",
		"{\"lockfileVersion\":1,\"dependencies\":\"x\"}", "{\"a\":\"b\\u0000\"",
	};
	for (size_t i = 0; i < sizeof(eformat) / sizeof(eformat[0]); i++)
		if (nl_parse_text(f, scan_npm_lock_parse, eformat[i]) != VIGIL_EFORMAT)
			fail_msg("\"%s\": not VIGIL_EFORMAT", eformat[i]);
	/* an entry of the wrong shape: skipped with a warning, the rest read */
	assert_int_equal(nl_parse_text(f, scan_npm_lock_parse,
		"{\"lockfileVersion\":3,\"packages\":{\"node_modules/a\":1,"
		"\"node_modules/b\":{\"version\":2},\"node_modules/c\":{\"version\":\"1.0.0\"},"
		"\"node_modules/d e\":{\"version\":\"1\"}}}"), 0);
	assert_int_equal(f->list.len, 1);
	assert_string_equal(f->list.items[0].name, "c");
	assert_int_equal(f->warnings, 3);
	/* a control byte of the file never reaches a message */
	assert_int_equal(nl_parse_text(f, scan_npm_lock_parse,
		"{\"lockfileVersion\":3,\"packages\":{\"node_modules/x\\u001b[2J\":{\"version\":\"1\"},"
		"\"node_modules/\\u001b]0;t\\u0007\":1}}"), 0);
	assert_int_equal(f->list.len, 0);
	assert_int_equal(f->warnings, 2);
	assert_null(strchr(f->last_warning, 0x1b));
	/* nothing to read: no package, no error */
	assert_int_equal(nl_parse_text(f, scan_npm_lock_parse, "{}"), 0);
	assert_int_equal(f->list.len, 0);
}

static void test_limits(void **state)
{
	struct scan_fx *f = *state;
	char deep[4096] = "{\"lockfileVersion\":1,\"dependencies\":";
	size_t n = strlen(deep);
	nl_check_too_large(f, scan_npm_lock_parse);
	for (int i = 0; i < VIGIL_NPM_LOCK_MAX_DEPTH + 1; i++)
		n += (size_t)snprintf(deep + n, sizeof(deep) - n, "{\"a\":{\"dependencies\":");
	n += (size_t)snprintf(deep + n, sizeof(deep) - n, "{}");
	for (int i = 0; i < 2 * (VIGIL_NPM_LOCK_MAX_DEPTH + 1) + 1; i++)
		deep[n++] = '}';
	deep[n] = 0;
	assert_true(n < sizeof(deep) - 1);
	assert_int_equal(nl_parse_text(f, scan_npm_lock_parse, deep), VIGIL_ELIMIT);
	assert_int_equal(f->list.len, 0);
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_trivy_v1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trivy_v2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trivy_v3, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trivy_v3_workspace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trivy_v3_peer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trivy_v3_same_dev, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trivy_v3_broken_link, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_small, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
