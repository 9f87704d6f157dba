/* tests/audit/test_integrity_parse.c: the integrity scanner's readers of
 * package records (audit/integrity_dpkg.c, integrity_pkgdb.c): dpkg md5sums,
 * status Conffiles:, diversions and path filters, apk Z: checksums, and the
 * file digests of the real rpm databases of ../shared/testdata/pkgdb (BDB of
 * RHEL 8, NDB of SLE 15, SQLite of CBL-Mariner 2.0 and Amazon Linux 2023). */
#include "helpers.h"
#include "audit/integrity.h"
#include "audit/integrity_state.h"
#include "util/digest.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEEP 32

struct got {
	size_t n, config, algo[4];
	char path[KEEP][256], pkg[KEEP][64], hex[KEEP][65];
	bool cfg[KEEP];
	uint32_t line[KEEP];
};

static int on_item(void *ud, const integ_item *it)
{
	struct got *g = ud;
	if (g->n < KEEP) {
		snprintf(g->path[g->n], 256, "%.*s", (int)it->path.len, it->path.ptr);
		snprintf(g->pkg[g->n], 64, "%.*s", (int)it->pkg.len, it->pkg.ptr);
		vigil_hex_encode(it->digest, integ_digest_len(it->algo), g->hex[g->n]);
		g->cfg[g->n] = it->config;
		g->line[g->n] = it->line;
	}
	g->n++;
	g->config += it->config;
	g->algo[it->algo]++;
	return 0;
}

static void test_md5sums(void **state)
{
	(void)state;
	struct got g = { 0 };
	const char *t = "7987cf330ff5bb94015dfbb9eae5a99f  bin/ls\n"
			"\n"
			"33F1CB6525F26614BD3A334D63632484 *usr/share/doc/a b.txt\r\n";
	assert_int_equal(integ_dpkg_md5sums_parse(vigil_slice_cstr("coreutils"), t, strlen(t), on_item, &g), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.path[0], "bin/ls");
	assert_string_equal(g.pkg[0], "coreutils");
	assert_string_equal(g.hex[0], "7987cf330ff5bb94015dfbb9eae5a99f");
	assert_string_equal(g.path[1], "usr/share/doc/a b.txt");
	assert_int_equal(g.line[1], 3);
	assert_int_equal(g.algo[INTEG_MD5], 2);
	assert_false(g.cfg[0]);
}

static void test_md5sums_bad(void **state)
{
	(void)state;
	struct got g = { 0 };
	const char *bad[] = { "7987cf330ff5bb94015dfbb9eae5a99f bin/ls\n", /* one space: no mode char */
			      "zz87cf330ff5bb94015dfbb9eae5a99f  bin/ls\n",
			      "7987cf33  bin/ls\n", "ok\n" };
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(integ_dpkg_md5sums_parse(vigil_slice_cstr("p"), bad[i], strlen(bad[i]),
							  on_item, &g), VIGIL_EFORMAT);
		assert_non_null(strstr(vigil_error_message(), "line 1"));
	}
	char nul[] = "7987cf330ff5bb94015dfbb9eae5a99f  bin/l\0s\n";
	assert_true(integ_dpkg_md5sums_parse(vigil_slice_cstr("p"), nul, sizeof(nul) - 1, on_item, &g) < 0);
}

