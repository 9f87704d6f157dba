/* vigil/inspect.h: what an image is, without matching anything: its
 * config (entrypoint, cmd, user, env with secret-looking values masked,
 * ports, labels ...), its history (every entry, with each layer's digest,
 * compressed and uncompressed size and file count, counted in one pass
 * over the layers), the Dockerfile reconstructed from the history, and,
 * from the store, the image's family tree (the indexed images that share
 * its base layers) and the tag history of a repository tag.
 * docs/audit.md (vigil inspect) documents every field.
 *
 *   vigil_inspect_options o;
 *   vigil_inspect_options_init(&o);
 *   vigil_inspect_report *r;
 *   if (vigil_inspect_image("oci:/tmp/img:v2", &o, &r) < 0)
 *       fprintf(stderr, "%s\n", vigil_error_message());
 *   char *out; size_t len;
 *   vigil_inspect_render(r, VIGIL_FMT_CLAIR, &out, &len);   JSON
 *   vigil_inspect_report_free(r);
 */
#ifndef VIGIL_INSPECT_H
#define VIGIL_INSPECT_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/audit.h"
#include "vigil/common.h"
#include "vigil/report.h"
#include "vigil/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Most entries read of one config list (Env, Labels, history ...); more
 * are dropped with a warning. */
#define VIGIL_INSPECT_MAX_ITEMS 4096
/* Bytes kept of one config string (an env value, a label, a created_by). */
#define VIGIL_INSPECT_MAX_STRING 65536

typedef struct vigil_inspect_env {
	const char *name;
	const char *value;   /* masked when secret ("AKIA************MPLE") */
	int masked;          /* 1: value is the masked form */
	const char *why;     /* why it was masked ("name contains PASSWORD"), NULL */
} vigil_inspect_env;

typedef struct vigil_inspect_label {
	const char *key;
	const char *value;
} vigil_inspect_label;

/* One entry of the config's history, in order (empty_layer ones too). */
typedef struct vigil_inspect_history {
	const char *created;     /* RFC 3339 as in the config, NULL */
	const char *created_by;  /* NULL when absent */
	const char *comment;     /* NULL */
	const char *author;      /* NULL */
	int empty_layer;         /* 1: made no layer (ENV, CMD ...) */
	size_t layer;            /* the layer it made (base = 0), VIGIL_AUDIT_NO_LAYER */
	const char *instruction; /* the Dockerfile line made of created_by ("RUN apt-get ..."), NULL */
} vigil_inspect_history;

typedef struct vigil_inspect_report {
	const char *image;            /* the reference as given */
	const char *manifest_digest;  /* NULL for dir: */
	const char *config_digest;    /* NULL when none */
	/* the config's top level */
	const char *architecture, *os, *variant, *created, *author, *docker_version;
	/* config.config; NULL / 0 when unset. Arrays as in the JSON. */
	const char *const *entrypoint;
	size_t entrypoint_count;
	const char *const *cmd;
	size_t cmd_count;
	const char *const *shell;
	size_t shell_count;
	const char *user, *working_dir, *stop_signal;
	const vigil_inspect_env *env;
	size_t env_count;
	const char *const *exposed_ports; /* "80/tcp", sorted */
	size_t exposed_port_count;
	const char *const *volumes;       /* sorted */
	size_t volume_count;
	const vigil_inspect_label *labels; /* sorted by key */
	size_t label_count;
	const char *const *onbuild;
	size_t onbuild_count;
	const char *healthcheck;     /* "CMD-SHELL curl -f http://localhost/ || exit 1", NULL; */
	const char *healthcheck_options; /* "interval=30s timeout=3s retries=3", NULL */
	/* the history */
	const vigil_inspect_history *history;
	size_t history_count;
	/* the layers, base first, with what the pass counted */
	const vigil_audit_layer *layers;
	size_t layer_count;
	uint64_t total_size, total_uncompressed, total_files;
	const char *dockerfile;       /* the reconstructed Dockerfile, one line per history entry */
	const char *const *warnings;
	size_t warning_count;
	/* the family tree (vigil_inspect_family), NULL until asked */
	const struct vigil_inspect_family *family;
	struct vigil_inspect_internal *internal;
} vigil_inspect_report;

typedef struct vigil_inspect_options {
	const char *platform;
	const struct vigil_registry_options *registry;
	vigil_progress_fn progress;
	void *progress_ud;
	vigil_message_fn warn;
	void *warn_ud;
	int no_layers;                /* 1: do not read the layers (no sizes, no file counts) */
} vigil_inspect_options;

