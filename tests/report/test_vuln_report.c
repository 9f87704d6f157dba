/* tests/report/test_vuln_report.c: the VulnerabilityReport JSON (Clair v4's
 * shape, parsed back with jansson and checked field by field, and against
 * the members Clair's schema allows) and the text table (exact lines), on
 * hand-made reports; the IndexReport JSON the two share builders with, to
 * the byte. */
#include "helpers.h"
#include "report/report_priv.h"
#include "util/error.h"
#include "vigil/match.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const vigil_distribution dist = {
	.did = "debian", .name = "Debian GNU/Linux", .version = "11 (bullseye)", .version_id = "11",
	.version_code_name = "bullseye", .pretty_name = "Debian GNU/Linux 11 (bullseye)",
};
static const vigil_package pkgs[] = {
	{ .type = VIGIL_PKG_DPKG, .name = "libssl1.1", .version = "1.1.1d-0+deb11u1", .arch = "amd64",
	  .source_name = "openssl", .source_version = "1.1.1d-0+deb11u1", .package_db = "var/lib/dpkg/status",
	  .introduced_in = "sha256:aa" },
	{ .type = VIGIL_PKG_DPKG, .name = "openssl", .version = "1.1.1d-0+deb11u1", .arch = "amd64",
	  .source_name = "openssl", .source_version = "1.1.1d-0+deb11u1", .package_db = "var/lib/dpkg/status",
	  .introduced_in = "sha256:bb" },
	{ .type = VIGIL_PKG_DPKG, .name = "tzdata", .version = "2021a-1", .arch = "all",
	  .package_db = "var/lib/dpkg/status", .introduced_in = "sha256:aa" },
	{ .type = VIGIL_PKG_DPKG, .name = "zlib1g", .version = "1:1.2.11.dfsg-2", .arch = "amd64",
	  .source_name = "zlib", .source_version = "1:1.2.11.dfsg-2", .package_db = "var/lib/dpkg/status",
	  .introduced_in = "sha256:aa" },
};
static const vigil_index_report index_report = {
	.manifest_hash = "sha256:1234", .distribution = &dist, .packages = pkgs, .package_count = 4,
};

static const char *const links_3711[] = { "https://security-tracker.debian.org/tracker/CVE-2021-3711",
					  "https://www.openssl.org/news/secadv/20210824.txt" };
static const char *const aliases_3711[] = { "GHSA-0000-1111-2222" };
static const char *const advisories_3711[] = { "DSA-4963-1" };
static const char *const warnings[] = { "feed debian is 9 days old" };

