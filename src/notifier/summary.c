/* notifier/summary.c: a manifest's current vulnerability set, as the
 * notifier compares it: the manifest indexed again from its stored Clair
 * Manifest (layers from the cache; an evicted one is fetched from its URI
 * as the matcher would) and matched against the current data, then read
 * through the VulnerabilityReport JSON (report/), so every summary has
 * the shapes Clair's clients already validate: Clair's VulnSummary (name,
 * description, links, fixed_in_version, severity and normalized_severity
 * (both the normalized level, as Clair's notifier writes "severity"),
 * package, distribution, repository). One entry per (vulnerability,
 * package the record names, fixed version): two binaries of one source
 * package are one entry. */
#include "notifier/notifier_priv.h"
#include "util/error.h"
#include "vigil/manifest.h"
#include "vigil/match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

static json_t *summary_of(json_t *v)
{
	json_t *o = json_object();
	static const char *const keys[] = { "name", "description", "links", "fixed_in_version" };
	if (!o)
		return NULL;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		json_object_set_new(o, keys[i], json_string(str(v, keys[i])));
	json_object_set_new(o, "severity", json_string(str(v, "normalized_severity")));
	json_object_set_new(o, "normalized_severity", json_string(str(v, "normalized_severity")));
	static const char *const objs[] = { "package", "distribution", "repository" };
	for (size_t i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		json_t *x = json_object_get(v, objs[i]);
		if (json_is_object(x))
			json_object_set(o, objs[i], x);
	}
	return o;
}

/* Adds every vulnerability of the VulnerabilityReport root to set. */
static int collect(json_t *root, json_t *set)
{
	json_t *vulns = json_object_get(root, "vulnerabilities"), *v;
	const char *vid;
	json_object_foreach(vulns, vid, v) {
		json_t *sum;
		char key[1024], *txt;
		(void)vid;
		snprintf(key, sizeof(key), "%.400s|%.300s|%.300s", str(v, "name"),
			 str(json_object_get(v, "package"), "name"), str(v, "fixed_in_version"));
		if (json_object_get(set, key))
			continue;
		if (!(sum = summary_of(v)))
			return vigil_error_oom();
		txt = json_dumps(sum, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(sum);
		if (!txt || json_object_set_new(set, key, json_string(txt)) < 0) {
			free(txt);
			return vigil_error_oom();
		}
		free(txt);
	}
	return 0;
}

int ntf_current_set(vigil_store *s, const vigil_index_report *ir, json_t **out)
{
	vigil_match_options mo;
	vigil_vuln_report *vr = NULL;
	char *json = NULL;
	size_t len = 0;
	json_t *root = NULL, *set = NULL;
	json_error_t je;
	int rc;
	*out = NULL;
	vigil_match_options_init(&mo);
	mo.store = s;
	mo.max_age = -1; /* staleness is the matcher's warning, not a change */
	if ((rc = vigil_match(ir, &mo, &vr)) < 0 || (rc = vigil_vuln_report_json(vr, 0, &json, &len)) < 0)
		goto out;
	if (!(root = json_loadb(json, len, 0, &je))) {
		rc = vigil_error_set(VIGIL_ERROR, "the VulnerabilityReport JSON: %s", je.text);
		goto out;
	}
	if (!(set = json_object())) {
		rc = vigil_error_oom();
		goto out;
	}
	if ((rc = collect(root, set)) < 0)
		goto out;
	*out = set;
	set = NULL;
out:
	json_decref(set);
	json_decref(root);
	free(json);
	vigil_vuln_report_free(vr);
	return rc;
}

int ntf_manifest_set(vigil_store *s, const char *hash, json_t **out)
{
	vigil_store_index_report sr = { 0 };
	vigil_manifest *m = NULL;
	vigil_index_report *ir = NULL;
	vigil_index_options opt;
	int rc;
	*out = NULL;
	if ((rc = vigil_store_index_report_get(s, hash, &sr)) < 0)
		return rc;
	if ((rc = vigil_manifest_parse(sr.manifest, sr.manifest_len, &m)) < 0)
		goto out;
	vigil_index_options_init(&opt);
	opt.store = s;
	opt.threads = 1;
	rc = vigil_index_manifest_parsed(m, &opt, &ir);
	m = NULL;
	if (rc == 0)
		rc = ntf_current_set(s, ir, out);
out:
	vigil_index_report_free(ir);
	vigil_manifest_free(m);
	vigil_store_index_report_free(&sr);
	return rc;
}
