/* tests/feed/test_mariner.c: the Azure Linux / CBL-Mariner OVAL parser
 * (feed/mariner_oval.c) on the three real files of feeds/mariner/oval/
 * (CBL-Mariner 2.0 preview of 2022-04-15, 2.0 of 2022-06-01, Azure Linux
 * 3.0 of 2024-10-10), on small hand-written documents for what the real
 * files do not have (greater-than bounds, OR groups, unknown operations,
 * no CVE id), on file names that give no release, and format detection.
 *
 * The expected counts were worked out independently with a Python script
 * (ElementTree over the raw files: definition -> criterion -> rpminfo_test
 * -> object name and state evr/operation, and <patchable>): 2.0 has 661
 * "less than" definitions (patchable true), 378 "less than or equal"
 * (patchable false) and 7 "Not Applicable"; the preview 1038 "less than
 * or equal"; 3.0 1221 "less than" and 1 "Not Applicable". */
#include "db/db.h"
#include "feed/feed.h"
#include "feed/vendors.h"
#include "helpers.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed_fixture.h"

static int setup(void **state)
{
	return feed_fx_setup(state, "cbl-mariner-2.0-oval.xml");
}

/* Parses the shared file feeds/mariner/oval/<name> under its own name. */
static int parse_real(struct feed_fx *f, const char *name)
{
	char rel[256];
	size_t len;
	snprintf(rel, sizeof(rel), "feeds/mariner/oval/%s", name);
	char *d = th_read_file(th_data_path(rel), &len);
	assert_non_null(d);
	reset(f);
	f->ctx.file = th_data_path(rel);
	int rc = feed_mariner_oval(&f->ctx, d, len);
	free(d);
	return rc;
}

static int parse_text(struct feed_fx *f, const char *file, const char *doc)
{
	reset(f);
	f->ctx.file = file;
	return feed_mariner_oval(&f->ctx, doc, strlen(doc));
}

/* The record of id for package (each definition is one CVE, one package). */
static const vigil_vuln *rec(struct feed_fx *f, const char *id, const char *pkg, const vigil_affected **a)
{
	for (size_t i = 0; i < f->n; i++) {
		if (strcmp(f->recs[i].id, id) != 0)
			continue;
		for (size_t k = 0; k < f->recs[i].naffected; k++)
			if (!strcmp(f->recs[i].affected[k].package, pkg)) {
				*a = &f->recs[i].affected[k];
				return &f->recs[i];
			}
	}
	fail_msg("no record %s for %s", id, pkg);
	return NULL;
}

static size_t count_state(struct feed_fx *f, vigil_vuln_state st, const char *ns)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		for (size_t k = 0; k < f->recs[i].naffected; k++) {
			const vigil_affected *a = &f->recs[i].affected[k];
			assert_string_equal(a->namespace, ns);
			assert_string_equal(a->scheme, "rpm");
			assert_int_equal(a->is_source, 0);
			assert_null(a->module);
			assert_null(a->arch);
			n += a->state == st;
		}
	return n;
}

/* One range [introduced lo, fixed/last_affected hi] (hi NULL: none). */
static void check_range(const vigil_affected *a, const char *lo, vigil_range_event_kind kind, const char *hi)
{
	assert_int_equal(a->state, VIGIL_STATE_AFFECTED);
	assert_null(a->fixed);
	assert_int_equal(a->nranges, 1);
	assert_string_equal(a->ranges[0].type, "ECOSYSTEM");
	assert_int_equal(a->ranges[0].nevents, hi ? 2 : 1);
	assert_int_equal(a->ranges[0].events[0].kind, VIGIL_EVENT_INTRODUCED);
	assert_string_equal(a->ranges[0].events[0].version, lo);
	if (hi) {
		assert_int_equal(a->ranges[0].events[1].kind, kind);
		assert_string_equal(a->ranges[0].events[1].version, hi);
	}
}

