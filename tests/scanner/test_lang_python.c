/* tests/scanner/test_lang_python.c: scan_lang_python_parse() and
 * scan_lang_python_path() on the real Python fixtures of lang/python/
 * (every row of the trivy, syft and scalibr expected lists whose file is a
 * METADATA/PKG-INFO, and the .egg/.whl zips of scalibr through
 * scan_lang_egg_parse_stream()), on
 * the 21 metadata files of the Debian bookworm tree, and on bad input,
 * PEP 503 names and the limits. */
#include "lang_fixture.h"
#include "scan_fixture.h"
#include "scanner/lang/java.h"
#include "util/error.h"
#include "util/stream.h"

#include <stdio.h>

static int setup(void **state)
{
	return scan_fx_setup(state, "usr/lib/python3/dist-packages/x.dist-info/METADATA");
}

static int parse_file(struct scan_fx *f, const char *rel)
{
	return scan_fx_parse_file(f, scan_lang_python_parse, rel);
}

/* A zipped distribution (.egg, .whl), read as a stream. */
static int parse_zip(struct scan_fx *f, const char *rel)
{
	size_t n;
	vigil_istream *in;
	char *data = th_read_file(th_data_path(rel), &n);
	if (!data)
		fail_msg("cannot read %s", rel);
	assert_int_equal(vigil_istream_from_mem(data, n, &in), 0);
	f->list.len = 0;
	f->warnings = 0;
	int rc = scan_lang_egg_parse_stream(&f->ctx, in, n, &f->list);
	vigil_istream_close(in);
	free(data);
	return rc;
}

static int parse_text(struct scan_fx *f, const char *text)
{
	return scan_fx_parse_text(f, scan_lang_python_parse, text);
}

/* Every row of list (files under folder, named by the 4th column). */
static void check_list(struct scan_fx *f, const char *list, const char *folder, bool ci,
		       size_t want_rows)
{
	struct lang_row rows[32];
	char *data, rel[1024];
	size_t n = lang_rows(list, rows, 32, &data), checked = 0;
	for (size_t i = 0; i < n; i++) {
		vigil_slice src = rows[i].extra;
		bool zip = vigil_slice_ends_with(src, ".egg") || vigil_slice_ends_with(src, ".whl");
		snprintf(rel, sizeof(rel), "%s/%.*s", folder, (int)src.len, src.ptr);
		assert_true(scan_lang_egg_path(vigil_slice_cstr(rel)) == zip);
		if ((zip ? parse_zip(f, rel) : parse_file(f, rel)) != 0)
			fail_msg("%s: %s", rel, vigil_error_message());
		if (f->list.len != 1)
			fail_msg("%s: %zu packages", rel, f->list.len);
		assert_string_equal(f->list.items[0].package_db, f->ctx.path);
		assert_int_equal(f->list.items[0].type, VIGIL_PKG_PYPI);
		lang_eq(&f->list.items[0], &rows[i], ci, rel);
		checked++;
	}
	assert_int_equal(checked, want_rows);
	free(data);
}

static void test_trivy(void **state)
{
	struct scan_fx *f = *state;
	check_list(f, "lang/expected/python_trivy_site-packages.tsv",
		   "lang/python/trivy_site-packages", false, 5);
	check_list(f, "lang/expected/python_trivy_pip-venv.tsv", "lang/python/trivy_pip-venv",
		   false, 3);
	check_list(f, "lang/expected/python_trivy_packaging-files.tsv",
		   "lang/python/trivy_packaging-files", false, 10);
	/* invalid.json: no header block with a Name: nothing, a warning */
	assert_int_equal(parse_file(f, "lang/python/trivy_packaging-files/invalid.json"), 0);
	assert_int_equal(f->list.len, 0);
	assert_int_equal(f->warnings, 1);
}

static void test_syft(void **state)
{
	check_list(*state, "lang/expected/python_syft_site-packages.tsv",
		   "lang/python/syft_site-packages", true, 8);
}