static void make_findings(vigil_finding *f)
{
	const vigil_finding init[5] = {
		{ .package_index = 0, .package = &pkgs[0], .id = "CVE-2021-3711", .feed = "debian", .source = "debian",
		  .namespace = "debian:11", .matched_name = "openssl", .by_source = 1, .state = VIGIL_STATE_FIXED,
		  .fixed = "1.1.1d-0+deb11u2", .severity = VIGIL_SEV_CRITICAL, .vendor_severity = "high",
		  .cvss_score = 9.8, .cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", .cvss_source = "nvd",
		  .summary = "SM2 decryption buffer overflow", .description = "In order to decrypt SM2 data...",
		  .published = "2021-08-24T15:15:00.000", .links = links_3711, .nlinks = 2,
		  .aliases = aliases_3711, .naliases = 1, .advisories = advisories_3711, .nadvisories = 1 },
		{ .package_index = 0, .package = &pkgs[0], .id = "CVE-2021-3449", .feed = "debian", .source = "debian",
		  .namespace = "debian:11", .matched_name = "openssl", .by_source = 1, .state = VIGIL_STATE_NOT_FIXED,
		  .severity = VIGIL_SEV_MEDIUM, .vendor_severity = "medium", .cvss_score = 5.9,
		  .cvss_vector = "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H", .cvss_source = "debian",
		  .description = "An OpenSSL TLS server may crash\nif sent a maliciously crafted renegotiation.",
		  .published = "2021-03-25" },
		/* the same record through the other binary of the source: the same vulnerability object */
		{ .package_index = 1, .package = &pkgs[1], .id = "CVE-2021-3711", .feed = "debian", .source = "debian",
		  .namespace = "debian:11", .matched_name = "openssl", .by_source = 1, .state = VIGIL_STATE_FIXED,
		  .fixed = "1.1.1d-0+deb11u2", .severity = VIGIL_SEV_CRITICAL, .vendor_severity = "high",
		  .cvss_score = 9.8, .cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", .cvss_source = "nvd",
		  .summary = "SM2 decryption buffer overflow", .description = "In order to decrypt SM2 data...",
		  .published = "2021-08-24T15:15:00.000", .links = links_3711, .nlinks = 2,
		  .aliases = aliases_3711, .naliases = 1, .advisories = advisories_3711, .nadvisories = 1 },
		{ .package_index = 3, .package = &pkgs[3], .id = "CVE-2018-25032", .feed = "debian-lists",
		  .source = "debian", .namespace = "debian:11", .matched_name = "zlib1g", .state = VIGIL_STATE_WILL_NOT_FIX,
		  .severity = VIGIL_SEV_UNKNOWN, .cvss_score = 7.5, .cvss_vector = "AV:N/AC:L/Au:N/C:P/I:P/A:P",
		  .cvss_source = "nvd", .affected_range = ">= 0", .published = "2019-09-10 17:15:00 UTC",
		  .summary = "zlib before 1.2.12 allows memory corruption\x1b[31m when deflating" },
		{ .package_index = 3, .package = &pkgs[3], .id = "TEMP-0000000-ABCDEF", .feed = "debian",
		  .source = "debian", .namespace = "debian:11", .matched_name = "zlib", .by_source = 1,
		  .state = VIGIL_STATE_FIXED, .fixed = "1:1.2.11.dfsg-3", .severity = VIGIL_SEV_LOW,
		  .vendor_severity = "unimportant", .cvss_score = -1, .published = "August 2021",
		  .description = "Bad \xff byte" },
	};
	memcpy(f, init, sizeof(init));
}

static void make_report(vigil_vuln_report *r, vigil_finding *f)
{
	make_findings(f);
	memset(r, 0, sizeof(*r));
	r->index = &index_report;
	r->namespace = "debian:11";
	r->findings = f;
	r->finding_count = 5;
	r->packages_matched = 4;
	r->filtered_out = 3;
	r->ignored = 1;
	r->warnings = warnings;
	r->warning_count = 1;
}

static json_t *to_json(const vigil_vuln_report *r, int pretty)
{
	char *s = NULL;
	size_t len = 0;
	json_error_t e;
	if (vigil_vuln_report_json(r, pretty, &s, &len) < 0)
		fail_msg("json: %s", vigil_error_message());
	assert_int_equal(strlen(s), len);
	json_t *j = json_loads(s, 0, &e);
	if (!j)
		fail_msg("output does not parse: %s", e.text);
	free(s);
	return j;
}

#define STR(obj, key) json_string_value(json_object_get((obj), (key)))

/* Every member of o is in allowed (Clair's schemas say additionalProperties false). */
static void only_members(json_t *o, const char *const *allowed)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		size_t i = 0;
		while (allowed[i] && strcmp(allowed[i], k))
			i++;
		if (!allowed[i])
			fail_msg("member '%s' is not in Clair's schema", k);
	}
}

