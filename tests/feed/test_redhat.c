/* tests/feed/test_redhat.c: the Red Hat feed parsers on the real files of
 * feeds/redhat/ (the three OVAL v2 streams decompressed with
 * feed_bunzip2, the 15 CSAF advisories and VEX files, the 20 Security
 * Data API CVE files) and on bad input and limits.
 *
 * The expected counts were worked out independently with a Python script
 * (ElementTree / json over the raw files) that applies the rules of
 * docs/feeds-redhat.md: records, affected entries after deduplication on
 * (namespace, package, is_source, state, fixed, module), entries per state.
 * Its output matched the parsers' entry for entry (48 OVAL, 2218 CSAF, 201
 * CVE JSON entries). bzcat gives the decompressed sizes of the OVAL files. */
#include "helpers.h"
#include "feed/bz2.h"
#include "feed/feed.h"
#include "util/buf.h"
#include "util/error.h"

#include <bzlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { OVAL, CSAF, CVE };

struct fx {
	vigil_arena *arena;
	vigil_intern *strings;
	vigil_feed_ctx ctx;
	vigil_vuln *v;
	size_t n, cap;
	int warnings, fail_emit;
	char last_warning[1024];
};

static int on_emit(void *ud, const vigil_vuln *v)
{
	struct fx *f = ud;
	if (f->fail_emit)
		return vigil_error_set(VIGIL_ECANCELED, "stop");
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->v = realloc(f->v, f->cap * sizeof(*f->v));
	}
	f->v[f->n++] = *v; /* strings and arrays live in the arena */
	return 0;
}

static void on_warn(void *ud, const char *msg)
{
	struct fx *f = ud;
	f->warnings++;
	snprintf(f->last_warning, sizeof(f->last_warning), "%s", msg);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	f->arena = vigil_arena_new(0);
	f->ctx = (vigil_feed_ctx){ .arena = f->arena, .emit = on_emit, .emit_ud = f, .warn = on_warn, .warn_ud = f };
	*state = f;
	return 0;
}

static int setup_interned(void **state)
{
	setup(state);
	struct fx *f = *state;
	f->ctx.strings = f->strings = vigil_intern_new(f->arena);
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	free(f->v);
	vigil_intern_free(f->strings);
	vigil_arena_free(f->arena);
	free(f);
	return 0;
}

static int parse(struct fx *f, enum kind k, const char *data, size_t len)
{
	f->n = 0;
	f->warnings = 0;
	f->ctx.warnings = 0;
	return k == OVAL ? feed_redhat_oval(&f->ctx, data, len)
	       : k == CSAF ? feed_redhat_csaf(&f->ctx, data, len)
			   : feed_redhat_cve_json(&f->ctx, data, len);
}

static int parse_text(struct fx *f, enum kind k, const char *text)
{
	return parse(f, k, text, strlen(text));
}

/* Reads a file of feeds/redhat/ (an OVAL .bz2 decompressed); *out for the caller. */
static char *read_rel(const char *rel, size_t *len)
{
	char path[512], *raw, *xml;
	size_t n;
	snprintf(path, sizeof(path), "feeds/redhat/%s", rel);
	if (!(raw = th_read_file(th_data_path(path), &n)))
		fail_msg("cannot read %s", path);
	if (!strstr(rel, ".bz2")) {
		*len = n;
		return raw;
	}
	assert_int_equal(feed_bunzip2(raw, n, (size_t)64 << 20, &xml, len), 0);
	free(raw);
	return xml;
}

static int parse_rel(struct fx *f, enum kind k, const char *rel)
{
	size_t len;
	char *data = read_rel(rel, &len);
	int rc = parse(f, k, data, len);
	free(data);
	return rc;
}

static const vigil_vuln *vuln(struct fx *f, const char *id)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].id, id) == 0)
			return &f->v[i];
	fail_msg("no record %s", id);
	return NULL;
}

static const vigil_affected *aff(const vigil_vuln *v, const char *ns, const char *pkg, int src, const char *fixed)
{
	for (size_t i = 0; i < v->naffected; i++) {
		const vigil_affected *a = &v->affected[i];
		if (strcmp(a->namespace, ns) == 0 && strcmp(a->package, pkg) == 0 && a->is_source == src &&
		    (!fixed || (a->fixed && strcmp(a->fixed, fixed) == 0)))
			return a;
	}
	fail_msg("%s: no entry %s %s src=%d %s", v->id, ns, pkg, src, fixed ? fixed : "");
	return NULL;
}

static bool has(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

struct counts {
	size_t records, entries, by_state[5];
};

static struct counts count(struct fx *f)
{
	struct counts c = { .records = f->n };
	for (size_t i = 0; i < f->n; i++) {
		c.entries += f->v[i].naffected;
		for (size_t j = 0; j < f->v[i].naffected; j++) {
			const vigil_affected *a = &f->v[i].affected[j];
			assert_string_equal(a->scheme, "rpm");
			assert_non_null(a->namespace);
			assert_true(strncmp(a->namespace, "rhel:", 5) == 0);
			assert_true(a->state != VIGIL_STATE_FIXED || a->fixed);
			c.by_state[a->state]++;
		}
		assert_string_equal(f->v[i].source, "redhat");
	}
	return c;
}

/* ---- bzip2 ---- */

static void test_bunzip2(void **state)
{
	static const struct {
		const char *rel;
		size_t size;
	} t[] = {
		{ "oval-v2/RHEL6/rhel-6-extras-including-unpatched.oval.xml.bz2", 30030 },
		{ "oval-v2/RHEL7/dotnet-3.1-including-unpatched.oval.xml.bz2", 62128 },
		{ "oval-v2/RHEL8/ansible-2-including-unpatched.oval.xml.bz2", 22245 },
	};
	char path[256], *raw, *out, two[256], small[64];
	size_t n, len;
	unsigned clen = sizeof(small);
	(void)state;
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "feeds/redhat/%s", t[i].rel);
		raw = th_read_file(th_data_path(path), &n);
		assert_non_null(raw);
		assert_int_equal(feed_bunzip2(raw, n, 1 << 20, &out, &len), 0);
		assert_int_equal(len, t[i].size);
		assert_int_equal(out[len], '\0');
		assert_memory_equal(out, "<?xml", 5);
		free(out);
		/* the cap, a truncated stream, garbage in the middle */
		assert_int_equal(feed_bunzip2(raw, n, t[i].size - 1, &out, &len), VIGIL_ELIMIT);
		assert_null(out);
		assert_int_equal(feed_bunzip2(raw, n, t[i].size, &out, &len), 0);
		free(out);
		assert_int_equal(feed_bunzip2(raw, n / 2, 1 << 20, &out, &len), VIGIL_EFORMAT);
		assert_non_null(strstr(vigil_error_message(), "truncated"));
		memset(raw + 4, 'x', 6); /* the block magic */
		assert_int_equal(feed_bunzip2(raw, n, 1 << 20, &out, &len), VIGIL_EFORMAT);
		assert_non_null(strstr(vigil_error_message(), "corrupt"));
		free(raw);
	}
	/* two streams back to back, as pbzip2 writes */
	assert_int_equal(BZ2_bzBuffToBuffCompress(small, &clen, (char *)"hello ", 6, 9, 0, 0), BZ_OK);
	memcpy(two, small, clen);
	memcpy(two + clen, small, clen);
	assert_int_equal(feed_bunzip2(two, 2 * clen, 100, &out, &len), 0);
	assert_int_equal(len, 12);
	assert_string_equal(out, "hello hello ");
	free(out);
	assert_int_equal(feed_bunzip2(two, 2 * clen + 3, 100, &out, &len), VIGIL_EFORMAT);
	assert_int_equal(feed_bunzip2("not bzip2 at all", 16, 100, &out, &len), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "not a bzip2 stream"));
	assert_int_equal(feed_bunzip2("", 0, 100, &out, &len), VIGIL_EFORMAT);
}

