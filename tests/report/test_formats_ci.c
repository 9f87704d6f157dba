/* tests/report/test_formats_ci.c: the SARIF, JUnit, GitLab and flat JSON
 * writers on a hand-made report with every kind of finding (OS and
 * language packages, a CVSS that agrees with the severity and one that
 * does not, no fix, will not fix, a finding with no package, id or text),
 * suppressions (one on a failing package, one on an otherwise clean
 * package) and feed text that is hostile to each format (markup, quotes,
 * control characters, invalid UTF-8, Markdown table bars).
 *
 * Each document is parsed back (jansson, libxml2) and checked member by
 * member: SARIF's rule indexes and GitHub's security-severity, JUnit's
 * counts and escaping (and its validity against Jenkins' junit-10.xsd with
 * libxml2's schema validator), GitLab's required members and patterns, the
 * flat report's fields. SARIF is also validated against the OASIS schema
 * (../shared/testdata/specs) with Python jsonschema when both are there,
 * and the GitLab report against $VIGIL_GITLAB_SCHEMA when it is set. */
#include "helpers.h"
#include "report/report_priv.h"
#include "util/error.h"
#include "vigil/report.h"

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NOW 1764962400 /* 2025-12-05T19:20:00Z */

static const vigil_distribution dist = {
	.did = "debian", .name = "Debian GNU/Linux", .version_id = "11", .pretty_name = "Debian GNU/Linux 11 (bullseye)",
};
/* a name no format may pass through raw */
#define EVIL "ev<il>&\"pkg'\x01]]>\xff|x"
static const vigil_package pkgs[] = {
	{ .type = VIGIL_PKG_DPKG, .name = "libssl1.1", .version = "1.1.1d-0+deb11u1", .arch = "amd64",
	  .source_name = "openssl", .package_db = "var/lib/dpkg/status", .introduced_in = "sha256:aa" },
	{ .type = VIGIL_PKG_DPKG, .name = "tzdata", .version = "2021a-1", .arch = "all",
	  .package_db = "var/lib/dpkg/status", .introduced_in = "sha256:aa" },
	{ .type = VIGIL_PKG_DPKG, .name = "zlib1g", .version = "1:1.2.11.dfsg-2", .arch = "amd64",
	  .package_db = "var/lib/dpkg/status", .introduced_in = "sha256:bb" },
	{ .type = VIGIL_PKG_NPM, .name = "lodash", .version = "4.17.20", .purl = "pkg:npm/lodash@4.17.20",
	  .package_db = "/app/node_modules/lodash/package.json", .introduced_in = "sha256:cc" },
	{ .type = VIGIL_PKG_DPKG, .name = EVIL, .version = "1.0<2" },
};
static const vigil_index_report ir = {
	.manifest_hash = "sha256:1234", .image = "index-image", .distribution = &dist, .packages = pkgs,
	.package_count = 5,
};
static const char *const links_3711[] = { "not a url", "https://security-tracker.debian.org/tracker/CVE-2021-3711",
					  "https://www.openssl.org/news/secadv/20210824.txt" };
static const char *const aliases_3711[] = { "GHSA-0000-1111-2222" };
static const char *const aliases_lodash[] = { "CVE-2021-23337" };
static const char *const warnings[] = { "feed debian is 9 days old", "bad \x02 warning \xfe" };