static void test_json_shape(void **state)
{
	vigil_vuln_report r;
	vigil_finding f[5];
	make_report(&r, f);
	json_t *j = to_json(&r, 0);
	static const char *const top[] = { "manifest_hash", "packages", "distributions", "repository", "environments",
					   "vulnerabilities", "package_vulnerabilities", "enrichments", NULL };
	static const char *const vuln_members[] = { "id", "updater", "name", "description", "issued", "links",
						    "severity", "normalized_severity", "package", "distribution",
						    "repository", "fixed_in_version", "range", "arch_op", NULL };
	static const char *const pkg_members[] = { "id", "name", "version", "kind", "source", "normalized_version",
						   "module", "arch", "cpe", NULL };
	only_members(j, top);
	/* the order is Clair's */
	const char *k;
	json_t *v;
	size_t i = 0;
	json_object_foreach(j, k, v)
		assert_string_equal(k, top[i++]);
	assert_int_equal(i, 8);
	assert_string_equal(STR(j, "manifest_hash"), "sha256:1234");

	/* packages, distributions, repository, environments: the IndexReport's */
	char *ijs;
	size_t ilen;
	assert_int_equal(vigil_index_report_json(&index_report, 0, &ijs, &ilen), 0);
	json_t *ij = json_loads(ijs, 0, NULL);
	free(ijs);
	assert_non_null(ij);
	assert_true(json_equal(json_object_get(j, "packages"), json_object_get(ij, "packages")));
	assert_true(json_equal(json_object_get(j, "distributions"), json_object_get(ij, "distributions")));
	assert_true(json_equal(json_object_get(j, "repository"), json_object_get(ij, "repository")));
	assert_true(json_equal(json_object_get(j, "environments"), json_object_get(ij, "environments")));
	/* source ids: openssl 1.1.1d-0+deb11u1 is 5, zlib 6 */
	json_t *pk = json_object_get(j, "packages");
	assert_string_equal(STR(json_object_get(json_object_get(pk, "2"), "source"), "id"), "5");
	assert_string_equal(STR(json_object_get(json_object_get(pk, "4"), "source"), "id"), "6");

	/* four distinct vulnerabilities (CVE-2021-3711 of source openssl once)... */
	json_t *vs = json_object_get(j, "vulnerabilities");
	assert_int_equal(json_object_size(vs), 4);
	json_object_foreach(vs, k, v) {
		only_members(v, vuln_members);
		only_members(json_object_get(v, "package"), pkg_members);
		assert_string_equal(STR(v, "id"), k);
		assert_null(json_object_get(v, "range"));
		assert_null(json_object_get(v, "repository"));
		assert_string_equal(STR(v, "arch_op"), "equals");
		assert_true(json_equal(json_object_get(v, "distribution"),
				       json_object_get(json_object_get(j, "distributions"), "1")));
	}
	json_t *v1 = json_object_get(vs, "1");
	assert_string_equal(STR(v1, "updater"), "debian");
	assert_string_equal(STR(v1, "name"), "CVE-2021-3711");
	assert_string_equal(STR(v1, "description"), "In order to decrypt SM2 data...");
	assert_string_equal(STR(v1, "issued"), "2021-08-24T15:15:00.000Z");
	assert_string_equal(STR(v1, "links"), "https://security-tracker.debian.org/tracker/CVE-2021-3711 "
					      "https://www.openssl.org/news/secadv/20210824.txt");
	assert_string_equal(STR(v1, "severity"), "high");
	assert_string_equal(STR(v1, "normalized_severity"), "Critical");
	assert_string_equal(STR(v1, "fixed_in_version"), "1.1.1d-0+deb11u2");
	json_t *p1 = json_object_get(v1, "package");
	assert_string_equal(STR(p1, "id"), "5"); /* the source package's id */
	assert_string_equal(STR(p1, "name"), "openssl");
	assert_string_equal(STR(p1, "kind"), "source");
	assert_string_equal(STR(p1, "version"), "");
	json_t *v2 = json_object_get(vs, "2");
	assert_string_equal(STR(v2, "name"), "CVE-2021-3449");
	assert_string_equal(STR(v2, "issued"), "2021-03-25T00:00:00Z");
	assert_string_equal(STR(v2, "fixed_in_version"), "");
	assert_string_equal(STR(v2, "links"), "");
	json_t *v3 = json_object_get(vs, "3");
	assert_string_equal(STR(v3, "updater"), "debian-lists");
	assert_string_equal(STR(v3, "issued"), "2019-09-10T17:15:00Z");
	assert_string_equal(STR(v3, "severity"), "");
	assert_string_equal(STR(v3, "normalized_severity"), "Unknown");
	assert_string_equal(STR(v3, "description"), "zlib before 1.2.12 allows memory corruption\x1b[31m when deflating");
	assert_string_equal(STR(json_object_get(v3, "package"), "id"), "4");
	assert_string_equal(STR(json_object_get(v3, "package"), "kind"), "binary");
	json_t *v4 = json_object_get(vs, "4");
	assert_null(json_object_get(v4, "issued")); /* "August 2021" is no date Go reads */
	assert_string_equal(STR(v4, "description"), "Bad \xef\xbf\xbd byte");
	assert_string_equal(STR(json_object_get(v4, "package"), "id"), "6");

	/* ...listed per package in the findings' order; tzdata has none */
	json_t *pv = json_object_get(j, "package_vulnerabilities");
	json_t *want = json_pack("{s:[s,s], s:[s], s:[s,s]}", "1", "1", "2", "2", "1", "4", "3", "4");
	assert_true(json_equal(pv, want));
	json_decref(want);

	/* enrichments: Clair's CVSS (v3 only), vigil's finding and report extras */
	json_t *en = json_object_get(j, "enrichments");
	assert_int_equal(json_object_size(en), 3);
	json_t *cv = json_object_get(en, "message/vnd.clair.map.vulnerability; enricher=clair.cvss "
					 "schema=https://csrc.nist.gov/schema/nvd/feed/1.1/cvss-v3.x.json");
	assert_non_null(cv);
	want = json_pack("[{s:[{s:s,s:s,s:f,s:s}], s:[{s:s,s:s,s:f,s:s}]}]",
			 "1", "version", "3.1", "vectorString", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
			 "baseScore", 9.8, "baseSeverity", "CRITICAL",
			 "2", "version", "3.0", "vectorString", "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H",
			 "baseScore", 5.9, "baseSeverity", "MEDIUM");
	assert_true(json_equal(cv, want));
	json_decref(want);
	json_t *fx = json_object_get(en, REPORT_ENRICH_FINDING);
	assert_int_equal(json_array_size(fx), 1);
	fx = json_array_get(fx, 0);
	assert_int_equal(json_object_size(fx), 4);
	want = json_pack("[{s:s,s:s,s:s,s:s,s:s,s:f,s:s,s:s,s:[s],s:[s]}]", "state", "fixed", "source", "debian",
			 "namespace", "debian:11", "matched_by", "source", "summary", "SM2 decryption buffer overflow",
			 "cvss_score", 9.8, "cvss_vector", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
			 "cvss_source", "nvd", "aliases", "GHSA-0000-1111-2222", "advisories", "DSA-4963-1");
	assert_true(json_equal(json_object_get(fx, "1"), want));
	json_decref(want);
	json_t *x3 = json_array_get(json_object_get(fx, "3"), 0);
	assert_string_equal(STR(x3, "state"), "will-not-fix");
	assert_string_equal(STR(x3, "matched_by"), "binary");
	assert_string_equal(STR(x3, "affected_range"), ">= 0");
	assert_string_equal(STR(x3, "cvss_vector"), "AV:N/AC:L/Au:N/C:P/I:P/A:P"); /* v2: here, not in Clair's */
	json_t *x4 = json_array_get(json_object_get(fx, "4"), 0);
	assert_null(json_object_get(x4, "cvss_score"));
	json_t *rep = json_object_get(en, REPORT_ENRICH_REPORT);
	want = json_pack("[{s:s,s:i,s:i,s:i,s:i,s:[s]}]", "namespace", "debian:11", "packages_matched", 4,
			 "findings", 5, "filtered_out", 3, "ignored", 1, "warnings", "feed debian is 9 days old");
	assert_true(json_equal(rep, want));
	json_decref(want);

	/* indented output is the same document */
	json_t *jp = to_json(&r, 1);
	assert_true(json_equal(j, jp));
	json_decref(jp);
	json_decref(ij);
	json_decref(j);
}

