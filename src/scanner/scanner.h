/* scanner/scanner.h: the parsers of what an image holds (os-release and
 * friends, dpkg, apk, rpm databases) and what they share.
 *
 * A parser takes the whole bytes of one file (as the tar walk hands them
 * over, or as read from a root filesystem) and fills vigil_package or
 * vigil_distribution records whose strings come from ctx->strings (interned
 * in ctx->arena). It never reads the host's filesystem.
 *
 * Errors: a parser returns 0 or a negative VIGIL_E* code with a message that
 * names the position and field ("line 12: field Version: ..."); the caller
 * puts the layer and file in front. Things worth telling but not fatal (an
 * apk entry without a version) go to scan_warn(). Every parser has
 * named limits (VIGIL_*_MAX_*) and fails with VIGIL_ELIMIT when one is hit. */
#ifndef VIGIL_SCANNER_SCANNER_H
#define VIGIL_SCANNER_SCANNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/intern.h"
#include "util/slice.h"
#include "vigil/package.h"

/* The most packages one database may hold. */
#define VIGIL_MAX_PACKAGES_PER_DB 200000

typedef void (*vigil_warn_cb)(void *ud, const char *msg);
/* A file an OS package installs: pkg is the package's name (NUL-terminated,
 * valid during the call), path is as the database writes it (a leading "/"
 * or not). Non-zero stops the parser with that code. */
typedef int (*vigil_file_cb)(void *ud, vigil_pkg_type type, const char *pkg, vigil_slice path);

/* What an rpm header says of one of its files (the audit's integrity
 * scanner compares it with the file): digest is FILEDIGESTS[i] as stored
 * (lowercase hex, "" for folders, symlinks and ghosts), algo
 * FILEDIGESTALGO (1 md5, 8 sha256; 1 when the header has none), flags
 * FILEFLAGS (1 %config, 64 %ghost, 0 when absent), mode FILEMODES (0 when
 * absent), state FILESTATES (0 normal, 2 not installed (--excludedocs,
 * install_langs), 4 wrong color; 0 when absent), verify FILEVERIFYFLAGS
 * (bit 1: rpm -V checks the digest; all bits set when absent). */
typedef struct vigil_file_detail {
	vigil_slice path;
	const char *digest;
	uint32_t algo, flags, verify;
	uint16_t mode;
	int8_t state;
} vigil_file_detail;
typedef int (*vigil_file_detail_cb)(void *ud, const char *pkg, const vigil_file_detail *d);

typedef struct vigil_scan_ctx {
	vigil_arena *arena;
	vigil_intern *strings;
	const char *layer;  /* digest of the layer being read, for messages (may be NULL) */
	const char *path;   /* path of the file in the image, for messages and package_db */
	vigil_warn_cb warn; /* may be NULL */
	void *warn_ud;
	/* When set, the parsers of databases that list their packages' files
	 * (apk F:/R:, rpm BASENAMES/DIRNAMES, dpkg info/NAME.list) hand each
	 * file to it; NULL: the file lists are not read at all. */
	vigil_file_cb file;
	void *file_ud;
	/* When set, the rpm header parser hands each file with its digest,
	 * flags, mode and state (vigil_file_detail) too. */
	vigil_file_detail_cb file_detail;
	void *file_detail_ud;
} vigil_scan_ctx;

/* Formats a warning and hands it to ctx->warn, with the layer and path in front. */
void scan_warn(vigil_scan_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Interns p[0..n) in ctx (NULL on failure, error set). */
const char *scan_str(vigil_scan_ctx *ctx, const char *p, size_t n);

/* Checks a text database before parsing: at most max bytes ("<what> of N
 * bytes (limit M)") and no NUL byte ("line N: NUL byte"). */
int scan_text_check(const char *what, const char *data, size_t len, size_t max);

/* A growable array of packages (malloc'd; its strings live in the arena). */
typedef struct vigil_pkg_list {
	vigil_package *items;
	size_t len, cap;
} vigil_pkg_list;

/* Appends a zeroed package and points *out at it; VIGIL_ELIMIT past
 * VIGIL_MAX_PACKAGES_PER_DB. The pointer is valid until the next push. */
int scan_pkg_list_push(vigil_pkg_list *l, vigil_package **out);
void scan_pkg_list_free(vigil_pkg_list *l);

/* ---- distribution: scanner/osrelease.c ---- */
/* Which release file a distribution comes from, best first. */
typedef enum vigil_release_kind {
	VIGIL_RELEASE_OS_RELEASE = 0,   /* etc/os-release, usr/lib/os-release */
	VIGIL_RELEASE_LSB,              /* etc/lsb-release */
	VIGIL_RELEASE_DEBIAN_VERSION,   /* etc/debian_version */
	VIGIL_RELEASE_ALPINE,           /* etc/alpine-release */
	VIGIL_RELEASE_REDHAT,           /* etc/redhat-release */
	VIGIL_RELEASE_SYSTEM,           /* etc/system-release */
	VIGIL_RELEASE_SUSE,             /* etc/SuSE-release */
} vigil_release_kind;

/* Parses one release file of the given kind into *out (fields it does not
 * give stay NULL). An empty os-release yields an all-NULL distribution. */
int scan_release_parse(vigil_scan_ctx *ctx, vigil_release_kind kind, const char *data,
			size_t len, vigil_distribution *out);

/* ---- dpkg: scanner/dpkg.c ---- */
/* Parses a dpkg status file (status_d = false: only packages whose Status
 * says installed count, read as dpkg does) or one file of the distroless
 * status.d folder (status_d = true: a stanza without Status counts as
 * installed). Appends to out with package_db = ctx->path. */
int scan_dpkg_parse(vigil_scan_ctx *ctx, const char *data, size_t len, bool status_d,
		     vigil_pkg_list *out);

/* One file of var/lib/dpkg/info/: NAME.list or NAME:ARCH.list (ctx->path
 * names it), one absolute path per line, handed to ctx->file as the
 * package NAME's files. No packages come out of it. */
#define VIGIL_MAX_DPKG_LIST_FILE ((size_t)64 * 1024 * 1024)
int scan_dpkg_list_parse(vigil_scan_ctx *ctx, const char *data, size_t len);

/* ---- apk: scanner/apk.c ---- */
int scan_apk_parse(vigil_scan_ctx *ctx, const char *data, size_t len, vigil_pkg_list *out);

/* ---- rpm: scanner/rpm_*.c ---- */
typedef enum vigil_rpmdb_kind {
	VIGIL_RPMDB_BDB = 1,    /* Packages: BerkeleyDB hash */
	VIGIL_RPMDB_NDB = 2,    /* Packages.db */
	VIGIL_RPMDB_SQLITE = 3, /* rpmdb.sqlite */
} vigil_rpmdb_kind;

/* Decodes one rpm header blob (as stored in the databases: the header
 * without its lead or magic: index count, data size, index, data). */
int scan_rpm_header_parse(vigil_scan_ctx *ctx, const uint8_t *blob, size_t len,
			   vigil_package *out);
/* Reads every package of a database held in memory, as rpm -qa lists them
 * (gpg-pubkey key entries included). */
int scan_rpmdb_parse(vigil_scan_ctx *ctx, vigil_rpmdb_kind kind, const uint8_t *data,
		      size_t len, vigil_pkg_list *out);

#endif
