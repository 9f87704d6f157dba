/* tests/scanner/test_lang_go.c: Go build info in executables (the real
 * fixtures of lang/go/ and Debian's usr/bin/age, read as streams) against
 * lang/expected/go_*.tsv; bad binaries (truncated, garbage build info,
 * huge declared lengths); the module-info and -ldflags rules trivy
 * follows; go.mod. */
#define _GNU_SOURCE /* memmem */
#include "gorust_fixture.h"

#include <stdio.h>

static int setup(void **state)
{
	return scan_fx_setup(state, "usr/local/bin/app");
}

static void check_list(struct scan_fx *f, const char *bin, const char *tsv)
{
	check_exe(f, bin, tsv, VIGIL_PKG_GO);
}

static void test_trivy_ldflags(void **state)
{
	check_list(*state, "lang/go/trivy_main-version-via-ldflags.elf",
		   "lang/expected/go_trivy_main-version-via-ldflags.elf.tsv");
}

static void test_trivy_goexperiment(void **state)
{
	check_list(*state, "lang/go/trivy_goexperiment", "lang/expected/go_trivy_goexperiment.tsv");
}

/* scalibr spells the toolchain "go" and versions without "v", and keeps
 * "(devel)": vigil writes them as trivy does ("stdlib", "v...", no
 * version); the purls are the same. */
static void check_scalibr(struct scan_fx *f, const char *bin, const char *tsv)
{
	struct lang_row rows[8];
	char *data, vers[8][128];
	size_t n = lang_rows(tsv, rows, 8, &data);
	for (size_t i = 0; i < n; i++) {
		if (vigil_slice_eq_cstr(rows[i].name, "go"))
			rows[i].name = vigil_slice_cstr("stdlib");
		if (vigil_slice_eq_cstr(rows[i].version, "(devel)")) {
			rows[i].version = vigil_slice_make("", 0);
		} else {
			snprintf(vers[i], sizeof(vers[i]), "v%.*s", (int)rows[i].version.len,
				 rows[i].version.ptr);
			rows[i].version = vigil_slice_cstr(vers[i]);
		}
	}
	if (exe_file(f, bin) != 0)
		fail_msg("%s: %s", bin, vigil_error_message());
	expect_set(&f->list, rows, n, bin);
	free(data);
}

static void test_scalibr_replacement(void **state)
{
	check_scalibr(*state, "lang/go/scalibr_binary_with_module_replacement-linux-amd64",
		      "lang/expected/go_scalibr_binary_with_module_replacement-linux-amd64.tsv");
	check_scalibr(*state, "lang/go/scalibr_binary_with_module_replacement-linux-arm64",
		      "lang/expected/go_scalibr_binary_with_module_replacement-linux-arm64.tsv");
}

/* Go 1.15, pre-1.18 pointer format: the strings lie before the blob. */
static void test_trivy_old_format(void **state)
{
	struct scan_fx *f = *state;
	const vigil_package *p;
	if (exe_file(f, "lang/go/trivy_test.elf") != 0)
		fail_msg("%s", vigil_error_message());
	assert_int_equal(f->list.len, 5);
	assert_non_null(p = find_pkg(&f->list, "stdlib"));
	assert_true(strncmp(p->version, "v1.15", 5) == 0);
	assert_non_null(p = find_pkg(&f->list, "github.com/aquasecurity/test"));
	assert_string_equal(p->version, "");
	assert_string_equal(p->purl, "pkg:golang/github.com/aquasecurity/test");
	assert_non_null(p = find_pkg(&f->list, "golang.org/x/xerrors"));
	assert_string_equal(p->version, "v0.0.0-20200804184101-5ec99f83aff1");
	assert_non_null(find_pkg(&f->list, "github.com/aquasecurity/go-version"));
	assert_non_null(find_pkg(&f->list, "github.com/aquasecurity/go-pep440-version"));
	assert_int_equal(f->warnings, 0);
}

