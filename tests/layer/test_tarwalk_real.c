/* tests/layer/test_tarwalk_real.c: layers as real tools make them. GNU tar
 * packs the shared real package databases (shared/testdata/pkgdb, read in
 * place) and gzip, igzip and zstd compress them; the walk must hand out
 * every file with the bytes on disk and check both digests. GNU tar also
 * makes a sparse file. And a 200 MB layer, generated and gzip-compressed
 * on the fly, walks with verification in flat memory. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "layer_th.h"

#include <fcntl.h>
#include <ftw.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static int have(const char *tool)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* ---- real files through GNU tar and the compressors ---- */

static size_t nftw_files;

static int count_file(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	if (flag == FTW_F && S_ISREG(st->st_mode))
		nftw_files++;
	return 0;
}

struct real_state {
	const char *root;
	size_t files, dirs;
	vigil_buf data;
};

static int real_fn(void *ud, const vigil_tar_entry *e, vigil_tar_walk *w)
{
	struct real_state *st = ud;
	if (e->type == VIGIL_TAR_DIR) {
		st->dirs++;
		return 0;
	}
	assert_int_equal(e->type, VIGIL_TAR_FILE);
	assert_true(strncmp(e->path, "pkgdb/", 6) == 0);
	int rc = layer_tar_read(w, &st->data);
	if (rc < 0)
		return rc;
	char path[8192];
	snprintf(path, sizeof(path), "%s/%s", st->root, e->path);
	size_t len;
	char *disk = th_read_file(path, &len);
	assert_non_null(disk);
	assert_int_equal(st->data.len, len);
	assert_int_equal(e->size, (int64_t)len);
	if (len)
		assert_memory_equal(st->data.data, disk, len);
	free(disk);
	st->files++;
	return 0;
}

static void test_real_pkgdb(void **state)
{
	const char *td = th_testdata();
	if (!td || !have("tar")) {
		printf("SKIP: shared test data or tar not found\n");
		skip();
	}
	char root[4096], tmp[] = "/tmp/vigil-layer-XXXXXX", tar[4200], layer[4200];
	snprintf(root, sizeof(root), "%s", td);
	assert_non_null(mkdtemp(tmp));
	snprintf(tar, sizeof(tar), "%s/pkgdb.tar", tmp);
	snprintf(layer, sizeof(layer), "%s/layer", tmp);
	assert_int_equal(run("tar -C '%s' -cf '%s' pkgdb", root, tar), 0);
	char pkgdb[4200];
	snprintf(pkgdb, sizeof(pkgdb), "%s/pkgdb", root);
	nftw_files = 0;
	assert_int_equal(nftw(pkgdb, count_file, 16, FTW_PHYS), 0);
	assert_true(nftw_files > 10);

	size_t tlen;
	char *tbytes = th_read_file(tar, &tlen);
	assert_non_null(tbytes);
	char diff[VIGIL_LAYER_DIGEST_MAX];
	th_sha("sha256", tbytes, tlen, diff);
	free(tbytes);

	static const struct { const char *tool, *cmd, *comp; } ways[] = {
		{ "cat", "cat", "none" },
		{ "gzip", "gzip -c", "gzip" },
		{ "igzip", "igzip -c", "gzip" },
		{ "zstd", "zstd -q -c", "zstd" },
		{ "zstd", "zstd -q -c --long=27 -19", "zstd" },
	};
	int done = 0;
	for (size_t i = 0; i < sizeof(ways) / sizeof(ways[0]); i++) {
		if (!have(ways[i].tool)) {
			printf("note: %s not found, %s not tried\n", ways[i].tool, ways[i].cmd);
			continue;
		}
		assert_int_equal(run("%s < '%s' > '%s'", ways[i].cmd, tar, layer), 0);
		size_t llen;
		char *lbytes = th_read_file(layer, &llen);
		assert_non_null(lbytes);
		char blob[VIGIL_LAYER_DIGEST_MAX], b[VIGIL_LAYER_DIGEST_MAX], d[VIGIL_LAYER_DIGEST_MAX];
		th_sha("sha256", lbytes, llen, blob);
		free(lbytes);

		struct real_state st = { .root = root };
		vigil_buf_init(&st.data, (size_t)64 << 20);
		vigil_istream *raw, *s;
		assert_int_equal(vigil_istream_from_path(layer, &raw), 0);
		assert_int_equal(layer_stream_open(raw, blob, diff, &s), 0);
		assert_string_equal(layer_stream_compression(s), ways[i].comp);
		int rc = layer_tar_walk_stream(s, real_fn, &st);
		if (rc < 0)
			fail_msg("%s: %s", ways[i].cmd, vigil_error_message());
		assert_int_equal(st.files, nftw_files);
		assert_true(st.dirs > 5);
		assert_int_equal(layer_stream_digests(s, b, d), 0);
		assert_string_equal(b, blob);
		assert_string_equal(d, diff);
		assert_int_equal(layer_stream_raw_bytes(s), llen);
		vigil_istream_close(s);
		vigil_buf_free(&st.data);
		done++;
	}
	assert_true(done >= 2);
	unlink(layer);
	unlink(tar);
	rmdir(tmp);
}

