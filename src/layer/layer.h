/* layer/layer.h: reading an image layer once, as a stream: raw bytes ->
 * decompressing, hashing stream (decomp.c) -> walk over its tar entries
 * (tarwalk.c). Nothing is unpacked to disk; memory stays flat whatever the
 * layer's size.
 *
 *   vigil_istream *raw, *tar;
 *   img_open_layer(img, i, &raw);
 *   if (layer_stream_open(raw, "sha256:<hex>", NULL, &tar) < 0) ... error set
 *   rc = layer_tar_walk_stream(tar, on_entry, &state); ... digest checked at the end
 *   vigil_istream_close(tar);
 *
 * The walk reads the stream to its very end, so a layer whose digest does
 * not match fails the walk with VIGIL_EDIGEST even when every entry was
 * fine. See docs/layers.md for the formats, limits and decisions. */
#ifndef VIGIL_LAYER_LAYER_H
#define VIGIL_LAYER_LAYER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/buf.h"
#include "util/stream.h"
#include "vigil/common.h"

/* ---- decompressing, hashing stream (decomp.c) ---- */

/* "sha512:" + 128 hex digits + NUL. */
#define VIGIL_LAYER_DIGEST_MAX 136
/* Size of each of the two compressed input buffers. */
#define VIGIL_LAYER_IN_BUF ((size_t)512 * 1024)
/* Size of each of the two decompressed output blocks (next_block). */
#define VIGIL_LAYER_OUT_BUF ((size_t)1024 * 1024)
/* zstd frames needing a larger window (zstd --long=28 and up) are refused:
 * 2^27 = 128 MiB is the most memory one layer's decoder may take. */
#define VIGIL_LAYER_ZSTD_MAX_WINDOW_LOG 27
/* Decompression bombs. A layer stream fails with VIGIL_ELIMIT "inflates
 * past N bytes" once its decompressed bytes go past VIGIL_LAYER_MAX_SIZE,
 * or (gzip, zstd) once they are over VIGIL_LAYER_RATIO_FLOOR and more than
 * VIGIL_LAYER_MAX_RATIO times the compressed bytes read so far. The largest
 * real layers (CUDA, ML toolkits) are tens of GiB at ratios under 10:1;
 * a deflate bomb is ~1000:1, a zstd one far more. See docs/layers.md. */
#define VIGIL_LAYER_MAX_SIZE ((uint64_t)64 << 30)
#define VIGIL_LAYER_MAX_RATIO 200
#define VIGIL_LAYER_RATIO_FLOOR ((uint64_t)1 << 30)
/* Hashing moves to a helper thread once this many bytes were hashed, so
 * that small layers never start a thread. */
#define VIGIL_LAYER_ASYNC_HASH_AFTER ((uint64_t)4 * 1024 * 1024)

/* Opens a stream of the decompressed bytes of raw (taken over: closed by
 * the returned stream's close, and on failure here). The compression is
 * sniffed from the first bytes: gzip (1f 8b, several members allowed),
 * zstd (28 b5 2f fd, several frames allowed), anything else is passed
 * through as an uncompressed tar (xz, bzip2 and lz4 magic numbers are
 * refused with VIGIL_EUNSUPPORTED).
 *
 * expect_blob is the digest of the bytes as stored, expect_diff the digest
 * of the decompressed bytes, each either NULL (not computed), an algorithm
 * alone ("sha256", "sha512": computed, not checked; see
 * layer_stream_digests) or "sha256:<64 hex>" / "sha512:<128 hex>"
 * (computed and checked). When the stream reaches its end, a mismatch makes
 * the last read fail with VIGIL_EDIGEST ("digest mismatch: manifest says
 * ..., content is ..."). Corrupt or truncated gzip/zstd data fails a read
 * with VIGIL_EFORMAT naming the format and the compressed offset.
 * Open reads the first bytes of raw, so it may fail with raw's error. */
int layer_stream_open(vigil_istream *raw, const char *expect_blob, const char *expect_diff,
			    vigil_istream **out);

/* "gzip", "zstd" or "none"; NULL when s is not a layer stream. */
const char *layer_stream_compression(vigil_istream *s);

/* Changes the caps of a layer stream (see VIGIL_LAYER_MAX_SIZE): max_size
 * (0: none) on the decompressed bytes, max_ratio (0: none) on decompressed
 * over compressed bytes once ratio_floor decompressed bytes were made.
 * VIGIL_EINVAL if s is not a layer stream. */
int layer_stream_set_limits(vigil_istream *s, uint64_t max_size, uint64_t max_ratio,
				  uint64_t ratio_floor);

/* Bytes of raw read so far (the compressed size once at the end). */
uint64_t layer_stream_raw_bytes(vigil_istream *s);
/* Decompressed bytes produced so far (the tar's size once at the end). */
uint64_t layer_stream_out_bytes(vigil_istream *s);

