/* tests/server/test_v1.c: the Clair v1 API handlers (server/v1.c) called
 * directly, with layers served over HTTP by a python3 server on 127.0.0.1
 * started here: the real Ubuntu 18.04 package database and os-release cut
 * into three layers posted with their parents as clair-scanner and klar
 * post them, then GET ?vulnerabilities on the top layer compared with
 * vigil_match on the same root filesystem (the Ubuntu tracker in the
 * store); a whiteout layer; the bad requests. The HTTP engine's helpers
 * (srv_store, srv_json_text ...) are stood in for here. Skips (77) without
 * the shared data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "match/ubuntu1804_fixture.h"
#include "server/server.h"
#include "server/v1.h"

/* ---- stand-ins for the engine's helpers (weak: the engine's win) ---- */
static vigil_store *g_store;
__attribute__((weak)) vigil_store *srv_store(vigil_srv *s) { return g_store; }
__attribute__((weak)) int srv_json_text(srv_response *rs, int status, char *json, size_t len)
{
	rs->status = status;
	rs->body = json;
	rs->len = len;
	rs->content_type = "application/json";
	return 0;
}
__attribute__((weak)) int srv_error_v1(srv_response *rs, int status, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_t *o = json_pack("{s:{s:s}}", "Error", "Message", msg);
	char *t = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return srv_json_text(rs, status, t, strlen(t));
}
static uint64_t g_fetched;
__attribute__((weak)) void srv_count_layers(vigil_srv *s, uint64_t indexed, uint64_t cached) { g_fetched += indexed; }
static char g_log[65536];
__attribute__((weak)) void srv_log(vigil_srv *s, const char *fmt, ...)
{
	va_list ap;
	size_t k = strlen(g_log);
	va_start(ap, fmt);
	vsnprintf(g_log + k, sizeof(g_log) - k, fmt, ap);
	va_end(ap);
}
__attribute__((weak)) srv_blob *srv_blob_new(const char *data, size_t len)
{
	srv_blob *b = malloc(sizeof(*b) + len + 1);
	atomic_init(&b->refs, 1);
	b->len = len;
	memcpy(b->data, data, len);
	b->data[len] = 0;
	return b;
}
__attribute__((weak)) srv_blob *srv_blob_ref(srv_blob *b)
{
	if (b)
		atomic_fetch_add(&b->refs, 1);
	return b;
}
__attribute__((weak)) void srv_blob_unref(srv_blob *b)
{
	if (b && atomic_fetch_sub(&b->refs, 1) == 1)
		free(b);
}
__attribute__((weak)) int srv_json_blob(srv_response *rs, int status, srv_blob *b)
{
	rs->status = status;
	rs->blob = b;
	rs->len = b->len;
	return 0;
}
__attribute__((weak)) int srv_query_param(const srv_request *rq, const char *name, const char **value)
{
	size_t n = strlen(name);
	for (const char *p = rq->query; p && *p;) {
		const char *end = strchr(p, '&');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len >= n && !strncmp(p, name, n) && (len == n || p[n] == '=')) {
			*value = len == n ? "" : vigil_arena_strndup(rq->arena, p + n + 1, len - n - 1);
			return 1;
		}
		p += len + (end ? 1 : 0);
	}
	return 0;
}

static struct u1804 U;
static char g_dir[96];
static int g_port;
static pid_t g_pid;

