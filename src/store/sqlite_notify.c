/* store/sqlite_notify.c: notifications in SQLite (migration 8; the part
 * store_notify.h). Single statements run on the store's shared
 * connection; a generation's commit, which writes several tables in one
 * transaction, runs on a connection of its own (BEGIN IMMEDIATE: SQLite's
 * one writer), so another thread's statement never lands inside it. A
 * claim is one UPDATE ... WHERE id = (SELECT ...) RETURNING: atomic under
 * SQLite's single writer, across the processes sharing the file too. */
#include "store/sqlite_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
	return sqlite3_prepare_v2(db, sql, -1, st, NULL) == SQLITE_OK ? 0 : sqlite_error(db, "prepare");
}

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *v = sqlite3_column_text(st, i);
	return v ? (const char *)v : "";
}

/* Steps st to its end, calling row(ud, st) for each row. */
static int rows(sqlite3 *db, sqlite3_stmt *st, const char *what, int (*row)(void *ud, sqlite3_stmt *st), void *ud)
{
	int step, rc = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if (row && (rc = row(ud, st)) < 0)
			break;
	if (rc == 0 && step != SQLITE_DONE)
		rc = sqlite_error(db, what);
	sqlite3_finalize(st);
	return rc;
}

struct fn1 {
	int (*fn)(void *ud, const char *a);
	int (*fn2)(void *ud, const char *a, const char *b);
	int (*fne)(void *ud, const store_notify_entry *e);
	void *ud;
};

static int row_manifest(void *ud, sqlite3_stmt *st)
{
	struct fn1 *f = ud;
	return f->fn(f->ud, col(st, 0));
}

int sqlite_notify_manifests(vigil_store *s, int (*fn)(void *ud, const char *manifest), void *ud)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st;
	struct fn1 f = { .fn = fn, .ud = ud };
	int rc = prepare(db, "SELECT manifest FROM index_report ORDER BY manifest", &st);
	return rc < 0 ? rc : rows(db, st, "list manifests", row_manifest, &f);
}

static int row_base(void *ud, sqlite3_stmt *st)
{
	struct fn1 *f = ud;
	return f->fn2(f->ud, col(st, 0), col(st, 1));
}

int sqlite_notify_base_get(vigil_store *s, const char *manifest, int *known,
			   int (*fn)(void *ud, const char *vkey, const char *summary), void *ud)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st;
	struct fn1 f = { .fn2 = fn, .ud = ud };
	int rc = prepare(db, "SELECT 1 FROM notify_known WHERE manifest = ?1", &st), step;
	if (rc < 0)
		return rc;
	sqlite3_bind_text(st, 1, manifest, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	sqlite3_finalize(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return sqlite_error(db, "read baseline");
	if (!(*known = step == SQLITE_ROW))
		return 0;
	if ((rc = prepare(db, "SELECT vkey, summary FROM notify_base WHERE manifest = ?1 ORDER BY vkey", &st)) < 0)
		return rc;
	sqlite3_bind_text(st, 1, manifest, -1, SQLITE_STATIC);
	return rows(db, st, "read baseline", row_base, &f);
}

static int exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : sqlite_error(db, sql);
}

