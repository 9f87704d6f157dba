/* store/sqlite_report.c: the server's v4 index reports in SQLite (table
 * index_report, migration 6): by manifest hash, the IndexReport JSON a
 * POST produced, the Manifest it was made from (the matcher indexes it
 * again from the layer cache) and the indexer state it was made under, so
 * GET index_report and vulnerability_report answer without fetching
 * anything (the part store_reports.h, with sqlite_v1.c). */
#include "store/sqlite_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int column_copy(sqlite3_stmt *st, int col, char **out, size_t *len)
{
	int n = sqlite3_column_bytes(st, col);
	const void *p = sqlite3_column_blob(st, col);
	if (!(*out = malloc((size_t)n + 1)))
		return vigil_error_oom();
	if (n)
		memcpy(*out, p, (size_t)n);
	(*out)[n] = '\0';
	*len = (size_t)n;
	return 0;
}

int sqlite_report_get(vigil_store *s, const char *manifest, vigil_stored_report *out)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st = NULL;
	int rc;
	memset(out, 0, sizeof(*out));
	if (sqlite3_prepare_v2(db, "SELECT report, request, state FROM index_report WHERE manifest = ?1", -1,
			       &st, NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	sqlite3_bind_text(st, 1, manifest, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		rc = vigil_error_set(VIGIL_ENOTFOUND, "no index report for manifest %s", manifest);
	} else if (step != SQLITE_ROW) {
		rc = sqlite_error(db, "read index report");
	} else if ((rc = column_copy(st, 0, &out->report, &out->report_len)) >= 0 &&
		   (rc = column_copy(st, 1, &out->manifest, &out->manifest_len)) >= 0) {
		const unsigned char *sv = sqlite3_column_text(st, 2);
		snprintf(out->state, sizeof(out->state), "%s", sv ? (const char *)sv : "");
	}
	sqlite3_finalize(st);
	if (rc < 0)
		store_stored_report_free(out);
	return rc;
}

int sqlite_report_put(vigil_store *s, const char *manifest, const vigil_stored_report *r)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(db,
			       "INSERT OR REPLACE INTO index_report (manifest, state, report, request) "
			       "VALUES (?1, ?2, ?3, ?4)",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	sqlite3_bind_text(st, 1, manifest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->state, -1, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 3, r->report, r->report_len, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 4, r->manifest, r->manifest_len, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sqlite_error(db, "store index report");
	sqlite3_finalize(st);
	return rc;
}

int sqlite_report_delete(vigil_store *s, const char *manifest, int *deleted)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st = NULL;
	int rc = 0;
	*deleted = 0;
	if (sqlite3_prepare_v2(db, "DELETE FROM index_report WHERE manifest = ?1 RETURNING manifest", -1, &st,
			       NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	sqlite3_bind_text(st, 1, manifest, -1, SQLITE_STATIC);
	/* RETURNING, not sqlite3_changes(): the connection is shared by threads */
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*deleted = 1;
		step = sqlite3_step(st);
	}
	if (step != SQLITE_DONE)
		rc = sqlite_error(db, "delete index report");
	sqlite3_finalize(st);
	return rc;
}
