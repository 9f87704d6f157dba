/* store/sqlite_v1.c: what the Clair v1 API (the API of Clair 2) needs of
 * the SQLite backend: the v1 layer table (a client's layer name, its
 * parent's name, the digest of its bytes) and two listings of the current
 * vulnerability data taken from match_row: its namespaces, and the
 * vulnerability names of one namespace, paged by name. The generic
 * wrappers (vigil_store_v1_*) are at the end. */
#include "store/sqlite_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

/* One statement (atomic, and serialised with every other writer of the
 * file): the row is written only when name is not parent nor among its
 * ancestors, walked up at most VIGIL_V1_MAX_DEPTH layers. */
int sqlite_v1_layer_put(vigil_store *s, const char *name, const char *parent, const char *digest,
			const char *source)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO v1_layer (name, parent, digest, source) SELECT ?1, ?2, ?3, ?4 "
			       "WHERE NOT EXISTS (WITH RECURSIVE up(n, d) AS (SELECT ?2, 0 UNION "
			       "  SELECT v.parent, up.d + 1 FROM v1_layer v JOIN up ON v.name = up.n "
			       "  WHERE v.parent IS NOT NULL AND up.d < ?5) SELECT 1 FROM up WHERE n = ?1) "
			       "ON CONFLICT (name) DO UPDATE SET parent = excluded.parent, digest = excluded.digest, "
			       "source = excluded.source, created_at = strftime('%s','now')",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (parent && *parent)
		sqlite3_bind_text(st, 2, parent, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_text(st, 3, digest, -1, SQLITE_STATIC);
	if (source && *source)
		sqlite3_bind_text(st, 4, source, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 4);
	sqlite3_bind_int(st, 5, VIGIL_V1_MAX_DEPTH);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sqlite_error(db, "store v1 layer");
	else if (sqlite3_changes(db) == 0)
		rc = vigil_error_set(VIGIL_EINVAL, "layer %s: its parent %s is the layer itself or one of its descendants",
				     name, parent);
	sqlite3_finalize(st);
	return rc;
}

int sqlite_v1_layer_get(vigil_store *s, const char *name, char *parent, size_t parent_n, char *digest,
			size_t digest_n, char *source, size_t source_n)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st = NULL;
	int rc;
	if (sqlite3_prepare_v2(db, "SELECT parent, digest, source FROM v1_layer WHERE name = ?1", -1, &st, NULL) !=
	    SQLITE_OK)
		return sqlite_error(db, "prepare");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		const unsigned char *p = sqlite3_column_text(st, 0), *d = sqlite3_column_text(st, 1),
				    *src = sqlite3_column_text(st, 2);
		if (parent_n)
			snprintf(parent, parent_n, "%s", p ? (const char *)p : "");
		if (digest_n)
			snprintf(digest, digest_n, "%s", d ? (const char *)d : "");
		if (source_n)
			snprintf(source, source_n, "%s", src ? (const char *)src : "");
		rc = 0;
	} else if (step == SQLITE_DONE) {
		rc = vigil_error_set(VIGIL_ENOTFOUND, "layer %s: unknown", name);
	} else {
		rc = sqlite_error(db, "read v1 layer");
	}
	sqlite3_finalize(st);
	return rc;
}

int sqlite_v1_layer_delete(vigil_store *s, const char *name, int64_t *removed)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st = NULL;
	int rc = 0;
	*removed = 0;
	if (sqlite3_prepare_v2(db,
			       "WITH RECURSIVE below(name) AS (SELECT ?1 UNION "
			       "  SELECT v.name FROM v1_layer v JOIN below b ON v.parent = b.name) "
			       "DELETE FROM v1_layer WHERE name IN (SELECT name FROM below)",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sqlite_error(db, "delete v1 layer");
	else
		*removed = sqlite3_changes(db);
	sqlite3_finalize(st);
	return rc;
}

int sqlite_v1_namespaces(vigil_store *s, int (*fn)(void *ud, const char *ns, const char *scheme), void *ud)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st = NULL;
	int rc = 0, step;
	/* one row per namespace: the scan follows match_row's key order */
	if (sqlite3_prepare_v2(db, "SELECT namespace, max(scheme) FROM match_row GROUP BY namespace ORDER BY namespace",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *ns = sqlite3_column_text(st, 0), *sc = sqlite3_column_text(st, 1);
		if ((rc = fn(ud, ns ? (const char *)ns : "", sc ? (const char *)sc : "")) < 0)
			break;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = sqlite_error(db, "list namespaces");
	sqlite3_finalize(st);
	return rc;
}

int sqlite_v1_ns_vulns(vigil_store *s, const char *ns, const char *after, size_t limit,
		       int (*fn)(void *ud, const char *name, int64_t vuln, int severity), void *ud)
{
	sqlite3 *db = sqlite_db(s);
	sqlite3_stmt *st = NULL;
	int rc = 0, step;
	if (sqlite3_prepare_v2(db,
			       "SELECT name, min(vuln), max(severity) FROM match_row "
			       "WHERE namespace = ?1 AND name > ?2 GROUP BY name ORDER BY name LIMIT ?3",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	sqlite3_bind_text(st, 1, ns, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, after ? after : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *name = sqlite3_column_text(st, 0);
		if ((rc = fn(ud, name ? (const char *)name : "", sqlite3_column_int64(st, 1),
			     sqlite3_column_int(st, 2))) < 0)
			break;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = sqlite_error(db, "list vulnerabilities");
	sqlite3_finalize(st);
	return rc;
}

