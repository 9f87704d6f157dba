/* tests/scanner/test_dpkg.c: scan_dpkg_parse() on the real status files and
 * status.d files of the shared test data (every row and column of the
 * pkgdb/expected/dpkg_*.tsv files), on the trivy Ubuntu 18.04 status (90
 * installed packages, git "rc" left out), cross-checked field by field both
 * ways against dpkg-query when it is installed, on every dpkg state, and on
 * bad input (missing Package, garbage Version, lines without a colon,
 * limits). */
#include "helpers.h"
#include "scan_fixture.h"
#include "scanner/scanner.h"
#include "util/error.h"
#include "util/slice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int setup(void **state)
{
	return scan_fx_setup(state, "var/lib/dpkg/status");
}

static int parse_text(struct scan_fx *f, const char *text, bool status_d)
{
	f->list.len = 0;
	f->warnings = 0;
	return scan_dpkg_parse(&f->ctx, text, strlen(text), status_d, &f->list);
}

/* Parses a shared test data file, appending to f->list. */
static void parse_file(struct scan_fx *f, const char *rel, const char *image_path, bool status_d)
{
	size_t n;
	char *data = th_read_file(th_data_path(rel), &n);
	if (!data)
		fail_msg("cannot read %s", rel);
	f->ctx.path = image_path;
	if (scan_dpkg_parse(&f->ctx, data, n, status_d, &f->list) != 0)
		fail_msg("%s: %s", rel, vigil_error_message());
	free(data);
}

static const vigil_package *find(struct scan_fx *f, const char *name)
{
	for (size_t i = 0; i < f->list.len; i++)
		if (strcmp(f->list.items[i].name, name) == 0)
			return &f->list.items[i];
	return NULL;
}

/* dpkg-query's ${db:Status-Abbrev} ("ii ") of a Status as written. */
static void status_abbrev(const char *status, char out[4])
{
	static const char *const wants[] = { "unknown", "install", "hold", "deinstall", "purge" };
	static const char *const states[] = { "not-installed", "config-files", "half-installed",
					      "unpacked", "half-configured", "triggers-awaited",
					      "triggers-pending", "installed" };
	char w[32] = "", e[32] = "", s[32] = "";
	const char *p = status;
	char *words[3] = { w, e, s };
	for (int i = 0; i < 3 && p; i++) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		snprintf(words[i], 32, "%.*s", (int)n, p);
		p += n;
	}
	out[0] = out[1] = '?';
	for (int i = 0; i < 5; i++)
		if (strcmp(w, wants[i]) == 0)
			out[0] = "uihrp"[i];
	for (int i = 0; i < 8; i++)
		if (strcmp(s, states[i]) == 0)
			out[1] = "ncHUFWti"[i];
	out[2] = strstr(e, "reinstreq") ? 'R' : ' ';
	out[3] = '\0';
}

static void eq(const char *what, const char *name, const char *got, vigil_slice want)
{
	if (want.len == 0 && !got)
		return;
	if (!got || !vigil_slice_eq_cstr(want, got))
		fail_msg("%s: %s: got '%s', want '%.*s'", name, what, got ? got : "(null)",
			 (int)want.len, want.ptr);
}

/* Checks f->list against an expected tsv (name version arch source_name
 * source_version status_abbrev [file]); files are parsed in tsv order. */
