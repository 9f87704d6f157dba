/* tests/match/test_vex.c: VEX documents (match/vex*.c) and the lookup the
 * filter asks: OpenVEX (v0.2.0 and v0.0.x forms), CycloneDX VEX and CSAF
 * 2.0 VEX, among them four of Trivy's own test documents; ids, aliases and
 * advisories; purl matching (type, name as vigil names packages, version,
 * epoch, arch and distro when both say them); the newest statement wins;
 * only not_affected and fixed suppress; errors name the file and statement
 * and leave the set as it was; vigil_vuln_report_filter moves a finding to
 * suppressed with the status, justification and document. */
#include "helpers.h"
#include "match/filter_priv.h"
#include "util/error.h"
#include "vigil/match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static vigil_vex *set_of(const char *text)
{
	vigil_vex *v = NULL;
	assert_int_equal(vigil_vex_new(&v), 0);
	if (vigil_vex_parse(v, text, strlen(text), "t.vex.json") < 0)
		fail_msg("parse failed: %s", vigil_error_message());
	return v;
}

static void expect_error(const char *text, const char *msg)
{
	vigil_vex *v = NULL;
	assert_int_equal(vigil_vex_new(&v), 0);
	assert_true(vigil_vex_parse(v, text, strlen(text), "bad.json") < 0);
	if (!strstr(vigil_error_message(), msg))
		fail_msg("error '%s' lacks '%s'", vigil_error_message(), msg);
	if (strncmp(vigil_error_message(), "bad.json: ", 10))
		fail_msg("error '%s' does not start with the file", vigil_error_message());
	vigil_vex_free(v);
}

/* 1 when v suppresses id on p (namespace ns), with *status set. */
static int lookup(const vigil_vex *v, const vigil_package *p, const char *ns, const char *id, const char **status,
		  const char **just, const char **by)
{
	vigil_finding f = { .package = p, .id = id, .namespace = ns };
	const char *s = NULL, *j = NULL, *b = NULL;
	int r = match_vex_lookup(v, &f, &s, &j, &b);
	if (status)
		*status = s;
	if (just)
		*just = j;
	if (by)
		*by = b;
	return r;
}

static const vigil_package busybox = { .type = VIGIL_PKG_APK, .name = "busybox", .version = "1.24.2-r9",
				       .arch = "x86_64", .source_name = "busybox" };
static const vigil_package musl = { .type = VIGIL_PKG_APK, .name = "musl", .version = "1.1.14-r10", .arch = "x86_64" };

static const char OV_IMAGE[] =
	"{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"@id\": \"https://example.com/vex-1\","
	" \"author\": \"t\", \"timestamp\": \"2026-01-02T10:00:00Z\", \"version\": 1, \"statements\": ["
	" {\"vulnerability\": {\"name\": \"CVE-2016-6301\", \"aliases\": [\"GHSA-aaaa-bbbb-cccc\"]},"
	"  \"products\": [{\"@id\": \"registry.example/alpine34:latest\","
	"    \"subcomponents\": [{\"@id\": \"pkg:apk/alpine/busybox@1.24.2-r9?arch=x86_64&distro=alpine-3.4.6\"}]}],"
	"  \"status\": \"not_affected\", \"justification\": \"vulnerable_code_not_in_execute_path\"},"
	" {\"vulnerability\": {\"name\": \"CVE-2016-2148\"}, \"products\": [{\"@id\": \"pkg:oci/alpine34\"}],"
	"  \"status\": \"fixed\"},"
	" {\"vulnerability\": {\"name\": \"CVE-2017-0001\"}, \"products\": [{\"@id\": \"pkg:apk/alpine/musl\"}],"
	"  \"status\": \"affected\", \"action_statement\": \"upgrade\"}]}";

