/* feed/fedora_bodhi.c: Fedora security updates as Bodhi gives them
 * (bodhi.fedoraproject.org/updates/?type=security&status=stable&releases=F40):
 * a page of its /updates/ API ({"updates": [...], "page", "pages", ...}),
 * one update record (what vunnel keeps, <alias>.json) or a JSON array of
 * updates. One update becomes one record: the update's alias
 * (FEDORA-2023-6d4055d482) as its id, the CVE ids of its security bugs'
 * titles as aliases (else those of display_name and title, as vunnel
 * does), the update's severity (urgent, high, medium, low, unspecified)
 * with the word kept, and one affected entry per rpm build: the build's
 * NVR split at its last two '-', namespace "fedora:<N>" of release "F<N>",
 * is_source = 1 (a Bodhi build is a source rpm: every binary built from it
 * matches through its SOURCERPM), state fixed at "<epoch>:<version>-<release>"
 * (epoch 0 when the build has none).
 *
 * Skipped, counted in one warning per file: updates that are not stable
 * (testing, pending, obsolete, unpushed: never shipped), not of type
 * security, and of releases that are not Fedora's rpm releases (EPEL-7,
 * F40C containers, F40F flatpaks, ELN): vigil has no namespace they
 * belong to (vunnel files EPEL-7 under fedora:7, which Fedora 7 would
 * match). An update without an alias or an rpm build is skipped with a
 * warning. Decisions in docs/feeds-fedora.md. */
#include "feed/vendors.h"
#include "util/error.h"
#include "util/json.h"
#include "util/slice.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The largest document read. */
#define VIGIL_BODHI_MAX_SIZE VIGIL_FEED_MAX_FILE
/* Updates of one document (the API gives at most 100 a page). */
#define VIGIL_BODHI_MAX_UPDATES 1000000
/* Builds of one update (the largest real ones have a few hundred). */
#define VIGIL_BODHI_MAX_BUILDS 10000
/* Bugs of one update. */
#define VIGIL_BODHI_MAX_BUGS 10000
/* The longest NVR, alias, release name or severity word looked at. */
#define VIGIL_BODHI_MAX_NVR 512
#define VIGIL_BODHI_MAX_WORD 64
/* The release names kept for the summary warning of skipped releases. */
#define VIGIL_BODHI_MAX_NAMED 8

struct bodhi {
	vigil_feed_ctx *ctx;
	size_t not_stable, not_security, other_release;
	char other_names[VIGIL_BODHI_MAX_NAMED * (VIGIL_BODHI_MAX_WORD + 1)];
	size_t nnamed;
	/* the record being built */
	const char **aliases, **links;
	size_t naliases, nlinks, caliases, clinks;
};

/* ---- small helpers ---- */

static const char *str(struct bodhi *b, vigil_slice s)
{
	return s.len ? feed_str(b->ctx, s.ptr, s.len) : NULL;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* Printable ASCII without spaces and without any byte of bad. */
static bool plain(vigil_slice s, const char *bad)
{
	for (size_t i = 0; i < s.len; i++)
		if (s.ptr[i] <= ' ' || s.ptr[i] > '~' || strchr(bad, s.ptr[i]))
			return false;
	return s.len > 0;
}

/* Adds a copy of s to the list unless it is there already. */
static int list_add(struct bodhi *b, const char ***v, size_t *n, size_t *cap, vigil_slice s, const char *what)
{
	for (size_t i = 0; i < *n; i++)
		if (vigil_slice_eq_cstr(s, (*v)[i]))
			return 0;
	if (*n >= VIGIL_FEED_MAX_REFS)
		return vigil_error_set(VIGIL_ELIMIT, "more than %d %s", VIGIL_FEED_MAX_REFS, what);
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		const char **nv = realloc(*v, nc * sizeof(*nv));
		if (!nv)
			return vigil_error_oom();
		*v = nv;
		*cap = nc;
	}
	if (!((*v)[*n] = str(b, s)))
		return vigil_error_or_oom();
	(*n)++;
	return 0;
}

