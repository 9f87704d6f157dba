/* tests/scanner/test_lang_java.c: the Java archive scanner (lang/java.c,
 * java_zip.c) on trivy's real jar/war fixtures of lang/java/ (every
 * expected list, package_db of nested archives, the withheld gizmo jar as
 * trivy's test lists it), on zips built here in memory with libarchive's
 * writer (manifest rules, duplicates, data descriptors, zip64, an
 * encrypted entry) and on bad input: a corrupt or truncated zip, a bomb,
 * nesting past the depth limit, too many entries. */
#include "lang_fixture.h"
#include "scan_fixture.h"
#include "scanner/lang/java.h"
#include "util/error.h"
#include "util/stream.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>

/* The default limits but nothing held in memory: every archive streamed. */
static const scan_java_limits *streamed(void)
{
	static scan_java_limits lim;
	lim = scan_java_default_limits;
	lim.max_buffered = lim.max_buffered_total = 0;
	return &lim;
}

static int setup(void **state)
{
	return scan_fx_setup(state, "app/x.jar");
}

static int parse_lim(struct scan_fx *f, const char *path, const void *data, size_t len,
		     const scan_java_limits *lim)
{
	vigil_istream *in;
	assert_int_equal(vigil_istream_from_mem(data, len, &in), 0);
	f->ctx.path = path;
	f->list.len = 0;
	f->warnings = 0;
	f->last_warning[0] = '\0';
	int rc = scan_lang_java_parse_limits(&f->ctx, in, len, lim ? lim : &scan_java_default_limits,
					     &f->list);
	vigil_istream_close(in);
	return rc;
}

static int parse_fixture(struct scan_fx *f, const char *rel, const char *path,
			 const scan_java_limits *lim)
{
	size_t n;
	char *data = th_read_file(th_data_path(rel), &n);
	if (!data)
		fail_msg("cannot read %s", rel);
	int rc = parse_lim(f, path, data, n, lim);
	free(data);
	return rc;
}

/* The package named name@version, or NULL. */
static const vigil_package *find(struct scan_fx *f, const char *name, const char *version)
{
	for (size_t i = 0; i < f->list.len; i++)
		if (strcmp(f->list.items[i].name, name) == 0 &&
		    strcmp(f->list.items[i].version, version) == 0)
			return &f->list.items[i];
	return NULL;
}

/* The packages are exactly the rows of list (in any order). */
static void check_list(struct scan_fx *f, const char *list, size_t want)
{
	struct lang_row rows[32];
	char *data, what[128];
	bool used[32] = { false };
	size_t n = lang_rows(list, rows, 32, &data);
	assert_int_equal(n, want);
	if (f->list.len != n)
		fail_msg("%s: %zu packages, want %zu", list, f->list.len, n);
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < f->list.len &&
		       (used[j] || !vigil_slice_eq_cstr(rows[i].name, f->list.items[j].name) ||
			!vigil_slice_eq_cstr(rows[i].version, f->list.items[j].version)))
			j++;
		if (j == f->list.len)
			fail_msg("%s: row %zu (%.*s) not found", list, i, (int)rows[i].name.len,
				 rows[i].name.ptr);
		used[j] = true;
		snprintf(what, sizeof(what), "%s row %zu", list, i);
		lang_eq(&f->list.items[j], &rows[i], false, what);
		assert_int_equal(f->list.items[j].type, VIGIL_PKG_MAVEN);
	}
	free(data);
}

/* Each fixture in memory (central directory) and streamed (local headers). */
static void test_maven_war(void **state)
{
	struct scan_fx *f = *state;
	for (int k = 0; k < 2; k++) {
	assert_int_equal(parse_fixture(f, "lang/java/trivy_maven.war", "srv/maven.war", k ? streamed() : NULL), 0);
	check_list(f, "lang/expected/java_trivy_maven.war.tsv", 8);
	assert_int_equal(f->warnings, 0);
	assert_string_equal(find(f, "com.example:web-app", "1.0-SNAPSHOT")->package_db,
			    "srv/maven.war");
	assert_string_equal(find(f, "org.slf4j:slf4j-api", "1.7.30")->package_db,
			    "srv/maven.war!/WEB-INF/lib/slf4j-api-1.7.30.jar");
	}
}

