/* server/introspection.c: the introspection listener (Clair's
 * introspection_addr, default :8089): GET /healthz (the process answers),
 * GET /readyz (503 while the store holds no vulnerability data: a scan
 * would find nothing and look clean), GET /metrics (Prometheus text,
 * metrics.c) and Clair 2's GET /health (v1.c). No authentication, as Clair. */
#include "server/srv_priv.h"
#include "util/error.h"
#include "vigil/db_health.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int text(srv_response *rs, int status, const char *msg)
{
	size_t n = strlen(msg);
	char *b = malloc(n + 1);
	if (!b)
		return vigil_error_oom();
	memcpy(b, msg, n + 1);
	free(rs->body);
	rs->status = status;
	rs->body = b;
	rs->len = n;
	rs->content_type = "text/plain; charset=utf-8";
	return 0;
}

static int readyz(vigil_srv *s, srv_response *rs)
{
	char why[512], body[600];
	int ready = vigil_db_ready(srv_store(s), why, sizeof(why));
	if (ready < 0) {
		vigil_error_clear();
		return text(rs, 503, "not ready: the store does not answer\n");
	}
	if (!ready) {
		snprintf(body, sizeof(body), "not ready: %s\n", why);
		return text(rs, 503, body);
	}
	return text(rs, 200, "ready\n");
}

int srv_introspection(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	if (strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD"))
		return text(rs, 405, "method not allowed\n");
	if (!strcmp(rq->path, "/healthz"))
		return text(rs, 200, "ok\n");
	if (!strcmp(rq->path, "/readyz"))
		return readyz(s, rs);
	if (!strcmp(rq->path, "/metrics")) {
		char *body;
		size_t len;
		if (srv_metrics_text(s, &body, &len) < 0)
			return text(rs, 500, "out of memory\n");
		free(rs->body);
		rs->status = 200;
		rs->body = body;
		rs->len = len;
		rs->content_type = "text/plain; version=0.0.4; charset=utf-8";
		return 0;
	}
	if (!strcmp(rq->path, "/health"))
		return srv_v1_health(s, rq, rs);
	return text(rs, 404, "not found\n");
}
