/* tests/feed/test_suse.c: the SUSE CVRF and OVAL parsers on the real files
 * of feeds/suse/ (the 11 advisories of vuln-list-update's testdata, its
 * broken one, vunnel's SLES 15 OVAL excerpt) and on bad input, the product
 * name table, and vunnel's snapshots of the same OVAL as a second opinion.
 *
 * The expected counts were worked out independently with a Python script
 * (ElementTree over the raw files, the rules of docs/feeds-suse.md): 41
 * CVE records with 791 FIXED entries over the 11 advisories, and the same
 * (namespace, package, fixed) sets Trivy's product mapping gives from
 * vuln-list-update's golden JSON of each advisory (docs/accuracy.md). */
#include "helpers.h"
#include "feed/suse.h"
#include "feed/vendors.h"
#include "util/error.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed/feed_fixture.h"

#define CVRF_DIR "feeds/suse/cvrf/cvrf/"

static int setup(void **state)
{
	return feed_fx_setup(state, "test");
}

static int parse_file(struct feed_fx *f, int (*fn)(vigil_feed_ctx *, const char *, size_t), const char *rel)
{
	size_t len = 0;
	char *data = th_read_file(th_data_path(rel), &len);
	assert_non_null(data);
	reset(f);
	int rc = fn(&f->ctx, data, len);
	free(data);
	return rc;
}

static const vigil_vuln *find(struct feed_fx *f, const char *id)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->recs[i].id, id) == 0)
			return &f->recs[i];
	return NULL;
}

static const vigil_affected *entry(const vigil_vuln *v, const char *ns, const char *pkg)
{
	for (size_t i = 0; v && i < v->naffected; i++)
		if (strcmp(v->affected[i].namespace, ns) == 0 && strcmp(v->affected[i].package, pkg) == 0)
			return &v->affected[i];
	return NULL;
}

static size_t total_affected(struct feed_fx *f)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		n += f->recs[i].naffected;
	return n;
}

/* ---- product names ---- */

static void test_product_names(void **state)
{
	(void)state;
	static const struct {
		const char *name, *ns;
	} t[] = {
		{ "SUSE Linux Enterprise Server 15 SP1", "sles:15.1" },
		{ "SUSE Linux Enterprise Server 15", "sles:15" },
		{ "SUSE Linux Enterprise Module for Basesystem 15 SP5", "sles:15.5" },
		{ "SUSE Linux Enterprise Server 15 SP1-LTSS", "sles:15.1" },
		{ "SUSE Linux Enterprise Server 15 SP1-BCL", "sles:15.1" },
		{ "SUSE Linux Enterprise Server 15-LTSS", "sles:15" },
		{ "SUSE Linux Enterprise Server 11 SP4-LTSS", "sles:11.4" },
		{ "SUSE Linux Enterprise Desktop 12 SP4", "sles:12.4" },
		{ "SUSE Linux Enterprise Module for Legacy Software 12", "sles:12" },
		{ "SUSE Linux Enterprise Module for Python 3 15 SP4", "sles:15.4" },
		{ "SUSE Linux Enterprise Module for Python 3 15", "sles:15" },
		{ "SUSE Linux Enterprise Server 12 SP5 LTSS Extended Security", "sles:12.5" },
		{ "SUSE Linux Enterprise High Performance Computing 15 SP1-ESPOS", "sles:15.1" },
		{ "SUSE Linux Enterprise Server 16.0", "sles:16.0" },
		{ "openSUSE Leap 15.5", "opensuse-leap:15.5" },
		{ "openSUSE Leap 15.0 NonFree", "opensuse-leap:15.0" },
		{ "openSUSE Leap Micro 5.2", NULL },
		{ "openSUSE Tumbleweed", NULL },
		{ "openSUSE 13.2", NULL },
		{ "SUSE Linux Enterprise Micro 5.3", NULL },
		{ "SUSE Linux Enterprise Storage 7", NULL },
		{ "SUSE Linux Enterprise Module for SUSE Manager Server 4.0", NULL },
		{ "SUSE Manager Server 4.1", NULL },
		{ "SUSE Linux Enterprise Server", NULL },
		{ "SUSE Linux Enterprise Server SP1", NULL },
		{ "", NULL },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char ns[VIGIL_SUSE_NS_MAX] = "";
		bool ok = feed_suse_product_namespace(vigil_slice_cstr(t[i].name), ns);
		if (t[i].ns) {
			assert_true(ok);
			assert_string_equal(ns, t[i].ns);
		} else if (ok) {
			fail_msg("%s mapped to %s", t[i].name, ns);
		}
	}
	assert_int_equal(feed_suse_severity("important"), VIGIL_SEV_HIGH);
	assert_int_equal(feed_suse_severity("Moderate"), VIGIL_SEV_MEDIUM);
	assert_int_equal(feed_suse_severity("low"), VIGIL_SEV_LOW);
	assert_int_equal(feed_suse_severity("critical"), VIGIL_SEV_CRITICAL);
	assert_int_equal(feed_suse_severity("whatever"), VIGIL_SEV_UNKNOWN);
	assert_int_equal(feed_suse_severity(NULL), VIGIL_SEV_UNKNOWN);
}

