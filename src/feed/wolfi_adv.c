/* feed/wolfi_adv.c: one file of wolfi-dev/advisories,
 * <origin>.advisories.yaml, schema version 2 (wolfictl's
 * pkg/configs/advisory/v2):
 *
 *   schema-version: 2.0.2
 *   package: {name: <origin package>}
 *   advisories:
 *     - id: CGA-xxxx-xxxx-xxxx
 *       aliases: [CVE-..., GHSA-...]
 *       events: [{timestamp, type, data}]
 *
 * The YAML is read into a jansson tree by feed/yaml_json.c (no aliases,
 * no type guessing, bounded depth, nodes and scalars). One record per
 * advisory: id the CGA id, its aliases kept, source "wolfi", one affected
 * entry (wolfi:rolling, the origin package, is_source=1, scheme apk).
 *
 * The state comes from the latest event, as wolfictl's Advisory.Latest()
 * decides it: the event with the latest timestamp, not the last one
 * written (30 advisories of the 2025-05 snapshot list them out of order);
 * among equal timestamps the one written last (Go's sort.Slice leaves
 * that order unspecified):
 *
 *   fixed                         -> fixed in data.fixed-version ("0": not affected)
 *   false-positive-determination  -> not-affected
 *   fix-not-planned               -> will-not-fix
 *   pending-upstream-fix, true-positive-determination, detection,
 *   analysis-not-planned          -> not-fixed (affected, no fix)
 *
 * analysis-not-planned is reported: nobody ruled the detection out, and a
 * scanner that hid it would call a package clean on no evidence. The
 * latest event's type, its false-positive type and its note become the
 * description; published is the earliest event, modified the latest.
 *
 * An advisory that cannot be used (no events, an unknown event type, a
 * timestamp that is not RFC 3339, a fixed event without an apk version)
 * is skipped with a warning; a file of another shape fails. Limits:
 * VIGIL_WOLFI_ADV_* below and feed/yaml_json.h's. */
#include "feed/wolfi_priv.h"
#include "feed/yaml_json.h"
#include "util/error.h"
#include "util/json.h"
#include "util/slice.h"
#include "vigil/version.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* One advisories file (the largest of the 2025-05 snapshot is 120 KB). */
#define VIGIL_WOLFI_ADV_MAX_FILE ((size_t)64 * 1024 * 1024)
/* Advisories of one file, aliases and events of one advisory. */
#define VIGIL_WOLFI_ADV_MAX_ADVISORIES 100000
#define VIGIL_WOLFI_ADV_MAX_ALIASES 1000
#define VIGIL_WOLFI_ADV_MAX_EVENTS 10000
/* A note kept in the description. */
#define VIGIL_WOLFI_ADV_MAX_NOTE 4096

static const struct {
	const char *type;
	vigil_vuln_state state;
} event_states[] = {
	{ "fixed", VIGIL_STATE_FIXED },
	{ "false-positive-determination", VIGIL_STATE_NOT_AFFECTED },
	{ "fix-not-planned", VIGIL_STATE_WILL_NOT_FIX },
	{ "pending-upstream-fix", VIGIL_STATE_NOT_FIXED },
	{ "true-positive-determination", VIGIL_STATE_NOT_FIXED },
	{ "detection", VIGIL_STATE_NOT_FIXED },
	{ "analysis-not-planned", VIGIL_STATE_NOT_FIXED },
};

/* ---- RFC 3339 timestamps ---- */

struct ts {
	int64_t sec;            /* seconds since 1970-01-01T00:00:00Z */
	int32_t nsec;
};

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* n digits at s[*i] into *out. */
static bool digits(vigil_slice s, size_t *i, size_t n, unsigned *out)
{
	unsigned v = 0;
	if (*i + n > s.len)
		return false;
	for (size_t k = 0; k < n; k++) {
		char c = s.ptr[*i + k];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (unsigned)(c - '0');
	}
	*i += n;
	*out = v;
	return true;
}

static bool at(vigil_slice s, size_t i, char c)
{
	return i < s.len && s.ptr[i] == c;
}

