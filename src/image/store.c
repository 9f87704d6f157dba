/* image/store.c: the blob store the OCI and docker-archive resolvers read
 * through: files of an OCI layout folder
 * (opened below its directory descriptor, never following a final symlink)
 * or members of a tar archive (img_tar_lookup over the archive's index),
 * read whole under a size cap and, for blobs, checked against their
 * descriptor's size and digest. ref.c (the front door) and the resolvers
 * call it; it calls neither. */
#include "image/image_priv.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the blob store ---- */

ssize_t img_fd_read_at(void *ud, void *buf, size_t n, uint64_t off)
{
	int fd = *(int *)ud;
	size_t got = 0;
	while (got < n) {
		ssize_t r = pread(fd, (char *)buf + got, n - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return vigil_error_set(VIGIL_EIO, "read failed at offset %llu: %s",
					       (unsigned long long)(off + got), strerror(errno));
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

int img_store_open(vigil_image *img, const char *name, int *fd, uint64_t *size)
{
	struct stat st;
	*fd = openat(img->dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (*fd < 0)
		return vigil_error_set(errno == ENOENT ? VIGIL_ENOTFOUND : VIGIL_EIO, "%s/%s: %s",
				       img->where, name, errno == ELOOP ? "is a symbolic link" : strerror(errno));
	if (fstat(*fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(*fd);
		*fd = -1;
		return vigil_error_set(VIGIL_EFORMAT, "%s/%s: not a regular file", img->where, name);
	}
	*size = (uint64_t)st.st_size;
	return 0;
}

int img_store_stat(vigil_image *img, const char *name, uint64_t *size, uint64_t *offset)
{
	if (img->dirfd >= 0) {
		struct stat st;
		if (fstatat(img->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return vigil_error_set(errno == ENOENT ? VIGIL_ENOTFOUND : VIGIL_EIO, "%s/%s: %s",
					       img->where, name, strerror(errno));
		if (!S_ISREG(st.st_mode))
			return vigil_error_set(VIGIL_EFORMAT, "%s/%s: not a regular file", img->where, name);
		*size = (uint64_t)st.st_size;
		*offset = 0;
		return 0;
	}
	const img_tar_member *m;
	int rc = img_tar_lookup(&img->tar, img->where, name, &m);
	if (rc < 0)
		return rc;
	*size = m->size;
	*offset = m->offset;
	return 0;
}

int img_store_read(vigil_image *img, const char *name, size_t max, char **data, size_t *len)
{
	uint64_t size = 0, off = 0;
	int fd = -1, rc;
	char *buf = NULL;
	*data = NULL;
	*len = 0;
	if (img->dirfd >= 0)
		rc = img_store_open(img, name, &fd, &size);
	else
		rc = img_store_stat(img, name, &size, &off);
	if (rc < 0)
		return rc;
	if (size > max) {
		rc = vigil_error_set(VIGIL_ELIMIT, "%s: %s is %llu bytes (limit %zu)", img->where, name,
				     (unsigned long long)size, max);
		goto out;
	}
	if (!(buf = malloc((size_t)size + 1))) {
		rc = vigil_error_oom();
		goto out;
	}
	ssize_t r = img_fd_read_at(fd >= 0 ? &fd : &img->fd, buf, (size_t)size, off);
	if (r < 0) {
		rc = (int)r;
		vigil_error_prefix("%s: %s: ", img->where, name);
		goto out;
	}
	if ((uint64_t)r != size) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: %s: file is shorter than %llu bytes", img->where,
				     name, (unsigned long long)size);
		goto out;
	}
	buf[size] = '\0';
	*data = buf;
	*len = (size_t)size;
	buf = NULL;
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return rc;
}

int img_store_read_blob(vigil_image *img, const img_desc *d, char **data, size_t *len)
{
	char path[VIGIL_DIGEST_MAX + 16];
	int rc;
	*data = NULL;
	if (d->size > VIGIL_IMAGE_MAX_JSON_SIZE)
		return vigil_error_set(VIGIL_ELIMIT, "%s: %s: descriptor size %llu is over the JSON limit %u",
				       img->where, d->digest, (unsigned long long)d->size, VIGIL_IMAGE_MAX_JSON_SIZE);
	img_blob_path(d->digest, path, sizeof(path));
	if ((rc = img_store_read(img, path, VIGIL_IMAGE_MAX_JSON_SIZE, data, len)) < 0) {
		if (rc == VIGIL_ELIMIT)
			rc = vigil_error_set(VIGIL_EDIGEST, "%s: %s is bigger than its descriptor says (%llu bytes)",
					     img->where, path, (unsigned long long)d->size);
		return rc;
	}
	char what[VIGIL_TAR_MAX_NAME + sizeof(path) + 2];
	snprintf(what, sizeof(what), "%s/%s", img->where, path);
	if (*len != d->size)
		rc = vigil_error_set(VIGIL_EDIGEST, "%s: %zu bytes, its descriptor says %llu", what, *len,
				     (unsigned long long)d->size);
	else
		rc = vigil_digest_verify(d->digest, *data, *len, what);
	if (rc < 0) {
		free(*data);
		*data = NULL;
	}
	return rc;
}
