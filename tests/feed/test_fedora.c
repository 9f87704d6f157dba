/* tests/feed/test_fedora.c: feed_fedora_bodhi() and feed_fedora_sniff() on
 * the 6 real Bodhi update records of the shared test data
 * (feeds/fedora/vunnel-bodhi/merge-input/): every record field by field
 * (id, CVE aliases from the security bugs' titles, deduplicated, the
 * namespace of release F21/F36/F37, the source package and its fixed EVR
 * with epoch, severity and the vendor's word, dates, links), the EPEL
 * updates skipped with one warning naming EPEL-7; then vunnel's normalised
 * output for the same files (snapshots/merge/fedora:N/cve-*.json, a second
 * opinion) checked both ways: every FixedIn of a Fedora release is a
 * (record, CVE alias, package, version) of vigil's and the reverse, with
 * the same severity level. Then an API page written here with the skip
 * rules (not stable, not security, F40C, EPEL-9, no alias, a bad NVR, a
 * bad epoch, a non-security bug's CVE, CVEs from the title), broken
 * documents (every truncation, wrong types) and the sniff: true on the
 * real files and on pages, false on every other file of the shared feeds. */
#define _GNU_SOURCE
#include "helpers.h"
#include "feed_fixture.h"
#include "feed/vendors.h"
#include "util/error.h"

#include <dirent.h>
#include <ftw.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIR_IN "feeds/fedora/vunnel-bodhi/merge-input/"
#define DIR_SNAP "feeds/fedora/vunnel-bodhi/snapshots/merge/"

static int setup(void **state)
{
	return feed_fx_setup(state, "bodhi");
}

static int parse_text(struct feed_fx *f, const char *text)
{
	reset(f);
	return feed_fedora_bodhi(&f->ctx, text, strlen(text));
}

static void parse_file(struct feed_fx *f, const char *name)
{
	char rel[256];
	size_t n;
	snprintf(rel, sizeof(rel), DIR_IN "%s", name);
	char *data = th_read_file(th_data_path(rel), &n);
	if (!data)
		fail_msg("cannot read %s", rel);
	assert_true(feed_fedora_sniff(name, data, n));
	reset(f);
	int rc = feed_fedora_bodhi(&f->ctx, data, n);
	free(data);
	if (rc < 0)
		fail_msg("%s: %s", rel, vigil_error_message());
}

