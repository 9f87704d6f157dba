/* server/notify_v1.c: Clair 2's notification routes (api/v1/routes.go of
 * Clair v2.1.8): GET /v1/notifications/{name}?limit=&page= (limit
 * required, as Clair 2: 400 "must provide limit query parameter"; a page
 * token that is not one: 400 "invalid page format") and DELETE; errors
 * {"Error": {"Message"}}. Kept apart from notify.c so the v1 route table
 * pulls in no more of the engine than the v1 handlers use. */
#include "server/server.h"
#include "util/error.h"
#include "vigil/notify.h"

#include <errno.h>
#include <stdlib.h>

/* A decimal query parameter in [0, max]: 1 and *out, 0 absent (or ""), -1 malformed. */
int srv_notify_number(const srv_request *rq, const char *name, long max, long *out)
{
	const char *v = NULL;
	char *end;
	if (!srv_query_param(rq, name, &v) || !*v)
		return 0;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || *end || n < 0 || n > max || v[0] == '+' || v[0] == '-' || v[0] == ' ')
		return -1;
	*out = n;
	return 1;
}

int srv_notify_v1_get(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	const char *page = NULL;
	long limit = 0;
	char *json = NULL;
	size_t len = 0;
	int rc;
	/* as Clair 2: the limit is required */
	int has = srv_notify_number(rq, "limit", VIGIL_NOTIFY_MAX_PAGE, &limit);
	if (has == 0)
		return srv_error_v1(rs, 400, "must provide limit query parameter");
	if (has < 0 || limit < 1)
		return srv_error_v1(rs, 400, "invalid limit format: a number from 1 to %d expected", VIGIL_NOTIFY_MAX_PAGE);
	srv_query_param(rq, "page", &page);
	if ((rc = vigil_notify_v1_page(srv_store(s), rq->params[0], page, (size_t)limit, &json, &len)) < 0) {
		if (rc == VIGIL_EINVAL)
			return srv_error_v1(rs, 400, "%s", vigil_error_message());
		if (rc == VIGIL_ENOTFOUND)
			return srv_error_v1(rs, 404, "%s", vigil_error_message());
		return srv_error_v1(rs, rc == VIGIL_EUNAVAILABLE ? 503 : 500, "%s", vigil_error_message());
	}
	return srv_json_text(rs, 200, json, len);
}

int srv_notify_v1_delete(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	int deleted = 0, rc = vigil_notify_delete(srv_store(s), rq->params[0], &deleted);
	if (rc == VIGIL_EINVAL)
		return srv_error_v1(rs, 400, "%s", vigil_error_message());
	if (rc < 0)
		return srv_error_v1(rs, rc == VIGIL_EUNAVAILABLE ? 503 : 500, "%s", vigil_error_message());
	if (!deleted)
		return srv_error_v1(rs, 404, "the resource cannot be found");
	rs->status = 200;
	return 0;
}

