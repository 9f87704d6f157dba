/* tests/report/test_sbom_out.c: the CycloneDX 1.6 and SPDX 2.3 writers on
 * hand-made reports, parsed back with jansson and checked member by
 * member: unique references and SPDX ids, purls, layers, licenses (only
 * valid SPDX expressions as such), dependencies and relationships, the
 * vulnerabilities section (ratings, affects, fixed versions, the analysis
 * of suppressed findings), the same bytes for the same input and time, odd
 * characters in names, empty reports. The schemas themselves are checked
 * on real images by tests/integration/test_sbom_out.sh. */
#include "helpers.h"
#include "report/report_priv.h"
#include "report/sbom_out.h"
#include "util/error.h"
#include "vigil/match.h"
#include "vigil/report.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOW 1704164645 /* 2024-01-02T03:04:05Z */
#define ODD_NAME "we\"ird\\name/\xc3\xa9 \x01x"

static const vigil_distribution dist = {
	.did = "debian", .name = "Debian GNU/Linux", .version = "12 (bookworm)", .version_id = "12",
	.version_code_name = "bookworm", .pretty_name = "Debian GNU/Linux 12 (bookworm)",
	.source_file = "etc/os-release",
};
static const vigil_layer_info layers[] = {
	{ .digest = "sha256:aa", .created_by = "/bin/sh -c #(nop) ADD file:1 in /" },
	{ .digest = "sha256:bb", .created_by = "RUN apt-get install -y \"openssl\"" },
};
static const vigil_package pkgs[] = {
	{ .type = VIGIL_PKG_DPKG, .name = "libssl3", .version = "3.0.11-1~deb12u2", .arch = "amd64",
	  .source_name = "openssl", .source_version = "3.0.11-1~deb12u2", .package_db = "var/lib/dpkg/status",
	  .introduced_in = "sha256:bb", .maintainer = "Debian OpenSSL Team <pkg-openssl-devel@alioth>" },
	{ .type = VIGIL_PKG_DPKG, .name = "openssl", .version = "3.0.11-1~deb12u2", .arch = "amd64",
	  .source_name = "openssl", .source_version = "3.0.11-1~deb12u2", .package_db = "var/lib/dpkg/status",
	  .introduced_in = "sha256:bb", .license = "Apache-2.0" },
	{ .type = VIGIL_PKG_DPKG, .name = ODD_NAME, .version = "1:2.0+b1", .arch = "all",
	  .package_db = "var/lib/dpkg/status", .introduced_in = "sha256:aa", .license = "mit and bsd" },
	{ .type = VIGIL_PKG_DPKG, .name = "zlib1g", .version = "1:1.2.13.dfsg-1", .arch = "amd64",
	  .source_name = "zlib", .source_version = "1:1.2.13.dfsg-1", .package_db = "var/lib/dpkg/status",
	  .introduced_in = "sha256:aa", .license = "(zlib OR mit) AND GPL-2.0+" },
	/* the same npm package in two places: one purl, two components */
	{ .type = VIGIL_PKG_NPM, .name = "lodash", .version = "4.17.20", .purl = "pkg:npm/lodash@4.17.20",
	  .package_db = "app/node_modules/lodash/package.json", .introduced_in = "sha256:bb",
	  .flags = VIGIL_PKG_F_DEV },
	{ .type = VIGIL_PKG_NPM, .name = "lodash", .version = "4.17.20", .purl = "pkg:npm/lodash@4.17.20",
	  .package_db = "usr/lib/node_modules/lodash/package.json", .introduced_in = "sha256:bb",
	  .flags = VIGIL_PKG_F_OS_OWNED, .owner = "dpkg:node-lodash" },
};
#define NPKGS (sizeof(pkgs) / sizeof(pkgs[0]))
static const vigil_index_report index_report = {
	.manifest_hash = "sha256:1234", .image = "oci:/tmp/img:v2", .distribution = &dist, .packages = pkgs,
	.package_count = NPKGS, .layers = layers, .layer_count = 2,
};

static const char *const links_3711[] = { "https://security-tracker.debian.org/tracker/CVE-2023-0001",
					  "https://www.openssl.org/news/secadv/20230101.txt" };