static void test_gradle_war(void **state)
{
	struct scan_fx *f = *state;
	for (int k = 0; k < 2; k++) {
	assert_int_equal(parse_fixture(f, "lang/java/trivy_gradle.war", "gradle.war", k ? streamed() : NULL), 0);
	check_list(f, "lang/expected/java_trivy_gradle.war.tsv", 4);
	assert_string_equal(find(f, "log4j:log4j", "1.2.17")->package_db,
			    "gradle.war!/WEB-INF/lib/log4j-1.2.17.jar");
	}
}

static void test_nested_jar(void **state)
{
	struct scan_fx *f = *state;
	for (int k = 0; k < 2; k++) {
		assert_int_equal(parse_fixture(f, "lang/java/trivy_nested.jar", "a/nested.jar", k ? streamed() : NULL), 0);
		check_list(f, "lang/expected/java_trivy_nested.jar.tsv", 3);
	}
	assert_string_equal(find(f, "test:nested3", "0.0.3")->package_db,
			    "a/nested.jar!/META-INF/jars/nested2.jar!/META-INF/jars/nested3.jar");
	/* one level allowed: nested3 is past the limit, a warning names it */
	scan_java_limits lim = scan_java_default_limits;
	lim.max_depth = 1;
	assert_int_equal(parse_fixture(f, "lang/java/trivy_nested.jar", "a/nested.jar", &lim), 0);
	assert_int_equal(f->list.len, 2);
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "a/nested.jar!/META-INF/jars/nested2.jar: "
						"META-INF/jars/nested3.jar: archive nested deeper"));
}

static void test_fat_jar(void **state)
{
	struct scan_fx *f = *state;
	/* under trivy's name (its own pom.properties) and under the fixture's:
	 * the manifest's "Apache Hadoop shaded Guava" is no artifactId either way */
	assert_int_equal(parse_fixture(f, "lang/java/trivy_hadoop-shaded-guava-1.1.0-SNAPSHOT.jar",
				       "hadoop-shaded-guava-1.1.0-SNAPSHOT.jar", NULL), 0);
	check_list(f, "lang/expected/java_trivy_hadoop-shaded-guava-1.1.0-SNAPSHOT.jar.tsv", 5);
	assert_int_equal(parse_fixture(f, "lang/java/trivy_hadoop-shaded-guava-1.1.0-SNAPSHOT.jar",
				       "trivy_hadoop-shaded-guava-1.1.0-SNAPSHOT.jar", streamed()), 0);
	check_list(f, "lang/expected/java_trivy_hadoop-shaded-guava-1.1.0-SNAPSHOT.jar.tsv", 5);
}

/* trivy's wantDuplicatesJar (parse_test.go @ dc3c56ee): pom.properties in
 * odd folders, duplicates dropped, two nested log4j jars, and no package
 * from the manifest ("JBoss by Red Hat" is not a groupId). */
static void test_gizmo(void **state)
{
	struct scan_fx *f = *state;
	const char *jar = "io.quarkus.gizmo.gizmo-1.1.jar";
	for (int k = 0; k < 2; k++) {
	assert_int_equal(parse_fixture(f, "lang/java/trivy_io.quarkus.gizmo.gizmo-1.1.jar", jar, k ? streamed() : NULL), 0);
	assert_int_equal(f->list.len, 5);
	assert_string_equal(find(f, "io.quarkus.gizmo:gizmo", "1.1")->package_db, jar);
	assert_string_equal(find(f, "log4j:log4j", "1.2.16")->package_db,
			    "io.quarkus.gizmo.gizmo-1.1.jar!/jars/log4j-1.2.16.jar");
	assert_non_null(find(f, "log4j:log4j", "1.2.17"));
	assert_string_equal(find(f, "com.fasterxml.jackson.core:jackson-databind", "2.12.3")->purl,
			    "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.12.3");
	assert_non_null(find(f, "com.fasterxml.jackson.core:jackson-databind", "2.13.4"));
	}
}

