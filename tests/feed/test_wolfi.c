/* tests/feed/test_wolfi.c: feed/wolfi.c and feed/wolfi_adv.c on the real
 * Wolfi and Chainguard data of the shared test folder:
 *
 * - secdb (feed_wolfi_secdb): vunnel's Wolfi fixture, record by record
 *   against vunnel's own snapshots of it (59 ids, "0" = not affected);
 *   vunnel's Chainguard fixture (urlprefix libraries.cgr.dev: 197 records,
 *   19 not affected); vuln-list-update's Wolfi and Chainguard fixtures
 *   against Trivy's golden files; bad documents (an Alpine secdb, an
 *   unknown urlprefix, wrong shapes, bad versions and ids);
 * - CGA OSV (feed_wolfi_advisory on JSON): the three advisories against
 *   vunnel's snapshots, "fixed: 0" as not affected, the all.json index;
 * - wolfi-dev/advisories YAML (feed_wolfi_advisory on YAML): all 1,278
 *   files of the 2025-05 snapshot with the state counts worked out
 *   independently with python3 (latest event by timestamp, as wolfictl),
 *   specific advisories whose events are out of order, and hand-written
 *   documents for every event type, ties, time zones and bad input;
 * - detection: db_feed_detect() names each real file's feed. */
#include "helpers.h"
#include "feed_fixture.h"
#include "db/db.h"
#include "feed/vendors.h"
#include "util/error.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WOLFI "feeds/wolfi/"
#define CG "feeds/chainguard/"
#define ADV "feeds/alpine/wolfi-advisories-2025-05/"

static int setup(void **state)
{
	return feed_fx_setup(state, "wolfi");
}

static char *read_rel(const char *rel, size_t *n)
{
	char *data = th_read_file(th_data_path(rel), n);
	if (!data)
		fail_msg("cannot read %s", rel);
	return data;
}

static void parse_rel(struct feed_fx *f, const char *rel, int (*fn)(vigil_feed_ctx *, const char *, size_t))
{
	size_t n;
	char *data = read_rel(rel, &n);
	reset(f);
	if (fn(&f->ctx, data, n) < 0)
		fail_msg("%s: %s", rel, vigil_error_message());
	free(data);
}

static int parse_text(struct feed_fx *f, const char *text, int (*fn)(vigil_feed_ctx *, const char *, size_t))
{
	reset(f);
	return fn(&f->ctx, text, strlen(text));
}

/* The record of id for package pkg (fixed version fixed, or NULL). */
static const vigil_vuln *find(struct feed_fx *f, const char *id, const char *pkg, const char *fixed)
{
	for (size_t i = 0; i < f->n; i++) {
		const vigil_vuln *v = &f->recs[i];
		if (strcmp(v->id, id) != 0)
			continue;
		for (size_t k = 0; k < v->naffected; k++) {
			const vigil_affected *a = &v->affected[k];
			if (pkg && strcmp(a->package, pkg) != 0)
				continue;
			if (fixed && (!a->fixed || strcmp(a->fixed, fixed) != 0))
				continue;
			return v;
		}
	}
	return NULL;
}

static const vigil_affected *aff(const vigil_vuln *v, const char *ns, const char *pkg)
{
	for (size_t k = 0; v && k < v->naffected; k++)
		if (!strcmp(v->affected[k].namespace, ns) && !strcmp(v->affected[k].package, pkg))
			return &v->affected[k];
	fail_msg("%s: no affected entry %s %s", v ? v->id : "(none)", ns, pkg);
	return NULL;
}

static bool has_alias(const vigil_vuln *v, const char *alias)
{
	for (size_t i = 0; i < v->naliases; i++)
		if (!strcmp(v->aliases[i], alias))
			return true;
	return false;
}

/* ---- secdb ---- */

/* Every record is one of vunnel's FixedIn entries and every FixedIn entry
 * one record ("0" = not affected). */