static const char *const aliases[] = { "GHSA-aaaa-bbbb-cccc", "CVE-2023-0001" };
static const char *const advisories[] = { "DSA-5500-1" };

static vigil_finding finding(size_t pi, const char *id)
{
	vigil_finding f = { .package_index = pi, .package = &pkgs[pi], .id = id, .feed = "debian", .source = "debian",
			    .namespace = "debian:12", .matched_name = pkgs[pi].name, .state = VIGIL_STATE_FIXED,
			    .severity = VIGIL_SEV_HIGH, .cvss_score = -1, .introduced_in = pkgs[pi].introduced_in };
	return f;
}

static void make_vulns(vigil_vuln_report *r, vigil_finding *f, vigil_suppression *s)
{
	f[0] = finding(0, "CVE-2023-0001");
	f[0].fixed = "3.0.11-1~deb12u3";
	f[0].severity = VIGIL_SEV_CRITICAL;
	f[0].cvss_score = 9.8;
	f[0].cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
	f[0].cvss_source = "nvd";
	f[0].description = "A \"quoted\"\nline";
	f[0].summary = "short";
	f[0].published = "2023-01-05T10:00:00.000";
	f[0].links = links_3711;
	f[0].nlinks = 2;
	f[0].aliases = aliases;
	f[0].naliases = 2;
	f[0].advisories = advisories;
	f[0].nadvisories = 1;
	f[1] = f[0];
	f[1].package_index = 1;
	f[1].package = &pkgs[1];
	f[1].fixed = "3.0.11-1~deb12u4"; /* another fix for the other binary */
	f[2] = finding(3, "CVE-2018-25032");
	f[2].state = VIGIL_STATE_WILL_NOT_FIX;
	f[2].severity = VIGIL_SEV_NEGLIGIBLE;
	f[2].cvss_score = 7.5;
	f[2].cvss_vector = "AV:N/AC:L/Au:N/C:P/I:P/A:P";
	f[2].published = "not a date";
	memset(r, 0, sizeof(*r));
	r->index = &index_report;
	r->namespace = "debian:12";
	r->findings = f;
	r->finding_count = 3;
	s[0] = (vigil_suppression){ .finding = finding(2, "CVE-2020-1111"), .status = "not_affected",
				    .justification = "vulnerable_code_not_present", .by = "vex.json" };
	s[1] = (vigil_suppression){ .finding = finding(3, "CVE-2020-2222"), .status = "ignored",
				    .justification = "accepted risk", .by = ".vigilignore:3" };
	r->suppressed = s;
	r->suppressed_count = 2;
}

static char *render(const vigil_index_report *ir, const vigil_vuln_report *vr, vigil_report_format f, int64_t now,
		    const char *image)
{
	vigil_report_input in = { .index = ir, .vulns = vr, .image = image };
	vigil_report_options o;
	char *out = NULL;
	size_t len = 0;
	vigil_report_options_init(&o);
	o.now = now;
	if (vigil_report_render(&in, f, &o, &out, &len) < 0)
		fail_msg("render %s: %s", vigil_report_format_name(f), vigil_error_message());
	assert_int_equal(strlen(out), len);
	return out;
}

static json_t *parse(const char *s)
{
	json_error_t e;
	json_t *j = json_loads(s, 0, &e);
	if (!j)
		fail_msg("does not parse: %s (line %d)", e.text, e.line);
	return j;
}

#define STR(o, k) json_string_value(json_object_get((o), (k)))

/* The value of property name of o, NULL when absent. */
static const char *prop(json_t *o, const char *name)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(o, "properties"), i, p)
		if (!strcmp(STR(p, "name"), name))
			return STR(p, "value");
	return NULL;
}

static json_t *component(json_t *bom, const char *ref)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(bom, "components"), i, c)
		if (!strcmp(STR(c, "bom-ref"), ref))
			return c;
	return NULL;
}

static void assert_uuid(const char *s)
{
	assert_int_equal(strlen(s), 36);
	for (int i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23)
			assert_int_equal(s[i], '-');
		else
			assert_non_null(strchr("0123456789abcdef", s[i]));
	assert_int_equal(s[14], '8'); /* version 8 */
	assert_non_null(strchr("89ab", s[19]));
}