/* Debian's age: GOPATH build, "path" but no "mod" and no "dep". */
static void test_debian_age(void **state)
{
	struct scan_fx *f = *state;
	if (exe_file(f, "lang/debian-bookworm-2026-12/rootfs/usr/bin/age") != 0)
		fail_msg("%s", vigil_error_message());
	assert_int_equal(f->list.len, 1);
	assert_string_equal(f->list.items[0].name, "stdlib");
	assert_string_equal(f->list.items[0].version, "v1.19.8");
	assert_string_equal(f->list.items[0].purl, "pkg:golang/stdlib@v1.19.8");
}

static void test_not_go(void **state)
{
	struct scan_fx *f = *state;
	static const char *files[] = { "lang/go/trivy_dummy", "lang/go/scalibr_dummy",
				       "lang/rust/trivy_auditable_test.elf",
				       "lang/rust/scalibr_not_binary" };
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(exe_file(f, files[i]), 0);
		for (size_t j = 0; j < f->list.len; j++)
			assert_int_not_equal(f->list.items[j].type, VIGIL_PKG_GO);
	}
	/* a Java class file shares the fat Mach-O magic */
	static const uint8_t cls[64] = { 0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52 };
	assert_int_equal(exe_mem(f, cls, sizeof(cls)), 0);
	assert_int_equal(f->list.len, 0);
}

static char *load(const char *rel, size_t *len)
{
	char *d = th_read_file(th_data_path(rel), len);
	if (!d)
		fail_msg("cannot read %s", rel);
	return d;
}

static size_t magic_at(const char *d, size_t len)
{
	for (size_t i = 0; i + 16 <= len; i += 16)
		if (memcmp(d + i, "\xff Go buildinf:", 14) == 0)
			return i;
	fail_msg("no magic");
	return 0;
}

static void test_bad_binaries(void **state)
{
	struct scan_fx *f = *state;
	size_t len;
	char *d = load("lang/go/trivy_main-version-via-ldflags.elf", &len);
	size_t m = magic_at(d, len);
	/* truncated inside the build info */
	assert_int_equal(exe_mem(f, d, m + 40), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "Go build info"));
	assert_non_null(strstr(vigil_error_message(), "truncated"));
	/* a huge declared version length */
	char *c = malloc(len);
	memcpy(c, d, len);
	memcpy(c + m + 32, "\xff\xff\xff\xff\x0f", 5);
	assert_int_equal(exe_mem(f, c, len), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "limit"));
	/* a varint that never ends */
	memset(c + m + 32, 0xff, 12);
	assert_int_equal(exe_mem(f, c, len), VIGIL_EFORMAT);
	/* garbage module info: a "dep" line with one field */
	memcpy(c, d, len);
	char *dep = memmem(c + m, 4096, "mod\t", 4);
	assert_non_null(dep);
	memcpy(dep, "dep\tx\n", 6);
	assert_int_equal(exe_mem(f, c, len), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "module info line"));
	/* a huge module-info length (past the end of the file) */
	memcpy(c, d, len);
	size_t vl = (unsigned char)c[m + 32];
	memcpy(c + m + 33 + vl, "\xff\xff\xff\x7f", 4);
	assert_int_equal(exe_mem(f, c, len), VIGIL_EFORMAT);
	/* only an ELF header and the magic in the middle of nowhere */
	assert_int_equal(exe_mem(f, d, 200), 0);
	assert_int_equal(f->list.len, 0);
	free(c);
	free(d);
}

static void test_bad_old_format(void **state)
{
	struct scan_fx *f = *state;
	size_t len;
	char *d = load("lang/go/trivy_test.elf", &len);
	size_t m = magic_at(d, len);
	/* the version pointer pointing nowhere */
	memset(d + m + 16, 0x7f, 8);
	assert_int_equal(exe_mem(f, d, len), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "pointer"));
	free(d);
}


static const char go_start[] = "0w\xaf\x0c\x92t\x08\x02" "A\xe1\xc1\x07\xe6\xd6\x18\xe6";
static const char go_end[] = "\xf9" "2C1\x86\x18 r\x00\x82" "B\x10" "A\x16\xd8\xf2";

