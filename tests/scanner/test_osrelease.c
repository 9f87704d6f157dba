/* tests/scanner/test_osrelease.c: scan_release_parse() on the 31 real
 * os-release files of the shared test data (every row and column of
 * pkgdb/expected/os-release.tsv), on the quoting rules of os-release(5), on
 * the fallback files (lsb-release, debian_version, alpine-release,
 * redhat-release, system-release) and on garbage and limits. */
#include "helpers.h"
#include "scanner/scanner.h"
#include "util/error.h"
#include "util/slice.h"
#include "vigil/match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fx {
	vigil_arena *arena;
	vigil_intern *strings;
	vigil_scan_ctx ctx;
	vigil_distribution d;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	f->arena = vigil_arena_new(0);
	f->strings = vigil_intern_new(f->arena);
	f->ctx.arena = f->arena;
	f->ctx.strings = f->strings;
	f->ctx.path = "etc/os-release";
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

static int parse(struct fx *f, vigil_release_kind kind, const char *text)
{
	return scan_release_parse(&f->ctx, kind, text, strlen(text), &f->d);
}

/* Asserts a field: NULL for an expected "" (empty means absent). */
static void check_field(const char *file, const char *what, const char *got, vigil_slice want)
{
	if (want.len == 0) {
		if (got)
			fail_msg("%s: %s: got '%s', want NULL", file, what, got);
		return;
	}
	if (!got || !vigil_slice_eq_cstr(want, got))
		fail_msg("%s: %s: got '%s', want '%.*s'", file, what, got ? got : "(null)",
			 (int)want.len, want.ptr);
}

static void test_expected_tsv(void **state)
{
	struct fx *f = *state;
	size_t len, rows = 0;
	char *tsv = th_read_file(th_data_path("pkgdb/expected/os-release.tsv"), &len);
	assert_non_null(tsv);
	vigil_slice in = vigil_slice_make(tsv, len), line;
	bool header = false;
	while (vigil_slice_next_line(&in, &line)) {
		if (line.len == 0 || line.ptr[0] == '#')
			continue;
		if (!header) { /* file ID VERSION_ID VERSION_CODENAME ID_LIKE PRETTY_NAME */
			assert_true(vigil_slice_starts_with(line, "file\tID\tVERSION_ID\tVERSION_CODENAME\tID_LIKE\tPRETTY_NAME"));
			header = true;
			continue;
		}
		vigil_slice col[6], rest = line;
		for (int i = 0; i < 6; i++)
			vigil_slice_split(rest, '\t', &col[i], &rest);
		assert_int_equal(rest.len, 0);
		char name[256], rel[512];
		snprintf(name, sizeof(name), "%.*s", (int)col[0].len, col[0].ptr);
		snprintf(rel, sizeof(rel), "pkgdb/os-release/%s", name);
		size_t n;
		char *data = th_read_file(th_data_path(rel), &n);
		if (!data)
			fail_msg("cannot read %s", rel);
		int rc = scan_release_parse(&f->ctx, VIGIL_RELEASE_OS_RELEASE, data, n, &f->d);
		if (rc != 0)
			fail_msg("%s: %s", name, vigil_error_message());
		check_field(name, "ID", f->d.did, col[1]);
		check_field(name, "VERSION_ID", f->d.version_id, col[2]);
		check_field(name, "VERSION_CODENAME", f->d.version_code_name, col[3]);
		check_field(name, "ID_LIKE", f->d.id_like, col[4]);
		check_field(name, "PRETTY_NAME", f->d.pretty_name, col[5]);
		assert_string_equal(f->d.source_file, "etc/os-release");
		free(data);
		rows++;
	}
	assert_int_equal(rows, 31);
	free(tsv);
}

static char *read_release(const char *name, size_t *n)
{
	char rel[512];
	snprintf(rel, sizeof(rel), "pkgdb/os-release/%s", name);
	char *data = th_read_file(th_data_path(rel), n);
	assert_non_null(data);
	return data;
}