static void make_report(vigil_vuln_report *r, vigil_finding *f, vigil_suppression *s)
{
	const vigil_finding init[6] = {
		{ .package_index = 0, .package = &pkgs[0], .id = "CVE-2021-3711", .feed = "debian", .state = VIGIL_STATE_FIXED,
		  .fixed = "1.1.1d-0+deb11u2", .severity = VIGIL_SEV_CRITICAL, .cvss_score = 9.8,
		  .cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", .summary = "SM2 decryption buffer overflow",
		  .description = "In order to decrypt SM2 data...", .links = links_3711, .nlinks = 3,
		  .aliases = aliases_3711, .naliases = 1, .introduced_in = "sha256:aa" },
		/* the vendor's 5.9 agrees with Medium */
		{ .package_index = 0, .package = &pkgs[0], .id = "CVE-2021-3449", .feed = "debian",
		  .state = VIGIL_STATE_NOT_FIXED, .severity = VIGIL_SEV_MEDIUM, .cvss_score = 5.9,
		  .description = "An OpenSSL TLS server may crash\nif sent a | crafted renegotiation." },
		/* Unknown severity: the score speaks */
		{ .package_index = 2, .package = &pkgs[2], .id = "CVE-2018-25032", .feed = "debian-lists",
		  .state = VIGIL_STATE_WILL_NOT_FIX, .severity = VIGIL_SEV_UNKNOWN, .cvss_score = 7.5 },
		{ .package_index = 3, .package = &pkgs[3], .id = "GHSA-35jh-r3h4-6jhm", .feed = "osv",
		  .state = VIGIL_STATE_FIXED, .fixed = "4.17.21", .severity = VIGIL_SEV_HIGH, .cvss_score = 7.2,
		  .summary = "Command Injection in lodash", .aliases = aliases_lodash,
		  .naliases = 1 },
		/* Negligible with a 9.1 from NVD that contradicts it: the severity speaks */
		{ .package_index = 4, .package = &pkgs[4], .id = "TEMP-0000000-ABCDEF", .state = VIGIL_STATE_FIXED,
		  .fixed = "1.1\x03", .severity = VIGIL_SEV_NEGLIGIBLE, .cvss_score = 9.1,
		  .description = "<script>alert(1)</script> & \"q\" \x1b[31m ]]> \xc3\x28 | end" },
		/* nothing known but where it points */
		{ .package_index = 99, .cvss_score = -1 },
	};
	memcpy(f, init, sizeof(init));
	memset(s, 0, 2 * sizeof(*s));
	s[0].finding = (vigil_finding){ .package_index = 2, .package = &pkgs[2], .id = "CVE-2022-37434",
					.severity = VIGIL_SEV_CRITICAL, .cvss_score = 9.8, .state = VIGIL_STATE_FIXED,
					.fixed = "1:1.2.11.dfsg-2+deb11u2" };
	s[0].status = "not_affected";
	s[0].justification = "vulnerable_code_not_in_execute_path";
	s[0].by = "vex.json";
	s[1].finding = (vigil_finding){ .package_index = 1, .package = &pkgs[1], .id = "CVE-2000-0001",
					.severity = VIGIL_SEV_LOW, .cvss_score = -1 };
	s[1].status = "ignored";
	s[1].by = ".vigilignore:3";
	memset(r, 0, sizeof(*r));
	r->index = &ir;
	r->namespace = "debian:11";
	r->findings = f;
	r->finding_count = 6;
	r->suppressed = s;
	r->suppressed_count = 2;
	r->warnings = warnings;
	r->warning_count = 2;
}

static char *render(const vigil_vuln_report *r, const char *fmt, const char *image, size_t *len)
{
	vigil_report_input in = { .index = &ir, .vulns = r, .image = image };
	vigil_report_options o;
	vigil_report_format f;
	char *out = NULL;
	size_t n = 0;
	vigil_report_options_init(&o);
	o.now = NOW;
	assert_int_equal(vigil_report_format_parse(fmt, &f), 0);
	if (vigil_report_render(&in, f, &o, &out, &n) < 0)
		fail_msg("%s: %s", fmt, vigil_error_message());
	assert_non_null(out);
	assert_int_equal(strlen(out), n);
	if (len)
		*len = n;
	return out;
}

static json_t *render_json(const vigil_vuln_report *r, const char *fmt, const char *image)
{
	json_error_t e;
	char *s = render(r, fmt, image, NULL);
	json_t *j = json_loads(s, 0, &e);
	if (!j)
		fail_msg("%s: not JSON: %s", fmt, e.text);
	free(s);
	return j;
}

static const char *jstr(json_t *o, const char *path)
{
	json_t *v = json_object_get(o, path);
	if (!json_is_string(v))
		fail_msg("'%s' is not a string", path);
	return json_string_value(v);
}

/* Validates doc against schema with Python jsonschema (its own draft);
 * skipped (true) when python3 or jsonschema is missing. */
