/* tests/scanner/test_file_lists.c: the files OS packages list, as the
 * parsers hand them to ctx->file: dpkg info/NAME.list (scanner/dpkg_list.c),
 * apk F:/R: lines (apk.c), rpm BASENAMES/DIRNAMES/DIRINDEXES (rpm_header.c,
 * on Amazon Linux 2023's real rpmdb.sqlite); and that without ctx->file the
 * package lists are what they were. */
#include "helpers.h"
#include "scan_fixture.h"
#include "util/error.h"

#include <string.h>

#define MAX_SEEN 64

struct seen {
	size_t n, total;
	vigil_pkg_type type[MAX_SEEN];
	char pkg[MAX_SEEN][64];
	char path[MAX_SEEN][256];
	const char *want; /* when set, only paths containing it are kept */
	int stop_at;      /* non-zero: return VIGIL_ECANCELED at that call */
};

static int on_file(void *ud, vigil_pkg_type type, const char *pkg, vigil_slice path)
{
	struct seen *s = ud;
	s->total++;
	if (s->stop_at && (int)s->total == s->stop_at)
		return VIGIL_ECANCELED;
	char p[256];
	snprintf(p, sizeof(p), "%.*s", (int)path.len, path.ptr);
	if ((s->want && !strstr(p, s->want)) || s->n >= MAX_SEEN)
		return 0;
	s->type[s->n] = type;
	snprintf(s->pkg[s->n], sizeof(s->pkg[0]), "%s", pkg);
	snprintf(s->path[s->n], sizeof(s->path[0]), "%s", p);
	s->n++;
	return 0;
}

static int setup_list(void **state)
{
	return scan_fx_setup(state, "var/lib/dpkg/info/libpython3.11-stdlib:amd64.list");
}

static int setup_apk(void **state)
{
	return scan_fx_setup(state, "lib/apk/db/installed");
}

static int setup_rpm(void **state)
{
	return scan_fx_setup(state, "var/lib/rpm/rpmdb.sqlite");
}

static void test_dpkg_list(void **state)
{
	struct scan_fx *f = *state;
	struct seen s = { 0 };
	const char *text = "/.\n/usr\n/usr/lib/python3.11\nrelative/skipped\n\n"
			   "/usr/lib/python3.11/x.dist-info/METADATA\n";
	f->ctx.file = on_file;
	f->ctx.file_ud = &s;
	assert_int_equal(scan_dpkg_list_parse(&f->ctx, text, strlen(text)), 0);
	assert_int_equal(s.n, 3);
	/* the name without ":amd64" */
	assert_string_equal(s.pkg[0], "libpython3.11-stdlib");
	assert_int_equal(s.type[0], VIGIL_PKG_DPKG);
	assert_string_equal(s.path[0], "/usr");
	assert_string_equal(s.path[2], "/usr/lib/python3.11/x.dist-info/METADATA");
	/* a NUL byte: not a list */
	assert_int_equal(scan_dpkg_list_parse(&f->ctx, "/a\0b\n", 5), VIGIL_EFORMAT);
	/* the callback's code stops the parse */
	struct seen stop = { .stop_at = 2 };
	f->ctx.file_ud = &stop;
	assert_int_equal(scan_dpkg_list_parse(&f->ctx, text, strlen(text)), VIGIL_ECANCELED);
	/* a line over the limit */
	char *big = malloc(5000);
	assert_non_null(big);
	big[0] = '/';
	memset(big + 1, 'a', 4998);
	big[4999] = '\n';
	assert_int_equal(scan_dpkg_list_parse(&f->ctx, big, 5000), VIGIL_ELIMIT);
	assert_non_null(strstr(vigil_error_message(), "line 1"));
	free(big);
	/* a file not named NAME.list */
	f->ctx.path = "var/lib/dpkg/info/:amd64.list";
	assert_int_equal(scan_dpkg_list_parse(&f->ctx, text, strlen(text)), VIGIL_EFORMAT);
}

