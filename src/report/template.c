/* report/template.c: `--format template --template FILE`: the user's
 * Mustache template (report/tmpl.c) rendered over the report's data model,
 * documented key by key in docs/scan.md ("Templates"):
 *
 *   image, manifest, namespace, generated, vigil_version,
 *   distribution {id, version, name},
 *   summary {total, critical, high, medium, low, negligible, unknown,
 *            fixable, packages, suppressed},
 *   findings [{id, severity, severity_lower, package, version, type, purl,
 *              fixed, fixable, state, title, description, cvss, cvss_vector,
 *              links, first_link, aliases, advisories, layer, package_db,
 *              namespace, feed, published}],
 *   suppressed [{id, package, version, status, justification, by}],
 *   packages [{name, version, type, purl, source_name, source_version,
 *              layer, package_db}],
 *   layers [{index, digest, size, created_by, packages}],
 *   warnings [text]
 *
 * A template whose file name ends in .html or .htm gets HTML escaping in
 * {{x}}; any other is text ({{{x}}} is raw in both). */
#include "report/report_priv.h"
#include "report/tmpl.h"
#include "util/error.h"
#include "util/file.h"
#include "vigil/purl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Sets key to v (taken) on o; a NULL v (out of memory) is remembered. */
static void put(json_t *o, const char *key, json_t *v, int *oom)
{
	if (!v || json_object_set_new(o, key, v) < 0)
		*oom = 1;
}

static json_t *str_or_null(const char *s) { return s ? report_jstr(s) : json_null(); }

static json_t *str_array(const char *const *v, size_t n, int *oom)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, report_jstr(v[i])) < 0)
			*oom = 1;
	if (!a)
		*oom = 1;
	return a;
}

/* The first line of the summary, else of the description. */
static json_t *title(const vigil_finding *f)
{
	const char *d = f->summary && *f->summary ? f->summary : f->description;
	if (!d)
		return report_jstr("");
	while (*d == '\n' || *d == ' ')
		d++;
	const char *nl = strchr(d, '\n');
	size_t n = nl ? (size_t)(nl - d) : strlen(d);
	char *cut = strndup(d, n);
	json_t *j = cut ? report_jstr(cut) : NULL;
	free(cut);
	return j;
}

static json_t *purl_of(const vigil_package *p, const vigil_distribution *d)
{
	char *s = NULL;
	if (!p || vigil_purl_of(p, d, &s) < 0)
		return json_null();
	json_t *j = report_jstr(s);
	free(s);
	return j;
}

static char *lower_dup(const char *s)
{
	char *l = strdup(s);
	for (char *c = l; c && *c; c++)
		*c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
	return l;
}

static json_t *finding(const vigil_report_input *in, const vigil_finding *f, int *oom)
{
	const vigil_package *p = f->package;
	const char *sev = vigil_severity_name(f->severity);
	char *low = lower_dup(sev);
	json_t *o = json_object();
	if (!o || !low) {
		free(low);
		json_decref(o);
		*oom = 1;
		return NULL;
	}
	put(o, "id", report_jstr(f->id), oom);
	put(o, "severity", report_jstr(sev), oom);
	put(o, "severity_lower", report_jstr(low), oom);
	free(low);
	put(o, "package", report_jstr(p ? p->name : ""), oom);
	put(o, "version", report_jstr(p ? p->version : ""), oom);
	put(o, "type", report_jstr(p ? vigil_pkg_type_name(p->type) : ""), oom);
	put(o, "purl", purl_of(p, in->index->distribution), oom);
	put(o, "fixed", str_or_null(f->fixed), oom);
	put(o, "fixable", json_boolean(f->fixed != NULL), oom);
	put(o, "state", report_jstr(vigil_vuln_state_name(f->state)), oom);
	put(o, "title", title(f), oom);
	put(o, "description", report_jstr(f->description), oom);
	put(o, "cvss", f->cvss_score >= 0 ? json_real(f->cvss_score) : json_null(), oom);
	put(o, "cvss_vector", str_or_null(f->cvss_vector), oom);
	put(o, "links", str_array(f->links, f->nlinks, oom), oom);
	put(o, "first_link", str_or_null(f->nlinks ? f->links[0] : NULL), oom);
	put(o, "aliases", str_array(f->aliases, f->naliases, oom), oom);
	put(o, "advisories", str_array(f->advisories, f->nadvisories, oom), oom);
	put(o, "layer", str_or_null(p && p->introduced_in ? p->introduced_in : f->introduced_in), oom);
	put(o, "package_db", str_or_null(p ? p->package_db : NULL), oom);
	put(o, "namespace", str_or_null(f->namespace), oom);
	put(o, "feed", str_or_null(f->feed), oom);
	put(o, "published", str_or_null(f->published), oom);
	return o;
}

static json_t *summary(const vigil_vuln_report *vr, int *oom)
{
	static const char *const keys[] = { "unknown", "negligible", "low", "medium", "high", "critical" };
	size_t counts[6] = { 0 }, fixable = 0, pkgs = 0;
	json_t *o = json_object();
	for (size_t i = 0; i < vr->finding_count; i++) {
		const vigil_finding *f = &vr->findings[i];
		counts[(unsigned)f->severity < 6 ? (unsigned)f->severity : 0]++;
		fixable += f->fixed != NULL;
		pkgs += i == 0 || f->package_index != vr->findings[i - 1].package_index;
	}
	if (!o) {
		*oom = 1;
		return NULL;
	}
	put(o, "total", json_integer((json_int_t)vr->finding_count), oom);
	for (size_t k = 0; k < 6; k++)
		put(o, keys[k], json_integer((json_int_t)counts[k]), oom);
	put(o, "fixable", json_integer((json_int_t)fixable), oom);
	put(o, "packages", json_integer((json_int_t)pkgs), oom);
	put(o, "suppressed", json_integer((json_int_t)vr->suppressed_count), oom);
	return o;
}

