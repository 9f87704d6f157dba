/* audit/render_scan.c: `vigil scan --scanners vuln,secret,...`: one
 * document holding both the vulnerability report and the audit report, in
 * the formats that can hold both:
 *
 *   table       the vulnerability table, then the audit table;
 *   json, flat  the vulnerability report's object (Clair's
 *               VulnerabilityReport or the flat report) with one more
 *               member, "audit": the audit report's object (docs/audit.md);
 *               a Clair client ignores members it does not know;
 *   sarif       one run: the audit rules and results after the
 *               vulnerability ones (GitHub code scanning takes one run per
 *               tool and category);
 *   html        the vulnerability page with a section of audit findings and
 *               policy verdicts;
 * the others (CycloneDX, SPDX, JUnit, GitLab, templates) have no place for
 * audit findings and are refused when audit scanners ran. */
#include "audit/audit_priv.h"

#include "util/buf.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

/* Parses the vulnerability document v (freed) and merges the audit in. */
static int merge_json(const vigil_audit_report *a, vigil_report_format f, char *v, size_t vlen,
		      const vigil_report_options *o, char **out, size_t *len)
{
	json_error_t je;
	json_t *root = json_loadb(v, vlen, 0, &je);
	int rc = 0;
	free(v);
	if (!json_is_object(root)) {
		rc = vigil_error_set(VIGIL_ERROR, "the %s report is not a JSON object", vigil_report_format_name(f));
		goto out;
	}
	if (f == VIGIL_FMT_SARIF) {
		json_t *run = json_array_get(json_object_get(root, "runs"), 0);
		json_t *rules = json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
		json_t *results = json_object_get(run, "results");
		if (!json_is_array(rules) || !json_is_array(results)) {
			rc = vigil_error_set(VIGIL_ERROR, "the SARIF report has no run to add to");
			goto out;
		}
		audit_render_sarif_into(a, rules, results);
	} else if (json_object_set_new(root, "audit", audit_render_json(a)) < 0) {
		rc = vigil_error_oom();
		goto out;
	}
	rc = audit_json_dump(json_incref(root), o, out, len);
out:
	json_decref(root);
	return rc;
}

int vigil_audit_render_scan(const vigil_audit_report *a, const vigil_report_input *in, vigil_report_format f,
			    const vigil_report_options *o, char **out, size_t *len)
{
	char *v = NULL, *t = NULL;
	size_t vlen = 0, tlen = 0;
	int rc;
	*out = NULL;
	*len = 0;
	if (!a)
		return vigil_report_render(in, f, o, out, len);
	switch (f) {
	case VIGIL_FMT_TABLE:
	case VIGIL_FMT_CLAIR:
	case VIGIL_FMT_FLAT:
	case VIGIL_FMT_SARIF:
	case VIGIL_FMT_HTML:
		break;
	default:
		return vigil_error_set(VIGIL_EINVAL,
				       "the %s format has no place for audit findings: use table, json, flat, sarif or "
				       "html with --scanners, or write %s from a vuln-only scan",
				       vigil_report_format_name(f), vigil_report_format_name(f));
	}
	if (f == VIGIL_FMT_HTML) {
		vigil_report_input with = *in;
		json_t *j = audit_render_json(a);
		char *aj = j ? json_dumps(j, JSON_COMPACT) : NULL;
		json_decref(j);
		if (!aj)
			return vigil_error_oom();
		with.audit_json = aj;
		rc = vigil_report_render(&with, f, o, out, len);
		free(aj);
		return rc;
	}
	if ((rc = vigil_report_render(in, f, o, &v, &vlen)) < 0)
		return rc;
	if (f != VIGIL_FMT_TABLE)
		return merge_json(a, f, v, vlen, o, out, len);
	vigil_buf b;
	vigil_buf_init(&b, (size_t)1 << 30);
	if ((rc = vigil_audit_render(a, VIGIL_FMT_TABLE, o, &t, &tlen)) < 0)
		goto out;
	if (vigil_buf_append(&b, v, vlen) < 0 || vigil_buf_puts(&b, "\n") < 0 || vigil_buf_append(&b, t, tlen) < 0) {
		rc = vigil_error_set(VIGIL_ENOMEM, "scan table: out of memory");
		goto out;
	}
	*out = vigil_buf_detach(&b, len);
out:
	vigil_buf_free(&b);
	free(v);
	free(t);
	return rc;
}
