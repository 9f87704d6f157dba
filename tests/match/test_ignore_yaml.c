/* tests/match/test_ignore_yaml.c: the ignore files of Trivy and Grype
 * (match/ignore_yaml.c, match/filter.c): .trivyignore.yaml with ids, purls,
 * paths, statements and expired_at; Grype's .grype.yaml ignore rules
 * (vulnerability, fix-state, package name/version/type/language/location/
 * upstream-name, rules without an id, the unsupported keys that make a rule
 * ignore nothing, with a note); a plain .trivyignore read as Trivy reads
 * it; the errors. The files follow the shapes of Trivy's and Grype's
 * documentation, written here. */
#include "helpers.h"
#include "match/filter_priv.h"
#include "util/error.h"
#include "vigil/match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 2024-03-01T12:00:00Z */
#define NOON_2024_03_01 1709294400LL

static const vigil_distribution debian = { .did = "debian", .version_id = "12" };
static const vigil_package pkgs[] = {
	{ .type = VIGIL_PKG_DPKG, .name = "libssl3", .version = "3.0.11-1~deb12u2", .arch = "amd64",
	  .source_name = "openssl", .source_version = "3.0.11-1~deb12u2", .package_db = "var/lib/dpkg/status" },
	{ .type = VIGIL_PKG_DPKG, .name = "zlib1g", .version = "1:1.2.13.dfsg-1", .arch = "amd64",
	  .source_name = "zlib", .package_db = "var/lib/dpkg/status" },
	{ .type = VIGIL_PKG_NPM, .name = "@babel/traverse", .version = "7.15.4",
	  .purl = "pkg:npm/%40babel/traverse@7.15.4", .package_db = "app/node_modules/@babel/traverse/package.json" },
};

/* Four findings: libssl3 (fixed), zlib1g (will not fix), zlib1g (not
 * fixed), @babel/traverse (fixed, a GHSA with a CVE alias). */
static void make_report(vigil_vuln_report *r, vigil_finding *f, vigil_index_report *ir)
{
	static const char *const aliases[] = { "CVE-2023-45133" };
	const vigil_finding init[4] = {
		{ .package_index = 0, .package = &pkgs[0], .id = "CVE-2023-5678", .fixed = "3.0.13-1~deb12u1",
		  .state = VIGIL_STATE_FIXED, .severity = VIGIL_SEV_MEDIUM },
		{ .package_index = 1, .package = &pkgs[1], .id = "CVE-2023-45853", .state = VIGIL_STATE_WILL_NOT_FIX,
		  .severity = VIGIL_SEV_CRITICAL },
		{ .package_index = 1, .package = &pkgs[1], .id = "CVE-2022-37434", .state = VIGIL_STATE_NOT_FIXED,
		  .severity = VIGIL_SEV_CRITICAL },
		{ .package_index = 2, .package = &pkgs[2], .id = "GHSA-67hx-6x53-jw92", .fixed = "7.23.2",
		  .state = VIGIL_STATE_FIXED, .aliases = aliases, .naliases = 1, .severity = VIGIL_SEV_CRITICAL },
	};
	memset(ir, 0, sizeof(*ir));
	ir->manifest_hash = "sha256:00";
	ir->packages = pkgs;
	ir->package_count = 3;
	ir->distribution = &debian;
	memcpy(f, init, sizeof(init));
	memset(r, 0, sizeof(*r));
	r->index = ir;
	r->findings = f;
	r->finding_count = 4;
}

static vigil_ignore_list *parse_ok(const char *name, const char *text)
{
	vigil_ignore_list *l = NULL;
	if (vigil_ignore_list_parse(text, strlen(text), name, &l) < 0)
		fail_msg("parse failed: %s", vigil_error_message());
	return l;
}

/* The ids left after filtering with l at now, space-separated, into out;
 * the id of each suppression into by (a hand-made report has no string
 * table to keep the rule's place and reason in: the CLI test checks
 * those). */
static void left(vigil_ignore_list *l, int64_t now, char *out, size_t n, char *by, size_t bn)
{
	vigil_vuln_report r;
	vigil_finding f[4];
	vigil_index_report ir;
	make_report(&r, f, &ir);
	vigil_filter flt = { .ignore = l, .now = now };
	assert_int_equal(vigil_vuln_report_filter(&r, &flt), 0);
	out[0] = '\0';
	for (size_t i = 0; i < r.finding_count; i++) {
		size_t at = strlen(out);
		snprintf(out + at, n - at, "%s%s/%s", at ? " " : "", r.findings[i].package->name, r.findings[i].id);
	}
	assert_int_equal(r.suppressed_count, r.ignored);
	if (by) {
		by[0] = '\0';
		for (size_t i = 0; i < r.suppressed_count; i++) {
			size_t at = strlen(by);
			snprintf(by + at, bn - at, "%s%s", at ? " " : "", r.suppressed[i].finding.id);
			assert_string_equal(r.suppressed[i].status, "ignored");
		}
	}
	free(r.suppressed);
}

