/* report/gitlab.c: a vulnerability report as GitLab's container scanning
 * report (security-report-schemas, dist/container-scanning-report-format.json,
 * version 15.2.4 as osv-scanner writes it; Trivy's contrib/gitlab.tpl wrote
 * the same members for 14.0.6):
 *
 *   { "version": "15.2.4",
 *     "scan": { "analyzer": {id, name, version, vendor{name}, url},
 *               "scanner": {...the same}, "type": "container_scanning",
 *               "start_time", "end_time" (yyyy-mm-ddThh:mm:ss, UTC),
 *               "status": "success", "messages": [ {level "warn", value} ] },
 *     "vulnerabilities": [ { id, name, description, severity, solution,
 *         location: { dependency: { package: {name}, version },
 *                     operating_system, image },
 *         identifiers: [ {type, name, value, url} ], links: [ {url} ] } ],
 *     "remediations": [] }
 *
 * One vulnerability per finding, in the report's order. Its id is a UUID
 * (the schema recommends one) made from a SHA-256 of the image, package
 * type, name, version and file, and the vulnerability id, so the same
 * finding keeps its id from one pipeline to the next. Severities map to
 * GitLab's words (Negligible -> Info). The schema's patterns are kept by
 * construction: URLs only when they are http(s) (report_ci_is_web_url),
 * every required string non-empty ("Unknown" stands in), name <= 255 and
 * description <= 1 MiB, solution <= 7000 bytes. Suppressed findings are
 * left out: GitLab has no member for them (the flat and SARIF reports keep
 * them); data warnings go to scan.messages. */
#include "report/ci_util.h"
#include "report/report_priv.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

#define GITLAB_SCHEMA_VERSION "15.2.4"
#define GITLAB_MAX_NAME 255
#define GITLAB_MAX_DESCRIPTION (1024 * 1024)
#define GITLAB_MAX_SOLUTION 7000
#define GITLAB_MAX_IDENTIFIERS 16 /* the id and its aliases */

static const char *severity_word(vigil_severity s)
{
	static const char *const words[] = { "Unknown", "Info", "Low", "Medium", "High", "Critical" };
	return (unsigned)s <= VIGIL_SEV_CRITICAL ? words[s] : "Unknown";
}

/* The first max bytes of s (cut before a UTF-8 continuation byte, so the
 * cut leaves no half character) into b. */
static const char *cut(vigil_buf *b, const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	if (n <= max)
		return s ? s : "";
	while (n > max || (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80))
		n = n > max ? max : n - 1;
	vigil_buf_reset(b);
	if (vigil_buf_append(b, s, n) < 0)
		return "";
	return vigil_buf_cstr(b);
}

/* "CVE-2021-3711" -> "cve"; "GHSA-..." -> "ghsa": the letters before the
 * first '-', lower-cased (GitLab's identifier types are such words). */