static void check_tsv(struct scan_fx *f, const char *tsv_rel, const char *root, const char *only_file,
		      bool status_d)
{
	size_t len, rows = 0;
	char *tsv = th_read_file(th_data_path(tsv_rel), &len);
	assert_non_null(tsv);
	vigil_slice in = vigil_slice_make(tsv, len), line, last_file = { "", 0 };
	bool header = false;
	f->list.len = 0;
	/* first pass: parse every file in order of first appearance */
	if (only_file) {
		char rel[512];
		snprintf(rel, sizeof(rel), "%s/%s", root, only_file);
		parse_file(f, rel, only_file, status_d);
	}
	while (vigil_slice_next_line(&in, &line)) {
		if (line.len == 0 || line.ptr[0] == '#')
			continue;
		if (!header) {
			assert_true(vigil_slice_starts_with(line, "name\tversion\tarch\tsource_name\tsource_version\tstatus_abbrev"));
			header = true;
			continue;
		}
		vigil_slice col[7], rest = line;
		for (int i = 0; i < 7; i++)
			vigil_slice_split(rest, '\t', &col[i], &rest);
		if (!only_file && !vigil_slice_eq(col[6], last_file)) {
			static char image_path[16][256];
			static int used;
			char rel[512];
			snprintf(image_path[used % 16], 256, "%.*s", (int)col[6].len, col[6].ptr);
			snprintf(rel, sizeof(rel), "%s/%s", root, image_path[used % 16]);
			parse_file(f, rel, image_path[used % 16],
				   strstr(image_path[used % 16], "status.d/") != NULL);
			used++;
			last_file = col[6];
		}
		if (rows >= f->list.len)
			fail_msg("%s: %zu packages, more rows expected", tsv_rel, f->list.len);
		const vigil_package *p = &f->list.items[rows];
		char name[256];
		snprintf(name, sizeof(name), "%.*s", (int)col[0].len, col[0].ptr);
		eq("name", name, p->name, col[0]);
		eq("version", name, p->version, col[1]);
		eq("arch", name, p->arch, col[2]);
		eq("source_name", name, p->source_name, col[3]);
		eq("source_version", name, p->source_version, col[4]);
		if (col[5].len) {
			char ab[4];
			assert_non_null(p->status);
			status_abbrev(p->status, ab);
			eq("status_abbrev", name, ab[2] == ' ' ? (ab[2] = '\0', ab) : ab, col[5]);
		} else {
			assert_null(p->status);
		}
		assert_int_equal(p->type, VIGIL_PKG_DPKG);
		if (col[6].len)
			eq("package_db", name, p->package_db, col[6]);
		rows++;
	}
	assert_true(header);
	assert_int_equal(rows, f->list.len);
	free(tsv);
}

static void test_expected_claircore(void **state)
{
	struct scan_fx *f = *state;
	check_tsv(f, "pkgdb/expected/dpkg_claircore_postgresql_status.tsv",
		  "pkgdb/dpkg/claircore_postgresql", "var/lib/dpkg/status", false);
	assert_int_equal(f->list.len, 3);
	const vigil_package *p = find(f, "postgresql-client");
	assert_string_equal(p->multi_arch, "foreign");
	assert_string_equal(p->status, "install ok installed");
	assert_string_equal(p->maintainer,
			    "Debian PostgreSQL Maintainers <team+postgresql@tracker.debian.org>");
	assert_int_equal(p->installed_size, 65 * 1024);
	assert_string_equal(p->package_db, "var/lib/dpkg/status");
	assert_int_equal(f->warnings, 0);
}

static void test_expected_distroless(void **state)
{
	struct scan_fx *f = *state;
	check_tsv(f, "pkgdb/expected/dpkg_syft_distroless-deb.tsv", "pkgdb/dpkg/syft_distroless-deb",
		  "var/lib/dpkg/status.d/libsqlite3-0", true);
	assert_int_equal(f->list.len, 1);
	assert_string_equal(f->list.items[0].multi_arch, "same");
	assert_int_equal(f->list.items[0].installed_size, 1490 * 1024);
	assert_string_equal(f->list.items[0].package_db, "var/lib/dpkg/status.d/libsqlite3-0");
	/* read as a status file, the same stanza has no Status: not installed */
	size_t n;
	char *data = th_read_file(th_data_path("pkgdb/dpkg/syft_distroless-deb/var/lib/dpkg/status.d/libsqlite3-0"), &n);
	f->list.len = 0;
	f->warnings = 0;
	assert_int_equal(scan_dpkg_parse(&f->ctx, data, n, false, &f->list), 0);
	assert_int_equal(f->list.len, 0);
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "libsqlite3-0 has no Status field"));
	free(data);
}

