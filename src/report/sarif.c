/* report/sarif.c: a vulnerability report as SARIF 2.1.0, the subset GitHub
 * code scanning reads (docs.github.com "SARIF support for code scanning"),
 * shaped after Trivy's pkg/report/sarif.go so dashboards built for Trivy
 * read it the same way:
 *
 *   one run; tool.driver { name, fullName, version, informationUri, rules };
 *   a rule per vulnerability id, in order of first appearance: short and
 *     full description, help (text and Markdown: severity, package, fixed
 *     version, links), helpUri, properties { tags [ "vulnerability",
 *     "security", severity ], precision, security-severity }, and
 *     defaultConfiguration.level;
 *   a result per finding (then one per suppressed finding, which carries
 *     "suppressions": [ { kind "external", status "accepted",
 *     justification } ]): ruleId, ruleIndex, level, message, one location,
 *     partialFingerprints { "vigil/v1" }, properties.
 *
 * The location's artifactLocation.uri is, as in Trivy, the image's
 * repository for an OS package ("library/alpine": GitHub needs a URI and an
 * OS package has no file of the repository; for an image read from a file,
 * that file's name) and the package's file in the
 * image for a language package (package_db: "app/package-lock.json"), with
 * a region at line 1 (GitHub requires startLine). The location's
 * logicalLocations name the package (its purl) and the layer that brought
 * it. The fingerprint hashes the image repository, package type, name and
 * file, and the vulnerability id: not the version, so an alert survives an
 * upgrade that leaves the package vulnerable and closes when it is fixed.
 *
 * security-severity is the finding's CVSS score when it agrees with the
 * severity vigil reports (or the severity is unknown), else the severity
 * mapped as Trivy maps it (Critical 9.5, High 8.0, Medium 5.5, Low 2.0;
 * Negligible 1.0, Unknown 0.0); a rule takes its highest finding. */
#include "report/ci_util.h"
#include "report/report_priv.h"
#include "util/error.h"
#include "util/map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define SARIF_MAX_DESCRIPTION (64 * 1024) /* bytes of a description quoted in help */
#define SARIF_MAX_LINKS 16                /* links listed in a rule's help */

struct rule {
	const vigil_finding *first; /* its descriptions and help come from here */
	const vigil_package *pkg;   /* first's package */
	double score;               /* highest security-severity */
	vigil_severity sev;         /* highest severity */
};

struct sarif {
	const vigil_report_input *in;
	const vigil_vuln_report *r;
	vigil_map ids; /* rule id -> index + 1 */
	struct rule *rules;
	size_t nrules;
	vigil_buf text, tmp;
	char *image_uri;
	bool ok; /* false once an allocation failed */
};

static const char *rule_id(const vigil_finding *f) { return f->id && *f->id ? f->id : "UNKNOWN"; }

static const char *level_of(vigil_severity s)
{
	return s >= VIGIL_SEV_HIGH ? "error" : s == VIGIL_SEV_MEDIUM ? "warning" : "note";
}

static double severity_score(const vigil_finding *f)
{
	static const double mapped[] = { 0.0, 1.0, 2.0, 5.5, 8.0, 9.5 };
	unsigned s = (unsigned)f->severity <= VIGIL_SEV_CRITICAL ? (unsigned)f->severity : 0;
	if (f->cvss_score >= 0 && f->cvss_score <= 10.0 &&
	    (s == VIGIL_SEV_UNKNOWN || vigil_severity_from_cvss(f->cvss_score) == (vigil_severity)s))
		return (double)(long long)(f->cvss_score * 10.0 + 0.5) / 10.0;
	return mapped[s];
}

static const char *fixed_text(const vigil_finding *f)
{
	if (f->fixed)
		return f->fixed;
	return f->state == VIGIL_STATE_WILL_NOT_FIX ? "(will not fix)" : "(not fixed)";
}

/* Appends at most max bytes of s. */
static void put_cut(vigil_buf *b, const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	vigil_buf_append(b, s ? s : "", n > max ? max : n);
	if (n > max)
		vigil_buf_puts(b, "...");
}