static void id_type(const char *id, char out[16])
{
	size_t i = 0;
	for (; id && id[i] && id[i] != '-' && i < 15; i++) {
		char c = id[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
			break;
		out[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	if (!id || id[i] != '-' || i == 0)
		i = 0;
	if (i == 0)
		memcpy(out, "vigil", 6);
	else
		out[i] = '\0';
}

static json_t *identifier(const char *id, const char *url)
{
	char type[16];
	json_t *o;
	id_type(id, type);
	o = json_pack("{s:s,s:o,s:o}", "type", type, "name", report_jstr(id), "value", report_jstr(id));
	if (o && url && json_object_set_new(o, "url", report_jstr(url)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *identifiers(const vigil_finding *f, const char *id)
{
	json_t *a = json_array();
	char lbuf[REPORT_CI_LINK_MAX];
	bool ok = a != NULL;
	report_ci_append(a, identifier(id, report_ci_link(f, lbuf)), &ok);
	for (size_t i = 0; ok && f->aliases && i < f->naliases && i + 1 < GITLAB_MAX_IDENTIFIERS; i++)
		if (f->aliases[i] && *f->aliases[i] && strcmp(f->aliases[i], id) != 0)
			report_ci_append(a, identifier(f->aliases[i], NULL), &ok);
	if (!ok) {
		json_decref(a);
		return NULL;
	}
	return a;
}

static json_t *links(const vigil_finding *f)
{
	json_t *a = json_array();
	bool ok = a != NULL;
	for (size_t i = 0; ok && f->links && i < f->nlinks; i++)
		if (report_ci_is_web_url(f->links[i]))
			report_ci_append(a, json_pack("{s:o}", "url", report_jstr(f->links[i])), &ok);
	if (!ok) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* A UUID-shaped id (8-4-4-4-12 hex) from a SHA-256 of the finding's identity. */
static int vuln_uuid(const vigil_report_input *in, const vigil_finding *f, const vigil_package *p, char out[37])
{
	char h[65];
	const char *parts[] = { in->image, p ? vigil_pkg_type_name(p->type) : NULL, p ? p->name : NULL,
				p ? p->version : NULL, p ? p->package_db : NULL, f->id };
	int rc = report_ci_fingerprint(parts, sizeof(parts) / sizeof(parts[0]), h);
	if (rc < 0)
		return rc;
	memcpy(out, h, 8);
	out[8] = '-';
	memcpy(out + 9, h + 8, 4);
	out[13] = '-';
	memcpy(out + 14, h + 12, 4);
	out[18] = '-';
	memcpy(out + 19, h + 16, 4);
	out[23] = '-';
	memcpy(out + 24, h + 20, 12);
	out[36] = '\0';
	return 0;
}

/* tmp holds the title, cutb what cut() makes of it. */
static json_t *vulnerability(const vigil_report_input *in, const vigil_finding *f, const char *os, vigil_buf *tmp,
			     vigil_buf *cutb)
{
	const vigil_package *p = report_ci_package(in->vulns, f);
	const char *id = f->id && *f->id ? f->id : "UNKNOWN", *title, *pname = p && p->name && *p->name ? p->name : "?";
	json_t *o = json_object();
	char uuid[37];
	bool ok = o != NULL;
	if (!ok || vuln_uuid(in, f, p, uuid) < 0) {
		json_decref(o);
		return NULL;
	}
	title = report_ci_title(f, tmp);
	report_ci_set(o, "id", json_string(uuid), &ok);
	report_ci_set(o, "name", report_jstr(cut(cutb, *title ? title : id, GITLAB_MAX_NAME)), &ok);
	if ((f->description && *f->description) || *title)
		report_ci_set(o, "description", report_jstr(cut(cutb, f->description && *f->description ? f->description
												 : title,
								 GITLAB_MAX_DESCRIPTION)), &ok);
	report_ci_set(o, "severity", json_string(severity_word(f->severity)), &ok);
	vigil_buf_reset(tmp);
	if (f->fixed)
		vigil_buf_printf(tmp, "Upgrade %s to %s", pname, f->fixed);
	else
		vigil_buf_puts(tmp, f->state == VIGIL_STATE_WILL_NOT_FIX ? "The vendor will not fix this"
									   : "No solution provided");
	if (tmp->len > GITLAB_MAX_SOLUTION)
		vigil_buf_reset(tmp), vigil_buf_puts(tmp, "Upgrade to the fixed version");
	report_ci_set(o, "solution", report_jstr(vigil_buf_cstr(tmp)), &ok);
	report_ci_set(o, "location",
		      json_pack("{s:{s:{s:o},s:o},s:o,s:o}", "dependency", "package", "name", report_jstr(pname),
				"version", report_jstr(p && p->version ? p->version : ""), "operating_system",
				report_jstr(os), "image", report_jstr(*in->image ? in->image : "unknown")), &ok);
	report_ci_set(o, "identifiers", identifiers(f, id), &ok);
	report_ci_set(o, "links", links(f), &ok);
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *scan_obj(const vigil_report_input *in, const vigil_report_options *opt)
{
	const vigil_vuln_report *r = in->vulns;
	char t[32];
	json_t *tool, *o, *msgs = json_array();
	bool ok = msgs != NULL;
	report_ci_time(opt->now, false, t);
	for (size_t i = 0; ok && r->warnings && i < r->warning_count; i++)
		if (r->warnings[i] && *r->warnings[i])
			report_ci_append(msgs, json_pack("{s:s,s:o}", "level", "warn", "value", report_jstr(r->warnings[i])),
					 &ok);
	tool = json_pack("{s:s,s:o,s:s,s:{s:s},s:s}", "id", "vigil", "name", report_jstr(opt->tool_name), "version",
			 vigil_version(), "vendor", "name", "vigil", "url", REPORT_CI_HOME);
	o = ok && tool ? json_pack("{s:O,s:O,s:s,s:s,s:s,s:s,s:O}", "analyzer", tool, "scanner", tool, "type",
				   "container_scanning", "start_time", t, "end_time", t, "status", "success",
				   "messages", msgs)
		       : NULL;
	json_decref(tool);
	json_decref(msgs);
	return o;
}

int report_write_gitlab(const vigil_report_input *in, const vigil_report_options *opt, char **out, size_t *len)
{
	const vigil_vuln_report *r = in->vulns;
	const vigil_distribution *d = in->index->distribution;
	json_t *root = json_object(), *vulns = json_array();
	vigil_buf tmp, cutb, os;
	bool ok = root && vulns;
	int rc;

	*out = NULL;
	*len = 0;
	vigil_buf_init(&tmp, REPORT_CI_MAX_TEXT);
	vigil_buf_init(&cutb, GITLAB_MAX_DESCRIPTION + 16);
	vigil_buf_init(&os, 4096);
	/* "alpine 3.10.4": the distribution as its os-release names it */
	if (d && d->did && *d->did)
		vigil_buf_printf(&os, "%s%s%s", d->did, d->version_id ? " " : "", d->version_id ? d->version_id : "");
	else if (d && d->pretty_name && *d->pretty_name)
		vigil_buf_puts(&os, d->pretty_name);
	if (os.len == 0)
		vigil_buf_puts(&os, "Unknown");
	for (size_t i = 0; ok && i < r->finding_count; i++)
		report_ci_append(vulns, vulnerability(in, &r->findings[i], vigil_buf_cstr(&os), &tmp, &cutb), &ok);
	if (ok) {
		report_ci_set(root, "version", json_string(GITLAB_SCHEMA_VERSION), &ok);
		report_ci_set(root, "scan", scan_obj(in, opt), &ok);
		report_ci_set(root, "vulnerabilities", vulns, &ok);
		vulns = NULL;
		report_ci_set(root, "remediations", json_array(), &ok);
	}
	rc = ok ? report_dump(root, opt->pretty, 0, out, len) : vigil_error_oom();
	json_decref(root);
	json_decref(vulns);
	vigil_buf_free(&tmp);
	vigil_buf_free(&cutb);
	vigil_buf_free(&os);
	return rc;
}