VIGIL_EXTERN(void) vigil_inspect_options_init(vigil_inspect_options *o);
/* Opens ref, reads its config and (unless no_layers) every layer once.
 * A config that is not JSON, or whose known members have the wrong type,
 * is VIGIL_EFORMAT naming the member ("config.Env[3]: not a string"). */
VIGIL_EXTERN(int) vigil_inspect_image(const char *ref, const vigil_inspect_options *o, vigil_inspect_report **out);
VIGIL_EXTERN(void) vigil_inspect_report_free(vigil_inspect_report *r);

/* The Dockerfile line of one history created_by, as docker history,
 * dive and Anchore show it: "/bin/sh -c #(nop)  CMD [\"sh\"]" -> "CMD
 * [\"sh\"]", "/bin/sh -c apt-get update" -> "RUN apt-get update",
 * BuildKit's "RUN /bin/sh -c make # buildkit" -> "RUN make". malloc'd;
 * NULL (no error) when created_by is empty. */
VIGIL_EXTERN(char *) vigil_inspect_instruction(const char *created_by, size_t len);

/* Whether an environment variable looks secret (*why, static, says why):
 * 1 its value has a known token format (shown with its ends: "AKIA****MPLE"),
 * 2 its name says so or it is high-entropy (shown as "********", nothing
 * of it kept), 0 not a secret. */
VIGIL_EXTERN(int) vigil_inspect_env_secret(const char *name, const char *value, const char **why);

/* ---- the store's view (vigil/store.h records every indexed image) ---- */

typedef enum vigil_family_relation {
	VIGIL_FAMILY_SELF = 0,   /* the same layers (this image, or another name of it) */
	VIGIL_FAMILY_PARENT,     /* its layers are a strict prefix of the image's */
	VIGIL_FAMILY_CHILD,      /* it starts with every layer of the image */
	VIGIL_FAMILY_SIBLING,    /* it shares the image's base (its nearest parent's layers,
	                            or all but its top layer) and is neither */
} vigil_family_relation;

typedef struct vigil_family_member {
	vigil_family_relation relation;
	const char *reference;        /* as last indexed */
	const char *repository, *tag; /* tag NULL */
	const char *manifest_digest;
	size_t layer_count;
	size_t shared;                /* layers shared with the image, from the base */
	int64_t indexed_at;           /* unix time of the newest record */
	int64_t findings;             /* -1: not known (indexed, not scanned) */
} vigil_family_member;

typedef struct vigil_inspect_family {
	size_t base_layers;           /* the layers siblings share */
	const vigil_family_member *members; /* parents (nearest last), self, children, siblings */
	size_t member_count;
} vigil_inspect_family;

/* Adds r's family tree from store (r->layers are the image's). */
VIGIL_EXTERN(int) vigil_inspect_family_load(vigil_inspect_report *r, vigil_store *store);

typedef struct vigil_tag_entry {
	const char *manifest_digest;
	const char *config_digest;    /* NULL when not known */
	const char *reference;        /* as given the first time */
	int64_t first_seen, last_seen; /* unix time */
	size_t times;                 /* records of it (index and scan runs) */
	int64_t findings;             /* the findings of its newest scan, -1: never scanned */
	size_t layer_count;
} vigil_tag_entry;

typedef struct vigil_tag_history {
	const char *repository, *tag;
	const vigil_tag_entry *entries; /* by first seen */
	size_t entry_count;
	struct vigil_inspect_internal *internal;
} vigil_tag_history;

/* The digests repo_tag ("REPO:TAG", or any reference vigil takes: its
 * repository and tag) pointed to when vigil indexed it. No record is not
 * an error (entry_count 0). */
VIGIL_EXTERN(int) vigil_tag_history_load(vigil_store *store, const char *repo_tag, vigil_tag_history **out);
VIGIL_EXTERN(void) vigil_tag_history_free(vigil_tag_history *h);

/* Renders: VIGIL_FMT_TABLE, or VIGIL_FMT_CLAIR / VIGIL_FMT_FLAT (both the
 * JSON of docs/audit.md (vigil inspect)); VIGIL_EINVAL for the others. */
VIGIL_EXTERN(int) vigil_inspect_render(const vigil_inspect_report *r, vigil_report_format f, char **out,
				       size_t *len);
VIGIL_EXTERN(int) vigil_tag_history_render(const vigil_tag_history *h, vigil_report_format f, char **out,
					   size_t *len);

#ifdef __cplusplus
}
#endif
#endif