static void check_aliases(const vigil_vuln *v, const char *const *want, size_t n)
{
	if (v->naliases != n)
		fail_msg("%s: %zu aliases, want %zu", v->id, v->naliases, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(v->aliases[i], want[i]);
}

static void check_entry(const vigil_affected *a, const char *ns, const char *pkg, const char *fixed)
{
	assert_string_equal(a->namespace, ns);
	assert_string_equal(a->package, pkg);
	assert_string_equal(a->fixed, fixed);
	assert_int_equal(a->is_source, 1);
	assert_string_equal(a->scheme, "rpm");
	assert_int_equal(a->state, VIGIL_STATE_FIXED);
	assert_null(a->module);
	assert_null(a->arch);
}

static void test_real_records(void **state)
{
	struct feed_fx *f = *state;
	const vigil_vuln *v;

	parse_file(f, "FEDORA-2014-15583.json");
	assert_int_equal(f->n, 1);
	assert_int_equal(f->warnings, 0);
	v = &f->recs[0];
	assert_string_equal(v->id, "FEDORA-2014-15583");
	assert_string_equal(v->source, "fedora");
	/* four security bugs, CVE-2014-9016 twice */
	static const char *const drupal[] = { "CVE-2012-6662", "CVE-2014-9015", "CVE-2014-9016" };
	check_aliases(v, drupal, 3);
	assert_int_equal(v->naffected, 1);
	check_entry(&v->affected[0], "fedora:21", "drupal7", "0:7.34-1.fc21");
	assert_string_equal(v->vendor_severity, "unspecified");
	assert_int_equal(v->severity, VIGIL_SEV_UNKNOWN);
	assert_string_equal(v->summary, "drupal7-7.34-1.fc21"); /* display_name "" -> title */
	assert_string_equal(v->description, "Drupal 7.34 security update");
	assert_string_equal(v->published, "2014-12-06T10:05:03Z"); /* date_stable */
	assert_string_equal(v->modified, "2014-11-22T16:15:51Z");
	assert_int_equal(v->nlinks, 5);
	assert_string_equal(v->links[0], "https://bodhi.fedoraproject.org/updates/FEDORA-2014-15583");
	assert_string_equal(v->links[1], "https://bugzilla.redhat.com/show_bug.cgi?id=1166101");
	assert_true(v->cvss3_score < 0 && v->cvss2_score < 0);

	/* a version "0" and a release "0.24.20140929c.fc21" */
	parse_file(f, "FEDORA-2015-3186.json");
	assert_int_equal(f->n, 1);
	v = &f->recs[0];
	static const char *const doku[] = { "CVE-2012-6662", "CVE-2014-9253", "CVE-2015-2172" };
	check_aliases(v, doku, 3);
	check_entry(&v->affected[0], "fedora:21", "dokuwiki", "0:0-0.24.20140929c.fc21");
	assert_string_equal(v->modified, "2015-03-26T21:44:21Z"); /* date_modified null -> date_stable */

	static const char *const httpd[] = { "CVE-2022-37436", "CVE-2006-20001", "CVE-2022-36760" };
	parse_file(f, "FEDORA-2023-6d4055d482.json");
	assert_int_equal(f->n, 1);
	v = &f->recs[0];
	assert_string_equal(v->id, "FEDORA-2023-6d4055d482");
	check_aliases(v, httpd, 3);
	check_entry(&v->affected[0], "fedora:36", "httpd", "0:2.4.55-1.fc36");
	assert_string_equal(v->vendor_severity, "medium");
	assert_int_equal(v->severity, VIGIL_SEV_MEDIUM);
	assert_string_equal(v->published, "2023-02-03T01:39:02Z");
	parse_file(f, "FEDORA-2023-f6ff3f85eb.json");
	v = &f->recs[0];
	check_aliases(v, httpd, 3);
	check_entry(&v->affected[0], "fedora:37", "httpd", "0:2.4.55-1.fc37");
	assert_string_equal(v->published, "2023-01-28T01:24:53Z");

	/* EPEL-7: no Fedora namespace; one warning per file */
	parse_file(f, "FEDORA-EPEL-2014-4901.json");
	assert_int_equal(f->n, 0);
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "1 updates of releases other than Fedora's (EPEL-7): skipped"));
	parse_file(f, "FEDORA-EPEL-2017-a8886eb42e.json");
	assert_int_equal(f->n, 0);
	assert_int_equal(f->warnings, 1);
}

/* ---- vunnel's snapshots, both ways ---- */

struct triple {
	char ns[32], id[64], cve[32], pkg[64], ver[64], sev[16];
	bool seen;
};

static size_t load_snapshots(struct triple *t, size_t max)
{
	static const char *const rels[] = { "fedora:21", "fedora:36", "fedora:37" };
	size_t n = 0;
	for (size_t r = 0; r < 3; r++) {
		char dir[256];
		snprintf(dir, sizeof(dir), "%s", th_data_path(DIR_SNAP));
		size_t dl = strlen(dir);
		snprintf(dir + dl, sizeof(dir) - dl, "%s", rels[r]);
		DIR *d = opendir(dir);
		assert_non_null(d);
		struct dirent *e;
		while ((e = readdir(d))) {
			char path[512];
			json_error_t je;
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			json_t *root = json_load_file(path, 0, &je);
			assert_non_null(root);
			json_t *vu = json_object_get(json_object_get(root, "item"), "Vulnerability"), *fi;
			size_t i;
			json_array_foreach(json_object_get(vu, "FixedIn"), i, fi) {
				assert_true(n < max);
				struct triple *x = &t[n++];
				memset(x, 0, sizeof(*x));
				snprintf(x->ns, sizeof(x->ns), "%s", json_string_value(json_object_get(fi, "NamespaceName")));
				snprintf(x->cve, sizeof(x->cve), "%s", json_string_value(json_object_get(vu, "Name")));
				snprintf(x->sev, sizeof(x->sev), "%s", json_string_value(json_object_get(vu, "Severity")));
				snprintf(x->pkg, sizeof(x->pkg), "%s", json_string_value(json_object_get(fi, "Name")));
				snprintf(x->ver, sizeof(x->ver), "%s", json_string_value(json_object_get(fi, "Version")));
				json_t *adv = json_array_get(
					json_object_get(json_object_get(fi, "VendorAdvisory"), "AdvisorySummary"), 0);
				snprintf(x->id, sizeof(x->id), "%s", json_string_value(json_object_get(adv, "ID")));
			}
			json_decref(root);
		}
		closedir(d);
	}
	return n;
}

