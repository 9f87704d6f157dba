/* tests/feed/test_photon.c: feed_photon_cve() and feed_photon_oval() on the
 * real Photon OS samples of the shared test data (feeds/photon/):
 * - cve_data_photon{1.0,2.0,3.0}.json: counts, namespaces, states, fixed
 *   versions, CVSS score and level, binary and source entries;
 * - Trivy's golden files (vuln-list's per-CVE rows, os_version inside):
 *   each parses to the same record as its row of cve_data;
 * - vunnel's inputs (1.0, 4.0) against vunnel's snapshots: the same ids,
 *   packages, fixed versions and severities, the differences
 *   (docs/accuracy.md) asserted as differences;
 * - the negative files refused or skipped as vuln-list-update does;
 * - the Photon 3 PHSA OVAL (222 definitions): ids, aliases, namespace,
 *   fixed EVRs, severities;
 * - sniffing, and small documents for every state rule. */
#include "helpers.h"
#include "feed_fixture.h"
#include "feed/vendors.h"
#include "util/error.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
	return feed_fx_setup(state, "cve_data_photon4.0.json");
}

static int parse_path(struct feed_fx *f, const char *path, bool oval)
{
	size_t n;
	char *data = th_read_file(path, &n);
	if (!data)
		fail_msg("cannot read %s", path);
	reset(f);
	f->ctx.file = path;
	int rc = oval ? feed_photon_oval(&f->ctx, data, n) : feed_photon_cve(&f->ctx, data, n);
	free(data);
	return rc;
}

static void parse_ok(struct feed_fx *f, const char *rel, bool oval)
{
	if (parse_path(f, th_data_path(rel), oval) < 0)
		fail_msg("%s: %s", rel, vigil_error_message());
}

static int parse_text(struct feed_fx *f, const char *file, const char *text)
{
	reset(f);
	f->ctx.file = file;
	return feed_photon_cve(&f->ctx, text, strlen(text));
}

static const vigil_vuln *find(struct feed_fx *f, const char *id, const char *ns)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->recs[i].id, id) && (!ns || !strcmp(f->recs[i].affected[0].namespace, ns)))
			return &f->recs[i];
	return NULL;
}

static const vigil_affected *entry(const vigil_vuln *v, const char *pkg, int is_source)
{
	for (size_t i = 0; v && i < v->naffected; i++)
		if (!strcmp(v->affected[i].package, pkg) && v->affected[i].is_source == is_source)
			return &v->affected[i];
	return NULL;
}

/* A cve_data record: one package, a binary and a source entry alike. */
static void check_row(const vigil_vuln *v, const char *ns, const char *pkg, vigil_vuln_state st,
		      const char *fixed, double score, vigil_severity sev)
{
	assert_non_null(v);
	assert_string_equal(v->source, "photon");
	assert_int_equal(v->naffected, 2);
	for (int s = 0; s < 2; s++) {
		const vigil_affected *a = entry(v, pkg, s);
		if (!a)
			fail_msg("%s: no %s entry %s", v->id, s ? "source" : "binary", pkg);
		assert_string_equal(a->namespace, ns);
		assert_string_equal(a->scheme, "rpm");
		assert_int_equal(a->state, st);
		if (fixed)
			assert_string_equal(a->fixed, fixed);
		else
			assert_null(a->fixed);
	}
	if (score < 0)
		assert_true(v->cvss3_score < 0);
	else
		assert_true(v->cvss3_score > score - 0.01 && v->cvss3_score < score + 0.01);
	assert_int_equal(v->severity, sev);
	assert_null(v->vendor_severity);
}