/* ---- OVAL v2 ---- */

static void test_oval_rhel8(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse_rel(f, OVAL, "oval-v2/RHEL8/ansible-2-including-unpatched.oval.xml.bz2"), 0);
	struct counts c = count(f);
	assert_int_equal(c.records, 5); /* 2 patch + 3 vulnerability definitions */
	assert_int_equal(c.entries, 10);
	assert_int_equal(c.by_state[VIGIL_STATE_FIXED], 4);
	assert_int_equal(c.by_state[VIGIL_STATE_NOT_FIXED], 6);
	assert_int_equal(f->warnings, 0);

	const vigil_vuln *v = vuln(f, "RHSA-2019:3927");
	assert_int_equal(v->naffected, 2);
	const vigil_affected *a = aff(v, "rhel:8", "ansible", 0, NULL); /* from cpe:/a:redhat:ansible_engine:2.9::el8 */
	assert_int_equal(a->state, VIGIL_STATE_FIXED);
	assert_string_equal(a->fixed, "0:2.9.1-1.el8");
	assert_null(a->arch);
	assert_null(a->module);
	assert_string_equal(aff(v, "rhel:8", "ansible-test", 0, NULL)->fixed, "0:2.9.1-1.el8");
	assert_string_equal(v->vendor_severity, "Moderate");
	assert_int_equal(v->severity, VIGIL_SEV_MEDIUM);
	assert_int_equal(v->naliases, 1);
	assert_string_equal(v->aliases[0], "CVE-2019-14864");
	assert_string_equal(v->cvss3_vector, "CVSS:3.0/AV:N/AC:L/PR:L/UI:R/S:U/C:H/I:N/A:N");
	assert_true(v->cvss3_score > 5.69 && v->cvss3_score < 5.71);
	assert_true(v->cvss2_score < 0);
	assert_string_equal(v->published, "2019-11-20");
	assert_string_equal(v->modified, "2019-11-20");
	assert_true(has(v->links, v->nlinks, "https://access.redhat.com/errata/RHSA-2019:3927"));
	assert_true(has(v->links, v->nlinks, "https://access.redhat.com/security/cve/CVE-2019-14864"));
	assert_string_equal(v->summary, "RHSA-2019:3927: ansible security and bug fix update (Moderate)");
	assert_non_null(strstr(v->description, "Splunk and Sumologic"));

	v = vuln(f, "RHSA-2020:0215");
	assert_string_equal(aff(v, "rhel:8", "ansible", 0, NULL)->fixed, "0:2.9.4-1.el8ae");
	assert_int_equal(v->naliases, 2);
	assert_true(v->cvss3_score > 7.29 && v->cvss3_score < 7.31); /* the higher of 7.3 and 5.6 */

	v = vuln(f, "CVE-2020-1738"); /* unpatched: "ansible is installed" */
	a = aff(v, "rhel:8", "ansible", 0, NULL);
	assert_int_equal(a->state, VIGIL_STATE_NOT_FIXED);
	assert_null(a->fixed);
	assert_int_equal(v->severity, VIGIL_SEV_LOW);
	assert_int_equal(v->naliases, 0);
}

static void test_oval_rhel7(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse_rel(f, OVAL, "oval-v2/RHEL7/dotnet-3.1-including-unpatched.oval.xml.bz2"), 0);
	struct counts c = count(f);
	assert_int_equal(c.records, 4);
	assert_int_equal(c.entries, 26);
	assert_int_equal(c.by_state[VIGIL_STATE_FIXED], 22);
	assert_int_equal(c.by_state[VIGIL_STATE_NOT_AFFECTED], 4);
	assert_int_equal(f->warnings, 0);

	const vigil_vuln *v = vuln(f, "RHSA-2020:0134");
	assert_int_equal(v->naffected, 11);
	const vigil_affected *a = aff(v, "rhel:7", "rh-dotnet31-dotnet-sdk-3.1", 0, NULL);
	assert_string_equal(a->fixed, "0:3.1.101-4.el7");
	assert_string_equal(a->arch, "x86_64");
	assert_string_equal(aff(v, "rhel:7", "rh-dotnet31-aspnetcore-runtime-3.1", 0, NULL)->fixed, "0:3.1.1-4.el7");
	assert_int_equal(v->severity, VIGIL_SEV_CRITICAL);
	assert_true(v->cvss3_score > 8.09 && v->cvss3_score < 8.11);
	assert_string_equal(vuln(f, "RHSA-2020:2249")->affected[0].fixed, "0:3.1.4-2.el7");

	/* "rh-dotnet31 is installed" AND "rh-dotnet31 is not installed": never
	 * true, so not affected, whatever the resolution element says */
	v = vuln(f, "CVE-2020-0605");
	assert_int_equal(v->naffected, 2);
	assert_int_equal(aff(v, "rhel:7", "rh-dotnet31", 0, NULL)->state, VIGIL_STATE_NOT_AFFECTED);
	assert_int_equal(aff(v, "rhel:7", "rh-dotnet31-runtime", 0, NULL)->state, VIGIL_STATE_NOT_AFFECTED);
}

