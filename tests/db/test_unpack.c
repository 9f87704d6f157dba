/* tests/db/test_unpack.c: unpacking downloaded feed archives
 * (db/unpack.c): a zip of real OSV Go advisories and a tar.gz shaped like
 * the Ubuntu CVE tracker snapshot (only active/ kept) from
 * ../shared/testdata/feeds, then hostile archives: "..", absolute paths,
 * symlinks and hard links (skipped, never followed), a member that climbs
 * through a symlink, too deep a path, garbage and a truncated archive. A
 * failed unpack leaves no folder behind. */
#include "db/fetch.h"
#include "helpers.h"
#include "util/error.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/vigil-unpack-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	return db_remove_tree(dir) == 0 ? 0 : -1;
}

struct member {
	const char *name;
	int type;            /* AE_IFREG, AE_IFDIR, AE_IFLNK; 'h' for a hard link */
	const char *data;    /* file content or link target */
	const char *from;    /* a real file to store instead of data */
};

/* Writes an archive: format "zip" or "tar.gz". */
static void make_archive(const char *path, const char *format, const struct member *m, size_t n)
{
	struct archive *a = archive_write_new();
	assert_non_null(a);
	if (!strcmp(format, "zip")) {
		archive_write_set_format_zip(a);
	} else {
		archive_write_set_format_pax_restricted(a);
		archive_write_add_filter_gzip(a);
	}
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		char *buf = NULL;
		size_t len = m[i].data ? strlen(m[i].data) : 0;
		if (m[i].from) {
			buf = th_read_file(m[i].from, &len);
			assert_non_null(buf);
		}
		archive_entry_set_pathname(e, m[i].name);
		archive_entry_set_perm(e, 0644);
		if (m[i].type == 'h') {
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_hardlink(e, m[i].data);
			len = 0;
		} else {
			archive_entry_set_filetype(e, (mode_t)m[i].type);
		}
		if (m[i].type == AE_IFLNK)
			archive_entry_set_symlink(e, m[i].data);
		if (m[i].type == AE_IFREG)
			archive_entry_set_size(e, (la_int64_t)len);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		if (m[i].type == AE_IFREG && len)
			assert_int_equal(archive_write_data(a, buf ? buf : m[i].data, len), (la_ssize_t)len);
		free(buf);
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
}

static bool exists(const char *rel)
{
	char p[512];
	struct stat st;
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	return lstat(p, &st) == 0;
}

static void test_real_zip(void **state)
{
	th_testdata_or_skip();
	char arc[128], out[128], p1[512], p2[512];
	snprintf(p1, sizeof(p1), "%s", th_data_path("feeds/osv/go-vulndb/osv/GO-2020-0001.json"));
	snprintf(p2, sizeof(p2), "%s", th_data_path("feeds/osv/go-vulndb/osv/GO-2022-0969.json"));
	const struct member m[] = {
		{ "GO-2020-0001.json", AE_IFREG, NULL, p1 },
		{ "GO-2022-0969.json", AE_IFREG, NULL, p2 },
	};
	snprintf(arc, sizeof(arc), "%s/Go-all.zip", dir);
	snprintf(out, sizeof(out), "%s/go.d", dir);
	make_archive(arc, "zip", m, 2);
	assert_true(db_unpack_is_archive(arc));
	int64_t files = 0;
	assert_int_equal(db_unpack(arc, out, NULL, &files), 0);
	assert_int_equal(files, 2);
	size_t a = 0, b = 0;
	char *orig = th_read_file(p2, &a), *got;
	char gp[256];
	snprintf(gp, sizeof(gp), "%s/GO-2022-0969.json", out);
	got = th_read_file(gp, &b);
	assert_non_null(orig);
	assert_non_null(got);
	assert_int_equal(a, b);
	assert_memory_equal(orig, got, a);
	free(orig);
	free(got);
	/* dest must not exist yet */
	assert_int_equal(db_unpack(arc, out, NULL, &files), VIGIL_EIO);
}

static void test_keep_dir(void **state)
{
	th_testdata_or_skip();
	char arc[128], out[128], cve[512];
	snprintf(cve, sizeof(cve), "%s", th_data_path("feeds/ubuntu/uct/active/CVE-2020-0034"));
	const struct member m[] = {
		{ "ubuntu-cve-tracker-master/", AE_IFDIR, NULL, NULL },
		{ "ubuntu-cve-tracker-master/README", AE_IFREG, "readme", NULL },
		{ "ubuntu-cve-tracker-master/active/", AE_IFDIR, NULL, NULL },
		{ "ubuntu-cve-tracker-master/active/CVE-2020-0034", AE_IFREG, NULL, cve },
		{ "ubuntu-cve-tracker-master/retired/CVE-2001-0001", AE_IFREG, "old", NULL },
		{ "ubuntu-cve-tracker-master/scripts/active", AE_IFREG, "not a folder", NULL },
	};
	snprintf(arc, sizeof(arc), "%s/uct.tar.gz", dir);
	snprintf(out, sizeof(out), "%s/uct.d", dir);
	make_archive(arc, "tar.gz", m, sizeof(m) / sizeof(m[0]));
	int64_t files = 0;
	assert_int_equal(db_unpack(arc, out, "active", &files), 0);
	assert_int_equal(files, 1);
	assert_true(exists("uct.d/ubuntu-cve-tracker-master/active/CVE-2020-0034"));
	assert_false(exists("uct.d/ubuntu-cve-tracker-master/README"));
	assert_false(exists("uct.d/ubuntu-cve-tracker-master/retired"));
	assert_false(exists("uct.d/ubuntu-cve-tracker-master/scripts"));
	/* nothing under a folder of that name: an error, no folder left */
	assert_int_equal(db_unpack(arc, "/tmp/vigil-never-made", "nosuch", &files), VIGIL_ENOTFOUND);
	assert_non_null(strstr(vigil_error_message(), "no file under a folder named 'nosuch'"));
	assert_int_not_equal(access("/tmp/vigil-never-made", F_OK), 0);
}

