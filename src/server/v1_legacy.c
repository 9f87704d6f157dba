/* server/v1_legacy.c: the oldest flavour of the v1 API, Clair 0.x's, that
 * coreos/clair's contrib/analyze-local-images (before Clair 1.0) speaks:
 * POST /v1/layers with a top-level {"ID", "Path", "ParentID",
 * "ImageFormat"} (parsed by v1_body.c, posted by v1.c like Clair 2's body)
 * answered 201 {"Version": "1"}; GET /v1/layers/{id}/vulnerabilities
 * ?minimumPriority=P (default High, as Clair 0.x) answered {"Vulnerabilities":
 * [{ID, Link, Priority, Description, CausedByPackage}]}, one entry per
 * vulnerability; GET /v1/layers/{id}/packages ({"Packages": [{Name, OS,
 * Version}]}), /os ({"OS"}) and /parent ({"ID"}). Errors are Clair 0.x's
 * {"Message": ...}: 400 a bad request, 404 "the resource cannot be found".
 * The chain, its report and the match are the library's (vigil/index.h,
 * vigil/match.h), as for Clair 2's GET; these answers are not kept. */
#include "server/server.h"
#include "server/v1.h"
#include "util/error.h"
#include "util/redact.h"
#include "vigil/match.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define V1_LEGACY_VERSION "1" /* Clair 0.x's engine Version of a posted layer */

static int answer(srv_response *rs, int status, json_t *o)
{
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!text)
		return srv_error_v1(rs, 500, "out of memory");
	free(rs->body);
	rs->body = NULL;
	return srv_json_text(rs, status, text, strlen(text));
}

static int __attribute__((format(printf, 3, 4))) legacy_error(srv_response *rs, int status, const char *fmt, ...)
{
	char msg[2048], red[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vigil_redact_text(msg, red, sizeof(red));
	return answer(rs, status, json_pack("{s:s}", "Message", red));
}

void v1_legacy_post_answer(srv_response *rs)
{
	json_t *o, *m;
	if (rs->status == 201) {
		answer(rs, 201, json_pack("{s:s}", "Version", V1_LEGACY_VERSION));
		return;
	}
	if (!rs->body || !(o = json_loadb(rs->body, rs->len, 0, NULL)))
		return;
	m = json_object_get(json_object_get(o, "Error"), "Message");
	if (json_is_string(m))
		answer(rs, rs->status, json_pack("{s:O}", "Message", m));
	json_decref(o);
}

/* Clair 0.x's priorities, lowest first (utils/types/priority.go); Defcon1
 * is above every vigil severity. */
static const char *const priorities[] = { "Unknown", "Negligible", "Low", "Medium", "High", "Critical", "Defcon1" };

static int priority_of(const char *s)
{
	for (size_t i = 0; i < sizeof(priorities) / sizeof(priorities[0]); i++)
		if (!strcmp(s, priorities[i]))
			return (int)i;
	return -1;
}

enum { L_VULNS, L_PACKAGES, L_OS, L_PARENT };

static json_t *packages(const vigil_index_report *ir, const char *ns)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < ir->package_count; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "Name", ir->packages[i].name, "OS", ns, "Version",
						     ir->packages[i].version ? ir->packages[i].version : ""));
	return json_pack("{s:o}", "Packages", arr);
}

/* One entry per vulnerability at or above min (the first package it
 * affects as CausedByPackage). */
static json_t *vulns(const vigil_index_report *ir, const vigil_vuln_report *vr, int min)
{
	json_t *arr = json_array(), *seen = json_object();
	for (size_t i = 0; i < vr->finding_count; i++) {
		const vigil_finding *f = &vr->findings[i];
		if (!f->id || (int)f->severity < min || json_object_get(seen, f->id))
			continue;
		json_object_set_new(seen, f->id, json_true());
		json_t *v = json_pack("{s:s, s:s, s:s}", "ID", f->id, "Link", f->nlinks ? f->links[0] : "", "Priority",
				      vigil_severity_name(f->severity));
		const char *d = f->description && *f->description ? f->description : f->summary;
		if (d && *d) /* omitempty, as Clair 0.x */
			json_object_set_new(v, "Description", json_string(d));
		if (f->package_index < ir->package_count)
			json_object_set_new(v, "CausedByPackage", json_string(ir->packages[f->package_index].name));
		json_array_append_new(arr, v);
	}
	json_decref(seen);
	return json_pack("{s:o}", "Vulnerabilities", arr);
}

static int legacy_get(vigil_srv *s, const srv_request *rq, srv_response *rs, int what)
{
	vigil_store *st = srv_store(s);
	const char *name = rq->nparams ? rq->params[0] : "", *mp = "High";
	vigil_chain *c = NULL;
	vigil_index_report *ir = NULL;
	vigil_vuln_report *vr = NULL;
	char ns[128] = "";
	json_t *out = NULL;
	int rc, min = 0;

	if (v1_check_params(rq, rs)) {
		v1_legacy_post_answer(rs); /* the 400 in Clair 0.x's shape */
		return 0;
	}
	const char *q = NULL;
	if (what == L_VULNS && srv_query_param(rq, "minimumPriority", &q) && q && *q)
		mp = q; /* absent or empty: High, as Clair 0.x */
	if (what == L_VULNS && (min = priority_of(mp)) < 0)
		return legacy_error(rs, 400, "invalid priority");
	if ((rc = vigil_index_chain_open(st, name, &c)) < 0)
		goto fail;
	if (what == L_PARENT) {
		out = json_pack("{s:s}", "ID", c->parent ? c->parent : "");
		goto out;
	}
	if ((rc = vigil_index_chain_report(st, c, &ir)) < 0)
		goto fail;
	if (ir->distribution && vigil_distribution_namespace(ir->distribution, ns, sizeof(ns)) < 0)
		ns[0] = 0;
	if (what == L_OS)
		out = json_pack("{s:s}", "OS", ns);
	else if (what == L_PACKAGES)
		out = packages(ir, ns);
	else {
		vigil_match_options mo;
		vigil_match_options_init(&mo);
		mo.store = st;
		mo.max_age = -1;
		if ((rc = vigil_match(ir, &mo, &vr)) < 0)
			goto fail;
		out = vulns(ir, vr, min);
	}
	goto out;
fail:
	if (rc == VIGIL_ENOTFOUND)
		legacy_error(rs, 404, "the resource cannot be found (layer %s: %s)", name, vigil_error_message());
	else
		legacy_error(rs, rc == VIGIL_EUNAVAILABLE ? 503 : 500, "%s", vigil_error_message());
out:
	if (out)
		answer(rs, 200, out);
	vigil_vuln_report_free(vr);
	vigil_index_report_free(ir);
	vigil_index_chain_free(c);
	return 0;
}

int v1_legacy_vulnerabilities(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	return legacy_get(s, rq, rs, L_VULNS);
}

int v1_legacy_packages(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	return legacy_get(s, rq, rs, L_PACKAGES);
}

int v1_legacy_os(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	return legacy_get(s, rq, rs, L_OS);
}

int v1_legacy_parent(vigil_srv *s, const srv_request *rq, srv_response *rs)
{
	return legacy_get(s, rq, rs, L_PARENT);
}
