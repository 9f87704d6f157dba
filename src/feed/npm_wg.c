/* feed/npm_wg.c: one Node.js security WG advisory (nodejs/security-wg
 * vuln/npm/<n>.json) as one record of namespace "osv:npm".
 *
 * Id "NSWG-ECO-<id>" (the name the WG and other databases give these),
 * the cves[] as aliases, title, overview, references, publish_date,
 * cvss_vector scored by feed/cvss.c (cvss_score when the vector does not
 * compute). vulnerable_versions is a node-semver range: "||" separates
 * alternatives, each a blank-separated list of comparators ("<=1.5.1",
 * ">=3.0.0 <3.1.2", "~1.2.3", "^0.4.0", "1.2.x", "*"), each alternative
 * one OSV range (feed/lang_ranges.c). patched_versions only names the
 * fix of an alternative that ends inclusive ("<=1.5.1" with ">=1.5.2":
 * fixed 1.5.2). vuln/core and vuln/deps name the
 * Node.js runtime, not an npm package: not read (detection skips them,
 * they have no module_name). Decisions: docs/feeds-lang.md. */
#include "feed/cvss.h"
#include "feed/lang_ranges.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

/* Largest advisory file (upstream: a few KiB). */
#define NPM_WG_MAX_FILE ((size_t)1024 * 1024)

static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) && json_string_length(v) ? json_string_value(v) : NULL;
}

static int strings(vigil_feed_ctx *ctx, json_t *arr, const char ***out, size_t *n)
{
	size_t i, cap = json_array_size(arr);
	json_t *s;
	*n = 0;
	if (cap > VIGIL_FEED_MAX_REFS)
		return vigil_error_set(VIGIL_ELIMIT, "npm-wg: more than %d references", VIGIL_FEED_MAX_REFS);
	if (!cap)
		return 0;
	if (!(*out = vigil_arena_calloc(ctx->arena, cap, sizeof(**out))))
		return vigil_error_code();
	json_array_foreach(arr, i, s)
		if (json_is_string(s) && json_string_length(s) && !((*out)[(*n)++] = feed_cstr(ctx, json_string_value(s))))
			return vigil_error_code();
	return 0;
}

/* The alternatives of a node-semver range as intervals; false when one is unreadable. */
static bool intervals(vigil_feed_ctx *ctx, feed_lang_cmp_fn cmp, const char *spec, feed_ival *out, size_t *n)
{
	vigil_slice all = vigil_slice_cstr(spec);
	*n = 0;
	while (all.len) {
		const char *bar = NULL;
		for (size_t i = 0; i + 1 < all.len && !bar; i++)
			if (all.ptr[i] == '|' && all.ptr[i + 1] == '|')
				bar = all.ptr + i;
		vigil_slice part = vigil_slice_make(all.ptr, bar ? (size_t)(bar - all.ptr) : all.len), ver;
		all = bar ? vigil_slice_sub(all, (size_t)(bar - all.ptr) + 2, all.len) : vigil_slice_make(NULL, 0);
		feed_ival iv = { 0 };
		feed_op op;
		size_t k = 0;
		part = vigil_slice_trim(part);
		if (*n >= FEED_LANG_MAX_INTERVALS)
			return false;
		while (part.len)
			if (k++ >= FEED_LANG_MAX_CONSTRAINTS || !feed_constraint_next(&part, 0, &op, &ver) ||
			    !feed_npm_partial(ctx, &op, &ver) || !feed_ival_apply(ctx, cmp, &iv, op, ver))
				return false;
		out[(*n)++] = iv;
	}
	return true;
}

/* "<=1.5.1" with patched ">=1.5.2": the fix is 1.5.2, so the range ends
 * with fixed 1.5.2 rather than last_affected 1.5.1 (no release lies in
 * between; the finding can then name the version to upgrade to). */
static void fix_from_patched(feed_lang_cmp_fn cmp, feed_ival *iv, const feed_ival *patched, size_t np)
{
	const char *best = NULL;
	if (!iv->hi.v || !iv->hi.incl)
		return;
	for (size_t i = 0; i < np; i++) {
		const char *lo = patched[i].lo.v;
		if (lo && patched[i].lo.incl && cmp(lo, strlen(lo), iv->hi.v, strlen(iv->hi.v)) > 0 &&
		    (!best || cmp(lo, strlen(lo), best, strlen(best)) < 0))
			best = lo;
	}
	if (best)
		iv->hi = (feed_bound){ best, false };
}

