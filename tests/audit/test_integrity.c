/* tests/audit/test_integrity.c: the integrity scanner end to end on root
 * filesystems made here (dir:, walked as one layer): dpkg md5sums through
 * a usrmerge symlink, conffiles as information, path-exclude, diversions,
 * severities by place, missing files; apk Q1 checksums of files and
 * symlinks; a corrupt md5sums file as an error naming it. Layers (which
 * layer changed what) are tested on real images in
 * tests/integration/test_audit_integrity.sh. */
#include "helpers.h"
#include "util/base64.h"
#include "util/digest.h"
#include "util/error.h"
#include "vigil/audit.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];

static void put(const char *rel, const char *content, mode_t mode)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	for (char *s = strchr(p + strlen(root) + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		assert_true(mkdir(p, 0755) == 0 || errno == EEXIST);
		*s = '/';
	}
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
	chmod(p, mode);
}

static void link_at(const char *rel, const char *target)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(symlink(target, p), 0);
}

static const char *md5hex(const char *s)
{
	static char out[16][33];
	static int k;
	unsigned char d[16];
	EVP_Digest(s, strlen(s), d, NULL, EVP_md5(), NULL);
	k = (k + 1) % 16;
	vigil_hex_encode(d, 16, out[k]);
	return out[k];
}

static const char *q1(const char *s)
{
	static char out[16][40];
	static int k;
	unsigned char d[20];
	EVP_Digest(s, strlen(s), d, NULL, EVP_sha1(), NULL);
	k = (k + 1) % 16;
	out[k][0] = 'Q';
	out[k][1] = '1';
	assert_int_equal(vigil_base64_encode(d, 20, 0, out[k] + 2, sizeof(out[k]) - 2), 0);
	return out[k];
}

static int mkroot(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/vigil-integ-XXXXXX");
	assert_non_null(mkdtemp(root));
	return 0;
}

