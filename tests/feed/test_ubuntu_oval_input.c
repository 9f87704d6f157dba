/* tests/feed/test_ubuntu_oval_input.c: the Ubuntu OVAL parser on odd and bad
 * input (small documents written here: unknown tests, objects and variables,
 * negated and "none_exist" tests, states vigil cannot compare, bad package
 * names and versions, ids from titles, USN numbers, the package OVAL,
 * unmapped and ESM releases, CVSS v2 and broken vectors; XML errors and every
 * named limit), and the format detection of `vigil db import` on the samples
 * of tests/feed/data/ubuntu-oval/. */
#include "db/db.h"
#include "feed/feed.h"
#include "feed/oval.h"
#include "helpers.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ubuntu_oval_fx.h"

#define ROOT "<oval_definitions xmlns=\"http://oval.mitre.org/XMLSchema/oval-definitions-5\">"

/* Every warning of a parse, one a line. */
static char warned[16384];

static void collect(void *ud, const char *msg)
{
	size_t k = strlen(warned);
	(void)ud;
	snprintf(warned + k, sizeof(warned) - k, "%s\n", msg);
}

static char *doc(const char *defs, const char *rest)
{
	size_t n = strlen(ROOT) + strlen(defs) + strlen(rest) + 64;
	char *d = malloc(n);
	snprintf(d, n, "%s<definitions>%s</definitions>%s</oval_definitions>", ROOT, defs, rest);
	return d;
}

/* A dpkginfo test "t<n>" of object "o<n>", with attributes and states. */
#define DPKG(n, attrs, state_xml) \
	"<dpkginfo_test id=\"t" n "\" " attrs "><object object_ref=\"o" n "\"/>" state_xml "</dpkginfo_test>"
#define CRIT(n, comment) "<criterion test_ref=\"t" n "\" comment=\"" comment "\"/>"

static const char odd_defs[] =
	/* one CVE: every kind of odd criterion */
	"<definition class=\"vulnerability\" id=\"oval:com.ubuntu.jammy:def:1\"><metadata>"
	"<title>CVE-2099-0001 on Ubuntu 22.04 LTS (jammy) - medium</title>"
	"<reference source=\"CVE\" ref_id=\"CVE-2099-0001\" ref_url=\"https://example.org/CVE-2099-0001\"/>"
	"<advisory><public_date>2099-01-02</public_date>"
	"<cve href=\"https://ubuntu.com/security/CVE-2099-0001\" priority=\"medium\" "
	"cvss_vector=\"AV:N/AC:L/Au:N/C:P/I:P/A:P\" cvss_score=\"7.5\">CVE-2099-0001</cve></advisory>"
	"</metadata><criteria><criteria operator=\"OR\">" CRIT("404", "no such test")
	"<criterion test_ref=\"t1\" negate=\"true\" comment=\"negated\"/>" CRIT("2", "unknown") CRIT("3", "none exist")
	"<criteria operator=\"AND\"><criteria operator=\"OR\">" CRIT("4", "local variable") "</criteria></criteria>"
	CRIT("5", "evr equals") CRIT("6", "bad version") CRIT("7", "bad name") CRIT("1", "good fixed")
	CRIT("8", "good fixed again") CRIT("9", "a product description") CRIT("10", "rpm")
	"</criteria></criteria></definition>"
	/* no reference: the id from the title; a broken CVSS vector */
	"<definition class=\"vulnerability\" id=\"oval:com.ubuntu.jammy:def:2\"><metadata>"
	"<title>CVE-2099-0002 on Ubuntu 22.04 LTS (jammy) - low</title><advisory><severity>Low</severity>"
	"<cve cvss_vector=\"CVSS:3.1/AV:X\">CVE-2099-0002</cve></advisory></metadata>"
	"<criteria>" CRIT("1", "x package in jammy was vulnerable but has been fixed (note: '1.0-1').") "</criteria>"
	"</definition>"
	/* the package OVAL; no id at all; no metadata; a release vigil does not know; not a vulnerability */
	"<definition class=\"vulnerability\" id=\"oval:com.ubuntu.jammy:def:3\"><metadata><title>openssl</title>"
	"<reference source=\"Package\" ref_id=\"openssl\"/></metadata></definition>"
	"<definition class=\"vulnerability\" id=\"oval:com.ubuntu.jammy:def:4\"><metadata><title>whatever</title>"
	"</metadata></definition>"
	"<definition class=\"vulnerability\" id=\"oval:com.ubuntu.jammy:def:5\"/>"
	"<definition class=\"vulnerability\" id=\"oval:com.ubuntu.warty:def:6\"><metadata>"
	"<title>CVE-2099-0006 on Ubuntu 4.10 (warty)</title><reference source=\"CVE\" ref_id=\"CVE-2099-0006\"/>"
	"</metadata></definition>"
	"<definition class=\"compliance\" id=\"oval:com.ubuntu.jammy:def:7\"><metadata><title>CVE-2099-0007</title>"
	"<reference source=\"CVE\" ref_id=\"CVE-2099-0007\"/></metadata></definition>"
	/* ESM codename in the id; a foreign id with the codename in the title; a USN number */
	"<definition class=\"vulnerability\" id=\"oval:com.ubuntu.trusty_esm:def:8\"><metadata>"
	"<title>CVE-2099-0008 on Ubuntu 14.04 ESM (trusty)</title><reference source=\"CVE\" ref_id=\"CVE-2099-0008\"/>"
	"</metadata><criteria>" CRIT("1", "fixed") "</criteria></definition>"
	"<definition class=\"vulnerability\" id=\"oval:org.example:def:9\"><metadata>"
	"<title>CVE-2099-0009 on Ubuntu 24.04 LTS (noble) - high</title></metadata>"
	"<criteria>" CRIT("1", "fixed") "</criteria></definition>"
	"<definition class=\"patch\" id=\"oval:com.ubuntu.focal:def:10\"><metadata><title>USN-7001-1 -- x</title>"
	"<reference source=\"USN\" ref_id=\"7001-1\"/><advisory><issued date=\"2099-03-04\"/></advisory>"
	"</metadata><criteria>" CRIT("1", "Long Term Support") "</criteria></definition>";

