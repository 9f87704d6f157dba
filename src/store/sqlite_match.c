/* store/sqlite_match.c: the matcher's reader in the SQLite backend. It
 * has its own read-only connection (memory-mapped, a larger page cache)
 * holding one read transaction from open to close: a consistent snapshot
 * while an import writes, and one lock instead of one per query. At open
 * it lists the current data: the newest operation of each feed. Its
 * statements are prepared once; a lookup of (namespace, package) is one
 * range of match_row (clustered by namespace and package, kept current by
 * the writer), so a scan costs one query per distinct package name,
 * whatever the pairs. */
#include "store/sqlite_priv.h"
#include "util/buf.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* More feeds than this in one store is not a store vigil wrote. */
#define READER_MAX_FEEDS 256
/* The reader's page cache. */
#define READER_CACHE_KIB "-32768"

struct reader_op {
	sqlite3_int64 id;
	char feed[32];
};

struct vigil_vuln_reader {
	vigil_store *s; /* first: see store_vuln.h */
	sqlite3 *db;
	struct reader_op ops[READER_MAX_FEEDS];
	size_t nops;
	sqlite3_stmt *affected, *record, *detail, *named;
};
STORE_HANDLE_CHECK(struct vigil_vuln_reader);

static const char *col(sqlite3_stmt *st, int i) { return (const char *)sqlite3_column_text(st, i); }

#define DETAIL_COLUMNS "d.summary, d.description, d.links, d.aliases, d.published, d.vendor_severity, " \
	"d.cvss3_score, d.cvss3_vector, d.cvss2_score, d.cvss2_vector"

static double score(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_double(st, i);
}

/* The first detail row of st (bound), VIGIL_ENOTFOUND when none. */
static int detail_row(sqlite3 *db, sqlite3_stmt *st, int (*fn)(void *, const vigil_vuln_detail *),
		      void *ud)
{
	int rc, step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		vigil_vuln_detail d = {
			.summary = col(st, 0), .description = col(st, 1), .links = col(st, 2),
			.aliases = col(st, 3), .published = col(st, 4), .vendor_severity = col(st, 5),
			.cvss3_score = score(st, 6), .cvss3_vector = col(st, 7),
			.cvss2_score = score(st, 8), .cvss2_vector = col(st, 9),
		};
		rc = fn(ud, &d);
	} else if (step == SQLITE_DONE) {
		rc = VIGIL_ENOTFOUND;
	} else {
		rc = sqlite_error(db, "read a record's detail");
	}
	sqlite3_reset(st);
	return rc;
}