static int rmroot(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static vigil_audit_report *audit(int want_rc)
{
	char ref[96];
	vigil_audit_options o;
	vigil_audit_report *r = NULL;
	vigil_audit_options_init(&o);
	o.scanners = VIGIL_AUDIT_INTEGRITY;
	snprintf(ref, sizeof(ref), "dir:%s", root);
	int rc = vigil_audit_image(ref, &o, &r);
	if (rc != want_rc)
		fail_msg("audit: %d (%s)", rc, vigil_error_message());
	return r;
}

static const vigil_audit_finding *find(const vigil_audit_report *r, const char *path)
{
	for (size_t i = 0; i < r->finding_count; i++)
		if (r->findings[i].path && !strcmp(r->findings[i].path, path))
			return &r->findings[i];
	return NULL;
}

static void test_dpkg(void **state)
{
	(void)state;
	char md5sums[4096], status[1024];
	link_at("bin", "usr/bin");
	put("usr/bin/ls", "ls-real", 0755);
	put("usr/bin/cat", "cat-changed", 0755);
	put("usr/lib/x86_64-linux-gnu/libfoo.so.1", "lib-changed", 0644);
	put("usr/lib/python3/dist-packages/m.py", "py-changed", 0644);
	put("usr/share/coreutils/data", "data-changed", 0644);
	put("usr/bin/foo", "foo from other", 0755);       /* other diverted foo */
	put("usr/bin/foo.real", "foo of coreutils", 0755); /* coreutils' foo lives here */
	put("etc/issue", "changed issue", 0644);
	put("etc/motd", "motd", 0644);
	snprintf(md5sums, sizeof(md5sums),
		 "%s  bin/ls\n%s  bin/cat\n%s  usr/lib/x86_64-linux-gnu/libfoo.so.1\n"
		 "%s  usr/lib/python3/dist-packages/m.py\n%s  usr/share/coreutils/data\n"
		 "%s  usr/share/doc/coreutils/README\n%s  usr/share/man/man1/ls.1.gz\n%s  usr/bin/foo\n",
		 md5hex("ls-real"), md5hex("cat-real"), md5hex("lib-real"), md5hex("py-real"),
		 md5hex("data-real"), md5hex("x"), md5hex("y"), md5hex("foo of coreutils"));
	put("var/lib/dpkg/info/coreutils.md5sums", md5sums, 0644);
	snprintf(md5sums, sizeof(md5sums), "%s  usr/bin/foo\n", md5hex("foo from other"));
	put("var/lib/dpkg/info/other:amd64.md5sums", md5sums, 0644);
	put("var/lib/dpkg/info/gone.md5sums",
	    "00112233445566778899aabbccddeeff  usr/bin/g1\n00112233445566778899aabbccddeeff  usr/bin/g2\n"
	    "00112233445566778899aabbccddeeff  usr/bin/g3\n00112233445566778899aabbccddeeff  usr/bin/g4\n"
	    "00112233445566778899aabbccddeeff  usr/share/doc/g5\n00112233445566778899aabbccddeeff  usr/lib/g6\n",
	    0644);
	put("var/lib/dpkg/diversions", "/usr/bin/foo\n/usr/bin/foo.real\nother\n", 0644);
	put("etc/dpkg/dpkg.cfg.d/docker", "path-exclude /usr/share/doc/*\n", 0644);
	snprintf(status, sizeof(status),
		 "Package: base-files\nStatus: install ok installed\nConffiles:\n"
		 " /etc/issue %s\n /etc/motd %s\n /etc/gone %s\n",
		 md5hex("issue"), md5hex("motd"), md5hex("gone"));
	put("var/lib/dpkg/status", status, 0644);

	vigil_audit_report *r = audit(0);
	const vigil_audit_finding *f;
	assert_non_null(f = find(r, "usr/bin/cat"));
	assert_string_equal(f->rule, "file-modified");
	assert_int_equal(f->severity, VIGIL_SEV_HIGH);
	assert_string_equal(f->package, "coreutils");
	assert_false(f->info);
	assert_non_null(strstr(f->evidence, md5hex("cat-real")));
	assert_non_null(strstr(f->evidence, md5hex("cat-changed")));
	assert_non_null(strstr(f->evidence, "dpkg coreutils says"));
	assert_int_equal(f->category, VIGIL_AUDIT_INTEGRITY);
	assert_non_null(f = find(r, "usr/lib/x86_64-linux-gnu/libfoo.so.1"));
	assert_int_equal(f->severity, VIGIL_SEV_HIGH);
	assert_non_null(f = find(r, "usr/lib/python3/dist-packages/m.py"));
	assert_int_equal(f->severity, VIGIL_SEV_MEDIUM);
	assert_non_null(f = find(r, "usr/share/coreutils/data"));
	assert_int_equal(f->severity, VIGIL_SEV_LOW);
	assert_non_null(f = find(r, "usr/share/man/man1/ls.1.gz"));
	assert_string_equal(f->rule, "file-missing");
	assert_int_equal(f->severity, VIGIL_SEV_LOW);
	assert_false(f->deleted);
	assert_non_null(f = find(r, "etc/issue"));
	assert_string_equal(f->rule, "config-modified");
	assert_true(f->info);
	assert_string_equal(f->package, "base-files");
	assert_non_null(f = find(r, "etc/gone"));
	assert_string_equal(f->rule, "file-missing");
	assert_true(f->info);
	/* fine: ls through the bin symlink, the excluded README, the diverted foo, motd */
	assert_null(find(r, "usr/bin/ls"));
	assert_null(find(r, "usr/share/doc/coreutils/README"));
	assert_null(find(r, "usr/bin/foo"));
	assert_null(find(r, "usr/bin/foo.real"));
	assert_null(find(r, "etc/motd"));
	/* every file of gone missing: one finding for the package */
	assert_non_null(f = find(r, "var/lib/dpkg/info/gone.md5sums"));
	assert_string_equal(f->rule, "package-files-missing");
	assert_string_equal(f->package, "gone");
	assert_non_null(strstr(f->evidence, "all 5 files"));
	assert_null(find(r, "usr/bin/g1"));
	assert_int_equal(r->finding_count, 8);
	assert_int_equal(vigil_audit_report_failed(r, VIGIL_SEV_HIGH), 1);
	vigil_audit_report_free(r);
}

static void test_apk(void **state)
{
	(void)state;
	char db[2048];
	put("bin/busybox", "bb", 04755); /* a: says 755: setuid added */
	put("bin/mount", "mount", 0755);
	link_at("bin/sh", "/bin/busybox");
	link_at("bin/ls", "/bin/busybox-changed");
	put("etc/motd", "changed motd", 0644);
	put("lib/libz.so.1", "zlib", 0755);
	snprintf(db, sizeof(db),
		 "C:Q1x\nP:busybox\nV:1.30.1-r5\nF:bin\nR:busybox\na:0:0:755\nZ:%s\nR:sh\nZ:%s\n"
		 "R:mount\na:0:0:4755\nZ:%s\n"
		 "R:ls\nZ:%s\nF:etc\nR:motd\nZ:%s\n\nP:zlib\nV:1\nF:lib\nR:libz.so.1\nZ:%s\nR:gone.so\nZ:%s\n",
		 q1("bb"), q1("/bin/busybox"), q1("mount"), q1("/bin/busybox"), q1("motd"), q1("zlib"), q1("x"));
	put("lib/apk/db/installed", db, 0644);
	vigil_audit_report *r = audit(0);
	const vigil_audit_finding *f;
	assert_non_null(f = find(r, "bin/busybox"));
	assert_string_equal(f->rule, "mode-changed");
	assert_int_equal(f->severity, VIGIL_SEV_HIGH);
	assert_non_null(strstr(f->evidence, "mode 4755 (apk busybox says 0755): setuid added"));
	assert_null(find(r, "bin/mount")); /* setuid as the package says (and less is fine) */
	assert_null(find(r, "bin/sh"));
	assert_null(find(r, "lib/libz.so.1"));
	assert_non_null(f = find(r, "bin/ls"));
	assert_string_equal(f->rule, "file-modified");
	assert_non_null(strstr(f->evidence, "a symlink to /bin/busybox-changed"));
	assert_non_null(f = find(r, "etc/motd"));
	assert_true(f->info);
	assert_non_null(f = find(r, "lib/gone.so"));
	assert_string_equal(f->rule, "file-missing");
	assert_string_equal(f->package, "zlib");
	assert_int_equal(r->finding_count, 4);
	vigil_audit_report_free(r);
}

static void test_corrupt(void **state)
{
	(void)state;
	put("var/lib/dpkg/info/coreutils.md5sums", "this is not an md5sums file\n", 0644);
	vigil_audit_report *r = audit(VIGIL_EFORMAT);
	assert_null(r);
	assert_non_null(strstr(vigil_error_message(), "var/lib/dpkg/info/coreutils.md5sums"));
	assert_non_null(strstr(vigil_error_message(), "layer 0"));
	assert_non_null(strstr(vigil_error_message(), "line 1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dpkg, mkroot, rmroot),
		cmocka_unit_test_setup_teardown(test_apk, mkroot, rmroot),
		cmocka_unit_test_setup_teardown(test_corrupt, mkroot, rmroot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