static bool py_valid(const char *schema, const char *doc, size_t len)
{
	char path[] = "/tmp/vigil-fmtci-XXXXXX", cmd[8192];
	int fd;
	if (system("python3 -c 'import jsonschema' 2>/dev/null") != 0) {
		print_message("python3 jsonschema missing: %s not checked\n", schema);
		return true;
	}
	assert_true((fd = mkstemp(path)) >= 0);
	assert_int_equal(write(fd, doc, len), (ssize_t)len);
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import json,sys,jsonschema\n"
		 "s=json.load(open(sys.argv[1])); d=json.load(open(sys.argv[2]))\n"
		 "errs=list(jsonschema.validators.validator_for(s)(s).iter_errors(d))\n"
		 "[print(list(e.path), e.message[:300]) for e in errs[:10]]\n"
		 "sys.exit(1 if errs else 0)' '%s' '%s'", schema, path);
	int rc = system(cmd);
	unlink(path);
	return rc == 0;
}

/* ---- SARIF ---- */

static json_t *rule_of(json_t *rules, const char *id)
{
	size_t i;
	json_t *r;
	json_array_foreach(rules, i, r)
		if (!strcmp(jstr(r, "id"), id))
			return r;
	fail_msg("no rule %s", id);
	return NULL;
}

static const char *sev_of(json_t *rules, const char *id)
{
	return jstr(json_object_get(rule_of(rules, id), "properties"), "security-severity");
}