/* A Go >= 1.18 blob at offset at of an ELF file of size bytes. */
static uint8_t *inline_elf(size_t at, size_t size, const char *ver, const char *mod)
{
	uint8_t *f = calloc(1, size);
	size_t vl = strlen(ver), ml = strlen(mod) + 32, o = at + 32;
	memcpy(f, "\177ELF\2\1\1", 7);
	memcpy(f + at, "\xff Go buildinf:\x08\x02", 16);
	f[o++] = (uint8_t)vl;
	memcpy(f + o, ver, vl);
	o += vl;
	f[o++] = (uint8_t)(0x80 | (ml & 0x7f));
	f[o++] = (uint8_t)(ml >> 7);
	memcpy(f + o, go_start, 16);
	memcpy(f + o + 16, mod, ml - 32);
	memcpy(f + o + ml - 16, go_end, 16);
	return f;
}

/* The blob at the start of a chunk, straddling two chunks, at the end. */
static void test_chunk_boundaries(void **state)
{
	struct scan_fx *f = *state;
	static const size_t at[] = { 65536, 65536 - 16, 65536 - 48, 128 };
	char mod[512];
	snprintf(mod, sizeof(mod), "path\tx.io/app\nmod\tx.io/app\tv1.2.3\t\n%s",
		 "dep\ty.io/lib\tv0.1.0\th1:zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz=\n"
		 "build\tGOOS=linux\nbuild\tGOARCH=amd64\nbuild\tvcs.revision=0123456789\n");
	for (size_t i = 0; i < 4; i++) {
		size_t size = at[i] + 32 + 64 + strlen(mod) + 64;
		uint8_t *b = inline_elf(at[i], size, "go1.23.4", mod);
		if (exe_mem(f, b, size) != 0)
			fail_msg("at %zu: %s", at[i], vigil_error_message());
		assert_int_equal(f->list.len, 3);
		assert_non_null(find_pkg(&f->list, "y.io/lib"));
		assert_string_equal(find_pkg(&f->list, "x.io/app")->version, "v1.2.3");
		assert_string_equal(find_pkg(&f->list, "stdlib")->purl, "pkg:golang/stdlib@v1.23.4");
		/* the blob cut short by the end of the file */
		assert_int_equal(exe_mem(f, b, at[i] + 40), VIGIL_EFORMAT);
		free(b);
	}
}

/* Pre-1.18 with the strings AFTER the blob (read as the stream gets there). */
static void test_old_format_ahead(void **state)
{
	struct scan_fx *f = *state;
	size_t size = 3 * 65536;
	uint8_t *b = calloc(1, size);
	const uint64_t base = 0x400000;
	const char *ver = "go1.16.15";
	char mod[256];
	const char *text = "path\tz.io/x\nmod\tz.io/x\tv1.0.0\t\n";
	int ml = (int)strlen(text) + 32;
	memcpy(mod, go_start, 16);
	memcpy(mod + 16, text, strlen(text));
	memcpy(mod + 16 + strlen(text), go_end, 16);
	/* ELF64 LE, one writable PT_LOAD over the file at base */
	memcpy(b, "\177ELF\2\1\1", 7);
	b[32] = 64;                 /* e_phoff */
	b[54] = 56;                 /* e_phentsize */
	b[56] = 1;                  /* e_phnum */
	b[64] = 1;                  /* PT_LOAD */
	b[68] = 6;                  /* PF_R|PF_W */
	memcpy(b + 64 + 16, &base, 8);
	uint64_t fsz = size;
	memcpy(b + 64 + 32, &fsz, 8);
	memcpy(b + 64 + 40, &fsz, 8);
	memcpy(b + 0x1000, "\xff Go buildinf:\x08\x00", 16);
	uint64_t p1 = base + 65536 + 100, p2 = base + 65536 + 200;
	memcpy(b + 0x1010, &p1, 8);
	memcpy(b + 0x1018, &p2, 8);
	uint64_t h[2] = { base + 2 * 65536 - 4, strlen(ver) }; /* straddles a chunk */
	memcpy(b + 65536 + 100, h, 16);
	uint64_t h2[2] = { base + 2 * 65536 + 50, (uint64_t)ml };
	memcpy(b + 65536 + 200, h2, 16);
	memcpy(b + 2 * 65536 - 4, ver, strlen(ver));
	memcpy(b + 2 * 65536 + 50, mod, (size_t)ml);
	if (exe_mem(f, b, size) != 0)
		fail_msg("%s", vigil_error_message());
	assert_int_equal(f->list.len, 2);
	assert_string_equal(find_pkg(&f->list, "stdlib")->version, "v1.16.15");
	assert_string_equal(find_pkg(&f->list, "z.io/x")->version, "v1.0.0");
	/* the data of the module string past the end */
	assert_int_equal(exe_mem(f, b, 2 * 65536 + 60), VIGIL_EFORMAT);
	/* no modules (a GOPATH build): an empty module string, nil pointer */
	memset(b + 65536 + 200, 0, 16);
	if (exe_mem(f, b, size) != 0)
		fail_msg("%s", vigil_error_message());
	assert_int_equal(f->list.len, 1);
	assert_string_equal(f->list.items[0].version, "v1.16.15");
	free(b);
}

