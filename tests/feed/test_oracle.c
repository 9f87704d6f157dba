/* tests/feed/test_oracle.c: the Oracle Linux ELSA OVAL parser
 * (feed/oracle_oval.c) on the real files of feeds/oracle/: the five files
 * of vuln-list-update's testdata (the broken one refused with its line),
 * vunnel's three fixtures (per-architecture criteria, a ksplice errata),
 * vunnel's snapshots as a second opinion, and small documents of our own
 * for the rules the samples do not show (tests and states winning over
 * comments, module streams, the platform fallback, bad entries, limits).
 *
 * The counts (records, affected entries after deduplication and the
 * architecture rule of docs/feeds-oracle.md) were worked out independently
 * with a Python script (ElementTree over the raw files, the criterion
 * comments read with regular expressions as vunnel does). */
#include "helpers.h"
#include "feed/bz2.h"
#include "feed/vendors.h"
#include "util/error.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed_fixture.h"

static int setup(void **state)
{
	return feed_fx_setup(state, "oracle");
}

/* Parses a file of feeds/oracle/ (bunzip2'd when it ends in .bz2). */
static int parse_rel(struct feed_fx *f, const char *rel)
{
	char path[512], *raw, *xml = NULL;
	size_t n, len;
	int rc;
	snprintf(path, sizeof(path), "feeds/oracle/%s", rel);
	if (!(raw = th_read_file(th_data_path(path), &n)))
		fail_msg("cannot read %s", path);
	if (strstr(rel, ".bz2")) {
		assert_int_equal(feed_bunzip2(raw, n, (size_t)64 << 20, &xml, &len), 0);
		free(raw);
		raw = xml;
		n = len;
	}
	reset(f);
	rc = feed_oracle_oval(&f->ctx, raw, n);
	free(raw);
	return rc;
}

static int parse_text(struct feed_fx *f, const char *text)
{
	reset(f);
	return feed_oracle_oval(&f->ctx, text, strlen(text));
}

static const vigil_vuln *vuln(struct feed_fx *f, const char *id)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->recs[i].id, id) == 0)
			return &f->recs[i];
	fail_msg("no record %s", id);
	return NULL;
}

static size_t entries(struct feed_fx *f)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		n += f->recs[i].naffected;
	return n;
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The entry (ns, package, fixed); fails when there is none. */
static const vigil_affected *aff(const vigil_vuln *v, const char *ns, const char *pkg, const char *fixed)
{
	for (size_t i = 0; i < v->naffected; i++) {
		const vigil_affected *a = &v->affected[i];
		if (same(a->namespace, ns) && same(a->package, pkg) && same(a->fixed, fixed))
			return a;
	}
	fail_msg("%s: no entry %s %s %s", v->id, ns, pkg, fixed ? fixed : "(none)");
	return NULL;
}

static bool has(const char *const *l, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(l[i], s) == 0)
			return true;
	return false;
}

static void test_elsa_2007_0057(void **state)
{
	struct feed_fx *f = *state;
	assert_int_equal(parse_rel(f, "elsa-oval/ELSA-2007-0057.xml"), 0);
	assert_int_equal(f->n, 1);
	assert_int_equal(f->warnings, 0);
	const vigil_vuln *v = vuln(f, "ELSA-2007-0057");
	assert_string_equal(v->source, "oracle");
	assert_string_equal(v->summary, "ELSA-2007-0057:  Moderate: bind security update  (MODERATE)");
	assert_non_null(strstr(v->description, "[30:9.3.3-8]"));
	assert_string_equal(v->vendor_severity, "MODERATE");
	assert_int_equal(v->severity, VIGIL_SEV_MEDIUM);
	assert_string_equal(v->published, "2007-06-26");
	assert_int_equal(v->naliases, 2);
	assert_true(has(v->aliases, v->naliases, "CVE-2007-0493"));
	assert_true(has(v->aliases, v->naliases, "CVE-2007-0494"));
	assert_true(has(v->links, v->nlinks, "http://linux.oracle.com/errata/ELSA-2007-0057.html"));
	assert_true(has(v->links, v->nlinks, "http://linux.oracle.com/cve/CVE-2007-0493.html"));
	assert_true(v->cvss3_score < 0);
	assert_int_equal(v->naffected, 8);
	static const char *const pkgs[] = { "bind-devel", "bind-sdb", "bind-libs", "bind-libbind-devel",
					    "bind-utils", "bind-chroot", "bind", "caching-nameserver" };
	for (size_t i = 0; i < 8; i++) {
		const vigil_affected *a = aff(v, "ol:5", pkgs[i], "30:9.3.3-8.el5");
		assert_int_equal(a->state, VIGIL_STATE_FIXED);
		assert_string_equal(a->scheme, "rpm");
		assert_int_equal(a->is_source, 0);
		assert_null(a->arch);
		assert_null(a->module);
	}
}

