/* audit/integrity.h: the integrity scanner's readers of the package
 * managers' own records of the files they installed (private to
 * audit/integrity*.c and their tests).
 *
 *   dpkg  var/lib/dpkg/info/NAME[:ARCH].md5sums   "<md5>  <path>" per line
 *         var/lib/dpkg/status.d/NAME.md5sums       (distroless, same format)
 *         var/lib/dpkg/status                      Conffiles: " /etc/x <md5> [obsolete]"
 *         var/lib/dpkg/diversions                  from, to, package: 3 lines each
 *         etc/dpkg/dpkg.cfg, etc/dpkg/dpkg.cfg.d/NAME path-exclude=GLOB, path-include=GLOB
 *   apk   lib/apk/db/installed                     P: package, F: folder, R: file,
 *                                                  Z: Q1<base64 sha1> | Q2<base64 sha256>
 *   rpm   var/lib/rpm/{Packages,Packages.db,rpmdb.sqlite}, usr/lib/sysimage/rpm/...
 *         FILEDIGESTS with FILEDIGESTALGO, FILEFLAGS, FILESTATES (scanner/rpm_header.c)
 *
 * Each reader hands every file record to an integ_emit callback (slices
 * into the data: copy what you keep) and fails with VIGIL_EFORMAT or
 * VIGIL_ELIMIT naming the line (or rpm header) that is wrong; the caller
 * puts the layer and file in front. */
#ifndef VIGIL_AUDIT_INTEGRITY_H
#define VIGIL_AUDIT_INTEGRITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scanner/scanner.h"
#include "util/slice.h"

/* The largest package database read (an rpmdb.sqlite of a big image is 100 MB). */
#define INTEG_MAX_DB ((size_t)512 * 1024 * 1024)
/* The largest md5sums, status, diversions or dpkg.cfg file read. */
#define INTEG_MAX_TEXT ((size_t)256 * 1024 * 1024)
/* The longest line of a text record, and the longest path kept. */
#define INTEG_MAX_LINE 8192
#define INTEG_MAX_PATH 4096
/* The longest package name. */
#define INTEG_MAX_NAME 256
/* The most file records one image's databases may give. */
#define INTEG_MAX_RECORDS ((size_t)8000000)
/* The most path-exclude/path-include filters and diversions kept. */
#define INTEG_MAX_FILTERS 4096
#define INTEG_MAX_DIVERSIONS 100000

enum integ_algo { INTEG_NONE = 0, INTEG_MD5 = 1, INTEG_SHA1 = 2, INTEG_SHA256 = 3 };

/* One file as a package database records it. */
typedef struct integ_item {
	vigil_slice pkg;
	vigil_slice path;     /* as written (leading '/' or not) */
	int algo;             /* enum integ_algo */
	uint8_t digest[32];   /* 16, 20 or 32 bytes by algo */
	bool config;          /* a configuration file (dpkg conffile, rpm %config, apk etc/) */
	uint16_t mode;        /* permission bits as recorded (rpm FILEMODES, apk a: or its
	                         default 0644); 0: the database records none (dpkg) */
	uint32_t line;        /* where it is written (0: rpm) */
} integ_item;

typedef int (*integ_emit)(void *ud, const integ_item *it);

/* Bytes of a digest of algo (0 for INTEG_NONE). */
size_t integ_digest_len(int algo);
/* "md5", "sha1", "sha256". */
const char *integ_algo_name(int algo);

/* One md5sums file of package pkg. */
int integ_dpkg_md5sums_parse(vigil_slice pkg, const char *data, size_t len, integ_emit emit,
			     void *ud);
/* The Conffiles: of every stanza of a dpkg status file whose Status says
 * installed (obsolete ones and "newconffile" placeholders skipped). */
int integ_dpkg_status_parse(const char *data, size_t len, integ_emit emit, void *ud);

/* One diversion: path from (of every package but by) lives at to. */
typedef int (*integ_div_emit)(void *ud, vigil_slice from, vigil_slice to, vigil_slice by);
int integ_dpkg_diversions_parse(const char *data, size_t len, integ_div_emit emit, void *ud);

/* The path-exclude / path-include options of a dpkg configuration file, in order. */
typedef int (*integ_filter_emit)(void *ud, bool include, vigil_slice glob);
int integ_dpkg_cfg_parse(const char *data, size_t len, integ_filter_emit emit, void *ud);

/* lib/apk/db/installed. */
int integ_apk_parse(const char *data, size_t len, integ_emit emit, void *ud);

/* An rpm database of kind; ghosts, files rpm did not install (FILESTATES)
 * and entries without a digest are not handed over. Digests of an
 * algorithm the walk cannot compute (sha384, sha512, sha224) are counted
 * in *unsupported (may be NULL). */
int integ_rpmdb_parse(vigil_rpmdb_kind kind, const uint8_t *data, size_t len, integ_emit emit,
		      void *ud, size_t *unsupported);

#endif
