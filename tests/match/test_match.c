/* tests/match/test_match.c: the matching rules, each on records written
 * by hand into a fresh store and a hand-made index report: fixed versions
 * (binary and source names, rpm epochs), unfixed and not-affected states,
 * OSV ranges, modularity streams and architectures, the authority of feeds
 * in a namespace, advisories folded into their CVEs, gpg-pubkey skipped,
 * NVD's CVSS attached, and the warnings of an empty or foreign namespace.
 * The real-data cases are in test_match_real.c. */
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
	return th_temp_store("match", dir, &s);
}

static int teardown(void **state)
{
	return th_temp_store_free(dir, s);
}

/* Writes one operation of feed holding vulns. */
static void feed(const char *name, const vigil_vuln *v, size_t n) { th_feed(s, name, v, n); }

#define VULN(ID, SRC, AFF, NAFF) \
	{ .id = ID, .source = SRC, .severity = VIGIL_SEV_MEDIUM, .cvss3_score = -1, .cvss2_score = -1, \
	  .affected = AFF, .naffected = NAFF }

static vigil_distribution debian12 = { .did = "debian", .version_id = "12", .version_code_name = "bookworm" };
static vigil_distribution rhel9 = { .did = "rhel", .version_id = "9.2" };

static vigil_vuln_report *match(const vigil_distribution *d, const vigil_package *p, size_t n)
{
	static vigil_index_report ir;
	vigil_match_options o;
	vigil_vuln_report *r = NULL;
	ir = (vigil_index_report){ .manifest_hash = "sha256:00", .distribution = d, .packages = p,
				   .package_count = n };
	vigil_match_options_init(&o);
	o.store = s;
	int rc = vigil_match(&ir, &o, &r);
	if (rc < 0)
		fail_msg("vigil_match: %s", vigil_error_message());
	return r;
}

static const vigil_finding *find(const vigil_vuln_report *r, const char *pkg, const char *id)
{
	for (size_t i = 0; i < r->finding_count; i++)
		if (!strcmp(r->findings[i].package->name, pkg) && !strcmp(r->findings[i].id, id))
			return &r->findings[i];
	return NULL;
}

