/* tests/feed/test_ubuntu.c: feed_ubuntu_uct() over every one of the
 * 6,509 CVE files of the shared Ubuntu CVE Tracker snapshot (uct/active):
 * vulnerabilities, affected entries per state and warnings counted against
 * numbers worked out independently with a Python reading of the same rules
 * (given in the comment of test_all_active), the parse time printed; the
 * bionic openssl entries of four CVEs and other records field by field (ESM
 * override, ESM DNE keeping the plain line, per-package priority, CVSS,
 * dates, links); synthetic files for the rarer forms; bad input (empty, no
 * Candidate, NUL, invalid UTF-8, truncations, limits, a failing emit). */
#include "helpers.h"
#include "feed/feed.h"
#include "util/error.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_VULNS 16

struct fx {
	vigil_arena *arena;
	vigil_intern *strings;
	vigil_feed_ctx ctx;
	vigil_vuln vulns[MAX_VULNS];
	size_t nvulns;
	int warnings;
	char last_warning[1024];
	int emit_rc;
};

static void on_warn(void *ud, const char *msg)
{
	struct fx *f = ud;
	f->warnings++;
	snprintf(f->last_warning, sizeof(f->last_warning), "%s", msg);
}

static int on_emit(void *ud, const vigil_vuln *v)
{
	struct fx *f = ud;
	if (f->nvulns < MAX_VULNS)
		f->vulns[f->nvulns++] = *v; /* the arrays and strings live in the arena */
	return f->emit_rc;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	f->arena = vigil_arena_new(0);
	f->strings = vigil_intern_new(f->arena);
	f->ctx = (vigil_feed_ctx){ .arena = f->arena, .strings = f->strings, .file = "test",
				   .emit = on_emit, .emit_ud = f, .warn = on_warn, .warn_ud = f };
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	vigil_intern_free(f->strings);
	vigil_arena_free(f->arena);
	free(f);
	return 0;
}

static int parse_text(struct fx *f, const char *text)
{
	f->nvulns = 0;
	f->warnings = 0;
	return feed_ubuntu_uct(&f->ctx, text, strlen(text));
}

static const vigil_vuln *parse_cve(struct fx *f, const char *cve)
{
	char rel[256];
	size_t n;
	snprintf(rel, sizeof(rel), "feeds/ubuntu/uct/active/%s", cve);
	char *data = th_read_file(th_data_path(rel), &n);
	if (!data)
		fail_msg("cannot read %s", rel);
	f->nvulns = 0;
	f->warnings = 0;
	int rc = feed_ubuntu_uct(&f->ctx, data, n);
	free(data);
	if (rc != 0)
		fail_msg("%s: %s", cve, vigil_error_message());
	assert_int_equal(f->nvulns, 1);
	assert_string_equal(f->vulns[0].id, cve);
	return &f->vulns[0];
}

static const vigil_affected *find(const vigil_vuln *v, const char *ns, const char *pkg)
{
	const vigil_affected *hit = NULL;
	for (size_t i = 0; i < v->naffected; i++)
		if (strcmp(v->affected[i].namespace, ns) == 0 && strcmp(v->affected[i].package, pkg) == 0) {
			assert_null(hit); /* one entry per (namespace, package) */
			hit = &v->affected[i];
		}
	return hit;
}

static void check(const vigil_vuln *v, const char *ns, const char *pkg, vigil_vuln_state state,
		  const char *fixed)
{
	const vigil_affected *a = find(v, ns, pkg);
	if (!a)
		fail_msg("%s: no %s %s", v->id, ns, pkg);
	assert_int_equal(a->is_source, 1);
	assert_string_equal(a->scheme, "dpkg");
	if (a->state != state)
		fail_msg("%s %s %s: state %s, expected %s", v->id, ns, pkg, vigil_vuln_state_name(a->state),
			 vigil_vuln_state_name(state));
	if (fixed)
		assert_string_equal(a->fixed, fixed);
	else
		assert_null(a->fixed);
}

