/* tests/layer/test_tarwalk.c: the tar walk over real tar bytes: written
 * here with libarchive's writer (pax, GNU, ustar) and compressed every
 * way, or by hand (headers no writer makes: escaping names, absurd sizes,
 * bad checksums). Checks entries, types, normalized names, links,
 * whiteouts, data, limits, and that stream errors (digest, gzip) come out
 * as themselves. GNU tar layers of real files and a 200 MB layer are in
 * test_tarwalk_real.c. */
#include "layer_th.h"


static th_walk *walk_new(int read_data)
{
	th_walk *t = calloc(1, sizeof(*t));
	assert_non_null(t);
	t->read_data = read_data;
	return t;
}

static void walk_free(th_walk *t)
{
	th_walk_free(t);
	free(t);
}

/* The tree most tests use. */
static void add_tree(th_tar *t)
{
	th_tar_add(t, "./", AE_IFDIR, 0755, NULL, 0, NULL, 0);
	th_tar_add(t, "./etc/", AE_IFDIR, 0755, NULL, 0, NULL, 0);
	th_tar_file(t, "./etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
	th_tar_file(t, "/abs/file", "absolute");
	th_tar_add(t, "a//b/./c/", AE_IFDIR, 0700, NULL, 0, NULL, 0);
	th_tar_file(t, "x/../y", "cleaned");
	th_tar_add(t, "usr/bin/sh", AE_IFLNK, 0777, "../../bin/bash", 0, NULL, 0);
	th_tar_add(t, "usr/bin/abs", AE_IFLNK, 0777, "/etc/../etc/os-release", 0, NULL, 0);
	th_tar_add(t, "usr/bin/hard", AE_IFREG, 0644, "./etc//os-release", 1, NULL, 0);
	th_tar_file(t, "dir/.wh.gone", "");
	th_tar_file(t, "dir/.wh..wh..opq", "");
	th_tar_add(t, "dev/fifo", AE_IFIFO, 0600, NULL, 0, NULL, 0);
	th_tar_add(t, "bin/tool", AE_IFREG, 04755, NULL, 0, "#!/bin/sh\n", 10);
}

static void check_tree(const th_walk *w)
{
	static const char *paths[] = { "etc", "etc/os-release", "abs/file", "a/b/c", "y", "usr/bin/sh",
				       "usr/bin/abs", "usr/bin/hard", "dir/.wh.gone",
				       "dir/.wh..wh..opq", "dev/fifo", "bin/tool" };
	assert_int_equal(w->n, 12); /* "./" is not handed out */
	for (size_t i = 0; i < w->n; i++)
		assert_string_equal(w->e[i].path, paths[i]);
	const th_entry *e = th_find(w, "etc/os-release");
	assert_int_equal(e->type, VIGIL_TAR_FILE);
	assert_int_equal(e->size, 26);
	assert_int_equal(e->mode, 0644);
	assert_false(e->has_link);
	assert_int_equal(e->data_len, 26);
	assert_memory_equal(e->data, "ID=debian\nVERSION_ID=\"12\"\n", 26);
	assert_int_equal(th_find(w, "etc")->type, VIGIL_TAR_DIR);
	assert_int_equal(th_find(w, "a/b/c")->mode, 0700);
	assert_memory_equal(th_find(w, "y")->data, "cleaned", 7);
	e = th_find(w, "usr/bin/sh");
	assert_int_equal(e->type, VIGIL_TAR_SYMLINK);
	assert_string_equal(e->link, "../../bin/bash"); /* raw */
	assert_string_equal(th_find(w, "usr/bin/abs")->link, "/etc/../etc/os-release");
	e = th_find(w, "usr/bin/hard");
	assert_int_equal(e->type, VIGIL_TAR_HARDLINK);
	assert_string_equal(e->link, "etc/os-release"); /* normalized */
	assert_int_equal(th_find(w, "dir/.wh.gone")->type, VIGIL_TAR_FILE);
	assert_int_equal(th_find(w, "dir/.wh..wh..opq")->type, VIGIL_TAR_FILE);
	assert_int_equal(th_find(w, "dev/fifo")->type, VIGIL_TAR_OTHER);
	assert_string_equal(th_find(w, "dev/fifo")->special, "fifo");
	assert_null(th_find(w, "bin/tool")->special);
	e = th_find(w, "bin/tool");
	assert_int_equal(e->mode, 04755);
	assert_memory_equal(e->data, "#!/bin/sh\n", 10);
}

static void test_entries(void **state)
{
	static const int formats[] = { ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FORMAT_TAR_GNUTAR,
				       ARCHIVE_FORMAT_TAR_USTAR };
	for (int f = 0; f < 3; f++) {
		th_tar t;
		th_tar_begin(&t, formats[f]);
		add_tree(&t);
		th_tar_end(&t);
		char diff[VIGIL_LAYER_DIGEST_MAX], blob[VIGIL_LAYER_DIGEST_MAX];
		th_sha("sha256", t.out.data, t.out.len, diff);
		for (int c = 0; c < 4; c++) {
			vigil_buf z;
			vigil_buf_init(&z, TH_MAX);
			if (c == 0)
				assert_int_equal(vigil_buf_append(&z, t.out.data, t.out.len), 0);
			else if (c == 1)
				th_gzip(t.out.data, t.out.len, 6, &z);
			else if (c == 2)
				th_igzip(t.out.data, t.out.len, &z);
			else
				th_zstd(t.out.data, t.out.len, 3, &z);
			th_sha("sha256", z.data, z.len, blob);
			th_walk *w = walk_new(1);
			vigil_istream *s;
			int rc = th_walk_layer(z.data, z.len, blob, diff, w, &s);
			if (rc < 0)
				fail_msg("format %d compression %d: %s", f, c, vigil_error_message());
			check_tree(w);
			static const char *names[] = { "none", "gzip", "gzip", "zstd" };
			assert_string_equal(layer_stream_compression(s), names[c]);
			vigil_istream_close(s);
			walk_free(w);
			vigil_buf_free(&z);
		}
		/* a plain memory stream (not a layer stream) walks the same */
		vigil_istream *m;
		th_walk *w = walk_new(1);
		assert_int_equal(vigil_istream_from_mem(t.out.data, t.out.len, &m), 0);
		assert_int_equal(layer_tar_walk_stream(m, th_walk_fn, w), 0);
		check_tree(w);
		assert_int_equal(m->nread, t.out.len); /* read to the end */
		vigil_istream_close(m);
		walk_free(w);
		vigil_buf_free(&t.out);
	}
}

static void test_normalize(void **state)
{
	static const struct { const char *in, *out; } ok[] = {
		{ "usr/bin/ls", "usr/bin/ls" }, { "./usr/bin/ls", "usr/bin/ls" },
		{ "/usr//bin/", "usr/bin" }, { "././a/./b/.", "a/b" }, { "a/../b", "b" },
		{ "a/b/../../c", "c" }, { "a/b/..", "a" }, { "./", "" }, { "/", "" }, { ".", "" },
		{ "", "" }, { "a/..", "" }, { "...", "..." }, { "..a/b..", "..a/b.." },
		{ ".wh..wh..opq", ".wh..wh..opq" },
	};
	char out[64];
	size_t n;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(layer_tar_path_normalize(ok[i].in, strlen(ok[i].in), out, &n), 0);
		assert_string_equal(out, ok[i].out);
		assert_int_equal(n, strlen(ok[i].out));
	}
	static const char *bad[] = { "..", "../x", "./../x", "/../x", "a/../../x", "a/b/../../..", "x/./../.." };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(layer_tar_path_normalize(bad[i], strlen(bad[i]), out, &n), VIGIL_EFORMAT);
		th_assert_msg("path escapes the layer root");
	}
	/* bytes, not strings: a NUL-free slice of a longer buffer */
	assert_int_equal(layer_tar_path_normalize("a/bXXX", 3, out, &n), 0);
	assert_string_equal(out, "a/b");
}

