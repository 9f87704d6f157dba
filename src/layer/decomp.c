/* layer/decomp.c: the decompressing, hashing layer stream (see layer.h).
 *
 * Raw bytes are read into two input buffers that alternate, hashed as read
 * (the blob digest), and decompressed with ISA-L (gzip, all members, trailer
 * CRC and size checked) or libzstd (all frames) straight into the reader's
 * buffer or into one of two output blocks (layer_stream_next_block),
 * which are hashed too (the diff digest). Uncompressed layers are read
 * straight through. Hashing is handed to the hasher (digest.c), which moves
 * it to a helper thread for large layers; a buffer is only refilled once
 * its hash is done. At the end the digests are checked.
 *
 * Decompression bombs: every decompressed byte is counted (out_total) and
 * the stream fails with VIGIL_ELIMIT "inflates past N bytes" once it goes
 * past max_out (an absolute cap, VIGIL_LAYER_MAX_SIZE by default), or past
 * max_ratio times the compressed bytes read so far once it is over
 * ratio_floor (VIGIL_LAYER_MAX_RATIO over VIGIL_LAYER_RATIO_FLOOR by
 * default): deflate gives at most ~1032:1 and zstd far more, so a bomb is
 * stopped after about ratio_floor bytes instead of being read to its end.
 * The bytes after the tar's end (drained to check the digests) count too. */
#include "layer/layer_priv.h"
#include "util/error.h"

#include <isa-l.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>
#include <zstd_errors.h>

/* Bytes sniffed at open: enough for the ustar magic at offset 257. */
#define SNIFF_LEN 512
#define STR_(x) #x
#define STR(x) STR_(x)

enum comp { COMP_NONE, COMP_GZIP, COMP_ZSTD };

struct slot {
	uint8_t *p;
	uint64_t ticket; /* hash job on p still to wait for */
};

struct layer_stream {
	vigil_istream base;
	vigil_istream *raw;
	enum comp comp;
	vigil_ldigest blob, diff;
	int diff_same;           /* none: diff is the blob digest (same algorithm) */
	vigil_hasher *hasher;
	struct slot in[2];
	int in_cur;
	size_t in_pos, in_len;   /* unread bytes of in[in_cur] */
	uint64_t raw_total;      /* bytes read from raw */
	int raw_eof;
	struct slot out[2];
	int out_cur;
	struct inflate_state *gz;
	ZSTD_DCtx *zd;
	int zframe_done;         /* the last zstd call ended a frame */
	uint64_t out_total;      /* decompressed bytes produced */
	uint64_t max_out;        /* cap on out_total (UINT64_MAX: none) */
	uint64_t max_ratio;      /* cap on out_total / raw_total past ratio_floor (0: none) */
	uint64_t ratio_floor;
	int ended;               /* the end was reached and the digests checked */
};

static const struct vigil_istream_ops layer_ops;

static struct layer_stream *as_layer(vigil_istream *s)
{
	return s && s->ops == &layer_ops ? (struct layer_stream *)s : NULL;
}

/* Offset in the raw stream of the next byte the decompressor will take. */
static uint64_t raw_offset(const struct layer_stream *ls)
{
	return ls->raw_total - (ls->in_len - ls->in_pos);
}

/* Moves to the other input buffer and fills it from raw. */
static int refill(struct layer_stream *ls)
{
	ls->in_cur ^= 1;
	struct slot *sl = &ls->in[ls->in_cur];
	layer_hasher_wait(ls->hasher, sl->ticket);
	sl->ticket = 0;
	ls->in_pos = ls->in_len = 0;
	ssize_t r = vigil_istream_read(ls->raw, sl->p, VIGIL_LAYER_IN_BUF);
	if (r < 0)
		return (int)r;
	if (r == 0) {
		ls->raw_eof = 1;
		return 0;
	}
	ls->in_len = (size_t)r;
	ls->raw_total += (uint64_t)r;
	sl->ticket = layer_hasher_submit(ls->hasher, ls->blob.ctx, NULL, sl->p, (size_t)r);
	return 0;
}

/* ---- gzip (ISA-L) ---- */