static void test_sarif(void **state)
{
	vigil_vuln_report r;
	vigil_finding f[6];
	vigil_suppression s[2];
	size_t i, len;
	json_t *res;
	make_report(&r, f, s);
	json_t *j = render_json(&r, "sarif", "registry.example.com:5000/team/app:1.0@sha256:00");
	assert_string_equal(jstr(j, "version"), "2.1.0");
	assert_int_equal(json_array_size(json_object_get(j, "runs")), 1);
	json_t *run = json_array_get(json_object_get(j, "runs"), 0);
	json_t *driver = json_object_get(json_object_get(run, "tool"), "driver");
	json_t *rules = json_object_get(driver, "rules"), *results = json_object_get(run, "results");
	assert_string_equal(jstr(driver, "name"), "vigil");
	assert_string_equal(jstr(driver, "version"), vigil_version());
	/* one rule per id (findings, then suppressions), one result per finding and suppression */
	assert_int_equal(json_array_size(rules), 8);
	assert_int_equal(json_array_size(results), 8);
	/* GitHub's rules: ruleIndex in range and naming the rule; security-severity a number string */
	json_array_foreach(results, i, res) {
		json_int_t at = json_integer_value(json_object_get(res, "ruleIndex"));
		assert_true(at >= 0 && (size_t)at < json_array_size(rules));
		assert_string_equal(jstr(json_array_get(rules, (size_t)at), "id"), jstr(res, "ruleId"));
		assert_non_null(json_object_get(json_object_get(res, "message"), "text"));
		json_t *loc = json_array_get(json_object_get(res, "locations"), 0);
		json_t *pl = json_object_get(loc, "physicalLocation");
		assert_int_equal(json_integer_value(json_object_get(json_object_get(pl, "region"), "startLine")), 1);
		assert_true(strlen(jstr(json_object_get(res, "partialFingerprints"), "vigil/v1")) == 64);
	}
	json_array_foreach(rules, i, res) {
		char *end;
		double v = strtod(sev_of(rules, jstr(res, "id")), &end);
		assert_true(*end == '\0' && v >= 0.0 && v <= 10.0);
		assert_non_null(json_object_get(json_object_get(res, "help"), "markdown"));
	}
	assert_string_equal(sev_of(rules, "CVE-2021-3711"), "9.8");
	assert_string_equal(sev_of(rules, "CVE-2021-3449"), "5.9");
	assert_string_equal(sev_of(rules, "CVE-2018-25032"), "7.5");
	assert_string_equal(sev_of(rules, "TEMP-0000000-ABCDEF"), "1.0");
	assert_string_equal(sev_of(rules, "UNKNOWN"), "0.0");
	assert_string_equal(sev_of(rules, "CVE-2000-0001"), "2.0");
	/* level and helpUri: the first web link, else the id's page */
	json_t *r0 = rule_of(rules, "CVE-2021-3711");
	assert_string_equal(jstr(json_object_get(r0, "defaultConfiguration"), "level"), "error");
	assert_string_equal(jstr(r0, "helpUri"), "https://security-tracker.debian.org/tracker/CVE-2021-3711");
	assert_string_equal(jstr(rule_of(rules, "CVE-2018-25032"), "helpUri"),
			    "https://nvd.nist.gov/vuln/detail/CVE-2018-25032");
	assert_null(json_object_get(rule_of(rules, "TEMP-0000000-ABCDEF"), "helpUri"));
	assert_string_equal(jstr(json_object_get(rule_of(rules, "CVE-2021-3449"), "defaultConfiguration"), "level"),
			    "warning");
	/* Markdown: a feed's '|' cannot break the table */
	const char *md = jstr(json_object_get(rule_of(rules, "TEMP-0000000-ABCDEF"), "help"), "markdown");
	assert_non_null(strstr(md, "|ev<il>&\"pkg'\x01]]>\xEF\xBF\xBD\\|x|"));
	/* locations: the image's repository for OS packages, the file for language ones */
	res = json_array_get(results, 0);
	json_t *loc = json_array_get(json_object_get(res, "locations"), 0);
	assert_string_equal(jstr(json_object_get(json_object_get(loc, "physicalLocation"), "artifactLocation"), "uri"),
			    "team/app");
	json_t *logical = json_object_get(loc, "logicalLocations");
	assert_string_equal(jstr(json_array_get(logical, 0), "fullyQualifiedName"),
			    "pkg:deb/debian/libssl1.1@1.1.1d-0%2Bdeb11u1?arch=amd64&distro=debian-11&upstream=openssl");
	assert_string_equal(jstr(json_array_get(logical, 1), "name"), "sha256:aa");
	res = json_array_get(results, 3);
	assert_string_equal(jstr(res, "ruleId"), "GHSA-35jh-r3h4-6jhm");
	loc = json_array_get(json_object_get(res, "locations"), 0);
	assert_string_equal(jstr(json_object_get(json_object_get(loc, "physicalLocation"), "artifactLocation"), "uri"),
			    "app/node_modules/lodash/package.json");
	assert_string_equal(jstr(res, "level"), "error");
	/* suppressed findings carry SARIF suppressions, the others none */
	assert_null(json_object_get(json_array_get(results, 5), "suppressions"));
	res = json_array_get(results, 6);
	assert_string_equal(jstr(res, "ruleId"), "CVE-2022-37434");
	json_t *sup = json_array_get(json_object_get(res, "suppressions"), 0);
	assert_string_equal(jstr(sup, "kind"), "external");
	assert_string_equal(jstr(sup, "justification"), "not_affected: vulnerable_code_not_in_execute_path (vex.json)");
	/* the fingerprint ignores the version, not the package */
	const char *fp0 = jstr(json_object_get(json_array_get(results, 0), "partialFingerprints"), "vigil/v1");
	const char *fp1 = jstr(json_object_get(json_array_get(results, 1), "partialFingerprints"), "vigil/v1");
	assert_string_not_equal(fp0, fp1);
	json_t *run_props = json_object_get(run, "properties");
	assert_string_equal(jstr(run_props, "imageName"), "registry.example.com:5000/team/app:1.0@sha256:00");
	json_decref(j);

	/* byte for byte the same the second time; the OASIS schema holds */
	char *a = render(&r, "sarif", "alpine:3.10", &len), *b = render(&r, "sarif", "alpine:3.10", NULL);
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "\"uri\": \"library/alpine\""));
	if (th_testdata())
		assert_true(py_valid(th_data_path("specs/sarif/sarif-schema-2.1.0.json"), a, len));
	free(a);
	free(b);
}