/* ---- zips made here ---- */
struct zent {
	const char *name;
	const void *data;
	size_t len;
	bool store;   /* no compression */
	bool unsized; /* size unknown to the writer: sizes after the data */
};

static unsigned char *zip_make(const struct zent *e, size_t n, const char *opts, size_t *len)
{
	size_t cap = 1024 * 1024;
	for (size_t i = 0; i < n; i++)
		cap += e[i].len + 512;
	unsigned char *buf = malloc(cap);
	struct archive *a = archive_write_new();
	assert_non_null(buf);
	assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
	if (opts)
		assert_int_equal(archive_write_set_options(a, opts), ARCHIVE_OK);
	archive_write_set_bytes_in_last_block(a, 1);
	assert_int_equal(archive_write_open_memory(a, buf, cap, len), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *ae = archive_entry_new();
		archive_entry_set_pathname(ae, e[i].name);
		archive_entry_set_filetype(ae, AE_IFREG);
		archive_entry_set_perm(ae, 0644);
		if (!e[i].unsized)
			archive_entry_set_size(ae, (la_int64_t)e[i].len);
		if (e[i].store)
			archive_write_zip_set_compression_store(a);
		else
			archive_write_zip_set_compression_deflate(a);
		assert_int_equal(archive_write_header(a, ae), ARCHIVE_OK);
		if (e[i].len)
			assert_int_equal(archive_write_data(a, e[i].data, e[i].len), (la_ssize_t)e[i].len);
		archive_entry_free(ae);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	return buf;
}

#define POM(g, a, v) "#Generated\ngroupId=" g "\nartifactId=" a "\nversion=" v "\n"
#define ZE(n, s) { n, s, sizeof(s) - 1, false, false }

static void test_manifest(void **state)
{
	struct scan_fx *f = *state;
	static const char mf[] =
		"Manifest-Version: 1.0\r\nBundle-Name: %bundle.name\r\n"
		"Bundle-SymbolicName: org.example.tools.wid\r\n get-core\r\n"
		"Implementation-Title: widget-co\r\n re\r\nBundle-Version: 2.4.1\r\n"
		"\r\nName: org/example/\r\nImplementation-Version: 9.9\r\n";
	const struct zent e[] = { ZE("META-INF/MANIFEST.MF", mf), ZE("org/example/A.class", "\xca\xfe") };
	size_t len;
	unsigned char *z = zip_make(e, 2, NULL, &len);
	assert_int_equal(parse_lim(f, "opt/widget.jar", z, len, NULL), 0);
	assert_int_equal(f->list.len, 1);
	/* groupId: the symbolic name up to its last dot, unfolded first */
	assert_string_equal(f->list.items[0].name, "org.example.tools:widget-core");
	assert_string_equal(f->list.items[0].version, "2.4.1"); /* not the 9.9 of a later section */
	assert_string_equal(f->list.items[0].purl, "pkg:maven/org.example.tools/widget-core@2.4.1");
	assert_string_equal(f->list.items[0].package_db, "opt/widget.jar");
	free(z);

	/* a vendor name is no groupId; a one-word value "Implementation-Title:" alone is skipped */
	static const char mf2[] = "Implementation-Vendor: Example Inc\nImplementation-Title: w\n"
				  "Implementation-Version: 1\n";
	const struct zent e2[] = { ZE("META-INF/MANIFEST.MF", mf2) };
	z = zip_make(e2, 1, NULL, &len);
	assert_int_equal(parse_lim(f, "w.jar", z, len, NULL), 0);
	assert_int_equal(f->list.len, 0);
	free(z);
}

static void test_own_pom(void **state)
{
	struct scan_fx *f = *state;
	static const char mf[] = "Implementation-Vendor-Id: com.acme\nImplementation-Title: acme-x\n"
				 "Implementation-Version: 3.0\n";
	const struct zent e[] = {
		ZE("META-INF/MANIFEST.MF", mf),
		ZE("META-INF/maven/com.acme/foo/pom.properties", POM("com.acme", "foo", "1.0")),
		ZE("META-INF/maven/com.acme/bar/pom.properties", POM("com.acme", "bar", "2.17")),
		ZE("x/pom.properties", POM("com.acme", "bar", "2.17.0")), /* same version */
		ZE("y/pom.properties", "groupId=com.acme\nartifactId=nover\n"), /* no version */
		ZE("z/pom.properties", POM("com acme", "bad", "1")),
	};
	size_t len;
	unsigned char *z = zip_make(e, 6, NULL, &len);
	/* foo-1.0.jar: foo's pom.properties is the jar's own, the manifest is not used */
	assert_int_equal(parse_lim(f, "lib/foo-1.0.jar", z, len, NULL), 0);
	assert_int_equal(f->list.len, 2);
	assert_non_null(find(f, "com.acme:foo", "1.0"));
	assert_non_null(find(f, "com.acme:bar", "2.17"));
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "lib/foo-1.0.jar: z/pom.properties: com acme:bad:1: "
						"not Maven coordinates"));
	/* app.jar: none is its own, so the manifest names it too (as trivy does) */
	assert_int_equal(parse_lim(f, "lib/app.jar", z, len, NULL), 0);
	assert_int_equal(f->list.len, 3);
	assert_non_null(find(f, "com.acme:acme-x", "3.0"));
	free(z);
}

