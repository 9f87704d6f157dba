/* indexer/rootfs.c: reading an unpacked root filesystem (dir:PATH) as if it
 * were one layer.
 *
 * Only the database and release paths are looked at, never the whole tree.
 * Each path is opened one component at a time with O_NOFOLLOW from the root
 * folder's descriptor, so a symlink in the image (absolute or with "..")
 * can never lead to the host's files: it is recorded as a SYMLINK artifact
 * and resolved inside the image by the coalescer, like a layer's. The
 * result's digest is the sha256 of the paths and bytes that were read.
 *
 * A database path that is not a regular file (a fifo, a device, a socket)
 * is never opened: it is recorded as a FILE that hides nothing below and
 * warned about. A file is opened with O_NONBLOCK and checked again with
 * fstat, so that one swapped for a fifo meanwhile cannot block the read. */
#include "indexer/layer_result.h"
#include "util/buf.h"
#include "util/digest.h"
#include "util/dirlist.h"
#include "util/error.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ROOTFS_MAX_DIR_ENTRIES 100000
#define ROOTFS_MAX_LINK 4096
#define VIGIL_TAR_MAX_PATH_ROOTFS 4097

struct rootfs {
	int rootfd;
	const char *root;
	vigil_layer_result *r;
	EVP_MD_CTX *md;
};

static int record(struct rootfs *fs, const char *path, vigil_art_kind kind, const char *target)
{
	vigil_layer_result *r = fs->r;
	for (size_t i = 0; i < r->nart; i++)
		if (strcmp(r->arts[i].path, path) == 0)
			return 0; /* a folder shared by two paths */
	return idx_layer_result_add_entry(r, path, strlen(path), kind, target);
}

static int read_fd(int fd, size_t max, const char *path, vigil_buf *out)
{
	char chunk[65536];
	vigil_buf_reset(out);
	out->max = max;
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return vigil_error_set(VIGIL_EIO, "%s: %s", path, strerror(errno));
		if (n == 0)
			return 0;
		int rc = vigil_buf_append(out, chunk, (size_t)n);
		if (rc < 0)
			return vigil_error_set(rc, "%s: larger than the limit of %zu bytes", path, max);
	}
}

static int hash_file(struct rootfs *fs, const char *path, const vigil_buf *data)
{
	if (EVP_DigestUpdate(fs->md, path, strlen(path) + 1) != 1 ||
	    EVP_DigestUpdate(fs->md, data->data ? data->data : "", data->len) != 1)
		return vigil_error_set(VIGIL_ERROR, "sha256 failed");
	return 0;
}

static int read_db(struct rootfs *fs, int dirfd, const char *name, const char *path,
		   vigil_dbkind kind, vigil_buf *buf)
{
	struct stat st;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return vigil_error_set(VIGIL_EIO, "%s/%s: %s", fs->root, path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return vigil_error_set(VIGIL_EIO, "%s/%s: changed while being read (no longer a regular file)",
				       fs->root, path);
	}
	int rc = read_fd(fd, idx_dbkind_max_size(kind), path, buf);
	close(fd);
	if (rc == 0)
		rc = hash_file(fs, path, buf);
	if (rc == 0)
		rc = idx_layer_result_add_file(fs->r, path, kind, buf->data ? buf->data : "", buf->len);
	return rc;
}

static int special_warning(struct rootfs *fs, const char *path, mode_t mode)
{
	char msg[VIGIL_TAR_MAX_PATH_ROOTFS + 4200];
	const char *what = S_ISFIFO(mode) ? "fifo" : S_ISCHR(mode) ? "character device" :
			   S_ISBLK(mode) ? "block device" : S_ISSOCK(mode) ? "socket" :
			   S_ISDIR(mode) ? "folder" : "special file";
	snprintf(msg, sizeof(msg), "dir:%s: %s is a %s, not a regular file: not read", fs->root, path,
		 what);
	return idx_layer_result_warn(fs->r, msg);
}

/* Looks at one entry (name, in the folder dirfd, at image path) and records
 * what it is. *sub gets a descriptor when it is a folder to go into. */
static int visit(struct rootfs *fs, int dirfd, const char *name, const char *path,
		 vigil_dbkind kind, bool last, vigil_buf *buf, int *sub)
{
	struct stat st;
	*sub = -1;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		return vigil_error_set(VIGIL_EIO, "%s/%s: %s", fs->root, path, strerror(errno));
	}
	if (S_ISLNK(st.st_mode)) {
		char target[ROOTFS_MAX_LINK + 1];
		ssize_t n = readlinkat(dirfd, name, target, ROOTFS_MAX_LINK);
		if (n < 0)
			return vigil_error_set(VIGIL_EIO, "%s/%s: %s", fs->root, path, strerror(errno));
		target[n] = '\0';
		return record(fs, path, VIGIL_ART_SYMLINK, target);
	}
	if (last && kind != VIGIL_DB_NONE) {
		if (!S_ISREG(st.st_mode)) {
			int rc = special_warning(fs, path, st.st_mode);
			return rc < 0 ? rc : record(fs, path, VIGIL_ART_FILE, NULL);
		}
		return read_db(fs, dirfd, name, path, kind, buf);
	}
	if (!S_ISDIR(st.st_mode))
		return record(fs, path, VIGIL_ART_FILE, NULL);
	int rc = record(fs, path, VIGIL_ART_DIR, NULL);
	if (rc < 0)
		return rc;
	*sub = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (*sub < 0)
		return vigil_error_set(VIGIL_EIO, "%s/%s: %s", fs->root, path, strerror(errno));
	return 0;
}

