/* store/pg_vuln.c: vulnerability data in the PostgreSQL backend, with the
 * behaviour of store/sqlite_vuln.c (vigil/db.h): update operations,
 * content-addressed records shared between operations, status, diffs,
 * garbage collection (records by name, of an operation and per namespace
 * are read in pg_match.c).
 *
 * An update operation holds one connection of the pool and one
 * transaction from vuln_begin to commit or abort, under a
 * transaction-scoped advisory lock on the feed's name: two nodes
 * importing one feed take turns. vuln_put sends nothing by itself: it
 * appends the record, its affected rows and its detail row as COPY text
 * to three buffers, copied into temporary staging tables whenever one
 * grows past PGV_FLUSH_BYTES. Commit then moves the staged rows with a
 * handful of INSERT ... SELECT: records by hash (ON CONFLICT DO NOTHING:
 * a record already stored is shared, and only a fresh record gets
 * affected and detail rows, as in SQLite), uo_vuln, the operation's
 * counts, the feed's match_row, feed_status; then COMMIT. Any failure
 * rolls the whole operation back. Garbage collection takes an exclusive
 * advisory lock that every operation shares, so it never drops a record
 * an operation in flight has just found by its hash. */
#include "store/pg_priv.h"
#include "util/buf.h"
#include "util/error.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Staged COPY text is sent once a buffer holds this much. */
#define PGV_FLUSH_BYTES ((size_t)8 * 1024 * 1024)
/* The cap of one staging buffer (one record is at most 64 MiB). */
#define PGV_STAGE_MAX ((size_t)256 * 1024 * 1024)
/* PQputCopyData takes an int length: the text goes in pieces of this. */
#define PGV_COPY_CHUNK ((size_t)1024 * 1024)
/* Advisory lock classes (the two-int4 key space; pg_lock.c's session
 * locks use the bigint one): a feed's operations, and gc against them. */
#define PGV_LOCK_FEED "1986422116" /* "vfed" */
#define PGV_LOCK_GC   "1986487073" /* "vgc!" */
#define PGV_INT_TEXT  24 /* an int64 as text */
/* The operation's sorts and hashes of staged rows stay in memory. */
#define PGV_WORK_MEM  "64MB"

enum { STAGE_VULN, STAGE_AFF, STAGE_DETAIL, NSTAGES };

static const char *const stage_copy[NSTAGES] = {
	"COPY pgv_vuln FROM STDIN", "COPY pgv_aff FROM STDIN", "COPY pgv_detail FROM STDIN",
};

/* The transaction and its staging tables (dropped at its end). */
static const char stage_tables[] =
	"BEGIN; SET LOCAL work_mem = '" PGV_WORK_MEM "';"
	"CREATE TEMP TABLE pgv_vuln (seq bigint NOT NULL, source text NOT NULL, name text NOT NULL,"
	" hash text NOT NULL, severity integer NOT NULL, record text NOT NULL) ON COMMIT DROP;"
	"CREATE TEMP TABLE pgv_aff (seq bigint NOT NULL, idx integer NOT NULL, namespace text NOT NULL,"
	" package text NOT NULL, is_source integer NOT NULL, scheme text, state integer NOT NULL,"
	" fixed text, module text, arch text, severity integer NOT NULL, vendor_severity text) ON COMMIT DROP;"
	"CREATE TEMP TABLE pgv_detail (seq bigint NOT NULL, summary text, description text, links text,"
	" aliases text, published text, vendor_severity text, cvss3_score double precision,"
	" cvss3_vector text, cvss2_score double precision, cvss2_vector text) ON COMMIT DROP;"
	"CREATE TEMP TABLE pgv_fresh (id bigint NOT NULL, seq bigint NOT NULL) ON COMMIT DROP;";

struct vigil_vuln_writer {
	vigil_store *s;
	PGconn *c;
	char feed[32];
	char op[PGV_INT_TEXT]; /* update_operation.id */
	char ref[40];
	int64_t vulns, affected;
	vigil_buf stage[NSTAGES];
	vigil_buf links, aliases;
};
STORE_HANDLE_CHECK(struct vigil_vuln_writer);

