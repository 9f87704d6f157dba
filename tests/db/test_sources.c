/* tests/db/test_sources.c: the feed catalog of `vigil db update`
 * (db/sources.c): the built-in upstream URLs, the sources file (replace,
 * add, optional, new feeds) and its bad input (names, URLs, file names,
 * long lines, NUL bytes, too many words), NAME=URL overrides, file names
 * derived from URLs without collisions, and the paging fields of the real
 * NVD API 2.0 pages of ../shared/testdata/feeds/nvd (and broken ones). */
#include "db/fetch.h"
#include "helpers.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *url_of(vigil_sources *s, const char *feed, size_t i)
{
	vigil_source *src = db_sources_find(s, feed);
	assert_non_null(src);
	assert_true(i < src->nurls);
	return src->urls[i].url;
}

static bool has_url(vigil_sources *s, const char *feed, const char *url)
{
	vigil_source *src = db_sources_find(s, feed);
	for (size_t i = 0; src && i < src->nurls; i++)
		if (!strcmp(src->urls[i].url, url))
			return true;
	return false;
}

static void test_defaults(void **state)
{
	vigil_sources s;
	assert_int_equal(db_sources_default(&s), 0);
	assert_string_equal(url_of(&s, "debian", 0), "https://security-tracker.debian.org/tracker/data/json");
	assert_true(has_url(&s, "debian-lists",
			    "https://salsa.debian.org/security-tracker-team/security-tracker/-/raw/master/data/DSA/list"));
	assert_true(has_url(&s, "alpine", "https://secdb.alpinelinux.org/v3.20/main.json"));
	assert_true(has_url(&s, "alpine", "https://secdb.alpinelinux.org/v3.20/community.json"));
	assert_true(has_url(&s, "redhat-oval",
			    "https://security.access.redhat.com/data/oval/v2/RHEL9/rhel-9.oval.xml.bz2"));
	assert_true(has_url(&s, "osv", "https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip"));
	assert_true(has_url(&s, "osv", "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip"));
	assert_true(has_url(&s, "osv", "https://osv-vulnerabilities.storage.googleapis.com/RubyGems/all.zip"));
	assert_true(has_url(&s, "osv", "https://osv-vulnerabilities.storage.googleapis.com/Packagist/all.zip"));
	assert_true(has_url(&s, "osv", "https://osv-vulnerabilities.storage.googleapis.com/NuGet/all.zip"));
	/* the language databases that are not OSV: tarballs of their repositories */
	assert_string_equal(url_of(&s, "rubysec", 0),
			    "https://github.com/rubysec/ruby-advisory-db/archive/refs/heads/master.tar.gz");
	assert_string_equal(db_sources_find(&s, "rubysec")->keep_dir, "gems");
	assert_true(has_url(&s, "friendsofphp",
			    "https://github.com/FriendsOfPHP/security-advisories/archive/refs/heads/master.tar.gz"));
	assert_string_equal(db_sources_find(&s, "nodejs-wg")->keep_dir, "npm");
	assert_string_equal(url_of(&s, "nvd", 0), "https://services.nvd.nist.gov/rest/json/cves/2.0");
	assert_int_equal(db_sources_find(&s, "nvd")->kind, VIGIL_SOURCE_NVD_PAGES);
	assert_string_equal(db_sources_find(&s, "ubuntu")->keep_dir, "active");
	/* every URL is https and every file name is unique within its feed */
	for (size_t i = 0; i < s.n; i++) {
		for (size_t k = 0; k < s.v[i].nurls; k++) {
			assert_int_equal(strncmp(s.v[i].urls[k].url, "https://", 8), 0);
			assert_true(db_source_file_ok(s.v[i].urls[k].file, strlen(s.v[i].urls[k].file)));
			for (size_t m = 0; m < k; m++)
				assert_string_not_equal(s.v[i].urls[k].file, s.v[i].urls[m].file);
		}
	}
	db_sources_free(&s);
	db_sources_free(NULL);
}