static void test_all_positive(void **state)
{
	struct feed_fx *f = *state;
	assert_int_equal(parse_rel(f, "elsa-oval/all-positive-data.xml.bz2"), 0);
	assert_int_equal(f->n, 14);
	assert_int_equal(entries(f), 109);
	assert_int_equal(f->warnings, 0);

	const vigil_vuln *v = vuln(f, "ELSA-2007-0057"); /* this copy has the CVSS attributes */
	assert_true(v->cvss3_score > 5.49 && v->cvss3_score < 5.51);
	assert_string_equal(v->cvss3_vector, "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N");
	assert_true(v->cvss2_score > 1.19 && v->cvss2_score < 1.21);

	v = vuln(f, "ELSA-2010-0809");
	assert_int_equal(v->severity, VIGIL_SEV_CRITICAL);
	assert_string_equal(v->vendor_severity, "CRITICAL");
	assert_int_equal(vuln(f, "ELSA-2013-1732")->severity, VIGIL_SEV_LOW);
	assert_int_equal(vuln(f, "ELSA-2009-1203")->severity, VIGIL_SEV_HIGH);

	/* one ELSA for two releases, each branch with its own fixed versions */
	v = vuln(f, "ELSA-2011-1268");
	assert_int_equal(v->naffected, 6);
	assert_int_equal(v->naliases, 0);
	size_t ol5 = 0, ol6 = 0;
	for (size_t i = 0; i < v->naffected; i++) {
		ol5 += strcmp(v->affected[i].namespace, "ol:5") == 0;
		ol6 += strcmp(v->affected[i].namespace, "ol:6") == 0;
	}
	assert_int_equal(ol5 + ol6, 6);
	assert_true(ol5 > 0 && ol6 > 0);

	v = vuln(f, "ELSA-2019-4820"); /* UEK */
	assert_int_equal(v->naffected, 11);
	assert_int_equal(v->naliases, 7);
	assert_null(aff(v, "ol:7", "kernel-uek", "0:4.14.35-1902.6.6.el7uek")->arch);
	aff(v, "ol:7", "perf", "0:4.14.35-1902.6.6.el7uek");
	aff(vuln(f, "ELSA-2019-4821"), "ol:7", "sudo", "0:1.8.23-4.0.1.el7");
	assert_int_equal(vuln(f, "ELSA-2016-3646")->naliases, 7);
}

static void test_revision_suffix(void **state)
{
	struct feed_fx *f = *state;
	assert_int_equal(parse_rel(f, "elsa-oval/elsa-2018-1196-1.xml.bz2"), 0);
	assert_int_equal(f->n, 1);
	const vigil_vuln *v = vuln(f, "ELSA-2018-1196-1");
	assert_int_equal(v->naffected, 18);
	assert_int_equal(v->severity, VIGIL_SEV_HIGH);
	aff(v, "ol:5", "ocfs2-2.6.18-419.0.0.0.10.el5xen", "0:1.4.11-1.el5");
	aff(v, "ol:5", "oracleasm-2.6.18-419.0.0.0.10.el5PAE", "0:2.0.5-2.el5");
	aff(v, "ol:5", "kernel-xen-devel", "0:2.6.18-419.0.0.0.10.el5");
}

static void test_invalid_title(void **state)
{
	struct feed_fx *f = *state;
	assert_int_equal(parse_rel(f, "elsa-oval/invalid-title-format.xml.bz2"), 0);
	assert_int_equal(f->n, 1); /* "ELSA-2007:0057:" is skipped, as vuln-list-update does */
	assert_string_equal(f->recs[0].id, "ELSA-2007-0057");
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "\"ELSA-2007:0057:"));
	assert_non_null(strstr(f->last_warning, "line 81"));
}