static void test_oval_rhel6(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse_rel(f, OVAL, "oval-v2/RHEL6/rhel-6-extras-including-unpatched.oval.xml.bz2"), 0);
	struct counts c = count(f);
	assert_int_equal(c.records, 6);
	assert_int_equal(c.entries, 12);
	assert_int_equal(c.by_state[VIGIL_STATE_FIXED], 1);
	assert_int_equal(c.by_state[VIGIL_STATE_NOT_FIXED], 10);
	assert_int_equal(c.by_state[VIGIL_STATE_NOT_AFFECTED], 1);

	const vigil_vuln *v = vuln(f, "RHBA-2014:1396"); /* reference source="RHSA" */
	const vigil_affected *a = aff(v, "rhel:6", "redhat-upgrade-tool", 0, NULL); /* rhel_extras_other:6 */
	assert_string_equal(a->fixed, "1:0.7.32-1.el6");
	assert_int_equal(v->severity, VIGIL_SEV_HIGH);
	assert_string_equal(v->cvss2_vector, "AV:N/AC:H/Au:N/C:C/I:C/A:C");
	assert_true(v->cvss2_score > 7.59 && v->cvss2_score < 7.61);
	assert_string_equal(v->aliases[0], "CVE-2014-3585");

	v = vuln(f, "CVE-2014-3209"); /* no CPE list: "Red Hat Enterprise Linux 6 is installed" */
	assert_int_equal(v->naffected, 4);
	assert_int_equal(aff(v, "rhel:6", "ldns-python", 0, NULL)->state, VIGIL_STATE_NOT_FIXED);
	assert_int_equal(aff(vuln(f, "CVE-2016-5391"), "rhel:6", "libreswan", 0, NULL)->state,
			 VIGIL_STATE_NOT_AFFECTED);
	assert_int_equal(aff(vuln(f, "CVE-2018-5389"), "rhel:6", "libreswan", 0, NULL)->state,
			 VIGIL_STATE_NOT_FIXED);
}

#define OVAL_HEAD                                                                                         \
	"<?xml version=\"1.0\"?>\n<oval_definitions xmlns=\"http://oval.mitre.org/XMLSchema/oval-definitions-5\"" \
	" xmlns:red-def=\"http://oval.mitre.org/XMLSchema/oval-definitions-5#linux\">\n<definitions>\n"

/* Module streams, arch states, signature tests, duplicates, resolutions. */
static const char oval_modules[] = OVAL_HEAD
	"<definition class=\"patch\" id=\"oval:com.redhat.rhsa:def:20201234\" version=\"1\"><metadata>"
	"<title>RHSA-2020:1234: nodejs:12 security update (Important)</title>"
	"<reference ref_id=\"RHSA-2020:1234\" ref_url=\"https://access.redhat.com/errata/RHSA-2020:1234\" source=\"RHSA\"/>"
	"<reference ref_id=\"CVE-2020-0001\" ref_url=\"https://access.redhat.com/security/cve/CVE-2020-0001\" source=\"CVE\"/>"
	"<description>nodejs &amp; npm</description><advisory><severity>Important</severity>"
	"<cve cvss3=\"7.5/CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H\">CVE-2020-0001</cve>"
	"<cve cvss3=\"9.8/CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\">CVE-2020-0002</cve>"
	"<affected_cpe_list><cpe>cpe:/a:redhat:enterprise_linux:8</cpe><cpe>cpe:/a:redhat:enterprise_linux:8::appstream</cpe>"
	"<cpe>cpe:/a:redhat:rhel_eus:8.1::appstream</cpe></affected_cpe_list></advisory></metadata>"
	"<criteria operator=\"OR\"><criteria operator=\"AND\">"
	"<criterion comment=\"Module nodejs:12 is enabled\" test_ref=\"t:mod\"/>"
	"<criteria operator=\"OR\"><criteria operator=\"AND\">"
	"<criterion comment=\"nodejs is earlier than 1:12.16.1-1.module+el8.1.0+5811+44510ff1\" test_ref=\"t:1\"/>"
	"<criterion comment=\"nodejs is signed with Red Hat redhatrelease2 key\" test_ref=\"t:sig\"/></criteria>"
	"<criterion comment=\"npm is earlier than 1:6.13.4-1.12.16.1.1.module+el8.1.0+5811+44510ff1\" test_ref=\"t:2\"/>"
	"<criterion comment=\"npm is earlier than 1:6.13.4-1.12.16.1.1.module+el8.1.0+5811+44510ff1\" test_ref=\"t:3\"/>"
	"<criterion comment=\"nodejs is earlier than 1:12.16.1-1.module+el8.1.0+5811+44510ff1\" test_ref=\"t:1\"/>"
	"</criteria></criteria>"
	"<criterion comment=\"kernel is earlier than 0:4.18.0-1.el8\" test_ref=\"t:4\"/>"
	"<criterion comment=\"dangling\" test_ref=\"t:missing\"/></criteria></definition>\n"
	"<definition class=\"vulnerability\" id=\"oval:com.redhat.cve:def:20209999\" version=\"1\"><metadata>"
	"<title>CVE-2020-9999 foo: bar (low)</title>"
	"<reference ref_id=\"CVE-2020-9999\" ref_url=\"https://access.redhat.com/security/cve/CVE-2020-9999\" source=\"CVE\"/>"
	"<advisory><severity>Low</severity><affected><resolution state=\"Will not fix\"><component>foo</component>"
	"</resolution></affected></advisory></metadata>"
	"<criteria operator=\"AND\"><criterion comment=\"Red Hat Enterprise Linux 9 is installed\" test_ref=\"t:rhel\"/>"
	"<criteria operator=\"OR\"><criterion comment=\"foo is installed\" test_ref=\"t:5\"/>"
	"<criterion comment=\"bar is installed\" test_ref=\"t:6\"/></criteria></criteria></definition>\n"
	"<definition class=\"inventory\" id=\"oval:x:def:1\" version=\"1\"><metadata><title>RHEL 8</title></metadata></definition>\n"
	"</definitions><tests>"
	"<ind-def:textfilecontent54_test xmlns:ind-def=\"x\" id=\"t:mod\"><ind-def:object object_ref=\"o:mod\"/></ind-def:textfilecontent54_test>"
	"<red-def:rpminfo_test id=\"t:1\"><red-def:object object_ref=\"o:nodejs\"/><red-def:state state_ref=\"s:1\"/></red-def:rpminfo_test>"
	"<red-def:rpminfo_test id=\"t:sig\"><red-def:object object_ref=\"o:nodejs\"/><red-def:state state_ref=\"s:sig\"/></red-def:rpminfo_test>"
	"<red-def:rpminfo_test id=\"t:2\"><red-def:object object_ref=\"o:npm\"/><red-def:state state_ref=\"s:2\"/></red-def:rpminfo_test>"
	"<red-def:rpminfo_test id=\"t:3\"><red-def:object object_ref=\"o:npm\"/><red-def:state state_ref=\"s:3\"/></red-def:rpminfo_test>"
	"<red-def:rpminfo_test id=\"t:4\"><red-def:object object_ref=\"o:kernel\"/><red-def:state state_ref=\"s:4\"/></red-def:rpminfo_test>"
	"<red-def:rpminfo_test id=\"t:5\"><red-def:object object_ref=\"o:foo\"/></red-def:rpminfo_test>"
	"<red-def:rpminfo_test id=\"t:6\"><red-def:object object_ref=\"o:bar\"/></red-def:rpminfo_test>"
	"<red-def:rpmverifyfile_test id=\"t:rhel\"><red-def:object object_ref=\"o:rel\"/></red-def:rpmverifyfile_test>"
	"</tests><objects>"
	"<red-def:rpminfo_object id=\"o:nodejs\"><red-def:name>nodejs</red-def:name></red-def:rpminfo_object>"
	"<red-def:rpminfo_object id=\"o:npm\"><red-def:name>npm</red-def:name></red-def:rpminfo_object>"
	"<red-def:rpminfo_object id=\"o:kernel\"><red-def:name>kernel</red-def:name></red-def:rpminfo_object>"
	"<red-def:rpminfo_object id=\"o:foo\"><red-def:name>foo</red-def:name></red-def:rpminfo_object>"
	"<red-def:rpminfo_object id=\"o:bar\"><red-def:name>bar</red-def:name></red-def:rpminfo_object>"
	"</objects><states>"
	"<red-def:rpminfo_state id=\"s:1\"><red-def:evr datatype=\"evr_string\" operation=\"less than\">1:12.16.1-1.module+el8.1.0+5811+44510ff1</red-def:evr></red-def:rpminfo_state>"
	"<red-def:rpminfo_state id=\"s:sig\"><red-def:signature_keyid operation=\"equals\">199e2f91fd431d51</red-def:signature_keyid></red-def:rpminfo_state>"
	"<red-def:rpminfo_state id=\"s:2\"><red-def:arch operation=\"equals\">x86_64</red-def:arch><red-def:evr operation=\"less than\">1:6.13.4-1.12.16.1.1.module+el8.1.0+5811+44510ff1</red-def:evr></red-def:rpminfo_state>"
	"<red-def:rpminfo_state id=\"s:3\"><red-def:arch operation=\"pattern match\">aarch64|ppc64le</red-def:arch><red-def:evr operation=\"less than\">1:6.13.4-1.12.16.1.1.module+el8.1.0+5811+44510ff1</red-def:evr></red-def:rpminfo_state>"
	"<red-def:rpminfo_state id=\"s:4\"><red-def:evr operation=\"less than\">0:4.18.0-1.el8</red-def:evr></red-def:rpminfo_state>"
	"</states></oval_definitions>\n";