static void test_image_uris(void **state)
{
	static const char *const cases[][2] = {
		{ "alpine:3.10", "library/alpine" },
		{ "debian", "library/debian" },
		{ "docker.io/library/debian:12", "library/debian" },
		{ "docker.io/nginx", "library/nginx" },
		{ "quay.io/coreos/etcd:v3.5@sha256:ab", "coreos/etcd" },
		{ "docker://ghcr.io/org/app:1", "org/app" },
		{ "localhost/app", "app" },
		{ "127.0.0.1:5000/demo:v2", "demo" },
		{ "docker-archive:/tmp/x/a 1.tar", "a%201.tar" },
		{ "/var/tmp/b.tar", "b.tar" },
		{ "docker-archive:./a.tar:alpine:3.10", "a.tar" },
		{ "oci:./img/layout@sha256:00", "layout" },
		{ "oci:layout/:v1", "layout" },
		{ "dir:/", "image" },
		{ "", "image" },
	};
	vigil_vuln_report r;
	vigil_finding f[6];
	vigil_suppression s[2];
	make_report(&r, f, s);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *j = render_json(&r, "sarif", cases[i][0]);
		json_t *res = json_array_get(json_object_get(json_array_get(json_object_get(j, "runs"), 0), "results"), 0);
		json_t *loc = json_array_get(json_object_get(res, "locations"), 0);
		const char *uri = jstr(json_object_get(json_object_get(loc, "physicalLocation"), "artifactLocation"), "uri");
		if (strcmp(uri, cases[i][1]) != 0)
			fail_msg("%s: uri '%s', want '%s'", cases[i][0], uri, cases[i][1]);
		json_decref(j);
	}
}

/* ---- JUnit ---- */

static xmlNodePtr child(xmlNodePtr n, const char *name, int nth)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name) && nth-- == 0)
			return c;
	return NULL;
}

static void expect_attr(xmlNodePtr n, const char *name, const char *want)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	if (!v || strcmp((const char *)v, want) != 0)
		fail_msg("%s: '%s', want '%s'", name, v ? (const char *)v : "(none)", want);
	xmlFree(v);
}

static bool xsd_valid(xmlDocPtr doc)
{
	char path[4096];
	const char *src = getenv("VIGIL_SOURCE_DIR"), *slash = strrchr(__FILE__, '/');
	if (src)
		snprintf(path, sizeof(path), "%s/tests/report/data/junit-10.xsd", src);
	else /* run by hand: next to this file */
		snprintf(path, sizeof(path), "%.*s/data/junit-10.xsd", slash ? (int)(slash - __FILE__) : 1,
			 slash ? __FILE__ : ".");
	xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(path);
	xmlSchemaPtr schema = pc ? xmlSchemaParse(pc) : NULL;
	xmlSchemaValidCtxtPtr vc = schema ? xmlSchemaNewValidCtxt(schema) : NULL;
	if (!vc)
		fail_msg("cannot load %s", path);
	int rc = xmlSchemaValidateDoc(vc, doc);
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pc);
	return rc == 0;
}