static const char odd_rest[] =
	"<tests>" DPKG("1", "", "<state state_ref=\"s1\"/>") "<unknown_test id=\"t2\"/>"
	DPKG("3", "check_existence=\"none_exist\"", "") DPKG("4", "", "")
	DPKG("5", "", "<state state_ref=\"s5\"/>") DPKG("6", "", "<state state_ref=\"s6\"/>")
	DPKG("7", "", "") DPKG("8", "", "<state state_ref=\"s1\"/>") DPKG("9", "", "")
	"<rpminfo_test id=\"t10\"><object object_ref=\"o1\"/></rpminfo_test></tests>"
	"<objects><dpkginfo_object id=\"o1\"><name> good </name></dpkginfo_object>"
	"<dpkginfo_object id=\"o3\"><name>gone</name></dpkginfo_object>"
	"<dpkginfo_object id=\"o4\"><name var_ref=\"v4\"/></dpkginfo_object>"
	"<dpkginfo_object id=\"o5\"><name>eq</name></dpkginfo_object>"
	"<dpkginfo_object id=\"o6\"><name>badver</name></dpkginfo_object>"
	"<dpkginfo_object id=\"o7\"><name>Bad_Name</name></dpkginfo_object>"
	"<dpkginfo_object id=\"o8\"><name>good</name></dpkginfo_object>"
	"<dpkginfo_object id=\"o9\"><name var_ref=\"v9\"/></dpkginfo_object></objects>"
	"<states><dpkginfo_state id=\"s1\"><evr operation=\"less than\">0:1.0-1</evr></dpkginfo_state>"
	"<dpkginfo_state id=\"s5\"><evr operation=\"equals\">0:1.0-1</evr></dpkginfo_state>"
	"<dpkginfo_state id=\"s6\"><evr operation=\"less than\">0:not a version</evr></dpkginfo_state></states>"
	"<variables><local_variable id=\"v4\"><literal_component>x</literal_component></local_variable>"
	"<constant_variable id=\"v9\"><value>guess1</value><value> guess2 </value></constant_variable></variables>";

