/* tests/scanner/test_apk.c: scan_apk_parse() on the real databases of the
 * shared test data: syft multiple-2 (every row and column of
 * pkgdb/expected/apk_syft_multiple-2.tsv, in file order), trivy alpine (15
 * packages, the entry without V: skipped with a warning), syft corrupt (an
 * error), and on bad input and limits. */
#include "helpers.h"
#include "scan_fixture.h"
#include "scanner/scanner.h"
#include "util/error.h"
#include "util/slice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
	return scan_fx_setup(state, "lib/apk/db/installed");
}

static int parse_file(struct scan_fx *f, const char *rel)
{
	return scan_fx_parse_file(f, scan_apk_parse, rel);
}

static int parse_text(struct scan_fx *f, const char *text)
{
	return scan_fx_parse_text(f, scan_apk_parse, text);
}

static const vigil_package *find(struct scan_fx *f, const char *name)
{
	for (size_t i = 0; i < f->list.len; i++)
		if (strcmp(f->list.items[i].name, name) == 0)
			return &f->list.items[i];
	return NULL;
}

static void eq(const char *what, const char *name, const char *got, vigil_slice want)
{
	if (!got || !vigil_slice_eq_cstr(want, got))
		fail_msg("%s: %s: got '%s', want '%.*s'", name, what, got ? got : "(null)",
			 (int)want.len, want.ptr);
}

static void test_expected_multiple2(void **state)
{
	struct scan_fx *f = *state;
	size_t len, rows = 0;
	if (parse_file(f, "pkgdb/apk/syft_multiple-2/lib/apk/db/installed") != 0)
		fail_msg("%s", vigil_error_message());
	char *tsv = th_read_file(th_data_path("pkgdb/expected/apk_syft_multiple-2.tsv"), &len);
	assert_non_null(tsv);
	vigil_slice in = vigil_slice_make(tsv, len), line;
	bool header = false;
	while (vigil_slice_next_line(&in, &line)) {
		if (line.len == 0 || line.ptr[0] == '#')
			continue;
		if (!header) {
			assert_true(vigil_slice_eq_cstr(line, "name\tversion\tarch\torigin"));
			header = true;
			continue;
		}
		vigil_slice c[4], rest = line;
		for (int i = 0; i < 4; i++)
			vigil_slice_split(rest, '\t', &c[i], &rest);
		assert_true(rows < f->list.len);
		const vigil_package *p = &f->list.items[rows];
		char name[128];
		snprintf(name, sizeof(name), "%.*s", (int)c[0].len, c[0].ptr);
		eq("name", name, p->name, c[0]);
		eq("version", name, p->version, c[1]);
		eq("arch", name, p->arch, c[2]);
		eq("origin", name, p->source_name, c[3]);
		eq("source_version", name, p->source_version, c[1]);
		assert_int_equal(p->type, VIGIL_PKG_APK);
		assert_string_equal(p->package_db, "lib/apk/db/installed");
		assert_non_null(p->commit);
		assert_non_null(p->license);
		assert_non_null(p->maintainer);
		assert_true(p->installed_size > 0);
		assert_null(p->status);
		rows++;
	}
	assert_int_equal(rows, 14);
	assert_int_equal(f->list.len, 14);
	assert_int_equal(f->warnings, 0);
	const vigil_package *musl = find(f, "musl");
	assert_string_equal(musl->license, "MIT");
	assert_string_equal(musl->maintainer, "Timo Teräs <timo.teras@iki.fi>");
	assert_string_equal(musl->commit, "ee13d43a53938d8a04ba787b9423f3270a3c14a7");
	assert_int_equal(musl->installed_size, 622592);
	free(tsv);
}

static void test_trivy_alpine(void **state)
{
	struct scan_fx *f = *state;
	if (parse_file(f, "pkgdb/apk/trivy_alpine/lib/apk/db/installed") != 0)
		fail_msg("%s", vigil_error_message());
	assert_int_equal(f->list.len, 15);
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "lib/apk/db/installed: line 23: package "
						"invalidPackageWithoutAVersion has no version (V:): skipped"));
	assert_null(find(f, "invalidPackageWithoutAVersion"));
	const vigil_package *p = &f->list.items[0];
	assert_string_equal(p->name, "musl");
	assert_string_equal(p->version, "1.1.14-r10");
	assert_string_equal(p->arch, "x86_64");
	assert_string_equal(p->source_name, "musl");
	assert_string_equal(p->commit, "e6c226fbe17bb8f856dce5f0d9bc088b333e6225");
	assert_int_equal(p->installed_size, 569344);
	p = find(f, "scanelf");
	assert_string_equal(p->source_name, "pax-utils");
	assert_string_equal(p->source_version, "1.1.6-r0");
	assert_string_equal(p->license, "GPL2");
	assert_non_null(find(f, "busybox"));
	assert_non_null(find(f, "musl-utils"));
}

static void test_syft_corrupt(void **state)
{
	struct scan_fx *f = *state;
	assert_int_equal(parse_file(f, "pkgdb/apk/syft_corrupt/lib/apk/db/installed"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "line 1: not an \"X:value\" line"));
	assert_int_equal(f->list.len, 0);
}

