/* feed/osv.c: OSV documents (schema 1.x, ossf.github.io/osv-schema), one
 * JSON object or an array of them, from any ecosystem: Go vulndb, GHSA
 * (npm, PyPI, Maven, crates.io...), Debian, Alpine, Ubuntu. One record per
 * document: id, aliases (plus "upstream" ids), summary, details,
 * references, published, modified, severity (CVSS_V3/CVSS_V2 vectors scored
 * with feed/cvss.c, Ubuntu priority words, database_specific severity
 * words) and one affected entry per affected[] item whose ecosystem maps
 * to a namespace: distribution ecosystems to the distribution namespaces
 * ("Debian:12" -> debian:12, source packages, dpkg/apk), language
 * ecosystems to "osv:<Ecosystem>". Ranges keep every event exactly, in
 * order; an explicit versions[] list becomes one more range of type
 * "VERSIONS" (one introduced event per listed version). Withdrawn
 * documents are skipped. Language package names are normalised as their
 * ecosystem compares them (feed/lang_eco.c); Go's vulnerable symbols are
 * kept. Also read: {"vulns": [...]} (osv.dev answers, GHSA slices) and
 * OSV written as YAML (the PyPA advisory database), through
 * feed/yaml_json.c. Decisions: docs/feeds-alpine-osv-nvd.md. */
#include "feed/alma.h"
#include "feed/cvss.h"
#include "feed/feed.h"
#include "feed/vendors.h"
#include "feed/lang_eco.h"
#include "feed/osv_go.h"
#include "feed/yaml_json.h"
#include "util/error.h"
#include "util/json.h"
#include "util/slice.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Documents in one JSON array. */
#define VIGIL_OSV_MAX_DOCS 1000000
/* Ranges of one affected entry, events of one range. */
#define VIGIL_OSV_MAX_RANGES 1000
#define VIGIL_OSV_MAX_EVENTS 10000
/* Explicit versions[] of one affected entry. */
#define VIGIL_OSV_MAX_VERSIONS 100000
/* severity[] entries of a document or an affected entry. */
#define VIGIL_OSV_MAX_SEVERITY 100
/* Length of an ecosystem name. */
#define VIGIL_OSV_MAX_ECOSYSTEM 128

struct osv {
	vigil_feed_ctx *ctx;
	char at[160];           /* "GO-2020-0001" or "[3] GO-2020-0001": the message prefix */
};

static int fail(struct osv *o, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct osv *o, int code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return vigil_error_set(code, "osv%s%s: %s", *o->at ? " " : "", o->at, msg);
}

static void warn(struct osv *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct osv *o, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	feed_warn(o->ctx, "osv%s%s: %s", *o->at ? " " : "", o->at, msg);
}

/* ---- JSON helpers ---- */

/* Puts "osv <id>: " before the message util/json.c set. */
static int in_doc(struct osv *o, int rc)
{
	vigil_error_prefix("osv%s%s: ", *o->at ? " " : "", o->at);
	return rc;
}

/* An optional string member, copied (NULL when absent, null or ""); field
 * is the path of obj with a trailing '.' ("" at the root). */
static int get_str(struct osv *o, json_t *obj, const char *key, const char *field, const char **out)
{
	char path[160];
	snprintf(path, sizeof(path), "%.*s", (int)(*field ? strlen(field) - 1 : 0), field);
	int rc = feed_json_str(o->ctx, obj, path, key, out);
	return rc < 0 ? in_doc(o, rc) : 0;
}

/* An optional array member of at most max items (NULL when absent or null). */
static int get_arr(struct osv *o, json_t *obj, const char *key, const char *field, size_t max, json_t **out)
{
	char path[160];
	snprintf(path, sizeof(path), "%.*s", (int)(*field ? strlen(field) - 1 : 0), field);
	int rc = vigil_json_arr(obj, path, key, 0, max, out);
	return rc < 0 ? in_doc(o, rc) : 0;
}