/* The fields the tsv does not list, on a few real files. */
static void test_real_other_fields(void **state)
{
	struct fx *f = *state;
	size_t n;
	char *data = read_release("claircore_rhel7.os-release", &n);
	assert_int_equal(scan_release_parse(&f->ctx, VIGIL_RELEASE_OS_RELEASE, data, n, &f->d), 0);
	assert_string_equal(f->d.name, "Red Hat Enterprise Linux Server");
	assert_string_equal(f->d.version, "7.7 (Maipo)");
	assert_string_equal(f->d.cpe, "cpe:/o:redhat:enterprise_linux:7.7:GA:server");
	assert_null(f->d.version_code_name);
	free(data);

	data = read_release("syft_fedora.os-release", &n); /* VERSION_CODENAME="" */
	assert_int_equal(scan_release_parse(&f->ctx, VIGIL_RELEASE_OS_RELEASE, data, n, &f->d), 0);
	assert_null(f->d.version_code_name);
	assert_string_equal(f->d.cpe, "cpe:/o:fedoraproject:fedora:36");
	free(data);

	data = read_release("syft_empty.os-release", &n);
	assert_int_equal(n, 0);
	assert_int_equal(scan_release_parse(&f->ctx, VIGIL_RELEASE_OS_RELEASE, data, n, &f->d), 0);
	assert_null(f->d.did);
	assert_null(f->d.name);
	assert_null(f->d.version_id);
	assert_null(f->d.pretty_name);
	assert_null(f->d.cpe);
	free(data);

	/* photon: a blank after the closing quote; mariner: no final newline */
	data = read_release("syft_photon.os-release", &n);
	assert_int_equal(scan_release_parse(&f->ctx, VIGIL_RELEASE_OS_RELEASE, data, n, &f->d), 0);
	assert_string_equal(f->d.name, "VMware Photon OS");
	free(data);

	/* NULL path: no source_file */
	f->ctx.path = NULL;
	assert_int_equal(parse(f, VIGIL_RELEASE_OS_RELEASE, "ID=x\n"), 0);
	assert_null(f->d.source_file);
}

static void test_quoting(void **state)
{
	struct fx *f = *state;
	const char *text =
		"# a comment\n"
		"\n"
		"   # indented comment\n"
		"NAME=\"a \\\"quoted\\\" \\$HOME \\`x\\` back\\\\slash \\n kept\"\n"
		"ID='single $x \\ \"q\"'  # trailing comment\n"
		"VERSION=bare\\ word\n"
		"VERSION_ID=1.0 \t\n"
		"PRETTY_NAME=\"two\nlines\"\n"
		"CPE_NAME=\"joined\\\n"
		"line\"\r\n"
		"ID_LIKE=\"\"\n"
		"UNKNOWN_KEY=ignored\n"
		"_UNDERSCORE1=ok\n"
		"  VERSION_CODENAME=first\n"
		"VERSION_CODENAME=last#notacomment\n";
	assert_int_equal(parse(f, VIGIL_RELEASE_OS_RELEASE, text), 0);
	assert_string_equal(f->d.name, "a \"quoted\" $HOME `x` back\\slash \\n kept");
	assert_string_equal(f->d.did, "single $x \\ \"q\"");
	assert_string_equal(f->d.version, "bare word");
	assert_string_equal(f->d.version_id, "1.0");
	assert_string_equal(f->d.pretty_name, "two\nlines");
	assert_string_equal(f->d.cpe, "joinedline");
	assert_null(f->d.id_like);
	assert_string_equal(f->d.version_code_name, "last#notacomment");

	/* UBUNTU_CODENAME is the fallback of VERSION_CODENAME, never an override */
	assert_int_equal(parse(f, VIGIL_RELEASE_OS_RELEASE, "UBUNTU_CODENAME=jammy\nID=ubuntu\n"), 0);
	assert_string_equal(f->d.version_code_name, "jammy");
	assert_int_equal(parse(f, VIGIL_RELEASE_OS_RELEASE,
			       "UBUNTU_CODENAME=jammy\nVERSION_CODENAME=own\n"), 0);
	assert_string_equal(f->d.version_code_name, "own");
	/* strings are interned: the same value is the same pointer */
	assert_int_equal(parse(f, VIGIL_RELEASE_OS_RELEASE, "ID=debian\nNAME=debian\n"), 0);
	assert_ptr_equal(f->d.did, f->d.name);
	/* only blanks and comments */
	assert_int_equal(parse(f, VIGIL_RELEASE_OS_RELEASE, "\n \t\n# x\n"), 0);
	assert_null(f->d.did);
}

