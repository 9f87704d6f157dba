/* feed/bz2.c: in-memory bzip2 decompression with an output cap (see
 * feed/bz2.h), streaming through libbz2 so that the cap is checked as the
 * output grows, never after. */
#include "feed/bz2.h"
#include "feed/outbuf.h"
#include "util/error.h"

#include <bzlib.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The output grows through feed_out_grow() (feed/outbuf.h); the input is
 * fed in chunks of at most UINT_MAX, as bz_stream counts in unsigned int. */

static int bz_error(int bzrc, size_t offset)
{
	switch (bzrc) {
	case BZ_MEM_ERROR:
		return vigil_error_oom();
	case BZ_DATA_ERROR_MAGIC:
		return vigil_error_set(VIGIL_EFORMAT, "bzip2: offset %zu: not a bzip2 stream", offset);
	case BZ_DATA_ERROR:
		return vigil_error_set(VIGIL_EFORMAT, "bzip2: offset %zu: corrupt data", offset);
	default:
		return vigil_error_set(VIGIL_EFORMAT, "bzip2: offset %zu: error %d", offset, bzrc);
	}
}

int feed_bunzip2(const char *data, size_t len, size_t max, char **out, size_t *outlen)
{
	bz_stream bz;
	char *buf = NULL;
	size_t alloc = 0, used = 0, in_off = 0;
	int rc = 0, bzrc = BZ_OK;
	bool open = false;

	*out = NULL;
	*outlen = 0;
	if (!data && len)
		return vigil_error_set(VIGIL_EINVAL, "bzip2: no input");
	if (len == 0)
		return vigil_error_set(VIGIL_EFORMAT, "bzip2: empty input");
	if (max > SIZE_MAX / 2)
		max = SIZE_MAX / 2;
	for (;;) {
		if (!open) {
			memset(&bz, 0, sizeof(bz));
			if ((bzrc = BZ2_bzDecompressInit(&bz, 0, 0)) != BZ_OK) {
				rc = bz_error(bzrc, in_off);
				goto out;
			}
			open = true;
		}
		if (used == alloc && (rc = feed_out_grow(&buf, &alloc, used, max)) < 0)
			goto out;
		size_t in_n = len - in_off, out_n = alloc - used;
		bz.next_in = (char *)(uintptr_t)(data + in_off);
		bz.avail_in = in_n > UINT_MAX ? UINT_MAX : (unsigned)in_n;
		bz.next_out = buf + used;
		bz.avail_out = out_n > UINT_MAX ? UINT_MAX : (unsigned)out_n;
		unsigned in_before = bz.avail_in, out_before = bz.avail_out;
		bzrc = BZ2_bzDecompress(&bz);
		in_off += in_before - bz.avail_in;
		used += out_before - bz.avail_out;
		if (used > max) {
			rc = vigil_error_set(VIGIL_ELIMIT, "bzip2: output larger than %zu bytes", max);
			goto out;
		}
		if (bzrc == BZ_STREAM_END) {
			BZ2_bzDecompressEnd(&bz);
			open = false;
			if (in_off == len)
				break;
			continue; /* another stream follows (pbzip2) */
		}
		if (bzrc != BZ_OK) {
			rc = bz_error(bzrc, in_off);
			goto out;
		}
		if (bz.avail_in == in_before && bz.avail_out == out_before) {
			rc = vigil_error_set(VIGIL_EFORMAT, "bzip2: truncated at offset %zu", in_off);
			goto out;
		}
		if (in_off == len && bz.avail_out > 0) {
			rc = vigil_error_set(VIGIL_EFORMAT, "bzip2: truncated at offset %zu", in_off);
			goto out;
		}
	}
	if (!buf && (buf = malloc(1)) == NULL) {
		rc = vigil_error_oom();
		goto out;
	}
	buf[used] = '\0';
	*out = buf;
	*outlen = used;
	buf = NULL;
out:
	if (open)
		BZ2_bzDecompressEnd(&bz);
	free(buf);
	return rc;
}