/* Copies a list into the arena (NULL when empty). */
static const char *const *list_take(struct bodhi *b, const char **v, size_t n)
{
	if (!n)
		return NULL;
	const char **out = vigil_arena_calloc(b->ctx->arena, n, sizeof(*out));
	if (out)
		memcpy(out, v, n * sizeof(*out));
	return out;
}

/* Every CVE-YYYY-NNNN[N...] of text (not glued to a letter or digit
 * before it) into the aliases. */
static int cves_of(struct bodhi *b, vigil_slice text)
{
	for (size_t i = 0; i + 13 <= text.len; i++) {
		const char *p = text.ptr + i;
		if (memcmp(p, "CVE-", 4) != 0 || (i > 0 && is_alnum(p[-1])))
			continue;
		size_t k = 4, d = 0;
		while (i + k < text.len && is_digit(p[k]) && d < 5)
			k++, d++;
		if (d != 4 || i + k >= text.len || p[k] != '-')
			continue;
		size_t start = ++k;
		while (i + k < text.len && is_digit(p[k]) && k - start < 12)
			k++;
		if (k - start < 4 || (i + k < text.len && is_alnum(p[k])))
			continue;
		int rc = list_add(b, &b->aliases, &b->naliases, &b->caliases, vigil_slice_make(p, k), "CVE ids");
		if (rc < 0)
			return rc;
		i += k - 1;
	}
	return 0;
}

/* Bodhi's "2023-02-03 01:39:02" (UTC) as RFC 3339; other forms as written. */
static const char *date_of(struct bodhi *b, vigil_slice s)
{
	static const char shape[] = "dddd-dd-dd dd:dd:dd";
	char out[24];
	if (s.len != sizeof(shape) - 1)
		return str(b, s);
	for (size_t i = 0; i < s.len; i++)
		if (shape[i] == 'd' ? !is_digit(s.ptr[i]) : s.ptr[i] != shape[i])
			return str(b, s);
	memcpy(out, s.ptr, 10);
	out[10] = 'T';
	memcpy(out + 11, s.ptr + 11, 8);
	out[19] = 'Z';
	return feed_str(b->ctx, out, 20);
}

/* ---- severity ---- */

/* Bodhi's update severities (vunnel's table, which also reads the Red Hat
 * words): urgent -> Critical, high -> High, medium -> Medium, low -> Low,
 * unspecified, none or anything else -> Unknown. */
static vigil_severity bodhi_severity(vigil_slice w)
{
	static const struct {
		const char *word;
		vigil_severity sev;
	} table[] = {
		{ "urgent", VIGIL_SEV_CRITICAL }, { "critical", VIGIL_SEV_CRITICAL },
		{ "high", VIGIL_SEV_HIGH },       { "important", VIGIL_SEV_HIGH },
		{ "medium", VIGIL_SEV_MEDIUM },   { "moderate", VIGIL_SEV_MEDIUM },
		{ "low", VIGIL_SEV_LOW },
	};
	char low[VIGIL_BODHI_MAX_WORD];
	if (w.len >= sizeof(low))
		return VIGIL_SEV_UNKNOWN;
	for (size_t i = 0; i < w.len; i++)
		low[i] = (w.ptr[i] >= 'A' && w.ptr[i] <= 'Z') ? (char)(w.ptr[i] - 'A' + 'a') : w.ptr[i];
	low[w.len] = '\0';
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(low, table[i].word) == 0)
			return table[i].sev;
	return VIGIL_SEV_UNKNOWN;
}

/* ---- releases ---- */

/* "F40" -> "fedora:40"; false for any other release (EPEL-7, F40C, ELN). */
static bool release_namespace(vigil_slice name, char out[32])
{
	if (name.len < 2 || name.len > 6 || name.ptr[0] != 'F')
		return false;
	for (size_t i = 1; i < name.len; i++)
		if (!is_digit(name.ptr[i]))
			return false;
	snprintf(out, 32, "fedora:%.*s", (int)name.len - 1, name.ptr + 1);
	return true;
}

