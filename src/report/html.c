/* report/html.c: the HTML report, one self-contained page (VIGIL_FMT_HTML).
 *
 * The page is the template src/report/html_assets/report.html with four
 * markers replaced: @VIGIL_CSP@ (the Content Security Policy), @VIGIL_STYLE@
 * (report.css), @VIGIL_DATA@ (the report as one JSON object) and
 * @VIGIL_SCRIPT@ (report.js, which draws everything from the data). The
 * three assets are plain files in the repository, turned into a C header at
 * build time (cmake/html_assets.cmake); nothing is fetched when the page is
 * read: no CDN, no font, no image.
 *
 * Safety: every string of the data (feed text, image config history, ignore
 * rules) is untrusted. It goes in only as JSON inside
 * <script type="application/json">, where '<', '>' and '&' are written
 * \u003c, \u003e, \u0026, so no text can close the block or open a comment;
 * the script writes it into the page with textContent only. The policy
 * allows no source but the page's own script and style, by their SHA-256
 * (default-src 'none'): even an injected element could neither run nor
 * fetch anything.
 *
 * The data (its members are documented in docs/scan.md, "HTML report"):
 * packages are the index report's, in its order (a finding names its
 * package by index), each with the layer that brought it; a finding carries
 * its severity level (0 Unknown .. 5 Critical), fixed version, CVSS, a
 * title (cut at HTML_MAX_TITLE bytes), the description (cut at
 * HTML_MAX_TEXT) and the advisory URL (the feed's first link, else one made
 * from the id's prefix, HTML_ADVISORY_URLS). Output is deterministic: the
 * same report and o->now give the same bytes. */
#include "report/report_priv.h"
#include "report_html_assets.h" /* generated: html_page, html_css, html_js */
#include "util/base64.h"
#include "util/buf.h"
#include "util/html.h"
#include "util/error.h"
#include "vigil/match.h"

#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HTML_MAX_BYTES ((size_t)1 << 30) /* the page; a bigger report is VIGIL_ELIMIT */
#define HTML_MAX_TITLE 400               /* bytes of a finding's title */
#define HTML_MAX_TEXT  (32 * 1024)       /* bytes of a description, a justification, a history line */
#define HTML_MAX_ID    256               /* bytes of an id put into a made advisory URL */

/* Where an advisory is read when the feed gave no link. */
static const struct {
	const char *prefix, *base;
} html_advisory_urls[] = {
	{ "CVE-", "https://nvd.nist.gov/vuln/detail/" },
	{ "GHSA-", "https://github.com/advisories/" },
	{ "GO-", "https://pkg.go.dev/vuln/" },
	{ "PYSEC-", "https://osv.dev/vulnerability/" },
	{ "RUSTSEC-", "https://osv.dev/vulnerability/" },
	{ "DSA-", "https://security-tracker.debian.org/tracker/" },
	{ "DLA-", "https://security-tracker.debian.org/tracker/" },
	{ "TEMP-", "https://security-tracker.debian.org/tracker/" },
	{ "USN-", "https://ubuntu.com/security/notices/" },
	{ "RHSA-", "https://access.redhat.com/errata/" },
	{ "RHBA-", "https://access.redhat.com/errata/" },
	{ "RHEA-", "https://access.redhat.com/errata/" },
};

static bool is_http_url(const char *s)
{
	return s && (!strncmp(s, "https://", 8) || !strncmp(s, "http://", 7));
}

/* A JSON string of s cut to at most max bytes (at a character boundary,
 * "..." added); JSON null for NULL. NULL only when out of memory. */
static json_t *jstr_cut(const char *s, size_t max)
{
	size_t n;
	char *cut;
	json_t *j;
	if (!s)
		return json_null();
	n = strlen(s);
	if (n <= max)
		return report_jstr(s);
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	if (!(cut = malloc(max + 4)))
		return NULL;
	memcpy(cut, s, max);
	memcpy(cut + max, "...", 4);
	j = report_jstr(cut);
	free(cut);
	return j;
}

static json_t *jstr_or_null(const char *s)
{
	return s ? report_jstr(s) : json_null();
}

static json_t *jstr_list(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, report_jstr(v[i]));
	return a;
}

/* The advisory URL of a finding: its first http(s) link, else one made from
 * the id's prefix (the id percent-encoded past [A-Za-z0-9._:-]); null. */