static void test_cve_data(void **state)
{
	struct feed_fx *f = *state;
	parse_ok(f, "feeds/photon/cve-metadata/cve_data_photon1.0.json", false);
	assert_int_equal(f->n, 5);
	assert_int_equal(f->warnings, 0);
	check_row(find(f, "CVE-2016-9843", NULL), "photon:1.0", "zlib", VIGIL_STATE_FIXED, "1.2.8-5.ph1", 7.5,
		  VIGIL_SEV_HIGH);
	check_row(find(f, "CVE-2019-12972", NULL), "photon:1.0", "binutils", VIGIL_STATE_FIXED, "2.31-9.ph1", 5.5,
		  VIGIL_SEV_MEDIUM);
	assert_int_equal(find(f, "CVE-2016-9843", NULL)->nlinks, 1);
	assert_string_equal(find(f, "CVE-2016-9843", NULL)->links[0], "https://www.cve.org/CVERecord?id=CVE-2016-9843");

	parse_ok(f, "feeds/photon/cve-metadata/cve_data_photon2.0.json", false);
	assert_int_equal(f->n, 5);
	check_row(find(f, "CVE-2015-8863", NULL), "photon:2.0", "jq", VIGIL_STATE_FIXED, "1.5-3.ph2", 9.8,
		  VIGIL_SEV_CRITICAL);
	check_row(find(f, "CVE-2017-7473", NULL), "photon:2.0", "ansible", VIGIL_STATE_FIXED, "2.4.0.0-1.ph2", 5,
		  VIGIL_SEV_MEDIUM);

	/* 3.0: UNK-1 (no versions) skipped as vuln-list-update skips it; CVE-2025-0725 not affected */
	parse_ok(f, "feeds/photon/cve-metadata/cve_data_photon3.0.json", false);
	assert_int_equal(f->n, 5);
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "UNK-1"));
	assert_null(find(f, "UNK-1", NULL));
	check_row(find(f, "CVE-2019-3828", NULL), "photon:3.0", "ansible", VIGIL_STATE_FIXED, "2.7.6-2.ph3", 10,
		  VIGIL_SEV_CRITICAL);
	check_row(find(f, "CVE-2017-16826", NULL), "photon:3.0", "binutils", VIGIL_STATE_FIXED, "2.31.1-3.ph3", 7.8,
		  VIGIL_SEV_HIGH);
	check_row(find(f, "CVE-2025-0725", NULL), "photon:3.0", "curl", VIGIL_STATE_NOT_AFFECTED, NULL, 7.3,
		  VIGIL_SEV_HIGH);
}

/* Trivy's golden files: vuln-list's rows, each the record of its cve_data row. */
static void test_golden(void **state)
{
	struct feed_fx *f = *state, *g;
	char dir[1024], path[1400];
	const char *rels[] = { "1.0", "2.0", "3.0" };
	size_t seen = 0;
	feed_fx_setup((void **)&g, "golden");
	snprintf(dir, sizeof(dir), "%s", th_data_path("feeds/photon/cve-metadata/golden"));
	DIR *d = opendir(dir);
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));) {
		if (strncmp(e->d_name, "CVE-", 4) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (parse_path(g, path, false) < 0)
			fail_msg("%s: %s", path, vigil_error_message());
		assert_int_equal(g->n, 1);
		const vigil_vuln *gv = &g->recs[0];
		const vigil_vuln *rv = NULL;
		for (size_t r = 0; r < 3 && !rv; r++) {
			char rel[128];
			snprintf(rel, sizeof(rel), "feeds/photon/cve-metadata/cve_data_photon%s.json", rels[r]);
			parse_ok(f, rel, false);
			rv = find(f, gv->id, gv->affected[0].namespace);
		}
		if (!rv)
			fail_msg("%s: %s in %s not in cve_data", e->d_name, gv->id, gv->affected[0].namespace);
		check_row(gv, rv->affected[0].namespace, rv->affected[0].package, rv->affected[0].state,
			  rv->affected[0].fixed, rv->cvss3_score, rv->severity);
		seen++;
	}
	closedir(d);
	assert_int_equal(seen, 15);
	teardown((void **)&g);
}

/* vunnel's snapshot FixedIn list of id in ns: names and versions, severity. */
static void vunnel_expect(const char *ns, const char *id, json_t **fixed_in, const char **sev)
{
	char rel[256];
	json_error_t je;
	snprintf(rel, sizeof(rel), "feeds/photon/vunnel-fixture/snapshots/%s/%s.json", ns, id);
	json_t *doc = json_load_file(th_data_path(rel), 0, &je);
	if (!doc)
		fail_msg("%s: %s", rel, je.text);
	json_t *vuln = json_object_get(json_object_get(doc, "item"), "Vulnerability");
	*fixed_in = json_incref(json_object_get(vuln, "FixedIn"));
	*sev = strdup(json_string_value(json_object_get(vuln, "Severity")));
	json_decref(doc);
}

