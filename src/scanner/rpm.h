/* scanner/rpm.h: what the rpm database readers share (private to
 * scanner/rpm_*.c). Each database reader (Berkeley DB hash, ndb, SQLite)
 * finds the header blobs of the packages in the bytes of its file and hands
 * every blob to scan_rpm_add_blob(), which decodes it, drops gpg-pubkey
 * entries and appends the package to the list. */
#ifndef VIGIL_SCANNER_RPM_H
#define VIGIL_SCANNER_RPM_H

#include <stddef.h>
#include <stdint.h>

#include "scanner/scanner.h"

/* The most index entries one header may have (rpm's own bound). */
#define VIGIL_RPM_MAX_INDEX_ENTRIES 0xffff
/* The most bytes of data one header may carry. */
#define VIGIL_RPM_MAX_DATA_SIZE ((uint32_t)64 * 1024 * 1024)
/* The largest header blob a database may hand over: the 8-byte preamble,
 * the index and the data store at their limits. */
#define VIGIL_RPM_MAX_BLOB_SIZE \
	((size_t)8 + (size_t)16 * VIGIL_RPM_MAX_INDEX_ENTRIES + VIGIL_RPM_MAX_DATA_SIZE)
/* The longest "E:V-R" string built from a header. */
#define VIGIL_RPM_MAX_VERSION_LEN 4096

/* Decodes one blob found in a database and appends its package to out,
 * unless it is a gpg-pubkey. where ("page 12", "slot 4", "row 7") is put in
 * front of an error message. */
int scan_rpm_add_blob(vigil_scan_ctx *ctx, const uint8_t *blob, size_t len, const char *where,
		       vigil_pkg_list *out);

/* The readers of each kind of database (scanner/rpm_bdb.c, rpm_ndb.c,
 * rpm_sqlite.c). */
int scan_rpm_bdb_read(vigil_scan_ctx *ctx, const uint8_t *data, size_t len,
		       vigil_pkg_list *out);
int scan_rpm_ndb_read(vigil_scan_ctx *ctx, const uint8_t *data, size_t len,
		       vigil_pkg_list *out);
int scan_rpm_sqlite_read(vigil_scan_ctx *ctx, const uint8_t *data, size_t len,
			  vigil_pkg_list *out);

static inline uint32_t vigil_rpm_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint32_t vigil_rpm_le32(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

#endif
