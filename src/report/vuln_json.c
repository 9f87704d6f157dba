/* report/vuln_json.c: a vulnerability report as Clair v4's
 * VulnerabilityReport JSON (httptransport/types/v1/vulnerability_report.schema.json):
 *   { manifest_hash, packages, distributions, repository, environments,
 *     vulnerabilities: { "<vid>": { id, updater, name, description, issued,
 *         links, severity, normalized_severity, package: { id, name, version,
 *         kind, ... }, distribution, fixed_in_version, arch_op } },
 *     package_vulnerabilities: { "<package id>": [ "<vid>", ... ] },
 *     enrichments: { "<type>": [ { "<vid>": [ ... ] } ] } }
 * packages, distributions and environments are those of the IndexReport
 * (report_priv.h), under the same ids. One vulnerability object per distinct
 * (feed, id, matched package, fixed version, state); vids count from 1 in
 * the findings' order. CVSS v3 scores go where claircore's cvss enricher puts
 * them; what vigil knows beyond Clair's shape goes in two enrichments of its
 * own, since the schema allows no other member (docs/scan.md). */
#include "report/report_priv.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/map.h"
#include "vigil/match.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The distinct vulnerability objects of one report: key (bytes, NULs
 * inside) -> vid, on util/map.h; the keys are copied into an arena, the vid
 * (from 1, so never NULL) is the value. */
struct vids {
	vigil_map map;
	vigil_arena *keys;
	size_t n;
};

/* The vid of key (n bytes), *fresh set when it is new. */
static int vids_get(struct vids *t, const char *key, size_t n, size_t *vid, bool *fresh)
{
	void *have = vigil_map_get(&t->map, key, n);
	char *copy;
	*fresh = !have;
	if (have) {
		*vid = (size_t)(uintptr_t)have;
		return 0;
	}
	if (!(copy = vigil_arena_alloc(t->keys, n ? n : 1)))
		return vigil_error_or_oom();
	memcpy(copy, key, n);
	*vid = ++t->n;
	return vigil_map_set(&t->map, copy, n, (void *)(uintptr_t)*vid);
}

static void vids_free(struct vids *t)
{
	vigil_map_free(&t->map);
	vigil_arena_free(t->keys);
}

/* An RFC 3339 time Go's time.Time reads, from the dates feeds write:
 * "2021-08-24", "2021-08-24T15:15:00.000", "2019-09-10 17:15:00 UTC",
 * "2021-08-24T15:15Z". False for anything else (issued is then left out). */
bool report_rfc3339(const char *s, char out[48])
{
	size_t n = s ? strlen(s) : 0, i;
	vigil_buf b;
	bool ok = false;
	static const char date_shape[] = "dddd-dd-dd", time_shape[] = "dd:dd";
	if (n < 10 || n > 40)
		return false;
	for (i = 0; i < 10; i++)
		if (date_shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != date_shape[i])
			return false;
	vigil_buf_init(&b, 47);
	vigil_buf_append(&b, s, 10);
	if (n == 10) {
		vigil_buf_puts(&b, "T00:00:00Z");
		goto done;
	}
	if ((s[10] != 'T' && s[10] != ' ') || n < 16)
		goto out;
	for (i = 0; i < 5; i++)
		if (time_shape[i] == 'd' ? (s[11 + i] < '0' || s[11 + i] > '9') : s[11 + i] != ':')
			goto out;
	vigil_buf_putc(&b, 'T');
	vigil_buf_append(&b, s + 11, 5);
	i = 16;
	if (i + 3 <= n && s[i] == ':' && s[i + 1] >= '0' && s[i + 1] <= '9' && s[i + 2] >= '0' && s[i + 2] <= '9') {
		vigil_buf_append(&b, s + i, 3);
		i += 3;
		if (i < n && s[i] == '.') {
			size_t j = i + 1;
			while (j < n && s[j] >= '0' && s[j] <= '9' && j - i <= 9)
				j++;
			if (j == i + 1)
				goto out;
			vigil_buf_append(&b, s + i, j - i);
			i = j;
		}
	} else {
		vigil_buf_puts(&b, ":00");
	}
	if (i == n || strcmp(s + i, " UTC") == 0 || strcmp(s + i, "Z") == 0) {
		vigil_buf_putc(&b, 'Z');
	} else if (n - i == 6 && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':' &&
		   strspn(s + i + 1, "0123456789") == 2 && strspn(s + i + 4, "0123456789") == 2) {
		vigil_buf_append(&b, s + i, 6);
	} else {
		goto out;
	}
done:
	if (b.len < 48) {
		memcpy(out, vigil_buf_cstr(&b), b.len + 1);
		ok = true;
	}
out:
	vigil_buf_free(&b);
	return ok;
}

