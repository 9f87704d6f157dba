/* store/pg_match.c: reading the vulnerability data in the PostgreSQL
 * backend, with the behaviour of store/sqlite_match.c and of the readers
 * of sqlite_vuln.c (records by name, of an operation, per namespace).
 *
 * The matcher's reader holds one connection of the pool and one
 * REPEATABLE READ READ ONLY transaction from open to close: a consistent
 * snapshot while another node imports. At open it lists the current data
 * (the newest operation of each feed) and prepares its four statements,
 * under names unique to the reader, in one round trip; a lookup of
 * (namespace, package) is one range of match_row's primary key, rows in
 * aid order as SQLite gives them. Close commits and deallocates the
 * statements; a reader that failed leaves its transaction open so
 * pg_conn_put closes the connection rather than pool it. */
#include "store/pg_priv.h"
#include "util/buf.h"
#include "util/error.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* More feeds than this in one store is not a store vigil wrote. */
#define READER_MAX_FEEDS 256
#define READER_NAME 48 /* a prepared statement's name */
#define READER_INT_TEXT 24

enum { ST_AFFECTED, ST_RECORD, ST_DETAIL, ST_NAMED, NSTATEMENTS };

static const char *const st_suffix[NSTATEMENTS] = { "aff", "rec", "det", "nam" };

/* Reader numbers, for statement names unique on every connection. */
static atomic_uint_fast64_t reader_seq;

struct vigil_vuln_reader {
	vigil_store *s;
	PGconn *c;
	int ok;       /* open succeeded: close commits and deallocates */
	char name[NSTATEMENTS][READER_NAME];
};
STORE_HANDLE_CHECK(struct vigil_vuln_reader);

#define DETAIL_COLUMNS "d.summary, d.description, d.links, d.aliases, d.published, d.vendor_severity, " \
	"d.cvss3_score, d.cvss3_vector, d.cvss2_score, d.cvss2_vector"

/* Column i of row, NULL for SQL NULL. */
static const char *col(const PGresult *res, int row, int i)
{
	return PQgetisnull(res, row, i) ? NULL : PQgetvalue(res, row, i);
}

static double score(const PGresult *res, int row, int i)
{
	return PQgetisnull(res, row, i) ? -1 : strtod(PQgetvalue(res, row, i), NULL);
}

static long long num(const PGresult *res, int row, int i)
{
	return strtoll(PQgetvalue(res, row, i), NULL, 10);
}

/* One or more statements without parameters; *out (may be NULL) gets the last result. */
static int run(PGconn *c, const char *what, const char *sql, PGresult **out)
{
	PGresult *res = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(res);
	int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : pg_error(c, res, what);
	if (rc == 0 && out)
		*out = res;
	else
		PQclear(res);
	return rc;
}

/* The PREPAREs of the reader's statements; in holds the current operations. */
static int prepare_sql(vigil_vuln_reader *r, vigil_buf *sql, const char *in)
{
	return vigil_buf_printf(sql,
		"PREPARE %s (text, text) AS SELECT feed, vuln, name, source, package, is_source, scheme,"
		" state, fixed, module, arch, severity, vendor_severity FROM match_row"
		" WHERE namespace = $1 AND package = $2 ORDER BY aid;"
		"PREPARE %s (bigint) AS SELECT record FROM vuln WHERE id = $1;"
		"PREPARE %s (bigint) AS SELECT " DETAIL_COLUMNS " FROM vuln_detail d WHERE d.vuln = $1;"
		"PREPARE %s (text, text) AS SELECT " DETAIL_COLUMNS " FROM vuln v"
		" JOIN vuln_detail d ON d.vuln = v.id JOIN uo_vuln x ON x.vuln = v.id"
		" JOIN update_operation o ON o.id = x.op WHERE v.name = $2 AND o.feed = $1 AND x.op IN %s"
		" LIMIT 1",
		r->name[ST_AFFECTED], r->name[ST_RECORD], r->name[ST_DETAIL], r->name[ST_NAMED], in);
}