static void test_namespace(void **state)
{
	char ns[64];
	struct { const char *did, *ver, *code, *want; } t[] = {
		{ "debian", "12", "bookworm", "debian:12" }, { "debian", NULL, "trixie", "debian:13" },
		{ "debian", NULL, "sid", "debian:unstable" }, { "ubuntu", "18.04", "bionic", "ubuntu:18.04" },
		{ "ubuntu", NULL, "focal", "ubuntu:20.04" }, { "alpine", "3.18.4", NULL, "alpine:3.18" },
		{ "alpine", "3.11.6", NULL, "alpine:3.11" }, { "alpine", "3.19_alpha20230901", NULL, "alpine:edge" },
		{ "rhel", "9.2", NULL, "rhel:9" }, { "centos", "8", NULL, "rhel:8" },
		{ "rocky", "8.4", NULL, "rocky:8" }, { "almalinux", "8.4", NULL, "almalinux:8" },
		{ "amzn", "2", NULL, "amzn:2" }, { "amzn", "2023", NULL, "amzn:2023" },
		{ "amzn", "2018.03", NULL, "amzn:1" }, { "amzn", "2022", NULL, "amzn:2022" },
		{ "ol", "8.3", NULL, "ol:8" }, { "sles", "15.2", NULL, "sles:15.2" }, { "sles", "15", NULL, "sles:15" },
		{ "opensuse-leap", "15.5", NULL, "opensuse-leap:15.5" }, { "photon", "5.0", NULL, "photon:5.0" },
		{ "azurelinux", "3.0", NULL, "azurelinux:3.0" }, { "mariner", "2.0", NULL, "mariner:2.0" },
		{ "fedora", "40", NULL, "fedora:40" }, { "wolfi", "20230201", NULL, "wolfi:rolling" },
		{ "chainguard", NULL, NULL, "chainguard:rolling" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		vigil_distribution d = { .did = t[i].did, .version_id = t[i].ver, .version_code_name = t[i].code };
		assert_int_equal(vigil_distribution_namespace(&d, ns, sizeof(ns)), 0);
		assert_string_equal(ns, t[i].want);
	}
	vigil_distribution arch = { .did = "arch" }, alp = { .did = "alpine", .version_id = "3" };
	assert_int_equal(vigil_distribution_namespace(&arch, ns, sizeof(ns)), VIGIL_ENOTFOUND);
	assert_int_equal(vigil_distribution_namespace(&alp, ns, sizeof(ns)), VIGIL_ENOTFOUND);
	assert_int_equal(vigil_distribution_namespace(NULL, ns, sizeof(ns)), VIGIL_ENOTFOUND);
}

static void test_debian_rules(void **state)
{
	/* tracker: source package openssl, several states */
	vigil_affected a1[] = {
		{ .namespace = "debian:12", .package = "openssl", .is_source = 1, .scheme = "dpkg",
		  .state = VIGIL_STATE_FIXED, .fixed = "3.0.11-1~deb12u2" },
		{ .namespace = "debian:11", .package = "openssl", .is_source = 1, .scheme = "dpkg",
		  .state = VIGIL_STATE_FIXED, .fixed = "9.9" },
	};
	vigil_affected a2[] = { { .namespace = "debian:12", .package = "openssl", .is_source = 1,
				  .scheme = "dpkg", .state = VIGIL_STATE_FIXED, .fixed = "3.0.9-1" } };
	vigil_affected a3[] = { { .namespace = "debian:12", .package = "openssl", .is_source = 1,
				  .scheme = "dpkg", .state = VIGIL_STATE_NOT_FIXED } };
	vigil_affected a4[] = { { .namespace = "debian:12", .package = "openssl", .is_source = 1,
				  .scheme = "dpkg", .state = VIGIL_STATE_NOT_AFFECTED } };
	vigil_affected a5[] = { { .namespace = "debian:12", .package = "zlib", .is_source = 1,
				  .scheme = "dpkg", .state = VIGIL_STATE_WILL_NOT_FIX } };
	/* an advisory list: DSA naming two CVEs both decided -> folded; a DLA
	 * naming a CVE nobody decided -> its own finding */
	const char *dsa_cves[] = { "CVE-2023-0001", "CVE-2023-0004" };
	const char *dla_cves[] = { "CVE-2023-0099" };
	vigil_affected a6[] = { { .namespace = "debian:12", .package = "openssl", .is_source = 1,
				  .scheme = "dpkg", .state = VIGIL_STATE_FIXED, .fixed = "3.0.11-1~deb12u2" } };
	vigil_vuln tracker[] = {
		VULN("CVE-2023-0001", "debian", a1, 2), VULN("CVE-2023-0002", "debian", a2, 1),
		VULN("CVE-2023-0003", "debian", a3, 1), VULN("CVE-2023-0004", "debian", a4, 1),
		VULN("CVE-2023-0005", "debian", a5, 1),
	};
	vigil_vuln lists[] = { VULN("DSA-5532-1", "debian", a6, 1), VULN("DLA-9999-1", "debian", a6, 1),
			       /* the lists say CVE-2023-0004 is fixed later: the tracker decides */
			       VULN("CVE-2023-0004", "debian", a6, 1) };
	lists[0].aliases = dsa_cves;
	lists[0].naliases = 2;
	lists[1].aliases = dla_cves;
	lists[1].naliases = 1;
	feed("debian", tracker, 5);
	feed("debian-lists", lists, 3);

	vigil_package p[] = {
		{ .type = VIGIL_PKG_DPKG, .name = "libssl3", .version = "3.0.11-1~deb12u1", .arch = "amd64",
		  .source_name = "openssl", .source_version = "3.0.11-1~deb12u1", .introduced_in = "sha256:l1" },
		{ .type = VIGIL_PKG_DPKG, .name = "openssl", .version = "3.0.11-1~deb12u1",
		  .source_name = "openssl", .source_version = "3.0.11-1~deb12u1" },
		{ .type = VIGIL_PKG_DPKG, .name = "zlib1g", .version = "1:1.2.13.dfsg-1",
		  .source_name = "zlib", .source_version = "1:1.2.13.dfsg-1" },
		{ .type = VIGIL_PKG_DPKG, .name = "bash", .version = "5.2.15-2+b2" },
	};
	vigil_vuln_report *r = match(&debian12, p, 4);
	assert_string_equal(r->namespace, "debian:12");
	assert_int_equal(r->warning_count, 0);
	for (int i = 0; i < 2; i++) {
		const char *pkg = i ? "openssl" : "libssl3";
		const vigil_finding *f = find(r, pkg, "CVE-2023-0001");
		assert_non_null(f);
		assert_string_equal(f->fixed, "3.0.11-1~deb12u2");
		assert_int_equal(f->state, VIGIL_STATE_FIXED);
		assert_true(f->by_source);
		assert_string_equal(f->matched_name, "openssl");
		assert_string_equal(f->feed, "debian");
		assert_int_equal(f->nadvisories, 1);
		assert_string_equal(f->advisories[0], "DSA-5532-1");
		assert_null(find(r, pkg, "CVE-2023-0002")); /* fixed before */
		f = find(r, pkg, "CVE-2023-0003");
		assert_non_null(f);
		assert_null(f->fixed);
		assert_int_equal(f->state, VIGIL_STATE_NOT_FIXED);
		assert_null(find(r, pkg, "CVE-2023-0004")); /* the tracker says not affected */
		assert_null(find(r, pkg, "DSA-5532-1"));
		f = find(r, pkg, "DLA-9999-1");
		assert_non_null(f);
		assert_string_equal(f->feed, "debian-lists");
	}
	assert_string_equal(find(r, "libssl3", "CVE-2023-0001")->introduced_in, "sha256:l1");
	const vigil_finding *z = find(r, "zlib1g", "CVE-2023-0005");
	assert_non_null(z);
	assert_int_equal(z->state, VIGIL_STATE_WILL_NOT_FIX);
	assert_int_equal(r->finding_count, 7);
	assert_int_equal(r->packages_matched, 4);
	/* sorted by package, then severity, then id */
	for (size_t i = 1; i < r->finding_count; i++)
		assert_true(r->findings[i - 1].package_index <= r->findings[i].package_index);
	vigil_vuln_report_free(r);
}

static void test_rpm_rules(void **state)
{
	vigil_affected a1[] = {
		/* two builds fixed: the highest decides */
		{ .namespace = "rhel:9", .package = "firefox", .is_source = 1, .scheme = "rpm",
		  .state = VIGIL_STATE_FIXED, .fixed = "0:102.15.1-1.el9_2" },
		{ .namespace = "rhel:9", .package = "firefox", .is_source = 1, .scheme = "rpm",
		  .state = VIGIL_STATE_FIXED, .fixed = "0:102.15.1-3.el9_3" },
	};
	vigil_affected a2[] = { /* epoch 1 build: a package at epoch 1 is compared with it */
		{ .namespace = "rhel:9", .package = "perl-libs", .scheme = "rpm", .state = VIGIL_STATE_FIXED,
		  .fixed = "4:5.32.1-481.el9" } };
	vigil_affected a3[] = { /* modular: only the nodejs:18 stream */
		{ .namespace = "rhel:9", .package = "nodejs", .scheme = "rpm", .state = VIGIL_STATE_FIXED,
		  .fixed = "1:18.16.1-1.module+el9.2.0+19000", .module = "nodejs:18" } };
	vigil_affected a4[] = { /* this binary is not affected, its source is */
		{ .namespace = "rhel:9", .package = "firefox-x11", .scheme = "rpm",
		  .state = VIGIL_STATE_NOT_AFFECTED },
		{ .namespace = "rhel:9", .package = "firefox", .is_source = 1, .scheme = "rpm",
		  .state = VIGIL_STATE_NOT_FIXED } };
	vigil_affected a5[] = { /* only on s390x */
		{ .namespace = "rhel:9", .package = "firefox", .is_source = 1, .scheme = "rpm",
		  .state = VIGIL_STATE_NOT_FIXED, .arch = "s390x|ppc64le" } };
	vigil_vuln vex[] = { VULN("CVE-2023-1001", "redhat", a1, 2), VULN("CVE-2023-1002", "redhat", a2, 1),
			     VULN("CVE-2023-1003", "redhat", a3, 1), VULN("CVE-2023-1004", "redhat", a4, 2),
			     VULN("CVE-2023-1005", "redhat", a5, 1) };
	feed("redhat-vex", vex, 5);
	vigil_package p[] = {
		{ .type = VIGIL_PKG_RPM, .name = "firefox", .version = "102.15.1-2.el9_3", .arch = "x86_64",
		  .source_name = "firefox", .source_version = "102.15.1-2.el9_3" },
		{ .type = VIGIL_PKG_RPM, .name = "firefox-x11", .version = "102.15.1-2.el9_3", .arch = "x86_64",
		  .source_name = "firefox", .source_version = "102.15.1-2.el9_3" },
		{ .type = VIGIL_PKG_RPM, .name = "perl-libs", .version = "4:5.32.1-480.el9", .epoch = "4",
		  .arch = "x86_64", .source_name = "perl", .source_version = "5.32.1-480.el9" },
		{ .type = VIGIL_PKG_RPM, .name = "nodejs", .version = "1:18.14.2-2.module+el9.1.0+18000",
		  .epoch = "1", .module = "nodejs:16:9010020221009220316:rhel9", .arch = "x86_64",
		  .source_name = "nodejs", .source_version = "18.14.2-2.module+el9.1.0+18000" },
		{ .type = VIGIL_PKG_RPM, .name = "gpg-pubkey", .version = "fd431d51-4ae0493b" },
	};
	vigil_vuln_report *r = match(&rhel9, p, 5);
	assert_string_equal(r->namespace, "rhel:9");
	const vigil_finding *f = find(r, "firefox", "CVE-2023-1001");
	assert_non_null(f);
	assert_string_equal(f->fixed, "0:102.15.1-3.el9_3");
	assert_non_null(find(r, "firefox-x11", "CVE-2023-1001"));
	assert_non_null(find(r, "perl-libs", "CVE-2023-1002")); /* 4:...-480 < 4:...-481 */
	assert_null(find(r, "nodejs", "CVE-2023-1003"));         /* another stream */
	assert_non_null(find(r, "firefox", "CVE-2023-1004"));
	assert_null(find(r, "firefox-x11", "CVE-2023-1004"));   /* cleared binary */
	assert_null(find(r, "firefox", "CVE-2023-1005"));       /* other arches */
	assert_int_equal(r->packages_matched, 4);               /* gpg-pubkey skipped */
	assert_int_equal(r->finding_count, 4);
	vigil_vuln_report_free(r);

	/* the same nodejs in its own stream matches; without epoch 1 it would not */
	vigil_package q = p[3];
	q.module = "nodejs:18:9020020230613142549:rhel9";
	r = match(&rhel9, &q, 1);
	assert_non_null(find(r, "nodejs", "CVE-2023-1003"));
	vigil_vuln_report_free(r);
}

static void test_osv_ranges_and_nvd(void **state)
{
	vigil_range_event ev[] = { { VIGIL_EVENT_INTRODUCED, "1.2-1" }, { VIGIL_EVENT_FIXED, "1.4-1" },
				   { VIGIL_EVENT_INTRODUCED, "2.0-1" }, { VIGIL_EVENT_LAST_AFFECTED, "2.1-1" } };
	vigil_range rg = { .type = "ECOSYSTEM", .events = ev, .nevents = 4 };
	vigil_affected a[] = { { .namespace = "debian:12", .package = "curl", .is_source = 1, .scheme = "dpkg",
				 .state = VIGIL_STATE_AFFECTED, .ranges = &rg, .nranges = 1 } };
	const char *alias[] = { "CVE-2024-7777" };
	vigil_vuln v[] = { VULN("DEBIAN-CVE-2024-7777", "osv", a, 1) };
	v[0].aliases = alias;
	v[0].naliases = 1;
	v[0].severity = VIGIL_SEV_UNKNOWN;
	feed("osv", v, 1);
	vigil_vuln nvd[] = { { .id = "CVE-2024-7777", .source = "nvd", .severity = VIGIL_SEV_CRITICAL,
			       .cvss3_score = 9.8, .cvss3_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
			       .cvss2_score = -1 } };
	feed("nvd", nvd, 1);
	struct { const char *ver; int hit; const char *fixed; } t[] = {
		{ "1.1-1", 0, NULL }, { "1.2-1", 1, "1.4-1" }, { "1.3-5", 1, "1.4-1" }, { "1.4-1", 0, NULL },
		{ "2.0-1", 1, NULL }, { "2.1-1", 1, NULL }, { "2.1-2", 0, NULL },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		vigil_package p = { .type = VIGIL_PKG_DPKG, .name = "libcurl4", .version = t[i].ver,
				    .source_name = "curl", .source_version = t[i].ver };
		vigil_vuln_report *r = match(&debian12, &p, 1);
		const vigil_finding *f = find(r, "libcurl4", "DEBIAN-CVE-2024-7777");
		if (!t[i].hit) {
			assert_null(f);
		} else {
			assert_non_null(f);
			if (t[i].fixed)
				assert_string_equal(f->fixed, t[i].fixed);
			else
				assert_null(f->fixed);
			assert_int_equal(f->severity, VIGIL_SEV_CRITICAL); /* from NVD's score */
			assert_true(f->cvss_score > 9.7 && f->cvss_score < 9.9);
			assert_string_equal(f->cvss_source, "nvd");
			assert_non_null(f->affected_range);
		}
		vigil_vuln_report_free(r);
	}
}

static void test_warnings(void **state)
{
	vigil_package p = { .type = VIGIL_PKG_APK, .name = "musl", .version = "1.2.4-r2" };
	vigil_distribution alp = { .did = "alpine", .version_id = "3.18.4" };
	vigil_vuln_report *r = match(&alp, &p, 1);
	assert_int_equal(r->finding_count, 0);
	assert_int_equal(r->warning_count, 1); /* an empty store */
	assert_non_null(strstr(r->warnings[0], "no vulnerability data at all"));
	vigil_vuln_report_free(r);

	vigil_affected a = { .namespace = "debian:12", .package = "x", .scheme = "dpkg",
			     .state = VIGIL_STATE_NOT_FIXED };
	vigil_vuln v = VULN("CVE-1", "debian", &a, 1);
	feed("debian", &v, 1);
	r = match(&alp, &p, 1);
	assert_int_equal(r->warning_count, 1);
	assert_non_null(strstr(r->warnings[0], "no vulnerability data for alpine:3.18"));
	vigil_vuln_report_free(r);

	vigil_distribution arch = { .did = "arch" };
	r = match(&arch, &p, 1);
	assert_null(r->namespace);
	assert_int_equal(r->warning_count, 1);
	assert_non_null(strstr(r->warnings[0], "arch"));
	vigil_vuln_report_free(r);
	r = match(NULL, &p, 1);
	assert_int_equal(r->warning_count, 1);
	assert_non_null(strstr(r->warnings[0], "no distribution found"));
	vigil_vuln_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_namespace),
		cmocka_unit_test_setup_teardown(test_debian_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rpm_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_osv_ranges_and_nvd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_warnings, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
