/* server/v4.c: the Clair v4 API's route table and its small handlers:
 * GET and DELETE of stored IndexReports (one, or a bulk DELETE of a JSON
 * array of digests; GET carries the index state as its ETag, DELETE of one
 * answers 204 known or not, as Clair), the indexer state (ETag, 304), the matcher's update
 * operations and diffs (their parameters read as Clair's matcher_v1.go
 * reads them: latest with Go's ParseBool, kind vulnerability or
 * enrichment, refs with Go's uuid.Parse), and the OpenAPI document. Indexing and matching
 * are in v4_index.c. Errors are Clair's {"code", "message"}. */
#include "server/events.h"
#include "server/v4.h"
#include "util/error.h"
#include "util/json.h"
#include "vigil/db.h"
#include "vigil/manifest.h"
#include "vigil/store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int json_answer(srv_response *rs, int status, json_t *root)
{
	char *txt = root ? json_dumps(root, JSON_COMPACT) : NULL;
	json_decref(root);
	if (!txt)
		return srv_error_v4(rs, 500, "internal-error", "out of memory");
	return srv_json_text(rs, status, txt, strlen(txt));
}

/* 1 (answered 400) when d is not a digest. */
static bool bad_digest(srv_response *rs, const char *d)
{
	if (vigil_digest_check(d, "digest") < 0) {
		srv_error_v4(rs, 400, "bad-request", "%s", vigil_error_message());
		return true;
	}
	return false;
}

static int report_get(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	vigil_store_index_report sr;
	int rc;
	if (bad_digest(rs, rq->params[0]))
		return 0;
	if ((rc = vigil_store_index_report_get(srv_store(s), rq->params[0], &sr)) < 0) {
		if (rc == VIGIL_ENOTFOUND)
			return srv_error_v4(rs, 404, "not-found", "manifest %s has not been indexed", rq->params[0]);
		return srv_error_v4(rs, 500, "internal-error", "%s", vigil_error_message());
	}
	srv_json_text(rs, 200, sr.report, sr.report_len);
	/* the index state, as Clair's: an If-None-Match naming it gets 304 */
	snprintf(rs->etag, sizeof(rs->etag), "\"%s\"", srv_v4_index_state(s));
	sr.report = NULL;
	vigil_store_index_report_free(&sr);
	return 0;
}

static int delete_one(vigil_srv *s, const char *d, int *deleted)
{
	int rc = vigil_store_index_report_delete(srv_store(s), d, deleted);
	if (rc >= 0 && *deleted)
		srv_v4_cache_drop(s, d);
	return rc;
}

static int report_delete(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	int deleted = 0;
	if (bad_digest(rs, rq->params[0]))
		return 0;
	if (delete_one(s, rq->params[0], &deleted) < 0)
		return srv_error_v4(rs, 500, "internal-error", "%s", vigil_error_message());
	/* 204 whether it was indexed or not, as Clair (a GC's retry is no error) */
	rs->status = 204;
	return 0;
}

static int report_bulk_delete(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	json_error_t je;
	json_t *arr = json_loadb(rq->body, rq->body_len, 0, &je), *v, *out = NULL;
	size_t i;
	char why[JSON_ERROR_TEXT_LENGTH];
	if (!arr)
		return srv_error_v4(rs, 400, "bad-request", "body: line %d: %s", je.line,
				    vigil_json_error_text(&je, why, sizeof(why)));
	if (!json_is_array(arr)) {
		json_decref(arr);
		return srv_error_v4(rs, 400, "bad-request", "body: a JSON array of manifest digests expected");
	}
	if (json_array_size(arr) > SRV_MAX_BULK_DELETE) {
		json_decref(arr);
		return srv_error_v4(rs, 400, "bad-request", "more than %d digests in one request", SRV_MAX_BULK_DELETE);
	}
	json_array_foreach(arr, i, v) {
		const char *d = json_string_value(v);
		if (!d || vigil_digest_check(d, "digest") < 0) {
			json_decref(arr);
			return srv_error_v4(rs, 400, "bad-request", "body[%zu]: not a digest", i);
		}
	}
	if (!(out = json_array())) {
		json_decref(arr);
		return srv_error_v4(rs, 500, "internal-error", "out of memory");
	}
	json_array_foreach(arr, i, v) {
		int deleted = 0;
		if (delete_one(s, json_string_value(v), &deleted) < 0) {
			json_decref(arr);
			json_decref(out);
			return srv_error_v4(rs, 500, "internal-error", "%s", vigil_error_message());
		}
		if (deleted)
			json_array_append(out, v);
	}
	json_decref(arr);
	return json_answer(rs, 200, out);
}