/* "2025-04-10T07:05:57Z", "2025-04-10T07:05:57.123+02:00", "2025-04-10 07:05:57Z", "2025-04-10". */
static bool parse_ts(vigil_slice s, struct ts *out)
{
	unsigned y, mo, d, h = 0, mi = 0, se = 0, oh, om;
	int64_t off = 0;
	size_t i = 0;
	out->nsec = 0;
	static const unsigned mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (!digits(s, &i, 4, &y) || !at(s, i++, '-') || !digits(s, &i, 2, &mo) || !at(s, i++, '-') ||
	    !digits(s, &i, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400))))
		return false;
	if (i < s.len) {
		if (s.ptr[i] != 'T' && s.ptr[i] != 't' && s.ptr[i] != ' ')
			return false;
		i++;
		if (!digits(s, &i, 2, &h) || !at(s, i++, ':') || !digits(s, &i, 2, &mi) || !at(s, i++, ':') ||
		    !digits(s, &i, 2, &se) || h > 23 || mi > 59 || se > 60)
			return false;
		if (at(s, i, '.')) {
			int32_t scale = 100000000;
			size_t start = ++i;
			for (; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++, scale /= 10)
				out->nsec += scale * (s.ptr[i] - '0');
			if (i == start)
				return false;
		}
		if (at(s, i, 'Z') || at(s, i, 'z')) {
			i++;
		} else if (at(s, i, '+') || at(s, i, '-')) {
			int sign = s.ptr[i++] == '-' ? -1 : 1;
			if (!digits(s, &i, 2, &oh) || !at(s, i++, ':') || !digits(s, &i, 2, &om) || oh > 23 || om > 59)
				return false;
			off = sign * (int64_t)(oh * 3600 + om * 60);
		} else {
			return false;
		}
		if (i != s.len)
			return false;
	}
	out->sec = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
	return true;
}

static int ts_cmp(const struct ts *a, const struct ts *b)
{
	if (a->sec != b->sec)
		return a->sec < b->sec ? -1 : 1;
	return a->nsec < b->nsec ? -1 : a->nsec > b->nsec;
}

/* ---- one advisory ---- */

struct adv {
	vigil_feed_ctx *ctx;
	const char *pkg;
	char path[64];          /* "advisories[3]" */
	const char *id;
};

static void skip(struct adv *a, const char *why)
{
	feed_warn(a->ctx, "wolfi advisories: %s (%s): %s; advisory skipped", a->path, a->id, why);
}

/* aliases[] -> copied strings (dups and the id itself dropped). */
static int aliases(struct adv *a, json_t *arr, const char ***out, size_t *n)
{
	size_t i, k;
	json_t *e;
	*n = 0;
	*out = NULL;
	if (!arr || json_array_size(arr) == 0)
		return 0;
	if (!(*out = vigil_arena_calloc(a->ctx->arena, json_array_size(arr), sizeof(**out))))
		return vigil_error_code();
	json_array_foreach(arr, i, e) {
		if (!json_is_string(e))
			return vigil_error_set(VIGIL_EFORMAT, "%s.aliases[%zu]: not a string", a->path, i);
		const char *s = json_string_value(e);
		size_t len = json_string_length(e);
		if (!feed_wolfi_id(s, len)) {
			feed_warn(a->ctx, "wolfi advisories: %s.aliases[%zu] \"%.64s\" is not an id; dropped", a->path, i, s);
			continue;
		}
		for (k = 0; k < *n && strcmp((*out)[k], s) != 0; k++)
			;
		if (k < *n || strcmp(s, a->id) == 0)
			continue;
		if (!((*out)[(*n)++] = feed_str(a->ctx, s, len)))
			return vigil_error_code();
	}
	return 0;
}

struct latest {
	json_t *ev;             /* the latest event */
	struct ts last, first;
	const char *last_s, *first_s;
};

/* The latest and earliest events; false (warned) when a timestamp is bad. */
static int pick_latest(struct adv *a, json_t *events, struct latest *l, bool *ok)
{
	size_t i;
	json_t *ev;
	*ok = false;
	memset(l, 0, sizeof(*l));
	json_array_foreach(events, i, ev) {
		char path[96];
		vigil_slice t;
		struct ts ts;
		int rc;
		snprintf(path, sizeof(path), "%s.events[%zu]", a->path, i);
		if ((rc = vigil_json_want(ev, JSON_OBJECT, path)) < 0 ||
		    (rc = vigil_json_str(ev, path, "timestamp", VIGIL_JSON_REQUIRED | VIGIL_JSON_TRIM, 64, &t)) < 0)
			return rc;
		if (!parse_ts(t, &ts)) {
			feed_warn(a->ctx, "wolfi advisories: %s.timestamp \"%.*s\" is not RFC 3339; advisory %s skipped",
				  path, (int)t.len, t.ptr, a->id);
			return 0;
		}
		if (!l->ev || ts_cmp(&ts, &l->last) >= 0) {
			l->ev = ev, l->last = ts;
			if (!(l->last_s = feed_str(a->ctx, t.ptr, t.len)))
				return vigil_error_code();
		}
		if (!l->first_s || ts_cmp(&ts, &l->first) < 0) {
			l->first = ts;
			if (!(l->first_s = feed_str(a->ctx, t.ptr, t.len)))
				return vigil_error_code();
		}
	}
	*ok = l->ev != NULL;
	return 0;
}

