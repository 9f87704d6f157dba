/* report/cyclonedx_vulns.c: the "vulnerabilities" of a CycloneDX 1.6 BOM
 * (cyclonedx.c), as Trivy writes them: one entry per vulnerability id,
 * whose "affects" lists every package it was found in (by bom-ref), each
 * with its installed version ("affected") and the fixed one
 * ("unaffected"), and a "recommendation" "Upgrade NAME to version X".
 *
 *   ratings: the vendor's word ({source, severity}) and, when known, the
 *     CVSS score ({source, score, severity, method CVSSv2/CVSSv3/CVSSv31/
 *     CVSSv4, vector}); vigil's Negligible is CycloneDX's "info".
 *   references: the aliases (CVE at NVD, GHSA at GitHub) and the folded
 *     advisories (DSA-...); advisories: the links; published.
 *   Findings an ignore rule or a VEX statement suppressed get entries of
 *     their own (one per id and reason) with an "analysis": state
 *     not_affected, resolved (VEX "fixed"), false_positive; an ignore rule
 *     sets none (the finding is there, the user chose to accept it), and
 *     says so in "detail" with the rule's place and reason. An OpenVEX
 *     justification becomes CycloneDX's where one means the same.
 *
 * Entries come in the order their first finding has in the report. */
#include "report/report_priv.h"
#include "report/sbom_out.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/map.h"
#include "vigil/match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest recommendation text of one entry. */
#define CDX_RECOMMENDATION_MAX (64 * 1024)

static const char *cdx_severity(vigil_severity s)
{
	switch (s) {
	case VIGIL_SEV_CRITICAL: return "critical";
	case VIGIL_SEV_HIGH: return "high";
	case VIGIL_SEV_MEDIUM: return "medium";
	case VIGIL_SEV_LOW: return "low";
	case VIGIL_SEV_NEGLIGIBLE: return "info";
	default: return "unknown";
	}
}

/* CycloneDX's scoring method of a CVSS vector, and its severity scale. */
static const char *cvss_method(const char *vec, int *v2)
{
	*v2 = 0;
	if (!vec)
		return "other";
	if (!strncmp(vec, "CVSS:3.1/", 9))
		return "CVSSv31";
	if (!strncmp(vec, "CVSS:3.0/", 9))
		return "CVSSv3";
	if (!strncmp(vec, "CVSS:4.0/", 9))
		return "CVSSv4";
	if (!strncmp(vec, "AV:", 3) || !strncmp(vec, "(AV:", 4)) {
		*v2 = 1;
		return "CVSSv2";
	}
	return "other";
}

static const char *score_severity(double s, int v2)
{
	if (v2) /* NVD's CVSS v2 ranges */
		return s < 4.0 ? "low" : s < 7.0 ? "medium" : "high";
	return s <= 0.0 ? "none" : s < 4.0 ? "low" : s < 7.0 ? "medium" : s < 9.0 ? "high" : "critical";
}

static json_t *named(const char *name, const char *url)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	if (name)
		json_object_set_new(o, "name", report_jstr(name));
	if (url)
		json_object_set_new(o, "url", report_jstr(url));
	return o;
}

static json_t *ratings(const vigil_finding *f)
{
	json_t *a = json_array(), *r = json_object();
	if (!a || !r) {
		json_decref(a), json_decref(r);
		return NULL;
	}
	json_object_set_new(r, "source", named(f->source ? f->source : f->feed, NULL));
	json_object_set_new(r, "severity", json_string(cdx_severity(f->severity)));
	json_array_append_new(a, r);
	if (f->cvss_score >= 0 && (r = json_object())) {
		int v2;
		const char *m = cvss_method(f->cvss_vector, &v2);
		json_object_set_new(r, "source", named(f->cvss_source ? f->cvss_source : f->source, NULL));
		json_object_set_new(r, "score", json_real((double)(long long)(f->cvss_score * 10.0 + 0.5) / 10.0));
		json_object_set_new(r, "severity", json_string(score_severity(f->cvss_score, v2)));
		json_object_set_new(r, "method", json_string(m));
		if (f->cvss_vector)
			json_object_set_new(r, "vector", report_jstr(f->cvss_vector));
		json_array_append_new(a, r);
	}
	return a;
}

/* Another id of the same issue, with the database that has it. */
static json_t *reference(const char *id, const vigil_finding *f)
{
	json_t *o = json_object();
	vigil_buf url;
	if (!o)
		return NULL;
	vigil_buf_init(&url, 1024);
	json_object_set_new(o, "id", report_jstr(id));
	if (!strncmp(id, "CVE-", 4) && vigil_buf_printf(&url, "https://nvd.nist.gov/vuln/detail/%s", id) == 0)
		json_object_set_new(o, "source", named("NVD", vigil_buf_cstr(&url)));
	else if (!strncmp(id, "GHSA-", 5) && vigil_buf_printf(&url, "https://github.com/advisories/%s", id) == 0)
		json_object_set_new(o, "source", named("GitHub Advisory Database", vigil_buf_cstr(&url)));
	else
		json_object_set_new(o, "source", named(f->source ? f->source : f->feed, NULL));
	vigil_buf_free(&url);
	return o;
}

