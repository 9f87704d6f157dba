/* tests/report/test_vuln_report_real.c: the output half of `vigil scan` on
 * the real matcher's result: the Ubuntu 18.04 package database of
 * ../shared/testdata/pkgdb (with the Ubuntu 18.04 os-release) against the
 * Ubuntu CVE tracker snapshot (feeds/ubuntu/uct), as in
 * tests/match/test_match_real.c. The JSON must account for every finding
 * (package -> vid -> the same id, fixed version and severity), binaries of
 * one source share a vulnerability object, the table has one line per
 * finding and the right summary, and ignore rules remove exactly what they
 * name. */
#include "match/ubuntu1804_fixture.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct u1804 fx;
static vigil_index_report *ir;
static vigil_vuln_report *vr;

static int setup(void **state)
{
	if (u1804_setup(&fx) < 0)
		return -1;
	ir = fx.ir;
	vr = fx.vr;
	return 0;
}

static int teardown(void **state)
{
	return u1804_teardown(&fx);
}

#define STR(obj, key) json_string_value(json_object_get((obj), (key)))

static void test_json_accounts_for_every_finding(void **state)
{
	char *text, key[24];
	size_t len;
	assert_int_equal(vigil_vuln_report_json(vr, 0, &text, &len), 0);
	json_t *j = json_loads(text, 0, NULL);
	free(text);
	assert_non_null(j);
	json_t *pkgs = json_object_get(j, "packages"), *vulns = json_object_get(j, "vulnerabilities");
	json_t *pv = json_object_get(j, "package_vulnerabilities");
	assert_int_equal(json_object_size(pkgs), ir->package_count);
	assert_true(json_object_size(vulns) <= vr->finding_count);
	size_t listed = 0;
	const char *k;
	json_t *v;
	json_object_foreach(pv, k, v) {
		assert_non_null(json_object_get(pkgs, k));
		listed += json_array_size(v);
	}
	assert_int_equal(listed, vr->finding_count);
	for (size_t i = 0; i < vr->finding_count; i++) {
		const vigil_finding *f = &vr->findings[i];
		snprintf(key, sizeof(key), "%zu", f->package_index + 1);
		json_t *list = json_object_get(pv, key), *vid;
		size_t n, hits = 0;
		assert_non_null(list);
		json_array_foreach(list, n, vid) {
			json_t *o = json_object_get(vulns, json_string_value(vid));
			assert_non_null(o);
			if (strcmp(STR(o, "name"), f->id))
				continue;
			hits++;
			assert_string_equal(STR(o, "updater"), "ubuntu");
			assert_string_equal(STR(o, "fixed_in_version"), f->fixed ? f->fixed : "");
			assert_string_equal(STR(o, "normalized_severity"), vigil_severity_name(f->severity));
			/* the tracker names source packages: the object names the source */
			json_t *p = json_object_get(o, "package");
			assert_string_equal(STR(p, "kind"), "source");
			assert_string_equal(STR(p, "name"), f->package->source_name);
			assert_string_equal(STR(json_object_get(json_object_get(pkgs, key), "source"), "id"),
					    STR(p, "id"));
			const char *iss = STR(o, "issued");
			if (iss)
				assert_true(strlen(iss) >= 20 && iss[10] == 'T' && iss[strlen(iss) - 1] == 'Z');
		}
		assert_int_equal(hits, 1);
	}
	/* libsystemd0 and libudev1 (source systemd) share CVE-2020-1712's object */
	const char *shared[2] = { NULL, NULL };
	for (size_t i = 0; i < vr->finding_count; i++) {
		const vigil_finding *f = &vr->findings[i];
		int b = !strcmp(f->package->name, "libsystemd0") ? 0 : !strcmp(f->package->name, "libudev1") ? 1 : -1;
		if (b < 0 || strcmp(f->id, "CVE-2020-1712"))
			continue;
		snprintf(key, sizeof(key), "%zu", f->package_index + 1);
		json_t *vid;
		size_t n;
		json_array_foreach(json_object_get(pv, key), n, vid)
			if (!strcmp(STR(json_object_get(vulns, json_string_value(vid)), "name"), "CVE-2020-1712"))
				shared[b] = json_string_value(vid);
	}
	assert_non_null(shared[0]);
	assert_non_null(shared[1]);
	assert_string_equal(shared[0], shared[1]);
	/* Clair's CVSS enrichment carries v3 only */
	json_t *cv = json_object_get(json_object_get(j, "enrichments"),
				     "message/vnd.clair.map.vulnerability; enricher=clair.cvss "
				     "schema=https://csrc.nist.gov/schema/nvd/feed/1.1/cvss-v3.x.json");
	if (cv) {
		json_t *arr;
		json_object_foreach(json_array_get(cv, 0), k, arr) {
			json_t *c = json_array_get(arr, 0);
			assert_non_null(json_object_get(vulns, k));
			assert_true(!strcmp(STR(c, "version"), "3.0") || !strcmp(STR(c, "version"), "3.1"));
			assert_true(!strncmp(STR(c, "vectorString"), "CVSS:3.", 7));
		}
	}
	json_decref(j);
}