/* ---- CVRF ---- */

static void test_cvrf_files(void **state)
{
	struct feed_fx *f = *state;
	static const struct {
		const char *file;
		size_t records, affected;
	} t[] = {
		{ "cvrf-opensuse-su-2015-0225-1.xml", 0, 0 },  { "cvrf-opensuse-su-2015-0798-1.xml", 0, 0 },
		{ "cvrf-opensuse-su-2015-1289-1.xml", 0, 0 },  { "cvrf-opensuse-su-2016-0874-1.xml", 0, 0 },
		{ "cvrf-opensuse-su-2016-3233-1.xml", 0, 0 },  { "cvrf-opensuse-su-2018-1633-1.xml", 1, 19 },
		{ "cvrf-suse-su-2018-1784-1.xml", 1, 19 },     { "cvrf-suse-su-2019-14018-1.xml", 2, 50 },
		{ "cvrf-suse-su-2019-1608-1.xml", 1, 11 },     { "cvrf-suse-su-2019-3294-1.xml", 16, 192 },
		{ "cvrf-suse-su-2019-3295-1.xml", 20, 500 },
	};
	size_t records = 0, affected = 0;
	th_testdata_or_skip();
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char rel[256];
		snprintf(rel, sizeof(rel), CVRF_DIR "%s", t[i].file);
		if (parse_file(f, feed_suse_cvrf, rel) != 0)
			fail_msg("%s: %s", t[i].file, vigil_error_message());
		assert_int_equal(f->n, t[i].records);
		assert_int_equal(total_affected(f), t[i].affected);
		records += f->n, affected += total_affected(f);
	}
	assert_int_equal(records, 41);
	assert_int_equal(affected, 791);
}