static void test_json_text(void **state)
{
	vigil_vuln_report r;
	vigil_finding f[5];
	char *s;
	size_t len;
	make_report(&r, &f[0]);
	assert_int_equal(vigil_vuln_report_json(&r, 0, &s, &len), 0);
	/* scores with one decimal, as NVD writes them */
	assert_non_null(strstr(s, "\"baseScore\":9.8,"));
	assert_non_null(strstr(s, "\"cvss_score\":7.5,"));
	assert_null(strstr(s, "9.800"));
	assert_string_equal(s + len - 2, "}}");
	free(s);
}

static void test_json_empty_and_errors(void **state)
{
	/* no distribution, no findings */
	static const vigil_index_report bare = { .manifest_hash = "sha256:ff", .packages = pkgs + 2, .package_count = 1 };
	vigil_vuln_report r = { .index = &bare };
	char *s;
	size_t len;
	assert_int_equal(vigil_vuln_report_json(&r, 0, &s, &len), 0);
	assert_string_equal(s,
			    "{\"manifest_hash\":\"sha256:ff\",\"packages\":{\"1\":{\"id\":\"1\",\"name\":\"tzdata\","
			    "\"version\":\"2021a-1\",\"kind\":\"binary\",\"normalized_version\":\"\","
			    "\"arch\":\"all\",\"module\":\"\"}},\"distributions\":{},\"repository\":{},"
			    "\"environments\":{\"1\":[{\"package_db\":\"var/lib/dpkg/status\",\"introduced_in\":"
			    "\"sha256:aa\",\"distribution_id\":\"\",\"repository_ids\":[]}]},\"vulnerabilities\":{},"
			    "\"package_vulnerabilities\":{},\"enrichments\":{\"application/vnd.vigil.report+json; "
			    "enricher=vigil.report\":[{\"packages_matched\":0,\"findings\":0,\"filtered_out\":0,"
			    "\"ignored\":0,\"warnings\":[]}]}}");
	free(s);
	/* a vulnerability with no distribution has none */
	vigil_finding f = { .package_index = 0, .id = "CVE-1", .feed = "alpine", .matched_name = "tzdata",
			    .cvss_score = -1 };
	r.findings = &f;
	r.finding_count = 1;
	json_t *j = to_json(&r, 0);
	json_t *v = json_object_get(json_object_get(j, "vulnerabilities"), "1");
	assert_null(json_object_get(v, "distribution"));
	assert_string_equal(STR(json_object_get(v, "package"), "id"), "1");
	json_decref(j);
	/* a finding outside the index report */
	f.package_index = 1;
	assert_int_equal(vigil_vuln_report_json(&r, 0, &s, &len), VIGIL_EINVAL);
	assert_null(s);
	assert_string_equal(vigil_error_message(), "finding 0 (CVE-1): package 1 of 1");
	r.index = NULL;
	assert_int_equal(vigil_vuln_report_json(&r, 0, &s, &len), VIGIL_EINVAL);
}

