/* scanner/lang/gorust.h: the Go and Rust package readers (issue 13):
 * executables (Go build info, cargo-auditable's .dep-v0), go.mod and
 * Cargo.lock. The entry points the kinds table (indexer/lang_kinds.c)
 * names; see docs/lang.md, sections Go and Rust.
 *
 * Packages: Go modules are VIGIL_PKG_GO (purl pkg:golang/<module>@<version>,
 * the toolchain as "stdlib" v<go version>), crates VIGIL_PKG_CARGO (purl
 * pkg:cargo/<name>@<version>); package_db is ctx->path. */
#ifndef VIGIL_SCANNER_LANG_GORUST_H
#define VIGIL_SCANNER_LANG_GORUST_H

#include "scanner/scanner.h"
#include "util/slice.h"
#include "util/stream.h"

/* Limits of the executable readers. */
#define VIGIL_GOBIN_MAX_VERSION 256                 /* the Go version string */
#define VIGIL_GOBIN_MAX_MODINFO ((size_t)1 << 20)   /* the module-info text */
#define VIGIL_GOBIN_MAX_CANDIDATES 256              /* pre-1.18: strings kept behind */
#define VIGIL_CARGO_MAX_JSON ((size_t)8 << 20)      /* inflated .dep-v0 (cargo-auditable's own cap) */
#define VIGIL_CARGO_MAX_PACKAGES 20000              /* crates in one binary or lock file */
/* The largest go.mod and Cargo.lock read (whole, in memory). */
#define VIGIL_MAX_GO_MOD_FILE ((size_t)4 << 20)
#define VIGIL_MAX_CARGO_LOCK_FILE ((size_t)16 << 20)
/* The largest executable looked at (bigger: skipped with a warning). */
#define VIGIL_MAX_EXE_FILE ((uint64_t)4 << 30)

/* ---- exe.c ---- */
/* Reads one executable (streamed, once): zero packages for anything that
 * is not ELF, Mach-O or PE, and for executables without Go build info or
 * a .dep-v0 section. */
int scan_lang_exe_parse(vigil_scan_ctx *ctx, vigil_istream *in, uint64_t size,
			vigil_pkg_list *out);

/* ---- gobin.c ---- */
/* Parses a module-info text (the lines between the 16-byte sentinels, or
 * with them) and the Go version into packages: the main module, every
 * dep (its replacement when a "=>" line follows), "stdlib". Used by the
 * executable reader and the fuzz target. */
int scan_lang_gobin_modinfo(vigil_scan_ctx *ctx, vigil_slice goversion, vigil_slice modinfo,
			    vigil_pkg_list *out);
/* Appends one Go package (name, version; purl without version when the
 * version is empty). flags: VIGIL_PKG_F_*. */
int scan_lang_go_push(vigil_scan_ctx *ctx, vigil_slice name, vigil_slice version,
		      uint32_t flags, vigil_pkg_list *out);

/* ---- gomod.c ---- */
bool scan_lang_gomod_path(vigil_slice path);
int scan_lang_gomod_parse(vigil_scan_ctx *ctx, const char *data, size_t len,
			  vigil_pkg_list *out);

/* ---- cargo_lock.c ---- */
bool scan_lang_cargo_lock_path(vigil_slice path);
int scan_lang_cargo_lock_parse(vigil_scan_ctx *ctx, const char *data, size_t len,
			       vigil_pkg_list *out);

/* ---- cargo_audit.c ---- */
/* Reads the inflated .dep-v0 JSON; the build-only crates are skipped. */
int scan_lang_cargo_audit_json(vigil_scan_ctx *ctx, const char *json, size_t len,
			       vigil_pkg_list *out);
/* Appends one crate. */
int scan_lang_cargo_push(vigil_scan_ctx *ctx, vigil_slice name, vigil_slice version,
			 vigil_pkg_list *out);

#endif