static void test_config(void **state)
{
	vigil_sources s;
	const char *cfg = "# my mirror\n"
			  "\n"
			  "alpine https://m.example/alpine/v3.19/main.json v3.19-main.json\n"
			  "alpine\thttps://m.example/alpine/v3.19/community.json   optional\n"
			  "  debian https://m.example/deb/json tracker.json optional  \n"
			  "suse https://m.example/suse/cvrf.tar.zst\n"
			  "nvd https://m.example/nvd/cves?resultsPerPage=500\n";
	assert_int_equal(db_sources_default(&s), 0);
	assert_int_equal(db_sources_parse_config(&s, cfg, strlen(cfg), "t.conf"), 0);
	vigil_source *a = db_sources_find(&s, "alpine");
	assert_int_equal(a->nurls, 2);
	assert_string_equal(a->urls[0].file, "v3.19-main.json");
	assert_false(a->urls[0].optional);
	assert_string_equal(a->urls[1].file, "community.json");
	assert_true(a->urls[1].optional);
	vigil_source *d = db_sources_find(&s, "debian");
	assert_int_equal(d->nurls, 1);
	assert_true(d->urls[0].optional);
	vigil_source *n = db_sources_find(&s, "suse");
	assert_non_null(n);
	assert_int_equal(n->kind, VIGIL_SOURCE_FILES);
	assert_string_equal(n->urls[0].file, "cvrf.tar.zst");
	assert_string_equal(url_of(&s, "nvd", 0), "https://m.example/nvd/cves?resultsPerPage=500");
	/* untouched feeds keep their URLs */
	assert_true(has_url(&s, "osv", "https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip"));

	/* overrides: the first for a name replaces, the next add */
	db_sources_new_layer(&s);
	assert_int_equal(db_sources_override(&s, "alpine=http://127.0.0.1:8080/a/main.json"), 0);
	assert_int_equal(db_sources_override(&s, "alpine=http://127.0.0.1:8080/b/main.json"), 0);
	a = db_sources_find(&s, "alpine");
	assert_int_equal(a->nurls, 2);
	assert_string_equal(a->urls[0].file, "main.json");
	assert_string_equal(a->urls[1].file, "2-main.json"); /* never two files of one name */
	assert_int_equal(db_sources_override(&s, "nvd=https://x.example/nvd"), 0);
	assert_int_equal(db_sources_override(&s, "nvd=https://y.example/nvd"), VIGIL_EINVAL);
	assert_int_equal(db_sources_override(&s, "novalue="), VIGIL_EINVAL);
	assert_int_equal(db_sources_override(&s, "noequals"), VIGIL_EINVAL);
	assert_int_equal(db_sources_override(&s, "Bad_Name=https://x.example/"), VIGIL_EFORMAT);
	assert_int_equal(db_sources_override(&s, "x=ftp://x.example/f"), VIGIL_EFORMAT);
	assert_int_equal(db_sources_override(&s, "x=file:///etc/passwd"), VIGIL_EFORMAT);
	assert_int_equal(db_sources_override(&s, "x=https://"), VIGIL_EFORMAT);
	/* a URL without a path gets a name of its own */
	assert_int_equal(db_sources_override(&s, "host-only=https://x.example"), 0);
	assert_string_equal(db_sources_find(&s, "host-only")->urls[0].file, "index");
	assert_int_equal(db_sources_override(&s, "dots=https://x.example/a/..?q=1"), 0);
	assert_true(db_source_file_ok(db_sources_find(&s, "dots")->urls[0].file,
					 strlen(db_sources_find(&s, "dots")->urls[0].file)));
	db_sources_free(&s);
}

static void expect_bad(const char *cfg, size_t len, int code, const char *what)
{
	vigil_sources s;
	assert_int_equal(db_sources_default(&s), 0);
	int rc = db_sources_parse_config(&s, cfg, len, "bad.conf");
	if (rc != code || !strstr(vigil_error_message(), what))
		fail_msg("want %d '%s', got %d '%s'", code, what, rc, vigil_error_message());
	db_sources_free(&s);
}

