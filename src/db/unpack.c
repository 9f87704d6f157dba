/* db/unpack.c: unpacking a downloaded feed archive (the OSV all.zip files,
 * the Ubuntu CVE tracker snapshot tarball) into a folder for the importer,
 * with libarchive. The archive is hostile input: a member whose path is
 * absolute or climbs out with ".." fails the archive, links and devices are
 * skipped (only folders and regular files are written, so nothing can point
 * outside), and the counts and sizes are capped (VIGIL_UNPACK_MAX_*). The
 * folder is built under a temp name and renamed into place when complete. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "db/fetch.h"
#include "util/error.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

bool db_unpack_is_archive(const char *name)
{
	static const char *const suffixes[] = { ".zip", ".tar", ".tar.gz", ".tgz", ".tar.zst",
						".tar.xz", ".tar.bz2" };
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (ends_with(name, suffixes[i]))
			return true;
	return false;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path) != 0 && errno != ENOENT ? -1 : 0;
}

int db_remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : vigil_error_set(VIGIL_EIO, "%s: %s", path, strerror(errno));
	if (nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS) != 0)
		return vigil_error_set(VIGIL_EIO, "cannot remove %s: %s", path, strerror(errno));
	return 0;
}

int db_mkdirs(const char *path)
{
	char buf[4096];
	size_t n = strlen(path);
	if (n == 0 || n >= sizeof(buf))
		return vigil_error_set(VIGIL_ELIMIT, "%s: path too long", path);
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(buf, 0700) != 0 && errno != EEXIST)
			return vigil_error_set(VIGIL_EIO, "cannot create %s: %s", buf, strerror(errno));
		*p = c;
		if (c == '\0')
			break;
	}
	return 0;
}

/* Checks a member's path and copies its components, '/'-joined, into out
 * ("." and empty components dropped). 0: keep it; 1: skip it (keep_dir
 * not in it, or nothing left); < 0: hostile. */
static int clean_path(const char *name, const char *keep_dir, char *out, size_t n, int *depth)
{
	size_t k = 0, len = strlen(name);
	bool kept = keep_dir == NULL;
	*depth = 0;
	if (len >= VIGIL_UNPACK_MAX_PATH)
		return vigil_error_set(VIGIL_ELIMIT, "member '%.100s...': path longer than %d bytes", name,
				       VIGIL_UNPACK_MAX_PATH);
	if (name[0] == '/')
		return vigil_error_set(VIGIL_EFORMAT, "member '%s': absolute path", name);
	for (const char *p = name; *p;) {
		const char *e = strchr(p, '/');
		size_t cl = e ? (size_t)(e - p) : strlen(p);
		if (cl == 2 && p[0] == '.' && p[1] == '.')
			return vigil_error_set(VIGIL_EFORMAT, "member '%s': '..' leaves the folder", name);
		if (cl > 0 && !(cl == 1 && p[0] == '.')) {
			if (++*depth > VIGIL_UNPACK_MAX_DEPTH)
				return vigil_error_set(VIGIL_ELIMIT, "member '%s': deeper than %d folders", name,
						       VIGIL_UNPACK_MAX_DEPTH);
			if (keep_dir && e && strlen(keep_dir) == cl && memcmp(p, keep_dir, cl) == 0)
				kept = true;
			if (k + cl + 2 > n)
				return vigil_error_set(VIGIL_ELIMIT, "member '%s': path too long", name);
			if (k)
				out[k++] = '/';
			memcpy(out + k, p, cl);
			k += cl;
		}
		p += cl;
		if (*p == '/')
			p++;
	}
	out[k] = '\0';
	return (k == 0 || !kept) ? 1 : 0;
}

/* Creates the folders of rel (all but its last component) under root;
 * returns an fd of the innermost, or < 0. Never follows a link. */
