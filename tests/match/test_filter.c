/* tests/match/test_filter.c: ignore files (format, Trivy's form, limits and
 * errors naming FILE:LINE), expiry at a fixed time, severity lists, and
 * vigil_vuln_report_filter on hand-made reports. */
#include "helpers.h"
#include "match/filter_priv.h"
#include "util/error.h"
#include "vigil/match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 2024-03-01T12:00:00Z */
#define NOON_2024_03_01 1709294400LL
#define DAY 86400LL

static vigil_ignore_list *parse_ok(const char *text)
{
	vigil_ignore_list *l = NULL;
	int rc = vigil_ignore_list_parse(text, strlen(text), "t.ignore", &l);
	if (rc < 0)
		fail_msg("parse failed: %s", vigil_error_message());
	return l;
}

static void expect_error(const char *text, int code, const char *msg)
{
	vigil_ignore_list *l = (vigil_ignore_list *)1;
	assert_int_equal(vigil_ignore_list_parse(text, strlen(text), "t.ignore", &l), code);
	assert_null(l);
	if (strstr(vigil_error_message(), msg) == NULL)
		fail_msg("error '%s' lacks '%s'", vigil_error_message(), msg);
}

/* A report of five findings on three packages. */
static const vigil_package pkgs[] = {
	{ .type = VIGIL_PKG_DPKG, .name = "libssl1.1", .version = "1.1.1d-0", .source_name = "openssl" },
	{ .type = VIGIL_PKG_DPKG, .name = "openssl", .version = "1.1.1d-0", .source_name = "openssl" },
	{ .type = VIGIL_PKG_DPKG, .name = "zlib1g", .version = "1:1.2.11", .source_name = "zlib" },
};
static const char *const aliases[] = { "GHSA-abcd-efgh-ijkl" };
static const char *const advisories[] = { "DSA-5000-1" };

static void make_report(vigil_vuln_report *r, vigil_finding *f)
{
	static const vigil_index_report ir = { .manifest_hash = "sha256:00", .packages = pkgs, .package_count = 3 };
	const vigil_finding init[5] = {
		{ .package_index = 0, .package = &pkgs[0], .id = "CVE-2021-3711", .severity = VIGIL_SEV_CRITICAL,
		  .fixed = "1.1.1k", .state = VIGIL_STATE_FIXED, .advisories = advisories, .nadvisories = 1 },
		{ .package_index = 0, .package = &pkgs[0], .id = "CVE-2021-3449", .severity = VIGIL_SEV_MEDIUM,
		  .state = VIGIL_STATE_NOT_FIXED, .aliases = aliases, .naliases = 1 },
		{ .package_index = 1, .package = &pkgs[1], .id = "CVE-2021-3711", .severity = VIGIL_SEV_CRITICAL,
		  .fixed = "1.1.1k", .state = VIGIL_STATE_FIXED },
		{ .package_index = 2, .package = &pkgs[2], .id = "CVE-2018-25032", .severity = VIGIL_SEV_LOW,
		  .state = VIGIL_STATE_WILL_NOT_FIX },
		{ .package_index = 2, .package = &pkgs[2], .id = "TEMP-0000000-ABCDEF", .severity = VIGIL_SEV_UNKNOWN,
		  .fixed = "1:1.2.12", .state = VIGIL_STATE_FIXED },
	};
	memcpy(f, init, sizeof(init));
	memset(r, 0, sizeof(*r));
	r->index = &ir;
	r->findings = f;
	r->finding_count = 5;
}

/* The filter on a hand-made report; the suppressed array is dropped (the
 * report is on the stack). */
static int filter_run(vigil_vuln_report *r, const vigil_filter *f)
{
	int rc = vigil_vuln_report_filter(r, f);
	if (!r)
		return rc;
	for (size_t i = 0; i < r->suppressed_count; i++)
		assert_string_equal(r->suppressed[i].status, "ignored");
	assert_true(r->suppressed_count <= r->ignored);
	free(r->suppressed);
	r->suppressed = NULL;
	r->suppressed_count = 0;
	return rc;
}

static size_t filter_with(const char *rules, int64_t now, vigil_vuln_report *r, vigil_finding *f)
{
	vigil_ignore_list *l = parse_ok(rules);
	vigil_filter flt = { .ignore = l, .now = now };
	make_report(r, f);
	assert_int_equal(filter_run(r, &flt), 0);
	vigil_ignore_list_free(l);
	return r->finding_count;
}

