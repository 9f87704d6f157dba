/* server/harbor.c: Harbor's pluggable scanner API v1.2 (the spec's
 * scanner-adapter-openapi-v1.2.yaml, and Harbor's client in
 * src/pkg/scan/rest/v1 where they differ), on its own listener
 * (harbor.listen, --harbor-listen):
 *
 *   GET  /api/v1/metadata                 the scanner, its capabilities, its database's age
 *   POST /api/v1/scan                     a ScanRequest: checked, queued, 202 {"id"}
 *   GET  /api/v1/scan/{id}/report         302 + Refresh-After while it runs, then the
 *                                         report in the media type Accept names
 *
 * Request → parse → answer: the body is checked here (400 for JSON that
 * does not parse or a member of the wrong type, 422 for a missing or
 * invalid field, as the spec and the Trivy adapter do), the scan itself
 * runs in harbor_jobs.c and the reports are rendered by harbor_report.c.
 * Every error is the spec's ErrorResponse {"error": {"message"}} with
 * its media type, messages redacted. When harbor.token is set, a request
 * must carry it ("Authorization: Bearer TOKEN", or Harbor's
 * "X-ScannerAdapter-API-Key: TOKEN"), compared in constant time; else 401.
 *
 * An Accept the adapter does not produce is 400 (the spec's 501 reads as a
 * server error to a client that retries, and Trivy's 415 is not in the
 * spec); no Accept, or a wildcard, is Harbor's native report. */
#include "server/harbor.h"
#include "server/srv_priv.h"
#include "util/base64.h"
#include "util/error.h"
#include "util/json.h"
#include "util/redact.h"
#include "vigil/db.h"
#include "vigil/digest.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SRV_HARBOR_MAX_CAPS   16  /* enabled_capabilities items */
#define SRV_HARBOR_MAX_ACCEPT 1024 /* the Accept header looked at */

/* ---- answers ---- */

static void error_to(srv_response *rs, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void error_to(srv_response *rs, int status, const char *fmt, ...)
{
	char msg[1024], red[VIGIL_REDACT_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_t *o = json_pack("{s:{s:s}}", "error", "message", vigil_redact_text(msg, red, sizeof(red)));
	char *txt = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	rs->status = status;
	if (txt) {
		srv_json_text(rs, status, txt, strlen(txt));
		rs->content_type = HARBOR_MT_ERROR;
	}
}

static void json_to(srv_response *rs, int status, json_t *o, const char *type)
{
	char *txt = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!txt) {
		error_to(rs, 500, "out of memory");
		return;
	}
	srv_json_text(rs, status, txt, strlen(txt));
	rs->content_type = type;
}

/* ---- authentication ---- */

static bool same_secret(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = (unsigned char)(la != lb);
	for (size_t i = 0; i < la; i++)
		d |= (unsigned char)(a[i] ^ b[i % (lb ? lb : 1)]);
	return d == 0;
}

static bool authorized(vigil_srv *s, const srv_request *rq)
{
	const char *tok = s->conf.harbor_token;
	if (!tok[0])
		return true;
	const char *a = srv_request_header(rq, "Authorization");
	const char *k = srv_request_header(rq, "X-ScannerAdapter-API-Key");
	if (a && !strncasecmp(a, "Bearer ", 7) && same_secret(a + 7, tok))
		return true;
	return k && same_secret(k, tok);
}

/* ---- GET /api/v1/metadata ---- */

static void metadata(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	vigil_db_feed_status *st = NULL;
	size_t n = 0;
	int64_t newest = 0;
	const char *accept = srv_request_header(rq, "Accept");
	if (vigil_db_status(srv_store(s), &st, &n) < 0) {
		error_to(rs, 500, "the vulnerability database: %s", vigil_error_message());
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (st[i].has_data && st[i].last.created > newest)
			newest = st[i].last.created;
	free(st);
	json_t *props = json_pack("{s:s}", "harbor.scanner-adapter/scanner-type", "os-package-vulnerability");
	if (newest > 0) {
		char ts[32];
		srv_harbor_time(newest, ts);
		json_object_set_new(props, "harbor.scanner-adapter/vulnerability-database-updated-at", json_string(ts));
	}
	json_t *o = json_pack("{s:{s:s, s:s, s:s}, s:[{s:s, s:[s, s], s:[s, s]}, {s:s, s:[s, s], s:[s], s:{s:[s, s]}}], s:o}",
			      "scanner", "name", "vigil", "vendor", "vigil", "version", vigil_version(),
			      "capabilities", "type", "vulnerability", "consumes_mime_types", HARBOR_MT_OCI, HARBOR_MT_DOCKER,
			      "produces_mime_types", HARBOR_MT_VULN11, HARBOR_MT_VULN10, "type", "sbom",
			      "consumes_mime_types", HARBOR_MT_OCI, HARBOR_MT_DOCKER, "produces_mime_types", HARBOR_MT_SBOM,
			      "additional_attributes", "sbom_media_types", HARBOR_MT_SPDX, HARBOR_MT_CDX, "properties", props);
	/* the version asked for (Harbor asks 1.0; the spec has 1.1 too) */
	json_to(rs, 200, o, accept && strstr(accept, "metadata+json") && strstr(accept, "version=1.1") ? HARBOR_MT_META11
											       : HARBOR_MT_META10);
}

/* ---- POST /api/v1/scan ---- */

/* A member: 0 absent, 1 present with type t, -1 of another type (null
 * too: the schema has one nullable member, parameters, read apart). */
static int member(json_t *o, const char *key, json_type t, json_t **out)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v)
		return 0;
	if (json_typeof(v) != t && !(t == JSON_TRUE && json_is_boolean(v)))
		return -1;
	*out = v;
	return 1;
}