static void test_vunnel(void **state)
{
	struct feed_fx *f = *state;
	static const struct {
		const char *ns, *id;
	} same[] = {
		{ "photon:1.0", "CVE-2016-1238" }, { "photon:1.0", "CVE-2016-9178" },
		{ "photon:4.0", "CVE-2023-38545" }, { "photon:4.0", "CVE-2023-38546" },
		{ "photon:4.0", "CVE-2023-44487" },
	};
	struct feed_fx *all;
	feed_fx_setup((void **)&all, "all");
	for (int k = 0; k < 2; k++) {
		parse_ok(f, k ? "feeds/photon/vunnel-fixture/input/cve_data_photon4.0.json"
			      : "feeds/photon/vunnel-fixture/input/cve_data_photon1.0.json", false);
		for (size_t i = 0; i < f->n; i++)
			feed_fx_emit(all, &f->recs[i]);
		if (k == 1) {
			/* python3 CVE-2023-50447: "Fixed" without a version: skipped (vunnel: no fix) */
			assert_int_equal(f->warnings, 1);
			assert_non_null(strstr(f->last_warning, "CVE-2023-50447"));
		}
	}
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		json_t *fi, *it;
		const char *sev;
		size_t j, nfixed = 0;
		vunnel_expect(same[i].ns, same[i].id, &fi, &sev);
		/* the rows of this id (one record per row, as db/merge.c folds them) */
		json_array_foreach(fi, j, it) {
			const char *name = json_string_value(json_object_get(it, "Name"));
			const char *ver = json_string_value(json_object_get(it, "Version"));
			const vigil_affected *a = NULL;
			const vigil_vuln *v = NULL;
			for (size_t r = 0; r < all->n && !a; r++)
				if (!strcmp(all->recs[r].id, same[i].id) &&
				    !strcmp(all->recs[r].affected[0].namespace, same[i].ns))
					a = entry((v = &all->recs[r]), name, 0);
			if (!a)
				fail_msg("%s %s: vunnel's %s missing", same[i].ns, same[i].id, name);
			assert_int_equal(a->state, VIGIL_STATE_FIXED);
			assert_string_equal(a->fixed, ver);
			assert_string_equal(vigil_severity_name(v->severity), sev);
			nfixed++;
		}
		/* vigil's fixed rows of the id: exactly vunnel's */
		size_t ours = 0;
		for (size_t r = 0; r < all->n; r++)
			if (!strcmp(all->recs[r].id, same[i].id) && !strcmp(all->recs[r].affected[0].namespace, same[i].ns) &&
			    all->recs[r].affected[0].state == VIGIL_STATE_FIXED)
				ours++;
		assert_int_equal(ours, nfixed);
		json_decref(fi);
		free((void *)sev);
	}
	/* the differences (docs/accuracy.md): httpd's "Not Affected" row is a
	 * not-affected record (vunnel drops it), BDSA-2025-0719 is kept
	 * (vunnel drops BDSA ids; Trivy keeps them), python3 is skipped */
	const vigil_vuln *httpd = NULL;
	for (size_t r = 0; r < all->n; r++)
		if (!strcmp(all->recs[r].id, "CVE-2023-44487") && entry(&all->recs[r], "httpd", 0))
			httpd = &all->recs[r];
	check_row(httpd, "photon:4.0", "httpd", VIGIL_STATE_NOT_AFFECTED, NULL, 7.5, VIGIL_SEV_HIGH);
	f->n = all->n;
	f->recs = realloc(f->recs, all->n * sizeof(*f->recs));
	memcpy(f->recs, all->recs, all->n * sizeof(*f->recs));
	check_row(find(f, "BDSA-2025-0719", NULL), "photon:4.0", "krb5-devel", VIGIL_STATE_FIXED, "1.17-15.ph4", 7.5,
		  VIGIL_SEV_HIGH);
	assert_null(find(f, "CVE-2023-50447", NULL));
	teardown((void **)&all);
}

