/* vigil/diff.h: what changed between two images. Files (added, removed,
 * changed by type, mode, owner, size, content hash or link target, each
 * version with the layer it came from, whiteouts applied), packages
 * (added, removed, upgraded, downgraded, in the version order of their
 * ecosystem), vulnerability findings (fixed, introduced; judged only when
 * the store holds vulnerability data) and the image configuration.
 * docs/audit.md (vigil diff) gives the rules and every member of the JSON.
 *
 * Each image is read once as a stream for its files (the merged view
 * holds about 150 bytes per path, never file contents) and indexed
 * through the layer cache for its packages, so memory does not grow with
 * the size of the images.
 *
 *   vigil_diff_options o;
 *   vigil_diff_options_init(&o);
 *   o.store = store;                          (layer cache, vulnerability data)
 *   vigil_diff_report *r;
 *   if (vigil_diff_images("oci:/tmp/img:v1", "oci:/tmp/img:v2", &o, &r) < 0)
 *       fprintf(stderr, "%s\n", vigil_error_message());
 *   vigil_diff_render(r, VIGIL_FMT_CLAIR, NULL, &out, &len);   (JSON)
 *   vigil_diff_report_free(r);
 */
#ifndef VIGIL_DIFF_H
#define VIGIL_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/common.h"
#include "vigil/index.h"
#include "vigil/match.h"
#include "vigil/registry.h"
#include "vigil/report.h"
#include "vigil/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vigil_diff_change {
	VIGIL_DIFF_ADDED = 0,     /* only in B */
	VIGIL_DIFF_REMOVED,       /* only in A */
	VIGIL_DIFF_CHANGED,       /* in both, different (a file; a package whose version
	                             differs but compares equal in its scheme) */
	VIGIL_DIFF_UPGRADED,      /* a package, B's version higher */
	VIGIL_DIFF_DOWNGRADED,    /* a package, B's version lower */
} vigil_diff_change;

/* "added", "removed", "changed", "upgraded", "downgraded". */
VIGIL_EXTERN(const char *) vigil_diff_change_name(vigil_diff_change c);

/* What differs between two versions of a path (bits of vigil_diff_file.what). */
#define VIGIL_DIFF_TYPE 1u    /* file, folder, symlink, hard link, other */
#define VIGIL_DIFF_MODE 2u    /* permission bits */
#define VIGIL_DIFF_OWNER 4u   /* uid or gid */
#define VIGIL_DIFF_SIZE 8u
#define VIGIL_DIFF_CONTENT 16u /* sha256 of a regular file */
#define VIGIL_DIFF_LINK 32u   /* symlink target or hard link target */

/* One version of a path. */
typedef struct vigil_diff_version {
	const char *type;         /* "file", "dir", "symlink", "hardlink", "other" */
	uint32_t mode;            /* permission bits */
	int64_t uid, gid;
	int64_t size;
	const char *sha256;       /* hex, regular files only; NULL otherwise */
	const char *link;         /* symlink target as stored / hard link target; NULL */
	size_t layer;             /* index of the layer (base = 0) of this version */
	const char *layer_digest;
} vigil_diff_version;

typedef struct vigil_diff_file {
	const char *path;         /* no leading '/' */
	vigil_diff_change change; /* ADDED, REMOVED or CHANGED */
	unsigned what;            /* CHANGED: VIGIL_DIFF_* bits */
	const vigil_diff_version *a; /* NULL when ADDED */
	const vigil_diff_version *b; /* NULL when REMOVED */
} vigil_diff_file;

typedef struct vigil_diff_package {
	vigil_diff_change change;
	const char *type;         /* "dpkg", "apk", "rpm", "pypi", "npm" ... */
	const char *name;
	const char *arch;         /* NULL when none */
	const char *version_a;    /* NULL when ADDED */
	const char *version_b;    /* NULL when REMOVED */
	const char *source_name;  /* of B's version (A's when removed); NULL */
	const char *layer_b;      /* digest of the layer of B that brought it; NULL */
} vigil_diff_package;