static void test_status_conffiles(void **state)
{
	(void)state;
	struct got g = { 0 };
	const char *t = "Package: base-files\nStatus: install ok installed\nVersion: 12.4\n"
			"Conffiles:\n /etc/debian_version 9f2c3a1b0e4d5c6f7a8b9c0d1e2f3a4b\n"
			" /etc/old 00112233445566778899aabbccddeeff obsolete\n"
			" /etc/new newconffile\n"
			" /etc/issue 4e1b2c3d4e5f60718293a4b5c6d7e8f9\nDescription: x\n more\n\n"
			"Package: hostname\nStatus: deinstall ok config-files\n"
			"Conffiles:\n /etc/hostname.conf 00112233445566778899aabbccddeeff\n";
	assert_int_equal(integ_dpkg_status_parse(t, strlen(t), on_item, &g), 0);
	assert_int_equal(g.n, 2); /* obsolete, newconffile and a removed package's left out */
	assert_string_equal(g.path[0], "/etc/debian_version");
	assert_string_equal(g.pkg[0], "base-files");
	assert_true(g.cfg[0]);
	assert_int_equal(g.line[0], 5);
	assert_string_equal(g.path[1], "/etc/issue");
	assert_int_equal(g.line[1], 8);
	const char *bad = "Package: a\nStatus: install ok installed\nConffiles:\n /etc/a nothex\n";
	assert_int_equal(integ_dpkg_status_parse(bad, strlen(bad), on_item, &g), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "line 4"));
}

static void test_status_real(void **state)
{
	(void)state;
	const char *p = th_data_path("pkgdb/dpkg/debian-bookworm-nosec-mmdebstrap/var/lib/dpkg/status");
	size_t len;
	char *t = th_read_file(p, &len);
	if (!t)
		skip();
	struct got g = { 0 };
	assert_int_equal(integ_dpkg_status_parse(t, len, on_item, &g), 0);
	assert_true(g.n > 20);
	assert_int_equal(g.config, g.n);
	for (size_t i = 0; i < g.n && i < KEEP; i++)
		assert_true(!strncmp(g.path[i], "/etc/", 5));
	free(t);
}

struct divs {
	size_t n;
	char last[3][128];
};

static int on_div(void *ud, vigil_slice from, vigil_slice to, vigil_slice by)
{
	struct divs *d = ud;
	d->n++;
	snprintf(d->last[0], 128, "%.*s", (int)from.len, from.ptr);
	snprintf(d->last[1], 128, "%.*s", (int)to.len, to.ptr);
	snprintf(d->last[2], 128, "%.*s", (int)by.len, by.ptr);
	return 0;
}

static void test_diversions(void **state)
{
	(void)state;
	struct divs d = { 0 };
	const char *t = "/usr/share/man/man1/sh.1.gz\n/usr/share/man/man1/sh.distrib.1.gz\ndash\n"
			"/bin/sh\n/bin/sh.distrib\ndash\n";
	assert_int_equal(integ_dpkg_diversions_parse(t, strlen(t), on_div, &d), 0);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.last[0], "/bin/sh");
	assert_string_equal(d.last[1], "/bin/sh.distrib");
	assert_string_equal(d.last[2], "dash");
	const char *bad = "/bin/sh\n/bin/sh.distrib\n";
	assert_int_equal(integ_dpkg_diversions_parse(bad, strlen(bad), on_div, &d), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "want 3"));
	const char *rel = "bin/sh\n/x\ndash\n";
	assert_int_equal(integ_dpkg_diversions_parse(rel, strlen(rel), on_div, &d), VIGIL_EFORMAT);
}

struct filters {
	size_t n;
	bool inc[8];
	char glob[8][64];
};

static int on_filter(void *ud, bool include, vigil_slice glob)
{
	struct filters *f = ud;
	if (f->n < 8) {
		f->inc[f->n] = include;
		snprintf(f->glob[f->n], 64, "%.*s", (int)glob.len, glob.ptr);
	}
	f->n++;
	return 0;
}

static void test_dpkg_cfg(void **state)
{
	(void)state;
	struct filters f = { 0 };
	const char *t = "# docker slim\npath-exclude /usr/share/doc/*\n"
			"path-include /usr/share/doc/*/copyright\n--path-exclude=/usr/share/man/*\n"
			"force-unsafe-io\npath-excluded-not-an-option\n";
	assert_int_equal(integ_dpkg_cfg_parse(t, strlen(t), on_filter, &f), 0);
	assert_int_equal(f.n, 3);
	assert_false(f.inc[0]);
	assert_string_equal(f.glob[0], "/usr/share/doc/*");
	assert_true(f.inc[1]);
	assert_string_equal(f.glob[2], "/usr/share/man/*");
	const char *bad = "path-exclude=\n";
	assert_int_equal(integ_dpkg_cfg_parse(bad, strlen(bad), on_filter, &f), VIGIL_EFORMAT);
}

