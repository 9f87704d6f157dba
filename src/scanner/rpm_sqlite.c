/* scanner/rpm_sqlite.c: reads the rpmdb.sqlite of current rpm (Fedora 33+,
 * RHEL 9, Amazon Linux 2023, CBL-Mariner) from its bytes. The bytes are
 * opened in memory with sqlite3_deserialize(), read-only; a file in WAL mode
 * (header bytes 18 and 19 set to 2) is first copied and marked as a rollback
 * journal file (1), since the in-memory VFS cannot open WAL (what a -wal
 * file holds besides is not read: the image's file is all vigil has). Each
 * row of "SELECT blob FROM Packages" is one header blob. The file is
 * hostile, so the connection is defensive, does not trust its schema,
 * "Packages" must be a real table (not a view that could compute forever),
 * values are capped in size and the work of a statement is bounded through
 * a progress handler. A database without a Packages table holds no packages
 * (0 packages and a warning); bytes that are not SQLite fail with
 * VIGIL_EFORMAT. */
#include "scanner/rpm.h"
#include "util/error.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most progress-handler calls (each every 1000 virtual machine
 * instructions) one statement may take: about 100 million instructions. */
#define VIGIL_RPM_SQLITE_MAX_PROGRESS 100000
#define SQLITE_PROGRESS_STEP 1000

#define SQLITE_HEADER_SIZE 100
#define SQLITE_MAGIC "SQLite format 3"

struct progress {
	unsigned calls;
};

static int on_progress(void *ud)
{
	struct progress *p = ud;
	return ++p->calls > VIGIL_RPM_SQLITE_MAX_PROGRESS; /* non-zero interrupts */
}

/* Turns an sqlite result into a vigil error naming what was being done. */
static int sqlite_fail(sqlite3 *db, int src, const char *what)
{
	int code;
	switch (src & 0xff) {
	case SQLITE_NOMEM: return vigil_error_oom();
	case SQLITE_TOOBIG: code = VIGIL_ELIMIT; break;
	case SQLITE_INTERRUPT:
		return vigil_error_set(VIGIL_ELIMIT, "sqlite: %s: more than %d steps of work", what,
				       VIGIL_RPM_SQLITE_MAX_PROGRESS * SQLITE_PROGRESS_STEP);
	default: code = VIGIL_EFORMAT; break;
	}
	return vigil_error_set(code, "sqlite: %s: %s", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(src));
}

static int open_db(const uint8_t *data, size_t len, uint8_t **copy, struct progress *prog,
		   sqlite3 **out)
{
	sqlite3 *db = NULL;
	unsigned char *bytes = (unsigned char *)(uintptr_t)data; /* read-only: never written */
	int rc;
	*out = NULL;
	if (len < SQLITE_HEADER_SIZE || memcmp(data, SQLITE_MAGIC, sizeof(SQLITE_MAGIC)) != 0)
		return vigil_error_set(VIGIL_EFORMAT, "sqlite: not a SQLite database (no magic)");
	if (data[18] == 2 || data[19] == 2) {
		if (!(*copy = malloc(len)))
			return vigil_error_oom();
		memcpy(*copy, data, len);
		(*copy)[18] = (*copy)[18] == 2 ? 1 : (*copy)[18];
		(*copy)[19] = (*copy)[19] == 2 ? 1 : (*copy)[19];
		bytes = *copy;
	}
	rc = sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		rc = sqlite_fail(db, rc, "open");
		goto fail;
	}
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, (int *)NULL);
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, (int)VIGIL_RPM_MAX_BLOB_SIZE);
	sqlite3_progress_handler(db, SQLITE_PROGRESS_STEP, on_progress, prog);
	rc = sqlite3_deserialize(db, "main", bytes, (sqlite3_int64)len, (sqlite3_int64)len,
				 SQLITE_DESERIALIZE_READONLY);
	if (rc != SQLITE_OK) {
		rc = sqlite_fail(db, rc, "deserialize");
		goto fail;
	}
	*out = db;
	return 0;
fail:
	sqlite3_close(db);
	return rc;
}

/* 1 when main has a table named Packages, 0 when it has none, or an error
 * (also when Packages is something else than a table). */
static int has_packages(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db,
				    "SELECT type FROM main.sqlite_master WHERE name = 'Packages' COLLATE NOCASE",
				    -1, &st, NULL);
	if (rc != SQLITE_OK) {
		rc = sqlite_fail(db, rc, "reading the schema");
		goto out;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		rc = 0;
	} else if (rc == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 0);
		rc = type && strcmp(type, "table") == 0
			     ? 1
			     : vigil_error_set(VIGIL_EFORMAT, "sqlite: Packages is a %s, not a table",
					       type ? type : "(null)");
	} else {
		rc = sqlite_fail(db, rc, "reading the schema");
	}
out:
	sqlite3_finalize(st);
	return rc;
}

static int read_rows(vigil_scan_ctx *ctx, sqlite3 *db, vigil_pkg_list *out)
{
	sqlite3_stmt *st = NULL;
	unsigned long long row = 0;
	int rc = sqlite3_prepare_v2(db, "SELECT blob FROM main.Packages", -1, &st, NULL);
	if (rc != SQLITE_OK) {
		rc = sqlite_fail(db, rc, "SELECT blob FROM Packages");
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char where[48];
		row++;
		snprintf(where, sizeof(where), "sqlite: row %llu", row);
		if (sqlite3_column_type(st, 0) != SQLITE_BLOB) {
			rc = vigil_error_set(VIGIL_EFORMAT, "%s: blob is not a BLOB (type %d)", where,
					     sqlite3_column_type(st, 0));
			goto out;
		}
		const uint8_t *blob = sqlite3_column_blob(st, 0);
		int n = sqlite3_column_bytes(st, 0);
		if (n > 0 && !blob) {
			rc = vigil_error_oom();
			goto out;
		}
		if ((rc = scan_rpm_add_blob(ctx, blob, (size_t)(n < 0 ? 0 : n), where, out)) < 0)
			goto out;
	}
	rc = rc == SQLITE_DONE ? 0 : sqlite_fail(db, rc, "SELECT blob FROM Packages");
out:
	sqlite3_finalize(st);
	return rc;
}

int scan_rpm_sqlite_read(vigil_scan_ctx *ctx, const uint8_t *data, size_t len,
			  vigil_pkg_list *out)
{
	struct progress prog = { 0 };
	uint8_t *copy = NULL;
	sqlite3 *db = NULL;
	int rc = open_db(data, len, &copy, &prog, &db);
	if (rc < 0)
		goto out;
	if ((rc = has_packages(db)) < 0)
		goto out;
	if (rc == 0) {
		scan_warn(ctx, "sqlite rpm database has no Packages table: no packages");
		goto out;
	}
	prog.calls = 0;
	rc = read_rows(ctx, db, out);
out:
	sqlite3_close(db);
	free(copy);
	return rc;
}
