/* store/sqlite_images.c: the images vigil indexed, in SQLite (table
 * image_record, migration 9; store_images.h). */
#include "store/sqlite_priv.h"
#include "store/store_images.h"
#include "util/error.h"

#include <stdio.h>

int sqlite_image_put(vigil_store *s, const store_image_row *row)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO image_record (reference, repository, tag, manifest, config, layers, "
			       "indexed_at, findings) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	sqlite3_bind_text(st, 1, row->reference, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, row->repository, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, row->tag, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, row->manifest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, row->config, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, row->layers, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, row->indexed_at);
	sqlite3_bind_int64(st, 8, row->findings);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sqlite_error(db, "record image");
	sqlite3_finalize(st);
	return rc;
}

static const char *text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

int sqlite_image_each(vigil_store *s, const char *repository, const char *tag, store_image_fn fn, void *ud)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st = NULL;
	int rc = 0, step;
	if (sqlite3_prepare_v2(db,
			       "SELECT reference, repository, tag, manifest, config, layers, indexed_at, findings "
			       "FROM image_record WHERE (?1 IS NULL OR repository = ?1) AND (?2 IS NULL OR tag = ?2) "
			       "ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	sqlite3_bind_text(st, 1, repository, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, tag, -1, SQLITE_STATIC);
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		store_image_row row = { text(st, 0), text(st, 1), text(st, 2), text(st, 3), text(st, 4), text(st, 5),
					sqlite3_column_int64(st, 6), sqlite3_column_int64(st, 7) };
		rc = store_image_emit(&row, fn, ud);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = sqlite_error(db, "read image records");
	sqlite3_finalize(st);
	return rc;
}