/* One statement with text parameters (NULL: SQL NULL), no rows wanted. */
static int run(sqlite3 *db, const char *what, const char *sql, int n, const char *const *p)
{
	sqlite3_stmt *st;
	int rc = prepare(db, sql, &st);
	if (rc < 0)
		return rc;
	for (int i = 0; i < n; i++)
		sqlite3_bind_text(st, i + 1, p[i], -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sqlite_error(db, what);
	sqlite3_finalize(st);
	return rc;
}

static int write_base(sqlite3 *db, const store_notify_base *b)
{
	const char *m[] = { b->manifest };
	int rc;
	if ((rc = run(db, "baseline", "DELETE FROM notify_base WHERE manifest = ?1", 1, m)) < 0 ||
	    (rc = run(db, "baseline", "INSERT OR IGNORE INTO notify_known (manifest) VALUES (?1)", 1, m)) < 0)
		return rc;
	for (size_t i = 0; i < b->n; i++) {
		const char *p[] = { b->manifest, b->vkeys[i], b->summaries[i] };
		if ((rc = run(db, "baseline", "INSERT OR REPLACE INTO notify_base (manifest, vkey, summary) VALUES (?1, ?2, ?3)",
			      3, p)) < 0)
			return rc;
	}
	return 0;
}

/* A connection of its own for a transaction (see the opening comment). */
static int own_conn(vigil_store *s, sqlite3 **out)
{
	struct sqlite_store *ss = (struct sqlite_store *)s;
	if (sqlite3_open_v2(ss->path, out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		int rc = sqlite_error(*out, "open");
		sqlite3_close_v2(*out);
		*out = NULL;
		return rc;
	}
	sqlite3_busy_timeout(*out, SQLITE_BUSY_MS);
	return exec(*out, "PRAGMA foreign_keys=ON");
}

static int tx_end(sqlite3 *db, int rc)
{
	if (rc == 0)
		rc = exec(db, "COMMIT");
	if (rc < 0)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close_v2(db);
	return rc;
}

int sqlite_notify_base_put(vigil_store *s, const store_notify_base *b, int only_new)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc;
	if ((rc = own_conn(s, &db)) < 0 || (rc = exec(db, "BEGIN IMMEDIATE")) < 0) {
		sqlite3_close_v2(db);
		return rc;
	}
	if (only_new && (rc = prepare(db, "SELECT 1 FROM notify_known WHERE manifest = ?1", &st)) == 0) {
		sqlite3_bind_text(st, 1, b->manifest, -1, SQLITE_STATIC);
		int step = sqlite3_step(st);
		sqlite3_finalize(st);
		if (step == SQLITE_ROW)
			return tx_end(db, 0);
		if (step != SQLITE_DONE)
			rc = sqlite_error(db, "read baseline");
	}
	if (rc == 0)
		rc = write_base(db, b);
	return tx_end(db, rc);
}

int sqlite_notify_commit(vigil_store *s, const store_notify_commit *c)
{
	sqlite3 *db = NULL;
	int rc;
	if ((rc = own_conn(s, &db)) < 0 || (rc = exec(db, "BEGIN IMMEDIATE")) < 0) {
		sqlite3_close_v2(db);
		return rc;
	}
	for (size_t i = 0; rc == 0 && i < c->nbases; i++)
		rc = write_base(db, &c->bases[i]);
	if (rc == 0)
		rc = exec(db, "DELETE FROM notify_base WHERE manifest NOT IN (SELECT manifest FROM index_report);"
			      "DELETE FROM notify_known WHERE manifest NOT IN (SELECT manifest FROM index_report);");
	if (rc == 0 && c->nentries) {
		char created[24], n[24];
		snprintf(created, sizeof(created), "%lld", (long long)c->created);
		snprintf(n, sizeof(n), "%zu", c->nentries);
		const char *p[] = { c->id, created, n };
		rc = run(db, "notification", "INSERT INTO notify_set (id, created_at, entries) VALUES (?1, ?2, ?3)", 3, p);
	}
	for (size_t i = 0; rc == 0 && i < c->nentries; i++) {
		const store_notify_entry *e = &c->entries[i];
		const char *p[] = { c->id, e->id, e->manifest, e->reason, e->summary };
		rc = run(db, "notification entry",
			 "INSERT INTO notify_entry (set_id, id, manifest, reason, summary) VALUES (?1, ?2, ?3, ?4, ?5)", 5, p);
	}
	if (rc == 0 && c->state_key) {
		const char *p[] = { c->state_key, c->state_value ? c->state_value : "" };
		rc = run(db, "notifier state", "INSERT OR REPLACE INTO notify_state (key, value) VALUES (?1, ?2)", 2, p);
	}
	return tx_end(db, rc);
}

int sqlite_notify_state_get(vigil_store *s, const char *key, char *out, size_t n)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st;
	int rc = prepare(db, "SELECT value FROM notify_state WHERE key = ?1", &st), step;
	if (rc < 0)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if ((step = sqlite3_step(st)) == SQLITE_ROW)
		snprintf(out, n, "%s", col(st, 0));
	else if (step != SQLITE_DONE)
		rc = sqlite_error(db, "read notifier state");
	sqlite3_finalize(st);
	return rc;
}

static int row_entry(void *ud, sqlite3_stmt *st)
{
	struct fn1 *f = ud;
	store_notify_entry e = { col(st, 0), col(st, 1), col(st, 2), col(st, 3) };
	return f->fne(f->ud, &e);
}