/* Appends the strings of arr (or the "url" member of its objects) to
 * list[*n], skipping duplicates and `skip`. */
static int add_strings(struct osv *o, json_t *arr, const char *member, const char *what, const char *skip,
		       const char **list, size_t *n)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		char field[64];
		const char *s;
		int rc;
		if (member) {
			if (!json_is_object(v))
				return fail(o, VIGIL_EFORMAT, "%s[%zu]: not an object", what, i);
			snprintf(field, sizeof(field), "%s[%zu].", what, i);
			if ((rc = get_str(o, v, member, field, &s)) < 0)
				return rc;
		} else {
			if (!json_is_string(v))
				return fail(o, VIGIL_EFORMAT, "%s[%zu]: not a string", what, i);
			s = json_string_length(v) ? feed_str(o->ctx, json_string_value(v), json_string_length(v)) : NULL;
			if (json_string_length(v) && !s)
				return vigil_error_code();
		}
		if (!s || (skip && strcmp(s, skip) == 0))
			continue;
		size_t k = 0;
		while (k < *n && strcmp(list[k], s) != 0)
			k++;
		if (k < *n)
			continue;
		if (*n >= VIGIL_FEED_MAX_REFS)
			return fail(o, VIGIL_ELIMIT, "more than %d %s", VIGIL_FEED_MAX_REFS, what);
		list[(*n)++] = s;
	}
	return 0;
}

/* ---- severity ---- */

struct sev {
	const char *v3, *v2, *word;
	double s3, s2;
	vigil_severity wsev;
};

/* severity[]: {type, score}. The first valid vector of each version wins. */
static int parse_severity(struct osv *o, json_t *arr, const char *field, struct sev *s)
{
	size_t i;
	json_t *e;
	json_array_foreach(arr, i, e) {
		char f[96];
		const char *type, *score;
		int rc;
		if (!json_is_object(e))
			return fail(o, VIGIL_EFORMAT, "%sseverity[%zu]: not an object", field, i);
		snprintf(f, sizeof(f), "%sseverity[%zu].", field, i);
		if ((rc = get_str(o, e, "type", f, &type)) < 0 || (rc = get_str(o, e, "score", f, &score)) < 0)
			return rc;
		if (!type || !score)
			continue;
		if (!strcmp(type, "CVSS_V3") && !s->v3) {
			if (feed_cvss3_base_score(score, strlen(score), &s->s3, NULL) == 0)
				s->v3 = score;
			else
				warn(o, "%sseverity[%zu]: %s; ignored", field, i, vigil_error_message());
		} else if (!strcmp(type, "CVSS_V2") && !s->v2) {
			if (feed_cvss2_base_score(score, strlen(score), &s->s2) == 0)
				s->v2 = score;
			else
				warn(o, "%sseverity[%zu]: %s; ignored", field, i, vigil_error_message());
		} else if (!strcmp(type, "Ubuntu") && !s->word) {
			s->word = score;
			s->wsev = feed_severity_ubuntu(score);
		} /* CVSS_V4 and unknown types: no calculator, skipped */
	}
	return 0;
}

/* A "severity" word in database_specific or ecosystem_specific (GHSA:
 * "MODERATE"); anything that is not a string there is some other schema. */
static int specific_word(struct osv *o, json_t *obj, const char *key, struct sev *s)
{
	json_t *spec = json_object_get(obj, key), *w;
	if (s->word || !json_is_object(spec) || !json_is_string(w = json_object_get(spec, "severity")) ||
	    json_string_length(w) == 0 || json_string_length(w) > 64)
		return 0;
	if (!(s->word = feed_str(o->ctx, json_string_value(w), json_string_length(w))))
		return vigil_error_code();
	s->wsev = feed_severity_cvss_word(s->word);
	return 0;
}

static vigil_severity sev_level(const struct sev *s)
{
	if (s->wsev != VIGIL_SEV_UNKNOWN)
		return s->wsev;
	if (s->v3)
		return vigil_severity_from_cvss(s->s3);
	if (s->v2)
		return feed_cvss2_severity(s->s2);
	return VIGIL_SEV_UNKNOWN;
}

