/* tests/match/test_match_lang.c: language packages matched on the real
 * advisory data of ../shared/testdata/feeds (osv/go-vulndb,
 * osv/pypa-advisory-db, osv/rustsec-osv, osv/ghsa-maven-slice,
 * rubysec/, php/, npm/) imported by vigil_db_import into one store.
 * Index reports are built here from package rows (the scanners are tested
 * on their own), so every case names exactly the package it matches.
 * Expected answers were read from the advisory files named in each test.
 * VIGIL_TEST_DUMP=1 prints the findings of every match. */
#include "match/lang_fixture.h"

static struct lang_fx fx;

static int setup(void **state)
{
	(void)state;
	return lang_fx_setup(&fx);
}

static int teardown(void **state)
{
	(void)state;
	return lang_fx_teardown(&fx);
}

/* lang/expected/findings_java_x_ghsa-maven-slice.tsv, exactly: the
 * packages of lang/expected/java_*.tsv against the Zeppelin GHSA slice. */
static void test_java_expected_findings(void **state)
{
	static const char *const lists[] = { "java_trivy_gradle.war", "java_trivy_maven.war",
					     "java_trivy_hadoop-shaded-guava-1.1.0-SNAPSHOT.jar",
					     "java_trivy_nested.jar" };
	char got[64 * 1024] = "", want[64 * 1024] = "", *data;
	(void)state;
	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
		char rel[160];
		vigil_package pk[64];
		size_t n;
		snprintf(rel, sizeof(rel), "lang/expected/%s.tsv", lists[l]);
		n = lang_fx_packages(rel, VIGIL_PKG_MAVEN, pk, 64, &data);
		vigil_vuln_report *vr = lang_fx_match(fx.zeppelin, pk, n, 0);
		lang_fx_lines(vr, lists[l] + strlen("java_"), got, sizeof(got));
		vigil_vuln_report_free(vr);
		free(data);
	}
	lang_fx_expected("lang/expected/findings_java_x_ghsa-maven-slice.tsv", want, sizeof(want));
	assert_string_equal(got, want);
}

/* pypa-advisory-db: vulns/requests/PYSEC-2023-74.yaml (CVE-2023-32681,
 * GHSA-j8r2-6x86-q33q: introduced 2.3.0, fixed 2.31.0) matches requests
 * 2.28.1; PYSEC-2018-28 (fixed 2.20.0) does not. The name is PEP 503
 * normalised: "Requests" finds "requests". */
static void test_pypi_requests(void **state)
{
	vigil_package p[] = { { .type = VIGIL_PKG_PYPI, .name = "Requests", .version = "2.28.1" } };
	(void)state;
	vigil_vuln_report *vr = lang_fx_match(fx.all, p, 1, 0);
	const vigil_finding *f = lang_fx_find(vr, "PYSEC-2023-74");
	assert_non_null(f);
	assert_string_equal(f->fixed, "2.31.0");
	assert_string_equal(f->namespace, "osv:PyPI");
	assert_true(lang_fx_has_alias(f, "CVE-2023-32681"));
	assert_true(lang_fx_has_alias(f, "GHSA-j8r2-6x86-q33q"));
	assert_null(lang_fx_find(vr, "PYSEC-2018-28"));
	vigil_vuln_report_free(vr);
}

/* Django 3.2.25 (the last 3.2 release): pypa's newest Django records are
 * all fixed in 3.2.25 or earlier or do not cover 3.2 (each record a
 * PYSEC id; the snapshot ends 2024-10-10)... except those fixed only in
 * 4.2.x/5.0.x whose ranges start at 3.2 (checked one by one below). */
static void test_pypi_django(void **state)
{
	vigil_package old[] = { { .type = VIGIL_PKG_PYPI, .name = "Django", .version = "3.2.18" } };
	(void)state;
	/* PYSEC-2023-61 (CVE-2023-31047): introduced 3.2, fixed 3.2.19 */
	vigil_vuln_report *vr = lang_fx_match(fx.all, old, 1, 0);
	const vigil_finding *f = lang_fx_find(vr, "PYSEC-2023-61");
	assert_non_null(f);
	assert_string_equal(f->fixed, "3.2.19");
	assert_true(lang_fx_has_alias(f, "CVE-2023-31047"));
	/* PYSEC-2007-1 (fixed 1.1) does not match 3.2.18 */
	assert_null(lang_fx_find(vr, "PYSEC-2007-1"));
	vigil_vuln_report_free(vr);
	vigil_package last[] = { { .type = VIGIL_PKG_PYPI, .name = "django", .version = "3.2.25" } };
	vr = lang_fx_match(fx.all, last, 1, 0);
	assert_null(lang_fx_find(vr, "PYSEC-2023-61"));
	vigil_vuln_report_free(vr);
}

