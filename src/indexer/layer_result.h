/* indexer/layer_result.h: what scanning one layer found, the unit that is
 * cached by layer digest.
 *
 * A layer result is a list of artifacts: the database and release files the
 * layer holds (already parsed into packages or a distribution), and the
 * entries that change what lower layers show at those paths: symlinks, hard
 * links, whiteouts, opaque folders, folders. It depends on nothing but the
 * layer's own bytes, so the same base layer gives the same result in every
 * image; indexer/coalesce.c stacks the results of an image's layers. */
#ifndef VIGIL_INDEXER_LAYER_RESULT_H
#define VIGIL_INDEXER_LAYER_RESULT_H

#include <stdbool.h>
#include <stdint.h>

#include "indexer/paths.h"
#include "scanner/scanner.h"
#include "layer/layer.h"
#include "util/buf.h"
#include "util/stream.h"

#define VIGIL_MAX_ARTIFACTS 100000
#define VIGIL_MAX_LAYER_WARNINGS 1000
#ifndef VIGIL_LAYER_DIGEST_MAX
#define VIGIL_LAYER_DIGEST_MAX 136
#endif

typedef enum vigil_art_kind {
	VIGIL_ART_FILE = 0, /* a regular file; db says which parser read it (NONE: a file where a folder was) */
	VIGIL_ART_DIR,      /* a folder above a database path */
	VIGIL_ART_SYMLINK,  /* target as written in the layer */
	VIGIL_ART_HARDLINK, /* target: a normalized path of the same layer that vigil did not read */
	VIGIL_ART_WHITEOUT, /* .wh.NAME: path deleted from the layers below */
	VIGIL_ART_OPAQUE,   /* .wh..wh..opq: the folder's content below is hidden */
} vigil_art_kind;

/* A file an OS package owns, as its database lists it (kept only when it
 * may be a language package file: idx_owned_path_kept). */
typedef struct vigil_owned_file {
	const char *path;  /* normalized, no leading "/" */
	const char *owner; /* "dpkg:python3-django", "rpm:python3-gpg", "apk:py3-yaml" */
} vigil_owned_file;

/* The most owned files kept of one database (more: a warning, the rest
 * not kept). */
#define VIGIL_MAX_OWNED_FILES 1000000

typedef struct vigil_artifact {
	const char *path;   /* normalized, relative to the root; "" is the root */
	vigil_art_kind kind;
	const char *target;
	vigil_dbkind db;
	vigil_package *pkgs;      /* in the result's arena */
	size_t npkgs;
	vigil_distribution *dist; /* release files */
	vigil_owned_file *owned;  /* OS databases: their packages' files (in the arena) */
	size_t nowned;
} vigil_artifact;

typedef struct vigil_layer_result {
	char digest[VIGIL_LAYER_DIGEST_MAX];
	vigil_arena *arena;
	vigil_intern *strings;
	vigil_artifact *arts;
	size_t nart, cap;
	const char **warnings;
	size_t nwarn, wcap;
	const char *compression; /* NULL when it came from the cache */
	uint64_t bytes;          /* bytes read as stored */
} vigil_layer_result;

int idx_layer_result_new(const char *digest, vigil_layer_result **out);
void idx_layer_result_free(vigil_layer_result *r);
/* Appends a zeroed artifact (pointer valid until the next add). */
int idx_layer_result_add(vigil_layer_result *r, vigil_artifact **out);
int idx_layer_result_warn(vigil_layer_result *r, const char *msg);
/* Appends an artifact that is not a parsed file (a link, whiteout, folder),
 * path[0..len) and target interned in r. */
int idx_layer_result_add_entry(vigil_layer_result *r, const char *path, size_t len,
				 vigil_art_kind kind, const char *target);
/* Parses the bytes of a database or release file at path into a FILE
 * artifact of r. Errors name the layer and the path. */
int idx_layer_result_add_file(vigil_layer_result *r, const char *path, vigil_dbkind kind,
				const char *data, size_t len);

/* Reads a language file that may be large (a jar, an executable) from in,
 * size bytes, with its kind's stream parser. A file the parser cannot read
 * is a warning; a failure of in itself (the layer's bytes) is an error. */
int idx_layer_result_add_stream(vigil_layer_result *r, const char *path, vigil_dbkind kind,
				  vigil_istream *in, uint64_t size);

/* Reads a decompressed layer stream (a tar) to its end into r. *cancel,
 * when it becomes non-zero, stops the walk early. */
int idx_layer_scan_tar(vigil_istream *tar, vigil_layer_result *r, const volatile int *cancel);

/* The same scan one entry at a time, for a walk that is not the
 * indexer's own (the audit pass reads each layer once for both: audit/walk.c).
 * An entry's data, when the scan wants it, comes from src: read() the
 * whole data into out (at most out->max bytes, else VIGIL_ELIMIT before
 * reading, as layer_tar_read()), or stream() it (as
 * layer_tar_entry_stream()); at most one of them, once. */
typedef struct idx_entry_source {
	int (*read)(void *ud, vigil_buf *out);
	int (*stream)(void *ud, vigil_istream **out);
	void *ud;
} idx_entry_source;
typedef struct idx_layer_scan idx_layer_scan;
int idx_layer_scan_begin(vigil_layer_result *r, const volatile int *cancel, idx_layer_scan **out);
int idx_layer_scan_entry(idx_layer_scan *s, const vigil_tar_entry *e, const idx_entry_source *src);
/* Ends the scan begun (NULL is fine): with rc 0, the warning of a layer of
 * no bytes (tar: the layer stream walked); returns rc (its message given
 * the layer in front). Frees s. */
int idx_layer_scan_end(idx_layer_scan *s, vigil_istream *tar, int rc);

/* Reads the database and release files of an unpacked root filesystem
 * without following any link out of it, into a new result whose digest is
 * the sha256 of what was read. */
int idx_layer_scan_rootfs(const char *root, vigil_layer_result **out);

/* Cache encoding (JSON) of a result. */
int idx_layer_result_encode(const vigil_layer_result *r, char **out, size_t *len);
int idx_layer_result_decode(const char *digest, const char *data, size_t len,
			      vigil_layer_result **out);

#endif
