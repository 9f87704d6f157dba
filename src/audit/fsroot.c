/* audit/fsroot.c: a root filesystem folder (dir:PATH) walked as the one
 * layer of an image, so that every audit scanner works on an unpacked
 * tree as on a layer: entries in path order per folder, symlinks not
 * followed, file data read through a stream of the file. Special files
 * (devices, fifos, sockets) are entries of type OTHER with no data. */
#include "audit/walk_priv.h"

#include "util/error.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Deepest folder nesting walked. */
#define FSROOT_MAX_DEPTH 128

struct fs_ud {
	const char *full;
};

static vigil_istream *open_file(void *ud)
{
	vigil_istream *s = NULL;
	if (vigil_istream_from_path(((struct fs_ud *)ud)->full, &s) < 0)
		return NULL;
	return s;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_dir(audit_walk *w, const char *root, char *rel, size_t rlen, int depth);

static int one(audit_walk *w, const char *root, char *rel, size_t rlen, int depth)
{
	char full[2 * VIGIL_TAR_MAX_PATH + 2], target[VIGIL_TAR_MAX_PATH + 1];
	struct stat st;
	vigil_tar_entry t = { .path = rel, .path_len = rlen };
	snprintf(full, sizeof(full), "%s/%s", root, rel);
	if (lstat(full, &st) < 0)
		return vigil_error_set(VIGIL_EIO, "%s: %s", full, strerror(errno));
	t.mode = (uint32_t)st.st_mode & 07777;
	t.uid = st.st_uid;
	t.gid = st.st_gid;
	t.mtime = st.st_mtime;
	if (S_ISREG(st.st_mode)) {
		t.type = VIGIL_TAR_FILE;
		t.size = st.st_size;
	} else if (S_ISDIR(st.st_mode)) {
		t.type = VIGIL_TAR_DIR;
	} else if (S_ISLNK(st.st_mode)) {
		ssize_t n = readlink(full, target, sizeof(target) - 1);
		t.type = VIGIL_TAR_SYMLINK;
		target[n < 0 ? 0 : n] = '\0';
		t.link = target;
	} else {
		t.type = VIGIL_TAR_OTHER;
		t.special = "special file";
	}
	struct fs_ud ud = { full };
	audit_entry e = { .tar = &t, .layer = 0, .layer_digest = w->layers[0].digest, .path = rel };
	int rc = walk_entry(w, &e, open_file, &ud);
	if (rc < 0)
		return rc;
	return t.type == VIGIL_TAR_DIR ? walk_dir(w, root, rel, rlen, depth + 1) : 0;
}

static int walk_dir(audit_walk *w, const char *root, char *rel, size_t rlen, int depth)
{
	char full[2 * VIGIL_TAR_MAX_PATH + 2];
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	DIR *d;
	if (depth > FSROOT_MAX_DEPTH)
		return vigil_error_set(VIGIL_ELIMIT, "%s/%s: folders nested deeper than %d", root, rel,
				       FSROOT_MAX_DEPTH);
	snprintf(full, sizeof(full), "%s%s%s", root, rlen ? "/" : "", rel);
	if (!(d = opendir(full)))
		return vigil_error_set(VIGIL_EIO, "%s: %s", full, strerror(errno));
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof(*names));
			if (!nn) {
				rc = vigil_error_oom();
				goto out;
			}
			names = nn;
		}
		if (!(names[n] = strdup(de->d_name))) {
			rc = vigil_error_oom();
			goto out;
		}
		n++;
	}
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n && rc == 0; i++) {
		size_t nl = strlen(names[i]), o = rlen ? rlen + 1 : 0;
		if (o + nl > VIGIL_TAR_MAX_PATH) {
			audit_warn(w, "%s/%s: path longer than %d bytes, skipped", full, names[i], VIGIL_TAR_MAX_PATH);
			continue;
		}
		if (rlen)
			rel[rlen] = '/';
		memcpy(rel + o, names[i], nl + 1);
		rc = one(w, root, rel, o + nl, depth);
		rel[rlen] = '\0';
	}
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

int walk_rootfs(audit_walk *w, const char *root)
{
	char rel[VIGIL_TAR_MAX_PATH + 2] = "";
	if (!root)
		return vigil_error_set(VIGIL_EINVAL, "no root filesystem folder");
	return walk_dir(w, root, rel, 0, 0);
}