static int setup(void **st)
{
	char cmd[2048], path[128];
	if (u1804_setup(&U) < 0)
		return -1;
	g_store = U.store;
	snprintf(g_dir, sizeof(g_dir), "%s/www", U.dir);
	/* three layers: the release file; the package database; a file; then a whiteout of the database */
	snprintf(cmd, sizeof(cmd),
		 "set -e; d=%s; mkdir -p $d/www $d/l1/etc $d/l2/var/lib/dpkg $d/l3/srv $d/l4/var/lib/dpkg; "
		 "cp %s/root/etc/os-release $d/l1/etc/; cp %s/root/var/lib/dpkg/status $d/l2/var/lib/dpkg/; "
		 "echo hi > $d/l3/srv/hello; touch $d/l4/var/lib/dpkg/.wh.status; "
		 "tar -C $d/l1 -cf $d/www/l1.tar etc; tar -C $d/l2 -czf $d/www/l2.tar.gz var; "
		 "tar -C $d/l3 -cf $d/www/l3.tar srv; tar -C $d/l4 -cf $d/www/l4.tar var; "
		 "printf 'not a tar' | gzip > $d/www/bad.gz; head -c 3000 /dev/urandom > $d/www/junk; "
		 "cd $d/www && (python3 -c 'import http.server,socketserver,sys\n"
		 "class H(http.server.SimpleHTTPRequestHandler):\n"
		 "  def log_message(self,*a): pass\n"
		 "  def do_GET(self):\n"
		 "    if self.path.startswith(\"/auth/\") and self.headers.get(\"Authorization\") != \"Bearer t0k\":\n"
		 "      self.send_error(401); return\n"
		 "    self.path = self.path.replace(\"/auth/\", \"/\")\n"
		 "    return super().do_GET()\n"
		 "s=socketserver.TCPServer((\"127.0.0.1\",0),H)\n"
		 "open(\"../port\",\"w\").write(str(s.server_address[1]))\n"
		 "s.serve_forever()' & echo $! > ../pid)",
		 U.dir, U.dir, U.dir);
	if (system(cmd) != 0)
		return -1;
	for (int i = 0; i < 100; i++) {
		size_t len = 0;
		snprintf(path, sizeof(path), "%s/port", U.dir);
		char *p = th_read_file(path, &len);
		if (p && len) {
			g_port = atoi(p);
			free(p);
			break;
		}
		free(p);
		usleep(50000);
	}
	snprintf(path, sizeof(path), "%s/pid", U.dir);
	char *p = th_read_file(path, NULL);
	if (p)
		g_pid = atoi(p);
	free(p);
	return g_port > 0 ? 0 : -1;
}

static int teardown(void **st)
{
	if (g_pid > 0)
		kill(g_pid, SIGTERM);
	return u1804_teardown(&U);
}

static const struct srv_route *route(const char *method, const char *pattern)
{
	for (size_t i = 0; i < srv_v1_nroutes; i++)
		if (!strcmp(srv_v1_routes[i].method, method) && !strcmp(srv_v1_routes[i].pattern, pattern))
			return &srv_v1_routes[i];
	fail_msg("no route %s %s", method, pattern);
	return NULL;
}

/* The raw request target of the next call (as libmicrohttpd leaves it
 * before decoding), NULL: none. */
static const char *g_target;
static char g_body[1 << 20];

/* Calls a handler; returns the status, *body the parsed JSON (or NULL);
 * the body's text in g_body. */
static int call(const char *method, const char *pattern, const char *param, const char *query,
		const char *body, json_t **out)
{
	srv_request rq = { .method = method, .path = pattern, .query = query ? query : "", .target = g_target,
			   .body = body, .body_len = body ? strlen(body) : 0 };
	srv_response rs = { 0 };
	rq.arena = vigil_arena_new(4096);
	if (param) {
		rq.params[0] = param;
		rq.nparams = 1;
	}
	assert_int_equal(route(method, pattern)->fn(NULL, &rq, &rs), 0);
	vigil_arena_free(rq.arena);
	const char *text = rs.blob ? rs.blob->data : rs.body;
	snprintf(g_body, sizeof(g_body), "%.*s", (int)(text ? rs.len : 0), text ? text : "");
	if (out)
		*out = text ? json_loadb(text, rs.len, 0, NULL) : NULL;
	free(rs.body);
	srv_blob_unref(rs.blob);
	g_target = NULL;
	return rs.status;
}

static int post(const char *name, const char *file, const char *parent, const char *headers)
{
	char body[2048];
	json_t *o = NULL;
	snprintf(body, sizeof(body),
		 "{\"Layer\": {\"Name\": \"%s\", \"Path\": \"http://127.0.0.1:%d/%s\", \"ParentName\": \"%s\", "
		 "\"Format\": \"Docker\"%s%s}}",
		 name, g_port, file, parent, headers ? ", \"Headers\": " : "", headers ? headers : "");
	int status = call("POST", "/v1/layers", NULL, NULL, body, &o);
	if (status == 201) {
		json_t *l = json_object_get(o, "Layer");
		assert_string_equal(json_string_value(json_object_get(l, "Name")), name);
		assert_int_equal(json_integer_value(json_object_get(l, "IndexedByVersion")), V1_INDEXED_BY_VERSION);
	} else {
		const char *msg = json_string_value(json_object_get(json_object_get(o, "Error"), "Message"));
		assert_non_null(msg);
		fprintf(stderr, "POST %s: %d %s\n", name, status, msg);
	}
	json_decref(o);
	return status;
}