static void test_bad_config(void **state)
{
	expect_bad("alpine\n", 7, VIGIL_EFORMAT, "bad.conf:1: want 'NAME URL");
	expect_bad("\n\nALPINE https://x/y\n", 20, VIGIL_EFORMAT, "bad.conf:3: 'ALPINE' is not a feed name");
	expect_bad("alpine http://x\001y/z\n", 20, VIGIL_EFORMAT, "not an http:// or https:// URL");
	expect_bad("alpine gopher://x/y\n", 20, VIGIL_EFORMAT, "not an http:// or https:// URL");
	expect_bad("alpine https://x/y ../../etc/passwd\n", 36, VIGIL_EFORMAT, "is not a file name");
	expect_bad("alpine https://x/y .hidden\n", 27, VIGIL_EFORMAT, "is not a file name");
	expect_bad("alpine https://x/y f optional more\n", 35, VIGIL_EFORMAT, "too many words");
	expect_bad("alpine https://x/y f maybe\n", 27, VIGIL_EFORMAT, "want 'optional'");
	expect_bad("alpine https://x/a f\nalpine https://x/b f\n", 42, VIGIL_EINVAL, "two URLs are named f");
	expect_bad("nvd https://x/a\nnvd https://x/b\n", 32, VIGIL_EINVAL, "one URL");
	expect_bad("alpine https://x/\0y\n", 20, VIGIL_EFORMAT, "NUL byte");
	expect_bad("a-very-long-feed-name-over-31-bytes https://x/y\n", 47, VIGIL_EFORMAT, "not a feed name");

	size_t big = VIGIL_SOURCES_MAX_LINE + 100;
	char *line = malloc(big + 1);
	assert_non_null(line);
	memcpy(line, "alpine https://x/", 17);
	memset(line + 17, 'a', big - 17);
	line[big] = '\0';
	expect_bad(line, big, VIGIL_ELIMIT, "line longer than");
	free(line);

	/* a URL at the limit is fine, one byte more is not */
	char *cfg = malloc(VIGIL_SOURCES_MAX_URL + 64);
	assert_non_null(cfg);
	int k = snprintf(cfg, 64, "osv https://x/");
	memset(cfg + k, 'u', VIGIL_SOURCES_MAX_URL - 10); /* "https://x/" + this: the limit */
	cfg[k + VIGIL_SOURCES_MAX_URL - 10] = '\0';
	vigil_sources s;
	assert_int_equal(db_sources_default(&s), 0);
	assert_int_equal(db_sources_parse_config(&s, cfg, strlen(cfg), "edge.conf"), 0);
	db_sources_free(&s);
	size_t cl = strlen(cfg);
	cfg[cl] = 'u';
	cfg[cl + 1] = '\0';
	expect_bad(cfg, strlen(cfg), VIGIL_EFORMAT, "not an http:// or https:// URL");
	free(cfg);

	/* too many URLs for one feed */
	vigil_sources s2;
	assert_int_equal(db_sources_default(&s2), 0);
	int rc = 0;
	for (int i = 0; i <= VIGIL_SOURCES_MAX_URLS && rc == 0; i++) {
		char l[64];
		snprintf(l, sizeof(l), "osv https://x/%d.zip\n", i);
		if (i == 0)
			rc = db_sources_parse_config(&s2, l, strlen(l), "n.conf");
		else {
			char o[64];
			snprintf(o, sizeof(o), "osv=https://x/%d.zip", i);
			rc = db_sources_override(&s2, o);
		}
	}
	assert_int_equal(rc, VIGIL_ELIMIT);
	db_sources_free(&s2);
}

static void test_nvd_pages(void **state)
{
	th_testdata_or_skip();
	size_t len = 0;
	int64_t start = -1, total = -1, count = -1;
	char *data = th_read_file(th_data_path("feeds/nvd/api2-pages/vunnel-full-page.json"), &len);
	assert_non_null(data);
	assert_int_equal(db_nvd_page_info(data, len, &start, &total, &count), 0);
	assert_true(count > 0);
	assert_true(total >= count);
	assert_true(start >= 0);
	/* cut short: not JSON */
	assert_int_equal(db_nvd_page_info(data, len / 2, &start, &total, &count), VIGIL_EFORMAT);
	free(data);
	const char *bad[] = {
		"{}",
		"{\"startIndex\": \"0\", \"totalResults\": 1, \"vulnerabilities\": []}",
		"{\"startIndex\": 0, \"totalResults\": 1, \"vulnerabilities\": {}}",
		"[1, 2]",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(db_nvd_page_info(bad[i], strlen(bad[i]), &start, &total, &count), VIGIL_EFORMAT);
	const char *huge = "{\"startIndex\": 0, \"totalResults\": 99999999999, \"vulnerabilities\": []}";
	assert_int_equal(db_nvd_page_info(huge, strlen(huge), &start, &total, &count), VIGIL_ELIMIT);
	const char *neg = "{\"startIndex\": -5, \"totalResults\": 3, \"vulnerabilities\": []}";
	assert_int_equal(db_nvd_page_info(neg, strlen(neg), &start, &total, &count), VIGIL_ELIMIT);
	const char *ok = "{\"startIndex\": 2000, \"totalResults\": 2001, \"vulnerabilities\": [{}]}";
	assert_int_equal(db_nvd_page_info(ok, strlen(ok), &start, &total, &count), 0);
	assert_int_equal(start, 2000);
	assert_int_equal(total, 2001);
	assert_int_equal(count, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_bad_config),
		cmocka_unit_test(test_nvd_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
