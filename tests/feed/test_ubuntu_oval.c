/* tests/feed/test_ubuntu_oval.c: the Ubuntu OVAL parser (feed/ubuntu_oval.c)
 * on the hand-made documents of tests/feed/data/ubuntu-oval/ (shaped as the
 * two generations of Canonical's generator write them: bionic as version
 * 1.1, focal/jammy/noble as version 2, a jammy USN document), every record
 * asserted whole; the bionic document against the real Ubuntu CVE tracker
 * files of the same CVEs (../shared/testdata/feeds/ubuntu/uct); bzip2 input.
 * Odd and bad input and format detection: test_ubuntu_oval_input.c. */
#include "feed/bz2.h"
#include "feed/feed.h"
#include "helpers.h"
#include "util/error.h"

#include <bzlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ubuntu_oval_fx.h"

static void check_head(const vigil_vuln *v, const char *sev, const char *published, double cvss3, const char *vector)
{
	assert_string_equal(v->source, "ubuntu");
	assert_string_equal(v->vendor_severity, sev);
	assert_int_equal(v->severity, feed_severity_ubuntu(sev));
	assert_string_equal(v->published, published);
	assert_true(v->cvss3_score > cvss3 - 0.01 && v->cvss3_score < cvss3 + 0.01);
	assert_string_equal(v->cvss3_vector, vector);
	assert_true(v->cvss2_score < 0);
	assert_null(v->cvss2_vector);
	assert_null(v->modified);
}

static void test_bionic(void **state)
{
	struct feed_fx *f = *state;
	const vigil_vuln *v;
	assert_int_equal(parse_sample(f, "com.ubuntu.bionic.cve.oval.xml"), 0);
	assert_int_equal(f->n, 5);
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "1 running-kernel criteria (variable_test) skipped"));

	v = rec(f, "CVE-2012-6655"); /* deferred, three binaries of a constant_variable */
	check_head(v, "Low", "2019-11-27T18:15:00Z", 3.3, "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N");
	assert_string_equal(entries(v, "ubuntu:18.04"),
			    "accountsservice:not-fixed gir1.2-accountsservice-1.0:not-fixed libaccountsservice0:not-fixed");
	assert_string_equal(joined(v->links, v->nlinks), "https://ubuntu.com/security/CVE-2012-6655 "
							 "https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2012-6655");
	assert_int_equal(v->naliases, 0);
	assert_null(v->summary);
	assert_string_equal(v->description, "An issue exists AccountService 0.6.37 in the "
					    "user_change_password_authorized_cb() function in user.c which could "
					    "let a local users obtain encrypted passwords.");

	v = rec(f, "CVE-2016-0718"); /* released, not-affected with a version, ignored, needed; names as text */
	check_head(v, "Medium", "2016-05-26T16:59:00Z", 9.8, "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
	assert_string_equal(entries(v, "ubuntu:18.04"),
			    "expat:fixed:2.1.1-1ubuntu1 firefox:fixed:48.0+build2-0ubuntu1 libexpat1:fixed:2.1.1-1ubuntu1 "
			    "libexpat1-dev:fixed:2.1.1-1ubuntu1 libxmlrpc-c++8v5:not-fixed libxmlrpc-core-c3:not-fixed "
			    "smartpm:will-not-fix smartpm-core:will-not-fix tla:fixed:1.3.5+dfsg-15 "
			    "vnc4server:will-not-fix xvnc4viewer:will-not-fix");
	/* the generator's "Update Instructions" are cut off */
	assert_string_equal(v->description, "Expat allows context-dependent attackers to cause a denial of service "
					    "(crash) or possibly execute arbitrary code via a malformed input document, "
					    "which triggers a buffer overflow.");

	v = rec(f, "CVE-2016-10723"); /* a running kernel only: no entries */
	check_head(v, "Low", "2018-06-21T13:29:00Z", 5.5, "CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H");
	assert_int_equal(v->naffected, 0);

	v = rec(f, "CVE-2018-0734");
	check_head(v, "Low", "2018-10-30T12:29:00Z", 5.9, "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N");
	assert_string_equal(entries(v, "ubuntu:18.04"),
			    "libssl-dev:fixed:1.1.0g-2ubuntu4.3 libssl1.0-dev:fixed:1.0.2n-1ubuntu5.2 "
			    "libssl1.0.0:fixed:1.0.2n-1ubuntu5.2 libssl1.1:fixed:1.1.0g-2ubuntu4.3 "
			    "openssl:fixed:1.1.0g-2ubuntu4.3");
	assert_non_null(strstr(v->description, "Fixed in OpenSSL 1.0.2q (Affected 1.0.2-1.0.2p)."));
	assert_null(strstr(v->description, "Update Instructions"));

	v = rec(f, "CVE-2018-0735"); /* shares CVE-2018-0734's openssl test; its own openssl1.0 state */
	check_head(v, "Low", "2018-10-29T13:29:00Z", 5.9, "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N");
	assert_string_equal(entries(v, "ubuntu:18.04"),
			    "libssl-dev:fixed:1.1.0g-2ubuntu4.3 libssl1.0-dev:fixed:1.0.2n-1ubuntu5.1 "
			    "libssl1.0.0:fixed:1.0.2n-1ubuntu5.1 libssl1.1:fixed:1.1.0g-2ubuntu4.3 "
			    "openssl:fixed:1.1.0g-2ubuntu4.3");
}

