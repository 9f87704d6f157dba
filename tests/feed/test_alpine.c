/* tests/feed/test_alpine.c: feed_alpine_json() and _yaml() on the 18
 * real secdb files (v3.3 to v3.11, main and community) of the shared test
 * data: record counts per file, the same records in the same order from the
 * JSON and the YAML of every file, specific records field by field
 * (fixed, not-affected "0", the cleaned ids: "CVE-... XSA-...", notes,
 * "CVE_2019-2426", "CVE 2018-16859", "CVE-2017-17434-1", XSA-only), and bad
 * input: truncated and garbage documents, wrong types, YAML aliases, depth
 * and scalar limits, an unknown release, an entry without an id.
 *
 * The expected counts were worked out independently with python3 over the
 * JSON files (the id rules of docs/feeds-alpine-osv-nvd.md: split an entry
 * on spaces, stop at "(", CVE[-_]YYYY[-_]N{4,} is a CVE, other
 * "ABC-123"-like tokens are advisory ids): 12031 records, 5 not-affected. */
#include "helpers.h"
#include "feed_fixture.h"
#include "feed/feed.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
	return feed_fx_setup(state, "secdb");
}

static int parse_file(struct feed_fx *f, const char *rel, bool yaml)
{
	size_t n;
	char *data = th_read_file(th_data_path(rel), &n);
	if (!data)
		fail_msg("cannot read %s", rel);
	reset(f);
	int rc = yaml ? feed_alpine_yaml(&f->ctx, data, n) : feed_alpine_json(&f->ctx, data, n);
	free(data);
	if (rc < 0)
		fail_msg("%s: %s", rel, vigil_error_message());
	return rc;
}

static int parse_text(struct feed_fx *f, const char *text, bool yaml)
{
	reset(f);
	return yaml ? feed_alpine_yaml(&f->ctx, text, strlen(text))
		    : feed_alpine_json(&f->ctx, text, strlen(text));
}

static const struct {
	const char *rel;
	size_t records;
} files[] = {
	{ "v3.3/main", 461 }, { "v3.3/community", 0 }, { "v3.4/main", 672 }, { "v3.4/community", 14 },
	{ "v3.5/main", 826 }, { "v3.5/community", 102 }, { "v3.6/main", 898 }, { "v3.6/community", 219 },
	{ "v3.7/main", 1081 }, { "v3.7/community", 411 }, { "v3.8/main", 1139 }, { "v3.8/community", 485 },
	{ "v3.9/main", 1121 }, { "v3.9/community", 601 }, { "v3.10/main", 1182 }, { "v3.10/community", 720 },
	{ "v3.11/main", 1204 }, { "v3.11/community", 895 },
};

static void path_of(char *buf, size_t n, const char *rel, bool yaml)
{
	snprintf(buf, n, "feeds/alpine/secdb-%s/%s.%s", yaml ? "yaml" : "json", rel, yaml ? "yaml" : "json");
}

static void test_counts(void **state)
{
	struct feed_fx *f = *state;
	size_t total = 0, not_affected = 0;
	char p[256];
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		path_of(p, sizeof(p), files[i].rel, false);
		parse_file(f, p, false);
		if (f->n != files[i].records)
			fail_msg("%s: %zu records, expected %zu", p, f->n, files[i].records);
		assert_int_equal(f->warnings, 0);
		char ns[32];
		snprintf(ns, sizeof(ns), "alpine:%.*s", (int)(strchr(files[i].rel, '/') - files[i].rel - 1),
			 files[i].rel + 1);
		for (size_t k = 0; k < f->n; k++) {
			const vigil_vuln *v = &f->recs[k];
			assert_string_equal(v->source, "alpine");
			assert_int_equal(v->naffected, 1);
			assert_string_equal(v->affected[0].namespace, ns);
			assert_int_equal(v->affected[0].is_source, 1);
			assert_string_equal(v->affected[0].scheme, "apk");
			assert_int_equal(v->severity, VIGIL_SEV_UNKNOWN);
			assert_true(v->cvss3_score < 0 && v->cvss2_score < 0);
			if (v->affected[0].state == VIGIL_STATE_NOT_AFFECTED) {
				assert_null(v->affected[0].fixed);
				not_affected++;
			} else {
				assert_int_equal(v->affected[0].state, VIGIL_STATE_FIXED);
				assert_non_null(v->affected[0].fixed);
			}
		}
		total += f->n;
	}
	assert_int_equal(total, 12031);
	assert_int_equal(not_affected, 5);
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void test_yaml_equals_json(void **state)
{
	struct feed_fx *f = *state;
	char p[256];
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		path_of(p, sizeof(p), files[i].rel, false);
		parse_file(f, p, false);
		size_t n = f->n;
		vigil_vuln *json = malloc((n + 1) * sizeof(*json));
		memcpy(json, f->recs, n * sizeof(*json));
		path_of(p, sizeof(p), files[i].rel, true);
		parse_file(f, p, true);
		assert_int_equal(f->warnings, 0);
		if (f->n != n)
			fail_msg("%s: %zu YAML records, %zu JSON", p, f->n, n);
		for (size_t k = 0; k < n; k++) {
			const vigil_vuln *a = &json[k], *b = &f->recs[k];
			const vigil_affected *x = &a->affected[0], *y = &b->affected[0];
			if (!same_str(a->id, b->id) || !same_str(x->package, y->package) ||
			    !same_str(x->fixed, y->fixed) || x->state != y->state ||
			    !same_str(x->namespace, y->namespace) || a->naliases != b->naliases)
				fail_msg("%s: record %zu differs: %s %s %s / %s %s %s", p, k, a->id, x->package,
					 x->fixed, b->id, y->package, y->fixed);
			for (size_t j = 0; j < a->naliases; j++)
				assert_string_equal(a->aliases[j], b->aliases[j]);
		}
		free(json);
	}
}