/* "<type>[ (<false-positive type>)][: <note>]" of the latest event. */
static int describe(struct adv *a, const char *type, json_t *data, const char **out)
{
	char buf[VIGIL_WOLFI_ADV_MAX_NOTE + 256];
	json_t *fp = json_object_get(data, "type"), *note = json_object_get(data, "note");
	int n = snprintf(buf, sizeof(buf), "%s", type);
	if (!strcmp(type, "false-positive-determination") && json_is_string(fp))
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, " (%.64s)", json_string_value(fp));
	if (json_is_string(note) && json_string_length(note))
		snprintf(buf + n, sizeof(buf) - (size_t)n, ": %.*s",
			 (int)(json_string_length(note) > VIGIL_WOLFI_ADV_MAX_NOTE ? VIGIL_WOLFI_ADV_MAX_NOTE
										 : json_string_length(note)),
			 json_string_value(note));
	return (*out = feed_cstr(a->ctx, buf)) ? 0 : vigil_error_code();
}

/* The affected entry from the latest event; *ok false when skipped. */
static int state_of(struct adv *a, json_t *ev, vigil_affected *af, const char **desc, bool *ok)
{
	char path[96];
	vigil_slice type, fixed;
	json_t *data;
	size_t k;
	int rc;
	*ok = false;
	snprintf(path, sizeof(path), "%s latest event", a->path);
	if ((rc = vigil_json_str(ev, path, "type", VIGIL_JSON_REQUIRED | VIGIL_JSON_TRIM, 64, &type)) < 0 ||
	    (rc = vigil_json_obj(ev, path, "data", 0, &data)) < 0)
		return rc;
	for (k = 0; k < sizeof(event_states) / sizeof(event_states[0]); k++)
		if (vigil_slice_eq_cstr(type, event_states[k].type))
			break;
	if (k == sizeof(event_states) / sizeof(event_states[0])) {
		feed_warn(a->ctx, "wolfi advisories: %s (%s): latest event type \"%.*s\" unknown; advisory skipped",
			  a->path, a->id, (int)type.len, type.ptr);
		return 0;
	}
	af->state = event_states[k].state;
	if (af->state == VIGIL_STATE_FIXED) {
		if ((rc = vigil_json_str(data, path, "fixed-version", VIGIL_JSON_TRIM, FEED_WOLFI_MAX_NAME, &fixed)) < 0)
			return rc;
		if (vigil_slice_eq_cstr(fixed, "0")) {
			af->state = VIGIL_STATE_NOT_AFFECTED;
		} else if (!feed_wolfi_token(fixed.ptr, fixed.len, FEED_WOLFI_MAX_NAME) ||
			   !vigil_apk_valid(fixed.ptr, fixed.len)) {
			feed_warn(a->ctx, "wolfi advisories: %s (%s): fixed-version \"%.*s\" is not an apk version; advisory skipped",
				  a->path, a->id, (int)(fixed.len > 64 ? 64 : fixed.len), fixed.ptr);
			return 0;
		} else if (!(af->fixed = feed_str(a->ctx, fixed.ptr, fixed.len))) {
			return vigil_error_code();
		}
	}
	if ((rc = describe(a, event_states[k].type, data, desc)) < 0)
		return rc;
	*ok = true;
	return 0;
}