/* Expected numbers, from a Python reading of the same rules over the files
 * (codename table of common.c; upstream/devel skipped; per (package,
 * version) the ESM line unless DNE, else the plain line; DNE dropped):
 *   6509 vulnerabilities, 70593 affected entries: fixed 11238, not-fixed
 *   20095, will-not-fix 19400, not-affected 19860; 14882 warnings for
 *   unmapped releases (one per release and file: artful, zesty,
 *   vivid/ubuntu-core...) and 44 for "-- Tags_xen:" lines that are no field. */
static void test_all_active(void **state)
{
	struct fx *f = *state;
	const char *dir = th_data_path("feeds/ubuntu/uct/active");
	char path[4096];
	size_t files = 0, vulns = 0, affected = 0, per_state[5] = { 0 }, bytes = 0;
	uint64_t warnings = 0;
	double secs = 0;
	DIR *d = opendir(dir);
	struct dirent *de;
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		size_t n;
		struct timespec t0, t1;
		if (strncmp(de->d_name, "CVE-", 4) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		char *data = th_read_file(path, &n);
		assert_non_null(data);
		vigil_arena *arena = vigil_arena_new(0); /* as an importer does: one per file */
		vigil_feed_ctx ctx = { .arena = arena, .file = de->d_name, .emit = on_emit, .emit_ud = f };
		f->nvulns = 0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		int rc = feed_ubuntu_uct(&ctx, data, n);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		secs += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (rc != 0)
			fail_msg("%s: %s", de->d_name, vigil_error_message());
		assert_int_equal(f->nvulns, 1);
		assert_string_equal(f->vulns[0].id, de->d_name);
		assert_string_equal(f->vulns[0].source, "ubuntu");
		for (size_t i = 0; i < f->vulns[0].naffected; i++) {
			const vigil_affected *a = &f->vulns[0].affected[i];
			assert_true(strncmp(a->namespace, "ubuntu:", 7) == 0);
			assert_true(a->state == VIGIL_STATE_FIXED ? a->fixed != NULL : a->fixed == NULL);
			per_state[a->state]++;
		}
		files++;
		vulns += f->nvulns;
		affected += f->vulns[0].naffected;
		warnings += ctx.warnings;
		bytes += n;
		vigil_arena_free(arena);
		free(data);
	}
	closedir(d);
	printf("uct/active: %zu files (%.1f MB) parsed in %.3f s: %zu vulns, %zu affected "
	       "(fixed %zu, not-fixed %zu, will-not-fix %zu, not-affected %zu, affected %zu), %llu warnings\n",
	       files, (double)bytes / 1e6, secs, vulns, affected, per_state[VIGIL_STATE_FIXED],
	       per_state[VIGIL_STATE_NOT_FIXED], per_state[VIGIL_STATE_WILL_NOT_FIX],
	       per_state[VIGIL_STATE_NOT_AFFECTED], per_state[VIGIL_STATE_AFFECTED],
	       (unsigned long long)warnings);
	assert_int_equal(files, 6509);
	assert_int_equal(vulns, 6509);
	assert_int_equal(affected, 70593);
	assert_int_equal(per_state[VIGIL_STATE_FIXED], 11238);
	assert_int_equal(per_state[VIGIL_STATE_NOT_FIXED], 20095);
	assert_int_equal(per_state[VIGIL_STATE_WILL_NOT_FIX], 19400);
	assert_int_equal(per_state[VIGIL_STATE_NOT_AFFECTED], 19860);
	assert_int_equal(per_state[VIGIL_STATE_AFFECTED], 0);
	assert_int_equal(warnings, 14882 + 44);
}

