/* store/pg_notify.c: notifications in PostgreSQL (migration 3; the part
 * store_notify.h), as store/sqlite_notify.c keeps them in SQLite. A
 * generation's commit is one transaction on one connection of the pool.
 * A claim is one UPDATE over a sub-select FOR UPDATE SKIP LOCKED: two
 * nodes claiming at once get different sets (or none), never the same
 * one, and a claim lapses after its lease if its node dies. */
#include "store/pg_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *val(const PGresult *r, int row, int c)
{
	return PQgetisnull(r, row, c) ? "" : PQgetvalue(r, row, c);
}

static int64_t num(const PGresult *r, int row, int c)
{
	return PQgetisnull(r, row, c) ? 0 : strtoll(PQgetvalue(r, row, c), NULL, 10);
}

int pg_notify_manifests(vigil_store *s, int (*fn)(void *ud, const char *manifest), void *ud)
{
	PGresult *res;
	int rc = pg_run(s, "list manifests", "SELECT manifest FROM index_report ORDER BY manifest", 0, NULL, NULL, NULL,
			0, &res);
	if (rc < 0)
		return rc;
	for (int i = 0; rc == 0 && i < PQntuples(res); i++)
		rc = fn(ud, val(res, i, 0));
	PQclear(res);
	return rc;
}

int pg_notify_base_get(vigil_store *s, const char *manifest, int *known,
		       int (*fn)(void *ud, const char *vkey, const char *summary), void *ud)
{
	const char *p[] = { manifest };
	PGresult *res;
	int rc = pg_run(s, "read baseline",
			"SELECT k.manifest, b.vkey, b.summary FROM notify_known k LEFT JOIN notify_base b "
			"ON b.manifest = k.manifest WHERE k.manifest = $1 ORDER BY b.vkey",
			1, p, NULL, NULL, 0, &res);
	if (rc < 0)
		return rc;
	*known = PQntuples(res) > 0;
	for (int i = 0; rc == 0 && i < PQntuples(res); i++)
		if (!PQgetisnull(res, i, 1))
			rc = fn(ud, val(res, i, 1), val(res, i, 2));
	PQclear(res);
	return rc;
}

static int q(PGconn *c, const char *what, const char *sql, int n, const char *const *p)
{
	PGresult *res = NULL;
	int rc = pg_query(c, what, sql, n, p, &res);
	PQclear(res);
	return rc;
}

static int write_base(PGconn *c, const store_notify_base *b)
{
	const char *m[] = { b->manifest };
	int rc;
	if ((rc = q(c, "baseline", "DELETE FROM notify_base WHERE manifest = $1", 1, m)) < 0 ||
	    (rc = q(c, "baseline", "INSERT INTO notify_known (manifest) VALUES ($1) ON CONFLICT DO NOTHING", 1, m)) < 0)
		return rc;
	for (size_t i = 0; i < b->n; i++) {
		const char *p[] = { b->manifest, b->vkeys[i], b->summaries[i] };
		if ((rc = q(c, "baseline",
			    "INSERT INTO notify_base (manifest, vkey, summary) VALUES ($1, $2, $3) "
			    "ON CONFLICT (manifest, vkey) DO UPDATE SET summary = excluded.summary", 3, p)) < 0)
			return rc;
	}
	return 0;
}

static int tx_begin(vigil_store *s, PGconn **c)
{
	int rc = pg_conn_get(s, c);
	if (rc == 0 && (rc = pg_exec(*c, "BEGIN")) < 0) {
		pg_conn_put(s, *c);
		*c = NULL;
	}
	return rc;
}

static int tx_done(vigil_store *s, PGconn *c, int rc)
{
	rc = pg_tx_end(c, rc);
	pg_conn_put(s, c);
	return rc;
}

