/* tests/feed/test_updateinfo.c: feed_updateinfo() and the two sniffers on
 * the real samples of the shared data: Amazon's updateinfo_*.xml.gz (AL2,
 * AL2022, AL2023; vuln-list-update's fixtures) and Rocky's happy
 * updateinfo.xml (Rocky 8, a module stream), field by field; the truncated
 * updateinfo_invalid.xml.gz refused whole (no record leaves before the
 * error); vunnel's snapshots of the same advisories as a second opinion
 * (package names and versions; the differences are in docs/accuracy.md);
 * and small hand-written documents for the namespace rules, skipped
 * entries and bad input. The expected values were read off the files with
 * zcat and compared with vuln-list-update's golden JSON (amazon/testdata,
 * rocky/testdata/golden). */
#include "helpers.h"
#include "feed_fixture.h"
#include "feed/gz.h"
#include "feed/vendors.h"
#include "util/error.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
	return feed_fx_setup(state, "updateinfo");
}

static int parse_rel(struct feed_fx *f, const char *rel)
{
	size_t n, plen = 0;
	char *data = th_read_file(th_data_path(rel), &n), *plain = NULL;
	int rc;
	if (!data)
		fail_msg("cannot read %s", rel);
	if (feed_is_gzip(data, n)) {
		assert_int_equal(feed_gunzip(data, n, (size_t)64 << 20, &plain, &plen), 0);
		free(data);
		data = plain;
		n = plen;
	}
	reset(f);
	rc = feed_updateinfo(&f->ctx, data, n);
	free(data);
	return rc;
}

static int parse_text(struct feed_fx *f, const char *text)
{
	reset(f);
	return feed_updateinfo(&f->ctx, text, strlen(text));
}

static const vigil_vuln *rec(struct feed_fx *f, const char *id)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->recs[i].id, id) == 0)
			return &f->recs[i];
	fail_msg("no record %s", id);
	return NULL;
}

static const vigil_affected *aff(const vigil_vuln *v, const char *pkg)
{
	for (size_t i = 0; i < v->naffected; i++)
		if (strcmp(v->affected[i].package, pkg) == 0)
			return &v->affected[i];
	fail_msg("%s: no package %s", v->id, pkg);
	return NULL;
}

static size_t count_pkg(const vigil_vuln *v, const char *pkg)
{
	size_t n = 0;
	for (size_t i = 0; i < v->naffected; i++)
		n += strcmp(v->affected[i].package, pkg) == 0;
	return n;
}

static void check_fixed(const vigil_affected *a, const char *ns, const char *fixed, const char *arch,
			const char *module)
{
	assert_string_equal(a->namespace, ns);
	assert_string_equal(a->fixed, fixed);
	assert_string_equal(a->scheme, "rpm");
	assert_int_equal(a->state, VIGIL_STATE_FIXED);
	assert_int_equal(a->is_source, 0);
	if (arch)
		assert_string_equal(a->arch, arch);
	else
		assert_null(a->arch);
	if (module)
		assert_string_equal(a->module, module);
	else
		assert_null(a->module);
}

#define AMZ "feeds/amazon/updateinfo/"

