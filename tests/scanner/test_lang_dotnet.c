/* tests/scanner/test_lang_dotnet.c: the .NET parsers (scanner/lang/
 * dotnet.c, nuget.c, pe.c) on the upstream fixtures of lang/dotnet/ (every
 * row of lang/expected/dotnet_*.tsv; trivy's self-contained.deps.json as
 * trivy reads it; the invalid, no-libraries and Invalid.dll cases), and on
 * bad input and limits. */
#include "rpn_fixture.h"

static int setup(void **state)
{
	return scan_fx_setup(state, "app/App.deps.json");
}

static void test_deps(void **state)
{
	static const char *const files[] = { "ambiguous-root", "happy", "missing-target",
					     "multi-project", "without-runtime" };
	struct scan_fx *f = *state;
	char rel[128], list[128];
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		snprintf(rel, sizeof(rel), "lang/dotnet/trivy_%s.deps.json", files[i]);
		snprintf(list, sizeof(list), "lang/expected/dotnet_trivy_%s.deps.json.tsv", files[i]);
		rpn_check_file(f, scan_lang_dotnet_deps_parse, rel, list, VIGIL_PKG_NUGET);
	}
	/* withheld list: the app, its package and the two runtime packs
	 * without their "runtimepack." prefix, as trivy reads it */
	assert_int_equal(rpn_parse_file(f, scan_lang_dotnet_deps_parse,
					"lang/dotnet/trivy_self-contained.deps.json"), 0);
	assert_int_equal(f->list.len, 4);
	assert_non_null(rpn_find(f, 0, vigil_slice_cstr("pkg:nuget/ExampleApp1@1.0.0")));
	assert_non_null(rpn_find(f, 0, vigil_slice_cstr("pkg:nuget/Newtonsoft.Json@13.0.1")));
	assert_non_null(rpn_find(f, 0, vigil_slice_cstr(
		"pkg:nuget/Microsoft.NETCore.App.Runtime.linux-x64@8.0.0")));
	assert_non_null(rpn_find(f, 0, vigil_slice_cstr(
		"pkg:nuget/Microsoft.AspNetCore.App.Runtime.linux-x64@8.0.0")));
	assert_int_equal(rpn_parse_file(f, scan_lang_dotnet_deps_parse,
					"lang/dotnet/trivy_no-libraries.deps.json"), 0);
	assert_int_equal(f->list.len, 0);
	assert_int_equal(rpn_parse_file(f, scan_lang_dotnet_deps_parse,
					"lang/dotnet/trivy_invalid.deps.json"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "deps.json: line"));
}

static void test_nuget_lock(void **state)
{
	static const char *const files[] = { "simple", "subdependencies", "multi", "legacy" };
	struct scan_fx *f = *state;
	char rel[128], list[128];
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		snprintf(rel, sizeof(rel), "lang/dotnet/trivy_packages_lock_%s.json", files[i]);
		snprintf(list, sizeof(list), "lang/expected/dotnet_trivy_packages_lock_%s.json.tsv",
			 files[i]);
		rpn_check_file(f, scan_lang_nuget_lock_parse, rel, list, VIGIL_PKG_NUGET);
	}
}

/* Parses an assembly through the streamed reader, as the indexer does. */
static int pe_file(struct scan_fx *f, const char *rel)
{
	vigil_istream *in = NULL;
	int rc = vigil_istream_from_path(th_data_path(rel), &in);
	size_t n;
	char *data = th_read_file(th_data_path(rel), &n);
	assert_int_equal(rc, 0);
	assert_non_null(data);
	f->list.len = 0;
	f->warnings = 0;
	rc = scan_lang_pe_parse_stream(&f->ctx, in, n, &f->list);
	vigil_istream_close(in);
	free(data);
	return rc;
}