static const char apk_db[] =
	"P:py3-six\nV:1.16.0-r6\nA:x86_64\n"
	"F:usr/lib/python3.11/site-packages\nR:six.py\na:0:0:644\nZ:Q1x=\n"
	"F:usr/lib/python3.11/site-packages/six-1.16.0.dist-info\nR:METADATA\nR:RECORD\n"
	"F:usr/share/empty\n"
	"\n"
	"R:top-level-file\nP:late-name\nV:1-r0\n"
	"\n"
	"P:noversion\nF:usr/bin\nR:nothing\n";

static void test_apk_files(void **state)
{
	struct scan_fx *f = *state;
	struct seen s = { 0 };
	f->ctx.file = on_file;
	f->ctx.file_ud = &s;
	assert_int_equal(scan_apk_parse(&f->ctx, apk_db, strlen(apk_db), &f->list), 0);
	assert_int_equal(f->list.len, 2); /* noversion skipped, with its files */
	assert_int_equal(s.n, 4);
	assert_int_equal(s.type[0], VIGIL_PKG_APK);
	assert_string_equal(s.pkg[0], "py3-six");
	assert_string_equal(s.path[0], "usr/lib/python3.11/site-packages/six.py");
	assert_string_equal(s.path[1], "usr/lib/python3.11/site-packages/six-1.16.0.dist-info/METADATA");
	assert_string_equal(s.path[2], "usr/lib/python3.11/site-packages/six-1.16.0.dist-info/RECORD");
	/* an R: before any F: is in the root; the name may come after it */
	assert_string_equal(s.pkg[3], "late-name");
	assert_string_equal(s.path[3], "top-level-file");
}

static void test_apk_without_callback(void **state)
{
	struct scan_fx *f = *state;
	assert_int_equal(scan_apk_parse(&f->ctx, apk_db, strlen(apk_db), &f->list), 0);
	assert_int_equal(f->list.len, 2);
	assert_string_equal(f->list.items[0].name, "py3-six");
}

static void test_rpm_files(void **state)
{
	struct scan_fx *f = *state;
	struct seen s = { .want = "egg-info" };
	size_t len;
	th_testdata_or_skip();
	char *data = th_read_file(th_data_path("pkgdb/rpm/go-rpmdb_amazonlinux2023_sqlite/rpmdb.sqlite"),
				  &len);
	assert_non_null(data);
	f->ctx.file = on_file;
	f->ctx.file_ud = &s;
	int rc = scan_rpmdb_parse(&f->ctx, VIGIL_RPMDB_SQLITE, (const uint8_t *)data, len, &f->list);
	if (rc < 0)
		printf("%s\n", vigil_error_message());
	assert_int_equal(rc, 0);
	size_t npkgs = f->list.len;
	bool libcomps = false, gpg = false;
	for (size_t i = 0; i < s.n; i++) {
		assert_int_equal(s.type[i], VIGIL_PKG_RPM);
		libcomps |= !strcmp(s.pkg[i], "python3-libcomps") &&
			    !strcmp(s.path[i], "/usr/lib64/python3.9/site-packages/"
					       "libcomps-0.1.18-py3.9.egg-info/PKG-INFO");
		gpg |= !strcmp(s.pkg[i], "python3-gpg") &&
		       !strcmp(s.path[i], "/usr/lib64/python3.9/site-packages/gpg-1.15.1-py3.9.egg-info");
	}
	assert_true(libcomps);
	assert_true(gpg);
	assert_int_equal(s.total, 7800); /* every file of every package (counted by a script) */
	/* the same packages without the file lists */
	f->ctx.file = NULL;
	f->list.len = 0;
	assert_int_equal(scan_rpmdb_parse(&f->ctx, VIGIL_RPMDB_SQLITE, (const uint8_t *)data, len,
					  &f->list), 0);
	assert_int_equal(f->list.len, npkgs);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dpkg_list, setup_list, teardown),
		cmocka_unit_test_setup_teardown(test_apk_files, setup_apk, teardown),
		cmocka_unit_test_setup_teardown(test_apk_without_callback, setup_apk, teardown),
		cmocka_unit_test_setup_teardown(test_rpm_files, setup_rpm, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