static void expect_hostile(const char *format, const struct member *m, size_t n, int code, const char *what)
{
	static int k;
	char arc[128], out[128];
	int64_t files = 0;
	snprintf(arc, sizeof(arc), "%s/bad%d.%s", dir, k, format);
	snprintf(out, sizeof(out), "%s/bad%d.d", dir, k++);
	make_archive(arc, format, m, n);
	int rc = db_unpack(arc, out, NULL, &files);
	if (rc != code || !strstr(vigil_error_message(), what))
		fail_msg("want %d '%s', got %d '%s'", code, what, rc, vigil_error_message());
	assert_int_not_equal(access(out, F_OK), 0);
}

static void test_hostile(void **state)
{
	const struct member climb[] = { { "ok.json", AE_IFREG, "{}", NULL }, { "a/../../evil", AE_IFREG, "x", NULL } };
	expect_hostile("zip", climb, 2, VIGIL_EFORMAT, "'..' leaves the folder");
	expect_hostile("tar.gz", climb, 2, VIGIL_EFORMAT, "'..' leaves the folder");
	const struct member abs[] = { { "/tmp/vigil-evil", AE_IFREG, "x", NULL } };
	expect_hostile("tar.gz", abs, 1, VIGIL_EFORMAT, "absolute path");
	assert_int_not_equal(access("/tmp/vigil-evil", F_OK), 0);
	/* a link to outside, then a file "through" it: the link is never made,
	 * so the file lands in a real folder inside */
	const struct member through[] = {
		{ "out", AE_IFLNK, "/tmp", NULL },
		{ "out/vigil-evil2", AE_IFREG, "x", NULL },
		{ "hard", 'h', "/etc/passwd", NULL },
	};
	char arc[128], out[128];
	int64_t files = 0;
	snprintf(arc, sizeof(arc), "%s/links.tar.gz", dir);
	snprintf(out, sizeof(out), "%s/links.d", dir);
	make_archive(arc, "tar.gz", through, 3);
	assert_int_equal(db_unpack(arc, out, NULL, &files), 0);
	assert_int_equal(files, 1);
	assert_int_not_equal(access("/tmp/vigil-evil2", F_OK), 0);
	struct stat st;
	char p[256];
	snprintf(p, sizeof(p), "%s/out", out);
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_false(exists("links.d/hard"));
	/* too deep */
	char deep[VIGIL_UNPACK_MAX_DEPTH * 2 + 16];
	size_t k = 0;
	for (int i = 0; i <= VIGIL_UNPACK_MAX_DEPTH; i++) {
		deep[k++] = 'd';
		deep[k++] = '/';
	}
	deep[k++] = 'f';
	deep[k] = '\0';
	const struct member dm[] = { { deep, AE_IFREG, "x", NULL } };
	expect_hostile("tar.gz", dm, 1, VIGIL_ELIMIT, "deeper than");
}

static void test_garbage(void **state)
{
	char arc[128], out[128];
	int64_t files = 0;
	FILE *fp;
	snprintf(arc, sizeof(arc), "%s/garbage.zip", dir);
	snprintf(out, sizeof(out), "%s/garbage.d", dir);
	assert_non_null(fp = fopen(arc, "w"));
	fputs("this is not an archive at all, just some words\n", fp);
	fclose(fp);
	assert_true(db_unpack(arc, out, NULL, &files) < 0);
	assert_int_not_equal(access(out, F_OK), 0);

	/* a real tar.gz cut in half */
	char big[4096];
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	const struct member m[] = { { "a", AE_IFREG, big, NULL }, { "b", AE_IFREG, big, NULL } };
	snprintf(arc, sizeof(arc), "%s/cut.tar", dir);
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	assert_int_equal(archive_write_open_filename(a, arc), ARCHIVE_OK);
	archive_write_close(a);
	archive_write_free(a);
	make_archive(arc, "tar.gz", m, 2);
	struct stat st;
	assert_int_equal(stat(arc, &st), 0);
	assert_int_equal(truncate(arc, st.st_size / 2), 0);
	snprintf(out, sizeof(out), "%s/cut.d", dir);
	assert_true(db_unpack(arc, out, NULL, &files) < 0);
	assert_int_not_equal(access(out, F_OK), 0);

	assert_false(db_unpack_is_archive("main.json"));
	assert_false(db_unpack_is_archive("rhel-9.oval.xml.bz2"));
	assert_true(db_unpack_is_archive("x.tar.zst"));
	assert_true(db_unpack_is_archive("x.tgz"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_zip),
		cmocka_unit_test(test_keep_dir),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_garbage),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