static void test_negative(void **state)
{
	struct feed_fx *f = *state;
	/* vuln-list-update: "invalid CVE-ID format" */
	assert_int_equal(parse_path(f, th_data_path("feeds/photon/cve-metadata/cve_data_photon3.0_invalid_cveid.json"),
				    false), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "CVE-2019-3828-0001"));
	assert_non_null(strstr(vigil_error_message(), "[0].cve_id"));
	/* "CVE-ID is empty": the row skipped, the file fine */
	assert_int_equal(parse_path(f, th_data_path("feeds/photon/cve-metadata/cve_data_photon_empty_cveid.json"),
				    false), 0);
	assert_int_equal(f->n, 0);
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "empty cve_id"));
	/* "failed to unmarshal Photon advisory" */
	assert_int_equal(parse_path(f, th_data_path("feeds/photon/cve-metadata/cve_data_photon_invalid_format.json"),
				    false), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "bad JSON at line 8"));
	/* "failed to decode Photon versions" */
	assert_int_equal(parse_path(f, th_data_path("feeds/photon/cve-metadata/invalid_photon_versions.json"), false),
			 VIGIL_EFORMAT);
	assert_int_equal(parse_path(f, th_data_path("feeds/photon/cve-metadata/photon_versions.json"), false), 0);
	assert_int_equal(f->n, 0);
	assert_int_equal(parse_text(f, "photon_versions.json", "{\"branches\": [1]}"), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, "photon_versions.json", "[]"), VIGIL_EFORMAT);
}

#define ROW(id, pkg, score, aff, res, extra)                                                                    \
	"[{\"cve_id\": \"" id "\", \"pkg\": \"" pkg "\", \"cve_score\": " score ", \"aff_ver\": \"" aff "\", "  \
	"\"res_ver\": \"" res "\"" extra "}]"

static void test_states(void **state)
{
	struct feed_fx *f = *state;
	const char *F = "mirror/cve_data_photon5.0.json";
	/* no fix yet: aff_ver names the versions, res_ver NA */
	assert_int_equal(parse_text(f, F, ROW("CVE-2024-1", "openssl", "9.1", "all versions are vulnerable", "NA", "")), 0);
	check_row(&f->recs[0], "photon:5.0", "openssl", VIGIL_STATE_NOT_FIXED, NULL, 9.1, VIGIL_SEV_CRITICAL);
	assert_int_equal(parse_text(f, F, ROW("CVE-2024-1", "openssl", "0", "NA", "", ", \"status\": \"Vulnerable\"")), 0);
	check_row(&f->recs[0], "photon:5.0", "openssl", VIGIL_STATE_NOT_FIXED, NULL, 0, VIGIL_SEV_NEGLIGIBLE);
	/* no versions, no status: Photon's "not applicable" */
	assert_int_equal(parse_text(f, F, ROW("CVE-2024-1", "openssl", "null", "NA", "NA", "")), 0);
	check_row(&f->recs[0], "photon:5.0", "openssl", VIGIL_STATE_NOT_AFFECTED, NULL, -1, VIGIL_SEV_UNKNOWN);
	/* "Not Affected" wins over a version */
	assert_int_equal(parse_text(f, F, ROW("CVE-2024-1", "openssl", "4", "x", "3.0.1-1.ph5", ", \"status\": \"not affected\"")), 0);
	check_row(&f->recs[0], "photon:5.0", "openssl", VIGIL_STATE_NOT_AFFECTED, NULL, 4, VIGIL_SEV_MEDIUM);
	/* an epoch is kept; a score out of range is no score */
	assert_int_equal(parse_text(f, F, ROW("CVE-2024-1", "openssl", "11", "x", "1:3.0.1-1.ph5", "")), 0);
	check_row(&f->recs[0], "photon:5.0", "openssl", VIGIL_STATE_FIXED, "1:3.0.1-1.ph5", -1, VIGIL_SEV_UNKNOWN);
	/* a bad version, an empty pkg, a Fixed row without version: skipped */
	assert_int_equal(parse_text(f, F, ROW("CVE-2024-1", "openssl", "1", "x", "3.0 1", "")), 0);
	assert_int_equal(f->n + (size_t)(f->warnings != 1), 0);
	assert_int_equal(parse_text(f, F, ROW("CVE-2024-1", "", "1", "x", "3.0", "")), 0);
	assert_int_equal(f->n + (size_t)(f->warnings != 1), 0);
	assert_int_equal(parse_text(f, F, ROW("CVE-2024-1", "x", "1", "NA", "NA", ", \"status\": \"Fixed\"")), 0);
	assert_int_equal(f->n + (size_t)(f->warnings != 1), 0);
	/* the release: the file's name, a row's os_version, else refused */
	assert_int_equal(parse_text(f, "cve_data_photon5.json", ROW("CVE-2024-1", "x", "1", "x", "1-1", "")), 0);
	assert_string_equal(f->recs[0].affected[0].namespace, "photon:5.0");
	assert_int_equal(parse_text(f, "x/CVE-2024-1.json",
				    "{\"os_version\": \"4.0\", \"cve_id\": \"CVE-2024-1\", \"pkg\": \"x\", \"aff_ver\": \"\", \"res_ver\": \"1-1\"}"), 0);
	assert_string_equal(f->recs[0].affected[0].namespace, "photon:4.0");
	assert_int_equal(parse_text(f, "rows.json", ROW("CVE-2024-1", "x", "1", "x", "1-1", "")), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "no Photon release"));
	assert_int_equal(parse_text(f, F, ROW("CVE-2024-1", "x", "1", "x", "1-1", ", \"os_version\": \"five\"")), VIGIL_EFORMAT);
	/* ids: three parts */
	assert_int_equal(parse_text(f, F, ROW("CVE-2024", "x", "1", "x", "1-1", "")), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, F, ROW("CVE--2024", "x", "1", "x", "1-1", "")), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, F, ROW("CVE 2024-1", "x", "1", "x", "1-1", "")), VIGIL_EFORMAT);
	/* wrong types and shapes */
	assert_int_equal(parse_text(f, F, "[{\"cve_id\": 5}]"), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, F, "[5]"), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, F, "\"x\""), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, F, ""), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, F, "[]"), 0);
	assert_int_equal(f->n, 0);
}