static void test_broken(void **state)
{
	struct feed_fx *f = *state;
	assert_int_equal(parse_rel(f, "elsa-oval/broken-oval-data.xml.bz2"), VIGIL_EFORMAT);
	assert_int_equal(f->n, 0); /* checked whole before anything is emitted */
	assert_non_null(strstr(vigil_error_message(), "line 536"));
	assert_non_null(strstr(vigil_error_message(), "criteria"));
}

static void test_per_arch(void **state)
{
	struct feed_fx *f = *state;
	assert_int_equal(parse_rel(f, "vunnel-fixture/mock_per_arch_data"), 0);
	assert_int_equal(f->n, 3);
	assert_int_equal(entries(f), 54);
	assert_int_equal(f->warnings, 0);
	/* rsyslog was respun at different revisions per architecture */
	const vigil_vuln *v = vuln(f, "ELSA-2022-4803");
	assert_int_equal(v->naffected, 36);
	assert_string_equal(aff(v, "ol:7", "rsyslog", "0:8.24.0-57.0.4.el7_9.3")->arch, "aarch64");
	assert_string_equal(aff(v, "ol:7", "rsyslog", "0:8.24.0-57.0.1.el7_9.3")->arch, "x86_64");
	assert_string_equal(aff(v, "ol:7", "rsyslog-doc", "0:8.24.0-57.0.1.el7_9.3")->arch, "x86_64");
	assert_string_equal(v->vendor_severity, "IMPORTANT");
	assert_true(v->cvss3_score > 8.09 && v->cvss3_score < 8.11);
	/* the same versions under both architectures: all of them */
	v = vuln(f, "ELSA-2024-2961");
	assert_int_equal(v->naffected, 17);
	assert_null(aff(v, "ol:8", "osbuild", "0:110-1.0.1.el8")->arch);
	assert_null(aff(v, "ol:8", "osbuild", "0:110-1.el8")->arch);
	assert_null(aff(v, "ol:8", "osbuild-composer", "0:101-1.el8")->arch);
	v = vuln(f, "ELSA-2025-10073");
	assert_int_equal(v->naffected, 1);
	assert_null(aff(v, "ol:10", "firefox", "0:128.12.0-1.0.1.el10_0")->arch);
	assert_int_equal(v->naliases, 4);
}

static void test_ksplice(void **state)
{
	struct feed_fx *f = *state;
	assert_int_equal(parse_rel(f, "vunnel-fixture/mock_ksplice_data"), 0);
	assert_int_equal(f->n, 1);
	const vigil_vuln *v = vuln(f, "ELSA-2021-9151");
	assert_int_equal(v->naffected, 6);
	/* kept (the matcher pairs ksplice builds with ksplice packages only) */
	assert_null(aff(v, "ol:8", "openssl-libs", "2:1.1.1g-15.ksplice1.el8_3")->arch);
	/* only in the aarch64 branch */
	assert_string_equal(aff(v, "ol:8", "openssl-debugsource", "2:1.1.1g-15.ksplice1.el8_3")->arch, "aarch64");
	assert_string_equal(aff(v, "ol:8", "openssl-static", "2:1.1.1g-15.ksplice1.el8_3")->arch, "aarch64");
	assert_int_equal(v->naliases, 2);
}

/* vunnel's snapshot of (ns, id) against the record parsed from the same
 * fixture: every FixedIn is an entry and the other way round, the
 * severity, the CVEs and the link agree. */
static void compare_snapshot(struct feed_fx *f, const char *snap, const char *id, const char *ns)
{
	char path[512];
	json_error_t err;
	snprintf(path, sizeof(path), "feeds/oracle/vunnel-fixture/snapshots/%s", snap);
	json_t *root = json_load_file(th_data_path(path), 0, &err);
	if (!root)
		fail_msg("%s: %s", path, err.text);
	json_t *vj = json_object_get(json_object_get(root, "item"), "Vulnerability");
	json_t *fixed = json_object_get(vj, "FixedIn"), *e;
	const vigil_vuln *v = vuln(f, id);
	size_t i, in_ns = 0;
	assert_string_equal(json_string_value(json_object_get(vj, "Name")), id);
	assert_string_equal(json_string_value(json_object_get(vj, "NamespaceName")), ns);
	json_array_foreach(fixed, i, e) {
		const vigil_affected *a = aff(v, json_string_value(json_object_get(e, "NamespaceName")),
					      json_string_value(json_object_get(e, "Name")),
					      json_string_value(json_object_get(e, "Version")));
		assert_null(a->arch);
		assert_null(json_object_get(e, "Arch"));
		assert_true(json_is_null(json_object_get(e, "Module")));
		assert_null(a->module);
	}
	for (i = 0; i < v->naffected; i++)
		in_ns += strcmp(v->affected[i].namespace, ns) == 0;
	assert_int_equal(in_ns, json_array_size(fixed));
	/* vunnel's words: Medium for MODERATE, High for IMPORTANT */
	const char *sev = json_string_value(json_object_get(vj, "Severity"));
	assert_int_equal(v->severity, strcmp(sev, "Medium") == 0 ? VIGIL_SEV_MEDIUM : VIGIL_SEV_HIGH);
	json_t *cves = json_object_get(json_object_get(vj, "Metadata"), "CVE");
	assert_int_equal(json_array_size(cves), v->naliases);
	json_array_foreach(cves, i, e)
		assert_true(has(v->aliases, v->naliases, json_string_value(json_object_get(e, "Name"))));
	assert_true(has(v->links, v->nlinks, json_string_value(json_object_get(vj, "Link"))));
	json_decref(root);
}