/* ---- sparse files (GNU and pax sparse formats) ---- */

static void test_sparse(void **state)
{
	if (!have("tar"))
		skip();
	char tmp[] = "/tmp/vigil-sparse-XXXXXX", path[256], tar[256];
	assert_non_null(mkdtemp(tmp));
	snprintf(path, sizeof(path), "%s/sparse", tmp);
	snprintf(tar, sizeof(tar), "%s/s.tar", tmp);
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	assert_true(fd >= 0);
	size_t size = (size_t)4 << 20, tail_at = (size_t)3 << 20;
	assert_int_equal(pwrite(fd, "head", 4, 0), 4);
	assert_int_equal(pwrite(fd, "tail", 4, (off_t)tail_at), 4);
	assert_int_equal(ftruncate(fd, (off_t)size), 0); /* ends with a hole */
	close(fd);
	static const char *opts[] = { "--format=gnu", "--format=pax --sparse-version=1.0",
				      "--format=pax --sparse-version=0.1" };
	for (int i = 0; i < 3; i++) {
		assert_int_equal(run("tar --sparse %s -C '%s' -cf '%s' sparse", opts[i], tmp, tar), 0);
		size_t len;
		char *bytes = th_read_file(tar, &len);
		assert_non_null(bytes);
		th_walk *w = calloc(1, sizeof(*w));
		assert_non_null(w);
		w->read_data = 1;
		int rc = th_walk_layer(bytes, len, NULL, NULL, w, NULL);
		if (rc < 0)
			fail_msg("%s: %s", opts[i], vigil_error_message());
		assert_int_equal(w->n, 1);
		assert_string_equal(w->e[0].path, "sparse");
		assert_int_equal(w->e[0].size, (int64_t)size);
		assert_int_equal(w->e[0].data_len, size);
		const char *d = w->e[0].data;
		assert_memory_equal(d, "head", 4);
		assert_memory_equal(d + tail_at, "tail", 4);
		for (size_t k = 4; k < size; k++)
			if ((k < tail_at || k >= tail_at + 4) && d[k] != 0)
				fail_msg("%s: byte %zu is not a hole's zero", opts[i], k);
		th_walk_free(w);
		free(w);
		free(bytes);
	}
	unlink(path);
	unlink(tar);
	rmdir(tmp);
}

/* ---- a 200 MB layer generated on the fly ---- */

#define BIG_TAR_BYTES ((uint64_t)200 << 20)

static size_t big_size(unsigned idx)
{
	return idx % 37 == 0 ? (size_t)1 << 20 : 600 + idx % 900;
}

/* A stream of a generated tar, gzip-compressed by ISA-L as it goes, that
 * hashes what it makes so the layer stream's digests can be checked. */
struct gen {
	vigil_istream base;
	uint64_t made;
	unsigned idx;
	int tar_done, z_done;
	vigil_buf chunk;
	char *fill;
	struct isal_zstream z;
	EVP_MD_CTX *tar_md, *gz_md;
};

static void gen_next(struct gen *g)
{
	vigil_buf_reset(&g->chunk);
	if (g->made >= BIG_TAR_BYTES) {
		th_ustar_end(&g->chunk);
		g->tar_done = 1;
	} else {
		char name[64];
		uint8_t h[512];
		size_t size = big_size(g->idx);
		snprintf(name, sizeof(name), "d%03u/f%07u", g->idx % 1000, g->idx);
		memset(g->fill, 'a' + (int)(g->idx % 26), size);
		th_ustar_header(h, name, '0', (int64_t)size, NULL);
		th_ustar_append(&g->chunk, h, g->fill, size);
		g->idx++;
	}
	g->made += g->chunk.len;
	EVP_DigestUpdate(g->tar_md, g->chunk.data, g->chunk.len);
	g->z.next_in = (uint8_t *)g->chunk.data;
	g->z.avail_in = (uint32_t)g->chunk.len;
	g->z.end_of_stream = (uint16_t)g->tar_done;
}