static void test_flow(void **st)
{
	assert_int_equal(post("layer-a", "l1.tar", "", NULL), 201);
	assert_int_equal(post("layer-b", "l2.tar.gz", "layer-a", NULL), 201);
	assert_int_equal(post("layer-c", "auth/l3.tar", "layer-b", "{\"Authorization\": \"Bearer t0k\"}"), 201);
	/* posting again is a no-op answered 201 */
	assert_int_equal(post("layer-c", "auth/l3.tar", "layer-b", "{\"Authorization\": \"Bearer t0k\"}"), 201);

	/* ?vulnerabilities alone gives features with their vulnerabilities */
	json_t *o = NULL;
	assert_int_equal(call("GET", "/v1/layers/{}", "layer-c", "vulnerabilities", NULL, &o), 200);
	json_t *l = json_object_get(o, "Layer");
	assert_string_equal(json_string_value(json_object_get(l, "Name")), "layer-c");
	assert_string_equal(json_string_value(json_object_get(l, "ParentName")), "layer-b");
	assert_string_equal(json_string_value(json_object_get(l, "NamespaceName")), "ubuntu:18.04");
	json_t *feats = json_object_get(l, "Features");
	assert_int_equal(json_array_size(feats), U.ir->package_count);
	size_t nv = 0, i;
	json_t *f;
	json_array_foreach(feats, i, f) {
		assert_string_equal(json_string_value(json_object_get(f, "AddedBy")), "layer-b");
		assert_string_equal(json_string_value(json_object_get(f, "VersionFormat")), "dpkg");
		assert_string_equal(json_string_value(json_object_get(f, "NamespaceName")), "ubuntu:18.04");
		assert_string_equal(json_string_value(json_object_get(f, "Name")), U.ir->packages[i].name);
		assert_string_equal(json_string_value(json_object_get(f, "Version")), U.ir->packages[i].version);
		json_t *vs = json_object_get(f, "Vulnerabilities"), *v;
		size_t j;
		json_array_foreach(vs, j, v) {
			const vigil_finding *want = &U.vr->findings[nv++];
			assert_int_equal(want->package_index, i);
			assert_string_equal(json_string_value(json_object_get(v, "Name")), want->id);
			assert_string_equal(json_string_value(json_object_get(v, "Severity")),
					    vigil_severity_name(want->severity));
			const char *sev = json_string_value(json_object_get(v, "Severity"));
			assert_true(!strcmp(sev, "Unknown") || !strcmp(sev, "Negligible") || !strcmp(sev, "Low") ||
				    !strcmp(sev, "Medium") || !strcmp(sev, "High") || !strcmp(sev, "Critical"));
			if (want->fixed)
				assert_string_equal(json_string_value(json_object_get(v, "FixedBy")), want->fixed);
		}
	}
	assert_int_equal(nv, U.vr->finding_count);
	fprintf(stderr, "v1: %zu features, %zu vulnerabilities (vigil_match: %zu)\n", json_array_size(feats), nv,
		U.vr->finding_count);
	json_decref(o);

	/* no flags: the layer alone; ?features: no vulnerabilities */
	assert_int_equal(call("GET", "/v1/layers/{}", "layer-c", "", NULL, &o), 200);
	assert_null(json_object_get(json_object_get(o, "Layer"), "Features"));
	json_decref(o);
	assert_int_equal(call("GET", "/v1/layers/{}", "layer-c", "features", NULL, &o), 200);
	feats = json_object_get(json_object_get(o, "Layer"), "Features");
	assert_int_equal(json_array_size(feats), U.ir->package_count);
	assert_null(json_object_get(json_array_get(feats, 0), "Vulnerabilities"));
	json_decref(o);
	/* the base layer alone has a namespace and no features */
	assert_int_equal(call("GET", "/v1/layers/{}", "layer-a", "features", NULL, &o), 200);
	assert_int_equal(json_array_size(json_object_get(json_object_get(o, "Layer"), "Features")), 0);
	json_decref(o);

	/* a whiteout on top removes the database */
	assert_int_equal(post("layer-d", "l4.tar", "layer-c", NULL), 201);
	assert_int_equal(call("GET", "/v1/layers/{}", "layer-d", "features&vulnerabilities", NULL, &o), 200);
	assert_int_equal(json_array_size(json_object_get(json_object_get(o, "Layer"), "Features")), 0);
	json_decref(o);

	/* namespaces and their vulnerabilities, paged */
	assert_int_equal(call("GET", "/v1/namespaces", NULL, NULL, NULL, &o), 200);
	json_t *nss = json_object_get(o, "Namespaces"), *ns;
	int found = 0;
	json_array_foreach(nss, i, ns) found |= !strcmp(json_string_value(json_object_get(ns, "Name")), "ubuntu:18.04");
	assert_true(found);
	json_decref(o);
	assert_int_equal(call("GET", "/v1/namespaces/{}/vulnerabilities", "ubuntu:18.04", "limit=2", NULL, &o), 200);
	assert_int_equal(json_array_size(json_object_get(o, "Vulnerabilities")), 2);
	const char *next = json_string_value(json_object_get(o, "NextPage"));
	assert_non_null(next);
	char q[600], first2[2][64];
	for (int k = 0; k < 2; k++)
		snprintf(first2[k], sizeof(first2[k]), "%s",
			 json_string_value(json_object_get(json_array_get(json_object_get(o, "Vulnerabilities"), k), "Name")));
	snprintf(q, sizeof(q), "limit=2&page=%s", next);
	json_decref(o);
	assert_int_equal(call("GET", "/v1/namespaces/{}/vulnerabilities", "ubuntu:18.04", q, NULL, &o), 200);
	json_t *third = json_array_get(json_object_get(o, "Vulnerabilities"), 0);
	assert_true(strcmp(json_string_value(json_object_get(third, "Name")), first2[1]) > 0);
	assert_non_null(json_object_get(third, "Severity"));
	json_decref(o);
	assert_int_equal(call("GET", "/v1/namespaces/{}/vulnerabilities", "nowhere:1", "", NULL, &o), 404);
	json_decref(o);
	assert_int_equal(call("GET", "/v1/namespaces/{}/vulnerabilities", "ubuntu:18.04", "limit=x", NULL, &o), 400);
	json_decref(o);
	assert_int_equal(call("GET", "/v1/namespaces/{}/vulnerabilities", "ubuntu:18.04", "page=zz", NULL, &o), 400);
	json_decref(o);

	/* delete removes the layer and its children */
	assert_int_equal(call("DELETE", "/v1/layers/{}", "layer-b", NULL, NULL, NULL), 200);
	assert_int_equal(call("GET", "/v1/layers/{}", "layer-d", "", NULL, &o), 404);
	json_decref(o);
	assert_int_equal(call("GET", "/v1/layers/{}", "layer-a", "", NULL, &o), 200);
	json_decref(o);
	assert_int_equal(call("DELETE", "/v1/layers/{}", "layer-b", NULL, NULL, &o), 404);
	json_decref(o);
}