static void test_expected_image_pkg_coverage(void **state)
{
	struct scan_fx *f = *state;
	check_tsv(f, "pkgdb/expected/dpkg_syft_image-pkg-coverage.tsv",
		  "pkgdb/dpkg/syft_image-pkg-coverage", NULL, false);
	assert_int_equal(f->list.len, 3);
	assert_string_equal(find(f, "apt")->package_db, "var/lib/dpkg/status");
	assert_int_equal(find(f, "apt")->installed_size, 4064 * 1024);
	assert_null(find(f, "dash")->multi_arch);
	assert_string_equal(find(f, "netbase")->multi_arch, "foreign");
	assert_string_equal(find(f, "dash")->maintainer, "Gerrit Pape <pape@smarden.org>");
}

static void test_trivy_ubuntu1804(void **state)
{
	struct scan_fx *f = *state;
	f->list.len = 0;
	parse_file(f, "pkgdb/dpkg/trivy_ubuntu1804/var/lib/dpkg/status", "var/lib/dpkg/status", false);
	assert_int_equal(f->list.len, 90);
	assert_null(find(f, "git")); /* deinstall ok config-files */
	for (size_t i = 0; i < f->list.len; i++) {
		const vigil_package *p = &f->list.items[i];
		assert_non_null(p->name);
		assert_non_null(p->version);
		assert_non_null(p->arch);
		assert_non_null(p->source_name);
		assert_non_null(p->source_version);
		assert_string_equal(p->status, "install ok installed");
	}
	const vigil_package *p = find(f, "libgcc1");
	assert_string_equal(p->version, "1:8-20180414-1ubuntu2");
	assert_string_equal(p->source_name, "gcc-8");
	assert_string_equal(p->source_version, "8-20180414-1ubuntu2");
	assert_string_equal(p->multi_arch, "same");
	assert_int_equal(p->installed_size, 112 * 1024);
	p = find(f, "adduser");
	assert_string_equal(p->source_name, "adduser");
	assert_string_equal(p->source_version, "3.116ubuntu1");
	assert_int_equal(f->warnings, 0);
}

/* Every dpkg state, written by hand (one stanza each). */
static const char states_text[] =
	"Package: s-installed\nStatus: install ok installed\nVersion: 1.0-1\nArchitecture: amd64\n"
	"Maintainer: M <m@example.org>\nDescription: d\n\n"
	"Package: s-hold\nStatus: hold ok installed\nVersion: 2:1.0\nArchitecture: all\n"
	"Maintainer: M\nDescription: d\nSource: src-hold (1:0.9-2)\nInstalled-Size: 7\n\n"
	"Package: s-deinstall\nStatus: deinstall ok installed\nVersion: 1.0\nArchitecture: amd64\n"
	"Maintainer: M\nDescription: d\n\n"
	"Package: s-purge\nStatus: purge ok installed\nVersion: 1.0\nArchitecture: amd64\n"
	"Maintainer: M\nDescription: d\n\n"
	"Package: s-unpacked\nStatus: install ok unpacked\nVersion: 1.0\nArchitecture: amd64\n"
	"Maintainer: M\nDescription: d\nMulti-Arch: same\n\n"
	"Package: s-halfconf\nStatus: install ok half-configured\nVersion: 1.0\nArchitecture: amd64\n"
	"Maintainer: M\nDescription: d\nConfig-Version: 0.9\n\n"
	"Package: s-halfinst\nStatus: install reinstreq half-installed\nVersion: 1.0\n"
	"Architecture: amd64\nMaintainer: M\nDescription: d\n\n"
	"Package: s-trigaw\nStatus: install ok triggers-awaited\nVersion: 1.0\nArchitecture: amd64\n"
	"Maintainer: M\nDescription: d\nTriggers-Awaited: s-trigpend\n\n"
	"Package: s-trigpend\nStatus: install ok triggers-pending\nVersion: 1.0\nArchitecture: amd64\n"
	"Maintainer: M\nDescription: d\nTriggers-Pending: /usr/share/foo\n\n"
	"Package: s-conffiles\nStatus: deinstall ok config-files\nVersion: 1.0\nArchitecture: amd64\n"
	"Maintainer: M\nDescription: d\nConfig-Version: 1.0\nConffiles:\n /etc/foo 0123456789abcdef0123456789abcdef\n\n"
	"Package: s-notinst\nStatus: purge ok not-installed\nArchitecture: amd64\n\n"
	"Package: S-Mixed.Case\nStatus: install ok installed\nVersion: 1.0~rc1+dfsg-2ubuntu0.1\n"
	"Architecture: amd64\nMaintainer: J\xc3\xb6rg <j@example.org>\nDescription: d\n long\n .\n more\n\n"
	"Package: s-multi\nStatus: install ok installed\nVersion: 1.0\nArchitecture: amd64\n"
	"Multi-Arch: same\nMaintainer: M\nDescription: d\n\n"
	"Package: s-multi\nStatus: install ok installed\nVersion: 1.0\nArchitecture: i386\n"
	"Multi-Arch: same\nMaintainer: M\nDescription: d\n";

