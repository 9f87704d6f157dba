/* tests/report/test_html.c: the HTML report (report/html.c) on hand-made
 * reports: hostile text stays inert (a title with "</script><img
 * onerror=...>" never closes the data block, which parses back to the same
 * text), the output is deterministic, an empty report is a whole page, the
 * page references nothing outside itself and allows only its own script and
 * style by hash, advisory URLs are made from known id prefixes only.
 *
 * It also renders a synthetic report of HTML_BIG_FINDINGS findings (three
 * layers, OS and language packages, every severity, fixed and not); with
 * VIGIL_HTML_BIG_OUT=FILE in the environment it writes that page to FILE,
 * which tests/integration/test_html.sh times in Chromium. */
#include "helpers.h"
#include "report/report_priv.h"
#include "util/error.h"
#include "vigil/match.h"
#include "vigil/report.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HTML_BIG_FINDINGS 5000
#define HTML_BIG_PACKAGES 600

static const char *const hostile = "</script><img src=x onerror=alert(1)><!--<script>";

static const vigil_distribution dist = {
	.did = "alpine", .name = "Alpine Linux", .version_id = "3.10.4", .pretty_name = "Alpine Linux v3.10",
};
static const vigil_layer_info layers[] = {
	{ .digest = "sha256:aaaa", .size = 5818880, .packages = 2,
	  .created_by = "/bin/sh -c #(nop) ADD file:abc in / " },
	{ .digest = "sha256:bbbb", .size = 1024, .packages = 1, .created_by = "RUN </script><b>x</b>" },
};
static const vigil_package pkgs[] = {
	{ .type = VIGIL_PKG_APK, .name = "musl", .version = "1.1.22-r3", .source_name = "musl",
	  .package_db = "lib/apk/db/installed", .introduced_in = "sha256:aaaa" },
	{ .type = VIGIL_PKG_APK, .name = "zlib", .version = "1.2.11-r1", .source_name = "zlib",
	  .package_db = "lib/apk/db/installed", .introduced_in = "sha256:aaaa" },
	{ .type = VIGIL_PKG_PYPI, .name = "requests", .version = "2.19.0", .purl = "pkg:pypi/requests@2.19.0",
	  .package_db = "usr/lib/python3/site-packages/requests-2.19.0.dist-info/METADATA",
	  .introduced_in = "sha256:bbbb" },
};
static const vigil_index_report index_report = {
	.manifest_hash = "sha256:1234", .image = "example/app:1", .distribution = &dist, .packages = pkgs,
	.package_count = 3, .layers = layers, .layer_count = 2,
};
static const char *const links[] = { "javascript:alert(1)", "https://example.org/CVE-2021-3881" };
static const char *const warnings[] = { "feed alpine is 9 days old <b>" };

static char *render(const vigil_vuln_report *vr, const vigil_index_report *ir, size_t *len)
{
	vigil_report_input in = { .index = ir, .vulns = vr };
	vigil_report_options o;
	char *out = NULL;
	vigil_report_options_init(&o);
	o.now = 1764950400; /* 2025-12-05T16:00:00Z */
	if (vigil_report_render(&in, VIGIL_FMT_HTML, &o, &out, len) < 0)
		fail_msg("html: %s", vigil_error_message());
	assert_non_null(out);
	assert_int_equal(strlen(out), *len);
	return out;
}

/* The text of the data block, which must be there once. */
static char *data_block(const char *page)
{
	static const char open[] = "<script type=\"application/json\" id=\"vigil-data\">";
	const char *a = strstr(page, open), *b;
	assert_non_null(a);
	assert_null(strstr(a + 1, open));
	a += strlen(open);
	b = strstr(a, "</script>");
	assert_non_null(b);
	return strndup(a, (size_t)(b - a));
}

static json_t *data_of(const char *page)
{
	char *d = data_block(page);
	json_error_t e;
	json_t *j = json_loads(d, 0, &e);
	if (!j)
		fail_msg("the data block does not parse: %s", e.text);
	free(d);
	return j;
}