/* Walks path component by component; *leaf gets the folder descriptor of
 * the last component when want_dir and it is a real folder. */
static int walk_path(struct rootfs *fs, const char *path, vigil_dbkind kind, bool want_dir,
		     vigil_buf *buf, int *leaf)
{
	char comp[256], sofar[VIGIL_TAR_MAX_PATH_ROOTFS];
	int dirfd = fs->rootfd, rc = 0;
	const char *p = path;
	size_t sofar_len = 0;
	*leaf = -1;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		bool last = !slash;
		memcpy(comp, p, n);
		comp[n] = '\0';
		memcpy(sofar + sofar_len, p - (sofar_len ? 1 : 0), n + (sofar_len ? 1 : 0));
		sofar_len += n + (sofar_len ? 1 : 0);
		sofar[sofar_len] = '\0';
		int sub;
		rc = visit(fs, dirfd, comp, sofar, last && !want_dir ? kind : VIGIL_DB_NONE, last, buf, &sub);
		if (dirfd != fs->rootfd)
			close(dirfd);
		dirfd = -1;
		if (rc < 0 || sub < 0)
			break;
		dirfd = sub;
		p = last ? p + n : slash + 1;
	}
	if (dirfd >= 0 && dirfd != fs->rootfd) {
		if (want_dir && rc == 0)
			*leaf = dirfd;
		else
			close(dirfd);
	}
	return rc;
}

static int read_db_dir(struct rootfs *fs, const vigil_db_path *d, vigil_buf *buf)
{
	int dfd, rc = walk_path(fs, d->path, VIGIL_DB_NONE, true, buf, &dfd);
	if (rc < 0 || dfd < 0)
		return rc;
	DIR *dir = fdopendir(dfd);
	vigil_dirlist l = { 0 };
	if (!dir) {
		close(dfd);
		return vigil_error_set(VIGIL_EIO, "%s/%s: %s", fs->root, d->path, strerror(errno));
	}
	/* sorted, so that the digest does not depend on the folder's order */
	rc = vigil_dirlist_read(dir, d->path, ROOTFS_MAX_DIR_ENTRIES, &l);
	for (size_t i = 0; i < l.n && rc == 0; i++) {
		char path[VIGIL_TAR_MAX_PATH_ROOTFS];
		vigil_dbkind kind;
		int sub;
		snprintf(path, sizeof(path), "%s/%s", d->path, l.names[i]);
		if (idx_path_classify(path, strlen(path), &kind) != VIGIL_PATH_DB || kind != d->kind)
			continue; /* status.d/NAME.md5sums */
		rc = visit(fs, dirfd(dir), l.names[i], path, d->kind, true, buf, &sub);
		if (sub >= 0)
			close(sub);
	}
	vigil_dirlist_free(&l);
	closedir(dir);
	return rc;
}

int idx_layer_scan_rootfs(const char *root, vigil_layer_result **out)
{
	struct rootfs fs = { .rootfd = -1, .root = root };
	vigil_buf buf;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int rc;

	*out = NULL;
	vigil_buf_init(&buf, VIGIL_MAX_RELEASE_FILE);
	rc = idx_layer_result_new(NULL, &fs.r);
	if (rc < 0)
		goto out;
	fs.rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fs.rootfd < 0) {
		rc = vigil_error_set(errno == ENOENT ? VIGIL_ENOTFOUND : VIGIL_EIO, "%s: %s", root,
				     strerror(errno));
		goto out;
	}
	fs.md = EVP_MD_CTX_new();
	if (!fs.md || EVP_DigestInit_ex(fs.md, EVP_sha256(), NULL) != 1) {
		rc = vigil_error_set(VIGIL_ERROR, "sha256 unavailable");
		goto out;
	}
	for (size_t i = 0; i < idx_db_file_count && rc == 0; i++) {
		int leaf;
		rc = walk_path(&fs, idx_db_files[i].path, idx_db_files[i].kind, false, &buf, &leaf);
	}
	for (size_t i = 0; i < idx_db_dir_count && rc == 0; i++)
		rc = read_db_dir(&fs, &idx_db_dirs[i], &buf);
	if (rc < 0)
		goto out;
	if (EVP_DigestFinal_ex(fs.md, md, &mdlen) != 1) {
		rc = vigil_error_set(VIGIL_ERROR, "sha256 failed");
		goto out;
	}
	vigil_digest_format("sha256", md, mdlen, fs.r->digest);
	fs.r->compression = "none";
	*out = fs.r;
	fs.r = NULL;
out:
	if (rc < 0 && fs.r)
		vigil_error_prefix("dir:%s: ", root);
	idx_layer_result_free(fs.r);
	EVP_MD_CTX_free(fs.md);
	if (fs.rootfd >= 0)
		close(fs.rootfd);
	vigil_buf_free(&buf);
	return rc;
}