static void test_oval(void **state)
{
	struct feed_fx *f = *state;
	size_t sev[6] = { 0 }, ph2 = 0;
	parse_ok(f, "feeds/photon/oval/com.vmware.phsa-photon3.xml", true);
	assert_int_equal(f->n, 222);
	assert_int_equal(f->warnings, 0);
	for (size_t i = 0; i < f->n; i++) {
		sev[f->recs[i].severity]++;
		assert_true(f->recs[i].naffected > 0);
		for (size_t k = 0; k < f->recs[i].naffected; k++) {
			assert_string_equal(f->recs[i].affected[k].namespace, "photon:3.0");
			assert_int_equal(f->recs[i].affected[k].is_source, 0);
			assert_int_equal(f->recs[i].affected[k].state, VIGIL_STATE_FIXED);
			ph2 += strstr(f->recs[i].affected[k].fixed, ".ph3") == NULL;
		}
	}
	/* the file's own quirk: 20 "less than" states of Photon 3 name .ph2 builds */
	assert_int_equal(ph2, 20);
	/* grep -c of advisory/severity: 61 Critical, 107 Important, 21 Moderate, 33 Low */
	assert_int_equal(sev[VIGIL_SEV_CRITICAL], 61);
	assert_int_equal(sev[VIGIL_SEV_HIGH], 107);
	assert_int_equal(sev[VIGIL_SEV_MEDIUM], 21);
	assert_int_equal(sev[VIGIL_SEV_LOW], 33);

	const vigil_vuln *v = find(f, "PHSA-2019-3.0-0036:00001", NULL);
	assert_non_null(v);
	assert_string_equal(v->source, "photon");
	assert_string_equal(v->summary, "PHSA-2020:00001 sqlite Security Update. (Important)");
	assert_string_equal(v->vendor_severity, "Important");
	assert_int_equal(v->severity, VIGIL_SEV_HIGH);
	assert_string_equal(v->published, "2019-10-23");
	assert_int_equal(v->naliases, 2);
	assert_string_equal(v->aliases[0], "PHSA-2019-3.0-0036");
	assert_string_equal(v->aliases[1], "CVE-2019-16168");
	assert_int_equal(v->naffected, 3);
	assert_string_equal(entry(v, "sqlite", 0)->fixed, "0:3.27.2-5.ph3");
	assert_string_equal(entry(v, "sqlite-devel", 0)->fixed, "0:3.27.2-5.ph3");
	assert_string_equal(entry(v, "sqlite-libs", 0)->fixed, "0:3.27.2-5.ph3");
	assert_null(entry(v, "photon-release", 0));
	/* no PHSA reference, an empty issued date: named by its title */
	v = find(f, "PHSA-2020:00092", NULL);
	assert_non_null(v);
	assert_null(v->published);
	assert_int_equal(v->naliases, 1);
	assert_string_equal(v->aliases[0], "CVE-2018-20615");
	assert_string_equal(entry(v, "haproxy", 0)->fixed, "0:1.8.14-3.ph3");
}