static void test_json_issued_forms(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "2021-08-24", "2021-08-24T00:00:00Z" },
		{ "2021-08-24T15:15:00Z", "2021-08-24T15:15:00Z" },
		{ "2021-08-24T15:15:00.123456Z", "2021-08-24T15:15:00.123456Z" },
		{ "2021-08-24T15:15Z", "2021-08-24T15:15:00Z" },
		{ "2021-08-24T15:15:00+02:00", "2021-08-24T15:15:00+02:00" },
		{ "2021-08-24 15:15:00", "2021-08-24T15:15:00Z" },
		{ "2021-08-24T15:15:00.Z", NULL },
		{ "2021-08-24T15", NULL },
		{ "2021-08-24x", NULL },
		{ "2021-8-24", NULL },
		{ "2021-08-24T15:15:00+0200", NULL },
		{ "", NULL },
		{ NULL, NULL },
	};
	static const vigil_index_report one = { .packages = pkgs + 2, .package_count = 1 };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vigil_finding f = { .id = "CVE-1", .published = cases[i].in, .cvss_score = -1 };
		vigil_vuln_report r = { .index = &one, .findings = &f, .finding_count = 1 };
		json_t *j = to_json(&r, 0);
		const char *got = STR(json_object_get(json_object_get(j, "vulnerabilities"), "1"), "issued");
		if (cases[i].out == NULL ? got != NULL : (!got || strcmp(got, cases[i].out)))
			fail_msg("'%s' gave '%s'", cases[i].in ? cases[i].in : "(null)", got ? got : "(none)");
		json_decref(j);
	}
}