static void test_states(void **state)
{
	struct scan_fx *f = *state;
	static const char *const counted[] = { "s-installed", "s-hold", "s-deinstall", "s-purge",
					       "s-unpacked", "s-halfconf", "s-halfinst", "s-trigaw",
					       "s-trigpend", "s-mixed.case" };
	assert_int_equal(parse_text(f, states_text, false), 0);
	assert_int_equal(f->list.len, 12); /* 10 + s-multi twice */
	for (size_t i = 0; i < sizeof(counted) / sizeof(counted[0]); i++)
		if (!find(f, counted[i]))
			fail_msg("%s should count", counted[i]);
	assert_null(find(f, "s-conffiles"));
	assert_null(find(f, "s-notinst"));
	const vigil_package *p = find(f, "s-hold");
	assert_string_equal(p->version, "2:1.0");
	assert_string_equal(p->source_name, "src-hold");
	assert_string_equal(p->source_version, "1:0.9-2");
	assert_int_equal(p->installed_size, 7 * 1024);
	assert_string_equal(find(f, "s-halfinst")->status, "install reinstreq half-installed");
	assert_string_equal(find(f, "s-mixed.case")->maintainer, "J\xc3\xb6rg <j@example.org>");
	assert_int_equal(find(f, "s-installed")->installed_size, 0);
	assert_null(find(f, "s-installed")->multi_arch);
	assert_string_equal(f->list.items[10].arch, "amd64");
	assert_string_equal(f->list.items[11].arch, "i386");
	assert_int_equal(f->warnings, 0);

	/* status.d: no Status counts; nothing else is skipped */
	assert_int_equal(parse_text(f, "Package: a\nVersion: 1\n\nPackage: b\nVersion: 2\n"
				       "Status: deinstall ok config-files\n", true), 0);
	assert_int_equal(f->list.len, 2);
	assert_null(f->list.items[0].status);
	assert_string_equal(f->list.items[1].status, "deinstall ok config-files");
	/* half-installed without a Version: dpkg allows it; skipped with a warning */
	assert_int_equal(parse_text(f, "Package: a\nStatus: install reinstreq half-installed\n", false), 0);
	assert_int_equal(f->list.len, 0);
	assert_int_equal(f->warnings, 1);
	/* not-installed needs no Version */
	assert_int_equal(parse_text(f, "Package: a\nStatus: purge ok not-installed\n", false), 0);
	assert_int_equal(f->list.len, 0);
	/* dpkg details: blanks before the colon, case-insensitive names and
	 * words, CRLF, blank-only lines are continuations, no final newline */
	assert_int_equal(parse_text(f, "\n\nPACKAGE : a\r\nstatus: Install OK Installed\r\n"
				       "version:1.0\r\nDescription: x\r\n \t\r\n y\r\n\r\n\n"
				       "Package: b\nStatus: install ok installed\nVersion: 2", false), 0);
	assert_int_equal(f->list.len, 2);
	assert_string_equal(f->list.items[0].version, "1.0");
	assert_string_equal(f->list.items[1].version, "2");
	/* empty input */
	assert_int_equal(parse_text(f, "", false), 0);
	assert_int_equal(f->list.len, 0);
	assert_int_equal(parse_text(f, "\n\n\n", false), 0);
	assert_int_equal(f->list.len, 0);
	/* an Installed-Size that is not a number is only a warning */
	assert_int_equal(parse_text(f, "Package: a\nVersion: 1\nInstalled-Size: 12kB\n", true), 0);
	assert_int_equal(f->list.len, 1);
	assert_int_equal(f->list.items[0].installed_size, 0);
	assert_int_equal(f->warnings, 1);
	/* so is a Maintainer that is not UTF-8 (old Latin-1 files) */
	assert_int_equal(parse_text(f, "Package: a\nVersion: 1\nMaintainer: J\xf6rg\n", true), 0);
	assert_null(f->list.items[0].maintainer);
	assert_int_equal(f->warnings, 1);
}

