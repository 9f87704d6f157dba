/* indexer/paths.h: the paths in an image that vigil reads, and what each is.
 *
 * Scanners do not walk the image: the indexer asks the tar walk for these
 * paths only (package databases, release files) and notes, for the paths and
 * their parent folders, the links and whiteouts that may change what a later
 * layer sees. The list is the one place to add a database location.
 * Language package files (scanner/lang/) are recognised by name anywhere
 * instead, by the predicates of scanner/lang/lang.h. */
#ifndef VIGIL_INDEXER_PATHS_H
#define VIGIL_INDEXER_PATHS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scanner/scanner.h"
#include "util/slice.h"
#include "util/stream.h"

/* Bump when any parser or the layer scan changes what it records: cached
 * layer scans made by other versions are then read again. */
#define VIGIL_SCANNERS_VERSION "os-release/2 dpkg/2 apk/2 rpm/2 layer/2 lang/2"

typedef enum vigil_dbkind {
	VIGIL_DB_NONE = 0,
	VIGIL_DB_OS_RELEASE,
	VIGIL_DB_LSB_RELEASE,
	VIGIL_DB_DEBIAN_VERSION,
	VIGIL_DB_ALPINE_RELEASE,
	VIGIL_DB_REDHAT_RELEASE,
	VIGIL_DB_SYSTEM_RELEASE,
	VIGIL_DB_DPKG_STATUS,
	VIGIL_DB_DPKG_STATUS_D, /* one file of var/lib/dpkg/status.d/ */
	VIGIL_DB_APK,
	VIGIL_DB_RPM_BDB,
	VIGIL_DB_RPM_NDB,
	VIGIL_DB_RPM_SQLITE,
	VIGIL_DB_DPKG_LIST,     /* var/lib/dpkg/info/NAME[:ARCH].list: a package's files */
	/* language packages (scanner/lang/, table in indexer/lang_kinds.c):
	 * found by name (or, for executables, by mode) anywhere; keep
	 * VIGIL_DB_PYTHON the first of them (idx_dbkind_is_lang) */
	VIGIL_DB_PYTHON,        /* *.dist-info/METADATA, *.egg-info/PKG-INFO, *.egg-info */
	VIGIL_DB_NPM,           /* node_modules/<name>/package.json */
	VIGIL_DB_NPM_LOCK,      /* package-lock.json, npm-shrinkwrap.json, node_modules/.package-lock.json */
	VIGIL_DB_YARN_LOCK,     /* yarn.lock (v1 and berry) */
	VIGIL_DB_PNPM_LOCK,     /* pnpm-lock.yaml */
	VIGIL_DB_JAVA_ARCHIVE,  /* .jar .war .ear .par .jpi .hpi, nested archives inside (streamed) */
	VIGIL_DB_PYTHON_EGG,    /* a zipped .egg (streamed) */
	VIGIL_DB_BINARY,        /* an executable: Go build info, cargo-auditable (streamed) */
	VIGIL_DB_GO_MOD,        /* go.mod (with go.sum beside it) where no binary says more */
	VIGIL_DB_CARGO_LOCK,    /* Cargo.lock */
	VIGIL_DB_GEMSPEC,       /* specifications/<gem>.gemspec */
	VIGIL_DB_GEMFILE_LOCK,  /* Gemfile.lock */
	VIGIL_DB_COMPOSER_INSTALLED, /* vendor/composer/installed.json */
	VIGIL_DB_COMPOSER_LOCK, /* composer.lock */
	VIGIL_DB_DOTNET_DEPS,   /* *.deps.json */
	VIGIL_DB_NUGET_LOCK,    /* packages.lock.json */
	VIGIL_DB_DOTNET_ASSEMBLY, /* a .NET assembly (*.dll, *.exe with a CLR header) */
	VIGIL_DB__COUNT
} vigil_dbkind;

/* Largest file of each kind that vigil reads (bigger: an error naming it). */
#define VIGIL_MAX_RELEASE_FILE (64 * 1024)
#define VIGIL_MAX_DPKG_FILE ((size_t)256 * 1024 * 1024)
#define VIGIL_MAX_APK_FILE ((size_t)256 * 1024 * 1024)
#define VIGIL_MAX_RPMDB_FILE ((size_t)1024 * 1024 * 1024)
/* A METADATA may carry a long description after its header block (the
 * parser reads only the header, VIGIL_LANG_PY_MAX_HEADER). */
#define VIGIL_MAX_PYTHON_FILE ((size_t)16 * 1024 * 1024)
#define VIGIL_MAX_NPM_FILE ((size_t)1024 * 1024)

typedef struct vigil_db_path {
	const char *path;   /* relative to the image root */
	vigil_dbkind kind;
} vigil_db_path;

/* The files, best first within a family (os-release before lsb-release...). */
extern const vigil_db_path idx_db_files[];
extern const size_t idx_db_file_count;
/* Folders whose every regular file is one database of the given kind. */
extern const vigil_db_path idx_db_dirs[];
extern const size_t idx_db_dir_count;

const char *idx_dbkind_name(vigil_dbkind k);
vigil_dbkind idx_dbkind_from_name(const char *name);
size_t idx_dbkind_max_size(vigil_dbkind k);
bool idx_dbkind_is_release(vigil_dbkind k);
/* A language package file: found by name anywhere, each one its own
 * database; too large or unreadable is a warning, not a failed layer. */
bool idx_dbkind_is_lang(vigil_dbkind k);

/* A language package kind: how its files are found and read. Exactly one
 * of parse (the whole file, at most max_size bytes, in memory) and
 * parse_stream (files that may be large: archives, executables; read once,
 * front to back, memory bounded by the parser) is set. */
typedef struct idx_lang_kind {
	vigil_dbkind kind;
	const char *name;  /* in the layer cache and messages: "java-archive" */
	/* by path (no leading "/"); NULL for VIGIL_DB_BINARY, chosen by mode */
	bool (*path)(vigil_slice path);
	size_t max_size;
	int (*parse)(vigil_scan_ctx *ctx, const char *data, size_t len, vigil_pkg_list *out);
	int (*parse_stream)(vigil_scan_ctx *ctx, vigil_istream *in, uint64_t size,
			    vigil_pkg_list *out);
} idx_lang_kind;

/* The kind's entry; NULL for a kind that is not a language kind or has
 * no parser in this build. */
const idx_lang_kind *idx_lang_kind_get(vigil_dbkind k);
/* The language kind of a path by name (VIGIL_DB_NONE: none). */
vigil_dbkind idx_lang_classify(vigil_slice path);
/* Whether a regular file is read as an executable (VIGIL_DB_BINARY): an
 * execute bit, or a shared-library name, and at least a header's size. */
bool idx_lang_is_executable(vigil_slice path, uint32_t mode, int64_t size);

/* Whether a file an OS package lists is kept in the layer result (the
 * file lists are long: only what may be a language package file is kept):
 * a path of a language kind by name, or one that may be an executable
 * (no "." in its name, or a shared library's name). A leading "/" is
 * allowed. */
bool idx_owned_path_kept(vigil_slice path);

/* What a path of a layer means to the indexer. */
typedef enum vigil_path_role {
	VIGIL_PATH_IGNORED = 0,
	VIGIL_PATH_DB,        /* a database or release file: read it */
	VIGIL_PATH_ANCESTOR,  /* a folder above one: note links, whiteouts, replacement */
} vigil_path_role;

/* Classifies a normalized path (no leading "/"), giving the kind for DB. */
vigil_path_role idx_path_classify(const char *path, size_t len, vigil_dbkind *kind);

#endif
