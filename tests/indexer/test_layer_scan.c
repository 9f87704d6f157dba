/* tests/indexer/test_layer_scan.c: the warnings of a layer's scan: a fifo
 * or a device where a package database or release file is (in a
 * layer's tar and in a dir: root filesystem, with a real fifo that would
 * block an open for reading), and a layer of no bytes (a 0-byte blob, a
 * gzip of nothing) read as an empty layer; an empty tar and special files
 * elsewhere say nothing. Tars are written in memory with libarchive. */
#include "indexer/layer_result.h"
#include "layer/layer_th.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIGEST "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* Scans bytes as a layer; returns the result (the walk must succeed). */
static vigil_layer_result *scan(const void *p, size_t n)
{
	vigil_istream *raw, *s;
	vigil_layer_result *r;
	assert_int_equal(vigil_istream_from_mem(p, n, &raw), 0);
	assert_int_equal(layer_stream_open(raw, "sha256", NULL, &s), 0);
	assert_int_equal(idx_layer_result_new(DIGEST, &r), 0);
	if (idx_layer_scan_tar(s, r, NULL) < 0)
		fail_msg("scan: %s", vigil_error_message());
	vigil_istream_close(s);
	return r;
}

static int has_warning(const vigil_layer_result *r, const char *needle)
{
	for (size_t i = 0; i < r->nwarn; i++)
		if (strstr(r->warnings[i], needle))
			return 1;
	return 0;
}