static void test_junit(void **state)
{
	vigil_vuln_report r;
	vigil_finding f[6];
	vigil_suppression s[2];
	size_t len;
	make_report(&r, f, s);
	char *x = render(&r, "junit", "alpine:3.10", &len);
	assert_true(strncmp(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39) == 0);
	/* nothing of the feed's raw bytes: no control character, no invalid UTF-8 */
	for (size_t i = 0; i < len; i++)
		assert_false((unsigned char)x[i] < 0x20 && x[i] != '\n' && x[i] != '\r' && x[i] != '\t');
	xmlDocPtr doc = xmlReadMemory(x, (int)len, "junit.xml", NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	assert_true(xsd_valid(doc));
	xmlNodePtr root = xmlDocGetRootElement(doc), suite = child(root, "testsuite", 0);
	/* 5 packages and the finding whose package is not in the index */
	expect_attr(root, "tests", "6");
	expect_attr(suite, "tests", "6");
	expect_attr(suite, "failures", "5");
	expect_attr(suite, "skipped", "1");
	expect_attr(suite, "timestamp", "2025-12-05T19:20:00");
	expect_attr(child(child(suite, "properties", 0), "property", 5), "value", "bad \xEF\xBF\xBD warning \xEF\xBF\xBD");
	xmlNodePtr c0 = child(suite, "testcase", 0);
	expect_attr(c0, "classname", "dpkg");
	expect_attr(c0, "name", "libssl1.1@1.1.1d-0+deb11u1");
	expect_attr(child(c0, "failure", 0), "type", "Critical");
	expect_attr(child(c0, "failure", 0), "message", "CVE-2021-3711 (Critical): fixed in 1.1.1d-0+deb11u2");
	expect_attr(child(c0, "failure", 1), "message", "CVE-2021-3449 (Medium): not fixed");
	/* tzdata: only suppressed, so skipped with why */
	xmlNodePtr c1 = child(suite, "testcase", 1);
	expect_attr(c1, "name", "tzdata@2021a-1");
	assert_null(child(c1, "failure", 0));
	expect_attr(child(c1, "skipped", 0), "message", "CVE-2000-0001 ignored (.vigilignore:3)");
	/* zlib1g: a failure, and its suppression in system-out */
	xmlNodePtr c2 = child(suite, "testcase", 2);
	xmlChar *out = xmlNodeGetContent(child(c2, "system-out", 0));
	assert_non_null(strstr((const char *)out, "CVE-2022-37434 not_affected: vulnerable_code_not_in_execute_path"));
	xmlFree(out);
	expect_attr(child(suite, "testcase", 3), "name", "lodash@4.17.20 in /app/node_modules/lodash/package.json");
	/* the hostile name and text come back as text, bad bytes as U+FFFD */
	xmlNodePtr c4 = child(suite, "testcase", 4);
	expect_attr(c4, "name", "ev<il>&\"pkg'\xEF\xBF\xBD]]>\xEF\xBF\xBD|x@1.0<2");
	xmlChar *t = xmlNodeGetContent(child(c4, "failure", 0));
	assert_non_null(strstr((const char *)t, "Fixed version: 1.1\xEF\xBF\xBD\n"));
	xmlFree(t);
	expect_attr(child(suite, "testcase", 5), "name", "?@?");
	assert_null(child(suite, "testcase", 6));
	xmlFreeDoc(doc);
	free(x);

	/* nothing found: every package passes */
	r.finding_count = 0;
	r.suppressed_count = 0;
	x = render(&r, "junit", "", &len);
	doc = xmlReadMemory(x, (int)len, "junit.xml", NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	assert_true(xsd_valid(doc));
	suite = child(xmlDocGetRootElement(doc), "testsuite", 0);
	expect_attr(suite, "tests", "5");
	expect_attr(suite, "failures", "0");
	xmlFreeDoc(doc);
	free(x);
}

/* ---- GitLab ---- */

static bool web(const char *s) { return !strncmp(s, "https://", 8) || !strncmp(s, "http://", 7); }

static void test_gitlab(void **state)
{
	vigil_vuln_report r;
	vigil_finding f[6];
	vigil_suppression s[2];
	size_t i, k, len;
	json_t *v, *x;
	make_report(&r, f, s);
	json_t *j = render_json(&r, "gitlab", "registry.example.com/team/app:1.0");
	assert_string_equal(jstr(j, "version"), "15.2.4");
	json_t *scan = json_object_get(j, "scan");
	assert_string_equal(jstr(scan, "type"), "container_scanning");
	assert_string_equal(jstr(scan, "status"), "success");
	assert_string_equal(jstr(scan, "start_time"), "2025-12-05T19:20:00");
	assert_string_equal(jstr(scan, "end_time"), "2025-12-05T19:20:00");
	for (const char *const *t = (const char *const[]){ "analyzer", "scanner", NULL }; *t; t++) {
		json_t *a = json_object_get(scan, *t);
		assert_string_equal(jstr(a, "id"), "vigil");
		assert_true(*jstr(a, "version") && *jstr(json_object_get(a, "vendor"), "name"));
	}
	assert_int_equal(json_array_size(json_object_get(scan, "messages")), 2);
	assert_true(json_is_array(json_object_get(j, "remediations")));
	json_t *vulns = json_object_get(j, "vulnerabilities");
	/* findings only: GitLab has no member for suppressed ones */
	assert_int_equal(json_array_size(vulns), 6);
	json_array_foreach(vulns, i, v) {
		const char *sev = jstr(v, "severity");
		json_t *loc = json_object_get(v, "location");
		assert_int_equal(strlen(jstr(v, "id")), 36);
		assert_true(strlen(jstr(v, "name")) <= 255);
		assert_non_null(strstr("Info Unknown Low Medium High Critical", sev));
		assert_true(*jstr(loc, "operating_system") && *jstr(loc, "image"));
		assert_non_null(json_object_get(json_object_get(json_object_get(loc, "dependency"), "package"), "name"));
		assert_true(json_is_string(json_object_get(json_object_get(loc, "dependency"), "version")));
		assert_true(json_array_size(json_object_get(v, "identifiers")) >= 1);
		json_array_foreach(json_object_get(v, "identifiers"), k, x) {
			assert_true(*jstr(x, "type") && *jstr(x, "name") && *jstr(x, "value"));
			if (json_object_get(x, "url"))
				assert_true(web(jstr(x, "url")));
		}
		json_array_foreach(json_object_get(v, "links"), k, x)
			assert_true(web(jstr(x, "url")));
		for (size_t m = 0; m < i; m++)
			assert_string_not_equal(jstr(v, "id"), jstr(json_array_get(vulns, m), "id"));
	}
	v = json_array_get(vulns, 0);
	assert_string_equal(jstr(v, "name"), "SM2 decryption buffer overflow");
	assert_string_equal(jstr(v, "severity"), "Critical");
	assert_string_equal(jstr(v, "solution"), "Upgrade libssl1.1 to 1.1.1d-0+deb11u2");
	assert_string_equal(jstr(json_object_get(v, "location"), "operating_system"), "debian 11");
	assert_string_equal(jstr(json_object_get(v, "location"), "image"), "registry.example.com/team/app:1.0");
	x = json_array_get(json_object_get(v, "identifiers"), 0);
	assert_string_equal(jstr(x, "type"), "cve");
	assert_string_equal(jstr(x, "url"), "https://security-tracker.debian.org/tracker/CVE-2021-3711");
	assert_string_equal(jstr(json_array_get(json_object_get(v, "identifiers"), 1), "type"), "ghsa");
	assert_int_equal(json_array_size(json_object_get(v, "links")), 2); /* "not a url" left out */
	assert_string_equal(jstr(json_array_get(vulns, 2), "solution"), "The vendor will not fix this");
	assert_string_equal(jstr(json_array_get(vulns, 1), "solution"), "No solution provided");
	assert_string_equal(jstr(json_array_get(vulns, 4), "severity"), "Info");
	x = json_array_get(json_object_get(json_array_get(vulns, 4), "identifiers"), 0);
	assert_string_equal(jstr(x, "type"), "temp");
	assert_null(json_object_get(x, "url"));
	x = json_array_get(vulns, 5);
	assert_string_equal(jstr(json_array_get(json_object_get(x, "identifiers"), 0), "value"), "UNKNOWN");
	json_decref(j);

	char *doc = render(&r, "gitlab", "", &len), *again = render(&r, "gitlab", "", NULL);
	assert_string_equal(doc, again);
	if (getenv("VIGIL_GITLAB_SCHEMA"))
		assert_true(py_valid(getenv("VIGIL_GITLAB_SCHEMA"), doc, len));
	free(doc);
	free(again);
}

/* ---- flat JSON ---- */

static void test_flat(void **state)
{
	static const char *const keys[] = { "id", "aliases", "package", "version", "type", "purl", "fixed", "state",
					    "severity", "cvss", "cvss_vector", "layer", "package_db", "links",
					    "title", "feed" };
	vigil_vuln_report r;
	vigil_finding f[6];
	vigil_suppression s[2];
	size_t i;
	json_t *v;
	make_report(&r, f, s);
	json_t *j = render_json(&r, "flat", NULL);
	assert_string_equal(jstr(j, "image"), "index-image");
	assert_string_equal(jstr(j, "namespace"), "debian:11");
	assert_string_equal(jstr(j, "manifest"), "sha256:1234");
	assert_int_equal(json_array_size(json_object_get(j, "findings")), 6);
	assert_int_equal(json_array_size(json_object_get(j, "suppressed")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "warnings"), 1)),
			    "bad \x02 warning \xEF\xBF\xBD");
	json_array_foreach(json_object_get(j, "findings"), i, v)
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (!json_object_get(v, keys[k]))
				fail_msg("finding %zu has no '%s'", i, keys[k]);
	v = json_array_get(json_object_get(j, "findings"), 0);
	assert_string_equal(jstr(v, "id"), "CVE-2021-3711");
	assert_string_equal(json_string_value(json_array_get(json_object_get(v, "aliases"), 0)), "GHSA-0000-1111-2222");
	assert_string_equal(jstr(v, "package"), "libssl1.1");
	assert_string_equal(jstr(v, "type"), "dpkg");
	assert_string_equal(jstr(v, "purl"), "pkg:deb/debian/libssl1.1@1.1.1d-0%2Bdeb11u1?arch=amd64&distro=debian-11&upstream=openssl");
	assert_string_equal(jstr(v, "state"), "fixed");
	assert_string_equal(jstr(v, "severity"), "Critical");
	assert_true(json_real_value(json_object_get(v, "cvss")) == 9.8);
	assert_string_equal(jstr(v, "layer"), "sha256:aa");
	assert_string_equal(jstr(v, "title"), "SM2 decryption buffer overflow");
	assert_int_equal(json_array_size(json_object_get(v, "links")), 3);
	v = json_array_get(json_object_get(j, "findings"), 1);
	assert_true(json_is_null(json_object_get(v, "fixed")));
	assert_string_equal(jstr(v, "state"), "not-fixed");
	assert_string_equal(jstr(v, "title"), "An OpenSSL TLS server may crash");
	v = json_array_get(json_object_get(j, "findings"), 3);
	assert_string_equal(jstr(v, "purl"), "pkg:npm/lodash@4.17.20");
	assert_string_equal(jstr(v, "type"), "npm");
	v = json_array_get(json_object_get(j, "findings"), 4);
	assert_string_equal(jstr(v, "package"), "ev<il>&\"pkg'\x01]]>\xEF\xBF\xBD|x");
	v = json_array_get(json_object_get(j, "findings"), 5); /* no package, no id */
	assert_true(json_is_null(json_object_get(v, "package")) && json_is_null(json_object_get(v, "purl")));
	assert_true(json_is_null(json_object_get(v, "cvss")) && json_is_null(json_object_get(v, "layer")));
	assert_string_equal(jstr(v, "id"), "");
	v = json_array_get(json_object_get(j, "suppressed"), 0);
	assert_string_equal(jstr(v, "id"), "CVE-2022-37434");
	assert_string_equal(jstr(v, "status"), "not_affected");
	assert_string_equal(jstr(v, "justification"), "vulnerable_code_not_in_execute_path");
	assert_string_equal(jstr(v, "by"), "vex.json");
	assert_true(json_is_null(json_object_get(json_array_get(json_object_get(j, "suppressed"), 1), "justification")));
	json_decref(j);
}