static void test_oval_small(void **state)
{
	struct feed_fx *f = *state;
	static const char doc[] =
		"<oval_definitions><definitions>"
		"<definition class=\"patch\" id=\"oval:com.vmware.phsa:def:1\"><metadata><title>PHSA-2024:00001 x</title>"
		"<affected><platform>Photon 5</platform></affected>"
		"<reference source=\"PHSA\" ref_id=\"PHSA:00001:5.0:0007\"/>"
		"<advisory><severity>Moderate</severity><issued date=\"2024-01-02\"/><cve>CVE-2024-9</cve></advisory>"
		"</metadata><criteria><criterion test_ref=\"t1\"/></criteria></definition>"
		"<definition class=\"inventory\" id=\"oval:x:def:2\"><metadata><title>x</title></metadata></definition>"
		"</definitions><tests><rpminfo_test id=\"t1\"><object object_ref=\"o1\"/><state state_ref=\"s1\"/></rpminfo_test></tests>"
		"<objects><rpminfo_object id=\"o1\"><name>zlib</name></rpminfo_object></objects>"
		"<states><rpminfo_state id=\"s1\"><evr operation=\"less than\">0:1.3-1.ph5</evr></rpminfo_state></states>"
		"</oval_definitions>";
	reset(f);
	assert_int_equal(feed_photon_oval(&f->ctx, doc, sizeof(doc) - 1), 0);
	assert_int_equal(f->n, 1);
	assert_string_equal(f->recs[0].id, "PHSA-2024-5.0-0007:00001");
	assert_string_equal(f->recs[0].affected[0].namespace, "photon:5.0"); /* from <platform> */
	assert_string_equal(f->recs[0].affected[0].package, "zlib");
	assert_int_equal(f->recs[0].severity, VIGIL_SEV_MEDIUM);
	reset(f);
	assert_int_equal(feed_photon_oval(&f->ctx, "<oval_definitions><definitions>", 32), VIGIL_EFORMAT);
	assert_int_equal(feed_photon_oval(&f->ctx, "", 0), VIGIL_EFORMAT);
}

static void test_sniff(void **state)
{
	(void)state;
	static const char row[] = "[{\"cve_id\": \"CVE-1\", \"aff_ver\": \"NA\", \"res_ver\": \"NA\"}]";
	assert_true(feed_photon_sniff("cve_data_photon5.0.json", "[", 1));
	assert_true(feed_photon_sniff("photon_versions.json", "{", 1));
	assert_true(feed_photon_sniff("CVE-2024-1.json", row, sizeof(row) - 1));
	assert_false(feed_photon_sniff("x.json", "[{\"cve_id\": 1}]", 15));
	assert_false(feed_photon_sniff("cve_data_photon5.0.xml", "<", 1));
	assert_true(feed_photon_oval_sniff("com.vmware.phsa-photon5.xml", "<x", 2));
	assert_true(feed_photon_oval_sniff("a.xml", "<oval_definitions id=\"oval:com.vmware.phsa:def:1\"", 50));
	assert_false(feed_photon_oval_sniff("a.xml", "<oval_definitions id=\"oval:com.redhat.rhsa:def:1\"", 50));
	assert_false(feed_photon_oval_sniff("com.vmware.phsa-photon5.xml", "{", 1));
}

static int stop_emit(void *ud, const vigil_vuln *v)
{
	(void)ud, (void)v;
	return vigil_error_set(VIGIL_ECANCELED, "stop");
}

static void test_emit_stops(void **state)
{
	struct feed_fx *f = *state;
	f->ctx.emit = stop_emit;
	assert_int_equal(parse_path(f, th_data_path("feeds/photon/cve-metadata/cve_data_photon1.0.json"), false),
			 VIGIL_ECANCELED);
	assert_int_equal(parse_path(f, th_data_path("feeds/photon/oval/com.vmware.phsa-photon3.xml"), true),
			 VIGIL_ECANCELED);
	f->ctx.emit = feed_fx_emit;
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cve_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_golden, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vunnel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_negative, setup, teardown),
		cmocka_unit_test_setup_teardown(test_states, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oval_small, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sniff, setup, teardown),
		cmocka_unit_test_setup_teardown(test_emit_stops, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