static void test_paths(void **state)
{
	(void)state;
	static const char *const yes[] = { "app/x.jar", "a.war", "opt/b.ear", "c.par",
					   "var/jenkins/plugins/git.jpi", "p/x.hpi" };
	static const char *const no[] = { ".jar", "x.jar/", "x.jars", "x.zip", "x.JAR.txt", "jar" };
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(scan_lang_java_path(vigil_slice_cstr(yes[i])));
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (scan_lang_java_path(vigil_slice_cstr(no[i])))
			fail_msg("%s: matched", no[i]);
}

/* What libarchive's streaming reader meets in real jars: sizes after the
 * data (stored and deflated), zip64 extensions, a nested stored jar. */
static void test_stream_forms(void **state)
{
	struct scan_fx *f = *state;
	static const char pom1[] = POM("g", "one", "1"), pom2[] = POM("g", "two", "2");
	const struct zent inner_e[] = {
		{ "META-INF/maven/g/two/pom.properties", pom2, sizeof(pom2) - 1, true, true },
	};
	size_t ilen, len;
	unsigned char *inner = zip_make(inner_e, 1, NULL, &ilen);
	const struct zent e[] = {
		{ "a/Big.class", "0123456789", 10, true, true },
		{ "META-INF/maven/g/one/pom.properties", pom1, sizeof(pom1) - 1, false, true },
		{ "BOOT-INF/lib/two-2.jar", inner, ilen, true, false },
	};
	static const char *const opts[] = { NULL, "zip:zip64", NULL, "zip:zip64" };
	for (size_t k = 0; k < 4; k++) {
		unsigned char *z = zip_make(e, 3, opts[k], &len);
		assert_int_equal(parse_lim(f, "boot.jar", z, len, k < 2 ? NULL : streamed()), 0);
		if (f->warnings)
			fail_msg("%s: %s", opts[k] ? opts[k] : "plain", f->last_warning);
		assert_int_equal(f->list.len, 2);
		assert_string_equal(find(f, "g:two", "2")->package_db, "boot.jar!/BOOT-INF/lib/two-2.jar");
		free(z);
	}
	free(inner);
}

/* An entry the streaming reader cannot read: a warning naming the archive
 * and the entry. With its size in the local header (an unknown compression
 * method) the entries after it are still read; encrypted with its size
 * after the data, the reader cannot find its end: the rest is lost. */