/* The IndexReport, to the byte (the builders moved to report_priv.h). */
static void test_index_json_bytes(void **state)
{
	static const vigil_index_report ir = { .manifest_hash = "sha256:1234", .distribution = &dist,
					       .packages = pkgs, .package_count = 3 };
	char *s;
	size_t len;
	assert_int_equal(vigil_index_report_json(&ir, 0, &s, &len), 0);
	assert_string_equal(s,
		"{\"manifest_hash\":\"sha256:1234\",\"state\":\"IndexFinished\",\"packages\":{"
		"\"1\":{\"id\":\"1\",\"name\":\"libssl1.1\",\"version\":\"1.1.1d-0+deb11u1\",\"kind\":\"binary\","
		"\"source\":{\"id\":\"4\",\"name\":\"openssl\",\"version\":\"1.1.1d-0+deb11u1\",\"kind\":\"source\"},"
		"\"normalized_version\":\"\",\"arch\":\"amd64\",\"module\":\"\"},"
		"\"2\":{\"id\":\"2\",\"name\":\"openssl\",\"version\":\"1.1.1d-0+deb11u1\",\"kind\":\"binary\","
		"\"source\":{\"id\":\"4\",\"name\":\"openssl\",\"version\":\"1.1.1d-0+deb11u1\",\"kind\":\"source\"},"
		"\"normalized_version\":\"\",\"arch\":\"amd64\",\"module\":\"\"},"
		"\"3\":{\"id\":\"3\",\"name\":\"tzdata\",\"version\":\"2021a-1\",\"kind\":\"binary\","
		"\"normalized_version\":\"\",\"arch\":\"all\",\"module\":\"\"}},"
		"\"distributions\":{\"1\":{\"id\":\"1\",\"did\":\"debian\",\"name\":\"Debian GNU/Linux\","
		"\"version\":\"11 (bullseye)\",\"version_code_name\":\"bullseye\",\"version_id\":\"11\",\"arch\":\"\","
		"\"cpe\":\"cpe:2.3:o:*:*:*:*:*:*:*:*:*:*\",\"pretty_name\":\"Debian GNU/Linux 11 (bullseye)\"}},"
		"\"repository\":{},"
		"\"environments\":{\"1\":[{\"package_db\":\"var/lib/dpkg/status\",\"introduced_in\":\"sha256:aa\","
		"\"distribution_id\":\"1\",\"repository_ids\":[]}],\"2\":[{\"package_db\":\"var/lib/dpkg/status\","
		"\"introduced_in\":\"sha256:bb\",\"distribution_id\":\"1\",\"repository_ids\":[]}],"
		"\"3\":[{\"package_db\":\"var/lib/dpkg/status\",\"introduced_in\":\"sha256:aa\","
		"\"distribution_id\":\"1\",\"repository_ids\":[]}]},\"success\":true,\"err\":\"\"}");
	free(s);
}

