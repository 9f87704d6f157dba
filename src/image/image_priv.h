/* image/image_priv.h: what the files of the image module share and nobody
 * else sees: the image object, the parsed JSON documents (manifest.c), the
 * tar member index of a docker-archive (tarindex.c), the blob store an OCI
 * layout is read from (a folder or the members of an archive: ref.c) and the
 * OCI and docker-archive resolvers (oci.c, docker_archive.c). */
#ifndef VIGIL_IMAGE_PRIV_H
#define VIGIL_IMAGE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "image/image.h"
#include "util/arena.h"
#include "util/digest.h"
#include "util/slice.h"

/* ---- media types ---- */
#define VIGIL_MT_OCI_INDEX      "application/vnd.oci.image.index.v1+json"
#define VIGIL_MT_OCI_MANIFEST   "application/vnd.oci.image.manifest.v1+json"
#define VIGIL_MT_OCI_CONFIG     "application/vnd.oci.image.config.v1+json"
#define VIGIL_MT_DOCKER_LIST    "application/vnd.docker.distribution.manifest.list.v2+json"
#define VIGIL_MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define VIGIL_MT_DOCKER_CONFIG  "application/vnd.docker.container.image.v1+json"

typedef enum img_doc_kind {
	IMG_DOC_UNKNOWN = 0,
	IMG_DOC_INDEX,
	IMG_DOC_MANIFEST,
} img_doc_kind;

/* What a descriptor's media type says it points to. */
img_doc_kind img_media_doc_kind(const char *media_type);
/* True for the layer media types vigil reads; *foreign set for the
 * non-distributable ones. */
bool img_media_is_layer(const char *media_type, bool *foreign);

/* ---- digests: util/digest.h is their home ---- */
_Static_assert(VIGIL_DIGEST_MAX == VIGIL_DIGEST_STR_MAX, "one digest string size");
/* "blobs/<alg>/<hex>" of a checked digest. */
void img_blob_path(const char *digest, char *out, size_t n);

/* ---- JSON documents: manifest.c ---- */
typedef struct img_platform {
	const char *os, *arch, *variant; /* NULL when absent */
} img_platform;

typedef struct img_desc {
	const char *media_type; /* NULL when absent */
	char digest[VIGIL_DIGEST_MAX];
	uint64_t size;
	bool has_platform;
	img_platform platform;
	const char *ref_name;   /* annotation org.opencontainers.image.ref.name */
	const char *image_name; /* annotation io.containerd.image.name (ctr images export) */
} img_desc;

typedef struct img_index {
	img_desc *manifests;
	size_t n;
} img_index;

typedef struct img_manifest {
	const char *media_type;
	img_desc config;
	img_desc *layers;
	size_t nlayers;
} img_manifest;

typedef struct img_config {
	const char **diff_ids;
	size_t n;
	const char **created_by; /* n entries: the history line of each layer, NULL when unknown */
	img_platform platform;
	const char *raw;         /* the config JSON as read (arena copy, NUL-terminated) */
	size_t raw_len;
} img_config;

typedef struct img_archive_entry {
	const char *config;
	const char **repo_tags;
	size_t ntags;
	const char **layers;
	size_t nlayers;
} img_archive_entry;

typedef struct img_archive_manifest {
	img_archive_entry *entries;
	size_t n;
} img_archive_manifest;

/* Each parser reads data[0..len) (what names it in messages) into arena
 * memory. */
int img_parse_index(vigil_arena *a, const char *what, const char *data, size_t len,
		    img_index *out);
int img_parse_manifest(vigil_arena *a, const char *what, const char *data, size_t len,
		       img_manifest *out);
int img_parse_config(vigil_arena *a, const char *what, const char *data, size_t len,
		     img_config *out);
int img_parse_archive_manifest(vigil_arena *a, const char *what, const char *data, size_t len,
			       img_archive_manifest *out);
/* What a JSON blob of unknown type is (by mediaType, else by its keys). */
int img_sniff_doc(const char *what, const char *data, size_t len, img_doc_kind *out);
/* Checks the "imageLayoutVersion" of an oci-layout file. */
int img_check_oci_layout(const char *what, const char *data, size_t len);

