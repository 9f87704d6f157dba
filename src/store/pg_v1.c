/* store/pg_v1.c: what the Clair v1 API needs of the PostgreSQL backend,
 * as store/sqlite_v1.c does it for SQLite: the v1 layer table (a client's
 * layer name, its parent's name, the digest of its bytes), the recursive
 * delete of a layer and those below it (one statement, so all or nothing),
 * and two listings of the current data taken from match_row. Names are
 * compared and ordered bytewise (COLLATE "C"), as SQLite does, whatever
 * the database's collation: pages follow each other the same way. */
#include "store/pg_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The advisory lock of v1 layer writes (pg_advisory_xact_lock's first key:
 * "v1la"), held for one put's transaction. */
#define PG_V1_LOCK "1982950497"

/* In one transaction under an advisory lock, so that two nodes posting
 * A on B and B on A at the same time cannot both pass the check: the row
 * is written only when name is not parent nor among its ancestors (walked
 * up at most VIGIL_V1_MAX_DEPTH layers; UNION stops on a loop of before). */
int pg_v1_layer_put(vigil_store *s, const char *name, const char *parent, const char *digest,
		    const char *source)
{
	char depth[16];
	const char *params[] = { name, parent && *parent ? parent : NULL, digest, source && *source ? source : NULL,
				 depth };
	PGconn *c;
	PGresult *res = NULL;
	int rc;
	snprintf(depth, sizeof(depth), "%d", VIGIL_V1_MAX_DEPTH);
	if ((rc = pg_conn_get(s, &c)) < 0)
		return rc;
	if ((rc = pg_exec(c, "BEGIN; SELECT pg_advisory_xact_lock(" PG_V1_LOCK ", 0)")) < 0)
		goto out;
	if ((rc = pg_query(c, "store v1 layer",
			   "INSERT INTO v1_layer (name, parent, digest, source) SELECT $1, $2, $3, $4 "
			   "WHERE NOT EXISTS (WITH RECURSIVE up(n, d) AS (SELECT $2::text, 0 UNION "
			   "  SELECT v.parent, up.d + 1 FROM v1_layer v JOIN up ON v.name = up.n "
			   "  WHERE v.parent IS NOT NULL AND up.d < $5::int) SELECT 1 FROM up WHERE n = $1::text) "
			   "ON CONFLICT (name) DO UPDATE SET parent = excluded.parent, digest = excluded.digest, "
			   "source = excluded.source, created_at = excluded.created_at",
			   5, params, &res)) < 0)
		goto out;
	if (pg_cmd_tuples(res) == 0)
		rc = vigil_error_set(VIGIL_EINVAL, "layer %s: its parent %s is the layer itself or one of its descendants",
				     name, parent);
out:
	PQclear(res);
	rc = pg_tx_end(c, rc);
	pg_conn_put(s, c);
	return rc;
}

int pg_v1_layer_get(vigil_store *s, const char *name, char *parent, size_t parent_n, char *digest,
		    size_t digest_n, char *source, size_t source_n)
{
	const char *params[] = { name };
	PGresult *res;
	int rc = pg_run(s, "read v1 layer", "SELECT parent, digest, source FROM v1_layer WHERE name = $1", 1, params,
			NULL, NULL, 0, &res);
	if (rc < 0)
		return rc;
	if (PQntuples(res) == 0) {
		rc = vigil_error_set(VIGIL_ENOTFOUND, "layer %s: unknown", name);
	} else {
		if (parent_n)
			snprintf(parent, parent_n, "%s", PQgetvalue(res, 0, 0));
		if (digest_n)
			snprintf(digest, digest_n, "%s", PQgetvalue(res, 0, 1));
		if (source_n)
			snprintf(source, source_n, "%s", PQgetvalue(res, 0, 2));
	}
	PQclear(res);
	return rc;
}

int pg_v1_layer_delete(vigil_store *s, const char *name, int64_t *removed)
{
	const char *params[] = { name };
	PGresult *res;
	int rc;
	*removed = 0;
	/* UNION (not ALL): a cycle of parents ends instead of looping */
	if ((rc = pg_run(s, "delete v1 layer",
			 "WITH RECURSIVE below(name) AS (SELECT $1::text UNION "
			 "  SELECT v.name FROM v1_layer v JOIN below b ON v.parent = b.name) "
			 "DELETE FROM v1_layer WHERE name IN (SELECT name FROM below)",
			 1, params, NULL, NULL, 0, &res)) < 0)
		return rc;
	*removed = pg_cmd_tuples(res);
	PQclear(res);
	return 0;
}

int pg_v1_namespaces(vigil_store *s, int (*fn)(void *ud, const char *ns, const char *scheme), void *ud)
{
	PGresult *res;
	int rc = pg_run(s, "list namespaces",
			"SELECT namespace, max(scheme COLLATE \"C\") FROM match_row GROUP BY namespace "
			"ORDER BY namespace COLLATE \"C\"",
			0, NULL, NULL, NULL, 0, &res);
	if (rc < 0)
		return rc;
	/* the connection is back in the pool: fn may use the store */
	for (int i = 0, n = PQntuples(res); i < n; i++)
		if ((rc = fn(ud, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1))) < 0)
			break;
	PQclear(res);
	return rc < 0 ? rc : 0;
}

int pg_v1_ns_vulns(vigil_store *s, const char *ns, const char *after, size_t limit,
		   int (*fn)(void *ud, const char *name, int64_t vuln, int severity), void *ud)
{
	char lim[32];
	const char *params[] = { ns, after ? after : "", lim };
	PGresult *res;
	int rc;
	snprintf(lim, sizeof(lim), "%llu", (unsigned long long)(limit > (size_t)INT64_MAX ? (size_t)INT64_MAX : limit));
	if ((rc = pg_run(s, "list vulnerabilities",
			 "SELECT name, min(vuln), max(severity) FROM match_row "
			 "WHERE namespace = $1 AND name COLLATE \"C\" > $2 GROUP BY name "
			 "ORDER BY name COLLATE \"C\" LIMIT $3::bigint",
			 3, params, NULL, NULL, 0, &res)) < 0)
		return rc;
	for (int i = 0, n = PQntuples(res); i < n; i++)
		if ((rc = fn(ud, PQgetvalue(res, i, 0), strtoll(PQgetvalue(res, i, 1), NULL, 10),
			     (int)strtol(PQgetvalue(res, i, 2), NULL, 10))) < 0)
			break;
	PQclear(res);
	return rc < 0 ? rc : 0;
}