static void test_bad_requests(void **st)
{
	json_t *o = NULL;
	assert_int_equal(call("POST", "/v1/layers", NULL, NULL, "{\"Layer\": ", &o), 400);
	json_decref(o);
	assert_int_equal(call("POST", "/v1/layers", NULL, NULL, "", &o), 400);
	json_decref(o);
	assert_int_equal(call("POST", "/v1/layers", NULL, NULL, "{\"Layer\": {\"Path\": \"http://x/\"}}", &o), 400);
	json_decref(o);
	assert_int_equal(call("POST", "/v1/layers", NULL, NULL, "{\"Layer\": {\"Name\": \"x\"}}", &o), 400);
	json_decref(o);
	assert_int_equal(call("POST", "/v1/layers", NULL, NULL,
			      "{\"Layer\": {\"Name\": \"x\", \"Path\": \"file:///etc/passwd\"}}", &o), 400);
	json_decref(o);
	assert_int_equal(post("x", "l1.tar", "no-such-parent", NULL), 400);
	assert_int_equal(post("x", "l1.tar", "", "{\"X\": \"a\\r\\nB: c\"}"), 400);
	assert_int_equal(post("x", "l1.tar", "", "[1]"), 400);
	/* layers that cannot be downloaded: 400 "could not find layer", as
	 * Clair 2 (imagefmt.Extract's ErrCouldNotFindLayer, a bad request) */
	assert_int_equal(post("x", "missing.tar", "", NULL), 400);
	assert_true(strstr(g_body, "could not find layer x") != NULL);
	assert_int_equal(post("x", "auth/l3.tar", "", "{\"Authorization\": \"Bearer wrong\"}"), 400);
	char body[256];
	snprintf(body, sizeof(body), "{\"Layer\": {\"Name\": \"x\", \"Path\": \"http://127.0.0.1:1/l.tar\"}}");
	assert_int_equal(call("POST", "/v1/layers", NULL, NULL, body, &o), 400);
	json_decref(o);
	/* layers fetched that are not a readable tar: 422, as Clair 2
	 * (tarutil.ErrCouldNotExtract) */
	assert_int_equal(post("x", "bad.gz", "", NULL), 422);
	assert_int_equal(post("x", "junk", "", NULL), 422);
	snprintf(body, sizeof(body), "{\"Layer\": {\"Name\": \"x\", \"Path\": \"http://127.0.0.1:%d/l1.tar\", \"Format\": \"ACI\"}}", g_port);
	assert_int_equal(call("POST", "/v1/layers", NULL, NULL, body, &o), 422);
	json_decref(o);
	/* nothing was recorded for x */
	assert_int_equal(call("GET", "/v1/layers/{}", "x", "", NULL, &o), 404);
	assert_non_null(json_object_get(json_object_get(o, "Error"), "Message"));
	json_decref(o);
	/* health */
	srv_response rs = { 0 };
	srv_request rq = { .method = "GET", .path = "/health", .query = "" };
	assert_int_equal(srv_v1_health(NULL, &rq, &rs), 0);
	assert_int_equal(rs.status, 200);
	assert_int_equal(rs.len, 0);
	/* no store to ask: 500, as Clair 2's healthHandler when the ping fails (was 503) */
	vigil_store *keep = g_store;
	g_store = NULL;
	assert_int_equal(srv_v1_health(NULL, &rq, &rs), 0);
	assert_int_equal(rs.status, 500);
	g_store = keep;
}

