/* feed/debian_list.c: the Debian security tracker's own text lists
 * (data/DSA/list, data/DLA/list, data/CVE/list of its repository). Each
 * entry is a header line at column 0 followed by indented lines:
 *   [01 Aug 2002] DSA-141 mpack - buffer overflow       (an advisory)
 *   CVE-2021-36367 (PuTTY through 0.75 proceeds ...)      (a CVE)
 *   	{CVE-2002-1425}                 (an advisory's CVEs: its aliases)
 *   	[woody] - mpack 1.5-7woody2     (fixed in that release)
 *   	- putty 0.75-3 (low; bug #990901)        (unstable, i.e. sid)
 *   	[buster] - putty <no-dsa> (Minor issue)  (a <tag> instead of a version)
 *   	NOTE: / TODO: / NOT-FOR-US: / RESERVED / REJECTED
 * Advisories and CVEs may be mixed in one input. Each entry becomes one
 * vulnerability (source "debian") with one affected entry per package line
 * of a release the codename table knows ("debian:10", "debian:unstable");
 * REJECTED and placeholder (CVE-YYYY-XXXX) CVEs and CVEs without a usable
 * package line are not emitted. Mapping: docs/feeds-debian-ubuntu.md. */
#include "feed/feed.h"
#include "util/error.h"
#include "util/grow.h"
#include "util/slice.h"
#include "util/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of one line. */
#define VIGIL_DEBIAN_LIST_MAX_LINE ((size_t)64 * 1024)
/* Length of an id, a package name or a release name. */
#define VIGIL_DEBIAN_LIST_MAX_NAME ((size_t)256)
/* Distinct unknown releases warned about one by one in an input. */
#define VIGIL_DEBIAN_LIST_MAX_RELEASE_WARN 32

enum entry_kind { E_NONE, E_ADVISORY, E_CVE, E_SKIP };

struct pkg_line {
	const char *version; /* "10": static, from the codename table */
	vigil_slice pkg, fixed, urgency;
	vigil_vuln_state state;
};

struct unknown_release {
	char name[32];
	size_t count;
};

struct dlist {
	vigil_feed_ctx *ctx;
	size_t lineno;
	enum entry_kind kind;
	vigil_slice id, text;
	char date[11];
	bool rejected;
	vigil_slice *aliases;
	size_t naliases, aaliases;
	struct pkg_line *pkgs;
	size_t npkgs, apkgs;
	struct unknown_release unknown[VIGIL_DEBIAN_LIST_MAX_RELEASE_WARN];
	size_t nunknown, unknown_more;
	const char *ns_ver[16], *ns_str[16];
	size_t nns;
};

static int grow(void **p, size_t *alloc, size_t n, size_t size, size_t max, const char *what,
		size_t lineno)
{
	int rc = vigil_grow(p, alloc, n, size, 16, max);
	if (rc == VIGIL_ELIMIT)
		return vigil_error_set(VIGIL_ELIMIT, "line %zu: more than %zu %s in one entry", lineno, max, what);
	return rc;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The first word of *s, taken off it. */
static vigil_slice take_word(vigil_slice *s)
{
	size_t i = 0;
	while (i < s->len && !is_blank(s->ptr[i]))
		i++;
	vigil_slice w = vigil_slice_sub(*s, 0, i);
	*s = vigil_slice_trim(vigil_slice_sub(*s, i, s->len));
	return w;
}

static bool all_digits(vigil_slice s)
{
	for (size_t i = 0; i < s.len; i++)
		if (s.ptr[i] < '0' || s.ptr[i] > '9')
			return false;
	return s.len > 0;
}

/* "01 Aug 2002" -> "2002-08-01". */
static bool parse_date(vigil_slice s, char out[11])
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	if (s.len != 11 || s.ptr[2] != ' ' || s.ptr[6] != ' ' || !all_digits(vigil_slice_sub(s, 0, 2)) ||
	    !all_digits(vigil_slice_sub(s, 7, 4)))
		return false;
	for (int m = 0; m < 12; m++)
		if (memcmp(months + 3 * m, s.ptr + 3, 3) == 0) {
			snprintf(out, 11, "%.4s-%02d-%.2s", s.ptr + 7, m + 1, s.ptr);
			return true;
		}
	return false;
}