/* ---- ecosystems ---- */

struct eco {
	char ns[VIGIL_OSV_MAX_ECOSYSTEM + 16];
	const char *scheme;
	int is_source;
	const feed_lang_eco *lang; /* a language ecosystem vigil matches, else NULL */
};

static bool is_release(vigil_slice s, bool dotted)
{
	size_t dots = 0;
	if (s.len == 0 || s.ptr[0] < '0' || s.ptr[0] > '9')
		return false;
	for (size_t i = 0; i < s.len; i++) {
		if (s.ptr[i] == '.' && i + 1 < s.len && s.ptr[i - 1] != '.')
			dots++;
		else if (s.ptr[i] < '0' || s.ptr[i] > '9')
			return false;
	}
	return dotted ? dots >= 1 : true;
}

/* "Ubuntu:22.04:LTS", "Ubuntu:Pro:18.04:LTS" (ESM: the same release),
 * "Ubuntu:25.10"; other qualifiers (FIPS, Realtime...) are separate package
 * streams vigil does not scan for: false. */
static bool ubuntu_release(vigil_slice rest, vigil_slice *ver)
{
	vigil_slice part;
	ver->len = 0;
	while (rest.len) {
		vigil_slice_split(rest, ':', &part, &rest);
		if (is_release(part, true) && ver->len == 0)
			*ver = part;
		else if (!vigil_slice_eq_cstr(part, "Pro") && !vigil_slice_eq_cstr(part, "LTS"))
			return false;
	}
	return ver->len > 0;
}

/* false: a distribution release vigil does not map (the entry is skipped). */
static bool map_ecosystem(const char *name, struct eco *e)
{
	vigil_slice s = vigil_slice_cstr(name), head, rest, ver;
	bool has_rel = vigil_slice_split(s, ':', &head, &rest);
	e->is_source = 0;
	e->lang = NULL;
	if (vigil_slice_eq_cstr(head, "Debian")) {
		const char *v;
		e->is_source = 1;
		e->scheme = "dpkg";
		if (has_rel && is_release(rest, false))
			snprintf(e->ns, sizeof(e->ns), "debian:%.*s", (int)rest.len, rest.ptr);
		else if (has_rel && (v = feed_debian_release_version(rest.ptr)))
			snprintf(e->ns, sizeof(e->ns), "debian:%s", v);
		else
			return false;
		return true;
	}
	if (vigil_slice_eq_cstr(head, "Alpine")) {
		e->is_source = 1;
		e->scheme = "apk";
		if (rest.len && rest.ptr[0] == 'v')
			rest = vigil_slice_sub(rest, 1, rest.len);
		if (!has_rel || !is_release(rest, true))
			return false;
		snprintf(e->ns, sizeof(e->ns), "alpine:%.*s", (int)rest.len, rest.ptr);
		return true;
	}
	if (feed_osv_vendor_ecosystem(name, e->ns, sizeof(e->ns), &e->scheme, &e->is_source))
		return true; /* AlmaLinux, Rocky Linux, Wolfi, Chainguard: feed/osv_vendor.c */
	if (vigil_slice_eq_cstr(head, "Ubuntu")) {
		e->is_source = 1;
		e->scheme = "dpkg";
		if (!has_rel || !ubuntu_release(rest, &ver))
			return false;
		snprintf(e->ns, sizeof(e->ns), "ubuntu:%.*s", (int)ver.len, ver.ptr);
		return true;
	}
	e->lang = feed_lang_by_ecosystem(name);
	e->scheme = e->lang ? e->lang->scheme : "ecosystem";
	snprintf(e->ns, sizeof(e->ns), "osv:%s", name);
	return true;
}

/* ---- affected ---- */

static const char *const event_keys[] = { "introduced", "fixed", "last_affected", "limit" };