/* s as one Markdown table cell: '|' escaped, line breaks as spaces. */
static void put_cell(vigil_buf *b, const char *s)
{
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == '|')
			vigil_buf_puts(b, "\\|");
		else
			vigil_buf_putc(b, *p == '\n' || *p == '\r' ? ' ' : *p);
	}
}

/* Pass 1: the rules, one per id, in order of first appearance. */
static int add_rule(struct sarif *s, const vigil_finding *f)
{
	const char *id = rule_id(f);
	size_t at = (size_t)(uintptr_t)vigil_map_get(&s->ids, id, strlen(id));
	double score = severity_score(f);
	struct rule *u;
	int rc;
	if (at) {
		u = &s->rules[at - 1];
	} else {
		if ((rc = vigil_map_set(&s->ids, id, strlen(id), (void *)(uintptr_t)(s->nrules + 1))) < 0)
			return rc;
		u = &s->rules[s->nrules++];
		u->first = f;
		u->pkg = report_ci_package(s->r, f);
		u->score = -1;
		u->sev = VIGIL_SEV_UNKNOWN;
	}
	if (score > u->score)
		u->score = score;
	if (f->severity > u->sev && f->severity <= VIGIL_SEV_CRITICAL)
		u->sev = f->severity;
	return 0;
}