static void test_vunnel_snapshots(void **state)
{
	struct feed_fx *f = *state;
	assert_int_equal(parse_rel(f, "vunnel-fixture/mock_data"), 0);
	assert_int_equal(f->n, 2);
	assert_int_equal(entries(f), 14);
	compare_snapshot(f, "ol:5/elsa-2007-0057.json", "ELSA-2007-0057", "ol:5");
	compare_snapshot(f, "ol:6/elsa-2018-4250.json", "ELSA-2018-4250", "ol:6");
}

#define HEAD                                                                                              \
	"<?xml version=\"1.0\"?>\n<oval_definitions xmlns=\"http://oval.mitre.org/XMLSchema/oval-definitions-5\">\n" \
	"<definitions>\n"
#define DEF(id, title, platforms)                                                                         \
	"<definition class=\"patch\" id=\"oval:com.oracle.elsa:def:" id "\" version=\"501\"><metadata><title>" \
	title "</title><affected family=\"unix\">" platforms "</affected>"                                  \
	"<advisory><severity>N/A</severity><issued date=\"2024-01-02\"/></advisory></metadata>"

/* The test and state a criterion refers to win over its comment; a module
 * criterion scopes its branch; "N/A" is UNKNOWN, kept as the vendor's word. */
static const char doc_rules[] = HEAD
	DEF("1", "ELSA-2024-0001: nodejs:18 security update (N/A)", "<platform>Oracle Linux 8</platform>")
	"<criteria operator=\"AND\"><criterion test_ref=\"t:1\" comment=\"Oracle Linux 8 is installed\"/>"
	"<criteria operator=\"AND\"><criterion test_ref=\"t:9\" comment=\"Module nodejs:18 is enabled\"/>"
	"<criterion test_ref=\"t:2\" comment=\"nodejs is earlier than 1:18.0.0-1.module+el8\"/>"
	"<criterion test_ref=\"t:3\" comment=\"nodejs is signed with the Oracle Linux 8 key\"/></criteria>"
	"<criterion test_ref=\"t:4\" comment=\"curl is earlier than 0:7.61.1-1.el8\"/>"
	"</criteria></definition>\n"
	/* no release criterion: the single platform */
	DEF("2", "ELSA-2024-0002: zlib update (LOW)", "<platform>Oracle Linux 9</platform>")
	"<criteria operator=\"OR\"><criterion test_ref=\"t:x\" comment=\"zlib is earlier than 0:1.2.11-40.el9\"/>"
	"<criterion test_ref=\"t:y\" comment=\"zlib is earlier than 0:bad version\"/></criteria></definition>\n"
	/* two platforms and no release criterion: nowhere to put the entry */
	DEF("3", "ELSA-2024-0003: two releases (LOW)",
	    "<platform>Oracle Linux 8</platform><platform>Oracle Linux 9</platform>")
	"<criteria operator=\"OR\"><criterion test_ref=\"t:z\" comment=\"bash is earlier than 0:5.1-1.el9\"/>"
	"</criteria></definition>\n"
	"<definition class=\"inventory\" id=\"oval:x:def:9\" version=\"1\"><metadata><title>OL</title></metadata></definition>\n"
	"</definitions><tests>"
	"<rpminfo_test id=\"t:2\" check=\"at least one\"><object object_ref=\"o:2\"/><state state_ref=\"s:2\"/></rpminfo_test>"
	"<rpminfo_test id=\"t:4\" check=\"at least one\"><object object_ref=\"o:4\"/><state state_ref=\"s:4\"/></rpminfo_test>"
	"</tests><objects><rpminfo_object id=\"o:2\"><name>nodejs</name></rpminfo_object>"
	"<rpminfo_object id=\"o:4\"><name>libcurl</name></rpminfo_object></objects><states>"
	"<rpminfo_state id=\"s:2\"><evr datatype=\"evr_string\" operation=\"less than\">1:18.19.0-1.module+el8.9.0+90+b2</evr></rpminfo_state>"
	"<rpminfo_state id=\"s:4\"><evr datatype=\"evr_string\" operation=\"less than\">0:7.61.1-34.el8</evr></rpminfo_state>"
	"</states></oval_definitions>\n";