static void test_mariner20(void **state)
{
	struct feed_fx *f = *state;
	const vigil_affected *a;
	const vigil_vuln *v;
	assert_int_equal(parse_real(f, "cbl-mariner-2.0-oval.xml"), 0);
	assert_int_equal(f->n, 1046);
	assert_int_equal(f->warnings, 0);
	assert_int_equal(count_state(f, VIGIL_STATE_FIXED, "mariner:2.0"), 661);
	assert_int_equal(count_state(f, VIGIL_STATE_AFFECTED, "mariner:2.0"), 378);
	assert_int_equal(count_state(f, VIGIL_STATE_NOT_AFFECTED, "mariner:2.0"), 7);

	v = rec(f, "CVE-2021-22945", "curl", &a); /* less than: the fixed build, "0:" and ".cm1" kept */
	assert_string_equal(v->source, "mariner");
	assert_int_equal(a->state, VIGIL_STATE_FIXED);
	assert_string_equal(a->fixed, "0:7.82.0-1.cm1");
	assert_int_equal(a->nranges, 0);
	assert_string_equal(v->vendor_severity, "Critical");
	assert_int_equal(v->severity, VIGIL_SEV_CRITICAL);
	assert_string_equal(a->vendor_severity, "Critical");
	assert_int_equal(a->severity, VIGIL_SEV_CRITICAL);
	assert_string_equal(v->summary, "CVE-2021-22945 affecting package curl 7.76.0");
	assert_string_equal(v->published, "2022-04-09T06:51:45Z");
	assert_int_equal(v->nlinks, 1);
	assert_string_equal(v->links[0], "https://nvd.nist.gov/vuln/detail/CVE-2021-22945");
	assert_int_equal(v->naliases, 0);
	assert_true(v->cvss3_score < 0 && v->cvss2_score < 0);

	v = rec(f, "CVE-1999-0817", "lynx", &a); /* less than or equal: the last affected build, no fix */
	check_range(a, "0", VIGIL_EVENT_LAST_AFFECTED, "0:2.9.0~dev.9-4.cm1");
	assert_null(v->published);
	assert_string_equal(v->description, "CVE-1999-0817 affecting package lynx 2.9.0~dev.9. No patch is available currently.");

	v = rec(f, "CVE-2021-38185", "cpio", &a); /* in the expected findings: High, <= 0:2.13-4.cm1 */
	check_range(a, "0", VIGIL_EVENT_LAST_AFFECTED, "0:2.13-4.cm1");
	assert_int_equal(a->severity, VIGIL_SEV_HIGH);

	v = rec(f, "CVE-2013-7381", "libnotify", &a); /* patchable "Not Applicable" */
	assert_int_equal(a->state, VIGIL_STATE_NOT_AFFECTED);
	assert_null(a->fixed);
	assert_int_equal(a->nranges, 0);

	v = rec(f, "CVE-2022-25315", "expat", &a);
	assert_string_equal(a->fixed, "0:2.4.8-1.cm1");
	v = rec(f, "CVE-2022-25313", "expat", &a);
	assert_string_equal(v->vendor_severity, "Medium");
	assert_int_equal(a->severity, VIGIL_SEV_MEDIUM);
}

static void test_mariner20_preview(void **state)
{
	struct feed_fx *f = *state;
	const vigil_affected *a;
	assert_int_equal(parse_real(f, "cbl-mariner-2.0-preview-oval.xml"), 0);
	assert_int_equal(f->n, 1038);
	assert_int_equal(f->warnings, 0);
	/* "preview" is still mariner:2.0; every state is "less than or equal" */
	assert_int_equal(count_state(f, VIGIL_STATE_AFFECTED, "mariner:2.0"), 1038);
	rec(f, "CVE-2016-2781", "coreutils", &a);
	check_range(a, "0", VIGIL_EVENT_LAST_AFFECTED, "0:8.32-3.cm1");
	assert_int_equal(a->severity, VIGIL_SEV_MEDIUM);
}

