/* image/image.h: turning an image reference into the list of layers to
 * stream (the interface the indexer calls).
 *
 *   vigil_image *img;
 *   if (img_open("oci:/tmp/img:v2", NULL, &img) < 0) ... error set
 *   for (size_t i = 0; i < img_layer_count(img); i++) {
 *       const vigil_layer_desc *l = img_layer(img, i);
 *       vigil_istream *raw;
 *       img_open_layer(img, i, &raw);   ... l->digest, l->verify
 *   }
 *   img_free(img);
 *
 * References: "oci:DIR", "oci:DIR:TAG", "oci:DIR@sha256:HEX",
 * "docker-archive:FILE", "docker-archive:FILE:NAME:TAG",
 * "docker-archive:FILE:@N", "oci-archive:FILE[:TAG]", "docker:NAME",
 * "podman:NAME" (the local engine's API socket: engine.c), "dir:PATH", or a bare path (detected: a folder
 * with oci-layout and index.json is an OCI layout, another folder a root
 * filesystem, a file a docker-archive), else a registry reference
 * ("REGISTRY/REPO:TAG", "...@sha256:HEX", "docker://...", "registry:...":
 * image/registry.c, docs/registry.md). See docs/images.md.
 *
 * Everything but img_open_layer() must be called from one thread at a
 * time; img_open_layer() may be called from several threads at once,
 * and its streams used and closed on any thread, before img_free(). */
#ifndef VIGIL_IMAGE_IMAGE_H
#define VIGIL_IMAGE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "util/stream.h"
#include "vigil/common.h"

#define VIGIL_DIGEST_MAX 136 /* "sha512:" + 128 hex + NUL fits */

/* Named limits of the image module (all hostile input is bounded by them). */
#define VIGIL_IMAGE_MAX_JSON_SIZE   (8u * 1024 * 1024) /* index.json, manifest, config, manifest.json */
#define VIGIL_IMAGE_MAX_INDEX_DEPTH 4     /* nested indexes below index.json */
#define VIGIL_IMAGE_MAX_MANIFESTS   1024  /* descriptors in one index, and manifests reached in all */
#define VIGIL_IMAGE_MAX_LAYERS      1024  /* layers of one image (Docker's own cap is 127) */
#define VIGIL_IMAGE_MAX_STRING      1024  /* a media type, tag, platform field, file name in JSON */
#define VIGIL_IMAGE_MAX_ENTRIES     1024  /* images in a docker-archive manifest.json */
#define VIGIL_IMAGE_MAX_TAGS        1024  /* RepoTags of one image */
#define VIGIL_IMAGE_MAX_REF         4096  /* length of a reference string */
#define VIGIL_IMAGE_MAX_CREATED_BY  8192  /* bytes kept of a history entry's created_by */
#define VIGIL_IMAGE_MAX_ENGINE_ARCHIVE ((uint64_t)64 << 30) /* docker:/podman: archive spooled */
#define VIGIL_IMAGE_ARENA_CAP       ((size_t)256 * 1024 * 1024) /* memory for one image's metadata */

/* Limits of the docker-archive tar index (image/tarindex.c). */
#define VIGIL_TAR_MAX_MEMBERS     100000  /* members of the outer tar */
#define VIGIL_TAR_MAX_NAME        4096    /* length of a member name or link target */
#define VIGIL_TAR_MAX_PAX_SIZE    (1024 * 1024) /* a pax or GNU long-name header's data */
#define VIGIL_TAR_MAX_MEMBER_SIZE ((uint64_t)1 << 40) /* 1 TiB: one member */
#define VIGIL_TAR_MAX_LINK_HOPS   8       /* links followed to reach a member */

typedef enum { VIGIL_IMAGE_LAYERS, VIGIL_IMAGE_ROOTFS } vigil_image_kind;

/* What a layer's digest is computed over. */
typedef enum {
	VIGIL_VERIFY_BLOB, /* the bytes as stored (compressed): OCI blobs */
	VIGIL_VERIFY_DIFF, /* the uncompressed tar: legacy docker-archive layers */
} vigil_verify_kind;