static void test_secdb_wolfi_vs_vunnel(void **state)
{
	struct feed_fx *f = *state;
	char dir[1024];
	size_t pairs = 0, zero = 0, snaps = 0;
	parse_rel(f, WOLFI "vunnel-fixture/input/secdb/security.json", feed_wolfi_secdb);
	assert_int_equal(f->n, 59);
	assert_int_equal(f->warnings, 0);
	for (size_t i = 0; i < f->n; i++) {
		const vigil_vuln *v = &f->recs[i];
		assert_string_equal(v->source, "wolfi");
		assert_int_equal(v->naffected, 1);
		assert_string_equal(v->affected[0].namespace, "wolfi:rolling");
		assert_int_equal(v->affected[0].is_source, 1);
		assert_string_equal(v->affected[0].scheme, "apk");
	}
	snprintf(dir, sizeof(dir), "%s", th_data_path(WOLFI "vunnel-fixture/snapshots/wolfi:rolling"));
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *de;
	while ((de = readdir(d))) {
		char path[1400];
		json_error_t je;
		if (!strstr(de->d_name, ".json"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		json_t *j = json_load_file(path, 0, &je), *fixed, *e;
		assert_non_null(j);
		json_t *vuln = json_object_get(json_object_get(j, "item"), "Vulnerability");
		const char *name = json_string_value(json_object_get(vuln, "Name"));
		assert_string_equal(json_string_value(json_object_get(vuln, "NamespaceName")), "wolfi:rolling");
		fixed = json_object_get(vuln, "FixedIn");
		size_t k;
		json_array_foreach(fixed, k, e) {
			const char *pkg = json_string_value(json_object_get(e, "Name"));
			const char *ver = json_string_value(json_object_get(e, "Version"));
			bool z = !strcmp(ver, "0");
			const vigil_vuln *v = find(f, name, pkg, z ? NULL : ver);
			if (!v)
				fail_msg("vunnel's %s %s %s: no vigil record", name, pkg, ver);
			const vigil_affected *a = aff(v, "wolfi:rolling", pkg);
			assert_int_equal(a->state, z ? VIGIL_STATE_NOT_AFFECTED : VIGIL_STATE_FIXED);
			assert_string_equal(json_string_value(json_object_get(e, "VersionFormat")), "apk");
			pairs++;
			zero += z;
		}
		snaps++;
		json_decref(j);
	}
	closedir(d);
	assert_int_equal(snaps, 59);
	assert_int_equal(pairs, f->n); /* nothing vigil has that vunnel has not */
	assert_int_equal(zero, 6);
	/* specific ones */
	const vigil_vuln *v = find(f, "GHSA-jq35-85cj-fj4p", "apko", NULL);
	assert_non_null(v);
	assert_int_equal(v->affected[0].state, VIGIL_STATE_NOT_AFFECTED);
	assert_null(v->affected[0].fixed);
	assert_non_null(find(f, "CVE-2023-3978", "apko", "0.10.0-r6"));
	assert_non_null(find(f, "CVE-2022-37434", "zlib", "1.2.12-r3"));
	assert_non_null(find(f, "CVE-2018-25032", "zlib", "1.2.12-r0"));
}

/* Trivy's golden: the package's secfixes as the secdb gives them. */
static void check_golden(struct feed_fx *f, const char *input, const char *golden, const char *ns,
			 const char *source)
{
	json_error_t je;
	json_t *g = json_load_file(th_data_path(golden), 0, &je), *ids, *id;
	const char *ver;
	size_t total = 0, i;
	assert_non_null(g);
	parse_rel(f, input, feed_wolfi_secdb);
	json_object_foreach(json_object_get(g, "secfixes"), ver, ids) {
		json_array_foreach(ids, i, id) {
			const vigil_vuln *v = find(f, json_string_value(id), json_string_value(json_object_get(g, "name")), ver);
			assert_non_null(v);
			assert_string_equal(v->source, source);
			assert_int_equal(aff(v, ns, "binutils")->state, VIGIL_STATE_FIXED);
			total++;
		}
	}
	assert_int_equal(f->n, total);
	assert_int_equal(total, 3);
	json_decref(g);
}

static void test_secdb_trivy_golden(void **state)
{
	struct feed_fx *f = *state;
	check_golden(f, WOLFI "vuln-list-update-fixture/security.json", WOLFI "vuln-list-update-fixture/golden/binutils.json",
		     "wolfi:rolling", "wolfi");
	check_golden(f, CG "vuln-list-update-fixture/security.json", CG "vuln-list-update-fixture/golden/binutils.json",
		     "chainguard:rolling", "chainguard");
}

/* urlprefix https://libraries.cgr.dev, reponame chainguard: 197 (id,
 * package, version) records of 189 ids, 19 not affected (the same 197 as
 * vunnel's snapshot of this fixture, docs/accuracy.md). */
static void test_secdb_chainguard(void **state)
{
	struct feed_fx *f = *state;
	size_t zero = 0;
	parse_rel(f, CG "vunnel-fixture/input/secdb/security.json", feed_wolfi_secdb);
	assert_int_equal(f->n, 197);
	assert_int_equal(f->warnings, 0);
	for (size_t i = 0; i < f->n; i++) {
		assert_string_equal(f->recs[i].source, "chainguard");
		assert_string_equal(f->recs[i].affected[0].namespace, "chainguard:rolling");
		zero += f->recs[i].affected[0].state == VIGIL_STATE_NOT_AFFECTED;
	}
	assert_int_equal(zero, 19);
	assert_non_null(find(f, "CVE-2022-31130", "grafana", "7.5.19-r0"));
	assert_non_null(find(f, "CVE-2020-8625", "bind", "9.18.10-r0"));
}

static void test_secdb_bad(void **state)
{
	struct feed_fx *f = *state;
	const char *head = "{\"reponame\":\"os\",\"urlprefix\":\"https://packages.wolfi.dev\",\"packages\":";
	char doc[1024];
	/* Alpine's, never read here */
	assert_int_equal(parse_text(f, "{\"distroversion\":\"v3.11\",\"packages\":[]}", feed_wolfi_secdb), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "Alpine"));
	/* an unknown distribution; the URL's credentials are not repeated */
	assert_int_equal(parse_text(f, "{\"reponame\":\"main\",\"urlprefix\":\"https://u:s3cret@example.org\",\"packages\":[]}",
				    feed_wolfi_secdb), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "neither Wolfi"));
	assert_null(strstr(vigil_error_message(), "s3cret"));
	/* a look-alike host is not Chainguard's */
	assert_int_equal(parse_text(f, "{\"reponame\":\"x\",\"urlprefix\":\"https://evilcgr.dev\",\"packages\":[]}",
				    feed_wolfi_secdb), VIGIL_EFORMAT);
	/* reponame alone */
	assert_int_equal(parse_text(f, "{\"reponame\":\"chainguard\",\"packages\":[{\"pkg\":{\"name\":\"a\",\"secfixes\":{\"1-r0\":[\"CVE-2020-1\"]}}}]}",
				    feed_wolfi_secdb), 0);
	assert_string_equal(f->recs[0].affected[0].namespace, "chainguard:rolling");
	/* truncated, wrong shapes */
	assert_int_equal(parse_text(f, "{\"reponame\":\"os\",\"packages\":[", feed_wolfi_secdb), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "wolfi secdb: bad JSON at line 1"));
	snprintf(doc, sizeof(doc), "%s{}}", head);
	assert_int_equal(parse_text(f, doc, feed_wolfi_secdb), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "wolfi secdb: "));
	snprintf(doc, sizeof(doc), "%s[{\"pkg\":{\"name\":\"a\",\"secfixes\":{\"1-r0\":\"CVE-2020-1\"}}}]}", head);
	assert_int_equal(parse_text(f, doc, feed_wolfi_secdb), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "packages[0].pkg(a).secfixes[\"1-r0\"]: not a list"));
	snprintf(doc, sizeof(doc), "%s[{\"nopkg\":1}]}", head);
	assert_int_equal(parse_text(f, doc, feed_wolfi_secdb), VIGIL_EFORMAT);
	/* a bad version, a note, two ids in one entry, a token that is no id */
	snprintf(doc, sizeof(doc),
		 "%s[{\"pkg\":{\"name\":\"a\",\"secfixes\":{\"1.0 beta\":[\"CVE-2020-1\"],\"1.2-r1-r0\":[\"CVE-2020-2\"],"
		 "\"2-r0\":[\"CVE-2020-3 (regression)\",\"CVE-2020-4 GHSA-aaaa-bbbb-cccc\",\"see-notes\", \"???\"],"
		 "\"0\":null}}},{\"pkg\":{\"name\":\"b c\",\"secfixes\":{\"1-r0\":[\"CVE-2020-9\"]}}}]}",
		 head);
	assert_int_equal(parse_text(f, doc, feed_wolfi_secdb), 0);
	assert_int_equal(f->n, 4);
	assert_non_null(find(f, "CVE-2020-3", "a", "2-r0"));
	assert_non_null(find(f, "CVE-2020-4", "a", "2-r0"));
	assert_non_null(find(f, "GHSA-aaaa-bbbb-cccc", "a", "2-r0"));
	assert_non_null(find(f, "see-notes", "a", "2-r0")); /* shaped like an id: kept, as vunnel does */
	assert_int_equal(f->warnings, 5); /* two versions, "???" (not an id, then no id in the entry), "b c" */
}