static void test_amazon_al2(void **state)
{
	struct feed_fx *f = *state;
	assert_int_equal(parse_rel(f, AMZ "updateinfo_1_item.xml.gz"), 0);
	assert_int_equal(f->n, 1);
	assert_int_equal(f->warnings, 0);
	const vigil_vuln *v = rec(f, "ALAS2-2018-939");
	assert_string_equal(v->source, "amazon");
	assert_string_equal(v->vendor_severity, "critical");
	assert_int_equal(v->severity, VIGIL_SEV_CRITICAL);
	assert_int_equal(v->naliases, 2);
	assert_string_equal(v->aliases[0], "CVE-2017-5754");
	assert_string_equal(v->aliases[1], "CVE-2017-5715");
	assert_int_equal(v->nlinks, 2);
	assert_string_equal(v->links[0], "http://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2017-5754");
	assert_string_equal(v->published, "2018-01-11 21:05");
	assert_string_equal(v->modified, "2018-01-16 01:28");
	assert_string_equal(v->summary,
			    "Amazon Linux 2 2017.12 - ALAS2-2018-939: critical priority package update for kernel");
	assert_non_null(strstr(v->description, "CVE-2017-5754 hw: cpu: speculative execution permission faults"));
	assert_int_equal(v->naffected, 13); /* 13 binary rpms, one line each */
	check_fixed(aff(v, "kernel"), "amzn:2", "4.9.76-38.79.amzn2", NULL, NULL);
	check_fixed(aff(v, "kernel-doc"), "amzn:2", "4.9.76-38.79.amzn2", NULL, NULL); /* noarch */
	check_fixed(aff(v, "kernel-debuginfo-common-x86_64"), "amzn:2", "4.9.76-38.79.amzn2", NULL, NULL);

	assert_int_equal(parse_rel(f, AMZ "updateinfo_2_items.xml.gz"), 0);
	assert_int_equal(f->n, 2);
	v = rec(f, "ALAS2-2018-942");
	assert_string_equal(v->vendor_severity, "important");
	assert_int_equal(v->severity, VIGIL_SEV_HIGH);
	assert_int_equal(v->naffected, 5);
	check_fixed(aff(v, "qemu-kvm"), "amzn:2", "10:1.5.3-141.amzn2.5.3", NULL, NULL); /* the epoch kept */
	v = rec(f, "ALAS2-2018-949");
	assert_int_equal(v->naliases, 15);
	check_fixed(aff(v, "java-1.8.0-openjdk-javadoc"), "amzn:2", "1:1.8.0.161-0.b14.amzn2", NULL, NULL);
}

static void test_amazon_2022_2023(void **state)
{
	struct feed_fx *f = *state;
	assert_int_equal(parse_rel(f, AMZ "updateinfo_AL2022.xml.gz"), 0);
	assert_int_equal(f->n, 1);
	const vigil_vuln *v = rec(f, "ALAS2022-2021-001");
	assert_int_equal(v->severity, VIGIL_SEV_MEDIUM);
	assert_int_equal(v->naliases, 4);
	assert_string_equal(v->aliases[0], "CVE-2021-3778");
	/* vim-enhanced-debuginfo is listed for x86_64 and i686: one entry, every arch */
	assert_int_equal(count_pkg(v, "vim-enhanced-debuginfo"), 1);
	check_fixed(aff(v, "vim-enhanced-debuginfo"), "amzn:2022", "2:8.2.3512-1.amzn2022", NULL, NULL);
	check_fixed(aff(v, "vim-minimal"), "amzn:2022", "2:8.2.3512-1.amzn2022", NULL, NULL);

	assert_int_equal(parse_rel(f, AMZ "updateinfo_AL2023.xml.gz"), 0);
	assert_int_equal(f->n, 1);
	v = rec(f, "ALAS2023-2023-001");
	assert_string_equal(v->vendor_severity, "Important"); /* AL2023 capitalises */
	assert_int_equal(v->severity, VIGIL_SEV_HIGH);
	assert_int_equal(v->naliases, 2);
	check_fixed(aff(v, "rsyslog"), "amzn:2023", "8.2204.0-3.amzn2023.0.2", NULL, NULL);
	check_fixed(aff(v, "rsyslog-doc"), "amzn:2023", "8.2204.0-3.amzn2023.0.2", NULL, NULL);
}

static void test_amazon_invalid(void **state)
{
	struct feed_fx *f = *state;
	/* the document stops at "<" after a whole first <update>: nothing is emitted */
	assert_int_equal(parse_rel(f, AMZ "updateinfo_invalid.xml.gz"), VIGIL_EFORMAT);
	assert_int_equal(f->n, 0);
	assert_non_null(strstr(vigil_error_message(), "updateinfo XML: line 12"));
	/* a repomd.xml is no updateinfo */
	assert_int_equal(parse_rel(f, AMZ "repomd_valid.xml"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "root element is <repomd>, not <updates>"));
}

