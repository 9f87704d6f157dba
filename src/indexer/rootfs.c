/* indexer/rootfs.c: reading an unpacked root filesystem (dir:PATH) as if it
 * were one layer.
 *
 * The database and release paths are looked at first, each on its own.
 * Then the whole tree is walked for language package files, which live
 * anywhere: the same classifiers as the tar walk (idx_path_classify for
 * names, idx_lang_is_executable for modes); a folder is entered with
 * O_NOFOLLOW from its parent's descriptor and a symlink is never followed
 * (one named like a language file is recorded, as a layer's would be).
 * Limits: ROOTFS_MAX_DEPTH folders deep, ROOTFS_MAX_WALK entries in all,
 * ROOTFS_MAX_DIR_ENTRIES in one folder; past one, a warning and the rest of
 * that part is not read. Whole-file kinds are read into memory (at most
 * their kind's max_size, else a warning), streamed kinds (archives,
 * executables) through a pread stream over the open file. The walk's digest
 * takes the bytes of what is read whole, and the path, size and mtime of
 * what is streamed (a parser need not read all of it).
 *
 * Each database path is opened one component at a time with O_NOFOLLOW from the root
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
#define ROOTFS_MAX_DEPTH 64
#define ROOTFS_MAX_WALK 5000000
#define ROOTFS_MAX_LINK 4096
#define VIGIL_TAR_MAX_PATH_ROOTFS 4097

struct rootfs {
	int rootfd;
	const char *root;
	vigil_layer_result *r;
	EVP_MD_CTX *md;
	size_t walked;      /* entries seen by the language walk */
	bool walk_warned;   /* the walk's limit was told */
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

/* ---- the language walk ---- */

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every name of the folder (dot files too: node_modules/.package-lock.json,
 * .venv), sorted; VIGIL_ELIMIT past ROOTFS_MAX_DIR_ENTRIES. */
static int list_dir(int fd, vigil_dirlist *l)
{
	int dfd = dup(fd); /* closedir closes it; fd stays for the entries */
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *e;
	size_t cap = 0;
	int rc = 0;
	memset(l, 0, sizeof(*l));
	if (!d) {
		rc = vigil_error_set(VIGIL_EIO, "%s", strerror(errno));
		if (dfd >= 0)
			close(dfd);
		return rc;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (l->n >= ROOTFS_MAX_DIR_ENTRIES) {
			rc = vigil_error_set(VIGIL_ELIMIT, "more than %d entries", ROOTFS_MAX_DIR_ENTRIES);
			break;
		}
		if (l->n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			char **nn = realloc(l->names, ncap * sizeof(*nn));
			if (!nn) {
				rc = vigil_error_oom();
				break;
			}
			l->names = nn;
			cap = ncap;
		}
		if (!(l->names[l->n] = strdup(e->d_name))) {
			rc = vigil_error_oom();
			break;
		}
		l->n++;
	}
	closedir(d);
	if (rc == 0 && l->n)
		qsort(l->names, l->n, sizeof(*l->names), cmp_name);
	return rc;
}

static int walk_warn(struct rootfs *fs, const char *path, const char *why)
{
	char msg[VIGIL_TAR_MAX_PATH_ROOTFS + 512];
	snprintf(msg, sizeof(msg), "dir:%s: %s: %s: not read for language packages", fs->root,
		 path[0] ? path : ".", why);
	return idx_layer_result_warn(fs->r, msg);
}

/* A language file too large for its kind: told, kept without packages. */
static int walk_too_large(struct rootfs *fs, const char *path, const struct stat *st,
			  vigil_dbkind kind)
{
	char why[128];
	snprintf(why, sizeof(why), "%lld bytes (limit %zu)", (long long)st->st_size,
		 idx_dbkind_max_size(kind));
	int rc = walk_warn(fs, path, why);
	return rc < 0 ? rc : idx_layer_result_add_entry(fs->r, path, strlen(path), VIGIL_ART_FILE, NULL);
}