static size_t features(const char *name)
{
	json_t *o = NULL;
	assert_int_equal(call("GET", "/v1/layers/{}", name, "features", NULL, &o), 200);
	size_t n = json_array_size(json_object_get(json_object_get(o, "Layer"), "Features"));
	json_decref(o);
	return n;
}

/* Defect: a second POST of a known name with another Path answered 201
 * without fetching, and GET showed the first poster's content. */
static void test_repost_other_path(void **st)
{
	assert_int_equal(post("fp-base", "l1.tar", "", NULL), 201);
	assert_int_equal(post("fp-top", "l3.tar", "fp-base", NULL), 201); /* the first poster: no packages */
	assert_int_equal(features("fp-top"), 0);
	uint64_t before = g_fetched;
	assert_int_equal(post("fp-top", "l2.tar.gz", "fp-base", NULL), 201); /* another Path: its own bytes */
	assert_int_equal(g_fetched, before + 1);
	assert_int_equal(features("fp-top"), U.ir->package_count);
	/* the same Path again: nothing fetched (Clair 2's clients post every layer before each GET) */
	assert_int_equal(post("fp-top", "l2.tar.gz", "fp-base", NULL), 201);
	assert_int_equal(g_fetched, before + 1);
	/* the first Path again: fetched again, its content shown */
	assert_int_equal(post("fp-top", "l3.tar", "fp-base", NULL), 201);
	assert_int_equal(g_fetched, before + 2);
	assert_int_equal(features("fp-top"), 0);
}

/* Defect: a Path's userinfo and presigned query were repeated in the
 * answer and the log. */
