/* tests/scanner/test_lang_rust.c: cargo-auditable binaries (lang/rust/,
 * read as streams) and Cargo.lock files against lang/expected/rust_*.tsv;
 * negative and corrupt inputs; the .dep-v0 JSON rules. */
#define _GNU_SOURCE /* memmem */
#include "gorust_fixture.h"

#include <stdio.h>

static int setup(void **state)
{
	return scan_fx_setup(state, "app/bin/tool");
}

static void check_bin(struct scan_fx *f, const char *bin, const char *tsv)
{
	check_exe(f, bin, tsv, VIGIL_PKG_CARGO);
}

static void test_auditable(void **state)
{
	check_bin(*state, "lang/rust/trivy_auditable_test.elf",
		  "lang/expected/rust_trivy_auditable_test.elf.tsv");
	check_bin(*state, "lang/rust/scalibr_no_deps", "lang/expected/rust_scalibr_no_deps.tsv");
}

static void test_auditable_withheld(void **state)
{
	struct scan_fx *f = *state;
	if (exe_file(f, "lang/rust/scalibr_uses_serde_json") != 0)
		fail_msg("%s", vigil_error_message());
	for (size_t i = 0; i < f->list.len; i++)
		print_message("%s %s\n", f->list.items[i].name, f->list.items[i].version);
	assert_non_null(find_pkg(&f->list, "serde_json"));
	assert_non_null(find_pkg(&f->list, "uses_json"));
}

static void test_not_auditable(void **state)
{
	struct scan_fx *f = *state;
	assert_int_equal(exe_file(f, "lang/rust/trivy_auditable_dummy"), 0);
	assert_int_equal(f->list.len, 0);
	assert_int_equal(exe_file(f, "lang/rust/scalibr_not_binary"), 0);
	assert_int_equal(f->list.len, 0);
	/* a Go binary has no .dep-v0 */
	assert_int_equal(exe_file(f, "lang/go/trivy_goexperiment"), 0);
	for (size_t i = 0; i < f->list.len; i++)
		assert_int_not_equal(f->list.items[i].type, VIGIL_PKG_CARGO);
}

static void test_corrupt(void **state)
{
	struct scan_fx *f = *state;
	size_t len;
	char *d = th_read_file(th_data_path("lang/rust/trivy_auditable_test.elf"), &len);
	assert_non_null(d);
	char *z = memmem(d, len, "\x78\x9c", 2);
	while (z && (size_t)(z - d) < 0x4f000)
		z = memmem(z + 1, len - (size_t)(z + 1 - d), "\x78\x9c", 2);
	assert_non_null(z);
	/* truncated inside the zlib stream */
	assert_int_equal(exe_mem(f, d, (size_t)(z - d) + 70), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), ".dep-v0"));
	/* corrupt after the JSON's start */
	memset(z + 90, 0xff, 20);
	assert_int_equal(exe_mem(f, d, len), VIGIL_EFORMAT);
	free(d);
}

static int json(struct scan_fx *f, const char *text)
{
	f->list.len = 0;
	f->warnings = 0;
	return scan_lang_cargo_audit_json(&f->ctx, text, strlen(text), &f->list);
}

static void test_json(void **state)
{
	struct scan_fx *f = *state;
	assert_int_equal(json(f, "{\"packages\":[{\"name\":\"app\",\"version\":\"1.0.0\",\"root\":true},"
				 "{\"name\":\"cc\",\"version\":\"1.0.83\",\"kind\":\"build\"},"
				 "{\"name\":\"serde\",\"version\":\"1.0.1\",\"kind\":\"runtime\"},"
				 "{\"name\":\"nover\"}]}"),
			 0);
	assert_int_equal(f->list.len, 2);
	assert_string_equal(f->list.items[1].purl, "pkg:cargo/serde@1.0.1");
	assert_int_equal(f->warnings, 1);
	assert_int_equal(json(f, "{\"pkgs\":[]}"), VIGIL_EFORMAT);
	assert_int_equal(json(f, "[1,"), VIGIL_EFORMAT);
}

static void check_lock(struct scan_fx *f, const char *lock, const char *tsv)
{
	struct lang_row rows[16];
	char *data, *text;
	size_t n = lang_rows(tsv, rows, 16, &data), len;
	text = th_read_file(th_data_path(lock), &len);
	assert_non_null(text);
	f->list.len = 0;
	if (scan_lang_cargo_lock_parse(&f->ctx, text, len, &f->list) != 0)
		fail_msg("%s: %s", lock, vigil_error_message());
	expect_set(&f->list, rows, n, lock);
	free(text);
	free(data);
}

static void test_cargo_lock(void **state)
{
	check_lock(*state, "lang/rust/trivy_cargo_normal.lock",
		   "lang/expected/rust_trivy_cargo_normal.lock.tsv");
	check_lock(*state, "lang/rust/trivy_cargo_mixed.lock",
		   "lang/expected/rust_trivy_cargo_mixed.lock.tsv");
	check_lock(*state, "lang/rust/trivy_cargo_v3.lock",
		   "lang/expected/rust_trivy_cargo_v3.lock.tsv");
}

static int lock(struct scan_fx *f, const char *text)
{
	f->list.len = 0;
	f->warnings = 0;
	return scan_lang_cargo_lock_parse(&f->ctx, text, strlen(text), &f->list);
}

static void test_cargo_lock_bad(void **state)
{
	struct scan_fx *f = *state;
	size_t len;
	char *text = th_read_file(th_data_path("lang/rust/trivy_cargo_invalid.lock"), &len);
	assert_non_null(text);
	assert_int_equal(scan_lang_cargo_lock_parse(&f->ctx, text, len, &f->list), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "line 10"));
	free(text);
	assert_int_equal(lock(f, "[[package]]\nname = \"a\nversion = \"1\"\n"), VIGIL_EFORMAT);
	assert_int_equal(lock(f, "[[package]\n"), VIGIL_EFORMAT);
	assert_int_equal(lock(f, "[[package]]\nname = \"a\" x\n"), VIGIL_EFORMAT);
	assert_int_equal(lock(f, "a = [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]\n"), VIGIL_ELIMIT);
	assert_int_equal(lock(f, "[[package]]\nname = \"a\"\n[[package]]\nname='b'\nversion='2'\n"),
			 0);
	assert_int_equal(f->list.len, 1);
	assert_int_equal(f->warnings, 1);
	/* v4 forms: inline tables, literal strings, escapes, dotted headers */
	assert_int_equal(lock(f, "version = 4\n\n[[package]]\nname = \"x\\u0041\" # c\n"
				 "version = '1.0.0'\nsource = { git = \"u\", rev = 'r' }\n"
				 "dependencies = [\n \"a\", # c\n \"b\",\n]\n"
				 "[[patch.unused]]\nname = \"p\"\nversion = \"9\"\n"),
			 0);
	assert_int_equal(f->list.len, 1);
	assert_string_equal(f->list.items[0].version, "1.0.0");
	assert_true(scan_lang_cargo_lock_path(vigil_slice_cstr("app/Cargo.lock")));
	assert_false(scan_lang_cargo_lock_path(vigil_slice_cstr("app/Cargo.lock.bak")));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_auditable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auditable_withheld, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_auditable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cargo_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cargo_lock_bad, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