static void test_oval_modules(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse_text(f, OVAL, oval_modules), 0);
	assert_int_equal(f->n, 2); /* the inventory definition is not a vulnerability */
	assert_int_equal(f->warnings, 1); /* the dangling test_ref */
	assert_non_null(strstr(f->last_warning, "t:missing"));

	const vigil_vuln *v = vuln(f, "RHSA-2020:1234");
	assert_int_equal(v->naffected, 3); /* rhel:8 only: the EUS CPE maps to nothing */
	const vigil_affected *a = aff(v, "rhel:8", "nodejs", 0, NULL);
	assert_string_equal(a->module, "nodejs:12");
	assert_string_equal(a->fixed, "1:12.16.1-1.module+el8.1.0+5811+44510ff1");
	assert_null(a->arch);
	a = aff(v, "rhel:8", "npm", 0, NULL);
	assert_string_equal(a->module, "nodejs:12");
	assert_string_equal(a->arch, "x86_64|aarch64|ppc64le");
	a = aff(v, "rhel:8", "kernel", 0, "0:4.18.0-1.el8");
	assert_null(a->module); /* outside the module's branch */
	assert_string_equal(v->description, "nodejs & npm");
	assert_true(v->cvss3_score > 9.79 && v->cvss3_score < 9.81);
	assert_int_equal(v->naliases, 2);

	v = vuln(f, "CVE-2020-9999");
	assert_int_equal(aff(v, "rhel:9", "foo", 0, NULL)->state, VIGIL_STATE_WILL_NOT_FIX);
	assert_int_equal(aff(v, "rhel:9", "bar", 0, NULL)->state, VIGIL_STATE_NOT_FIXED);
}

static void test_oval_bad(void **state)
{
	struct fx *f = *state;
	char *xml;
	vigil_buf b;
	size_t len;

	assert_int_equal(parse_text(f, OVAL, "not xml"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "XML: line 1"));
	assert_int_equal(parse_text(f, OVAL, ""), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, OVAL, "<?xml version=\"1.0\"?><rss/>"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "<rss>"));
	assert_int_equal(parse_text(f, OVAL, "<?xml version=\"1.0\"?><oval_definitions/>"), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, OVAL, "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaa\">]>"
					     "<oval_definitions><definitions/></oval_definitions>"),
			 VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "DOCTYPE"));

	/* a real stream cut in the middle */
	xml = read_rel("oval-v2/RHEL8/ansible-2-including-unpatched.oval.xml.bz2", &len);
	assert_int_equal(parse(f, OVAL, xml, len / 2), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "XML: line"));
	/* the emit callback stops the parse with its code */
	f->fail_emit = 1;
	assert_int_equal(parse(f, OVAL, xml, len), VIGIL_ECANCELED);
	f->fail_emit = 0;
	free(xml);

	/* criteria nested past VIGIL_RHOVAL_MAX_DEPTH */
	vigil_buf_init(&b, 1 << 20);
	vigil_buf_puts(&b, OVAL_HEAD "<definition class=\"patch\" id=\"d\"><metadata><title>RHSA-1:1: x</title>"
		     "<advisory><affected_cpe_list><cpe>cpe:/o:redhat:enterprise_linux:8</cpe></affected_cpe_list>"
		     "</advisory></metadata>");
	for (int i = 0; i < 40; i++)
		vigil_buf_puts(&b, "<criteria>");
	for (int i = 0; i < 40; i++)
		vigil_buf_puts(&b, "</criteria>");
	vigil_buf_puts(&b, "</definition></definitions></oval_definitions>");
	assert_int_equal(parse_text(f, OVAL, vigil_buf_cstr(&b)), VIGIL_ELIMIT);
	assert_non_null(strstr(vigil_error_message(), "deeper"));
	assert_non_null(strstr(vigil_error_message(), "definition d"));

	/* a definition of a product vigil does not map: skipped, one warning */
	vigil_buf_reset(&b);
	vigil_buf_puts(&b, OVAL_HEAD "<definition class=\"patch\" id=\"d\"><metadata><title>RHSA-1:1: x</title>"
		     "<advisory><affected_cpe_list><cpe>cpe:/a:redhat:jboss_fuse:7</cpe></affected_cpe_list>"
		     "</advisory></metadata></definition></definitions></oval_definitions>");
	assert_int_equal(parse_text(f, OVAL, vigil_buf_cstr(&b)), 0);
	assert_int_equal(f->n, 0);
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "cpe:/a:redhat:jboss_fuse:7"));
	vigil_buf_free(&b);
}