static void test_azurelinux30(void **state)
{
	struct feed_fx *f = *state;
	const vigil_affected *a;
	const vigil_vuln *v;
	assert_int_equal(parse_real(f, "azurelinux-3.0-oval.xml"), 0);
	assert_int_equal(f->n, 1222);
	assert_int_equal(f->warnings, 0);
	assert_int_equal(count_state(f, VIGIL_STATE_FIXED, "azurelinux:3.0"), 1221);
	assert_int_equal(count_state(f, VIGIL_STATE_NOT_AFFECTED, "azurelinux:3.0"), 1);

	v = rec(f, "CVE-2024-47191", "oath-toolkit", &a);
	assert_string_equal(v->source, "azurelinux");
	assert_int_equal(a->state, VIGIL_STATE_FIXED);
	assert_string_equal(a->fixed, "0:2.6.7-3.azl3");
	assert_string_equal(v->vendor_severity, "High");
	assert_int_equal(v->severity, VIGIL_SEV_HIGH);
	assert_string_equal(v->published, "2024-07-23T22:05:39Z");

	/* the one state written "0: 1.20.10-1.azl3": the blank is dropped */
	rec(f, "CVE-2023-39323", "golang", &a);
	assert_string_equal(a->fixed, "0:1.20.10-1.azl3");

	/* one CVE, two packages: Not Applicable for one, fixed for the other */
	rec(f, "CVE-2023-45853", "cloud-hypervisor", &a);
	assert_int_equal(a->state, VIGIL_STATE_NOT_AFFECTED);
	rec(f, "CVE-2023-45853", "cloud-hypervisor-cvm", &a);
	assert_string_equal(a->fixed, "0:38.0.72.2-1.azl3");

	v = rec(f, "CVE-2024-42861", "linuxptp", &a);
	assert_null(v->published); /* no advisory_date */
	assert_string_equal(a->fixed, "0:3.1.1-1.azl3");
}

/* ---- hand-written documents ---- */

#define HEAD(gen)                                                                                            \
	"<?xml version=\"1.0\"?>\n<oval_definitions xmlns=\"http://oval.mitre.org/XMLSchema/oval-definitions-5\" " \
	"xmlns:oval=\"http://oval.mitre.org/XMLSchema/oval-common-5\" "                                      \
	"xmlns:linux-def=\"http://oval.mitre.org/XMLSchema/oval-definitions-5#linux\">\n"                    \
	"<generator><oval:product_name>" gen "</oval:product_name></generator>\n<definitions>\n"
#define DEF(id, title, extra, crit)                                                                          \
	"<definition class=\"vulnerability\" id=\"oval:x:def:" id "\" version=\"1\"><metadata><title>" title   \
	"</title>" extra "</metadata>" crit "</definition>\n"
#define REF(cve) "<reference ref_id=\"" cve "\" ref_url=\"https://nvd.nist.gov/vuln/detail/" cve "\" source=\"CVE\"/>"
#define TEST(n, obj, ste)                                                                                    \
	"<linux-def:rpminfo_test check=\"at least one\" id=\"tst:" n "\"><linux-def:object object_ref=\"obj:" obj \
	"\"/><linux-def:state state_ref=\"ste:" ste "\"/></linux-def:rpminfo_test>\n"
#define OBJ(n, name) "<linux-def:rpminfo_object id=\"obj:" n "\"><linux-def:name>" name "</linux-def:name></linux-def:rpminfo_object>\n"
#define STE(n, op, evr)                                                                                      \
	"<linux-def:rpminfo_state id=\"ste:" n "\"><linux-def:evr datatype=\"evr_string\" operation=\"" op "\">" evr \
	"</linux-def:evr></linux-def:rpminfo_state>\n"
#define CRIT1(t) "<criteria operator=\"AND\"><criterion test_ref=\"tst:" t "\"/></criteria>"
#define CRIT2(op, t1, t2) "<criteria operator=\"" op "\"><criterion test_ref=\"tst:" t1 "\"/><criterion test_ref=\"tst:" t2 "\"/></criteria>"