static void test_openvex(void **state)
{
	(void)state;
	vigil_vex *v = set_of(OV_IMAGE);
	const char *st, *just, *by;
	assert_int_equal(lookup(v, &busybox, "alpine:3.4", "CVE-2016-6301", &st, &just, &by), 1);
	assert_string_equal(st, "not_affected");
	assert_string_equal(just, "vulnerable_code_not_in_execute_path");
	assert_string_equal(by, "t.vex.json: statements[0]");
	/* by an alias of the finding, case-insensitively */
	vigil_finding f = { .package = &busybox, .id = "ALPINE-1", .namespace = "alpine:3.4",
			    .aliases = (const char *const[]){ "cve-2016-6301" }, .naliases = 1 };
	assert_int_equal(match_vex_lookup(v, &f, &st, &just, &by), 1);
	/* the statement's own alias names the finding's id */
	assert_int_equal(lookup(v, &busybox, "alpine:3.4", "ghsa-AAAA-bbbb-cccc", NULL, NULL, NULL), 1);
	/* a subcomponent narrows: musl is not covered; another distro release is not */
	assert_int_equal(lookup(v, &musl, "alpine:3.4", "CVE-2016-6301", NULL, NULL, NULL), 0);
	assert_int_equal(lookup(v, &busybox, "alpine:3.5", "CVE-2016-6301", NULL, NULL, NULL), 0);
	/* an image-level product without subcomponents covers every package */
	assert_int_equal(lookup(v, &musl, "alpine:3.4", "CVE-2016-2148", &st, &just, NULL), 1);
	assert_string_equal(st, "fixed");
	assert_null(just);
	/* affected does not suppress */
	assert_int_equal(lookup(v, &musl, "alpine:3.4", "CVE-2017-0001", NULL, NULL, NULL), 0);
	vigil_vex_free(v);
}

/* Trivy's pkg/vex/testdata/openvex.json (Apache-2.0): v0.0.1's string forms, a Maven purl. */
static const char TRIVY_OPENVEX[] =
	"{\n  \"@context\": \"https://openvex.dev/ns\",\n  \"author\": \"Spring Builds <spring-builds@users.noreply.github.com>\",\n"
	"  \"role\": \"Project Release Bot\",\n  \"timestamp\": \"2023-01-16T19:07:16.853479631-06:00\",\n  \"version\": \"1\",\n"
	"  \"statements\": [\n    {\n      \"vulnerability\": \"CVE-2021-44228\",\n      \"products\": [\n"
	"        \"pkg:maven/org.springframework.boot/spring-boot@2.6.0\"\n      ],\n      \"status\": \"not_affected\",\n"
	"      \"justification\": \"vulnerable_code_not_in_execute_path\"\n    }\n  ]\n}\n";
/* Trivy's pkg/vex/testdata/openvex-oci.json (Apache-2.0): a versionless subcomponent. */
static const char TRIVY_OPENVEX_OCI[] =
	"{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"author\": \"Aqua Security\", \"role\": \"Project Release Bot\","
	" \"timestamp\": \"2023-01-16T19:07:16.853479631-06:00\", \"version\": 1, \"statements\": [{"
	" \"vulnerability\": {\"name\": \"CVE-2022-3715\"}, \"products\": [{\"@id\": \"pkg:oci/debian\","
	" \"subcomponents\": [{\"@id\": \"pkg:deb/debian/bash\"}]}], \"status\": \"not_affected\","
	" \"justification\": \"vulnerable_code_not_in_execute_path\"}]}";

static void test_trivy_openvex(void **state)
{
	(void)state;
	vigil_vex *v = set_of(TRIVY_OPENVEX);
	vigil_package boot = { .type = VIGIL_PKG_MAVEN, .name = "org.springframework.boot:spring-boot", .version = "2.6.0" };
	assert_int_equal(lookup(v, &boot, "osv:Maven", "CVE-2021-44228", NULL, NULL, NULL), 1);
	boot.version = "2.6.1";
	assert_int_equal(lookup(v, &boot, "osv:Maven", "CVE-2021-44228", NULL, NULL, NULL), 0);
	vigil_vex_free(v);

	v = set_of(TRIVY_OPENVEX_OCI);
	vigil_package bash = { .type = VIGIL_PKG_DPKG, .name = "bash", .version = "5.2.15-2+b2", .arch = "amd64" };
	assert_int_equal(lookup(v, &bash, "debian:12", "CVE-2022-3715", NULL, NULL, NULL), 1);
	bash.version = "1:9";
	assert_int_equal(lookup(v, &bash, "debian:12", "CVE-2022-3715", NULL, NULL, NULL), 1); /* every version */
	bash.type = VIGIL_PKG_APK;
	assert_int_equal(lookup(v, &bash, "alpine:3.18", "CVE-2022-3715", NULL, NULL, NULL), 0); /* another type */
	vigil_vex_free(v);
}