static void test_scalibr(void **state)
{
	struct scan_fx *f = *state;
	check_list(f, "lang/expected/python_scalibr_wheelegg.tsv", "lang/python/scalibr_wheelegg",
		   false, 11);
	/* an egg without EGG-INFO/PKG-INFO: nothing; not a zip: an error */
	assert_int_equal(parse_zip(f, "lang/python/scalibr_wheelegg/monotonic_no_pkginfo-1.6-py3.10.egg"), 0);
	assert_int_equal(f->list.len, 0);
	assert_int_equal(parse_zip(f, "lang/python/scalibr_wheelegg/empty"), VIGIL_EFORMAT);
	assert_int_equal(parse_file(f, "lang/python/scalibr_wheelegg/empty"), 0);
	assert_int_equal(f->list.len, 0);
}

/* The Debian tree: 21 metadata files, each one package whose name and
 * version agree with the folder name ("PyYAML-6.0.dist-info"). */
static void test_debian(void **state)
{
	struct scan_fx *f = *state;
	static const char *const dirs[] = {
		"Django-3.2.25.egg-info", "Flask-2.2.2.egg-info", "Jinja2-3.1.2.egg-info",
		"Pillow-9.4.0.egg-info", "PyYAML-6.0.dist-info", "Pygments-2.14.0.egg-info",
		"Twisted-22.4.0.egg-info", "Werkzeug-2.2.2.egg-info", "aiohttp-3.8.4.egg-info",
		"certifi-2022.9.24.egg-info", "cryptography-38.0.4.dist-info",
		"idna-3.3.egg-info", "lxml-4.9.2.egg-info", "paramiko-2.12.0.egg-info",
		"pip-23.0.1.dist-info", "requests-2.28.1.egg-info", "setuptools-66.1.1.egg-info",
		"sqlparse-0.4.2.egg-info", "tornado-6.2.egg-info", "urllib3-1.26.12.egg-info",
	};
	const char *base = "lang/debian-bookworm-2026-12/rootfs/usr/lib/python3/dist-packages";
	char rel[512], want[128];
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		bool dist = strstr(dirs[i], ".dist-info") != NULL;
		snprintf(rel, sizeof(rel), "%s/%s/%s", base, dirs[i], dist ? "METADATA" : "PKG-INFO");
		assert_true(scan_lang_python_path(vigil_slice_cstr(rel)));
		assert_int_equal(parse_file(f, rel), 0);
		assert_int_equal(f->list.len, 1);
		const vigil_package *p = &f->list.items[0];
		snprintf(want, sizeof(want), "%s-%s.%s", p->name,
			 strcmp(p->name, "tornado") == 0 ? "6.2" : p->version,
			 dist ? "dist-info" : "egg-info");
		assert_string_equal(want, dirs[i]);
	}
	snprintf(rel, sizeof(rel), "%s/cryptography.egg-info/PKG-INFO", base);
	assert_int_equal(parse_file(f, rel), 0);
	assert_int_equal(f->list.len, 1);
	assert_string_equal(f->list.items[0].purl, "pkg:pypi/cryptography@38.0.4");
	snprintf(rel, sizeof(rel), "%s/PyYAML-6.0.dist-info/METADATA", base);
	assert_int_equal(parse_file(f, rel), 0);
	assert_string_equal(f->list.items[0].name, "PyYAML");
	assert_string_equal(f->list.items[0].purl, "pkg:pypi/pyyaml@6.0");
}

static void test_paths(void **state)
{
	(void)state;
	static const char *const yes[] = {
		"usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA",
		"opt/venv/lib/python3.11/site-packages/Flask-2.0.0.dist-info/METADATA",
		"usr/lib/python3/dist-packages/Django-3.2.25.egg-info/PKG-INFO",
		"usr/lib/python2.7/dist-packages/distlib-0.3.1-py2.7.egg-info",
		"x.dist-info/METADATA",
	};
	static const char *const no[] = {
		"usr/lib/python3/dist-packages/requests/METADATA", ".dist-info/METADATA",
		"usr/lib/x.dist-info/RECORD", "usr/lib/x.egg-info/top_level.txt",
		"usr/lib/.egg-info", "usr/lib/x.dist-info/sub/METADATA", "METADATA",
		"usr/lib/x.dist-info/METADATA.bak",
	};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!scan_lang_python_path(vigil_slice_cstr(yes[i])))
			fail_msg("%s: not matched", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (scan_lang_python_path(vigil_slice_cstr(no[i])))
			fail_msg("%s: matched", no[i]);
}

