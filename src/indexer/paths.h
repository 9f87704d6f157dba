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

/* Bump when any parser or the layer scan changes what it records: cached
 * layer scans made by other versions are then read again. */
#define VIGIL_SCANNERS_VERSION "os-release/1 dpkg/1 apk/1 rpm/1 layer/1 python/1 npm/1"

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
	/* language packages (scanner/lang/): one file per package, anywhere */
	VIGIL_DB_PYTHON,        /* *.dist-info/METADATA, *.egg-info/PKG-INFO, *.egg-info */
	VIGIL_DB_NPM,           /* node_modules/<name>/package.json */
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

/* What a path of a layer means to the indexer. */
typedef enum vigil_path_role {
	VIGIL_PATH_IGNORED = 0,
	VIGIL_PATH_DB,        /* a database or release file: read it */
	VIGIL_PATH_ANCESTOR,  /* a folder above one: note links, whiteouts, replacement */
} vigil_path_role;

/* Classifies a normalized path (no leading "/"), giving the kind for DB. */
vigil_path_role idx_path_classify(const char *path, size_t len, vigil_dbkind *kind);

#endif