static json_t *text_msg(const char *text, const char *markdown)
{
	json_t *o = json_object();
	bool ok = o != NULL;
	if (ok) {
		report_ci_set(o, "text", report_jstr(text), &ok);
		if (markdown)
			report_ci_set(o, "markdown", report_jstr(markdown), &ok);
	}
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static void help_text(struct sarif *s, const struct rule *u, bool markdown)
{
	const vigil_finding *f = u->first;
	char lbuf[REPORT_CI_LINK_MAX];
	const char *link = report_ci_link(f, lbuf), *id = rule_id(f);
	const char *desc = f->description && *f->description ? f->description : f->summary;
	vigil_buf *b = &s->text;
	vigil_buf_reset(b);
	if (!markdown) {
		vigil_buf_printf(b, "Vulnerability %s\nSeverity: %s\nPackage: %s\nFixed Version: %s\n", id,
				 vigil_severity_name(u->sev), u->pkg && u->pkg->name ? u->pkg->name : "?",
				 fixed_text(f));
		if (link)
			vigil_buf_printf(b, "Link: [%s](%s)\n", id, link);
		put_cut(b, desc, SARIF_MAX_DESCRIPTION);
		return;
	}
	vigil_buf_puts(b, "**Vulnerability ");
	put_cell(b, id);
	vigil_buf_puts(b, "**\n| Severity | Package | Fixed Version | Link |\n| --- | --- | --- | --- |\n|");
	put_cell(b, vigil_severity_name(u->sev));
	vigil_buf_putc(b, '|');
	put_cell(b, u->pkg && u->pkg->name ? u->pkg->name : "?");
	vigil_buf_putc(b, '|');
	put_cell(b, fixed_text(f));
	vigil_buf_putc(b, '|');
	if (link) {
		vigil_buf_putc(b, '[');
		put_cell(b, id);
		vigil_buf_printf(b, "](%s)", link);
	}
	vigil_buf_puts(b, "|\n\n");
	put_cut(b, desc, SARIF_MAX_DESCRIPTION);
	for (size_t i = 0, n = 0; f->links && i < f->nlinks && n < SARIF_MAX_LINKS; i++)
		if (report_ci_is_web_url(f->links[i]))
			vigil_buf_printf(b, "%s- <%s>", n++ ? "\n" : "\n\n", f->links[i]);
}

static json_t *rule_obj(struct sarif *s, const struct rule *u)
{
	const vigil_finding *f = u->first;
	char lbuf[REPORT_CI_LINK_MAX];
	const char *title = report_ci_title(f, &s->tmp), *link = report_ci_link(f, lbuf);
	const char *full = f->description && *f->description ? f->description : title;
	json_t *o = json_object(), *props = json_object(), *conf = json_object(), *help = NULL;
	char score[16];
	bool ok = o && props && conf;
	if (!ok)
		goto fail;
	report_ci_set(o, "id", report_jstr(rule_id(f)), &ok);
	report_ci_set(o, "name", json_string(u->pkg && vigil_pkg_type_is_lang(u->pkg->type)
						     ? "LanguageSpecificPackageVulnerability"
						     : "OsPackageVulnerability"), &ok);
	report_ci_set(o, "shortDescription", text_msg(*title ? title : rule_id(f), NULL), &ok);
	vigil_buf_reset(&s->text);
	put_cut(&s->text, *full ? full : rule_id(f), SARIF_MAX_DESCRIPTION);
	report_ci_set(o, "fullDescription", text_msg(vigil_buf_cstr(&s->text), NULL), &ok);
	if (link)
		report_ci_set(o, "helpUri", report_jstr(link), &ok);
	help_text(s, u, false);
	if ((help = text_msg(vigil_buf_cstr(&s->text), "")) != NULL) {
		help_text(s, u, true);
		report_ci_set(help, "markdown", report_jstr(vigil_buf_cstr(&s->text)), &ok);
	}
	report_ci_set(o, "help", help, &ok);
	report_ci_set(conf, "level", json_string(level_of(u->sev)), &ok);
	report_ci_set(o, "defaultConfiguration", conf, &ok);
	conf = NULL;
	snprintf(score, sizeof(score), "%.1f", u->score < 0 ? 0.0 : u->score);
	report_ci_set(props, "tags", json_pack("[sss]", "vulnerability", "security", vigil_severity_name(u->sev)),
		      &ok);
	report_ci_set(props, "precision", json_string("very-high"), &ok);
	report_ci_set(props, "security-severity", json_string(score), &ok);
	report_ci_set(o, "properties", props, &ok);
	if (ok)
		return o;
	props = NULL;
fail:
	json_decref(o);
	json_decref(props);
	json_decref(conf);
	s->ok = false;
	return NULL;
}

static void message_text(struct sarif *s, const vigil_finding *f, const vigil_package *p)
{
	char lbuf[REPORT_CI_LINK_MAX];
	const char *link = report_ci_link(f, lbuf);
	const char *layer = f->introduced_in ? f->introduced_in : p ? p->introduced_in : NULL;
	vigil_buf *b = &s->text;
	vigil_buf_reset(b);
	vigil_buf_printf(b, "Package: %s\nInstalled Version: %s\nVulnerability %s\nSeverity: %s\nFixed Version: %s\n",
			 p && p->name ? p->name : "?", p && p->version ? p->version : "?", rule_id(f),
			 vigil_severity_name(f->severity), fixed_text(f));
	vigil_buf_printf(b, "Image: %s", s->in->image);
	if (layer)
		vigil_buf_printf(b, "\nLayer: %s", layer);
	if (p && p->package_db && vigil_pkg_type_is_lang(p->type))
		vigil_buf_printf(b, "\nFile: %s", p->package_db);
	if (link)
		vigil_buf_printf(b, "\nLink: [%s](%s)", rule_id(f), link);
}

/* The location: the artifact (see the opening comment) and the package and
 * layer as logical locations. */
static json_t *location(struct sarif *s, const vigil_finding *f, const vigil_package *p, const char *purl)
{
	const char *layer = f->introduced_in ? f->introduced_in : p ? p->introduced_in : NULL;
	json_t *logical = json_array();
	vigil_buf uri;
	bool ok = logical != NULL;
	json_t *loc;

	vigil_buf_init(&uri, 64 * 1024);
	if (p && vigil_pkg_type_is_lang(p->type) && p->package_db && *p->package_db) {
		const char *db = p->package_db;
		while (*db == '/')
			db++;
		if (report_ci_uri_path(&uri, *db ? db : "image") < 0)
			ok = false;
	} else if (vigil_buf_puts(&uri, s->image_uri) < 0) {
		ok = false;
	}
	report_ci_append(logical, json_pack("{s:o,s:o,s:s}", "name", report_jstr(p && p->name ? p->name : "?"),
					    "fullyQualifiedName", report_jstr(purl ? purl : p && p->name ? p->name : "?"),
					    "kind", "package"), &ok);
	if (layer)
		report_ci_append(logical, json_pack("{s:o,s:s}", "name", report_jstr(layer), "kind", "layer"), &ok);
	vigil_buf_reset(&s->tmp);
	vigil_buf_printf(&s->tmp, "%s: %s@%s", vigil_buf_cstr(&uri), p && p->name ? p->name : "?",
			 p && p->version ? p->version : "?");
	loc = ok ? json_pack("{s:{s:{s:o},s:{s:i,s:i,s:i,s:i}},s:o,s:O}", "physicalLocation", "artifactLocation", "uri",
			     report_jstr(vigil_buf_cstr(&uri)), "region", "startLine", 1, "startColumn", 1, "endLine", 1,
			     "endColumn", 1, "message", text_msg(vigil_buf_cstr(&s->tmp), NULL), "logicalLocations",
			     logical)
		 : NULL;
	json_decref(logical);
	vigil_buf_free(&uri);
	return loc;
}

static json_t *result_obj(struct sarif *s, const vigil_finding *f, const vigil_suppression *sup)
{
	const char *id = rule_id(f);
	size_t at = (size_t)(uintptr_t)vigil_map_get(&s->ids, id, strlen(id));
	const vigil_package *p = report_ci_package(s->r, f);
	const char *layer = f->introduced_in ? f->introduced_in : p ? p->introduced_in : NULL;
	json_t *o = json_object(), *props = json_object();
	char *purl = NULL, fp[65];
	bool ok = o && props && at;

	if (!ok || report_ci_purl(p, s->in->index->distribution, &purl) < 0)
		goto fail;
	const char *parts[] = { s->image_uri, p ? vigil_pkg_type_name(p->type) : NULL, p ? p->name : NULL,
				p ? p->package_db : NULL, id };
	if (report_ci_fingerprint(parts, sizeof(parts) / sizeof(parts[0]), fp) < 0)
		goto fail;
	report_ci_set(o, "ruleId", report_jstr(id), &ok);
	report_ci_set(o, "ruleIndex", json_integer((json_int_t)(at - 1)), &ok);
	report_ci_set(o, "level", json_string(level_of(f->severity)), &ok);
	message_text(s, f, p);
	report_ci_set(o, "message", text_msg(vigil_buf_cstr(&s->text), NULL), &ok);
	report_ci_set(o, "locations", json_pack("[o]", location(s, f, p, purl)), &ok);
	report_ci_set(o, "partialFingerprints", json_pack("{s:s}", "vigil/v1", fp), &ok);
	if (sup) {
		json_t *j = json_pack("{s:s,s:s}", "kind", "external", "status", "accepted");
		vigil_buf_reset(&s->tmp);
		vigil_buf_printf(&s->tmp, "%s%s%s%s%s", sup->status ? sup->status : "suppressed",
				 sup->justification ? ": " : "", sup->justification ? sup->justification : "",
				 sup->by ? " (" : "", sup->by ? sup->by : "");
		if (sup->by)
			vigil_buf_putc(&s->tmp, ')');
		if (j)
			report_ci_set(j, "justification", report_jstr(vigil_buf_cstr(&s->tmp)), &ok);
		report_ci_set(o, "suppressions", j ? json_pack("[o]", j) : NULL, &ok);
	}
	report_ci_set(props, "package", report_ci_str_or_null(p ? p->name : NULL), &ok);
	report_ci_set(props, "installedVersion", report_ci_str_or_null(p ? p->version : NULL), &ok);
	report_ci_set(props, "fixedVersion", report_ci_str_or_null(f->fixed), &ok);
	report_ci_set(props, "state", json_string(vigil_vuln_state_name(f->state)), &ok);
	report_ci_set(props, "purl", report_ci_str_or_null(purl), &ok);
	report_ci_set(props, "packageDb", report_ci_str_or_null(p ? p->package_db : NULL), &ok);
	report_ci_set(props, "layer", report_ci_str_or_null(layer), &ok);
	report_ci_set(o, "properties", props, &ok);
	props = NULL;
	free(purl);
	if (ok)
		return o;
	purl = NULL;
fail:
	free(purl);
	json_decref(o);
	json_decref(props);
	s->ok = false;
	return NULL;
}

static json_t *run_properties(const struct sarif *s)
{
	const vigil_index_report *ir = s->in->index;
	json_t *o = json_object();
	bool ok = o != NULL;
	if (!ok)
		return NULL;
	report_ci_set(o, "imageName", report_jstr(s->in->image), &ok);
	report_ci_set(o, "manifestDigest", report_ci_str_or_null(ir->manifest_hash), &ok);
	report_ci_set(o, "namespace", report_ci_str_or_null(s->r->namespace), &ok);
	report_ci_set(o, "warnings", report_ci_str_array(s->r->warnings, s->r->warning_count), &ok);
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *build(struct sarif *s, const vigil_report_options *opt)
{
	const vigil_vuln_report *r = s->r;
	json_t *root = json_object(), *rules = json_array(), *results = json_array(), *driver = NULL;
	bool ok = root && rules && results;
	if (!ok)
		goto fail;
	for (size_t i = 0; i < s->nrules; i++)
		report_ci_append(rules, rule_obj(s, &s->rules[i]), &ok);
	for (size_t i = 0; ok && i < r->finding_count; i++)
		report_ci_append(results, result_obj(s, &r->findings[i], NULL), &ok);
	for (size_t i = 0; ok && i < r->suppressed_count; i++)
		report_ci_append(results, result_obj(s, &r->suppressed[i].finding, &r->suppressed[i]), &ok);
	driver = json_pack("{s:o,s:s,s:s,s:s,s:O}", "name", report_jstr(opt->tool_name), "fullName",
			   "vigil container image vulnerability scanner", "version", vigil_version(), "informationUri",
			   REPORT_CI_HOME, "rules", rules);
	report_ci_set(root, "version", json_string("2.1.0"), &ok);
	report_ci_set(root, "$schema", json_string(SARIF_SCHEMA), &ok);
	report_ci_set(root, "runs",
		      driver ? json_pack("[{s:{s:o},s:O,s:s,s:o}]", "tool", "driver", driver, "results", results,
					 "columnKind", "utf16CodeUnits", "properties", run_properties(s))
			     : NULL, &ok);
	if (ok && s->ok) {
		json_decref(rules);
		json_decref(results);
		return root;
	}
fail:
	json_decref(root);
	json_decref(rules);
	json_decref(results);
	return NULL;
}

int report_write_sarif(const vigil_report_input *in, const vigil_report_options *o, char **out, size_t *len)
{
	const vigil_vuln_report *r = in->vulns;
	struct sarif s = { .in = in, .r = r, .ok = true };
	json_t *root = NULL;
	size_t n = r->finding_count + r->suppressed_count;
	int rc = 0;

	*out = NULL;
	*len = 0;
	vigil_buf_init(&s.text, REPORT_CI_MAX_TEXT);
	vigil_buf_init(&s.tmp, REPORT_CI_MAX_TEXT);
	if (n && !(s.rules = calloc(n, sizeof(*s.rules)))) {
		rc = vigil_error_oom();
		goto out;
	}
	if ((rc = report_ci_image_uri(in->image, &s.tmp)) < 0)
		goto out;
	if (!(s.image_uri = vigil_buf_detach(&s.tmp, NULL))) {
		rc = vigil_error_oom();
		goto out;
	}
	for (size_t i = 0; rc == 0 && i < r->finding_count; i++)
		rc = add_rule(&s, &r->findings[i]);
	for (size_t i = 0; rc == 0 && i < r->suppressed_count; i++)
		rc = add_rule(&s, &r->suppressed[i].finding);
	if (rc < 0)
		goto out;
	if (!(root = build(&s, o))) {
		rc = vigil_error_oom();
		goto out;
	}
	rc = report_dump(root, o->pretty, 0, out, len);
out:
	json_decref(root);
	vigil_map_free(&s.ids);
	free(s.rules);
	free(s.image_uri);
	vigil_buf_free(&s.text);
	vigil_buf_free(&s.tmp);
	return rc;
}