/* "CVSS:3.1/..." -> "3.1"; NULL for other vectors (Clair's enricher carries v3 only). */
static const char *cvss3_version(const char *vec)
{
	if (vec && strncmp(vec, "CVSS:3.", 7) == 0 && (vec[7] == '0' || vec[7] == '1') && vec[8] == '/')
		return vec[7] == '0' ? "3.0" : "3.1";
	return NULL;
}

/* CVSS v3's qualitative rating of a base score. */
static const char *cvss3_rating(double s)
{
	return s <= 0.0 ? "NONE" : s < 4.0 ? "LOW" : s < 7.0 ? "MEDIUM" : s < 9.0 ? "HIGH" : "CRITICAL";
}

/* A score to one decimal (scores are 0.0-10.0; no libm for round()). */
static json_t *score(double s) { return json_real((double)(long long)(s * 10.0 + 0.5) / 10.0); }

static json_t *str_array(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		if (v[i])
			json_array_append_new(a, report_jstr(v[i]));
	return a;
}

static void set_opt(json_t *o, const char *key, const char *s)
{
	if (s)
		json_object_set_new(o, key, report_jstr(s));
}

/* The vulnerability object of finding f, whose matched package has id pkgid. */
static json_t *vulnerability(const vigil_vuln_report *r, const vigil_finding *f, const char *vid,
			     const char *pkgid)
{
	json_t *o = json_object(), *pkg = json_object();
	vigil_buf links;
	char issued[48];
	if (!o || !pkg) {
		json_decref(o);
		json_decref(pkg);
		return NULL;
	}
	vigil_buf_init(&links, 1024 * 1024);
	for (size_t i = 0; i < f->nlinks; i++)
		if (f->links[i] && (links.len == 0 || vigil_buf_putc(&links, ' ') == 0))
			vigil_buf_puts(&links, f->links[i]);
	json_object_set_new(o, "id", json_string(vid));
	json_object_set_new(o, "updater", report_jstr(f->feed));
	json_object_set_new(o, "name", report_jstr(f->id));
	json_object_set_new(o, "description", report_jstr(f->description ? f->description : f->summary));
	if (report_rfc3339(f->published, issued))
		json_object_set_new(o, "issued", json_string(issued));
	json_object_set_new(o, "links", report_jstr(vigil_buf_cstr(&links)));
	json_object_set_new(o, "severity", report_jstr(f->vendor_severity));
	json_object_set_new(o, "normalized_severity", json_string(vigil_severity_name(f->severity)));
	json_object_set_new(pkg, "id", json_string(pkgid));
	json_object_set_new(pkg, "name", report_jstr(f->matched_name));
	json_object_set_new(pkg, "version", json_string(""));
	json_object_set_new(pkg, "kind", json_string(f->by_source ? "source" : "binary"));
	json_object_set_new(pkg, "normalized_version", json_string(""));
	json_object_set_new(pkg, "arch", json_string(""));
	json_object_set_new(pkg, "module", report_jstr(f->module));
	/* no "cpe": "" is not a CPE name to Clair's schema, and it is optional */
	json_object_set_new(o, "package", pkg);
	/* a language finding is scoped by its ecosystem's repository, as
	 * Clair's language matchers write it, not by the distribution */
	const vigil_package *p = f->package_index < r->index->package_count
					 ? &r->index->packages[f->package_index] : NULL;
	json_t *repo = p ? report_lang_repository(p->type) : NULL;
	if (repo)
		json_object_set_new(o, "repository", repo);
	else if (r->index->distribution)
		json_object_set_new(o, "distribution", report_distribution(r->index->distribution));
	json_object_set_new(o, "fixed_in_version", report_jstr(f->fixed));
	/* the package's arch is "", which Clair's arch_op compares as "any" */
	json_object_set_new(o, "arch_op", json_string("equals"));
	vigil_buf_free(&links);
	return o;
}