static void test_names(void **state)
{
	static const int formats[] = { ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FORMAT_TAR_GNUTAR };
	char *long_ok = malloc(VIGIL_TAR_MAX_PATH + 1), *long_bad = malloc(VIGIL_TAR_MAX_PATH + 2);
	assert_non_null(long_ok);
	assert_non_null(long_bad);
	for (int i = 0; i < VIGIL_TAR_MAX_PATH; i++)
		long_ok[i] = long_bad[i] = i % 10 == 9 ? '/' : 'n';
	long_ok[VIGIL_TAR_MAX_PATH] = '\0';
	long_bad[VIGIL_TAR_MAX_PATH] = 'x';
	long_bad[VIGIL_TAR_MAX_PATH + 1] = '\0';
	for (int f = 0; f < 2; f++) {
		th_tar t;
		th_tar_begin(&t, formats[f]);
		th_tar_file(&t, "bad\xff\xfe/name", "raw bytes");
		th_tar_file(&t, "caf\xc3\xa9", "utf-8");
		th_tar_file(&t, long_ok, "long");
		th_tar_end(&t);
		th_walk *w = walk_new(1);
		assert_int_equal(th_walk_layer(t.out.data, t.out.len, NULL, NULL, w, NULL), 0);
		assert_int_equal(w->n, 3);
		assert_string_equal(w->e[0].path, "bad\xff\xfe/name");
		assert_string_equal(w->e[1].path, "caf\xc3\xa9");
		assert_int_equal(w->e[2].path_len, VIGIL_TAR_MAX_PATH);
		assert_memory_equal(w->e[2].data, "long", 4);
		walk_free(w);
		vigil_buf_free(&t.out);

		/* one byte more: the limit */
		th_tar_begin(&t, formats[f]);
		th_tar_file(&t, "first", "1");
		th_tar_file(&t, long_bad, "too long");
		th_tar_end(&t);
		w = walk_new(0);
		assert_int_equal(th_walk_layer(t.out.data, t.out.len, NULL, NULL, w, NULL), VIGIL_ELIMIT);
		th_assert_msg("name of 4097 bytes (limit 4096)");
		assert_int_equal(w->n, 1);
		walk_free(w);
		vigil_buf_free(&t.out);

		/* a symlink target over the limit */
		th_tar_begin(&t, formats[f]);
		th_tar_add(&t, "link", AE_IFLNK, 0777, long_bad, 0, NULL, 0);
		th_tar_end(&t);
		w = walk_new(0);
		assert_int_equal(th_walk_layer(t.out.data, t.out.len, NULL, NULL, w, NULL), VIGIL_ELIMIT);
		th_assert_msg("symlink target of 4097 bytes");
		walk_free(w);
		vigil_buf_free(&t.out);
	}
	free(long_ok);
	free(long_bad);
}