/* ---- CGA OSV ---- */

static void test_cga_osv(void **state)
{
	struct feed_fx *f = *state;
	const vigil_vuln *v;
	parse_rel(f, CG "vunnel-fixture/input/osv/CGA-224q-ccj5-2p53.json", feed_wolfi_advisory);
	assert_int_equal(f->n, 1);
	v = &f->recs[0];
	assert_string_equal(v->id, "CGA-224q-ccj5-2p53");
	assert_string_equal(v->source, "chainguard");
	assert_true(has_alias(v, "CVE-2025-32464") && has_alias(v, "GHSA-frg5-h47x-75j9"));
	assert_int_equal(v->naffected, 4);
	assert_string_equal(v->cvss3_vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N");
	assert_int_equal(v->severity, VIGIL_SEV_CRITICAL); /* 9.1 */
	assert_string_equal(aff(v, "chainguard:rolling", "haproxy-2.2")->fixed, "2.2.34-r0");
	assert_string_equal(aff(v, "chainguard:rolling", "haproxy-2.8")->fixed, "2.8.18-r0");
	assert_string_equal(aff(v, "wolfi:rolling", "haproxy-3.0")->fixed, "3.0.10-r0"); /* ecosystem Wolfi */
	assert_string_equal(aff(v, "wolfi:rolling", "haproxy-3.1")->fixed, "3.1.7-r0");
	assert_int_equal(aff(v, "wolfi:rolling", "haproxy-3.1")->is_source, 1);
	assert_string_equal(aff(v, "wolfi:rolling", "haproxy-3.1")->scheme, "apk");

	parse_rel(f, CG "vunnel-fixture/input/osv/CGA-xcpc-gm23-prj9.json", feed_wolfi_advisory);
	v = &f->recs[0];
	assert_int_equal(v->naffected, 4);
	/* introduced 0, fixed 0: an empty range, never affected */
	assert_int_equal(aff(v, "chainguard:rolling", "syncthing-compat")->state, VIGIL_STATE_NOT_AFFECTED);
	assert_null(aff(v, "chainguard:rolling", "syncthing-compat")->fixed);
	assert_int_equal(aff(v, "chainguard:rolling", "syncthing")->state, VIGIL_STATE_FIXED);
	assert_string_equal(aff(v, "chainguard:rolling", "syncthing")->fixed, "2.0.14-r1");
	assert_int_equal(v->severity, VIGIL_SEV_MEDIUM); /* 5.5 */

	parse_rel(f, CG "vunnel-fixture/input/osv/CGA-22hv-wp9q-4779.json", feed_wolfi_advisory);
	v = &f->recs[0];
	assert_string_equal(aff(v, "chainguard:rolling", "langfuse-fips-3-worker")->fixed, "3.152.0-r0");
	assert_string_equal(aff(v, "wolfi:rolling", "langfuse-3-worker")->fixed, "3.153.0-r0");

	/* the index: no vulnerability */
	parse_rel(f, CG "vunnel-fixture/input/osv/all.json", feed_wolfi_advisory);
	assert_int_equal(f->n, 0);
	/* a Wolfi-only document is "wolfi" */
	assert_int_equal(parse_text(f, "{\"id\":\"CGA-aaaa-bbbb-cccc\",\"affected\":[{\"package\":{\"ecosystem\":\"Wolfi\",\"name\":\"x\"},"
				       "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1-r1\"}]}]}]}",
				    feed_wolfi_advisory), 0);
	assert_string_equal(f->recs[0].source, "wolfi");
	assert_int_equal(parse_text(f, "{\"id\": ", feed_wolfi_advisory), VIGIL_EFORMAT);
}

/* vunnel's snapshots of the same documents: the same fixed event for
 * every affected entry (vunnel adds only its fix dates). */
static void test_cga_vs_vunnel(void **state)
{
	struct feed_fx *f = *state;
	static const char *const ids[] = { "CGA-224q-ccj5-2p53", "CGA-22hv-wp9q-4779", "CGA-xcpc-gm23-prj9" };
	for (size_t i = 0; i < 3; i++) {
		char in[256], snap[256];
		json_error_t je;
		json_t *a, *e;
		size_t k;
		snprintf(in, sizeof(in), CG "vunnel-fixture/input/osv/%s.json", ids[i]);
		snprintf(snap, sizeof(snap), CG "vunnel-fixture/snapshots/osv/chainguard:rolling/%s.json", ids[i]);
		parse_rel(f, in, feed_wolfi_advisory);
		json_t *j = json_load_file(th_data_path(snap), 0, &je);
		assert_non_null(j);
		a = json_object_get(json_object_get(j, "item"), "affected");
		assert_int_equal(f->recs[0].naffected, json_array_size(a));
		json_array_foreach(a, k, e) {
			json_t *pkg = json_object_get(e, "package");
			const char *eco = json_string_value(json_object_get(pkg, "ecosystem"));
			const char *name = json_string_value(json_object_get(pkg, "name"));
			json_t *evs = json_object_get(json_array_get(json_object_get(e, "ranges"), 0), "events");
			const char *fx = json_string_value(json_object_get(json_array_get(evs, 1), "fixed"));
			const vigil_affected *af = aff(&f->recs[0], !strcmp(eco, "Wolfi") ? "wolfi:rolling" : "chainguard:rolling", name);
			if (!strcmp(fx, "0"))
				assert_int_equal(af->state, VIGIL_STATE_NOT_AFFECTED);
			else
				assert_string_equal(af->fixed, fx);
		}
		json_decref(j);
	}
}

/* ---- wolfi-dev/advisories YAML ---- */

static void test_advisories_all(void **state)
{
	struct feed_fx *f = *state;
	DIR *d = opendir(th_data_path(ADV));
	struct dirent *de;
	size_t files = 0, total = 0, warnings = 0, st[5] = { 0 };
	assert_non_null(d);
	while ((de = readdir(d))) {
		char rel[512];
		if (!strstr(de->d_name, ".advisories.yaml"))
			continue;
		snprintf(rel, sizeof(rel), ADV "%s", de->d_name);
		parse_rel(f, rel, feed_wolfi_advisory);
		files++;
		total += f->n;
		warnings += (size_t)f->warnings;
		for (size_t i = 0; i < f->n; i++) {
			assert_int_equal(f->recs[i].naffected, 1);
			assert_string_equal(f->recs[i].affected[0].namespace, "wolfi:rolling");
			st[f->recs[i].affected[0].state]++;
		}
	}
	closedir(d);
	assert_int_equal(files, 1278);
	assert_int_equal(total, 20769);
	assert_int_equal(warnings, 1); /* opa-envoy CGA-f73f-594w-h296: fixed-version 1.1.0-r1-r0 */
	assert_int_equal(st[VIGIL_STATE_FIXED], 14606);
	assert_int_equal(st[VIGIL_STATE_NOT_AFFECTED], 2046);
	assert_int_equal(st[VIGIL_STATE_WILL_NOT_FIX], 149);
	assert_int_equal(st[VIGIL_STATE_NOT_FIXED], 3337 + 624 + 7);
	assert_int_equal(st[VIGIL_STATE_AFFECTED], 0);
}

static void test_advisories_real(void **state)
{
	struct feed_fx *f = *state;
	const vigil_vuln *v;
	parse_rel(f, ADV "age.advisories.yaml", feed_wolfi_advisory);
	assert_non_null(v = find(f, "CGA-2h26-rh8h-r2vp", "age", "1.2.1-r4"));
	assert_string_equal(v->source, "wolfi");
	assert_int_equal(v->naliases, 2);
	assert_true(has_alias(v, "CVE-2025-22871") && has_alias(v, "GHSA-g9pc-8g42-g6vq"));
	assert_int_equal(v->affected[0].is_source, 1);
	assert_string_equal(v->affected[0].scheme, "apk");
	assert_string_equal(v->published, "2025-04-10T07:05:57Z");
	assert_string_equal(v->modified, "2025-04-10T08:18:45Z");
	assert_string_equal(v->description, "fixed");

	parse_rel(f, ADV "brotli.advisories.yaml", feed_wolfi_advisory);
	assert_non_null(v = find(f, "CGA-9mxg-j38p-8p8r", "brotli", NULL));
	assert_int_equal(v->affected[0].state, VIGIL_STATE_NOT_AFFECTED);
	assert_non_null(strstr(v->description, "false-positive-determination (vulnerable-code-version-not-used)"));

	/* written [detection, pending-upstream-fix, false-positive, fixed]; the
	 * false-positive determination is the latest by time */
	parse_rel(f, ADV "aws-efs-csi-driver.advisories.yaml", feed_wolfi_advisory);
	assert_non_null(v = find(f, "CGA-pggr-w7gc-5r3m", NULL, NULL));
	assert_int_equal(v->affected[0].state, VIGIL_STATE_NOT_AFFECTED);
	/* written [detection, false-positive]; the detection is the later */
	parse_rel(f, ADV "postgresql-13.advisories.yaml", feed_wolfi_advisory);
	assert_non_null(v = find(f, "CGA-2vjx-23jm-4246", NULL, NULL));
	assert_int_equal(v->affected[0].state, VIGIL_STATE_NOT_FIXED);
	/* [pending-upstream-fix, detection]: the pending one is the later */
	parse_rel(f, ADV "kots.advisories.yaml", feed_wolfi_advisory);
	assert_non_null(v = find(f, "CGA-8r4m-6rpr-7pxr", NULL, NULL));
	assert_int_equal(v->affected[0].state, VIGIL_STATE_NOT_FIXED);
	assert_non_null(strstr(v->description, "pending-upstream-fix: Patching"));
	parse_rel(f, ADV "go-1.19.advisories.yaml", feed_wolfi_advisory);
	assert_non_null(v = find(f, "CGA-vv9g-64g7-6hrq", "go-1.19", NULL));
	assert_int_equal(v->affected[0].state, VIGIL_STATE_NOT_FIXED); /* the detection is later than fix-not-planned */

	parse_rel(f, ADV "opa-envoy.advisories.yaml", feed_wolfi_advisory);
	assert_null(find(f, "CGA-f73f-594w-h296", NULL, NULL));
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "1.1.0-r1-r0"));
}