/* What vigil knows of a finding beyond Clair's vulnerability object. */
static json_t *finding_extras(const vigil_finding *f)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "state", json_string(vigil_vuln_state_name(f->state)));
	set_opt(o, "source", f->source);
	set_opt(o, "namespace", f->namespace);
	json_object_set_new(o, "matched_by", json_string(f->by_source ? "source" : "binary"));
	set_opt(o, "affected_range", f->affected_range);
	set_opt(o, "module", f->module);
	set_opt(o, "summary", f->summary);
	if (f->cvss_score >= 0) {
		json_object_set_new(o, "cvss_score", score(f->cvss_score));
		set_opt(o, "cvss_vector", f->cvss_vector);
		set_opt(o, "cvss_source", f->cvss_source);
	}
	if (f->naliases)
		json_object_set_new(o, "aliases", str_array(f->aliases, f->naliases));
	if (f->nadvisories)
		json_object_set_new(o, "advisories", str_array(f->advisories, f->nadvisories));
	if (f->nsymbols) /* Go: the vulnerable functions the record names */
		json_object_set_new(o, "symbols", str_array(f->symbols, f->nsymbols));
	return o;
}

/* The CVSS v3 object Clair's enricher gives (NVD's cvssData members), or NULL. */
static json_t *cvss_enrichment(const vigil_finding *f)
{
	const char *ver = f->cvss_score >= 0 ? cvss3_version(f->cvss_vector) : NULL;
	json_t *o;
	if (!ver || !(o = json_object()))
		return NULL;
	json_object_set_new(o, "version", json_string(ver));
	json_object_set_new(o, "vectorString", report_jstr(f->cvss_vector));
	json_object_set_new(o, "baseScore", score(f->cvss_score));
	json_object_set_new(o, "baseSeverity", json_string(cvss3_rating(f->cvss_score)));
	return o;
}

static json_t *report_extras(const vigil_vuln_report *r)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	set_opt(o, "namespace", r->namespace);
	json_object_set_new(o, "packages_matched", json_integer((json_int_t)r->packages_matched));
	json_object_set_new(o, "findings", json_integer((json_int_t)r->finding_count));
	json_object_set_new(o, "filtered_out", json_integer((json_int_t)r->filtered_out));
	json_object_set_new(o, "ignored", json_integer((json_int_t)r->ignored));
	json_object_set_new(o, "warnings", str_array(r->warnings, r->warning_count));
	return o;
}

/* The key a vulnerability object is shared by: feed, id, matched package
 * (kind, id, name), fixed version, state; NUL-separated. */
static int vuln_key(vigil_buf *b, const vigil_finding *f, const char *pkgid)
{
	const char *parts[] = { f->feed, f->id, f->by_source ? "s" : "b", pkgid, f->matched_name,
				f->fixed ? f->fixed : "\x01", vigil_vuln_state_name(f->state) };
	vigil_buf_reset(b);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const char *p = parts[i] ? parts[i] : "";
		if (vigil_buf_append(b, p, strlen(p) + 1) < 0)
			return vigil_error_code();
	}
	return 0;
}

static bool has_vid(json_t *list, const char *vid)
{
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
		if (strcmp(json_string_value(v), vid) == 0)
			return true;
	return false;
}