/* ---- platforms ---- */
/* Parses "os/arch[/variant]" into arena strings. VIGIL_EINVAL on junk. */
int img_platform_parse(vigil_arena *a, const char *s, img_platform *out);
/* "os/arch[/variant]" into out. */
void img_platform_format(const img_platform *p, char *out, size_t n);
/* Whether have (a descriptor's or config's platform) satisfies want. */
bool img_platform_match(const img_platform *want, const img_platform *have);

/* ---- docker-archive tar index: tarindex.c ---- */
typedef enum img_tar_type {
	IMG_TAR_FILE = 0,
	IMG_TAR_DIR,
	IMG_TAR_SYMLINK,
	IMG_TAR_HARDLINK,
	IMG_TAR_OTHER, /* devices, fifos, sparse files, unknown types */
} img_tar_type;

typedef struct img_tar_member {
	const char *name;   /* normalised: no "./", no leading or trailing "/" */
	const char *link;   /* link target as written (links only) */
	uint64_t offset;    /* of the data in the archive */
	uint64_t size;
	img_tar_type type;
	size_t seq;         /* position in the archive */
} img_tar_member;

typedef struct img_tar_index {
	img_tar_member *m; /* sorted by name, one per name (the last one wins) */
	size_t n;
} img_tar_index;

/* pread-like: reads n bytes at off into buf, returns the count (short at the
 * end) or a negative VIGIL_E* with the error set. */
typedef ssize_t (*img_read_at_fn)(void *ud, void *buf, size_t n, uint64_t off);

/* Walks the headers of a tar of file_size bytes (what names it in
 * messages). Names live in a; the array is malloc'd (img_tar_index_free). */
int img_tar_index_build(vigil_arena *a, img_read_at_fn read_at, void *ud, uint64_t file_size,
			const char *what, img_tar_index *out);
void img_tar_index_free(img_tar_index *t);
/* Finds name (normalised first), following links; the result is a regular
 * file. VIGIL_ENOTFOUND / VIGIL_EFORMAT with a message naming it. */
int img_tar_lookup(const img_tar_index *t, const char *what, const char *name,
		   const img_tar_member **out);
/* Normalises a member path into out (n bytes). -1 when it leaves the root
 * ("..") or does not fit. */
int img_tar_normalize(vigil_slice in, char *out, size_t n);

/* ---- the image object ---- */
typedef struct img_layer_loc {
	const char *blob;   /* oci folder: "blobs/<alg>/<hex>" */
	uint64_t offset;    /* docker-archive: where its bytes are */
} img_layer_loc;

struct vigil_image {
	vigil_image_kind kind;
	vigil_arena *arena;
	char *ref;
	char *rootfs;
	char manifest_digest[VIGIL_DIGEST_MAX];
	char config_digest[VIGIL_DIGEST_MAX];
	char platform[3 * VIGIL_IMAGE_MAX_STRING];
	const char *config_json;  /* the config as read (arena), NULL when none (dir:, Clair manifest) */
	size_t config_len;
	vigil_layer_desc *layers;
	img_layer_loc *locs;
	size_t nlayers;
	/* where blobs are read from */
	int dirfd;           /* an OCI layout folder, or -1 */
	int fd;              /* a docker-archive, or -1 */
	uint64_t file_size;  /* of the archive */
	img_tar_index tar;   /* its members */
	const char *where;   /* the folder or file, for messages */
	struct img_registry *registry; /* a registry image (registry.c), or NULL */
	struct img_urls *urls;         /* a Clair Manifest's layer URLs (clair_manifest.c), or NULL */
};

/* pread of n bytes at off from the fd *ud points to (short only at the end). */
ssize_t img_fd_read_at(void *ud, void *buf, size_t n, uint64_t off);
/* The blob store (store.c): files of an OCI layout folder, or members of
 * the archive. Opens a regular file of the folder (not following a final
 * symlink) with its size. */
int img_store_open(vigil_image *img, const char *name, int *fd, uint64_t *size);
/* Reads a whole small file (at most max bytes, else VIGIL_ELIMIT). */
int img_store_read(vigil_image *img, const char *name, size_t max, char **data, size_t *len);
/* Where a file is and how big: for a folder offset is 0. VIGIL_ENOTFOUND when absent. */
int img_store_stat(vigil_image *img, const char *name, uint64_t *size, uint64_t *offset);
/* Reads the blob of a descriptor (size and digest checked) into arena-free
 * malloc'd memory. */