static void note_other_release(struct bodhi *b, vigil_slice name)
{
	char one[VIGIL_BODHI_MAX_WORD + 1];
	b->other_release++;
	snprintf(one, sizeof(one), "%.*s", (int)(name.len < VIGIL_BODHI_MAX_WORD ? name.len : VIGIL_BODHI_MAX_WORD),
		 name.len ? name.ptr : "");
	if (!one[0])
		snprintf(one, sizeof(one), "(none)");
	size_t at = 0;
	for (size_t i = 0; i < b->nnamed; i++) {
		if (strcmp(b->other_names + at, one) == 0)
			return;
		at += strlen(b->other_names + at) + 1;
	}
	if (b->nnamed >= VIGIL_BODHI_MAX_NAMED)
		return;
	memcpy(b->other_names + at, one, strlen(one) + 1);
	b->nnamed++;
}

/* ---- builds ---- */

/* The epoch of a build: an integer, a string of digits, or none (0). */
static bool build_epoch(json_t *e, unsigned long long *out)
{
	*out = 0;
	if (!e || json_is_null(e))
		return true;
	if (json_is_integer(e)) {
		json_int_t v = json_integer_value(e);
		*out = (unsigned long long)v;
		return v >= 0 && v <= 0x7fffffff;
	}
	if (!json_is_string(e))
		return false;
	uint64_t v;
	vigil_slice s = vigil_slice_make(json_string_value(e), json_string_length(e));
	if (!s.len)
		return true;
	if (!vigil_slice_to_u64(s, 0x7fffffff, &v))
		return false;
	*out = v;
	return true;
}

/* One build into a (false when it is skipped). */
static int read_build(struct bodhi *b, json_t *bu, const char *path, const char *ns, vigil_affected *a, bool *ok)
{
	vigil_slice nvr, type, name, ver, rel;
	unsigned long long epoch;
	char evr[VIGIL_BODHI_MAX_NVR + 32];
	int rc;
	*ok = false;
	if ((rc = vigil_json_want(bu, JSON_OBJECT, path)) < 0 ||
	    (rc = vigil_json_str(bu, path, "nvr", VIGIL_JSON_REQUIRED, VIGIL_BODHI_MAX_NVR, &nvr)) < 0 ||
	    (rc = vigil_json_str(bu, path, "type", 0, VIGIL_BODHI_MAX_WORD, &type)) < 0)
		return rc;
	if (type.len && !vigil_slice_eq_cstr(type, "rpm"))
		return 0; /* container, flatpak, module: not rpm packages */
	ptrdiff_t d2 = vigil_slice_rfind(nvr, '-');
	ptrdiff_t d1 = d2 > 0 ? vigil_slice_rfind(vigil_slice_sub(nvr, 0, (size_t)d2), '-') : -1;
	if (d1 <= 0 || d2 <= d1 + 1 || (size_t)d2 + 1 >= nvr.len) {
		feed_warn(b->ctx, "%s.nvr \"%.*s\": not name-version-release: skipped", path, (int)nvr.len, nvr.ptr);
		return 0;
	}
	name = vigil_slice_sub(nvr, 0, (size_t)d1);
	ver = vigil_slice_sub(nvr, (size_t)d1 + 1, (size_t)(d2 - d1 - 1));
	rel = vigil_slice_sub(nvr, (size_t)d2 + 1, nvr.len - (size_t)d2 - 1);
	if (!plain(name, ":/") || !plain(ver, ":/") || !plain(rel, ":/")) {
		feed_warn(b->ctx, "%s.nvr \"%.*s\": not name-version-release: skipped", path, (int)nvr.len, nvr.ptr);
		return 0;
	}
	if (!build_epoch(json_object_get(bu, "epoch"), &epoch)) {
		feed_warn(b->ctx, "%s.epoch: not a number: skipped", path);
		return 0;
	}
	snprintf(evr, sizeof(evr), "%llu:%.*s-%.*s", epoch, (int)ver.len, ver.ptr, (int)rel.len, rel.ptr);
	*a = (vigil_affected){ .namespace = feed_cstr(b->ctx, ns), .package = str(b, name), .is_source = 1,
			       .scheme = "rpm", .state = VIGIL_STATE_FIXED, .fixed = feed_cstr(b->ctx, evr) };
	if (!a->namespace || !a->package || !a->fixed)
		return vigil_error_or_oom();
	*ok = true;
	return 0;
}

