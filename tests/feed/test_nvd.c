/* tests/feed/test_nvd.c: feed_nvd() on the three real NVD CVE API 2.0
 * pages of the shared test data (42 CVEs): counts per page (records, v3 and
 * v2 metrics, severities, links), several records field by field (scores,
 * vectors, Primary over Secondary, v3.1 over v3.0, no metrics at all), the
 * choice rules on small pages (a Secondary listed first, v3.0 only, v2
 * only, a missing baseScore computed from the vector, a Rejected CVE), and
 * bad input (truncated, garbage, a 1.1 feed, wrong types, wrong format).
 *
 * Expected numbers: python3 over the raw pages (pick Primary else the first
 * metric of cvssMetricV31, else V30; V2 likewise; distinct reference URLs):
 * vunnel-full-page 38 CVEs (35 with v3, 10 of them from a Secondary
 * source, 0 with v2; 1 critical, 16 high, 18 medium, 3 unknown; 56
 * links), vuln-list-update-respPageFull 3 (3 v3, 3 v2; 1 critical, 2
 * medium; 7 links), vunnel-single-entry 1 (v3 and v2, medium; 1 link). */
#include "helpers.h"
#include "feed/feed.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fx {
	vigil_arena *arena;
	vigil_feed_ctx ctx;
	vigil_vuln *recs;
	size_t n, cap;
	int warnings;
};

static int on_emit(void *ud, const vigil_vuln *v)
{
	struct fx *f = ud;
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		f->recs = realloc(f->recs, f->cap * sizeof(*f->recs));
		assert_non_null(f->recs);
	}
	f->recs[f->n++] = *v;
	return 0;
}

static void on_warn(void *ud, const char *msg)
{
	struct fx *f = ud;
	(void)msg;
	f->warnings++;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	f->arena = vigil_arena_new(0);
	/* no intern table: strings are copied into the arena */
	f->ctx = (vigil_feed_ctx){ .arena = f->arena, .file = "nvd", .emit = on_emit, .emit_ud = f,
				   .warn = on_warn, .warn_ud = f };
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	free(f->recs);
	vigil_arena_free(f->arena);
	free(f);
	return 0;
}

static void parse_page(struct fx *f, const char *name)
{
	char rel[256];
	size_t n;
	snprintf(rel, sizeof(rel), "feeds/nvd/api2-pages/%s", name);
	char *data = th_read_file(th_data_path(rel), &n);
	if (!data)
		fail_msg("cannot read %s", rel);
	f->n = 0;
	f->warnings = 0;
	int rc = feed_nvd(&f->ctx, data, n);
	free(data);
	if (rc < 0)
		fail_msg("%s: %s", rel, vigil_error_message());
}

static int parse_text(struct fx *f, const char *text)
{
	f->n = 0;
	f->warnings = 0;
	return feed_nvd(&f->ctx, text, strlen(text));
}

static const vigil_vuln *find(struct fx *f, const char *id)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->recs[i].id, id))
			return &f->recs[i];
	fail_msg("no record %s", id);
	return NULL;
}

static int tenths(double s)
{
	return (int)(s * 10 + (s >= 0 ? 0.5 : -0.5));
}

static void check_cvss(const vigil_vuln *v, const char *v3, int s3, const char *v2, int s2,
		       const char *word, vigil_severity sev)
{
	if (v3) {
		assert_string_equal(v->cvss3_vector, v3);
		assert_int_equal(tenths(v->cvss3_score), s3);
	} else {
		assert_null(v->cvss3_vector);
		assert_true(v->cvss3_score < 0);
	}
	if (v2) {
		assert_string_equal(v->cvss2_vector, v2);
		assert_int_equal(tenths(v->cvss2_score), s2);
	} else {
		assert_null(v->cvss2_vector);
		assert_true(v->cvss2_score < 0);
	}
	if (word)
		assert_string_equal(v->vendor_severity, word);
	else
		assert_null(v->vendor_severity);
	assert_int_equal(v->severity, sev);
}

static const struct {
	const char *name;
	size_t cves, v3, v3_secondary, v2, links;
	size_t sev[6];
} pages[] = {
	{ "vunnel-full-page.json", 38, 35, 10, 0, 56, { 3, 0, 0, 18, 16, 1 } },
	{ "vuln-list-update-respPageFull.json", 3, 3, 0, 3, 7, { 0, 0, 0, 2, 0, 1 } },
	{ "vunnel-single-entry.json", 1, 1, 0, 1, 1, { 0, 0, 0, 1, 0, 0 } },
};

