/* tests/feed/test_cvss.c: the CVSS calculator (feed/cvss.c). Every vector of
 * the three real NVD API 2.0 pages of the shared test data (57 metrics:
 * v3.1, v3.0 and v2, Primary and Secondary) computes to the baseScore NVD
 * gives with it; every one of the 2,592 v3 and 729 v2 base vectors sums to
 * the total of an independent python3 implementation of the FIRST.org
 * equations (v3.1 Roundup; v2 round half up); known scores; the v3.0
 * Roundup; temporal and environmental metrics (checked, then ignored); and
 * malformed vectors (missing, repeated, unknown metrics, bad values,
 * trailing '/', wrong prefix, the length limit). */
#include "helpers.h"
#include "feed/cvss.h"
#include "util/error.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long tenths(double s)
{
	return (long)(s * 10.0 + (s >= 0 ? 0.5 : -0.5));
}

static double score_of(const char *vec, int *version)
{
	double s = -1;
	if (feed_cvss_base_score(vec, strlen(vec), &s, version) < 0)
		fail_msg("%s: %s", vec, vigil_error_message());
	return s;
}

static void check_list(json_t *list, size_t *checked)
{
	size_t i;
	json_t *m;
	json_array_foreach(list, i, m) {
		json_t *data = json_object_get(m, "cvssData");
		const char *vec = json_string_value(json_object_get(data, "vectorString"));
		double want = json_number_value(json_object_get(data, "baseScore"));
		assert_non_null(vec);
		double got = score_of(vec, NULL);
		if (tenths(got) != tenths(want))
			fail_msg("%s: computed %.1f, NVD says %.1f", vec, got, want);
		(*checked)++;
	}
}

static void test_nvd_vectors(void **state)
{
	static const char *const pages[] = { "vunnel-full-page.json", "vunnel-single-entry.json",
					     "vuln-list-update-respPageFull.json" };
	size_t checked = 0;
	for (size_t p = 0; p < 3; p++) {
		char rel[256];
		snprintf(rel, sizeof(rel), "feeds/nvd/api2-pages/%s", pages[p]);
		json_t *root = json_load_file(th_data_path(rel), 0, NULL), *v;
		size_t i;
		assert_non_null(root);
		json_array_foreach(json_object_get(root, "vulnerabilities"), i, v) {
			json_t *metrics = json_object_get(json_object_get(v, "cve"), "metrics");
			check_list(json_object_get(metrics, "cvssMetricV31"), &checked);
			check_list(json_object_get(metrics, "cvssMetricV30"), &checked);
			check_list(json_object_get(metrics, "cvssMetricV2"), &checked);
		}
		json_decref(root);
	}
	/* python3: sum(len(m) for every cve for every metrics list) */
	assert_int_equal(checked, 57);
}

static void test_all_combinations(void **state)
{
	static const char *const av = "NALP", *const ac = "LH", *const pr = "NLH", *const ui = "NR",
				 *const sc = "UC", *const cia = "HLN";
	long sum31 = 0, sum30 = 0, sum2 = 0;
	int tens = 0, zeros = 0, n = 0;
	char vec[128];
	for (int a = 0; a < 4; a++)
	for (int b = 0; b < 2; b++)
	for (int c = 0; c < 3; c++)
	for (int d = 0; d < 2; d++)
	for (int e = 0; e < 2; e++)
	for (int x = 0; x < 27; x++) {
		double s;
		int version;
		snprintf(vec, sizeof(vec), "CVSS:3.1/AV:%c/AC:%c/PR:%c/UI:%c/S:%c/C:%c/I:%c/A:%c", av[a], ac[b],
			 pr[c], ui[d], sc[e], cia[x / 9], cia[x / 3 % 3], cia[x % 3]);
		s = score_of(vec, &version);
		assert_int_equal(version, VIGIL_CVSS_V31);
		assert_true(s >= 0 && s <= 10);
		sum31 += tenths(s);
		tens += s == 10.0;
		zeros += s == 0.0;
		vec[7] = '0';
		s = score_of(vec, &version);
		assert_int_equal(version, VIGIL_CVSS_V30);
		sum30 += tenths(s);
		n++;
	}
	assert_int_equal(n, 2592);
	assert_int_equal(sum31, 142706);
	assert_int_equal(sum30, 142706);
	assert_int_equal(tens, 7);
	assert_int_equal(zeros, 96);
	static const char *const av2 = "LAN", *const ac2 = "HML", *const au = "MSN", *const cia2 = "NPC";
	n = 0;
	for (int x = 0; x < 729; x++, n++) {
		int v = x;
		snprintf(vec, sizeof(vec), "AV:%c/AC:%c/Au:%c/C:%c/I:%c/A:%c", av2[v % 3], ac2[v / 3 % 3],
			 au[v / 9 % 3], cia2[v / 27 % 3], cia2[v / 81 % 3], cia2[v / 243 % 3]);
		int version;
		sum2 += tenths(score_of(vec, &version));
		assert_int_equal(version, VIGIL_CVSS_V2);
	}
	assert_int_equal(n, 729);
	assert_int_equal(sum2, 38007);
}

