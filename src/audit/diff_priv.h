/* audit/diff_priv.h: the parts of vigil diff (vigil/diff.h), each a pure
 * comparison of what the two images hold, so the unit tests feed them
 * synthetic views:
 *
 *   diff.c         the front door: walks and indexes both images, calls the rest
 *   diff_files.c   two merged views (audit_fs_sorted) -> files added, removed, changed
 *   diff_pkgs.c    two index reports' packages -> added, removed, up/downgraded
 *                  (and two match reports' findings -> fixed, introduced)
 *   diff_config.c  two image configs -> the fields that differ
 *   diff_render.c  table and JSON;  diff_html.c  the HTML page
 *
 * Every string of the report lives in the report's arena. */
#ifndef VIGIL_AUDIT_DIFF_PRIV_H
#define VIGIL_AUDIT_DIFF_PRIV_H

#include "audit/audit_priv.h"
#include "vigil/diff.h"

#include <jansson.h>

/* Memory of one diff's strings. */
#define DIFF_ARENA_CAP ((size_t)1 << 30)
/* Most packages, findings, config differences and warnings kept. */
#define DIFF_MAX_PACKAGES ((size_t)1000000)
#define DIFF_MAX_FINDINGS ((size_t)1000000)
#define DIFF_MAX_CONFIG ((size_t)100000)
#define DIFF_MAX_WARNINGS ((size_t)10000)
/* Longest configuration value shown (longer ones are cut, with "..."). */
#define DIFF_MAX_VALUE ((size_t)4096)

struct vigil_diff_internal {
	vigil_arena *arena;
	vigil_intern *strs;
	vigil_diff_file *files;
	size_t capfiles, files_dropped;
	vigil_diff_package *pkgs;
	size_t cappkgs;
	vigil_diff_finding *fixed, *intro;
	size_t capfixed, capintro;
	vigil_diff_config *cfg;
	size_t capcfg;
	const char **warnings;
	size_t capwarnings;
	vigil_message_fn warn;
	void *warn_ud;
};

/* One image's merged view for diff_files(). */
typedef struct diff_view {
	const audit_file *const *files; /* sorted by path (deleted records are skipped) */
	size_t n;
	const char *const *layer_digests; /* by layer index */
	size_t nlayers;
} diff_view;

/* An empty report (its arena ready). */
int diff_report_new(vigil_diff_report **out);
const char *diff_str(vigil_diff_report *r, const char *s);
void diff_warn(vigil_diff_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int diff_files(vigil_diff_report *r, const diff_view *a, const diff_view *b);
int diff_packages(vigil_diff_report *r, const vigil_package *a, size_t na, const vigil_package *b, size_t nb);
int diff_findings(vigil_diff_report *r, const vigil_finding *a, size_t na, const vigil_finding *b, size_t nb);
/* a, b: the image configs (NULL: none). */
int diff_config(vigil_diff_report *r, const json_t *a, const json_t *b);
/* The version scheme of a package type ("dpkg", "pep440" ...), NULL when none. */
const char *diff_scheme(vigil_pkg_type t);
/* Whether an environment variable's name looks like it holds a secret. */
int diff_secret_name(const char *name, size_t n);

/* The report's JSON (diff_render.c; the HTML page embeds it too). */
json_t *diff_report_json(const vigil_diff_report *r);
int diff_render_html(const vigil_diff_report *r, char **out, size_t *len);

#endif