static void test_cdx_inventory(void **state)
{
	(void)state;
	char *s = render(&index_report, NULL, VIGIL_FMT_CYCLONEDX, NOW, NULL);
	json_t *bom = parse(s), *meta = json_object_get(bom, "metadata"), *img = json_object_get(meta, "component");
	json_t *comps = json_object_get(bom, "components"), *c, *deps;
	size_t i, j;

	assert_string_equal(STR(bom, "bomFormat"), "CycloneDX");
	assert_string_equal(STR(bom, "specVersion"), "1.6");
	assert_int_equal(json_integer_value(json_object_get(bom, "version")), 1);
	assert_int_equal(strncmp(STR(bom, "serialNumber"), "urn:uuid:", 9), 0);
	assert_uuid(STR(bom, "serialNumber") + 9);
	assert_string_equal(STR(meta, "timestamp"), "2024-01-02T03:04:05Z");
	c = json_array_get(json_object_get(json_object_get(meta, "tools"), "components"), 0);
	assert_string_equal(STR(c, "name"), "vigil");
	assert_string_equal(STR(c, "version"), vigil_version());
	/* the image: the reference, the manifest digest, the layers */
	assert_string_equal(STR(img, "type"), "container");
	assert_string_equal(STR(img, "name"), "oci:/tmp/img:v2");
	assert_string_equal(STR(img, "version"), "sha256:1234");
	assert_null(json_object_get(img, "purl")); /* not a registry reference */
	assert_string_equal(prop(img, "vigil:layer:1:digest"), "sha256:bb");
	assert_string_equal(prop(img, "vigil:layer:1:created_by"), "RUN apt-get install -y \"openssl\"");
	/* the OS first, then every package in report order */
	assert_int_equal(json_array_size(comps), 1 + NPKGS);
	c = json_array_get(comps, 0);
	assert_string_equal(STR(c, "type"), "operating-system");
	assert_string_equal(STR(c, "name"), "debian");
	assert_string_equal(STR(c, "version"), "12");
	assert_string_equal(STR(c, "bom-ref"), "os:debian@12");
	for (i = 1; i < json_array_size(comps); i++) {
		c = json_array_get(comps, i);
		assert_string_equal(STR(c, "type"), "library");
		assert_string_equal(STR(c, "name"), pkgs[i - 1].name);
		assert_string_equal(STR(c, "version"), pkgs[i - 1].version);
		assert_string_equal(prop(c, "vigil:layer"), pkgs[i - 1].introduced_in);
		assert_string_equal(prop(c, "vigil:package_db"), pkgs[i - 1].package_db);
		for (j = 0; j < i; j++) /* bom-refs are unique */
			assert_string_not_equal(STR(c, "bom-ref"), STR(json_array_get(comps, j), "bom-ref"));
	}
	/* purls as vigil_purl_of writes them; the odd name is percent-encoded */
	c = json_array_get(comps, 1);
	assert_string_equal(STR(c, "purl"), "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12"
					    "&upstream=openssl");
	assert_string_equal(STR(c, "bom-ref"), STR(c, "purl"));
	assert_string_equal(prop(c, "vigil:source_name"), "openssl");
	assert_string_equal(STR(json_object_get(c, "supplier"), "name"), "Debian OpenSSL Team <pkg-openssl-devel@alioth>");
	c = json_array_get(comps, 3);
	assert_string_equal(STR(c, "purl"), "pkg:deb/debian/we%22ird%5Cname%2F%C3%A9%20%01x@1%3A2.0%2Bb1?arch=all"
					    "&distro=debian-12");
	/* licenses: an id, an expression, free text as a name */
	c = json_array_get(json_object_get(json_array_get(comps, 2), "licenses"), 0);
	assert_string_equal(STR(json_object_get(c, "license"), "id"), "Apache-2.0");
	c = json_array_get(json_object_get(json_array_get(comps, 4), "licenses"), 0);
	assert_string_equal(STR(c, "expression"), "(Zlib OR MIT) AND GPL-2.0+");
	c = json_array_get(json_object_get(json_array_get(comps, 3), "licenses"), 0);
	assert_string_equal(STR(json_object_get(c, "license"), "name"), "mit and bsd");
	assert_null(json_object_get(json_array_get(comps, 1), "licenses"));
	/* the duplicate purl: the second gets a package-id */
	c = json_array_get(comps, 6);
	assert_string_equal(STR(c, "purl"), "pkg:npm/lodash@4.17.20");
	assert_int_equal(strncmp(STR(c, "bom-ref"), "pkg:npm/lodash@4.17.20?package-id=", 34), 0);
	assert_string_equal(prop(c, "vigil:os_owned"), "true");
	assert_string_equal(prop(c, "vigil:owner"), "dpkg:node-lodash");
	assert_null(prop(c, "vigil:source_name"));
	assert_string_equal(prop(json_array_get(comps, 5), "vigil:dev"), "true");
	assert_null(prop(json_array_get(comps, 5), "vigil:os_owned"));
	/* image -> OS and every package; OS -> the four OS packages */
	deps = json_object_get(bom, "dependencies");
	assert_int_equal(json_array_size(deps), 2);
	assert_string_equal(STR(json_array_get(deps, 0), "ref"), STR(img, "bom-ref"));
	assert_int_equal(json_array_size(json_object_get(json_array_get(deps, 0), "dependsOn")), 1 + NPKGS);
	assert_string_equal(STR(json_array_get(deps, 1), "ref"), "os:debian@12");
	assert_int_equal(json_array_size(json_object_get(json_array_get(deps, 1), "dependsOn")), 4);
	assert_null(json_object_get(bom, "vulnerabilities")); /* inventory only */
	json_decref(bom);
	free(s);
}