static void make_report(vigil_vuln_report *vr, vigil_finding *f)
{
	memset(f, 0, 3 * sizeof(*f));
	f[0] = (vigil_finding){ .package_index = 0, .package = &pkgs[0], .id = "CVE-2021-3881", .feed = "alpine",
				.source = "alpine", .state = VIGIL_STATE_FIXED, .fixed = "1.1.22-r4",
				.severity = VIGIL_SEV_CRITICAL, .cvss_score = 9.8, .summary = hostile,
				.description = "line one\n</SCRIPT >& more", .links = links, .nlinks = 2 };
	f[1] = (vigil_finding){ .package_index = 1, .package = &pkgs[1], .id = "TEMP-<x>\"1", .feed = "alpine",
				.state = VIGIL_STATE_NOT_FIXED, .severity = VIGIL_SEV_LOW, .cvss_score = -1,
				.description = "\n  first line\nsecond" };
	f[2] = (vigil_finding){ .package_index = 2, .package = &pkgs[2], .id = "GHSA-x84v-xcm2-53pg",
				.feed = "osv", .state = VIGIL_STATE_AFFECTED, .fixed = "2.20.0",
				.severity = VIGIL_SEV_HIGH, .cvss_score = 7.5, .summary = "Insufficiently protected" };
	memset(vr, 0, sizeof(*vr));
	vr->index = &index_report;
	vr->namespace = "alpine:3.10";
	vr->findings = f;
	vr->finding_count = 3;
	vr->packages_matched = 3;
	vr->warnings = warnings;
	vr->warning_count = 1;
}

static void test_escaping(void **state)
{
	vigil_vuln_report vr;
	vigil_finding f[3];
	vigil_suppression s = { .status = "not_affected", .justification = "</script>vulnerable_code_not_present",
				.by = "vex.json" };
	size_t len;
	make_report(&vr, f);
	s.finding = f[1];
	vr.suppressed = &s;
	vr.suppressed_count = 1;
	char *page = render(&vr, &index_report, &len);
	char *d = data_block(page);
	/* nothing in the data is markup: no '<' at all, so no "</script" nor "<!--" */
	assert_null(strchr(d, '<'));
	assert_null(strchr(d, '>'));
	assert_null(strstr(page, "<img"));
	assert_null(strstr(page, "<b>"));
	/* and it parses back to the very text */
	json_t *j = data_of(page);
	json_t *f0 = json_array_get(json_object_get(j, "findings"), 0);
	assert_string_equal(json_string_value(json_object_get(f0, "title")), hostile);
	assert_string_equal(json_string_value(json_object_get(f0, "description")), "line one\n</SCRIPT >& more");
	/* the javascript: link is never the advisory URL */
	assert_string_equal(json_string_value(json_object_get(f0, "url")), "https://example.org/CVE-2021-3881");
	json_t *f1 = json_array_get(json_object_get(j, "findings"), 1);
	assert_string_equal(json_string_value(json_object_get(f1, "title")), "first line");
	assert_true(json_is_null(json_object_get(f1, "fixed")));
	assert_string_equal(json_string_value(json_object_get(f1, "url")),
			    "https://security-tracker.debian.org/tracker/TEMP-%3Cx%3E%221");
	json_t *f2 = json_array_get(json_object_get(j, "findings"), 2);
	assert_string_equal(json_string_value(json_object_get(f2, "url")),
			    "https://github.com/advisories/GHSA-x84v-xcm2-53pg");
	assert_int_equal(json_integer_value(json_object_get(f2, "pkg")), 2);
	json_t *p2 = json_array_get(json_object_get(j, "packages"), 2);
	assert_true(json_is_true(json_object_get(p2, "lang")));
	assert_string_equal(json_string_value(json_object_get(p2, "type")), "pypi");
	assert_int_equal(json_integer_value(json_object_get(p2, "layer")), 1);
	json_t *l1 = json_array_get(json_object_get(j, "layers"), 1);
	assert_string_equal(json_string_value(json_object_get(l1, "createdBy")), "RUN </script><b>x</b>");
	json_t *s0 = json_array_get(json_object_get(j, "suppressed"), 0);
	assert_string_equal(json_string_value(json_object_get(s0, "justification")),
			    "</script>vulnerable_code_not_present");
	assert_int_equal(json_integer_value(json_object_get(s0, "pkg")), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "warnings"), 0)),
			    "feed alpine is 9 days old <b>");
	assert_string_equal(json_string_value(json_object_get(j, "generated")), "2025-12-05T16:00:00Z");
	json_decref(j);
	free(d);
	free(page);
}

/* Base64 of the SHA-256 of the text between open and the next "</". */
static void assert_hash_allowed(const char *page, const char *open, const char *csp_kind)
{
	const char *a = strstr(page, open), *b;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	char b64[128], want[200];
	assert_non_null(a);
	a += strlen(open);
	b = strstr(a, "</");
	assert_non_null(b);
	assert_true(EVP_Digest(a, (size_t)(b - a), md, &n, EVP_sha256(), NULL));
	EVP_EncodeBlock((unsigned char *)b64, md, (int)n);
	snprintf(want, sizeof(want), "%s 'sha256-%s'", csp_kind, b64);
	if (!strstr(page, want))
		fail_msg("the policy does not allow %s by its hash (%s)", open, want);
}