static void test_jammy(void **state)
{
	struct feed_fx *f = *state;
	const vigil_vuln *v;
	assert_int_equal(parse_sample(f, "com.ubuntu.jammy.cve.oval.xml"), 0);
	assert_int_equal(f->n, 3);
	assert_int_equal(f->warnings, 1); /* the kernel */

	v = rec(f, "CVE-2016-20013");
	check_head(v, "Negligible", "2022-02-19T05:15:00Z", 7.5, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H");
	assert_int_equal(v->severity, VIGIL_SEV_NEGLIGIBLE);
	assert_string_equal(
		entries(v, "ubuntu:22.04"),
		"dietlibc:not-fixed glibc-source:not-fixed libc-bin:not-fixed libc-devtools:not-fixed libc6:not-fixed "
		"libc6-amd64:not-fixed libc6-i386:not-fixed libc6-prof:not-fixed libc6-s390:not-fixed "
		"libc6-x32:not-fixed libipa-hbac0:not-fixed libnss-sss:not-fixed libpam-sss:not-fixed "
		"libsss-certmap0:not-fixed libsss-idmap0:not-fixed libsss-nss-idmap0:not-fixed "
		"libsss-simpleifp0:not-fixed libsss-sudo:not-fixed locales:not-fixed locales-all:not-fixed "
		"nscd:not-fixed python3-libipa-hbac:not-fixed python3-libsss-nss-idmap:not-fixed python3-sss:not-fixed "
		"sssd:not-fixed sssd-ad:not-fixed sssd-ad-common:not-fixed sssd-common:not-fixed sssd-dbus:not-fixed "
		"sssd-ipa:not-fixed sssd-kcm:not-fixed sssd-krb5:not-fixed sssd-krb5-common:not-fixed "
		"sssd-ldap:not-fixed sssd-proxy:not-fixed sssd-tools:not-fixed");
	assert_string_equal(joined(v->links, v->nlinks),
			    "https://ubuntu.com/security/CVE-2016-20013 "
			    "https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2016-20013 "
			    "https://pthree.org/2018/05/23/do-not-use-sha256crypt-sha512crypt-theyre-dangerous/");

	v = rec(f, "CVE-2023-38545");
	check_head(v, "High", "2023-10-18T04:15:00Z", 9.8, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
	assert_string_equal(entries(v, "ubuntu:22.04"),
			    "curl:fixed:7.81.0-1ubuntu1.14 libcurl3-gnutls:fixed:7.81.0-1ubuntu1.14 "
			    "libcurl3-nss:fixed:7.81.0-1ubuntu1.14 libcurl4:fixed:7.81.0-1ubuntu1.14");
	assert_string_equal(joined(v->links, v->nlinks),
			    "https://ubuntu.com/security/CVE-2023-38545 "
			    "https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2023-38545 "
			    "https://ubuntu.com/security/notices/USN-6429-1");
	assert_string_equal(v->description, "This flaw makes curl overflow a heap based buffer in the SOCKS5 proxy "
					    "handshake. When curl is asked to pass along the host name to the SOCKS5 "
					    "proxy to allow that to resolve the address instead of it getting done by "
					    "curl itself, the maximum length that host name can be is 255 bytes.");

	v = rec(f, "CVE-2023-4622"); /* uname_test + variable_test: not matched */
	check_head(v, "High", "2023-09-06T14:15:00Z", 7.8, "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H");
	assert_int_equal(v->naffected, 0);
}

static void test_focal_noble(void **state)
{
	struct feed_fx *f = *state;
	const vigil_vuln *v;
	assert_int_equal(parse_sample(f, "com.ubuntu.focal.cve.oval.xml"), 0);
	assert_int_equal(f->n, 1);
	assert_int_equal(f->warnings, 0); /* "no release version available" is a known comment */
	v = rec(f, "CVE-2016-20013");
	/* pending without a version: not fixed; released without one: affected */
	assert_string_equal(entries(v, "ubuntu:20.04"),
			    "dietlibc:not-fixed extlinux:not-fixed isolinux:not-fixed pxelinux:not-fixed sssd:affected "
			    "sssd-common:affected syslinux:not-fixed syslinux-common:not-fixed syslinux-efi:not-fixed "
			    "syslinux-utils:not-fixed");

	assert_int_equal(parse_sample(f, "com.ubuntu.noble.cve.oval.xml"), 0);
	assert_int_equal(f->n, 2);
	assert_int_equal(f->warnings, 0);
	v = rec(f, "CVE-2016-20013"); /* an epoch is kept: only a "0:" is dropped */
	assert_string_equal(entries(v, "ubuntu:24.04"),
			    "dietlibc:not-fixed zabbix-agent:fixed:1:6.0.25+dfsg-1 zabbix-agent2:fixed:1:6.0.25+dfsg-1 "
			    "zabbix-frontend-php:fixed:1:6.0.25+dfsg-1 zabbix-java-gateway:fixed:1:6.0.25+dfsg-1 "
			    "zabbix-proxy-mysql:fixed:1:6.0.25+dfsg-1 zabbix-proxy-pgsql:fixed:1:6.0.25+dfsg-1 "
			    "zabbix-proxy-sqlite3:fixed:1:6.0.25+dfsg-1 zabbix-server-mysql:fixed:1:6.0.25+dfsg-1 "
			    "zabbix-server-pgsql:fixed:1:6.0.25+dfsg-1 zabbix-web-service:fixed:1:6.0.25+dfsg-1");
	v = rec(f, "CVE-2024-6387");
	check_head(v, "High", "2024-07-01T08:00:00Z", 8.1, "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H");
	assert_string_equal(entries(v, "ubuntu:24.04"),
			    "openssh-client:fixed:1:9.6p1-3ubuntu13.3 openssh-server:fixed:1:9.6p1-3ubuntu13.3 "
			    "openssh-sftp-server:fixed:1:9.6p1-3ubuntu13.3 ssh:fixed:1:9.6p1-3ubuntu13.3");
}

static void test_usn(void **state)
{
	struct feed_fx *f = *state;
	const vigil_vuln *v;
	assert_int_equal(parse_sample(f, "com.ubuntu.jammy.usn.oval.xml"), 0);
	assert_int_equal(f->n, 2);
	assert_int_equal(f->warnings, 0);
	v = rec(f, "USN-6429-1");
	/* the highest CVSS of its CVEs; the issue date */
	check_head(v, "High", "2023-10-11", 9.8, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
	assert_string_equal(v->summary, "USN-6429-1 -- curl vulnerabilities");
	assert_string_equal(joined(v->aliases, v->naliases), "CVE-2023-38545 CVE-2023-38546");
	assert_string_equal(joined(v->links, v->nlinks),
			    "https://ubuntu.com/security/notices/USN-6429-1 https://ubuntu.com/security/CVE-2023-38545 "
			    "https://ubuntu.com/security/CVE-2023-38546");
	assert_string_equal(entries(v, "ubuntu:22.04"),
			    "curl:fixed:7.81.0-1ubuntu1.14 libcurl3-gnutls:fixed:7.81.0-1ubuntu1.14 "
			    "libcurl3-nss:fixed:7.81.0-1ubuntu1.14 libcurl4:fixed:7.81.0-1ubuntu1.14");
	assert_non_null(strstr(v->description, "(CVE-2023-38546)"));
	assert_null(strstr(v->description, "Update Instructions"));
	v = rec(f, "USN-6859-1");
	check_head(v, "High", "2024-07-01", 8.1, "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H");
	assert_string_equal(joined(v->aliases, v->naliases), "CVE-2024-6387");
	assert_string_equal(joined(v->links, v->nlinks), "https://ubuntu.com/security/notices/USN-6859-1 "
							 "https://ubuntu.com/security/CVE-2024-6387 "
							 "https://launchpad.net/bugs/2070497");
	assert_string_equal(entries(v, "ubuntu:22.04"),
			    "openssh-client:fixed:1:8.9p1-3ubuntu0.10 openssh-server:fixed:1:8.9p1-3ubuntu0.10");
}

/* ---- the bionic sample against the real Ubuntu CVE tracker ---- */

/* The binaries of the bionic sample and their source package (as the
 * criterion comments name it). */
static const char *const bin_src[][2] = {
	{ "accountsservice", "accountsservice" }, { "gir1.2-accountsservice-1.0", "accountsservice" },
	{ "libaccountsservice0", "accountsservice" }, { "expat", "expat" }, { "libexpat1", "expat" },
	{ "libexpat1-dev", "expat" }, { "firefox", "firefox" }, { "smartpm", "smart" }, { "smartpm-core", "smart" },
	{ "tla", "tla" }, { "vnc4server", "vnc4" }, { "xvnc4viewer", "vnc4" }, { "libxmlrpc-c++8v5", "xmlrpc-c" },
	{ "libxmlrpc-core-c3", "xmlrpc-c" }, { "libssl-dev", "openssl" }, { "libssl1.1", "openssl" },
	{ "openssl", "openssl" }, { "libssl1.0-dev", "openssl1.0" }, { "libssl1.0.0", "openssl1.0" },
};

static const char *source_of(const char *bin)
{
	for (size_t i = 0; i < sizeof(bin_src) / sizeof(bin_src[0]); i++)
		if (!strcmp(bin_src[i][0], bin))
			return bin_src[i][1];
	fail_msg("binary %s is not in the table", bin);
	return NULL;
}

static const vigil_affected *uct_entry(const vigil_vuln *u, const char *src)
{
	for (size_t i = 0; i < u->naffected; i++)
		if (!strcmp(u->affected[i].namespace, "ubuntu:18.04") && !strcmp(u->affected[i].package, src) &&
		    u->affected[i].is_source)
			return &u->affected[i];
	return NULL;
}

/* What the sample models, checked against the tracker: a FIXED binary is
 * "released (V)" or "not-affected (V)" there; NOT_FIXED is needed,
 * needs-triage, deferred or pending; WILL_NOT_FIX is ignored; and every
 * source of the table the tracker gives one of those for has binaries. */
static void test_uct_consistency(void **state)
{
	struct feed_fx *f = *state;
	void *ust;
	if (!th_testdata()) {
		print_message("no shared test data: the tracker comparison is skipped\n");
		skip();
	}
	assert_int_equal(parse_sample(f, "com.ubuntu.bionic.cve.oval.xml"), 0);
	assert_int_equal(feed_fx_setup(&ust, "uct"), 0);
	struct feed_fx *u = ust;
	size_t checked = 0;
	for (size_t r = 0; r < f->n; r++) {
		const vigil_vuln *v = &f->recs[r];
		char rel[128], needle[256];
		size_t len;
		snprintf(rel, sizeof(rel), "feeds/ubuntu/uct/active/%s", v->id);
		char *raw = th_read_file(th_data_path(rel), &len);
		assert_non_null(raw);
		reset(u);
		assert_int_equal(feed_ubuntu_uct(&u->ctx, raw, len), 0);
		assert_int_equal(u->n, 1);
		const vigil_vuln *t = &u->recs[0];
		assert_int_equal(v->severity, t->severity);
		assert_string_equal(v->published, t->published);
		assert_string_equal(v->cvss3_vector, t->cvss3_vector);
		assert_true(v->cvss3_score == t->cvss3_score);
		for (size_t i = 0; i < v->naffected; i++) {
			const vigil_affected *a = &v->affected[i];
			const vigil_affected *b = uct_entry(t, source_of(a->package));
			assert_non_null(b);
			if (a->state == VIGIL_STATE_FIXED && b->state == VIGIL_STATE_NOT_AFFECTED) {
				snprintf(needle, sizeof(needle), "\nbionic_%s: not-affected (%s)\n", b->package, a->fixed);
				assert_non_null(strstr(raw, needle));
			} else {
				assert_int_equal(a->state, b->state);
				if (a->fixed)
					assert_string_equal(a->fixed, b->fixed);
			}
			checked++;
		}
		for (size_t i = 0; i < t->naffected; i++) {
			const vigil_affected *b = &t->affected[i];
			bool in_table = false, in_oval = false;
			if (strcmp(b->namespace, "ubuntu:18.04") != 0 || b->state == VIGIL_STATE_NOT_AFFECTED)
				continue;
			for (size_t k = 0; k < sizeof(bin_src) / sizeof(bin_src[0]); k++)
				in_table |= !strcmp(bin_src[k][1], b->package);
			for (size_t k = 0; k < v->naffected; k++)
				in_oval |= !strcmp(source_of(v->affected[k].package), b->package);
			if (in_table && !in_oval)
				fail_msg("%s: bionic_%s is in the tracker, not in the sample", v->id, b->package);
		}
		free(raw);
	}
	assert_int_equal(checked, 24); /* every entry of the sample */
	teardown(&ust);
}

/* ---- bzip2 ---- */

static void test_bz2(void **state)
{
	struct feed_fx *f = *state;
	size_t len, plen;
	char *xml = read_sample("com.ubuntu.jammy.cve.oval.xml", &len), *plain = NULL;
	unsigned int clen = (unsigned int)(len + len / 100 + 600);
	char *bz = malloc(clen);
	char want[3][8192];
	assert_int_equal(BZ2_bzBuffToBuffCompress(bz, &clen, xml, (unsigned int)len, 9, 0, 0), BZ_OK);
	assert_int_equal(parse_sample(f, "com.ubuntu.jammy.cve.oval.xml"), 0);
	assert_int_equal(f->n, 3);
	for (size_t i = 0; i < 3; i++)
		snprintf(want[i], sizeof(want[i]), "%s %s", f->recs[i].id, entries(&f->recs[i], "ubuntu:22.04"));
	assert_int_equal(feed_bunzip2(bz, clen, len, &plain, &plen), 0);
	assert_int_equal(plen, len);
	reset(f);
	assert_int_equal(feed_ubuntu_oval(&f->ctx, plain, plen), 0);
	assert_int_equal(f->n, 3);
	for (size_t i = 0; i < 3; i++) {
		char got[8192];
		snprintf(got, sizeof(got), "%s %s", f->recs[i].id, entries(&f->recs[i], "ubuntu:22.04"));
		assert_string_equal(got, want[i]);
	}
	free(plain);
	/* a cap below the document's size */
	assert_int_equal(feed_bunzip2(bz, clen, len - 1, &plain, &plen), VIGIL_ELIMIT);
	free(bz);
	free(xml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bionic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_jammy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_focal_noble, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uct_consistency, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bz2, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