static void test_cvrf_advisory(void **state)
{
	struct feed_fx *f = *state;
	const vigil_vuln *v;
	const vigil_affected *a;
	th_testdata_or_skip();

	assert_int_equal(parse_file(f, feed_suse_cvrf, CVRF_DIR "cvrf-suse-su-2019-1608-1.xml"), 0);
	assert_non_null(v = find(f, "CVE-2019-1559"));
	assert_string_equal(v->source, "suse");
	assert_int_equal(v->naliases, 1);
	assert_string_equal(v->aliases[0], "SUSE-SU-2019:1608-1");
	assert_string_equal(v->vendor_severity, "moderate");
	assert_int_equal(v->severity, VIGIL_SEV_MEDIUM);
	assert_string_equal(v->summary, "Security update for compat-openssl098");
	assert_string_equal(v->published, "2019-06-21T08:27:12Z");
	assert_true(strncmp(v->description, "If an application encounters a fatal protocol error", 51) == 0);
	assert_true(v->nlinks >= 2);
	assert_string_equal(v->links[0], "https://www.suse.com/security/cve/CVE-2019-1559.html");
	/* "Module for Legacy Software 12" is sles:12, "SAP Applications 12 SP3" sles:12.3 */
	assert_non_null(a = entry(v, "sles:12", "libopenssl0_9_8-32bit"));
	assert_string_equal(a->fixed, "0.9.8j-106.12.1");
	assert_int_equal(a->state, VIGIL_STATE_FIXED);
	assert_string_equal(a->scheme, "rpm");
	assert_null(a->arch);
	assert_int_equal(a->is_source, 0);
	assert_non_null(a = entry(v, "sles:12.3", "compat-openssl098"));
	assert_string_equal(a->fixed, "0.9.8j-106.12.1");
	assert_null(entry(v, "sles:12.3", "libopenssl0_9_8-32bit")); /* fixed for Legacy 12 only */

	/* CVSS v2 score sets; a kmp version with '_' and '.' split at the last two '-' */
	assert_int_equal(parse_file(f, feed_suse_cvrf, CVRF_DIR "cvrf-suse-su-2018-1784-1.xml"), 0);
	assert_non_null(v = find(f, "CVE-2017-5715"));
	assert_true(v->cvss2_score > 4.69 && v->cvss2_score < 4.71);
	assert_string_equal(v->cvss2_vector, "AV:L/AC:M/Au:N/C:C/I:N/A:N");
	assert_true(v->cvss3_score < 0);
	assert_int_equal(v->severity, VIGIL_SEV_HIGH);
	assert_non_null(a = entry(v, "sles:11.4", "iscsitarget-kmp-default"));
	assert_string_equal(a->fixed, "1.4.20_3.0.101_108.52-0.43.2.1");

	/* -LTSS and Point of Sale 11 SP3 */
	assert_int_equal(parse_file(f, feed_suse_cvrf, CVRF_DIR "cvrf-suse-su-2019-14018-1.xml"), 0);
	assert_non_null(v = find(f, "CVE-2019-9948"));
	assert_string_equal(v->vendor_severity, "low");
	assert_int_equal(v->severity, VIGIL_SEV_LOW);

	/* modules of SLE 15 SP1 are sles:15.1 */
	assert_int_equal(parse_file(f, feed_suse_cvrf, CVRF_DIR "cvrf-suse-su-2019-3295-1.xml"), 0);
	assert_non_null(v = find(f, "CVE-2019-0154"));
	assert_string_equal(v->aliases[0], "SUSE-SU-2019:3295-1");
	assert_non_null(a = entry(v, "sles:15.1", "kernel-rt"));
	assert_string_equal(a->fixed, "4.12.14-14.14.3");

	/* openSUSE Leap */
	assert_int_equal(parse_file(f, feed_suse_cvrf, CVRF_DIR "cvrf-opensuse-su-2018-1633-1.xml"), 0);
	assert_non_null(v = find(f, "CVE-2018-11237"));
	assert_string_equal(v->aliases[0], "openSUSE-SU-2018:1633-1");
	assert_non_null(a = entry(v, "opensuse-leap:15.0", "glibc-32bit"));
	assert_string_equal(a->fixed, "2.26-lp150.11.3.2");

	/* openSUSE 13.2 is no namespace: nothing, with one warning */
	assert_int_equal(parse_file(f, feed_suse_cvrf, CVRF_DIR "cvrf-opensuse-su-2016-3233-1.xml"), 0);
	assert_int_equal(f->n, 0);
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "openSUSE 13.2"));
}