static void test_same_bytes(void **state)
{
	(void)state;
	vigil_package changed[NPKGS];
	vigil_index_report ir = index_report;
	for (int f = VIGIL_FMT_CYCLONEDX; f <= VIGIL_FMT_SPDX; f++) {
		char *a = render(&index_report, NULL, (vigil_report_format)f, NOW, NULL);
		char *b = render(&index_report, NULL, (vigil_report_format)f, NOW, NULL);
		char *c = render(&index_report, NULL, (vigil_report_format)f, NOW + 1, NULL);
		assert_string_equal(a, b);
		assert_string_not_equal(a, c);
		memcpy(changed, pkgs, sizeof(pkgs));
		changed[3].version = "1:1.2.13.dfsg-2";
		ir.packages = changed;
		char *d = render(&ir, NULL, (vigil_report_format)f, NOW, NULL);
		json_t *ja = parse(a), *jd = parse(d);
		const char *key = f == VIGIL_FMT_CYCLONEDX ? "serialNumber" : "documentNamespace";
		assert_string_not_equal(STR(ja, key), STR(jd, key)); /* the uuid is the content's */
		json_decref(ja), json_decref(jd);
		free(a), free(b), free(c), free(d);
	}
}

static json_t *vuln(json_t *bom, const char *id, const char *suppressed)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(bom, "vulnerabilities"), i, v)
		if (!strcmp(STR(v, "id"), id) && (!suppressed) == !prop(v, "vigil:suppressed"))
			return v;
	fail_msg("no vulnerability %s", id);
	return NULL;
}