/* Pre-1.18 with the strings BEFORE the blob (kept as candidates because of
 * the Go build-ID note), the version cut by a chunk boundary. */
static void test_old_format_behind(void **state)
{
	struct scan_fx *f = *state;
	size_t size = 3 * 65536;
	uint8_t *b = calloc(1, size);
	const uint64_t base = 0x400000, fsz = size;
	const char *ver = "go1.17.13", *text = "path\tz.io/x\nmod\tz.io/x\tv1.0.0\t\n";
	size_t tl = strlen(text), ml = tl + 32;
	memcpy(b, "\177ELF\2\1\1", 7);
	b[32] = 64;
	b[54] = 56;
	b[56] = 1;
	b[64] = 1;
	b[68] = 6;
	memcpy(b + 64 + 16, &base, 8);
	memcpy(b + 64 + 32, &fsz, 8);
	memcpy(b + 64 + 40, &fsz, 8);
	memcpy(b + 0x400, "\x04\0\0\0\x10\0\0\0\x04\0\0\0Go\0\0", 16); /* the Go note */
	memcpy(b + 65536 - 5, ver, strlen(ver));
	memcpy(b + 0x9000, go_start, 16);
	memcpy(b + 0x9010, text, tl);
	memcpy(b + 0x9010 + tl, go_end, 16);
	memcpy(b + 2 * 65536, "\xff Go buildinf:\x08\x00", 16);
	uint64_t ptr[2] = { base + 2 * 65536 + 64, base + 2 * 65536 + 80 };
	uint64_t h1[2] = { base + 65536 - 5, strlen(ver) }, h2[2] = { base + 0x9000, ml };
	memcpy(b + 2 * 65536 + 16, ptr, 16);
	memcpy(b + 2 * 65536 + 64, h1, 16);
	memcpy(b + 2 * 65536 + 80, h2, 16);
	if (exe_mem(f, b, size) != 0)
		fail_msg("%s", vigil_error_message());
	assert_int_equal(f->list.len, 2);
	assert_string_equal(find_pkg(&f->list, "stdlib")->version, "v1.17.13");
	/* without the note nothing was kept: a warning-worthy error */
	memset(b + 0x400, 0, 16);
	assert_int_equal(exe_mem(f, b, size), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "pre-1.18"));
	free(b);
}

static int modinfo(struct scan_fx *f, const char *gv, const char *text)
{
	f->list.len = 0;
	return scan_lang_gobin_modinfo(&f->ctx, vigil_slice_cstr(gv), vigil_slice_cstr(text),
				       &f->list);
}