static void test_secrets_redacted(void **st)
{
	char body[1024];
	json_t *o = NULL;
	g_log[0] = 0;
	snprintf(body, sizeof(body),
		 "{\"Layer\": {\"Name\": \"sec\", \"Path\": "
		 "\"http://alice:S3CRETPW@127.0.0.1:%d/missing.tar?X-Amz-Signature=SIGSECRET&X-Amz-Credential=CREDSECRET\"}}",
		 g_port);
	assert_int_equal(call("POST", "/v1/layers", NULL, NULL, body, &o), 400);
	json_decref(o);
	fprintf(stderr, "400: %s\nlog: %s\n", g_body, g_log);
	assert_null(strstr(g_body, "S3CRETPW"));
	assert_null(strstr(g_body, "SIGSECRET"));
	assert_null(strstr(g_body, "CREDSECRET"));
	assert_null(strstr(g_log, "S3CRETPW"));
	assert_null(strstr(g_log, "SIGSECRET"));
	/* an unreachable one */
	assert_int_equal(call("POST", "/v1/layers", NULL, NULL,
			      "{\"Layer\": {\"Name\": \"sec\", \"Path\": \"http://bob:S3CRETPW@127.0.0.1:1/l.tar?sig=SIGSECRET\"}}",
			      &o), 400);
	json_decref(o);
	assert_null(strstr(g_body, "S3CRETPW"));
	assert_null(strstr(g_body, "SIGSECRET"));
	/* a body that is not JSON, cut right after the Path */
	assert_int_equal(call("POST", "/v1/layers", NULL, NULL,
			      "{\"Layer\": {\"Name\": \"sec\", \"Path\": \"http://carol:S3CRETPW@h/x?sig=SIGSECRET\" \"x\"}}",
			      &o), 400);
	json_decref(o);
	assert_null(strstr(g_body, "S3CRETPW"));
	assert_null(strstr(g_body, "SIGSECRET"));
	/* the 201 does not repeat them either (nor a header's value) */
	snprintf(body, sizeof(body),
		 "{\"Layer\": {\"Name\": \"sec2\", \"Path\": \"http://dave:S3CRETPW@127.0.0.1:%d/auth/l1.tar?sig=SIGSECRET\", "
		 "\"Headers\": {\"Authorization\": \"Bearer t0k\"}}}",
		 g_port);
	assert_int_equal(call("POST", "/v1/layers", NULL, NULL, body, &o), 201);
	json_decref(o);
	assert_null(strstr(g_body, "S3CRETPW"));
	assert_null(strstr(g_body, "SIGSECRET"));
	assert_null(strstr(g_body, "t0k"));
}

/* Defect: A on B after B on A was stored, and GET then answered 500. */
static void test_cycle_refused(void **st)
{
	json_t *o = NULL;
	char parent[V1_MAX_NAME + 1], digest[160];
	assert_int_equal(post("cy-a", "l1.tar", "", NULL), 201);
	assert_int_equal(post("cy-b", "l3.tar", "cy-a", NULL), 201);
	assert_int_equal(post("cy-a", "l1.tar", "cy-b", NULL), 400);
	assert_int_equal(post("cy-a", "l1.tar", "cy-a", NULL), 400);
	assert_int_equal(call("GET", "/v1/layers/{}", "cy-b", "features", NULL, &o), 200);
	json_decref(o);
	assert_int_equal(call("GET", "/v1/layers/{}", "cy-a", "features", NULL, &o), 200);
	assert_string_equal(json_string_value(json_object_get(json_object_get(o, "Layer"), "Name")), "cy-a");
	assert_null(json_object_get(json_object_get(o, "Layer"), "ParentName"));
	json_decref(o);
	/* the store refuses it too (one statement), whoever calls it */
	assert_int_equal(vigil_store_v1_layer_get(g_store, "cy-b", parent, sizeof(parent), digest, sizeof(digest), NULL, 0), 0);
	assert_int_equal(vigil_store_v1_layer_put(g_store, "cy-a", "cy-b", digest, "sha256:x"), VIGIL_EINVAL);
	assert_int_equal(vigil_store_v1_layer_put(g_store, "cy-a", "cy-a", digest, "sha256:x"), VIGIL_EINVAL);
	assert_int_equal(vigil_store_v1_layer_get(g_store, "cy-a", parent, sizeof(parent), digest, sizeof(digest), NULL, 0), 0);
	assert_string_equal(parent, "");
}

/* Defect: DELETE /v1/layers/NAME%00junk deleted NAME (libmicrohttpd
 * decodes the path: the handler saw "NAME"). */