static void test_rocky(void **state)
{
	struct feed_fx *f = *state;
	assert_int_equal(parse_rel(f, "feeds/rocky/updateinfo/happy/updateinfo.xml"), 0);
	assert_int_equal(f->n, 3); /* RLBA-2021:2580 (type bugfix) skipped, as Trivy keeps RLSA only */
	assert_int_equal(f->warnings, 0);
	const vigil_vuln *v = rec(f, "RLSA-2021:2575");
	assert_string_equal(v->source, "rocky");
	assert_string_equal(v->vendor_severity, "Moderate");
	assert_int_equal(v->severity, VIGIL_SEV_MEDIUM);
	assert_string_equal(v->summary, "Moderate: lz4 security update");
	assert_string_equal(v->published, "2021-07-22 03:13:55");
	assert_int_equal(v->naliases, 1);
	assert_string_equal(v->aliases[0], "CVE-2021-3520");
	assert_int_equal(v->naffected, 1);
	check_fixed(aff(v, "lz4"), "rocky:8", "1.8.3-3.el8_4", "x86_64", NULL);
	v = rec(f, "RLSA-2021:3057");
	assert_int_equal(v->severity, VIGIL_SEV_HIGH);
	assert_int_equal(v->naliases, 3);
	check_fixed(aff(v, "kernel"), "rocky:8", "4.18.0-305.12.1.el8_4", "x86_64", NULL);
	/* the module collection: <release> gives the major, the module the stream */
	v = rec(f, "RLSA-2019:1972");
	assert_int_equal(v->naliases, 1); /* the "self" and "bugzilla" references are links */
	assert_string_equal(v->aliases[0], "CVE-2019-8324");
	assert_int_equal(v->nlinks, 3);
	assert_string_equal(v->links[2], "https://errata.rockylinux.org/RLSA-2019:1972");
	assert_int_equal(v->naffected, 2);
	check_fixed(aff(v, "rubygem-abrt"), "rocky:8", "0.3.0-4.module+el8.5.0+738+032c9c02", "noarch", "ruby:2.6");
	check_fixed(aff(v, "rubygem-bson"), "rocky:8", "4.3.0-2.module+el8.4.0+592+03ff458a", "x86_64", "ruby:2.6");

	/* Rocky's updateinfo_invalid is the same truncated Amazon document */
	assert_int_equal(parse_rel(f, "feeds/rocky/updateinfo/updateinfo_invalid/updateinfo.xml.gz"), VIGIL_EFORMAT);
	assert_int_equal(f->n, 0);
}

/* vunnel's normalised result for the same advisory (taken from the ALAS web
 * site): the same package names (less the source rpm it lists) and the same
 * version-release, which vunnel writes without the epoch. */
static void vunnel_same(struct feed_fx *f, const char *snap, const char *id)
{
	json_error_t je;
	json_t *j = json_load_file(th_data_path(snap), 0, &je), *fixed;
	size_t i, matched = 0, src = 0;
	json_t *e;
	if (!j)
		fail_msg("%s: %s", snap, je.text);
	const vigil_vuln *v = rec(f, id);
	fixed = json_object_get(json_object_get(json_object_get(j, "item"), "Vulnerability"), "FixedIn");
	assert_true(json_is_array(fixed));
	json_array_foreach(fixed, i, e) {
		const char *name = json_string_value(json_object_get(e, "Name"));
		const char *ver = json_string_value(json_object_get(e, "Version"));
		const vigil_affected *a = NULL;
		for (size_t k = 0; k < v->naffected; k++)
			if (strcmp(v->affected[k].package, name) == 0)
				a = &v->affected[k];
		if (!a) {
			src++; /* the source rpm ("vim"): updateinfo lists binaries only */
			continue;
		}
		const char *colon = strchr(a->fixed, ':');
		assert_string_equal(colon ? colon + 1 : a->fixed, ver);
		assert_string_equal(a->namespace, json_string_value(json_object_get(e, "NamespaceName")));
		matched++;
	}
	assert_int_equal(matched, v->naffected); /* every one of vigil's packages is in vunnel's */
	assert_true(src <= 1);
	json_decref(j);
}