/* vulnerable_versions as ranges; false in *ok when an alternative is unreadable. */
static int ranges(vigil_feed_ctx *ctx, const feed_lang_eco *eco, const char *spec, const char *patched,
		  vigil_affected *af, bool *ok)
{
	feed_lang_cmp_fn cmp = feed_lang_cmp(eco->scheme);
	feed_ival *vi = vigil_arena_calloc(ctx->arena, 2 * FEED_LANG_MAX_INTERVALS, sizeof(*vi)), *pi;
	vigil_range *rg = vigil_arena_calloc(ctx->arena, FEED_LANG_MAX_INTERVALS, sizeof(*rg));
	size_t nv, np = 0;
	int rc;
	if (!rg || !vi)
		return vigil_error_code();
	pi = vi + FEED_LANG_MAX_INTERVALS;
	if (!(*ok = intervals(ctx, cmp, spec, vi, &nv)))
		return 0;
	if (patched && !intervals(ctx, cmp, patched, pi, &np))
		np = 0; /* only a hint */
	for (size_t i = 0; i < nv; i++) {
		fix_from_patched(cmp, &vi[i], pi, np);
		if ((rc = feed_range_of_ival(ctx, &vi[i], &rg[af->nranges++])) < 0)
			return rc;
	}
	af->ranges = rg;
	return 0;
}

static int parse(vigil_feed_ctx *ctx, json_t *doc)
{
	const feed_lang_eco *eco = feed_lang_by_ecosystem("npm");
	vigil_vuln v = { .source = "nodejs-wg", .cvss3_score = -1, .cvss2_score = -1 };
	vigil_affected *af;
	json_t *id = json_object_get(doc, "id");
	const char *name = str(doc, "module_name"), *spec = str(doc, "vulnerable_versions");
	char buf[64];
	bool ok;
	int rc;

	if (!json_is_object(doc))
		return vigil_error_set(VIGIL_EFORMAT, "npm-wg: not a JSON object");
	if (!json_is_integer(id) || json_integer_value(id) < 0 || !name)
		return vigil_error_set(VIGIL_EFORMAT, "npm-wg: want a numeric id and a module_name");
	snprintf(buf, sizeof(buf), "NSWG-ECO-%lld", (long long)json_integer_value(id));
	if (!spec) {
		feed_warn(ctx, "npm-wg %s: no vulnerable_versions; skipped", buf);
		return 0;
	}
	if (!(v.id = feed_cstr(ctx, buf)) || !(af = vigil_arena_calloc(ctx->arena, 1, sizeof(*af))))
		return vigil_error_code();
	if ((rc = strings(ctx, json_object_get(doc, "cves"), (const char ***)&v.aliases, &v.naliases)) < 0 ||
	    (rc = strings(ctx, json_object_get(doc, "references"), (const char ***)&v.links, &v.nlinks)) < 0)
		return rc;
	v.summary = feed_cstr(ctx, str(doc, "title"));
	v.description = feed_cstr(ctx, str(doc, "overview"));
	v.published = feed_cstr(ctx, str(doc, "publish_date"));
	const char *vec = str(doc, "cvss_vector");
	json_t *sc = json_object_get(doc, "cvss_score");
	if (vec && feed_cvss3_base_score(vec, strlen(vec), &v.cvss3_score, NULL) == 0)
		v.cvss3_vector = feed_cstr(ctx, vec);
	else if (json_is_number(sc) && json_number_value(sc) >= 0 && json_number_value(sc) <= 10)
		v.cvss3_score = json_number_value(sc);
	else
		v.cvss3_score = -1;
	v.severity = v.cvss3_score >= 0 ? vigil_severity_from_cvss(v.cvss3_score) : VIGIL_SEV_UNKNOWN;
	if ((rc = ranges(ctx, eco, spec, str(doc, "patched_versions"), af, &ok)) < 0)
		return rc;
	if (!ok) {
		feed_warn(ctx, "npm-wg %s: vulnerable_versions \"%.80s\" is not a range vigil reads; skipped", buf, spec);
		return 0;
	}
	return feed_lang_emit(ctx, &v, af, eco, name);
}

int feed_npm_wg(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	json_error_t je;
	json_t *doc;
	int rc;
	if (len > NPM_WG_MAX_FILE)
		return vigil_error_set(VIGIL_ELIMIT, "npm-wg: %zu bytes (limit %zu)", len, NPM_WG_MAX_FILE);
	if (!(doc = json_loadb(data ? data : "", len, JSON_REJECT_DUPLICATES, &je)))
		return vigil_error_set(VIGIL_EFORMAT, "npm-wg: bad JSON at line %d column %d: %s", je.line, je.column,
				       je.text);
	rc = parse(ctx, doc);
	json_decref(doc);
	return rc;
}