static void test_counts(void **state)
{
	struct fx *f = *state;
	size_t total = 0;
	for (size_t p = 0; p < 3; p++) {
		size_t v3 = 0, v2 = 0, links = 0, sev[6] = { 0 };
		parse_page(f, pages[p].name);
		assert_int_equal(f->n, pages[p].cves);
		assert_int_equal(f->warnings, 0);
		for (size_t i = 0; i < f->n; i++) {
			const vigil_vuln *v = &f->recs[i];
			assert_string_equal(v->source, "nvd");
			assert_int_equal(strncmp(v->id, "CVE-", 4), 0);
			assert_non_null(v->description);
			assert_non_null(v->published);
			assert_non_null(v->modified);
			assert_int_equal(v->naffected, 0);
			assert_int_equal(v->naliases, 0);
			v3 += v->cvss3_vector != NULL;
			v2 += v->cvss2_vector != NULL;
			links += v->nlinks;
			sev[v->severity]++;
		}
		assert_int_equal(v3, pages[p].v3);
		assert_int_equal(v2, pages[p].v2);
		assert_int_equal(links, pages[p].links);
		for (int s = 0; s < 6; s++)
			assert_int_equal(sev[s], pages[p].sev[s]);
		total += f->n;
	}
	assert_int_equal(total, 42);
}

static void test_records(void **state)
{
	struct fx *f = *state;
	const vigil_vuln *v;
	parse_page(f, "vunnel-single-entry.json");
	v = find(f, "CVE-2022-1576");
	assert_non_null(strstr(v->description, "The WP Maintenance Mode & Coming Soon WordPress plugin before 2.4.5"));
	assert_string_equal(v->published, "2022-07-11T13:15:08.503");
	assert_string_equal(v->modified, "2024-11-21T06:41:00.133");
	assert_int_equal(v->nlinks, 1); /* the same URL from two sources */
	assert_string_equal(v->links[0], "https://wpscan.com/vulnerability/68deab46-1c16-46ae-a912-a104958ca4cf");
	check_cvss(v, "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N", 65, "AV:N/AC:M/Au:N/C:N/I:P/A:N", 43,
		   "MEDIUM", VIGIL_SEV_MEDIUM);

	parse_page(f, "vuln-list-update-respPageFull.json");
	/* V31 Primary 9.8 over the Secondary V30 7.1 */
	check_cvss(find(f, "CVE-2021-3881"), "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 98,
		   "AV:N/AC:L/Au:N/C:P/I:P/A:P", 75, "CRITICAL", VIGIL_SEV_CRITICAL);
	check_cvss(find(f, "CVE-2021-22903"), "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 61,
		   "AV:N/AC:M/Au:N/C:P/I:P/A:N", 58, "MEDIUM", VIGIL_SEV_MEDIUM);

	parse_page(f, "vunnel-full-page.json");
	/* NVD's Primary 8.8 over Patchstack's Secondary 5.4 */
	check_cvss(find(f, "CVE-2023-45109"), "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 88, NULL, 0,
		   "HIGH", VIGIL_SEV_HIGH);
	check_cvss(find(f, "CVE-2022-43893"), "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:N/I:N/A:H", 44, NULL, 0,
		   "MEDIUM", VIGIL_SEV_MEDIUM);
	/* only a Secondary metric */
	check_cvss(find(f, "CVE-2023-30781"), "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:L", 71, NULL, 0,
		   "HIGH", VIGIL_SEV_HIGH);
	check_cvss(find(f, "CVE-2023-5642"), "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 98, NULL, 0,
		   "CRITICAL", VIGIL_SEV_CRITICAL);
	/* no metrics at all */
	v = find(f, "CVE-2023-43250");
	check_cvss(v, NULL, 0, NULL, 0, NULL, VIGIL_SEV_UNKNOWN);
	assert_int_equal(v->nlinks, 4);
}

#define PAGE(cves) "{\"format\": \"NVD_CVE\", \"version\": \"2.0\", \"vulnerabilities\": [" cves "]}"
#define METRIC(type, vec, score, sev) \
	"{\"type\": \"" type "\", \"cvssData\": {\"vectorString\": \"" vec "\"" score sev "}}"

static void test_choices(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse_text(f, PAGE(
		"{\"cve\": {\"id\": \"CVE-1\", \"metrics\": {\"cvssMetricV31\": ["
		METRIC("Secondary", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", ", \"baseScore\": 9.8", ", \"baseSeverity\": \"CRITICAL\"") ","
		METRIC("Primary", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N", ", \"baseScore\": 6.5", ", \"baseSeverity\": \"MEDIUM\"") "]}}},"
		"{\"cve\": {\"id\": \"CVE-2\", \"metrics\": {\"cvssMetricV30\": ["
		METRIC("Secondary", "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:L", "", "") "]}}},"
		"{\"cve\": {\"id\": \"CVE-3\", \"metrics\": {\"cvssMetricV2\": [{\"type\": \"Primary\", \"cvssData\":"
		" {\"vectorString\": \"AV:N/AC:L/Au:N/C:C/I:C/A:C\", \"baseScore\": 10.0}, \"baseSeverity\": \"HIGH\"}]}}},"
		"{\"cve\": {\"id\": \"CVE-4\", \"vulnStatus\": \"Rejected\", \"descriptions\": [{\"lang\": \"en\", \"value\": \"** REJECT **\"}]}},"
		"{\"cve\": {\"id\": \"CVE-5\", \"descriptions\": [{\"lang\": \"es\", \"value\": \"hola\"}, {\"lang\": \"en\", \"value\": \"hello\"}],"
		" \"metrics\": {\"cvssMetricV31\": [" METRIC("Primary", "CVSS:3.1/AV:N", "", "") "]}}}")), 0);
	assert_int_equal(f->n, 4); /* CVE-4 rejected */
	check_cvss(&f->recs[0], "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N", 65, NULL, 0, "MEDIUM", VIGIL_SEV_MEDIUM);
	/* no baseScore, no baseSeverity: computed from the vector (v3.0) */
	check_cvss(&f->recs[1], "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:L", 71, NULL, 0, NULL, VIGIL_SEV_HIGH);
	/* v2 only: its baseSeverity sits next to cvssData */
	check_cvss(&f->recs[2], NULL, 0, "AV:N/AC:L/Au:N/C:C/I:C/A:C", 100, "HIGH", VIGIL_SEV_HIGH);
	/* a vector that does not compute, without a score: warned and dropped */
	assert_string_equal(f->recs[3].id, "CVE-5");
	assert_string_equal(f->recs[3].description, "hello");
	check_cvss(&f->recs[3], NULL, 0, NULL, 0, NULL, VIGIL_SEV_UNKNOWN);
	assert_int_equal(f->warnings, 1);
}