/* "DSA-141", "DSA-4480-1", "DLA-3380-1". */
static bool advisory_id(vigil_slice id)
{
	vigil_slice kind, rest, num, rev;
	if (id.len > VIGIL_DEBIAN_LIST_MAX_NAME || !vigil_slice_split(id, '-', &kind, &rest) || kind.len == 0)
		return false;
	for (size_t i = 0; i < kind.len; i++)
		if (kind.ptr[i] < 'A' || kind.ptr[i] > 'Z')
			return false;
	if (!vigil_slice_split(rest, '-', &num, &rev))
		return all_digits(rest);
	return all_digits(num) && all_digits(rev);
}

static void reset_entry(struct dlist *l)
{
	l->kind = E_NONE;
	l->id = l->text = (vigil_slice){ NULL, 0 };
	l->date[0] = '\0';
	l->rejected = false;
	l->naliases = l->npkgs = 0;
}

static const char *namespace_of(struct dlist *l, const char *version)
{
	char buf[64];
	for (size_t i = 0; i < l->nns; i++)
		if (l->ns_ver[i] == version)
			return l->ns_str[i];
	snprintf(buf, sizeof(buf), "debian:%s", version);
	const char *s = feed_cstr(l->ctx, buf);
	if (s && l->nns < sizeof(l->ns_ver) / sizeof(l->ns_ver[0])) {
		l->ns_ver[l->nns] = version;
		l->ns_str[l->nns++] = s;
	}
	return s;
}

static void note_unknown_release(struct dlist *l, vigil_slice rel)
{
	for (size_t i = 0; i < l->nunknown; i++)
		if (vigil_slice_eq_cstr(rel, l->unknown[i].name)) {
			l->unknown[i].count++;
			return;
		}
	if (l->nunknown < VIGIL_DEBIAN_LIST_MAX_RELEASE_WARN && rel.len < sizeof(l->unknown[0].name)) {
		memcpy(l->unknown[l->nunknown].name, rel.ptr, rel.len);
		l->unknown[l->nunknown].name[rel.len] = '\0';
		l->unknown[l->nunknown++].count = 1;
	} else {
		l->unknown_more++;
	}
}

static int fill_affected(struct dlist *l, const struct pkg_line *p, vigil_affected *a, vigil_vuln *v)
{
	vigil_feed_ctx *ctx = l->ctx;
	*a = (vigil_affected){ .is_source = 1, .scheme = "dpkg", .state = p->state };
	a->namespace = namespace_of(l, p->version);
	a->package = feed_str(ctx, p->pkg.ptr, p->pkg.len);
	if (p->fixed.len)
		a->fixed = feed_str(ctx, p->fixed.ptr, p->fixed.len);
	if (p->urgency.len) {
		a->vendor_severity = feed_str(ctx, p->urgency.ptr, p->urgency.len);
		a->severity = feed_severity_debian(a->vendor_severity);
	}
	if (!a->namespace || !a->package || (p->fixed.len && !a->fixed) || (p->urgency.len && !a->vendor_severity))
		return vigil_error_code() < 0 ? vigil_error_code() : vigil_error_oom();
	if (a->vendor_severity && (!v->vendor_severity || a->severity > v->severity)) {
		v->vendor_severity = a->vendor_severity;
		v->severity = a->severity;
	}
	return 0;
}

