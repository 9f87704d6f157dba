/* tests/scanner/test_lang_php.c: the Composer parsers
 * (scanner/lang/composer.c) on the upstream fixtures of lang/php/ (every
 * row of lang/expected/php_*.tsv, trivy's composer_happy.lock as trivy
 * reads it), the dev flags, and bad input and limits. */
#include "rpn_fixture.h"

static int setup(void **state)
{
	return scan_fx_setup(state, "app/vendor/composer/installed.json");
}

static const vigil_package *find(struct scan_fx *f, const char *purl)
{
	const vigil_package *p = rpn_find(f, 0, vigil_slice_cstr(purl));
	if (!p)
		fail_msg("%s: not found", purl);
	return p;
}

static void test_installed(void **state)
{
	struct scan_fx *f = *state;
	rpn_check_file(f, scan_lang_composer_installed_parse,
		       "lang/php/syft_composer_1/vendor/composer/installed.json",
		       "lang/expected/php_syft_composer_1.tsv", VIGIL_PKG_COMPOSER);
	/* composer 1 has no dev-package-names: nothing is flagged */
	assert_int_equal(find(f, "pkg:composer/behat/mink@v1.8.1")->flags, 0);
	rpn_check_file(f, scan_lang_composer_installed_parse,
		       "lang/php/syft_composer_2/vendor/composer/installed.json",
		       "lang/expected/php_syft_composer_2.tsv", VIGIL_PKG_COMPOSER);
	assert_int_equal(find(f, "pkg:composer/behat/mink@v1.8.1")->flags, VIGIL_PKG_F_DEV);
	assert_int_equal(find(f, "pkg:composer/asm89/stack-cors@1.3.0")->flags, 0);
	rpn_check_file(f, scan_lang_composer_installed_parse,
		       "lang/php/trivy_composer-vendor/vendor/composer/installed.json",
		       "lang/expected/php_trivy_composer-vendor.tsv", VIGIL_PKG_COMPOSER);
	assert_string_equal(f->list.items[0].package_db, "app/vendor/composer/installed.json");
}

static void test_lock(void **state)
{
	struct scan_fx *f = *state;
	struct lang_row rows[8];
	char *data;
	size_t n = lang_rows("lang/expected/php_trivy_composer-with-dev.tsv", rows, 8, &data);
	rpn_check_file(f, scan_lang_composer_lock_parse, "lang/php/trivy_composer-with-dev/composer.lock",
		       "lang/expected/php_trivy_composer-with-dev.tsv", VIGIL_PKG_COMPOSER);
	for (size_t i = 0; i < n; i++) {
		const vigil_package *p = rpn_find(f, 0, rows[i].purl);
		assert_int_equal(p->flags, vigil_slice_eq_cstr(rows[i].extra, "1") ? VIGIL_PKG_F_DEV : 0);
	}
	free(data);
	/* syft lists "packages" only; vigil adds "packages-dev", flagged */
	n = lang_rows("lang/expected/php_syft_composer.lock.tsv", rows, 8, &data);
	assert_int_equal(n, 2);
	assert_int_equal(rpn_parse_file(f, scan_lang_composer_lock_parse, "lang/php/syft_composer.lock"), 0);
	assert_int_equal(f->list.len, 4);
	for (size_t i = 0; i < n; i++) {
		const vigil_package *p = rpn_find(f, 0, rows[i].purl);
		assert_non_null(p);
		lang_eq(p, &rows[i], false, "syft_composer.lock");
		assert_int_equal(p->flags, 0);
	}
	assert_int_equal(find(f, "pkg:composer/behat/gherkin@v4.6.2")->flags, VIGIL_PKG_F_DEV);
	assert_int_equal(find(f, "pkg:composer/codeception/codeception@4.1.6")->flags, VIGIL_PKG_F_DEV);
	free(data);
}

/* trivy_composer_happy.lock: its list is withheld; these are its
 * "packages" and "packages-dev" as trivy reads them. */
static void test_lock_happy(void **state)
{
	static const char *const want[] = {
		"pkg:composer/guzzlehttp/guzzle@6.5.8",
		"pkg:composer/guzzlehttp/promises@1.5.2",
		"pkg:composer/guzzlehttp/psr7@1.9.0",
		"pkg:composer/psr/http-message@1.0.1",
		"pkg:composer/ralouphie/getallheaders@3.0.3",
		"pkg:composer/symfony/polyfill-intl-idn@v1.27.0",
		"pkg:composer/symfony/polyfill-intl-normalizer@v1.27.0",
		"pkg:composer/symfony/polyfill-php72@v1.27.0",
		"pkg:composer/pear/log@1.13.3",
		"pkg:composer/pear/pear_exception@v1.0.2",
	};
	struct scan_fx *f = *state;
	assert_int_equal(rpn_parse_file(f, scan_lang_composer_lock_parse, "lang/php/trivy_composer_happy.lock"),
			 0);
	assert_int_equal(f->list.len, 10);
	for (size_t i = 0; i < 10; i++)
		assert_int_equal(find(f, want[i])->flags, i >= 8 ? VIGIL_PKG_F_DEV : 0);
}