/* One or more statements without parameters (PQexec). */
static int run(PGconn *c, const char *what, const char *sql)
{
	PGresult *res = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(res);
	int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : pg_error(c, res, what);
	PQclear(res);
	return rc;
}

/* A statement whose result is not needed. */
static int query0(PGconn *c, const char *what, const char *sql, int n, const char *const *params)
{
	PGresult *res = NULL;
	int rc = pg_query(c, what, sql, n, params, &res);
	PQclear(res);
	return rc;
}

/* ---- COPY text ---- */

/* One field of a COPY text row: NULL is \N; backslash, newline, carriage
 * return and tab are escaped; sep ends it ('\t' or '\n'). */
static int field(vigil_buf *b, const char *s, size_t n, char sep)
{
	size_t from = 0;
	int rc = 0;
	if (!s)
		return vigil_buf_append(b, sep == '\n' ? "\\N\n" : "\\N\t", 3);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *esc;
		switch (s[i]) {
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		case '\0': return vigil_error_set(VIGIL_EFORMAT, "a NUL byte in a text field");
		default: continue;
		}
		if ((rc = vigil_buf_append(b, s + from, i - from)) == 0)
			rc = vigil_buf_append(b, esc, 2);
		from = i + 1;
	}
	if (rc == 0)
		rc = vigil_buf_append(b, s + from, n - from);
	return rc < 0 ? rc : vigil_buf_putc(b, sep);
}

static int text(vigil_buf *b, const char *s, char sep) { return field(b, s, s ? strlen(s) : 0, sep); }

static int num(vigil_buf *b, int64_t v, char sep) { return vigil_buf_printf(b, "%" PRId64 "%c", v, sep); }

/* A score, NULL when unknown (< 0); %.17g gives the double back exactly. */
static int score(vigil_buf *b, double v, char sep)
{
	return v >= 0 ? vigil_buf_printf(b, "%.17g%c", v, sep) : field(b, NULL, 0, sep);
}

/* Sends buffer b into its staging table with COPY, then empties it. */
static int copy_in(PGconn *c, const char *sql, vigil_buf *b)
{
	PGresult *res = PQexec(c, sql);
	int rc = 0, sent = 1;
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		rc = pg_error(c, res, "stage records");
		PQclear(res);
		return rc;
	}
	PQclear(res);
	for (size_t off = 0; sent && off < b->len; off += PGV_COPY_CHUNK) {
		size_t n = b->len - off < PGV_COPY_CHUNK ? b->len - off : PGV_COPY_CHUNK;
		sent = PQputCopyData(c, b->data + off, (int)n) == 1;
	}
	if (!sent)
		rc = pg_error(c, NULL, "stage records");
	if (PQputCopyEnd(c, sent ? NULL : "vigil: sending failed") != 1 && rc == 0)
		rc = pg_error(c, NULL, "stage records");
	while ((res = PQgetResult(c))) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0)
			rc = pg_error(c, res, "stage records");
		PQclear(res);
	}
	vigil_buf_reset(b);
	return rc;
}

static int flush(vigil_vuln_writer *w)
{
	int rc = 0;
	for (int i = 0; i < NSTAGES && rc == 0; i++)
		if (w->stage[i].len)
			rc = copy_in(w->c, stage_copy[i], &w->stage[i]);
	return rc;
}

/* ---- the writer ---- */