int pg_notify_base_put(vigil_store *s, const store_notify_base *b, int only_new)
{
	PGconn *c;
	PGresult *res = NULL;
	const char *m[] = { b->manifest };
	int rc = tx_begin(s, &c);
	if (rc < 0)
		return rc;
	/* the manifest's row locked, so two writers of one baseline take turns */
	if ((rc = q(c, "baseline", "INSERT INTO notify_known (manifest) VALUES ($1) ON CONFLICT DO NOTHING", 1, m)) == 0 &&
	    only_new &&
	    (rc = pg_query(c, "baseline", "SELECT 1 FROM notify_base WHERE manifest = $1 LIMIT 1", 1, m, &res)) == 0 &&
	    PQntuples(res) > 0) {
		PQclear(res);
		return tx_done(s, c, 0);
	}
	PQclear(res);
	if (rc == 0)
		rc = write_base(c, b);
	return tx_done(s, c, rc);
}

int pg_notify_commit(vigil_store *s, const store_notify_commit *cm)
{
	PGconn *c;
	int rc = tx_begin(s, &c);
	if (rc < 0)
		return rc;
	for (size_t i = 0; rc == 0 && i < cm->nbases; i++)
		rc = write_base(c, &cm->bases[i]);
	if (rc == 0)
		rc = pg_exec(c, "DELETE FROM notify_base WHERE manifest NOT IN (SELECT manifest FROM index_report)");
	if (rc == 0)
		rc = pg_exec(c, "DELETE FROM notify_known WHERE manifest NOT IN (SELECT manifest FROM index_report)");
	if (rc == 0 && cm->nentries) {
		char created[24], n[24];
		snprintf(created, sizeof(created), "%lld", (long long)cm->created);
		snprintf(n, sizeof(n), "%zu", cm->nentries);
		const char *p[] = { cm->id, created, n };
		rc = q(c, "notification", "INSERT INTO notify_set (id, created_at, entries) VALUES ($1, $2, $3)", 3, p);
	}
	for (size_t i = 0; rc == 0 && i < cm->nentries; i++) {
		const store_notify_entry *e = &cm->entries[i];
		const char *p[] = { cm->id, e->id, e->manifest, e->reason, e->summary };
		rc = q(c, "notification entry",
		       "INSERT INTO notify_entry (set_id, id, manifest, reason, summary) VALUES ($1, $2, $3, $4, $5)", 5, p);
	}
	if (rc == 0 && cm->state_key) {
		const char *p[] = { cm->state_key, cm->state_value ? cm->state_value : "" };
		rc = q(c, "notifier state",
		       "INSERT INTO notify_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		       2, p);
	}
	return tx_done(s, c, rc);
}

int pg_notify_state_get(vigil_store *s, const char *key, char *out, size_t n)
{
	const char *p[] = { key };
	PGresult *res;
	int rc = pg_run(s, "read notifier state", "SELECT value FROM notify_state WHERE key = $1", 1, p, NULL, NULL, 0,
			&res);
	if (rc == 0 && PQntuples(res) > 0)
		snprintf(out, n, "%s", val(res, 0, 0));
	PQclear(res);
	return rc;
}

int pg_notify_info(vigil_store *s, const char *id, store_notify_info *out)
{
	const char *p[] = { id };
	PGresult *res;
	int rc = pg_run(s, "read notification",
			"SELECT id, created_at, entries, delivered_at, attempts, last_error FROM notify_set WHERE id = $1",
			1, p, NULL, NULL, 0, &res);
	memset(out, 0, sizeof(*out));
	if (rc < 0)
		return rc;
	if (PQntuples(res) == 0) {
		rc = vigil_error_set(VIGIL_ENOTFOUND, "no notification %s", id);
	} else {
		snprintf(out->id, sizeof(out->id), "%s", val(res, 0, 0));
		out->created = num(res, 0, 1);
		out->entries = num(res, 0, 2);
		out->delivered_at = num(res, 0, 3);
		out->attempts = num(res, 0, 4);
		snprintf(out->last_error, sizeof(out->last_error), "%s", val(res, 0, 5));
	}
	PQclear(res);
	return rc;
}

int pg_notify_page(vigil_store *s, const char *id, const char *after, size_t limit, int *found,
		   int (*fn)(void *ud, const store_notify_entry *e), void *ud)
{
	char lim[24];
	store_notify_info info;
	PGresult *res;
	int rc = pg_notify_info(s, id, &info);
	if (rc == VIGIL_ENOTFOUND)
		return 0;
	if (rc < 0)
		return rc;
	*found = 1;
	snprintf(lim, sizeof(lim), "%zu", limit);
	const char *p[] = { id, after, lim };
	/* COLLATE "C": byte order, as SQLite compares */
	if ((rc = pg_run(s, "read notifications",
			 "SELECT id, manifest, reason, summary FROM notify_entry WHERE set_id = $1 "
			 "AND id COLLATE \"C\" > $2 ORDER BY id COLLATE \"C\" LIMIT $3::bigint",
			 3, p, NULL, NULL, 0, &res)) < 0)
		return rc;
	for (int i = 0; rc == 0 && i < PQntuples(res); i++) {
		store_notify_entry e = { val(res, i, 0), val(res, i, 1), val(res, i, 2), val(res, i, 3) };
		rc = fn(ud, &e);
	}
	PQclear(res);
	return rc;
}

int pg_notify_remove(vigil_store *s, const char *id, int *deleted)
{
	const char *p[] = { id };
	PGresult *res;
	int rc = pg_run(s, "delete notification", "DELETE FROM notify_set WHERE id = $1", 1, p, NULL, NULL, 0, &res);
	if (rc == 0)
		*deleted = pg_cmd_tuples(res) > 0;
	PQclear(res);
	return rc;
}

int pg_notify_claim(vigil_store *s, const char *node, int64_t now, int64_t lease_s,
		    char id[STORE_NOTIFY_ID_MAX], int *got)
{
	char until[24], at[24];
	PGresult *res;
	snprintf(until, sizeof(until), "%lld", (long long)(now + lease_s));
	snprintf(at, sizeof(at), "%lld", (long long)now);
	const char *p[] = { node, until, at };
	int rc = pg_run(s, "claim a notification",
			"UPDATE notify_set SET claimed_by = $1, claimed_until = $2::bigint WHERE id = "
			"(SELECT id FROM notify_set WHERE delivered_at = 0 AND next_attempt <= $3::bigint "
			"AND claimed_until < $3::bigint ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) "
			"AND claimed_until < $3::bigint RETURNING id",
			3, p, NULL, NULL, 0, &res);
	if (rc == 0 && PQntuples(res) > 0) {
		snprintf(id, STORE_NOTIFY_ID_MAX, "%s", val(res, 0, 0));
		*got = 1;
	}
	PQclear(res);
	return rc;
}

int pg_notify_release(vigil_store *s, const char *id, const char *node, int ok, int64_t now,
		      int64_t next_attempt, const char *error)
{
	char at[24], next[24];
	snprintf(at, sizeof(at), "%lld", (long long)now);
	snprintf(next, sizeof(next), "%lld", (long long)next_attempt);
	const char *p[] = { id, node, at, next, error };
	if (ok)
		return pg_run(s, "record a delivery",
			      "UPDATE notify_set SET delivered_at = $3::bigint, claimed_until = 0, attempts = attempts + 1, "
			      "last_error = NULL WHERE id = $1 AND claimed_by = $2",
			      3, p, NULL, NULL, 0, NULL);
	return pg_run(s, "record a delivery",
		      "UPDATE notify_set SET claimed_until = 0, attempts = attempts + 1, next_attempt = $4::bigint, "
		      "last_error = $5 WHERE id = $1 AND claimed_by = $2 AND $3::bigint >= 0",
		      5, p, NULL, NULL, 0, NULL);
}

int pg_notify_expire(vigil_store *s, int64_t before, int64_t *removed)
{
	char b[24];
	PGresult *res;
	snprintf(b, sizeof(b), "%lld", (long long)before);
	const char *p[] = { b };
	int rc = pg_run(s, "expire notifications", "DELETE FROM notify_set WHERE created_at < $1::bigint", 1, p, NULL,
			NULL, 0, &res);
	if (rc == 0)
		*removed = pg_cmd_tuples(res);
	PQclear(res);
	return rc;
}
