/* tests/match/test_fallback.c: the namespace of an AlmaLinux or Rocky
 * image (match/fallback.c). With no data of its own but Red Hat's for the
 * same major, it is matched against rhel:<major> with a warning naming
 * both; once its own namespace has data, only that data is used (no RHEL
 * row, no warning); with neither, it stays in its own namespace. Records
 * are written by hand into fresh stores. */
#include "helpers.h"
#include "store/store.h"
#include "util/error.h"
#include "vigil/match.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[64];
static vigil_store *s;

static int setup(void **state)
{
	(void)state;
	return th_temp_store("fallback", dir, &s);
}

static int teardown(void **state)
{
	(void)state;
	return th_temp_store_free(dir, s);
}

static vigil_distribution alma9 = { .did = "almalinux", .version_id = "9.2" };
static vigil_distribution rocky9 = { .did = "rocky", .version_id = "9.3" };
static vigil_distribution alma8 = { .did = "almalinux", .version_id = "8.8" };

static const vigil_package pkgs[] = {
	{ .name = "openssl-libs", .version = "1:3.0.7-24.el9", .epoch = "1", .type = VIGIL_PKG_RPM,
	  .source_name = "openssl", .source_version = "3.0.7-24.el9", .arch = "x86_64" },
	{ .name = "libtiff", .version = "4.4.0-1.el9", .type = VIGIL_PKG_RPM, .source_name = "libtiff",
	  .source_version = "4.4.0-1.el9", .arch = "x86_64" },
};

static vigil_vuln_report *match(const vigil_distribution *d)
{
	static vigil_index_report ir;
	vigil_match_options o;
	vigil_vuln_report *r = NULL;
	ir = (vigil_index_report){ .manifest_hash = "sha256:00", .distribution = d, .packages = pkgs,
				   .package_count = sizeof(pkgs) / sizeof(pkgs[0]) };
	vigil_match_options_init(&o);
	o.store = s;
	o.max_age = -1;
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

static bool warned(const vigil_vuln_report *r, const char *needle)
{
	for (size_t i = 0; i < r->warning_count; i++)
		if (strstr(r->warnings[i], needle))
			return true;
	return false;
}

static void put_rhel(void)
{
	static const vigil_affected a[] = {
		{ .namespace = "rhel:9", .package = "openssl", .is_source = 1, .scheme = "rpm",
		  .state = VIGIL_STATE_FIXED, .fixed = "1:3.0.7-25.el9" },
	};
	static const vigil_vuln v[] = { { .id = "CVE-2023-0464", .source = "redhat", .severity = VIGIL_SEV_MEDIUM,
					  .cvss3_score = -1, .cvss2_score = -1, .affected = a, .naffected = 1 } };
	th_feed(s, "redhat-oval", v, 1);
}

static void put_alma(void)
{
	static const char *const cves[] = { "CVE-2022-0561" };
	static const vigil_affected a[] = {
		{ .namespace = "almalinux:9", .package = "libtiff", .scheme = "rpm", .state = VIGIL_STATE_FIXED,
		  .fixed = "4.4.0-2.el9" },
	};
	static const vigil_vuln v[] = { { .id = "ALSA-2022:8194", .source = "almalinux", .aliases = cves,
					  .naliases = 1, .severity = VIGIL_SEV_MEDIUM, .vendor_severity = "Moderate",
					  .cvss3_score = -1, .cvss2_score = -1, .affected = a, .naffected = 1 } };
	th_feed(s, "alma", v, 1);
}

/* Only Red Hat's data: both rebuilds are matched against rhel:9, warned. */
static void test_fallback_to_rhel(void **state)
{
	(void)state;
	put_rhel();
	const vigil_distribution *d[] = { &alma9, &rocky9 };
	const char *own[] = { "almalinux:9", "rocky:9" };
	for (size_t i = 0; i < 2; i++) {
		vigil_vuln_report *r = match(d[i]);
		assert_string_equal(r->namespace, "rhel:9");
		const vigil_finding *f = find(r, "CVE-2023-0464");
		assert_non_null(f);
		assert_string_equal(f->package->name, "openssl-libs");
		assert_string_equal(f->fixed, "1:3.0.7-25.el9");
		assert_int_equal(r->finding_count, 1);
		char want[96];
		snprintf(want, sizeof(want), "no vulnerability data for %s in the store: matched against rhel:9",
			 own[i]);
		assert_true(warned(r, want));
		vigil_vuln_report_free(r);
	}
	/* no rhel:8 data either: AlmaLinux 8 stays almalinux:8, nothing matched */
	vigil_vuln_report *r = match(&alma8);
	assert_string_equal(r->namespace, "almalinux:8");
	assert_int_equal(r->finding_count, 0);
	assert_false(warned(r, "matched against"));
	vigil_vuln_report_free(r);
}

/* AlmaLinux's own data present: used alone (no RHEL row); Rocky, still
 * without its own, keeps falling back. */
static void test_own_data_wins(void **state)
{
	(void)state;
	put_rhel();
	put_alma();
	vigil_vuln_report *r = match(&alma9);
	assert_string_equal(r->namespace, "almalinux:9");
	assert_int_equal(r->finding_count, 1);
	const vigil_finding *f = find(r, "ALSA-2022:8194");
	assert_non_null(f);
	assert_string_equal(f->package->name, "libtiff");
	assert_string_equal(f->fixed, "4.4.0-2.el9");
	assert_null(find(r, "CVE-2023-0464"));
	assert_false(warned(r, "matched against"));
	vigil_vuln_report_free(r);

	r = match(&rocky9);
	assert_string_equal(r->namespace, "rhel:9");
	assert_non_null(find(r, "CVE-2023-0464"));
	assert_true(warned(r, "no vulnerability data for rocky:9"));
	vigil_vuln_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fallback_to_rhel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_own_data_wins, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
