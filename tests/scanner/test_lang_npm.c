/* tests/scanner/test_lang_npm.c: scan_lang_npm_path() and
 * scan_lang_npm_parse() on the real node_modules tree of
 * lang/node/trivy_npm-node_modules (walked as the indexer would: every file
 * the path predicate takes, parsed; the result is the expected list of
 * lang/expected/node_trivy_npm-node_modules.tsv less ansi-colors and
 * array-flatten, which only the lock file names; nested copies each
 * count), and on bad input and the limits. */
#include "lang_fixture.h"
#include "scan_fixture.h"
#include "util/error.h"

#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>

static int setup(void **state)
{
	return scan_fx_setup(state, "app/node_modules/x/package.json");
}

static int parse_text(struct scan_fx *f, const char *text)
{
	f->list.len = 0;
	f->warnings = 0;
	return scan_lang_npm_parse(&f->ctx, text, strlen(text), &f->list);
}

/* Parses every package.json under root/rel that the predicate takes. */
static void walk(struct scan_fx *f, const char *root, const char *rel, int *taken)
{
	char dir[2048], sub[1024];
	struct dirent *e;
	snprintf(dir, sizeof(dir), "%s/%s", root, rel);
	DIR *d = opendir(dir);
	if (!d)
		fail_msg("cannot open %s", dir);
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "",
				     e->d_name) >= sizeof(sub))
			fail_msg("%s/%s: path too long", rel, e->d_name);
		snprintf(dir, sizeof(dir), "%s/%s", root, sub);
		if (stat(dir, &st) != 0)
			fail_msg("cannot stat %s", dir);
		if (S_ISDIR(st.st_mode)) {
			walk(f, root, sub, taken);
		} else if (scan_lang_npm_path(vigil_slice_cstr(sub))) {
			size_t n;
			char *data = th_read_file(dir, &n);
			if (!data)
				fail_msg("cannot read %s", dir);
			f->ctx.path = sub;
			if (scan_lang_npm_parse(&f->ctx, data, n, &f->list) != 0)
				fail_msg("%s: %s", sub, vigil_error_message());
			free(data);
			(*taken)++;
		}
	}
	closedir(d);
}

static void test_trivy_node_modules(void **state)
{
	struct scan_fx *f = *state;
	struct lang_row rows[16];
	char *data;
	int taken = 0;
	size_t n = lang_rows("lang/expected/node_trivy_npm-node_modules.tsv", rows, 16, &data);
	walk(f, th_data_path("lang/node/trivy_npm-node_modules"), "", &taken);
	f->ctx.path = "app/node_modules/x/package.json";
	/* 8 files: debug 2.6.9 and ms 2.0.0 are installed twice (under
	 * body-parser and express), each copy its own package */
	assert_int_equal(taken, 8);
	assert_int_equal(f->list.len, 8);
	assert_int_equal(n, 8);
	for (size_t j = 0; j < f->list.len; j++) {
		bool listed = false;
		for (size_t i = 0; i < n && !listed; i++)
			listed = vigil_slice_eq_cstr(rows[i].purl, f->list.items[j].purl);
		if (!listed)
			fail_msg("%s: not expected", f->list.items[j].purl);
	}
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		/* only the lock file names these two (no node_modules folder) */
		if (vigil_slice_eq_cstr(rows[i].name, "ansi-colors") ||
		    vigil_slice_eq_cstr(rows[i].name, "array-flatten"))
			continue;
		for (size_t j = 0; j < f->list.len && !found; j++) {
			const vigil_package *p = &f->list.items[j];
			if (vigil_slice_eq_cstr(rows[i].purl, p->purl)) {
				lang_eq(p, &rows[i], false, p->package_db);
				assert_int_equal(p->type, VIGIL_PKG_NPM);
				found = true;
			}
		}
		if (!found)
			fail_msg("%.*s: not found", (int)rows[i].purl.len, rows[i].purl.ptr);
	}
	free(data);
}

static void test_paths(void **state)
{
	(void)state;
	static const char *const yes[] = {
		"app/node_modules/express/package.json",
		"node_modules/@babel/parser/package.json",
		"usr/lib/node_modules/npm/node_modules/ms/package.json",
		"a/node_modules/b/node_modules/@s/c/package.json",
	};
	static const char *const no[] = {
		"app/package.json", "node_modules/package.json",
		"node_modules/express/lib/package.json", "node_modules/@babel/package.json",
		"node_modules/@babel/parser/test/package.json", "node_modules/./package.json",
		"node_modules/../package.json", "x/node_modules/@/y/package.json",
		"node_modules/express/package.json.bak", "@s/x/package.json",
	};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!scan_lang_npm_path(vigil_slice_cstr(yes[i])))
			fail_msg("%s: not matched", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (scan_lang_npm_path(vigil_slice_cstr(no[i])))
			fail_msg("%s: matched", no[i]);
}

static void test_small(void **state)
{
	struct scan_fx *f = *state;
	assert_int_equal(parse_text(f, "{\"name\":\"@s/x\",\"version\":\"1.0.0-rc.1+b\"}"), 0);
	assert_int_equal(f->list.len, 1);
	assert_string_equal(f->list.items[0].name, "@s/x");
	assert_string_equal(f->list.items[0].purl, "pkg:npm/%40s/x@1.0.0-rc.1%2Bb");
	assert_string_equal(f->list.items[0].package_db, "app/node_modules/x/package.json");
}

static void test_bad_input(void **state)
{
	struct scan_fx *f = *state;
	assert_int_equal(parse_text(f, "{\"name\": \"x\""), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, "[1]"), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, "{\"name\":\"x\",\"name\":\"y\",\"version\":\"1\"}"),
			 VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, "{\"version\":\"1\"}"), 0);
	assert_int_equal(f->list.len, 0);
	assert_int_equal(f->warnings, 1);
	assert_int_equal(parse_text(f, "{\"name\":\"x\",\"version\":1}"), 0);
	assert_int_equal(f->list.len, 0);
	assert_non_null(strstr(f->last_warning, "version"));
	assert_int_equal(parse_text(f, "{\"name\":\"a b\",\"version\":\"1\"}"), 0);
	assert_int_equal(f->list.len, 0);
	assert_int_equal(parse_text(f, "{\"name\":\"a\\u0000b\",\"version\":\"1\"}"),
			 VIGIL_EFORMAT);
}

static void test_limits(void **state)
{
	struct scan_fx *f = *state;
	size_t n = VIGIL_LANG_NPM_MAX_SIZE + 1;
	char *big = malloc(n);
	assert_non_null(big);
	memset(big, ' ', n);
	memcpy(big, "{\"name\":\"x\",\"version\":\"1\"}", 26);
	f->list.len = 0;
	assert_int_equal(scan_lang_npm_parse(&f->ctx, big, n, &f->list), VIGIL_ELIMIT);
	assert_int_equal(scan_lang_npm_parse(&f->ctx, big, n - 1, &f->list), 0);
	assert_int_equal(f->list.len, 1);
	free(big);
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_trivy_node_modules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_small, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
