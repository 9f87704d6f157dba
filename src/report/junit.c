/* report/junit.c: a vulnerability report as JUnit XML for CI test views
 * (Jenkins, GitLab's unit test reports, Azure DevOps), after Trivy's
 * contrib/junit.tpl but one test case per package rather than per finding,
 * so "tests" counts what was checked and "failures" what is vulnerable:
 *
 *   <testsuites name="vigil" tests="14" failures="3" errors="0" time="0">
 *     <testsuite name="IMAGE" tests="14" failures="3" errors="0" skipped="0"
 *                time="0" timestamp="2026-12-05T19:00:00">
 *       <properties> image, namespace, manifest, distribution, warning... </properties>
 *       <testcase classname="apk" name="libssl1.1@1.1.1d-r2" time="0">
 *         <failure type="High" message="CVE-2019-1551 (High): fixed in 1.1.1d-r3">details</failure>
 *       </testcase>
 *       <testcase classname="apk" name="zlib@1.2.11-r1" time="0"/>
 *     </testsuite>
 *   </testsuites>
 *
 * One suite (vigil reports one image at a time). Every package of the index
 * is a test case, in report order; a language package's name adds its file
 * ("requests@2.28.1 in app/requirements.txt"). A package whose findings were
 * all suppressed (ignore rule, VEX) is "skipped" with why; suppressions of a
 * failing package are listed in its system-out.
 *
 * Written with libxml2's xmlTextWriter into memory, which escapes markup;
 * before that every string from a feed or an image is made XML-safe:
 * invalid UTF-8 and the characters XML 1.0 forbids (controls other than
 * tab, line feed and carriage return; U+FFFE, U+FFFF) become U+FFFD. The
 * document validates against Jenkins' junit-10.xsd (tests/report/data). */
#include "report/ci_util.h"
#include "report/report_priv.h"
#include "util/error.h"
#include "util/utf8.h"

#include <libxml/xmlwriter.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JUNIT_MAX_TEXT (256 * 1024) /* bytes of one cleaned string (longer is cut) */

struct junit {
	const vigil_report_input *in;
	const vigil_vuln_report *r;
	xmlTextWriterPtr w;
	vigil_buf clean, text, tmp;
	size_t *fidx, *sidx; /* findings and suppressions by package (stable) */
	size_t failures, skipped, cases;
	bool bad; /* a writer call failed */
};

/* s made XML-safe into j->clean (see the opening comment). */
static const xmlChar *xs(struct junit *j, const char *s)
{
	size_t n = s ? strlen(s) : 0, i = 0;
	vigil_buf *b = &j->clean;
	vigil_buf_reset(b);
	while (i < n && b->len < JUNIT_MAX_TEXT) {
		unsigned char c = (unsigned char)s[i];
		size_t want = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
		bool okc;
		if (c < 0x80)
			okc = c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
		else
			okc = n - i >= want && vigil_utf8_prefix(s + i, want) == want &&
			      !(want == 3 && c == 0xEF && (unsigned char)s[i + 1] == 0xBF &&
				(unsigned char)s[i + 2] >= 0xBE);
		if (!okc)
			want = 1;
		if ((okc ? vigil_buf_append(b, s + i, want) : vigil_buf_puts(b, "\xEF\xBF\xBD")) < 0)
			break;
		i += want;
	}
	return (const xmlChar *)vigil_buf_cstr(b);
}

static void attr(struct junit *j, const char *name, const char *value)
{
	if (xmlTextWriterWriteAttribute(j->w, (const xmlChar *)name, xs(j, value)) < 0)
		j->bad = true;
}

static void start(struct junit *j, const char *name)
{
	if (xmlTextWriterStartElement(j->w, (const xmlChar *)name) < 0)
		j->bad = true;
}

static void end(struct junit *j)
{
	if (xmlTextWriterEndElement(j->w) < 0)
		j->bad = true;
}

static void text(struct junit *j, const char *s)
{
	if (xmlTextWriterWriteString(j->w, xs(j, s)) < 0)
		j->bad = true;
}

static void property(struct junit *j, const char *name, const char *value)
{
	if (!value)
		return;
	start(j, "property");
	attr(j, "name", name);
	attr(j, "value", value);
	end(j);
}

static const char *fixed_text(const vigil_finding *f)
{
	if (f->fixed)
		return f->fixed;
	return f->state == VIGIL_STATE_WILL_NOT_FIX ? "will not be fixed" : "not fixed";
}