static void test_odd_input(void **state)
{
	struct feed_fx *f = *state;
	const vigil_vuln *v;
	char *d = doc(odd_defs, odd_rest);
	f->ctx.warn = collect;
	warned[0] = '\0';
	assert_int_equal(parse_text(f, d), 0);
	free(d);
	assert_int_equal(f->n, 5);

	v = rec(f, "CVE-2099-0001");
	assert_string_equal(entries(v, "ubuntu:22.04"), "good:fixed:1.0-1 guess1:affected guess2:affected");
	assert_string_equal(v->vendor_severity, "medium"); /* no <severity>: the cve's priority */
	assert_int_equal(v->severity, VIGIL_SEV_MEDIUM);
	assert_string_equal(v->cvss2_vector, "AV:N/AC:L/Au:N/C:P/I:P/A:P");
	assert_true(v->cvss2_score > 7.49 && v->cvss2_score < 7.51);
	assert_null(v->cvss3_vector);
	assert_string_equal(v->published, "2099-01-02");
	assert_string_equal(joined(v->links, v->nlinks), "https://ubuntu.com/security/CVE-2099-0001 "
							 "https://example.org/CVE-2099-0001");
	v = rec(f, "CVE-2099-0002");
	assert_string_equal(entries(v, "ubuntu:22.04"), "good:fixed:1.0-1");
	assert_null(v->cvss3_vector);
	assert_true(v->cvss3_score < 0);
	assert_string_equal(entries(rec(f, "CVE-2099-0008"), "ubuntu:14.04"), "good:fixed:1.0-1");
	assert_string_equal(entries(rec(f, "CVE-2099-0009"), "ubuntu:24.04"), "good:fixed:1.0-1");
	v = rec(f, "USN-7001-1");
	assert_string_equal(entries(v, "ubuntu:20.04"), "good:fixed:1.0-1");
	assert_string_equal(v->published, "2099-03-04");
	assert_string_equal(v->links[0], "https://ubuntu.com/security/notices/USN-7001-1");

	static const char *const want[] = {
		"unknown test t404: skipped",
		"test t4: no object, or no constant variable of binaries: skipped",
		"test t5: state is not one plain 'evr less than' version: skipped",
		"test t6: state is not one plain 'evr less than' version: skipped",
		"package name 'Bad_Name' is not a Debian package name: skipped",
		"CVE-2099-0002: CVSS vector:",
		"definition oval:com.ubuntu.jammy:def:4: no CVE id: skipped",
		"definition oval:com.ubuntu.jammy:def:5: no <metadata>: skipped",
		"release 'warty' is not mapped: 1 definitions skipped",
		"1 definitions of the package OVAL (reference source \"Package\") skipped",
		"1 criteria with an unknown_test skipped",
		"2 packages without a fixed version and with an unknown comment taken as affected",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(warned, want[i]))
			fail_msg("no warning '%s' in:\n%s", want[i], warned);
	assert_int_equal(f->ctx.warnings, sizeof(want) / sizeof(want[0]));
	assert_non_null(strstr(warned, "ubuntu-oval: line 1: CVE-2099-0001: unknown test t404"));
}

static int fail_emit(void *ud, const vigil_vuln *v)
{
	(void)ud;
	(void)v;
	return vigil_error_set(VIGIL_ECANCELED, "stop here");
}