int pg_vuln_begin(vigil_store *s, const char *feed, vigil_vuln_writer **out)
{
	vigil_vuln_writer *w = calloc(1, sizeof(*w));
	PGresult *res = NULL;
	char created[PGV_INT_TEXT];
	int rc;
	*out = NULL;
	if (!w)
		return vigil_error_oom();
	w->s = s;
	snprintf(w->feed, sizeof(w->feed), "%s", feed);
	for (int i = 0; i < NSTAGES; i++)
		vigil_buf_init(&w->stage[i], PGV_STAGE_MAX);
	vigil_buf_init(&w->links, STORE_MAX_JOINED);
	vigil_buf_init(&w->aliases, STORE_MAX_JOINED);
	snprintf(created, sizeof(created), "%lld", (long long)time(NULL));
	const char *ins[] = { w->ref, w->feed, created }, *fp[] = { w->feed };
	if ((rc = store_new_ref(w->ref)) < 0 || (rc = pg_conn_get(s, &w->c)) < 0 ||
	    (rc = run(w->c, "begin an update operation", stage_tables)) < 0 ||
	    /* the feed first: a writer waiting for its feed does not hold gc off */
	    (rc = query0(w->c, "lock the feed", "SELECT pg_advisory_xact_lock(" PGV_LOCK_FEED ", hashtext($1)),"
			 " pg_advisory_xact_lock_shared(" PGV_LOCK_GC ", 0)", 1, fp)) < 0 ||
	    (rc = pg_query(w->c, "create update operation", "INSERT INTO update_operation (ref, feed, "
			   "fingerprint, created_at) VALUES ($1, $2, '', $3::bigint) RETURNING id", 3, ins, &res)) < 0)
		goto fail;
	if (PQntuples(res) != 1) {
		rc = vigil_error_set(VIGIL_ESTORE, "postgres: create update operation: no id returned");
		goto fail;
	}
	snprintf(w->op, sizeof(w->op), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	*out = w;
	return 0;
fail:
	PQclear(res);
	pg_vuln_abort(w);
	return rc;
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

/* The three kinds of staged rows of one record. */
static int stage_record(vigil_vuln_writer *w, int64_t seq, const vigil_vuln *v, const char *hash,
			const char *record, size_t len)
{
	vigil_buf *b = &w->stage[STAGE_VULN];
	int rc;
	if ((rc = num(b, seq, '\t')) < 0 || (rc = text(b, v->source ? v->source : "", '\t')) < 0 ||
	    (rc = text(b, v->id, '\t')) < 0 || (rc = text(b, hash, '\t')) < 0 ||
	    (rc = num(b, (int64_t)v->severity, '\t')) < 0 || (rc = field(b, record, len, '\n')) < 0)
		return rc;
	b = &w->stage[STAGE_AFF];
	for (size_t i = 0; i < v->naffected; i++) {
		const vigil_affected *a = &v->affected[i];
		if ((rc = num(b, seq, '\t')) < 0 || (rc = num(b, (int64_t)i, '\t')) < 0 ||
		    (rc = text(b, a->namespace ? a->namespace : "", '\t')) < 0 ||
		    (rc = text(b, a->package ? a->package : "", '\t')) < 0 ||
		    (rc = num(b, a->is_source, '\t')) < 0 || (rc = text(b, a->scheme, '\t')) < 0 ||
		    (rc = num(b, (int64_t)a->state, '\t')) < 0 || (rc = text(b, a->fixed, '\t')) < 0 ||
		    (rc = text(b, a->module, '\t')) < 0 || (rc = text(b, a->arch, '\t')) < 0 ||
		    (rc = num(b, (int64_t)(a->severity ? a->severity : v->severity), '\t')) < 0 ||
		    (rc = text(b, a->vendor_severity, '\n')) < 0)
			return rc;
	}
	if ((rc = join(&w->links, v->links, v->nlinks)) < 0 ||
	    (rc = join(&w->aliases, v->aliases, v->naliases)) < 0) {
		vigil_error_prefix("%s: ", v->id);
		return rc;
	}
	b = &w->stage[STAGE_DETAIL];
	if ((rc = num(b, seq, '\t')) < 0 || (rc = text(b, v->summary, '\t')) < 0 ||
	    (rc = text(b, v->description, '\t')) < 0 ||
	    (rc = text(b, w->links.len ? vigil_buf_cstr(&w->links) : NULL, '\t')) < 0 ||
	    (rc = text(b, w->aliases.len ? vigil_buf_cstr(&w->aliases) : NULL, '\t')) < 0 ||
	    (rc = text(b, v->published, '\t')) < 0 || (rc = text(b, v->vendor_severity, '\t')) < 0 ||
	    (rc = score(b, v->cvss3_score, '\t')) < 0 || (rc = text(b, v->cvss3_vector, '\t')) < 0 ||
	    (rc = score(b, v->cvss2_score, '\t')) < 0 || (rc = text(b, v->cvss2_vector, '\n')) < 0)
		return rc;
	return 0;
}

int pg_vuln_put(vigil_vuln_writer *w, const vigil_vuln *v, const char *hash, const char *record, size_t len)
{
	size_t mark[NSTAGES];
	int rc;
	if (!v->id || !hash)
		return vigil_error_set(VIGIL_EINVAL, "postgres: a record without an id or a hash");
	for (int i = 0; i < NSTAGES; i++)
		mark[i] = w->stage[i].len;
	if ((rc = stage_record(w, w->vulns, v, hash, record, len)) < 0) {
		for (int i = 0; i < NSTAGES; i++) /* nothing of a record that failed */
			w->stage[i].len = mark[i];
		return rc;
	}
	w->vulns++;
	w->affected += (int64_t)v->naffected;
	for (int i = 0; i < NSTAGES; i++)
		if (w->stage[i].len >= PGV_FLUSH_BYTES)
			return flush(w);
	return 0;
}

/* The staged rows into the tables: a hash already stored is shared; the
 * records new to the store (the first put of each new hash) get their
 * affected rows, in put order, and their detail row. */
static const char *const merge_sql[] = {
	"ANALYZE pgv_vuln, pgv_aff, pgv_detail",
	"WITH first AS (SELECT hash, min(seq) AS seq FROM pgv_vuln GROUP BY hash),"
	" ins AS (INSERT INTO vuln (source, name, hash, severity, record)"
	"  SELECT s.source, s.name, s.hash, s.severity, s.record FROM pgv_vuln s"
	"  JOIN first f ON f.seq = s.seq ORDER BY s.seq"
	"  ON CONFLICT (hash) DO NOTHING RETURNING id, hash)"
	" INSERT INTO pgv_fresh (id, seq) SELECT ins.id, f.seq FROM ins JOIN first f ON f.hash = ins.hash",
	"INSERT INTO affected (vuln, namespace, package, is_source, scheme, state, fixed, module, arch,"
	" severity, vendor_severity) SELECT f.id, a.namespace, a.package, a.is_source, a.scheme, a.state,"
	" a.fixed, a.module, a.arch, a.severity, a.vendor_severity FROM pgv_aff a"
	" JOIN pgv_fresh f ON f.seq = a.seq ORDER BY a.seq, a.idx",
	"INSERT INTO vuln_detail (vuln, summary, description, links, aliases, published, vendor_severity,"
	" cvss3_score, cvss3_vector, cvss2_score, cvss2_vector) SELECT f.id, d.summary, d.description,"
	" d.links, d.aliases, d.published, d.vendor_severity, d.cvss3_score, d.cvss3_vector, d.cvss2_score,"
	" d.cvss2_vector FROM pgv_detail d JOIN pgv_fresh f ON f.seq = d.seq",
};

/* The feed's rows of match_row become those of operation $1 (SQLite
 * deletes them all and inserts sqlite_priv.h's MATCH_ROW_SELECT; aid is
 * affected.id). They were those of the feed's operation before (every
 * commit leaves them so, one writer per feed at a time), and a row
 * depends only on its record (content-addressed, never changed) and the
 * feed: so the rows of records both operations hold stay, those of
 * records gone are deleted and those of records new to the feed
 * inserted. The same rows at a fraction of the writes when little
 * changed; the anti-joins probe uo_vuln's primary key. */
#define MATCH_ROW_DELETE \
	"DELETE FROM match_row m WHERE m.feed = $2 AND NOT EXISTS" \
	" (SELECT 1 FROM uo_vuln x WHERE x.op = $1::bigint AND x.vuln = m.vuln)"
#define MATCH_ROW_INSERT \
	"INSERT INTO match_row SELECT a.namespace, a.package, a.id, o.feed, v.id, v.name, v.source," \
	" a.is_source, a.scheme, a.state, a.fixed, a.module, a.arch, a.severity, a.vendor_severity" \
	" FROM affected a JOIN uo_vuln x ON x.vuln = a.vuln JOIN update_operation o ON o.id = x.op" \
	" JOIN vuln v ON v.id = a.vuln WHERE o.id = $1::bigint AND NOT EXISTS (SELECT 1 FROM uo_vuln y" \
	" WHERE y.op = (SELECT max(p.id) FROM update_operation p WHERE p.feed = $2 AND p.id < $1::bigint)" \
	" AND y.vuln = x.vuln)"

static int attempt_on(PGconn *c, const char *feed, const char *error)
{
	char now[PGV_INT_TEXT];
	snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
	const char *p[] = { feed, now, error };
	return query0(c, "note feed run", "INSERT INTO feed_status (feed, last_attempt, last_error) "
		      "VALUES ($1, $2::bigint, $3) ON CONFLICT (feed) DO UPDATE SET "
		      "last_attempt = excluded.last_attempt, last_error = excluded.last_error", 3, p);
}

int pg_vuln_commit(vigil_vuln_writer *w, const char *fingerprint, vigil_db_op *op)
{
	char vulns[PGV_INT_TEXT], affected[PGV_INT_TEXT];
	PGresult *res = NULL;
	int rc = flush(w);
	snprintf(vulns, sizeof(vulns), "%" PRId64, w->vulns);
	snprintf(affected, sizeof(affected), "%" PRId64, w->affected);
	const char *upd[] = { fingerprint, vulns, affected, w->op };
	const char *opid[] = { w->op };
	const char *opfeed[] = { w->op, w->feed };
	for (size_t i = 0; rc == 0 && i < sizeof(merge_sql) / sizeof(merge_sql[0]); i++)
		rc = run(w->c, "store records", merge_sql[i]);
	if (rc < 0 ||
	    (rc = query0(w->c, "link records", "INSERT INTO uo_vuln (op, vuln) SELECT DISTINCT $1::bigint, "
			 "v.id FROM pgv_vuln s JOIN vuln v ON v.hash = s.hash ON CONFLICT DO NOTHING", 1, opid)) < 0 ||
	    (rc = query0(w->c, "finish update operation", "UPDATE update_operation SET fingerprint = $1, "
			 "vulns = $2::bigint, affected = $3::bigint WHERE id = $4::bigint", 4, upd)) < 0 ||
	    (rc = query0(w->c, "refresh the matcher's rows", MATCH_ROW_DELETE, 2, opfeed)) < 0 ||
	    (rc = query0(w->c, "refresh the matcher's rows", MATCH_ROW_INSERT, 2, opfeed)) < 0 ||
	    (rc = attempt_on(w->c, w->feed, NULL)) < 0)
		goto out;
	res = PQexec(w->c, "COMMIT");
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = pg_error(w->c, res, "commit update operation");
	else if (strcmp(PQcmdStatus(res), "COMMIT") != 0) /* a failed transaction "commits" as ROLLBACK */
		rc = vigil_error_set(VIGIL_ESTORE, "postgres: commit update operation: rolled back");
	if (rc < 0)
		goto out;
	store_op_set(op, w->ref, w->feed, fingerprint, w->vulns, w->affected);
out:
	PQclear(res);
	pg_vuln_abort(w); /* frees w, rolling back unless committed */
	return rc;
}

void pg_vuln_abort(vigil_vuln_writer *w)
{
	if (!w)
		return;
	if (w->c) {
		if (PQtransactionStatus(w->c) != PQTRANS_IDLE)
			PQclear(PQexec(w->c, "ROLLBACK"));
		pg_conn_put(w->s, w->c);
	}
	for (int i = 0; i < NSTAGES; i++)
		vigil_buf_free(&w->stage[i]);
	vigil_buf_free(&w->links);
	vigil_buf_free(&w->aliases);
	free(w);
}

/* ---- reading operations ---- */

#define OP_COLUMNS "ref, feed, fingerprint, created_at, vulns, affected"

static int64_t int_at(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? 0 : strtoll(PQgetvalue(res, row, col), NULL, 10);
}

/* An operation from columns col.. of row (OP_COLUMNS). */
static void op_from_row(const PGresult *res, int row, int col, vigil_db_op *op)
{
	memset(op, 0, sizeof(*op));
	snprintf(op->ref, sizeof(op->ref), "%s", PQgetvalue(res, row, col));
	snprintf(op->feed, sizeof(op->feed), "%s", PQgetvalue(res, row, col + 1));
	snprintf(op->fingerprint, sizeof(op->fingerprint), "%s", PQgetvalue(res, row, col + 2));
	op->created = int_at(res, row, col + 3);
	op->vulns = int_at(res, row, col + 4);
	op->affected = int_at(res, row, col + 5);
}

int pg_feed_last_op(vigil_store *s, const char *feed, vigil_db_op *op)
{
	PGresult *res;
	const char *p[] = { feed };
	int rc = pg_run(s, "read update operation", "SELECT " OP_COLUMNS " FROM update_operation "
			     "WHERE feed = $1 ORDER BY id DESC LIMIT 1", 1, p, NULL, NULL, 0, &res);
	if (rc == 0 && PQntuples(res) == 1)
		op_from_row(res, 0, 0, op);
	else if (rc == 0)
		rc = vigil_error_set(VIGIL_ENOTFOUND, "feed %s has no data", feed);
	PQclear(res);
	return rc;
}

int pg_feed_attempt(vigil_store *s, const char *feed, const char *error)
{
	PGconn *c = NULL;
	int rc = pg_conn_get(s, &c);
	if (rc == 0)
		rc = attempt_on(c, feed, error);
	pg_conn_put(s, c);
	return rc;
}

int pg_db_ops(vigil_store *s, const char *feed, vigil_db_op **out, size_t *n)
{
	PGresult *res;
	const char *p[] = { feed };
	int rc = pg_run(s, "list update operations", feed ?
			     "SELECT " OP_COLUMNS " FROM update_operation WHERE feed = $1 ORDER BY id DESC" :
			     "SELECT " OP_COLUMNS " FROM update_operation ORDER BY id DESC", feed ? 1 : 0, p, NULL, NULL, 0, &res);
	int rows = rc == 0 ? PQntuples(res) : 0;
	*out = NULL;
	*n = 0;
	if (rc == 0 && rows > 0 && !(*out = calloc((size_t)rows, sizeof(**out))))
		rc = vigil_error_oom();
	for (int i = 0; rc == 0 && i < rows; i++)
		op_from_row(res, i, 0, &(*out)[i]);
	if (rc == 0)
		*n = (size_t)rows;
	PQclear(res);
	return rc;
}

int pg_db_status(vigil_store *s, vigil_db_feed_status **out, size_t *n)
{
	PGresult *res;
	int rc = pg_run(s, "read feed status",
			     "SELECT f.feed, coalesce(s.last_attempt, 0), coalesce(s.last_error, ''), o.ref, o.feed,"
			     " o.fingerprint, o.created_at, o.vulns, o.affected FROM"
			     " (SELECT feed FROM update_operation UNION SELECT feed FROM feed_status) f"
			     " LEFT JOIN feed_status s ON s.feed = f.feed"
			     " LEFT JOIN LATERAL (SELECT " OP_COLUMNS " FROM update_operation u WHERE u.feed = f.feed"
			     "  ORDER BY u.id DESC LIMIT 1) o ON true ORDER BY f.feed COLLATE \"C\"", 0, NULL, NULL, NULL, 0, &res);
	int rows = rc == 0 ? PQntuples(res) : 0;
	*out = NULL;
	*n = 0;
	if (rc == 0 && rows > 0 && !(*out = calloc((size_t)rows, sizeof(**out))))
		rc = vigil_error_oom();
	for (int i = 0; rc == 0 && i < rows; i++) {
		vigil_db_feed_status *f = &(*out)[i];
		snprintf(f->feed, sizeof(f->feed), "%s", PQgetvalue(res, i, 0));
		f->last_attempt = int_at(res, i, 1);
		snprintf(f->last_error, sizeof(f->last_error), "%s", PQgetvalue(res, i, 2));
		if (!PQgetisnull(res, i, 3)) {
			f->has_data = 1;
			op_from_row(res, i, 3, &f->last);
		}
	}
	if (rc == 0)
		*n = (size_t)rows;
	PQclear(res);
	return rc;
}

static int op_id(PGconn *c, const char *ref, char id[PGV_INT_TEXT])
{
	PGresult *res = NULL;
	const char *p[] = { ref };
	int rc = pg_query(c, "find update operation", "SELECT id FROM update_operation WHERE ref = $1", 1, p, &res);
	if (rc == 0 && PQntuples(res) == 1)
		snprintf(id, PGV_INT_TEXT, "%s", PQgetvalue(res, 0, 0));
	else if (rc == 0)
		rc = vigil_error_set(VIGIL_ENOTFOUND, "no update operation %s", ref);
	PQclear(res);
	return rc;
}

int pg_db_diff(vigil_store *s, const char *ref_a, const char *ref_b,
	       int (*fn)(void *, vigil_db_change, const char *, const char *, const char *), void *ud)
{
	static const char *const sql =
		"SELECT v.source, v.name, v.hash FROM uo_vuln x JOIN vuln v ON v.id = x.vuln "
		"WHERE x.op = $1::bigint AND NOT EXISTS (SELECT 1 FROM uo_vuln y WHERE y.op = $2::bigint "
		"AND y.vuln = x.vuln) ORDER BY v.name COLLATE \"C\", v.source COLLATE \"C\"";
	PGconn *c = NULL;
	char a[PGV_INT_TEXT] = "-1", b[PGV_INT_TEXT];
	int rc;
	if ((rc = pg_conn_get(s, &c)) < 0 || (ref_a && (rc = op_id(c, ref_a, a)) < 0) ||
	    (rc = op_id(c, ref_b, b)) < 0)
		goto out;
	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		const char *p[] = { pass == 0 ? b : a, pass == 0 ? a : b };
		PGresult *res = NULL; /* names and hashes only: held at once */
		rc = pg_query(c, "diff update operations", sql, 2, p, &res);
		for (int i = 0; rc == 0 && i < PQntuples(res); i++)
			rc = fn(ud, pass == 0 ? VIGIL_DB_ADDED : VIGIL_DB_REMOVED, PQgetvalue(res, i, 0),
				PQgetvalue(res, i, 1), PQgetvalue(res, i, 2));
		PQclear(res);
	}
out:
	pg_conn_put(s, c);
	return rc;
}

int pg_db_gc(vigil_store *s, int keep, int64_t *ops_removed, int64_t *vulns_removed)
{
	PGconn *c = NULL;
	PGresult *res = NULL;
	char k[PGV_INT_TEXT];
	int rc;
	*ops_removed = *vulns_removed = 0;
	snprintf(k, sizeof(k), "%d", keep);
	const char *pk[] = { k };
	if ((rc = pg_conn_get(s, &c)) < 0 ||
	    (rc = run(c, "collect garbage", "BEGIN; SELECT pg_advisory_xact_lock(" PGV_LOCK_GC ", 0)")) < 0 ||
	    (rc = pg_query(c, "drop old update operations", "DELETE FROM update_operation WHERE id IN "
			   "(SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY feed ORDER BY id DESC) AS n "
			   "FROM update_operation) t WHERE n > $1::integer)", 1, pk, &res)) < 0)
		goto out;
	*ops_removed = pg_cmd_tuples(res);
	PQclear(res);
	res = NULL;
	if ((rc = pg_query(c, "drop unused records", "DELETE FROM vuln WHERE NOT EXISTS "
			   "(SELECT 1 FROM uo_vuln WHERE uo_vuln.vuln = vuln.id)", 0, NULL, &res)) < 0)
		goto out;
	*vulns_removed = pg_cmd_tuples(res);
	rc = run(c, "collect garbage", "COMMIT");
out:
	PQclear(res);
	if (c && PQtransactionStatus(c) != PQTRANS_IDLE)
		PQclear(PQexec(c, "ROLLBACK"));
	if (rc < 0)
		*ops_removed = *vulns_removed = 0;
	pg_conn_put(s, c);
	return rc;
}