static int open_parent(int root, char *rel, const char **base)
{
	int fd = dup(root);
	char *p = rel, *slash;
	if (fd < 0)
		return vigil_error_set(VIGIL_EIO, "dup: %s", strerror(errno));
	while ((slash = strchr(p, '/'))) {
		*slash = '\0';
		if (mkdirat(fd, p, 0700) != 0 && errno != EEXIST) {
			int e = errno;
			*slash = '/';
			close(fd);
			return vigil_error_set(VIGIL_EIO, "%s: %s", rel, strerror(e));
		}
		int next = openat(fd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int e = errno;
		*slash = '/';
		close(fd);
		if (next < 0)
			return vigil_error_set(VIGIL_EFORMAT, "%s: not a folder (%s)", rel, strerror(e));
		fd = next;
		p = slash + 1;
	}
	*base = p;
	return fd;
}

struct totals {
	int64_t entries, bytes, files;
};

static int write_member(struct archive *a, int root, char *rel, struct totals *t, const char *archive)
{
	const char *base = NULL;
	int dir = open_parent(root, rel, &base), rc = 0;
	if (dir < 0)
		return dir;
	int fd = openat(dir, base, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = vigil_error_set(VIGIL_EIO, "%s: member %s: %s", archive, rel, strerror(errno));
		goto out;
	}
	int64_t size = 0;
	for (;;) {
		const void *buf;
		size_t len;
		la_int64_t off;
		int r = archive_read_data_block(a, &buf, &len, &off);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			rc = vigil_error_set(VIGIL_EFORMAT, "%s: member %s: %s", archive, rel, archive_error_string(a));
			goto out;
		}
		size += (int64_t)len;
		t->bytes += (int64_t)len;
		if (size > VIGIL_UNPACK_MAX_ENTRY || t->bytes > VIGIL_UNPACK_MAX_TOTAL) {
			rc = vigil_error_set(VIGIL_ELIMIT, "%s: member %s: over the limit of %lld bytes%s", archive, rel,
					     (long long)(size > VIGIL_UNPACK_MAX_ENTRY ? VIGIL_UNPACK_MAX_ENTRY : VIGIL_UNPACK_MAX_TOTAL),
					     size > VIGIL_UNPACK_MAX_ENTRY ? " for one member" : " for the archive");
			goto out;
		}
		/* sparse members: offsets only ever move forward here */
		for (const char *p = buf; len > 0;) {
			ssize_t w = pwrite(fd, p, len, (off_t)off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				rc = vigil_error_set(VIGIL_EIO, "%s: member %s: %s", archive, rel, strerror(errno));
				goto out;
			}
			p += w;
			off += w;
			len -= (size_t)w;
		}
	}
	t->files++;
out:
	if (fd >= 0 && close(fd) != 0 && rc == 0)
		rc = vigil_error_set(VIGIL_EIO, "%s: member %s: %s", archive, rel, strerror(errno));
	close(dir);
	return rc;
}

static int extract(struct archive *a, int root, const char *keep_dir, const char *archive, struct totals *t)
{
	struct archive_entry *e;
	char rel[VIGIL_UNPACK_MAX_PATH + 8];
	int r;
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		const char *name = archive_entry_pathname(e);
		int depth, rc;
		if (++t->entries > VIGIL_UNPACK_MAX_ENTRIES)
			return vigil_error_set(VIGIL_ELIMIT, "%s: more than %d members", archive, VIGIL_UNPACK_MAX_ENTRIES);
		if (!name)
			return vigil_error_set(VIGIL_EFORMAT, "%s: member %lld has no name", archive, (long long)t->entries);
		rc = clean_path(name, keep_dir, rel, sizeof(rel) - 4, &depth);
		if (rc < 0) {
			vigil_error_prefix("%s: ", archive);
			return rc;
		}
		mode_t type = archive_entry_filetype(e);
		if (rc == 1 || (type != AE_IFREG && type != AE_IFDIR) || archive_entry_hardlink(e))
			continue; /* not kept, or a link, device, fifo: never written */
		if (type == AE_IFDIR) {
			size_t k = strlen(rel);
			rel[k] = '/';
			rel[k + 1] = 'x';
			rel[k + 2] = '\0';
			const char *base;
			int fd = open_parent(root, rel, &base);
			if (fd < 0)
				return fd;
			close(fd);
			continue;
		}
		if ((rc = write_member(a, root, rel, t, archive)) < 0)
			return rc;
	}
	if (r != ARCHIVE_EOF)
		return vigil_error_set(VIGIL_EFORMAT, "%s: %s", archive, archive_error_string(a));
	return 0;
}

int db_unpack(const char *archive, const char *dest, const char *keep_dir, int64_t *files)
{
	struct archive *a = archive_read_new();
	struct totals t = { 0 };
	int root = -1, rc;
	*files = 0;
	if (!a)
		return vigil_error_oom();
	archive_read_support_filter_all(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, archive, 65536) != ARCHIVE_OK) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: not an archive vigil reads (%s)", archive, archive_error_string(a));
		goto out;
	}
	if (mkdir(dest, 0700) != 0) {
		rc = vigil_error_set(VIGIL_EIO, "cannot create %s: %s", dest, strerror(errno));
		goto out;
	}
	if ((root = open(dest, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		rc = vigil_error_set(VIGIL_EIO, "%s: %s", dest, strerror(errno));
		goto out;
	}
	rc = extract(a, root, keep_dir, archive, &t);
	if (rc == 0 && t.files == 0)
		rc = vigil_error_set(VIGIL_ENOTFOUND, "%s: no file%s%s%s in the archive", archive,
				     keep_dir ? " under a folder named '" : "", keep_dir ? keep_dir : "",
				     keep_dir ? "'" : "");
out:
	if (root >= 0)
		close(root);
	archive_read_free(a);
	if (rc < 0) {
		char msg[VIGIL_ERROR_MAX];
		snprintf(msg, sizeof(msg), "%s", vigil_error_message());
		int code = vigil_error_code();
		db_remove_tree(dest);
		vigil_error_set(code, "%s", msg);
	} else {
		*files = t.files;
	}
	return rc;
}