static void test_unreadable_entry(void **state)
{
	struct scan_fx *f = *state;
	static const char pom1[] = POM("g", "odd", "1"), pom2[] = POM("g", "open", "2");
	const struct zent e[] = { { "META-INF/maven/g/odd/pom.properties", pom1, sizeof(pom1) - 1, true, false },
				  ZE("META-INF/maven/g/open/pom.properties", pom2) };
	size_t len;
	unsigned char *z = zip_make(e, 2, NULL, &len);
	assert_int_equal(memcmp(z, "PK\3\4", 4), 0);
	z[8] = 97; /* the local header's method: WavPack */
	assert_int_equal(parse_lim(f, "lib/s.jar", z, len, streamed()), 0);
	if (f->list.len != 1 || f->warnings != 1)
		fail_msg("%zu packages, %d warnings: %s", f->list.len, f->warnings, f->last_warning);
	assert_non_null(find(f, "g:open", "2"));
	assert_non_null(strstr(f->last_warning, "lib/s.jar: META-INF/maven/g/odd/pom.properties: "));
	free(z);

	struct archive *a = archive_write_new();
	archive_write_set_format_zip(a);
	if (archive_write_set_options(a, "zip:encryption=zipcrypt") != ARCHIVE_OK) {
		archive_write_free(a);
		return; /* libarchive without crypto */
	}
	unsigned char *buf = malloc(1 << 16);
	archive_write_set_passphrase(a, "pw");
	archive_write_set_bytes_in_last_block(a, 1);
	archive_write_open_memory(a, buf, 1 << 16, &len);
	for (int i = 0; i < 2; i++) {
		struct archive_entry *ae = archive_entry_new();
		archive_entry_set_pathname(ae, e[i].name);
		archive_entry_set_filetype(ae, AE_IFREG);
		archive_entry_set_size(ae, (la_int64_t)e[i].len);
		assert_int_equal(archive_write_header(a, ae), ARCHIVE_OK);
		archive_write_data(a, e[i].data, e[i].len);
		archive_entry_free(ae);
	}
	archive_write_close(a);
	archive_write_free(a);
	/* in memory: the central directory says where each entry starts, so
	 * each (both encrypted) is a warning of its own */
	assert_int_equal(parse_lim(f, "lib/s.jar", buf, len, NULL), 0);
	if (f->list.len != 0 || f->warnings != 2)
		fail_msg("%zu packages, %d warnings: %s", f->list.len, f->warnings, f->last_warning);
	assert_non_null(strstr(f->last_warning, "lib/s.jar: META-INF/maven/g/open/pom.properties: "));
	/* streamed: the rest is lost */
	assert_int_equal(parse_lim(f, "lib/s.jar", buf, len, streamed()), 0);
	assert_int_equal(f->list.len, 0);
	assert_non_null(strstr(f->last_warning, "lib/s.jar: after META-INF/maven/g/odd/pom.properties: "));
	free(buf);
}

static void test_corrupt(void **state)
{
	struct scan_fx *f = *state;
	static const char garbage[] = "PK\3\4 this is not a zip at all, whatever its name says";
	/* not a zip: an error for the indexer to turn into a warning */
	int rc = parse_lim(f, "x.jar", garbage, sizeof(garbage) - 1, NULL);
	assert_true(rc == VIGIL_EFORMAT || (rc == 0 && f->warnings == 1));
	assert_int_equal(f->list.len, 0);
	assert_int_equal(parse_lim(f, "x.jar", "", 0, NULL), VIGIL_EFORMAT);
	/* cut in the middle of an entry: what came before is kept, a warning names the entry */
	static const char pom[] = POM("g", "a", "1");
	static char big[64 * 1024];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7919 >> 3);
	const struct zent e[] = { ZE("META-INF/maven/g/a/pom.properties", pom),
				  { "b/C.class", big, sizeof(big), false, false },
				  ZE("META-INF/maven/g/b/pom.properties", POM("g", "b", "1")) };
	size_t len;
	unsigned char *z = zip_make(e, 3, NULL, &len);
	assert_int_equal(parse_lim(f, "cut.jar", z, len / 2, NULL), 0);
	assert_int_equal(f->list.len, 1);
	assert_int_equal(f->warnings, 1);
	if (!strstr(f->last_warning, "cut.jar: after b/C.class: "))
		fail_msg("%s", f->last_warning);
	/* a nested jar that is not a zip: a warning, the outer archive goes on */
	const struct zent e2[] = { ZE("lib/bad.jar", "not a zip"), ZE("META-INF/maven/g/a/pom.properties", pom) };
	free(z);
	z = zip_make(e2, 2, NULL, &len);
	assert_int_equal(parse_lim(f, "o.war", z, len, NULL), 0);
	assert_int_equal(f->list.len, 1);
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "o.war: lib/bad.jar: "));
	free(z);
}

