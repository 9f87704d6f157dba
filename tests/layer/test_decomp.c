/* tests/layer/test_decomp.c: the decompressing, hashing layer stream on
 * real compressed bytes made here (zlib gzip, ISA-L gzip, zstd): sniffing,
 * multi-member gzip and multi-frame zstd, digests right and wrong (sha256,
 * sha512), truncated and corrupt data at every kind of place, reads of
 * every size, the zero-copy block API and the threaded hasher on a large
 * stream. */
#include "layer_th.h"

#include <zstd_errors.h>

/* Deterministic, somewhat compressible test bytes. */
static char *make_bytes(size_t n, uint32_t seed)
{
	char *p = malloc(n ? n : 1);
	assert_non_null(p);
	uint32_t x = seed | 1;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = x % 7 == 0 ? (char)(x >> 8) : "layer bytes "[i % 12];
	}
	return p;
}

/* Reads all of s with read() calls of chunk bytes into out; returns the code. */
static int read_all(vigil_istream *s, size_t chunk, vigil_buf *out)
{
	char *tmp = malloc(chunk);
	assert_non_null(tmp);
	ssize_t r;
	while ((r = vigil_istream_read(s, tmp, chunk)) > 0)
		assert_int_equal(vigil_buf_append(out, tmp, (size_t)r), 0);
	free(tmp);
	return (int)r;
}

/* Opens over memory, reads everything; returns the code; out gets the bytes. */
static int decode(const void *p, size_t n, const char *blob, const char *diff, vigil_buf *out,
		  char *blob_got, char *diff_got)
{
	vigil_istream *raw, *s;
	assert_int_equal(vigil_istream_from_mem(p, n, &raw), 0);
	int rc = layer_stream_open(raw, blob, diff, &s);
	if (rc < 0)
		return rc;
	rc = read_all(s, 100000, out);
	if (blob_got || diff_got)
		assert_int_equal(layer_stream_digests(s, blob_got, diff_got), 0);
	vigil_istream_close(s);
	return rc;
}