static const char *isal_reason(int ret)
{
	switch (ret) {
	case ISAL_INVALID_BLOCK: return "invalid deflate block";
	case ISAL_INVALID_SYMBOL: return "invalid deflate symbol";
	case ISAL_INVALID_LOOKBACK: return "invalid back-reference distance";
	case ISAL_INVALID_WRAPPER: return "invalid gzip header";
	case ISAL_UNSUPPORTED_METHOD: return "compression method is not deflate";
	case ISAL_INCORRECT_CHECKSUM: return "CRC or size in the gzip trailer does not match";
	case ISAL_NEED_DICT: return "stream needs a preset dictionary";
	default: return "corrupt data";
	}
}

/* Decompresses up to n bytes into dst; 0 at the clean end of the last member. */
static ssize_t gz_fill(struct layer_stream *ls, uint8_t *dst, size_t n)
{
	struct inflate_state *gz = ls->gz;
	size_t got = 0;
	int rc;

	if (n > UINT32_MAX)
		n = UINT32_MAX;
	while (got < n) {
		if (gz->block_state == ISAL_BLOCK_FINISH) {
			/* a member ended: another one, or the end */
			if (ls->in_pos == ls->in_len) {
				if (ls->raw_eof)
					break;
				if ((rc = refill(ls)) < 0)
					return rc;
				continue;
			}
			if (ls->in[ls->in_cur].p[ls->in_pos] != 0x1f)
				return vigil_error_set(VIGIL_EFORMAT,
						       "gzip: data after the last member at compressed offset %llu",
						       (unsigned long long)raw_offset(ls));
			isal_inflate_reset(gz);
			gz->crc_flag = ISAL_GZIP;
		}
		if (ls->in_pos == ls->in_len && !ls->raw_eof) {
			if ((rc = refill(ls)) < 0)
				return rc;
			continue;
		}
		uint32_t avail = (uint32_t)(ls->in_len - ls->in_pos);
		gz->next_in = ls->in[ls->in_cur].p + ls->in_pos;
		gz->avail_in = avail;
		gz->next_out = dst + got;
		gz->avail_out = (uint32_t)(n - got);
		int ret = isal_inflate(gz);
		size_t made = (size_t)(gz->next_out - (dst + got));
		if (gz->avail_in > avail)
			return vigil_error_set(VIGIL_EFORMAT, "gzip: decoder state error at compressed offset %llu",
					       (unsigned long long)raw_offset(ls));
		ls->in_pos += avail - gz->avail_in;
		got += made;
		if (ret != ISAL_DECOMP_OK)
			return vigil_error_set(VIGIL_EFORMAT, "gzip: %s at compressed offset %llu",
					       isal_reason(ret), (unsigned long long)raw_offset(ls));
		if (made == 0 && avail > 0 && gz->avail_in == avail &&
		    gz->block_state != ISAL_BLOCK_FINISH)
			return vigil_error_set(VIGIL_EFORMAT, "gzip: decoder stuck at compressed offset %llu",
					       (unsigned long long)raw_offset(ls));
		if (made == 0 && ls->in_pos == ls->in_len && ls->raw_eof &&
		    gz->block_state != ISAL_BLOCK_FINISH)
			return vigil_error_set(VIGIL_EFORMAT,
					       "gzip: truncated: the data ends inside a member at compressed offset %llu",
					       (unsigned long long)raw_offset(ls));
	}
	return (ssize_t)got;
}

/* ---- zstd ---- */

static ssize_t zstd_fill(struct layer_stream *ls, uint8_t *dst, size_t n)
{
	size_t got = 0;
	int rc;

	while (got < n) {
		if (ls->in_pos == ls->in_len && !ls->raw_eof) {
			if ((rc = refill(ls)) < 0)
				return rc;
			continue;
		}
		ZSTD_inBuffer zin = { ls->in[ls->in_cur].p, ls->in_len, ls->in_pos };
		ZSTD_outBuffer zout = { dst, n, got };
		size_t before = ls->in_pos;
		size_t r = ZSTD_decompressStream(ls->zd, &zout, &zin);
		size_t made = zout.pos - got;
		ls->in_pos = zin.pos;
		got = zout.pos;
		if (ZSTD_isError(r)) {
			int limit = ZSTD_getErrorCode(r) == ZSTD_error_frameParameter_windowTooLarge;
			return vigil_error_set(limit ? VIGIL_ELIMIT : VIGIL_EFORMAT,
					       "zstd: %s at compressed offset %llu%s", ZSTD_getErrorName(r),
					       (unsigned long long)raw_offset(ls),
					       limit ? " (window over 2^" STR(VIGIL_LAYER_ZSTD_MAX_WINDOW_LOG) ")" : "");
		}
		if (made == 0 && ls->in_pos == before) {
			if (before < ls->in_len)
				return vigil_error_set(VIGIL_EFORMAT, "zstd: decoder stuck at compressed offset %llu",
						       (unsigned long long)raw_offset(ls));
			/* no input left, nothing more came out */
			if (ls->zframe_done)
				break; /* the last frame ended */
			return vigil_error_set(VIGIL_EFORMAT,
					       "zstd: truncated: the data ends inside a frame at compressed offset %llu",
					       (unsigned long long)raw_offset(ls));
		}
		ls->zframe_done = r == 0;
	}
	return (ssize_t)got;
}