static void test_apk(void **state)
{
	(void)state;
	struct got g = { 0 };
	/* Q1 = sha1, Q2 = sha256 (base64), 32 hex = md5 of old apk */
	const char *t = "C:Q1abc=\nP:busybox\nV:1.30.1-r5\nF:bin\nR:busybox\na:0:0:755\n"
			"Z:Q1uNnKVRQIsrWbkZUCg9CfIwnf4Qs=\nR:sh\nZ:Q1pcfTfDNEbNKQc2s1tia7da05M8Q=\n"
			"F:etc\nR:motd\nZ:Q2X6qzctj+GwCaDElFvGjTipD/FazWK8ZtAzvlZxTAPZo=\n"
			"F:usr/lib\nR:nochecksum\nR:old\nZ:00112233445566778899aabbccddeeff\n\n"
			"P:zlib\nF:lib\nR:libz.so.1\nZ:Q1HkXhZ6xIkNHwPMY4A5CqPm5+9ho=\n";
	assert_int_equal(integ_apk_parse(t, strlen(t), on_item, &g), 0);
	assert_int_equal(g.n, 5);
	assert_string_equal(g.path[0], "bin/busybox");
	assert_string_equal(g.pkg[0], "busybox");
	assert_string_equal(g.hex[0], "b8d9ca551408b2b59b91950283d09f2309dfe10b");
	assert_string_equal(g.path[2], "etc/motd");
	assert_true(g.cfg[2]);
	assert_false(g.cfg[0]);
	assert_int_equal(g.algo[INTEG_SHA1], 3);
	assert_int_equal(g.algo[INTEG_SHA256], 1);
	assert_int_equal(g.algo[INTEG_MD5], 1);
	assert_string_equal(g.path[3], "usr/lib/old");
	assert_string_equal(g.path[4], "lib/libz.so.1");
	assert_string_equal(g.pkg[4], "zlib");
	const char *bad[] = { "P:a\nF:bin\nR:x\nZ:Q1notbase64!!\n", "P:a\nthis is not apk\n",
			      "F:bin\nR:x\nZ:Q1uNnKVRQIsrWbkZUCg9CfIwnf4Qs=\n",
			      "P:a\nR:x\nZ:Q2uNnKVRQIsrWbkZUCg9CfIwnf4Qs=\n" /* 20 bytes for Q2 */,
			      "P:a\nF:bin\nR:x\na:0:0:79\n" };
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(integ_apk_parse(bad[i], strlen(bad[i]), on_item, &g), VIGIL_EFORMAT);
		assert_non_null(strstr(vigil_error_message(), "line "));
	}
}

static void test_apk_real(void **state)
{
	(void)state;
	const char *dbs[] = { "pkgdb/apk/trivy_alpine-3.10.4/lib/apk/db/installed",
			      "pkgdb/apk/syft_multiple-2/lib/apk/db/installed" };
	for (size_t i = 0; i < 2; i++) {
		size_t len;
		char *t = th_read_file(th_data_path(dbs[i]), &len);
		if (!t)
			skip();
		struct got g = { 0 };
		assert_int_equal(integ_apk_parse(t, len, on_item, &g), 0);
		assert_true(g.n > 50);
		assert_int_equal(g.algo[INTEG_SHA1], g.n);
		assert_true(g.config > 5);
		free(t);
	}
}

static void rpm_real(const char *rel, vigil_rpmdb_kind kind, int algo, size_t min, bool config)
{
	size_t len, unsupported = 1;
	char *t = th_read_file(th_data_path(rel), &len);
	if (!t)
		skip();
	struct got g = { 0 };
	assert_int_equal(integ_rpmdb_parse(kind, (const uint8_t *)t, len, on_item, &g, &unsupported), 0);
	assert_int_equal(unsupported, 0);
	if (g.n < min)
		fail_msg("%s: %zu file digests, want at least %zu", rel, g.n, min);
	assert_int_equal(g.algo[algo], g.n);
	assert_true(!config || g.config > 0);
	assert_int_equal(g.path[0][0], '/');
	free(t);
}

