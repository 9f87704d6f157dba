/* scanner/lang/lang.h: the parsers of language-package metadata (issue 13):
 * Python distributions (*.dist-info/METADATA, *.egg-info/PKG-INFO or the
 * *.egg-info file) and Node.js packages (node_modules/<name>/package.json,
 * node_modules/@scope/<name>/package.json).
 *
 * Same contract as scanner/scanner.h: a parser takes the whole bytes of one
 * file, appends at most one vigil_package (type VIGIL_PKG_PYPI or
 * VIGIL_PKG_NPM, name and version as the file writes them, package_db =
 * ctx->path, purl built here) and interns its strings in ctx->strings. A
 * file without a usable name is not an error: it is skipped with a warning
 * (scan_warn), the rest of the image is still read. Too large a file is
 * VIGIL_ELIMIT; a package.json that is not JSON is VIGIL_EFORMAT.
 *
 * The path predicates say which files of a layer these parsers want; they
 * look at the path only (rootfs-relative, no leading "/"). See docs/lang.md. */
#ifndef VIGIL_SCANNER_LANG_LANG_H
#define VIGIL_SCANNER_LANG_LANG_H

#include "scanner/scanner.h"
#include "util/slice.h"

/* The largest METADATA/PKG-INFO read: only the header block is parsed and it
 * must end within this many bytes (the long description after it may be
 * longer and is not read). */
#define VIGIL_LANG_PY_MAX_HEADER ((size_t)1024 * 1024)
/* The largest package.json read. */
#define VIGIL_LANG_NPM_MAX_SIZE ((size_t)1024 * 1024)
/* The longest name or version kept (npm caps names at 214; PyPI has no cap). */
#define VIGIL_LANG_MAX_NAME 512
#define VIGIL_LANG_MAX_VERSION 256

/* ---- lang/python.c ---- */
/* True for ".../<x>.dist-info/METADATA", ".../<x>.egg-info/PKG-INFO" and a
 * file ".../<x>.egg-info". */
bool scan_lang_python_path(vigil_slice path);
/* Reads Name: and Version: from the RFC 822 header block (up to the first
 * empty line; the first of each kept, continuation lines skipped). */
int scan_lang_python_parse(vigil_scan_ctx *ctx, const char *data, size_t len,
			   vigil_pkg_list *out);
/* PEP 503: lower case, every run of '-', '_', '.' as one '-', into buf
 * (NUL-terminated; false when it does not fit). */
bool scan_lang_pep503(vigil_slice name, char *buf, size_t size);

/* ---- lang/npm.c ---- */
/* True for ".../node_modules/<name>/package.json" and
 * ".../node_modules/@scope/<name>/package.json" (nested node_modules too). */
bool scan_lang_npm_path(vigil_slice path);
/* Reads "name" and "version" of a package.json with jansson. */
int scan_lang_npm_parse(vigil_scan_ctx *ctx, const char *data, size_t len,
			vigil_pkg_list *out);

/* ---- lang/purl.c ---- */
/* Builds "pkg:<type>/<name>[@<version>]" in ctx->strings: name is already
 * in the ecosystem's canonical form; a leading '@' of an npm scope and every
 * byte outside [A-Za-z0-9.-_~] (and '/' between namespace and name) is
 * percent-encoded as the purl spec says. NULL (error set) on failure. */
const char *scan_lang_purl(vigil_scan_ctx *ctx, const char *type, vigil_slice name,
			   vigil_slice version);
/* A name or version vigil keeps: 1..max bytes of printable ASCII without
 * spaces. */
bool scan_lang_token_ok(vigil_slice v, size_t max);

#endif