/* An empty report is a valid document in every format. */
static void test_empty(void **state)
{
	vigil_vuln_report r;
	vigil_finding f[6];
	vigil_suppression s[2];
	make_report(&r, f, s);
	r.finding_count = r.suppressed_count = r.warning_count = 0;
	json_t *j = render_json(&r, "sarif", "alpine");
	json_t *run = json_array_get(json_object_get(j, "runs"), 0);
	assert_int_equal(json_array_size(json_object_get(run, "results")), 0);
	assert_int_equal(json_array_size(json_object_get(json_object_get(json_object_get(run, "tool"), "driver"),
						       "rules")), 0);
	json_decref(j);
	j = render_json(&r, "gitlab", "alpine");
	assert_int_equal(json_array_size(json_object_get(j, "vulnerabilities")), 0);
	json_decref(j);
	j = render_json(&r, "flat", "alpine");
	assert_int_equal(json_array_size(json_object_get(j, "findings")), 0);
	json_decref(j);
	/* without vulnerability data none of them renders */
	vigil_report_input in = { .index = &ir };
	char *out = (char *)1;
	size_t len = 1;
	for (const char *const *fmt = (const char *const[]){ "sarif", "junit", "gitlab", "flat", NULL }; *fmt; fmt++) {
		vigil_report_format fm;
		assert_int_equal(vigil_report_format_parse(*fmt, &fm), 0);
		assert_int_equal(vigil_report_render(&in, fm, NULL, &out, &len), VIGIL_EINVAL);
		assert_null(out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sarif),
		cmocka_unit_test(test_image_uris),
		cmocka_unit_test(test_junit),
		cmocka_unit_test(test_gitlab),
		cmocka_unit_test(test_flat),
		cmocka_unit_test(test_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