static void add_references(json_t *v, const vigil_finding *f)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < f->naliases; i++)
		if (f->aliases[i] && strcmp(f->aliases[i], f->id))
			json_array_append_new(a, reference(f->aliases[i], f));
	for (size_t i = 0; a && i < f->nadvisories; i++)
		if (f->advisories[i] && strcmp(f->advisories[i], f->id))
			json_array_append_new(a, reference(f->advisories[i], f));
	if (json_array_size(a))
		json_object_set_new(v, "references", a);
	else
		json_decref(a);
}

/* CycloneDX's impactAnalysisJustification of a VEX justification, or NULL. */
static const char *cdx_justification(const char *j)
{
	static const char *const same[] = { "code_not_present", "code_not_reachable", "requires_configuration",
					    "requires_dependency", "requires_environment", "protected_by_compiler",
					    "protected_at_runtime", "protected_at_perimeter",
					    "protected_by_mitigating_control" };
	static const struct { const char *vex, *cdx; } map[] = {
		{ "vulnerable_code_not_present", "code_not_present" },
		{ "vulnerable_code_not_in_execute_path", "code_not_reachable" },
		{ "inline_mitigations_already_exist", "protected_by_mitigating_control" },
	};
	for (size_t i = 0; j && i < sizeof(same) / sizeof(same[0]); i++)
		if (!strcmp(j, same[i]))
			return same[i];
	for (size_t i = 0; j && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(j, map[i].vex))
			return map[i].cdx;
	return NULL;
}

static const char *cdx_state(const char *status)
{
	static const struct { const char *status, *state; } map[] = {
		{ "not_affected", "not_affected" }, { "fixed", "resolved" }, { "resolved", "resolved" },
		{ "false_positive", "false_positive" }, { "under_investigation", "in_triage" },
		{ "in_triage", "in_triage" }, { "affected", "exploitable" }, { "exploitable", "exploitable" },
	};
	for (size_t i = 0; status && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(status, map[i].status))
			return map[i].state;
	return NULL; /* "ignored": an ignore rule says nothing of the state */
}

static json_t *analysis(const vigil_suppression *s)
{
	json_t *a = json_object();
	const char *state = cdx_state(s->status), *just = cdx_justification(s->justification);
	vigil_buf d;
	if (!a)
		return NULL;
	vigil_buf_init(&d, 64 * 1024);
	vigil_buf_printf(&d, "suppressed (%s)%s%s%s%s", s->status ? s->status : "?", s->by ? " by " : "",
			 s->by ? s->by : "", s->justification ? ": " : "", s->justification ? s->justification : "");
	if (state)
		json_object_set_new(a, "state", json_string(state));
	if (just)
		json_object_set_new(a, "justification", json_string(just));
	json_object_set_new(a, "detail", report_jstr(vigil_buf_cstr(&d)));
	vigil_buf_free(&d);
	return a;
}

/* A new entry for f (and s when suppressed), without affects. */
static json_t *entry(const vigil_finding *f, const vigil_suppression *s)
{
	json_t *v = json_object(), *adv = json_array(), *props = json_array();
	char published[48];
	if (!v || !adv || !props) {
		json_decref(v), json_decref(adv), json_decref(props);
		return NULL;
	}
	json_object_set_new(v, "id", report_jstr(f->id));
	json_object_set_new(v, "source", named(f->source ? f->source : f->feed, f->nlinks ? f->links[0] : NULL));
	add_references(v, f);
	json_object_set_new(v, "ratings", ratings(f));
	if (f->description || f->summary)
		json_object_set_new(v, "description", report_jstr(f->description ? f->description : f->summary));
	if (f->description && f->summary && strcmp(f->description, f->summary))
		json_object_set_new(v, "detail", report_jstr(f->summary));
	for (size_t i = 0; i < f->nlinks; i++)
		if (f->links[i])
			json_array_append_new(adv, named(NULL, f->links[i]));
	if (json_array_size(adv))
		json_object_set_new(v, "advisories", adv);
	else
		json_decref(adv);
	if (report_rfc3339(f->published, published))
		json_object_set_new(v, "published", json_string(published));
	if (s)
		json_object_set_new(v, "analysis", analysis(s));
	json_object_set_new(v, "affects", json_array());
	sbom_prop(props, "vigil:feed", f->feed);
	sbom_prop(props, "vigil:namespace", f->namespace);
	sbom_prop(props, "vigil:state", vigil_vuln_state_name(f->state));
	sbom_prop(props, "vigil:vendor_severity", f->vendor_severity);
	sbom_prop(props, "vigil:affected_range", f->affected_range);
	if (s) {
		sbom_prop(props, "vigil:suppressed", s->status);
		sbom_prop(props, "vigil:suppressed_by", s->by);
	}
	json_object_set_new(v, "properties", props);
	return v;
}