static void test_known(void **state)
{
	static const struct {
		const char *vec;
		double score;
	} known[] = {
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8 },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0 },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0 },
		{ "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:H", 6.6 },  /* UBUNTU-CVE-2021-3782 */
		{ "CVSS:3.0/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", 4.0 },  /* UBUNTU-CVE-2014-9913 */
		{ "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6 },
		{ "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:L/I:N/A:N", 4.0 },  /* Roundup(3.95...) */
		/* any order, temporal and environmental metrics: base score only */
		{ "CVSS:3.1/C:H/I:H/A:H/AV:N/AC:L/PR:N/UI:N/S:U", 9.8 },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:R/CR:L/MAV:P/MS:C", 9.8 },
		{ "AV:N/AC:L/Au:N/C:C/I:C/A:C", 10.0 },
		{ "AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5 },
		{ "(AV:N/AC:M/Au:N/C:N/I:P/A:N)", 4.3 },
		{ "AV:L/AC:H/Au:M/C:N/I:N/A:N", 0.0 },
		{ "AV:N/AC:L/Au:N/C:P/I:P/A:P/E:POC/RL:OF/RC:C/CDP:LM/TD:H/CR:ND/IR:L/AR:M", 7.5 },
	};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		double s = score_of(known[i].vec, NULL);
		if (tenths(s) != tenths(known[i].score))
			fail_msg("%s: %.1f, expected %.1f", known[i].vec, s, known[i].score);
	}
	double s;
	assert_int_equal(feed_cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 44, &s, NULL), 0);
	assert_int_equal(feed_cvss2_base_score("AV:N/AC:L/Au:N/C:P/I:P/A:P", 26, &s), 0);
	/* a v2 vector is not a v3 one and the reverse */
	assert_int_equal(feed_cvss3_base_score("AV:N/AC:L/Au:N/C:P/I:P/A:P", 26, &s, NULL), VIGIL_EFORMAT);
	assert_int_equal(feed_cvss2_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 44, &s),
			 VIGIL_EFORMAT);
}

static void test_severity(void **state)
{
	assert_int_equal(feed_cvss2_severity(-1), VIGIL_SEV_UNKNOWN);
	assert_int_equal(feed_cvss2_severity(11), VIGIL_SEV_UNKNOWN);
	assert_int_equal(feed_cvss2_severity(0), VIGIL_SEV_NEGLIGIBLE);
	assert_int_equal(feed_cvss2_severity(3.9), VIGIL_SEV_LOW);
	assert_int_equal(feed_cvss2_severity(4.0), VIGIL_SEV_MEDIUM);
	assert_int_equal(feed_cvss2_severity(6.9), VIGIL_SEV_MEDIUM);
	assert_int_equal(feed_cvss2_severity(7.0), VIGIL_SEV_HIGH);
	assert_int_equal(feed_cvss2_severity(10.0), VIGIL_SEV_HIGH);
}

static void expect_bad(const char *vec, int code, const char *needle)
{
	double s = 42;
	int rc = feed_cvss_base_score(vec, vec ? strlen(vec) : 0, &s, NULL);
	if (rc != code || !strstr(vigil_error_message(), needle))
		fail_msg("%s: rc %d (expected %d), \"%s\" (expected \"%s\")", vec, rc, code,
			 vigil_error_message(), needle);
}

static void test_bad(void **state)
{
	expect_bad(NULL, VIGIL_EFORMAT, "empty");
	expect_bad("", VIGIL_EFORMAT, "empty");
	expect_bad("CVSS:3.1/", VIGIL_EFORMAT, "base metric AV is missing");
	expect_bad("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", VIGIL_EFORMAT, "base metric A is missing");
	expect_bad("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", VIGIL_EFORMAT, "ends with '/'");
	expect_bad("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:L", VIGIL_EFORMAT, "metric A repeated at offset 45");
	expect_bad("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", VIGIL_EFORMAT, "bad value \"X\" for AV at offset 9");
	expect_bad("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1", VIGIL_EFORMAT, "unknown metric \"ZZ\"");
	expect_bad("CVSS:3.1/AV:N//AC:L", VIGIL_EFORMAT, "not METRIC:VALUE");
	expect_bad("CVSS:3.1/AV:N/AC", VIGIL_EFORMAT, "not METRIC:VALUE");
	expect_bad("CVSS:3.1/AV:/AC:L", VIGIL_EFORMAT, "not METRIC:VALUE");
	expect_bad("CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", VIGIL_EFORMAT, "CVSS:3.0/ or CVSS:3.1/");
	expect_bad("CVSS:3.1/av:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", VIGIL_EFORMAT, "unknown metric");
	expect_bad("AV:N/AC:L/Au:N/C:P/I:P", VIGIL_EFORMAT, "base metric A is missing");
	expect_bad("AV:N/AC:L/Au:N/C:P/I:P/A:P/E:X", VIGIL_EFORMAT, "bad value");
	expect_bad("(AV:N/AC:L/Au:N/C:P/I:P/A:P", VIGIL_EFORMAT, "parenthesis");
	expect_bad("(", VIGIL_EFORMAT, "parenthesis");
	expect_bad("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", VIGIL_EFORMAT, "unknown metric");
	char big[VIGIL_CVSS_MAX_VECTOR + 20];
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	expect_bad(big, VIGIL_ELIMIT, "limit");
	/* not NUL-terminated: only len bytes are read */
	double s;
	const char *vec = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:HXXXX";
	assert_int_equal(feed_cvss3_base_score(vec, 44, &s, NULL), 0);
	assert_int_equal(tenths(s), 98);
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nvd_vectors),
		cmocka_unit_test(test_all_combinations),
		cmocka_unit_test(test_known),
		cmocka_unit_test(test_severity),
		cmocka_unit_test(test_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