/* A bomb: a nested jar of stored zeros, deflated to almost nothing in the
 * outer archive; and members bigger than the member cap. */
static void test_bomb(void **state)
{
	struct scan_fx *f = *state;
	enum { N = 1024, SZ = 8192 };
	static char zeros[SZ], names[N][32];
	struct zent *ie = calloc(N, sizeof(*ie));
	for (size_t i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "c/%zu.class", i);
		ie[i] = (struct zent){ names[i], zeros, SZ, true, false };
	}
	size_t ilen, len;
	unsigned char *inner = zip_make(ie, N, NULL, &ilen);
	const struct zent e[] = { { "WEB-INF/lib/bomb.jar", inner, ilen, false, false },
				  ZE("META-INF/maven/g/a/pom.properties", POM("g", "a", "1")) };
	unsigned char *z = zip_make(e, 2, NULL, &len);
	assert_true(len < ilen / 50);
	scan_java_limits lim = scan_java_default_limits;
	lim.ratio_floor = 1024 * 1024; /* 8 MB inflated from ~50 KB: over */
	assert_int_equal(parse_lim(f, "b.war", z, len, &lim), 0);
	assert_int_equal(f->warnings, 1);
	if (!strstr(f->last_warning, "b.war!/WEB-INF/lib/bomb.jar: after c/"))
		fail_msg("%s", f->last_warning);
	assert_non_null(strstr(f->last_warning, "bytes inflated in this archive"));
	assert_int_equal(f->list.len, 0); /* reading stopped there */
	/* one nested archive past max_nested: that one only */
	lim = scan_java_default_limits;
	lim.max_nested = 1024 * 1024;
	assert_int_equal(parse_lim(f, "b.war", z, len, &lim), 0);
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "nested archive larger than 1048576 bytes"));
	assert_int_equal(f->list.len, 1);
	/* the defaults read it all */
	assert_int_equal(parse_lim(f, "b.war", z, len, NULL), 0);
	assert_int_equal(f->warnings, 0);
	assert_int_equal(f->list.len, 1);
	free(z);
	/* a pom.properties over the member cap: skipped with a warning */
	char *huge = malloc(VIGIL_JAVA_MAX_MEMBER + 10);
	memset(huge, '#', VIGIL_JAVA_MAX_MEMBER + 10);
	const struct zent e3[] = { { "META-INF/maven/g/h/pom.properties", huge, VIGIL_JAVA_MAX_MEMBER + 10, false, false } };
	z = zip_make(e3, 1, NULL, &len);
	assert_int_equal(parse_lim(f, "h.jar", z, len, NULL), 0);
	assert_int_equal(f->list.len, 0);
	assert_non_null(strstr(f->last_warning, "h.jar: META-INF/maven/g/h/pom.properties: longer than 65536 bytes"));
	free(z);
	free(huge);
	free(inner);
	free(ie);
}

static void test_too_many_entries(void **state)
{
	struct scan_fx *f = *state;
	enum { N = 200 };
	static char names[N][32];
	struct zent e[N];
	static const char pom[] = POM("g", "first", "1");
	e[0] = (struct zent)ZE("META-INF/maven/g/first/pom.properties", pom);
	for (size_t i = 1; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "c/%zu.class", i);
		e[i] = (struct zent){ names[i], "x", 1, true, false };
	}
	size_t len;
	unsigned char *z = zip_make(e, N, NULL, &len);
	scan_java_limits lim = scan_java_default_limits;
	lim.max_entries = 100;
	assert_int_equal(parse_lim(f, "many.jar", z, len, &lim), 0);
	assert_int_equal(f->list.len, 1);
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "more than 100 entries"));
	free(z);
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_maven_war, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gradle_war, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_jar, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fat_jar, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gizmo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_manifest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_own_pom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bomb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many_entries, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