/* Events of the version ranges (GIT ranges are commits: not counted). */
struct counts {
	size_t fixed, other; /* fixed events; last_affected and limit events */
	bool ranged;         /* some version range has events */
};

/* One range; *ok = false when an event is not one vigil knows (the entry
 * is skipped: events are kept exactly or not at all). */
static int parse_range(struct osv *o, json_t *r, const char *field, vigil_range *out,
		       struct counts *c, bool *ok)
{
	json_t *evs;
	char f[128];
	int rc;
	if (!json_is_object(r))
		return fail(o, VIGIL_EFORMAT, "%s: not an object", field);
	snprintf(f, sizeof(f), "%s.", field);
	if ((rc = get_str(o, r, "type", f, &out->type)) < 0 ||
	    (rc = get_arr(o, r, "events", f, VIGIL_OSV_MAX_EVENTS, &evs)) < 0)
		return rc;
	if (!out->type)
		return fail(o, VIGIL_EFORMAT, "%s.type: missing", field);
	size_t n = evs ? json_array_size(evs) : 0;
	vigil_range_event *ev = n ? vigil_arena_calloc(o->ctx->arena, n, sizeof(*ev)) : NULL;
	if (n && !ev)
		return vigil_error_code();
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(evs, i), *v;
		const char *k;
		size_t kind = 4;
		if (!json_is_object(e))
			return fail(o, VIGIL_EFORMAT, "%s.events[%zu]: not an object", field, i);
		json_object_foreach(e, k, v) {
			size_t j = 0;
			while (j < 4 && strcmp(k, event_keys[j]) != 0)
				j++;
			if (j == 4 || kind != 4) {
				warn(o, "%s.events[%zu]: not one introduced/fixed/last_affected/limit; entry skipped",
				     field, i);
				*ok = false;
				return 0;
			}
			kind = j;
			if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > VIGIL_FEED_MAX_STRING)
				return fail(o, VIGIL_EFORMAT, "%s.events[%zu].%s: not a version string", field, i, k);
			if (!(ev[i].version = feed_str(o->ctx, json_string_value(v), json_string_length(v))))
				return vigil_error_code();
		}
		if (kind == 4)
			return fail(o, VIGIL_EFORMAT, "%s.events[%zu]: empty", field, i);
		ev[i].kind = (vigil_range_event_kind)kind;
		if (strcmp(out->type, "GIT") != 0) {
			c->ranged = true;
			if (ev[i].kind == VIGIL_EVENT_FIXED)
				c->fixed++;
			else if (ev[i].kind != VIGIL_EVENT_INTRODUCED)
				c->other++;
		}
	}
	out->events = ev;
	out->nevents = n;
	return 0;
}

/* The versions[] list as one "VERSIONS" range of introduced events. */
static int parse_versions(struct osv *o, json_t *arr, const char *field, vigil_range *out)
{
	size_t n = json_array_size(arr);
	vigil_range_event *ev = vigil_arena_calloc(o->ctx->arena, n, sizeof(*ev));
	if (!ev)
		return vigil_error_code();
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_array_get(arr, i);
		if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > VIGIL_FEED_MAX_STRING)
			return fail(o, VIGIL_EFORMAT, "%s[%zu]: not a version string", field, i);
		ev[i].kind = VIGIL_EVENT_INTRODUCED;
		if (!(ev[i].version = feed_str(o->ctx, json_string_value(v), json_string_length(v))))
			return vigil_error_code();
	}
	out->type = "VERSIONS";
	out->events = ev;
	out->nevents = n;
	return 0;
}

/* The state: exactly one fixed event (GIT ranges aside) -> fixed; several
 * -> affected in the ranges; none, and only introduced events -> not fixed
 * yet (a versions[] list adds nothing then: the open range has them all);
 * last_affected/limit events, or no version range -> affected. */