/* A hand-made ustar archive of one header (and data). */
static int walk_one(const char *name, char type, int64_t size, const char *link, th_walk *w)
{
	vigil_buf b;
	uint8_t h[512];
	vigil_buf_init(&b, TH_MAX);
	th_ustar_header(h, "ok", '0', 2, NULL);
	th_ustar_append(&b, h, "ok", 2);
	th_ustar_header(h, name, type, size, link);
	th_ustar_append(&b, h, "data", size > 0 && size < 5 ? (size_t)size : 0);
	th_ustar_end(&b);
	int rc = th_walk_layer(b.data, b.len, NULL, NULL, w, NULL);
	vigil_buf_free(&b);
	return rc;
}

static void test_escape(void **state)
{
	static const char *names[] = { "../etc/passwd", "a/../../etc/passwd", "./..", "/../x" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		th_walk *w = walk_new(0);
		char want[200];
		assert_int_equal(walk_one(names[i], '0', 4, NULL, w), VIGIL_EFORMAT);
		snprintf(want, sizeof(want), "entry '%s': path escapes the layer root", names[i]);
		assert_string_equal(vigil_error_message(), want);
		assert_int_equal(w->n, 1); /* "ok" came before */
		walk_free(w);
	}
	th_walk *w = walk_new(0);
	assert_int_equal(walk_one("h", '1', 0, "../../etc/shadow", w), VIGIL_EFORMAT);
	assert_string_equal(vigil_error_message(),
			    "entry 'h': hard link target '../../etc/shadow' escapes the layer root");
	walk_free(w);
	w = walk_new(0);
	assert_int_equal(walk_one("h", '1', 0, "./", w), VIGIL_EFORMAT);
	th_assert_msg("hard link to the layer root");
	walk_free(w);
	/* a symlink may point anywhere: it is resolved inside the image later */
	w = walk_new(0);
	assert_int_equal(walk_one("s", '2', 0, "../../../../etc/shadow", w), 0);
	assert_string_equal(w->e[1].link, "../../../../etc/shadow");
	walk_free(w);
	/* a name that cleans to a path inside is fine */
	w = walk_new(1);
	assert_int_equal(walk_one("a/b/../../c", '0', 4, NULL, w), 0);
	assert_string_equal(w->e[1].path, "c");
	assert_memory_equal(w->e[1].data, "data", 4);
	walk_free(w);
}

