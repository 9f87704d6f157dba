/* feed/rubysec.c: one RubySec advisory (rubysec/ruby-advisory-db
 * gems/<gem>/<id>.yml) as one record of namespace "osv:RubyGems".
 *
 * The YAML is read into a tree (feed/yaml_json.c). Id: "CVE-<cve>", else
 * "GHSA-<ghsa>", else "OSVDB-<osvdb>"; the others are aliases. A version
 * is affected when it satisfies none of patched_versions and none of
 * unaffected_versions: each requirement ("~> 2.2.14", ">= 3.0.11",
 * "~> 7.0.8, >= 7.0.8.5") is an interval, and the record's one range is
 * the complement of their union (feed/lang_ranges.c), in the RubyGems
 * order. Severity: cvss_v3, else cvss_v4, else cvss_v2 (RubySec gives
 * scores, not vectors). Advisories of interpreters (rubies/, "engine:"
 * instead of "gem:") name no gem: nothing is emitted. Decisions:
 * docs/feeds-lang.md. */
#include "feed/cvss.h"
#include "feed/lang_ranges.h"
#include "feed/yaml_json.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

/* Largest advisory file (the biggest upstream is ~20 KiB). */
#define RUBYSEC_MAX_FILE ((size_t)1024 * 1024)
/* Requirements in patched_versions plus unaffected_versions. */
#define RUBYSEC_MAX_REQS FEED_LANG_MAX_INTERVALS

static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) && json_string_length(v) ? json_string_value(v) : NULL;
}

/* A score "7.5" (strings: the tree keeps scalars as written); -1 when none. */
static double score(json_t *o, const char *key)
{
	const char *s = str(o, key);
	double x = 0, scale = 0;
	if (!s)
		return -1;
	for (; *s; s++) {
		if (*s == '.' && scale == 0)
			scale = 1;
		else if (*s >= '0' && *s <= '9')
			x = x * 10 + (*s - '0'), scale *= 10;
		else
			return -1;
	}
	x = scale > 1 ? x / scale : x;
	return x <= 10 ? x : -1;
}

static int add_id(vigil_feed_ctx *ctx, const char *prefix, const char *v, const char **ids, size_t *n)
{
	char buf[128];
	if (!v)
		return 0;
	if (strlen(v) > 96)
		return vigil_error_set(VIGIL_EFORMAT, "rubysec: id \"%.32s...\" too long", v);
	snprintf(buf, sizeof(buf), "%s%s", strncmp(v, prefix, strlen(prefix)) ? prefix : "", v);
	if (!(ids[(*n)++] = feed_cstr(ctx, buf)))
		return vigil_error_code();
	return 0;
}

/* The requirements of one list key as safe intervals. */
static int reqs(vigil_feed_ctx *ctx, json_t *doc, const char *key, feed_lang_cmp_fn cmp, feed_ival *iv,
		size_t *n)
{
	json_t *arr = json_object_get(doc, key), *r;
	size_t i;
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr))
		return vigil_error_set(VIGIL_EFORMAT, "rubysec: %s: not a list", key);
	json_array_foreach(arr, i, r) {
		vigil_slice s, ver;
		feed_op op;
		feed_ival cur = { 0 };
		bool ok = true;
		size_t k = 0;
		if (!json_is_string(r))
			return vigil_error_set(VIGIL_EFORMAT, "rubysec: %s[%zu]: not a string", key, i);
		if (*n >= RUBYSEC_MAX_REQS)
			return vigil_error_set(VIGIL_ELIMIT, "rubysec: more than %d requirements", RUBYSEC_MAX_REQS);
		s = vigil_slice_make(json_string_value(r), json_string_length(r));
		while (ok && s.len) {
			ok = k++ < FEED_LANG_MAX_CONSTRAINTS && feed_constraint_next(&s, ',', &op, &ver) &&
			     feed_ival_apply(ctx, cmp, &cur, op, ver);
			if (s.len && s.ptr[0] == ',')
				s = vigil_slice_sub(s, 1, s.len);
		}
		if (!ok || k == 0) {
			feed_warn(ctx, "rubysec %s: %s[%zu] \"%.80s\": not a requirement vigil reads; ignored",
				  ctx->file ? ctx->file : "", key, i, json_string_value(r));
			continue;
		}
		iv[(*n)++] = cur;
	}
	return 0;
}