/* ---- dpkg-query cross-check ---- */

static bool have_dpkg_query(void)
{
	return system("command -v dpkg-query >/dev/null 2>&1") == 0;
}

/* Runs dpkg-query -W over data put in a temporary admindir. */
static char *dpkg_query(const char *data, size_t len)
{
	char dir[] = "/tmp/vigil-text-dpkgq-XXXXXX", path[256], cmd[1024];
	if (!mkdtemp(dir))
		fail_msg("mkdtemp failed");
	snprintf(path, sizeof(path), "%s/status", dir);
	FILE *w = fopen(path, "wb");
	assert_non_null(w);
	assert_int_equal(fwrite(data, 1, len, w), len);
	fclose(w);
	snprintf(cmd, sizeof(cmd),
		 "dpkg-query --admindir='%s' -W -f='${Package}\\t${Version}\\t${Architecture}\\t"
		 "${db:Status-Abbrev}\\t${source:Package}\\t${source:Version}\\t${Installed-Size}\\t"
		 "${Multi-Arch}\\t${Maintainer}\\t${Status}\\n' 2>/dev/null", dir);
	FILE *r = popen(cmd, "r");
	assert_non_null(r);
	size_t cap = 1 << 16, n = 0, got;
	char *out = malloc(cap);
	while ((got = fread(out + n, 1, cap - n - 1, r)) > 0) {
		n += got;
		if (cap - n - 1 == 0)
			out = realloc(out, cap *= 2);
	}
	out[n] = '\0';
	assert_int_equal(pclose(r), 0);
	unlink(path);
	rmdir(dir);
	return out;
}