/* ---- none ---- */

static ssize_t none_fill(struct layer_stream *ls, uint8_t *dst, size_t n)
{
	if (ls->in_pos < ls->in_len) {
		size_t k = ls->in_len - ls->in_pos;
		if (k > n)
			k = n;
		memcpy(dst, ls->in[0].p + ls->in_pos, k);
		ls->in_pos += k;
		return (ssize_t)k;
	}
	if (ls->raw_eof)
		return 0;
	ssize_t r = vigil_istream_read(ls->raw, dst, n);
	if (r > 0)
		ls->raw_total += (uint64_t)r;
	else if (r == 0)
		ls->raw_eof = 1;
	return r;
}

/* The size caps, checked after each batch of decompressed bytes. */
static int check_size(struct layer_stream *ls)
{
	uint64_t raw = ls->raw_total ? ls->raw_total : 1;
	if (ls->out_total > ls->max_out)
		return vigil_error_set(VIGIL_ELIMIT, "inflates past %llu bytes (the layer size limit)",
				       (unsigned long long)ls->max_out);
	if (ls->max_ratio && ls->comp != COMP_NONE && ls->out_total > ls->ratio_floor &&
	    ls->out_total / ls->max_ratio > raw)
		return vigil_error_set(VIGIL_ELIMIT,
				       "inflates past %llu bytes from %llu compressed bytes: over %llu times "
				       "its compressed size (a decompression bomb?)",
				       (unsigned long long)ls->ratio_floor, (unsigned long long)ls->raw_total,
				       (unsigned long long)ls->max_ratio);
	return 0;
}

/* Decompressed bytes into dst, not hashed yet. */
static ssize_t produce(struct layer_stream *ls, uint8_t *dst, size_t n)
{
	ssize_t r;
	int rc;
	switch (ls->comp) {
	case COMP_GZIP: r = gz_fill(ls, dst, n); break;
	case COMP_ZSTD: r = zstd_fill(ls, dst, n); break;
	default: r = none_fill(ls, dst, n); break;
	}
	if (r <= 0)
		return r;
	ls->out_total += (uint64_t)r;
	if ((rc = check_size(ls)) < 0)
		return rc;
	return r;
}

/* Hashes decompressed bytes: into the diff digest, and for an uncompressed
 * layer into the blob digest too. */
static uint64_t hash_out(struct layer_stream *ls, const void *p, size_t n)
{
	EVP_MD_CTX *a = ls->diff_same ? NULL : ls->diff.ctx;
	EVP_MD_CTX *b = ls->comp == COMP_NONE ? ls->blob.ctx : NULL;
	return layer_hasher_submit(ls->hasher, a, b, p, n);
}

static int finish(struct layer_stream *ls)
{
	ls->ended = 1;
	layer_hasher_wait_all(ls->hasher);
	/* both are finished (and available) whatever the result; the blob's
	 * mismatch is the one reported */
	int rc = layer_ldigest_finish(&ls->blob, "manifest", "content");
	if (rc < 0 && rc != VIGIL_EDIGEST)
		return rc;
	char msg[VIGIL_ERROR_MAX] = "";
	if (rc < 0)
		snprintf(msg, sizeof(msg), "%s", vigil_error_message());
	int rc2;
	if (ls->diff_same)
		rc2 = layer_ldigest_finish_as(&ls->diff, &ls->blob, "config diff_id",
					      "uncompressed content");
	else
		rc2 = layer_ldigest_finish(&ls->diff, "config diff_id", "uncompressed content");
	if (rc < 0)
		return vigil_error_set(rc, "%s", msg);
	return rc2;
}

