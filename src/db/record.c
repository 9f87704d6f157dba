/* db/record.c: the canonical form of a vulnerability record: JSON with
 * sorted keys and no spaces, so that the same record always hashes the same
 * and records can be shared by hash across update operations. */
#include "db/db.h"
#include "util/digest.h"
#include "util/error.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const event_names[] = { "introduced", "fixed", "last_affected", "limit" };

static void set_str(json_t *o, const char *k, const char *v)
{
	if (v)
		json_object_set_new(o, k, json_string(v));
}

static json_t *str_array(const char *const *a, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		json_array_append_new(arr, json_string(a[i] ? a[i] : ""));
	return arr;
}

static json_t *affected_json(const vigil_affected *a)
{
	json_t *o = json_object();
	set_str(o, "namespace", a->namespace);
	set_str(o, "package", a->package);
	json_object_set_new(o, "is_source", json_boolean(a->is_source));
	set_str(o, "scheme", a->scheme);
	json_object_set_new(o, "state", json_string(vigil_vuln_state_name(a->state)));
	set_str(o, "fixed", a->fixed);
	set_str(o, "module", a->module);
	set_str(o, "arch", a->arch);
	set_str(o, "vendor_severity", a->vendor_severity);
	set_str(o, "symbols", a->symbols);
	if (a->severity)
		json_object_set_new(o, "severity", json_string(vigil_severity_name(a->severity)));
	if (a->nranges) {
		json_t *ranges = json_array();
		for (size_t i = 0; i < a->nranges; i++) {
			json_t *r = json_object(), *ev = json_array();
			set_str(r, "type", a->ranges[i].type);
			for (size_t k = 0; k < a->ranges[i].nevents; k++) {
				const vigil_range_event *e = &a->ranges[i].events[k];
				json_t *eo = json_object();
				json_object_set_new(eo, event_names[e->kind & 3], json_string(e->version ? e->version : ""));
				json_array_append_new(ev, eo);
			}
			json_object_set_new(r, "events", ev);
			json_array_append_new(ranges, r);
		}
		json_object_set_new(o, "ranges", ranges);
	}
	return o;
}

int db_vuln_canonical(const vigil_vuln *v, char **json, size_t *len, char hash[72])
{
	json_t *o = json_object(), *aff = json_array();
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	*json = NULL;
	if (!o || !aff) {
		json_decref(o);
		json_decref(aff);
		return vigil_error_oom();
	}
	set_str(o, "id", v->id);
	set_str(o, "source", v->source);
	if (v->naliases)
		json_object_set_new(o, "aliases", str_array(v->aliases, v->naliases));
	set_str(o, "summary", v->summary);
	set_str(o, "description", v->description);
	if (v->nlinks)
		json_object_set_new(o, "links", str_array(v->links, v->nlinks));
	set_str(o, "published", v->published);
	set_str(o, "modified", v->modified);
	set_str(o, "vendor_severity", v->vendor_severity);
	json_object_set_new(o, "severity", json_string(vigil_severity_name(v->severity)));
	if (v->cvss3_vector || v->cvss3_score >= 0) {
		json_t *c = json_object();
		set_str(c, "vector", v->cvss3_vector);
		if (v->cvss3_score >= 0)
			json_object_set_new(c, "score", json_real(v->cvss3_score));
		json_object_set_new(o, "cvss3", c);
	}
	if (v->cvss2_vector || v->cvss2_score >= 0) {
		json_t *c = json_object();
		set_str(c, "vector", v->cvss2_vector);
		if (v->cvss2_score >= 0)
			json_object_set_new(c, "score", json_real(v->cvss2_score));
		json_object_set_new(o, "cvss2", c);
	}
	for (size_t i = 0; i < v->naffected; i++)
		json_array_append_new(aff, affected_json(&v->affected[i]));
	json_object_set_new(o, "affected", aff);
	*json = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(4));
	json_decref(o);
	if (!*json)
		return vigil_error_oom();
	*len = strlen(*json);
	if (EVP_Digest(*json, *len, md, &mdlen, EVP_sha256(), NULL) != 1) {
		free(*json);
		*json = NULL;
		return vigil_error_set(VIGIL_ERROR, "sha256 failed");
	}
	vigil_digest_format("sha256", md, mdlen, hash);
	return 0;
}

/* ---- decoding a canonical record (bundles, and the matcher) ---- */

static const char *dstr(vigil_arena *a, json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_string(v))
		return NULL;
	return vigil_arena_strndup(a, json_string_value(v), json_string_length(v));
}

static vigil_severity dsev(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	for (int i = VIGIL_SEV_UNKNOWN; s && i <= VIGIL_SEV_CRITICAL; i++)
		if (strcmp(s, vigil_severity_name((vigil_severity)i)) == 0)
			return (vigil_severity)i;
	return VIGIL_SEV_UNKNOWN;
}

