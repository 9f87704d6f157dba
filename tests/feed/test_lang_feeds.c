/* tests/feed/test_lang_feeds.c: the language advisory formats on real
 * files of ../shared/testdata/feeds (RubySec, FriendsOfPHP, the Node.js
 * security WG, OSV written as YAML by PyPA, GHSA's {"vulns": [...]}
 * slice, Go vulndb's symbols) and on small hand-written documents for the
 * edges (pessimistic and overlapping requirements, npm partial versions,
 * PEP 503 names); and `vigil db import` of a folder holding one broken
 * advisory: that file is a warning naming it, the others are imported. */
#include "helpers.h"
#include "feed_fixture.h"
#include "util/error.h"
#include "vigil/vigil.h"

#include <string.h>

static int setup(void **state)
{
	return feed_fx_setup(state, "x/vendor/name/2015-11-05.yaml");
}

typedef int (*parser)(vigil_feed_ctx *, const char *, size_t);

static void parse_file(struct feed_fx *f, parser p, const char *rel)
{
	size_t n;
	char *data = th_read_file(th_data_path(rel), &n);
	reset(f);
	if (!data)
		fail_msg("cannot read %s", rel);
	f->ctx.file = rel;
	int rc = p(&f->ctx, data, n);
	free(data);
	if (rc < 0)
		fail_msg("%s: %s", rel, vigil_error_message());
}

static int parse_text(struct feed_fx *f, parser p, const char *text)
{
	reset(f);
	return p(&f->ctx, text, strlen(text));
}

/* "introduced=2.1.0 fixed=2.1.3" for range r of the first affected entry. */
static const char *events(const vigil_vuln *v, size_t r)
{
	static char buf[1024];
	static const char *const names[] = { "introduced", "fixed", "last_affected", "limit" };
	size_t off = 0;
	const vigil_range *rg = &v->affected[0].ranges[r];
	buf[0] = '\0';
	for (size_t i = 0; i < rg->nevents; i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s=%s", i ? " " : "",
					names[rg->events[i].kind], rg->events[i].version);
	return buf;
}

static void test_rubysec_real(void **state)
{
	struct feed_fx *f = *state;
	th_testdata_or_skip();
	parse_file(f, feed_rubysec, "feeds/rubysec/ruby-advisory-db/gems/actionpack/CVE-2008-7248.yml");
	assert_int_equal(f->n, 1);
	const vigil_vuln *v = &f->recs[0];
	assert_string_equal(v->id, "CVE-2008-7248");
	assert_string_equal(v->source, "rubysec");
	assert_int_equal(v->naliases, 1);
	assert_string_equal(v->aliases[0], "GHSA-8fqx-7pv4-3jwm");
	assert_int_equal(v->severity, VIGIL_SEV_MEDIUM); /* cvss_v2 6.8 */
	assert_string_equal(v->affected[0].namespace, "osv:RubyGems");
	assert_string_equal(v->affected[0].package, "actionpack");
	assert_string_equal(v->affected[0].scheme, "rubygems");
	/* unaffected "< 2.1.0"; patched "~> 2.1.3" (>= 2.1.3, < 2.2), ">= 2.2.2" */
	assert_string_equal(events(v, 0), "introduced=2.1.0 fixed=2.1.3 introduced=2.2 fixed=2.2.2");
	assert_int_equal(v->affected[0].state, VIGIL_STATE_AFFECTED);
	/* an interpreter's advisory names no gem: nothing, and no error */
	parse_file(f, feed_rubysec, "feeds/rubysec/ruby-advisory-db/rubies/jruby/CVE-2010-1330.yml");
	assert_int_equal(f->n, 0);
}

static void test_rubysec_requirements(void **state)
{
	struct feed_fx *f = *state;
	/* overlapping safe sets merge; compound requirements intersect */
	assert_int_equal(parse_text(f, feed_rubysec, "---\ngem: g\nghsa: aaaa-bbbb-cccc\nosvdb: 1\n"
				    "unaffected_versions:\n  - \"< 4.0\"\npatched_versions:\n  - \"~> 3.2.22\"\n"
				    "  - \"~> 7.0.8, >= 7.0.8.5\"\n  - \">= 7.1\"\n"), 0);
	assert_int_equal(f->n, 1);
	assert_string_equal(f->recs[0].id, "GHSA-aaaa-bbbb-cccc");
	assert_string_equal(f->recs[0].aliases[0], "OSVDB-1");
	assert_string_equal(events(&f->recs[0], 0), "introduced=4.0 fixed=7.0.8.5");
	assert_int_equal(f->recs[0].affected[0].state, VIGIL_STATE_FIXED);
	assert_string_equal(f->recs[0].affected[0].fixed, "7.0.8.5");
	/* nothing patched: every version, not fixed */
	assert_int_equal(parse_text(f, feed_rubysec, "gem: g\ncve: 2020-1\n"), 0);
	assert_string_equal(f->recs[0].id, "CVE-2020-1");
	assert_string_equal(events(&f->recs[0], 0), "introduced=0");
	assert_int_equal(f->recs[0].affected[0].state, VIGIL_STATE_NOT_FIXED);
	/* a requirement vigil cannot read is a warning, the record stays */
	assert_int_equal(parse_text(f, feed_rubysec, "gem: g\ncve: 2020-2\npatched_versions: [\"!= 1.0\", \">= 2\"]\n"), 0);
	assert_int_equal(f->warnings, 1);
	assert_string_equal(events(&f->recs[0], 0), "introduced=0 fixed=2");
	/* broken: errors naming the line or the field */
	assert_int_equal(parse_text(f, feed_rubysec, "gem: g\ncve: [\n"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "line"));
	assert_int_equal(parse_text(f, feed_rubysec, "gem: g\n"), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, feed_rubysec, "a: &x 1\nb: *x\n"), VIGIL_EUNSUPPORTED);
}

