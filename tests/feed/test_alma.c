/* tests/feed/test_alma.c: AlmaLinux and Rocky Linux feeds on the real
 * files of the shared test data (feeds/alma, feeds/rocky):
 *   - errata.json (vuln-list-update's fixture): the 3 security advisories
 *     of its 4 (the ALBA bug fix skipped), compared with vuln-list-update's
 *     golden files (Trivy's input) the way trivy-db reads them: same
 *     advisory ids, and per package name the lowest fixed build of the
 *     x86_64/noarch packages with the pkglist's module; severities,
 *     aliases, links and dates field by field;
 *   - errata.full.json (the schema vigil fetches; a small document written
 *     here): per-package module labels, per-architecture fixed builds,
 *     epochs, a package without a dist tag skipped;
 *   - invalid.json refused, and other shapes;
 *   - AlmaLinux OSV (134 osv-database files and vunnel's 5): related CVEs
 *     as aliases, the summary's severity and module stream (vunnel's own
 *     cases), the ALBA dropped; Rocky OSV (vunnel's 3): source names, epochs;
 *   - the sniffs on every one of these files.
 * Expected totals from python3 over the raw files (docs/feeds-alma-rocky-osv.md):
 * osv-database almalinux9: 134 ALSA, 945 entries, 8 module builds all with
 * a summary stream, 512 related ids; severities 72 Moderate, 47 Important,
 * 15 Low. */
#include "helpers.h"
#include "feed_fixture.h"
#include "feed/alma.h"
#include "feed/feed.h"
#include "feed/vendors.h"
#include "util/error.h"
#include "vigil/version.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ERRATA "feeds/alma/errata-json/"
#define ALMA_OSV "feeds/alma/osv-database/advisories/almalinux9"
#define VUNNEL_OSV "feeds/alma/vunnel-osv/osv-database/advisories/"
#define ROCKY_OSV "feeds/rocky/vunnel-osv/osv/"

static int setup(void **state)
{
	return feed_fx_setup(state, "alma");
}

typedef int (*parse_fn)(vigil_feed_ctx *, const char *, size_t);

static int parse_file(struct feed_fx *f, parse_fn fn, const char *rel)
{
	size_t n;
	char *data = th_read_file(th_data_path(rel), &n);
	if (!data)
		fail_msg("cannot read %s", rel);
	int rc = fn(&f->ctx, data, n);
	free(data);
	return rc;
}

static const vigil_vuln *find(struct feed_fx *f, const char *id)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->recs[i].id, id))
			return &f->recs[i];
	fail_msg("no record %s", id);
	return NULL;
}

static const vigil_affected *entry(const vigil_vuln *v, const char *pkg, const char *arch)
{
	for (size_t i = 0; i < v->naffected; i++)
		if (!strcmp(v->affected[i].package, pkg) &&
		    (arch ? v->affected[i].arch && !strcmp(v->affected[i].arch, arch) : !v->affected[i].arch))
			return &v->affected[i];
	fail_msg("%s: no entry %s (%s)", v->id, pkg, arch ? arch : "every arch");
	return NULL;
}

static bool has_alias(const vigil_vuln *v, const char *id)
{
	for (size_t i = 0; i < v->naliases; i++)
		if (!strcmp(v->aliases[i], id))
			return true;
	return false;
}

static void check_fixed(const vigil_affected *a, const char *ns, const char *fixed, const char *module)
{
	assert_string_equal(a->namespace, ns);
	assert_int_equal(a->is_source, 0);
	assert_string_equal(a->scheme, "rpm");
	assert_int_equal(a->state, VIGIL_STATE_FIXED);
	assert_string_equal(a->fixed, fixed);
	if (module)
		assert_string_equal(a->module, module);
	else
		assert_null(a->module);
}

/* ---- errata.json against vuln-list-update's golden files ---- */

/* trivy-db's reading of one golden advisory: x86_64 and noarch packages,
 * per name the lowest fixed "[E:]V-R", checked against record v. */