static void test_control_in_names(void **st)
{
	json_t *o = NULL;
	assert_int_equal(post("nul-a", "l1.tar", "", NULL), 201);
	g_target = "/v1/layers/nul-a%00junk";
	assert_int_equal(call("DELETE", "/v1/layers/{}", "nul-a", NULL, NULL, &o), 400);
	json_decref(o);
	g_target = "/v1/layers/nul-a%00junk?features";
	assert_int_equal(call("GET", "/v1/layers/{}", "nul-a", "features", NULL, &o), 400);
	json_decref(o);
	g_target = "/v1/namespaces/ubuntu:18.04%0a/vulnerabilities";
	assert_int_equal(call("GET", "/v1/namespaces/{}/vulnerabilities", "ubuntu:18.04", NULL, NULL, &o), 400);
	json_decref(o);
	assert_int_equal(call("GET", "/v1/layers/{}", "nul\x01a", "", NULL, &o), 400);
	json_decref(o);
	assert_int_equal(call("GET", "/v1/layers/{}", "nul-a", "", NULL, &o), 200); /* still there */
	json_decref(o);
	/* in a body: a NUL escaped in JSON, a control character */
	assert_int_equal(post("nul-a\\u0000junk", "l1.tar", "", NULL), 400);
	assert_int_equal(post("nul-\\u0007b", "l1.tar", "", NULL), 400);
	assert_int_equal(post("nul-c", "l1.tar", "nul-a\\u0000x", NULL), 400);
	g_target = "/v1/layers/nul-a";
	assert_int_equal(call("DELETE", "/v1/layers/{}", "nul-a", NULL, NULL, NULL), 200);
}

/* The rendered answer is kept, and a write shows at once. */
static void test_answer_cache(void **st)
{
	json_t *o = NULL;
	char first[4096];
	assert_int_equal(post("ca-base", "l1.tar", "", NULL), 201);
	assert_int_equal(post("ca-top", "l2.tar.gz", "ca-base", NULL), 201);
	assert_int_equal(call("GET", "/v1/layers/{}", "ca-top", "features&vulnerabilities", NULL, &o), 200);
	json_decref(o);
	snprintf(first, sizeof(first), "%.4000s", g_body);
	assert_int_equal(call("GET", "/v1/layers/{}", "ca-top", "features&vulnerabilities", NULL, &o), 200);
	json_decref(o);
	assert_memory_equal(first, g_body, strlen(first));
	assert_int_equal(features("ca-top"), U.ir->package_count);
	/* a whiteout on top, then the top deleted: 404 at once */
	assert_int_equal(post("ca-wh", "l4.tar", "ca-top", NULL), 201);
	assert_int_equal(features("ca-wh"), 0);
	assert_int_equal(call("DELETE", "/v1/layers/{}", "ca-top", NULL, NULL, NULL), 200);
	assert_int_equal(call("GET", "/v1/layers/{}", "ca-wh", "features", NULL, &o), 404);
	json_decref(o);
	assert_int_equal(call("GET", "/v1/layers/{}", "ca-top", "features&vulnerabilities", NULL, &o), 404);
	json_decref(o);
}

/* Clair 0.x's flavour, as contrib/analyze-local-images sends it: the
 * top-level {ID, Path, ParentID, ImageFormat} was refused 400 ("no Layer
 * object") and GET /v1/layers/{id}/vulnerabilities was 404. */
