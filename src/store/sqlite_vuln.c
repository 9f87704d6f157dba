/* store/sqlite_vuln.c: vulnerability data in the SQLite backend: update
 * operations written in one transaction each, content-addressed records
 * shared between operations, diffs and garbage collection (vigil/db.h). */
#include "store/sqlite_priv.h"
#include "util/buf.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct vigil_vuln_writer {
	vigil_store *s;
	sqlite3 *db;
	char feed[32];
	sqlite3_int64 op;
	char ref[40];
	int64_t vulns, affected;
	sqlite3_stmt *ins_vuln, *find_vuln, *ins_aff, *ins_uo, *ins_detail;
};
STORE_HANDLE_CHECK(struct vigil_vuln_writer);

static int exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : sqlite_error(db, sql);
}

static void finalize_all(vigil_vuln_writer *w)
{
	sqlite3_finalize(w->ins_vuln);
	sqlite3_finalize(w->find_vuln);
	sqlite3_finalize(w->ins_aff);
	sqlite3_finalize(w->ins_uo);
	sqlite3_finalize(w->ins_detail);
}

int sqlite_vuln_begin(vigil_store *s, const char *feed, vigil_vuln_writer **out)
{
	vigil_vuln_writer *w = calloc(1, sizeof(*w));
	sqlite3_stmt *st = NULL;
	int rc;
	*out = NULL;
	if (!w)
		return vigil_error_oom();
	w->s = s;
	w->db = sqlite_db(s);
	snprintf(w->feed, sizeof(w->feed), "%s", feed);
	if ((rc = store_new_ref(w->ref)) < 0 || (rc = exec(w->db, "BEGIN IMMEDIATE")) < 0) {
		free(w);
		return rc;
	}
	if (sqlite3_prepare_v2(w->db, "INSERT INTO update_operation (ref, feed, fingerprint, created_at) VALUES (?1, ?2, '', ?3)", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(w->db, "INSERT INTO vuln (source, name, hash, severity, record) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (hash) DO NOTHING", -1, &w->ins_vuln, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(w->db, "SELECT id FROM vuln WHERE hash = ?1", -1, &w->find_vuln, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(w->db, "INSERT INTO affected (vuln, namespace, package, is_source, scheme, state, fixed, module, arch, severity, vendor_severity) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", -1, &w->ins_aff, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(w->db, "INSERT INTO vuln_detail (vuln, summary, description, links, aliases, published, vendor_severity, cvss3_score, cvss3_vector, cvss2_score, cvss2_vector) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", -1, &w->ins_detail, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(w->db, "INSERT OR IGNORE INTO uo_vuln (op, vuln) VALUES (?1, ?2)", -1, &w->ins_uo, NULL) != SQLITE_OK) {
		rc = sqlite_error(w->db, "prepare");
		goto fail;
	}
	sqlite3_bind_text(st, 1, w->ref, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, w->feed, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = sqlite_error(w->db, "create update operation");
		goto fail;
	}
	w->op = sqlite3_last_insert_rowid(w->db);
	sqlite3_finalize(st);
	*out = w;
	return 0;
fail:
	sqlite3_finalize(st);
	sqlite_vuln_abort(w);
	return rc;
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* list joined with '\n' (links and ids hold no newline) into b. */
static int join(vigil_buf *b, const char *const *list, size_t n)
{
	int rc = 0;
	vigil_buf_reset(b);
	for (size_t i = 0; i < n && rc == 0; i++)
		if (list[i])
			rc = vigil_buf_printf(b, "%s%s", b->len ? "\n" : "", list[i]);
	return rc;
}

static void bind_score(sqlite3_stmt *st, int i, double score)
{
	if (score >= 0)
		sqlite3_bind_double(st, i, score);
	else
		sqlite3_bind_null(st, i);
}

/* The detail row of a fresh record (vuln_detail). */
static int put_detail(vigil_vuln_writer *w, sqlite3_int64 id, const vigil_vuln *v)
{
	sqlite3_stmt *st = w->ins_detail;
	vigil_buf links, aliases;
	int rc;
	vigil_buf_init(&links, STORE_MAX_JOINED);
	vigil_buf_init(&aliases, STORE_MAX_JOINED);
	if ((rc = join(&links, v->links, v->nlinks)) < 0 || (rc = join(&aliases, v->aliases, v->naliases)) < 0) {
		vigil_error_prefix("%s: ", v->id);
		goto out;
	}
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, id);
	bind_text_or_null(st, 2, v->summary);
	bind_text_or_null(st, 3, v->description);
	bind_text_or_null(st, 4, links.len ? vigil_buf_cstr(&links) : NULL);
	bind_text_or_null(st, 5, aliases.len ? vigil_buf_cstr(&aliases) : NULL);
	bind_text_or_null(st, 6, v->published);
	bind_text_or_null(st, 7, v->vendor_severity);
	bind_score(st, 8, v->cvss3_score);
	bind_text_or_null(st, 9, v->cvss3_vector);
	bind_score(st, 10, v->cvss2_score);
	bind_text_or_null(st, 11, v->cvss2_vector);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sqlite_error(w->db, "insert vulnerability detail");
out:
	vigil_buf_free(&links);
	vigil_buf_free(&aliases);
	return rc;
}

int sqlite_vuln_put(vigil_vuln_writer *w, const vigil_vuln *v, const char *hash,
		    const char *record, size_t len)
{
	sqlite3_int64 id;
	int fresh, rc;
	sqlite3_reset(w->ins_vuln);
	sqlite3_bind_text(w->ins_vuln, 1, v->source ? v->source : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(w->ins_vuln, 2, v->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->ins_vuln, 3, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int(w->ins_vuln, 4, (int)v->severity);
	sqlite3_bind_blob64(w->ins_vuln, 5, record, len, SQLITE_STATIC);
	if (sqlite3_step(w->ins_vuln) != SQLITE_DONE)
		return sqlite_error(w->db, "insert vulnerability");
	fresh = sqlite3_changes(w->db) > 0;
	if (fresh) {
		id = sqlite3_last_insert_rowid(w->db);
	} else {
		sqlite3_reset(w->find_vuln);
		sqlite3_bind_text(w->find_vuln, 1, hash, -1, SQLITE_STATIC);
		if (sqlite3_step(w->find_vuln) != SQLITE_ROW)
			return sqlite_error(w->db, "find vulnerability");
		id = sqlite3_column_int64(w->find_vuln, 0);
	}
	for (size_t i = 0; fresh && i < v->naffected; i++) {
		const vigil_affected *a = &v->affected[i];
		sqlite3_stmt *st = w->ins_aff;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, a->namespace ? a->namespace : "", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, a->package ? a->package : "", -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 4, a->is_source);
		bind_text_or_null(st, 5, a->scheme);
		sqlite3_bind_int(st, 6, (int)a->state);
		bind_text_or_null(st, 7, a->fixed);
		bind_text_or_null(st, 8, a->module);
		bind_text_or_null(st, 9, a->arch);
		sqlite3_bind_int(st, 10, (int)(a->severity ? a->severity : v->severity));
		bind_text_or_null(st, 11, a->vendor_severity);
		if (sqlite3_step(st) != SQLITE_DONE)
			return sqlite_error(w->db, "insert affected package");
	}
	if (fresh && (rc = put_detail(w, id, v)) < 0)
		return rc;
	sqlite3_reset(w->ins_uo);
	sqlite3_bind_int64(w->ins_uo, 1, w->op);
	sqlite3_bind_int64(w->ins_uo, 2, id);
	if (sqlite3_step(w->ins_uo) != SQLITE_DONE)
		return sqlite_error(w->db, "link vulnerability");
	w->vulns++;
	w->affected += (int64_t)v->naffected;
	return 0;
}

static void op_from_row(sqlite3_stmt *st, vigil_db_op *op)
{
	memset(op, 0, sizeof(*op));
	snprintf(op->ref, sizeof(op->ref), "%s", (const char *)sqlite3_column_text(st, 0));
	snprintf(op->feed, sizeof(op->feed), "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(op->fingerprint, sizeof(op->fingerprint), "%s", (const char *)sqlite3_column_text(st, 2));
	op->created = sqlite3_column_int64(st, 3);
	op->vulns = sqlite3_column_int64(st, 4);
	op->affected = sqlite3_column_int64(st, 5);
}

#define OP_COLUMNS "ref, feed, fingerprint, created_at, vulns, affected"

/* The feed's rows of match_row become those of this operation. */
static int refresh_match_rows(vigil_vuln_writer *w)
{
	sqlite3_stmt *del = NULL, *ins = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(w->db, "DELETE FROM match_row WHERE feed = ?1", -1, &del, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(w->db, "INSERT INTO match_row " MATCH_ROW_SELECT "WHERE o.id = ?1", -1, &ins,
			       NULL) != SQLITE_OK) {
		rc = sqlite_error(w->db, "prepare");
		goto out;
	}
	sqlite3_bind_text(del, 1, w->feed, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 1, w->op);
	if (sqlite3_step(del) != SQLITE_DONE || sqlite3_step(ins) != SQLITE_DONE)
		rc = sqlite_error(w->db, "refresh the matcher's rows");
out:
	sqlite3_finalize(del);
	sqlite3_finalize(ins);
	return rc;
}

int sqlite_vuln_commit(vigil_vuln_writer *w, const char *fingerprint, vigil_db_op *op)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(w->db, "UPDATE update_operation SET fingerprint = ?1, vulns = ?2, affected = ?3 WHERE id = ?4", -1, &st, NULL) != SQLITE_OK) {
		rc = sqlite_error(w->db, "prepare");
		goto out;
	}
	sqlite3_bind_text(st, 1, fingerprint, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, w->vulns);
	sqlite3_bind_int64(st, 3, w->affected);
	sqlite3_bind_int64(st, 4, w->op);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = sqlite_error(w->db, "finish update operation");
		goto out;
	}
	if ((rc = refresh_match_rows(w)) < 0 || (rc = sqlite_feed_attempt(w->s, w->feed, NULL)) < 0 ||
	    (rc = exec(w->db, "COMMIT")) < 0)
		goto out;
	store_op_set(op, w->ref, w->feed, fingerprint, w->vulns, w->affected);
out:
	sqlite3_finalize(st);
	if (rc < 0) {
		sqlite_vuln_abort(w);
		return rc;
	}
	finalize_all(w);
	free(w);
	return 0;
}

void sqlite_vuln_abort(vigil_vuln_writer *w)
{
	if (!w)
		return;
	finalize_all(w);
	sqlite3_exec(w->db, "ROLLBACK", NULL, NULL, NULL);
	free(w);
}

int sqlite_feed_last_op(vigil_store *s, const char *feed, vigil_db_op *op)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st = NULL;
	int rc;
	if (sqlite3_prepare_v2(db, "SELECT " OP_COLUMNS " FROM update_operation WHERE feed = ?1 ORDER BY id DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	sqlite3_bind_text(st, 1, feed, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		op_from_row(st, op);
		rc = 0;
	} else if (step == SQLITE_DONE) {
		rc = vigil_error_set(VIGIL_ENOTFOUND, "feed %s has no data", feed);
	} else {
		rc = sqlite_error(db, "read update operation");
	}
	sqlite3_finalize(st);
	return rc;
}

int sqlite_feed_attempt(vigil_store *s, const char *feed, const char *error)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(db, "INSERT INTO feed_status (feed, last_attempt, last_error) VALUES (?1, ?2, ?3) "
			       "ON CONFLICT (feed) DO UPDATE SET last_attempt = excluded.last_attempt, last_error = excluded.last_error",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	sqlite3_bind_text(st, 1, feed, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
	bind_text_or_null(st, 3, error);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sqlite_error(db, "note feed run");
	sqlite3_finalize(st);
	return rc;
}

int sqlite_db_ops(vigil_store *s, const char *feed, vigil_db_op **out, size_t *n)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st = NULL;
	vigil_db_op *ops = NULL;
	size_t len = 0, cap = 0;
	int rc = 0, step;
	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db, feed ? "SELECT " OP_COLUMNS " FROM update_operation WHERE feed = ?1 ORDER BY id DESC"
				       : "SELECT " OP_COLUMNS " FROM update_operation ORDER BY id DESC",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	if (feed)
		sqlite3_bind_text(st, 1, feed, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap ? cap * 2 : 16;
			vigil_db_op *nops = realloc(ops, cap * sizeof(*ops));
			if (!nops) {
				rc = vigil_error_oom();
				goto out;
			}
			ops = nops;
		}
		op_from_row(st, &ops[len++]);
	}
	if (step != SQLITE_DONE)
		rc = sqlite_error(db, "list update operations");
out:
	sqlite3_finalize(st);
	if (rc < 0) {
		free(ops);
		return rc;
	}
	*out = ops;
	*n = len;
	return 0;
}

int sqlite_db_status(vigil_store *s, vigil_db_feed_status **out, size_t *n)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st = NULL;
	vigil_db_feed_status *fs = NULL;
	size_t len = 0, cap = 0;
	int rc = 0, step;
	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db, "SELECT f.feed, coalesce(s.last_attempt, 0), coalesce(s.last_error, '') FROM "
			       "(SELECT feed FROM update_operation UNION SELECT feed FROM feed_status) f "
			       "LEFT JOIN feed_status s ON s.feed = f.feed ORDER BY f.feed", -1, &st, NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap ? cap * 2 : 16;
			vigil_db_feed_status *nfs = realloc(fs, cap * sizeof(*fs));
			if (!nfs) {
				rc = vigil_error_oom();
				goto out;
			}
			fs = nfs;
		}
		vigil_db_feed_status *f = &fs[len++];
		memset(f, 0, sizeof(*f));
		snprintf(f->feed, sizeof(f->feed), "%s", (const char *)sqlite3_column_text(st, 0));
		f->last_attempt = sqlite3_column_int64(st, 1);
		snprintf(f->last_error, sizeof(f->last_error), "%s", (const char *)sqlite3_column_text(st, 2));
	}
	if (step != SQLITE_DONE) {
		rc = sqlite_error(db, "read feed status");
		goto out;
	}
	for (size_t i = 0; i < len; i++) {
		rc = sqlite_feed_last_op(s, fs[i].feed, &fs[i].last);
		if (rc == 0)
			fs[i].has_data = 1;
		else if (rc != VIGIL_ENOTFOUND)
			goto out;
		rc = 0;
	}
out:
	sqlite3_finalize(st);
	if (rc < 0) {
		free(fs);
		return rc;
	}
	*out = fs;
	*n = len;
	return 0;
}