static void test_cdx_vulnerabilities(void **state)
{
	(void)state;
	vigil_vuln_report vr;
	vigil_finding f[3];
	vigil_suppression s[2];
	make_vulns(&vr, f, s);
	char *out = render(&index_report, &vr, VIGIL_FMT_CYCLONEDX, NOW, NULL);
	json_t *bom = parse(out), *v, *a, *r;
	assert_int_equal(json_array_size(json_object_get(bom, "vulnerabilities")), 4);

	/* one entry for the id, affecting both binaries, each with its fix */
	v = vuln(bom, "CVE-2023-0001", NULL);
	a = json_object_get(v, "affects");
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(STR(json_array_get(a, 0), "ref"), STR(component(bom, STR(json_array_get(a, 0), "ref")),
								    "bom-ref"));
	r = json_object_get(json_array_get(a, 1), "versions");
	assert_string_equal(STR(json_array_get(r, 0), "version"), "3.0.11-1~deb12u2");
	assert_string_equal(STR(json_array_get(r, 0), "status"), "affected");
	assert_string_equal(STR(json_array_get(r, 1), "version"), "3.0.11-1~deb12u4");
	assert_string_equal(STR(json_array_get(r, 1), "status"), "unaffected");
	assert_string_equal(STR(v, "recommendation"),
			    "Upgrade libssl3 to version 3.0.11-1~deb12u3; Upgrade openssl to version 3.0.11-1~deb12u4");
	assert_string_equal(STR(json_object_get(v, "source"), "name"), "debian");
	assert_string_equal(STR(json_object_get(v, "source"), "url"), links_3711[0]);
	assert_string_equal(STR(v, "description"), "A \"quoted\"\nline");
	assert_string_equal(STR(v, "detail"), "short");
	assert_string_equal(STR(v, "published"), "2023-01-05T10:00:00.000Z");
	assert_int_equal(json_array_size(json_object_get(v, "advisories")), 2);
	r = json_object_get(v, "references"); /* GHSA and DSA; the CVE itself is not another id */
	assert_int_equal(json_array_size(r), 2);
	assert_string_equal(STR(json_array_get(r, 0), "id"), "GHSA-aaaa-bbbb-cccc");
	assert_string_equal(STR(json_object_get(json_array_get(r, 0), "source"), "url"),
			    "https://github.com/advisories/GHSA-aaaa-bbbb-cccc");
	assert_string_equal(STR(json_array_get(r, 1), "id"), "DSA-5500-1");
	r = json_object_get(v, "ratings");
	assert_int_equal(json_array_size(r), 2);
	assert_string_equal(STR(json_array_get(r, 0), "severity"), "critical");
	assert_string_equal(STR(json_object_get(json_array_get(r, 1), "source"), "name"), "nvd");
	assert_string_equal(STR(json_array_get(r, 1), "method"), "CVSSv31");
	assert_true(json_real_value(json_object_get(json_array_get(r, 1), "score")) == 9.8);
	assert_string_equal(STR(json_array_get(r, 1), "severity"), "critical");
	assert_null(json_object_get(v, "analysis"));
	assert_string_equal(prop(v, "vigil:state"), "fixed");

	/* CVSS v2, Negligible, a date that is none, no fix */
	v = vuln(bom, "CVE-2018-25032", NULL);
	r = json_object_get(v, "ratings");
	assert_string_equal(STR(json_array_get(r, 0), "severity"), "info");
	assert_string_equal(STR(json_array_get(r, 1), "method"), "CVSSv2");
	assert_string_equal(STR(json_array_get(r, 1), "severity"), "high");
	assert_null(json_object_get(v, "published"));
	assert_null(json_object_get(v, "recommendation"));
	assert_int_equal(json_array_size(json_object_get(json_array_get(json_object_get(v, "affects"), 0), "versions")),
			 1);
	assert_string_equal(prop(v, "vigil:state"), "will-not-fix");

	/* suppressed: a VEX statement with CycloneDX's justification, an ignore rule with none */
	v = vuln(bom, "CVE-2020-1111", "yes");
	a = json_object_get(v, "analysis");
	assert_string_equal(STR(a, "state"), "not_affected");
	assert_string_equal(STR(a, "justification"), "code_not_present");
	assert_string_equal(STR(a, "detail"), "suppressed (not_affected) by vex.json: vulnerable_code_not_present");
	v = vuln(bom, "CVE-2020-2222", "yes");
	a = json_object_get(v, "analysis");
	assert_null(json_object_get(a, "state"));
	assert_null(json_object_get(a, "justification"));
	assert_string_equal(STR(a, "detail"), "suppressed (ignored) by .vigilignore:3: accepted risk");
	assert_string_equal(prop(v, "vigil:suppressed_by"), ".vigilignore:3");
	json_decref(bom);
	free(out);

	/* nothing found: an empty list, as Trivy writes it */
	vr.finding_count = vr.suppressed_count = 0;
	out = render(&index_report, &vr, VIGIL_FMT_CYCLONEDX, NOW, NULL);
	bom = parse(out);
	assert_true(json_is_array(json_object_get(bom, "vulnerabilities")));
	assert_int_equal(json_array_size(json_object_get(bom, "vulnerabilities")), 0);
	json_decref(bom);
	free(out);
}