/* go-vulndb GO-2022-0236 (golang.org/x/net: introduced 0, fixed 0.0.0-
 * 20210520170846-37e1c6afe023, symbols in http2) against x/net at a 2021
 * pseudo-version below the fix: the finding names the symbols. */
static void test_go_symbols(void **state)
{
	vigil_package p[] = { { .type = VIGIL_PKG_GO, .name = "golang.org/x/net",
				.version = "v0.0.0-20210405180319-a5a99cb37ef4" } };
	(void)state;
	vigil_vuln_report *vr = lang_fx_match(fx.all, p, 1, 0);
	const vigil_finding *f = lang_fx_find(vr, "GO-2021-0238");
	assert_non_null(f);
	assert_string_equal(f->namespace, "osv:Go");
	assert_true(f->nsymbols > 0);
	assert_true(lang_fx_has_symbol(f, "golang.org/x/net/html.Parse"));
	assert_true(lang_fx_has_alias(f, "CVE-2021-33194"));
	vigil_vuln_report_free(vr);
	/* OSV's Go versions have no "v", build info's have one: both are
	 * ordered by Go's rules (a recent x/net is past every 2021 fix) */
	vigil_package q[] = { { .type = VIGIL_PKG_GO, .name = "golang.org/x/net", .version = "v0.38.0" } };
	vr = lang_fx_match(fx.all, q, 1, 0);
	assert_null(lang_fx_find(vr, "GO-2021-0238"));
	vigil_vuln_report_free(vr);
}

/* rustsec-osv RUSTSEC-2021-0078 (hyper: introduced 0, fixed 0.14.10)
 * matches hyper 0.14.9, not 0.14.10. */
static void test_crate(void **state)
{
	vigil_package p[] = { { .type = VIGIL_PKG_CARGO, .name = "hyper", .version = "0.14.9" },
			      { .type = VIGIL_PKG_CARGO, .name = "hyper", .version = "0.14.10" } };
	(void)state;
	vigil_vuln_report *vr = lang_fx_match(fx.all, p, 2, 0);
	const vigil_finding *f = lang_fx_find(vr, "RUSTSEC-2021-0078");
	assert_non_null(f);
	assert_int_equal(f->package_index, 0);
	assert_string_equal(f->fixed, "0.14.10");
	for (size_t i = 0; i < vr->finding_count; i++)
		assert_false(vr->findings[i].package_index == 1 && !strcmp(vr->findings[i].id, "RUSTSEC-2021-0078"));
	vigil_vuln_report_free(vr);
}

/* rubysec gems/actionpack/CVE-2008-7248.yml: unaffected "< 2.1.0",
 * patched "~> 2.1.3" and ">= 2.2.2": 2.1.2 and 2.2.1 are affected, 2.0.5,
 * 2.1.3, 2.1.9 and 2.2.2 are not ("~>" expands to >= 2.1.3, < 2.2). */
static void test_gem_pessimistic(void **state)
{
	static const char *const versions[] = { "2.1.2", "2.2.1", "2.0.5", "2.1.3", "2.1.9", "2.2.2" };
	vigil_package p[6];
	(void)state;
	for (size_t i = 0; i < 6; i++)
		p[i] = (vigil_package){ .type = VIGIL_PKG_GEM, .name = "actionpack", .version = versions[i] };
	vigil_vuln_report *vr = lang_fx_match(fx.all, p, 6, 0);
	for (size_t i = 0; i < 6; i++) {
		const vigil_finding *f = lang_fx_find_at(vr, "CVE-2008-7248", i);
		if (i < 2) {
			assert_non_null(f);
			assert_true(lang_fx_has_alias(f, "GHSA-8fqx-7pv4-3jwm"));
			assert_string_equal(f->fixed, i == 0 ? "2.1.3" : "2.2.2");
		} else {
			assert_null(f);
		}
	}
	vigil_vuln_report_free(vr);
}