static json_t *advisory_url(const char *id, const char *const *links, size_t nlinks)
{
	vigil_buf b;
	json_t *j = NULL;
	for (size_t i = 0; i < nlinks; i++)
		if (is_http_url(links[i]))
			return report_jstr(links[i]);
	if (!id || strlen(id) > HTML_MAX_ID)
		return json_null();
	for (size_t i = 0; i < sizeof(html_advisory_urls) / sizeof(html_advisory_urls[0]); i++) {
		if (strncmp(id, html_advisory_urls[i].prefix, strlen(html_advisory_urls[i].prefix)))
			continue;
		vigil_buf_init(&b, 4 * HTML_MAX_ID);
		vigil_buf_puts(&b, html_advisory_urls[i].base);
		for (const unsigned char *c = (const unsigned char *)id; *c; c++) {
			if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
			    strchr("._:-", *c))
				vigil_buf_putc(&b, (char)*c);
			else
				vigil_buf_printf(&b, "%%%02X", *c);
		}
		j = report_jstr(vigil_buf_cstr(&b));
		vigil_buf_free(&b);
		return j;
	}
	return json_null();
}

/* The short title: the summary, else the description's first line. */
static json_t *title_of(const vigil_finding *f)
{
	const char *d = f->summary && *f->summary ? f->summary : f->description;
	const char *nl;
	char *line;
	json_t *j;
	if (!d)
		return json_string("");
	while (*d == '\n' || *d == ' ' || *d == '\r' || *d == '\t')
		d++;
	if (!(nl = strchr(d, '\n')))
		return jstr_cut(d, HTML_MAX_TITLE);
	if (!(line = strndup(d, (size_t)(nl - d))))
		return NULL;
	j = jstr_cut(line, HTML_MAX_TITLE);
	free(line);
	return j;
}

/* The layer (index into ir->layers) whose digest is d; -1 when none. */
static json_int_t layer_of(const vigil_index_report *ir, const char *d)
{
	for (size_t i = 0; d && i < ir->layer_count; i++)
		if (ir->layers[i].digest && !strcmp(ir->layers[i].digest, d))
			return (json_int_t)i;
	return -1;
}

static json_t *package_json(const vigil_index_report *ir, const vigil_package *p)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "name", report_jstr(p->name));
	json_object_set_new(o, "version", report_jstr(p->version));
	json_object_set_new(o, "type", json_string(vigil_pkg_type_name(p->type)));
	json_object_set_new(o, "lang", json_boolean(vigil_pkg_type_is_lang(p->type)));
	json_object_set_new(o, "file", jstr_or_null(p->package_db));
	if (p->purl)
		json_object_set_new(o, "purl", report_jstr(p->purl));
	json_object_set_new(o, "layer", json_integer(layer_of(ir, p->introduced_in)));
	return o;
}

/* The index into data.packages of a finding's package; a package that is
 * not one of the index report's is added at the end. -1 when out of memory. */
static json_int_t package_ref(const vigil_index_report *ir, const vigil_finding *f, json_t *pkgs)
{
	const vigil_package *p = f->package;
	if (p && ir->packages && p >= ir->packages && p < ir->packages + ir->package_count)
		return (json_int_t)(p - ir->packages);
	if (!p && f->package_index < ir->package_count)
		return (json_int_t)f->package_index;
	static const vigil_package unknown = { .name = "?", .version = "?" };
	if (json_array_append_new(pkgs, package_json(ir, p ? p : &unknown)) < 0)
		return -1;
	return (json_int_t)json_array_size(pkgs) - 1;
}

static json_t *finding_json(const vigil_index_report *ir, const vigil_finding *f, json_t *pkgs)
{
	json_t *o = json_object();
	json_int_t pkg = package_ref(ir, f, pkgs);
	unsigned sev = (unsigned)f->severity <= VIGIL_SEV_CRITICAL ? (unsigned)f->severity : 0;
	if (!o || pkg < 0) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "id", report_jstr(f->id));
	json_object_set_new(o, "sev", json_integer(sev));
	json_object_set_new(o, "pkg", json_integer(pkg));
	json_object_set_new(o, "fixed", jstr_or_null(f->fixed));
	json_object_set_new(o, "state", json_string(vigil_vuln_state_name(f->state)));
	json_object_set_new(o, "cvss", f->cvss_score >= 0 ? json_real(f->cvss_score) : json_null());
	if (f->cvss_vector)
		json_object_set_new(o, "vector", report_jstr(f->cvss_vector));
	if (f->cvss_source)
		json_object_set_new(o, "cvssSource", report_jstr(f->cvss_source));
	if (f->vendor_severity)
		json_object_set_new(o, "vendorSeverity", report_jstr(f->vendor_severity));
	json_object_set_new(o, "title", title_of(f));
	json_object_set_new(o, "description", jstr_cut(f->description, HTML_MAX_TEXT));
	if (f->affected_range)
		json_object_set_new(o, "affected", report_jstr(f->affected_range));
	if (f->published)
		json_object_set_new(o, "published", report_jstr(f->published));
	json_object_set_new(o, "url", advisory_url(f->id, f->links, f->nlinks));
	json_object_set_new(o, "links", jstr_list(f->links, f->nlinks));
	json_object_set_new(o, "aliases", jstr_list(f->aliases, f->naliases));
	json_object_set_new(o, "advisories", jstr_list(f->advisories, f->nadvisories));
	if (f->nsymbols)
		json_object_set_new(o, "symbols", jstr_list(f->symbols, f->nsymbols));
	json_object_set_new(o, "source", jstr_or_null(f->source));
	json_object_set_new(o, "feed", jstr_or_null(f->feed));
	json_object_set_new(o, "namespace", jstr_or_null(f->namespace));
	return o;
}

