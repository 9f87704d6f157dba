/* vigil/index.h: the indexer. An image goes in (docker-archive, OCI layout,
 * root filesystem, registry), an index report comes out: the distribution and every
 * installed OS package, each with the layer that introduced it. Each layer
 * is read once, as a stream; layers are read in parallel; the result of
 * scanning a layer is cached in the store by its digest.
 *
 *   vigil_index_report *r;
 *   if (vigil_index_image("oci:/tmp/img:v2", &opts, &r) < 0)
 *       fprintf(stderr, "%s\n", vigil_error_message());
 */
#ifndef VIGIL_INDEX_H
#define VIGIL_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/manifest.h"
#include "vigil/package.h"
#include "vigil/registry.h"
#include "vigil/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vigil_index_event {
	VIGIL_INDEX_IMAGE_OPENED, /* layer_count known */
	VIGIL_INDEX_LAYER_CACHED, /* layer came from the cache */
	VIGIL_INDEX_LAYER_START,  /* layer is being read */
	VIGIL_INDEX_LAYER_DONE,   /* layer was read and scanned */
	VIGIL_INDEX_PROGRESS,     /* bytes of a layer read so far */
} vigil_index_event;

typedef struct vigil_index_progress {
	vigil_index_event event;
	size_t layer;          /* index of the layer, 0 = base */
	size_t layer_count;
	const char *digest;
	uint64_t bytes;        /* bytes of the layer read (as stored) */
	uint64_t total;        /* its stored size, 0 when unknown */
} vigil_index_progress;

/* Called from the indexing threads (one call at a time: the indexer
 * serialises them). */
typedef void (*vigil_progress_fn)(void *ud, const vigil_index_progress *p);
typedef void (*vigil_message_fn)(void *ud, const char *msg);

typedef struct vigil_index_options {
	const char *platform;       /* "os/arch[/variant]" the image must be for; NULL: the only
	                               image of a layout whatever its platform, else linux/amd64 */
	int threads;                /* layers read at once; 0 = number of cores */
	vigil_store *store;         /* the layer cache; NULL = no cache */
	int no_cache_read;          /* read every layer even when cached (still stores) */
	vigil_progress_fn progress; /* may be NULL */
	void *progress_ud;
	vigil_message_fn warn;      /* warnings as they happen; may be NULL (they are kept in the report too) */
	void *warn_ud;
	const struct vigil_registry_options *registry; /* registry images: credentials, plain HTTP
	                               (vigil/registry.h); NULL: anonymous over HTTPS */
} vigil_index_options;

typedef struct vigil_layer_info {
	const char *digest;
	uint64_t size;         /* as stored, 0 when unknown */
	int cached;            /* 1: came from the cache, 0: read now */
	const char *compression; /* "gzip", "zstd", "none"; NULL when cached */
	size_t packages;       /* packages introduced by this layer */
} vigil_layer_info;

typedef struct vigil_index_report {
	const char *manifest_hash;          /* "sha256:..." */
	const char *image;                  /* the reference as given */
	const vigil_distribution *distribution; /* NULL when none was found */
	const vigil_package *packages;      /* sorted by type, name, arch */
	size_t package_count;
	const vigil_layer_info *layers;
	size_t layer_count;
	size_t layers_cached;
	const char *const *warnings;
	size_t warning_count;
	struct vigil_index_internal *internal;
} vigil_index_report;

void vigil_index_options_init(vigil_index_options *opt);
int vigil_index_image(const char *ref, const vigil_index_options *opt, vigil_index_report **out);
/* Indexes a Clair v4 Manifest (JSON: {"hash", "layers": [{"hash", "uri",
 * "headers"}]}): each layer not in the cache is fetched from its http(s)
 * URI with its headers and verified against its hash. The report's
 * manifest_hash and image are the Manifest's hash. Malformed JSON is
 * VIGIL_EFORMAT, a URI of another scheme VIGIL_EINVAL. */
int vigil_index_manifest(const char *manifest_json, size_t len, const vigil_index_options *opt,
			 vigil_index_report **out);
/* The same for a Manifest already parsed (vigil/manifest.h): takes m (freed
 * here, even on failure), so a server parses a body once. */
int vigil_index_manifest_parsed(vigil_manifest *m, const vigil_index_options *opt, vigil_index_report **out);
void vigil_index_report_free(vigil_index_report *r);
/* The versions of the layer scanners ("os-release/1 dpkg/1 ..."): what a
 * cached scan and a stored report were made by (a server's index state). */
const char *vigil_index_scanners_version(void);

/* The report as Clair v4's IndexReport JSON (manifest_hash, state, packages,
 * distributions, repository, environments, success, err). *json is malloc'd. */
int vigil_index_report_json(const vigil_index_report *r, int pretty, char **json, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