static void note_count(void *ud, const char *msg)
{
	char *buf = ud;
	size_t at = strlen(buf);
	snprintf(buf + at, 1024 - at, "%s\n", msg);
}

static void test_trivy_yaml(void **state)
{
	(void)state;
	/* the shape of Trivy's docs (vulnerability/examples/filter) */
	const char *text = "vulnerabilities:\n"
			   "  - id: CVE-2023-5678\n"
			   "    paths:\n"
			   "      - \"var/lib/dpkg/**\"\n"
			   "    statement: Accept the risk\n"
			   "  - id: CVE-2023-45133\n"
			   "    purls:\n"
			   "      - \"pkg:npm/%40babel/traverse@7.15.4\"\n"
			   "    expired_at: 2024-03-02\n"
			   "  - id: CVE-2022-37434\n"
			   "    purls: [\"pkg:deb/debian/libssl3\"]\n"
			   "misconfigurations:\n"
			   "  - id: AVD-DS-0002\n"
			   "    paths: [\"docs/Dockerfile\"]\n"
			   "    statement: The image needs root privileges\n"
			   "secrets:\n"
			   "  - id: aws-access-key-id\n";
	char out[512], by[512], notes[1024] = "";
	vigil_ignore_list *l = parse_ok("dir/.trivyignore.yaml", text);
	left(l, NOON_2024_03_01, out, sizeof(out), by, sizeof(by));
	/* path and purl (via the CVE alias) hold; zlib1g's CVE-2022-37434 rule names libssl3 only */
	assert_string_equal(out, "zlib1g/CVE-2023-45853 zlib1g/CVE-2022-37434");
	assert_string_equal(by, "CVE-2023-5678 GHSA-67hx-6x53-jw92");
	/* expired_at 2024-03-02: expired from the start of that day, as Trivy */
	left(l, NOON_2024_03_01 + 86400, out, sizeof(out), NULL, 0);
	assert_string_equal(out, "zlib1g/CVE-2023-45853 zlib1g/CVE-2022-37434 @babel/traverse/GHSA-67hx-6x53-jw92");
	assert_int_equal(vigil_ignore_list_expired(l, NOON_2024_03_01 + 86400, note_count, notes), 1);
	assert_string_equal(notes, "dir/.trivyignore.yaml: vulnerabilities[1]: CVE-2023-45133 expired on 2024-03-02\n");
	notes[0] = '\0';
	assert_int_equal(vigil_ignore_list_notes(l, note_count, notes), 1);
	assert_non_null(strstr(notes, "misconfigurations: not vigil's findings"));
	/* secrets: rules of vigil audit's secret scanner (a rule id, any path) */
	assert_int_equal(vigil_ignore_list_match_rule(l, "aws-access-key-id", "app/.env", NOON_2024_03_01, NULL, NULL), 1);
	assert_int_equal(vigil_ignore_list_match_rule(l, "github-pat", "app/.env", NOON_2024_03_01, NULL, NULL), 0);
	vigil_ignore_list_free(l);

	/* a path that is not the package's database path ignores nothing */
	l = parse_ok(".trivyignore.yaml", "vulnerabilities:\n- id: CVE-2023-5678\n  paths: [\"usr/lib/**\"]\n");
	left(l, NOON_2024_03_01, out, sizeof(out), NULL, 0);
	assert_non_null(strstr(out, "libssl3/CVE-2023-5678"));
	vigil_ignore_list_free(l);
	/* an empty file and a file of comments are empty lists */
	l = parse_ok(".trivyignore.yaml", "# nothing yet\n");
	assert_int_equal(vigil_ignore_list_notes(l, NULL, NULL), 0);
	vigil_ignore_list_free(l);
}