static void test_openssl_bionic(void **state)
{
	struct fx *f = *state;
	const vigil_vuln *v = parse_cve(f, "CVE-2018-0734");
	assert_string_equal(v->source, "ubuntu");
	assert_string_equal(v->published, "2018-10-30T12:29:00Z");
	assert_string_equal(v->vendor_severity, "low");
	assert_int_equal(v->severity, VIGIL_SEV_LOW);
	assert_string_equal(v->cvss3_vector, "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N");
	assert_true(v->cvss3_score > 5.89 && v->cvss3_score < 5.91);
	assert_true(v->cvss2_score < 0);
	assert_null(v->summary); /* Ubuntu-Description is empty */
	static const char desc[] = "The OpenSSL DSA signature algorithm has been shown to be "
				   "vulnerable to a timing side channel attack. An attacker";
	assert_true(strncmp(v->description, desc, sizeof(desc) - 1) == 0);
	assert_int_equal(v->nlinks, 4);
	assert_string_equal(v->links[0], "https://ubuntu.com/security/CVE-2018-0734");
	assert_string_equal(v->links[1], "https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2018-0734");
	assert_string_equal(v->links[3], "https://usn.ubuntu.com/usn/usn-3840-1");
	const vigil_affected *a = find(v, "ubuntu:18.04", "openssl");
	assert_non_null(a);
	assert_null(a->vendor_severity);
	assert_int_equal(a->severity, VIGIL_SEV_UNKNOWN);
	check(v, "ubuntu:18.04", "openssl", VIGIL_STATE_FIXED, "1.1.0g-2ubuntu4.3");
	check(v, "ubuntu:18.04", "openssl1.0", VIGIL_STATE_FIXED, "1.0.2n-1ubuntu5.2");
	check(v, "ubuntu:12.04", "openssl", VIGIL_STATE_NOT_FIXED, NULL); /* precise/esm: needed */
	check(v, "ubuntu:14.04", "openssl", VIGIL_STATE_FIXED, "1.0.1f-1ubuntu2.27");
	assert_null(find(v, "ubuntu:14.04", "openssl1.0")); /* DNE */
	check(v, "ubuntu:14.04", "openssl098", VIGIL_STATE_WILL_NOT_FIX, NULL);
	/* openssl: precise/esm trusty xenial bionic cosmic disco eoan; openssl098:
	 * trusty; openssl1.0: bionic cosmic */
	assert_int_equal(v->naffected, 10);

	v = parse_cve(f, "CVE-2019-1547");
	assert_string_equal(v->cvss3_vector, "CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:N/A:N");
	assert_true(v->cvss3_score > 4.69 && v->cvss3_score < 4.71);
	check(v, "ubuntu:18.04", "openssl", VIGIL_STATE_NOT_FIXED, NULL);
	check(v, "ubuntu:18.04", "openssl1.0", VIGIL_STATE_NOT_FIXED, NULL);
	check(v, "ubuntu:18.04", "nodejs", VIGIL_STATE_NOT_AFFECTED, NULL);
	check(v, "ubuntu:18.04", "edk2", VIGIL_STATE_NOT_AFFECTED, NULL);
	/* trusty: "ignored (out of standard support)", trusty/esm: "needed" */
	check(v, "ubuntu:14.04", "openssl", VIGIL_STATE_NOT_FIXED, NULL);
	check(v, "ubuntu:14.04", "edk2", VIGIL_STATE_WILL_NOT_FIX, NULL); /* trusty/esm: DNE */
	check(v, "ubuntu:19.04", "openssl", VIGIL_STATE_WILL_NOT_FIX, NULL);
	assert_null(find(v, "ubuntu:18.10", "openssl")); /* cosmic not listed */
	assert_int_equal(v->naffected, 17);

	v = parse_cve(f, "CVE-2019-1559");
	assert_string_equal(v->vendor_severity, "medium");
	assert_int_equal(v->severity, VIGIL_SEV_MEDIUM);
	check(v, "ubuntu:18.04", "openssl", VIGIL_STATE_NOT_AFFECTED, NULL);
	check(v, "ubuntu:18.04", "openssl1.0", VIGIL_STATE_FIXED, "1.0.2n-1ubuntu5.3");
	check(v, "ubuntu:16.04", "openssl", VIGIL_STATE_FIXED, "1.0.2g-1ubuntu4.15");
	/* trusty: "ignored", trusty/esm: "deferred (2019-04-15)" */
	check(v, "ubuntu:14.04", "openssl", VIGIL_STATE_NOT_FIXED, NULL);

	v = parse_cve(f, "CVE-2018-5407");
	check(v, "ubuntu:18.04", "openssl", VIGIL_STATE_FIXED, "1.1.0g-2ubuntu4.3");
	check(v, "ubuntu:18.10", "openssl", VIGIL_STATE_NOT_AFFECTED, NULL);
	check(v, "ubuntu:18.10", "openssl1.0", VIGIL_STATE_FIXED, "1.0.2n-1ubuntu6.1");
}

