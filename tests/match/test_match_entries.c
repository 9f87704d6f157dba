/* tests/match/test_match_entries.c: a record holding several entries for
 * one package in one namespace (the same CVE for curl in the CBL-Mariner
 * 2.0 preview OVAL, "less than or equal 0:7.76.0-6.cm1", and in the 2.0
 * OVAL, "less than 0:7.76.0-5.cm1", imported together; two ranges of one
 * package from different files) is matched on each entry's own ranges:
 * before, every AFFECTED row was judged on the first entry of the package,
 * so a FIXED entry without ranges made every version affected. */
#include "db/db.h"
#include "helpers.h"
#include "store/store.h"
#include "util/error.h"
#include "vigil/match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[64];
static vigil_store *s;

static int setup(void **state)
{
	(void)state;
	return th_temp_store("match_entries", dir, &s);
}

static int teardown(void **state)
{
	(void)state;
	return th_temp_store_free(dir, s);
}

static vigil_distribution mariner2 = { .did = "mariner", .version_id = "2.0" };

static vigil_vuln_report *match(const char *name, const char *version)
{
	static vigil_index_report ir;
	static vigil_package p;
	vigil_match_options o;
	vigil_vuln_report *r = NULL;
	p = (vigil_package){ .type = VIGIL_PKG_RPM, .name = name, .version = version, .arch = "x86_64" };
	ir = (vigil_index_report){ .manifest_hash = "sha256:00", .distribution = &mariner2, .packages = &p,
				   .package_count = 1 };
	vigil_match_options_init(&o);
	o.store = s;
	o.max_age = -1;
	o.no_enrich = 1;
	if (vigil_match(&ir, &o, &r) < 0)
		fail_msg("vigil_match: %s", vigil_error_message());
	return r;
}

static void test_several_entries(void **state)
{
	(void)state;
	vigil_range_event lte[] = { { VIGIL_EVENT_INTRODUCED, "0" }, { VIGIL_EVENT_LAST_AFFECTED, "0:7.76.0-6.cm1" } };
	vigil_range_event low[] = { { VIGIL_EVENT_INTRODUCED, "0" }, { VIGIL_EVENT_LAST_AFFECTED, "0:1.0-1" } };
	vigil_range_event mid[] = { { VIGIL_EVENT_INTRODUCED, "0:2.0-1" }, { VIGIL_EVENT_FIXED, "0:3.0-1" } };
	vigil_range r_lte = { "ECOSYSTEM", lte, 2 }, r_low = { "ECOSYSTEM", low, 2 }, r_mid = { "ECOSYSTEM", mid, 2 };
	vigil_affected curl[] = {
		{ .namespace = "mariner:2.0", .package = "curl", .scheme = "rpm", .state = VIGIL_STATE_FIXED,
		  .fixed = "0:7.76.0-5.cm1" },
		{ .namespace = "mariner:2.0", .package = "curl", .scheme = "rpm", .state = VIGIL_STATE_AFFECTED,
		  .ranges = &r_lte, .nranges = 1 },
	};
	vigil_affected two[] = {
		{ .namespace = "mariner:2.0", .package = "pkg", .scheme = "rpm", .state = VIGIL_STATE_AFFECTED,
		  .ranges = &r_low, .nranges = 1 },
		{ .namespace = "mariner:2.0", .package = "pkg", .scheme = "rpm", .state = VIGIL_STATE_AFFECTED,
		  .ranges = &r_mid, .nranges = 1 },
	};
	vigil_vuln v[] = {
		{ .id = "CVE-2021-22897", .source = "mariner", .cvss3_score = -1, .cvss2_score = -1, .affected = curl,
		  .naffected = 2 },
		{ .id = "CVE-2024-0001", .source = "mariner", .cvss3_score = -1, .cvss2_score = -1, .affected = two,
		  .naffected = 2 },
	};
	th_feed(s, "mariner", v, 2);

	/* above both entries: nothing (was: affected, by the FIXED entry's missing ranges) */
	vigil_vuln_report *r = match("curl", "7.76.0-6.cm2");
	assert_int_equal(r->finding_count, 0);
	vigil_vuln_report_free(r);
	/* inside the "<=" range only: affected, no fix */
	r = match("curl", "7.76.0-6.cm1");
	assert_int_equal(r->finding_count, 1);
	assert_int_equal(r->findings[0].state, VIGIL_STATE_AFFECTED);
	assert_null(r->findings[0].fixed);
	assert_string_equal(r->findings[0].affected_range, "<= 0:7.76.0-6.cm1");
	vigil_vuln_report_free(r);
	/* below both: no fix anywhere beats the fix */
	r = match("curl", "7.76.0-4.cm2");
	assert_int_equal(r->finding_count, 1);
	assert_null(r->findings[0].fixed);
	vigil_vuln_report_free(r);

	/* the second entry's range counts too (was: only the first one's) */
	r = match("pkg", "2.5-1");
	assert_int_equal(r->finding_count, 1);
	assert_string_equal(r->findings[0].fixed, "0:3.0-1");
	vigil_vuln_report_free(r);
	r = match("pkg", "0.9-1");
	assert_int_equal(r->finding_count, 1);
	assert_null(r->findings[0].fixed);
	vigil_vuln_report_free(r);
	r = match("pkg", "1.5-1");
	assert_int_equal(r->finding_count, 0);
	vigil_vuln_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_several_entries, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