static void cross_check(struct scan_fx *f, const char *data, size_t len, size_t want_count)
{
	char *out = dpkg_query(data, len);
	vigil_slice in = vigil_slice_cstr(out), line;
	size_t counted = 0, rows = 0;
	f->list.len = 0;
	f->warnings = 0;
	assert_int_equal(scan_dpkg_parse(&f->ctx, data, len, false, &f->list), 0);
	bool *seen = calloc(f->list.len + 1, sizeof(bool));
	while (vigil_slice_next_line(&in, &line)) {
		vigil_slice c[10], rest = line;
		for (int i = 0; i < 10; i++)
			vigil_slice_split(rest, '\t', &c[i], &rest);
		rows++;
		char name[256];
		snprintf(name, sizeof(name), "%.*s:%.*s", (int)c[0].len, c[0].ptr, (int)c[2].len, c[2].ptr);
		const vigil_package *p = NULL;
		for (size_t i = 0; i < f->list.len; i++)
			if (vigil_slice_eq_cstr(c[0], f->list.items[i].name) &&
			    vigil_slice_eq_cstr(c[2], f->list.items[i].arch ? f->list.items[i].arch : "")) {
				p = &f->list.items[i];
				seen[i] = true;
			}
		bool on_disk = c[3].len == 3 && strchr("HUFWti", c[3].ptr[1]);
		if (!on_disk) {
			if (p)
				fail_msg("%s: dpkg-query says '%.*s', vigil counts it", name, 3, c[3].ptr);
			continue;
		}
		if (!p)
			fail_msg("%s: dpkg-query says '%.*s', vigil misses it", name, 3, c[3].ptr);
		counted++;
		char ab[4], size[32];
		status_abbrev(p->status, ab);
		eq("version", name, p->version, c[1]);
		eq("db:Status-Abbrev", name, ab, c[3]);
		eq("source:Package", name, p->source_name, c[4]);
		eq("source:Version", name, p->source_version, c[5]);
		snprintf(size, sizeof(size), "%llu", (unsigned long long)(p->installed_size / 1024));
		if (c[6].len == 0)
			assert_int_equal(p->installed_size, 0);
		else
			eq("Installed-Size", name, size, c[6]);
		assert_int_equal(p->installed_size % 1024, 0);
		eq("Multi-Arch", name, p->multi_arch ? p->multi_arch : "no", c[7]);
		eq("Maintainer", name, p->maintainer, c[8]);
		eq("Status", name, p->status, c[9]);
	}
	for (size_t i = 0; i < f->list.len; i++)
		if (!seen[i])
			fail_msg("%s: vigil has it, dpkg-query does not", f->list.items[i].name);
	assert_int_equal(counted, f->list.len);
	assert_int_equal(counted, want_count);
	assert_true(rows >= counted);
	free(seen);
	free(out);
}

static void test_dpkg_query(void **state)
{
	struct scan_fx *f = *state;
	static const struct {
		const char *rel;
		size_t count;
	} files[] = {
		{ "pkgdb/dpkg/trivy_ubuntu1804/var/lib/dpkg/status", 90 },
		{ "pkgdb/dpkg/claircore_postgresql/var/lib/dpkg/status", 3 },
		{ "pkgdb/dpkg/syft_image-pkg-coverage/var/lib/dpkg/status", 1 },
	};
	if (!have_dpkg_query()) {
		printf("SKIP: dpkg-query not installed\n");
		skip();
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		size_t n;
		char *data = th_read_file(th_data_path(files[i].rel), &n);
		assert_non_null(data);
		cross_check(f, data, n, files[i].count);
		free(data);
	}
	cross_check(f, states_text, strlen(states_text), 12);
}

/* ---- bad input ---- */

static void bad(struct scan_fx *f, const char *text, bool status_d, int code, const char *msg_part)
{
	f->list.len = 0;
	int rc = scan_dpkg_parse(&f->ctx, text, strlen(text), status_d, &f->list);
	if (rc != code)
		fail_msg("'%.60s': rc %d (%s), want %d", text, rc, vigil_error_message(), code);
	if (!strstr(vigil_error_message(), msg_part))
		fail_msg("'%.60s': message '%s' lacks '%s'", text, vigil_error_message(), msg_part);
	assert_int_equal(f->list.len, 0); /* nothing is left behind */
}

#define OK_STANZA "Package: ok\nStatus: install ok installed\nVersion: 1.0\n\n"