static ssize_t layer_read(vigil_istream *s, void *buf, size_t n)
{
	struct layer_stream *ls = (struct layer_stream *)s;
	if (ls->ended || n == 0)
		return 0;
	ssize_t r = produce(ls, buf, n);
	if (r < 0)
		return r;
	if (r == 0)
		return finish(ls);
	/* the caller's buffer is its own again once we return: hash it now */
	layer_hasher_wait(ls->hasher, hash_out(ls, buf, (size_t)r));
	return r;
}

ssize_t layer_stream_next_block(vigil_istream *s, const void **p)
{
	struct layer_stream *ls = as_layer(s);
	ssize_t r;
	if (!ls)
		return vigil_error_set(VIGIL_EINVAL, "not a layer stream");
	if (s->err)
		return s->err;
	if (ls->ended)
		return 0;
	if (ls->comp == COMP_NONE && ls->in_pos < ls->in_len) {
		/* the sniffed bytes: in[0] is not written again */
		*p = ls->in[0].p + ls->in_pos;
		r = (ssize_t)(ls->in_len - ls->in_pos);
		ls->in_pos = ls->in_len;
		ls->out_total += (uint64_t)r;
		ls->in[0].ticket = hash_out(ls, *p, (size_t)r);
		goto done;
	}
	ls->out_cur ^= 1;
	struct slot *sl = &ls->out[ls->out_cur];
	layer_hasher_wait(ls->hasher, sl->ticket);
	sl->ticket = 0;
	r = produce(ls, sl->p, VIGIL_LAYER_OUT_BUF);
	if (r == 0)
		r = finish(ls);
	if (r <= 0)
		goto done;
	sl->ticket = hash_out(ls, sl->p, (size_t)r);
	*p = sl->p;
done:
	if (r < 0)
		s->err = (int)r;
	else
		s->nread += (uint64_t)r;
	return r;
}

static void layer_close(vigil_istream *s)
{
	struct layer_stream *ls = (struct layer_stream *)s;
	layer_hasher_free(ls->hasher); /* waits for jobs on our buffers */
	for (int i = 0; i < 2; i++) {
		free(ls->in[i].p);
		free(ls->out[i].p);
	}
	free(ls->gz);
	ZSTD_freeDCtx(ls->zd);
	layer_ldigest_free(&ls->blob);
	layer_ldigest_free(&ls->diff);
	vigil_istream_close(ls->raw);
	free(ls);
}

static const struct vigil_istream_ops layer_ops = { layer_read, layer_close };

/* Reads the first bytes into in[0] and picks the decoder. */
static int sniff(struct layer_stream *ls)
{
	uint8_t *p = ls->in[0].p;
	while (ls->in_len < SNIFF_LEN) {
		ssize_t r = vigil_istream_read(ls->raw, p + ls->in_len, SNIFF_LEN - ls->in_len);
		if (r < 0)
			return (int)r;
		if (r == 0) {
			ls->raw_eof = 1;
			break;
		}
		ls->in_len += (size_t)r;
	}
	ls->raw_total = ls->in_len;
	size_t n = ls->in_len;
	int ustar = n >= 262 && memcmp(p + 257, "ustar", 5) == 0;
	/* zstd frames start with 28 b5 2f fd, skippable frames with 5? 2a 4d 18 */
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		ls->comp = COMP_GZIP;
	else if (n >= 4 && (memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0 ||
			    ((p[0] & 0xf0) == 0x50 && memcmp(p + 1, "\x2a\x4d\x18", 3) == 0)))
		ls->comp = COMP_ZSTD;
	else if (!ustar && n >= 6 && memcmp(p, "\xfd\x37zXZ\0", 6) == 0)
		return vigil_error_set(VIGIL_EUNSUPPORTED, "layer is xz-compressed: not supported (gzip, zstd or plain tar)");
	else if (!ustar && n >= 4 && memcmp(p, "BZh", 3) == 0 && p[3] >= '1' && p[3] <= '9')
		return vigil_error_set(VIGIL_EUNSUPPORTED, "layer is bzip2-compressed: not supported (gzip, zstd or plain tar)");
	else if (!ustar && n >= 4 && memcmp(p, "\x04\x22\x4d\x18", 4) == 0)
		return vigil_error_set(VIGIL_EUNSUPPORTED, "layer is lz4-compressed: not supported (gzip, zstd or plain tar)");
	else
		ls->comp = COMP_NONE;
	if (ls->comp != COMP_NONE && n)
		ls->in[0].ticket = layer_hasher_submit(ls->hasher, ls->blob.ctx, NULL, p, n);
	return 0;
}