static json_t *lists(const vigil_report_input *in, int *oom)
{
	const vigil_index_report *ir = in->index;
	const vigil_vuln_report *vr = in->vulns;
	json_t *root = json_object(), *a;
	if (!root) {
		*oom = 1;
		return NULL;
	}
	put(root, "findings", a = json_array(), oom);
	for (size_t i = 0; a && i < vr->finding_count; i++)
		if (json_array_append_new(a, finding(in, &vr->findings[i], oom)) < 0)
			*oom = 1;
	put(root, "suppressed", a = json_array(), oom);
	for (size_t i = 0; a && i < vr->suppressed_count; i++) {
		const vigil_suppression *s = &vr->suppressed[i];
		json_t *o = finding(in, &s->finding, oom);
		if (o) {
			put(o, "status", report_jstr(s->status), oom);
			put(o, "justification", str_or_null(s->justification), oom);
			put(o, "by", str_or_null(s->by), oom);
		}
		if (json_array_append_new(a, o) < 0)
			*oom = 1;
	}
	put(root, "packages", a = json_array(), oom);
	for (size_t i = 0; a && i < ir->package_count; i++) {
		const vigil_package *p = &ir->packages[i];
		json_t *o = json_pack("{s:o s:o s:o s:o s:o s:o s:o s:o}", "name", report_jstr(p->name), "version",
				      report_jstr(p->version), "type", report_jstr(vigil_pkg_type_name(p->type)), "purl",
				      purl_of(p, ir->distribution), "source_name", str_or_null(p->source_name),
				      "source_version", str_or_null(p->source_version), "layer",
				      str_or_null(p->introduced_in), "package_db", str_or_null(p->package_db));
		if (json_array_append_new(a, o) < 0)
			*oom = 1;
	}
	put(root, "layers", a = json_array(), oom);
	for (size_t i = 0; a && i < ir->layer_count; i++) {
		const vigil_layer_info *l = &ir->layers[i];
		json_t *o = json_pack("{s:I s:o s:I s:o s:I}", "index", (json_int_t)i, "digest", report_jstr(l->digest),
				      "size", (json_int_t)l->size, "created_by", str_or_null(l->created_by), "packages",
				      (json_int_t)l->packages);
		if (json_array_append_new(a, o) < 0)
			*oom = 1;
	}
	put(root, "warnings", str_array(vr->warnings, vr->warning_count, oom), oom);
	put(root, "summary", summary(vr, oom), oom);
	return root;
}

/* The data model of docs/scan.md's "Templates". */
static json_t *model(const vigil_report_input *in, const vigil_report_options *o, int *oom)
{
	const vigil_distribution *d = in->index->distribution;
	char when[32];
	time_t t = (time_t)o->now;
	struct tm tm;
	json_t *root = lists(in, oom);
	if (!root)
		return NULL;
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	put(root, "image", report_jstr(in->image), oom);
	put(root, "manifest", str_or_null(in->index->manifest_hash), oom);
	put(root, "namespace", str_or_null(in->vulns->namespace), oom);
	put(root, "generated", report_jstr(when), oom);
	put(root, "vigil_version", report_jstr(vigil_version()), oom);
	put(root, "distribution",
	    d ? json_pack("{s:o s:o s:o}", "id", str_or_null(d->did), "version", str_or_null(d->version_id), "name",
			  str_or_null(d->pretty_name)) : json_null(),
	    oom);
	return root;
}

static int read_template(const char *path, char **text, size_t *len)
{
	int rc = vigil_file_read(path, TMPL_MAX_SIZE, text, len);
	if (rc < 0)
		vigil_error_prefix("template ");
	return rc;
}

static int is_html(const char *path)
{
	size_t n = path ? strlen(path) : 0;
	return (n > 5 && !strcasecmp(path + n - 5, ".html")) || (n > 4 && !strcasecmp(path + n - 4, ".htm"));
}

int report_write_template(const vigil_report_input *in, const vigil_report_options *o, char **out, size_t *len)
{
	char *text = NULL;
	size_t tlen = 0;
	tmpl *t = NULL;
	json_t *data = NULL;
	int rc, oom = 0;

	*out = NULL;
	*len = 0;
	if (o->template_text) {
		tlen = strlen(o->template_text);
	} else if (!o->template_path) {
		return vigil_error_set(VIGIL_EINVAL, "the template format needs a template (--template FILE)");
	} else if ((rc = read_template(o->template_path, &text, &tlen)) < 0) {
		return rc;
	}
	rc = tmpl_compile(o->template_text ? o->template_text : text, tlen,
			  o->template_path ? o->template_path : "template", is_html(o->template_path) ? TMPL_HTML : 0, &t);
	if (rc < 0)
		goto out;
	data = model(in, o, &oom);
	if (!data || oom) {
		rc = vigil_error_oom();
		goto out;
	}
	rc = tmpl_render(t, data, out, len);
out:
	json_decref(data);
	tmpl_free(t);
	free(text);
	return rc;
}