static void set_state(vigil_affected *af, const struct counts *c)
{
	af->state = VIGIL_STATE_AFFECTED;
	if (c->fixed == 1) {
		af->state = VIGIL_STATE_FIXED;
		for (size_t r = 0; r < af->nranges; r++)
			for (size_t i = 0; strcmp(af->ranges[r].type, "GIT") && i < af->ranges[r].nevents; i++)
				if (af->ranges[r].events[i].kind == VIGIL_EVENT_FIXED)
					af->fixed = af->ranges[r].events[i].version;
	} else if (c->fixed == 0 && c->other == 0 && c->ranged) {
		af->state = VIGIL_STATE_NOT_FIXED;
	}
}

/* The package name as the ecosystem compares names (PEP 503 for PyPI). */
static int lang_name(struct osv *o, const feed_lang_eco *e, const char *field, const char **name)
{
	char buf[FEED_LANG_MAX_NAME + 1];
	if (!feed_lang_name(e, *name, strlen(*name), buf, sizeof(buf)))
		return fail(o, VIGIL_ELIMIT, "%s.package.name: longer than %d bytes", field, FEED_LANG_MAX_NAME);
	if (strcmp(buf, *name) != 0 && !(*name = feed_cstr(o->ctx, buf)))
		return vigil_error_code();
	return 0;
}

/* Go vulndb's vulnerable symbols (feed/osv_go.c). */
static int go_symbols(struct osv *o, json_t *a, const char *field, const char **out)
{
	bool dropped = false;
	int rc = feed_osv_go_symbols(o->ctx, a, out, &dropped);
	if (rc < 0)
		return in_doc(o, rc);
	if (dropped)
		warn(o, "%s.ecosystem_specific.imports: more than %d symbols; the rest dropped", field,
		     FEED_OSV_MAX_SYMBOLS);
	return 0;
}

/* One affected[] item; *ok = false when it is skipped (warned). */
static int parse_affected(struct osv *o, json_t *a, size_t idx, vigil_affected *af, bool *ok)
{
	char field[64], f[96];
	json_t *pkg, *ranges, *versions, *sevs;
	const char *eco, *name;
	struct eco e;
	struct sev s = { 0 };
	struct counts c = { 0 };
	int rc;
	*ok = true;
	snprintf(field, sizeof(field), "affected[%zu]", idx);
	if (!json_is_object(a))
		return fail(o, VIGIL_EFORMAT, "%s: not an object", field);
	pkg = json_object_get(a, "package");
	if (!pkg || json_is_null(pkg)) {
		warn(o, "%s has no package (a GIT-only entry); skipped", field);
		*ok = false;
		return 0;
	}
	if (!json_is_object(pkg))
		return fail(o, VIGIL_EFORMAT, "%s.package: not an object", field);
	snprintf(f, sizeof(f), "%s.package.", field);
	if ((rc = get_str(o, pkg, "ecosystem", f, &eco)) < 0 || (rc = get_str(o, pkg, "name", f, &name)) < 0)
		return rc;
	if (!eco || !name || strlen(eco) > VIGIL_OSV_MAX_ECOSYSTEM) {
		warn(o, "%s.package: ecosystem or name missing (or too long); skipped", field);
		*ok = false;
		return 0;
	}
	if (!map_ecosystem(eco, &e)) {
		warn(o, "%s: ecosystem \"%s\" is not a release vigil knows; skipped", field, eco);
		*ok = false;
		return 0;
	}
	snprintf(f, sizeof(f), "%s.", field);
	if ((rc = get_arr(o, a, "ranges", f, VIGIL_OSV_MAX_RANGES, &ranges)) < 0 ||
	    (rc = get_arr(o, a, "versions", f, VIGIL_OSV_MAX_VERSIONS, &versions)) < 0 ||
	    (rc = get_arr(o, a, "severity", f, VIGIL_OSV_MAX_SEVERITY, &sevs)) < 0)
		return rc;
	size_t nr = json_array_size(ranges), nv = json_array_size(versions), total = nr + (nv > 0);
	vigil_range *rg = total ? vigil_arena_calloc(o->ctx->arena, total, sizeof(*rg)) : NULL;
	if (total && !rg)
		return vigil_error_code();
	for (size_t i = 0; i < nr; i++) {
		snprintf(f, sizeof(f), "%s.ranges[%zu]", field, i);
		if ((rc = parse_range(o, json_array_get(ranges, i), f, &rg[i], &c, ok)) < 0 || !*ok)
			return rc;
	}
	snprintf(f, sizeof(f), "%s.versions", field);
	if (nv && (rc = parse_versions(o, versions, f, &rg[nr])) < 0)
		return rc;
	snprintf(f, sizeof(f), "%s.", field);
	if ((sevs && (rc = parse_severity(o, sevs, f, &s)) < 0) ||
	    (rc = specific_word(o, a, "ecosystem_specific", &s)) < 0 ||
	    (rc = specific_word(o, a, "database_specific", &s)) < 0)
		return rc;
	if (!(af->namespace = feed_cstr(o->ctx, e.ns)))
		return vigil_error_code();
	if (e.lang && (rc = lang_name(o, e.lang, field, &name)) < 0)
		return rc;
	if (e.lang && e.lang->type == VIGIL_PKG_GO && (rc = go_symbols(o, a, field, &af->symbols)) < 0)
		return rc;
	af->package = name;
	af->is_source = e.is_source;
	af->scheme = e.scheme;
	af->ranges = rg;
	af->nranges = total;
	af->vendor_severity = s.word;
	af->severity = sev_level(&s);
	set_state(af, &c);
	return 0;
}

