/* scanner/lang/rpn.h: the parsers of Ruby, PHP and .NET package metadata
 * (issue 13): installed gem specifications and Gemfile.lock (RubyGems),
 * Composer's vendor/composer/installed.json and composer.lock (Packagist),
 * .NET's *.deps.json, NuGet's packages.lock.json and the metadata of .NET
 * assemblies (NuGet).
 *
 * Same contract as scanner/lang/lang.h: a parser appends packages (type
 * VIGIL_PKG_GEM, VIGIL_PKG_COMPOSER or VIGIL_PKG_NUGET, name and version as
 * the file writes them, package_db = ctx->path, purl built here) and
 * interns its strings in ctx->strings. A file that is not what its name
 * says (not JSON, no section, no name) is VIGIL_EFORMAT with a message
 * naming the line or field; a limit hit is VIGIL_ELIMIT. One unusable entry
 * of a lock file (a version with spaces) is skipped with a warning. The
 * path predicates look at the path only (rootfs-relative, no leading "/").
 * See docs/lang.md, sections Ruby, PHP and .NET. */
#ifndef VIGIL_SCANNER_LANG_RPN_H
#define VIGIL_SCANNER_LANG_RPN_H

#include "scanner/lang/lang.h"
#include "util/stream.h"

#include <jansson.h>

/* The largest file of each kind read (the indexer's max_size too). */
#define VIGIL_LANG_GEMSPEC_MAX_SIZE ((size_t)4 * 1024 * 1024)
#define VIGIL_LANG_GEMFILE_LOCK_MAX_SIZE ((size_t)16 * 1024 * 1024)
#define VIGIL_LANG_COMPOSER_MAX_SIZE ((size_t)64 * 1024 * 1024)
#define VIGIL_LANG_DOTNET_DEPS_MAX_SIZE ((size_t)64 * 1024 * 1024)
#define VIGIL_LANG_NUGET_LOCK_MAX_SIZE ((size_t)64 * 1024 * 1024)
/* The largest assembly looked at (a bigger one is skipped, not read). */
#define VIGIL_LANG_PE_MAX_SIZE ((uint64_t)1024 * 1024 * 1024)
/* The most bytes of a PE file held at once: its headers, the .NET
 * metadata block, the resource section. */
#define VIGIL_LANG_PE_MAX_HEADERS ((size_t)64 * 1024)
#define VIGIL_LANG_PE_MAX_METADATA ((size_t)64 * 1024 * 1024)
#define VIGIL_LANG_PE_MAX_RESOURCES ((size_t)16 * 1024 * 1024)
/* A gemspec line longer than this is not looked at (a name or version
 * line is short; s.files of a Debian gemspec may be long). */
#define VIGIL_LANG_GEMSPEC_MAX_LINE ((size_t)64 * 1024)
/* A Gemfile.lock line longer than this is VIGIL_ELIMIT. */
#define VIGIL_LANG_GEMFILE_MAX_LINE ((size_t)4096)
/* The deepest JSON nesting accepted in the JSON files (jansson has its own
 * hard limit of 2048; real files nest 4 or 5 deep). */
#define VIGIL_LANG_JSON_MAX_DEPTH 64
/* The most packages one file may yield. */
#define VIGIL_LANG_RPN_MAX_PACKAGES 100000

/* ---- lang/rpn.c: what the parsers share ---- */
/* Appends a package of type t (purl type from vigil_pkg_type_name()) with
 * package_db = ctx->path; the purl's namespace is the part of name before
 * its '/' for Composer ("vendor/name"). Name and version must pass
 * scan_lang_token_ok(), else the entry is skipped with a warning naming
 * where (0 comes back). */
int scan_rpn_add(vigil_scan_ctx *ctx, vigil_pkg_type t, vigil_slice name, vigil_slice version,
		 uint32_t flags, const char *where, vigil_pkg_list *out);
/* Whether out[from..] already holds name@version (interned: compared by
 * the bytes). */
bool scan_rpn_has(const vigil_pkg_list *out, size_t from, vigil_slice name, vigil_slice version);
/* Parses a JSON document with jansson, nesting at most
 * VIGIL_LANG_JSON_MAX_DEPTH deep: VIGIL_EFORMAT "<what>: line N: ..." when
 * it does not parse, VIGIL_ELIMIT when too deep or len > max. */
int scan_rpn_json(const char *what, const char *data, size_t len, size_t max, json_t **out);

/* ---- lang/gemspec.c ---- */
/* ".../specifications/<x>.gemspec" and ".../specifications/default/<x>.gemspec". */
bool scan_lang_gemspec_path(vigil_slice path);
/* Reads name and version of a gemspec written by Gem::Specification#to_ruby. */
int scan_lang_gemspec_parse(vigil_scan_ctx *ctx, const char *data, size_t len,
			    vigil_pkg_list *out);

/* ---- lang/gemfile.c ---- */
/* ".../Gemfile.lock" (and "gems.locked", Bundler's other name for it). */
bool scan_lang_gemfile_lock_path(vigil_slice path);
int scan_lang_gemfile_lock_parse(vigil_scan_ctx *ctx, const char *data, size_t len,
				 vigil_pkg_list *out);

/* ---- lang/composer.c ---- */
/* ".../vendor/composer/installed.json". */
bool scan_lang_composer_installed_path(vigil_slice path);
/* ".../composer.lock". */
bool scan_lang_composer_lock_path(vigil_slice path);
/* installed.json: composer 1 (an array) or 2 ({"packages": [...]}). */
int scan_lang_composer_installed_parse(vigil_scan_ctx *ctx, const char *data, size_t len,
				       vigil_pkg_list *out);
/* composer.lock: "packages", then "packages-dev" (VIGIL_PKG_F_DEV). */
int scan_lang_composer_lock_parse(vigil_scan_ctx *ctx, const char *data, size_t len,
				  vigil_pkg_list *out);

/* ---- lang/dotnet.c ---- */
/* ".../<x>.deps.json". */
bool scan_lang_dotnet_deps_path(vigil_slice path);
int scan_lang_dotnet_deps_parse(vigil_scan_ctx *ctx, const char *data, size_t len,
				vigil_pkg_list *out);

/* ---- lang/nuget.c ---- */
/* ".../packages.lock.json". */
bool scan_lang_nuget_lock_path(vigil_slice path);
int scan_lang_nuget_lock_parse(vigil_scan_ctx *ctx, const char *data, size_t len,
			       vigil_pkg_list *out);

/* ---- lang/pe.c ---- */
/* ".../<x>.dll" and ".../<x>.exe" (any case). */
bool scan_lang_pe_path(vigil_slice path);
/* Reads a PE file front to back: the .NET metadata's Assembly and
 * AssemblyRef rows, else the version resource. Not a PE file: EFORMAT. */
int scan_lang_pe_parse_stream(vigil_scan_ctx *ctx, vigil_istream *in, uint64_t size,
			      vigil_pkg_list *out);
/* The Assembly and AssemblyRef rows of a .NET metadata block (the
 * "BSJB" root and its streams, in memory): lang/pe_meta.c. */
int scan_pe_metadata(vigil_scan_ctx *ctx, const uint8_t *p, size_t len, vigil_pkg_list *out);
/* The same over bytes in memory (tests, fuzzing). */
int scan_lang_pe_parse(vigil_scan_ctx *ctx, const char *data, size_t len, vigil_pkg_list *out);

#endif