/* Adds f's package to v's affects (once) and its fix to the recommendation. */
static void affect(json_t *v, const vigil_finding *f, const struct sbom_pkg *k, vigil_buf *tmp)
{
	json_t *affects = json_object_get(v, "affects"), *a, *vers, *x;
	size_t i;
	json_array_foreach(affects, i, x)
		if (!strcmp(json_string_value(json_object_get(x, "ref")), k->ref))
			return;
	if (!(a = json_object()) || !(vers = json_array())) {
		json_decref(a);
		return;
	}
	json_object_set_new(a, "ref", report_jstr(k->ref));
	if (k->p->version)
		json_array_append_new(vers, json_pack("{s:o,s:s}", "version", report_jstr(k->p->version), "status",
						      "affected"));
	if (f->fixed)
		json_array_append_new(vers, json_pack("{s:o,s:s}", "version", report_jstr(f->fixed), "status",
						      "unaffected"));
	if (json_array_size(vers))
		json_object_set_new(a, "versions", vers);
	else
		json_decref(vers);
	json_array_append_new(affects, a);
	if (!f->fixed)
		return;
	const char *had = json_string_value(json_object_get(v, "recommendation"));
	vigil_buf_reset(tmp);
	if (vigil_buf_printf(tmp, "%s%sUpgrade %s to version %s", had ? had : "", had ? "; " : "", k->p->name,
			     f->fixed) == 0)
		json_object_set_new(v, "recommendation", report_jstr(vigil_buf_cstr(tmp)));
}

/* The key of f's entry: its id, and for a suppressed finding why. */
static int entry_key(vigil_buf *b, const vigil_finding *f, const vigil_suppression *s)
{
	const char *parts[] = { s ? "s" : "a", f->id, s ? s->status : "", s ? s->justification : "", s ? s->by : "" };
	vigil_buf_reset(b);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const char *p = parts[i] ? parts[i] : "";
		if (vigil_buf_append(b, p, strlen(p) + 1) < 0)
			return vigil_error_code();
	}
	return 0;
}

struct cdx_vulns {
	json_t *list;
	vigil_map map; /* key -> entry (borrowed from list) */
	vigil_arena *keys;
	vigil_buf key, tmp;
};

static int add_finding(struct cdx_vulns *t, const vigil_vuln_report *vr, const struct sbom_inv *v,
		       const vigil_finding *f, const vigil_suppression *s)
{
	json_t *e;
	char *copy;
	int rc;
	if (f->package_index >= v->n || f->package_index >= vr->index->package_count)
		return vigil_error_set(VIGIL_EINVAL, "finding %s: package %zu of %zu", f->id ? f->id : "?",
				       f->package_index, v->n);
	if ((rc = entry_key(&t->key, f, s)) < 0)
		return rc;
	if (!(e = vigil_map_get(&t->map, t->key.data, t->key.len))) {
		if (!(e = entry(f, s)) || json_array_append_new(t->list, e) < 0)
			return vigil_error_oom();
		if (!(copy = vigil_arena_alloc(t->keys, t->key.len)))
			return vigil_error_or_oom();
		memcpy(copy, t->key.data, t->key.len);
		if ((rc = vigil_map_set(&t->map, copy, t->key.len, e)) < 0)
			return rc;
	}
	affect(e, f, &v->pkgs[f->package_index], &t->tmp);
	return 0;
}

json_t *cdx_vulnerabilities(const vigil_vuln_report *vr, const struct sbom_inv *v)
{
	struct cdx_vulns t = { .list = json_array(), .keys = vigil_arena_new(0) };
	int rc = 0;
	vigil_buf_init(&t.key, 64 * 1024);
	vigil_buf_init(&t.tmp, CDX_RECOMMENDATION_MAX);
	if (!t.list || !t.keys)
		rc = vigil_error_oom();
	for (size_t i = 0; rc == 0 && i < vr->finding_count; i++)
		rc = add_finding(&t, vr, v, &vr->findings[i], NULL);
	for (size_t i = 0; rc == 0 && i < vr->suppressed_count; i++)
		rc = add_finding(&t, vr, v, &vr->suppressed[i].finding, &vr->suppressed[i]);
	vigil_map_free(&t.map);
	vigil_arena_free(t.keys);
	vigil_buf_free(&t.key);
	vigil_buf_free(&t.tmp);
	if (rc < 0) {
		json_decref(t.list);
		return NULL;
	}
	return t.list;
}