/* friendsofphp cakephp/cakephp CVE-2015-8379 ... branches 2.7.x
 * ">=2.7.0, <2.7.6" etc.: the Packagist name is lower-cased. */
static void test_packagist(void **state)
{
	vigil_package p[] = { { .type = VIGIL_PKG_COMPOSER, .name = "CakePHP/cakephp", .version = "2.7.1" },
			      { .type = VIGIL_PKG_COMPOSER, .name = "cakephp/cakephp", .version = "v2.7.6" } };
	(void)state;
	vigil_vuln_report *vr = lang_fx_match(fx.all, p, 2, 0);
	const vigil_finding *f = lang_fx_find_at(vr, "FOP-cakephp/cakephp/2015-11-05", 0);
	assert_non_null(f);
	assert_string_equal(f->fixed, "2.7.6");
	assert_string_equal(f->namespace, "osv:Packagist");
	assert_null(lang_fx_find_at(vr, "FOP-cakephp/cakephp/2015-11-05", 1));
	vigil_vuln_report_free(vr);
}

/* nodejs-security-wg vuln/npm/8.json (express: "<3.11 || >= 4 <4.5", the
 * partial versions read as node-semver does): 4.4.9 affected (fixed
 * 4.5.0), 3.10.9 affected (fixed 3.11.0), 4.16.4 and 3.11.0 not. */
static void test_npm(void **state)
{
	static const char *const versions[] = { "4.4.9", "3.10.9", "4.16.4", "3.11.0" };
	vigil_package p[4];
	(void)state;
	for (size_t i = 0; i < 4; i++)
		p[i] = (vigil_package){ .type = VIGIL_PKG_NPM, .name = "express", .version = versions[i] };
	vigil_vuln_report *vr = lang_fx_match(fx.all, p, 4, 0);
	const vigil_finding *f = lang_fx_find_at(vr, "NSWG-ECO-8", 0);
	assert_non_null(f);
	assert_string_equal(f->fixed, "4.5.0");
	f = lang_fx_find_at(vr, "NSWG-ECO-8", 1);
	assert_non_null(f);
	assert_string_equal(f->fixed, "3.11.0");
	assert_null(lang_fx_find_at(vr, "NSWG-ECO-8", 2));
	assert_null(lang_fx_find_at(vr, "NSWG-ECO-8", 3));
	vigil_vuln_report_free(vr);
}

/* OS-owned language packages are left to the OS feed unless asked for. */
static void test_os_owned(void **state)
{
	vigil_package p[] = { { .type = VIGIL_PKG_PYPI, .name = "requests", .version = "2.28.1",
				.flags = VIGIL_PKG_F_OS_OWNED, .owner = "dpkg:python3-requests" } };
	(void)state;
	vigil_vuln_report *vr = lang_fx_match(fx.all, p, 1, 0);
	assert_int_equal(vr->finding_count, 0);
	vigil_vuln_report_free(vr);
	vr = lang_fx_match(fx.all, p, 1, 1);
	assert_non_null(lang_fx_find(vr, "PYSEC-2023-74"));
	vigil_vuln_report_free(vr);
}

/* Hand-written OSV records for the rules the real data shows only in
 * passing: aliases merged into one finding, last_affected, withdrawn
 * records, explicit versions lists, GIT-only ranges. */
static const char synth_docs[] =
	/* three records of one vulnerability: one finding, id PYSEC (the
	 * ecosystem's own), every other id an alias, fixed the highest */
	"[{\"id\": \"GHSA-aaaa-bbbb-cccc\", \"aliases\": [\"CVE-2099-0001\"],"
	" \"affected\": [{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"Demo_Pkg\"},"
	" \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"1.0\"}, {\"fixed\": \"1.5\"}]}]}]},"
	" {\"id\": \"PYSEC-2099-1\", \"aliases\": [\"GHSA-aaaa-bbbb-cccc\"],"
	" \"affected\": [{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"demo-pkg\"},"
	" \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"1.6\"}]}]}]},"
	" {\"id\": \"CVE-2099-0001\","
	" \"affected\": [{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"demo.pkg\"},"
	" \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}]}]}]},"
	/* last_affected 1.2: 1.2 matches, 1.2.1 does not */
	" {\"id\": \"GHSA-last-aaaa-bbbb\","
	" \"affected\": [{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"lastpkg\"},"
	" \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"last_affected\": \"1.2\"}]}]}]},"
	/* withdrawn: never a finding */
	" {\"id\": \"GHSA-gone-aaaa-bbbb\", \"withdrawn\": \"2024-01-01T00:00:00Z\","
	" \"affected\": [{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"lastpkg\"}}]},"
	/* a versions list only: exactly those versions */
	" {\"id\": \"GHSA-list-aaaa-bbbb\","
	" \"affected\": [{\"package\": {\"ecosystem\": \"Maven\", \"name\": \"g:a\"},"
	" \"versions\": [\"1.0\", \"1.1\"]}]},"
	/* a GIT range only: commits are not versions: never matched */
	" {\"id\": \"GHSA-git-aaaa-bbbb\","
	" \"affected\": [{\"package\": {\"ecosystem\": \"Maven\", \"name\": \"g:b\"},"
	" \"ranges\": [{\"type\": \"GIT\", \"repo\": \"r\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"abc\"}]}]}]}]";