static void test_pe(void **state)
{
	struct scan_fx *f = *state;
	struct lang_row rows[16], dll[16];
	char *data;
	size_t n = lang_rows("lang/expected/dotnet_scalibr_dotnetpe.tsv", rows, 16, &data), nd = 0;
	const char *exe_purl = NULL;
	for (size_t i = 0; i < n; i++) {
		if (vigil_slice_eq_cstr(rows[i].extra, "scalibr_HelloWorldApp.dll"))
			dll[nd++] = rows[i];
		else
			exe_purl = "pkg:nuget/HelloWorldApp.dll@1.0.0.0";
	}
	assert_int_equal(nd, 7);
	assert_non_null(exe_purl);
	if (pe_file(f, "lang/dotnet/scalibr_HelloWorldApp.dll") != 0)
		fail_msg("%s", vigil_error_message());
	rpn_expect(f, 0, dll, nd, VIGIL_PKG_NUGET, "scalibr_HelloWorldApp.dll");
	/* the apphost: no metadata, the version resource */
	if (pe_file(f, "lang/dotnet/scalibr_HelloWorldApp.exe") != 0)
		fail_msg("%s", vigil_error_message());
	rpn_expect(f, 0, &rows[n - 1], 1, VIGIL_PKG_NUGET, "scalibr_HelloWorldApp.exe");
	assert_true(vigil_slice_eq_cstr(rows[n - 1].purl, exe_purl));
	assert_int_equal(pe_file(f, "lang/dotnet/scalibr_Invalid.dll"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "not a PE file"));
	/* the same through memory */
	assert_int_equal(rpn_parse_file(f, scan_lang_pe_parse, "lang/dotnet/scalibr_HelloWorldApp.dll"), 0);
	assert_int_equal(f->list.len, 7);
	free(data);
}

/* Every truncation and every one-byte change of the real assembly: 0 or
 * a clean VIGIL_EFORMAT/ELIMIT, never a crash (ASan build). Two named
 * corruptions give their message. */
static void test_pe_bad(void **state)
{
	struct scan_fx *f = *state;
	size_t n, md = 0;
	char *dll = th_read_file(th_data_path("lang/dotnet/scalibr_HelloWorldApp.dll"), &n);
	char *copy;
	int rc;
	assert_non_null(dll);
	copy = malloc(n);
	assert_non_null(copy);
	for (size_t len = 0; len < n; len += 3) {
		f->list.len = 0;
		rc = scan_lang_pe_parse(&f->ctx, dll, len, &f->list);
		if (rc != 0 && rc != VIGIL_EFORMAT)
			fail_msg("truncated to %zu: %d %s", len, rc, vigil_error_message());
	}
	for (size_t i = 0; i < n; i++) {
		memcpy(copy, dll, n);
		copy[i] = (char)(copy[i] ^ 0xA5);
		f->list.len = 0;
		rc = scan_lang_pe_parse(&f->ctx, copy, n, &f->list);
		if (rc != 0 && rc != VIGIL_EFORMAT && rc != VIGIL_ELIMIT)
			fail_msg("byte %zu changed: %d %s", i, rc, vigil_error_message());
	}
	/* the metadata block: its size in the CLR header (file offset 0x20c
	 * here), then the row count of table 0 in #~ */
	for (size_t i = 0; i + 4 <= n && !md; i++)
		if (memcmp(dll + i, "BSJB", 4) == 0)
			md = i;
	assert_true(md > 0);
	memcpy(copy, dll, n);
	memcpy(copy + 0x20c, "\xff\xff\xff\x7f", 4);
	assert_int_equal(rpn_parse_text(f, scan_lang_pe_parse, ""), VIGIL_EFORMAT);
	f->list.len = 0;
	assert_int_equal(scan_lang_pe_parse(&f->ctx, copy, n, &f->list), VIGIL_ELIMIT);
	assert_non_null(strstr(vigil_error_message(), "metadata of"));
	memcpy(copy, dll, n);
	for (size_t i = md; i + 3 <= n; i++)
		if (memcmp(copy + i, "#~", 3) == 0) {
			/* the stream header: offset and size before the name */
			uint32_t so = (uint8_t)copy[i - 8] | (uint8_t)copy[i - 7] << 8;
			memcpy(copy + md + so + 24, "\xff\xff\x00\x00", 4);
			break;
		}
	f->list.len = 0;
	assert_int_equal(scan_lang_pe_parse(&f->ctx, copy, n, &f->list), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "outside #~"));
	free(copy);
	free(dll);
}