static void test_vunnel_second_opinion(void **state)
{
	struct feed_fx *f = *state;
	assert_int_equal(parse_rel(f, AMZ "updateinfo_1_item.xml.gz"), 0);
	vunnel_same(f, "feeds/amazon/vunnel-fixture/snapshots/amzn:2/alas-2018-939.json", "ALAS2-2018-939");
	assert_int_equal(parse_rel(f, AMZ "updateinfo_AL2022.xml.gz"), 0);
	vunnel_same(f, "feeds/amazon/vunnel-fixture/snapshots/amzn:2022/alas-2021-001.json", "ALAS2022-2021-001");
}

#define UPD(attrs, id, body)                                                                         \
	"<update type=\"security\"" attrs "><id>" id "</id><severity>low</severity>" body "</update>"
#define PKG(name, epoch, ver, rel, arch)                                                             \
	"<package name=\"" name "\" epoch=\"" epoch "\" version=\"" ver "\" release=\"" rel "\" arch=\"" arch "\"/>"
#define COLL(x) "<pkglist><collection short=\"x\">" x "</collection></pkglist>"

static void test_namespaces(void **state)
{
	struct feed_fx *f = *state;
	const char *doc = "<?xml version=\"1.0\"?><updates>"
		UPD("", "ALAS-2018-1000", COLL(PKG("openssl", "1", "1.0.2k", "12.110.amzn1", "x86_64")))
		UPD("", "ALAS2KERNEL-5.10-2022-001", COLL(PKG("kernel", "0", "5.10.1", "1.amzn2", "x86_64")))
		UPD("", "ALAS2025-2025-001", COLL(PKG("bash", "0", "5.2", "1.amzn2025", "x86_64")))
		UPD("", "ALASX-1", COLL(PKG("bash", "0", "5.2", "1", "x86_64")))
		UPD("", "FOO-2020-1", COLL(PKG("bash", "0", "5.2", "1", "x86_64")))
		UPD("", "RLSA-2024:1", "<pkglist><collection short=\"RL9\">" PKG("zlib", "0", "1.2", "3", "aarch64") "</collection></pkglist>")
		UPD("", "RLSA-2024:2", COLL(PKG("zlib", "", "1.2", "4.el10_0", "x86_64")))
		UPD("", "RLSA-2024:3", COLL(PKG("zlib", "0", "1.2", "4", "x86_64")))
		"</updates>";
	assert_int_equal(parse_text(f, doc), 0);
	assert_int_equal(f->n, 5);
	check_fixed(aff(rec(f, "ALAS-2018-1000"), "openssl"), "amzn:1", "1:1.0.2k-12.110.amzn1", NULL, NULL);
	check_fixed(aff(rec(f, "ALAS2KERNEL-5.10-2022-001"), "kernel"), "amzn:2", "5.10.1-1.amzn2", NULL, NULL);
	check_fixed(aff(rec(f, "ALAS2025-2025-001"), "bash"), "amzn:2025", "5.2-1.amzn2025", NULL, NULL);
	check_fixed(aff(rec(f, "RLSA-2024:1"), "zlib"), "rocky:9", "1.2-3", "aarch64", NULL);
	check_fixed(aff(rec(f, "RLSA-2024:2"), "zlib"), "rocky:10", "1.2-4.el10_0", "x86_64", NULL); /* no epoch: 0 */
	assert_int_equal(rec(f, "ALAS2025-2025-001")->severity, VIGIL_SEV_LOW);
	/* ALASX-1, FOO-2020-1 and RLSA-2024:3 (no release anywhere) are skipped with a warning each */
	assert_int_equal(f->warnings, 3);
	assert_non_null(strstr(f->last_warning, "'RLSA-2024:3': not an ALAS or Rocky advisory of a known release"));
}