static int op_id(sqlite3 *db, const char *ref, sqlite3_int64 *id)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(db, "SELECT id FROM update_operation WHERE ref = ?1", -1, &st, NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else
		rc = vigil_error_set(VIGIL_ENOTFOUND, "no update operation %s", ref);
	sqlite3_finalize(st);
	return rc;
}

int sqlite_db_diff(vigil_store *s, const char *ref_a, const char *ref_b,
		   int (*fn)(void *, vigil_db_change, const char *, const char *, const char *),
		   void *ud)
{
	static const char *const sql =
		"SELECT v.source, v.name, v.hash FROM uo_vuln x JOIN vuln v ON v.id = x.vuln "
		"WHERE x.op = ?1 AND NOT EXISTS (SELECT 1 FROM uo_vuln y WHERE y.op = ?2 AND y.vuln = x.vuln) "
		"ORDER BY v.name, v.source";
	sqlite3 *db = sqlite_db(s);
	sqlite3_int64 a = -1, b;
	int rc;
	if ((ref_a && (rc = op_id(db, ref_a, &a)) < 0) || (rc = op_id(db, ref_b, &b)) < 0)
		return rc;
	for (int pass = 0; pass < 2; pass++) {
		sqlite3_stmt *st = NULL;
		int step;
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
			return sqlite_error(db, "prepare");
		sqlite3_bind_int64(st, 1, pass == 0 ? b : a);
		sqlite3_bind_int64(st, 2, pass == 0 ? a : b);
		rc = 0;
		while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
			rc = fn(ud, pass == 0 ? VIGIL_DB_ADDED : VIGIL_DB_REMOVED,
				(const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
				(const char *)sqlite3_column_text(st, 2));
		if (rc == 0 && step != SQLITE_DONE)
			rc = sqlite_error(db, "diff update operations");
		sqlite3_finalize(st);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int sqlite_db_gc(vigil_store *s, int keep, int64_t *ops_removed, int64_t *vulns_removed)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st = NULL;
	int rc;
	*ops_removed = *vulns_removed = 0;
	if ((rc = exec(db, "BEGIN IMMEDIATE")) < 0)
		return rc;
	if (sqlite3_prepare_v2(db, "DELETE FROM update_operation WHERE id IN (SELECT id FROM (SELECT id, "
			       "row_number() OVER (PARTITION BY feed ORDER BY id DESC) AS n FROM update_operation) WHERE n > ?1)",
			       -1, &st, NULL) != SQLITE_OK) {
		rc = sqlite_error(db, "prepare");
		goto out;
	}
	sqlite3_bind_int(st, 1, keep);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = sqlite_error(db, "drop old update operations");
		goto out;
	}
	*ops_removed = sqlite3_changes(db);
	if ((rc = exec(db, "DELETE FROM vuln WHERE NOT EXISTS (SELECT 1 FROM uo_vuln WHERE uo_vuln.vuln = vuln.id)")) < 0)
		goto out;
	*vulns_removed = sqlite3_changes(db);
	rc = exec(db, "COMMIT");
out:
	sqlite3_finalize(st);
	if (rc < 0)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int sqlite_op_records(vigil_store *s, const char *ref,
		      int (*fn)(void *ud, const char *record, size_t len), void *ud)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st = NULL;
	sqlite3_int64 op;
	int rc, step;
	if ((rc = op_id(db, ref, &op)) < 0)
		return rc;
	if (sqlite3_prepare_v2(db, "SELECT v.record FROM uo_vuln x JOIN vuln v ON v.id = x.vuln WHERE x.op = ?1 "
			       "ORDER BY v.name, v.source, v.hash", -1, &st, NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	sqlite3_bind_int64(st, 1, op);
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
		rc = fn(ud, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
	if (rc == 0 && step != SQLITE_DONE)
		rc = sqlite_error(db, "read records");
	sqlite3_finalize(st);
	return rc;
}

int sqlite_namespace_count(vigil_store *s, const char *namespace, int64_t *count)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st = NULL;
	int rc = 0;
	/* existence only (LIMIT 1): counting every row of a namespace costs milliseconds */
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM (SELECT 1 FROM match_row WHERE namespace = ?1 LIMIT 1)",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	sqlite3_bind_text(st, 1, namespace, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		*count = sqlite3_column_int64(st, 0);
	else
		rc = sqlite_error(db, "count namespace records");
	sqlite3_finalize(st);
	return rc;
}

/* The feeds of a namespace, their rows and their newest dated record; the
 * bare column m.name comes from the row of max() (SQLite's rule). */
int sqlite_namespace_feeds(vigil_store *s, const char *namespace, const char *today,
			   vigil_store_nsfeed_fn fn, void *ud)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st = NULL;
	int rc = 0, step;
	if (sqlite3_prepare_v2(db, "SELECT m.feed, count(*), max(CASE WHEN d.published GLOB "
			       "'[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]*' AND substr(d.published, 1, 10) <= ?2 "
			       "THEN substr(d.published, 1, 10) END), m.name FROM match_row m "
			       "LEFT JOIN vuln_detail d ON d.vuln = m.vuln WHERE m.namespace = ?1 "
			       "GROUP BY m.feed ORDER BY m.feed",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	sqlite3_bind_text(st, 1, namespace, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		vigil_ns_feed f = {
			.feed = (const char *)sqlite3_column_text(st, 0),
			.rows = sqlite3_column_int64(st, 1),
			.newest = (const char *)sqlite3_column_text(st, 2),
		};
		f.newest_id = f.newest ? (const char *)sqlite3_column_text(st, 3) : NULL;
		rc = fn(ud, &f);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = sqlite_error(db, "read the feeds of a namespace");
	sqlite3_finalize(st);
	return rc;
}

int sqlite_vuln_by_name(vigil_store *s, const char *name, const char *feed,
			int (*fn)(void *ud, const char *feed, const char *record, size_t len), void *ud)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st = NULL;
	int rc = 0, step;
	if (sqlite3_prepare_v2(db, "SELECT o.feed, v.record FROM vuln v JOIN uo_vuln x ON x.vuln = v.id "
			       "JOIN update_operation o ON o.id = x.op WHERE v.name = ?1 AND (?2 IS NULL OR o.feed = ?2) "
			       "AND o.id IN (SELECT max(id) FROM update_operation GROUP BY feed) ORDER BY o.feed",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	bind_text_or_null(st, 2, feed);
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
		rc = fn(ud, (const char *)sqlite3_column_text(st, 0), sqlite3_column_blob(st, 1),
			(size_t)sqlite3_column_bytes(st, 1));
	if (rc == 0 && step != SQLITE_DONE)
		rc = sqlite_error(db, "look records up");
	sqlite3_finalize(st);
	return rc;
}