/* No member of the report is null: Quay's bundled schema reads a null
 * source as not an object and fails the whole answer (issue 12). */
static void assert_no_null(json_t *j, const char *at)
{
	const char *k;
	json_t *v;
	size_t i;
	if (json_is_null(j))
		fail_msg("%s is null", at);
	if (json_is_object(j))
		json_object_foreach(j, k, v)
			assert_no_null(v, k);
	else if (json_is_array(j))
		json_array_foreach(j, i, v)
			assert_no_null(v, at);
}

static void test_no_null_no_empty_cpe(void **state)
{
	vigil_vuln_report r = { 0 };
	vigil_finding f[5];
	make_report(&r, f);
	json_t *j = to_json(&r, 0), *p;
	const char *k;
	assert_no_null(j, "(the report)");
	json_object_foreach(json_object_get(j, "packages"), k, p) {
		assert_null(json_object_get(p, "cpe"));
		if (json_object_get(p, "source"))
			assert_null(json_object_get(json_object_get(p, "source"), "source"));
	}
	/* tzdata has no source package: no "source" member at all */
	assert_null(json_object_get(json_object_get(json_object_get(j, "packages"), "3"), "source"));
	json_decref(j);
	(void)state;
}

/* A distribution's cpe is always a CPE name (Quay requires the member,
 * Clair's cpe.schema.json rejects ""). */
static void test_distribution_cpe(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ NULL, "cpe:2.3:o:*:*:*:*:*:*:*:*:*:*" },
		{ "", "cpe:2.3:o:*:*:*:*:*:*:*:*:*:*" },
		{ "cpe:/o:redhat:enterprise_linux:9::baseos", "cpe:/o:redhat:enterprise_linux:9::baseos" },
		{ "cpe:2.3:o:amazon:amazon_linux:2023", "cpe:2.3:o:amazon:amazon_linux:2023:*:*:*:*:*:*:*" },
		{ "cpe:2.3:o:debian:debian_linux:11:*:*:*:*:*:*:*", "cpe:2.3:o:debian:debian_linux:11:*:*:*:*:*:*:*" },
		{ "cpe:2.3:o:x:y:1:*:*:en-us:*:*:*:*", "cpe:2.3:o:x:y:1:*:*:en-us:*:*:*:*" },
		{ "cpe:2.3:o:x:y:1:*:*:english:*:*:*:*", "cpe:2.3:o:*:*:*:*:*:*:*:*:*:*" },
		{ "cpe:2.3:o:a:b:c:d:e:f:g:h:i:j:k", "cpe:2.3:o:*:*:*:*:*:*:*:*:*:*" },
		{ "cpe:2.3:q:a:b", "cpe:2.3:o:*:*:*:*:*:*:*:*:*:*" },
		{ "cpe:2.3:o:a b:c", "cpe:2.3:o:*:*:*:*:*:*:*:*:*:*" },
		{ "cpe:2.3:o::c", "cpe:2.3:o:*:*:*:*:*:*:*:*:*:*" },
		{ "cpe:/o:a:b:c:d:e:f:g", "cpe:2.3:o:*:*:*:*:*:*:*:*:*:*" },
		{ "CPE:/o:a", "cpe:2.3:o:*:*:*:*:*:*:*:*:*:*" },
		{ "not a cpe", "cpe:2.3:o:*:*:*:*:*:*:*:*:*:*" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vigil_distribution d = dist;
		d.cpe = cases[i].in;
		json_t *j = report_distribution(&d);
		assert_non_null(j);
		if (strcmp(STR(j, "cpe"), cases[i].out))
			fail_msg("'%s' gave '%s', want '%s'", cases[i].in ? cases[i].in : "(null)", STR(j, "cpe"),
				 cases[i].out);
		json_decref(j);
	}
	(void)state;
}