static void test_rules_match_id_alias_advisory(void **state)
{
	vigil_vuln_report r;
	vigil_finding f[5];
	/* an id: both packages' findings of it */
	assert_int_equal(filter_with("CVE-2021-3711\n", NOON_2024_03_01, &r, f), 3);
	assert_int_equal(r.ignored, 2);
	assert_int_equal(r.filtered_out, 2);
	assert_string_equal(f[0].id, "CVE-2021-3449");
	assert_string_equal(f[1].id, "CVE-2018-25032");
	assert_string_equal(f[2].id, "TEMP-0000000-ABCDEF");
	/* restricted to one binary package */
	assert_int_equal(filter_with("CVE-2021-3711 openssl\n", NOON_2024_03_01, &r, f), 4);
	assert_string_equal(f[0].package->name, "libssl1.1");
	assert_string_equal(f[0].id, "CVE-2021-3711");
	assert_string_equal(f[1].id, "CVE-2021-3449");
	/* a source name is not a binary package name */
	assert_int_equal(filter_with("CVE-2021-3711 zlib\n", NOON_2024_03_01, &r, f), 5);
	/* an alias, a folded advisory */
	assert_int_equal(filter_with("GHSA-abcd-efgh-ijkl\n", NOON_2024_03_01, &r, f), 4);
	assert_string_equal(f[1].id, "CVE-2021-3711");
	assert_int_equal(filter_with("DSA-5000-1 libssl1.1\n", NOON_2024_03_01, &r, f), 4);
	assert_string_equal(f[0].id, "CVE-2021-3449");
	/* CVE and GHSA ids whatever their case; other ids exactly */
	assert_int_equal(filter_with("cve-2021-3449\nghsa-ABCD-efgh-ijkl\n", NOON_2024_03_01, &r, f), 4);
	assert_int_equal(filter_with("dsa-5000-1\ntemp-0000000-abcdef\n", NOON_2024_03_01, &r, f), 5);
	assert_int_equal(filter_with("TEMP-0000000-ABCDEF\n", NOON_2024_03_01, &r, f), 4);
	/* a prefix of an id is not the id */
	assert_int_equal(filter_with("CVE-2021-371\nCVE-2021-37111\n", NOON_2024_03_01, &r, f), 5);
	assert_int_equal(r.ignored, 0);
	assert_int_equal(r.filtered_out, 0);
}

static void test_format(void **state)
{
	vigil_vuln_report r;
	vigil_finding f[5];
	/* comments, blank lines, tabs, CRLF, a byte order mark, trailing reasons */
	const char *text = "\xEF\xBB\xBF# vigil ignore file\r\n"
			   "\r\n"
			   "   \t\n"
			   "CVE-2021-3711\topenssl   exp:2024-12-31 # accepted: not reachable\r\n"
			   "  CVE-2018-25032 # no fix in bullseye\n"
			   "CVE-2021-3449 exp:2030-01-01 libssl1.1\n"
			   "# CVE-2021-3711 libssl1.1\n"
			   "TEMP-0000000-ABCDEF#not-a-comment";
	assert_int_equal(filter_with(text, NOON_2024_03_01, &r, f), 2);
	assert_string_equal(f[0].id, "CVE-2021-3711");
	assert_string_equal(f[0].package->name, "libssl1.1");
	assert_string_equal(f[1].id, "TEMP-0000000-ABCDEF"); /* '#' inside a token is part of it */
	assert_int_equal(r.ignored, 3);
	/* Trivy's .trivyignore: ids, exp: after them, comments */
	const char *trivy = "# Accept the risk\n"
			    "CVE-2018-25032\n"
			    "\n"
			    "# No impact in our settings\n"
			    "CVE-2021-3449 exp:2023-02-01\n"
			    "CVE-2021-3711 exp:2099-02-01\n";
	assert_int_equal(filter_with(trivy, NOON_2024_03_01, &r, f), 2);
	assert_string_equal(f[0].id, "CVE-2021-3449"); /* expired */
	assert_string_equal(f[1].id, "TEMP-0000000-ABCDEF");
	/* an empty file ignores nothing */
	assert_int_equal(filter_with("", NOON_2024_03_01, &r, f), 5);
	assert_int_equal(filter_with("\n# only comments\n\n", NOON_2024_03_01, &r, f), 5);
}

static void collect(void *ud, const char *msg)
{
	char *buf = ud;
	strcat(buf, msg);
	strcat(buf, "\n");
}