static const char *main_version(struct scan_fx *f, const char *flags)
{
	char text[1024];
	snprintf(text, sizeof(text),
		 "path\tgithub.com/o/app/cmd/app\nmod\tgithub.com/o/app\t(devel)\t\n"
		 "build\t-ldflags=%s\n", flags);
	if (modinfo(f, "go1.22.1", text) != 0)
		fail_msg("%s", vigil_error_message());
	const vigil_package *p = find_pkg(&f->list, "github.com/o/app");
	assert_non_null(p);
	return p->version;
}

/* trivy's ParseLDFlags rules. */
static void test_ldflags(void **state)
{
	struct scan_fx *f = *state;
	assert_string_equal(main_version(f, "\"-s -w -X main.version=1.2.3\""), "1.2.3");
	assert_string_equal(main_version(f, "\"-X='main.Version=v2.0.0'\""), "v2.0.0");
	assert_string_equal(main_version(f, "-Xmain.ver=v1.1"), "v1.1");
	/* not semver, not a version key */
	assert_string_equal(main_version(f, "\"-X main.version=dev\""), "");
	assert_string_equal(main_version(f, "\"-X main.commit=v1.0.0\""), "");
	/* the <module>/cmd/ category wins over main; two in one category: none */
	assert_string_equal(
		main_version(f, "\"-X main.version=v1.0.0 -X github.com/o/app/cmd/app.version=v3.0.0\""),
		"v3.0.0");
	assert_string_equal(main_version(f, "\"-X main.version=v1.0.0 -X cmd.version=v1.0.1\""),
			    "");
	/* an unknown flag takes the next word */
	assert_string_equal(main_version(f, "\"-extldflags -static -X version.Version=v4.0.0\""),
			    "v4.0.0");
}

static void test_modinfo(void **state)
{
	struct scan_fx *f = *state;
	const vigil_package *p;
	/* replacement reported; (devel) dep versions dropped; a pseudo-version
	 * main module keeps its version without ldflags */
	assert_int_equal(modinfo(f, "go1.21.0",
				 "path\tx.io/m\nmod\tx.io/m\tv0.0.0-2023-abc\t\n"
				 "dep\ta.io/a\tv1.0.0\th1:x=\n=>\tb.io/b\tv1.1.0+incompatible\th1:y=\n"
				 "dep\tc.io/c\t(devel)\n"),
			 0);
	assert_int_equal(f->list.len, 4);
	assert_null(find_pkg(&f->list, "a.io/a"));
	assert_non_null(p = find_pkg(&f->list, "b.io/b"));
	assert_string_equal(p->purl, "pkg:golang/b.io/b@v1.1.0%2Bincompatible");
	assert_non_null(p = find_pkg(&f->list, "c.io/c"));
	assert_string_equal(p->version, "");
	assert_non_null(p = find_pkg(&f->list, "x.io/m"));
	assert_string_equal(p->version, "v0.0.0-2023-abc");
	/* "=>" without a module before it; no Go version */
	assert_int_equal(modinfo(f, "go1.21.0", "=>\tb\tv1\th\n"), VIGIL_EFORMAT);
	assert_int_equal(modinfo(f, "", "path\tx\n"), VIGIL_EFORMAT);
	/* command-line-arguments: only stdlib */
	assert_int_equal(modinfo(f, "go1.22.1 X:loopvar", "path\tcommand-line-arguments\n"), 0);
	assert_int_equal(f->list.len, 1);
	assert_string_equal(f->list.items[0].version, "v1.22.1");
}

static int gomod(struct scan_fx *f, const char *text)
{
	f->list.len = 0;
	return scan_lang_gomod_parse(&f->ctx, text, strlen(text), &f->list);
}

