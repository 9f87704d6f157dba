/* image/spool.c: a compressed archive (`docker save | gzip > x.tar.gz`,
 * what Trivy's --input and many CI caches hold) read as a docker-archive
 * or oci-archive. The tar index needs random access, which gzip and zstd
 * do not give, so the archive is decompressed once, as a stream, into a
 * file of $TMPDIR (else /var/tmp) that is unlinked at once and read like
 * the file the user gave (as engine.c does for an engine's answer). The
 * decompressor is the layers' (layer/decomp.c): gzip and zstd, with the
 * decompression-bomb caps of VIGIL_IMAGE_MAX_ENGINE_ARCHIVE bytes and the
 * layers' ratio rule. */
#include "image/image_priv.h"
#include "layer/layer.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 1 when the file starts with the gzip or zstd magic. */
int img_archive_compressed(int fd)
{
	unsigned char m[4];
	ssize_t n = pread(fd, m, sizeof(m), 0);
	if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b)
		return 1;
	return n == 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd;
}

static int spool_fd(const char *what, int *out)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	if (!dir || !*dir)
		dir = "/var/tmp";
	int w = snprintf(path, sizeof(path), "%s/vigil-archive-XXXXXX", dir);
	if (w < 0 || (size_t)w >= sizeof(path))
		return vigil_error_set(VIGIL_ELIMIT, "%s: TMPDIR=%.200s: path too long", what, dir);
	int fd = mkstemp(path);
	if (fd >= 0)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	if (fd < 0)
		return vigil_error_set(VIGIL_EIO, "%s: cannot make a temporary file in %s to decompress it into: %s",
				       what, dir, strerror(errno));
	unlink(path);
	*out = fd;
	return 0;
}

static int write_all(int fd, const void *p, size_t n, const char *what)
{
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return vigil_error_set(VIGIL_EIO, "%s: cannot write the decompressed archive: %s", what,
					       w < 0 ? strerror(errno) : "short write");
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int img_archive_decompress(vigil_image *img, const char *what)
{
	vigil_istream *raw = NULL, *s = NULL;
	uint64_t total = 0;
	int tmp = -1, rc;
	if ((rc = spool_fd(what, &tmp)) < 0)
		return rc;
	if ((rc = vigil_istream_from_fd_range(img->fd, 0, img->file_size, &raw)) < 0 ||
	    (rc = layer_stream_open(raw, NULL, NULL, &s)) < 0) {
		raw = NULL; /* taken over by layer_stream_open, even on failure */
		vigil_error_prefix("%s: ", what);
		goto out;
	}
	raw = NULL;
	layer_stream_set_limits(s, VIGIL_IMAGE_MAX_ENGINE_ARCHIVE, 200, (uint64_t)1 << 30);
	for (;;) {
		const void *p;
		ssize_t n = layer_stream_next_block(s, &p);
		if (n < 0) {
			rc = (int)n;
			vigil_error_prefix("%s: ", what);
			goto out;
		}
		if (n == 0)
			break;
		if ((rc = write_all(tmp, p, (size_t)n, what)) < 0)
			goto out;
		total += (uint64_t)n;
	}
	close(img->fd);
	img->fd = tmp;
	img->file_size = total;
	tmp = -1;
out:
	vigil_istream_close(s);
	vigil_istream_close(raw);
	if (tmp >= 0)
		close(tmp);
	return rc;
}