static void check_golden(const vigil_vuln *v, const char *rel)
{
	json_error_t je;
	json_t *g = json_load_file(th_data_path(rel), 0, &je), *p, *ref;
	size_t i, names = 0;
	assert_non_null(g);
	assert_string_equal(json_string_value(json_object_get(g, "updateinfo_id")), v->id);
	assert_string_equal(json_string_value(json_object_get(g, "severity")), v->vendor_severity);
	json_t *mod = json_object_get(json_object_get(g, "pkglist"), "module");
	const char *mn = json_string_value(json_object_get(mod, "name"));
	const char *ms = json_string_value(json_object_get(mod, "stream"));
	char module[128] = "";
	if (mn && ms)
		snprintf(module, sizeof(module), "%s:%s", mn, ms);
	json_t *pkgs = json_object_get(json_object_get(g, "pkglist"), "packages");
	json_t *low = json_object();
	json_array_foreach(pkgs, i, p) {
		const char *arch = json_string_value(json_object_get(p, "arch"));
		const char *e = json_string_value(json_object_get(p, "epoch"));
		char evr[256];
		if (strcmp(arch, "x86_64") && strcmp(arch, "noarch"))
			continue;
		snprintf(evr, sizeof(evr), "%s%s%s-%s", strcmp(e, "0") ? e : "", strcmp(e, "0") ? ":" : "",
			 json_string_value(json_object_get(p, "version")),
			 json_string_value(json_object_get(p, "release")));
		const char *name = json_string_value(json_object_get(p, "name"));
		const char *old = json_string_value(json_object_get(low, name));
		if (!old || vigil_rpm_evr_cmp(evr, strlen(evr), old, strlen(old)) < 0)
			json_object_set_new(low, name, json_string(evr));
	}
	const char *name;
	json_t *fx;
	json_object_foreach(low, name, fx) {
		check_fixed(entry(v, name, NULL), "almalinux:8", json_string_value(fx), *module ? module : NULL);
		names++;
	}
	assert_int_equal(v->naffected, names);
	json_array_foreach(json_object_get(g, "references"), i, ref)
		if (!strcmp(json_string_value(json_object_get(ref, "type")), "cve"))
			assert_true(has_alias(v, json_string_value(json_object_get(ref, "id"))));
	json_decref(low);
	json_decref(g);
}

static void test_errata_json(void **state)
{
	struct feed_fx *f = *state;
	reset(f);
	assert_int_equal(parse_file(f, feed_alma_errata, ERRATA "errata.json"), 0);
	assert_int_equal(f->n, 3); /* ALBA-2021:3240 (bugfix) skipped */
	assert_int_equal(f->warnings, 0);
	check_golden(find(f, "ALSA-2021:3253"), ERRATA "golden/2021/ALSA-2021:3253.json");
	check_golden(find(f, "ALSA-2021:3152"), ERRATA "golden/2021/ALSA-2021:3152.json");
	check_golden(find(f, "ALSA-2020:0279"), ERRATA "golden/2020/ALSA-2020:0279.json");

	const vigil_vuln *v = find(f, "ALSA-2021:3253");
	assert_string_equal(v->source, "almalinux");
	assert_string_equal(v->vendor_severity, "Important");
	assert_int_equal(v->severity, VIGIL_SEV_HIGH);
	assert_string_equal(v->summary, "Important: libsndfile security update");
	assert_string_equal(v->published, "2021-08-24T07:29:56Z");
	assert_int_equal(v->naliases, 1);
	assert_string_equal(v->aliases[0], "CVE-2021-3246");
	assert_int_equal(v->naffected, 1); /* i686 and x86_64 at one build: one row, every arch */
	check_fixed(entry(v, "libsndfile", NULL), "almalinux:8", "1.0.28-10.el8_4.1", NULL);

	/* two module builds (8.3 and 8.4) of virt:rhel: the lowest is kept, as trivy-db */
	v = find(f, "ALSA-2020:0279");
	assert_string_equal(v->vendor_severity, "Moderate");
	assert_int_equal(v->severity, VIGIL_SEV_MEDIUM);
	assert_int_equal(v->naffected, 8);
	check_fixed(entry(v, "libiscsi", NULL), "almalinux:8", "1.18.0-8.module_el8.3.0+2048+e7a0a3ea", "virt:rhel");
	check_fixed(entry(v, "sgabios", NULL), "almalinux:8", "1:0.20170427git-3.module_el8.3.0+2048+e7a0a3ea",
		    "virt:rhel");
	check_fixed(entry(v, "sgabios-bin", NULL), "almalinux:8",
		    "1:0.20170427git-3.module_el8.3.0+2048+e7a0a3ea", "virt:rhel");

	v = find(f, "ALSA-2021:3152");
	check_fixed(entry(v, "exiv2-doc", NULL), "almalinux:8", "0.27.3-3.el8_4", NULL);
	assert_int_equal(v->nlinks, 0);
}