static const char bounds_doc[] =
	HEAD("Azure Linux OVAL Definition Generator")
	/* the generator's "greater than 0.0.0" beside "earlier than": a fixed build */
	DEF("1", "CVE-2023-29409 affecting package golang for versions less than 1.20.7-1",
	    REF("CVE-2023-29409") "<patchable>true</patchable><severity>Medium</severity>", CRIT2("AND", "1", "2"))
	/* a real lower bound: a range */
	DEF("2", "CVE-2024-0002 affecting package pkg", REF("CVE-2024-0002") "<severity>high</severity>",
	    CRIT2("AND", "3", "4"))
	/* >= and <= */
	DEF("3", "CVE-2024-0003 affecting package pkg", REF("CVE-2024-0003") "<severity>Important</severity>",
	    CRIT2("AND", "3", "5"))
	/* OR: two alternatives of two packages */
	DEF("4", "CVE-2024-0004 affecting package pkg and golang", REF("CVE-2024-0004") "<severity>Moderate</severity>",
	    CRIT2("OR", "1", "5"))
	/* "equals": not a bound vigil compares -> skipped, the definition too */
	DEF("5", "CVE-2024-0005 affecting package pkg", REF("CVE-2024-0005") "<severity>Low</severity>", CRIT1("6"))
	/* no reference: the id from the title; an unknown severity word */
	DEF("6", "CVE-2024-0006 affecting package pkg", "<severity>Urgent</severity>", CRIT1("1"))
	/* no CVE anywhere: skipped */
	DEF("7", "something affecting package pkg", "", CRIT1("1"))
	/* a test the document does not have, beside one it has */
	DEF("8", "CVE-2024-0008 affecting package golang", REF("CVE-2024-0008"), CRIT2("AND", "1", "99"))
	/* no state: installed at all */
	DEF("9", "CVE-2024-0009 affecting package pkg", REF("CVE-2024-0009") "<severity/>", CRIT1("7"))
	/* OR: two alternatives of one package -> one entry, a range each */
	DEF("10", "CVE-2024-0010 affecting package golang", REF("CVE-2024-0010"), CRIT2("OR", "1", "8"))
	/* OR with an alternative that has no version bound: every version */
	DEF("11", "CVE-2024-0011 affecting package golang", REF("CVE-2024-0011"), CRIT2("OR", "1", "9"))
	"</definitions>\n<tests>\n"
	TEST("1", "1", "1") TEST("2", "1", "2") TEST("3", "2", "3") TEST("4", "2", "4") TEST("5", "2", "5")
	TEST("6", "2", "6")
	"<linux-def:rpminfo_test check=\"at least one\" id=\"tst:7\"><linux-def:object object_ref=\"obj:2\"/></linux-def:rpminfo_test>\n"
	TEST("8", "1", "5")
	"<linux-def:rpminfo_test check=\"at least one\" id=\"tst:9\"><linux-def:object object_ref=\"obj:1\"/></linux-def:rpminfo_test>\n"
	"</tests>\n<objects>\n" OBJ("1", "golang") OBJ("2", "pkg") "</objects>\n<states>\n"
	STE("1", "less than", "0:1.20.7-1.azl3") STE("2", "greater than", "0:0.0.0.azl3")
	STE("3", "greater than or equal", "1:2.0-1.azl3") STE("4", "less than", "1:2.4-1.azl3")
	STE("5", "less than or equal", "1:2.3-9.azl3") STE("6", "equals", "0:1.0-1.azl3")
	"</states>\n</oval_definitions>\n";