static void test_expiry(void **state)
{
	vigil_vuln_report r;
	vigil_finding f[5];
	const char *rules = "# header\nCVE-2021-3449 exp:2024-03-01\nCVE-2018-25032 zlib1g exp:2024-02-29\n"
			    "TEMP-0000000-ABCDEF\n";
	const int64_t last_second = NOON_2024_03_01 + 12 * 3600 - 1; /* 2024-03-01T23:59:59Z */
	/* a rule holds through the day it names (UTC) */
	assert_int_equal(filter_with(rules, last_second, &r, f), 3);
	assert_int_equal(r.ignored, 2);
	assert_string_equal(f[2].id, "CVE-2018-25032"); /* its rule ended on Feb 29 */
	assert_int_equal(filter_with(rules, last_second + 1, &r, f), 4);
	assert_string_equal(f[1].id, "CVE-2021-3449");
	assert_int_equal(filter_with(rules, NOON_2024_03_01 - DAY, &r, f), 2);
	assert_int_equal(r.ignored, 3);
	assert_int_equal(filter_with(rules, NOON_2024_03_01 - DAY + 12 * 3600, &r, f), 3); /* Mar 1 00:00 */

	/* expired rules are reported with file and line */
	vigil_ignore_list *l = parse_ok(rules);
	char buf[1024] = "";
	assert_int_equal(vigil_ignore_list_expired(l, last_second, collect, buf), 1);
	assert_string_equal(buf, "t.ignore:3: CVE-2018-25032 zlib1g expired on 2024-02-29\n");
	buf[0] = '\0';
	assert_int_equal(vigil_ignore_list_expired(l, last_second + 1, collect, buf), 2);
	assert_string_equal(buf, "t.ignore:2: CVE-2021-3449 expired on 2024-03-01\n"
				 "t.ignore:3: CVE-2018-25032 zlib1g expired on 2024-02-29\n");
	assert_int_equal(vigil_ignore_list_expired(l, NOON_2024_03_01 - 2 * DAY, NULL, NULL), 0);
	/* now == 0 is the clock: both dates are long past */
	assert_int_equal(vigil_ignore_list_expired(l, 0, NULL, NULL), 2);
	vigil_ignore_list_free(l);
	assert_int_equal(vigil_ignore_list_expired(NULL, 0, NULL, NULL), 0);
	vigil_ignore_list_free(NULL);
}

static void test_errors(void **state)
{
	expect_error("CVE-1\nCVE-2 exp:2024-02-30\n", VIGIL_EFORMAT,
		     "t.ignore:2: invalid date 'exp:2024-02-30' (want exp:YYYY-MM-DD)");
	expect_error("CVE-1 exp:2023-02-29\n", VIGIL_EFORMAT, "t.ignore:1: invalid date");
	expect_error("CVE-1 exp:2024-13-01\n", VIGIL_EFORMAT, "t.ignore:1: invalid date");
	expect_error("CVE-1 exp:24-01-01\n", VIGIL_EFORMAT, "t.ignore:1: invalid date");
	expect_error("CVE-1 exp:2024-1-01x\n", VIGIL_EFORMAT, "t.ignore:1: invalid date");
	expect_error("CVE-1 exp:\n", VIGIL_EFORMAT, "t.ignore:1: invalid date 'exp:'");
	expect_error("CVE-1 exp:1969-12-31\n", VIGIL_EFORMAT, "invalid date");
	expect_error("CVE-1 exp:2024-01-01 exp:2025-01-01\n", VIGIL_EFORMAT, "t.ignore:1: a second expiry date");
	expect_error("\n\nCVE-1 openssl libssl1.1\n", VIGIL_EFORMAT,
		     "t.ignore:3: unknown token 'libssl1.1' (want ID [PACKAGE] [exp:YYYY-MM-DD] [# reason])");
	expect_error("CVE-1 until:2024-01-01\n", VIGIL_EFORMAT, "t.ignore:1: unknown token 'until:2024-01-01'");
	expect_error("exp:2024-01-01 CVE-1\n", VIGIL_EFORMAT, "t.ignore:1: 'exp:2024-01-01' where an id was expected");
	expect_error("CVE-1\nCVE-2\x1b[31m\n", VIGIL_EFORMAT, "t.ignore:2: control character 0x1b");
	const char nul[] = "CVE-1\nCVE\0-2\n";
	vigil_ignore_list *l = NULL;
	assert_int_equal(vigil_ignore_list_parse(nul, sizeof(nul) - 1, "t.ignore", &l), VIGIL_EFORMAT);
	assert_string_equal(vigil_error_message(), "t.ignore:2: NUL byte");
	/* a long token is quoted shortened */
	char longtok[200];
	memset(longtok, 'x', sizeof(longtok));
	memcpy(longtok, "CVE-1 p ", 8);
	longtok[sizeof(longtok) - 1] = '\0';
	expect_error(longtok, VIGIL_EFORMAT, "unknown token 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' (want");
	/* no name: "ignore file" */
	assert_int_equal(vigil_ignore_list_parse("a b c", 5, NULL, &l), VIGIL_EFORMAT);
	assert_string_equal(vigil_error_message(),
			    "ignore file:1: unknown token 'c' (want ID [PACKAGE] [exp:YYYY-MM-DD] [# reason])");
}