static int decoder_init(struct layer_stream *ls)
{
	if (ls->comp == COMP_GZIP) {
		ls->gz = malloc(sizeof(*ls->gz));
		if (!ls->gz)
			return vigil_error_oom();
		isal_inflate_init(ls->gz);
		ls->gz->crc_flag = ISAL_GZIP;
	} else if (ls->comp == COMP_ZSTD) {
		ls->zd = ZSTD_createDCtx();
		if (!ls->zd)
			return vigil_error_oom();
		size_t r = ZSTD_DCtx_setParameter(ls->zd, ZSTD_d_windowLogMax,
						  VIGIL_LAYER_ZSTD_MAX_WINDOW_LOG);
		if (ZSTD_isError(r))
			return vigil_error_set(VIGIL_ERROR, "zstd: %s", ZSTD_getErrorName(r));
	}
	return 0;
}

int layer_stream_open(vigil_istream *raw, const char *expect_blob, const char *expect_diff,
			    vigil_istream **out)
{
	int rc;
	*out = NULL;
	struct layer_stream *ls = calloc(1, sizeof(*ls));
	if (!ls) {
		vigil_istream_close(raw);
		return vigil_error_oom();
	}
	ls->base.ops = &layer_ops;
	ls->raw = raw;
	ls->max_out = VIGIL_LAYER_MAX_SIZE;
	ls->max_ratio = VIGIL_LAYER_MAX_RATIO;
	ls->ratio_floor = VIGIL_LAYER_RATIO_FLOOR;
	if ((rc = layer_ldigest_init(&ls->blob, expect_blob, "layer blob")) < 0 ||
	    (rc = layer_ldigest_init(&ls->diff, expect_diff, "layer diff_id")) < 0)
		goto fail;
	if (!(ls->hasher = layer_hasher_new())) {
		rc = VIGIL_ENOMEM;
		goto fail;
	}
	for (int i = 0; i < 2; i++) {
		ls->in[i].p = malloc(VIGIL_LAYER_IN_BUF);
		ls->out[i].p = malloc(VIGIL_LAYER_OUT_BUF);
		if (!ls->in[i].p || !ls->out[i].p) {
			rc = vigil_error_oom();
			goto fail;
		}
	}
	if ((rc = sniff(ls)) < 0 || (rc = decoder_init(ls)) < 0)
		goto fail;
	/* an uncompressed layer: blob and diff are the same bytes */
	ls->diff_same = ls->comp == COMP_NONE && ls->blob.ctx && ls->diff.ctx &&
			strcmp(ls->blob.alg, ls->diff.alg) == 0;
	*out = &ls->base;
	return 0;
fail:
	layer_close(&ls->base);
	return rc;
}

const char *layer_stream_compression(vigil_istream *s)
{
	struct layer_stream *ls = as_layer(s);
	if (!ls)
		return NULL;
	switch (ls->comp) {
	case COMP_GZIP: return "gzip";
	case COMP_ZSTD: return "zstd";
	default: return "none";
	}
}

int layer_stream_set_limits(vigil_istream *s, uint64_t max_size, uint64_t max_ratio,
				  uint64_t ratio_floor)
{
	struct layer_stream *ls = as_layer(s);
	if (!ls)
		return vigil_error_set(VIGIL_EINVAL, "not a layer stream");
	ls->max_out = max_size ? max_size : UINT64_MAX;
	ls->max_ratio = max_ratio;
	ls->ratio_floor = ratio_floor;
	return check_size(ls);
}

uint64_t layer_stream_out_bytes(vigil_istream *s)
{
	struct layer_stream *ls = as_layer(s);
	return ls ? ls->out_total : 0;
}

uint64_t layer_stream_raw_bytes(vigil_istream *s)
{
	struct layer_stream *ls = as_layer(s);
	return ls ? ls->raw_total : 0;
}

int layer_stream_digests(vigil_istream *s, char *blob_out, char *diff_out)
{
	struct layer_stream *ls = as_layer(s);
	if (!ls)
		return vigil_error_set(VIGIL_EINVAL, "not a layer stream");
	if (!ls->ended)
		return vigil_error_set(VIGIL_EINVAL, "layer digests: the stream has not reached its end");
	if (blob_out)
		memcpy(blob_out, ls->blob.result, VIGIL_LAYER_DIGEST_MAX);
	if (diff_out)
		memcpy(diff_out, ls->diff.result, VIGIL_LAYER_DIGEST_MAX);
	return 0;
}