static void test_grype(void **state)
{
	(void)state;
	/* the shape of Grype's README (Specifying matches to ignore) */
	const char *text = "output: table\n"
			   "fail-on-severity: high\n"
			   "ignore:\n"
			   "  # the full set of rule fields\n"
			   "  - vulnerability: CVE-2008-4318\n"
			   "    fix-state: unknown\n"
			   "    vex-status: not_affected\n"
			   "    vex-justification: vulnerable_code_not_present\n"
			   "    package:\n"
			   "      name: libcurl\n"
			   "      version: 1.5.1\n"
			   "      type: npm\n"
			   "      location: \"/usr/local/lib/node_modules/**\"\n"
			   "  # just by vulnerability id\n"
			   "  - vulnerability: CVE-2023-5678\n"
			   "    reason: not reachable\n"
			   "  # just by package fields (no id): every finding of zlib that will not be fixed\n"
			   "  - fix-state: wont-fix\n"
			   "    package:\n"
			   "      upstream-name: zl.b\n"
			   "      type: deb\n"
			   "      location: \"/var/lib/dpkg/**\"\n"
			   "  - vulnerability: GHSA-67hx-6x53-jw92\n"
			   "    package:\n"
			   "      name: \"@babel/.*\"\n"
			   "      version: 7.15.4\n"
			   "      language: javascript\n"
			   "  # no condition: applies to nothing\n"
			   "  - reason: empty\n";
	char out[512], by[512], notes[1024] = "";
	vigil_ignore_list *l = parse_ok("/src/.grype.yaml", text);
	left(l, NOON_2024_03_01, out, sizeof(out), by, sizeof(by));
	assert_string_equal(out, "zlib1g/CVE-2022-37434");
	assert_string_equal(by, "CVE-2023-5678 CVE-2023-45853 GHSA-67hx-6x53-jw92");
	assert_int_equal(vigil_ignore_list_notes(l, note_count, notes), 2);
	assert_non_null(strstr(notes, "ignore[0]: 'vex-status' is not supported"));
	vigil_ignore_list_free(l);

	/* a condition that does not hold keeps the finding */
	l = parse_ok(".grype.yaml", "ignore:\n"
				    "  - vulnerability: CVE-2023-5678\n    fix-state: not-fixed\n"
				    "  - vulnerability: CVE-2022-37434\n    package: {name: zlib1g, version: 9}\n"
				    "  - vulnerability: GHSA-67hx-6x53-jw92\n    package: {type: python}\n"
				    "  - vulnerability: CVE-2023-45853\n    namespace: debian:distro:debian:12\n");
	left(l, NOON_2024_03_01, out, sizeof(out), NULL, 0);
	assert_string_equal(out, "libssl3/CVE-2023-5678 zlib1g/CVE-2023-45853 zlib1g/CVE-2022-37434 "
				 "@babel/traverse/GHSA-67hx-6x53-jw92");
	vigil_ignore_list_free(l);
	/* fix-state fixed and not-fixed; the name regex is anchored */
	l = parse_ok("x.yml", "ignore:\n  - fix-state: fixed\n    package: {name: libssl}\n"
			      "  - fix-state: not-fixed\n  - fix-state: fixed\n    package: {name: \"libssl[0-9]\"}\n");
	left(l, NOON_2024_03_01, out, sizeof(out), NULL, 0);
	assert_string_equal(out, "zlib1g/CVE-2023-45853 @babel/traverse/GHSA-67hx-6x53-jw92");
	vigil_ignore_list_free(l);
}

static void test_trivy_plain(void **state)
{
	(void)state;
	char out[512], by[512];
	/* .trivyignore: Trivy reads the id and exp: only */
	vigil_ignore_list *l = parse_ok("ci/.trivyignore", "# Accept the risk\nCVE-2023-5678 we do not use it exp:2024-12-31\n"
							    "CVE-2022-37434\n");
	left(l, NOON_2024_03_01, out, sizeof(out), by, sizeof(by));
	assert_string_equal(out, "zlib1g/CVE-2023-45853 @babel/traverse/GHSA-67hx-6x53-jw92");
	assert_string_equal(by, "CVE-2023-5678 CVE-2022-37434");
	vigil_ignore_list_free(l);
	/* the same line in a vigil ignore file is an error (a third word) */
	vigil_ignore_list *bad = NULL;
	assert_int_equal(vigil_ignore_list_parse("CVE-1 we do not\n", 16, ".vigilignore", &bad), VIGIL_EFORMAT);
}

static void expect_error(const char *name, const char *text, const char *msg)
{
	vigil_ignore_list *l = (vigil_ignore_list *)1;
	assert_true(vigil_ignore_list_parse(text, strlen(text), name, &l) < 0);
	assert_null(l);
	if (!strstr(vigil_error_message(), msg))
		fail_msg("error '%s' lacks '%s'", vigil_error_message(), msg);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error(".grype.yaml", "ignore:\n  - fix-state: broken\n", ".grype.yaml: ignore[0]: fix-state 'broken'");
	expect_error(".grype.yaml", "ignore:\n  - package: {name: \"a(\"}\n", "is not a regular expression");
	expect_error(".grype.yaml", "ignore: {vulnerability: CVE-1}\n", "ignore: a list expected");
	expect_error(".grype.yaml", "ignore:\n  - CVE-1\n", "ignore[0]: a mapping expected");
	expect_error(".trivyignore.yaml", "vulnerabilities:\n  - purls: [x]\n", "vulnerabilities[0]: no id");
	expect_error(".trivyignore.yaml", "vulnerabilities:\n  - id: CVE-1\n    purls: [\"npm/x\"]\n", "purls[0]");
	expect_error(".trivyignore.yaml", "vulnerabilities:\n  - id: CVE-1\n    expired_at: soon\n",
		     "expired_at 'soon': want YYYY-MM-DD");
	expect_error(".trivyignore.yaml", "vulnerabilities:\n  - id: CVE-1\n    paths: docs\n", "paths: a list expected");
	expect_error(".trivyignore.yaml", "vulnerabilities: [\n", ".trivyignore.yaml line");
	expect_error(".trivyignore.yaml", "- a\n- b\n", "not a YAML mapping");
	expect_error(".trivyignore.yaml", "a: &x 1\nb: *x\n", "aliases");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trivy_yaml),
		cmocka_unit_test(test_grype),
		cmocka_unit_test(test_trivy_plain),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