static void test_limits(void **state)
{
	vigil_ignore_list *l = NULL;
	/* a line at the limit parses, one byte more does not (comments too) */
	size_t n = VIGIL_IGNORE_MAX_LINE;
	char *text = malloc(n + 16);
	memset(text, 'A', n);
	memcpy(text, "CVE-1 # ", 8);
	text[n] = '\n';
	assert_int_equal(vigil_ignore_list_parse(text, n + 1, "big", &l), 0);
	vigil_ignore_list_free(l);
	memset(text, '#', n + 1);
	text[n + 1] = '\n';
	assert_int_equal(vigil_ignore_list_parse(text, n + 2, "big", &l), VIGIL_ELIMIT);
	assert_string_equal(vigil_error_message(), "big:1: line of 4097 bytes (limit 4096)");
	free(text);

	/* the rule count */
	size_t rules = VIGIL_IGNORE_MAX_RULES;
	char *many = malloc((rules + 1) * 16);
	size_t len = 0;
	for (size_t i = 0; i < rules; i++)
		len += (size_t)snprintf(many + len, 16, "CVE-%zu\n", i);
	assert_int_equal(vigil_ignore_list_parse(many, len, "many", &l), 0);
	/* every one is found through the index */
	vigil_finding f = { .id = "CVE-65535" };
	vigil_vuln_report r = { .findings = &f, .finding_count = 1 };
	vigil_filter flt = { .ignore = l, .now = NOON_2024_03_01 };
	assert_int_equal(filter_run(&r, &flt), 0);
	assert_int_equal(r.finding_count, 0);
	assert_int_equal(r.ignored, 1);
	vigil_ignore_list_free(l);
	len += (size_t)snprintf(many + len, 16, "CVE-X\n");
	assert_int_equal(vigil_ignore_list_parse(many, len, "many", &l), VIGIL_ELIMIT);
	assert_string_equal(vigil_error_message(), "many:65537: more than 65536 rules");
	free(many);

	/* the file size */
	assert_int_equal(vigil_ignore_list_parse("", (size_t)VIGIL_IGNORE_MAX_FILE + 1, "huge", &l), VIGIL_ELIMIT);
	assert_null(l);
}

static void test_load(void **state)
{
	char path[] = "/tmp/vigil-ignore-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *text = "CVE-2021-3711 # ok\nCVE-2 bad token here\n";
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	vigil_ignore_list *l = NULL;
	char want[128];
	assert_int_equal(vigil_ignore_list_load(path, &l), VIGIL_EFORMAT);
	snprintf(want, sizeof(want), "%s:2: unknown token 'token'", path);
	assert_non_null(strstr(vigil_error_message(), want));
	/* a good file */
	FILE *f = fopen(path, "w");
	fputs("CVE-2021-3711 openssl\n", f);
	fclose(f);
	assert_int_equal(vigil_ignore_list_load(path, &l), 0);
	assert_non_null(l);
	vigil_ignore_list_free(l);
	unlink(path);
	assert_int_equal(vigil_ignore_list_load(path, &l), VIGIL_ENOTFOUND);
	assert_null(l);
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	assert_string_equal(vigil_error_message(), want);
}