#define ADV_HEAD "schema-version: 2.0.2\npackage:\n  name: pkg\nadvisories:\n"

static const vigil_vuln *one_adv(struct feed_fx *f, const char *events)
{
	char doc[4096];
	snprintf(doc, sizeof(doc), ADV_HEAD "  - id: CGA-aaaa-bbbb-cccc\n    aliases: [CVE-2024-1, CVE-2024-1, CGA-aaaa-bbbb-cccc]\n    events:\n%s",
		 events);
	if (parse_text(f, doc, feed_wolfi_advisory) < 0)
		fail_msg("%s", vigil_error_message());
	return f->n ? &f->recs[0] : NULL;
}

static void test_advisories_events(void **state)
{
	struct feed_fx *f = *state;
	const vigil_vuln *v;
	static const struct {
		const char *type;
		vigil_vuln_state state;
	} types[] = {
		{ "detection", VIGIL_STATE_NOT_FIXED }, { "true-positive-determination", VIGIL_STATE_NOT_FIXED },
		{ "pending-upstream-fix", VIGIL_STATE_NOT_FIXED }, { "analysis-not-planned", VIGIL_STATE_NOT_FIXED },
		{ "fix-not-planned", VIGIL_STATE_WILL_NOT_FIX }, { "false-positive-determination", VIGIL_STATE_NOT_AFFECTED },
	};
	char ev[512];
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		snprintf(ev, sizeof(ev), "      - timestamp: 2024-01-01T00:00:00Z\n        type: %s\n        data:\n          note: why\n",
			 types[i].type);
		assert_non_null(v = one_adv(f, ev));
		assert_int_equal(v->affected[0].state, types[i].state);
		assert_null(v->affected[0].fixed);
		assert_int_equal(v->naliases, 1); /* duplicates and the id itself dropped */
		assert_string_equal(v->aliases[0], "CVE-2024-1");
	}
	/* fixed; "0" is not affected */
	v = one_adv(f, "      - timestamp: 2024-01-01T00:00:00Z\n        type: fixed\n        data:\n          fixed-version: 1.2-r3\n");
	assert_int_equal(v->affected[0].state, VIGIL_STATE_FIXED);
	assert_string_equal(v->affected[0].fixed, "1.2-r3");
	v = one_adv(f, "      - timestamp: 2024-01-01T00:00:00Z\n        type: fixed\n        data:\n          fixed-version: \"0\"\n");
	assert_int_equal(v->affected[0].state, VIGIL_STATE_NOT_AFFECTED);
	/* time zones: 10:00+02:00 is before 09:00Z */
	v = one_adv(f, "      - timestamp: 2024-01-01T09:00:00Z\n        type: fix-not-planned\n"
		       "      - timestamp: 2024-01-01T10:00:00+02:00\n        type: detection\n");
	assert_int_equal(v->affected[0].state, VIGIL_STATE_WILL_NOT_FIX);
	/* fractions count; a date alone is midnight */
	v = one_adv(f, "      - timestamp: 2024-01-01T00:00:00.5Z\n        type: fix-not-planned\n"
		       "      - timestamp: 2024-01-01\n        type: detection\n");
	assert_int_equal(v->affected[0].state, VIGIL_STATE_WILL_NOT_FIX);
	/* a tie: the one written last */
	v = one_adv(f, "      - timestamp: 2024-01-01T00:00:00Z\n        type: fix-not-planned\n"
		       "      - timestamp: 2024-01-01T00:00:00Z\n        type: detection\n");
	assert_int_equal(v->affected[0].state, VIGIL_STATE_NOT_FIXED);
	assert_string_equal(v->published, "2024-01-01T00:00:00Z");
	/* skipped with a warning: a bad timestamp, an unknown type, a fixed event without a version, no events */
	assert_null(one_adv(f, "      - timestamp: yesterday\n        type: detection\n"));
	assert_int_equal(f->warnings, 1);
	assert_null(one_adv(f, "      - timestamp: 2024-01-01T25:00:00Z\n        type: detection\n"));
	assert_null(one_adv(f, "      - timestamp: 2024-02-30T00:00:00Z\n        type: detection\n"));
	assert_null(one_adv(f, "      - timestamp: 2023-02-29T00:00:00Z\n        type: detection\n"));
	assert_non_null(one_adv(f, "      - timestamp: 2024-02-29T00:00:00Z\n        type: detection\n"));
	assert_null(one_adv(f, "      - timestamp: 2024-01-01T00:00:00\n        type: detection\n")); /* no zone */
	assert_null(one_adv(f, "      - timestamp: 2024-01-01T00:00:00Z\n        type: mystery\n"));
	assert_non_null(strstr(f->last_warning, "mystery"));
	assert_null(one_adv(f, "      - timestamp: 2024-01-01T00:00:00Z\n        type: fixed\n"));
	assert_null(one_adv(f, "      []\n"));
	assert_non_null(strstr(f->last_warning, "no events"));
}