/* Declared UTF-8, holds Latin-1 bytes ("Ga\xebl"): read as Latin-1. */
static void test_cvrf_latin1(void **state)
{
	struct feed_fx *f = *state;
	th_testdata_or_skip();
	assert_int_equal(parse_file(f, feed_suse_cvrf, CVRF_DIR "cvrf-opensuse-su-2016-0874-1.xml"), 0);
	assert_int_equal(f->n, 0); /* its Fixed status lists no product */
	static const char doc[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><cvrfdoc><DocumentTitle>Ga\xebl</DocumentTitle>"
				  "<ProductTree><Relationship ProductReference=\"a-1-2\" RelatesToProductReference=\"openSUSE Leap 15.5\">"
				  "<FullProductName ProductID=\"openSUSE Leap 15.5:a-1-2\"/></Relationship></ProductTree>"
				  "<Vulnerability><CVE>CVE-2020-1</CVE><ProductStatuses><Status Type=\"Fixed\">"
				  "<ProductID>openSUSE Leap 15.5:a-1-2</ProductID></Status></ProductStatuses></Vulnerability></cvrfdoc>";
	reset(f);
	assert_int_equal(feed_suse_cvrf(&f->ctx, doc, sizeof(doc) - 1), 0);
	assert_int_equal(f->n, 1);
	assert_string_equal(f->recs[0].summary, "Ga\xc3\xabl");
	assert_string_equal(f->recs[0].affected[0].namespace, "opensuse-leap:15.5");
	assert_string_equal(f->recs[0].affected[0].package, "a");
	assert_string_equal(f->recs[0].affected[0].fixed, "1-2");
}

static void test_cvrf_broken(void **state)
{
	struct feed_fx *f = *state;
	th_testdata_or_skip();
	assert_int_equal(parse_file(f, feed_suse_cvrf, "feeds/suse/cvrf/broken-cvrf/cvrf-suse-su-2018-1784-1.xml"),
			 VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "line 186"));
	assert_int_equal(f->n, 0); /* nothing emitted before the error */
}

static void expect_cvrf(struct feed_fx *f, const char *doc, int code, const char *msg)
{
	reset(f);
	assert_int_equal(feed_suse_cvrf(&f->ctx, doc, strlen(doc)), code);
	if (msg && !strstr(vigil_error_message(), msg))
		fail_msg("\"%s\" not in \"%s\"", msg, vigil_error_message());
	assert_int_equal(f->n, 0);
}

