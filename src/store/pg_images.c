/* store/pg_images.c: the images vigil indexed, in PostgreSQL (table
 * image_record, migration 4; store_images.h), as store/sqlite_images.c. */
#include "store/pg_priv.h"
#include "store/store_images.h"
#include "util/error.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

int pg_image_put(vigil_store *s, const store_image_row *row)
{
	char at[32], nf[32];
	snprintf(at, sizeof(at), "%" PRId64, row->indexed_at);
	snprintf(nf, sizeof(nf), "%" PRId64, row->findings);
	const char *params[] = { row->reference, row->repository, row->tag, row->manifest, row->config,
				 row->layers, at, nf };
	return pg_run(s, "record image",
		      "INSERT INTO image_record (reference, repository, tag, manifest, config, layers, indexed_at, "
		      "findings) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		      8, params, NULL, NULL, 0, NULL);
}

static const char *val(const PGresult *res, int r, int c)
{
	return PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c);
}

int pg_image_each(vigil_store *s, const char *repository, const char *tag, store_image_fn fn, void *ud)
{
	const char *params[] = { repository, tag };
	PGresult *res;
	int rc = pg_run(s, "read image records",
			"SELECT reference, repository, tag, manifest, config, layers, indexed_at, findings "
			"FROM image_record WHERE ($1::text IS NULL OR repository = $1) AND ($2::text IS NULL OR tag = $2) "
			"ORDER BY id LIMIT 1000000",
			2, params, NULL, NULL, 0, &res);
	if (rc < 0)
		return rc;
	for (int i = 0; rc == 0 && i < PQntuples(res); i++) {
		store_image_row row = { val(res, i, 0), val(res, i, 1), val(res, i, 2), val(res, i, 3), val(res, i, 4),
					val(res, i, 5), strtoll(PQgetvalue(res, i, 6), NULL, 10),
					strtoll(PQgetvalue(res, i, 7), NULL, 10) };
		rc = store_image_emit(&row, fn, ud);
	}
	PQclear(res);
	return rc;
}