static int read_builds(struct bodhi *b, json_t *u, const char *path, const char *ns, vigil_vuln *v)
{
	json_t *builds, *bu;
	char sub[128];
	size_t i, n = 0;
	int rc;
	if ((rc = vigil_json_arr(u, path, "builds", 0, VIGIL_BODHI_MAX_BUILDS, &builds)) < 0)
		return rc;
	vigil_affected *aff = json_array_size(builds)
				      ? vigil_arena_calloc(b->ctx->arena, json_array_size(builds), sizeof(*aff))
				      : NULL;
	if (json_array_size(builds) && !aff)
		return vigil_error_oom();
	json_array_foreach(builds, i, bu) {
		bool ok;
		snprintf(sub, sizeof(sub), "%s.builds[%zu]", path, i);
		if ((rc = read_build(b, bu, sub, ns, &aff[n], &ok)) < 0)
			return rc;
		n += ok;
	}
	v->affected = aff;
	v->naffected = n;
	return 0;
}

/* ---- CVEs and links ---- */

static int read_bugs(struct bodhi *b, json_t *u, const char *path)
{
	json_t *bugs, *bug, *sec, *id;
	char sub[128], link[96];
	size_t i;
	int rc;
	if ((rc = vigil_json_arr(u, path, "bugs", 0, VIGIL_BODHI_MAX_BUGS, &bugs)) < 0)
		return rc;
	json_array_foreach(bugs, i, bug) {
		vigil_slice title;
		snprintf(sub, sizeof(sub), "%s.bugs[%zu]", path, i);
		if ((rc = vigil_json_want(bug, JSON_OBJECT, sub)) < 0 ||
		    (rc = vigil_json_get(bug, sub, "security", JSON_TRUE, 0, &sec)) < 0 ||
		    (rc = vigil_json_get(bug, sub, "bug_id", JSON_INTEGER, 0, &id)) < 0 ||
		    (rc = vigil_json_str(bug, sub, "title", 0, VIGIL_FEED_MAX_STRING, &title)) < 0)
			return rc;
		if (!json_is_true(sec))
			continue; /* only security bugs name the CVEs fixed (as vunnel reads them) */
		if ((rc = cves_of(b, title)) < 0)
			return rc;
		if (id && json_integer_value(id) > 0) {
			int w = snprintf(link, sizeof(link), "https://bugzilla.redhat.com/show_bug.cgi?id=%lld",
					 (long long)json_integer_value(id));
			if ((rc = list_add(b, &b->links, &b->nlinks, &b->clinks, vigil_slice_make(link, (size_t)w),
					   "links")) < 0)
				return rc;
		}
	}
	return 0;
}

/* ---- one update ---- */

struct upd {
	vigil_slice alias, type, status, severity, title, display, notes, url, stable, pushed, submitted, modified,
		rname;
};

static int read_fields(json_t *u, const char *path, struct upd *f)
{
	json_t *rel;
	char sub[128];
	int rc;
	snprintf(sub, sizeof(sub), "%s.release", path);
	if ((rc = vigil_json_str(u, path, "alias", VIGIL_JSON_TRIM, VIGIL_BODHI_MAX_NVR, &f->alias)) < 0 ||
	    (rc = vigil_json_str(u, path, "type", 0, VIGIL_BODHI_MAX_WORD, &f->type)) < 0 ||
	    (rc = vigil_json_str(u, path, "status", 0, VIGIL_BODHI_MAX_WORD, &f->status)) < 0 ||
	    (rc = vigil_json_str(u, path, "severity", 0, VIGIL_BODHI_MAX_WORD, &f->severity)) < 0 ||
	    (rc = vigil_json_str(u, path, "title", 0, VIGIL_FEED_MAX_STRING, &f->title)) < 0 ||
	    (rc = vigil_json_str(u, path, "display_name", 0, VIGIL_FEED_MAX_STRING, &f->display)) < 0 ||
	    (rc = vigil_json_str(u, path, "notes", 0, VIGIL_FEED_MAX_STRING, &f->notes)) < 0 ||
	    (rc = vigil_json_str(u, path, "url", 0, VIGIL_FEED_MAX_STRING, &f->url)) < 0 ||
	    (rc = vigil_json_str(u, path, "date_stable", 0, VIGIL_BODHI_MAX_WORD, &f->stable)) < 0 ||
	    (rc = vigil_json_str(u, path, "date_pushed", 0, VIGIL_BODHI_MAX_WORD, &f->pushed)) < 0 ||
	    (rc = vigil_json_str(u, path, "date_submitted", 0, VIGIL_BODHI_MAX_WORD, &f->submitted)) < 0 ||
	    (rc = vigil_json_str(u, path, "date_modified", 0, VIGIL_BODHI_MAX_WORD, &f->modified)) < 0 ||
	    (rc = vigil_json_obj(u, path, "release", 0, &rel)) < 0 ||
	    (rc = vigil_json_str(rel, sub, "name", 0, VIGIL_BODHI_MAX_WORD, &f->rname)) < 0)
		return rc;
	return 0;
}