static int add_findings(json_t *root, const vigil_vuln_report *r, struct report_ids *ids)
{
	json_t *vulns = json_object(), *pkgv = json_object(), *enr = json_object();
	json_t *cvss = json_object(), *extra = json_object(), *rep = report_extras(r);
	struct vids t = { 0 };
	vigil_buf key;
	int rc = VIGIL_ENOMEM;

	vigil_buf_init(&key, 64 * 1024);
	t.keys = vigil_arena_new(0);
	if (!vulns || !pkgv || !enr || !cvss || !extra || !rep || !t.keys)
		goto oom;
	for (size_t i = 0; i < r->finding_count; i++) {
		const vigil_finding *f = &r->findings[i];
		const vigil_package *p;
		char pid[24], mid[24], vid[24];
		size_t v = 0;
		bool fresh = false;
		json_t *list;
		if (f->package_index >= r->index->package_count) {
			rc = vigil_error_set(VIGIL_EINVAL, "finding %zu (%s): package %zu of %zu", i,
					     f->id ? f->id : "?", f->package_index, r->index->package_count);
			goto out;
		}
		p = &r->index->packages[f->package_index];
		snprintf(pid, sizeof(pid), "%zu", f->package_index + 1);
		if (f->by_source && p->source_name)
			snprintf(mid, sizeof(mid), "%u", report_source_id(ids, p));
		else
			memcpy(mid, pid, sizeof(pid));
		if ((rc = vuln_key(&key, f, mid)) < 0 || (rc = vids_get(&t, key.data, key.len, &v, &fresh)) < 0)
			goto out;
		snprintf(vid, sizeof(vid), "%zu", v);
		if (fresh) {
			json_t *o = vulnerability(r, f, vid, mid), *c = cvss_enrichment(f), *x = finding_extras(f);
			if (!o || !x) {
				json_decref(o); json_decref(c); json_decref(x);
				goto oom;
			}
			json_object_set_new(vulns, vid, o);
			if (c)
				json_object_set_new(cvss, vid, json_pack("[o]", c));
			json_object_set_new(extra, vid, json_pack("[o]", x));
		}
		if (!(list = json_object_get(pkgv, pid))) {
			if (!(list = json_array()) || json_object_set_new(pkgv, pid, list) < 0)
				goto oom;
		}
		if (!has_vid(list, vid))
			json_array_append_new(list, json_string(vid));
	}
	if (json_object_size(cvss))
		json_object_set_new(enr, REPORT_ENRICH_CVSS, json_pack("[O]", cvss));
	if (json_object_size(extra))
		json_object_set_new(enr, REPORT_ENRICH_FINDING, json_pack("[O]", extra));
	json_object_set_new(enr, REPORT_ENRICH_REPORT, json_pack("[O]", rep));
	json_object_set_new(root, "vulnerabilities", vulns);
	json_object_set_new(root, "package_vulnerabilities", pkgv);
	json_object_set_new(root, "enrichments", enr);
	vulns = pkgv = enr = NULL;
	rc = 0;
	goto out;
oom:
	rc = vigil_error_oom();
out:
	json_decref(vulns);
	json_decref(pkgv);
	json_decref(enr);
	json_decref(cvss);
	json_decref(extra);
	json_decref(rep);
	vids_free(&t);
	vigil_buf_free(&key);
	return rc;
}

int vigil_vuln_report_json(const vigil_vuln_report *r, int pretty, char **json, size_t *len)
{
	struct report_ids ids;
	json_t *root = NULL;
	int rc;

	*json = NULL;
	if (!r || !r->index)
		return vigil_error_set(VIGIL_EINVAL, "vulnerability report: no index report");
	if ((rc = report_ids_init(&ids, r->index)) < 0)
		return rc;
	if (!(root = json_object())) {
		rc = vigil_error_oom();
		goto out;
	}
	json_object_set_new(root, "manifest_hash", report_jstr(r->index->manifest_hash));
	/* every source id is handed out here, before the findings refer to them */
	if ((rc = report_add_index_parts(root, r->index, &ids)) < 0 || (rc = add_findings(root, r, &ids)) < 0)
		goto out;
	/* scores have one decimal: 9.8, not 9.8000000000000007 */
	rc = report_dump(root, pretty, JSON_REAL_PRECISION(3), json, len);
out:
	json_decref(root);
	report_ids_free(&ids);
	return rc;
}
