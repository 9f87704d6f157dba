/* audit/audit_priv.h: the one pass over an image's layers (walk.c) and the
 * interface of the scanners that ride on it (secret*.c, integrity*.c,
 * trojan*.c, policy*.c), of inspect and diff.
 *
 * The walk opens the image, reads its config, then streams each layer,
 * base first, through layer_tar_walk_stream(). For every tar entry it asks
 * each checker what it wants (nothing, the whole bytes, the bytes as
 * chunks), reads the data once, hashes regular files when a checker asked
 * for hashes, hands the result to the checkers, and applies the entry to
 * the merged view of the filesystem (whiteouts and opaque folders
 * included). After the last layer, each checker's finish() sees the
 * merged view: the image as a container would see it, each file with the
 * layer of its version and of the version it replaced.
 *
 *   audit_walk *w;
 *   audit_walk_open(ref, &wopt, &w);         image opened, config read
 *   audit_walk_add(w, &secret_checker, opt); ... one per scanner
 *   audit_walk_run(w);                        every layer once, then finish()
 *   ... audit_walk_findings(w) / audit_fs_get(w, "etc/passwd")
 *   audit_walk_free(w);
 *
 * Memory: the merged view holds one audit_file per path (about 150 bytes
 * plus its path): a million files fit in about 200 MB, a typical 1 GB
 * image (40,000 files) in 8 MB. File bytes are never kept past the entry,
 * except what a checker copies itself. */
#ifndef VIGIL_AUDIT_AUDIT_PRIV_H
#define VIGIL_AUDIT_AUDIT_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "layer/layer.h"
#include "util/arena.h"
#include "util/intern.h"
#include "vigil/audit.h"

/* Largest whole file handed to a checker that asked for the bytes
 * (AUDIT_WANT_BYTES); larger files come as chunks or not at all. */
#define AUDIT_MAX_BYTES ((size_t)16 << 20)
/* Most files in the merged view of one image. */
#define AUDIT_MAX_FILES ((size_t)4000000)
/* Most findings one audit keeps (more are counted, with a warning). */
#define AUDIT_MAX_FINDINGS ((size_t)100000)
/* Memory of one audit's strings (paths, findings). */
#define AUDIT_ARENA_CAP ((size_t)1 << 30)

/* Hashes of regular files a checker may ask for. */
enum {
	AUDIT_HASH_MD5 = 1,
	AUDIT_HASH_SHA1 = 2,
	AUDIT_HASH_SHA256 = 4,
};

/* What a checker's entry() returns (bits), or a negative error. */
enum {
	AUDIT_SKIP = 0,
	AUDIT_WANT_BYTES = 1,  /* the whole content in entry_end() (files up to AUDIT_MAX_BYTES) */
	AUDIT_WANT_CHUNKS = 2, /* the content as it is read, in chunk() (any size) */
};

/* One path of the merged view. */
typedef struct audit_file {
	const char *path;        /* interned, no leading '/' */
	const char *link;        /* symlink target as stored, hard link target path; NULL */
	vigil_tar_type type;
	uint32_t mode;           /* permission bits (& 07777) */
	int64_t uid, gid;
	int64_t size;
	int64_t mtime;
	uint32_t layer;          /* the layer of this version */
	int32_t prev_layer;      /* the layer of the version it replaced (same path,
	                            any type), -1 when none */
	unsigned hashed : 1;     /* the hashes asked for are set (regular files) */
	unsigned binary : 1;     /* a NUL byte in its first 8 KiB */
	unsigned deleted : 1;    /* removed by a later whiteout (kept so a checker can tell) */
	uint8_t md5[16];
	uint8_t sha1[20];
	uint8_t sha256[32];
	uint8_t prev_sha256[32]; /* the replaced version's sha256 (when it was hashed) */
	unsigned prev_hashed : 1;
	unsigned seen : 1;       /* a version was applied (walk.c's bookkeeping) */
} audit_file;

/* One entry as the walk hands it over. */
typedef struct audit_entry {
	const vigil_tar_entry *tar;  /* path, type, mode, uid, gid, size, link; for a whiteout
	                                the .wh. entry itself */
	size_t layer;
	const char *layer_digest;
	const char *path;            /* the path it is about: tar->path, or the path a
	                                whiteout deletes / the folder an opaque marker empties */
	bool whiteout;               /* deletes path (and what is under it) */
	bool opaque;                 /* empties the folder path of what lower layers put there */
} audit_entry;

typedef struct audit_walk audit_walk;

/* A scanner riding on the walk. Every callback may be NULL. A negative
 * return stops the walk with that error (set the message). */