static void test_small(void **state)
{
	struct scan_fx *f = *state;
	/* no final newline, CRLF, several blank lines, unknown letters skipped */
	assert_int_equal(parse_text(f, "\n\nP:a\r\nV:1.0-r0\r\nk:100\r\nF:usr\r\nR:x\r\n\n\n\n"
				       "P:b\nV:2\nA:aarch64\no:bsrc\nI:0\nL:\nm:Jörg"), 0);
	assert_int_equal(f->list.len, 2);
	assert_string_equal(f->list.items[0].name, "a");
	assert_string_equal(f->list.items[0].version, "1.0-r0");
	assert_null(f->list.items[0].arch);
	assert_null(f->list.items[0].source_name); /* no o: */
	assert_string_equal(f->list.items[0].source_version, "1.0-r0");
	assert_string_equal(f->list.items[1].source_name, "bsrc");
	assert_null(f->list.items[1].license);
	assert_string_equal(f->list.items[1].maintainer, "Jörg");
	assert_int_equal(f->warnings, 0);
	/* empty */
	assert_int_equal(parse_text(f, ""), 0);
	assert_int_equal(parse_text(f, "\n\n"), 0);
	assert_int_equal(f->list.len, 0);
	/* V: with nothing: skipped like a missing V: */
	assert_int_equal(parse_text(f, "P:a\nV:\n\nP:b\nV:1\n"), 0);
	assert_int_equal(f->list.len, 1);
	assert_int_equal(f->warnings, 1);
	/* a maintainer that is not UTF-8: dropped with a warning */
	assert_int_equal(parse_text(f, "P:a\nV:1\nm:J\xf6rg\n"), 0);
	assert_null(f->list.items[0].maintainer);
	assert_int_equal(f->warnings, 1);
}

static void bad(struct scan_fx *f, const char *text, size_t len, int code, const char *msg_part)
{
	f->list.len = 0;
	int rc = scan_apk_parse(&f->ctx, text, len ? len : strlen(text), &f->list);
	if (rc != code)
		fail_msg("'%.60s': rc %d (%s), want %d", text, rc, vigil_error_message(), code);
	if (!strstr(vigil_error_message(), msg_part))
		fail_msg("'%.60s': message '%s' lacks '%s'", text, vigil_error_message(), msg_part);
	assert_int_equal(f->list.len, 0);
}

static void test_bad_input(void **state)
{
	struct scan_fx *f = *state;
	bad(f, "P:a\nV:1\n\nV:2\nA:x86_64\n", 0, VIGIL_EFORMAT, "line 4: entry without a package name (P:)");
	bad(f, "P:\nV:2\n", 0, VIGIL_EFORMAT, "line 1: entry without a package name");
	bad(f, "P:a\nV:1\nP:b\n", 0, VIGIL_EFORMAT, "line 3: second P: line in one entry (first at line 1)");
	bad(f, "P:a\nV:1\nI:12k\n", 0, VIGIL_EFORMAT, "line 3: I: installed size is not a number");
	bad(f, "P:a\nV:1\nI:99999999999999999999\n", 0, VIGIL_EFORMAT, "I: installed size");
	bad(f, "P:a b\nV:1\n", 0, VIGIL_EFORMAT, "line 1: P: control character, space");
	bad(f, "P:a\nV:1.0\tx\n", 0, VIGIL_EFORMAT, "line 2: V:");
	bad(f, "P:a\nV:1\nA:x86\xc3\xa9\n", 0, VIGIL_EFORMAT, "line 3: A:");
	bad(f, "P:a\nV:1\nx\n", 0, VIGIL_EFORMAT, "line 3: not an \"X:value\" line");
	bad(f, "P:a\nV:1\n \n", 0, VIGIL_EFORMAT, "line 3: not an \"X:value\" line");
	bad(f, "P:a\nV:1\n1:x\n", 0, VIGIL_EFORMAT, "line 3: not an \"X:value\" line");
	bad(f, "P:a\nV:1\nPP:x\n", 0, VIGIL_EFORMAT, "line 3: not an \"X:value\" line");
	bad(f, "P:a\nV:1\n\nP:b\nV:2\nR", 0, VIGIL_EFORMAT, "line 6"); /* truncated */
	bad(f, "P:a\nV:1\nF:x\0y\n", 14, VIGIL_EFORMAT, "line 3: NUL byte");
	/* a bad entry after good ones leaves out as it was */
	vigil_package *keep;
	f->list.len = 0;
	assert_int_equal(scan_pkg_list_push(&f->list, &keep), 0);
	assert_int_equal(scan_apk_parse(&f->ctx, "P:a\nV:1\n\nP:b\nV:2\nI:x\n", 21, &f->list), VIGIL_EFORMAT);
	assert_int_equal(f->list.len, 1);
	assert_int_equal(scan_apk_parse(&f->ctx, NULL, 4, &f->list), VIGIL_EINVAL);
	assert_int_equal(scan_apk_parse(NULL, "", 0, &f->list), VIGIL_EINVAL);
}

static void test_limits(void **state)
{
	struct scan_fx *f = *state;
	size_t n = 300 * 1024;
	char *big = malloc(n + 64);
	int k = snprintf(big, 64, "P:a\nV:1\nR:");
	memset(big + k, 'x', n);
	memcpy(big + k + n, "\n", 2);
	bad(f, big, 0, VIGIL_ELIMIT, "line 3: longer than 262144 bytes");
	k = snprintf(big, 64, "P:a\nV:1\nL:");
	memset(big + k, 'x', 5000);
	memcpy(big + k + 5000, "\n", 2);
	bad(f, big, 0, VIGIL_ELIMIT, "line 3: L: value longer than 4096 bytes");
	free(big);
	/* 200001 entries (limit 200000): every entry counts, even skipped ones */
	const char *e = "P:a\n\n";
	size_t el = strlen(e), count = 200001;
	big = malloc(el * count + 1);
	for (size_t i = 0; i < count; i++)
		memcpy(big + i * el, e, el);
	big[el * count] = '\0';
	f->ctx.warn = NULL;
	bad(f, big, 0, VIGIL_ELIMIT, "line 400001: more than 200000 entries");
	free(big);
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_expected_multiple2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trivy_alpine, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syft_corrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_small, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
