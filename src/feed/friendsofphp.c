/* feed/friendsofphp.c: one FriendsOfPHP security advisory
 * (FriendsOfPHP/security-advisories <vendor>/<name>/<id>.yaml) as one
 * record of namespace "osv:Packagist".
 *
 *   title: ...            link: https://...        cve: CVE-2015-1234 | ~
 *   reference: composer://vendor/name
 *   branches: { 2.7.x: { time: ..., versions: ['>=2.7.0', '<2.7.2'] } }
 *
 * Package: the reference's "vendor/name", lower case (Packagist names
 * are). Each branch is one range: its constraints (all must hold) make
 * one interval (feed/lang_ranges.c): ">=" introduced, "<" fixed, "<="
 * last_affected, an exact version a versions list. Id: the cve, else
 * "FOP-<vendor>/<name>/<file stem>" from the file name (upstream gives
 * such advisories no id; without a file name the advisory is an error).
 * Decisions: docs/feeds-lang.md. */
#include "feed/lang_ranges.h"
#include "feed/yaml_json.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

/* Largest advisory file (upstream: a few KiB). */
#define FOP_MAX_FILE ((size_t)1024 * 1024)

static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) && json_string_length(v) ? json_string_value(v) : NULL;
}

/* "FOP-vendor/name/stem" from ".../vendor/name/stem.yaml"; NULL without a file. */
static const char *file_id(vigil_feed_ctx *ctx, const char *pkg)
{
	char buf[FEED_LANG_MAX_NAME + 128];
	const char *f = ctx->file, *base;
	if (!f)
		return NULL;
	base = strrchr(f, '/');
	base = base ? base + 1 : f;
	size_t n = strcspn(base, ".");
	if (n == 0 || n > 96)
		return NULL;
	snprintf(buf, sizeof(buf), "FOP-%s/%.*s", pkg, (int)n, base);
	return feed_cstr(ctx, buf);
}

/* One branch's constraints as one range; *ok false when one is unreadable. */
static int branch(vigil_feed_ctx *ctx, feed_lang_cmp_fn cmp, const char *name, json_t *b, vigil_range *out,
		  bool *ok)
{
	json_t *vers = json_object_get(b, "versions"), *c;
	feed_ival iv = { 0 };
	size_t i;
	*ok = false;
	if (!json_is_array(vers) || json_array_size(vers) == 0 || json_array_size(vers) > FEED_LANG_MAX_CONSTRAINTS) {
		feed_warn(ctx, "friendsofphp %s: branch %s: versions is not a list of 1 to %d constraints; skipped",
			  ctx->file ? ctx->file : "", name, FEED_LANG_MAX_CONSTRAINTS);
		return 0;
	}
	json_array_foreach(vers, i, c) {
		vigil_slice s, ver;
		feed_op op;
		if (!json_is_string(c))
			return vigil_error_set(VIGIL_EFORMAT, "friendsofphp: branches.%s.versions[%zu]: not a string",
					       name, i);
		s = vigil_slice_make(json_string_value(c), json_string_length(c));
		while (s.len) { /* '>=1.0,<1.2' in one string happens too */
			if (!feed_constraint_next(&s, ',', &op, &ver) || !feed_ival_apply(ctx, cmp, &iv, op, ver)) {
				feed_warn(ctx, "friendsofphp %s: branch %s: \"%.80s\" is not a constraint vigil reads; "
					  "branch skipped", ctx->file ? ctx->file : "", name, json_string_value(c));
				return 0;
			}
			if (s.len && s.ptr[0] == ',')
				s = vigil_slice_sub(s, 1, s.len);
		}
	}
	*ok = true;
	return feed_range_of_ival(ctx, &iv, out);
}

static int parse(vigil_feed_ctx *ctx, json_t *doc)
{
	const feed_lang_eco *eco = feed_lang_by_ecosystem("Packagist");
	feed_lang_cmp_fn cmp = feed_lang_cmp(eco->scheme);
	vigil_vuln v = { .source = "friendsofphp", .cvss3_score = -1, .cvss2_score = -1 };
	vigil_affected *af;
	json_t *branches, *b;
	const char *ref = str(doc, "reference"), *bname;
	char pkg[FEED_LANG_MAX_NAME + 1];
	int rc;

	if (!json_is_object(doc))
		return vigil_error_set(VIGIL_EFORMAT, "friendsofphp: not a YAML mapping");
	if (!ref || strncmp(ref, "composer://", 11) != 0 || !strchr(ref + 11, '/'))
		return vigil_error_set(VIGIL_EFORMAT, "friendsofphp: reference: want composer://vendor/name");
	if (!feed_lang_name(eco, ref + 11, strlen(ref + 11), pkg, sizeof(pkg)))
		return vigil_error_set(VIGIL_ELIMIT, "friendsofphp: reference: longer than %d bytes", FEED_LANG_MAX_NAME);
	branches = json_object_get(doc, "branches");
	if (!json_is_object(branches))
		return vigil_error_set(VIGIL_EFORMAT, "friendsofphp: branches: not a mapping");
	if (json_object_size(branches) > FEED_LANG_MAX_INTERVALS)
		return vigil_error_set(VIGIL_ELIMIT, "friendsofphp: more than %d branches", FEED_LANG_MAX_INTERVALS);
	v.id = str(doc, "cve") ? feed_cstr(ctx, str(doc, "cve")) : file_id(ctx, pkg);
	if (!v.id)
		return vigil_error_set(VIGIL_EFORMAT, "friendsofphp: no cve and no file name to name the advisory");
	v.summary = feed_cstr(ctx, str(doc, "title"));
	if (str(doc, "link")) {
		const char **l = vigil_arena_calloc(ctx->arena, 1, sizeof(*l));
		if (!l || !(l[0] = feed_cstr(ctx, str(doc, "link"))))
			return vigil_error_code();
		v.links = l;
		v.nlinks = 1;
	}
	vigil_range *rg = vigil_arena_calloc(ctx->arena, json_object_size(branches) + 1, sizeof(*rg));
	if (!rg || !(af = vigil_arena_calloc(ctx->arena, 1, sizeof(*af))))
		return vigil_error_code();
	json_object_foreach(branches, bname, b) {
		bool ok;
		if (!json_is_object(b))
			return vigil_error_set(VIGIL_EFORMAT, "friendsofphp: branches.%s: not a mapping", bname);
		if ((rc = branch(ctx, cmp, bname, b, &rg[af->nranges], &ok)) < 0)
			return rc;
		af->nranges += ok;
	}
	if (af->nranges == 0) {
		feed_warn(ctx, "friendsofphp %s: no branch vigil reads; skipped", ctx->file ? ctx->file : "");
		return 0;
	}
	af->ranges = rg;
	return feed_lang_emit(ctx, &v, af, eco, pkg);
}

int feed_friendsofphp(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	return feed_yaml_parse(ctx, "friendsofphp", data, len, FOP_MAX_FILE, parse);
}