static void test_records(void **state)
{
	struct fx *f = *state;
	/* Priority_thunderbird: low under Priority: high */
	const vigil_vuln *v = parse_cve(f, "CVE-2019-11707");
	assert_int_equal(v->severity, VIGIL_SEV_HIGH);
	const vigil_affected *a = find(v, "ubuntu:18.04", "thunderbird");
	assert_non_null(a);
	assert_string_equal(a->vendor_severity, "low");
	assert_int_equal(a->severity, VIGIL_SEV_LOW);
	check(v, "ubuntu:18.04", "thunderbird", VIGIL_STATE_FIXED, "1:60.7.2+build1-0ubuntu0.18.04.1");
	a = find(v, "ubuntu:18.04", "firefox");
	assert_non_null(a);
	assert_null(a->vendor_severity);

	/* trusty: released, trusty/esm: DNE -> the trusty line stays */
	v = parse_cve(f, "CVE-2019-2614");
	check(v, "ubuntu:14.04", "mariadb-5.5", VIGIL_STATE_FIXED, "5.5.64-1ubuntu0.14.04.1");

	/* "Candidate:CVE-2009-0799" without a space; "PublicDate" with a time */
	v = parse_cve(f, "CVE-2009-0799");
	assert_non_null(v->published);
}

static void test_synthetic(void **state)
{
	struct fx *f = *state;
	int rc = parse_text(f, "Candidate: CVE-2099-0001\n"
			       "PublicDate: 2099-01-02\n"
			       "Description:\n first line\n .\n second   \n"
			       "Ubuntu-Description:\n short text\n"
			       "CVSS:\n unknown: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n"
			       " nvd: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H\n"
			       "Priority: critical\n"
			       "# a comment_line: needed\n"
			       "\n"
			       "Patches_foo:\n upstream: https://example.org/patch\n"
			       "Priority_foo_focal: negligible\n"
			       "upstream_foo: released (1.0)\n"
			       "esm-infra/xenial_foo: released [1.0-1ubuntu0.1+esm1]\n"
			       "xenial_foo: ignored (end of standard support)\n"
			       "focal_foo:needed\n"
			       "jammy_foo: pending (1.0-2)\n"
			       "noble_foo: released\n"
			       "bionic_foo: frobnicated\n"
			       "lucid_foo: needed\n"
			       "lucid_bar: needed\n"
			       "fips/bionic_foo: needed\n"
			       "devel_foo: needed\n");
	assert_int_equal(rc, 0);
	assert_int_equal(f->nvulns, 1);
	const vigil_vuln *v = &f->vulns[0];
	assert_string_equal(v->published, "2099-01-02");
	assert_string_equal(v->description, "first line\n\nsecond");
	assert_string_equal(v->summary, "short text");
	assert_string_equal(v->cvss3_vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H");
	assert_true(v->cvss3_score > 7.49 && v->cvss3_score < 7.51);
	assert_int_equal(v->severity, VIGIL_SEV_CRITICAL);
	assert_int_equal(v->nlinks, 1);
	assert_int_equal(v->naffected, 3);
	check(v, "ubuntu:16.04", "foo", VIGIL_STATE_FIXED, "1.0-1ubuntu0.1+esm1");
	check(v, "ubuntu:20.04", "foo", VIGIL_STATE_NOT_FIXED, NULL);
	check(v, "ubuntu:22.04", "foo", VIGIL_STATE_NOT_FIXED, NULL);
	assert_string_equal(find(v, "ubuntu:20.04", "foo")->vendor_severity, "negligible");
	assert_int_equal(find(v, "ubuntu:20.04", "foo")->severity, VIGIL_SEV_NEGLIGIBLE);
	assert_null(find(v, "ubuntu:22.04", "foo")->vendor_severity);
	/* noble without version, bionic unknown status, lucid (one warning for
	 * two lines), fips/bionic */
	assert_int_equal(f->warnings, 4);
	assert_non_null(strstr(f->last_warning, "fips/bionic"));

	/* a bad CVSS vector is kept, without a score, with a warning */
	rc = parse_text(f, "Candidate: CVE-2099-0002\nCVSS:\n nvd: CVSS:3.1/AV:X\n");
	assert_int_equal(rc, 0);
	assert_string_equal(f->vulns[0].cvss3_vector, "CVSS:3.1/AV:X");
	assert_true(f->vulns[0].cvss3_score < 0);
	assert_int_equal(f->warnings, 1);
	assert_int_equal(f->vulns[0].naffected, 0);
	assert_null(f->vulns[0].published);
}

static void test_bad_input(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse_text(f, ""), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "Candidate"));
	assert_int_equal(parse_text(f, "PublicDate: 2020-01-01\nbionic_foo: needed\n"), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, "Candidate:\n"), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, "garbage without colon\n\x01\x02\n"), VIGIL_EFORMAT);
	assert_int_equal(f->warnings, 2);
	assert_int_equal(feed_ubuntu_uct(&f->ctx, "Candidate: CVE-1\0x", 18), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "NUL"));
	assert_int_equal(parse_text(f, "Candidate: CVE-2099-1\nDescription:\n ok\n bad \xff\xfe\n"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "line 4"));

	/* every truncation of a real file parses or fails cleanly */
	size_t n;
	char *data = th_read_file(th_data_path("feeds/ubuntu/uct/active/CVE-2019-1547"), &n);
	assert_non_null(data);
	for (size_t cut = 0; cut < n; cut += 7) {
		f->nvulns = 0;
		int rc = feed_ubuntu_uct(&f->ctx, data, cut);
		assert_true(rc == 0 || rc == VIGIL_EFORMAT);
		assert_int_equal(f->nvulns, rc == 0 ? 1 : 0);
	}
	free(data);

	/* the emit callback's error stops the parse */
	f->emit_rc = VIGIL_ECANCELED;
	assert_int_equal(parse_text(f, "Candidate: CVE-2099-1\n"), VIGIL_ECANCELED);
	f->emit_rc = 0;
}