static void test_sniff(void **state)
{
	const char *plain = "not compressed, passed through as a tar";
	vigil_buf gz, zs;
	vigil_buf_init(&gz, TH_MAX);
	vigil_buf_init(&zs, TH_MAX);
	th_gzip(plain, strlen(plain), 6, &gz);
	th_zstd(plain, strlen(plain), 3, &zs);
	struct { const void *p; size_t n; const char *name; } cases[] = {
		{ plain, strlen(plain), "none" },
		{ gz.data, gz.len, "gzip" },
		{ zs.data, zs.len, "zstd" },
		{ "", 0, "none" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vigil_istream *raw, *s;
		vigil_buf out;
		vigil_buf_init(&out, TH_MAX);
		assert_int_equal(vigil_istream_from_mem(cases[i].p, cases[i].n, &raw), 0);
		assert_int_equal(layer_stream_open(raw, NULL, NULL, &s), 0);
		assert_string_equal(layer_stream_compression(s), cases[i].name);
		assert_int_equal(read_all(s, 7, &out), 0);
		assert_int_equal(out.len, i == 3 ? 0 : strlen(plain));
		assert_int_equal(layer_stream_raw_bytes(s), cases[i].n);
		vigil_istream_close(s);
		vigil_buf_free(&out);
	}
	/* not a layer stream */
	vigil_istream *m;
	assert_int_equal(vigil_istream_from_mem("x", 1, &m), 0);
	assert_null(layer_stream_compression(m));
	const void *p;
	assert_int_equal(layer_stream_next_block(m, &p), VIGIL_EINVAL);
	assert_int_equal(layer_stream_digests(m, NULL, NULL), VIGIL_EINVAL);
	vigil_istream_close(m);
	vigil_buf_free(&gz);
	vigil_buf_free(&zs);
}

static void test_unsupported_compression(void **state)
{
	static const char *magic[] = { "\xfd\x37zXZ\0\0\0\0", "BZh91AY&SY", "\x04\x22\x4d\x18....." };
	static const size_t len[] = { 10, 10, 10 };
	for (int i = 0; i < 3; i++) {
		vigil_istream *raw, *s = (vigil_istream *)1;
		assert_int_equal(vigil_istream_from_mem(magic[i], len[i], &raw), 0);
		assert_int_equal(layer_stream_open(raw, NULL, NULL, &s), VIGIL_EUNSUPPORTED);
		assert_null(s);
		th_assert_msg("not supported");
	}
}

static void test_digest_specs(void **state)
{
	const char *data = "hello";
	char sha256[VIGIL_LAYER_DIGEST_MAX], sha512[VIGIL_LAYER_DIGEST_MAX];
	char b[VIGIL_LAYER_DIGEST_MAX], d[VIGIL_LAYER_DIGEST_MAX];
	th_sha("sha256", data, 5, sha256);
	th_sha("sha512", data, 5, sha512);
	vigil_buf out;
	vigil_buf_init(&out, TH_MAX);

	/* check and compute, both algorithms; uncompressed: blob = diff */
	assert_int_equal(decode(data, 5, sha256, sha512, &out, b, d), 0);
	assert_string_equal(b, sha256);
	assert_string_equal(d, sha512);
	vigil_buf_reset(&out);
	assert_int_equal(decode(data, 5, "sha512", sha256, &out, b, d), 0);
	assert_string_equal(b, sha512);
	assert_string_equal(d, sha256);
	vigil_buf_reset(&out);
	assert_int_equal(decode(data, 5, NULL, NULL, &out, b, d), 0);
	assert_string_equal(b, "");
	assert_string_equal(d, "");
	/* upper-case hex is read too */
	char upper[VIGIL_LAYER_DIGEST_MAX];
	snprintf(upper, sizeof(upper), "%s", sha256);
	for (char *c = upper + 7; *c; c++)
		if (*c >= 'a' && *c <= 'f')
			*c = (char)(*c - 'a' + 'A');
	vigil_buf_reset(&out);
	assert_int_equal(decode(data, 5, upper, NULL, &out, NULL, NULL), 0);

	/* bad specs fail at open (and raw is closed: no leak under ASan) */
	struct { const char *spec; int code; } bad[] = {
		{ "md5:5d41402abc4b2a76b9719d911017c592", VIGIL_EUNSUPPORTED },
		{ "blake3", VIGIL_EUNSUPPORTED },
		{ "", VIGIL_EUNSUPPORTED },
		{ "sha256:abc", VIGIL_EFORMAT },
		{ "sha256:zz2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b98", VIGIL_EFORMAT },
		{ "sha512:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", VIGIL_EFORMAT },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vigil_istream *raw, *s;
		assert_int_equal(vigil_istream_from_mem(data, 5, &raw), 0);
		assert_int_equal(layer_stream_open(raw, NULL, bad[i].spec, &s), bad[i].code);
		th_assert_msg("layer diff_id digest");
	}
	vigil_buf_free(&out);
}

static void test_digest_mismatch(void **state)
{
	char *tar = make_bytes(300000, 7);
	vigil_buf gz, out;
	vigil_buf_init(&gz, TH_MAX);
	vigil_buf_init(&out, TH_MAX);
	th_gzip(tar, 300000, 6, &gz);
	char blob[VIGIL_LAYER_DIGEST_MAX], diff[VIGIL_LAYER_DIGEST_MAX], wrong[VIGIL_LAYER_DIGEST_MAX];
	char b[VIGIL_LAYER_DIGEST_MAX], d[VIGIL_LAYER_DIGEST_MAX];
	th_sha("sha256", gz.data, gz.len, blob);
	th_sha("sha256", tar, 300000, diff);
	th_sha("sha256", "other", 5, wrong);

	assert_int_equal(decode(gz.data, gz.len, blob, diff, &out, b, d), 0);
	assert_memory_equal(out.data, tar, 300000);
	assert_string_equal(b, blob);
	assert_string_equal(d, diff);

	vigil_buf_reset(&out);
	assert_int_equal(decode(gz.data, gz.len, wrong, diff, &out, b, d), VIGIL_EDIGEST);
	char want[400];
	snprintf(want, sizeof(want), "digest mismatch: manifest says %s, content is %s", wrong, blob);
	assert_string_equal(vigil_error_message(), want);
	assert_string_equal(b, blob); /* still available after a mismatch */
	assert_string_equal(d, diff);

	vigil_buf_reset(&out);
	assert_int_equal(decode(gz.data, gz.len, blob, wrong, &out, NULL, NULL), VIGIL_EDIGEST);
	snprintf(want, sizeof(want), "digest mismatch: config diff_id says %s, uncompressed content is %s",
		 wrong, diff);
	assert_string_equal(vigil_error_message(), want);

	/* both wrong: the blob is reported */
	vigil_buf_reset(&out);
	assert_int_equal(decode(gz.data, gz.len, wrong, wrong, &out, NULL, NULL), VIGIL_EDIGEST);
	th_assert_msg("manifest says");

	/* uncompressed, wrong: blob and diff are the same bytes */
	vigil_buf_reset(&out);
	assert_int_equal(decode(tar, 300000, diff, wrong, &out, b, d), VIGIL_EDIGEST);
	th_assert_msg("config diff_id says");
	assert_string_equal(b, diff);
	assert_string_equal(d, diff);

	/* the error is sticky: reading again gives it again */
	vigil_istream *raw, *s;
	char tmp[64];
	assert_int_equal(vigil_istream_from_mem(tar, 300000, &raw), 0);
	assert_int_equal(layer_stream_open(raw, wrong, NULL, &s), 0);
	assert_int_equal(layer_stream_digests(s, b, d), VIGIL_EINVAL); /* not at the end */
	assert_true(vigil_istream_drain(s) == VIGIL_EDIGEST);
	assert_int_equal(vigil_istream_read(s, tmp, sizeof(tmp)), VIGIL_EDIGEST);
	vigil_istream_close(s);

	free(tar);
	vigil_buf_free(&gz);
	vigil_buf_free(&out);
}

static void test_multi_member_gzip(void **state)
{
	char *tar = make_bytes(200000, 11);
	vigil_buf gz, out;
	vigil_buf_init(&gz, TH_MAX);
	vigil_buf_init(&out, TH_MAX);
	th_gzip(tar, 1000, 6, &gz);
	th_igzip(tar + 1000, 100000, &gz);
	th_gzip("", 0, 6, &gz); /* an empty member */
	th_gzip(tar + 101000, 99000, 1, &gz);
	char diff[VIGIL_LAYER_DIGEST_MAX], d[VIGIL_LAYER_DIGEST_MAX];
	th_sha("sha256", tar, 200000, diff);
	assert_int_equal(decode(gz.data, gz.len, "sha256", diff, &out, NULL, d), 0);
	assert_int_equal(out.len, 200000);
	assert_memory_equal(out.data, tar, 200000);
	assert_string_equal(d, diff);

	/* trailing bytes that are not a member: refused, as Go's gzip reader does */
	static const char *tails[] = { "\0\0\0\0", "garbage" };
	for (int i = 0; i < 2; i++) {
		vigil_buf bad;
		vigil_buf_init(&bad, TH_MAX);
		assert_int_equal(vigil_buf_append(&bad, gz.data, gz.len), 0);
		assert_int_equal(vigil_buf_append(&bad, tails[i], i == 0 ? 4 : 7), 0);
		vigil_buf_reset(&out);
		assert_int_equal(decode(bad.data, bad.len, NULL, NULL, &out, NULL, NULL), VIGIL_EFORMAT);
		th_assert_msg("gzip: data after the last member at compressed offset");
		vigil_buf_free(&bad);
	}
	free(tar);
	vigil_buf_free(&gz);
	vigil_buf_free(&out);
}

static void test_multi_frame_zstd(void **state)
{
	char *tar = make_bytes(150000, 13);
	vigil_buf zs, out;
	vigil_buf_init(&zs, TH_MAX);
	vigil_buf_init(&out, TH_MAX);
	/* a skippable frame first, then three frames */
	static const char skip[] = "\x50\x2a\x4d\x18\x04\x00\x00\x00" "abcd";
	assert_int_equal(vigil_buf_append(&zs, skip, sizeof(skip) - 1), 0);
	th_zstd(tar, 50000, 1, &zs);
	th_zstd(tar + 50000, 50000, 19, &zs);
	th_zstd(tar + 100000, 50000, 3, &zs);
	char diff[VIGIL_LAYER_DIGEST_MAX], d[VIGIL_LAYER_DIGEST_MAX];
	th_sha("sha256", tar, 150000, diff);
	vigil_istream *raw, *s;
	assert_int_equal(vigil_istream_from_mem(zs.data, zs.len, &raw), 0);
	assert_int_equal(layer_stream_open(raw, NULL, diff, &s), 0);
	assert_string_equal(layer_stream_compression(s), "zstd");
	assert_int_equal(read_all(s, 4096, &out), 0);
	assert_int_equal(layer_stream_digests(s, NULL, d), 0);
	assert_string_equal(d, diff);
	vigil_istream_close(s);
	assert_memory_equal(out.data, tar, 150000);

	/* trailing junk is not a frame */
	assert_int_equal(vigil_buf_append(&zs, "junkjunk", 8), 0);
	vigil_buf_reset(&out);
	assert_int_equal(decode(zs.data, zs.len, NULL, NULL, &out, NULL, NULL), VIGIL_EFORMAT);
	th_assert_msg("zstd: ");
	free(tar);
	vigil_buf_free(&zs);
	vigil_buf_free(&out);
}

/* Every cut of a small stream fails cleanly with the format's name; the
 * whole stream succeeds. */
static void check_truncations(const vigil_buf *c, const char *fmt)
{
	char prefix[32];
	snprintf(prefix, sizeof(prefix), "%s: ", fmt);
	/* (below 4 bytes the magic is incomplete: passed through as a tar) */
	for (size_t cut = 4; cut < c->len; cut++) {
		vigil_buf out;
		vigil_buf_init(&out, TH_MAX);
		int rc = decode(c->data, cut, "sha256", "sha256", &out, NULL, NULL);
		if (rc != VIGIL_EFORMAT)
			fail_msg("%s cut at %zu of %zu: rc %d (%s)", fmt, cut, c->len, rc,
				 vigil_error_message());
		th_assert_msg(prefix);
		th_assert_msg("compressed offset");
		vigil_buf_free(&out);
	}
}

static void test_truncated(void **state)
{
	char *tar = make_bytes(5000, 17);
	vigil_buf gz, ig, zs, out;
	vigil_buf_init(&gz, TH_MAX);
	vigil_buf_init(&ig, TH_MAX);
	vigil_buf_init(&zs, TH_MAX);
	th_gzip(tar, 5000, 9, &gz);
	th_igzip(tar, 5000, &ig);
	th_zstd(tar, 5000, 3, &zs);
	check_truncations(&gz, "gzip");
	check_truncations(&ig, "gzip");
	check_truncations(&zs, "zstd");
	vigil_buf_init(&out, TH_MAX);
	assert_int_equal(decode(gz.data, gz.len, NULL, NULL, &out, NULL, NULL), 0);
	assert_int_equal(out.len, 5000);
	free(tar);
	vigil_buf_free(&gz);
	vigil_buf_free(&ig);
	vigil_buf_free(&zs);
	vigil_buf_free(&out);
}

static void test_corrupt(void **state)
{
	char *tar = make_bytes(20000, 19);
	vigil_buf gz, zs, out;
	vigil_buf_init(&gz, TH_MAX);
	vigil_buf_init(&zs, TH_MAX);
	vigil_buf_init(&out, TH_MAX);
	th_gzip(tar, 20000, 6, &gz);
	th_zstd(tar, 20000, 3, &zs);

	/* trailer CRC, then ISIZE */
	size_t at[] = { gz.len - 8, gz.len - 1 };
	for (int i = 0; i < 2; i++) {
		gz.data[at[i]] ^= 1;
		vigil_buf_reset(&out);
		assert_int_equal(decode(gz.data, gz.len, NULL, NULL, &out, NULL, NULL), VIGIL_EFORMAT);
		th_assert_msg("gzip: CRC or size in the gzip trailer does not match");
		gz.data[at[i]] ^= 1;
	}
	/* bytes flipped in turn: never a crash, never different bytes passed
	 * off as good (the diff digest is checked); a flip in a field that
	 * does not matter (gzip MTIME, OS) may go through unnoticed */
	char diff[VIGIL_LAYER_DIGEST_MAX];
	th_sha("sha256", tar, 20000, diff);
	vigil_buf *cs[] = { &gz, &zs };
	size_t errors = 0, tries = 0;
	for (int k = 0; k < 2; k++) {
		vigil_buf *c = cs[k];
		for (size_t i = 0; i < c->len; i += 3) {
			c->data[i] ^= 0x5a;
			tries++;
			vigil_buf_reset(&out);
			int rc = decode(c->data, c->len, NULL, diff, &out, NULL, NULL);
			if (rc == 0)
				assert_memory_equal(out.data, tar, 20000);
			else
				assert_true(rc == VIGIL_EFORMAT || rc == VIGIL_EDIGEST || rc == VIGIL_ELIMIT);
			errors += rc != 0;
			c->data[i] ^= 0x5a;
		}
	}
	assert_true(errors > tries * 9 / 10);
	free(tar);
	vigil_buf_free(&gz);
	vigil_buf_free(&zs);
	vigil_buf_free(&out);
}

/* A stream that hands out at most k bytes per read. */
struct trickle {
	vigil_istream base;
	vigil_istream *in;
	size_t k;
};

static ssize_t trickle_read(vigil_istream *s, void *buf, size_t n)
{
	struct trickle *t = (struct trickle *)s;
	return vigil_istream_read(t->in, buf, n > t->k ? t->k : n);
}

static void trickle_close(vigil_istream *s)
{
	vigil_istream_close(((struct trickle *)s)->in);
	free(s);
}

static const struct vigil_istream_ops trickle_ops = { trickle_read, trickle_close };

static void test_small_reads(void **state)
{
	char *tar = make_bytes(3000, 23);
	vigil_buf c[3];
	for (int i = 0; i < 3; i++)
		vigil_buf_init(&c[i], TH_MAX);
	th_gzip(tar, 1000, 6, &c[0]);
	th_igzip(tar + 1000, 2000, &c[0]);
	th_zstd(tar, 1500, 3, &c[1]);
	th_zstd(tar + 1500, 1500, 3, &c[1]);
	assert_int_equal(vigil_buf_append(&c[2], tar, 3000), 0);
	for (int f = 0; f < 3; f++)
		for (size_t k = 1; k <= 33; k += (k < 9 ? 1 : 8)) {
			for (size_t chunk = 1; chunk <= 4097; chunk += 4096) {
				struct trickle *t = calloc(1, sizeof(*t));
				assert_non_null(t);
				t->base.ops = &trickle_ops;
				t->k = k;
				assert_int_equal(vigil_istream_from_mem(c[f].data, c[f].len, &t->in), 0);
				vigil_istream *s;
				vigil_buf out;
				vigil_buf_init(&out, TH_MAX);
				assert_int_equal(layer_stream_open(&t->base, "sha256", "sha256", &s), 0);
				assert_int_equal(read_all(s, chunk, &out), 0);
				assert_int_equal(out.len, 3000);
				assert_memory_equal(out.data, tar, 3000);
				vigil_istream_close(s);
				vigil_buf_free(&out);
			}
		}
	for (int i = 0; i < 3; i++)
		vigil_buf_free(&c[i]);
	free(tar);
}

/* A large stream through the block API: the hasher thread starts, blocks
 * alternate, digests still right; and the same through read(). */
static void test_large_blocks(void **state)
{
	size_t n = (size_t)40 << 20;
	char *tar = make_bytes(n, 29);
	vigil_buf gz;
	vigil_buf_init(&gz, TH_MAX);
	th_igzip(tar, n, &gz);
	char blob[VIGIL_LAYER_DIGEST_MAX], diff[VIGIL_LAYER_DIGEST_MAX];
	th_sha("sha256", gz.data, gz.len, blob);
	th_sha("sha512", tar, n, diff);
	for (int api = 0; api < 2; api++) {
		vigil_istream *raw, *s;
		assert_int_equal(vigil_istream_from_mem(gz.data, gz.len, &raw), 0);
		assert_int_equal(layer_stream_open(raw, blob, diff, &s), 0);
		size_t off = 0;
		ssize_t r;
		if (api == 0) {
			const void *p, *prev = NULL;
			while ((r = layer_stream_next_block(s, &p)) > 0) {
				assert_true((size_t)r <= VIGIL_LAYER_OUT_BUF);
				assert_true(off + (size_t)r <= n);
				assert_memory_equal(p, tar + off, (size_t)r);
				assert_ptr_not_equal(p, prev); /* two blocks alternate */
				prev = p;
				off += (size_t)r;
			}
		} else {
			char *buf = malloc(300000);
			assert_non_null(buf);
			while ((r = vigil_istream_read(s, buf, 300000)) > 0) {
				assert_memory_equal(buf, tar + off, (size_t)r);
				off += (size_t)r;
			}
			free(buf);
		}
		assert_int_equal(r, 0);
		assert_int_equal(off, n);
		assert_int_equal(s->nread, n);
		char b[VIGIL_LAYER_DIGEST_MAX], d[VIGIL_LAYER_DIGEST_MAX];
		assert_int_equal(layer_stream_digests(s, b, d), 0);
		assert_string_equal(b, blob);
		assert_string_equal(d, diff);
		vigil_istream_close(s);
	}
	free(tar);
	vigil_buf_free(&gz);
}

/* A zstd frame whose window is over VIGIL_LAYER_ZSTD_MAX_WINDOW_LOG. */
static void test_zstd_window_limit(void **state)
{
	size_t n = 1 << 20;
	char *src = make_bytes(n, 31);
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	assert_non_null(cc);
	assert_false(ZSTD_isError(ZSTD_CCtx_setParameter(cc, ZSTD_c_windowLog, 30)));
	size_t cap = ZSTD_compressBound(n) + 64;
	char *dst = malloc(cap);
	assert_non_null(dst);
	ZSTD_inBuffer in = { src, n, 0 };
	ZSTD_outBuffer out = { dst, cap, 0 };
	/* streaming with no pledged size keeps the window in the frame header */
	assert_false(ZSTD_isError(ZSTD_compressStream2(cc, &out, &in, ZSTD_e_continue)));
	size_t left;
	do {
		left = ZSTD_compressStream2(cc, &out, &in, ZSTD_e_end);
		assert_false(ZSTD_isError(left));
	} while (left);
	vigil_buf o;
	vigil_buf_init(&o, TH_MAX);
	assert_int_equal(decode(dst, out.pos, NULL, NULL, &o, NULL, NULL), VIGIL_ELIMIT);
	th_assert_msg("zstd: ");
	vigil_buf_free(&o);
	ZSTD_freeCCtx(cc);
	free(dst);
	free(src);
}

/* Reads s to its end in blocks; returns the code and the bytes in *total. */
static int drain_blocks(vigil_istream *s, uint64_t *total)
{
	const void *p;
	ssize_t r;
	*total = 0;
	while ((r = layer_stream_next_block(s, &p)) > 0)
		*total += (uint64_t)r;
	return (int)r;
}

/* The caps on the decompressed size: absolute (all three compressions,
 * both APIs), and the ratio past its floor (a bomb of zeros stops, the
 * same size of less compressible bytes passes). */
static void test_size_limits(void **state)
{
	size_t n = (size_t)8 << 20;
	char *zeros = calloc(1, n), *bytes = make_bytes(n, 41);
	assert_non_null(zeros);
	vigil_buf gz, zs, gzb;
	vigil_buf_init(&gz, TH_MAX);
	vigil_buf_init(&zs, TH_MAX);
	vigil_buf_init(&gzb, TH_MAX);
	th_gzip(zeros, n, 9, &gz);
	th_zstd(zeros, n, 3, &zs);
	th_gzip(bytes, n, 6, &gzb);
	struct { const void *p; size_t len; } in[] = { { gz.data, gz.len }, { zs.data, zs.len }, { zeros, n } };
	for (size_t i = 0; i < 3; i++) {
		for (int api = 0; api < 2; api++) {
			vigil_istream *raw, *s;
			uint64_t total = 0;
			int rc;
			assert_int_equal(vigil_istream_from_mem(in[i].p, in[i].len, &raw), 0);
			assert_int_equal(layer_stream_open(raw, "sha256", NULL, &s), 0);
			assert_int_equal(layer_stream_set_limits(s, (uint64_t)3 << 20, 0, 0), 0);
			if (api == 0) {
				rc = drain_blocks(s, &total);
			} else {
				vigil_buf o;
				vigil_buf_init(&o, TH_MAX);
				rc = read_all(s, 65536, &o);
				total = o.len;
				vigil_buf_free(&o);
			}
			assert_int_equal(rc, VIGIL_ELIMIT);
			th_assert_msg("inflates past 3145728 bytes (the layer size limit)");
			assert_true(total <= (uint64_t)3 << 20);
			/* sticky */
			const void *p;
			assert_int_equal(layer_stream_next_block(s, &p), VIGIL_ELIMIT);
			vigil_istream_close(s);
		}
	}
	/* the ratio: zeros are ~1000:1 (gzip) and more (zstd): stopped just past the floor */
	for (size_t i = 0; i < 2; i++) {
		vigil_istream *raw, *s;
		uint64_t total = 0;
		assert_int_equal(vigil_istream_from_mem(in[i].p, in[i].len, &raw), 0);
		assert_int_equal(layer_stream_open(raw, NULL, NULL, &s), 0);
		assert_int_equal(layer_stream_set_limits(s, 0, 200, (uint64_t)1 << 20), 0);
		assert_int_equal(drain_blocks(s, &total), VIGIL_ELIMIT);
		th_assert_msg("inflates past 1048576 bytes from ");
		th_assert_msg("over 200 times its compressed size");
		assert_true(total <= (uint64_t)2 << 20);
		vigil_istream_close(s);
	}
	/* under the ratio, or with no caps at all: read to the end */
	struct { const void *p; size_t len; uint64_t max, ratio; } ok[] = {
		{ gzb.data, gzb.len, 0, 200 }, { zeros, n, 0, 2 }, /* not compressed: no ratio */
		{ gz.data, gz.len, 0, 0 }, { zs.data, zs.len, n, 0 },
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		vigil_istream *raw, *s;
		uint64_t total = 0;
		assert_int_equal(vigil_istream_from_mem(ok[i].p, ok[i].len, &raw), 0);
		assert_int_equal(layer_stream_open(raw, NULL, NULL, &s), 0);
		assert_int_equal(layer_stream_set_limits(s, ok[i].max, ok[i].ratio, (uint64_t)1 << 20), 0);
		assert_int_equal(drain_blocks(s, &total), 0);
		assert_int_equal(total, n);
		vigil_istream_close(s);
	}
	assert_int_equal(layer_stream_set_limits(NULL, 0, 0, 0), VIGIL_EINVAL);
	vigil_buf_free(&gz);
	vigil_buf_free(&zs);
	vigil_buf_free(&gzb);
	free(zeros);
	free(bytes);
}

/* Closing a stream in the middle, with hash jobs pending, leaks nothing. */
static void test_close_early(void **state)
{
	size_t n = (size_t)12 << 20;
	char *tar = make_bytes(n, 37);
	vigil_buf zs;
	vigil_buf_init(&zs, TH_MAX);
	th_zstd(tar, n, 1, &zs);
	vigil_istream *raw, *s;
	assert_int_equal(vigil_istream_from_mem(zs.data, zs.len, &raw), 0);
	assert_int_equal(layer_stream_open(raw, "sha256", "sha512", &s), 0);
	const void *p;
	for (int i = 0; i < 8; i++)
		assert_true(layer_stream_next_block(s, &p) > 0);
	vigil_istream_close(s);
	vigil_istream_close(NULL);
	free(tar);
	vigil_buf_free(&zs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_unsupported_compression),
		cmocka_unit_test(test_digest_specs),
		cmocka_unit_test(test_digest_mismatch),
		cmocka_unit_test(test_multi_member_gzip),
		cmocka_unit_test(test_multi_frame_zstd),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_small_reads),
		cmocka_unit_test(test_large_blocks),
		cmocka_unit_test(test_zstd_window_limit),
		cmocka_unit_test(test_close_early),
		cmocka_unit_test(test_size_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