int sqlite_notify_page(vigil_store *s, const char *id, const char *after, size_t limit, int *found,
		       int (*fn)(void *ud, const store_notify_entry *e), void *ud)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st;
	struct fn1 f = { .fne = fn, .ud = ud };
	store_notify_info info;
	int rc = sqlite_notify_info(s, id, &info);
	if (rc == VIGIL_ENOTFOUND)
		return 0;
	if (rc < 0)
		return rc;
	*found = 1;
	if ((rc = prepare(db, "SELECT id, manifest, reason, summary FROM notify_entry WHERE set_id = ?1 AND id > ?2 "
			      "ORDER BY id LIMIT ?3", &st)) < 0)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, after, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	return rows(db, st, "read notifications", row_entry, &f);
}

int sqlite_notify_info(vigil_store *s, const char *id, store_notify_info *out)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st;
	int rc = prepare(db, "SELECT id, created_at, entries, delivered_at, attempts, last_error FROM notify_set "
			     "WHERE id = ?1", &st), step;
	if (rc < 0)
		return rc;
	memset(out, 0, sizeof(*out));
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if ((step = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(out->id, sizeof(out->id), "%s", col(st, 0));
		out->created = sqlite3_column_int64(st, 1);
		out->entries = sqlite3_column_int64(st, 2);
		out->delivered_at = sqlite3_column_int64(st, 3);
		out->attempts = sqlite3_column_int64(st, 4);
		snprintf(out->last_error, sizeof(out->last_error), "%s", col(st, 5));
	} else if (step == SQLITE_DONE) {
		rc = vigil_error_set(VIGIL_ENOTFOUND, "no notification %s", id);
	} else {
		rc = sqlite_error(db, "read notification");
	}
	sqlite3_finalize(st);
	return rc;
}

/* Runs st (RETURNING a row per change); *n gets the rows. */
static int count_rows(sqlite3 *db, sqlite3_stmt *st, const char *what, int64_t *n)
{
	int step;
	*n = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		(*n)++;
	sqlite3_finalize(st);
	return step == SQLITE_DONE ? 0 : sqlite_error(db, what);
}

int sqlite_notify_remove(vigil_store *s, const char *id, int *deleted)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st;
	int64_t n = 0;
	/* RETURNING, not sqlite3_changes(): the connection is shared by threads */
	int rc = prepare(db, "DELETE FROM notify_set WHERE id = ?1 RETURNING id", &st);
	if (rc < 0)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = count_rows(db, st, "delete notification", &n);
	*deleted = n > 0;
	return rc;
}

int sqlite_notify_claim(vigil_store *s, const char *node, int64_t now, int64_t lease_s,
			char id[STORE_NOTIFY_ID_MAX], int *got)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st;
	int rc = prepare(db, "UPDATE notify_set SET claimed_by = ?1, claimed_until = ?2 WHERE id = "
			     "(SELECT id FROM notify_set WHERE delivered_at = 0 AND next_attempt <= ?3 AND claimed_until < ?3 "
			     "ORDER BY created_at, id LIMIT 1) RETURNING id", &st), step;
	if (rc < 0)
		return rc;
	sqlite3_bind_text(st, 1, node, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now + lease_s);
	sqlite3_bind_int64(st, 3, now);
	if ((step = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(id, STORE_NOTIFY_ID_MAX, "%s", col(st, 0));
		*got = 1;
		step = sqlite3_step(st);
	}
	if (step != SQLITE_DONE)
		rc = sqlite_error(db, "claim a notification");
	sqlite3_finalize(st);
	return rc;
}

int sqlite_notify_release(vigil_store *s, const char *id, const char *node, int ok, int64_t now,
			  int64_t next_attempt, const char *error)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st;
	int rc = prepare(db, ok ? "UPDATE notify_set SET delivered_at = ?3, claimed_until = 0, attempts = attempts + 1, "
				  "last_error = NULL WHERE id = ?1 AND claimed_by = ?2"
				: "UPDATE notify_set SET claimed_until = 0, attempts = attempts + 1, next_attempt = ?4, "
				  "last_error = ?5 WHERE id = ?1 AND claimed_by = ?2 AND ?3 >= 0", &st);
	if (rc < 0)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, node, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	if (!ok) {
		sqlite3_bind_int64(st, 4, next_attempt);
		sqlite3_bind_text(st, 5, error, -1, SQLITE_STATIC);
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sqlite_error(db, "record a delivery");
	sqlite3_finalize(st);
	return rc;
}

int sqlite_notify_expire(vigil_store *s, int64_t before, int64_t *removed)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st;
	int rc = prepare(db, "DELETE FROM notify_set WHERE created_at < ?1 RETURNING id", &st);
	if (rc < 0)
		return rc;
	sqlite3_bind_int64(st, 1, before);
	return count_rows(db, st, "expire notifications", removed);
}