static void failure(struct junit *j, const vigil_finding *f, const vigil_package *p)
{
	const char *id = f->id ? f->id : "UNKNOWN", *sev = vigil_severity_name(f->severity);
	const char *layer = f->introduced_in ? f->introduced_in : p ? p->introduced_in : NULL;
	vigil_buf *b = &j->text;
	start(j, "failure");
	attr(j, "type", sev);
	vigil_buf_reset(b);
	vigil_buf_printf(b, "%s (%s): %s%s", id, sev, f->fixed ? "fixed in " : "", fixed_text(f));
	attr(j, "message", vigil_buf_cstr(b));
	vigil_buf_reset(b);
	vigil_buf_printf(b, "%s\nSeverity: %s\nPackage: %s %s\nFixed version: %s\nState: %s\n", id, sev,
			 p && p->name ? p->name : "?", p && p->version ? p->version : "?",
			 f->fixed ? f->fixed : "(none)", vigil_vuln_state_name(f->state));
	if (f->cvss_score >= 0)
		vigil_buf_printf(b, "CVSS: %.1f%s%s%s\n", f->cvss_score, f->cvss_vector ? " (" : "",
				 f->cvss_vector ? f->cvss_vector : "", f->cvss_vector ? ")" : "");
	if (layer)
		vigil_buf_printf(b, "Layer: %s\n", layer);
	if (p && p->package_db)
		vigil_buf_printf(b, "File: %s\n", p->package_db);
	for (size_t i = 0; f->aliases && i < f->naliases; i++)
		if (f->aliases[i])
			vigil_buf_printf(b, "%s%s%s", i ? ", " : "Aliases: ", f->aliases[i], i + 1 == f->naliases ? "\n" : "");
	const char *title = report_ci_title(f, &j->tmp);
	if (*title)
		vigil_buf_printf(b, "%s\n", title);
	for (size_t i = 0; f->links && i < f->nlinks; i++)
		if (f->links[i])
			vigil_buf_printf(b, "%s\n", f->links[i]);
	text(j, vigil_buf_cstr(b));
	end(j);
}

/* "CVE-1 not_affected: reason (vex.json)" into j->text. */
static const char *suppression_text(struct junit *j, const vigil_suppression *s)
{
	vigil_buf *b = &j->text;
	vigil_buf_reset(b);
	vigil_buf_printf(b, "%s %s", s->finding.id ? s->finding.id : "UNKNOWN", s->status ? s->status : "suppressed");
	if (s->justification)
		vigil_buf_printf(b, ": %s", s->justification);
	if (s->by)
		vigil_buf_printf(b, " (%s)", s->by);
	return vigil_buf_cstr(b);
}

/* The test case of package p (index pi; NULL p: a finding's package that
 * is not in the index), with findings fidx[*fi..) and suppressions
 * sidx[*si..) of the same package index. */
static void testcase(struct junit *j, const vigil_package *p, size_t pi, size_t *fi, size_t *si)
{
	const vigil_vuln_report *r = j->r;
	size_t f0 = *fi, s0 = *si, nf, ns;
	while (*fi < r->finding_count && r->findings[j->fidx[*fi]].package_index == pi)
		(*fi)++;
	while (*si < r->suppressed_count && r->suppressed[j->sidx[*si]].finding.package_index == pi)
		(*si)++;
	nf = *fi - f0;
	ns = *si - s0;
	if (!p && nf)
		p = report_ci_package(r, &r->findings[j->fidx[f0]]);
	if (!p && ns)
		p = report_ci_package(r, &r->suppressed[j->sidx[s0]].finding);
	j->cases++;
	start(j, "testcase");
	attr(j, "classname", p ? vigil_pkg_type_name(p->type) : "unknown");
	vigil_buf_reset(&j->text);
	vigil_buf_printf(&j->text, "%s@%s", p && p->name ? p->name : "?", p && p->version ? p->version : "?");
	if (p && vigil_pkg_type_is_lang(p->type) && p->package_db)
		vigil_buf_printf(&j->text, " in %s", p->package_db);
	attr(j, "name", vigil_buf_cstr(&j->text));
	attr(j, "time", "0");
	for (size_t k = f0; k < *fi; k++)
		failure(j, &r->findings[j->fidx[k]], p);
	if (ns && !nf) {
		j->skipped++;
		start(j, "skipped");
		attr(j, "message", suppression_text(j, &r->suppressed[j->sidx[s0]]));
		for (size_t k = s0; k < *si; k++) {
			text(j, suppression_text(j, &r->suppressed[j->sidx[k]]));
			text(j, "\n");
		}
		end(j);
	} else if (ns) {
		start(j, "system-out");
		text(j, "suppressed:\n");
		for (size_t k = s0; k < *si; k++) {
			text(j, suppression_text(j, &r->suppressed[j->sidx[k]]));
			text(j, "\n");
		}
		end(j);
	}
	j->failures += nf > 0;
	end(j);
}

/* idx[0..n) = 0..n-1 sorted by the package index of item k (stable). */
static size_t *by_package(size_t n, const void *base, size_t stride, size_t off)
{
	size_t *idx = malloc((n ? n : 1) * sizeof(*idx));
	if (!idx)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t k = i, key = *(const size_t *)((const char *)base + i * stride + off);
		/* insertion sort: reports come sorted, so this is linear */
		while (k > 0 && *(const size_t *)((const char *)base + idx[k - 1] * stride + off) > key) {
			idx[k] = idx[k - 1];
			k--;
		}
		idx[k] = i;
	}
	return idx;
}