static void expect_error(struct fx *f, vigil_release_kind kind, const char *text, size_t len,
			 int code, const char *msg_part)
{
	memset(&f->d, 0x55, sizeof(f->d));
	int rc = scan_release_parse(&f->ctx, kind, text, len, &f->d);
	if (rc != code)
		fail_msg("'%.40s': rc %d (%s), want %d", text, rc, vigil_error_message(), code);
	if (!strstr(vigil_error_message(), msg_part))
		fail_msg("'%.40s': message '%s' lacks '%s'", text, vigil_error_message(), msg_part);
	assert_null(f->d.did); /* *out is cleared on error */
}

static void bad(struct fx *f, const char *text, int code, const char *msg_part)
{
	expect_error(f, VIGIL_RELEASE_OS_RELEASE, text, strlen(text), code, msg_part);
}

static void test_garbage(void **state)
{
	struct fx *f = *state;
	bad(f, "ID=debian\nthis is not an assignment\n", VIGIL_EFORMAT, "line 2: this: not a KEY=value");
	bad(f, "1ID=x\n", VIGIL_EFORMAT, "line 1: not a KEY=value");
	bad(f, "ID-X=x\n", VIGIL_EFORMAT, "line 1: ID: not a KEY=value");
	bad(f, "ID =x\n", VIGIL_EFORMAT, "line 1: ID: not a KEY=value");
	bad(f, "ID\n", VIGIL_EFORMAT, "line 1");
	bad(f, "=x\n", VIGIL_EFORMAT, "line 1");
	bad(f, "ID= x\n", VIGIL_EFORMAT, "line 1: ID: text after the value");
	bad(f, "ID=a b\n", VIGIL_EFORMAT, "line 1: ID: text after the value");
	bad(f, "ID=\"a\"b\n", VIGIL_EFORMAT, "text after the value");
	bad(f, "ID=\"a\"#b\n", VIGIL_EFORMAT, "text after the value");
	bad(f, "ID=a\"b\"\n", VIGIL_EFORMAT, "quote inside an unquoted value");
	bad(f, "ID=a;rm\n", VIGIL_EFORMAT, "shell special character");
	bad(f, "ID=$(id)\n", VIGIL_EFORMAT, "shell special character");
	bad(f, "A=1\nB=2\nNAME=\"Debian\n", VIGIL_EFORMAT, "line 3: NAME: unterminated double quote");
	bad(f, "NAME='Debian\nID=x\n", VIGIL_EFORMAT, "line 1: NAME: unterminated single quote");
	bad(f, "NAME=\"Debian\\\"\n", VIGIL_EFORMAT, "unterminated double quote");
	bad(f, "NAME=x\\", VIGIL_EFORMAT, "backslash at the end");
	expect_error(f, VIGIL_RELEASE_OS_RELEASE, "ID=a\nID=b\0c\n", 11, VIGIL_EFORMAT, "line 2: NUL byte");
	bad(f, "ID=a\nNAME=\"\xc3\x28\"\n", VIGIL_EFORMAT, "line 2: invalid UTF-8");
	bad(f, "NAME=\"\xc0\xaf\"\n", VIGIL_EFORMAT, "line 1: invalid UTF-8");     /* overlong */
	bad(f, "NAME=\"\xed\xa0\x80\"\n", VIGIL_EFORMAT, "line 1: invalid UTF-8");  /* surrogate */
	bad(f, "NAME=\"\xf4\x90\x80\x80\"\n", VIGIL_EFORMAT, "invalid UTF-8");      /* > U+10FFFF */
	bad(f, "NAME=\"\xe2\x82\"", VIGIL_EFORMAT, "invalid UTF-8");               /* truncated */
	bad(f, "NAME=\"\x80\"\n", VIGIL_EFORMAT, "invalid UTF-8");
	/* valid multi-byte text passes */
	assert_int_equal(parse(f, VIGIL_RELEASE_OS_RELEASE, "NAME=\"Jörg \xf0\x9f\x90\xa7\"\n"), 0);
	assert_string_equal(f->d.name, "Jörg \xf0\x9f\x90\xa7");
}