static void test_friendsofphp(void **state)
{
	struct feed_fx *f = *state;
	th_testdata_or_skip();
	parse_file(f, feed_friendsofphp, "feeds/php/friendsofphp-advisories/cakephp/cakephp/2015-11-05.yaml");
	assert_int_equal(f->n, 1);
	const vigil_vuln *v = &f->recs[0];
	assert_string_equal(v->id, "FOP-cakephp/cakephp/2015-11-05");
	assert_string_equal(v->affected[0].namespace, "osv:Packagist");
	assert_string_equal(v->affected[0].scheme, "composer");
	assert_int_equal(v->affected[0].nranges, 10);
	assert_string_equal(events(v, 0), "introduced=2.0.0 fixed=2.0.99");
	assert_string_equal(events(v, 9), "introduced=3.1.0 fixed=3.1.4");
	/* a cve, a quoted reference (lower-cased), "<=" and one-sided branches */
	assert_int_equal(parse_text(f, feed_friendsofphp,
				    "title: t\nlink: https://x\ncve: CVE-2021-1\nbranches:\n  '1.x':\n"
				    "    versions: ['>=1.0.0', '<=1.7.2']\n  2.x:\n    versions: [<2.0.4]\n"
				    "reference: 'composer://Vendor/Pkg'\n"), 0);
	v = &f->recs[0];
	assert_string_equal(v->id, "CVE-2021-1");
	assert_string_equal(v->affected[0].package, "vendor/pkg");
	assert_string_equal(events(v, 0), "introduced=1.0.0 last_affected=1.7.2");
	assert_string_equal(events(v, 1), "introduced=0 fixed=2.0.4");
	assert_int_equal(parse_text(f, feed_friendsofphp, "reference: npm://x\nbranches: {}\n"), VIGIL_EFORMAT);
}