static bool visible(const char *s)
{
	for (; *s; s++)
		if (*s <= 0x20 || *s > 0x7e)
			return false;
	return true;
}

/* "base64(user:password)", as the registry client will decode it. */
static bool basic_ok(const char *b64)
{
	unsigned char dec[SRV_HARBOR_MAX_AUTH];
	size_t n = 0;
	bool ok = vigil_base64_decode(b64, strlen(b64), VIGIL_BASE64_NOPAD, dec, sizeof(dec), &n) == 0 &&
		  n > 1 && dec[0] != ':' && memchr(dec, ':', n) && !memchr(dec, '\0', n);
	memset(dec, 0, n);
	return ok;
}

/* registry.url: http(s)://HOST[:PORT][/], nothing else. */
static bool url_ok(const char *u, srv_harbor_scan *sc)
{
	size_t skip = !strncasecmp(u, "https://", 8) ? 8 : !strncasecmp(u, "http://", 7) ? 7 : 0;
	if (!skip || strlen(u) > SRV_HARBOR_MAX_URL)
		return false;
	const char *h = u + skip;
	size_t hl = strcspn(h, "/");
	if (!hl || hl >= sizeof(sc->host) || (h[hl] && strcmp(h + hl, "/")))
		return false;
	for (size_t i = 0; i < hl; i++)
		if (!((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= 'A' && h[i] <= 'Z') || (h[i] >= '0' && h[i] <= '9') ||
		      strchr(".-:[]", h[i])))
			return false;
	memcpy(sc->host, h, hl);
	sc->host[hl] = '\0';
	sc->insecure = skip == 7;
	return true;
}

/* A repository as the distribution spec names it: lowercase components
 * of [a-z0-9] joined by '.', '_', '-' runs, separated by '/'. */
static bool repo_ok(const char *r)
{
	size_t n = strlen(r);
	if (!n || n > SRV_HARBOR_MAX_REPO || r[0] == '/' || r[n - 1] == '/' || strstr(r, "//") || strstr(r, ".."))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((r[i] >= 'a' && r[i] <= 'z') || (r[i] >= '0' && r[i] <= '9') || strchr("._-/", r[i])))
			return false;
	return true;
}