static void test_limits(void **state)
{
	struct fx *f = *state;
	char *big = malloc(70000);
	/* a value of 2049 bytes (VIGIL_RELEASE_MAX_VALUE is 2048) */
	memcpy(big, "NAME=\"", 6);
	memset(big + 6, 'a', 2049);
	memcpy(big + 6 + 2049, "\"\n", 3);
	bad(f, big, VIGIL_ELIMIT, "line 1: NAME: value longer than 2048");
	big[6 + 2048] = '"', big[6 + 2049] = '\n', big[6 + 2050] = '\0';
	assert_int_equal(parse(f, VIGIL_RELEASE_OS_RELEASE, big), 0);
	assert_int_equal(strlen(f->d.name), 2048);
	/* a key of 200 bytes (limit 128) */
	memset(big, 'K', 200);
	memcpy(big + 200, "=x\n", 4);
	bad(f, big, VIGIL_ELIMIT, "line 1: key longer than 128");
	/* 1025 lines (limit 1024) */
	size_t n = 0;
	for (int i = 0; i < 1025; i++)
		n += (size_t)snprintf(big + n, 70000 - n, "# %d\n", i);
	bad(f, big, VIGIL_ELIMIT, "more than 1024 lines");
	/* more than 64 KiB */
	memset(big, '#', 69999);
	big[69999] = '\0';
	bad(f, big, VIGIL_ELIMIT, "limit 65536");
	free(big);
	/* a bad kind or argument */
	assert_int_equal(scan_release_parse(&f->ctx, (vigil_release_kind)42, "", 0, &f->d), VIGIL_EINVAL);
	assert_int_equal(scan_release_parse(&f->ctx, VIGIL_RELEASE_OS_RELEASE, NULL, 3, &f->d), VIGIL_EINVAL);
	assert_int_equal(scan_release_parse(&f->ctx, VIGIL_RELEASE_OS_RELEASE, NULL, 0, &f->d), 0);
}

static void test_lsb(void **state)
{
	struct fx *f = *state;
	f->ctx.path = "etc/lsb-release";
	assert_int_equal(parse(f, VIGIL_RELEASE_LSB,
			       "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=18.04\nDISTRIB_CODENAME=bionic\n"
			       "DISTRIB_DESCRIPTION=\"Ubuntu 18.04.6 LTS\"\n"), 0);
	assert_string_equal(f->d.did, "ubuntu");
	assert_string_equal(f->d.name, "Ubuntu");
	assert_string_equal(f->d.version_id, "18.04");
	assert_string_equal(f->d.version_code_name, "bionic");
	assert_string_equal(f->d.pretty_name, "Ubuntu 18.04.6 LTS");
	assert_string_equal(f->d.source_file, "etc/lsb-release");
	assert_null(f->d.version);
	/* os-release keys mean nothing in lsb-release */
	assert_int_equal(parse(f, VIGIL_RELEASE_LSB, "ID=debian\nDISTRIB_ID=LinuxMint\n"), 0);
	assert_string_equal(f->d.did, "linuxmint");
	expect_error(f, VIGIL_RELEASE_LSB, "DISTRIB_ID=\"Ubuntu\n", 19, VIGIL_EFORMAT, "unterminated");
}

static void one(struct fx *f, vigil_release_kind kind, const char *text, const char *did,
		const char *version_id, const char *codename, const char *version, const char *pretty)
{
	int rc = parse(f, kind, text);
	if (rc != 0)
		fail_msg("'%s': %s", text, vigil_error_message());
	const char *want[] = { did, version_id, codename, version, pretty };
	const char *got[] = { f->d.did, f->d.version_id, f->d.version_code_name, f->d.version,
			      f->d.pretty_name };
	for (int i = 0; i < 5; i++) {
		if (!want[i] && got[i])
			fail_msg("'%s': field %d: got '%s', want NULL", text, i, got[i]);
		if (want[i] && (!got[i] || strcmp(want[i], got[i]) != 0))
			fail_msg("'%s': field %d: got '%s', want '%s'", text, i, got[i] ? got[i] : "(null)", want[i]);
	}
}