static int read_update(struct bodhi *b, json_t *u, const char *path)
{
	struct upd f;
	char ns[32], link[VIGIL_BODHI_MAX_NVR + 64];
	vigil_vuln v = { .cvss3_score = -1, .cvss2_score = -1 };
	int rc;
	b->naliases = b->nlinks = 0;
	if ((rc = vigil_json_want(u, JSON_OBJECT, path)) < 0 || (rc = read_fields(u, path, &f)) < 0)
		return rc;
	if (f.status.len && !vigil_slice_eq_cstr(f.status, "stable")) {
		b->not_stable++;
		return 0;
	}
	if (f.type.len && !vigil_slice_eq_cstr(f.type, "security")) {
		b->not_security++;
		return 0;
	}
	if (!release_namespace(f.rname, ns)) {
		note_other_release(b, f.rname);
		return 0;
	}
	if (!plain(f.alias, "")) {
		feed_warn(b->ctx, "%s: no alias (never pushed): skipped", path);
		return 0;
	}
	if (!f.url.len) {
		int w = snprintf(link, sizeof(link), "https://bodhi.fedoraproject.org/updates/%.*s", (int)f.alias.len,
				 f.alias.ptr);
		f.url = vigil_slice_make(link, (size_t)w);
	}
	/* the update's own page first, then its bugs */
	if ((rc = list_add(b, &b->links, &b->nlinks, &b->clinks, f.url, "links")) < 0 ||
	    (rc = read_builds(b, u, path, ns, &v)) < 0 || (rc = read_bugs(b, u, path)) < 0)
		return rc;
	if (!v.naffected) {
		feed_warn(b->ctx, "%s (%.*s): no rpm build: skipped", path, (int)f.alias.len, f.alias.ptr);
		return 0;
	}
	if (!b->naliases && ((rc = cves_of(b, f.display)) < 0 || (rc = cves_of(b, f.title)) < 0))
		return rc;
	v.id = str(b, f.alias);
	v.source = "fedora";
	v.summary = str(b, f.display.len ? f.display : f.title);
	v.description = str(b, f.notes);
	v.published = date_of(b, f.stable.len ? f.stable : f.pushed.len ? f.pushed : f.submitted);
	v.modified = date_of(b, f.modified.len ? f.modified : f.stable.len ? f.stable : f.pushed);
	v.vendor_severity = str(b, f.severity);
	v.severity = bodhi_severity(f.severity);
	v.aliases = list_take(b, b->aliases, b->naliases);
	v.naliases = b->naliases;
	v.links = list_take(b, b->links, b->nlinks);
	v.nlinks = b->nlinks;
	if (!v.id || vigil_error_code() == VIGIL_ENOMEM || (b->naliases && !v.aliases) || (b->nlinks && !v.links))
		return vigil_error_or_oom();
	return b->ctx->emit(b->ctx->emit_ud, &v);
}

/* ---- the document ---- */

static int read_list(struct bodhi *b, json_t *arr, const char *what)
{
	json_t *u;
	char path[64];
	size_t i;
	int rc;
	if (json_array_size(arr) > VIGIL_BODHI_MAX_UPDATES)
		return vigil_error_set(VIGIL_ELIMIT, "%s: %zu updates (limit %d)", what, json_array_size(arr),
				       VIGIL_BODHI_MAX_UPDATES);
	json_array_foreach(arr, i, u) {
		snprintf(path, sizeof(path), "%s[%zu]", what, i);
		if ((rc = read_update(b, u, path)) < 0)
			return rc;
	}
	return 0;
}