/* The real assembly with pad zero bytes put after its headers (0x200) and
 * its sections moved by as much: a large file, read through the stream. */
static void pe_padded(struct scan_fx *f, const char *dll, size_t n, size_t pad)
{
	char *big = calloc(1, n + pad);
	vigil_istream *in = NULL;
	uint32_t lfanew = (uint8_t)dll[0x3c] | (uint8_t)dll[0x3d] << 8;
	unsigned nsec = (uint8_t)dll[lfanew + 6], optsize = (uint8_t)dll[lfanew + 20];
	assert_non_null(big);
	memcpy(big, dll, 0x200);
	memcpy(big + 0x200 + pad, dll + 0x200, n - 0x200);
	for (unsigned i = 0; i < nsec; i++) {
		char *raw = big + lfanew + 24 + optsize + 40 * i + 20;
		uint32_t v = (uint8_t)raw[0] | (uint8_t)raw[1] << 8 | (uint32_t)(uint8_t)raw[2] << 16;
		v += (uint32_t)pad;
		raw[0] = (char)(v & 0xff);
		raw[1] = (char)(v >> 8 & 0xff);
		raw[2] = (char)(v >> 16 & 0xff);
	}
	assert_int_equal(vigil_istream_from_mem(big, n + pad, &in), 0);
	f->list.len = 0;
	if (scan_lang_pe_parse_stream(&f->ctx, in, n + pad, &f->list) != 0)
		fail_msg("padded by 0x%zx: %s", pad, vigil_error_message());
	assert_int_equal(f->list.len, 7);
	vigil_istream_close(in);
	free(big);
}

/* The metadata block beyond the first VIGIL_LANG_PE_MAX_HEADERS bytes, or
 * beginning within them and ending beyond. */
static void test_pe_large(void **state)
{
	struct scan_fx *f = *state;
	size_t n;
	char *dll = th_read_file(th_data_path("lang/dotnet/scalibr_HelloWorldApp.dll"), &n);
	assert_non_null(dll);
	pe_padded(f, dll, n, 0x10000);
	pe_padded(f, dll, n, 0xF800);  /* CLR header in the head, metadata across its end */
	pe_padded(f, dll, n, 0x200000);
	free(dll);
}

static void test_paths(void **state)
{
	(void)state;
	assert_true(scan_lang_dotnet_deps_path(vigil_slice_cstr("app/MyApp.deps.json")));
	assert_true(scan_lang_dotnet_deps_path(vigil_slice_cstr("MyApp.deps.json")));
	assert_false(scan_lang_dotnet_deps_path(vigil_slice_cstr("app/.deps.json")));
	assert_false(scan_lang_dotnet_deps_path(vigil_slice_cstr("app/MyApp.runtimeconfig.json")));
	assert_false(scan_lang_dotnet_deps_path(vigil_slice_cstr("app/MyApp.deps.json/x")));
	assert_true(scan_lang_nuget_lock_path(vigil_slice_cstr("src/App/packages.lock.json")));
	assert_true(scan_lang_nuget_lock_path(vigil_slice_cstr("packages.lock.json")));
	assert_false(scan_lang_nuget_lock_path(vigil_slice_cstr("src/package-lock.json")));
	assert_false(scan_lang_nuget_lock_path(vigil_slice_cstr("src/xpackages.lock.json")));
	assert_true(scan_lang_pe_path(vigil_slice_cstr("app/Newtonsoft.Json.dll")));
	assert_true(scan_lang_pe_path(vigil_slice_cstr("app/SETUP.EXE")));
	assert_true(scan_lang_pe_path(vigil_slice_cstr("x.Dll")));
	assert_false(scan_lang_pe_path(vigil_slice_cstr("app/.dll")));
	assert_false(scan_lang_pe_path(vigil_slice_cstr("usr/lib/libmono.dll.so")));
	assert_false(scan_lang_pe_path(vigil_slice_cstr("app/x.dll/y")));
}

