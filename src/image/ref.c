/* image/ref.c: img_open(): parses a reference (oci:, oci-archive:,
 * docker-archive:, dir:, or a bare path that is detected; docker: and
 * podman: go to the engine's socket, engine.c), opens the folder or file it names
 * and hands it to the OCI or docker-archive resolver (registry references,
 * and bare names that are no path, go to registry.c); and the layer
 * streams. The image object (image.c) and the blob store the resolvers read
 * through (store.c) are files of their own: the front door calls the
 * resolvers, they and it call those two, and nothing calls back into this
 * file. */
#include "image/image_priv.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- layer streams ---- */

struct owned_stream { /* a stream over a file it closes */
	vigil_istream base;
	vigil_istream *inner;
	int fd;
};

static ssize_t owned_read(vigil_istream *s, void *buf, size_t n)
{
	return vigil_istream_read(((struct owned_stream *)s)->inner, buf, n);
}

static void owned_close(vigil_istream *s)
{
	struct owned_stream *o = (struct owned_stream *)s;
	vigil_istream_close(o->inner);
	close(o->fd);
	free(o);
}

static const struct vigil_istream_ops owned_ops = { owned_read, owned_close };

int img_open_layer(vigil_image *img, size_t i, vigil_istream **raw)
{
	*raw = NULL;
	if (!img || i >= img->nlayers)
		return vigil_error_set(VIGIL_EINVAL, "layer %zu out of range", i);
	const vigil_layer_desc *l = &img->layers[i];
	if (img->registry)
		return img_registry_open_layer(img, i, raw);
	if (img->urls)
		return img_urls_open_layer(img, i, raw);
	if (img->dirfd < 0)
		return vigil_istream_from_fd_range(img->fd, img->locs[i].offset, l->size, raw);
	uint64_t size;
	int fd, rc = img_store_open(img, img->locs[i].blob, &fd, &size);
	if (rc < 0)
		return rc;
	if (size != l->size) {
		close(fd);
		return vigil_error_set(VIGIL_EDIGEST, "%s/%s: %llu bytes, its descriptor says %llu", img->where,
				       img->locs[i].blob, (unsigned long long)size, (unsigned long long)l->size);
	}
	struct owned_stream *o = calloc(1, sizeof(*o));
	if (!o) {
		close(fd);
		return vigil_error_oom();
	}
	o->base.ops = &owned_ops;
	o->fd = fd;
	if ((rc = vigil_istream_from_fd_range(fd, 0, size, &o->inner)) < 0) {
		close(fd);
		free(o);
		return rc;
	}
	*raw = &o->base;
	return 0;
}

/* ---- references ---- */

static int open_rootfs(vigil_image *img, const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return vigil_error_set(errno == ENOENT ? VIGIL_ENOTFOUND : VIGIL_EIO, "dir:%s: %s", path,
				       strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return vigil_error_set(VIGIL_EINVAL, "dir:%s: not a folder", path);
	img->kind = VIGIL_IMAGE_ROOTFS;
	img->rootfs = vigil_arena_strdup(img->arena, path);
	return img->rootfs ? 0 : vigil_error_code();
}

static int open_oci(vigil_image *img, const char *dir, img_select *sel)
{
	img->where = vigil_arena_strdup(img->arena, dir);
	if (!img->where)
		return vigil_error_code();
	img->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (img->dirfd < 0)
		return vigil_error_set(errno == ENOENT ? VIGIL_ENOTFOUND : VIGIL_EIO, "oci:%s: %s", dir,
				       errno == ENOTDIR ? "not a folder" : strerror(errno));
	return img_oci_resolve(img, sel);
}

/* A docker-archive, or with oci an oci-archive (name: its tag). */
static int open_archive(vigil_image *img, const char *file, const char *name, img_select *sel, bool oci)
{
	struct stat st;
	const char *transport = oci ? "oci-archive" : "docker-archive";
	img->where = vigil_arena_strdup(img->arena, file);
	if (!img->where)
		return vigil_error_code();
	img->fd = open(file, O_RDONLY | O_CLOEXEC);
	if (img->fd < 0)
		return vigil_error_set(errno == ENOENT ? VIGIL_ENOTFOUND : VIGIL_EIO, "%s:%s: %s", transport,
				       file, strerror(errno));
	if (fstat(img->fd, &st) < 0 || !S_ISREG(st.st_mode))
		return vigil_error_set(VIGIL_EINVAL, "%s:%s: not a regular file", transport, file);
	img->file_size = (uint64_t)st.st_size;
	if (img_archive_compressed(img->fd)) { /* docker save | gzip: decompressed once into a spool file */
		char what[4200];
		snprintf(what, sizeof(what), "%s:%s", transport, file);
		int rc = img_archive_decompress(img, what);
		if (rc < 0)
			return rc;
	}
	return oci ? img_oci_archive_resolve(img, name, sel) : img_docker_archive_resolve(img, name, sel);
}

/* "FILE" or "FILE:REST" of an archive reference (the file ends at the first ':'). */
static int open_archive_ref(vigil_image *img, const char *ref, const char *rest, img_select *sel, bool oci)
{
	const char *colon = strchr(rest, ':');
	char *file = vigil_arena_strndup(img->arena, rest, colon ? (size_t)(colon - rest) : strlen(rest));
	if (!file)
		return vigil_error_code();
	if (!*file)
		return vigil_error_set(VIGIL_EINVAL, "%s: no file given", ref);
	return open_archive(img, file, colon && colon[1] ? colon + 1 : NULL, sel, oci);
}

/* "DIR", "DIR:TAG" or "DIR@alg:hex". */
static int split_oci(vigil_arena *a, const char *rest, char **dir, img_select *sel)
{
	const char *at = strrchr(rest, '@');
	if (at && strchr(at, ':') && vigil_digest_check_slice(vigil_slice_cstr(at + 1), "oci reference") == 0) {
		*dir = vigil_arena_strndup(a, rest, (size_t)(at - rest));
		sel->digest = vigil_arena_strdup(a, at + 1);
		return *dir && sel->digest ? 0 : vigil_error_code();
	}
	const char *colon = strchr(rest, ':');
	*dir = vigil_arena_strndup(a, rest, colon ? (size_t)(colon - rest) : strlen(rest));
	if (!*dir)
		return vigil_error_code();
	if (colon && colon[1] && !(sel->tag = vigil_arena_strdup(a, colon + 1)))
		return vigil_error_code();
	return 0;
}

static bool has_prefix(const char *s, const char *p, const char **rest)
{
	size_t n = strlen(p);
	if (strncmp(s, p, n))
		return false;
	*rest = s + n;
	return true;
}

/* A bare path: an OCI layout folder, another folder, or a file; else a
 * registry reference. */
static int open_detect(vigil_image *img, const char *path, img_select *sel,
		       const struct vigil_registry_options *reg)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		if (path[0] == '/' || path[0] == '.')
			return vigil_error_set(VIGIL_ENOTFOUND, "%s: %s", path, strerror(errno));
		return img_registry_open(img, path, sel, reg);
	}
	if (S_ISREG(st.st_mode))
		return open_archive(img, path, NULL, sel, false);
	if (!S_ISDIR(st.st_mode))
		return vigil_error_set(VIGIL_EINVAL, "%s: neither a file nor a folder", path);
	char probe[4096];
	struct stat a, b;
	snprintf(probe, sizeof(probe), "%s/oci-layout", path);
	bool layout = stat(probe, &a) == 0 && S_ISREG(a.st_mode);
	snprintf(probe, sizeof(probe), "%s/index.json", path);
	layout = layout && stat(probe, &b) == 0 && S_ISREG(b.st_mode);
	return layout ? open_oci(img, path, sel) : open_rootfs(img, path);
}