typedef struct vigil_layer_desc {
	char digest[VIGIL_DIGEST_MAX];  /* the layer's identity, "sha256:<hex>": the manifest's
	                                   layer digest (docker-archive legacy: the config's diff_id) */
	char diff_id[VIGIL_DIGEST_MAX]; /* from config rootfs.diff_ids, "" when unknown */
	vigil_verify_kind verify;       /* digest is over the bytes as stored (BLOB) or decompressed (DIFF) */
	const char *media_type;         /* as in the manifest; NULL when unknown (legacy
	                                   docker-archive): sniff the compression */
	uint64_t size;                  /* stored size */
	const char *created_by;         /* the config's history line of this layer (cut at
	                                   VIGIL_IMAGE_MAX_CREATED_BY), NULL when unknown */
} vigil_layer_desc;

typedef struct vigil_image vigil_image;

/* Opens ref for platform ("os/arch[/variant]"; NULL: linux/amd64, and an
 * image that is the only one of its layout is taken whatever its platform).
 * Reads and checks every JSON document (digests verified), and checks that
 * every layer is present with its size. *out is NULL on failure. */
int img_open(const char *ref, const char *platform, vigil_image **out);
/* The same, with the options of registry access (NULL: anonymous, HTTPS). */
struct vigil_registry_options;
int img_open_opts(const char *ref, const char *platform,
			  const struct vigil_registry_options *reg, vigil_image **out);
/* A Clair v4 Manifest ({"hash", "layers": [{"hash", "uri", "headers":
 * {"Name": ["value"]}}]}) as an image: its layers are streamed from their
 * URIs (http or https only, at most VIGIL_IMAGE_MAX_URL_LAYER bytes each,
 * each verified against its hash as it is read). The manifest hash is
 * taken as given. image/clair_manifest.c. */
#define VIGIL_IMAGE_MAX_URL_LAYER ((uint64_t)8 << 30) /* one layer fetched from a URI */
#define VIGIL_IMAGE_MAX_URL_HEADERS 64                /* header values of one layer */
#define VIGIL_IMAGE_MAX_HEADER_LINE 8192              /* "Name: value" of one of them */
int img_open_clair_manifest(const char *json, size_t len, vigil_image **out);
/* The image of a parsed Manifest (vigil/manifest.h), for the indexer: m is
 * freed, the image is the caller's. NULL when m is NULL. */
struct vigil_manifest;
vigil_image *img_manifest_take_image(struct vigil_manifest *m);
vigil_image_kind img_get_kind(const vigil_image *img);
/* The root filesystem folder (dir: only; NULL otherwise). */
const char *img_rootfs(const vigil_image *img);
/* "sha256:...": the manifest's digest (legacy docker-archive: the config's
 * digest, the image ID); NULL for dir:. */
const char *img_manifest_digest(const vigil_image *img);
/* The config's digest ("" when none: dir:). */
const char *img_config_digest(const vigil_image *img);
/* The reference as given, for messages. */
const char *img_ref(const vigil_image *img);
/* The platform of the image as its config says ("linux/amd64"), "" when unknown. */
const char *img_platform_name(const vigil_image *img);
/* The image config JSON as read and verified (*len bytes, NUL-terminated,
 * owned by img); VIGIL_ENOTFOUND when the image has none (dir:, a Clair
 * Manifest). */
int img_config_json(const vigil_image *img, const char **data, size_t *len);
size_t img_layer_count(const vigil_image *img);
/* NULL when i is out of range. */
const vigil_layer_desc *img_layer(const vigil_image *img, size_t i);
/* A stream of layer i's bytes as stored (compressed or not), exactly size
 * bytes. Thread-safe (see above). */
int img_open_layer(vigil_image *img, size_t i, vigil_istream **raw);
void img_free(vigil_image *img);

#endif