static void test_deps_bad(void **state)
{
	struct scan_fx *f = *state;
	rpn_parse_fn p = scan_lang_dotnet_deps_parse;
	assert_int_equal(rpn_parse_text(f, p, "[]"), VIGIL_EFORMAT);
	assert_int_equal(rpn_parse_text(f, p, "{\"libraries\": []}"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "libraries"));
	assert_int_equal(rpn_parse_text(f, p, "{\"libraries\": {\"A/1\": 1}}"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "libraries.A/1"));
	assert_int_equal(rpn_parse_text(f, p, "{\"libraries\": {\"A/1\": {\"type\": 2}}}"),
			 VIGIL_EFORMAT);
	assert_int_equal(rpn_parse_text(f, p, "{\"runtimeTarget\": {\"name\": \"t\"},"
					      " \"targets\": {\"t\": 1}}"),
			 VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "targets.t"));
	/* no '/', an unknown type, a "pack" type prefix: skipped; a space: warned */
	assert_int_equal(rpn_parse_text(f, p, "{\"libraries\": {\"A\": {\"type\": \"package\"},"
					      " \"B/1\": {\"type\": \"reference\"},"
					      " \"C/1\": {\"type\": \"pack\"},"
					      " \"D/1 x\": {\"type\": \"Package\"},"
					      " \"E/2\": {\"type\": \"PROJECT\"}}}"),
			 0);
	assert_int_equal(f->list.len, 1);
	assert_string_equal(f->list.items[0].purl, "pkg:nuget/E@2");
	assert_int_equal(f->warnings, 2);
	/* a runtime pack and the same package: one */
	assert_int_equal(rpn_parse_text(f, p, "{\"libraries\": {\"runtimepack.R/1\": {\"type\": \"runtimepack\"},"
					      " \"R/1\": {\"type\": \"package\"}}}"),
			 0);
	assert_int_equal(f->list.len, 1);
	assert_string_equal(f->list.items[0].purl, "pkg:nuget/R@1");
}

static void test_nuget_bad(void **state)
{
	struct scan_fx *f = *state;
	rpn_parse_fn p = scan_lang_nuget_lock_parse;
	assert_int_equal(rpn_parse_text(f, p, "{\"dependencies\": "), VIGIL_EFORMAT);
	assert_int_equal(rpn_parse_text(f, p, "[]"), VIGIL_EFORMAT);
	assert_int_equal(rpn_parse_text(f, p, "{\"dependencies\": []}"), VIGIL_EFORMAT);
	assert_int_equal(rpn_parse_text(f, p, "{\"dependencies\": {\"net6.0\": []}}"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "dependencies.net6.0"));
	assert_int_equal(rpn_parse_text(f, p, "{\"dependencies\": {\"net6.0\": {\"A\": 1}}}"),
			 VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "dependencies.net6.0.A"));
	/* no resolved, a number: warned and skipped; Project: skipped */
	assert_int_equal(rpn_parse_text(f, p, "{\"version\": 2, \"dependencies\": {\"net6.0\": {"
					      "\"A\": {\"type\": \"Direct\"},"
					      "\"B\": {\"type\": \"Direct\", \"resolved\": 1},"
					      "\"C\": {\"type\": \"Project\", \"resolved\": \"1.0\"},"
					      "\"D\": {\"type\": \"CentralTransitive\", \"resolved\": \"2.0\"}},"
					      "\"net8.0\": {\"D\": {\"type\": \"Transitive\", \"resolved\": \"2.0\"},"
					      "\"E\": {\"type\": \"Transitive\", \"resolved\": \"3.0\"}}}}"),
			 0);
	assert_int_equal(f->warnings, 2);
	assert_int_equal(f->list.len, 2);
	assert_string_equal(f->list.items[0].purl, "pkg:nuget/D@2.0");
	assert_string_equal(f->list.items[1].purl, "pkg:nuget/E@3.0");
	f->list.len = 0;
	assert_int_equal(scan_lang_nuget_lock_parse(&f->ctx, "{}", VIGIL_LANG_NUGET_LOCK_MAX_SIZE + 1,
						    &f->list),
			 VIGIL_ELIMIT);
	assert_int_equal(scan_lang_dotnet_deps_parse(&f->ctx, "{}", VIGIL_LANG_DOTNET_DEPS_MAX_SIZE + 1,
						     &f->list),
			 VIGIL_ELIMIT);
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_deps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nuget_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pe_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pe_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deps_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nuget_bad, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
