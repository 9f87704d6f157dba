/* audit/inspect_priv.h: the parts of vigil inspect (vigil/inspect.h):
 *
 *   inspect.c         the front door: the walk with no checker (layer
 *                     sizes and file counts), the config read into the report
 *   inspect_config.c  the config JSON -> the report's members (named errors)
 *   inspect_docker.c  created_by -> Dockerfile line; secret-looking env
 *   inspect_render.c  table and JSON
 *   inspect_store.c   family tree and tag history from the store's records
 *
 * Every string of a report lives in its arena (internal->arena). */
#ifndef VIGIL_AUDIT_INSPECT_PRIV_H
#define VIGIL_AUDIT_INSPECT_PRIV_H

#include <jansson.h>

#include "util/arena.h"
#include "util/buf.h"
#include "vigil/inspect.h"

/* Memory of one report's strings. */
#define INSPECT_ARENA_CAP ((size_t)256 << 20)
/* Most warnings one report keeps. */
#define INSPECT_MAX_WARNINGS 256
/* Bytes of a rendered report. */
#define INSPECT_RENDER_MAX ((size_t)256 << 20)
/* Build arguments ("|2 A=1 B=2") skipped before a RUN's shell. */
#define INSPECT_MAX_BUILD_ARGS 64

struct vigil_inspect_internal {
	vigil_arena *arena;
	const char **warnings;
	size_t nwarnings;
	vigil_message_fn warn;
	void *warn_ud;
};

void inspect_warn(vigil_inspect_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A report with its arena, nothing else set. */
int inspect_report_new(vigil_inspect_report **out);

/* Fills r's config and history members from the image config (NULL:
 * none). VIGIL_EFORMAT naming the member whose type is wrong. Layers must
 * be set first (history entries are matched to them in order). */
int inspect_config_parse(vigil_inspect_report *r, const json_t *config);
/* Replaces, in every history entry, the values of env_raw ("NAME=VALUE",
 * the config's Env as read) and of NAME=VALUE pairs of created_by lines
 * that look secret by their mask (inspect_mask.c). */
int inspect_mask_history(vigil_inspect_report *r, const char *const *env_raw, size_t n);
/* r->dockerfile from r->history. */
int inspect_dockerfile_build(vigil_inspect_report *r);

/* The Dockerfile line of created_by into b (empty when created_by is). */
int inspect_instruction_buf(vigil_buf *b, const char *created_by, size_t len);

#endif