static void test_table_lines(void **state)
{
	char *buf = NULL, want[256];
	size_t len = 0, lines = 0, crit = 0, high = 0, med = 0, low = 0, negl = 0, unk = 0, fixable = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(vigil_vuln_report_table(vr, f, 0), 0);
	fclose(f);
	for (char *p = buf; (p = strstr(p, "\n  ")); p++)
		lines++;
	assert_int_equal(lines, vr->finding_count);
	for (size_t i = 0; i < vr->finding_count; i++) {
		const vigil_finding *fd = &vr->findings[i];
		size_t *c[] = { &unk, &negl, &low, &med, &high, &crit };
		(*c[fd->severity])++;
		fixable += fd->fixed != NULL;
	}
	snprintf(want, sizeof(want), "\n%zu vulnerabilities in ", vr->finding_count);
	assert_non_null(strstr(buf, want));
	snprintf(want, sizeof(want),
		 " packages: Critical %zu, High %zu, Medium %zu, Low %zu, Negligible %zu, Unknown %zu (%zu fixable)\n",
		 crit, high, med, low, negl, unk, fixable);
	assert_non_null(strstr(buf, want));
	/* CVE-2020-1712 under libsystemd0, fixed in 237-3ubuntu10.38 */
	char *grp = strstr(buf, "\nlibsystemd0 237-3ubuntu10.3\n");
	assert_non_null(grp);
	char *end = strstr(grp + 1, "\n\n");
	char *line = strstr(grp, "  CVE-2020-1712 ");
	assert_true(line && line < end);
	assert_non_null(strstr(line, " Medium "));
	assert_true(strstr(line, " 237-3ubuntu10.38 ") < strchr(line, '\n'));
	assert_null(strchr(buf, '\033'));
	free(buf);
}

/* A copy of the report's findings to filter (the report stays as matched). */
static size_t filter_copy(const char *rules, unsigned sev, vigil_vuln_report *out)
{
	vigil_ignore_list *l = NULL;
	*out = *vr;
	out->findings = malloc(vr->finding_count * sizeof(*vr->findings));
	memcpy(out->findings, vr->findings, vr->finding_count * sizeof(*vr->findings));
	if (rules)
		assert_int_equal(vigil_ignore_list_parse(rules, strlen(rules), "real.ignore", &l), 0);
	vigil_filter flt = { .ignore = l, .severities = sev, .now = 1709294400 };
	assert_int_equal(vigil_vuln_report_filter(out, &flt), 0);
	vigil_ignore_list_free(l);
	return out->finding_count;
}

static void test_filters_on_real_findings(void **state)
{
	vigil_vuln_report c;
	assert_int_equal(vr->suppressed_count, 0);
	size_t n = vr->finding_count, with_id = 0, hi = 0;
	for (size_t i = 0; i < n; i++) {
		with_id += !strcmp(vr->findings[i].id, "CVE-2020-1712");
		hi += vr->findings[i].severity >= VIGIL_SEV_HIGH;
	}
	assert_true(with_id >= 2);
	/* one package's finding */
	assert_int_equal(filter_copy("CVE-2020-1712 libudev1 # the udev part\n", 0, &c), n - 1);
	assert_int_equal(c.ignored, 1);
	/* kept, with why: the rule's reason and where it is */
	assert_int_equal(c.suppressed_count, 1);
	assert_string_equal(c.suppressed[0].finding.id, "CVE-2020-1712");
	assert_string_equal(c.suppressed[0].status, "ignored");
	assert_string_equal(c.suppressed[0].justification, "the udev part");
	assert_string_equal(c.suppressed[0].by, "real.ignore:1");
	free(c.suppressed);
	free(c.findings);
	/* every package's, in any case */
	assert_int_equal(filter_copy("cve-2020-1712\n", 0, &c), n - with_id);
	for (size_t i = 0; i < c.finding_count; i++)
		assert_string_not_equal(c.findings[i].id, "CVE-2020-1712");
	assert_int_equal(c.suppressed_count, with_id);
	free(c.suppressed);
	free(c.findings);
	/* an expired rule: nothing */
	assert_int_equal(filter_copy("CVE-2020-1712 exp:2020-01-01\n", 0, &c), n);
	free(c.findings);
	/* High and Critical only */
	unsigned mask;
	assert_int_equal(vigil_severity_mask_parse("HIGH,CRITICAL", &mask), 0);
	assert_int_equal(filter_copy(NULL, mask, &c), hi);
	assert_int_equal(c.filtered_out, n - hi);
	free(c.findings);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_accounts_for_every_finding),
		cmocka_unit_test(test_table_lines),
		cmocka_unit_test(test_filters_on_real_findings),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