static void test_gomod(void **state)
{
	struct scan_fx *f = *state;
	const vigil_package *p;
	assert_int_equal(gomod(f, "// comment\nmodule example.com/app\n\ngo 1.21\n"
				  "require github.com/a/b v1.2.3 // indirect\n"
				  "require (\n\tgolang.org/x/net v0.17.0\n"
				  "\t\"github.com/q/r\" v2.0.0+incompatible // indirect\n"
				  "\tgithub.com/local/x v1.0.0\n\tgithub.com/old/y v0.1.0\n)\n"
				  "replace (\n\tgithub.com/local/x => ../x\n"
				  "\tgithub.com/old/y v0.1.0 => github.com/new/y v0.2.0\n)\n"
				  "replace golang.org/x/net v0.1.0 => golang.org/x/net v0.2.0\n"
				  "exclude (\n\tgithub.com/z v1\n)\n"),
			 0);
	assert_int_equal(f->list.len, 5);
	assert_non_null(p = find_pkg(&f->list, "example.com/app"));
	assert_string_equal(p->version, "");
	assert_string_equal(p->purl, "pkg:golang/example.com/app");
	assert_non_null(p = find_pkg(&f->list, "github.com/a/b"));
	assert_string_equal(p->purl, "pkg:golang/github.com/a/b@v1.2.3");
	assert_int_equal(p->type, VIGIL_PKG_GO);
	assert_non_null(p = find_pkg(&f->list, "golang.org/x/net"));
	assert_string_equal(p->version, "v0.17.0"); /* replace of another version */
	assert_non_null(find_pkg(&f->list, "github.com/q/r"));
	assert_null(find_pkg(&f->list, "github.com/local/x"));
	assert_non_null(p = find_pkg(&f->list, "github.com/new/y"));
	assert_string_equal(p->version, "v0.2.0");
	/* before go 1.17, "// indirect" requirements are left out (as trivy);
	 * a version-specific replace wins over a path-only one (as go) */
	assert_int_equal(gomod(f, "go 1.16\nrequire (\n\ta.io/x v1.0.0 // indirect\n"
				  "\tb.io/y v1.0.0 // indirect; for tests\n\tc.io/z v1.0.0\n)\n"
				  "replace c.io/z => c.io/any v9.0.0\n"
				  "replace c.io/z v1.0.0 => c.io/exact v1.0.1\n"),
			 0);
	assert_int_equal(f->list.len, 1);
	assert_string_equal(f->list.items[0].name, "c.io/exact");
	assert_int_equal(gomod(f, "go 1.17\nrequire a.io/x v1.0.0 // indirect\n"), 0);
	assert_int_equal(f->list.len, 1);
	/* bad input */
	assert_int_equal(gomod(f, "require (\n\tgithub.com/a\n)\n"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "line 2"));
	assert_int_equal(gomod(f, "require \"github.com/a v1\n"), VIGIL_EFORMAT);
	assert_int_equal(gomod(f, "replace a =>\n"), VIGIL_EFORMAT);
	assert_int_equal(gomod(f, ""), 0);
	assert_int_equal(f->list.len, 0);
	assert_true(scan_lang_gomod_path(vigil_slice_cstr("src/app/go.mod")));
	assert_true(scan_lang_gomod_path(vigil_slice_cstr("go.mod")));
	assert_false(scan_lang_gomod_path(vigil_slice_cstr("src/app/xgo.mod")));
	assert_false(scan_lang_gomod_path(vigil_slice_cstr("usr/local/go/src/go.mod")));
	assert_false(scan_lang_gomod_path(vigil_slice_cstr("usr/lib/go-1.19/src/cmd/go.mod")));
	assert_false(scan_lang_gomod_path(
		vigil_slice_cstr("root/go/pkg/mod/github.com/a/b@v1.0.0/go.mod")));
	assert_false(scan_lang_gomod_path(vigil_slice_cstr("app/vendor/x.io/y/go.mod")));
	assert_false(scan_lang_gomod_path(vigil_slice_cstr("app/x/testdata/go.mod")));
	assert_true(scan_lang_gomod_path(vigil_slice_cstr("go/src/github.com/o/app/go.mod")));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_trivy_ldflags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trivy_goexperiment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scalibr_replacement, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trivy_old_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_debian_age, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_go, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_binaries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_old_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chunk_boundaries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_old_format_ahead, setup, teardown),
		cmocka_unit_test_setup_teardown(test_old_format_behind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ldflags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_modinfo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gomod, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
