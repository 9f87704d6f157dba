/* feed/gz.c: in-memory gzip decompression with an output cap (see
 * feed/gz.h), through zlib's inflate with gzip headers (windowBits 16+15),
 * the cap checked as the output grows. Members back to back (as pigz and
 * `cat a.gz b.gz` write them) are all read, as gzip(1) reads them. */
#include "feed/gz.h"
#include "feed/outbuf.h"
#include "util/error.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

bool feed_is_gzip(const char *data, size_t len)
{
	return len >= 2 && (unsigned char)data[0] == 0x1f && (unsigned char)data[1] == 0x8b;
}

int feed_gunzip(const char *data, size_t len, size_t max, char **out, size_t *outlen)
{
	z_stream z;
	char *buf = NULL;
	size_t alloc = 0, used = 0, in_off = 0;
	int rc = 0, zrc = Z_OK;
	bool open = false;

	*out = NULL;
	*outlen = 0;
	if (!feed_is_gzip(data, len))
		return vigil_error_set(VIGIL_EFORMAT, "gzip: not a gzip stream");
	if (max > SIZE_MAX / 2)
		max = SIZE_MAX / 2;
	for (;;) {
		if (!open) {
			memset(&z, 0, sizeof(z));
			if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
				rc = vigil_error_oom();
				goto out;
			}
			open = true;
		}
		if (used == alloc && (rc = feed_out_grow(&buf, &alloc, used, max)) < 0)
			goto out;
		size_t in_n = len - in_off, out_n = alloc - used;
		z.next_in = (Bytef *)(uintptr_t)(data + in_off);
		z.avail_in = in_n > UINT_MAX ? UINT_MAX : (unsigned)in_n;
		z.next_out = (Bytef *)buf + used;
		z.avail_out = out_n > UINT_MAX ? UINT_MAX : (unsigned)out_n;
		unsigned in_before = z.avail_in, out_before = z.avail_out;
		zrc = inflate(&z, Z_NO_FLUSH);
		in_off += in_before - z.avail_in;
		used += out_before - z.avail_out;
		if (used > max) {
			rc = vigil_error_set(VIGIL_ELIMIT, "gzip: more than %zu bytes once decompressed", max);
			goto out;
		}
		if (zrc == Z_STREAM_END) {
			inflateEnd(&z);
			open = false;
			if (in_off == len || !feed_is_gzip(data + in_off, len - in_off))
				break; /* trailing garbage after a member is ignored, as gzip -d warns and stops */
			continue;
		}
		if (zrc == Z_MEM_ERROR) {
			rc = vigil_error_oom();
			goto out;
		}
		if (zrc != Z_OK && zrc != Z_BUF_ERROR) {
			rc = vigil_error_set(VIGIL_EFORMAT, "gzip: offset %zu: corrupt data", in_off);
			goto out;
		}
		if (in_off == len && z.avail_out != 0) {
			rc = vigil_error_set(VIGIL_EFORMAT, "gzip: offset %zu: truncated", in_off);
			goto out;
		}
	}
	if (!buf && (rc = feed_out_grow(&buf, &alloc, 0, max)) < 0)
		goto out;
	buf[used] = '\0';
	*out = buf;
	*outlen = used;
	buf = NULL;
out:
	if (open)
		inflateEnd(&z);
	free(buf);
	return rc;
}