static void test_self_contained(void **state)
{
	vigil_vuln_report vr;
	vigil_finding f[3];
	size_t len;
	make_report(&vr, f);
	char *page = render(&vr, &index_report, &len);
	assert_true(!strncmp(page, "<!DOCTYPE html>", 15));
	assert_non_null(strstr(page, "default-src 'none'"));
	assert_hash_allowed(page, "<style>", "style-src");
	assert_hash_allowed(page, "<script>", "script-src");
	/* one inline script and the data block, nothing loaded from anywhere
	 * (the data holds an "<img src=x" of the hostile title: cut it out) */
	char *d = data_block(page), *at = strstr(page, d);
	memset(at, ' ', strlen(d));
	free(d);
	assert_null(strstr(page, "src="));
	assert_null(strstr(page, "<link"));
	assert_null(strstr(page, "@import"));
	assert_null(strstr(page, "url("));
	assert_null(strstr(page, "@VIGIL_"));
	/* the style and the script do not end their own element early */
	const char *st = strstr(page, "<style>"), *sc = strstr(page, "<script>");
	assert_true(strstr(st, "</style>") < sc);
	assert_true(strstr(sc + 1, "</script>") == strstr(page, "</script>\n</body>"));
	free(page);
}

static void test_deterministic(void **state)
{
	vigil_vuln_report vr;
	vigil_finding f[3];
	size_t n1, n2;
	make_report(&vr, f);
	char *a = render(&vr, &index_report, &n1), *b = render(&vr, &index_report, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(a, b, n1);
	free(a);
	free(b);
}

static void test_empty(void **state)
{
	static const vigil_index_report empty_ir = { .manifest_hash = "sha256:00" };
	vigil_vuln_report vr = { .index = &empty_ir };
	size_t len;
	char *page = render(&vr, &empty_ir, &len);
	assert_non_null(strstr(page, "</html>"));
	json_t *j = data_of(page);
	assert_int_equal(json_array_size(json_object_get(j, "findings")), 0);
	assert_int_equal(json_array_size(json_object_get(j, "layers")), 0);
	assert_int_equal(json_array_size(json_object_get(j, "suppressed")), 0);
	assert_true(json_is_null(json_object_get(j, "namespace")));
	assert_string_equal(json_string_value(json_object_get(j, "image")), "");
	json_decref(j);
	free(page);
	/* without vulnerability data the format is refused */
	vigil_report_input in = { .index = &empty_ir };
	char *out = NULL;
	assert_int_equal(vigil_report_render(&in, VIGIL_FMT_HTML, NULL, &out, &len), VIGIL_EINVAL);
	assert_null(out);
}

/* A finding whose package is not one of the index report's is listed too. */
static void test_foreign_package(void **state)
{
	static const vigil_package other = { .type = VIGIL_PKG_NPM, .name = "left-pad", .version = "1.0.0" };
	vigil_vuln_report vr;
	vigil_finding f[3];
	size_t len;
	make_report(&vr, f);
	f[2].package = &other;
	f[2].package_index = 99;
	char *page = render(&vr, &index_report, &len);
	json_t *j = data_of(page);
	json_t *f2 = json_array_get(json_object_get(j, "findings"), 2);
	assert_int_equal(json_integer_value(json_object_get(f2, "pkg")), 3);
	json_t *p3 = json_array_get(json_object_get(j, "packages"), 3);
	assert_string_equal(json_string_value(json_object_get(p3, "name")), "left-pad");
	assert_int_equal(json_integer_value(json_object_get(p3, "layer")), -1);
	json_decref(j);
	free(page);
}

/* ---- the synthetic big report ---- */
struct big {
	vigil_layer_info layers[3];
	vigil_package *pkgs;
	char (*names)[32];
	char (*ids)[32];
	char (*titles)[96];
	vigil_finding *f;
	vigil_index_report ir;
	vigil_vuln_report vr;
};

static void big_free(struct big *b)
{
	free(b->pkgs);
	free(b->names);
	free(b->ids);
	free(b->titles);
	free(b->f);
}

static void big_make(struct big *b)
{
	static const char *const digests[] = { "sha256:1111111111111111111111111111111111111111111111111111111111111111",
					       "sha256:2222222222222222222222222222222222222222222222222222222222222222",
					       "sha256:3333333333333333333333333333333333333333333333333333333333333333" };
	static const char *const created[] = { "/bin/sh -c #(nop) ADD file:0123 in / ",
					       "RUN apk add --no-cache python3 py3-pip nodejs npm",
					       "COPY app/ /app/ # buildkit" };
	unsigned seed = 12345;
	memset(b, 0, sizeof(*b));
	b->pkgs = calloc(HTML_BIG_PACKAGES, sizeof(*b->pkgs));
	b->names = calloc(HTML_BIG_PACKAGES, sizeof(*b->names));
	b->ids = calloc(HTML_BIG_FINDINGS, sizeof(*b->ids));
	b->titles = calloc(HTML_BIG_FINDINGS, sizeof(*b->titles));
	b->f = calloc(HTML_BIG_FINDINGS, sizeof(*b->f));
	assert_true(b->pkgs && b->names && b->ids && b->titles && b->f);
	for (int i = 0; i < 3; i++)
		b->layers[i] = (vigil_layer_info){ .digest = digests[i], .size = 1000000u * (unsigned)(i + 1),
						   .created_by = created[i], .packages = HTML_BIG_PACKAGES / 3 };
	for (int i = 0; i < HTML_BIG_PACKAGES; i++) {
		vigil_package *p = &b->pkgs[i];
		snprintf(b->names[i], sizeof(b->names[i]), "pkg-%d", i);
		p->name = b->names[i];
		p->version = "1.0.0-r0";
		p->type = i % 3 == 0 ? VIGIL_PKG_APK : i % 3 == 1 ? VIGIL_PKG_NPM : VIGIL_PKG_PYPI;
		p->package_db = p->type == VIGIL_PKG_APK ? "lib/apk/db/installed" : "app/package-lock.json";
		p->introduced_in = digests[i % 3];
	}
	for (int i = 0; i < HTML_BIG_FINDINGS; i++) {
		vigil_finding *f = &b->f[i];
		int pi = i * HTML_BIG_PACKAGES / HTML_BIG_FINDINGS;
		seed = seed * 1103515245u + 12345u;
		snprintf(b->ids[i], sizeof(b->ids[i]), "CVE-20%02u-%05d", 10 + (seed >> 8) % 15, i);
		snprintf(b->titles[i], sizeof(b->titles[i]), "synthetic finding %d of pkg-%d </script><i>", i, pi);
		f->package_index = (size_t)pi;
		f->package = &b->pkgs[pi];
		f->id = b->ids[i];
		f->severity = (vigil_severity)((seed >> 16) % 6);
		f->state = (seed >> 20) % 3 ? VIGIL_STATE_FIXED : VIGIL_STATE_NOT_FIXED;
		f->fixed = f->state == VIGIL_STATE_FIXED ? "1.0.1-r0" : NULL;
		f->cvss_score = (double)((seed >> 4) % 101) / 10.0;
		f->summary = b->titles[i];
		f->description = "A synthetic description, long enough to be a paragraph of an advisory.";
		f->feed = "synthetic";
	}
	b->ir = (vigil_index_report){ .manifest_hash = "sha256:big", .image = "synthetic:5000",
				      .distribution = &dist, .packages = b->pkgs, .package_count = HTML_BIG_PACKAGES,
				      .layers = b->layers, .layer_count = 3 };
	b->vr = (vigil_vuln_report){ .index = &b->ir, .namespace = "alpine:3.10", .findings = b->f,
				     .finding_count = HTML_BIG_FINDINGS, .packages_matched = HTML_BIG_PACKAGES };
}

static void test_big(void **state)
{
	struct big b;
	size_t len;
	const char *path = getenv("VIGIL_HTML_BIG_OUT");
	big_make(&b);
	char *page = render(&b.vr, &b.ir, &len);
	json_t *j = data_of(page);
	assert_int_equal(json_array_size(json_object_get(j, "findings")), HTML_BIG_FINDINGS);
	/* about 400 bytes a finding: the page stays small enough to open at once */
	assert_true(len < (size_t)HTML_BIG_FINDINGS * 600);
	json_decref(j);
	if (path && *path) {
		FILE *fp = fopen(path, "wb");
		assert_non_null(fp);
		assert_int_equal(fwrite(page, 1, len, fp), len);
		assert_int_equal(fclose(fp), 0);
		printf("wrote %s (%zu bytes, %d findings)\n", path, len, HTML_BIG_FINDINGS);
		fflush(stdout);
	}
	free(page);
	big_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escaping),     cmocka_unit_test(test_self_contained),
		cmocka_unit_test(test_deterministic), cmocka_unit_test(test_empty),
		cmocka_unit_test(test_foreign_package), cmocka_unit_test(test_big),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