/* "SPDXRef-" then only [A-Za-z0-9.-] */
static void assert_spdxid(const char *id)
{
	assert_int_equal(strncmp(id, "SPDXRef-", 8), 0);
	assert_true(strlen(id) > 8);
	for (const char *c = id + 8; *c; c++)
		assert_non_null(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-", *c));
}

static void test_spdx(void **state)
{
	(void)state;
	vigil_vuln_report vr;
	vigil_finding f[3];
	vigil_suppression sup[2];
	make_vulns(&vr, f, sup);
	char *s = render(&index_report, &vr, VIGIL_FMT_SPDX, NOW, NULL); /* findings: no place in SPDX */
	json_t *doc = parse(s), *ps = json_object_get(doc, "packages"), *rels = json_object_get(doc, "relationships");
	json_t *p, *r;
	size_t i, j;
	char want[64];

	assert_string_equal(STR(doc, "spdxVersion"), "SPDX-2.3");
	assert_string_equal(STR(doc, "dataLicense"), "CC0-1.0");
	assert_string_equal(STR(doc, "SPDXID"), "SPDXRef-DOCUMENT");
	assert_string_equal(STR(doc, "name"), "oci:/tmp/img:v2");
	const char *ns = STR(doc, "documentNamespace");
	assert_int_equal(strncmp(ns, "https://vigil.invalid/spdx/oci--tmp-img-v2-", 43), 0);
	assert_uuid(ns + 43);
	assert_string_equal(STR(json_object_get(doc, "creationInfo"), "created"), "2024-01-02T03:04:05Z");
	snprintf(want, sizeof(want), "Tool: vigil-%s", vigil_version());
	assert_string_equal(json_string_value(json_array_get(json_object_get(json_object_get(doc, "creationInfo"),
									     "creators"), 0)), want);
	assert_int_equal(json_array_size(ps), 2 + NPKGS);
	p = json_array_get(ps, 0);
	assert_string_equal(STR(p, "primaryPackagePurpose"), "CONTAINER");
	assert_string_equal(STR(p, "versionInfo"), "sha256:1234");
	p = json_array_get(ps, 1);
	assert_string_equal(STR(p, "primaryPackagePurpose"), "OPERATING_SYSTEM");
	assert_string_equal(STR(p, "name"), "debian");
	assert_string_equal(STR(p, "versionInfo"), "12");
	for (i = 0; i < json_array_size(ps); i++) {
		p = json_array_get(ps, i);
		assert_spdxid(STR(p, "SPDXID"));
		for (j = 0; j < i; j++)
			assert_string_not_equal(STR(p, "SPDXID"), STR(json_array_get(ps, j), "SPDXID"));
		assert_string_equal(STR(p, "downloadLocation"), "NOASSERTION");
		assert_string_equal(STR(p, "licenseConcluded"), "NOASSERTION");
		assert_string_equal(STR(p, "copyrightText"), "NOASSERTION");
		assert_true(json_is_false(json_object_get(p, "filesAnalyzed")));
		if (i < 2)
			continue;
		assert_string_equal(STR(p, "name"), pkgs[i - 2].name);
		assert_string_equal(STR(p, "primaryPackagePurpose"), "LIBRARY");
		r = json_array_get(json_object_get(p, "externalRefs"), 0);
		assert_string_equal(STR(r, "referenceCategory"), "PACKAGE-MANAGER");
		assert_string_equal(STR(r, "referenceType"), "purl");
		assert_non_null(strstr(STR(p, "sourceInfo"), pkgs[i - 2].package_db));
		assert_non_null(strstr(STR(p, "sourceInfo"), pkgs[i - 2].introduced_in));
	}
	assert_int_equal(strncmp(STR(json_array_get(ps, 2), "SPDXID"), "SPDXRef-Package-deb-libssl3-", 28), 0);
	assert_int_equal(strncmp(STR(json_array_get(ps, 4), "SPDXID"), "SPDXRef-Package-deb-we-ird-name-----x-", 38),
			 0);
	assert_string_equal(STR(json_array_get(ps, 3), "licenseDeclared"), "Apache-2.0");
	assert_string_equal(STR(json_array_get(ps, 4), "licenseDeclared"), "NOASSERTION"); /* "mit and bsd" */
	assert_string_equal(STR(json_array_get(ps, 5), "licenseDeclared"), "(Zlib OR MIT) AND GPL-2.0+");
	assert_string_equal(STR(json_array_get(ps, 2), "licenseDeclared"), "NOASSERTION");
	/* DOCUMENT DESCRIBES image; image CONTAINS the OS and every package */
	assert_int_equal(json_array_size(rels), 2 + NPKGS);
	r = json_array_get(rels, 0);
	assert_string_equal(STR(r, "spdxElementId"), "SPDXRef-DOCUMENT");
	assert_string_equal(STR(r, "relationshipType"), "DESCRIBES");
	assert_string_equal(STR(r, "relatedSpdxElement"), STR(json_array_get(ps, 0), "SPDXID"));
	for (i = 1; i < json_array_size(rels); i++) {
		r = json_array_get(rels, i);
		assert_string_equal(STR(r, "spdxElementId"), STR(json_array_get(ps, 0), "SPDXID"));
		assert_string_equal(STR(r, "relationshipType"), "CONTAINS");
		assert_string_equal(STR(r, "relatedSpdxElement"), STR(json_array_get(ps, i), "SPDXID"));
	}
	json_decref(doc);
	free(s);
}

static void test_empty(void **state)
{
	(void)state;
	static const vigil_index_report empty = { .manifest_hash = "sha256:00" };
	vigil_vuln_report vr = { .index = &empty };
	char *s = render(&empty, NULL, VIGIL_FMT_CYCLONEDX, NOW, "scratch");
	json_t *j = parse(s), *d;
	assert_int_equal(json_array_size(json_object_get(j, "components")), 0);
	d = json_object_get(j, "dependencies");
	assert_int_equal(json_array_size(d), 1);
	assert_int_equal(json_array_size(json_object_get(json_array_get(d, 0), "dependsOn")), 0);
	assert_string_equal(STR(json_object_get(json_object_get(j, "metadata"), "component"), "name"), "scratch");
	json_decref(j);
	free(s);
	s = render(&empty, &vr, VIGIL_FMT_CYCLONEDX, NOW, NULL);
	j = parse(s);
	assert_int_equal(json_array_size(json_object_get(j, "vulnerabilities")), 0);
	json_decref(j);
	free(s);
	s = render(&empty, NULL, VIGIL_FMT_SPDX, NOW, NULL);
	j = parse(s);
	assert_int_equal(json_array_size(json_object_get(j, "packages")), 1);
	assert_int_equal(json_array_size(json_object_get(j, "relationships")), 1);
	json_decref(j);
	free(s);
	/* the other formats still need vulnerability data */
	vigil_report_input in = { .index = &empty };
	char *out;
	size_t len;
	assert_int_equal(vigil_report_render(&in, VIGIL_FMT_SARIF, NULL, &out, &len), VIGIL_EINVAL);
}

static void test_image_purl(void **state)
{
	(void)state;
	static const struct {
		const char *image, *purl;
	} cases[] = {
		{ "registry.example.com:5000/team/App:1.2", "pkg:oci/app@sha256%3A1234?repository_url=registry.example.com"
							    "%3A5000/team/App&tag=1.2" },
		{ "alpine:3.19", "pkg:oci/alpine@sha256%3A1234?repository_url=docker.io/library/alpine&tag=3.19" },
		{ "docker://ghcr.io/o/r@sha256:1234", "pkg:oci/r@sha256%3A1234?repository_url=ghcr.io/o/r" },
		{ "localhost/x", "pkg:oci/x@sha256%3A1234?repository_url=localhost/x" },
		{ "library/debian", "pkg:oci/debian@sha256%3A1234?repository_url=docker.io/library/debian" },
		{ "oci:/tmp/img:v2", NULL },
		{ "docker-archive:/tmp/a.tar", NULL },
		{ "/tmp", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = render(&index_report, NULL, VIGIL_FMT_CYCLONEDX, NOW, cases[i].image);
		json_t *j = parse(s), *img = json_object_get(json_object_get(j, "metadata"), "component");
		if (cases[i].purl) {
			assert_string_equal(STR(img, "purl"), cases[i].purl);
			assert_string_equal(STR(img, "bom-ref"), cases[i].purl);
		} else {
			assert_null(json_object_get(img, "purl"));
			assert_string_equal(STR(img, "bom-ref"), "image:sha256:1234");
		}
		json_decref(j);
		free(s);
	}
}

static void test_license_expressions(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
		bool single;
	} cases[] = {
		{ "MIT", "MIT", true },
		{ "mit", "MIT", true },
		{ " GPL-2.0-or-later ", "GPL-2.0-or-later", true },
		{ "GPL-2.0+", "GPL-2.0+", true },
		{ "LGPL-2.1-only+", "LGPL-2.1-only+", false },
		{ "Apache-2.0 WITH LLVM-exception", "Apache-2.0 WITH LLVM-exception", false },
		{ "(MIT OR Apache-2.0) AND BSD-3-Clause", "(MIT OR Apache-2.0) AND BSD-3-Clause", false },
		{ "((mit))", "((MIT))", false },
		{ "MIT BSD", NULL, false },
		{ "GPL2+", NULL, false },
		{ "MIT and BSD-3-Clause", NULL, false },
		{ "LicenseRef-foo", NULL, false },
		{ "(MIT", NULL, false },
		{ "MIT)", NULL, false },
		{ "MIT AND", NULL, false },
		{ "MIT WITH MIT", NULL, false },
		{ "", NULL, false },
		{ "Public Domain", NULL, false },
	};
	vigil_buf b;
	vigil_buf_init(&b, 4096);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool single = !cases[i].single;
		vigil_buf_reset(&b);
		bool ok = sbom_license_spdx(cases[i].in, &b, &single);
		if (ok != (cases[i].out != NULL))
			fail_msg("'%s': %s", cases[i].in, ok ? "taken" : "refused");
		if (ok) {
			assert_string_equal(vigil_buf_cstr(&b), cases[i].out);
			assert_int_equal(single, cases[i].single);
		} else {
			assert_string_equal(vigil_buf_cstr(&b), "");
		}
	}
	/* past the token limit */
	vigil_buf long_expr;
	vigil_buf_init(&long_expr, 8192);
	vigil_buf_puts(&long_expr, "MIT");
	for (int i = 0; i < SBOM_LICENSE_MAX_TOKENS; i++)
		vigil_buf_puts(&long_expr, " OR MIT");
	bool single;
	vigil_buf_reset(&b);
	assert_false(sbom_license_spdx(vigil_buf_cstr(&long_expr), &b, &single));
	vigil_buf_free(&long_expr);
	vigil_buf_free(&b);
}