/* ---- errata.full.json ---- */

#define PKG(N, E, V, R, A, M) \
	"{\"name\": \"" N "\", \"epoch\": \"" E "\", \"version\": \"" V "\", \"release\": \"" R \
	"\", \"arch\": \"" A "\"" M "}"

static const char full_doc[] =
	"{\"schema_version\": \"1.0\", \"data\": ["
	"{\"id\": \"ALBA-2021:3049\", \"type\": \"bugfix\", \"severity\": \"None\", \"issued_date\": 1628589283,"
	" \"packages\": [" PKG("pcsc-lite", "0", "1.8.23", "4.1.el8_4", "x86_64", "") "], \"references\": []},"
	"{\"id\": \"ALSA-2019:3708\", \"type\": \"security\", \"severity\": \"Moderate\","
	" \"title\": \"Moderate: mariadb:10.3 security and bug fix update\", \"issued_date\": 1572983623,"
	" \"updated_date\": 1651142818, \"packages\": ["
	PKG("Judy", "0", "1.0.5", "18.module_el8.5.0+2632+14ced695", "x86_64",
	    ", \"module\": \"mariadb:10.3:8050020220427075058:c5368500:x86_64\"") ","
	PKG("Judy", "0", "1.0.5", "18.module_el8.6.0+2761+593e5e59", "aarch64",
	    ", \"module\": \"mariadb:10.3:8060020220420124706:9edba152:aarch64\"") ","
	PKG("mariadb", "3", "10.3.32", "2.module_el8.5.0+2632+14ced695", "x86_64",
	    ", \"module\": \"mariadb:10.3:8050020220427075058:c5368500:x86_64\"") ","
	PKG("mariadb", "3", "10.3.32", "2.module_el8.5.0+2632+14ced695", "aarch64",
	    ", \"module\": \"mariadb:10.3:8050020220427075058:c5368500:aarch64\"") ","
	PKG("galera", "0", "25.3.34", "1", "x86_64", "") "],"
	" \"modules\": [{\"name\": \"mariadb\", \"stream\": \"10.3\"}],"
	" \"references\": [{\"id\": \"CVE-2019-2510\", \"type\": \"cve\", \"href\": \"https://vulners.com/cve/CVE-2019-2510\"},"
	" {\"id\": \"ALSA-2019:3708\", \"type\": \"self\", \"href\": \"https://errata.almalinux.org/8/ALSA-2019-3708.html\"}]},"
	"{\"id\": \"ALSA-2024:1\", \"type\": \"security\", \"severity\": \"Critical\", \"packages\": ["
	PKG("bash", "0", "5.1.8", "9.el9", "x86_64", "") "]}]}";

static void test_errata_full(void **state)
{
	struct feed_fx *f = *state;
	reset(f);
	assert_int_equal(feed_alma_errata(&f->ctx, full_doc, strlen(full_doc)), 0);
	assert_int_equal(f->n, 2);
	const vigil_vuln *v = find(f, "ALSA-2019:3708");
	assert_string_equal(v->published, "2019-11-05T19:53:43Z");
	assert_string_equal(v->modified, "2022-04-28T10:46:58Z");
	assert_int_equal(v->naliases, 1);
	assert_string_equal(v->aliases[0], "CVE-2019-2510");
	assert_int_equal(v->nlinks, 1);
	assert_string_equal(v->links[0], "https://errata.almalinux.org/8/ALSA-2019-3708.html");
	assert_int_equal(v->naffected, 3);
	/* Judy: a build per architecture -> a row per architecture */
	check_fixed(entry(v, "Judy", "x86_64"), "almalinux:8", "1.0.5-18.module_el8.5.0+2632+14ced695", "mariadb:10.3");
	check_fixed(entry(v, "Judy", "aarch64"), "almalinux:8", "1.0.5-18.module_el8.6.0+2761+593e5e59", "mariadb:10.3");
	/* mariadb: one build on both: one row, every arch, epoch kept */
	check_fixed(entry(v, "mariadb", NULL), "almalinux:8", "3:10.3.32-2.module_el8.5.0+2632+14ced695", "mariadb:10.3");
	/* galera "25.3.34-1": no el<major>, skipped with a warning naming it */
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "ALSA-2019:3708"));
	assert_non_null(strstr(f->last_warning, "names no el<major>"));
	v = find(f, "ALSA-2024:1");
	assert_int_equal(v->severity, VIGIL_SEV_CRITICAL);
	check_fixed(entry(v, "bash", NULL), "almalinux:9", "5.1.8-9.el9", NULL);
}