static void test_newest_wins(void **state)
{
	(void)state;
	/* the older statement (by timestamp) comes last: the newer one decides */
	vigil_vex *v = set_of(
		"{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": ["
		" {\"vulnerability\": {\"name\": \"CVE-1\"}, \"products\": [{\"@id\": \"pkg:apk/alpine/busybox\"}],"
		"  \"status\": \"affected\", \"timestamp\": \"2026-03-01T00:00:00+02:00\"},"
		" {\"vulnerability\": {\"name\": \"CVE-1\"}, \"products\": [{\"@id\": \"pkg:apk/alpine/busybox\"}],"
		"  \"status\": \"not_affected\", \"justification\": \"component_not_present\", \"timestamp\": \"2026-01-01T00:00:00Z\"},"
		" {\"vulnerability\": {\"name\": \"CVE-2\"}, \"products\": [{\"@id\": \"pkg:apk/alpine/busybox\"}],"
		"  \"status\": \"under_investigation\", \"timestamp\": \"2026-01-01T00:00:00Z\"},"
		" {\"vulnerability\": {\"name\": \"CVE-2\"}, \"products\": [{\"@id\": \"pkg:apk/alpine/busybox\"}],"
		"  \"status\": \"fixed\", \"timestamp\": \"2026-01-01T00:00:01Z\"}]}");
	assert_int_equal(lookup(v, &busybox, "alpine:3.4", "CVE-1", NULL, NULL, NULL), 0);
	assert_int_equal(lookup(v, &busybox, "alpine:3.4", "CVE-2", NULL, NULL, NULL), 1);
	/* a later document (same time: reading order) undoes the suppression */
	const char *later = "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": ["
			    " {\"vulnerability\": {\"name\": \"CVE-2\"}, \"products\": [\"pkg:apk/alpine/busybox@1.24.2-r9\"],"
			    "  \"status\": \"affected\", \"timestamp\": \"2026-01-01T00:00:01Z\"}]}";
	assert_int_equal(vigil_vex_parse(v, later, strlen(later), "later.json"), 0);
	assert_int_equal(lookup(v, &busybox, "alpine:3.4", "CVE-2", NULL, NULL, NULL), 0);
	vigil_vex_free(v);
}

/* Trivy's pkg/vex/testdata/cyclonedx.json (Apache-2.0): refs into another BOM (urn:cdx:...#purl). */
static const char TRIVY_CDX[] =
	"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"version\": 1, \"vulnerabilities\": ["
	" {\"id\": \"CVE-2018-7489\", \"source\": {\"name\": \"NVD\", \"url\": \"https://nvd.nist.gov/vuln/detail/CVE-2019-9997\"},"
	"  \"analysis\": {\"state\": \"not_affected\", \"justification\": \"code_not_reachable\"},"
	"  \"affects\": [{\"ref\": \"urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.8.0\"}]},"
	" {\"id\": \"CVE-2022-27943\", \"source\": {\"name\": \"ubuntu\", \"url\": \"https://git.launchpad.net/ubuntu-cve-tracker\"},"
	"  \"affects\": [{\"ref\": \"urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#pkg:deb/ubuntu/libstdc%2B%2B6@12.3.0-1ubuntu1~22.04?arch=amd64&distro=ubuntu-22.04\","
	"   \"versions\": [{\"version\": \"12.3.0-1ubuntu1~22.04\", \"status\": \"affected\"}]}],"
	"  \"analysis\": {\"state\": \"not_affected\"}}]}";

static void test_cyclonedx(void **state)
{
	(void)state;
	vigil_vex *v = set_of(TRIVY_CDX);
	const char *st, *just;
	vigil_package jd = { .type = VIGIL_PKG_MAVEN, .name = "com.fasterxml.jackson.core:jackson-databind", .version = "2.8.0" };
	assert_int_equal(lookup(v, &jd, "osv:Maven", "CVE-2018-7489", &st, &just, NULL), 1);
	assert_string_equal(st, "not_affected");
	assert_string_equal(just, "code_not_reachable");
	vigil_package cxx = { .type = VIGIL_PKG_DPKG, .name = "libstdc++6", .version = "12.3.0-1ubuntu1~22.04", .arch = "amd64" };
	assert_int_equal(lookup(v, &cxx, "ubuntu:22.04", "CVE-2022-27943", NULL, NULL, NULL), 1);
	assert_int_equal(lookup(v, &cxx, "ubuntu:20.04", "CVE-2022-27943", NULL, NULL, NULL), 0); /* distro differs */
	cxx.arch = "arm64";
	assert_int_equal(lookup(v, &cxx, "ubuntu:22.04", "CVE-2022-27943", NULL, NULL, NULL), 0); /* arch differs */
	vigil_vex_free(v);

	/* bom-refs of the document's (nested) components; resolved is "fixed"; the metadata component is the image */
	v = set_of("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"metadata\": {\"component\": {\"bom-ref\": \"img\","
		   " \"type\": \"container\", \"name\": \"alpine34\"}}, \"components\": [{\"bom-ref\": \"app\", \"type\": \"application\","
		   " \"name\": \"app\", \"components\": [{\"bom-ref\": \"bb\", \"type\": \"library\", \"name\": \"busybox\","
		   " \"purl\": \"pkg:apk/alpine/busybox@1.24.2-r9\"}]}], \"vulnerabilities\": ["
		   " {\"id\": \"CVE-2016-6301\", \"analysis\": {\"state\": \"resolved\", \"detail\": \"patched\"}, \"affects\": [{\"ref\": \"bb\"}]},"
		   " {\"id\": \"CVE-9\", \"references\": [{\"id\": \"GHSA-1111-2222-3333\", \"source\": {\"name\": \"GitHub\"}}],"
		   "  \"analysis\": {\"state\": \"false_positive\"}, \"affects\": [{\"ref\": \"img\"}]},"
		   " {\"id\": \"CVE-10\", \"analysis\": {\"state\": \"exploitable\"}, \"affects\": [{\"ref\": \"bb\"}]},"
		   " {\"id\": \"CVE-11\", \"ratings\": [], \"affects\": [{\"ref\": \"bb\"}]}]}");
	assert_int_equal(lookup(v, &busybox, "alpine:3.4", "CVE-2016-6301", &st, &just, NULL), 1);
	assert_string_equal(st, "fixed");
	assert_string_equal(just, "patched");
	assert_int_equal(lookup(v, &musl, "alpine:3.4", "GHSA-1111-2222-3333", &st, NULL, NULL), 1);
	assert_string_equal(st, "not_affected");
	assert_int_equal(lookup(v, &busybox, "alpine:3.4", "CVE-10", NULL, NULL, NULL), 0);
	assert_int_equal(lookup(v, &busybox, "alpine:3.4", "CVE-11", NULL, NULL, NULL), 0);
	vigil_vex_free(v);
}

/* Trivy's pkg/vex/testdata/csaf-relationships.json (Apache-2.0), shortened (notes, revision history). */
static const char TRIVY_CSAF[] =
	"{\"document\": {\"category\": \"csaf_vex\", \"csaf_version\": \"2.0\", \"publisher\": {\"category\": \"vendor\","
	" \"name\": \"VMWare, Inc.\", \"namespace\": \"https://tanzu.vmware.com/application-catalog\"},"
	" \"title\": \"ArgoCD 2.9.3-2 Amd64 Debian12 Advisory\", \"tracking\": {\"current_release_date\": \"2024-01-04T17:17:25+01:00\","
	" \"id\": \"fcf5bd33-41c3-45f9-885a-c2ee812f49c9\", \"initial_release_date\": \"2024-01-04T17:17:25+01:00\", \"status\": \"final\","
	" \"version\": \"1\"}},"
	" \"product_tree\": {\"branches\": [{\"branches\": [{\"branches\": [{\"category\": \"product_version\", \"name\": \"2.0.0\","
	" \"product\": {\"name\": \"go-direct1 v2.0.0\", \"product_id\": \"go-direct1-v2.0.0\", \"product_identification_helper\":"
	" {\"purl\": \"pkg:golang/github.com/aquasecurity/go-direct1@v2.0.0\"}}}], \"category\": \"product_name\", \"name\": \"go-direct1\"}],"
	" \"category\": \"vendor\", \"name\": \"bar\"}, {\"branches\": [{\"branches\": [{\"category\": \"product_version\", \"name\": \"v4.0.0\","
	" \"product\": {\"name\": \"go-transitive v4.0.0\", \"product_id\": \"go-transitive-v4.0.0\", \"product_identification_helper\":"
	" {\"purl\": \"pkg:golang/github.com/aquasecurity/go-transitive@v4.0.0\"}}}], \"category\": \"product_name\", \"name\": \"go-transitive\"}],"
	" \"category\": \"vendor\", \"name\": \"foo\"}],"
	" \"relationships\": [{\"product_reference\": \"go-transitive-v4.0.0\", \"category\": \"default_component_of\","
	" \"relates_to_product_reference\": \"go-direct1-v2.0.0\", \"full_product_name\": {\"product_id\": \"go-direct1-v2.0.0-go-transitive-v4.0.0\","
	" \"name\": \"go-direct1 uses go-transitive\"}}]},"
	" \"vulnerabilities\": [{\"cve\": \"CVE-2024-0001\", \"flags\": [{\"date\": \"2024-01-04T17:17:25+01:00\","
	" \"label\": \"vulnerable_code_cannot_be_controlled_by_adversary\", \"product_ids\": [\"go-direct1-v2.0.0-go-transitive-v4.0.0\"]}],"
	" \"product_status\": {\"known_not_affected\": [\"go-direct1-v2.0.0-go-transitive-v4.0.0\"]},"
	" \"threats\": [{\"category\": \"impact\", \"date\": \"2024-01-04T17:17:25+01:00\", \"details\": \"vulnerable_code_not_in_execute_path\"}]}]}";

static void test_csaf(void **state)
{
	(void)state;
	vigil_vex *v = set_of(TRIVY_CSAF);
	const char *st, *just, *by;
	vigil_package tr = { .type = VIGIL_PKG_GO, .name = "github.com/aquasecurity/go-transitive", .version = "v4.0.0" };
	assert_int_equal(lookup(v, &tr, "osv:Go", "CVE-2024-0001", &st, &just, &by), 1);
	assert_string_equal(st, "not_affected");
	assert_string_equal(just, "vulnerable_code_cannot_be_controlled_by_adversary");
	assert_string_equal(by, "t.vex.json: vulnerabilities[0].product_status.known_not_affected[0]");
	vigil_package d1 = { .type = VIGIL_PKG_GO, .name = "github.com/aquasecurity/go-direct1", .version = "v2.0.0" };
	assert_int_equal(lookup(v, &d1, "osv:Go", "CVE-2024-0001", NULL, NULL, NULL), 0);
	vigil_vex_free(v);

	/* fixed, an rpm with an epoch, ids[] as aliases, known_affected kept */
	v = set_of("{\"document\": {\"category\": \"csaf_vex\", \"tracking\": {\"current_release_date\": \"2026-01-01T00:00:00Z\"}},"
		   " \"product_tree\": {\"full_product_names\": [{\"product_id\": \"ossl\", \"name\": \"openssl-libs\","
		   " \"product_identification_helper\": {\"purl\": \"pkg:rpm/redhat/openssl-libs@1.1.1k-7.el8_6?arch=x86_64&epoch=1\"}}]},"
		   " \"vulnerabilities\": [{\"ids\": [{\"system_name\": \"Red Hat\", \"text\": \"RHSA-2022:1234\"}],"
		   " \"product_status\": {\"fixed\": [\"ossl\"]}}]}");
	vigil_package ossl = { .type = VIGIL_PKG_RPM, .name = "openssl-libs", .version = "1:1.1.1k-7.el8_6", .arch = "x86_64" };
	vigil_finding f = { .package = &ossl, .id = "CVE-2022-0778", .namespace = "rhel:8",
			    .advisories = (const char *const[]){ "RHSA-2022:1234" }, .nadvisories = 1 };
	assert_int_equal(match_vex_lookup(v, &f, &st, &just, &by), 1);
	assert_string_equal(st, "fixed");
	ossl.version = "1.1.1k-7.el8_6"; /* no epoch on the package: not the same version */
	assert_int_equal(match_vex_lookup(v, &f, &st, &just, &by), 0);
	vigil_vex_free(v);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": [{\"vulnerability\": {\"name\": \"CVE-1\"},"
		     " \"status\": \"not_affected\"}]}",
		     "statements[0]: names no product");
	expect_error("{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": [{\"vulnerability\": {\"name\": \"CVE-1\"},"
		     " \"products\": [{\"@id\": \"pkg:apk/alpine/x\"}], \"status\": \"ok\"}]}",
		     "statements[0].status: \"ok\" is not an OpenVEX status");
	expect_error("{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": [{\"vulnerability\": {\"name\": \"CVE-1\"},"
		     " \"products\": [{\"@id\": \"pkg:apk/alpine/x\"}, {\"@id\": \"pkg:/x\"}], \"status\": \"fixed\"}]}",
		     "statements[0].products[1]: 'pkg:/x': purl");
	expect_error("{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": [{\"products\": [\"pkg:apk/alpine/x\"],"
		     " \"status\": \"fixed\"}]}",
		     "statements[0]: names no vulnerability");
	expect_error("{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": []}", "no statement");
	expect_error("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"vulnerabilities\": [{\"id\": \"CVE-1\","
		     " \"analysis\": {\"state\": \"not_affected\"}, \"affects\": [{\"ref\": \"nowhere\"}]}]}",
		     "vulnerabilities[0].affects[0].ref: \"nowhere\" is neither a bom-ref");
	expect_error("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"vulnerabilities\": [{\"id\": \"CVE-1\","
		     " \"analysis\": {\"state\": \"not_affected\"}}]}",
		     "vulnerabilities[0]: names no product");
	expect_error("{\"document\": {\"category\": \"csaf_vex\"}, \"product_tree\": {}, \"vulnerabilities\": [{\"cve\": \"CVE-1\","
		     " \"product_status\": {\"known_not_affected\": [\"P9\"]}}]}",
		     "vulnerabilities[0].product_status.known_not_affected[0]: product \"P9\" is not in the product_tree");
	expect_error("{\"statements\": []}", "not a VEX document");
	expect_error("[1]", "not a VEX document");
	expect_error("{\"@context\":", "not JSON");

	/* a failed document leaves the set as it was */
	vigil_vex *v = set_of(OV_IMAGE);
	const char *bad = "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": ["
			  " {\"vulnerability\": \"CVE-2017-0001\", \"products\": [\"pkg:apk/alpine/musl\"], \"status\": \"fixed\"},"
			  " {\"vulnerability\": \"CVE-3\", \"products\": [], \"status\": \"fixed\"}]}";
	assert_true(vigil_vex_parse(v, bad, strlen(bad), "bad.json") < 0);
	assert_int_equal(lookup(v, &musl, "alpine:3.4", "CVE-2017-0001", NULL, NULL, NULL), 0);
	vigil_vex_free(v);
	vigil_vex_free(NULL);

	assert_int_equal(vigil_vex_new(&v), 0);
	assert_int_equal(vigil_vex_load(v, "/nonexistent/vex.json"), VIGIL_ENOTFOUND);
	assert_non_null(strstr(vigil_error_message(), "/nonexistent/vex.json"));
	vigil_vex_free(v);
}

static void test_filter(void **state)
{
	(void)state;
	vigil_vex *v = set_of(OV_IMAGE);
	static const vigil_package pkgs[2] = {
		{ .type = VIGIL_PKG_APK, .name = "busybox", .version = "1.24.2-r9", .arch = "x86_64" },
		{ .type = VIGIL_PKG_APK, .name = "musl", .version = "1.1.14-r10", .arch = "x86_64" },
	};
	static const vigil_index_report ir = { .manifest_hash = "sha256:00", .packages = pkgs, .package_count = 2 };
	vigil_finding f[3] = {
		{ .package_index = 0, .package = &pkgs[0], .id = "CVE-2016-6301", .namespace = "alpine:3.4" },
		{ .package_index = 0, .package = &pkgs[0], .id = "CVE-2016-6302", .namespace = "alpine:3.4" },
		{ .package_index = 1, .package = &pkgs[1], .id = "CVE-2017-0001", .namespace = "alpine:3.4" },
	};
	vigil_vuln_report r = { .index = &ir, .findings = f, .finding_count = 3 };
	vigil_filter flt = { .vex = v };
	assert_int_equal(vigil_vuln_report_filter(&r, &flt), 0);
	assert_int_equal(r.finding_count, 2);
	assert_int_equal(r.suppressed_count, 1);
	assert_string_equal(r.suppressed[0].finding.id, "CVE-2016-6301");
	assert_string_equal(r.suppressed[0].status, "not_affected");
	/* (a hand-made report has no string pool: the filter copies justification
	 * and by into a matched report's; tests/integration/test_vex.sh shows them) */
	free(r.suppressed);
	vigil_vex_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_openvex),	    cmocka_unit_test(test_trivy_openvex), cmocka_unit_test(test_newest_wins),
		cmocka_unit_test(test_cyclonedx),   cmocka_unit_test(test_csaf),	  cmocka_unit_test(test_errors),
		cmocka_unit_test(test_filter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