typedef struct vigil_diff_finding {
	const char *id;           /* "CVE-2019-14697" */
	const char *package;      /* the package's name */
	const char *version;      /* the version it was found in (A's for fixed, B's for introduced) */
	const char *fixed;        /* the fixed version, NULL when none */
	vigil_severity severity;
	const char *title;        /* the record's summary, NULL */
} vigil_diff_finding;

/* One configuration field that differs. */
typedef struct vigil_diff_config {
	const char *field;        /* "Entrypoint", "Cmd", "User", "Env", "ExposedPorts", "Labels",
	                             "WorkingDir", "Volumes", "StopSignal", "Healthcheck", "history",
	                             "os", "architecture", "variant" */
	const char *key;          /* Env: the variable; Labels: the label; ExposedPorts, Volumes:
	                             the port or path; NULL for the others */
	const char *a, *b;        /* the value (JSON text for lists), NULL when absent */
	int masked;               /* 1: a secret-looking variable: a and b are masked */
} vigil_diff_config;

typedef struct vigil_diff_image {
	const char *image;        /* the reference as given */
	const char *manifest_hash; /* NULL for dir: */
	size_t layer_count;
	const char *distribution; /* PRETTY_NAME or "ID VERSION_ID", NULL when unknown */
	size_t package_count;
	uint64_t files;           /* paths in the merged view (deleted ones not counted) */
} vigil_diff_image;

typedef struct vigil_diff_report {
	vigil_diff_image a, b;
	const vigil_diff_file *files;       /* sorted by path */
	size_t file_count;
	size_t files_added, files_removed, files_changed;
	const vigil_diff_package *packages; /* sorted by type, name, arch */
	size_t package_count;
	size_t pkgs_added, pkgs_removed, pkgs_upgraded, pkgs_downgraded, pkgs_changed;
	int findings_judged;                /* 1: the store held vulnerability data */
	const char *findings_why;           /* why not judged (the store is empty ...); NULL */
	const vigil_diff_finding *fixed;    /* in A, not in B; sorted by id, package */
	size_t fixed_count;
	const vigil_diff_finding *introduced; /* in B, not in A */
	size_t introduced_count;
	const vigil_diff_config *config;    /* in the order of the fields above */
	size_t config_count;
	const char *const *warnings;
	size_t warning_count;
	struct vigil_diff_internal *internal;
} vigil_diff_report;

/* Most differing paths kept (more are counted, with a warning). */
#define VIGIL_DIFF_MAX_FILES ((size_t)4000000)

typedef struct vigil_diff_options {
	const char *platform;        /* as vigil_index_options */
	const struct vigil_registry_options *registry;
	vigil_store *store;          /* layer cache and vulnerability data; NULL: no cache,
	                                findings not judged */
	int threads;                 /* indexing threads; 0: as vigil_index_image */
	int no_files;                /* 1: skip the file comparison (no layer pass) */
	vigil_progress_fn progress;  /* may be NULL */
	void *progress_ud;
	vigil_message_fn warn;       /* may be NULL (kept in the report too) */
	void *warn_ud;
} vigil_diff_options;

VIGIL_EXTERN(void) vigil_diff_options_init(vigil_diff_options *o);

/* Compares image a with image b (any reference vigil index takes). An
 * image that cannot be read fails naming it. */
VIGIL_EXTERN(int) vigil_diff_images(const char *a, const char *b, const vigil_diff_options *opt,
				    vigil_diff_report **out);
VIGIL_EXTERN(void) vigil_diff_report_free(vigil_diff_report *r);

/* VIGIL_FMT_TABLE, VIGIL_FMT_CLAIR or VIGIL_FMT_FLAT (both: the diff JSON,
 * docs/audit.md (vigil diff)), VIGIL_FMT_HTML; VIGIL_EINVAL for the others. */
VIGIL_EXTERN(int) vigil_diff_render(const vigil_diff_report *r, vigil_report_format f,
				    const vigil_report_options *o, char **out, size_t *len);

/* 1 when anything differs (files, packages, findings, config), else 0. */
VIGIL_EXTERN(int) vigil_diff_report_differs(const vigil_diff_report *r);

#ifdef __cplusplus
}
#endif
#endif