static void test_vunnel_snapshots(void **state)
{
	struct feed_fx *f = *state;
	static const char *const files[] = { "FEDORA-2014-15583.json", "FEDORA-2015-3186.json",
					     "FEDORA-2023-6d4055d482.json", "FEDORA-2023-f6ff3f85eb.json",
					     "FEDORA-EPEL-2014-4901.json", "FEDORA-EPEL-2017-a8886eb42e.json" };
	struct triple t[64];
	size_t nt = load_snapshots(t, 64), mine = 0;
	assert_int_equal(nt, 12); /* 5 + 3 + 3 CVEs, CVE-2012-6662 with two packages */
	for (size_t k = 0; k < 6; k++) {
		parse_file(f, files[k]);
		for (size_t i = 0; i < f->n; i++) {
			const vigil_vuln *v = &f->recs[i];
			for (size_t a = 0; a < v->naliases; a++)
				for (size_t e = 0; e < v->naffected; e++) {
					const vigil_affected *x = &v->affected[e];
					bool found = false;
					mine++;
					for (size_t j = 0; j < nt; j++) {
						if (strcmp(t[j].ns, x->namespace) || strcmp(t[j].id, v->id) ||
						    strcmp(t[j].cve, v->aliases[a]) || strcmp(t[j].pkg, x->package))
							continue;
						assert_string_equal(t[j].ver, x->fixed);
						assert_string_equal(t[j].sev, vigil_severity_name(v->severity));
						t[j].seen = found = true;
					}
					if (!found)
						fail_msg("%s %s %s %s: not in vunnel's snapshots", v->id, v->aliases[a],
							 x->namespace, x->package);
				}
		}
	}
	assert_int_equal(mine, 12);
	for (size_t j = 0; j < nt; j++)
		if (!t[j].seen)
			fail_msg("vunnel %s %s %s %s: not in vigil's records", t[j].ns, t[j].cve, t[j].id, t[j].pkg);
}

/* ---- a page written here ---- */

#define UPD(alias, status, type, rel, bugs, builds, extra)                                              \
	"{\"alias\": " alias ", \"status\": \"" status "\", \"type\": \"" type "\", \"severity\": \"urgent\"," \
	" \"title\": \"t CVE-2099-0001\", \"release\": {\"name\": \"" rel "\"}, \"bugs\": [" bugs "],"      \
	" \"builds\": [" builds "]" extra "}"