static void test_advisories_bad(void **state)
{
	struct feed_fx *f = *state;
	assert_int_equal(parse_text(f, "schema-version: 1\npackage:\n  name: a\nadvisories: {}\n", feed_wolfi_advisory),
			 VIGIL_EUNSUPPORTED);
	assert_non_null(strstr(vigil_error_message(), "only version 2"));
	assert_int_equal(parse_text(f, "schema-version: 2\nadvisories: []\n", feed_wolfi_advisory), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "package: missing"));
	assert_int_equal(parse_text(f, "schema-version: 2\npackage:\n  name: a b\n", feed_wolfi_advisory), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, ADV_HEAD "  - &x {id: CGA-a-b}\n  - *x\n", feed_wolfi_advisory), VIGIL_EUNSUPPORTED);
	assert_int_equal(parse_text(f, ADV_HEAD "  - id: [1\n", feed_wolfi_advisory), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "wolfi advisories YAML line"));
	assert_int_equal(parse_text(f, ADV_HEAD "  - id: CGA-a-b\n    events: {}\n", feed_wolfi_advisory), VIGIL_EFORMAT);
	assert_int_equal(parse_text(f, ADV_HEAD "  - plain\n", feed_wolfi_advisory), VIGIL_EFORMAT);
	/* no advisories: no record */
	assert_int_equal(parse_text(f, "schema-version: \"2\"\npackage:\n  name: a\n", feed_wolfi_advisory), 0);
	assert_int_equal(f->n, 0);
}