static int index_state(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	const char *st = srv_v4_index_state(s);
	(void)rq;
	snprintf(rs->etag, sizeof(rs->etag), "\"%s\"", st);
	return json_answer(rs, 200, json_pack("{s:s}", "state", st));
}

static void rfc3339(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_t *op_json(const vigil_db_op *o)
{
	char date[40];
	rfc3339(o->created, date, sizeof(date));
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "ref", o->ref, "updater", o->feed, "fingerprint",
			 o->fingerprint, "date", date, "kind", "vulnerability");
}

static int update_operation(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	vigil_db_op *ops = NULL;
	size_t n = 0;
	const char *latest = NULL, *kind = NULL;
	/* as Clair: strconv.ParseBool, a value it cannot parse is false */
	bool only_latest = srv_query_param(rq, "latest", &latest) && srv_go_parse_bool(latest) == 1;
	json_t *root;
	char d[VIGIL_MANIFEST_DIGEST_MAX];
	if (srv_query_param(rq, "kind", &kind) && *kind && strcmp(kind, "vulnerability") != 0) {
		if (strcmp(kind, "enrichment") != 0)
			return srv_error_v4(rs, 400, "bad-request", "unknown kind: \"%.64s\"", kind);
		return json_answer(rs, 200, json_object()); /* vigil has no enrichment updaters */
	}
	if (vigil_db_ops(srv_store(s), NULL, &ops, &n) < 0)
		return srv_error_v4(rs, 500, "internal-error", "%s", vigil_error_message());
	if (!(root = json_object())) {
		free(ops);
		return srv_error_v4(rs, 500, "internal-error", "out of memory");
	}
	char refs[8192] = "";
	for (size_t i = 0; i < n; i++) {
		json_t *arr = json_object_get(root, ops[i].feed);
		if (!arr) {
			arr = json_array();
			json_object_set_new(root, ops[i].feed, arr);
			size_t k = strlen(refs);
			snprintf(refs + k, sizeof(refs) - k, "%s;", ops[i].ref);
		} else if (only_latest) {
			continue;
		}
		json_array_append_new(arr, op_json(&ops[i]));
	}
	free(ops);
	vigil_digest_sha256(refs, strlen(refs), d);
	snprintf(rs->etag, sizeof(rs->etag), "\"%.64s\"", d + 7);
	return json_answer(rs, 200, root);
}

struct diff_ud {
	json_t *added, *removed;
};

static int on_diff(void *ud, vigil_db_change c, const char *source, const char *id, const char *hash)
{
	struct diff_ud *u = ud;
	json_t *v = json_pack("{s:s, s:s, s:s}", "id", hash, "name", id, "updater", source);
	if (!v)
		return VIGIL_ENOMEM;
	json_array_append_new(c == VIGIL_DB_ADDED ? u->added : u->removed, v);
	return 0;
}

static int find_op(vigil_srv *s, const char *ref, vigil_db_op *out)
{
	vigil_db_op *ops = NULL;
	size_t n = 0;
	int rc = vigil_db_ops(srv_store(s), NULL, &ops, &n);
	if (rc < 0)
		return rc;
	rc = VIGIL_ENOTFOUND;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(ops[i].ref, ref)) {
			*out = ops[i];
			rc = 0;
			break;
		}
	free(ops);
	return rc;
}