static void test_errata_bad(void **state)
{
	struct feed_fx *f = *state;
	reset(f);
	assert_int_equal(parse_file(f, feed_alma_errata, ERRATA "invalid.json"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "alma errata: bad JSON at line 1"));
	assert_int_equal(f->n, 0);
	static const char *const bad[] = {
		"{}", "{\"data\": {}}", "\"x\"", "[{\"updateinfo_id\": 3}]",
		"[{\"updateinfo_id\": \"ALSA-1\", \"pkglist\": {\"packages\": [{\"name\": [1]}]}}]",
		"[{\"updateinfo_id\": \"ALSA-1\", \"references\": [{\"type\": \"cve\", \"id\": {}}]}]",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		reset(f);
		assert_int_equal(feed_alma_errata(&f->ctx, bad[i], strlen(bad[i])), VIGIL_EFORMAT);
		assert_int_equal(f->n, 0);
	}
	/* usable but empty: no record, warned */
	static const char empty[] = "[{\"updateinfo_id\": \"ALSA-1\", \"type\": \"security\", \"pkglist\": {}}]";
	reset(f);
	assert_int_equal(feed_alma_errata(&f->ctx, empty, strlen(empty)), 0);
	assert_int_equal(f->n, 0);
	assert_int_equal(f->warnings, 1);
}

/* ---- OSV ---- */