static const char page[] =
	"{\"updates\": ["
	/* 0: kept: two builds, an epoch as an integer and as a string, a non-security bug's CVE not taken */
	UPD("\"FEDORA-2024-aaaa000001\"", "stable", "security", "F40",
	    "{\"bug_id\": 1, \"security\": true, \"title\": \"CVE-2024-1111 CVE-2024-22222 foo: x\"},"
	    "{\"bug_id\": 2, \"security\": false, \"title\": \"CVE-2024-3333 foo: not a security bug\"},"
	    "{\"bug_id\": 3, \"security\": true, \"title\": \"XCVE-2024-4444 and CVE-2024-55555x glued\"}",
	    "{\"nvr\": \"foo-1.2-3.fc40\", \"type\": \"rpm\", \"epoch\": 2},"
	    "{\"nvr\": \"foo-data-1.0-1.fc40\", \"type\": \"rpm\", \"epoch\": \"1\"},"
	    "{\"nvr\": \"foo-container-1-1\", \"type\": \"container\"}",
	    ", \"display_name\": \"foo update\", \"notes\": \"n\"") ","
	/* 1-4: skipped quietly and counted */
	UPD("\"FEDORA-2024-aaaa000002\"", "testing", "security", "F40", "", "{\"nvr\": \"a-1-1\"}", "") ","
	UPD("\"FEDORA-2024-aaaa000003\"", "obsolete", "security", "F40", "", "{\"nvr\": \"a-1-1\"}", "") ","
	UPD("\"FEDORA-2024-aaaa000004\"", "stable", "bugfix", "F40", "", "{\"nvr\": \"a-1-1\"}", "") ","
	UPD("\"FEDORA-CONTAINER-2024-1\"", "stable", "security", "F40C", "", "{\"nvr\": \"a-1-1\"}", "") ","
	UPD("\"FEDORA-EPEL-2024-1\"", "stable", "security", "EPEL-9", "", "{\"nvr\": \"a-1-1\"}", "") ","
	/* 6: no alias; 7: a bad NVR and a bad epoch only */
	UPD("null", "stable", "security", "F40", "", "{\"nvr\": \"a-1-1\"}", "") ","
	UPD("\"FEDORA-2024-aaaa000008\"", "stable", "security", "F41", "",
	    "{\"nvr\": \"noversion\"}, {\"nvr\": \"b-1-1\", \"epoch\": \"x\"}", "") ","
	/* 8: no security bug: the CVE of the title; no severity, no dates */
	"{\"alias\": \"FEDORA-2024-aaaa000009\", \"release\": {\"name\": \"F41\"}, \"title\": \"bar-2-1.fc41\","
	" \"display_name\": \"CVE-2024-9999 in bar\", \"builds\": [{\"nvr\": \"bar-2-1.fc41\"}]}"
	"], \"page\": 1, \"pages\": 1, \"rows_per_page\": 100, \"total\": 9}";

static void test_page(void **state)
{
	struct feed_fx *f = *state;
	assert_true(feed_fedora_sniff("page-0001.json", page, strlen(page)));
	if (parse_text(f, page) < 0)
		fail_msg("%s", vigil_error_message());
	assert_int_equal(f->n, 2);
	const vigil_vuln *v = &f->recs[0];
	assert_string_equal(v->id, "FEDORA-2024-aaaa000001");
	static const char *const cves[] = { "CVE-2024-1111", "CVE-2024-22222" };
	check_aliases(v, cves, 2);
	assert_int_equal(v->naffected, 2);
	check_entry(&v->affected[0], "fedora:40", "foo", "2:1.2-3.fc40");
	check_entry(&v->affected[1], "fedora:40", "foo-data", "1:1.0-1.fc40");
	assert_int_equal(v->severity, VIGIL_SEV_CRITICAL);
	assert_string_equal(v->vendor_severity, "urgent");
	assert_string_equal(v->summary, "foo update");
	assert_string_equal(v->links[0], "https://bodhi.fedoraproject.org/updates/FEDORA-2024-aaaa000001");
	assert_int_equal(v->nlinks, 3); /* the update, bugs 1 and 3 */
	v = &f->recs[1];
	assert_string_equal(v->id, "FEDORA-2024-aaaa000009");
	static const char *const title[] = { "CVE-2024-9999" };
	check_aliases(v, title, 1);
	check_entry(&v->affected[0], "fedora:41", "bar", "0:2-1.fc41");
	assert_int_equal(v->severity, VIGIL_SEV_UNKNOWN);
	assert_null(v->vendor_severity);
	assert_null(v->published);
	/* no alias, two bad builds, no build left; then the three counts */
	assert_int_equal(f->warnings, 7);
	assert_non_null(strstr(f->last_warning, "2 updates of releases other than Fedora's (F40C, EPEL-9): skipped"));

	/* an empty page and a JSON array of updates */
	assert_int_equal(parse_text(f, "{\"updates\": [], \"page\": 1, \"pages\": 0, \"rows_per_page\": 100, \"total\": 0}"), 0);
	assert_int_equal(f->n, 0);
	assert_int_equal(f->warnings, 0);
	assert_int_equal(parse_text(f, "[" UPD("\"FEDORA-2024-1\"", "stable", "security", "F39", "",
					       "{\"nvr\": \"z-1-1.fc39\"}", "") "]"), 0);
	assert_int_equal(f->n, 1);
	check_entry(&f->recs[0].affected[0], "fedora:39", "z", "0:1-1.fc39");
}

