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

#include "vigil/common.h"
#include "vigil/manifest.h"
#include "vigil/package.h"
#include "vigil/registry.h"
#include "vigil/store.h"
#include "vigil/store_v1.h"

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

/* Decompression bombs: a layer whose decompressed bytes go past
 * max_layer_size, or (gzip, zstd) past VIGIL_INDEX_RATIO_FLOOR bytes at
 * more than max_layer_ratio times the compressed bytes read so far, fails
 * with VIGIL_ELIMIT "layer <digest>: inflates past N bytes ...". The
 * defaults pass the largest real layers (tens of GiB, ratios under 10:1)
 * and stop a gzip or zstd bomb after about 1 GiB. See docs/layers.md. */
#define VIGIL_INDEX_MAX_LAYER_SIZE ((uint64_t)64 << 30)
#define VIGIL_INDEX_MAX_LAYER_RATIO 200u
#define VIGIL_INDEX_RATIO_FLOOR ((uint64_t)1 << 30)

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
	uint64_t max_layer_size;    /* decompressed bytes of one layer; 0: VIGIL_INDEX_MAX_LAYER_SIZE,
	                               UINT64_MAX: no cap */
	unsigned max_layer_ratio;   /* decompressed / compressed past VIGIL_INDEX_RATIO_FLOOR;
	                               0: VIGIL_INDEX_MAX_LAYER_RATIO, UINT_MAX: no cap */
} vigil_index_options;