/* ---- CSAF ---- */

static void test_csaf_files(void **state)
{
	static const struct {
		const char *rel;
		size_t entries, fixed, not_fixed, wont, not_affected;
		int warnings;
	} t[] = {
		{ "csaf/rhsa-2024_0010.json", 13, 13, 0, 0, 0, 0 },
		{ "csaf/advisories/rhsa-2023_3821.json", 51, 51, 0, 0, 0, 0 },
		{ "csaf/advisories/rhsa-2023_7025.json", 53, 53, 0, 0, 0, 0 },
		{ "csaf/advisories/rhsa-2024_0811.json", 10, 10, 0, 0, 0, 6 }, /* 6 EUS products */
		{ "csaf/advisories/rhsa-2024_1431.json", 46, 46, 0, 0, 0, 0 },
		{ "csaf/advisories/2024/rhsa-2024_6163.json", 1, 1, 0, 0, 0, 0 },
		{ "csaf/advisories/2024/rhsa-2024_9371.json", 1, 1, 0, 0, 0, 0 },
		{ "csaf/advisories/2025/rhsa-2025_23414.json", 4, 4, 0, 0, 0, 0 },
		{ "csaf-vex/cve-2022-38752.json", 1546, 18, 0, 1, 1527, 23 },
		{ "csaf-vex/cve-2023-38545.json", 229, 41, 0, 0, 188, 2 },
		{ "csaf-vex/cve-2023-4154.json", 130, 0, 0, 0, 130, 1 },
		{ "csaf-vex/cve-2023-42670.json", 130, 0, 0, 0, 130, 1 },
		{ "csaf-vex/cve-2024-24786-bad-rpmmod.json", 2, 1, 1, 0, 0, 1 },
		{ "csaf-vex/cve-2024-24786-illegal-module.json", 1, 0, 1, 0, 0, 0 },
		{ "csaf-vex/cve-2024-24786-simple.json", 1, 1, 0, 0, 0, 0 },
	};
	struct fx *f = *state;
	size_t total = 0;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(parse_rel(f, CSAF, t[i].rel), 0);
		struct counts c = count(f);
		if (c.records != 1 || c.entries != t[i].entries || c.by_state[VIGIL_STATE_FIXED] != t[i].fixed ||
		    c.by_state[VIGIL_STATE_NOT_FIXED] != t[i].not_fixed ||
		    c.by_state[VIGIL_STATE_WILL_NOT_FIX] != t[i].wont ||
		    c.by_state[VIGIL_STATE_NOT_AFFECTED] != t[i].not_affected || f->warnings != t[i].warnings)
			fail_msg("%s: %zu records, %zu entries (%zu/%zu/%zu/%zu), %d warnings", t[i].rel, c.records,
				 c.entries, c.by_state[1], c.by_state[2], c.by_state[3], c.by_state[4], f->warnings);
		total += c.entries;
	}
	assert_int_equal(total, 2218);
}

static void test_csaf_advisory(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse_rel(f, CSAF, "csaf/rhsa-2024_0010.json"), 0);
	const vigil_vuln *v = vuln(f, "RHSA-2024:0010");
	assert_int_equal(v->naliases, 3);
	assert_true(has(v->aliases, v->naliases, "CVE-2023-6478"));
	assert_string_equal(v->vendor_severity, "Important");
	assert_int_equal(v->severity, VIGIL_SEV_HIGH);
	assert_string_equal(v->published, "2024-01-02T08:58:34+00:00");
	assert_string_equal(v->modified, "2024-11-23T02:54:26+00:00");
	assert_string_equal(v->summary, "Red Hat Security Advisory: tigervnc security update");
	assert_string_equal(v->links[0], "https://access.redhat.com/errata/RHSA-2024:0010");
	assert_true(v->cvss3_score > 7.79 && v->cvss3_score < 7.81);
	const vigil_affected *a = aff(v, "rhel:9", "tigervnc", 1, NULL); /* arch=src */
	assert_string_equal(a->fixed, "0:1.13.1-3.el9_3.3");
	assert_null(a->arch);
	a = aff(v, "rhel:9", "tigervnc-server", 0, NULL);
	assert_string_equal(a->fixed, "0:1.13.1-3.el9_3.3");
	assert_string_equal(a->arch, "aarch64|ppc64le|s390x|x86_64");
	assert_string_equal(aff(v, "rhel:9", "tigervnc-icons", 0, NULL)->arch, "noarch");

	assert_int_equal(parse_rel(f, CSAF, "csaf/advisories/rhsa-2023_3821.json"), 0);
	a = aff(vuln(f, "RHSA-2023:3821"), "rhel:8", "ruby", 1, NULL);
	assert_string_equal(a->module, "ruby:2.7"); /* rpmmod=ruby:2.7:8080020230427102918:63b34585 */
	assert_string_equal(a->fixed, "0:2.7.8-139.module+el8.8.0+18745+f1bef313");

	assert_int_equal(parse_rel(f, CSAF, "csaf/advisories/2025/rhsa-2025_23414.json"), 0);
	a = aff(vuln(f, "RHSA-2025:23414"), "rhel:6", "bind-libs", 0, NULL); /* rhel_els:6, epoch=32 */
	assert_string_equal(a->fixed, "32:9.8.2-0.68.rc1.el6_10.17");
	assert_string_equal(a->arch, "i686|s390|s390x|x86_64");
}