typedef struct audit_checker {
	const char *name;            /* "secret" */
	unsigned hashes;             /* AUDIT_HASH_* of every regular file it needs */
	/* Makes the checker's state (*st) for opt; loads rules or policy files
	 * here (errors name the file). */
	int (*init)(audit_walk *w, const vigil_audit_options *opt, void **st);
	int (*layer_begin)(void *st, audit_walk *w, size_t layer);
	/* Every entry (whiteouts and opaque markers too, before they apply):
	 * AUDIT_WANT_* bits. */
	int (*entry)(void *st, audit_walk *w, const audit_entry *e);
	int (*chunk)(void *st, audit_walk *w, const audit_entry *e, const uint8_t *p, size_t n);
	/* After an entry's data was read (and for entries with no data): f is
	 * its record in the merged view (hashes set when asked for; for a
	 * whiteout the record it deleted, or NULL); bytes the whole content when
	 * AUDIT_WANT_BYTES was asked and it fit (else NULL). */
	int (*entry_end)(void *st, audit_walk *w, const audit_entry *e, const audit_file *f,
			 const uint8_t *bytes, size_t n);
	int (*layer_end)(void *st, audit_walk *w, size_t layer);
	/* After the last layer: the merged view is complete. */
	int (*finish)(void *st, audit_walk *w);
	void (*free)(void *st);
} audit_checker;

typedef struct audit_walk_options {
	const char *platform;
	const struct vigil_registry_options *registry;
	vigil_progress_fn progress;
	void *progress_ud;
	vigil_message_fn warn;
	void *warn_ud;
	vigil_store *index_store;    /* the layer cache the indexer riding on the pass fills
	                                (walk_index.c); NULL: no indexing */
	unsigned hashes;             /* hashes of every regular file whatever the checkers
	                                ask (diff: AUDIT_HASH_SHA256) */
	int64_t now;
} audit_walk_options;

int audit_walk_open(const char *ref, const audit_walk_options *opt, audit_walk **out);
/* Adds a checker (its init() runs now, with opt). */
int audit_walk_add(audit_walk *w, const audit_checker *c, const vigil_audit_options *opt);
/* Reads every layer once, then runs each checker's finish(): both steps
 * of audit_walk_read() and audit_walk_finish(), which a caller with work
 * between them (vigil_audit_image's inputs callback) calls apart. */
int audit_walk_run(audit_walk *w);
int audit_walk_read(audit_walk *w);
int audit_walk_finish(audit_walk *w);
void audit_walk_free(audit_walk *w);

/* ---- what the walk knows (valid until audit_walk_free) ---- */
const char *audit_walk_ref(const audit_walk *w);
/* "sha256:..." of the manifest, NULL for dir:. */
const char *audit_walk_manifest_digest(const audit_walk *w);
const char *audit_walk_config_digest(const audit_walk *w);
/* The image config (jansson; NULL when the image has none: dir:). */
const json_t *audit_walk_config(const audit_walk *w);
size_t audit_walk_layer_count(const audit_walk *w);
/* Layer i with what the pass counted (after run). */
const vigil_audit_layer *audit_walk_layer(const audit_walk *w, size_t i);
/* The arena and interner of the walk: strings that live as long as it. */
vigil_arena *audit_walk_arena(audit_walk *w);
const char *audit_walk_str(audit_walk *w, const char *s, size_t n);
int64_t audit_walk_now(const audit_walk *w);

/* The merged view: the record of path (no leading '/'), or NULL when
 * absent. Deleted records come back too (f->deleted set). */
const audit_file *audit_fs_get(const audit_walk *w, const char *path);
/* Every record (deleted ones too), sorted by path. */
int audit_fs_sorted(const audit_walk *w, const audit_file ***files, size_t *n);

/* ---- what checkers report ---- */
/* Copies f (its strings too) into the walk's findings. */
int audit_add_finding(audit_walk *w, const vigil_audit_finding *f);
int audit_add_policy(audit_walk *w, const vigil_audit_policy_result *p);
/* A warning kept in the report (and handed to the warn callback). */
void audit_warn(audit_walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Counters the secret scanner keeps in the report. */
void audit_count_scanned(audit_walk *w, uint64_t files, uint64_t bytes, uint64_t binaries_skipped);

/* The findings so far (for the report). */
const vigil_audit_finding *audit_walk_findings(const audit_walk *w, size_t *n);
const vigil_audit_policy_result *audit_walk_policy(const audit_walk *w, size_t *n);
const char *const *audit_walk_warnings(const audit_walk *w, size_t *n);

/* ---- the scanners (each in its own files) ---- */
extern const audit_checker audit_secret_checker;    /* secret*.c */
extern const audit_checker audit_integrity_checker; /* integrity*.c */
extern const audit_checker audit_trojan_checker;    /* trojan*.c */
extern const audit_checker audit_policy_checker;    /* policy*.c */

/* render.c, for the combined scan report (render_scan.c): the audit JSON
 * object; the audit rules and results appended to a SARIF run's arrays. */
json_t *audit_render_json(const vigil_audit_report *r);
void audit_render_sarif_into(const vigil_audit_report *r, json_t *rules, json_t *results);

/* Helpers for checkers (audit/util.c) */
/* Redacts a secret for display: the first 4 and last 4 characters kept
 * when it is 12 or longer, '*' between (at most 32 shown in all). */
char *audit_redact(vigil_arena *a, const char *p, size_t n);
/* j (taken: freed) as JSON text in *out (malloc'd), indented unless
 * o->pretty is 0, members in their order. */
int audit_json_dump(json_t *j, const vigil_report_options *o, char **out, size_t *len);
/* Whether bytes look binary (a NUL in the first 8 KiB). */
bool audit_is_binary(const uint8_t *p, size_t n);

#endif