static void test_bounds(void **state)
{
	struct feed_fx *f = *state;
	const vigil_affected *a;
	const vigil_vuln *v;
	assert_int_equal(parse_text(f, "/mirror/mariner/azurelinux-3.0-oval.xml", bounds_doc), 0);
	assert_int_equal(f->n, 9); /* 1-4, 6, 8-11 */

	v = rec(f, "CVE-2023-29409", "golang", &a);
	assert_int_equal(a->state, VIGIL_STATE_FIXED);
	assert_string_equal(a->fixed, "0:1.20.7-1.azl3");
	assert_string_equal(a->namespace, "azurelinux:3.0");
	assert_int_equal(v->severity, VIGIL_SEV_MEDIUM);

	v = rec(f, "CVE-2024-0002", "pkg", &a);
	check_range(a, "1:2.0-1.azl3", VIGIL_EVENT_FIXED, "1:2.4-1.azl3");
	assert_string_equal(v->vendor_severity, "high"); /* as written */
	assert_int_equal(v->severity, VIGIL_SEV_HIGH);

	v = rec(f, "CVE-2024-0003", "pkg", &a);
	check_range(a, "1:2.0-1.azl3", VIGIL_EVENT_LAST_AFFECTED, "1:2.3-9.azl3");
	assert_int_equal(v->severity, VIGIL_SEV_HIGH); /* Important */

	v = rec(f, "CVE-2024-0004", "golang", &a);
	assert_int_equal(v->naffected, 2);
	assert_string_equal(a->fixed, "0:1.20.7-1.azl3");
	rec(f, "CVE-2024-0004", "pkg", &a);
	check_range(a, "0", VIGIL_EVENT_LAST_AFFECTED, "1:2.3-9.azl3");
	assert_int_equal(v->severity, VIGIL_SEV_MEDIUM); /* Moderate */

	v = rec(f, "CVE-2024-0006", "golang", &a); /* id from the title */
	assert_int_equal(v->severity, VIGIL_SEV_UNKNOWN);
	assert_string_equal(v->vendor_severity, "Urgent");
	assert_int_equal(v->nlinks, 0);

	v = rec(f, "CVE-2024-0009", "pkg", &a);
	assert_int_equal(a->state, VIGIL_STATE_NOT_FIXED);
	assert_null(v->vendor_severity);

	v = rec(f, "CVE-2024-0010", "golang", &a);
	assert_int_equal(v->naffected, 1);
	assert_int_equal(a->state, VIGIL_STATE_AFFECTED);
	assert_int_equal(a->nranges, 2);
	assert_string_equal(a->ranges[0].events[0].version, "0");
	assert_int_equal(a->ranges[0].events[1].kind, VIGIL_EVENT_FIXED);
	assert_string_equal(a->ranges[0].events[1].version, "0:1.20.7-1.azl3");
	assert_string_equal(a->ranges[1].events[0].version, "0");
	assert_int_equal(a->ranges[1].events[1].kind, VIGIL_EVENT_LAST_AFFECTED);
	assert_string_equal(a->ranges[1].events[1].version, "1:2.3-9.azl3");
	v = rec(f, "CVE-2024-0011", "golang", &a);
	assert_int_equal(v->naffected, 1);
	assert_int_equal(a->state, VIGIL_STATE_NOT_FIXED);
	assert_int_equal(a->nranges, 0);

	/* 0005 ("equals"), 0008's unknown test, 0007 (no CVE) */
	for (size_t i = 0; i < f->n; i++)
		assert_true(strcmp(f->recs[i].id, "CVE-2024-0005") != 0);
	rec(f, "CVE-2024-0008", "golang", &a); /* its known test is kept */
	assert_int_equal(f->warnings, 3);
	assert_non_null(strstr(f->last_warning, "2 criteria skipped, the first: line "));
	assert_non_null(strstr(f->last_warning, "a state other than an <evr> comparison"));
}

static const char small_mariner[] =
	HEAD("CBL-Mariner OVAL Definition Generator")
	DEF("1", "CVE-2021-22945 affecting package curl 7.76.0", REF("CVE-2021-22945") "<severity>Critical</severity>",
	    CRIT1("1"))
	"</definitions>\n<tests>\n" TEST("1", "1", "1") "</tests>\n<objects>\n" OBJ("1", "curl")
	"</objects>\n<states>\n" STE("1", "less than", "0:7.82.0-1.cm2") "</states>\n</oval_definitions>\n";