/* The record of id for package pkg fixed in fixed ("0": not affected). */
static const vigil_vuln *find(struct feed_fx *f, const char *id, const char *pkg, const char *fixed)
{
	for (size_t i = 0; i < f->n; i++) {
		const vigil_affected *a = &f->recs[i].affected[0];
		if (!strcmp(f->recs[i].id, id) && !strcmp(a->package, pkg) &&
		    (a->fixed ? !strcmp(a->fixed, fixed) : !strcmp(fixed, "0")))
			return &f->recs[i];
	}
	fail_msg("no record %s %s %s", id, pkg, fixed);
	return NULL;
}

static void check(const vigil_vuln *v, const char *ns, vigil_vuln_state state, size_t naliases)
{
	assert_string_equal(v->source, "alpine");
	assert_string_equal(v->affected[0].namespace, ns);
	assert_int_equal(v->affected[0].is_source, 1);
	assert_string_equal(v->affected[0].scheme, "apk");
	assert_int_equal(v->affected[0].state, state);
	assert_int_equal(v->affected[0].nranges, 0);
	assert_int_equal(v->naliases, naliases);
	assert_null(v->description);
}

static void test_records(void **state)
{
	struct feed_fx *f = *state;
	const vigil_vuln *v;
	for (int yaml = 0; yaml <= 1; yaml++) {
		parse_file(f, yaml ? "feeds/alpine/secdb-yaml/v3.11/main.yaml" : "feeds/alpine/secdb-json/v3.11/main.json", yaml);
		assert_int_equal(f->n, 1204);
		/* the first record of the file */
		v = &f->recs[0];
		assert_string_equal(v->id, "CVE-2019-14904");
		assert_string_equal(v->affected[0].package, "ansible");
		assert_string_equal(v->affected[0].fixed, "2.9.3-r0");
		check(v, "alpine:3.11", VIGIL_STATE_FIXED, 0);
		v = find(f, "CVE-2016-6258", "xen", "4.7.0-r0"); /* "CVE-2016-6258 XSA-182" */
		check(v, "alpine:3.11", VIGIL_STATE_FIXED, 1);
		assert_string_equal(v->aliases[0], "XSA-182");
		v = find(f, "XSA-207", "xen", "4.7.1-r5");
		check(v, "alpine:3.11", VIGIL_STATE_FIXED, 0);
		v = find(f, "CVE-2018-14468", "tcpdump", "4.9.3-r0"); /* "(FrameRelay)" dropped */
		check(v, "alpine:3.11", VIGIL_STATE_FIXED, 0);
		v = find(f, "CVE-2018-3646", "xen", "4.11.1-r0");
		assert_string_equal(v->aliases[0], "XSA-273");
		find(f, "CVE-2017-17434", "rsync", "3.1.2-r7"); /* "CVE-2017-17434-1" */
	}
	parse_file(f, "feeds/alpine/secdb-yaml/v3.8/main.yaml", true);
	v = find(f, "CVE-2016-0682", "db", "0");
	check(v, "alpine:3.8", VIGIL_STATE_NOT_AFFECTED, 0);
	assert_null(v->affected[0].fixed);
	/* "7.53.0": a version without -rN is kept as written */
	v = find(f, "CVE-2017-2629", "curl", "7.53.0");
	check(v, "alpine:3.8", VIGIL_STATE_FIXED, 0);

	parse_file(f, "feeds/alpine/secdb-json/v3.9/main.json", false);
	check(find(f, "CVE-2018-16859", "ansible", "2.7.3-r0"), "alpine:3.9", VIGIL_STATE_FIXED, 0);
	parse_file(f, "feeds/alpine/secdb-json/v3.10/community.json", false);
	check(find(f, "CVE-2019-2426", "openjdk8", "8.201.08-r0"), "alpine:3.10", VIGIL_STATE_FIXED, 0);
	parse_file(f, "feeds/alpine/secdb-json/v3.5/main.json", false);
	check(find(f, "wnpa-sec-2017-18", "wireshark", "2.2.6-r0"), "alpine:3.5", VIGIL_STATE_FIXED, 0);
	/* "CVE-2017-5753 CVE-2017-5715 CVE-2017-5754 XSA-254 XPTI": three records */
	parse_file(f, "feeds/alpine/secdb-yaml/v3.7/main.yaml", true);
	const char *spectre[] = { "CVE-2017-5753", "CVE-2017-5715", "CVE-2017-5754" };
	for (int i = 0; i < 3; i++) {
		v = find(f, spectre[i], "xen", "4.9.1-r3");
		check(v, "alpine:3.7", VIGIL_STATE_FIXED, 1);
		assert_string_equal(v->aliases[0], "XSA-254");
	}
}