static int dstrs(vigil_arena *a, json_t *arr, const char *const **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return 0;
	if (json_array_size(arr) > VIGIL_FEED_MAX_REFS)
		return vigil_error_set(VIGIL_ELIMIT, "more than %d aliases or links", VIGIL_FEED_MAX_REFS);
	const char **v = vigil_arena_calloc(a, json_array_size(arr), sizeof(*v));
	if (!v)
		return vigil_error_oom();
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *s = json_array_get(arr, i);
		if (!json_is_string(s))
			return vigil_error_set(VIGIL_EFORMAT, "alias or link %zu is not a string", i);
		v[i] = vigil_arena_strndup(a, json_string_value(s), json_string_length(s));
	}
	*out = v;
	*n = json_array_size(arr);
	return 0;
}

static void dcvss(json_t *o, const char *k, vigil_arena *a, const char **vec, double *score)
{
	json_t *c = json_object_get(o, k);
	*vec = NULL;
	*score = -1;
	if (!json_is_object(c))
		return;
	*vec = dstr(a, c, "vector");
	if (json_is_number(json_object_get(c, "score")))
		*score = json_number_value(json_object_get(c, "score"));
}

static int dranges(vigil_arena *a, json_t *arr, vigil_affected *af)
{
	size_t n = json_array_size(arr);
	if (n == 0)
		return 0;
	vigil_range *r = vigil_arena_calloc(a, n, sizeof(*r));
	if (!r)
		return vigil_error_oom();
	for (size_t i = 0; i < n; i++) {
		json_t *ro = json_array_get(arr, i), *ev = json_object_get(ro, "events");
		size_t ne = json_array_size(ev);
		r[i].type = dstr(a, ro, "type");
		vigil_range_event *e = vigil_arena_calloc(a, ne ? ne : 1, sizeof(*e));
		if (!e)
			return vigil_error_oom();
		for (size_t k = 0; k < ne; k++) {
			json_t *eo = json_array_get(ev, k);
			for (int t = 0; t < 4; t++) {
				json_t *ver = json_object_get(eo, event_names[t]);
				if (json_is_string(ver)) {
					e[k].kind = (vigil_range_event_kind)t;
					e[k].version = vigil_arena_strndup(a, json_string_value(ver), json_string_length(ver));
				}
			}
		}
		r[i].events = e;
		r[i].nevents = ne;
	}
	af->ranges = r;
	af->nranges = n;
	return 0;
}

int db_vuln_decode(const char *json, size_t len, vigil_arena *a, vigil_vuln *v)
{
	json_error_t jerr;
	json_t *o = json_loadb(json, len, 0, &jerr);
	int rc = 0;
	memset(v, 0, sizeof(*v));
	if (!json_is_object(o)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "record: %s", o ? "not an object" : jerr.text);
		goto out;
	}
	v->id = dstr(a, o, "id");
	v->source = dstr(a, o, "source");
	if (!v->id) {
		rc = vigil_error_set(VIGIL_EFORMAT, "record without an id");
		goto out;
	}
	v->summary = dstr(a, o, "summary");
	v->description = dstr(a, o, "description");
	v->published = dstr(a, o, "published");
	v->modified = dstr(a, o, "modified");
	v->vendor_severity = dstr(a, o, "vendor_severity");
	v->severity = dsev(o, "severity");
	dcvss(o, "cvss3", a, &v->cvss3_vector, &v->cvss3_score);
	dcvss(o, "cvss2", a, &v->cvss2_vector, &v->cvss2_score);
	if ((rc = dstrs(a, json_object_get(o, "aliases"), &v->aliases, &v->naliases)) < 0 ||
	    (rc = dstrs(a, json_object_get(o, "links"), &v->links, &v->nlinks)) < 0)
		goto out;
	json_t *aff = json_object_get(o, "affected");
	size_t n = json_array_size(aff);
	if (n > VIGIL_FEED_MAX_AFFECTED) {
		rc = vigil_error_set(VIGIL_ELIMIT, "%s: more than %d affected packages", v->id, VIGIL_FEED_MAX_AFFECTED);
		goto out;
	}
	vigil_affected *af = vigil_arena_calloc(a, n ? n : 1, sizeof(*af));
	if (!af) {
		rc = vigil_error_oom();
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *ao = json_array_get(aff, i);
		af[i].namespace = dstr(a, ao, "namespace");
		af[i].package = dstr(a, ao, "package");
		af[i].is_source = json_is_true(json_object_get(ao, "is_source"));
		af[i].scheme = dstr(a, ao, "scheme");
		const char *st = json_string_value(json_object_get(ao, "state"));
		for (int k = 0; st && k <= VIGIL_STATE_NOT_AFFECTED; k++)
			if (strcmp(st, vigil_vuln_state_name((vigil_vuln_state)k)) == 0)
				af[i].state = (vigil_vuln_state)k;
		af[i].fixed = dstr(a, ao, "fixed");
		af[i].module = dstr(a, ao, "module");
		af[i].arch = dstr(a, ao, "arch");
		af[i].vendor_severity = dstr(a, ao, "vendor_severity");
		af[i].symbols = dstr(a, ao, "symbols");
		af[i].severity = dsev(ao, "severity");
		if (!af[i].namespace || !af[i].package) {
			rc = vigil_error_set(VIGIL_EFORMAT, "%s: affected entry %zu without namespace or package", v->id, i);
			goto out;
		}
		if ((rc = dranges(a, json_object_get(ao, "ranges"), &af[i])) < 0)
			goto out;
	}
	v->affected = af;
	v->naffected = n;
out:
	json_decref(o);
	return rc;
}
