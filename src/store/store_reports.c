/* store/store_reports.c: the wrappers of the server's records
 * (store_reports.h): v4 index reports and Clair v1 layers, the backend's
 * ops or VIGIL_EUNSUPPORTED when it keeps none; and the freeing of a
 * stored report. */
#include "store/store_priv.h"

#include <stdlib.h>
#include <string.h>

#define PART "index reports or Clair v1 layers"

void store_stored_report_free(vigil_stored_report *r)
{
	if (!r)
		return;
	free(r->report);
	free(r->manifest);
	r->report = r->manifest = NULL;
	r->report_len = r->manifest_len = 0;
}

int store_report_get(vigil_store *s, const char *manifest, vigil_stored_report *out)
{
	memset(out, 0, sizeof(*out));
	return s->reports ? s->reports->report_get(s, manifest, out) : store_unsupported(s, PART);
}

int store_report_put(vigil_store *s, const char *manifest, const vigil_stored_report *r)
{
	return s->reports ? s->reports->report_put(s, manifest, r) : store_unsupported(s, PART);
}

int store_report_delete(vigil_store *s, const char *manifest, int *deleted)
{
	return s->reports ? s->reports->report_delete(s, manifest, deleted) : store_unsupported(s, PART);
}

int vigil_store_v1_layer_put(vigil_store *s, const char *name, const char *parent, const char *digest,
			     const char *source)
{
	return s->reports ? s->reports->v1_layer_put(s, name, parent, digest, source) : store_unsupported(s, PART);
}

int vigil_store_v1_layer_get(vigil_store *s, const char *name, char *parent, size_t parent_n, char *digest,
			     size_t digest_n, char *source, size_t source_n)
{
	if (!s->reports)
		return store_unsupported(s, PART);
	return s->reports->v1_layer_get(s, name, parent, parent_n, digest, digest_n, source, source_n);
}

int vigil_store_v1_layer_delete(vigil_store *s, const char *name, int64_t *removed)
{
	return s->reports ? s->reports->v1_layer_delete(s, name, removed) : store_unsupported(s, PART);
}

int vigil_store_v1_namespaces(vigil_store *s, int (*fn)(void *ud, const char *ns, const char *scheme), void *ud)
{
	return s->reports ? s->reports->v1_namespaces(s, fn, ud) : store_unsupported(s, PART);
}

int vigil_store_v1_ns_vulns(vigil_store *s, const char *ns, const char *after, size_t limit,
			    int (*fn)(void *ud, const char *name, int64_t vuln, int severity), void *ud)
{
	return s->reports ? s->reports->v1_ns_vulns(s, ns, after, limit, fn, ud) : store_unsupported(s, PART);
}
