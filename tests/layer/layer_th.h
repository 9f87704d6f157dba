/* tests/layer/layer_th.h: what the layer tests share (header-only, as each
 * test is one source file): building tar files in memory with libarchive's
 * writer or by hand (for headers no writer would produce), compressing them
 * (zlib gzip, ISA-L gzip, zstd), digests, and a walk that records every
 * entry it sees. */
#ifndef VIGIL_TESTS_LAYER_TH_H
#define VIGIL_TESTS_LAYER_TH_H

#include "helpers.h"
#include "layer/layer.h"
#include "util/buf.h"
#include "util/error.h"

#include <archive.h>
#include <archive_entry.h>
#include <isa-l.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#define TH_MAX ((size_t)1 << 30)

/* ---- tar writing with libarchive ---- */

static la_ssize_t th_tar_write_cb(struct archive *a, void *ud, const void *p, size_t n)
{
	(void)a;
	return vigil_buf_append(ud, p, n) < 0 ? -1 : (la_ssize_t)n;
}

typedef struct th_tar {
	struct archive *a;
	vigil_buf out;
} th_tar;

/* format: ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, _GNUTAR, _USTAR ... */
static inline void th_tar_begin(th_tar *t, int format)
{
	vigil_buf_init(&t->out, TH_MAX);
	t->a = archive_write_new();
	assert_non_null(t->a);
	assert_int_equal(archive_write_set_format(t->a, format), ARCHIVE_OK);
	assert_int_equal(archive_write_set_bytes_in_last_block(t->a, 1), ARCHIVE_OK);
	assert_int_equal(archive_write_open(t->a, &t->out, NULL, th_tar_write_cb, NULL), ARCHIVE_OK);
}

static inline void th_tar_add(th_tar *t, const char *path, unsigned type, unsigned perm,
			      const char *link, int hard, const void *data, size_t len)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_copy_pathname(e, path);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, perm);
	archive_entry_set_mtime(e, 1700000000, 0);
	if (link && hard)
		archive_entry_copy_hardlink(e, link);
	else if (link)
		archive_entry_copy_symlink(e, link);
	archive_entry_set_size(e, type == AE_IFREG && !hard ? (la_int64_t)len : 0);
	int r = archive_write_header(t->a, e);
	if (r != ARCHIVE_OK && r != ARCHIVE_WARN) /* WARN: a name not in UTF-8, kept as bytes */
		fail_msg("archive_write_header %s: %s", path, archive_error_string(t->a));
	if (type == AE_IFREG && !hard && len)
		assert_int_equal(archive_write_data(t->a, data, len), (la_ssize_t)len);
	archive_entry_free(e);
}

static inline void th_tar_file(th_tar *t, const char *path, const char *text)
{
	th_tar_add(t, path, AE_IFREG, 0644, NULL, 0, text, strlen(text));
}

/* Ends the archive; the bytes are in t->out (the caller frees them). */
static inline void th_tar_end(th_tar *t)
{
	assert_int_equal(archive_write_close(t->a), ARCHIVE_OK);
	archive_write_free(t->a);
	t->a = NULL;
}

/* ---- hand-made ustar headers ---- */

static inline void th_octal(char *field, size_t width, uint64_t v)
{
	snprintf(field, width, "%0*llo", (int)width - 1, (unsigned long long)v);
}

/* A ustar header; size < 0 writes size_base256 as a base-256 size. */
static inline void th_ustar_header(uint8_t h[512], const char *name, char typeflag, int64_t size,
				   const char *link)
{
	memset(h, 0, 512);
	size_t n = strlen(name);
	memcpy(h, name, n > 100 ? 100 : n);
	th_octal((char *)h + 100, 8, 0644);
	th_octal((char *)h + 108, 8, 0);
	th_octal((char *)h + 116, 8, 0);
	th_octal((char *)h + 124, 12, size >= 0 ? (uint64_t)size : 0);
	th_octal((char *)h + 136, 12, 1700000000);
	h[156] = (uint8_t)typeflag;
	if (link)
		memcpy(h + 157, link, strlen(link) > 100 ? 100 : strlen(link));
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
}

/* Sets a base-256 size (12 bytes: 0x80 then big-endian). */
static inline void th_ustar_base256(uint8_t h[512], uint64_t size)
{
	h[124] = 0x80;
	for (int i = 0; i < 11; i++)
		h[135 - i] = i < 8 ? (uint8_t)(size >> (8 * i)) : 0;
}

static inline void th_ustar_checksum(uint8_t h[512])
{
	unsigned sum = 0;
	memset(h + 148, ' ', 8);
	for (int i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
}

/* Appends a header, data padded to 512, to b. */
static inline void th_ustar_append(vigil_buf *b, uint8_t h[512], const void *data, size_t len)
{
	static const uint8_t zero[512];
	th_ustar_checksum(h);
	assert_int_equal(vigil_buf_append(b, h, 512), 0);
	if (len) {
		assert_int_equal(vigil_buf_append(b, data, len), 0);
		assert_int_equal(vigil_buf_append(b, zero, (512 - len % 512) % 512), 0);
	}
}

static inline void th_ustar_end(vigil_buf *b)
{
	static const uint8_t zero[1024];
	assert_int_equal(vigil_buf_append(b, zero, sizeof(zero)), 0);
}

/* ---- compression ---- */

/* One gzip member (zlib) of p[0..n), appended to out. */
static inline void th_gzip(const void *p, size_t n, int level, vigil_buf *out)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
	uLong bound = deflateBound(&z, (uLong)n);
	char *o = malloc(bound);
	assert_non_null(o);
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)o;
	z.avail_out = (uInt)bound;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	assert_int_equal(vigil_buf_append(out, o, z.total_out), 0);
	deflateEnd(&z);
	free(o);
}