static void test_rules(void **state)
{
	struct feed_fx *f = *state;
	assert_int_equal(parse_text(f, doc_rules), 0);
	assert_int_equal(f->n, 3);
	const vigil_vuln *v = vuln(f, "ELSA-2024-0001");
	assert_int_equal(v->naffected, 2);
	assert_string_equal(aff(v, "ol:8", "nodejs", "1:18.19.0-1.module+el8.9.0+90+b2")->module, "nodejs:18");
	assert_null(aff(v, "ol:8", "libcurl", "0:7.61.1-34.el8")->module);
	assert_int_equal(v->severity, VIGIL_SEV_UNKNOWN);
	assert_string_equal(v->vendor_severity, "N/A");
	assert_string_equal(v->published, "2024-01-02");
	v = vuln(f, "ELSA-2024-0002");
	assert_int_equal(v->naffected, 1);
	aff(v, "ol:9", "zlib", "0:1.2.11-40.el9");
	assert_int_equal(vuln(f, "ELSA-2024-0003")->naffected, 0);
	assert_int_equal(f->warnings, 2); /* the bad version, the entry without a release */
	assert_non_null(strstr(f->last_warning, "ELSA-2024-0003: 1 package entries under no"));
}

static void test_bad_documents(void **state)
{
	struct feed_fx *f = *state;
	char *deep = NULL;
	size_t n = 0, cap = 64 * 1024;
	assert_int_equal(parse_text(f, ""), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, "<rss/>"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "not <oval_definitions>"));
	assert_int_equal(parse_text(f, "<!DOCTYPE x><oval_definitions><definitions/></oval_definitions>"),
			 VIGIL_EFORMAT);
	assert_int_equal(feed_oracle_oval(NULL, "", 0), VIGIL_EINVAL);
	/* criteria nested past VIGIL_ORAOVAL_MAX_DEPTH (32) */
	assert_non_null(deep = malloc(cap));
	n += (size_t)snprintf(deep + n, cap - n, "%s", HEAD DEF("4", "ELSA-2024-0004: deep (LOW)", ""));
	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(deep + n, cap - n, "<criteria>");
	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(deep + n, cap - n, "</criteria>");
	n += (size_t)snprintf(deep + n, cap - n, "</definition></definitions></oval_definitions>");
	assert_int_equal(parse_text(f, deep), VIGIL_ELIMIT);
	assert_non_null(strstr(vigil_error_message(), "deeper than 32"));
	assert_non_null(strstr(vigil_error_message(), "oval:com.oracle.elsa:def:4"));
	free(deep);
}

static void test_sniff(void **state)
{
	(void)state;
	static const char ora[] = "<oval_definitions xmlns=\"...\"><definitions><definition id=\"oval:com.oracle.elsa:def:1\">";
	static const char rh[] = "<oval_definitions><definitions><definition id=\"oval:com.redhat.rhsa:def:1\">";
	assert_true(feed_oracle_sniff("anything.xml", ora, strlen(ora)));
	assert_true(feed_oracle_sniff("com.oracle.elsa-ol8.xml.bz2", "<x/>", 4));
	assert_false(feed_oracle_sniff("rhel-8.oval.xml", rh, strlen(rh)));
	assert_false(feed_oracle_sniff("com.oracle.elsa-all.xml.bz2", "{\"a\": 1}", 8));
	assert_false(feed_oracle_sniff("x", "", 0));
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_elsa_2007_0057, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_positive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_revision_suffix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_title, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broken, setup, teardown),
		cmocka_unit_test_setup_teardown(test_per_arch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ksplice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vunnel_snapshots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_documents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sniff, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