static void test_severity_mask(void **state)
{
	unsigned m = 99;
	assert_int_equal(vigil_severity_mask_parse("LOW,HIGH,critical", &m), 0);
	assert_int_equal(m, (1u << VIGIL_SEV_LOW) | (1u << VIGIL_SEV_HIGH) | (1u << VIGIL_SEV_CRITICAL));
	assert_int_equal(vigil_severity_mask_parse(" Unknown , negligible,MEDIUM ", &m), 0);
	assert_int_equal(m, (1u << VIGIL_SEV_UNKNOWN) | (1u << VIGIL_SEV_NEGLIGIBLE) | (1u << VIGIL_SEV_MEDIUM));
	assert_int_equal(vigil_severity_mask_parse("high,HIGH", &m), 0);
	assert_int_equal(m, 1u << VIGIL_SEV_HIGH);
	assert_int_equal(vigil_severity_mask_parse("", &m), VIGIL_EINVAL);
	assert_int_equal(m, 0);
	assert_non_null(strstr(vigil_error_message(), "severity list is empty"));
	assert_int_equal(vigil_severity_mask_parse("  ", &m), VIGIL_EINVAL);
	assert_int_equal(vigil_severity_mask_parse("LOW,,HIGH", &m), VIGIL_EINVAL);
	assert_string_equal(vigil_error_message(), "severity list 'LOW,,HIGH': an empty name");
	assert_int_equal(vigil_severity_mask_parse("HIGH,", &m), VIGIL_EINVAL);
	assert_int_equal(vigil_severity_mask_parse("HIGH,severe", &m), VIGIL_EINVAL);
	assert_string_equal(vigil_error_message(),
			    "unknown severity 'severe' (want Unknown, Negligible, Low, Medium, High or Critical)");
	assert_int_equal(vigil_severity_mask_parse("HIGHER", &m), VIGIL_EINVAL);
	assert_int_equal(vigil_severity_mask_parse("HIG", &m), VIGIL_EINVAL);
}

static void test_filter_severity_unfixed(void **state)
{
	vigil_vuln_report r;
	vigil_finding f[5];
	vigil_filter flt = { 0 };
	/* nothing set: nothing removed */
	make_report(&r, f);
	assert_int_equal(filter_run(&r, &flt), 0);
	assert_int_equal(r.finding_count, 5);
	assert_int_equal(r.filtered_out, 0);
	/* severities */
	assert_int_equal(vigil_severity_mask_parse("critical,low", &flt.severities), 0);
	assert_int_equal(filter_run(&r, &flt), 0);
	assert_int_equal(r.finding_count, 3);
	assert_string_equal(f[0].id, "CVE-2021-3711");
	assert_string_equal(f[1].id, "CVE-2021-3711");
	assert_string_equal(f[1].package->name, "openssl");
	assert_string_equal(f[2].id, "CVE-2018-25032");
	assert_int_equal(r.filtered_out, 2);
	assert_int_equal(r.ignored, 0);
	/* a second pass adds to the counts */
	flt.severities = 0;
	flt.ignore_unfixed = 1;
	assert_int_equal(filter_run(&r, &flt), 0);
	assert_int_equal(r.finding_count, 2);
	assert_int_equal(r.filtered_out, 3);
	/* unfixed alone: not-fixed and will-not-fix go */
	make_report(&r, f);
	assert_int_equal(filter_run(&r, &flt), 0);
	assert_int_equal(r.finding_count, 3);
	assert_string_equal(f[2].id, "TEMP-0000000-ABCDEF");
	/* all three: the ignore list counts first */
	vigil_ignore_list *l = parse_ok("CVE-2021-3449\nCVE-2021-3711 openssl\n");
	flt = (vigil_filter){ .ignore = l, .ignore_unfixed = 1, .now = NOON_2024_03_01 };
	assert_int_equal(vigil_severity_mask_parse("critical,medium,unknown", &flt.severities), 0);
	make_report(&r, f);
	assert_int_equal(filter_run(&r, &flt), 0);
	assert_int_equal(r.finding_count, 2);
	assert_string_equal(f[0].id, "CVE-2021-3711");
	assert_string_equal(f[1].id, "TEMP-0000000-ABCDEF");
	assert_int_equal(r.filtered_out, 3);
	assert_int_equal(r.ignored, 2);
	vigil_ignore_list_free(l);
	/* a severity out of range is kept by no mask, and an empty report is fine */
	f[0].severity = (vigil_severity)77;
	r.finding_count = 1;
	flt = (vigil_filter){ .severities = 0x3f };
	assert_int_equal(filter_run(&r, &flt), 0);
	assert_int_equal(r.finding_count, 0);
	assert_int_equal(filter_run(&r, &flt), 0);
	assert_int_equal(filter_run(NULL, &flt), VIGIL_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_match_id_alias_advisory),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_severity_mask),
		cmocka_unit_test(test_filter_severity_unfixed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