/* One gzip member made by ISA-L (as igzip does), appended to out. */
static inline void th_igzip(const void *p, size_t n, vigil_buf *out)
{
	struct isal_zstream z;
	size_t cap = n + n / 2 + 1024;
	uint8_t *o = malloc(cap);
	assert_non_null(o);
	isal_deflate_init(&z);
	z.gzip_flag = IGZIP_GZIP;
	z.end_of_stream = 1;
	z.flush = NO_FLUSH;
	z.next_in = (uint8_t *)(uintptr_t)p;
	z.avail_in = (uint32_t)n;
	z.next_out = o;
	z.avail_out = (uint32_t)cap;
	assert_int_equal(isal_deflate(&z), COMP_OK);
	assert_int_equal(z.internal_state.state, ZSTATE_END);
	assert_int_equal(vigil_buf_append(out, o, z.total_out), 0);
	free(o);
}

/* One zstd frame, appended to out. */
static inline void th_zstd(const void *p, size_t n, int level, vigil_buf *out)
{
	size_t cap = ZSTD_compressBound(n);
	void *o = malloc(cap);
	assert_non_null(o);
	size_t r = ZSTD_compress(o, cap, p, n, level);
	assert_false(ZSTD_isError(r));
	assert_int_equal(vigil_buf_append(out, o, r), 0);
	free(o);
}

/* ---- digests ---- */

static inline void th_sha(const char *alg, const void *p, size_t n, char out[VIGIL_LAYER_DIGEST_MAX])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	const EVP_MD *m = strcmp(alg, "sha512") == 0 ? EVP_sha512() : EVP_sha256();
	assert_int_equal(EVP_Digest(p, n, md, &len, m, NULL), 1);
	size_t o = (size_t)snprintf(out, VIGIL_LAYER_DIGEST_MAX, "%s:", alg);
	for (unsigned i = 0; i < len; i++) {
		out[o++] = hex[md[i] >> 4];
		out[o++] = hex[md[i] & 15];
	}
	out[o] = '\0';
}

/* ---- recording walk ---- */

#define TH_MAX_ENTRIES 64

typedef struct th_entry {
	char path[VIGIL_TAR_MAX_PATH + 1];
	size_t path_len;
	vigil_tar_type type;
	char link[VIGIL_TAR_MAX_PATH + 1];
	int has_link;
	int64_t size;
	uint32_t mode;
	const char *special; /* a static string of the walk's */
	char *data; /* read when th_walk.read_data, malloc'd */
	size_t data_len;
} th_entry;

typedef struct th_walk {
	int read_data;
	size_t read_max;
	int stop_at;    /* >0: fn returns VIGIL_ERROR at entry stop_at (1-based) */
	size_t n;
	th_entry e[TH_MAX_ENTRIES];
} th_walk;

static int th_walk_fn(void *ud, const vigil_tar_entry *e, vigil_tar_walk *w)
{
	th_walk *t = ud;
	if (t->stop_at && (int)t->n + 1 == t->stop_at)
		return vigil_error_set(VIGIL_ERROR, "stopped by the callback");
	if (t->n >= TH_MAX_ENTRIES)
		return 0;
	th_entry *r = &t->e[t->n++];
	assert_int_equal(strlen(e->path), e->path_len);
	memcpy(r->path, e->path, e->path_len + 1);
	r->path_len = e->path_len;
	r->type = e->type;
	r->special = e->special;
	r->has_link = e->link != NULL;
	if (e->link)
		snprintf(r->link, sizeof(r->link), "%s", e->link);
	r->size = e->size;
	r->mode = e->mode;
	if (t->read_data && e->type == VIGIL_TAR_FILE) {
		vigil_buf b;
		vigil_buf_init(&b, t->read_max ? t->read_max : TH_MAX);
		int rc = layer_tar_read(w, &b);
		if (rc < 0) {
			vigil_buf_free(&b);
			return rc;
		}
		r->data = vigil_buf_detach(&b, &r->data_len);
	}
	return 0;
}

static inline void th_walk_free(th_walk *t)
{
	for (size_t i = 0; i < t->n && i < TH_MAX_ENTRIES; i++)
		free(t->e[i].data);
	memset(t->e, 0, sizeof(t->e));
	t->n = 0;
}

static inline const th_entry *th_find(const th_walk *t, const char *path)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->e[i].path, path) == 0)
			return &t->e[i];
	return NULL;
}

/* Opens a layer stream over memory and walks it; returns the walk's code.
 * The stream is closed unless keep is given (then *keep gets it). */
static inline int th_walk_layer(const void *p, size_t n, const char *blob, const char *diff,
				th_walk *t, vigil_istream **keep)
{
	vigil_istream *raw, *s = NULL;
	if (keep)
		*keep = NULL;
	assert_int_equal(vigil_istream_from_mem(p, n, &raw), 0);
	int rc = layer_stream_open(raw, blob, diff, &s);
	if (rc < 0)
		return rc;
	rc = layer_tar_walk_stream(s, th_walk_fn, t);
	if (keep)
		*keep = s;
	else
		vigil_istream_close(s);
	return rc;
}

static inline void th_assert_msg(const char *needle)
{
	if (!strstr(vigil_error_message(), needle))
		fail_msg("error message '%s' lacks '%s'", vigil_error_message(), needle);
}

#endif
