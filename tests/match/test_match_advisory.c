/* tests/match/test_match_advisory.c: an advisory that stands as its own
 * finding (a DSA of Debian's lists: no severity of its own) is rated by
 * the CVEs it fixes: the namespace's vendor rating of each (the tracker's
 * urgency), else NVD's CVSS; the most severe wins, the CVE ids are the
 * finding's aliases, the vendor's word stays its own. And the data
 * warnings of a match are those of the image's namespaces only. */
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
	return th_temp_store("match_adv", dir, &s);
}

static int teardown(void **state)
{
	return th_temp_store_free(dir, s);
}

static void feed(const char *name, const vigil_vuln *v, size_t n) { th_feed(s, name, v, n); }

static vigil_distribution debian12 = { .did = "debian", .version_id = "12", .version_code_name = "bookworm" };

static vigil_vuln_report *match(const vigil_package *p, size_t n, int no_enrich)
{
	static vigil_index_report ir;
	vigil_match_options o;
	vigil_vuln_report *r = NULL;
	ir = (vigil_index_report){ .manifest_hash = "sha256:00", .distribution = &debian12, .packages = p,
				   .package_count = n };
	vigil_match_options_init(&o);
	o.store = s;
	o.max_age = -1; /* no staleness warnings here */
	o.no_enrich = no_enrich;
	if (vigil_match(&ir, &o, &r) < 0)
		fail_msg("vigil_match: %s", vigil_error_message());
	return r;
}

static const vigil_finding *find(const vigil_vuln_report *r, const char *id)
{
	for (size_t i = 0; i < r->finding_count; i++)
		if (!strcmp(r->findings[i].id, id))
			return &r->findings[i];
	return NULL;
}