static void test_bad_input(void **state)
{
	struct scan_fx *f = *state;
	bad(f, OK_STANZA "Version: 1.0\nStatus: install ok installed\n", false, VIGIL_EFORMAT,
	    "line 5: stanza without a Package field");
	bad(f, OK_STANZA "Package:\nVersion: 1\n", true, VIGIL_EFORMAT, "line 5: field Package: empty");
	bad(f, "Package: -a\nVersion: 1\n", true, VIGIL_EFORMAT, "line 1: field Package: package name must start");
	bad(f, "Package: a/b\nVersion: 1\n", true, VIGIL_EFORMAT, "invalid character in package name");
	bad(f, "Package: a\nStatus: install ok installed\n", false, VIGIL_EFORMAT, "line 1: package a has no Version");
	bad(f, "Package: a\n", true, VIGIL_EFORMAT, "package a has no Version");
	bad(f, "Package: a\nVersion: 1.0 beta\n", true, VIGIL_EFORMAT, "line 2: field Version: version has embedded spaces");
	bad(f, "Package: a\nVersion:\n", true, VIGIL_EFORMAT, "field Version: empty version");
	bad(f, "Package: a\nVersion: x:1.0\n", true, VIGIL_EFORMAT, "epoch is not a number");
	bad(f, "Package: a\nVersion: :1.0\n", true, VIGIL_EFORMAT, "empty epoch");
	bad(f, "Package: a\nVersion: 99999999999:1.0\n", true, VIGIL_EFORMAT, "epoch is not a number");
	bad(f, "Package: a\nVersion: 1:\n", true, VIGIL_EFORMAT, "nothing after the epoch colon");
	bad(f, "Package: a\nVersion: 1.0-\n", true, VIGIL_EFORMAT, "empty revision");
	bad(f, "Package: a\nVersion: -1\n", true, VIGIL_EFORMAT, "empty upstream version");
	bad(f, "Package: a\nVersion: 1.0$(reboot)\n", true, VIGIL_EFORMAT, "invalid character in upstream version");
	bad(f, "Package: a\nVersion: 1.0-a_b\n", true, VIGIL_EFORMAT, "invalid character in revision");
	bad(f, "Package: a\nVersion: 1.0-1:2\n", true, VIGIL_EFORMAT, "epoch is not a number");
	bad(f, "Package: a\nVersion: 1.0\xc3\xa9\n", true, VIGIL_EFORMAT, "invalid character");
	bad(f, OK_STANZA "Package: a\nVersion 1.0\n", false, VIGIL_EFORMAT, "line 6: field line without a colon ('Version')");
	bad(f, "Package: a\nthis is garbage\n", true, VIGIL_EFORMAT, "line 2: field line without a colon");
	bad(f, "Package: a\n: value\n", true, VIGIL_EFORMAT, "line 2: empty field name");
	bad(f, " Package: a\n", true, VIGIL_EFORMAT, "line 1: continuation line outside a field");
	bad(f, OK_STANZA " orphan\n", false, VIGIL_EFORMAT, "line 5: continuation line outside a field");
	bad(f, "Package: a\nVersion: 1\n 2\n", true, VIGIL_EFORMAT, "line 3: field Version: continuation line");
	bad(f, "Package: a\nVersion: 1\nVersion: 2\n", true, VIGIL_EFORMAT, "line 3: duplicate field Version (first at line 2)");
	bad(f, "Package: a\nVersion: 1\nStatus: install ok\n", false, VIGIL_EFORMAT, "line 3: field Status: not three words");
	bad(f, "Package: a\nVersion: 1\nStatus: install ok installed now\n", false, VIGIL_EFORMAT, "not three words");
	bad(f, "Package: a\nVersion: 1\nStatus: want ok installed\n", false, VIGIL_EFORMAT, "unknown first (want) word");
	bad(f, "Package: a\nVersion: 1\nStatus: install bad installed\n", false, VIGIL_EFORMAT, "unknown second");
	bad(f, "Package: a\nVersion: 1\nStatus: install ok sideways\n", false, VIGIL_EFORMAT, "unknown third");
	bad(f, "Package: a\nVersion: 1\nStatus:\n", false, VIGIL_EFORMAT, "not three words");
	bad(f, "Package: a\nVersion: 1\nSource: b (2\n", true, VIGIL_EFORMAT, "line 3: field Source: expected");
	bad(f, "Package: a\nVersion: 1\nSource: b (2) c\n", true, VIGIL_EFORMAT, "field Source: expected");
	bad(f, "Package: a\nVersion: 1\nSource: b ()\n", true, VIGIL_EFORMAT, "field Source: empty version");
	bad(f, "Package: a\nVersion: 1\nSource: (2)\n", true, VIGIL_EFORMAT, "field Source: empty package name");
	bad(f, "Package: a\nVersion: 1\nArchitecture: amd 64\n", true, VIGIL_EFORMAT, "field Architecture");
	bad(f, "Package: a\nVersion: 1\nMulti-Arch: sometimes\n", true, VIGIL_EFORMAT, "field Multi-Arch");
	/* a NUL byte */
	f->list.len = 0;
	assert_int_equal(scan_dpkg_parse(&f->ctx, "Package: a\nVersion: 1\0\n", 23, true, &f->list), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "line 2: NUL byte"));
	/* truncated in the middle of a field name */
	bad(f, OK_STANZA "Package: b\nStatus: install ok installed\nVers", false, VIGIL_EFORMAT, "line 7: field line without a colon");
	/* a bad stanza after good ones leaves out as it was */
	vigil_package *keep;
	f->list.len = 0;
	assert_int_equal(scan_pkg_list_push(&f->list, &keep), 0);
	const char *two_then_bad = OK_STANZA OK_STANZA "Package: x\nStatus: install ok installed\n";
	assert_int_equal(scan_dpkg_parse(&f->ctx, two_then_bad, strlen(two_then_bad), false, &f->list), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "line 9: package x has no Version"));
	assert_int_equal(f->list.len, 1);
	/* arguments */
	assert_int_equal(scan_dpkg_parse(&f->ctx, NULL, 1, false, &f->list), VIGIL_EINVAL);
	assert_int_equal(scan_dpkg_parse(&f->ctx, "", 0, false, NULL), VIGIL_EINVAL);
}