int pg_reader_open(vigil_store *s, vigil_vuln_reader **out)
{
	vigil_vuln_reader *r = calloc(1, sizeof(*r));
	PGresult *res = NULL;
	vigil_buf in, sql;
	int rc = 0;
	*out = NULL;
	vigil_buf_init(&in, 64 * 1024);
	vigil_buf_init(&sql, 128 * 1024);
	if (!r) {
		rc = vigil_error_oom();
		goto out;
	}
	r->s = s;
	uint64_t n = atomic_fetch_add(&reader_seq, 1);
	for (int i = 0; i < NSTATEMENTS; i++)
		snprintf(r->name[i], READER_NAME, "vigil_rd%" PRIu64 "_%s", n, st_suffix[i]);
	if ((rc = pg_conn_get(s, &r->c)) < 0 ||
	    (rc = run(r->c, "start reading", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"
		      "SELECT max(id) FROM update_operation GROUP BY feed ORDER BY feed", &res)) < 0)
		goto out;
	if (PQntuples(res) > READER_MAX_FEEDS) {
		rc = vigil_error_set(VIGIL_ELIMIT, "store holds more than %d feeds", READER_MAX_FEEDS);
		goto out;
	}
	/* "(0,5,9)": the current operations as literals (integers only). */
	if ((rc = vigil_buf_puts(&in, "(0")) < 0)
		goto out;
	for (int i = 0; i < PQntuples(res); i++)
		if ((rc = vigil_buf_printf(&in, ",%lld", num(res, i, 0))) < 0)
			goto out;
	if ((rc = vigil_buf_puts(&in, ")")) < 0 || (rc = prepare_sql(r, &sql, vigil_buf_cstr(&in))) < 0 ||
	    (rc = run(r->c, "prepare", vigil_buf_cstr(&sql), NULL)) < 0)
		goto out;
	r->ok = 1;
	*out = r;
	r = NULL;
out:
	PQclear(res);
	vigil_buf_free(&in);
	vigil_buf_free(&sql);
	pg_reader_close(r);
	return rc;
}

/* Runs prepared statement i; *res is a PGRES_TUPLES_OK result. A failure
 * ends the reader's transaction: close then drops the connection. */
static int exec_prepared(vigil_vuln_reader *r, int i, int n, const char *const *params, const char *what,
			 PGresult **res)
{
	*res = PQexecPrepared(r->c, r->name[i], n, params, NULL, NULL, 0);
	if (PQresultStatus(*res) == PGRES_TUPLES_OK)
		return 0;
	int rc = pg_error(r->c, *res, what);
	PQclear(*res);
	*res = NULL;
	r->ok = 0;
	return rc;
}

int pg_reader_affected(vigil_vuln_reader *r, const char *namespace, const char *package,
		       int (*fn)(void *ud, const vigil_affected_row *row), void *ud)
{
	PGresult *res;
	const char *p[] = { namespace, package };
	int rc = exec_prepared(r, ST_AFFECTED, 2, p, "look affected packages up", &res);
	for (int i = 0; rc == 0 && i < PQntuples(res); i++) {
		vigil_affected_row row = {
			.feed = col(res, i, 0),
			.vuln = (int64_t)num(res, i, 1),
			.id = col(res, i, 2),
			.source = col(res, i, 3),
			.package = col(res, i, 4),
			.is_source = (int)num(res, i, 5),
			.scheme = col(res, i, 6),
			.state = (int)num(res, i, 7),
			.fixed = col(res, i, 8),
			.module = col(res, i, 9),
			.arch = col(res, i, 10),
			.severity = (int)num(res, i, 11),
			.vendor_severity = col(res, i, 12),
		};
		rc = fn(ud, &row);
	}
	PQclear(res);
	return rc;
}

int pg_reader_record(vigil_vuln_reader *r, int64_t vuln, int (*fn)(void *ud, const char *record, size_t len),
		     void *ud)
{
	PGresult *res;
	char id[READER_INT_TEXT];
	snprintf(id, sizeof(id), "%" PRId64, vuln);
	const char *p[] = { id };
	int rc = exec_prepared(r, ST_RECORD, 1, p, "read a record", &res);
	for (int i = 0; rc == 0 && i < PQntuples(res); i++)
		rc = fn(ud, PQgetvalue(res, i, 0), (size_t)PQgetlength(res, i, 0));
	PQclear(res);
	return rc;
}