static void test_pep503(void **state)
{
	(void)state;
	char buf[64];
	static const char *const cases[][2] = {
		{ "Flask", "flask" }, { "backports.ssl_match_hostname", "backports-ssl-match-hostname" },
		{ "a__-.b", "a-b" }, { "typing_extensions", "typing-extensions" }, { "x-", "x-" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_true(scan_lang_pep503(vigil_slice_cstr(cases[i][0]), buf, sizeof(buf)));
		assert_string_equal(buf, cases[i][1]);
	}
	assert_false(scan_lang_pep503(vigil_slice_cstr("abcdef"), buf, 6));
}

static void test_small(void **state)
{
	struct scan_fx *f = *state;
	/* the body after the empty line is not read; keys case-insensitive; CRLF */
	assert_int_equal(parse_text(f, "NAME: A.B\r\nversion:  1.0+local \r\n\r\nName: other\n"), 0);
	assert_int_equal(f->list.len, 1);
	assert_string_equal(f->list.items[0].name, "A.B");
	assert_string_equal(f->list.items[0].version, "1.0+local");
	assert_string_equal(f->list.items[0].purl, "pkg:pypi/a-b@1.0%2Blocal");
	/* a continuation line is not a field */
	assert_int_equal(parse_text(f, "Summary: x\n Name: no\nName: yes\nVersion: 2\n"), 0);
	assert_string_equal(f->list.items[0].name, "yes");
	/* no version: an empty one, no @ in the purl */
	assert_int_equal(parse_text(f, "Name: nov\n"), 0);
	assert_string_equal(f->list.items[0].version, "");
	assert_string_equal(f->list.items[0].purl, "pkg:pypi/nov");
}

static void test_bad_input(void **state)
{
	struct scan_fx *f = *state;
	assert_int_equal(parse_text(f, ""), 0);
	assert_int_equal(f->list.len, 0);
	assert_int_equal(f->warnings, 1);
	assert_int_equal(parse_text(f, "Name: two words\nVersion: 1\n"), 0);
	assert_int_equal(f->list.len, 0);
	assert_int_equal(parse_text(f, "Name: x\nVersion: 1 2\n"), 0);
	assert_int_equal(f->list.len, 0);
	assert_non_null(strstr(f->last_warning, "Version"));
	assert_int_equal(scan_lang_python_parse(&f->ctx, "Name: x\0\n", 9, &f->list),
			 VIGIL_EFORMAT);
}

static void test_limits(void **state)
{
	struct scan_fx *f = *state;
	size_t n = VIGIL_LANG_PY_MAX_HEADER + 16;
	char *big = malloc(n);
	assert_non_null(big);
	memset(big, 'a', n);
	memcpy(big, "Name: x\nVersion: 1\nSummary: ", 28);
	f->list.len = 0;
	assert_int_equal(scan_lang_python_parse(&f->ctx, big, n, &f->list), VIGIL_ELIMIT);
	/* a long body after the header block is fine */
	memcpy(big, "Name: x\nVersion: 1\n\n", 20);
	assert_int_equal(scan_lang_python_parse(&f->ctx, big, n, &f->list), 0);
	assert_int_equal(f->list.len, 1);
	free(big);
	char name[VIGIL_LANG_MAX_NAME + 16] = "Name: ";
	memset(name + 6, 'n', VIGIL_LANG_MAX_NAME + 1);
	name[6 + VIGIL_LANG_MAX_NAME + 1] = '\0';
	assert_int_equal(parse_text(f, name), 0);
	assert_int_equal(f->list.len, 0);
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_trivy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syft, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scalibr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_debian, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pep503, setup, teardown),
		cmocka_unit_test_setup_teardown(test_small, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