static void test_advisory_severity(void **state)
{
	vigil_affected fixed_a = { .namespace = "debian:12", .package = "curl", .is_source = 1, .scheme = "dpkg",
				   .state = VIGIL_STATE_FIXED, .fixed = "7.88.1-10+deb12u5" };
	/* the tracker rates CVE-2023-0001 low and CVE-2023-0003 high for curl in bookworm */
	vigil_affected low = fixed_a, high = fixed_a;
	low.severity = VIGIL_SEV_LOW;
	low.vendor_severity = "low";
	high.severity = VIGIL_SEV_HIGH;
	high.vendor_severity = "high";
	vigil_vuln tracker[] = {
		{ .id = "CVE-2023-0001", .source = "debian", .cvss3_score = -1, .cvss2_score = -1,
		  .affected = &low, .naffected = 1 },
		{ .id = "CVE-2023-0003", .source = "debian", .cvss3_score = -1, .cvss2_score = -1,
		  .affected = &high, .naffected = 1 },
	};
	feed("debian", tracker, 2);
	/* DSA-1: CVE-2023-0001 (tracker: low) and CVE-2023-0002 (only NVD: 9.8);
	 * DSA-2: CVE-2023-0003 (tracker: high) and CVE-2023-0004 (NVD: 5.3);
	 * DSA-3: CVE-2023-0005, known to nobody */
	const char *a1[] = { "CVE-2023-0001", "CVE-2023-0002" }, *a2[] = { "CVE-2023-0003", "CVE-2023-0004" };
	const char *a3[] = { "CVE-2023-0005" };
	vigil_vuln dsa[] = {
		{ .id = "DSA-1", .source = "debian", .aliases = a1, .naliases = 2, .cvss3_score = -1,
		  .cvss2_score = -1, .affected = &fixed_a, .naffected = 1 },
		{ .id = "DSA-2", .source = "debian", .aliases = a2, .naliases = 2, .cvss3_score = -1,
		  .cvss2_score = -1, .affected = &fixed_a, .naffected = 1 },
		{ .id = "DSA-3", .source = "debian", .aliases = a3, .naliases = 1, .cvss3_score = -1,
		  .cvss2_score = -1, .affected = &fixed_a, .naffected = 1 },
	};
	feed("debian-lists", dsa, 3);
	vigil_vuln nvd[] = {
		{ .id = "CVE-2023-0002", .source = "nvd", .severity = VIGIL_SEV_CRITICAL, .vendor_severity = "CRITICAL",
		  .cvss3_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", .cvss3_score = 9.8,
		  .cvss2_score = -1 },
		{ .id = "CVE-2023-0004", .source = "nvd", .severity = VIGIL_SEV_MEDIUM, .vendor_severity = "MEDIUM",
		  .cvss3_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", .cvss3_score = 5.3,
		  .cvss2_score = -1 },
	};
	feed("nvd", nvd, 2);

	vigil_package p = { .type = VIGIL_PKG_DPKG, .name = "curl", .version = "7.88.1-10+deb12u4" };
	vigil_vuln_report *r = match(&p, 1, 0);
	const vigil_finding *f;
	assert_non_null(f = find(r, "CVE-2023-0001"));
	assert_int_equal(f->severity, VIGIL_SEV_LOW);
	/* DSA-1 stands (CVE-2023-0002 is decided by nobody): NVD's 9.8 beats the tracker's low */
	assert_non_null(f = find(r, "DSA-1"));
	assert_int_equal(f->severity, VIGIL_SEV_CRITICAL);
	assert_true(f->cvss_score > 9.7 && f->cvss_score < 9.9);
	assert_string_equal(f->cvss_source, "nvd");
	assert_null(f->vendor_severity); /* the list gives none: none is invented */
	assert_int_equal(f->naliases, 2);
	assert_string_equal(f->aliases[0], "CVE-2023-0001");
	assert_string_equal(f->aliases[1], "CVE-2023-0002");
	/* DSA-2: the tracker's high beats NVD's medium; NVD's score is still shown */
	assert_non_null(f = find(r, "DSA-2"));
	assert_int_equal(f->severity, VIGIL_SEV_HIGH);
	assert_true(f->cvss_score > 5.2 && f->cvss_score < 5.4);
	/* DSA-3: nothing rates its CVE: Unknown, as before */
	assert_non_null(f = find(r, "DSA-3"));
	assert_int_equal(f->severity, VIGIL_SEV_UNKNOWN);
	/* a --severity HIGH,CRITICAL gate now keeps DSA-1 and DSA-2 (and the tracker's high CVE) */
	vigil_filter flt = { .severities = (1u << VIGIL_SEV_HIGH) | (1u << VIGIL_SEV_CRITICAL) };
	assert_int_equal(vigil_vuln_report_filter(r, &flt), 0);
	assert_int_equal(r->finding_count, 3);
	assert_non_null(find(r, "DSA-1"));
	assert_non_null(find(r, "DSA-2"));
	assert_non_null(find(r, "CVE-2023-0003"));
	vigil_vuln_report_free(r);

	/* --no-enrich: NVD is not asked; the tracker's rating still counts */
	r = match(&p, 1, 1);
	assert_int_equal(find(r, "DSA-1")->severity, VIGIL_SEV_LOW);
	assert_int_equal(find(r, "DSA-2")->severity, VIGIL_SEV_HIGH);
	vigil_vuln_report_free(r);
}

static void test_warnings_per_namespace(void **state)
{
	vigil_affected a = { .namespace = "debian:12", .package = "curl", .is_source = 1, .scheme = "dpkg",
			     .state = VIGIL_STATE_FIXED, .fixed = "7.88.1-10+deb12u5" };
	vigil_vuln v = { .id = "CVE-2023-0001", .source = "debian", .cvss3_score = -1, .cvss2_score = -1,
			 .affected = &a, .naffected = 1 };
	feed("debian", &v, 1);
	assert_int_equal(store_feed_attempt(s, "redhat-oval", "broken-oval-data.xml.bz2: XML: line 536"), 0);
	vigil_package p = { .type = VIGIL_PKG_DPKG, .name = "curl", .version = "7.88.1-10+deb12u4" };
	vigil_vuln_report *r = match(&p, 1, 0);
	assert_int_equal(r->warning_count, 0); /* Red Hat's dead feed is not this image's problem */
	vigil_vuln_report_free(r);
	/* a PyPI package brings its ecosystem's namespace into the checks */
	vigil_package two[] = { p, { .type = VIGIL_PKG_PYPI, .name = "requests", .version = "2.0.0" } };
	r = match(two, 2, 0);
	assert_int_equal(r->warning_count, 1);
	assert_non_null(strstr(r->warnings[0], "no vulnerability data for osv:PyPI"));
	vigil_vuln_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_advisory_severity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_warnings_per_namespace, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