int img_store_read_blob(vigil_image *img, const img_desc *d, char **data, size_t *len);

/* The image object (image.c): a new one, empty (dirfd, fd -1, its arena
 * made); NULL with the error set. img_free() frees it. */
vigil_image *img_new(void);
/* The layer table of n layers (arena arrays). */
int img_layers_alloc(vigil_image *img, size_t n);

/* ---- resolvers ---- */
typedef struct img_select {
	const char *tag;        /* oci:DIR:TAG, or NULL */
	const char *digest;     /* oci:DIR@DIGEST, or NULL */
	const char *config;     /* docker-archive: the config digest to find, or NULL */
	img_platform platform;
	bool platform_given;    /* explicit: a single image must match too */
	bool ref_by_name;       /* oci-archive: tag also matches io.containerd.image.name
	                           (Docker's normalisation: "alpine:3.10" is
	                           "docker.io/library/alpine:3.10") */
} img_select;

/* oci.c: resolves an OCI layout held in img's store (folder or archive)
 * and fills the layers. VIGIL_ENOTFOUND when sel->config is set and no
 * manifest has it (the caller falls back). */
int img_oci_resolve(vigil_image *img, const img_select *sel);
/* docker_archive.c: indexes img->fd and resolves the image (name: "NAME:TAG",
 * "@N" or NULL). */
int img_docker_archive_resolve(vigil_image *img, const char *name, const img_select *sel);
/* docker_archive.c: indexes img->fd and reads it as an OCI layout (an
 * oci-archive, or containerd's export, which may also hold manifest.json):
 * tag (or NULL) selects by ref.name or containerd image name. */
int img_oci_archive_resolve(vigil_image *img, const char *tag, const img_select *sel);
/* docker_archive.c: "name[:tag]" as Docker reads it ("alpine" ->
 * "docker.io/library/alpine:latest"). */
void img_normalize_ref(const char *in, char *out, size_t n);
/* engine.c: docker:NAME / podman:NAME (engine "docker" or "podman"): the
 * image exported by the local engine's API socket, spooled to an unlinked
 * temporary file and read as a docker-archive. */
int img_engine_open(vigil_image *img, const char *engine, const char *name, const img_select *sel);
/* The socket path of engine ("docker" or "podman") from the environment
 * (see engine.c); VIGIL_EUNSUPPORTED for a tcp:// or ssh:// host. */
int img_engine_socket(const char *engine, char *out, size_t n);
/* oci.c: how well have (a descriptor's or config's platform) satisfies
 * want: 0 not, 2 matches but for another variant than asked (or the
 * default one), 3 exactly. */
int img_platform_score(const img_platform *want, const img_platform *have);

/* ---- registry images: registry.c ---- */
struct vigil_registry_options;
struct vigil_reg_client;
/* Parses ref as a registry reference (a bare one that does not parse gets
 * a message saying it is neither a path nor a reference), fetches and
 * verifies its manifest (the platform's one from an index) and config, and
 * fills the layers; img_open_layer() streams them from the
 * registry. opt may be NULL. */
int img_registry_open(vigil_image *img, const char *ref, const img_select *sel,
		      const struct vigil_registry_options *opt);
int img_registry_open_layer(vigil_image *img, size_t i, vigil_istream **raw);
void img_registry_free(struct img_registry *r);
/* ---- Clair Manifests: clair_manifest.c ---- */
/* Streams layer i from its URI with its headers (arena memory, nothing to free). */
int img_urls_open_layer(vigil_image *img, size_t i, vigil_istream **raw);

/* The client of a registry image (NULL for others). */
struct vigil_reg_client *img_registry_client(const vigil_image *img);

/* spool.c: 1 when the archive file starts with the gzip or zstd magic;
 * then img_archive_decompress() swaps img->fd for an unlinked temporary
 * file holding the decompressed tar (what: the reference, for messages). */
int img_archive_compressed(int fd);
int img_archive_decompress(vigil_image *img, const char *what);

#endif