static void test_bad_tar(void **state)
{
	th_tar t;
	th_tar_begin(&t, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
	char big[3000];
	memset(big, 'b', sizeof(big));
	th_tar_add(&t, "first", AE_IFREG, 0644, NULL, 0, big, sizeof(big));
	th_tar_add(&t, "second", AE_IFREG, 0644, NULL, 0, big, sizeof(big));
	th_tar_end(&t);
	size_t second = 0; /* offset of the second header */
	for (size_t off = 512; off + 512 <= t.out.len; off += 512)
		if (memcmp(t.out.data + off, "second", 6) == 0 || memcmp(t.out.data + off + 345, "second", 6) == 0) {
			second = off;
			break;
		}
	assert_true(second > 0);

	/* truncated inside the data: read, then skipped */
	for (int read = 0; read < 2; read++) {
		th_walk *w = walk_new(read);
		assert_int_equal(th_walk_layer(t.out.data, 1500, NULL, NULL, w, NULL), VIGIL_EFORMAT);
		th_assert_msg("tar: Truncated");
		th_assert_msg("entry 'first'");
		walk_free(w);
	}
	/* truncated inside the second header */
	th_walk *w = walk_new(0);
	assert_int_equal(th_walk_layer(t.out.data, second + 100, NULL, NULL, w, NULL), VIGIL_EFORMAT);
	th_assert_msg("tar: ");
	th_assert_msg("after entry 'first'");
	walk_free(w);

	/* a bad checksum in the second header */
	vigil_buf b;
	vigil_buf_init(&b, TH_MAX);
	assert_int_equal(vigil_buf_append(&b, t.out.data, t.out.len), 0);
	b.data[second + 5] ^= 1;
	w = walk_new(0);
	assert_int_equal(th_walk_layer(b.data, b.len, NULL, NULL, w, NULL), VIGIL_EFORMAT);
	th_assert_msg("tar: Damaged tar archive");
	th_assert_msg("after entry 'first'");
	assert_int_equal(w->n, 1);
	walk_free(w);

	/* not a tar at all, an empty layer, end blocks only, trailing bytes */
	w = walk_new(0);
	assert_int_equal(th_walk_layer("hello, not a tar archive at all", 31, NULL, NULL, w, NULL),
			 VIGIL_EFORMAT);
	th_assert_msg("layer is not a tar archive");
	walk_free(w);
	w = walk_new(0);
	assert_int_equal(th_walk_layer("", 0, "sha256", NULL, w, NULL), 0);
	assert_int_equal(w->n, 0);
	walk_free(w);
	static const char zeros[10240];
	w = walk_new(0);
	assert_int_equal(th_walk_layer(zeros, sizeof(zeros), NULL, NULL, w, NULL), 0);
	assert_int_equal(w->n, 0);
	walk_free(w);
	vigil_buf_reset(&b);
	assert_int_equal(vigil_buf_append(&b, t.out.data, t.out.len), 0);
	assert_int_equal(vigil_buf_append(&b, zeros, sizeof(zeros)), 0);
	assert_int_equal(vigil_buf_append(&b, "trailing junk", 13), 0);
	char diff[VIGIL_LAYER_DIGEST_MAX];
	th_sha("sha256", b.data, b.len, diff); /* the trailing bytes count in the digest */
	w = walk_new(1);
	vigil_istream *s = NULL;
	assert_int_equal(th_walk_layer(b.data, b.len, NULL, diff, w, &s), 0);
	assert_int_equal(w->n, 2);
	assert_int_equal(s->nread, b.len);
	vigil_istream_close(s);
	walk_free(w);
	vigil_buf_free(&b);
	vigil_buf_free(&t.out);
}

static void test_absurd_size(void **state)
{
	vigil_buf b;
	uint8_t h[512];
	vigil_buf_init(&b, TH_MAX);
	/* 100 TiB in base-256: over VIGIL_TAR_MAX_ENTRY_SIZE */
	th_ustar_header(h, "huge", '0', 0, NULL);
	th_ustar_base256(h, (uint64_t)100 << 40);
	th_ustar_append(&b, h, NULL, 0);
	th_ustar_end(&b);
	th_walk *w = walk_new(0);
	assert_int_equal(th_walk_layer(b.data, b.len, NULL, NULL, w, NULL), VIGIL_ELIMIT);
	th_assert_msg("entry 'huge': size 109951162777600 is over the limit");
	walk_free(w);
	/* 2^63-1 and a negative one: libarchive refuses them itself */
	uint64_t sizes[] = { UINT64_MAX >> 1, UINT64_MAX };
	for (int i = 0; i < 2; i++) {
		vigil_buf_reset(&b);
		th_ustar_header(h, "huge", '0', 0, NULL);
		th_ustar_base256(h, sizes[i]);
		if (i == 1)
			memset(h + 124, 0xff, 12);
		th_ustar_append(&b, h, NULL, 0);
		th_ustar_end(&b);
		w = walk_new(0);
		int rc = th_walk_layer(b.data, b.len, NULL, NULL, w, NULL);
		assert_true(rc == VIGIL_EFORMAT || rc == VIGIL_ELIMIT);
		th_assert_msg("tar: ");
		walk_free(w);
	}
	/* a declared size larger than the data: truncated */
	vigil_buf_reset(&b);
	th_ustar_header(h, "short", '0', 1 << 20, NULL);
	th_ustar_append(&b, h, NULL, 0);
	th_ustar_end(&b);
	w = walk_new(1);
	assert_int_equal(th_walk_layer(b.data, b.len, NULL, NULL, w, NULL), VIGIL_EFORMAT);
	th_assert_msg("Truncated");
	walk_free(w);
	vigil_buf_free(&b);
}

struct limit_state {
	size_t max;
	int ignore_limit, reads, tries;
	int rc_first, rc_second;
};

static int limit_fn(void *ud, const vigil_tar_entry *e, vigil_tar_walk *w)
{
	struct limit_state *st = ud;
	vigil_buf b;
	vigil_buf_init(&b, st->max);
	int rc = layer_tar_read(w, &b);
	st->tries++;
	if (rc == 0)
		st->reads++;
	st->rc_first = rc;
	if (rc == 0)
		st->rc_second = layer_tar_read(w, &b);
	vigil_buf_free(&b);
	if (rc < 0 && st->ignore_limit && rc == VIGIL_ELIMIT)
		return 0;
	return rc;
}

static void test_read_limits(void **state)
{
	th_tar t;
	th_tar_begin(&t, ARCHIVE_FORMAT_TAR_GNUTAR);
	th_tar_file(&t, "small", "12345");
	th_tar_file(&t, "large", "1234567890");
	th_tar_file(&t, "after", "abc");
	th_tar_end(&t);
	struct limit_state st = { .max = 8 };
	vigil_istream *m;
	assert_int_equal(vigil_istream_from_mem(t.out.data, t.out.len, &m), 0);
	assert_int_equal(layer_tar_walk_stream(m, limit_fn, &st), VIGIL_ELIMIT);
	assert_string_equal(vigil_error_message(), "entry 'large': 10 bytes, over the limit of 8 bytes");
	assert_int_equal(st.reads, 1);
	vigil_istream_close(m);
	/* the caller may skip a too large entry and go on */
	st = (struct limit_state){ .max = 8, .ignore_limit = 1 };
	assert_int_equal(vigil_istream_from_mem(t.out.data, t.out.len, &m), 0);
	assert_int_equal(layer_tar_walk_stream(m, limit_fn, &st), 0);
	assert_int_equal(st.tries, 3);
	assert_int_equal(st.reads, 2);
	assert_int_equal(st.rc_second, VIGIL_EINVAL); /* once per entry */
	vigil_istream_close(m);
	/* outside a walk */
	vigil_buf b;
	vigil_buf_init(&b, 10);
	assert_int_equal(layer_tar_read(NULL, &b), VIGIL_EINVAL);
	/* the callback's error stops the walk, as it is */
	th_walk *w = walk_new(0);
	w->stop_at = 2;
	assert_int_equal(th_walk_layer(t.out.data, t.out.len, NULL, NULL, w, NULL), VIGIL_ERROR);
	assert_string_equal(vigil_error_message(), "stopped by the callback");
	assert_int_equal(w->n, 1);
	walk_free(w);
	vigil_buf_free(&t.out);
}

static void test_stream_errors(void **state)
{
	th_tar t;
	th_tar_begin(&t, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
	char *data = malloc(200000);
	assert_non_null(data);
	for (size_t i = 0; i < 200000; i++)
		data[i] = (char)(i * 7 + i / 1000);
	th_tar_add(&t, "one", AE_IFREG, 0644, NULL, 0, data, 200000);
	th_tar_add(&t, "two", AE_IFREG, 0644, NULL, 0, data, 200000);
	th_tar_end(&t);
	vigil_buf gz;
	vigil_buf_init(&gz, TH_MAX);
	th_gzip(t.out.data, t.out.len, 6, &gz);
	char wrong[VIGIL_LAYER_DIGEST_MAX];
	th_sha("sha256", "x", 1, wrong);

	/* every entry fine, the digest wrong: the walk fails with the digest */
	th_walk *w = walk_new(1);
	assert_int_equal(th_walk_layer(gz.data, gz.len, wrong, NULL, w, NULL), VIGIL_EDIGEST);
	th_assert_msg("digest mismatch: manifest says sha256:");
	assert_int_equal(w->n, 2);
	assert_memory_equal(w->e[1].data, data, 200000);
	walk_free(w);

	/* gzip cut short, while reading data or skipping it: the gzip error */
	for (int read = 0; read < 2; read++) {
		w = walk_new(read);
		assert_int_equal(th_walk_layer(gz.data, gz.len / 2, NULL, NULL, w, NULL), VIGIL_EFORMAT);
		th_assert_msg("gzip: truncated");
		walk_free(w);
	}
	/* corrupt gzip in the middle */
	gz.data[gz.len / 2] ^= 0xff;
	gz.data[gz.len / 2 + 1] ^= 0xff;
	w = walk_new(1);
	int rc = th_walk_layer(gz.data, gz.len, NULL, NULL, w, NULL);
	assert_int_equal(rc, VIGIL_EFORMAT);
	th_assert_msg("gzip: ");
	walk_free(w);
	free(data);
	vigil_buf_free(&gz);
	vigil_buf_free(&t.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_bad_tar),
		cmocka_unit_test(test_absurd_size),
		cmocka_unit_test(test_read_limits),
		cmocka_unit_test(test_stream_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
