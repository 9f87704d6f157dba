/* scanner/lang/node_lock.h: the Node.js lock files (issue 13), read whole:
 * package-lock.json and npm-shrinkwrap.json (npm_lock.c, lockfileVersion
 * 1, 2 and 3), yarn.lock (yarn.c, v1 and berry) and pnpm-lock.yaml
 * (pnpm.c, lockfileVersion 5.x, 6 and 9).
 *
 * Each parser lists what trivy's parser of the same file lists
 * (pkg/dependency/parser/nodejs/{npm,yarn,pnpm}/parse.go): type
 * VIGIL_PKG_NPM, the name as npm writes it ("@scope/name"), the version,
 * the purl of scan_lang_purl(), package_db = ctx->path, VIGIL_PKG_F_DEV
 * when the file says the package is for development only. The root project,
 * workspace folders, links and file:/link:/workspace: protocols are not
 * packages. A name@version is listed once per file (dev only when every
 * copy is). The path predicates take lock files of application folders:
 * none inside node_modules (node_modules/.package-lock.json included: what
 * it lists is read from node_modules/<name>/package.json already), nor,
 * for yarn.lock, inside yarn's .yarn folder (as trivy); see docs/lang.md. */
#ifndef VIGIL_SCANNER_LANG_NODE_LOCK_H
#define VIGIL_SCANNER_LANG_NODE_LOCK_H

#include "scanner/scanner.h"
#include "util/map.h"
#include "util/slice.h"

/* The largest lock file read (each kind; bigger: a warning naming it, the
 * file is not read into memory). jansson and the YAML tree take about six
 * to eight times the file while it is parsed. */
#define VIGIL_MAX_NODE_LOCK_FILE ((size_t)32 * 1024 * 1024)
/* package-lock v1: the deepest "dependencies" nesting followed. */
#define VIGIL_NPM_LOCK_MAX_DEPTH 64
/* package-lock v2/v3: the most "link": true entries resolved (each entry
 * is compared with every link). */
#define VIGIL_NPM_LOCK_MAX_LINKS 1024
/* pnpm-lock.yaml: YAML events, nesting and aliases accepted (pnpm writes
 * no anchors or aliases; one is refused, so no alias bomb can grow). */
#define VIGIL_PNPM_MAX_EVENTS ((size_t)8 * 1024 * 1024)
#define VIGIL_PNPM_MAX_DEPTH 32
#define VIGIL_PNPM_MAX_ALIASES 0

/* The base name is package-lock.json / npm-shrinkwrap.json, yarn.lock,
 * pnpm-lock.yaml, and no folder of the path is node_modules. */
bool scan_npm_lock_path(vigil_slice path);
bool scan_yarn_lock_path(vigil_slice path);
bool scan_pnpm_lock_path(vigil_slice path);

int scan_npm_lock_parse(vigil_scan_ctx *ctx, const char *data, size_t len, vigil_pkg_list *out);
int scan_yarn_lock_parse(vigil_scan_ctx *ctx, const char *data, size_t len, vigil_pkg_list *out);
int scan_pnpm_lock_parse(vigil_scan_ctx *ctx, const char *data, size_t len, vigil_pkg_list *out);

/* ---- shared by the three (npm_lock.c) ---- */
/* The packages of one lock file, each name@version once. */
typedef struct scan_node_out {
	vigil_scan_ctx *ctx;
	vigil_pkg_list *out;
	size_t first;  /* out->items[first..] are this file's */
	vigil_map seen; /* "name@version" -> index + 1 in out->items */
} scan_node_out;

void scan_node_out_init(scan_node_out *o, vigil_scan_ctx *ctx, vigil_pkg_list *out);
/* Drops what this file added (after a failure) and frees the index. */
void scan_node_out_done(scan_node_out *o, int rc);
/* Lists name@version (version may be empty: trivy lists a workspace
 * package without one); dev is ANDed with an earlier copy's. A name or
 * version vigil does not keep (scan_lang_token_ok; "@scope" without
 * "/name") is skipped with a warning. */
int scan_node_add(scan_node_out *o, vigil_slice name, vigil_slice version, bool dev);
/* How many bytes of s a message shows: its printable prefix (no control
 * byte of a hostile file reaches a terminal), at most 80. */
int scan_node_shown(vigil_slice s);
/* True when the last component of path is base and no folder of it is
 * named node_modules. */
bool scan_node_lock_path(vigil_slice path, const char *base);
/* True when a folder of path (not its last component) is named dir. */
bool scan_node_path_has_dir(vigil_slice path, const char *dir);

#endif