static void test_csaf_vex(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse_rel(f, CSAF, "csaf-vex/cve-2022-38752.json"), 0);
	const vigil_vuln *v = vuln(f, "CVE-2022-38752");
	assert_int_equal(v->severity, VIGIL_SEV_MEDIUM);
	assert_string_equal(v->published, "2022-09-05T00:00:00+00:00");
	assert_non_null(v->description);
	/* known_affected + remediation no_fix_planned ("Out of support scope") */
	assert_int_equal(aff(v, "rhel:7", "snakeyaml", 0, NULL)->state, VIGIL_STATE_WILL_NOT_FIX);
	assert_string_equal(aff(v, "rhel:8", "rh-sso7-keycloak", 1, NULL)->fixed, "0:18.0.7-1.redhat_00001.1.el8sso");

	assert_int_equal(parse_rel(f, CSAF, "csaf-vex/cve-2023-38545.json"), 0);
	v = vuln(f, "CVE-2023-38545");
	assert_int_equal(aff(v, "rhel:8", "curl", 1, NULL)->state, VIGIL_STATE_NOT_AFFECTED);
	assert_int_equal(aff(v, "rhel:9", "curl", 1, "0:7.76.1-26.el9_3.2")->state, VIGIL_STATE_FIXED);
	assert_string_equal(aff(v, "rhel:9", "libcurl", 0, "0:7.76.1-26.el9_3.2")->arch,
			    "aarch64|i686|ppc64le|s390x|x86_64");
	assert_int_equal(v->severity, VIGIL_SEV_HIGH);

	assert_int_equal(parse_rel(f, CSAF, "csaf-vex/cve-2023-4154.json"), 0);
	assert_int_equal(aff(vuln(f, "CVE-2023-4154"), "rhel:6", "samba", 1, NULL)->state, VIGIL_STATE_NOT_AFFECTED);

	assert_int_equal(parse_rel(f, CSAF, "csaf-vex/cve-2024-24786-bad-rpmmod.json"), 0);
	assert_non_null(strstr(f->last_warning, "rpmmod \"rhel10\""));
	v = vuln(f, "CVE-2024-24786");
	assert_string_equal(aff(v, "rhel:10", "cri-tools", 0, NULL)->fixed, "0:1.29.0-3.1.el9");
	assert_int_equal(aff(v, "rhel:10", "good-pkg", 0, NULL)->state, VIGIL_STATE_NOT_FIXED);

	assert_int_equal(parse_rel(f, CSAF, "csaf-vex/cve-2024-24786-illegal-module.json"), 0);
	const vigil_affected *a = aff(vuln(f, "CVE-2024-24786"), "rhel:8", "go-toolset", 1, NULL);
	assert_string_equal(a->module, "go-toolset:rhel8");
	assert_int_equal(a->state, VIGIL_STATE_NOT_FIXED);
	assert_null(a->fixed);

	assert_int_equal(parse_rel(f, CSAF, "csaf-vex/cve-2024-24786-simple.json"), 0);
	a = aff(vuln(f, "CVE-2024-24786"), "rhel:9", "cri-tools", 0, NULL); /* openshift:4.16::el9 */
	assert_string_equal(a->arch, "aarch64");
}

#define VEX_HEAD                                                                                    \
	"{\"document\":{\"category\":\"csaf_vex\",\"csaf_version\":\"2.0\",\"tracking\":{\"id\":\"CVE-2099-1\"}}," \
	"\"product_tree\":{\"branches\":[{\"category\":\"product_name\",\"name\":\"RHEL 8\",\"product\":"   \
	"{\"product_id\":\"R8\",\"product_identification_helper\":{\"cpe\":\"cpe:/o:redhat:enterprise_linux:8\"}}}"

static void test_csaf_synthetic(void **state)
{
	struct fx *f = *state;
	static const char ok[] = VEX_HEAD ",{\"product\":{\"product_id\":\"p1\",\"product_identification_helper\":"
		"{\"purl\":\"pkg:rpm/redhat/libstdc%2B%2B@8.5.0-1.el8?arch=x86_64&epoch=2\"}}},"
		"{\"product\":{\"product_id\":\"p2\",\"product_identification_helper\":{\"purl\":\"pkg:rpm/redhat/nodejs?rpmmod=nodejs:12\"}}},"
		"{\"product\":{\"product_id\":\"p3\",\"product_identification_helper\":{\"purl\":\"pkg:rpm/redhat/%zz\"}}},"
		"{\"product\":{\"product_id\":\"p4\",\"product_identification_helper\":{\"purl\":\"pkg:rpm/redhat/nover?arch=src\"}}},"
		"{\"product\":{\"product_id\":\"p5\",\"product_identification_helper\":{\"purl\":\"pkg:maven/org/x@1\"}}}]"
		",\"relationships\":["
		"{\"category\":\"default_component_of\",\"full_product_name\":{\"product_id\":\"R8:p1\"},\"product_reference\":\"p1\",\"relates_to_product_reference\":\"R8\"},"
		"{\"category\":\"default_component_of\",\"full_product_name\":{\"product_id\":\"R8:p2\"},\"product_reference\":\"p2\",\"relates_to_product_reference\":\"R8\"},"
		"{\"category\":\"default_component_of\",\"full_product_name\":{\"product_id\":\"R8:p3\"},\"product_reference\":\"p3\",\"relates_to_product_reference\":\"R8\"},"
		"{\"category\":\"default_component_of\",\"full_product_name\":{\"product_id\":\"R8:p4\"},\"product_reference\":\"p4\",\"relates_to_product_reference\":\"R8\"},"
		"{\"category\":\"default_component_of\",\"full_product_name\":{\"product_id\":\"R8:p5\"},\"product_reference\":\"p5\",\"relates_to_product_reference\":\"R8\"}]},"
		"\"vulnerabilities\":[{\"cve\":\"CVE-2099-1\",\"product_status\":{\"fixed\":[\"R8:p1\",\"R8:p3\",\"R8:p4\",\"R8:p5\",\"elsewhere\"],"
		"\"known_affected\":[\"R8:p2\"],\"under_investigation\":[\"R8:p4\"]},"
		"\"remediations\":[{\"category\":\"none_available\",\"product_ids\":[\"R8:p2\"]}],"
		"\"scores\":[{\"cvss_v3\":{\"baseScore\":7,\"vectorString\":\"CVSS:3.1/AV:N\"}}],"
		"\"notes\":[{\"category\":\"description\",\"text\":\"d\"},{\"category\":\"summary\",\"text\":\"s\"}]}]}";
	assert_int_equal(parse_text(f, CSAF, ok), 0);
	assert_int_equal(f->warnings, 2); /* the bad purl, the fixed purl without a version */
	const vigil_vuln *v = vuln(f, "CVE-2099-1");
	assert_int_equal(v->naffected, 3);
	const vigil_affected *a = aff(v, "rhel:8", "libstdc++", 0, NULL);
	assert_string_equal(a->fixed, "2:8.5.0-1.el8");
	assert_string_equal(a->arch, "x86_64");
	a = aff(v, "rhel:8", "nodejs", 0, NULL); /* none_available stays not-fixed */
	assert_int_equal(a->state, VIGIL_STATE_NOT_FIXED);
	assert_string_equal(a->module, "nodejs:12");
	assert_int_equal(aff(v, "rhel:8", "nover", 1, NULL)->state, VIGIL_STATE_NOT_FIXED);
	assert_true(v->cvss3_score > 6.99 && v->cvss3_score < 7.01);
	assert_string_equal(v->description, "d");
	assert_string_equal(v->summary, "s");
	assert_int_equal(v->severity, VIGIL_SEV_UNKNOWN);
}

