/* report/flat.c: the flat JSON report, one object per finding, for scripts
 * (jq, a spreadsheet) that want no ids to join:
 *
 *   { "image": "alpine:3.10", "namespace": "alpine:3.10",
 *     "manifest": "sha256:...", "distribution": "Alpine Linux v3.10",
 *     "findings": [ { "id", "aliases", "package", "version", "type", "purl",
 *         "fixed", "state", "severity", "cvss", "cvss_vector", "layer",
 *         "package_db", "links", "title", "feed" } ],
 *     "suppressed": [ { ...the same, "status", "justification", "by" } ],
 *     "warnings": [ "..." ] }
 *
 * Every member is always there (null when unknown), so a script never
 * tests for a key; docs/scan.md describes each. Findings keep the report's
 * order (package, severity highest first, id); suppressed ones the filter's. */
#include "report/ci_util.h"
#include "report/report_priv.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

/* The members a finding and a suppression share. */
static json_t *finding_obj(const vigil_vuln_report *r, const vigil_finding *f, vigil_buf *tmp, bool *ok)
{
	const vigil_package *p = report_ci_package(r, f);
	json_t *o = json_object();
	char *purl = NULL;
	if (!o || report_ci_purl(p, r->index ? r->index->distribution : NULL, &purl) < 0) {
		json_decref(o);
		*ok = false;
		return NULL;
	}
	report_ci_set(o, "id", report_jstr(f->id), ok);
	report_ci_set(o, "aliases", report_ci_str_array(f->aliases, f->naliases), ok);
	report_ci_set(o, "package", report_ci_str_or_null(p ? p->name : NULL), ok);
	report_ci_set(o, "version", report_ci_str_or_null(p ? p->version : NULL), ok);
	report_ci_set(o, "type", p ? json_string(vigil_pkg_type_name(p->type)) : json_null(), ok);
	report_ci_set(o, "purl", report_ci_str_or_null(purl), ok);
	report_ci_set(o, "fixed", report_ci_str_or_null(f->fixed), ok);
	report_ci_set(o, "state", json_string(vigil_vuln_state_name(f->state)), ok);
	report_ci_set(o, "severity", json_string(vigil_severity_name(f->severity)), ok);
	/* one decimal: 9.8, not 9.8000000000000007 (report_dump's precision) */
	report_ci_set(o, "cvss", f->cvss_score >= 0 ? json_real((double)(long long)(f->cvss_score * 10.0 + 0.5) / 10.0)
						    : json_null(), ok);
	report_ci_set(o, "cvss_vector", report_ci_str_or_null(f->cvss_score >= 0 ? f->cvss_vector : NULL), ok);
	report_ci_set(o, "layer", report_ci_str_or_null(f->introduced_in ? f->introduced_in
									 : p ? p->introduced_in : NULL), ok);
	report_ci_set(o, "package_db", report_ci_str_or_null(p ? p->package_db : NULL), ok);
	report_ci_set(o, "links", report_ci_str_array(f->links, f->nlinks), ok);
	report_ci_set(o, "title", report_jstr(report_ci_title(f, tmp)), ok);
	report_ci_set(o, "feed", report_ci_str_or_null(f->feed), ok);
	free(purl);
	return o;
}

static json_t *findings(const vigil_vuln_report *r, vigil_buf *tmp, bool *ok)
{
	json_t *a = json_array();
	for (size_t i = 0; a && *ok && i < r->finding_count; i++)
		report_ci_append(a, finding_obj(r, &r->findings[i], tmp, ok), ok);
	return a;
}

static json_t *suppressed(const vigil_vuln_report *r, vigil_buf *tmp, bool *ok)
{
	json_t *a = json_array();
	for (size_t i = 0; a && *ok && i < r->suppressed_count; i++) {
		const vigil_suppression *s = &r->suppressed[i];
		json_t *o = finding_obj(r, &s->finding, tmp, ok);
		if (!o)
			break;
		report_ci_set(o, "status", report_ci_str_or_null(s->status), ok);
		report_ci_set(o, "justification", report_ci_str_or_null(s->justification), ok);
		report_ci_set(o, "by", report_ci_str_or_null(s->by), ok);
		report_ci_append(a, o, ok);
	}
	return a;
}

int report_write_flat(const vigil_report_input *in, const vigil_report_options *o, char **out, size_t *len)
{
	const vigil_vuln_report *r = in->vulns;
	const vigil_distribution *d = in->index->distribution;
	json_t *root = json_object();
	vigil_buf tmp;
	bool ok = root != NULL;
	int rc;

	*out = NULL;
	*len = 0;
	vigil_buf_init(&tmp, REPORT_CI_MAX_TEXT);
	if (ok) {
		report_ci_set(root, "image", report_jstr(in->image), &ok);
		report_ci_set(root, "namespace", report_ci_str_or_null(r->namespace), &ok);
		report_ci_set(root, "manifest", report_ci_str_or_null(in->index->manifest_hash), &ok);
		report_ci_set(root, "distribution", report_ci_str_or_null(d ? (d->pretty_name ? d->pretty_name : d->name)
									      : NULL), &ok);
		report_ci_set(root, "findings", findings(r, &tmp, &ok), &ok);
		report_ci_set(root, "suppressed", suppressed(r, &tmp, &ok), &ok);
		report_ci_set(root, "warnings", report_ci_str_array(r->warnings, r->warning_count), &ok);
	}
	rc = ok ? report_dump(root, o->pretty, JSON_REAL_PRECISION(3), out, len) : vigil_error_oom();
	json_decref(root);
	vigil_buf_free(&tmp);
	return rc;
}
