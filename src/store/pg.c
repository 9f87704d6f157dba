/* store/pg.c: the PostgreSQL backend of the store (see pg_priv.h): open
 * (connection string and pool from pg_conn.c, then the migrations of
 * pg_schema.c in one transaction under an advisory lock, so nodes starting
 * together migrate once), close, and the small operations: layer scans,
 * the cache, fetch validators and the schema version; and the ops table of
 * each part of the store (store_priv.h), filled in at open. */
#include "store/pg_priv.h"
#include "store/store_images.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The key of the migrations' transaction lock (two int4 keys: a space of
 * its own, apart from the bigint keys of pg_lock.c): "vigl", 1. */
#define PG_MIGRATE_LOCK_A 1986619244
#define PG_MIGRATE_LOCK_B 1

/* ---- migrations ---- */

static int read_version(PGconn *c, int *version)
{
	PGresult *res;
	int rc = pg_query(c, "read schema version", "SELECT coalesce(max(version), 0) FROM schema_version", 0,
			  NULL, &res);
	if (rc < 0)
		return rc;
	*version = (int)strtol(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return 0;
}

static int migrate(struct pg_store *p, PGconn *c)
{
	char sql[128];
	int version = 0, rc;
	if ((rc = pg_exec(c, "BEGIN")) < 0)
		return rc;
	snprintf(sql, sizeof(sql), "SELECT pg_advisory_xact_lock(%d, %d)", PG_MIGRATE_LOCK_A, PG_MIGRATE_LOCK_B);
	if ((rc = pg_exec(c, sql)) < 0 ||
	    (rc = pg_exec(c, "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)")) < 0 ||
	    (rc = read_version(c, &version)) < 0)
		goto out;
	if (version > pg_nmigrations) {
		rc = vigil_error_set(VIGIL_ESTORE, "%s: schema version %d is newer than this vigil (%d)",
				     p->base.describe, version, pg_nmigrations);
		goto out;
	}
	if (version == pg_nmigrations)
		goto out;
	for (int i = version; i < pg_nmigrations; i++)
		if ((rc = pg_exec(c, pg_migrations[i])) < 0) {
			vigil_error_prefix("migration %d: ", i + 1);
			goto out;
		}
	snprintf(sql, sizeof(sql), "DELETE FROM schema_version; INSERT INTO schema_version VALUES (%d)",
		 pg_nmigrations);
	rc = pg_exec(c, sql);
out:
	return pg_tx_end(c, rc);
}

/* ---- operations ---- */

static int p_schema_version(vigil_store *s, int *version)
{
	PGconn *c;
	int rc = pg_conn_get(s, &c);
	if (rc < 0)
		return rc;
	rc = read_version(c, version);
	pg_conn_put(s, c);
	return rc;
}

static int p_layer_get(vigil_store *s, const char *digest, const char *scanners, char **blob, size_t *len)
{
	const char *params[] = { digest, scanners };
	PGresult *res;
	int rc = pg_run(s, "read cached layer", "SELECT result FROM layer_scan WHERE digest = $1 AND scanners = $2",
			2, params, NULL, NULL, 1, &res);
	if (rc < 0)
		return rc;
	if (PQntuples(res) == 0)
		rc = vigil_error_set(VIGIL_ENOTFOUND, "layer %s is not cached", digest);
	else
		rc = pg_copy_value(res, 0, 0, blob, len);
	PQclear(res);
	return rc;
}

static int p_layer_put(vigil_store *s, const char *digest, const char *scanners, const char *blob, size_t len)
{
	const char *params[] = { digest, scanners, blob ? blob : "" };
	int lengths[] = { 0, 0, (int)len }, formats[] = { 0, 0, 1 };
	if (len > (size_t)INT32_MAX)
		return vigil_error_set(VIGIL_ELIMIT, "layer %s: scan of %zu bytes is too big", digest, len);
	return pg_run(s, "store layer scan",
		      "INSERT INTO layer_scan (digest, scanners, result) VALUES ($1, $2, $3) "
		      "ON CONFLICT (digest, scanners) DO UPDATE SET result = excluded.result, "
		      "created_at = excluded.created_at",
		      3, params, lengths, formats, 0, NULL);
}

static int p_count(vigil_store *s, long long *count)
{
	PGresult *res;
	int rc = pg_run(s, "count layer scans", "SELECT count(*) FROM layer_scan", 0, NULL, NULL, NULL, 0, &res);
	if (rc < 0)
		return rc;
	*count = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return 0;
}

static int p_clear(vigil_store *s, long long *removed)
{
	PGresult *res;
	int rc = pg_run(s, "clear cache", "DELETE FROM layer_scan", 0, NULL, NULL, NULL, 0, &res);
	if (rc < 0)
		return rc;
	*removed = pg_cmd_tuples(res);
	PQclear(res);
	return 0;
}

static int p_fetch_get(vigil_store *s, const char *url, char *etag, size_t etag_n, char *last_modified,
		       size_t lm_n)
{
	const char *params[] = { url };
	PGresult *res;
	int rc;
	if (etag_n)
		etag[0] = '\0';
	if (lm_n)
		last_modified[0] = '\0';
	if ((rc = pg_run(s, "read fetch state", "SELECT etag, last_modified FROM fetch_state WHERE url = $1", 1,
			 params, NULL, NULL, 0, &res)) < 0)
		return rc;
	if (PQntuples(res) == 0) {
		rc = vigil_error_set(VIGIL_ENOTFOUND, "%s: never fetched", url);
	} else {
		if (etag_n)
			snprintf(etag, etag_n, "%s", PQgetvalue(res, 0, 0));
		if (lm_n)
			snprintf(last_modified, lm_n, "%s", PQgetvalue(res, 0, 1));
	}
	PQclear(res);
	return rc;
}

static int p_fetch_put(vigil_store *s, const char *url, const char *etag, const char *last_modified)
{
	char now[32];
	const char *params[] = { url, etag && *etag ? etag : NULL, last_modified && *last_modified ? last_modified : NULL,
				 now };
	snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
	return pg_run(s, "store fetch state",
		      "INSERT INTO fetch_state (url, etag, last_modified, fetched_at) VALUES ($1, $2, $3, $4) "
		      "ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, "
		      "last_modified = excluded.last_modified, fetched_at = excluded.fetched_at",
		      4, params, NULL, NULL, 0, NULL);
}

static void p_close(vigil_store *s)
{
	struct pg_store *p = pg_store_of(s);
	if (!p)
		return;
	pg_lock_close(p);
	for (size_t i = 0; i < p->nidle; i++)
		PQfinish(p->idle[i]);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	pthread_mutex_destroy(&p->lock_mu);
	free(p);
}

/* The parts of the store (store_priv.h), each implemented side by side
 * with the SQLite backend's (store/sqlite.c). */
static const struct store_core_ops pg_core_ops = {
	.close = p_close,
	.schema_version = p_schema_version,
};

static const struct store_layer_ops pg_layer_ops = {
	.layer_get = p_layer_get,
	.layer_put = p_layer_put,
	.cache_clear = p_clear,
	.cache_count = p_count,
};

static const struct store_vuln_ops pg_vuln_ops = {
	.vuln_begin = pg_vuln_begin,
	.vuln_put = pg_vuln_put,
	.vuln_commit = pg_vuln_commit,
	.vuln_abort = pg_vuln_abort,
	.feed_attempt = pg_feed_attempt,
	.db_gc = pg_db_gc,
	.feed_last_op = pg_feed_last_op,
	.db_status = pg_db_status,
	.db_ops = pg_db_ops,
	.db_diff = pg_db_diff,
	.vuln_by_name = pg_vuln_by_name,
	.namespace_count = pg_namespace_count,
	.namespace_feeds = pg_namespace_feeds,
	.op_records = pg_op_records,
	.reader_open = pg_reader_open,
	.reader_affected = pg_reader_affected,
	.reader_record = pg_reader_record,
	.reader_detail = pg_reader_detail,
	.reader_named_detail = pg_reader_named_detail,
	.reader_close = pg_reader_close,
};

static const struct store_fetch_ops pg_fetch_ops = {
	.fetch_get = p_fetch_get,
	.fetch_put = p_fetch_put,
};

static const struct store_notify_ops pg_notify_ops = {
	.manifests = pg_notify_manifests,
	.base_get = pg_notify_base_get,
	.base_put = pg_notify_base_put,
	.commit = pg_notify_commit,
	.state_get = pg_notify_state_get,
	.page = pg_notify_page,
	.info = pg_notify_info,
	.remove = pg_notify_remove,
	.claim = pg_notify_claim,
	.release = pg_notify_release,
	.expire = pg_notify_expire,
};

static const struct store_report_ops pg_report_ops = {
	.report_get = pg_report_get,
	.report_put = pg_report_put,
	.report_delete = pg_report_delete,
	.v1_layer_put = pg_v1_layer_put,
	.v1_layer_get = pg_v1_layer_get,
	.v1_layer_delete = pg_v1_layer_delete,
	.v1_namespaces = pg_v1_namespaces,
	.v1_ns_vulns = pg_v1_ns_vulns,
};

static const struct store_image_ops pg_image_ops = {
	.put = pg_image_put,
	.each = pg_image_each,
};

static const struct store_lock_ops pg_lock_ops = {
	.xlock_try = pg_xlock_try,
	.xlock_release = pg_xlock_release,
};


int pg_store_open(const char *conninfo, vigil_store **out)
{
	struct pg_store *p = calloc(1, sizeof(*p));
	pthread_condattr_t ca;
	PGconn *c = NULL;
	int rc, password = 0;
	*out = NULL;
	if (!p)
		return vigil_error_oom();
	p->base.core = &pg_core_ops;
	p->base.layers = &pg_layer_ops;
	p->base.vuln = &pg_vuln_ops;
	p->base.fetch = &pg_fetch_ops;
	p->base.reports = &pg_report_ops;
	p->base.xlock = &pg_lock_ops;
	p->base.notify = &pg_notify_ops;
	p->base.images = &pg_image_ops;
	pthread_mutex_init(&p->mu, NULL);
	pthread_mutex_init(&p->lock_mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cv, &ca);
	pthread_condattr_destroy(&ca);
	if ((rc = pg_parse_conninfo(p, conninfo, &password)) < 0 || (rc = pg_conn_get(&p->base, &c)) < 0)
		goto fail;
	/* what the server says it is, now that it answered */
	pg_set_describe(p, PQuser(c), password || PQconnectionUsedPassword(c), PQhost(c), PQport(c), PQdb(c));
	rc = migrate(p, c);
	pg_conn_put(&p->base, c);
	if (rc < 0)
		goto fail;
	*out = &p->base;
	return 0;
fail:
	p_close(&p->base);
	return rc;
}