/* After the stream reached its end (a read returned 0 or VIGIL_EDIGEST):
 * copies the computed digests ("sha256:<hex>") to blob_out and diff_out
 * (VIGIL_LAYER_DIGEST_MAX bytes each; either may be NULL); a digest that
 * was not asked for is "". VIGIL_EINVAL before the end. */
int layer_stream_digests(vigil_istream *s, char *blob_out, char *diff_out);

/* Zero-copy read: points *p at the next block of decompressed bytes (at
 * most VIGIL_LAYER_OUT_BUF) held by the stream, valid until the next call
 * on s. Returns its length, 0 at the end, or a negative error (sticky, as
 * read). While the caller works on one block, the stream hashes the
 * previous one on a helper thread. VIGIL_EINVAL if s is not a layer stream. */
ssize_t layer_stream_next_block(vigil_istream *s, const void **p);

/* ---- tar walk (tarwalk.c) ---- */

/* Longest entry name or link target (before normalization). */
#define VIGIL_TAR_MAX_PATH 4096
/* Most entries one layer may hold. */
#define VIGIL_TAR_MAX_ENTRIES 5000000
/* Largest size an entry may declare: 64 TiB. */
#define VIGIL_TAR_MAX_ENTRY_SIZE ((int64_t)64 << 40)
/* Read buffer when the input is not a layer stream. */
#define VIGIL_TAR_READ_BUF ((size_t)1024 * 1024)

typedef enum {
	VIGIL_TAR_FILE,
	VIGIL_TAR_DIR,
	VIGIL_TAR_SYMLINK,
	VIGIL_TAR_HARDLINK,
	VIGIL_TAR_OTHER, /* device, fifo, socket */
} vigil_tar_type;

typedef struct vigil_tar_entry {
	const char *path;  /* normalized, NUL-terminated: "usr/bin/ls", never "" */
	size_t path_len;
	vigil_tar_type type;
	const char *link;  /* SYMLINK: target as stored (raw); HARDLINK: normalized
	                      path of the target in the layer; NULL otherwise */
	int64_t size;      /* declared data size (0 for links and folders) */
	uint32_t mode;     /* permission bits (& 07777) */
	int64_t uid, gid;  /* owner as stored (numeric) */
	int64_t mtime;     /* modification time (unix seconds) */
	const char *special; /* OTHER: "fifo", "character device", "block device",
	                        "socket" (for messages); NULL otherwise */
} vigil_tar_entry;

typedef struct vigil_tar_walk vigil_tar_walk;

/* Called for every entry but the layer root. e and its strings are valid
 * during the call only. A negative return stops the walk with that code. */
typedef int (*vigil_tar_fn)(void *ud, const vigil_tar_entry *e, vigil_tar_walk *w);

/* Walks every tar entry of in (not taken over: the caller closes it), then
 * reads in to its end (what follows the tar's end-of-archive blocks is
 * read and dropped), so that a layer stream checks its digests. Entries
 * fn does not read are skipped without a copy. Errors name the entry:
 * a stream error (digest, gzip, zstd, I/O) is returned as that error with
 * its message; tar damage is VIGIL_EFORMAT "tar: ..."; a name escaping the
 * layer root is VIGIL_EFORMAT "entry '<raw name>': path escapes the layer
 * root"; the limits above are VIGIL_ELIMIT. */
int layer_tar_walk_stream(vigil_istream *in, vigil_tar_fn fn, void *ud);

/* Inside fn: reads the current entry's whole data into out (reset first;
 * out->max is the cap: a larger entry fails with VIGIL_ELIMIT naming the
 * path, nothing read). Sparse files come out with their holes as zeros.
 * Once per entry (VIGIL_EINVAL on a second call). */
int layer_tar_read(vigil_tar_walk *w, vigil_buf *out);

/* Inside fn: the current entry's data as a stream (*out, closed by the
 * caller before fn returns; reading it after fn returned is VIGIL_EINVAL).
 * For files too large to hold: a jar, an executable. Sparse holes read as
 * zeros. Once per entry, instead of layer_tar_read(). */
int layer_tar_entry_stream(vigil_tar_walk *w, vigil_istream **out);

/* Normalizes a tar name (len bytes of raw) into out (at least len + 1
 * bytes): relative to the layer root, no leading "/" or "./", no empty or
 * "." components, no trailing "/"; "a/../b" is "b" (as Docker cleans
 * names). *out_len 0 is the root itself. A ".." that would climb above the
 * root is VIGIL_EFORMAT "path escapes the layer root" (the caller puts the
 * entry in front). */
int layer_tar_path_normalize(const char *raw, size_t len, char *out, size_t *out_len);

#endif