static void suite_body(struct junit *j)
{
	const vigil_index_report *ir = j->in->index;
	const vigil_vuln_report *r = j->r;
	const vigil_distribution *d = ir->distribution;
	size_t fi = 0, si = 0;
	start(j, "properties");
	property(j, "image", j->in->image);
	property(j, "namespace", r->namespace);
	property(j, "manifest", ir->manifest_hash);
	property(j, "distribution", d ? (d->pretty_name ? d->pretty_name : d->name) : NULL);
	for (size_t i = 0; r->warnings && i < r->warning_count; i++)
		property(j, "warning", r->warnings[i]);
	end(j);
	for (size_t pi = 0; pi < ir->package_count && !j->bad; pi++) {
		/* findings of packages before this index (not in the index) first */
		while ((fi < r->finding_count && r->findings[j->fidx[fi]].package_index < pi) ||
		       (si < r->suppressed_count && r->suppressed[j->sidx[si]].finding.package_index < pi))
			testcase(j, NULL, fi < r->finding_count ? r->findings[j->fidx[fi]].package_index
							       : r->suppressed[j->sidx[si]].finding.package_index, &fi, &si);
		testcase(j, &ir->packages[pi], pi, &fi, &si);
	}
	while (!j->bad && (fi < r->finding_count || si < r->suppressed_count)) {
		size_t a = fi < r->finding_count ? r->findings[j->fidx[fi]].package_index : (size_t)-1;
		size_t b = si < r->suppressed_count ? r->suppressed[j->sidx[si]].finding.package_index : (size_t)-1;
		testcase(j, NULL, a < b ? a : b, &fi, &si);
	}
}

/* Sets attribute name of node to v. */
static bool set_count(xmlNodePtr node, const char *name, size_t v)
{
	char n[24];
	snprintf(n, sizeof(n), "%zu", v);
	return node && xmlSetProp(node, (const xmlChar *)name, (const xmlChar *)n) != NULL;
}

/* The document as a tree (the counts, known at the end, are set on the
 * two suite elements before it is serialised). */
static int write_doc(struct junit *j, const vigil_report_options *o, xmlDocPtr *doc)
{
	char ts[32];
	xmlNodePtr root, suite;
	if (!(j->w = xmlNewTextWriterDoc(doc, 0)))
		return vigil_error_oom();
	report_ci_time(o->now, false, ts);
	if (xmlTextWriterStartDocument(j->w, NULL, "UTF-8", NULL) < 0)
		j->bad = true;
	start(j, "testsuites");
	attr(j, "name", "vigil");
	attr(j, "tests", "0");
	attr(j, "failures", "0");
	attr(j, "errors", "0");
	attr(j, "time", "0");
	start(j, "testsuite");
	attr(j, "name", j->in->image);
	attr(j, "tests", "0");
	attr(j, "failures", "0");
	attr(j, "errors", "0");
	attr(j, "skipped", "0");
	attr(j, "time", "0");
	attr(j, "timestamp", ts);
	suite_body(j);
	end(j);
	end(j);
	if (xmlTextWriterEndDocument(j->w) < 0)
		j->bad = true;
	xmlFreeTextWriter(j->w);
	j->w = NULL;
	root = *doc ? xmlDocGetRootElement(*doc) : NULL;
	suite = root ? xmlFirstElementChild(root) : NULL;
	for (xmlNodePtr n = root; n && !j->bad; n = n == root ? suite : NULL)
		if (!set_count(n, "tests", j->cases) || !set_count(n, "failures", j->failures) ||
		    (n == suite && !set_count(n, "skipped", j->skipped)))
			j->bad = true;
	return j->bad || !suite ? vigil_error_set(VIGIL_ENOMEM, "junit: building the XML failed") : 0;
}

int report_write_junit(const vigil_report_input *in, const vigil_report_options *o, char **out, size_t *len)
{
	const vigil_vuln_report *r = in->vulns;
	struct junit j = { .in = in, .r = r };
	xmlDocPtr doc = NULL;
	xmlChar *mem = NULL;
	int size = 0, rc;

	*out = NULL;
	*len = 0;
	vigil_buf_init(&j.clean, JUNIT_MAX_TEXT + 8);
	vigil_buf_init(&j.text, REPORT_CI_MAX_TEXT);
	vigil_buf_init(&j.tmp, REPORT_CI_MAX_TEXT);
	j.fidx = by_package(r->finding_count, r->findings, sizeof(*r->findings),
			    offsetof(vigil_finding, package_index));
	j.sidx = by_package(r->suppressed_count, r->suppressed, sizeof(*r->suppressed),
			    offsetof(vigil_suppression, finding) + offsetof(vigil_finding, package_index));
	if (!j.fidx || !j.sidx) {
		rc = vigil_error_oom();
		goto out;
	}
	if ((rc = write_doc(&j, o, &doc)) < 0)
		goto out;
	xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", 1);
	if (!mem || size <= 0 || !(*out = malloc((size_t)size + 1))) {
		rc = vigil_error_oom();
		goto out;
	}
	memcpy(*out, mem, (size_t)size);
	(*out)[size] = '\0';
	*len = (size_t)size;
out:
	xmlFree(mem);
	xmlFreeDoc(doc);
	free(j.fidx);
	free(j.sidx);
	vigil_buf_free(&j.clean);
	vigil_buf_free(&j.text);
	vigil_buf_free(&j.tmp);
	return rc;
}