static int emit_entry(struct dlist *l)
{
	vigil_feed_ctx *ctx = l->ctx;
	vigil_vuln v = { .source = "debian", .cvss3_score = -1, .cvss2_score = -1 };
	char url[VIGIL_DEBIAN_LIST_MAX_NAME + 64];
	int rc;
	if (!(v.id = feed_str(ctx, l->id.ptr, l->id.len)))
		return vigil_error_code();
	if (l->text.len) {
		const char *t = feed_str(ctx, l->text.ptr, l->text.len);
		if (!t)
			return vigil_error_code();
		if (l->kind == E_ADVISORY)
			v.summary = t;
		else
			v.description = t;
	}
	if (l->date[0] && !(v.published = feed_cstr(ctx, l->date)))
		return vigil_error_code();
	snprintf(url, sizeof(url), "https://security-tracker.debian.org/tracker/%s", v.id);
	const char **links = vigil_arena_calloc(ctx->arena, 1, sizeof(*links));
	if (!links || !(links[0] = feed_cstr(ctx, url)))
		return vigil_error_code();
	v.links = links;
	v.nlinks = 1;
	if (l->naliases) {
		const char **al = vigil_arena_calloc(ctx->arena, l->naliases, sizeof(*al));
		if (!al)
			return vigil_error_code();
		for (size_t i = 0; i < l->naliases; i++)
			if (!(al[i] = feed_str(ctx, l->aliases[i].ptr, l->aliases[i].len)))
				return vigil_error_code();
		v.aliases = al;
		v.naliases = l->naliases;
	}
	if (l->npkgs) {
		vigil_affected *aff = vigil_arena_calloc(ctx->arena, l->npkgs, sizeof(*aff));
		if (!aff)
			return vigil_error_code();
		for (size_t i = 0; i < l->npkgs; i++)
			if ((rc = fill_affected(l, &l->pkgs[i], &aff[i], &v)) < 0)
				return rc;
		v.affected = aff;
		v.naffected = l->npkgs;
	}
	rc = ctx->emit(ctx->emit_ud, &v);
	return rc < 0 ? rc : 0;
}

static int finish_entry(struct dlist *l)
{
	int rc = 0;
	if (l->kind == E_ADVISORY || (l->kind == E_CVE && !l->rejected && l->npkgs > 0))
		rc = emit_entry(l);
	reset_entry(l);
	return rc;
}

static int header_line(struct dlist *l, vigil_slice line)
{
	int rc = finish_entry(l);
	if (rc < 0)
		return rc;
	l->kind = E_SKIP;
	if (line.ptr[0] == '[') { /* [01 Aug 2002] DSA-141 mpack - buffer overflow */
		vigil_slice date, rest;
		vigil_slice_split(vigil_slice_sub(line, 1, line.len), ']', &date, &rest);
		rest = vigil_slice_trim(rest);
		l->id = take_word(&rest);
		if (!advisory_id(l->id)) {
			feed_warn(l->ctx, "line %zu: not an advisory header: skipped", l->lineno);
			return 0;
		}
		if (!parse_date(date, l->date))
			feed_warn(l->ctx, "line %zu: %.*s: bad date '%.*s'", l->lineno, (int)l->id.len,
					l->id.ptr, (int)(date.len > 32 ? 32 : date.len), date.ptr);
		l->text = rest;
		l->kind = E_ADVISORY;
		return 0;
	}
	vigil_slice rest = line;
	l->id = take_word(&rest);
	vigil_slice year, num;
	if (vigil_slice_starts_with(l->id, "CVE-") &&
	    vigil_slice_split(vigil_slice_sub(l->id, 4, l->id.len), '-', &year, &num) &&
	    vigil_slice_eq_cstr(num, "XXXX")) {
		feed_warn(l->ctx, "line %zu: placeholder %.*s: skipped", l->lineno, (int)l->id.len,
				l->id.ptr);
		return 0;
	}
	if (!vigil_slice_starts_with(l->id, "CVE-") || l->id.len > VIGIL_DEBIAN_LIST_MAX_NAME ||
	    !vigil_slice_split(vigil_slice_sub(l->id, 4, l->id.len), '-', &year, &num) ||
	    year.len != 4 || !all_digits(year) || num.len < 4 || !all_digits(num)) {
		feed_warn(l->ctx, "line %zu: not an entry header: skipped", l->lineno);
		return 0;
	}
	if (rest.len >= 2 && ((rest.ptr[0] == '(' && rest.ptr[rest.len - 1] == ')') ||
			      (rest.ptr[0] == '[' && rest.ptr[rest.len - 1] == ']')))
		rest = vigil_slice_trim(vigil_slice_sub(rest, 1, rest.len - 2));
	l->text = rest;
	l->kind = E_CVE;
	return 0;
}