/* Every id and exception of the list is one of SPDX's (CycloneDX's copy of
 * the SPDX license list, as its schema has it). */
static void test_license_ids_are_spdx(void **state)
{
	(void)state;
	const char *data = th_testdata();
	if (!data)
		skip();
	json_error_t e;
	json_t *schema = json_load_file(th_data_path("specs/cyclonedx/spdx.schema.json"), 0, &e), *v;
	assert_non_null(schema);
	json_t *list = json_object_get(schema, "enum");
	size_t n, k, i;
	for (int pass = 0; pass < 2; pass++) {
		const char *const *ids = pass ? sbom_license_exceptions(&n) : sbom_license_ids(&n);
		for (k = 0; k < n; k++) {
			bool found = false;
			json_array_foreach(list, i, v)
				if (!strcmp(json_string_value(v), ids[k]))
					found = true;
			if (!found)
				fail_msg("%s is not in SPDX's list", ids[k]);
		}
	}
	json_decref(schema);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cdx_inventory),
		cmocka_unit_test(test_same_bytes),
		cmocka_unit_test(test_cdx_vulnerabilities),
		cmocka_unit_test(test_spdx),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_image_purl),
		cmocka_unit_test(test_license_expressions),
		cmocka_unit_test(test_license_ids_are_spdx),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