int sqlite_reader_open(vigil_store *s, vigil_vuln_reader **out)
{
	vigil_vuln_reader *r = calloc(1, sizeof(*r));
	sqlite3_stmt *st = NULL;
	vigil_buf in, sql;
	int rc = 0, step;
	*out = NULL;
	vigil_buf_init(&in, 64 * 1024);
	vigil_buf_init(&sql, 128 * 1024);
	if (!r) {
		rc = vigil_error_oom();
		goto out;
	}
	r->s = s;
	const char *path = ((struct sqlite_store *)s)->path;
	if (sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		rc = vigil_error_set(VIGIL_ESTORE, "%s: %s", path, r->db ? sqlite3_errmsg(r->db) : "cannot open");
		goto out;
	}
	sqlite3_busy_timeout(r->db, SQLITE_BUSY_MS);
	if (sqlite3_exec(r->db, "PRAGMA cache_size=" READER_CACHE_KIB
			 "; BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		rc = sqlite_error(r->db, "start reading");
		goto out;
	}
	if (sqlite3_prepare_v2(r->db, "SELECT max(id), feed FROM update_operation GROUP BY feed ORDER BY feed",
			       -1, &st, NULL) != SQLITE_OK) {
		rc = sqlite_error(r->db, "prepare");
		goto out;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (r->nops == READER_MAX_FEEDS) {
			rc = vigil_error_set(VIGIL_ELIMIT, "store holds more than %d feeds", READER_MAX_FEEDS);
			goto out;
		}
		r->ops[r->nops].id = sqlite3_column_int64(st, 0);
		snprintf(r->ops[r->nops].feed, sizeof(r->ops[0].feed), "%s", col(st, 1));
		r->nops++;
	}
	if (step != SQLITE_DONE) {
		rc = sqlite_error(r->db, "list current operations");
		goto out;
	}
	/* "IN (1,5,9)": the current operations as literals (integers only). */
	if ((rc = vigil_buf_puts(&in, "(0")) < 0)
		goto out;
	for (size_t i = 0; i < r->nops; i++)
		if ((rc = vigil_buf_printf(&in, ",%lld", (long long)r->ops[i].id)) < 0)
			goto out;
	if ((rc = vigil_buf_puts(&in, ")")) < 0 ||
	    (rc = vigil_buf_puts(&sql, "SELECT feed, vuln, name, source, package, is_source, scheme, state, "
				 "fixed, module, arch, severity, vendor_severity FROM match_row "
				 "WHERE namespace = ?1 AND package = ?2")) < 0)
		goto out;
	if (sqlite3_prepare_v2(r->db, vigil_buf_cstr(&sql), -1, &r->affected, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, "SELECT record FROM vuln WHERE id = ?1", -1, &r->record, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, "SELECT " DETAIL_COLUMNS " FROM vuln_detail d WHERE d.vuln = ?1", -1,
			       &r->detail, NULL) != SQLITE_OK) {
		rc = sqlite_error(r->db, "prepare");
		goto out;
	}
	vigil_buf_reset(&sql);
	if ((rc = vigil_buf_printf(&sql,
		"SELECT " DETAIL_COLUMNS " FROM vuln v JOIN vuln_detail d ON d.vuln = v.id "
		"JOIN uo_vuln x ON x.vuln = v.id JOIN update_operation o ON o.id = x.op "
		"WHERE v.name = ?2 AND o.feed = ?1 AND x.op IN %s", vigil_buf_cstr(&in))) < 0)
		goto out;
	if (sqlite3_prepare_v2(r->db, vigil_buf_cstr(&sql), -1, &r->named, NULL) != SQLITE_OK) {
		rc = sqlite_error(r->db, "prepare");
		goto out;
	}
	*out = r;
	r = NULL;
out:
	sqlite3_finalize(st);
	vigil_buf_free(&in);
	vigil_buf_free(&sql);
	sqlite_reader_close(r);
	return rc;
}

int sqlite_reader_affected(vigil_vuln_reader *r, const char *namespace, const char *package,
			   int (*fn)(void *ud, const vigil_affected_row *row), void *ud)
{
	sqlite3_stmt *st = r->affected;
	int rc = 0, step;
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, namespace, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, package, -1, SQLITE_STATIC);
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		vigil_affected_row row = {
			.feed = col(st, 0),
			.vuln = sqlite3_column_int64(st, 1),
			.id = col(st, 2),
			.source = col(st, 3),
			.package = col(st, 4),
			.is_source = sqlite3_column_int(st, 5),
			.scheme = col(st, 6),
			.state = sqlite3_column_int(st, 7),
			.fixed = col(st, 8),
			.module = col(st, 9),
			.arch = col(st, 10),
			.severity = sqlite3_column_int(st, 11),
			.vendor_severity = col(st, 12),
		};
		rc = fn(ud, &row);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = sqlite_error(r->db, "look affected packages up");
	sqlite3_reset(st);
	return rc;
}

static int one_blob(sqlite3 *db, sqlite3_stmt *st, int (*fn)(void *, const char *, size_t), void *ud,
		    const char *what)
{
	int rc = 0, step;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
		rc = fn(ud, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
	if (rc == 0 && step != SQLITE_DONE)
		rc = sqlite_error(db, what);
	sqlite3_reset(st);
	return rc;
}

int sqlite_reader_record(vigil_vuln_reader *r, int64_t vuln,
			 int (*fn)(void *ud, const char *record, size_t len), void *ud)
{
	sqlite3_reset(r->record);
	sqlite3_bind_int64(r->record, 1, vuln);
	return one_blob(r->db, r->record, fn, ud, "read a record");
}

int sqlite_reader_detail(vigil_vuln_reader *r, int64_t vuln,
			 int (*fn)(void *ud, const vigil_vuln_detail *d), void *ud)
{
	sqlite3_reset(r->detail);
	sqlite3_bind_int64(r->detail, 1, vuln);
	return detail_row(r->db, r->detail, fn, ud);
}

int sqlite_reader_named_detail(vigil_vuln_reader *r, const char *feed, const char *name,
			       int (*fn)(void *ud, const vigil_vuln_detail *d), void *ud)
{
	sqlite3_reset(r->named);
	sqlite3_bind_text(r->named, 1, feed, -1, SQLITE_STATIC);
	sqlite3_bind_text(r->named, 2, name, -1, SQLITE_STATIC);
	return detail_row(r->db, r->named, fn, ud);
}

void sqlite_reader_close(vigil_vuln_reader *r)
{
	if (!r)
		return;
	sqlite3_finalize(r->affected);
	sqlite3_finalize(r->record);
	sqlite3_finalize(r->detail);
	sqlite3_finalize(r->named);
	if (r->db) {
		sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL);
		sqlite3_close_v2(r->db);
	}
	free(r);
}