static void test_special_files(void **state)
{
	th_tar t;
	th_tar_begin(&t, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
	th_tar_file(&t, "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
	th_tar_add(&t, "var/lib/dpkg/status", AE_IFIFO, 0644, NULL, 0, NULL, 0);
	th_tar_add(&t, "lib/apk/db/installed", AE_IFCHR, 0644, NULL, 0, NULL, 0);
	th_tar_add(&t, "usr/lib/os-release", AE_IFBLK, 0644, NULL, 0, NULL, 0);
	th_tar_add(&t, "dev/null", AE_IFCHR, 0666, NULL, 0, NULL, 0);     /* not a database path */
	th_tar_add(&t, "run/initctl", AE_IFIFO, 0600, NULL, 0, NULL, 0);
	th_tar_end(&t);
	vigil_buf gz;
	vigil_buf_init(&gz, TH_MAX);
	th_gzip(t.out.data, t.out.len, 6, &gz);
	vigil_layer_result *r = scan(gz.data, gz.len);
	assert_int_equal(r->nwarn, 3);
	assert_true(has_warning(r, "layer " DIGEST ": var/lib/dpkg/status is a fifo, not a regular file: not read"));
	assert_true(has_warning(r, "lib/apk/db/installed is a character device, not a regular file"));
	assert_true(has_warning(r, "usr/lib/os-release is a block device, not a regular file"));
	/* the fifo still hides a database below: it is kept as a FILE */
	int seen = 0;
	for (size_t i = 0; i < r->nart; i++)
		if (!strcmp(r->arts[i].path, "var/lib/dpkg/status"))
			seen = r->arts[i].kind == VIGIL_ART_FILE && r->arts[i].npkgs == 0;
	assert_true(seen);
	idx_layer_result_free(r);
	vigil_buf_free(&gz);
	vigil_buf_free(&t.out);
}

static void test_empty_layers(void **state)
{
	vigil_layer_result *r = scan("", 0);
	assert_int_equal(r->nwarn, 1);
	assert_true(has_warning(r, "layer " DIGEST ": the blob is empty (0 bytes), not a tar archive: "
				   "read as an empty layer"));
	idx_layer_result_free(r);

	vigil_buf gz;
	vigil_buf_init(&gz, TH_MAX);
	th_gzip("", 0, 6, &gz);
	r = scan(gz.data, gz.len);
	assert_int_equal(r->nwarn, 1);
	assert_true(has_warning(r, "decompresses to nothing (0 bytes), not a tar archive"));
	idx_layer_result_free(r);
	vigil_buf_free(&gz);

	/* an empty tar (two zero blocks), and its gzip: nothing to say */
	static const char zeros[1024];
	r = scan(zeros, sizeof(zeros));
	assert_int_equal(r->nwarn, 0);
	idx_layer_result_free(r);
	vigil_buf_init(&gz, TH_MAX);
	th_gzip(zeros, sizeof(zeros), 6, &gz);
	r = scan(gz.data, gz.len);
	assert_int_equal(r->nwarn, 0);
	idx_layer_result_free(r);
	vigil_buf_free(&gz);
}

/* A layer read before its digest is known (a v1 POST: the caller names it
 * by its v1 name): no "layer : " and no placeholder in the warnings or the
 * error (it said "layer sha256:pending: gzip: ..."). */
static void test_unnamed_layer(void **state)
{
	vigil_istream *raw, *s;
	vigil_layer_result *r;
	assert_int_equal(vigil_istream_from_mem("", 0, &raw), 0);
	assert_int_equal(layer_stream_open(raw, "sha256", NULL, &s), 0);
	assert_int_equal(idx_layer_result_new(NULL, &r), 0);
	assert_int_equal(idx_layer_scan_tar(s, r, NULL), 0);
	assert_int_equal(r->nwarn, 1);
	assert_string_equal(r->warnings[0], "the blob is empty (0 bytes), not a tar archive: read as an empty layer");
	vigil_istream_close(s);
	idx_layer_result_free(r);

	/* a gzip whose trailer (CRC) is wrong */
	static const char zeros[1024];
	vigil_buf gz;
	vigil_buf_init(&gz, TH_MAX);
	th_gzip(zeros, sizeof(zeros), 6, &gz);
	gz.data[gz.len - 8] ^= 0x5a;
	assert_int_equal(vigil_istream_from_mem(gz.data, gz.len, &raw), 0);
	assert_int_equal(layer_stream_open(raw, "sha256", NULL, &s), 0);
	assert_int_equal(idx_layer_result_new(NULL, &r), 0);
	int rc = idx_layer_scan_tar(s, r, NULL);
	if (rc == 0) {
		char d[VIGIL_LAYER_DIGEST_MAX];
		rc = layer_stream_digests(s, d, NULL);
	}
	assert_true(rc < 0);
	assert_non_null(strstr(vigil_error_message(), "gzip"));
	assert_null(strstr(vigil_error_message(), "layer "));
	vigil_istream_close(s);
	idx_layer_result_free(r);
	vigil_buf_free(&gz);
}

/* dir:, with a real fifo: opening it for reading would block forever. */
static void test_rootfs_fifo(void **state)
{
	char root[] = "/tmp/vigil-rootfs-XXXXXX", p[256];
	assert_non_null(mkdtemp(root));
	const char *const dirs[] = { "etc", "var", "var/lib", "var/lib/dpkg" };
	for (size_t i = 0; i < 4; i++) {
		snprintf(p, sizeof(p), "%s/%s", root, dirs[i]);
		assert_int_equal(mkdir(p, 0755), 0);
	}
	snprintf(p, sizeof(p), "%s/etc/os-release", root);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs("ID=debian\nVERSION_ID=\"12\"\n", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/var/lib/dpkg/status", root);
	assert_int_equal(mkfifo(p, 0644), 0);

	vigil_layer_result *r;
	if (idx_layer_scan_rootfs(root, &r) < 0)
		fail_msg("rootfs: %s", vigil_error_message());
	assert_int_equal(r->nwarn, 1);
	char want[512];
	snprintf(want, sizeof(want), "dir:%s: var/lib/dpkg/status is a fifo, not a regular file: not read", root);
	assert_true(has_warning(r, want));
	idx_layer_result_free(r);

	unlink(p);
	snprintf(p, sizeof(p), "%s/etc/os-release", root);
	unlink(p);
	for (size_t i = 4; i > 0; i--) {
		snprintf(p, sizeof(p), "%s/%s", root, dirs[i - 1]);
		rmdir(p);
	}
	rmdir(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_special_files),
		cmocka_unit_test(test_empty_layers),
		cmocka_unit_test(test_unnamed_layer),
		cmocka_unit_test(test_rootfs_fifo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
