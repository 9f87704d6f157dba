/* tests/match/test_match_real.c: the matcher on real data: the Ubuntu
 * 18.04 package database of ../shared/testdata/pkgdb (a root filesystem
 * made of it and the Ubuntu 18.04 os-release) against the Ubuntu CVE
 * tracker snapshot in ../shared/testdata/feeds/ubuntu/uct. Spot checks
 * whose expected answers were worked out by reading the tracker files and
 * comparing with `dpkg --compare-versions`; the whole-image comparison in
 * both directions is tests/integration/test_scan_accuracy.sh.
 * VIGIL_TEST_DUMP=1 prints every finding. */
#include "match/ubuntu1804_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static struct u1804 fx;
static vigil_index_report *ir;
static vigil_vuln_report *vr;

static int setup(void **state)
{
	if (u1804_setup(&fx) < 0)
		return -1;
	ir = fx.ir;
	vr = fx.vr;
	if (getenv("VIGIL_TEST_DUMP"))
		for (size_t i = 0; i < vr->finding_count; i++) {
			const vigil_finding *f = &vr->findings[i];
			printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f->package->name, f->package->version, f->id,
			       f->fixed ? f->fixed : "", vigil_vuln_state_name(f->state),
			       vigil_severity_name(f->severity), f->matched_name);
		}
	return 0;
}

static int teardown(void **state)
{
	return u1804_teardown(&fx);
}

static const vigil_finding *find(const char *pkg, const char *id)
{
	for (size_t i = 0; i < vr->finding_count; i++)
		if (!strcmp(vr->findings[i].package->name, pkg) && !strcmp(vr->findings[i].id, id))
			return &vr->findings[i];
	return NULL;
}

static size_t count_pkg(const char *pkg)
{
	size_t n = 0;
	for (size_t i = 0; i < vr->finding_count; i++)
		n += !strcmp(vr->findings[i].package->name, pkg);
	return n;
}

static void test_overview(void **state)
{
	assert_string_equal(vr->namespace, "ubuntu:18.04");
	/* 91 stanzas, one of them "deinstall ok config-files" */
	assert_int_equal(ir->package_count, 90);
	assert_int_equal(vr->packages_matched, 90);
	/* the one warning: the tracker snapshot's newest record is of 2020-04-06,
	 * three years before 18.04's end of standard support (db/check.c) */
	assert_int_equal(vr->warning_count, 1);
	assert_non_null(strstr(vr->warnings[0], "data for ubuntu:18.04 ends 2020-04-06"));
	assert_non_null(strstr(vr->warnings[0], "before the end of support of Ubuntu 18.04 LTS (2023-05-31)"));
	assert_true(vr->finding_count > 0);
	for (size_t i = 0; i < vr->finding_count; i++) {
		const vigil_finding *f = &vr->findings[i];
		assert_string_equal(f->feed, "ubuntu");
		assert_string_equal(f->namespace, "ubuntu:18.04");
		assert_true(f->state != VIGIL_STATE_NOT_AFFECTED);
		assert_true(f->by_source); /* the tracker names source packages only */
		if (f->state == VIGIL_STATE_FIXED)
			assert_non_null(f->fixed);
		else
			assert_null(f->fixed);
	}
}

/* CVE-2020-1712: "bionic_systemd: released (237-3ubuntu10.38)", priority
 * medium; the image has libsystemd0 and libudev1 237-3ubuntu10.3 from
 * source systemd, and dpkg --compare-versions 237-3ubuntu10.3 lt
 * 237-3ubuntu10.38 holds. */
static void test_fixed_by_source(void **state)
{
	const char *bins[] = { "libsystemd0", "libudev1" };
	for (int i = 0; i < 2; i++) {
		const vigil_finding *f = find(bins[i], "CVE-2020-1712");
		assert_non_null(f);
		assert_string_equal(f->fixed, "237-3ubuntu10.38");
		assert_string_equal(f->matched_name, "systemd");
		assert_int_equal(f->severity, VIGIL_SEV_MEDIUM);
		assert_string_equal(f->vendor_severity, "medium");
		assert_int_equal(f->state, VIGIL_STATE_FIXED);
		assert_non_null(f->description);
		assert_true(f->nlinks > 0);
	}
	/* libidn2-0 2.0.4-1.1build2 < 2.0.4-1.1ubuntu0.2 ("build" sorts before "ubuntu") */
	const vigil_finding *f = find("libidn2-0", "CVE-2019-12290");
	assert_non_null(f);
	assert_string_equal(f->fixed, "2.0.4-1.1ubuntu0.2");
}

/* CVE-2018-11236: "bionic_glibc: needed": both binaries of glibc, no fix.
 * CVE-2015-5180: "bionic_glibc: not-affected (2.27-3ubuntu1)": nothing. */
static void test_unfixed_and_not_affected(void **state)
{
	const char *bins[] = { "libc6", "libc-bin" };
	for (int i = 0; i < 2; i++) {
		const vigil_finding *f = find(bins[i], "CVE-2018-11236");
		assert_non_null(f);
		assert_null(f->fixed);
		assert_int_equal(f->state, VIGIL_STATE_NOT_FIXED);
		assert_null(find(bins[i], "CVE-2015-5180"));
	}
	assert_int_equal(count_pkg("libc6"), count_pkg("libc-bin"));
	assert_int_equal(count_pkg("base-files"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overview),
		cmocka_unit_test(test_fixed_by_source),
		cmocka_unit_test(test_unfixed_and_not_affected),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