static int advisory(vigil_feed_ctx *ctx, const char *pkg, json_t *item, size_t idx)
{
	struct adv a = { .ctx = ctx, .pkg = pkg };
	vigil_vuln v = { .source = "wolfi", .cvss3_score = -1, .cvss2_score = -1 };
	vigil_affected *af;
	const char **alist;
	struct latest l;
	vigil_slice id;
	json_t *al, *events;
	bool ok;
	int rc;
	snprintf(a.path, sizeof(a.path), "advisories[%zu]", idx);
	if ((rc = vigil_json_want(item, JSON_OBJECT, a.path)) < 0 ||
	    (rc = vigil_json_str(item, a.path, "id", VIGIL_JSON_REQUIRED | VIGIL_JSON_TRIM, 256, &id)) < 0 ||
	    (rc = vigil_json_arr(item, a.path, "aliases", 0, VIGIL_WOLFI_ADV_MAX_ALIASES, &al)) < 0 ||
	    (rc = vigil_json_arr(item, a.path, "events", 0, VIGIL_WOLFI_ADV_MAX_EVENTS, &events)) < 0)
		return rc;
	if (!feed_wolfi_id(id.ptr, id.len)) {
		feed_warn(ctx, "wolfi advisories: %s.id \"%.*s\" is not an id; skipped", a.path,
			  (int)(id.len > 64 ? 64 : id.len), id.ptr);
		return 0;
	}
	if (!(a.id = v.id = feed_str(ctx, id.ptr, id.len)))
		return vigil_error_code();
	if (!events || json_array_size(events) == 0) {
		skip(&a, "no events");
		return 0;
	}
	if ((rc = aliases(&a, al, &alist, &v.naliases)) < 0 || (rc = pick_latest(&a, events, &l, &ok)) < 0 || !ok)
		return rc;
	v.aliases = alist;
	if (!(af = vigil_arena_calloc(ctx->arena, 1, sizeof(*af))))
		return vigil_error_code();
	if ((rc = state_of(&a, l.ev, af, &v.description, &ok)) < 0 || !ok)
		return rc;
	af->namespace = FEED_WOLFI_NS;
	af->package = pkg;
	af->is_source = 1;
	af->scheme = "apk";
	v.published = l.first_s;
	v.modified = l.last_s;
	v.affected = af;
	v.naffected = 1;
	rc = ctx->emit(ctx->emit_ud, &v);
	return rc < 0 ? rc : 0;
}

/* ---- the document ---- */

static int adv_doc(vigil_feed_ctx *ctx, json_t *doc)
{
	vigil_slice ver, name;
	json_t *pkg, *advs, *item;
	const char *pname;
	size_t i;
	int rc;
	if ((rc = vigil_json_want(doc, JSON_OBJECT, "document")) < 0 ||
	    (rc = vigil_json_str(doc, "", "schema-version", VIGIL_JSON_REQUIRED | VIGIL_JSON_TRIM, 32, &ver)) < 0)
		return rc;
	if (!(ver.len == 1 && ver.ptr[0] == '2') && !vigil_slice_starts_with(ver, "2."))
		return vigil_error_set(VIGIL_EUNSUPPORTED, "schema-version \"%.*s\": only version 2 is read",
				       (int)(ver.len > 32 ? 32 : ver.len), ver.ptr);
	if ((rc = vigil_json_obj(doc, "", "package", VIGIL_JSON_REQUIRED, &pkg)) < 0 ||
	    (rc = vigil_json_str(pkg, "package", "name", VIGIL_JSON_REQUIRED | VIGIL_JSON_TRIM, FEED_WOLFI_MAX_NAME,
				 &name)) < 0 ||
	    (rc = vigil_json_arr(doc, "", "advisories", 0, VIGIL_WOLFI_ADV_MAX_ADVISORIES, &advs)) < 0)
		return rc;
	if (!feed_wolfi_token(name.ptr, name.len, FEED_WOLFI_MAX_NAME))
		return vigil_error_set(VIGIL_EFORMAT, "package.name \"%.*s\": not a package name",
				       (int)(name.len > 64 ? 64 : name.len), name.ptr);
	if (!(pname = feed_str(ctx, name.ptr, name.len)))
		return vigil_error_code();
	json_array_foreach(advs, i, item) {
		if ((rc = advisory(ctx, pname, item, i)) < 0)
			return rc;
	}
	return 0;
}

static int adv_doc_named(vigil_feed_ctx *ctx, json_t *doc)
{
	int rc = adv_doc(ctx, doc);
	if (rc < 0)
		vigil_error_prefix("wolfi advisories: ");
	return rc;
}

int feed_wolfi_adv_yaml(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	return feed_yaml_parse(ctx, "wolfi advisories", data, len, VIGIL_WOLFI_ADV_MAX_FILE, adv_doc_named);
}
