/* scanner/rpmdb.c: scan_rpmdb_parse(), the front door of the rpm package
 * database readers: it hands the bytes to the reader of their kind
 * (rpm_bdb.c, rpm_ndb.c, rpm_sqlite.c), each of which finds the header
 * blobs and gives them to scan_rpm_add_blob() (rpm_header.c). */
#include "scanner/rpm.h"
#include "util/error.h"

int scan_rpmdb_parse(vigil_scan_ctx *ctx, vigil_rpmdb_kind kind, const uint8_t *data,
		      size_t len, vigil_pkg_list *out)
{
	if (!ctx || (!data && len) || !out)
		return vigil_error_set(VIGIL_EINVAL, "rpmdb: bad arguments");
	switch (kind) {
	case VIGIL_RPMDB_BDB: return scan_rpm_bdb_read(ctx, data, len, out);
	case VIGIL_RPMDB_NDB: return scan_rpm_ndb_read(ctx, data, len, out);
	case VIGIL_RPMDB_SQLITE: return scan_rpm_sqlite_read(ctx, data, len, out);
	default: return vigil_error_set(VIGIL_EINVAL, "rpmdb: unknown kind %d", (int)kind);
	}
}