static void test_rpm_bdb(void **state)
{
	(void)state;
	rpm_real("pkgdb/rpm/go-rpmdb_libuuid_bdb/Packages", VIGIL_RPMDB_BDB, INTEG_SHA256, 3, false);
}

static void test_rpm_ndb(void **state)
{
	(void)state;
	rpm_real("pkgdb/rpm/go-rpmdb_sle15-bci_ndb/Packages.db", VIGIL_RPMDB_NDB, INTEG_SHA256, 1000, true);
}

static void test_rpm_sqlite(void **state)
{
	(void)state;
	rpm_real("pkgdb/rpm/go-rpmdb_cbl-mariner-2.0_sqlite/rpmdb.sqlite", VIGIL_RPMDB_SQLITE,
		 INTEG_SHA256, 1000, true);
	rpm_real("pkgdb/rpm/go-rpmdb_amazonlinux2023_sqlite/rpmdb.sqlite", VIGIL_RPMDB_SQLITE,
		 INTEG_SHA256, 1000, true);
}

static void test_rpm_bad(void **state)
{
	(void)state;
	struct got g = { 0 };
	const uint8_t junk[64] = { 1, 2, 3 };
	assert_true(integ_rpmdb_parse(VIGIL_RPMDB_SQLITE, junk, sizeof(junk), on_item, &g, NULL) < 0);
	assert_true(integ_rpmdb_parse(VIGIL_RPMDB_BDB, junk, sizeof(junk), on_item, &g, NULL) < 0);
}

static void test_classify(void **state)
{
	(void)state;
	assert_int_equal(integ_classify("var/lib/dpkg/info/libc6:amd64.md5sums"), IK_MD5SUMS);
	assert_int_equal(integ_classify("var/lib/dpkg/status.d/base.md5sums"), IK_MD5SUMS);
	assert_int_equal(integ_classify("var/lib/dpkg/info/libc6:amd64.list"), IK_NONE);
	assert_int_equal(integ_classify("var/lib/dpkg/info/sub/x.md5sums"), IK_NONE);
	assert_int_equal(integ_classify("var/lib/dpkg/info/.md5sums"), IK_NONE);
	assert_int_equal(integ_classify("var/lib/dpkg/status"), IK_STATUS);
	assert_int_equal(integ_classify("var/lib/dpkg/status-old"), IK_NONE);
	assert_int_equal(integ_classify("var/lib/dpkg/diversions"), IK_DIVERSIONS);
	assert_int_equal(integ_classify("etc/dpkg/dpkg.cfg"), IK_DPKGCFG);
	assert_int_equal(integ_classify("etc/dpkg/dpkg.cfg.d/docker"), IK_DPKGCFG);
	assert_int_equal(integ_classify("lib/apk/db/installed"), IK_APK);
	assert_int_equal(integ_classify("var/lib/rpm/Packages"), IK_RPM_BDB);
	assert_int_equal(integ_classify("var/lib/rpm/Packages.db"), IK_RPM_NDB);
	assert_int_equal(integ_classify("usr/lib/sysimage/rpm/rpmdb.sqlite"), IK_RPM_SQLITE);
	assert_int_equal(integ_classify("var/lib/rpm/Basenames"), IK_NONE);
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_md5sums),      cmocka_unit_test(test_md5sums_bad),
		cmocka_unit_test(test_status_conffiles), cmocka_unit_test(test_status_real),
		cmocka_unit_test(test_diversions),   cmocka_unit_test(test_dpkg_cfg),
		cmocka_unit_test(test_apk),          cmocka_unit_test(test_apk_real),
		cmocka_unit_test(test_rpm_bdb),      cmocka_unit_test(test_rpm_ndb),
		cmocka_unit_test(test_rpm_sqlite),   cmocka_unit_test(test_rpm_bad),
		cmocka_unit_test(test_classify),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