static void test_rules(void **state)
{
	char dir[64], path[256];
	vigil_store *s;
	(void)state;
	assert_int_equal(th_temp_store("lang-rules", dir, &s), 0);
	snprintf(path, sizeof(path), "%s/synth.json", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(synth_docs, f);
	fclose(f);
	const char *p = path;
	vigil_db_import_result *res = NULL;
	size_t nres = 0;
	assert_int_equal(vigil_db_import(s, &p, 1, NULL, &res, &nres), 0);
	free(res);
	vigil_package pk[] = {
		{ .type = VIGIL_PKG_PYPI, .name = "DEMO_pkg", .version = "1.2" },
		{ .type = VIGIL_PKG_PYPI, .name = "lastpkg", .version = "1.2" },
		{ .type = VIGIL_PKG_PYPI, .name = "lastpkg", .version = "1.2.1" },
		{ .type = VIGIL_PKG_MAVEN, .name = "g:a", .version = "1.1" },
		{ .type = VIGIL_PKG_MAVEN, .name = "g:a", .version = "1.2" },
		{ .type = VIGIL_PKG_MAVEN, .name = "g:b", .version = "9" },
	};
	vigil_vuln_report *vr = lang_fx_match(s, pk, 6, 0);
	/* aliases merged */
	const vigil_finding *fd = lang_fx_find_at(vr, "PYSEC-2099-1", 0);
	assert_non_null(fd);
	assert_int_equal(fd->naliases, 2);
	assert_true(lang_fx_has_alias(fd, "GHSA-aaaa-bbbb-cccc"));
	assert_true(lang_fx_has_alias(fd, "CVE-2099-0001"));
	assert_string_equal(fd->fixed, "1.6");
	size_t n0 = 0;
	for (size_t i = 0; i < vr->finding_count; i++)
		n0 += vr->findings[i].package_index == 0;
	assert_int_equal(n0, 1);
	/* last_affected */
	assert_non_null(lang_fx_find_at(vr, "GHSA-last-aaaa-bbbb", 1));
	assert_null(lang_fx_find_at(vr, "GHSA-last-aaaa-bbbb", 2));
	/* withdrawn */
	for (size_t i = 0; i < vr->finding_count; i++)
		assert_string_not_equal(vr->findings[i].id, "GHSA-gone-aaaa-bbbb");
	/* versions lists */
	fd = lang_fx_find_at(vr, "GHSA-list-aaaa-bbbb", 3);
	assert_non_null(fd);
	assert_string_equal(fd->affected_range, "one of 1.0, 1.1");
	assert_null(lang_fx_find_at(vr, "GHSA-list-aaaa-bbbb", 4));
	/* GIT only */
	assert_null(lang_fx_find_at(vr, "GHSA-git-aaaa-bbbb", 5));
	vigil_vuln_report_free(vr);
	assert_int_equal(th_temp_store_free(dir, s), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_java_expected_findings),
		cmocka_unit_test(test_pypi_requests),
		cmocka_unit_test(test_pypi_django),
		cmocka_unit_test(test_go_symbols),
		cmocka_unit_test(test_crate),
		cmocka_unit_test(test_gem_pessimistic),
		cmocka_unit_test(test_packagist),
		cmocka_unit_test(test_npm),
		cmocka_unit_test(test_os_owned),
		cmocka_unit_test(test_rules),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