static void test_csaf_bad(void **state)
{
	struct fx *f = *state;
	size_t len;
	char *json;
	vigil_buf b;

	json = read_rel("csaf/rhsa-2024_0010.json", &len);
	assert_int_equal(parse(f, CSAF, json, 1000), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "JSON: line"));
	f->fail_emit = 1;
	assert_int_equal(parse(f, CSAF, json, len), VIGIL_ECANCELED);
	f->fail_emit = 0;
	free(json);
	assert_int_equal(parse_text(f, CSAF, "[]"), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, CSAF, "{}"), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, CSAF, "{\"document\":{\"category\":\"csaf_base\"}}"), VIGIL_EUNSUPPORTED);
	assert_int_equal(parse_text(f, CSAF, "{\"document\":{\"category\":\"csaf_vex\",\"csaf_version\":\"1.2\"}}"),
			 VIGIL_EUNSUPPORTED);
	assert_int_equal(parse_text(f, CSAF, "{\"document\":{\"category\":\"csaf_vex\"},\"vulnerabilities\":{}}"),
			 VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "vulnerabilities: not an array"));
	assert_int_equal(parse_text(f, CSAF, "{\"document\":{\"category\":\"csaf_vex\",\"tracking\":[]}}"),
			 VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "document.tracking"));
	assert_int_equal(parse_text(f, CSAF, VEX_HEAD "]},\"vulnerabilities\":[{\"cve\":\"CVE-1\","
					   "\"product_status\":{\"fixed\":[\"R8\",5]}}]}"),
			 VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "vulnerabilities[0].product_status.fixed[1]"));
	assert_int_equal(parse_text(f, CSAF, VEX_HEAD "]},\"vulnerabilities\":[{\"cve\":\"CVE-1\","
					   "\"scores\":[{\"cvss_v3\":{\"baseScore\":\"high\"}}]}]}"),
			 VIGIL_EFORMAT);

	/* branches nested past VIGIL_CSAF_MAX_DEPTH */
	vigil_buf_init(&b, 1 << 20);
	vigil_buf_puts(&b, "{\"document\":{\"category\":\"csaf_vex\"},\"product_tree\":{\"branches\":");
	for (int i = 0; i < 40; i++)
		vigil_buf_puts(&b, "[{\"branches\":");
	vigil_buf_puts(&b, "[]");
	for (int i = 0; i < 40; i++)
		vigil_buf_puts(&b, "}]");
	vigil_buf_puts(&b, "}}");
	assert_int_equal(parse_text(f, CSAF, vigil_buf_cstr(&b)), VIGIL_ELIMIT);
	assert_non_null(strstr(vigil_error_message(), "nested deeper than 32"));
	vigil_buf_free(&b);
}

/* ---- Security Data API CVE JSON ---- */

static void test_cve_files(void **state)
{
	static const struct {
		const char *id;
		size_t entries, fixed, not_fixed, wont, not_affected;
		int warnings;
	} t[] = {
		{ "CVE-2017-3509", 19, 16, 0, 3, 0, 1 }, { "CVE-2017-3511", 15, 13, 0, 2, 0, 0 },
		{ "CVE-2017-3526", 13, 10, 0, 3, 0, 0 }, { "CVE-2017-3533", 19, 16, 0, 3, 0, 1 },
		{ "CVE-2017-3539", 19, 16, 0, 3, 0, 1 }, { "CVE-2017-3544", 19, 16, 0, 3, 0, 1 },
		{ "CVE-2019-25059", 5, 0, 0, 3, 2, 0 },  { "CVE-2020-16587", 4, 0, 0, 4, 0, 0 },
		{ "CVE-2020-16588", 4, 0, 0, 3, 1, 0 },  { "CVE-2021-20298", 4, 0, 0, 4, 0, 0 },
		{ "CVE-2021-20299", 4, 0, 0, 4, 0, 0 },  { "CVE-2022-1921", 7, 1, 1, 5, 0, 0 },
		{ "CVE-2022-1922", 7, 1, 1, 5, 0, 0 },   { "CVE-2022-1923", 7, 1, 1, 5, 0, 0 },
		{ "CVE-2022-1924", 7, 1, 1, 5, 0, 0 },   { "CVE-2022-1925", 7, 1, 1, 5, 0, 0 },
		{ "CVE-2022-2309", 5, 1, 1, 0, 3, 1 },   { "CVE-2023-4863", 12, 8, 2, 1, 1, 9 },
		{ "CVE-2023-5129", 12, 8, 2, 1, 1, 9 },  { "CVE-2023-5217", 12, 8, 2, 1, 1, 9 },
	};
	struct fx *f = *state;
	char rel[128];
	size_t total = 0;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(rel, sizeof(rel), "securitydata-cve-json/%s", t[i].id);
		assert_int_equal(parse_rel(f, CVE, rel), 0);
		struct counts c = count(f);
		if (c.records != 1 || strcmp(f->v[0].id, t[i].id) != 0 || c.entries != t[i].entries ||
		    c.by_state[VIGIL_STATE_FIXED] != t[i].fixed || c.by_state[VIGIL_STATE_NOT_FIXED] != t[i].not_fixed ||
		    c.by_state[VIGIL_STATE_WILL_NOT_FIX] != t[i].wont ||
		    c.by_state[VIGIL_STATE_NOT_AFFECTED] != t[i].not_affected || f->warnings != t[i].warnings)
			fail_msg("%s: %zu entries (%zu/%zu/%zu/%zu), %d warnings", t[i].id, c.entries, c.by_state[1],
				 c.by_state[2], c.by_state[3], c.by_state[4], f->warnings);
		for (size_t j = 0; j < f->v[0].naffected; j++)
			assert_int_equal(f->v[0].affected[j].is_source, 1);
		total += c.entries;
	}
	assert_int_equal(total, 201);
}