static void test_debian_version(void **state)
{
	struct fx *f = *state;
	vigil_release_kind k = VIGIL_RELEASE_DEBIAN_VERSION;
	one(f, k, "12.5\n", "debian", "12", "bookworm", "12.5", NULL);
	one(f, k, "12\n", "debian", "12", "bookworm", "12", NULL);
	one(f, k, "10.13", "debian", "10", "buster", "10.13", NULL);
	one(f, k, "9.13\n", "debian", "9", "stretch", "9.13", NULL);
	one(f, k, "6.0.10\n", "debian", "6", "squeeze", "6.0.10", NULL);
	one(f, k, "4.0\n", "debian", "4", "etch", "4.0", NULL);
	one(f, k, "3.1\n", "debian", "3.1", "sarge", "3.1", NULL);
	one(f, k, "2.2\n", "debian", "2.2", "potato", "2.2", NULL);
	one(f, k, "42.1\n", "debian", "42", NULL, "42.1", NULL);
	one(f, k, "bookworm/sid\n", "debian", NULL, "bookworm", "bookworm/sid", NULL);
	one(f, k, "trixie/sid\n\n", "debian", NULL, "trixie", "trixie/sid", NULL);
	one(f, k, "sid\n", "debian", NULL, "sid", "sid", NULL);
	one(f, k, "kali-rolling\n", "debian", NULL, NULL, "kali-rolling", NULL);
	expect_error(f, k, "", 0, VIGIL_EFORMAT, "line 1: empty");
	expect_error(f, k, "\n\n", 2, VIGIL_EFORMAT, "line 1: empty");
	expect_error(f, k, "12.5\nextra\n", 11, VIGIL_EFORMAT, "line 2: a second line");
	expect_error(f, k, "12 5\n", 5, VIGIL_EFORMAT, "not a Debian version");
	expect_error(f, k, "<html>\n", 7, VIGIL_EFORMAT, "not a Debian version");
	expect_error(f, k, "123456.1\n", 9, VIGIL_EFORMAT, "too large");
}

static void test_alpine_release(void **state)
{
	struct fx *f = *state;
	vigil_release_kind k = VIGIL_RELEASE_ALPINE;
	one(f, k, "3.18.4\n", "alpine", "3.18.4", NULL, NULL, NULL);
	one(f, k, "3.19_alpha20230901", "alpine", "3.19_alpha20230901", NULL, NULL, NULL);
	expect_error(f, k, "", 0, VIGIL_EFORMAT, "empty");
	expect_error(f, k, "edge\n", 5, VIGIL_EFORMAT, "not an Alpine version");
	expect_error(f, k, "3.18 4\n", 7, VIGIL_EFORMAT, "not an Alpine version");
}

static void test_redhat_release(void **state)
{
	struct fx *f = *state;
	vigil_release_kind k = VIGIL_RELEASE_REDHAT;
	const char *t = "Red Hat Enterprise Linux Server release 7.7 (Maipo)\n";
	one(f, k, t, "rhel", "7.7", NULL, "7.7 (Maipo)", "Red Hat Enterprise Linux Server release 7.7 (Maipo)");
	assert_string_equal(f->d.name, "Red Hat Enterprise Linux Server");
	one(f, k, "Red Hat Enterprise Linux release 9.3 (Plow)\n", "rhel", "9.3", NULL, "9.3 (Plow)",
	    "Red Hat Enterprise Linux release 9.3 (Plow)");
	one(f, k, "CentOS Linux release 7.9.2009 (Core)\n", "centos", "7", NULL, "7.9.2009 (Core)",
	    "CentOS Linux release 7.9.2009 (Core)");
	one(f, k, "CentOS release 6.10 (Final)\n", "centos", "6", NULL, "6.10 (Final)",
	    "CentOS release 6.10 (Final)");
	one(f, k, "CentOS Stream release 9\n", "centos", "9", NULL, "9", "CentOS Stream release 9");
	one(f, k, "Fedora release 38 (Thirty Eight)\n", "fedora", "38", NULL, "38 (Thirty Eight)",
	    "Fedora release 38 (Thirty Eight)");
	one(f, k, "Rocky Linux release 8.4 (Green Obsidian)\n", "rocky", "8.4", NULL,
	    "8.4 (Green Obsidian)", "Rocky Linux release 8.4 (Green Obsidian)");
	one(f, k, "AlmaLinux release 9.2 (Turquoise Kodkod)\n", "almalinux", "9.2", NULL,
	    "9.2 (Turquoise Kodkod)", "AlmaLinux release 9.2 (Turquoise Kodkod)");
	one(f, k, "Oracle Linux Server release 8.3\n", "ol", "8.3", NULL, "8.3",
	    "Oracle Linux Server release 8.3");
	one(f, k, "Scientific Linux release 7.5 (Nitrogen)\n", "scientific", "7.5", NULL,
	    "7.5 (Nitrogen)", "Scientific Linux release 7.5 (Nitrogen)");
	/* an unknown distribution keeps everything but the ID */
	one(f, k, "Foo OS release 1.2 (Bar)\n", NULL, "1.2", NULL, "1.2 (Bar)", "Foo OS release 1.2 (Bar)");
	assert_string_equal(f->d.name, "Foo OS");

	k = VIGIL_RELEASE_SYSTEM;
	f->ctx.path = "etc/system-release";
	one(f, k, "Amazon Linux release 2 (Karoo)\n", "amzn", "2", NULL, "2 (Karoo)",
	    "Amazon Linux release 2 (Karoo)");
	assert_string_equal(f->d.source_file, "etc/system-release");
	one(f, k, "Amazon Linux AMI release 2018.03\n", "amzn", "2018.03", NULL, "2018.03",
	    "Amazon Linux AMI release 2018.03");
	one(f, k, "Amazon Linux release 2023 (Amazon Linux)\n", "amzn", "2023", NULL,
	    "2023 (Amazon Linux)", "Amazon Linux release 2023 (Amazon Linux)");
	expect_error(f, k, "", 0, VIGIL_EFORMAT, "empty");
	expect_error(f, k, "Amazon Linux 2\n", 15, VIGIL_EFORMAT, "no '<name> release <version>'");
	expect_error(f, k, "release 7\n", 10, VIGIL_EFORMAT, "no '<name> release <version>'");
	expect_error(f, k, "Foo release (x)\n", 16, VIGIL_EFORMAT, "no '<name> release <version>'");
	expect_error(f, k, "Foo release 7\nBar release 8\n", 28, VIGIL_EFORMAT, "line 2");
	expect_error(f, k, "Foo release 7\xff\n", 15, VIGIL_EFORMAT, "invalid UTF-8");
}