/* n copies of s (malloc'd). */
static char *repeat(const char *s, size_t n)
{
	size_t k = strlen(s);
	char *r = malloc(k * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(r + i * k, s, k);
	r[k * n] = '\0';
	return r;
}

static void expect(struct feed_fx *f, char *text, int code, const char *msg)
{
	int rc = parse_text(f, text);
	if (rc != code || !strstr(vigil_error_message(), msg))
		fail_msg("want %d '%s', got %d '%s'", code, msg, rc, vigil_error_message());
	assert_int_equal(f->n, 0);
	free(text);
}

static void test_bad_input(void **state)
{
	struct feed_fx *f = *state;
	static const char def1[] = "<definition class=\"vulnerability\" id=\"oval:com.ubuntu.jammy:def:1\"><metadata>"
				   "<reference source=\"CVE\" ref_id=\"CVE-2099-0001\"/></metadata><criteria>";
	static const char one_test[] = "<tests><dpkginfo_test id=\"t1\"><object object_ref=\"o1\"/></dpkginfo_test></tests>";
	char *a, *b, *d;
	size_t len;

	expect(f, strdup("hello"), VIGIL_EFORMAT, "XML: line 1");
	expect(f, strdup(""), VIGIL_EFORMAT, "XML");
	expect(f, strdup("<rss/>"), VIGIL_EFORMAT, "<rss>");
	expect(f, strdup("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaa\">]><oval_definitions/>"),
	       VIGIL_EFORMAT, "DOCTYPE");
	expect(f, strdup(ROOT "<tests/></oval_definitions>"), VIGIL_EFORMAT, "has no <definitions>");
	/* a cut document: nothing is emitted, the first pass reads it whole */
	d = read_sample("com.ubuntu.jammy.cve.oval.xml", &len);
	d[len / 2] = '\0';
	expect(f, d, VIGIL_EFORMAT, "XML: line");
	assert_int_equal(feed_ubuntu_oval(&f->ctx, NULL, 5), VIGIL_EINVAL);
	assert_int_equal(feed_ubuntu_oval(NULL, "x", 1), VIGIL_EINVAL);

	/* criteria nested past VIGIL_UOVAL_MAX_DEPTH (32) */
	a = repeat("<criteria>", 40);
	b = repeat("</criteria>", 40);
	len = strlen(a) + strlen(b) + 512;
	d = malloc(len);
	snprintf(d, len, "%s%s%s</criteria></definition>", def1, a, b);
	expect(f, doc(d, ""), VIGIL_ELIMIT, "criteria nested deeper than 32");
	free(a), free(b), free(d);
	/* more than VIGIL_UOVAL_MAX_CRITERIA (50,000) criteria in a definition */
	a = repeat("<criterion test_ref=\"t1\"/>", 50001);
	len = strlen(a) + 512;
	d = malloc(len);
	snprintf(d, len, "%s%s</criteria></definition>", def1, a);
	expect(f, doc(d, ""), VIGIL_ELIMIT, "more than 50000 criteria");
	free(a), free(d);
	/* more than VIGIL_OVAL_MAX_VALUES binaries in one variable */
	a = repeat("<value>p</value>", VIGIL_OVAL_MAX_VALUES + 1);
	len = strlen(a) + 512;
	d = malloc(len);
	snprintf(d, len, "<variables><constant_variable id=\"v1\">%s</constant_variable></variables>", a);
	expect(f, doc("", d), VIGIL_ELIMIT, "VIGIL_OVAL_MAX_VALUES");
	free(a), free(d);
	/* a binary name longer than VIGIL_FEED_MAX_STRING: an error once used */
	a = repeat("p", VIGIL_FEED_MAX_STRING + 1);
	len = strlen(a) + 512;
	d = malloc(len);
	snprintf(d, len, "%s<objects><dpkginfo_object id=\"o1\"><name var_ref=\"v1\"/></dpkginfo_object></objects>"
		   "<variables><constant_variable id=\"v1\"><value>%s</value></constant_variable></variables>",
		one_test, a);
	b = malloc(sizeof(def1) + 128);
	snprintf(b, sizeof(def1) + 128, "%s<criterion test_ref=\"t1\"/></criteria></definition>", def1);
	expect(f, doc(b, d), VIGIL_ELIMIT, "<value>: longer than VIGIL_FEED_MAX_STRING");
	free(a), free(b), free(d);

	/* an emit callback that fails stops the parse with its code */
	f->ctx.emit = fail_emit;
	d = read_sample("com.ubuntu.jammy.usn.oval.xml", &len);
	reset(f);
	assert_int_equal(feed_ubuntu_oval(&f->ctx, d, len), VIGIL_ECANCELED);
	free(d);
}

static void test_detect(void **state)
{
	static const char *const samples[] = { "com.ubuntu.bionic.cve.oval.xml", "com.ubuntu.focal.cve.oval.xml",
					       "com.ubuntu.jammy.cve.oval.xml", "com.ubuntu.noble.cve.oval.xml",
					       "com.ubuntu.jammy.usn.oval.xml" };
	static const char rh[] = "<?xml version=\"1.0\"?><oval_definitions><definitions><definition "
				 "id=\"oval:com.redhat.rhsa:def:20230001\"/></definitions></oval_definitions>";
	static const char plain[] = "<oval_definitions><definitions/></oval_definitions>";
	const vigil_feed_format *fmt;
	(void)state;
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		size_t len;
		char *d = read_sample(samples[i], &len), path[256];
		snprintf(path, sizeof(path), "/mirror/ubuntu-oval/%s.bz2", samples[i]);
		assert_non_null(fmt = db_feed_detect(path, d, len));
		assert_string_equal(fmt->feed, "ubuntu-oval");
		assert_true(fmt->parse == feed_ubuntu_oval);
		assert_non_null(fmt = db_feed_detect("x.xml", d, len)); /* by content alone */
		assert_string_equal(fmt->feed, "ubuntu-oval");
		free(d);
	}
	assert_string_equal(db_feed_detect("rhel-9.oval.xml", rh, strlen(rh))->feed, "redhat-oval");
	/* no ids to tell by: the file name decides */
	assert_string_equal(db_feed_detect("a/com.ubuntu.noble.cve.oval.xml", plain, strlen(plain))->feed,
			    "ubuntu-oval");
	assert_string_equal(db_feed_detect("a/rhel-8.oval.xml", plain, strlen(plain))->feed, "redhat-oval");
	assert_null(db_feed_detect("com.ubuntu.noble.cve.oval.xml", "<rss/>", 6));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_odd_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test(test_detect),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