static void test_paths(void **state)
{
	(void)state;
	assert_true(scan_lang_composer_installed_path(vigil_slice_cstr("var/www/vendor/composer/installed.json")));
	assert_true(scan_lang_composer_installed_path(vigil_slice_cstr("vendor/composer/installed.json")));
	assert_false(scan_lang_composer_installed_path(vigil_slice_cstr("app/composer/installed.json")));
	assert_false(scan_lang_composer_installed_path(vigil_slice_cstr("app/xvendor/composer/installed.json")));
	assert_false(scan_lang_composer_installed_path(vigil_slice_cstr("vendor/composer/installed.php")));
	assert_true(scan_lang_composer_lock_path(vigil_slice_cstr("var/www/composer.lock")));
	assert_true(scan_lang_composer_lock_path(vigil_slice_cstr("composer.lock")));
	assert_false(scan_lang_composer_lock_path(vigil_slice_cstr("var/www/composer.json")));
	assert_false(scan_lang_composer_lock_path(vigil_slice_cstr("var/www/mycomposer.lock")));
}

static void test_bad_input(void **state)
{
	struct scan_fx *f = *state;
	rpn_parse_fn inst = scan_lang_composer_installed_parse, lock = scan_lang_composer_lock_parse;
	assert_int_equal(rpn_parse_text(f, inst, "{\"packages\": ["), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "installed.json: line 1"));
	assert_int_equal(rpn_parse_text(f, inst, "\"x\""), VIGIL_EFORMAT);
	assert_int_equal(rpn_parse_text(f, inst, "{\"packages\": {}}"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "packages: not an array"));
	assert_int_equal(rpn_parse_text(f, inst, "[1]"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "packages[0]"));
	assert_int_equal(rpn_parse_text(f, inst, "{\"packages\":[],\"dev-package-names\":1}"),
			 VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "dev-package-names"));
	assert_int_equal(rpn_parse_text(f, lock, "[]"), VIGIL_EFORMAT);
	assert_int_equal(rpn_parse_text(f, lock, "{\"packages-dev\": [\"x\"]}"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "packages-dev[0]"));
	/* unusable entries are skipped with a warning naming them */
	assert_int_equal(rpn_parse_text(f, lock,
					"{\"packages\": [{\"name\": \"a/b\"}, {\"name\": 1, \"version\": \"1\"},"
					" {\"name\": \"nosl\", \"version\": \"1\"},"
					" {\"name\": \"a b/c\", \"version\": \"1\"},"
					" {\"name\": \"a/c\", \"version\": \"1.0+x\"}]}"),
			 0);
	assert_int_equal(f->warnings, 4);
	assert_int_equal(f->list.len, 1);
	assert_string_equal(f->list.items[0].purl, "pkg:composer/a/c@1.0%2Bx");
	assert_int_equal(rpn_parse_text(f, lock, "{}"), 0);
	assert_int_equal(f->list.len, 0);
}

static void test_limits(void **state)
{
	struct scan_fx *f = *state;
	char deep[2 * VIGIL_LANG_JSON_MAX_DEPTH + 8];
	size_t i;
	for (i = 0; i <= VIGIL_LANG_JSON_MAX_DEPTH; i++)
		deep[i] = '[';
	for (size_t j = 0; j <= VIGIL_LANG_JSON_MAX_DEPTH; j++)
		deep[i++] = ']';
	deep[i] = '\0';
	assert_int_equal(rpn_parse_text(f, scan_lang_composer_installed_parse, deep), VIGIL_ELIMIT);
	assert_non_null(strstr(vigil_error_message(), "nested"));
	/* one level less is fine (and is not a package list) */
	deep[VIGIL_LANG_JSON_MAX_DEPTH] = ' ';
	deep[VIGIL_LANG_JSON_MAX_DEPTH + 1] = ' ';
	assert_int_equal(rpn_parse_text(f, scan_lang_composer_installed_parse, deep), VIGIL_EFORMAT);
	f->list.len = 0;
	assert_int_equal(scan_lang_composer_lock_parse(&f->ctx, "{}", VIGIL_LANG_COMPOSER_MAX_SIZE + 1,
						       &f->list),
			 VIGIL_ELIMIT);
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_installed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_happy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