/* Wolfi and Chainguard: the real syft Wolfi file and a Chainguard one as
 * Chainguard's images ship it (ID=chainguard, a date as VERSION_ID); both
 * are rolling: one namespace each, whatever the date. */
static void test_osrelease_wolfi(void **state)
{
	struct fx *f = *state;
	char ns[64];
	size_t n;
	char *data = read_release("syft_wolfi.os-release", &n);
	assert_int_equal(scan_release_parse(&f->ctx, VIGIL_RELEASE_OS_RELEASE, data, n, &f->d), 0);
	assert_string_equal(f->d.did, "wolfi");
	assert_string_equal(f->d.name, "Wolfi");
	assert_string_equal(f->d.version_id, "20220914");
	assert_string_equal(f->d.pretty_name, "Wolfi");
	assert_null(f->d.version_code_name);
	assert_int_equal(vigil_distribution_namespace(&f->d, ns, sizeof(ns)), 0);
	assert_string_equal(ns, "wolfi:rolling");
	free(data);

	const char *cg = "ID=chainguard\nNAME=\"Chainguard\"\nPRETTY_NAME=\"Chainguard\"\nVERSION_ID=\"20230214\"\n"
			 "HOME_URL=\"https://chainguard.dev/\"\n";
	assert_int_equal(parse(f, VIGIL_RELEASE_OS_RELEASE, cg), 0);
	assert_string_equal(f->d.did, "chainguard");
	assert_string_equal(f->d.name, "Chainguard");
	assert_string_equal(f->d.version_id, "20230214");
	assert_int_equal(vigil_distribution_namespace(&f->d, ns, sizeof(ns)), 0);
	assert_string_equal(ns, "chainguard:rolling");
	/* no VERSION_ID at all: still the rolling release */
	assert_int_equal(parse(f, VIGIL_RELEASE_OS_RELEASE, "ID=wolfi\nNAME=Wolfi\n"), 0);
	assert_int_equal(vigil_distribution_namespace(&f->d, ns, sizeof(ns)), 0);
	assert_string_equal(ns, "wolfi:rolling");
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_expected_tsv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_real_other_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quoting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lsb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_debian_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alpine_release, setup, teardown),
		cmocka_unit_test_setup_teardown(test_redhat_release, setup, teardown),
		cmocka_unit_test_setup_teardown(test_osrelease_wolfi, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