static bool tag_ok(const char *t)
{
	if (strlen(t) > SRV_HARBOR_MAX_TAG)
		return false;
	for (; *t; t++)
		if (!((*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z') || (*t >= '0' && *t <= '9') || strchr("._-", *t)))
			return false;
	return true;
}

/* One enabled capability into *outputs; 0, or the status with why. */
static int capability(json_t *c, size_t i, unsigned *outputs, char *why, size_t n)
{
	json_t *type, *mts, *params, *sbts = NULL;
	int k;
	if (!json_is_object(c))
		return snprintf(why, n, "enabled_capabilities[%zu]: not an object", i), 400;
	if ((k = member(c, "type", JSON_STRING, &type)) <= 0)
		return snprintf(why, n, "enabled_capabilities[%zu].type: %s", i, k ? "not a string" : "missing"),
		       k ? 400 : 422;
	bool vuln = !strcmp(json_string_value(type), "vulnerability"), sbom = !strcmp(json_string_value(type), "sbom");
	if (!vuln && !sbom)
		return snprintf(why, n, "enabled_capabilities[%zu].type: not vulnerability or sbom", i), 422;
	if ((k = member(c, "produces_mime_types", JSON_ARRAY, &mts)) < 0)
		return snprintf(why, n, "enabled_capabilities[%zu].produces_mime_types: not an array", i), 400;
	for (size_t j = 0; mts && j < json_array_size(mts); j++) {
		const char *m = json_string_value(json_array_get(mts, j));
		if (!m)
			return snprintf(why, n, "enabled_capabilities[%zu].produces_mime_types[%zu]: not a string", i, j), 400;
		if (vuln ? strcmp(m, HARBOR_MT_VULN11) && strcmp(m, HARBOR_MT_VULN10) : strcmp(m, HARBOR_MT_SBOM))
			return snprintf(why, n, "enabled_capabilities[%zu].produces_mime_types[%zu]: not produced by vigil", i, j),
			       422;
	}
	if (vuln) {
		*outputs |= HARBOR_OUT_VULN;
		return 0;
	}
	if (json_is_null(json_object_get(c, "parameters")))
		params = NULL;
	else if ((k = member(c, "parameters", JSON_OBJECT, &params)) < 0 ||
	    (params && (k = member(params, "sbom_media_types", JSON_ARRAY, &sbts)) < 0))
		return snprintf(why, n, "enabled_capabilities[%zu].parameters: not an object with an array sbom_media_types", i),
		       400;
	if (!params || !sbts || !json_array_size(sbts)) {
		*outputs |= HARBOR_OUT_SPDX; /* what Harbor asks for */
		return 0;
	}
	for (size_t j = 0; j < json_array_size(sbts); j++) {
		const char *m = json_string_value(json_array_get(sbts, j));
		if (!m)
			return snprintf(why, n, "enabled_capabilities[%zu].parameters.sbom_media_types[%zu]: not a string", i, j),
			       400;
		if (!strcmp(m, HARBOR_MT_SPDX))
			*outputs |= HARBOR_OUT_SPDX;
		else if (!strcmp(m, HARBOR_MT_CDX))
			*outputs |= HARBOR_OUT_CDX;
		else
			return snprintf(why, n, "enabled_capabilities[%zu].parameters.sbom_media_types[%zu]: not %s or %s", i,
					j, HARBOR_MT_SPDX, HARBOR_MT_CDX), 422;
	}
	return 0;
}

/* A string member into out[n] after check; 0, or the status with why. */
static int field(json_t *o, const char *path, const char *key, bool required, bool (*check)(const char *), char *out,
		 size_t n, char *why, size_t wn)
{
	json_t *v;
	int k = member(o, key, JSON_STRING, &v);
	if (k < 0)
		return snprintf(why, wn, "%s.%s: not a string", path, key), 400;
	if (!k || !json_string_length(v)) {
		if (required)
			return snprintf(why, wn, "%s.%s: missing", path, key), 422;
		return 0;
	}
	const char *s = json_string_value(v);
	if (strlen(s) != json_string_length(v) || json_string_length(v) >= n || (check && !check(s)))
		return snprintf(why, wn, "%s.%s: not valid", path, key), 422;
	memcpy(out, s, json_string_length(v) + 1);
	return 0;
}

static bool mime_ok(const char *m) { return !strcmp(m, HARBOR_MT_OCI) || !strcmp(m, HARBOR_MT_DOCKER); }
static bool digest_ok(const char *d) { return vigil_digest_check(d, "artifact.digest") == 0; }

int srv_harbor_parse_scan(const char *body, size_t len, srv_harbor_scan *sc, char *why, size_t n)
{
	json_error_t je;
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je), *reg, *art, *caps, *au;
	char url[SRV_HARBOR_MAX_URL + 1] = "", jw[JSON_ERROR_TEXT_LENGTH];
	int st = 0, k;
	if (!root) {
		snprintf(why, n, "the body is not JSON: line %d: %s", je.line, vigil_json_error_text(&je, jw, sizeof(jw)));
		return 400;
	}
	if (!json_is_object(root)) {
		st = (snprintf(why, n, "the body is not a ScanRequest object"), 400);
		goto out;
	}
	if ((k = member(root, "registry", JSON_OBJECT, &reg)) <= 0 || (k = member(root, "artifact", JSON_OBJECT, &art)) <= 0) {
		st = (snprintf(why, n, "registry and artifact: %s", k ? "not objects" : "missing"), k ? 400 : 422);
		goto out;
	}
	if ((st = field(reg, "registry", "url", true, NULL, url, sizeof(url), why, n)) ||
	    (st = field(art, "artifact", "repository", true, repo_ok, sc->art.repository, sizeof(sc->art.repository), why, n)) ||
	    (st = field(art, "artifact", "digest", true, digest_ok, sc->art.digest, sizeof(sc->art.digest), why, n)) ||
	    (st = field(art, "artifact", "tag", false, tag_ok, sc->art.tag, sizeof(sc->art.tag), why, n)) ||
	    (st = field(art, "artifact", "mime_type", false, mime_ok, sc->art.mime_type, sizeof(sc->art.mime_type), why, n)))
		goto out;
	if (!url_ok(url, sc)) {
		st = (snprintf(why, n, "registry.url: not http(s)://HOST[:PORT]"), 422);
		goto out;
	}
	if ((k = member(reg, "authorization", JSON_STRING, &au)) < 0) {
		st = (snprintf(why, n, "registry.authorization: not a string"), 400);
		goto out;
	}
	if (k && json_string_length(au)) {
		const char *a = json_string_value(au);
		size_t al = json_string_length(au);
		bool basic = al > 6 && !strncasecmp(a, "Basic ", 6);
		bool scheme = basic || (al > 7 && !strncasecmp(a, "Bearer ", 7));
		const char *cred = a + strcspn(a, " ") + 1;
		if (!scheme || al > SRV_HARBOR_MAX_AUTH || strlen(a) != al || !visible(cred) || (basic && !basic_ok(cred))) {
			st = (snprintf(why, n, "registry.authorization: not \"Basic CREDENTIALS\" or \"Bearer TOKEN\""), 422);
			goto out;
		}
		if (!(sc->authorization = strdup(a))) {
			st = (snprintf(why, n, "out of memory"), 500);
			goto out;
		}
	}
	if ((k = member(root, "enabled_capabilities", JSON_ARRAY, &caps)) < 0) {
		st = (snprintf(why, n, "enabled_capabilities: not an array"), 400);
		goto out;
	}
	if (caps && json_array_size(caps) > SRV_HARBOR_MAX_CAPS) {
		st = (snprintf(why, n, "enabled_capabilities: over %d items", SRV_HARBOR_MAX_CAPS), 422);
		goto out;
	}
	for (size_t i = 0; caps && i < json_array_size(caps); i++)
		if ((st = capability(json_array_get(caps, i), i, &sc->outputs, why, n)))
			goto out;
	if (!sc->outputs) /* none given: every capability, as the spec says */
		sc->outputs = HARBOR_OUT_VULN | HARBOR_OUT_SPDX | HARBOR_OUT_CDX;
out:
	json_decref(root);
	return st;
}

static void scan_post(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	srv_harbor_scan sc = { 0 };
	char why[512] = "", id[40];
	int st = srv_harbor_parse_scan(rq->body, rq->body_len, &sc, why, sizeof(why)), rc;
	if (st) {
		free(sc.authorization);
		error_to(rs, st, "%s", why);
		return;
	}
	if ((rc = srv_harbor_submit(srv_harbor_state(s), &sc, id)) < 0) {
		error_to(rs, rc == VIGIL_ELIMIT ? 503 : 500, "%s", vigil_error_message());
		if (rc == VIGIL_ELIMIT)
			rs->retry_after = SRV_HARBOR_REFRESH_S;
		return;
	}
	json_to(rs, 202, json_pack("{s:s}", "id", id), HARBOR_MT_SCANRESP);
}

/* ---- GET /api/v1/scan/{id}/report ---- */

/* "Type ; version=1.1" → "type;version=1.1": lowercase, no spaces, no q. */
static void media_norm(const char *in, size_t len, char *out, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < len && k + 1 < n; i++) {
		char ch = in[i];
		if (ch == ' ' || ch == '\t')
			continue;
		if (ch == ';' && i + 2 < len && (in[i + 1] == 'q' || in[i + 1] == 'Q') && in[i + 2] == '=')
			break;
		out[k++] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
	}
	out[k] = '\0';
	if (k && out[k - 1] == ';')
		out[k - 1] = '\0';
}

/* The media type Accept asks for, of ours: the first listed; NULL: none. */
static const char *pick_media(const char *accept)
{
	static const char *const ours[] = { HARBOR_MT_VULN11, HARBOR_MT_VULN10, HARBOR_MT_SBOM };
	char want[256], have[256];
	if (!accept || !*accept)
		return HARBOR_MT_VULN10;
	size_t len = strnlen(accept, SRV_HARBOR_MAX_ACCEPT);
	for (size_t i = 0; i < len;) {
		size_t e = i;
		while (e < len && accept[e] != ',')
			e++;
		media_norm(accept + i, e - i, want, sizeof(want));
		if (!strcmp(want, "*/*") || !strcmp(want, "application/*"))
			return HARBOR_MT_VULN10;
		for (size_t k = 0; k < sizeof(ours) / sizeof(ours[0]); k++) {
			media_norm(ours[k], strlen(ours[k]), have, sizeof(have));
			if (!strcmp(want, have))
				return ours[k];
		}
		i = e + 1;
	}
	return NULL;
}

static void report_get(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	const char *id = rq->params[0], *accept = srv_request_header(rq, "Accept"), *mt = pick_media(accept), *q = NULL;
	unsigned output = HARBOR_OUT_VULN, outputs = 0;
	srv_blob *b = NULL;
	char err[512] = "";
	int state = 0;
	if (!mt) {
		error_to(rs, 400, "Accept: vigil produces %s, %s and %s", HARBOR_MT_VULN11, HARBOR_MT_VULN10, HARBOR_MT_SBOM);
		return;
	}
	if (!strcmp(mt, HARBOR_MT_SBOM)) {
		if (srv_query_param(rq, "sbom_media_type", &q) != 1 || (strcmp(q, HARBOR_MT_SPDX) && strcmp(q, HARBOR_MT_CDX))) {
			error_to(rs, 400, "sbom_media_type: %s or %s expected", HARBOR_MT_SPDX, HARBOR_MT_CDX);
			return;
		}
		output = !strcmp(q, HARBOR_MT_SPDX) ? HARBOR_OUT_SPDX : HARBOR_OUT_CDX;
	}
	if (srv_harbor_result(srv_harbor_state(s), id, output, &state, &outputs, &b, err, sizeof(err)) < 0) {
		error_to(rs, 404, "scan %.64s: unknown (or its report was dropped)", id);
		return;
	}
	if (state == HARBOR_JOB_WAITING || state == HARBOR_JOB_RUNNING) {
		rs->status = 302;
		rs->refresh_after = SRV_HARBOR_REFRESH_S;
		return;
	}
	if (state == HARBOR_JOB_FAILED) {
		error_to(rs, 500, "scan %s failed: %s", id, err);
		return;
	}
	if (!b) {
		error_to(rs, 400, "scan %s: %s was not enabled in its request", id, q ? q : mt);
		return;
	}
	srv_json_blob(rs, 200, b);
	rs->content_type = mt;
}

/* ---- the listener's requests ---- */

void srv_harbor_dispatch(vigil_srv *s, const srv_request *rq, int early, srv_response *rs)
{
	static const struct {
		const char *method, *pattern;
		void (*fn)(vigil_srv *, const srv_request *, srv_response *);
	} routes[] = {
		{ "GET", "/api/v1/metadata", metadata },
		{ "POST", "/api/v1/scan", scan_post },
		{ "GET", "/api/v1/scan/{}/report", report_get },
	};
	srv_request r = *rq;
	const char *other = NULL;
	if (early == 413) {
		error_to(rs, 413, "the request body is over %zu bytes", SRV_MAX_BODY);
		return;
	}
	if (early) {
		error_to(rs, early, "the request headers are over the limits");
		return;
	}
	if (!authorized(s, rq)) {
		error_to(rs, 401, "unauthorized: the token set in harbor.token is needed (Authorization: Bearer TOKEN)");
		return;
	}
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		r.nparams = 0;
		if (!srv_route_match(r.arena, routes[i].pattern, r.path, r.params, &r.nparams))
			continue;
		if (strcmp(r.method, routes[i].method)) {
			other = routes[i].method;
			continue;
		}
		routes[i].fn(s, &r, rs);
		return;
	}
	error_to(rs, other ? 405 : 404, other ? "method not allowed" : "no such endpoint of Harbor's scanner API");
	snprintf(rs->allow, sizeof(rs->allow), "%s", other); /* each path has one method */
}