/* The first detail row of statement i, VIGIL_ENOTFOUND when none. */
static int detail_row(vigil_vuln_reader *r, int i, int n, const char *const *params,
		      int (*fn)(void *, const vigil_vuln_detail *), void *ud)
{
	PGresult *res;
	int rc = exec_prepared(r, i, n, params, "read a record's detail", &res);
	if (rc == 0 && PQntuples(res) > 0) {
		vigil_vuln_detail d = {
			.summary = col(res, 0, 0), .description = col(res, 0, 1), .links = col(res, 0, 2),
			.aliases = col(res, 0, 3), .published = col(res, 0, 4), .vendor_severity = col(res, 0, 5),
			.cvss3_score = score(res, 0, 6), .cvss3_vector = col(res, 0, 7),
			.cvss2_score = score(res, 0, 8), .cvss2_vector = col(res, 0, 9),
		};
		rc = fn(ud, &d);
	} else if (rc == 0) {
		rc = VIGIL_ENOTFOUND;
	}
	PQclear(res);
	return rc;
}

int pg_reader_detail(vigil_vuln_reader *r, int64_t vuln, int (*fn)(void *ud, const vigil_vuln_detail *d),
		     void *ud)
{
	char id[READER_INT_TEXT];
	snprintf(id, sizeof(id), "%" PRId64, vuln);
	const char *p[] = { id };
	return detail_row(r, ST_DETAIL, 1, p, fn, ud);
}

int pg_reader_named_detail(vigil_vuln_reader *r, const char *feed, const char *name,
			   int (*fn)(void *ud, const vigil_vuln_detail *d), void *ud)
{
	const char *p[] = { feed, name };
	return detail_row(r, ST_NAMED, 2, p, fn, ud);
}

void pg_reader_close(vigil_vuln_reader *r)
{
	char sql[NSTATEMENTS * (READER_NAME + 16) + 16];
	if (!r)
		return;
	if (r->c && r->ok) {
		int n = snprintf(sql, sizeof(sql), "COMMIT");
		for (int i = 0; i < NSTATEMENTS; i++)
			n += snprintf(sql + n, sizeof(sql) - (size_t)n, ";DEALLOCATE %s", r->name[i]);
		PQclear(PQexec(r->c, sql));
	}
	pg_conn_put(r->s, r->c); /* still in a transaction (failed): closed, not pooled */
	free(r);
}

/* ---- records by name, of an operation, per namespace (db show, export,
 * check): one statement each on a connection of the pool ---- */

/* Runs sql and calls row(ud, res, i) for every row, in single-row mode
 * (records are not all held at once); the rest is read and dropped when
 * row fails. */
static int each_row(PGconn *c, const char *what, const char *sql, int n, const char *const *params,
		    int (*row)(void *ud, const PGresult *res, int i), void *ud)
{
	PGresult *res;
	int rc = 0;
	if (!PQsendQueryParams(c, sql, n, NULL, params, NULL, NULL, 0))
		return pg_error(c, NULL, what);
	PQsetSingleRowMode(c); /* when it fails, the rows come in one result */
	while ((res = PQgetResult(c))) {
		ExecStatusType st = PQresultStatus(res);
		if (rc == 0 && (st == PGRES_SINGLE_TUPLE || st == PGRES_TUPLES_OK)) {
			for (int i = 0; rc == 0 && i < PQntuples(res); i++)
				rc = row(ud, res, i);
		} else if (rc == 0) {
			rc = pg_error(c, res, what);
		}
		PQclear(res);
	}
	return rc;
}

struct record_cb {
	int (*fn)(void *ud, const char *record, size_t len);
	int (*named)(void *ud, const char *feed, const char *record, size_t len);
	void *ud;
};

static int record_row(void *ud, const PGresult *res, int i)
{
	struct record_cb *r = ud;
	return r->fn(r->ud, PQgetvalue(res, i, 0), (size_t)PQgetlength(res, i, 0));
}

static int named_row(void *ud, const PGresult *res, int i)
{
	struct record_cb *r = ud;
	return r->named(r->ud, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), (size_t)PQgetlength(res, i, 1));
}