static int alias_line(struct dlist *l, vigil_slice s)
{
	ptrdiff_t end = vigil_slice_find(s, '}');
	if (end < 0) {
		feed_warn(l->ctx, "line %zu: '{' without '}'", l->lineno);
		end = (ptrdiff_t)s.len;
	}
	s = vigil_slice_trim(vigil_slice_sub(s, 1, (size_t)end - 1));
	while (s.len) {
		vigil_slice w = take_word(&s);
		int rc = grow((void **)&l->aliases, &l->aaliases, l->naliases, sizeof(*l->aliases),
			      VIGIL_FEED_MAX_REFS, "aliases", l->lineno);
		if (rc < 0)
			return rc;
		l->aliases[l->naliases++] = w;
	}
	return 0;
}

/* "<tag>" -> state; false when the line is to be skipped. */
static bool tag_state(struct dlist *l, vigil_slice tag, vigil_vuln_state *state)
{
	static const struct {
		const char *tag;
		vigil_vuln_state state;
	} tags[] = {
		{ "not-affected", VIGIL_STATE_NOT_AFFECTED }, { "unfixed", VIGIL_STATE_NOT_FIXED },
		{ "undetermined", VIGIL_STATE_NOT_FIXED },    { "postponed", VIGIL_STATE_NOT_FIXED },
		{ "removed", VIGIL_STATE_NOT_FIXED },         { "no-dsa", VIGIL_STATE_WILL_NOT_FIX },
		{ "ignored", VIGIL_STATE_WILL_NOT_FIX },      { "end-of-life", VIGIL_STATE_WILL_NOT_FIX },
	};
	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (vigil_slice_eq_cstr(tag, tags[i].tag)) {
			*state = tags[i].state;
			return true;
		}
	if (!vigil_slice_eq_cstr(tag, "itp")) /* <itp>: not in Debian yet */
		feed_warn(l->ctx, "line %zu: unknown tag <%.*s>: skipped", l->lineno,
				(int)(tag.len > 32 ? 32 : tag.len), tag.ptr);
	return false;
}

/* "(bug #990901; low)" -> "low". */
static vigil_slice urgency_of(vigil_slice s)
{
	vigil_slice item, rest;
	char word[32];
	if (!s.len || s.ptr[0] != '(')
		return (vigil_slice){ NULL, 0 };
	s = vigil_slice_sub(s, 1, s.len);
	if (vigil_slice_find(s, ')') >= 0)
		s.len = (size_t)vigil_slice_find(s, ')');
	while (s.len) {
		if (!vigil_slice_split(s, ';', &item, &rest))
			rest = (vigil_slice){ NULL, 0 };
		item = vigil_slice_trim(item);
		s = rest;
		if (item.len == 0 || item.len >= sizeof(word))
			continue;
		memcpy(word, item.ptr, item.len);
		word[item.len] = '\0';
		if (feed_severity_debian(word) != VIGIL_SEV_UNKNOWN)
			return item;
	}
	return (vigil_slice){ NULL, 0 };
}

/* "[buster] - putty <no-dsa> (Minor issue)" or "- putty 0.75-3 (low; bug #990901)". */
static int package_line(struct dlist *l, vigil_slice s)
{
	struct pkg_line p = { 0 };
	vigil_slice rel = VIGIL_SLICE_LIT("sid"), rest;
	char name[64];
	if (s.ptr[0] == '[') {
		if (!vigil_slice_split(vigil_slice_sub(s, 1, s.len), ']', &rel, &rest)) {
			feed_warn(l->ctx, "line %zu: '[' without ']'", l->lineno);
			return 0;
		}
		s = vigil_slice_trim(rest);
	}
	if (s.len < 2 || s.ptr[0] != '-' || !is_blank(s.ptr[1])) {
		feed_warn(l->ctx, "line %zu: not a package line", l->lineno);
		return 0;
	}
	s = vigil_slice_trim(vigil_slice_sub(s, 1, s.len));
	p.pkg = take_word(&s);
	if (p.pkg.len == 0 || p.pkg.len > VIGIL_DEBIAN_LIST_MAX_NAME) {
		feed_warn(l->ctx, "line %zu: no package name", l->lineno);
		return 0;
	}
	p.version = NULL;
	if (rel.len && rel.len < sizeof(name) && vigil_slice_find(rel, '/') < 0) {
		memcpy(name, rel.ptr, rel.len);
		name[rel.len] = '\0';
		p.version = feed_debian_release_version(name);
	}
	if (!p.version) {
		note_unknown_release(l, rel);
		return 0;
	}
	if (s.len && s.ptr[0] == '<') {
		ptrdiff_t end = vigil_slice_find(s, '>');
		if (end < 0) {
			feed_warn(l->ctx, "line %zu: '<' without '>'", l->lineno);
			return 0;
		}
		if (!tag_state(l, vigil_slice_sub(s, 1, (size_t)end - 1), &p.state))
			return 0;
		s = vigil_slice_trim(vigil_slice_sub(s, (size_t)end + 1, s.len));
	} else {
		p.fixed = take_word(&s);
		p.state = VIGIL_STATE_FIXED;
		if (p.fixed.len == 0 || p.fixed.ptr[0] == '(') {
			feed_warn(l->ctx, "line %zu: %.*s without a version or tag: skipped", l->lineno,
					(int)p.pkg.len, p.pkg.ptr);
			return 0;
		}
	}
	p.urgency = urgency_of(s);
	int rc = grow((void **)&l->pkgs, &l->apkgs, l->npkgs, sizeof(*l->pkgs), VIGIL_FEED_MAX_AFFECTED,
		      "package lines", l->lineno);
	if (rc < 0)
		return rc;
	l->pkgs[l->npkgs++] = p;
	return 0;
}