static const char doc_json[] =
	"{\"distroversion\": \"v3.12\", \"reponame\": \"main\", \"packages\": [{\"pkg\": {\"name\": \"zlib\","
	" \"secfixes\": {\"1.2.11-r4\": [\"CVE-2018-25032\"], \"0\": [\"CVE-2022-0001 (note)\"]}}}]}";
static const char doc_yaml[] =
	"---\ndistroversion: v3.12\nreponame: main\npackages:\n  - pkg:\n      name: zlib\n"
	"      secfixes:\n        1.2.11-r4:\n          - CVE-2018-25032\n        \"0\":\n"
	"          - CVE-2022-0001 (note)\n";

static void test_small(void **state)
{
	struct feed_fx *f = *state;
	for (int yaml = 0; yaml <= 1; yaml++) {
		assert_int_equal(parse_text(f, yaml ? doc_yaml : doc_json, yaml), 0);
		assert_int_equal(f->n, 2);
		assert_string_equal(f->recs[0].id, "CVE-2018-25032");
		assert_string_equal(f->recs[0].affected[0].fixed, "1.2.11-r4");
		assert_string_equal(f->recs[0].affected[0].namespace, "alpine:3.12");
		assert_string_equal(f->recs[1].id, "CVE-2022-0001");
		assert_int_equal(f->recs[1].affected[0].state, VIGIL_STATE_NOT_AFFECTED);
	}
}

static void expect_error(struct feed_fx *f, const char *text, bool yaml, int code, const char *needle)
{
	int rc = parse_text(f, text, yaml);
	if (rc != code || !strstr(vigil_error_message(), needle))
		fail_msg("%s: rc %d (expected %d), message \"%s\" (expected \"%s\")", text, rc, code,
			 vigil_error_message(), needle);
}