/* ---- detection ---- */

static void detect_is(const char *rel, const char *feed)
{
	size_t n;
	char *data = read_rel(rel, &n);
	const vigil_feed_format *fmt = db_feed_detect(th_data_path(rel), data, n);
	if (!fmt || strcmp(fmt->feed, feed) != 0)
		fail_msg("%s: detected as %s, expected %s", rel, fmt ? fmt->feed : "(none)", feed);
	free(data);
}

static void test_detect(void **state)
{
	(void)state;
	detect_is(WOLFI "vunnel-fixture/input/secdb/security.json", "wolfi");
	detect_is(WOLFI "vuln-list-update-fixture/security.json", "wolfi");
	detect_is(CG "vunnel-fixture/input/secdb/security.json", "chainguard");
	detect_is(CG "vuln-list-update-fixture/security.json", "chainguard");
	detect_is(CG "vunnel-fixture/input/osv/CGA-224q-ccj5-2p53.json", "chainguard-osv");
	detect_is(CG "vunnel-fixture/input/osv/all.json", "chainguard-osv");
	detect_is(ADV "age.advisories.yaml", "wolfi-osv");
	detect_is(ADV "go-1.20.advisories.yaml", "wolfi-osv");
	detect_is("feeds/alpine/secdb-json/v3.11/main.json", "alpine");
	/* vunnel's snapshots and Trivy's golden files are not feeds */
	size_t n;
	char *data = read_rel(WOLFI "vunnel-fixture/snapshots/wolfi:rolling/CVE-2022-38533.json", &n);
	assert_null(db_feed_detect("CVE-2022-38533.json", data, n));
	free(data);
	data = read_rel(WOLFI "vuln-list-update-fixture/golden/binutils.json", &n);
	const vigil_feed_format *fmt = db_feed_detect("binutils.json", data, n);
	assert_true(!fmt || (strcmp(fmt->feed, "wolfi") && strcmp(fmt->feed, "chainguard")));
	free(data);
	const char *wolfi_osv = "{\"id\":\"CGA-aaaa-bbbb-cccc\",\"affected\":[{\"package\":{\"ecosystem\":\"Wolfi\",\"name\":\"x\"}}]}";
	assert_string_equal(db_feed_detect("CGA-aaaa-bbbb-cccc.json", wolfi_osv, strlen(wolfi_osv))->feed, "wolfi-osv");
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_secdb_wolfi_vs_vunnel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secdb_trivy_golden, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secdb_chainguard, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secdb_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cga_osv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cga_vs_vunnel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_advisories_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_advisories_real, setup, teardown),
		cmocka_unit_test_setup_teardown(test_advisories_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_advisories_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_detect, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