static void test_npm_wg(void **state)
{
	struct feed_fx *f = *state;
	th_testdata_or_skip();
	parse_file(f, feed_npm_wg, "feeds/npm/nodejs-security-wg/vuln/npm/8.json");
	const vigil_vuln *v = &f->recs[0];
	assert_string_equal(v->id, "NSWG-ECO-8");
	assert_string_equal(v->affected[0].namespace, "osv:npm");
	assert_string_equal(v->affected[0].package, "express");
	/* "<3.11 || >= 4 <4.5": partial versions as node-semver reads them */
	assert_int_equal(v->affected[0].nranges, 2);
	assert_string_equal(events(v, 0), "introduced=0 fixed=3.11.0");
	assert_string_equal(events(v, 1), "introduced=4.0.0 fixed=4.5.0");
	parse_file(f, feed_npm_wg, "feeds/npm/nodejs-security-wg/vuln/npm/1.json");
	v = &f->recs[0];
	assert_string_equal(v->aliases[0], "CVE-2014-7205");
	assert_non_null(v->cvss3_vector);
	assert_true(v->cvss3_score > 6.4 && v->cvss3_score < 6.6);
	assert_int_equal(v->severity, VIGIL_SEV_MEDIUM);
	/* "<=1.5.1" with patched ">=1.5.2": fixed 1.5.2 */
	assert_string_equal(events(v, 0), "introduced=0 fixed=1.5.2");
	static const struct {
		const char *spec, *want;
	} cases[] = {
		{ "^0.2.3", "introduced=0.2.3 fixed=0.3.0" }, { "~1.2.3", "introduced=1.2.3 fixed=1.3.0" },
		{ "1.2.x", "introduced=1.2.0 fixed=1.3.0" }, { "*", "introduced=0" },
		{ "<=1.2", "introduced=0 fixed=1.3.0" }, { ">= 1.0.0 <= 1.4.2", "introduced=1.0.0 last_affected=1.4.2" },
		{ "=1.0.0-rc.1", "introduced=1.0.0-rc.1" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char doc[256];
		snprintf(doc, sizeof(doc), "{\"id\": 5, \"module_name\": \"m\", \"vulnerable_versions\": \"%s\"}",
			 cases[i].spec);
		assert_int_equal(parse_text(f, feed_npm_wg, doc), 0);
		assert_string_equal(events(&f->recs[0], 0), cases[i].want);
	}
}

static void test_osv_yaml_and_names(void **state)
{
	struct feed_fx *f = *state;
	th_testdata_or_skip();
	parse_file(f, feed_osv_yaml, "feeds/osv/pypa-advisory-db/vulns/requests/PYSEC-2023-74.yaml");
	const vigil_vuln *v = &f->recs[0];
	assert_string_equal(v->id, "PYSEC-2023-74");
	assert_int_equal(v->naliases, 2);
	assert_string_equal(v->affected[0].namespace, "osv:PyPI");
	assert_int_equal(v->affected[0].nranges, 3); /* GIT, ECOSYSTEM, the versions list */
	assert_string_equal(events(v, 1), "introduced=2.3.0 fixed=2.31.0");
	/* PEP 503 names, Packagist and NuGet lower case; versions stay strings */
	assert_int_equal(parse_text(f, feed_osv_yaml,
				    "id: X-1\naffected:\n- package: {ecosystem: PyPI, name: Foo_Bar..baz}\n"
				    "  versions: [1.10, 2.0]\n- package: {ecosystem: NuGet, name: Newtonsoft.Json}\n"
				    "- package: {ecosystem: npm, name: \"@Scope/X\"}\n"), 0);
	v = &f->recs[0];
	assert_string_equal(v->affected[0].package, "foo-bar-baz");
	assert_string_equal(v->affected[0].ranges[0].events[0].version, "1.10");
	assert_string_equal(v->affected[1].package, "newtonsoft.json");
	assert_string_equal(v->affected[2].package, "@Scope/X");
}

static void test_ghsa_slice_and_go_symbols(void **state)
{
	struct feed_fx *f = *state;
	th_testdata_or_skip();
	parse_file(f, feed_osv, "feeds/osv/ghsa-maven-slice/zeppelin-server_vulnerabilities.json");
	assert_int_equal(f->n, 356);
	bool word = false;
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->recs[i].id, "GHSA-288c-cq4h-88gq")) {
			assert_string_equal(f->recs[i].aliases[0], "CVE-2020-25649");
			assert_non_null(f->recs[i].vendor_severity); /* database_specific.severity */
			word = true;
		}
	assert_true(word);
	parse_file(f, feed_osv, "feeds/osv/go-vulndb/osv/GO-2021-0238.json");
	assert_string_equal(f->recs[0].affected[0].scheme, "go");
	assert_string_equal(f->recs[0].affected[0].symbols,
			    "golang.org/x/net/html.Parse\ngolang.org/x/net/html.ParseFragment\n"
			    "golang.org/x/net/html.ParseFragmentWithOptions\ngolang.org/x/net/html.ParseWithOptions\n"
			    "golang.org/x/net/html.inHeadIM");
}

/* One broken advisory among good ones: imported, with a warning naming it. */
static int warned;
static char warning[2048];
static void on_warn(void *ud, const char *msg)
{
	(void)ud;
	if (strstr(msg, "broken.yml")) {
		warned++;
		snprintf(warning, sizeof(warning), "%s", msg);
	}
}

static void test_import_broken_file(void **state)
{
	char dir[64], cmd[1024], path[256];
	vigil_store *s;
	vigil_db_import_result *res = NULL;
	vigil_db_import_options opt = { .warn = on_warn };
	size_t n = 0;
	(void)state;
	th_testdata_or_skip();
	assert_int_equal(th_temp_store("langfeeds", dir, &s), 0);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/in/gems/g && cp %s %s/in/gems/g/ && "
		 "printf 'gem: g\\ncve: [\\n' > %s/in/gems/g/broken.yml", dir,
		 th_data_path("feeds/rubysec/ruby-advisory-db/gems/actionpack/CVE-2008-7248.yml"), dir, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/in", dir);
	const char *p = path;
	assert_int_equal(vigil_db_import(s, &p, 1, &opt, &res, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(res[0].feed, "rubysec");
	assert_false(res[0].failed);
	assert_int_equal(res[0].files, 2);
	assert_int_equal(warned, 1);
	assert_non_null(strstr(warning, "line"));
	free(res);
	assert_int_equal(th_temp_store_free(dir, s), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rubysec_real),
		cmocka_unit_test(test_rubysec_requirements),
		cmocka_unit_test(test_friendsofphp),
		cmocka_unit_test(test_npm_wg),
		cmocka_unit_test(test_osv_yaml_and_names),
		cmocka_unit_test(test_ghsa_slice_and_go_symbols),
		cmocka_unit_test(test_import_broken_file),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