static void test_bad_input(void **state)
{
	struct feed_fx *f = *state;
	char buf[sizeof(doc_json) + sizeof(doc_yaml)];
	/* truncated: every prefix fails cleanly or parses */
	for (size_t n = 0; n < sizeof(doc_json) - 1; n++) {
		memcpy(buf, doc_json, n);
		buf[n] = '\0';
		assert_true(parse_text(f, buf, false) < 0);
	}
	for (size_t n = 0; n < sizeof(doc_yaml) - 1; n++) {
		memcpy(buf, doc_yaml, n);
		buf[n] = '\0';
		parse_text(f, buf, true); /* a YAML prefix may be a valid document */
	}
	expect_error(f, "{\"distroversion\": \"v3.12\", \"packages\": [", false, VIGIL_EFORMAT, "line 1");
	expect_error(f, "\x01\x02garbage", false, VIGIL_EFORMAT, "bad JSON");
	expect_error(f, "a: [b\n", true, VIGIL_EFORMAT, "line ");
	expect_error(f, "- just\n- a list\n", true, VIGIL_EFORMAT, "not a mapping");
	expect_error(f, "{\"packages\": []}", false, VIGIL_EFORMAT, "distroversion");
	expect_error(f, "{\"distroversion\": 3.12}", false, VIGIL_EFORMAT, "distroversion: a number");
	expect_error(f, "{\"distroversion\": \"v3.12\", \"packages\": [{\"pkg\": {\"name\": \"a\", \"secfixes\": {\"1-r0\": [true]}}}]}",
		     false, VIGIL_EFORMAT, "packages[0].pkg.secfixes.1-r0[0]: a number or boolean");
	expect_error(f, "{\"distroversion\": \"v3.12\", \"packages\": {}}", false, VIGIL_EFORMAT, "packages: not a list");
	expect_error(f, "{\"distroversion\": \"v3.12\", \"packages\": [{\"pkg\": {\"secfixes\": {}}}]}", false,
		     VIGIL_EFORMAT, "packages[0].pkg: name");
	expect_error(f, "distroversion: v3.12\npackages:\n  - pkg:\n      name: a\n      secfixes:\n        1-r0: x\n",
		     true, VIGIL_EFORMAT, "line 6");
	expect_error(f, "distroversion: v3.12\npackages:\n  - pkg:\n      name: a\n      secfixes:\n        1-r0:\n          - [x]\n",
		     true, VIGIL_EFORMAT, "not a string");
	expect_error(f, "a: &x b\nc: *x\n", true, VIGIL_EUNSUPPORTED, "aliases");
	expect_error(f, "a: 1\n---\nb: 2\n", true, VIGIL_EFORMAT, "second document");
	expect_error(f, "? [a]\n: b\n", true, VIGIL_EFORMAT, "key");
	expect_error(f, "", true, VIGIL_EFORMAT, "empty");
	expect_error(f, "{\"a\": 1, \"a\": 2}", false, VIGIL_EFORMAT, "duplicate");
	/* limits: depth, scalar size */
	char deep[201];
	memset(deep, '[', 100);
	deep[100] = '\0';
	expect_error(f, deep, true, VIGIL_ELIMIT, "deeper");
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	deep[200] = '\0';
	expect_error(f, deep, false, VIGIL_ELIMIT, "deeper");
	char *big = malloc(10000);
	memcpy(big, "{\"distroversion\": \"", 19);
	memset(big + 19, 'v', 9000);
	memcpy(big + 9019, "\"}", 3);
	expect_error(f, big, false, VIGIL_ELIMIT, "distroversion: scalar of 9000 bytes (limit 4096)");
	free(big);
	/* skipped with a warning: an unknown release, an entry without an id, a bad version */
	assert_int_equal(parse_text(f, "distroversion: edge\npackages:\n", true), 0);
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "edge"));
	assert_int_equal(parse_text(f, "distroversion: v3.12\npackages:\n  - pkg:\n      name: a\n"
				    "      secfixes:\n        1-r0:\n          - CVE-?\?\?\?-?\?\?\?\?\n"
				    "          - CVE-2020-1234\n        bad version:\n          - CVE-2020-1\n", true), 0);
	assert_int_equal(f->n, 1);
	assert_int_equal(f->warnings, 2);
	/* "CVE 2018-..." joins into a CVE id or into nothing (found by libFuzzer) */
	assert_int_equal(parse_text(f, "distroversion: v3.12\npackages:\n  - pkg:\n      name: a\n"
				    "      secfixes:\n        1-r0:\n          - CVE 2x XSA-9\n"
				    "          - CVE 2018-CVE-2018-14468\n          - CVE\n", true), 0);
	assert_int_equal(f->n, 1);
	assert_string_equal(f->recs[0].id, "XSA-9");
	assert_int_equal(f->warnings, 2);
	/* empty and null values are empty lists */
	assert_int_equal(parse_text(f, "{\"distroversion\": \"v3.3\", \"packages\": \"\"}", false), 0);
	assert_int_equal(parse_text(f, "{\"distroversion\": \"v3.3\", \"packages\": [{\"pkg\": {\"name\": \"a\", "
				    "\"secfixes\": {\"1-r0\": \"\"}}}]}", false), 0);
	assert_int_equal(f->n, 0);
	assert_int_equal(f->warnings, 0);
}

static int stop_emit(void *ud, const vigil_vuln *v)
{
	(void)ud;
	(void)v;
	return vigil_error_set(VIGIL_ECANCELED, "stop");
}

static void test_emit_stops(void **state)
{
	struct feed_fx *f = *state;
	f->ctx.emit = stop_emit;
	assert_int_equal(parse_text(f, doc_yaml, true), VIGIL_ECANCELED);
	assert_int_equal(parse_text(f, doc_json, false), VIGIL_ECANCELED);
	f->ctx.emit = feed_fx_emit;
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_yaml_equals_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_small, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_emit_stops, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