static int update_diff(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	const char *prev = NULL, *cur = NULL;
	char pu[SRV_UUID_LEN + 1], cu[SRV_UUID_LEN + 1];
	vigil_db_op po, co;
	struct diff_ud u;
	int rc;
	/* as Clair: both are UUIDs (an update operation's ref), cur required */
	if (srv_query_param(rq, "prev", &prev) && *prev) {
		if (!srv_uuid_canon(prev, pu))
			return srv_error_v4(rs, 400, "bad-request", "could not parse \"prev\" query param into uuid");
		prev = pu;
	} else {
		prev = NULL;
	}
	if (!srv_query_param(rq, "cur", &cur) || !*cur)
		return srv_error_v4(rs, 400, "bad-request", "the cur parameter (an update operation ref) is required");
	if (!srv_uuid_canon(cur, cu))
		return srv_error_v4(rs, 400, "bad-request", "could not parse \"cur\" query param into uuid");
	cur = cu;
	for (int k = 0; k < 2; k++) {
		const char *ref = k ? prev : cur;
		if (ref && (rc = find_op(s, ref, k ? &po : &co)) < 0) {
			if (rc == VIGIL_ENOTFOUND)
				return srv_error_v4(rs, 404, "not-found", "no update operation %s", ref);
			return srv_error_v4(rs, 500, "internal-error", "%s", vigil_error_message());
		}
	}
	u.added = json_array();
	u.removed = json_array();
	if (!u.added || !u.removed || (rc = vigil_db_diff(srv_store(s), prev, cur, on_diff, &u)) < 0) {
		json_decref(u.added);
		json_decref(u.removed);
		return srv_error_v4(rs, 500, "internal-error", "%s", vigil_error_message());
	}
	return json_answer(rs, 200, json_pack("{s:o*, s:o, s:o, s:o}", "prev", prev ? op_json(&po) : NULL, "cur",
					      op_json(&co), "added", u.added, "removed", u.removed));
}

static int openapi(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	(void)s;
	(void)rq;
	char *b = malloc(srv_openapi_json_len + 1);
	if (!b)
		return srv_error_v4(rs, 500, "internal-error", "out of memory");
	memcpy(b, srv_openapi_json, srv_openapi_json_len);
	b[srv_openapi_json_len] = '\0';
	snprintf(rs->etag, sizeof(rs->etag), "\"vigil-%s\"", VIGIL_VERSION);
	return srv_json_text(rs, 200, b, srv_openapi_json_len);
}

const struct srv_route srv_v4_routes[] = {
	{ "POST", "/indexer/api/v1/index_report", srv_v4_index_post, "index_report_post" },
	{ "DELETE", "/indexer/api/v1/index_report", report_bulk_delete, "index_report_bulk_delete" },
	{ "GET", "/indexer/api/v1/index_report/{}", report_get, "index_report_get" },
	{ "DELETE", "/indexer/api/v1/index_report/{}", report_delete, "index_report_delete" },
	{ "GET", "/indexer/api/v1/index_state", index_state, "index_state" },
	{ "GET", "/matcher/api/v1/vulnerability_report/{}", srv_v4_vuln_report, "vulnerability_report" },
	{ "GET", "/matcher/api/v1/internal/update_operation", update_operation, "update_operation" },
	{ "GET", "/matcher/api/v1/internal/update_diff", update_diff, "update_diff" },
	{ "POST", "/indexer/api/v1/internal/affected_manifest", srv_notify_affected, "affected_manifest" },
	{ "GET", "/notifier/api/v1/notification/{}", srv_notify_v4_get, "notification_get" },
	{ "DELETE", "/notifier/api/v1/notification/{}", srv_notify_v4_delete, "notification_delete" },
	{ "GET", "/openapi/v1", openapi, "openapi" },
	/* a registry's notifications (events.c): its own Bearer token */
	{ "POST", "/registry/events", srv_events_post, "registry_events" },
};
const size_t srv_v4_nroutes = sizeof(srv_v4_routes) / sizeof(srv_v4_routes[0]);