static void warn_skipped(struct bodhi *b)
{
	if (b->not_stable)
		feed_warn(b->ctx, "%zu updates not stable (testing, obsolete, unpushed...): skipped", b->not_stable);
	if (b->not_security)
		feed_warn(b->ctx, "%zu updates not of type security: skipped", b->not_security);
	if (b->other_release) {
		char names[sizeof(b->other_names) + 16] = "";
		size_t at = 0, n = 0;
		for (size_t i = 0; i < b->nnamed; i++) {
			const char *one = b->other_names + at;
			n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s", i ? ", " : "", one);
			at += strlen(one) + 1;
		}
		feed_warn(b->ctx, "%zu updates of releases other than Fedora's (%s): skipped", b->other_release, names);
	}
}

int feed_fedora_bodhi(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	struct bodhi b = { .ctx = ctx };
	json_error_t jerr;
	json_t *root = NULL, *updates;
	int rc;

	if (!ctx || !ctx->arena || !ctx->emit || (!data && len))
		return vigil_error_set(VIGIL_EINVAL, "feed_fedora_bodhi: bad arguments");
	if (len > VIGIL_BODHI_MAX_SIZE)
		return vigil_error_set(VIGIL_ELIMIT, "Bodhi document of %zu bytes (limit VIGIL_BODHI_MAX_SIZE)", len);
	root = json_loadb(data ? data : "", len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		char text[160];
		return vigil_error_set(VIGIL_EFORMAT, "JSON: line %d column %d: %s", jerr.line, jerr.column,
				       vigil_json_error_text(&jerr, text, sizeof(text)));
	}
	vigil_error_clear();
	if (json_is_array(root)) {
		rc = read_list(&b, root, "");
	} else if (!json_is_object(root)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "(document root): not an object or an array");
	} else if ((rc = vigil_json_get(root, "", "updates", JSON_ARRAY, 0, &updates)) < 0) {
		/* a member "updates" that is not an array */
	} else if (updates) {
		rc = read_list(&b, updates, "updates");
	} else if (json_object_get(root, "alias") || json_object_get(root, "builds")) {
		rc = read_update(&b, root, "(update)");
	} else {
		rc = vigil_error_set(VIGIL_EFORMAT,
				     "no \"updates\", \"alias\" or \"builds\": not a Bodhi update or /updates/ page");
	}
	if (rc == 0)
		warn_skipped(&b);
	free(b.aliases);
	free(b.links);
	json_decref(root);
	return rc;
}

/* ---- sniffing ---- */

/* "key" then blanks, ':', blanks and then prefix, anywhere in p[0..n). */
static bool has_member(const char *p, size_t n, const char *key, const char *prefix)
{
	size_t k = strlen(key), m = strlen(prefix);
	for (size_t i = 0; i + k <= n; i++) {
		if (p[i] != '"' || memcmp(p + i, key, k) != 0)
			continue;
		size_t j = i + k;
		while (j < n && (p[j] == ' ' || p[j] == '\t' || p[j] == '\r' || p[j] == '\n'))
			j++;
		if (j >= n || p[j++] != ':')
			continue;
		while (j < n && (p[j] == ' ' || p[j] == '\t' || p[j] == '\r' || p[j] == '\n'))
			j++;
		if (j + m <= n && memcmp(p + j, prefix, m) == 0)
			return true;
	}
	return false;
}

/* A Bodhi page ("updates": [ and its paging keys, or an update's alias)
 * or one update ("alias": "FEDORA-..." with its builds). */
bool feed_fedora_sniff(const char *base, const char *p, size_t n)
{
	(void)base;
	if (!n || (p[0] != '{' && p[0] != '['))
		return false;
	bool fedora_alias = has_member(p, n, "\"alias\"", "\"FEDORA-");
	if (has_member(p, n, "\"updates\"", "["))
		return fedora_alias || has_member(p, n, "\"rows_per_page\"", "");
	return fedora_alias && (has_member(p, n, "\"builds\"", "[") || has_member(p, n, "\"release\"", "{"));
}