static void test_cvrf_bad(void **state)
{
	struct feed_fx *f = *state;
	expect_cvrf(f, "", VIGIL_EFORMAT, "empty");
	expect_cvrf(f, "<oval_definitions/>", VIGIL_EFORMAT, "not <cvrfdoc>");
	expect_cvrf(f, "<!DOCTYPE cvrfdoc [<!ENTITY a \"b\">]><cvrfdoc>&a;</cvrfdoc>", VIGIL_EFORMAT, "DOCTYPE");
	expect_cvrf(f, "<?xml version=\"1.0\"?>\n<!-- c --><!DOCTYPE cvrfdoc SYSTEM \"http://127.0.0.1:9/x.dtd\"><cvrfdoc/>",
		    VIGIL_EFORMAT, "DOCTYPE");
	expect_cvrf(f, "<cvrfdoc><Vulnerability>", VIGIL_EFORMAT, "line 1");
	/* a product id without a Relationship is split at its last ':'; bad ones are skipped */
	static const char doc[] = "<cvrfdoc><Vulnerability><CVE>CVE-2020-2</CVE><ProductStatuses>"
				  "<Status Type=\"Fixed\"><ProductID>SUSE Linux Enterprise Server 15 SP2:b-2.0-3.1</ProductID>"
				  "<ProductID>SUSE Linux Enterprise Server 15 SP2:nodash</ProductID>"
				  "<ProductID>SUSE Linux Enterprise Server 15 SP2:b-2.0-3.1</ProductID></Status>"
				  "<Status Type=\"Known Affected\"><ProductID>SUSE Linux Enterprise Server 15 SP2:c-1-1</ProductID>"
				  "</Status><Status Type=\"Recommended\"><ProductID>openSUSE Leap 15.6:d-3-4</ProductID>"
				  "</Status></ProductStatuses>"
				  "<Threats><Threat Type=\"Impact\"><Description>critical</Description></Threat></Threats>"
				  "<CVSSScoreSets><ScoreSetV3><BaseScoreV3>9.8</BaseScoreV3><VectorV3>CVSS:3.1/AV:N</VectorV3>"
				  "</ScoreSetV3><ScoreSet><BaseScore>11</BaseScore></ScoreSet></CVSSScoreSets></Vulnerability>"
				  "<Vulnerability><ProductStatuses/></Vulnerability></cvrfdoc>";
	reset(f);
	assert_int_equal(feed_suse_cvrf(&f->ctx, doc, sizeof(doc) - 1), 0);
	assert_int_equal(f->n, 1);
	assert_int_equal(f->recs[0].naffected, 2); /* deduplicated; Known Affected not read */
	assert_string_equal(f->recs[0].affected[0].namespace, "opensuse-leap:15.6"); /* sorted */
	assert_string_equal(f->recs[0].affected[0].package, "d");
	assert_string_equal(f->recs[0].affected[0].fixed, "3-4");
	assert_string_equal(f->recs[0].affected[1].namespace, "sles:15.2");
	assert_string_equal(f->recs[0].affected[1].fixed, "2.0-3.1");
	assert_int_equal(f->recs[0].severity, VIGIL_SEV_CRITICAL);
	assert_true(f->recs[0].cvss3_score > 9.7);
	assert_string_equal(f->recs[0].cvss3_vector, "CVSS:3.1/AV:N");
	assert_true(f->recs[0].cvss2_score < 0); /* 11 is no score */
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "no platform:name-version-release"));
}

static void test_cvrf_sniff(void **state)
{
	(void)state;
	static const char cvrf[] = "<?xml version=\"1.0\"?>\n<cvrfdoc xmlns=\"http://www.icasi.org/CVRF/schema/cvrf/1.1\">"
				   "<DocumentType>SUSE Patch</DocumentType>";
	static const char other[] = "<cvrfdoc><DocumentType>Red Hat</DocumentType>";
	static const char oval[] = "<oval_definitions><definitions><definition id=\"oval:org.opensuse.security:def:1\">";
	assert_true(feed_suse_cvrf_sniff("cvrf-suse-su-2019-1608-1.xml", cvrf, sizeof(cvrf) - 1));
	assert_false(feed_suse_cvrf_sniff("x.xml", other, sizeof(other) - 1));
	assert_false(feed_suse_cvrf_sniff("x.xml", oval, sizeof(oval) - 1));
	assert_true(feed_suse_oval_sniff("x.xml", oval, sizeof(oval) - 1));
	assert_true(feed_suse_oval_sniff("suse.linux.enterprise.server.15.xml", "<oval_definitions>", 18));
	assert_false(feed_suse_oval_sniff("rhel-8.oval.xml", "<oval_definitions><x id=\"oval:com.redhat", 39));
	assert_false(feed_suse_oval_sniff("suse.linux.enterprise.server.15.xml", cvrf, sizeof(cvrf) - 1));
}

/* ---- OVAL ---- */

#define OVAL_FILE "feeds/suse/vunnel-oval/suse_truncated.xml"