static char *table(const vigil_vuln_report *r, int color)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(vigil_vuln_report_table(r, f, color), 0);
	fclose(f);
	return buf;
}

static void test_table(void **state)
{
	vigil_vuln_report r;
	vigil_finding f[5];
	make_report(&r, f);
	char *t = table(&r, 0);
	assert_string_equal(t,
		"libssl1.1 1.1.1d-0+deb11u1\n"
		"  CVE-2021-3711        Critical    1.1.1d-0+deb11u2   9.8  SM2 decryption buffer overflow\n"
		"  CVE-2021-3449        Medium      (not fixed)        5.9  An OpenSSL TLS server may crash\n"
		"\n"
		"openssl 1.1.1d-0+deb11u1\n"
		"  CVE-2021-3711        Critical    1.1.1d-0+deb11u2   9.8  SM2 decryption buffer overflow\n"
		"\n"
		"zlib1g 1:1.2.11.dfsg-2\n"
		"  CVE-2018-25032       Unknown     (will not fix)     7.5  zlib before 1.2.12 allows memory corruption [31m when def...\n"
		"  TEMP-0000000-ABCDEF  Low         1:1.2.11.dfsg-3      -  Bad ? byte\n"
		"\n"
		"5 vulnerabilities in 3 packages: Critical 2, High 0, Medium 1, Low 1, Negligible 0, Unknown 1 (3 fixable)\n"
		"filtered out: 3 (1 ignored)\n");
	assert_null(strchr(t, '\033'));
	free(t);

	/* colour: around the severity word only, padding outside */
	t = table(&r, 1);
	assert_non_null(strstr(t, "  CVE-2021-3711        \033[1;91mCritical\033[0m    1.1.1d-0+deb11u2   9.8"));
	assert_non_null(strstr(t, "\033[33mMedium\033[0m      (not fixed)"));
	assert_non_null(strstr(t, "\033[2mUnknown\033[0m     (will not fix)"));
	assert_non_null(strstr(t, "\033[36mLow\033[0m         1:1.2.11.dfsg-3"));
	assert_non_null(strstr(t, "\n5 vulnerabilities in 3 packages: Critical 2,"));
	/* the feed's own escape never reaches the terminal */
	assert_null(strstr(t, "\033[31m"));
	free(t);

	/* one finding, nothing filtered; a title cut at 60 characters */
	r.finding_count = 1;
	r.filtered_out = 0;
	f[0].summary = "A title that goes on and on and on, longer than any terminal column allows";
	f[0].fixed = NULL;
	f[0].state = VIGIL_STATE_AFFECTED;
	f[0].cvss_score = -1;
	t = table(&r, 0);
	assert_string_equal(t,
		"libssl1.1 1.1.1d-0+deb11u1\n"
		"  CVE-2021-3711  Critical    (not fixed)     -  A title that goes on and on and on, longer than any termi...\n"
		"\n"
		"1 vulnerability in 1 package: Critical 1, High 0, Medium 0, Low 0, Negligible 0, Unknown 0 (0 fixable)\n");
	free(t);

	/* nothing found */
	r.finding_count = 0;
	t = table(&r, 1);
	assert_string_equal(t, "0 vulnerabilities in 0 packages: Critical 0, High 0, Medium 0, Low 0, Negligible 0, "
			       "Unknown 0 (0 fixable)\n");
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_shape),
		cmocka_unit_test(test_json_text),
		cmocka_unit_test(test_json_empty_and_errors),
		cmocka_unit_test(test_json_issued_forms),
		cmocka_unit_test(test_index_json_bytes),
		cmocka_unit_test(test_no_null_no_empty_cpe),
		cmocka_unit_test(test_distribution_cpe),
		cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