static json_t *suppression_json(const vigil_index_report *ir, const vigil_suppression *s, json_t *pkgs)
{
	json_t *o = json_object();
	json_int_t pkg = package_ref(ir, &s->finding, pkgs);
	unsigned sev = (unsigned)s->finding.severity <= VIGIL_SEV_CRITICAL ? (unsigned)s->finding.severity : 0;
	if (!o || pkg < 0) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "id", report_jstr(s->finding.id));
	json_object_set_new(o, "sev", json_integer(sev));
	json_object_set_new(o, "pkg", json_integer(pkg));
	json_object_set_new(o, "url", advisory_url(s->finding.id, s->finding.links, s->finding.nlinks));
	json_object_set_new(o, "status", jstr_or_null(s->status));
	json_object_set_new(o, "justification", jstr_cut(s->justification, HTML_MAX_TEXT));
	json_object_set_new(o, "by", jstr_or_null(s->by));
	return o;
}

static json_t *layers_json(const vigil_index_report *ir)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < ir->layer_count; i++) {
		const vigil_layer_info *l = &ir->layers[i];
		json_t *o = json_object();
		if (!o || json_array_append_new(a, o) < 0)
			break;
		json_object_set_new(o, "digest", report_jstr(l->digest));
		json_object_set_new(o, "size", json_integer((json_int_t)l->size));
		json_object_set_new(o, "createdBy", jstr_cut(l->created_by, HTML_MAX_TEXT));
		json_object_set_new(o, "packages", json_integer((json_int_t)l->packages));
	}
	return a;
}

static json_t *distribution_text(const vigil_distribution *d)
{
	char buf[512];
	if (!d)
		return json_null();
	if (d->pretty_name && *d->pretty_name)
		return report_jstr(d->pretty_name);
	snprintf(buf, sizeof(buf), "%s %s", d->name ? d->name : (d->did ? d->did : ""),
		 d->version ? d->version : (d->version_id ? d->version_id : ""));
	return report_jstr(buf);
}