static void test_release_from_name(void **state)
{
	struct feed_fx *f = *state;
	static const struct {
		const char *file, *ns;
	} ok[] = { { "cbl-mariner-1.0-oval.xml", "mariner:1.0" },
		   { "/x/y/cbl-mariner-2.0-oval.xml", "mariner:2.0" },
		   { "https://mirror.example/mariner/cbl-mariner-2.0-preview-oval.xml", "mariner:2.0" } };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(parse_text(f, ok[i].file, small_mariner), 0);
		assert_int_equal(f->n, 1);
		assert_string_equal(f->recs[0].affected[0].namespace, ok[i].ns);
		assert_string_equal(f->recs[0].source, "mariner");
	}
	/* no release in the name: refused, saying how to name it */
	static const char *const bad[] = { "oval.xml", "cbl-mariner-oval.xml", "cbl-mariner-2-oval.xml",
					   "cbl-mariner-2.0.1-oval.xml", "cbl-mariner-2.0.xml", NULL };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse_text(f, bad[i], small_mariner), VIGIL_EFORMAT);
		assert_non_null(strstr(vigil_error_message(), "the file name gives no release (the definitions of CBL-Mariner OVAL name none)"));
		assert_int_equal(f->n, 0);
	}
	/* the name and the generator disagree */
	assert_int_equal(parse_text(f, "azurelinux-3.0-oval.xml", small_mariner), VIGIL_EFORMAT);
	assert_string_equal(vigil_error_message(), "the file name says Azure Linux but <generator> says CBL-Mariner");
	assert_int_equal(parse_text(f, "cbl-mariner-2.0-oval.xml", bounds_doc), VIGIL_EFORMAT);
	assert_int_equal(f->n, 0);
}

static void test_bad_input(void **state)
{
	struct feed_fx *f = *state;
	char *cut = strdup(small_mariner);
	cut[strlen(cut) / 2] = '\0';
	assert_int_equal(parse_text(f, "cbl-mariner-2.0-oval.xml", cut), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "XML: line "));
	assert_int_equal(f->n, 0); /* nothing emitted before the whole document is checked */
	free(cut);
	assert_int_equal(parse_text(f, "cbl-mariner-2.0-oval.xml", ""), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, "cbl-mariner-2.0-oval.xml", "<rss/>"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "not <oval_definitions>"));
	assert_int_equal(feed_mariner_oval(NULL, "x", 1), VIGIL_EINVAL);
}

static void test_detect(void **state)
{
	static const char *const files[] = { "cbl-mariner-2.0-preview-oval.xml", "cbl-mariner-2.0-oval.xml",
					     "azurelinux-3.0-oval.xml" };
	static const char rh[] = "<?xml version=\"1.0\"?><oval_definitions><definitions><definition "
				 "id=\"oval:com.redhat.rhsa:def:20230001\"/></definitions></oval_definitions>";
	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char rel[128];
		size_t len;
		snprintf(rel, sizeof(rel), "feeds/mariner/oval/%s", files[i]);
		char *d = th_read_file(th_data_path(rel), &len);
		assert_non_null(d);
		assert_string_equal(db_feed_detect(rel, d, len)->feed, "mariner");
		assert_string_equal(db_feed_detect("x.xml", d, len)->feed, "mariner"); /* by content alone */
		free(d);
	}
	assert_string_equal(db_feed_detect("rhel-9.oval.xml", rh, strlen(rh))->feed, "redhat-oval");
	/* an upstream name: a Mariner file even when broken, so the error names it */
	assert_string_equal(db_feed_detect("m/cbl-mariner-2.0-oval.xml", "<oval_defi", 10)->feed, "mariner");
	assert_false(feed_mariner_sniff("cbl-mariner-2.0-oval.xml", "{\"a\":1}", 7));
	assert_false(feed_mariner_sniff("x.xml", rh, strlen(rh)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mariner20, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mariner20_preview, setup, teardown),
		cmocka_unit_test_setup_teardown(test_azurelinux30, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_from_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test(test_detect),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