static void test_oval(void **state)
{
	struct feed_fx *f = *state;
	const vigil_vuln *v;
	const vigil_affected *a;
	th_testdata_or_skip();
	if (parse_file(f, feed_suse_oval, OVAL_FILE) != 0)
		fail_msg("%s", vigil_error_message());
	/* CVE-2010-1323's krb5 states say operation="6", no OVAL operation:
	 * nothing vigil compares, so no entry and no record */
	assert_int_equal(f->n, 3);
	assert_null(find(f, "CVE-2010-1323"));
	assert_int_equal(f->warnings, 2); /* tests the excerpt lacks; states not compared */

	assert_non_null(v = find(f, "CVE-2021-29154"));
	assert_string_equal(v->source, "suse");
	assert_string_equal(v->vendor_severity, "Important");
	assert_int_equal(v->severity, VIGIL_SEV_HIGH);
	assert_true(v->cvss3_score > 6.99 && v->cvss3_score < 7.01);
	assert_string_equal(v->cvss3_vector, "CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:H/A:H");
	assert_string_equal(v->published, "2021-04-30");
	assert_string_equal(v->modified, "2021-07-14");
	assert_int_equal(v->naliases, 25); /* the SUSE-SU and openSUSE-SU references */
	assert_int_equal(v->naffected, 2);
	assert_non_null(a = entry(v, "sles:15", "kernel-default"));
	assert_string_equal(a->fixed, "0:4.12.14-150.72.1");
	assert_string_equal(a->arch, "aarch64|ppc64le|s390x|x86_64");
	assert_int_equal(a->state, VIGIL_STATE_FIXED);
	assert_non_null(a = entry(v, "sles:15.1", "kernel-default"));
	assert_string_equal(a->fixed, "0:4.12.14-197.89.2");

	/* "is not affected" under Basesystem 15 and Development Tools 15 */
	assert_non_null(v = find(f, "CVE-1999-0524"));
	assert_int_equal(v->naffected, 2);
	assert_non_null(a = entry(v, "sles:15", "kernel-source"));
	assert_int_equal(a->state, VIGIL_STATE_NOT_AFFECTED);
	assert_null(a->fixed);
	assert_non_null(v = find(f, "CVE-2026-34073"));
	assert_non_null(a = entry(v, "sles:15", "python3-cryptography"));
	assert_int_equal(a->state, VIGIL_STATE_NOT_AFFECTED);
	assert_int_equal(v->severity, VIGIL_SEV_MEDIUM);
}

/* vunnel's snapshots of the same file (its normalised output): every
 * FixedIn is one of vigil's entries ("0" = not affected), but for the
 * documented difference on CVE-2010-1323 (docs/accuracy.md). */
static void test_oval_vunnel(void **state)
{
	struct feed_fx *f = *state;
	static const char *const snaps[] = {
		"feeds/suse/vunnel-oval/snapshots/sles:15/cve-2021-29154.json",
		"feeds/suse/vunnel-oval/snapshots/sles:15.1/cve-2021-29154.json",
		"feeds/suse/vunnel-oval/snapshots/sles:15/cve-2026-34073.json",
		"feeds/suse/vunnel-oval/snapshots/sles:15/cve-2010-1323.json",
	};
	size_t compared = 0, differ = 0;
	th_testdata_or_skip();
	assert_int_equal(parse_file(f, feed_suse_oval, OVAL_FILE), 0);
	for (size_t i = 0; i < sizeof(snaps) / sizeof(snaps[0]); i++) {
		json_error_t err;
		json_t *root = json_load_file(th_data_path(snaps[i]), 0, &err), *fi;
		json_t *vul = json_object_get(json_object_get(root, "item"), "Vulnerability");
		size_t k;
		assert_non_null(vul);
		const vigil_vuln *v = find(f, json_string_value(json_object_get(vul, "Name")));
		json_array_foreach(json_object_get(vul, "FixedIn"), k, fi)
		{
			const char *ver = json_string_value(json_object_get(fi, "Version"));
			const vigil_affected *a =
				entry(v, json_string_value(json_object_get(fi, "NamespaceName")),
				      json_string_value(json_object_get(fi, "Name")));
			if (!a) {
				differ++;
				continue;
			}
			if (strcmp(ver, "0") == 0)
				assert_int_equal(a->state, VIGIL_STATE_NOT_AFFECTED);
			else
				assert_string_equal(a->fixed, ver);
			compared++;
		}
		json_decref(root);
	}
	assert_int_equal(compared, 3);
	assert_int_equal(differ, 8); /* CVE-2010-1323's eight krb5 packages */
}