/* ---- one document ---- */

static bool is_withdrawn(json_t *doc)
{
	json_t *w = json_object_get(doc, "withdrawn");
	return json_is_string(w) && json_string_length(w) > 0;
}

static int parse_doc(struct osv *o, json_t *doc)
{
	vigil_vuln v = { .source = "osv", .cvss3_score = -1, .cvss2_score = -1 };
	json_t *arr, *refs, *aff, *sevs;
	struct sev s = { 0 };
	const char **list = NULL, **links = NULL;
	int rc;
	if (!json_is_object(doc))
		return fail(o, VIGIL_EFORMAT, "not a JSON object");
	if ((rc = get_str(o, doc, "id", "", &v.id)) < 0)
		return rc;
	if (!v.id)
		return fail(o, VIGIL_EFORMAT, "id: missing");
	size_t at = strlen(o->at);
	snprintf(o->at + at, sizeof(o->at) - at, "%s%.80s", at ? " " : "", v.id);
	if (is_withdrawn(doc))
		return 0;
	if (!strncmp(v.id, "UBUNTU-", 7) || !strncmp(v.id, "USN-", 4))
		v.source = "ubuntu";
	if ((rc = get_str(o, doc, "summary", "", &v.summary)) < 0 ||
	    (rc = get_str(o, doc, "details", "", &v.description)) < 0 ||
	    (rc = get_str(o, doc, "published", "", &v.published)) < 0 ||
	    (rc = get_str(o, doc, "modified", "", &v.modified)) < 0)
		return rc;
	/* aliases, then "upstream" (schema 1.7: the CVE an UBUNTU-CVE-* record is about) */
	json_t *ups;
	if ((rc = get_arr(o, doc, "aliases", "", VIGIL_FEED_MAX_REFS, &arr)) < 0 ||
	    (rc = get_arr(o, doc, "upstream", "", VIGIL_FEED_MAX_REFS, &ups)) < 0 ||
	    (rc = get_arr(o, doc, "references", "", VIGIL_FEED_MAX_REFS, &refs)) < 0)
		return rc;
	size_t nal = json_array_size(arr) + json_array_size(ups), nref = json_array_size(refs);
	if ((nal && !(list = vigil_arena_calloc(o->ctx->arena, nal, sizeof(*list)))) ||
	    (nref && !(links = vigil_arena_calloc(o->ctx->arena, nref, sizeof(*links)))))
		return vigil_error_code();
	if ((arr && (rc = add_strings(o, arr, NULL, "aliases", v.id, list, &v.naliases)) < 0) ||
	    (ups && (rc = add_strings(o, ups, NULL, "upstream", v.id, list, &v.naliases)) < 0) ||
	    (refs && (rc = add_strings(o, refs, "url", "references", NULL, links, &v.nlinks)) < 0))
		return rc;
	v.aliases = list;
	v.links = links;
	if ((rc = get_arr(o, doc, "severity", "", VIGIL_OSV_MAX_SEVERITY, &sevs)) < 0 ||
	    (sevs && (rc = parse_severity(o, sevs, "", &s)) < 0) ||
	    (rc = specific_word(o, doc, "database_specific", &s)) < 0)
		return rc;
	v.cvss3_vector = s.v3;
	v.cvss3_score = s.v3 ? s.s3 : -1;
	v.cvss2_vector = s.v2;
	v.cvss2_score = s.v2 ? s.s2 : -1;
	v.vendor_severity = s.word;
	v.severity = sev_level(&s);
	if ((rc = get_arr(o, doc, "affected", "", VIGIL_FEED_MAX_AFFECTED, &aff)) < 0)
		return rc;
	size_t n = aff ? json_array_size(aff) : 0;
	vigil_affected *afs = n ? vigil_arena_calloc(o->ctx->arena, n, sizeof(*afs)) : NULL;
	if (n && !afs)
		return vigil_error_code();
	for (size_t i = 0; i < n; i++) {
		bool ok;
		if ((rc = parse_affected(o, json_array_get(aff, i), i, &afs[v.naffected], &ok)) < 0)
			return rc;
		if (ok)
			v.naffected++;
	}
	v.affected = afs;
	bool drop; /* AlmaLinux and Rocky: related CVEs, summary severity and module (feed/alma_osv.c) */
	if ((rc = feed_rebuild_osv(o->ctx, doc, &v, afs, v.naffected, &drop)) < 0)
		return in_doc(o, rc);
	if (drop)
		return 0;
	rc = o->ctx->emit(o->ctx->emit_ud, &v);
	return rc < 0 ? rc : 0;
}