static void expect_error(struct feed_fx *f, const char *text, int code, const char *needle)
{
	int rc = parse_text(f, text);
	if (rc != code || !strstr(vigil_error_message(), needle))
		fail_msg("%s: rc %d (expected %d), message \"%s\" (expected \"%s\")", text, rc, code,
			 vigil_error_message(), needle);
}

static void test_bad_input(void **state)
{
	struct feed_fx *f = *state;
	char *buf = malloc(sizeof(page));
	for (size_t n = 0; n < sizeof(page) - 1; n++) {
		memcpy(buf, page, n);
		buf[n] = '\0';
		assert_true(parse_text(f, buf) < 0);
	}
	free(buf);
	expect_error(f, "", VIGIL_EFORMAT, "JSON: line");
	expect_error(f, "\"x\"", VIGIL_EFORMAT, "JSON: line 1");
	expect_error(f, "{\"a\": 1}", VIGIL_EFORMAT, "not a Bodhi update");
	expect_error(f, "{\"updates\": {}}", VIGIL_EFORMAT, "updates: not an array");
	expect_error(f, "{\"updates\": [1]}", VIGIL_EFORMAT, "updates[0]: not an object");
	expect_error(f, "{\"updates\": [{\"alias\": \"FEDORA-1\", \"release\": {\"name\": \"F40\"}, \"builds\": {}}]}",
		     VIGIL_EFORMAT, "updates[0].builds: not an array");
	expect_error(f, "{\"updates\": [{\"alias\": \"FEDORA-1\", \"release\": {\"name\": \"F40\"}, \"builds\": [{}]}]}",
		     VIGIL_EFORMAT, "updates[0].builds[0].nvr: missing");
	expect_error(f, "{\"alias\": \"FEDORA-1\", \"release\": {\"name\": \"F40\"}, \"builds\": [{\"nvr\": \"a-1-1\"}],"
			" \"bugs\": [{\"security\": \"yes\"}]}",
		     VIGIL_EFORMAT, "(update).bugs[0].security: not a boolean");
	expect_error(f, "{\"alias\": 7}", VIGIL_EFORMAT, "(update).alias: not a string");
	expect_error(f, "{\"alias\": \"FEDORA-1\", \"release\": \"F40\"}", VIGIL_EFORMAT, "(update).release: not an object");
	expect_error(f, "{\"alias\": \"FEDORA-1\", \"alias\": \"FEDORA-2\"}", VIGIL_EFORMAT, "JSON: line");
}

/* ---- sniffing ---- */

static size_t sniffed_other;

static int sniff_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)ftw;
	if (type != FTW_F || strstr(path, "/feeds/fedora/"))
		return 0;
	static char buf[65536];
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return 0;
	size_t n = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	size_t k = 0;
	while (k < n && (buf[k] == ' ' || buf[k] == '\n' || buf[k] == '\t' || buf[k] == '\r'))
		k++;
	const char *base = strrchr(path, '/') + 1;
	if (feed_fedora_sniff(base, buf + k, n - k))
		fail_msg("%s: taken for a Bodhi document", path);
	sniffed_other++;
	return 0;
}

static void test_sniff(void **state)
{
	(void)state;
	static const char osv[] = "{\"id\": \"GHSA-x\", \"aliases\": [\"CVE-1\"], \"references\": [{\"url\":"
				  " \"https://lists.fedoraproject.org/FEDORA-2023-1\"}], \"updates\": []}";
	static const char single[] = "{\"alias\":\"FEDORA-2023-1\",\"builds\":[]}";
	assert_false(feed_fedora_sniff("x.json", osv, strlen(osv)));
	assert_true(feed_fedora_sniff("x.json", single, strlen(single)));
	assert_false(feed_fedora_sniff("x.json", single, 10));
	assert_false(feed_fedora_sniff("x.json", "", 0));
	assert_true(feed_fedora_sniff("x", "{\"updates\" : [], \"rows_per_page\": 1}", 36));
	sniffed_other = 0;
	assert_int_equal(nftw(th_data_path("feeds"), sniff_one, 16, FTW_PHYS), 0);
	assert_true(sniffed_other > 1000);
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_real_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vunnel_snapshots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sniff, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
