/* store/pg_report.c: the server's v4 index reports in PostgreSQL (table
 * index_report), as store/sqlite_report.c keeps them in SQLite: by
 * manifest hash, the IndexReport JSON, the Manifest it was made from and
 * the indexer state it was made under. The JSON is bytea, sent and read
 * in binary (no escaping of large reports). */
#include "store/pg_priv.h"
#include "util/error.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pg_report_get(vigil_store *s, const char *manifest, vigil_stored_report *out)
{
	const char *params[] = { manifest };
	PGresult *res;
	int rc;
	memset(out, 0, sizeof(*out));
	/* binary results: state comes as its bytes (text's binary form) */
	if ((rc = pg_run(s, "read index report", "SELECT report, request, state FROM index_report WHERE manifest = $1",
			 1, params, NULL, NULL, 1, &res)) < 0)
		return rc;
	if (PQntuples(res) == 0) {
		rc = vigil_error_set(VIGIL_ENOTFOUND, "no index report for manifest %s", manifest);
	} else if ((rc = pg_copy_value(res, 0, 0, &out->report, &out->report_len)) >= 0 &&
		   (rc = pg_copy_value(res, 0, 1, &out->manifest, &out->manifest_len)) >= 0) {
		snprintf(out->state, sizeof(out->state), "%.*s", PQgetlength(res, 0, 2), PQgetvalue(res, 0, 2));
	}
	PQclear(res);
	if (rc < 0)
		store_stored_report_free(out);
	return rc;
}

int pg_report_put(vigil_store *s, const char *manifest, const vigil_stored_report *r)
{
	const char *params[] = { manifest, r->state, r->report ? r->report : "", r->manifest ? r->manifest : "" };
	int lengths[] = { 0, 0, (int)r->report_len, (int)r->manifest_len }, formats[] = { 0, 0, 1, 1 };
	if (r->report_len > INT_MAX || r->manifest_len > INT_MAX)
		return vigil_error_set(VIGIL_ELIMIT, "index report of %s: over %d bytes", manifest, INT_MAX);
	return pg_run(s, "store index report",
		      "INSERT INTO index_report (manifest, state, report, request) VALUES ($1, $2, $3, $4) "
		      "ON CONFLICT (manifest) DO UPDATE SET state = excluded.state, report = excluded.report, "
		      "request = excluded.request, created_at = excluded.created_at",
		      4, params, lengths, formats, 0, NULL);
}

int pg_report_delete(vigil_store *s, const char *manifest, int *deleted)
{
	const char *params[] = { manifest };
	PGresult *res;
	int rc;
	*deleted = 0;
	if ((rc = pg_run(s, "delete index report", "DELETE FROM index_report WHERE manifest = $1", 1, params, NULL,
			 NULL, 0, &res)) < 0)
		return rc;
	*deleted = pg_cmd_tuples(res) > 0;
	PQclear(res);
	return 0;
}
