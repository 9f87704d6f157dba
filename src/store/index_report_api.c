/* store/index_report_api.c: the public face (vigil/store.h) of the
 * Clair server's index reports: thin calls of vigil_store_report_* (the
 * backend-independent operations of store/sqlite_report.c), so the server
 * is a client of the public API only. */
#include "store/store.h"

#include <string.h>

int vigil_store_index_report_get(vigil_store *s, const char *hash, vigil_store_index_report *out)
{
	vigil_stored_report r;
	int rc;
	memset(out, 0, sizeof(*out));
	if ((rc = store_report_get(s, hash, &r)) < 0)
		return rc;
	out->report = r.report;
	out->report_len = r.report_len;
	out->manifest = r.manifest;
	out->manifest_len = r.manifest_len;
	memcpy(out->state, r.state, sizeof(out->state));
	return 0;
}

int vigil_store_index_report_put(vigil_store *s, const char *hash, const vigil_store_index_report *r)
{
	vigil_stored_report sr;
	memset(&sr, 0, sizeof(sr));
	sr.report = r->report;
	sr.report_len = r->report_len;
	sr.manifest = r->manifest;
	sr.manifest_len = r->manifest_len;
	memcpy(sr.state, r->state, sizeof(sr.state));
	return store_report_put(s, hash, &sr);
}

int vigil_store_index_report_delete(vigil_store *s, const char *hash, int *deleted)
{
	return store_report_delete(s, hash, deleted);
}

void vigil_store_index_report_free(vigil_store_index_report *r)
{
	vigil_stored_report sr;
	if (!r)
		return;
	memset(&sr, 0, sizeof(sr));
	sr.report = r->report;
	sr.manifest = r->manifest;
	store_stored_report_free(&sr);
	r->report = r->manifest = NULL;
	r->report_len = r->manifest_len = 0;
}