static size_t parse_dir(struct feed_fx *f, const char *rel)
{
	char path[512];
	size_t files = 0;
	DIR *d = opendir(th_data_path(rel));
	struct dirent *e;
	assert_non_null(d);
	while ((e = readdir(d))) {
		if (!strstr(e->d_name, ".json"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", rel, e->d_name);
		if (parse_file(f, feed_osv, path) < 0)
			fail_msg("%s: %s", path, vigil_error_message());
		files++;
	}
	closedir(d);
	return files;
}

static void test_alma_osv(void **state)
{
	struct feed_fx *f = *state;
	size_t entries = 0, modules = 0, aliases = 0, sev[6] = { 0 };
	reset(f);
	assert_int_equal(parse_dir(f, ALMA_OSV), 134);
	assert_int_equal(f->n, 134);
	assert_int_equal(f->warnings, 0);
	for (size_t i = 0; i < f->n; i++) {
		const vigil_vuln *v = &f->recs[i];
		assert_string_equal(v->source, "almalinux");
		assert_non_null(v->vendor_severity);
		sev[v->severity]++;
		aliases += v->naliases;
		for (size_t k = 0; k < v->naffected; k++, entries++) {
			assert_string_equal(v->affected[k].namespace, "almalinux:9");
			assert_int_equal(v->affected[k].is_source, 0);
			modules += v->affected[k].module != NULL;
		}
	}
	assert_int_equal(entries, 945);
	assert_int_equal(modules, 8);
	assert_int_equal(aliases, 512);
	assert_int_equal(sev[VIGIL_SEV_MEDIUM], 72);
	assert_int_equal(sev[VIGIL_SEV_HIGH], 47);
	assert_int_equal(sev[VIGIL_SEV_LOW], 15);

	const vigil_vuln *v = find(f, "ALSA-2022:8832");
	check_fixed(entry(v, "npm", NULL), "almalinux:9", "1:8.19.2-1.18.12.1.1.module_el9.1.0+16+91bc168f", "nodejs:18");
	check_fixed(entry(v, "nodejs-packaging", NULL), "almalinux:9", "2021.06-4.module_el9.1.0+13+d9a595ea",
		    "nodejs:18");
	assert_true(has_alias(v, "CVE-2022-43548"));

	/* vunnel's five: four records (the ALBA dropped); 5259's stream as vunnel reads it */
	reset(f);
	assert_int_equal(parse_dir(f, VUNNEL_OSV "almalinux8") + parse_dir(f, VUNNEL_OSV "almalinux9"), 5);
	assert_int_equal(f->n, 4);
	v = find(f, "ALSA-2023:5259");
	assert_int_equal(v->naffected, 2);
	check_fixed(entry(v, "mariadb", NULL), "almalinux:8", "3:10.3.39-1.module_el8.8.0+3609+204d4ab0", "mariadb:10.3");
	check_fixed(entry(v, "mariadb-server", NULL), "almalinux:8", "3:10.3.39-1.module_el8.8.0+3609+204d4ab0",
		    "mariadb:10.3");
	assert_string_equal(v->vendor_severity, "Moderate");
	assert_true(has_alias(v, "CVE-2022-32084") && has_alias(v, "CVE-2022-32091"));
	v = find(f, "ALSA-2022:8194");
	assert_int_equal(v->naffected, 3);
	assert_int_equal(v->naliases, 10);
	check_fixed(entry(v, "libtiff-tools", NULL), "almalinux:9", "4.4.0-2.el9", NULL);
	check_fixed(entry(find(f, "ALSA-2023:4520"), "python3-requests", NULL), "almalinux:8", "2.20.0-3.el8_8", NULL);
}

/* vunnel's test_modularity_parsing cases, through documents whose fixed
 * build is a module build. */
static void test_summary_module(void **state)
{
	struct feed_fx *f = *state;
	static const struct {
		const char *summary, *module;
	} t[] = {
		{ "Moderate: mariadb:10.3 security update", "mariadb:10.3" },
		{ "Important: nodejs:16 security update", "nodejs:16" },
		{ "Critical: python38:3.8 security and bug fix update", "python38:3.8" },
		{ "Low: httpd:2.4 security update", "httpd:2.4" },
		{ "No colon in module info", NULL },
		{ "Moderate: just-text security update", NULL },
		{ "Moderate security update", NULL },
		{ "Moderate:", NULL },
		{ "", NULL },
		{ "Moderate: :10.3 security update", NULL },
		{ "Moderate: mariadb: security update", NULL },
		{ "Single-word", NULL },
	};
	char doc[1024];
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(doc, sizeof(doc),
			 "{\"id\": \"ALSA-2099:%zu\", \"summary\": \"%s\", \"related\": [\"CVE-2099-1\"], \"affected\": ["
			 "{\"package\": {\"ecosystem\": \"AlmaLinux:8\", \"name\": \"p\"}, \"ranges\": [{\"type\": \"ECOSYSTEM\","
			 " \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"1-1.module_el8.1.0+1+ab\"}]}]},"
			 "{\"package\": {\"ecosystem\": \"AlmaLinux:8\", \"name\": \"q\"}, \"ranges\": [{\"type\": \"ECOSYSTEM\","
			 " \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"1-1.el8\"}]}]}]}",
			 i, t[i].summary);
		reset(f);
		assert_int_equal(feed_osv(&f->ctx, doc, strlen(doc)), 0);
		assert_int_equal(f->n, 1);
		if (t[i].module)
			assert_string_equal(f->recs[0].affected[0].module, t[i].module);
		else
			assert_null(f->recs[0].affected[0].module);
		assert_null(f->recs[0].affected[1].module); /* not a module build */
		assert_true(has_alias(&f->recs[0], "CVE-2099-1"));
	}
	/* other ecosystems are left alone: "related" is not an alias there */
	static const char go[] = "{\"id\": \"GO-1\", \"summary\": \"Moderate: x:1 y\", \"related\": [\"CVE-1\"],"
				 " \"affected\": [{\"package\": {\"ecosystem\": \"Go\", \"name\": \"m\"}}]}";
	reset(f);
	assert_int_equal(feed_osv(&f->ctx, go, strlen(go)), 0);
	assert_int_equal(f->recs[0].naliases, 0);
	assert_null(f->recs[0].vendor_severity);
	assert_string_equal(f->recs[0].source, "osv");
}

static void test_rocky_osv(void **state)
{
	struct feed_fx *f = *state;
	reset(f);
	assert_int_equal(parse_dir(f, ROCKY_OSV), 3);
	assert_int_equal(f->n, 3);
	assert_int_equal(f->warnings, 0);
	const vigil_vuln *v = find(f, "RLSA-2024:3671");
	assert_string_equal(v->source, "rocky");
	assert_string_equal(v->vendor_severity, "Moderate");
	assert_int_equal(v->severity, VIGIL_SEV_MEDIUM);
	assert_int_equal(v->naliases, 3);
	assert_int_equal(v->naffected, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(v->affected[i].namespace, "rocky:9");
		assert_int_equal(v->affected[i].is_source, 1); /* Apollo exports the source rpms */
		assert_string_equal(v->affected[i].module, "ruby:3.3");
	}
	assert_string_equal(v->affected[0].package, "ruby");
	assert_string_equal(v->affected[0].fixed, "0:3.3.1-2.module+el9.4.0+20787+4c237fd3");
	v = find(f, "RLSA-2021:3891");
	assert_string_equal(v->vendor_severity, "Important");
	assert_int_equal(v->severity, VIGIL_SEV_HIGH);
	assert_string_equal(v->affected[0].namespace, "rocky:8");
	assert_string_equal(v->affected[0].package, "java-11-openjdk");
	assert_string_equal(v->affected[0].fixed, "1:11.0.13.0.8-1.el8_4");
	assert_null(v->affected[0].module);
	assert_int_equal(v->naliases, 10);
	v = find(f, "RLSA-2023:3220");
	assert_string_equal(v->affected[0].fixed, "0:102.11.0-2.el8_7");
}

/* ---- sniffs ---- */

static bool sniff_file(feed_sniff_fn fn, const char *rel)
{
	size_t n;
	char *data = th_read_file(th_data_path(rel), &n);
	if (!data)
		fail_msg("cannot read %s", rel);
	const char *base = strrchr(rel, '/') + 1;
	bool ok = fn(base, data, n < 65536 ? n : 65536);
	free(data);
	return ok;
}

static void test_sniff(void **state)
{
	(void)state;
	assert_true(sniff_file(feed_alma_errata_sniff, ERRATA "errata.json"));
	assert_false(sniff_file(feed_alma_osv_sniff, ERRATA "errata.json"));
	/* golden files are Trivy's per-advisory input, not a feed */
	assert_false(sniff_file(feed_alma_errata_sniff, ERRATA "golden/2021/ALSA-2021:3253.json"));
	/* by content alone invalid.json is nobody's; under the feed's name it is refused */
	assert_false(sniff_file(feed_alma_errata_sniff, ERRATA "invalid.json"));
	assert_true(feed_alma_errata_sniff("almalinux-8-errata.full.json", "invalid json", 12));
	assert_true(feed_alma_errata_sniff("errata.full.json", "<html>", 6));
	assert_true(feed_alma_errata_sniff("x.json", full_doc, strlen(full_doc)));
	assert_false(feed_alma_osv_sniff("x.json", full_doc, strlen(full_doc)));
	assert_true(sniff_file(feed_alma_osv_sniff, ALMA_OSV "/ALSA-2022:8194.json"));
	assert_true(sniff_file(feed_alma_osv_sniff, VUNNEL_OSV "almalinux8/ALBA-2021:4378.json"));
	assert_false(sniff_file(feed_rocky_osv_sniff, ALMA_OSV "/ALSA-2022:8194.json"));
	assert_false(sniff_file(feed_alma_errata_sniff, ALMA_OSV "/ALSA-2022:8194.json"));
	assert_true(sniff_file(feed_rocky_osv_sniff, ROCKY_OSV "RLSA-2024_3671.json"));
	assert_false(sniff_file(feed_alma_osv_sniff, ROCKY_OSV "RLSA-2024_3671.json"));
	assert_false(sniff_file(feed_rocky_osv_sniff, "feeds/osv/go-vulndb/osv/GO-2020-0001.json"));
	assert_false(sniff_file(feed_alma_osv_sniff, "feeds/osv/go-vulndb/osv/GO-2020-0001.json"));
}

static void test_severity_words(void **state)
{
	(void)state;
	static const struct {
		const char *w;
		vigil_severity s;
	} t[] = {
		{ "Critical", VIGIL_SEV_CRITICAL }, { "Important", VIGIL_SEV_HIGH }, { "Moderate", VIGIL_SEV_MEDIUM },
		{ "Low", VIGIL_SEV_LOW },           { "important", VIGIL_SEV_HIGH }, { "None", VIGIL_SEV_UNKNOWN },
		{ "High", VIGIL_SEV_UNKNOWN },      { "", VIGIL_SEV_UNKNOWN },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(feed_rebuild_severity(t[i].w, strlen(t[i].w)), t[i].s);
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_errata_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errata_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errata_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alma_osv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_summary_module, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rocky_osv, setup, teardown),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_severity_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