static ssize_t gen_read(vigil_istream *s, void *buf, size_t n)
{
	struct gen *g = (struct gen *)s;
	if (g->z_done)
		return 0;
	g->z.next_out = buf;
	g->z.avail_out = (uint32_t)(n > UINT32_MAX ? UINT32_MAX : n);
	uint32_t start = g->z.avail_out;
	while (g->z.avail_out > 0 && !g->z_done) {
		if (g->z.avail_in == 0 && !g->tar_done)
			gen_next(g);
		assert_int_equal(isal_deflate(&g->z), COMP_OK);
		if (g->z.internal_state.state == ZSTATE_END)
			g->z_done = 1;
	}
	size_t got = start - g->z.avail_out;
	EVP_DigestUpdate(g->gz_md, buf, got);
	return (ssize_t)got;
}

static void gen_close(vigil_istream *s)
{
	struct gen *g = (struct gen *)s;
	vigil_buf_free(&g->chunk);
	free(g->fill);
	EVP_MD_CTX_free(g->tar_md);
	EVP_MD_CTX_free(g->gz_md);
	free(g);
}

static const struct vigil_istream_ops gen_ops = { gen_read, gen_close };

static void md_hex(EVP_MD_CTX *md, char out[VIGIL_LAYER_DIGEST_MAX])
{
	uint8_t d[32];
	unsigned n;
	EVP_DigestFinal_ex(md, d, &n);
	int o = snprintf(out, VIGIL_LAYER_DIGEST_MAX, "sha256:");
	for (unsigned i = 0; i < n; i++)
		o += snprintf(out + o, (size_t)(VIGIL_LAYER_DIGEST_MAX - o), "%02x", d[i]);
}

struct big_state {
	unsigned seen, read;
	vigil_buf data;
};

static int big_fn(void *ud, const vigil_tar_entry *e, vigil_tar_walk *w)
{
	struct big_state *st = ud;
	unsigned idx = st->seen++;
	size_t size = big_size(idx);
	assert_int_equal(e->size, (int64_t)size);
	if (idx % 5 != 0)
		return 0; /* skipped without a copy */
	int rc = layer_tar_read(w, &st->data);
	if (rc < 0)
		return rc;
	assert_int_equal(st->data.len, size);
	char c = (char)('a' + (int)(idx % 26));
	assert_int_equal(st->data.data[0], c);
	assert_int_equal(st->data.data[size / 2], c);
	assert_int_equal(st->data.data[size - 1], c);
	st->read++;
	return 0;
}

static long max_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void test_large_flat_memory(void **state)
{
	struct gen *g = calloc(1, sizeof(*g));
	assert_non_null(g);
	g->base.ops = &gen_ops;
	vigil_buf_init(&g->chunk, (size_t)2 << 20);
	g->fill = malloc((size_t)1 << 20);
	assert_non_null(g->fill);
	g->tar_md = EVP_MD_CTX_new();
	g->gz_md = EVP_MD_CTX_new();
	assert_int_equal(EVP_DigestInit_ex(g->tar_md, EVP_sha256(), NULL), 1);
	assert_int_equal(EVP_DigestInit_ex(g->gz_md, EVP_sha256(), NULL), 1);
	isal_deflate_init(&g->z);
	g->z.gzip_flag = IGZIP_GZIP;

	long before = max_rss_kb();
	vigil_istream *s;
	assert_int_equal(layer_stream_open(&g->base, "sha256", "sha256", &s), 0);
	struct big_state st = { 0 };
	vigil_buf_init(&st.data, (size_t)2 << 20);
	int rc = layer_tar_walk_stream(s, big_fn, &st);
	if (rc < 0)
		fail_msg("%s", vigil_error_message());
	long grown = max_rss_kb() - before;
	printf("200 MB layer: %u entries, %u read, %llu bytes of tar, peak memory grew by %ld KiB\n",
	       st.seen, st.read, (unsigned long long)s->nread, grown);
	assert_true(s->nread > BIG_TAR_BYTES);
	assert_true(st.seen > 1000);
	/* buffers: 2 x 512 KiB in, 2 x 1 MiB out, the 2 MiB data buffer, the
	 * generator's ~3 MiB, libarchive's own: far below the 200 MB */
	assert_true(grown < 64 * 1024);

	char b[VIGIL_LAYER_DIGEST_MAX], d[VIGIL_LAYER_DIGEST_MAX], want_b[VIGIL_LAYER_DIGEST_MAX],
		want_d[VIGIL_LAYER_DIGEST_MAX];
	assert_int_equal(layer_stream_digests(s, b, d), 0);
	md_hex(g->gz_md, want_b);
	md_hex(g->tar_md, want_d);
	assert_string_equal(b, want_b);
	assert_string_equal(d, want_d);
	vigil_istream_close(s);
	vigil_buf_free(&st.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_large_flat_memory), /* first: the peak memory is still low */
		cmocka_unit_test(test_real_pkgdb),
		cmocka_unit_test(test_sparse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
