/* store/sqlite_fetch.c: the fetch validators of `vigil db update` in the
 * SQLite backend: per URL, the ETag and Last-Modified the server gave with
 * the body that was last imported, sent back as If-None-Match and
 * If-Modified-Since so that an unchanged feed costs one 304 per URL. */
#include "store/sqlite_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void copy_col(sqlite3_stmt *st, int col, char *out, size_t n)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	if (n)
		snprintf(out, n, "%s", t ? (const char *)t : "");
}

int sqlite_fetch_get(vigil_store *s, const char *url, char *etag, size_t etag_n,
		     char *last_modified, size_t lm_n)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st = NULL;
	int rc;
	if (etag_n)
		etag[0] = '\0';
	if (lm_n)
		last_modified[0] = '\0';
	if (sqlite3_prepare_v2(db, "SELECT etag, last_modified FROM fetch_state WHERE url = ?1", -1, &st,
			       NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		copy_col(st, 0, etag, etag_n);
		copy_col(st, 1, last_modified, lm_n);
		rc = 0;
	} else if (step == SQLITE_DONE) {
		rc = vigil_error_set(VIGIL_ENOTFOUND, "%s: never fetched", url);
	} else {
		rc = sqlite_error(db, "read fetch state");
	}
	sqlite3_finalize(st);
	return rc;
}

int sqlite_fetch_put(vigil_store *s, const char *url, const char *etag, const char *last_modified)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO fetch_state (url, etag, last_modified, fetched_at) VALUES (?1, ?2, ?3, ?4) "
			       "ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, "
			       "last_modified = excluded.last_modified, fetched_at = excluded.fetched_at",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
	if (etag && *etag)
		sqlite3_bind_text(st, 2, etag, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	if (last_modified && *last_modified)
		sqlite3_bind_text(st, 3, last_modified, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sqlite_error(db, "store fetch state");
	sqlite3_finalize(st);
	return rc;
}