typedef struct vigil_layer_info {
	const char *digest;
	uint64_t size;         /* as stored, 0 when unknown */
	int cached;            /* 1: came from the cache, 0: read now */
	const char *compression; /* "gzip", "zstd", "none"; NULL when cached */
	size_t packages;       /* packages introduced by this layer */
	const char *created_by; /* the image config's history line for it, NULL when unknown */
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

VIGIL_EXTERN(void) vigil_index_options_init(vigil_index_options *opt);
VIGIL_EXTERN(int) vigil_index_image(const char *ref, const vigil_index_options *opt, vigil_index_report **out);
/* Indexes a Clair v4 Manifest (JSON: {"hash", "layers": [{"hash", "uri",
 * "headers"}]}): each layer not in the cache is fetched from its http(s)
 * URI with its headers and verified against its hash. The report's
 * manifest_hash and image are the Manifest's hash. Malformed JSON is
 * VIGIL_EFORMAT, a URI of another scheme VIGIL_EINVAL. */
VIGIL_EXTERN(int) vigil_index_manifest(const char *manifest_json, size_t len, const vigil_index_options *opt,
			 vigil_index_report **out);
VIGIL_EXTERN(void) vigil_index_report_free(vigil_index_report *r);
/* The same for a Manifest already parsed (vigil/manifest.h): takes m (freed
 * here, even on failure), so a server parses a body once. */
VIGIL_EXTERN(int) vigil_index_manifest_parsed(vigil_manifest *m, const vigil_index_options *opt, vigil_index_report **out);
/* The versions of the layer scanners ("os-release/1 dpkg/1 ..."): what a
 * cached scan and a stored report were made by (a server's index state). */
VIGIL_EXTERN(const char *) vigil_index_scanners_version(void);

/* ---- Clair v1 layer chains (indexer/chain.c) ----
 * Clair 2's API posts an image one layer at a time, each with a name the
 * client chose and the name of its parent, and asks for a layer with its
 * whole ancestry. The store binds each name to the digest of the bytes
 * fetched (the scan is cached under it, shared with every other name and
 * image) and to what it was fetched from (the sha256 of its URL):
 *
 *   vigil_chain_layer l = { .name = "b", .parent = "a", .url = "https://..." };
 *   vigil_chain_outcome o;
 *   if (vigil_index_chain_put(store, &l, &o) < 0) ... o.stage says what failed
 *   vigil_chain *c;
 *   vigil_index_report *r;
 *   if (vigil_index_chain_open(store, "b", &c) == 0 && vigil_index_chain_report(store, c, &r) == 0) ...
 */
typedef struct vigil_chain_layer {
	const char *name;            /* 1..VIGIL_V1_MAX_NAME bytes, no control characters */
	const char *parent;          /* NULL or "": a base layer */
	const char *url;             /* http or https */
	const char *const *headers;  /* "Name: value", sent with the GET */
	size_t nheaders;
	uint64_t max_size;           /* bytes fetched at most; 0: 8 GiB */
	int lock_ms;                 /* waiting for another fetch of the same name; 0: 30 minutes */
} vigil_chain_layer;

typedef enum vigil_chain_stage {
	VIGIL_CHAIN_DONE = 0,
	VIGIL_CHAIN_INPUT,   /* a name or the url is not valid (EINVAL) */
	VIGIL_CHAIN_PARENT,  /* the parent is unknown (ENOTFOUND), the layer itself or one of its
	                        descendants (EINVAL), or too deep (ELIMIT) */
	VIGIL_CHAIN_LOCK,    /* another request held the name's lock for lock_ms (EUNAVAILABLE) */
	VIGIL_CHAIN_FETCH,   /* the layer could not be read: unreachable, not 2xx, not a tar, too big */
	VIGIL_CHAIN_STORE,   /* the store failed */
} vigil_chain_stage;

typedef struct vigil_chain_outcome {
	int fetched;                 /* 1: fetched and scanned now; 0: bound to it already */
	vigil_chain_stage stage;     /* where it failed (DONE on success) */
	char digest[136];            /* the sha256 of the layer's bytes */
} vigil_chain_outcome;

/* Binds name (on parent) to what url holds. When name is already bound
 * to url on parent and its scan is cached nothing is fetched; otherwise
 * (new name, another parent, another url, scan evicted) the layer is
 * fetched, decompressed, hashed and scanned, the scan cached, and name
 * bound anew. One fetch of a name at a time across the threads and, with
 * PostgreSQL, the nodes of the store. */
VIGIL_EXTERN(int) vigil_index_chain_put(vigil_store *st, const vigil_chain_layer *l, vigil_chain_outcome *out);

/* 1 when name is a valid layer name: 1..VIGIL_V1_MAX_NAME bytes, none a
 * control character (a NUL that percent-decoding hid is the caller's to
 * find: len is the length it decoded). */
VIGIL_EXTERN(int) vigil_index_chain_name_ok(const char *name, size_t len);

/* A layer with its ancestry, as the store has it (nothing decoded yet). */
typedef struct vigil_chain {
	size_t n;                    /* layers, base first; names[n - 1] is the one asked for */
	const char *const *names;
	const char *const *digests;
	const char *parent;          /* the layer's parent, "" when it is a base */
	struct vigil_chain_internal *internal;
} vigil_chain;
/* VIGIL_ENOTFOUND when name or an ancestor is unknown, or the ancestry
 * loops or is deeper than VIGIL_V1_MAX_DEPTH (the message says which). */
VIGIL_EXTERN(int) vigil_index_chain_open(vigil_store *st, const char *name, vigil_chain **out);
/* The index report of the chain: the cached scans stacked base first
 * (whiteouts, opaque folders, links); each package's introduced_in is the
 * name of the layer that brought it. VIGIL_ENOTFOUND when a scan is no
 * longer cached (the message names the layer to post again). */
VIGIL_EXTERN(int) vigil_index_chain_report(vigil_store *st, const vigil_chain *c, vigil_index_report **out);
/* *all = 1 when the scan of every layer of the chain is still cached
 * (looked up, not decoded). */
VIGIL_EXTERN(int) vigil_index_chain_cached(vigil_store *st, const vigil_chain *c, int *all);
VIGIL_EXTERN(void) vigil_index_chain_free(vigil_chain *c);

/* The report as Clair v4's IndexReport JSON (manifest_hash, state, packages,
 * distributions, repository, environments, success, err). *json is malloc'd. */
VIGIL_EXTERN(int) vigil_index_report_json(const vigil_index_report *r, int pretty, char **json, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