/* Reads the regular file name (in dirfd, at path) as a language file of kind. */
static int walk_file(struct rootfs *fs, int dirfd, const char *name, const char *path,
		     vigil_dbkind kind, const struct stat *st, vigil_buf *buf)
{
	const idx_lang_kind *lk = idx_lang_kind_get(kind);
	struct stat fst;
	int rc;
	if ((uint64_t)st->st_size > idx_dbkind_max_size(kind))
		return walk_too_large(fs, path, st, kind);
	if (!lk || !lk->parse_stream)
		return read_db(fs, dirfd, name, path, kind, buf);
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return walk_warn(fs, path, strerror(errno));
	if (fstat(fd, &fst) < 0 || !S_ISREG(fst.st_mode)) {
		close(fd);
		return walk_warn(fs, path, "changed while being read (no longer a regular file)");
	}
	char meta[64];
	int n = snprintf(meta, sizeof(meta), "%lld %lld", (long long)fst.st_size,
			 (long long)fst.st_mtime);
	vigil_istream *in = NULL;
	if (EVP_DigestUpdate(fs->md, path, strlen(path) + 1) != 1 ||
	    EVP_DigestUpdate(fs->md, meta, (size_t)n) != 1)
		rc = vigil_error_set(VIGIL_ERROR, "sha256 failed");
	else if ((rc = vigil_istream_from_fd_range(fd, 0, (uint64_t)fst.st_size, &in)) == 0)
		rc = idx_layer_result_add_stream(fs->r, path, kind, in, (uint64_t)fst.st_size);
	vigil_istream_close(in);
	close(fd);
	return rc;
}

static int walk_dir(struct rootfs *fs, int fd, char *path, size_t plen, int depth, vigil_buf *buf);

/* One entry of a folder: a language file is read, a folder entered, a
 * symlink named like a language file recorded; the rest is passed by. */
static int walk_entry(struct rootfs *fs, int dirfd, const char *name, char *path, size_t plen,
		      int depth, vigil_buf *buf)
{
	struct stat st;
	vigil_dbkind kind;
	size_t nlen = strlen(name), len = plen + (plen ? 1 : 0) + nlen;
	if (len >= VIGIL_TAR_MAX_PATH_ROOTFS)
		return walk_warn(fs, path, "a path below is too long");
	if (plen)
		path[plen] = '/';
	memcpy(path + plen + (plen ? 1 : 0), name, nlen + 1);
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0; /* gone meanwhile */
	vigil_path_role role = idx_path_classify(path, len, &kind);
	bool lang = role == VIGIL_PATH_DB && idx_dbkind_is_lang(kind);
	if (S_ISDIR(st.st_mode)) {
		if (depth + 1 >= ROOTFS_MAX_DEPTH)
			return walk_warn(fs, path, "folders nested too deep");
		int sub = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			return walk_warn(fs, path, strerror(errno));
		return walk_dir(fs, sub, path, len, depth + 1, buf);
	}
	if (S_ISLNK(st.st_mode)) {
		char target[ROOTFS_MAX_LINK + 1];
		if (!lang)
			return 0;
		ssize_t n = readlinkat(dirfd, name, target, ROOTFS_MAX_LINK);
		if (n < 0)
			return 0;
		target[n] = '\0';
		return idx_layer_result_add_entry(fs->r, path, len, VIGIL_ART_SYMLINK, target);
	}
	if (!S_ISREG(st.st_mode))
		return 0;
	if (!lang && role == VIGIL_PATH_IGNORED &&
	    idx_lang_is_executable(vigil_slice_make(path, len), st.st_mode, st.st_size)) {
		lang = true;
		kind = VIGIL_DB_BINARY;
	}
	return lang ? walk_file(fs, dirfd, name, path, kind, &st, buf) : 0;
}

/* Walks the folder fd (owned, closed here) at path[0..plen). */
static int walk_dir(struct rootfs *fs, int fd, char *path, size_t plen, int depth, vigil_buf *buf)
{
	vigil_dirlist l;
	int rc = list_dir(fd, &l);
	path[plen] = '\0';
	if (rc < 0) {
		rc = rc == VIGIL_ENOMEM ? rc : walk_warn(fs, path, vigil_error_message());
		vigil_dirlist_free(&l);
		close(fd);
		return rc;
	}
	for (size_t i = 0; i < l.n && rc == 0; i++) {
		if (fs->walked++ >= ROOTFS_MAX_WALK) {
			if (!fs->walk_warned)
				rc = walk_warn(fs, path, "more than 5000000 entries in the tree");
			fs->walk_warned = true;
			break;
		}
		rc = walk_entry(fs, fd, l.names[i], path, plen, depth, buf);
		path[plen] = '\0';
	}
	vigil_dirlist_free(&l);
	close(fd);
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
	if (rc == 0) {
		char path[VIGIL_TAR_MAX_PATH_ROOTFS];
		int top = dup(fs.rootfd);
		rc = top < 0 ? vigil_error_set(VIGIL_EIO, "%s: %s", root, strerror(errno))
			     : walk_dir(&fs, top, path, 0, 0, &buf);
	}
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