/* A JSON array of documents, {"vulns": [...]} (osv.dev's query answer,
 * GHSA slices), or one document. */
static int parse_root(vigil_feed_ctx *ctx, json_t *root)
{
	struct osv o = { .ctx = ctx };
	json_t *vulns = json_object_get(root, "vulns");
	int rc = 0;
	if (json_is_object(root) && !json_object_get(root, "id") && json_is_array(vulns))
		root = vulns;
	if (json_is_array(root)) {
		size_t i;
		json_t *doc;
		if (json_array_size(root) > VIGIL_OSV_MAX_DOCS)
			return vigil_error_set(VIGIL_ELIMIT, "osv: %zu documents (limit %d)", json_array_size(root),
					       VIGIL_OSV_MAX_DOCS);
		json_array_foreach(root, i, doc) {
			snprintf(o.at, sizeof(o.at), "[%zu]", i);
			if ((rc = parse_doc(&o, doc)) < 0)
				break;
		}
		return rc;
	}
	return parse_doc(&o, root);
}

int feed_osv(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	json_error_t je;
	json_t *root;
	int rc;
	if (!data && len)
		return vigil_error_set(VIGIL_EINVAL, "osv: no data");
	if (len > VIGIL_FEED_MAX_FILE)
		return vigil_error_set(VIGIL_ELIMIT, "osv: %zu bytes (limit %zu)", len, VIGIL_FEED_MAX_FILE);
	if (!(root = json_loadb(data ? data : "", len, JSON_REJECT_DUPLICATES, &je)))
		return vigil_error_set(VIGIL_EFORMAT, "osv: bad JSON at line %d column %d: %s", je.line,
				       je.column, je.text);
	rc = parse_root(ctx, root);
	json_decref(root);
	return rc;
}

int feed_osv_yaml(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	return feed_yaml_parse(ctx, "osv", data, len, VIGIL_FEED_MAX_FILE, parse_root);
}