static int body_line(struct dlist *l, vigil_slice s)
{
	if (l->kind == E_NONE || l->kind == E_SKIP)
		return 0;
	if (s.ptr[0] == '{')
		return l->kind == E_ADVISORY ? alias_line(l, s) : 0; /* a CVE's {DSA-...}: not kept */
	if (s.ptr[0] == '[' || s.ptr[0] == '-')
		return package_line(l, s);
	if (vigil_slice_eq_cstr(s, "REJECTED"))
		l->rejected = true;
	return 0; /* NOTE:, TODO:, NOT-FOR-US:, RESERVED */
}

static int parse_lines(struct dlist *l, const char *data, size_t len)
{
	vigil_slice in = vigil_slice_make(data, len), line;
	while (vigil_slice_next_line(&in, &line)) {
		int rc;
		l->lineno++;
		if (line.len > VIGIL_DEBIAN_LIST_MAX_LINE)
			return vigil_error_set(VIGIL_ELIMIT, "line %zu: %zu bytes (limit %zu)", l->lineno,
					       line.len, VIGIL_DEBIAN_LIST_MAX_LINE);
		vigil_slice t = vigil_slice_trim(line);
		if (t.len == 0)
			continue;
		rc = is_blank(line.ptr[0]) ? body_line(l, t) : header_line(l, t);
		if (rc < 0)
			return rc;
	}
	return finish_entry(l);
}

static int check_text(const char *data, size_t len)
{
	const char *nul = len ? memchr(data, '\0', len) : NULL;
	size_t bad = len ? vigil_utf8_prefix(data, len) : 0;
	if (nul && (size_t)(nul - data) <= bad)
		bad = (size_t)(nul - data);
	else
		nul = NULL;
	if (bad == len)
		return 0;
	size_t line = 1;
	for (size_t i = 0; i < bad; i++)
		line += data[i] == '\n';
	return vigil_error_set(VIGIL_EFORMAT, "line %zu: %s at offset %zu", line,
			       nul ? "NUL byte" : "invalid UTF-8", bad);
}

int feed_debian_list(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	struct dlist l = { .ctx = ctx };
	int rc;
	if (len > VIGIL_FEED_MAX_FILE)
		return vigil_error_set(VIGIL_ELIMIT, "list of %zu bytes (limit %zu)", len, VIGIL_FEED_MAX_FILE);
	if ((rc = check_text(data, len)) < 0)
		return rc;
	rc = parse_lines(&l, data, len);
	if (rc == 0) {
		for (size_t i = 0; i < l.nunknown; i++)
			feed_warn(ctx, "release '%s' is not mapped: %zu entries skipped", l.unknown[i].name,
					l.unknown[i].count);
		if (l.unknown_more)
			feed_warn(ctx, "%zu entries of further unmapped releases skipped", l.unknown_more);
	}
	free(l.aliases);
	free(l.pkgs);
	return rc;
}