/* The data object of the page. */
static int html_data(const vigil_report_input *in, const vigil_report_options *o, json_t **out)
{
	const vigil_index_report *ir = in->index;
	const vigil_vuln_report *vr = in->vulns;
	json_t *root = json_object(), *pkgs = json_array(), *fs = json_array(), *sup = json_array();
	json_t *warn = json_array();
	char when[32] = "";
	time_t t = (time_t)o->now;
	struct tm tm;
	int rc = 0;

	*out = NULL;
	if (!root || !pkgs || !fs || !sup || !warn) {
		rc = vigil_error_oom();
		goto out;
	}
	if (gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	for (size_t i = 0; i < ir->package_count; i++)
		if (json_array_append_new(pkgs, package_json(ir, &ir->packages[i])) < 0) {
			rc = vigil_error_oom();
			goto out;
		}
	for (size_t i = 0; i < vr->finding_count; i++)
		if (json_array_append_new(fs, finding_json(ir, &vr->findings[i], pkgs)) < 0) {
			rc = vigil_error_oom();
			goto out;
		}
	for (size_t i = 0; i < vr->suppressed_count; i++)
		if (json_array_append_new(sup, suppression_json(ir, &vr->suppressed[i], pkgs)) < 0) {
			rc = vigil_error_oom();
			goto out;
		}
	for (size_t i = 0; i < vr->warning_count; i++)
		json_array_append_new(warn, report_jstr(vr->warnings[i]));
	for (size_t i = 0; i < ir->warning_count; i++)
		json_array_append_new(warn, report_jstr(ir->warnings[i]));
	json_object_set_new(root, "tool", report_jstr(o->tool_name));
	json_object_set_new(root, "version", json_string(vigil_version()));
	json_object_set_new(root, "generated", json_string(when));
	json_object_set_new(root, "image", report_jstr(in->image));
	json_object_set_new(root, "manifest", jstr_or_null(ir->manifest_hash));
	json_object_set_new(root, "namespace", jstr_or_null(vr->namespace));
	json_object_set_new(root, "distribution", distribution_text(ir->distribution));
	json_object_set_new(root, "packageCount", json_integer((json_int_t)ir->package_count));
	json_object_set_new(root, "packagesMatched", json_integer((json_int_t)vr->packages_matched));
	json_object_set_new(root, "filteredOut", json_integer((json_int_t)vr->filtered_out));
	json_object_set_new(root, "ignored", json_integer((json_int_t)vr->ignored));
	json_object_set_new(root, "warnings", warn);
	json_object_set_new(root, "layers", layers_json(ir));
	json_object_set_new(root, "packages", pkgs);
	json_object_set_new(root, "findings", fs);
	json_object_set_new(root, "suppressed", sup);
	if (in->audit_json) {
		json_error_t je;
		json_t *audit = json_loads(in->audit_json, 0, &je);
		if (audit)
			json_object_set_new(root, "audit", audit);
	}
	warn = pkgs = fs = sup = NULL;
	*out = root;
	root = NULL;
out:
	json_decref(root);
	json_decref(pkgs);
	json_decref(fs);
	json_decref(sup);
	json_decref(warn);
	return rc;
}

/* The JSON of data into b, '<', '>' and '&' escaped (they occur only
 * inside strings), so nothing in it is markup to the HTML parser. */
static int put_data(vigil_buf *b, json_t *data)
{
	char *s;
	size_t len;
	int rc = report_dump(data, 0, JSON_REAL_PRECISION(10), &s, &len);
	if (rc < 0)
		return rc;
	rc = vigil_html_put_json(b, s, len);
	free(s);
	return rc;
}

static int put_csp(vigil_buf *b)
{
	char js[128], css[128];
	int rc;
	if ((rc = vigil_html_csp_hash(html_js, html_js_LEN, js, sizeof(js))) < 0 ||
	    (rc = vigil_html_csp_hash(html_css, html_css_LEN, css, sizeof(css))) < 0)
		return rc;
	return vigil_buf_printf(b, "default-src 'none'; script-src %s; style-src %s; img-src data:; "
				"base-uri 'none'; form-action 'none'", js, css);
}

/* The markers of report.html, in the order of put_marker's cases. */
static const char *const html_markers[] = { "@VIGIL_CSP@", "@VIGIL_STYLE@", "@VIGIL_DATA@", "@VIGIL_SCRIPT@" };

static int put_marker(vigil_buf *b, size_t which, json_t *data)
{
	switch (which) {
	case 0:
		return put_csp(b);
	case 1:
		return vigil_buf_append(b, html_css, html_css_LEN);
	case 2:
		return put_data(b, data);
	default:
		return vigil_buf_append(b, html_js, html_js_LEN);
	}
}

/* The page: the template with its markers replaced. */
static int put_page(vigil_buf *b, json_t *data)
{
	const char *p = html_page, *end = html_page + html_page_LEN;
	const size_t nmarkers = sizeof(html_markers) / sizeof(html_markers[0]);
	int rc = 0;
	while (rc == 0 && p < end) {
		const char *m = strstr(p, "@VIGIL_");
		size_t k = 0;
		if (!m)
			return vigil_buf_append(b, p, (size_t)(end - p));
		while (k < nmarkers && strncmp(m, html_markers[k], strlen(html_markers[k])))
			k++;
		if (k == nmarkers)
			return vigil_error_set(VIGIL_ERROR, "html: unknown marker in report.html at byte %zu",
					       (size_t)(m - html_page));
		if ((rc = vigil_buf_append(b, p, (size_t)(m - p))) == 0)
			rc = put_marker(b, k, data);
		p = m + strlen(html_markers[k]);
	}
	return rc;
}

int report_write_html(const vigil_report_input *in, const vigil_report_options *o, char **out, size_t *len)
{
	json_t *data = NULL;
	vigil_buf b;
	int rc;

	*out = NULL;
	*len = 0;
	vigil_buf_init(&b, HTML_MAX_BYTES);
	if ((rc = html_data(in, o, &data)) < 0)
		goto out;
	if ((rc = put_page(&b, data)) < 0) {
		if (rc == VIGIL_ELIMIT)
			rc = vigil_error_set(VIGIL_ELIMIT, "html: the report exceeds %zu bytes", HTML_MAX_BYTES);
		goto out;
	}
	*out = vigil_buf_detach(&b, len);
	if (!*out)
		rc = vigil_error_oom();
out:
	json_decref(data);
	vigil_buf_free(&b);
	return rc;
}