static void expect_error(struct fx *f, const char *text, int code, const char *needle)
{
	int rc = parse_text(f, text);
	if (rc != code || !strstr(vigil_error_message(), needle))
		fail_msg("%s: rc %d (expected %d), message \"%s\" (expected \"%s\")", text, rc, code,
			 vigil_error_message(), needle);
}

static void test_bad_input(void **state)
{
	struct fx *f = *state;
	size_t n;
	char *page = th_read_file(th_data_path("feeds/nvd/api2-pages/vuln-list-update-respPageFull.json"), &n);
	assert_non_null(page);
	for (size_t cut = 0; cut < n - 2; cut += 13)
		assert_int_equal(feed_nvd(&f->ctx, page, cut), VIGIL_EFORMAT);
	free(page);
	expect_error(f, "garbage", VIGIL_EFORMAT, "bad JSON at line 1");
	expect_error(f, "[]", VIGIL_EFORMAT, "not a JSON object");
	expect_error(f, "{}", VIGIL_EFORMAT, "vulnerabilities is missing");
	expect_error(f, "{\"CVE_Items\": []}", VIGIL_EUNSUPPORTED, "1.1");
	expect_error(f, "{\"format\": \"MITRE\", \"vulnerabilities\": []}", VIGIL_EUNSUPPORTED, "format");
	expect_error(f, "{\"version\": \"1.1\", \"vulnerabilities\": []}", VIGIL_EUNSUPPORTED, "version");
	expect_error(f, PAGE("7"), VIGIL_EFORMAT, "vulnerabilities[0].cve: missing");
	expect_error(f, PAGE("{\"cve\": {}}"), VIGIL_EFORMAT, "vulnerabilities[0].cve.id: missing");
	expect_error(f, PAGE("{\"cve\": {\"id\": \"CVE-1\"}}, {\"cve\": {\"id\": 3}}"), VIGIL_EFORMAT,
		     "vulnerabilities[1].cve.id: not a string");
	expect_error(f, PAGE("{\"cve\": {\"id\": \"CVE-1\", \"descriptions\": {}}}"), VIGIL_EFORMAT,
		     "vulnerabilities[0] (CVE-1).descriptions: not an array");
	expect_error(f, PAGE("{\"cve\": {\"id\": \"CVE-1\", \"references\": [{\"url\": 1}]}}"), VIGIL_EFORMAT,
		     "references[].url: not a string");
	expect_error(f, PAGE("{\"cve\": {\"id\": \"CVE-1\", \"metrics\": []}}"), VIGIL_EFORMAT, "metrics: not an object");
	expect_error(f, PAGE("{\"cve\": {\"id\": \"CVE-1\", \"metrics\": {\"cvssMetricV31\": [{\"type\": \"Primary\"}]}}}"),
		     VIGIL_EFORMAT, "cvssData is missing");
	expect_error(f, PAGE("{\"cve\": {\"id\": \"CVE-1\", \"metrics\": {\"cvssMetricV2\": [" METRIC("Primary", "AV:N/AC:L/Au:N/C:C/I:C/A:C", ", \"baseScore\": 11", "") "]}}}"),
		     VIGIL_EFORMAT, "not within 0-10");
	expect_error(f, PAGE("{\"cve\": {\"id\": \"CVE-1\", \"metrics\": {\"cvssMetricV2\": [" METRIC("Primary", "AV:N/AC:L/Au:N/C:C/I:C/A:C", ", \"baseScore\": \"10\"", "") "]}}}"),
		     VIGIL_EFORMAT, "not a number");
	/* the first CVEs were emitted before the error */
	expect_error(f, PAGE("{\"cve\": {\"id\": \"CVE-1\"}}, 3"), VIGIL_EFORMAT, "vulnerabilities[1]");
	assert_int_equal(f->n, 1);
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_choices, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