static int open_ref(vigil_image *img, const char *ref, img_select *sel,
		    const struct vigil_registry_options *reg)
{
	const char *rest;
	char *dir;
	int rc;
	if (has_prefix(ref, "oci:", &rest)) {
		if ((rc = split_oci(img->arena, rest, &dir, sel)) < 0)
			return rc;
		if (!*dir)
			return vigil_error_set(VIGIL_EINVAL, "%s: no folder given", ref);
		return open_oci(img, dir, sel);
	}
	if (has_prefix(ref, "docker-archive:", &rest))
		return open_archive_ref(img, ref, rest, sel, false);
	if (has_prefix(ref, "oci-archive:", &rest))
		return open_archive_ref(img, ref, rest, sel, true);
	if (has_prefix(ref, "dir:", &rest)) {
		if (!*rest)
			return vigil_error_set(VIGIL_EINVAL, "%s: no folder given", ref);
		return open_rootfs(img, rest);
	}
	if (!strncmp(ref, "docker://", 9) || !strncmp(ref, "registry:", 9))
		return img_registry_open(img, ref, sel, reg);
	/* the local engine's API socket (engine.c); docker-daemon: is skopeo's name */
	if (has_prefix(ref, "docker:", &rest) || has_prefix(ref, "docker-daemon:", &rest))
		return img_engine_open(img, "docker", rest, sel);
	if (has_prefix(ref, "podman:", &rest))
		return img_engine_open(img, "podman", rest, sel);
	static const char *const later[] = { "containers-storage:", "ostree:", "sif:", "tarball:" };
	for (size_t i = 0; i < sizeof(later) / sizeof(later[0]); i++)
		if (has_prefix(ref, later[i], &rest))
			return vigil_error_set(VIGIL_EUNSUPPORTED,
					       "%s: the %.*s transport is not supported yet (use oci:DIR[:TAG], "
					       "oci-archive:FILE[:TAG], docker-archive:FILE[:NAME:TAG], docker:NAME, "
					       "podman:NAME or dir:PATH)",
					       ref, (int)(strchr(later[i], ':') - later[i]), later[i]);
	return open_detect(img, ref, sel, reg);
}

int img_open(const char *ref, const char *platform, vigil_image **out)
{
	return img_open_opts(ref, platform, NULL, out);
}

int img_open_opts(const char *ref, const char *platform,
			  const struct vigil_registry_options *reg, vigil_image **out)
{
	img_select sel = { 0 };
	vigil_image *img = NULL;
	int rc;
	*out = NULL;
	if (!ref || !*ref)
		return vigil_error_set(VIGIL_EINVAL, "empty image reference");
	if (strlen(ref) > VIGIL_IMAGE_MAX_REF)
		return vigil_error_set(VIGIL_ELIMIT, "image reference is over %d bytes", VIGIL_IMAGE_MAX_REF);
	if (!(img = img_new()))
		return vigil_error_code();
	if (!(img->ref = vigil_arena_strdup(img->arena, ref))) {
		rc = vigil_error_or_oom();
		goto out;
	}
	sel.platform_given = platform != NULL;
	if ((rc = img_platform_parse(img->arena, platform ? platform : "linux/amd64", &sel.platform)) < 0)
		goto out;
	rc = open_ref(img, ref, &sel, reg);
out:
	if (rc < 0) {
		img_free(img);
		return rc;
	}
	*out = img;
	return 0;
}