static void test_clair0_flavour(void **st)
{
	char body[512];
	json_t *o = NULL, *v;
	size_t i, want = 0;
	const char *files[] = { "l1.tar", "l2.tar.gz" }, *ids[] = { "c0-a", "c0-b" };
	for (int k = 0; k < 2; k++) {
		snprintf(body, sizeof(body),
			 "{\"ID\":\"%s\",\"Path\":\"http://127.0.0.1:%d/%s\",\"ParentID\":\"%s\",\"ImageFormat\":\"Docker\"}",
			 ids[k], g_port, files[k], k ? ids[k - 1] : "");
		assert_int_equal(call("POST", "/v1/layers", NULL, NULL, body, &o), 201);
		assert_string_equal(json_string_value(json_object_get(o, "Version")), "1");
		json_decref(o);
	}
	/* every vulnerability once, at or above the minimum priority */
	assert_int_equal(call("GET", "/v1/layers/{}/vulnerabilities", "c0-b", "minimumPriority=Negligible", NULL, &o), 200);
	json_t *vs = json_object_get(o, "Vulnerabilities");
	for (size_t k = 0; k < U.vr->finding_count; k++) {
		size_t j = 0;
		while (j < k && strcmp(U.vr->findings[j].id, U.vr->findings[k].id))
			j++;
		want += j == k && U.vr->findings[k].severity >= VIGIL_SEV_NEGLIGIBLE;
	}
	assert_true(want > 0);
	assert_int_equal(json_array_size(vs), want);
	json_array_foreach(vs, i, v) {
		assert_non_null(json_string_value(json_object_get(v, "ID")));
		assert_non_null(json_string_value(json_object_get(v, "Link")));
		assert_true(strcmp(json_string_value(json_object_get(v, "Priority")), "Unknown"));
		assert_non_null(json_string_value(json_object_get(v, "CausedByPackage")));
	}
	json_decref(o);
	/* the default is High, as Clair 0.x: fewer */
	assert_int_equal(call("GET", "/v1/layers/{}/vulnerabilities", "c0-b", "", NULL, &o), 200);
	assert_true(json_array_size(json_object_get(o, "Vulnerabilities")) < want);
	json_array_foreach(json_object_get(o, "Vulnerabilities"), i, v) {
		const char *p = json_string_value(json_object_get(v, "Priority"));
		assert_true(!strcmp(p, "High") || !strcmp(p, "Critical"));
	}
	json_decref(o);
	assert_int_equal(call("GET", "/v1/layers/{}/vulnerabilities", "c0-b", "minimumPriority=Bad", NULL, &o), 400);
	assert_string_equal(json_string_value(json_object_get(o, "Message")), "invalid priority");
	json_decref(o);
	assert_int_equal(call("GET", "/v1/layers/{}/packages", "c0-b", NULL, NULL, &o), 200);
	assert_int_equal(json_array_size(json_object_get(o, "Packages")), U.ir->package_count);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(o, "Packages"), 0), "OS")),
			    "ubuntu:18.04");
	json_decref(o);
	assert_int_equal(call("GET", "/v1/layers/{}/os", "c0-b", NULL, NULL, &o), 200);
	assert_string_equal(json_string_value(json_object_get(o, "OS")), "ubuntu:18.04");
	json_decref(o);
	assert_int_equal(call("GET", "/v1/layers/{}/parent", "c0-b", NULL, NULL, &o), 200);
	assert_string_equal(json_string_value(json_object_get(o, "ID")), "c0-a");
	json_decref(o);
	/* errors in Clair 0.x's shape */
	assert_int_equal(call("GET", "/v1/layers/{}/vulnerabilities", "c0-none", NULL, NULL, &o), 404);
	assert_non_null(json_string_value(json_object_get(o, "Message")));
	json_decref(o);
	snprintf(body, sizeof(body), "{\"ID\":\"c0-c\",\"Path\":\"http://127.0.0.1:%d/l1.tar\",\"ParentID\":\"c0-none\"}",
		 g_port);
	assert_int_equal(call("POST", "/v1/layers", NULL, NULL, body, &o), 400);
	assert_non_null(json_string_value(json_object_get(o, "Message")));
	assert_null(json_object_get(o, "Error"));
	json_decref(o);
	/* an image format Clair 2 did not know: 400, as Clair 2; ACI (Clair 2 read it): 422 */
	snprintf(body, sizeof(body), "{\"Layer\": {\"Name\": \"x\", \"Path\": \"http://127.0.0.1:%d/l1.tar\", \"Format\": \"Qcow\"}}",
		 g_port);
	assert_int_equal(call("POST", "/v1/layers", NULL, NULL, body, &o), 400);
	assert_non_null(strstr(g_body, "unsupported image format"));
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flow),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_repost_other_path),
		cmocka_unit_test(test_secrets_redacted),
		cmocka_unit_test(test_cycle_refused),
		cmocka_unit_test(test_control_in_names),
		cmocka_unit_test(test_answer_cache),
		cmocka_unit_test(test_clair0_flavour),
	};
	th_testdata_or_skip();
	return cmocka_run_group_tests(tests, setup, teardown);
}