int pg_op_records(vigil_store *s, const char *ref, int (*fn)(void *ud, const char *record, size_t len),
		  void *ud)
{
	PGconn *c = NULL;
	PGresult *res = NULL;
	struct record_cb r = { .fn = fn, .ud = ud };
	const char *p[] = { ref };
	int rc;
	if ((rc = pg_conn_get(s, &c)) == 0 &&
	    (rc = pg_query(c, "find update operation", "SELECT 1 FROM update_operation WHERE ref = $1", 1, p,
			   &res)) == 0 && PQntuples(res) == 0)
		rc = vigil_error_set(VIGIL_ENOTFOUND, "no update operation %s", ref);
	if (rc == 0)
		rc = each_row(c, "read records", "SELECT v.record FROM update_operation o JOIN uo_vuln x ON x.op = o.id "
			      "JOIN vuln v ON v.id = x.vuln WHERE o.ref = $1 ORDER BY v.name COLLATE \"C\", "
			      "v.source COLLATE \"C\", v.hash COLLATE \"C\"", 1, p, record_row, &r);
	PQclear(res);
	pg_conn_put(s, c);
	return rc;
}

int pg_vuln_by_name(vigil_store *s, const char *name, const char *feed,
		    int (*fn)(void *ud, const char *feed, const char *record, size_t len), void *ud)
{
	PGconn *c = NULL;
	struct record_cb r = { .named = fn, .ud = ud };
	const char *p[] = { name, feed };
	int rc = pg_conn_get(s, &c);
	if (rc == 0)
		rc = each_row(c, "look records up", "SELECT o.feed, v.record FROM vuln v "
			      "JOIN uo_vuln x ON x.vuln = v.id JOIN update_operation o ON o.id = x.op "
			      "WHERE v.name = $1 AND ($2::text IS NULL OR o.feed = $2) AND o.id IN "
			      "(SELECT max(id) FROM update_operation GROUP BY feed) ORDER BY o.feed COLLATE \"C\"",
			      2, p, named_row, &r);
	pg_conn_put(s, c);
	return rc;
}

int pg_namespace_count(vigil_store *s, const char *namespace, int64_t *count)
{
	PGresult *res;
	const char *p[] = { namespace };
	/* existence only (LIMIT 1), as in SQLite */
	int rc = pg_run(s, "count namespace records", "SELECT count(*) FROM "
			"(SELECT 1 FROM match_row WHERE namespace = $1 LIMIT 1) t", 1, p, NULL, NULL, 0, &res);
	if (rc == 0)
		*count = (int64_t)num(res, 0, 0);
	PQclear(res);
	return rc;
}

struct nsfeed_cb {
	vigil_store_nsfeed_fn fn;
	void *ud;
};

static int nsfeed_row(void *ud, const PGresult *res, int i)
{
	struct nsfeed_cb *c = ud;
	vigil_ns_feed f = { .feed = PQgetvalue(res, i, 0), .rows = num(res, i, 1) };
	if (!PQgetisnull(res, i, 2)) {
		f.newest = PQgetvalue(res, i, 2);
		f.newest_id = PQgetvalue(res, i, 3);
	}
	return c->fn(c->ud, &f);
}

/* As SQLite's: the row of each feed with the newest date (DISTINCT ON). */
int pg_namespace_feeds(vigil_store *s, const char *namespace, const char *today, vigil_store_nsfeed_fn fn,
		       void *ud)
{
	PGconn *c = NULL;
	struct nsfeed_cb cb = { fn, ud };
	const char *p[] = { namespace, today };
	int rc = pg_conn_get(s, &c);
	if (rc == 0)
		rc = each_row(c, "read the feeds of a namespace",
			      "SELECT DISTINCT ON (feed) feed, count(*) OVER (PARTITION BY feed), day, name FROM "
			      "(SELECT m.feed COLLATE \"C\" AS feed, m.name, CASE WHEN d.published ~ "
			      "'^[12][0-9]{3}-[01][0-9]-[0-3][0-9]' AND substr(d.published, 1, 10) <= $2 "
			      "THEN substr(d.published, 1, 10) END AS day FROM match_row m "
			      "LEFT JOIN vuln_detail d ON d.vuln = m.vuln WHERE m.namespace = $1) t "
			      "ORDER BY feed, day DESC NULLS LAST",
			      2, p, nsfeed_row, &cb);
	pg_conn_put(s, c);
	return rc;
}
