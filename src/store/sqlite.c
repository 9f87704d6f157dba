/* store/sqlite.c: the SQLite backend of the store: one file, WAL journal,
 * a busy timeout so that concurrent vigil processes share it, and numbered
 * schema migrations applied when it is opened. */
#include "store/store.h"
#include "util/error.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQLITE_BUSY_MS 30000

struct sqlite_store {
	vigil_store base;
	sqlite3 *db;
};

/* Migration i brings the schema from version i to i + 1. Never edit one
 * that has shipped: add the next. */
static const char *const migrations[] = {
	"CREATE TABLE layer_scan ("
	"  digest TEXT NOT NULL,"
	"  scanners TEXT NOT NULL,"
	"  result BLOB NOT NULL,"
	"  created_at INTEGER NOT NULL DEFAULT (strftime('%s','now')),"
	"  PRIMARY KEY (digest, scanners)"
	");",
};

static int db_error(sqlite3 *db, const char *what)
{
	return vigil_error_set(VIGIL_ESTORE, "sqlite: %s: %s", what, sqlite3_errmsg(db));
}

static int migrate(sqlite3 *db, const char *path)
{
	sqlite3_stmt *st = NULL;
	int version = 0, rc;
	const int latest = (int)(sizeof(migrations) / sizeof(migrations[0]));
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_error(db, "begin migration");
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		rc = db_error(db, "read schema version");
		goto out;
	}
	version = sqlite3_column_int(st, 0);
	if (version > latest) {
		rc = vigil_error_set(VIGIL_ESTORE, "%s: schema version %d is newer than this vigil (%d)",
				     path, version, latest);
		goto out;
	}
	for (int i = version; i < latest; i++) {
		if (sqlite3_exec(db, migrations[i], NULL, NULL, NULL) != SQLITE_OK) {
			rc = db_error(db, "migration");
			goto out;
		}
	}
	char pragma[64];
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", latest);
	if (sqlite3_exec(db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
		rc = db_error(db, "set schema version");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int s_layer_get(vigil_store *s, const char *digest, const char *scanners, char **blob,
		       size_t *len)
{
	sqlite3 *db = ((struct sqlite_store *)s)->db;
	sqlite3_stmt *st = NULL;
	int rc;
	if (sqlite3_prepare_v2(db, "SELECT result FROM layer_scan WHERE digest = ?1 AND scanners = ?2",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(db, "prepare");
	sqlite3_bind_text(st, 1, digest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, scanners, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		rc = vigil_error_set(VIGIL_ENOTFOUND, "layer %s is not cached", digest);
	} else if (step != SQLITE_ROW) {
		rc = db_error(db, "read cached layer");
	} else {
		int n = sqlite3_column_bytes(st, 0);
		const void *p = sqlite3_column_blob(st, 0);
		*blob = malloc((size_t)n + 1);
		if (!*blob) {
			rc = vigil_error_oom();
		} else {
			if (n)
				memcpy(*blob, p, (size_t)n);
			(*blob)[n] = '\0';
			*len = (size_t)n;
			rc = 0;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

static int s_layer_put(vigil_store *s, const char *digest, const char *scanners, const char *blob,
		       size_t len)
{
	sqlite3 *db = ((struct sqlite_store *)s)->db;
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(db,
			       "INSERT OR REPLACE INTO layer_scan (digest, scanners, result) VALUES (?1, ?2, ?3)",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(db, "prepare");
	sqlite3_bind_text(st, 1, digest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, scanners, -1, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 3, blob, len, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, "store layer scan");
	sqlite3_finalize(st);
	return rc;
}

static int s_count(vigil_store *s, long long *count)
{
	sqlite3 *db = ((struct sqlite_store *)s)->db;
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM layer_scan", -1, &st, NULL) != SQLITE_OK)
		return db_error(db, "prepare");
	if (sqlite3_step(st) == SQLITE_ROW)
		*count = sqlite3_column_int64(st, 0);
	else
		rc = db_error(db, "count layer scans");
	sqlite3_finalize(st);
	return rc;
}

static int s_clear(vigil_store *s, long long *removed)
{
	sqlite3 *db = ((struct sqlite_store *)s)->db;
	if (sqlite3_exec(db, "DELETE FROM layer_scan", NULL, NULL, NULL) != SQLITE_OK)
		return db_error(db, "clear cache");
	*removed = sqlite3_changes64(db);
	return 0;
}

static void s_close(vigil_store *s)
{
	struct sqlite_store *ss = (struct sqlite_store *)s;
	sqlite3_close_v2(ss->db);
	free(ss);
}

static const struct vigil_store_ops sqlite_ops = {
	s_layer_get, s_layer_put, s_clear, s_count, s_close,
};

int vigil_sqlite_store_open(const char *path, vigil_store **out)
{
	struct sqlite_store *s = calloc(1, sizeof(*s));
	int rc;
	if (!s)
		return vigil_error_oom();
	s->base.ops = &sqlite_ops;
	snprintf(s->base.describe, sizeof(s->base.describe), "sqlite:%s", path);
	if (sqlite3_open_v2(path, &s->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
		rc = vigil_error_set(VIGIL_ESTORE, "%s: %s", path,
				     s->db ? sqlite3_errmsg(s->db) : "cannot open");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, SQLITE_BUSY_MS);
	if (sqlite3_exec(s->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL, NULL,
			 NULL) != SQLITE_OK) {
		rc = vigil_error_set(VIGIL_ESTORE, "%s: not a vigil store (%s)", path,
				     sqlite3_errmsg(s->db));
		goto fail;
	}
	if ((rc = migrate(s->db, path)) < 0)
		goto fail;
	*out = &s->base;
	return 0;
fail:
	sqlite3_close_v2(s->db);
	free(s);
	return rc;
}