static void test_limits(void **state)
{
	struct scan_fx *f = *state;
	/* a line of 300 KiB (limit 256 KiB) in a field vigil does not even keep */
	size_t n = 300 * 1024;
	char *big = malloc(n + 64);
	int k = snprintf(big, 64, "Package: a\nDescription: ");
	memset(big + k, 'x', n);
	memcpy(big + k + n, "\n", 2);
	bad(f, big, true, VIGIL_ELIMIT, "line 2: longer than 262144 bytes");
	/* a kept value over 4096 bytes */
	k = snprintf(big, 64, "Package: a\nMaintainer: ");
	memset(big + k, 'x', 5000);
	memcpy(big + k + 5000, "\n", 2);
	bad(f, big, true, VIGIL_ELIMIT, "line 2: field Maintainer: longer than 4096 bytes");
	free(big);
	/* 1025 fields in one stanza (limit 1024) */
	big = malloc(1100 * 16);
	n = (size_t)snprintf(big, 32, "Package: a\n");
	for (int i = 0; i < 1024; i++)
		n += (size_t)snprintf(big + n, 32, "X-F%d: v\n", i);
	bad(f, big, true, VIGIL_ELIMIT, "line 1025: more than 1024 fields");
	free(big);
	/* 200001 stanzas (limit 200000) */
	const char *st = "Package: a\n\n";
	size_t sl = strlen(st), count = 200001;
	big = malloc(sl * count + 1);
	for (size_t i = 0; i < count; i++)
		memcpy(big + i * sl, st, sl);
	big[sl * count] = '\0';
	f->ctx.warn = NULL; /* 200000 "no Status" warnings */
	bad(f, big, false, VIGIL_ELIMIT, "line 400001: more than 200000 stanzas");
	free(big);
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_expected_claircore, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expected_distroless, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expected_image_pkg_coverage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trivy_ubuntu1804, setup, teardown),
		cmocka_unit_test_setup_teardown(test_states, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dpkg_query, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