static int links(vigil_feed_ctx *ctx, json_t *doc, vigil_vuln *v)
{
	json_t *rel = json_object_get(json_object_get(doc, "related"), "url"), *u;
	size_t i, n = 1 + json_array_size(rel);
	const char **l = vigil_arena_calloc(ctx->arena, n, sizeof(*l));
	if (!l)
		return vigil_error_code();
	if (str(doc, "url") && !(l[v->nlinks++] = feed_cstr(ctx, str(doc, "url"))))
		return vigil_error_code();
	json_array_foreach(rel, i, u) {
		bool dup = false;
		if (!json_is_string(u) || v->nlinks >= VIGIL_FEED_MAX_REFS)
			continue;
		for (size_t k = 0; k < v->nlinks && !dup; k++)
			dup = !strcmp(l[k], json_string_value(u));
		if (!dup && !(l[v->nlinks++] = feed_cstr(ctx, json_string_value(u))))
			return vigil_error_code();
	}
	v->links = l;
	return 0;
}

static int parse(vigil_feed_ctx *ctx, json_t *doc)
{
	const feed_lang_eco *eco = feed_lang_by_ecosystem("RubyGems");
	feed_lang_cmp_fn cmp = feed_lang_cmp(eco->scheme);
	vigil_vuln v = { .source = "rubysec", .cvss3_score = -1, .cvss2_score = -1 };
	vigil_affected *af;
	feed_ival *safe;
	const char **ids;
	size_t nids = 0, nsafe = 0;
	int rc;

	if (!json_is_object(doc))
		return vigil_error_set(VIGIL_EFORMAT, "rubysec: not a YAML mapping");
	if (!str(doc, "gem"))
		return str(doc, "engine") ? 0 : vigil_error_set(VIGIL_EFORMAT, "rubysec: gem: missing");
	if (!(ids = vigil_arena_calloc(ctx->arena, 3, sizeof(*ids))) ||
	    !(safe = vigil_arena_calloc(ctx->arena, RUBYSEC_MAX_REQS, sizeof(*safe))) ||
	    !(af = vigil_arena_calloc(ctx->arena, 1, sizeof(*af))))
		return vigil_error_code();
	if ((rc = add_id(ctx, "CVE-", str(doc, "cve"), ids, &nids)) < 0 ||
	    (rc = add_id(ctx, "GHSA-", str(doc, "ghsa"), ids, &nids)) < 0 ||
	    (rc = add_id(ctx, "OSVDB-", str(doc, "osvdb"), ids, &nids)) < 0)
		return rc;
	if (nids == 0)
		return vigil_error_set(VIGIL_EFORMAT, "rubysec %s: no cve, ghsa or osvdb id", str(doc, "gem"));
	v.id = ids[0];
	v.aliases = ids + 1;
	v.naliases = nids - 1;
	v.summary = feed_cstr(ctx, str(doc, "title"));
	v.description = feed_cstr(ctx, str(doc, "description"));
	v.published = feed_cstr(ctx, str(doc, "date"));
	if ((rc = links(ctx, doc, &v)) < 0)
		return rc;
	double s3 = score(doc, "cvss_v3"), s4 = score(doc, "cvss_v4"), s2 = score(doc, "cvss_v2");
	v.cvss3_score = s3;
	v.cvss2_score = s2;
	v.severity = s3 >= 0 ? vigil_severity_from_cvss(s3) : s4 >= 0 ? vigil_severity_from_cvss(s4)
			       : s2 >= 0 ? feed_cvss2_severity(s2) : VIGIL_SEV_UNKNOWN;
	if ((rc = reqs(ctx, doc, "patched_versions", cmp, safe, &nsafe)) < 0 ||
	    (rc = reqs(ctx, doc, "unaffected_versions", cmp, safe, &nsafe)) < 0)
		return rc;
	vigil_range *rg = vigil_arena_calloc(ctx->arena, 1, sizeof(*rg));
	if (!rg || (rc = feed_range_complement(ctx, cmp, safe, nsafe, rg)) < 0)
		return rg ? rc : vigil_error_code();
	af->ranges = rg;
	af->nranges = 1;
	return feed_lang_emit(ctx, &v, af, eco, str(doc, "gem"));
}

int feed_rubysec(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	return feed_yaml_parse(ctx, "rubysec", data, len, RUBYSEC_MAX_FILE, parse);
}