static void test_skipped_entries(void **state)
{
	struct feed_fx *f = *state;
	const char *doc = "<updates>"
		"<update type=\"bugfix\"><id>ALAS2-2020-1</id>" COLL(PKG("a", "0", "1", "1", "x86_64")) "</update>"
		UPD("", "ALAS2-2020-2",
		    COLL(PKG("a", "0", "1", "1", "src") PKG("b c", "0", "1", "1", "x86_64") PKG("d", "x", "1", "1", "x86_64")
			 PKG("e", "0", "1", "1", "x86_64")))
		UPD("", "ALAS2-2020-3", COLL(PKG("a", "0", "1", "1", "src")))
		UPD("", "RLSA-2020:4",
		    "<release>Rocky Linux 8</release><pkglist><collection><module name=\"ruby\"/>"
		    PKG("a", "0", "1", "1.el8", "x86_64") "</collection><collection>" PKG("f", "0", "1", "1.el8", "x86_64")
		    PKG("f", "0", "1", "1.el8", "i686") "</collection></pkglist>")
		"</updates>";
	assert_int_equal(parse_text(f, doc), 0);
	assert_int_equal(f->n, 2);
	const vigil_vuln *v = rec(f, "ALAS2-2020-2");
	assert_int_equal(v->naffected, 1); /* src skipped; "b c" and epoch "x" skipped with warnings */
	assert_string_equal(v->affected[0].package, "e");
	v = rec(f, "RLSA-2020:4");
	assert_int_equal(v->naffected, 1); /* the <module> without a stream skips its collection */
	check_fixed(aff(v, "f"), "rocky:8", "1-1.el8", "x86_64|i686", NULL);
	/* 2 bad packages, ALAS2-2020-3 (no binary package), the bad module */
	assert_int_equal(f->warnings, 4);
}

static void test_bad_documents(void **state)
{
	struct feed_fx *f = *state;
	assert_int_equal(parse_text(f, ""), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, "<repomd/>"), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, "<updates>" UPD("", "ALAS2-2020-2", COLL(PKG("e", "0", "1", "1", "x86_64")))),
			 VIGIL_EFORMAT);
	assert_int_equal(f->n, 0); /* unclosed: the record never left */
	assert_int_equal(parse_text(f, "<!DOCTYPE updates [<!ENTITY x \"y\">]><updates/>"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "DOCTYPE"));
	assert_int_equal(parse_text(f, "<updates><update><id>&x;</id></update></updates>"), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, "<updates/>"), 0);
	assert_int_equal(f->n, 0);
	assert_int_equal(parse_text(f, "not xml"), VIGIL_EFORMAT);
}

static void test_sniff(void **state)
{
	(void)state;
	static const struct {
		const char *rel;
		bool amazon, rocky;
	} t[] = {
		{ AMZ "updateinfo_1_item.xml.gz", true, false },   { AMZ "updateinfo_AL2023.xml.gz", true, false },
		{ AMZ "updateinfo_invalid.xml.gz", true, false },  { AMZ "repomd_valid.xml", false, false },
		{ AMZ "repomd_invalid.xml", false, false },
		{ "feeds/rocky/updateinfo/happy/updateinfo.xml", false, true },
		{ "feeds/rocky/updateinfo/happy/repomd.xml", false, false },
		{ "feeds/rocky/updateinfo/releases/happy.html", false, false },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t n, plen = 0;
		char *data = th_read_file(th_data_path(t[i].rel), &n), *plain = NULL;
		assert_non_null(data);
		if (feed_is_gzip(data, n)) {
			assert_int_equal(feed_gunzip(data, n, (size_t)64 << 20, &plain, &plen), 0);
			free(data);
			data = plain;
			n = plen;
		}
		const char *p = data;
		while (n && (*p == ' ' || *p == '\n'))
			p++, n--;
		if (feed_amazon_sniff("x", p, n) != t[i].amazon || feed_rocky_updateinfo_sniff("x", p, n) != t[i].rocky)
			fail_msg("%s: sniffed wrong", t[i].rel);
		free(data);
	}
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_amazon_al2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_amazon_2022_2023, setup, teardown),
		cmocka_unit_test_setup_teardown(test_amazon_invalid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rocky, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vunnel_second_opinion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_namespaces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skipped_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_documents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sniff, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