static void test_limits(void **state)
{
	struct fx *f = *state;
	size_t cap = 4 * 1024 * 1024, len = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	len += (size_t)snprintf(buf, cap, "Candidate: CVE-2099-3\nReferences:\n");
	for (int i = 0; i <= VIGIL_FEED_MAX_REFS; i++)
		len += (size_t)snprintf(buf + len, cap - len, " https://e.org/%d\n", i);
	assert_int_equal(feed_ubuntu_uct(&f->ctx, buf, len), VIGIL_ELIMIT);
	assert_non_null(strstr(vigil_error_message(), "references"));

	len = (size_t)snprintf(buf, cap, "Candidate: CVE-2099-3\n");
	for (int i = 0; i <= VIGIL_FEED_MAX_AFFECTED; i++)
		len += (size_t)snprintf(buf + len, cap - len, "bionic_p%d: needed\n", i);
	assert_int_equal(feed_ubuntu_uct(&f->ctx, buf, len), VIGIL_ELIMIT);
	assert_non_null(strstr(vigil_error_message(), "package lines"));

	len = (size_t)snprintf(buf, cap, "Candidate: CVE-2099-3\nDescription:\n");
	while (len + 100 < cap)
		len += (size_t)snprintf(buf + len, cap - len, " %s\n", "0123456789012345678901234567890123456789");
	assert_int_equal(feed_ubuntu_uct(&f->ctx, buf, len), VIGIL_ELIMIT);
	free(buf);

	size_t big = (size_t)17 * 1024 * 1024;
	buf = malloc(big);
	assert_non_null(buf);
	memset(buf, 'a', big);
	assert_int_equal(feed_ubuntu_uct(&f->ctx, buf, big), VIGIL_ELIMIT);
	free(buf);
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_all_active, setup, teardown),
		cmocka_unit_test_setup_teardown(test_openssl_bionic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_synthetic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