static void expect_oval(struct feed_fx *f, const char *doc, int code, size_t records)
{
	reset(f);
	assert_int_equal(feed_suse_oval(&f->ctx, doc, strlen(doc)), code);
	assert_int_equal(f->n, records);
}

static void test_oval_bad(void **state)
{
	struct feed_fx *f = *state;
	expect_oval(f, "", VIGIL_EFORMAT, 0);
	expect_oval(f, "<cvrfdoc/>", VIGIL_EFORMAT, 0);
	expect_oval(f, "<oval_definitions><definitions><definition class=\"vulnerability\">", VIGIL_EFORMAT, 0);
	/* a package criterion with no platform around it has no namespace; an
	 * unmapped platform (SUSE Manager) neither; a test of another kind is ignored */
	expect_oval(f,
		    "<oval_definitions><definitions>"
		    "<definition class=\"vulnerability\" id=\"d1\"><metadata><title>CVE-2020-3</title></metadata>"
		    "<criteria><criterion test_ref=\"t1\" comment=\"a is installed\"/></criteria></definition>"
		    "<definition class=\"vulnerability\" id=\"d2\"><metadata><title>CVE-2020-4</title></metadata>"
		    "<criteria><criterion test_ref=\"p\" comment=\"SUSE Manager Server 4.1 is installed\"/>"
		    "<criterion test_ref=\"t1\" comment=\"a is installed\"/></criteria></definition>"
		    "<definition class=\"vulnerability\" id=\"d3\"><metadata><title>x</title></metadata>"
		    "<criteria/></definition>"
		    "<definition class=\"patch\" id=\"d4\"><metadata><title>CVE-2020-5</title></metadata>"
		    "<criteria><criterion test_ref=\"p\" comment=\"openSUSE Leap 15.5 is installed\"/>"
		    "<criterion test_ref=\"t1\" comment=\"a is installed\"/></criteria></definition>"
		    "<definition class=\"vulnerability\" id=\"d5\"><metadata><title>CVE-2020-6</title></metadata>"
		    "<criteria><criterion test_ref=\"p\" comment=\"openSUSE Leap 15.5 is installed\"/>"
		    "<criterion test_ref=\"t1\" comment=\"a-1-1 is installed\"/>"
		    "<criterion test_ref=\"t2\" comment=\"b-1-1 is installed\"/></criteria></definition>"
		    "</definitions><tests>"
		    "<rpminfo_test id=\"t1\"><object object_ref=\"o1\"/><state state_ref=\"s1\"/></rpminfo_test>"
		    "<textfilecontent54_test id=\"t2\"><object object_ref=\"o1\"/><state state_ref=\"s1\"/></textfilecontent54_test>"
		    "</tests><objects><rpminfo_object id=\"o1\"><name>a</name></rpminfo_object></objects>"
		    "<states><rpminfo_state id=\"s1\"><arch operation=\"pattern match\">x86_64|noarch.*</arch>"
		    "<evr operation=\"less than\">0:1-1</evr></rpminfo_state></states></oval_definitions>",
		    0, 1);
	assert_string_equal(f->recs[0].id, "CVE-2020-6");
	assert_int_equal(f->recs[0].naffected, 1);
	assert_string_equal(f->recs[0].affected[0].namespace, "opensuse-leap:15.5");
	assert_null(f->recs[0].affected[0].arch); /* not a plain list: every arch */
	assert_true(f->warnings >= 1);            /* d3 has no CVE id */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_product_names),
		cmocka_unit_test_setup_teardown(test_cvrf_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cvrf_advisory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cvrf_latin1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cvrf_broken, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cvrf_bad, setup, teardown),
		cmocka_unit_test(test_cvrf_sniff),
		cmocka_unit_test_setup_teardown(test_oval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oval_vunnel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oval_bad, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