static void test_cve_records(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse_rel(f, CVE, "securitydata-cve-json/CVE-2022-1921"), 0);
	const vigil_vuln *v = vuln(f, "CVE-2022-1921");
	assert_string_equal(v->vendor_severity, "Moderate");
	assert_int_equal(v->severity, VIGIL_SEV_MEDIUM);
	assert_string_equal(v->cvss3_vector, "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H");
	assert_true(v->cvss3_score > 7.79 && v->cvss3_score < 7.81);
	assert_string_equal(v->published, "2022-05-17T00:00:00Z");
	assert_string_equal(v->summary, "Heap-based buffer overflow in the avi demuxer when handling certain AVI files");
	assert_non_null(strstr(v->description, "gst_avi_demux_invert"));
	assert_non_null(strstr(v->description, "\n\nA flaw was found in GStreamer"));
	assert_int_equal(v->nlinks, 4);
	assert_true(has(v->links, v->nlinks, "https://gstreamer.freedesktop.org/security/sa-2022-0001.html"));
	assert_true(has(v->links, v->nlinks, "https://bugzilla.redhat.com/show_bug.cgi?id=2130949"));
	const vigil_affected *a = aff(v, "rhel:9", "gstreamer1-plugins-good", 1, "0:1.18.4-6.el9");
	assert_int_equal(a->state, VIGIL_STATE_FIXED);
	assert_null(a->module);
	assert_int_equal(aff(v, "rhel:6", "gstreamer-plugins-good", 1, NULL)->state, VIGIL_STATE_WILL_NOT_FIX);
	for (size_t i = 0; i < v->naffected; i++)
		if (v->affected[i].module && strcmp(v->affected[i].namespace, "rhel:9") == 0) {
			assert_string_equal(v->affected[i].module, "libreoffice:flatpak");
			assert_int_equal(v->affected[i].state, VIGIL_STATE_NOT_FIXED);
		}

	assert_int_equal(parse_rel(f, CVE, "securitydata-cve-json/CVE-2017-3509"), 0);
	v = vuln(f, "CVE-2017-3509");
	assert_string_equal(aff(v, "rhel:6", "java-1.8.0-oracle", 1, NULL)->fixed, "1:1.8.0.131-1jpp.1.el6");
	assert_string_equal(aff(v, "rhel:7", "java-1.7.0-openjdk", 1, NULL)->fixed, "1:1.7.0.141-2.6.10.1.el7_3");
	assert_int_equal(aff(v, "rhel:5", "java-1.6.0-sun", 1, NULL)->state, VIGIL_STATE_WILL_NOT_FIX);
	assert_non_null(strstr(f->last_warning, "cpe:/a:redhat:network_satellite:5"));

	assert_int_equal(parse_rel(f, CVE, "securitydata-cve-json/CVE-2022-2309"), 0);
	v = vuln(f, "CVE-2022-2309");
	for (size_t i = 0; i < v->naffected; i++)
		if (v->affected[i].module && strcmp(v->affected[i].module, "python38:3.8") == 0)
			assert_int_equal(v->affected[i].state, VIGIL_STATE_NOT_AFFECTED);
	assert_null(aff(v, "rhel:9", "python-lxml", 1, "0:4.6.5-3.el9")->module);

	assert_int_equal(parse_rel(f, CVE, "securitydata-cve-json/CVE-2023-5129"), 0);
	v = vuln(f, "CVE-2023-5129"); /* no threat_severity, cvss3 0.0 */
	assert_null(v->vendor_severity);
	assert_int_equal(v->severity, VIGIL_SEV_UNKNOWN);
	assert_true(v->cvss3_score == 0.0);
}

static void test_cve_bad(void **state)
{
	struct fx *f = *state;
	vigil_buf b;
	assert_int_equal(parse_text(f, CVE, "{\"name\": \"CVE-1\""), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "JSON: line 1"));
	assert_int_equal(parse_text(f, CVE, "{}"), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, CVE, "{\"name\": 7}"), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, CVE, "{\"name\":\"CVE-1\",\"cvss3\":{\"cvss3_base_score\":\"11.5\"}}"),
			 VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "cvss3.cvss3_base_score"));
	assert_int_equal(parse_text(f, CVE, "{\"name\":\"CVE-1\",\"affected_release\":{}}"), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, CVE, "{\"name\":\"CVE-1\",\"package_state\":[{\"fix_state\":3}]}"),
			 VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "package_state[0].fix_state"));
	f->fail_emit = 1;
	assert_int_equal(parse_text(f, CVE, "{\"name\":\"CVE-1\"}"), VIGIL_ECANCELED);
	f->fail_emit = 0;

	/* unusable entries are skipped with a warning each */
	assert_int_equal(parse_text(f, CVE, "{\"name\":\"CVE-1\",\"affected_release\":["
					     "{\"cpe\":\"cpe:/a:redhat:enterprise_linux:8\",\"package\":\"nodejs:12-8030020210304194401.ad008a3a\"},"
					     "{\"cpe\":\"cpe:/a:redhat:enterprise_linux:8\"}],\"package_state\":["
					     "{\"cpe\":\"cpe:/o:redhat:enterprise_linux:8\",\"fix_state\":\"Mystery\",\"package_name\":\"x\"},"
					     "{\"cpe\":\"cpe:/o:redhat:enterprise_linux:8\",\"fix_state\":\"Affected\",\"package_name\":\"a:b:c/x\"},"
					     "{\"cpe\":\"cpe:/o:redhat:enterprise_linux:8\",\"fix_state\":\"Under investigation\",\"package_name\":\"nodejs:12/npm\"}]}"),
			 0);
	assert_int_equal(f->warnings, 3);
	assert_int_equal(f->v[0].naffected, 1);
	assert_string_equal(f->v[0].affected[0].module, "nodejs:12");
	assert_int_equal(f->v[0].affected[0].state, VIGIL_STATE_NOT_FIXED);

	/* VIGIL_RHCVE_MAX_ENTRIES */
	vigil_buf_init(&b, 1 << 20);
	vigil_buf_puts(&b, "{\"name\":\"CVE-1\",\"package_state\":[{}");
	for (int i = 0; i < 100000; i++)
		vigil_buf_puts(&b, ",{}");
	vigil_buf_puts(&b, "]}");
	assert_int_equal(parse_text(f, CVE, vigil_buf_cstr(&b)), VIGIL_ELIMIT);
	assert_non_null(strstr(vigil_error_message(), "VIGIL_RHCVE_MAX_ENTRIES"));
	vigil_buf_free(&b);
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bunzip2),
		cmocka_unit_test_setup_teardown(test_oval_rhel8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oval_rhel7, setup_interned, teardown),
		cmocka_unit_test_setup_teardown(test_oval_rhel6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oval_modules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oval_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csaf_files, setup_interned, teardown),
		cmocka_unit_test_setup_teardown(test_csaf_advisory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csaf_vex, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csaf_synthetic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csaf_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cve_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cve_records, setup_interned, teardown),
		cmocka_unit_test_setup_teardown(test_cve_bad, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
