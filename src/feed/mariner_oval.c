/* feed/mariner_oval.c: Azure Linux and CBL-Mariner OVAL (OVAL 5.11, one
 * file per release from microsoft/AzureLinuxVulnerabilityData and
 * microsoft/CBL-MarinerVulnerabilityData: azurelinux-3.0-oval.xml,
 * cbl-mariner-2.0-oval.xml, cbl-mariner-1.0-oval.xml).
 *
 * Each <definition> (class "vulnerability") is one CVE for one package:
 * the id is its CVE <reference> (else the title's first word), the severity
 * its <severity> (mar_severity(), the vendor's word kept), the entries come
 * from its criteria's linux-def:rpminfo_test: object name = binary rpm
 * name, state <evr> = the version bound. The criteria of one AND group are
 * combined per package into one entry:
 *   "less than X" alone                -> FIXED, fixed X
 *   "less than or equal X"             -> AFFECTED, range [introduced 0, last_affected X]
 *   a "greater than (or equal) Y" too  -> AFFECTED, range [introduced Y, fixed/last_affected X]
 *     (a lower bound below 0.0.1, the generator's "greater than 0.0.0", is dropped)
 *   no version state                   -> NOT_FIXED
 *   <patchable>Not Applicable</patchable> -> NOT_AFFECTED
 * An OR group gives each of its criteria its own alternative; the
 * alternatives of one package are folded into one AFFECTED entry with a
 * range each (a FIXED one as [0, fixed)), which the matcher ORs. Versions
 * are kept as written ("0:7.82.0-1.cm1", scheme rpm).
 *
 * The definitions name no release (the platform is just "CBL-Mariner"), so
 * the namespace comes from the file name (cbl-mariner-2.0[-preview]-oval.xml
 * -> "mariner:2.0", azurelinux-3.0-oval.xml -> "azurelinux:3.0"), checked
 * against the family its <generator> names; a file whose name gives no
 * release, or whose generator is the other family's, is refused. The
 * document is read with the shared streaming reader (feed/oval_read.c).
 * Decisions and the severity table in docs/feeds-mariner.md. */
#include "feed/mariner.h"
#include "feed/oval.h"
#include "feed/redhat.h"
#include "feed/vendors.h"
#include "feed/xml_dom.h"
#include "util/error.h"
#include "vigil/version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* <criterion>s in one definition (upstream: 1 or 2). */
#define VIGIL_MARINER_MAX_CRITERIA 256
/* Nesting of <criteria> in one definition (upstream: 1). */
#define VIGIL_MARINER_MAX_DEPTH 8
/* Entries (package, group) of one definition (upstream: 1). */
#define VIGIL_MARINER_MAX_ENTRIES 64
/* Version bounds of one criterion's states (upstream: 1). */
#define VIGIL_MARINER_MAX_BOUNDS 8

/* One package of one criteria group, with its bounds. */
struct entry {
	size_t group;
	vigil_slice package;
	vigil_slice upper, lower; /* evr; len 0 = none */
	bool upper_eq, lower_eq;  /* "or equal" */
};

struct mar {
	vigil_feed_ctx *ctx;
	vigil_oval_index *ix;
	enum mar_family fam;
	char ns[8 + 1 + 10 + VIGIL_MARINER_MAX_RELEASE + 1]; /* "azurelinux:3.0" */
	/* the definition being read */
	const char *def_id;
	long def_line;
	struct entry e[VIGIL_MARINER_MAX_ENTRIES];
	size_t ne, ngroups, ncriteria;
	/* criteria skipped, told once at the end */
	uint64_t skipped;
	char skipped_first[160];
};

static int oom_or_code(void)
{
	return vigil_error_code() < 0 ? vigil_error_code() : vigil_error_oom();
}

/* ---- the release, from the file name and the generator ---- */

static int namespace_of(struct mar *m, const char *data, size_t len)
{
	enum mar_family gen = mar_generator_family(data, len);
	vigil_slice rel;
	if (!mar_name_release(m->ctx->file, &m->fam, &rel))
		return vigil_error_set(VIGIL_EFORMAT,
				       "the file name gives no release (the definitions of %s OVAL name none): "
				       "name it as upstream does (cbl-mariner-2.0-oval.xml, azurelinux-3.0-oval.xml)",
				       mar_family_word[gen == MAR_UNKNOWN ? MAR_MARINER : gen]);
	if (gen != MAR_UNKNOWN && gen != m->fam)
		return vigil_error_set(VIGIL_EFORMAT, "the file name says %s but <generator> says %s",
				       mar_family_word[m->fam], mar_family_word[gen]);
	snprintf(m->ns, sizeof(m->ns), "%s:%.*s", mar_family_name[m->fam], (int)rel.len, rel.ptr);
	return 0;
}

/* ---- criteria ---- */

static void skip_criterion(struct mar *m, const xmlNode *c, const char *why)
{
	if (m->skipped++ == 0)
		snprintf(m->skipped_first, sizeof(m->skipped_first), "line %ld: definition %s: %s", feed_xml_line(c),
			 m->def_id, why);
}

static struct entry *entry_for(struct mar *m, size_t group, vigil_slice pkg, const xmlNode *c)
{
	for (size_t i = 0; i < m->ne; i++)
		if (m->e[i].group == group && vigil_slice_eq(m->e[i].package, pkg))
			return &m->e[i];
	if (m->ne == VIGIL_MARINER_MAX_ENTRIES) {
		vigil_error_set(VIGIL_ELIMIT, "line %ld: more than %d packages in one definition (VIGIL_MARINER_MAX_ENTRIES)",
				feed_xml_line(c), VIGIL_MARINER_MAX_ENTRIES);
		return NULL;
	}
	struct entry *e = &m->e[m->ne++];
	memset(e, 0, sizeof(*e));
	e->group = group;
	e->package = pkg;
	return e;
}

static int evr_cmp(vigil_slice a, vigil_slice b)
{
	return vigil_rpm_evr_cmp(a.ptr, a.len, b.ptr, b.len);
}

/* One bound into e: two upper bounds AND-ed keep the lower, two lower
 * bounds the higher; at an equal version the strict one. */
static void add_bound(struct entry *e, enum vigil_oval_field_kind k, vigil_slice evr)
{
	bool upper = k == VIGIL_OVAL_EVR_LESS || k == VIGIL_OVAL_EVR_LESS_EQ;
	bool eq = k == VIGIL_OVAL_EVR_LESS_EQ || k == VIGIL_OVAL_EVR_GREATER_EQ;
	vigil_slice *b = upper ? &e->upper : &e->lower;
	bool *beq = upper ? &e->upper_eq : &e->lower_eq;
	int c = b->len ? evr_cmp(evr, *b) : 0;
	if (!b->len || (upper ? c < 0 : c > 0) || (c == 0 && !eq)) {
		*b = evr;
		*beq = eq;
	}
}

/* "0: 1.20.10-1.azl3" (one upstream state) -> "0:1.20.10-1.azl3": blanks
 * inside a version are dropped, in a copy. */
static int unblank(struct mar *m, vigil_slice v, vigil_slice *out)
{
	char buf[256];
	size_t n = 0;
	*out = v;
	if (vigil_slice_find(v, ' ') < 0 && vigil_slice_find(v, '\t') < 0)
		return 0;
	for (size_t i = 0; i < v.len && n < sizeof(buf); i++)
		if (v.ptr[i] != ' ' && v.ptr[i] != '\t')
			buf[n++] = v.ptr[i];
	if (n == sizeof(buf))
		return 0; /* too long for a version: rh_valid_evr refuses the original */
	if (!(out->ptr = feed_str(m->ctx, buf, n)))
		return oom_or_code();
	out->len = n;
	return 0;
}

static int criterion(struct mar *m, const xmlNode *c, size_t group)
{
	const struct vigil_oval_test *t = oval_test_get(m->ix, oval_attr(c, "test_ref"));
	const struct vigil_oval_object *obj;
	const char *neg = oval_attr(c, "negate");
	struct {
		enum vigil_oval_field_kind kind;
		vigil_slice evr;
	} b[VIGIL_MARINER_MAX_BOUNDS];
	size_t nb = 0;
	struct entry *e;

	if (++m->ncriteria > VIGIL_MARINER_MAX_CRITERIA)
		return vigil_error_set(VIGIL_ELIMIT, "line %ld: more than %d criteria (VIGIL_MARINER_MAX_CRITERIA)",
				       feed_xml_line(c), VIGIL_MARINER_MAX_CRITERIA);
	if (neg && strcmp(neg, "true") == 0) {
		skip_criterion(m, c, "a negated criterion");
		return 0;
	}
	if (!t) {
		skip_criterion(m, c, "a test the document does not have");
		return 0;
	}
	if (t->kind != VIGIL_OVAL_TEST_RPMINFO) {
		skip_criterion(m, c, "not an rpminfo_test");
		return 0;
	}
	if (t->check_existence && strcmp(t->check_existence, "none_exist") == 0) {
		skip_criterion(m, c, "a \"not installed\" test");
		return 0;
	}
	obj = oval_object_get(m->ix, t->object_ref);
	if (obj && obj->err.line)
		return oval_too_long(&obj->err);
	if (!obj || obj->var_ref || !rh_valid_name(obj->name)) {
		skip_criterion(m, c, "no usable package name in its rpminfo_object");
		return 0;
	}
	/* every bound checked before anything is kept */
	for (size_t i = 0; i < t->nstates; i++) {
		const struct vigil_oval_state *st = oval_state_get(m->ix, t->state_refs[i]);
		const char *why = NULL;
		if (st && st->err.line)
			return oval_too_long(&st->err);
		if (!st)
			why = "a state the document does not have";
		for (size_t k = 0; st && !why && k < st->n; k++) {
			enum vigil_oval_field_kind fk = st->f[k].kind;
			int rc;
			if (fk != VIGIL_OVAL_EVR_LESS && fk != VIGIL_OVAL_EVR_LESS_EQ && fk != VIGIL_OVAL_EVR_GREATER &&
			    fk != VIGIL_OVAL_EVR_GREATER_EQ)
				why = "a state other than an <evr> comparison (less/greater than)";
			else if (nb == VIGIL_MARINER_MAX_BOUNDS)
				why = "more than VIGIL_MARINER_MAX_BOUNDS version bounds";
			else if ((rc = unblank(m, st->f[k].value, &b[nb].evr)) < 0)
				return rc;
			else if (!rh_valid_evr(b[nb].evr))
				why = "an <evr> that is not an rpm version";
			else
				b[nb++].kind = fk;
		}
		if (why) {
			skip_criterion(m, c, why);
			return 0;
		}
	}
	if (!(e = entry_for(m, group, obj->name, c)))
		return vigil_error_code();
	for (size_t i = 0; i < nb; i++)
		add_bound(e, b[i].kind, b[i].evr);
	return 0;
}

/* An AND group's criteria are one group; an OR group's each their own. */
static int walk(struct mar *m, const xmlNode *criteria, int depth)
{
	const char *op = oval_attr(criteria, "operator");
	bool or = op && strcmp(op, "OR") == 0;
	size_t group = m->ngroups++;
	if (depth > VIGIL_MARINER_MAX_DEPTH)
		return vigil_error_set(VIGIL_ELIMIT, "line %ld: criteria nested deeper than %d (VIGIL_MARINER_MAX_DEPTH)",
				       feed_xml_line(criteria), VIGIL_MARINER_MAX_DEPTH);
	if (op && !or && strcmp(op, "AND") != 0) {
		skip_criterion(m, criteria, "a criteria operator other than AND and OR");
		return 0;
	}
	for (const xmlNode *c = criteria->children; c; c = c->next) {
		int rc = 0;
		if (feed_xml_is(c, "criteria"))
			rc = walk(m, c, depth + 1);
		else if (feed_xml_is(c, "criterion"))
			rc = criterion(m, c, or ? m->ngroups++ : group);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- records ---- */

/* The generator's "greater than 0:0.0.0.azl3": no bound at all. */
static bool trivial_lower(vigil_slice evr)
{
	static const char floor[] = "0:0.0.1";
	return vigil_rpm_evr_cmp(evr.ptr, evr.len, floor, sizeof(floor) - 1) < 0;
}

static int fill_entry(struct mar *m, const struct entry *e, bool not_applicable, vigil_affected *a)
{
	vigil_slice lower = e->lower.len && !trivial_lower(e->lower) ? e->lower : vigil_slice_make("", 0);
	a->namespace = feed_cstr(m->ctx, m->ns);
	a->package = feed_str(m->ctx, e->package.ptr, e->package.len);
	a->scheme = "rpm";
	if (!a->namespace || !a->package)
		return oom_or_code();
	if (not_applicable) {
		a->state = VIGIL_STATE_NOT_AFFECTED;
		return 0;
	}
	if (!e->upper.len && !lower.len) {
		a->state = e->lower.len ? VIGIL_STATE_AFFECTED : VIGIL_STATE_NOT_FIXED;
		return 0;
	}
	if (e->upper.len && !e->upper_eq && !lower.len) {
		a->state = VIGIL_STATE_FIXED;
		if (!(a->fixed = feed_str(m->ctx, e->upper.ptr, e->upper.len)))
			return oom_or_code();
		return 0;
	}
	vigil_range *rg = vigil_arena_calloc(m->ctx->arena, 1, sizeof(*rg));
	vigil_range_event *ev = vigil_arena_calloc(m->ctx->arena, 2, sizeof(*ev));
	if (!rg || !ev)
		return vigil_error_oom();
	ev[0].kind = VIGIL_EVENT_INTRODUCED;
	ev[0].version = lower.len ? feed_str(m->ctx, lower.ptr, lower.len) : "0";
	rg->nevents = 1;
	if (e->upper.len) {
		ev[1].kind = e->upper_eq ? VIGIL_EVENT_LAST_AFFECTED : VIGIL_EVENT_FIXED;
		ev[1].version = feed_str(m->ctx, e->upper.ptr, e->upper.len);
		rg->nevents = 2;
		if (!ev[1].version)
			return oom_or_code();
	}
	if (!ev[0].version)
		return oom_or_code();
	rg->type = "ECOSYSTEM";
	rg->events = ev;
	a->state = VIGIL_STATE_AFFECTED;
	a->ranges = rg;
	a->nranges = 1;
	return 0;
}

static int text(struct mar *m, const xmlNode *n, vigil_slice *out)
{
	int rc = oval_text(m->ctx, n, out);
	*out = vigil_slice_trim(*out);
	return rc;
}

/* *out = a copy of s, NULL when s is empty. */
static int dup(struct mar *m, vigil_slice s, const char **out)
{
	*out = s.len ? feed_str(m->ctx, s.ptr, s.len) : NULL;
	return s.len && !*out ? oom_or_code() : 0;
}

/* A CVE id: "CVE-" then digits and dashes, at most 32 bytes. */
static bool cve_id(vigil_slice s)
{
	if (s.len < 9 || s.len > 32 || !vigil_slice_starts_with(s, "CVE-"))
		return false;
	for (size_t i = 4; i < s.len; i++)
		if (!((s.ptr[i] >= '0' && s.ptr[i] <= '9') || s.ptr[i] == '-'))
			return false;
	return true;
}

/* Id, links, summary, description, severity, date; *na for "Not Applicable". */
static int read_metadata(struct mar *m, const xmlNode *md, vigil_vuln *v, bool *na)
{
	const char *links[2];
	size_t nlinks = 0;
	vigil_slice s, title;
	int rc;
	if ((rc = text(m, feed_xml_child(md, "title"), &title)) < 0)
		return rc;
	for (const xmlNode *r = feed_xml_child(md, "reference"); r; r = r->next) {
		vigil_slice id = vigil_slice_trim(vigil_slice_cstr(oval_attr(r, "ref_id")));
		vigil_slice url = vigil_slice_trim(vigil_slice_cstr(oval_attr(r, "ref_url")));
		if (!feed_xml_is(r, "reference"))
			continue;
		if (!v->id && cve_id(id) && (rc = dup(m, id, &v->id)) < 0)
			return rc;
		if (url.len && url.len < 2048 && nlinks < 2 && (rc = dup(m, url, &links[nlinks++])) < 0)
			return rc;
	}
	if (!v->id) { /* "CVE-2021-22945 affecting package curl 7.76.0" */
		ptrdiff_t sp = vigil_slice_find(title, ' ');
		vigil_slice first = sp < 0 ? title : vigil_slice_sub(title, 0, (size_t)sp);
		if (cve_id(first) && (rc = dup(m, first, &v->id)) < 0)
			return rc;
	}
	if (nlinks) {
		const char **l = vigil_arena_calloc(m->ctx->arena, nlinks, sizeof(*l));
		if (!l)
			return vigil_error_oom();
		memcpy(l, links, nlinks * sizeof(*l));
		v->links = l;
		v->nlinks = nlinks;
	}
	if ((rc = dup(m, title, &v->summary)) < 0 || (rc = text(m, feed_xml_child(md, "description"), &s)) < 0 ||
	    (rc = dup(m, s, &v->description)) < 0 || (rc = text(m, feed_xml_child(md, "severity"), &s)) < 0 ||
	    (rc = dup(m, s, &v->vendor_severity)) < 0)
		return rc;
	v->severity = mar_severity(s);
	if ((rc = text(m, feed_xml_child(md, "advisory_date"), &s)) < 0 || (s.len < 64 && (rc = dup(m, s, &v->published)) < 0))
		return rc;
	if ((rc = text(m, feed_xml_child(md, "patchable"), &s)) < 0)
		return rc;
	*na = vigil_slice_eq_cstr(s, "Not Applicable");
	return 0;
}

/* The ranges an entry stands for: its own, or [0, fixed) for a FIXED one. */
static size_t ranges_of(const vigil_affected *a, vigil_range *out, vigil_range_event *ev)
{
	if (a->state != VIGIL_STATE_FIXED) {
		memcpy(out, a->ranges, a->nranges * sizeof(*out));
		return a->nranges;
	}
	ev[0] = (vigil_range_event){ VIGIL_EVENT_INTRODUCED, "0" };
	ev[1] = (vigil_range_event){ VIGIL_EVENT_FIXED, a->fixed };
	*out = (vigil_range){ "ECOSYSTEM", ev, 2 };
	return 1;
}

/* b into a (one package, two alternatives of an OR group): one AFFECTED
 * entry with the ranges of both, which the matcher ORs; "no version
 * bound" in either is every version (NOT_FIXED). */
static int fold(struct mar *m, vigil_affected *a, const vigil_affected *b)
{
	vigil_range *rg;
	vigil_range_event *ev;
	size_t n;
	if (a->state == VIGIL_STATE_NOT_AFFECTED || a->state == VIGIL_STATE_NOT_FIXED)
		return 0;
	if (b->state == VIGIL_STATE_NOT_FIXED) {
		a->state = VIGIL_STATE_NOT_FIXED;
		a->fixed = NULL, a->ranges = NULL, a->nranges = 0;
		return 0;
	}
	n = (a->state == VIGIL_STATE_FIXED ? 1 : a->nranges) + (b->state == VIGIL_STATE_FIXED ? 1 : b->nranges);
	if (!(rg = vigil_arena_calloc(m->ctx->arena, n, sizeof(*rg))) ||
	    !(ev = vigil_arena_calloc(m->ctx->arena, 4, sizeof(*ev))))
		return vigil_error_oom();
	n = ranges_of(a, rg, ev);
	n += ranges_of(b, rg + n, ev + 2);
	a->state = VIGIL_STATE_AFFECTED;
	a->fixed = NULL;
	a->ranges = rg;
	a->nranges = n;
	return 0;
}

static int emit(struct mar *m, vigil_vuln *v, bool na)
{
	vigil_affected *aff = m->ne ? vigil_arena_calloc(m->ctx->arena, m->ne, sizeof(*aff)) : NULL;
	size_t n = 0;
	int rc;
	if (m->ne && !aff)
		return vigil_error_oom();
	for (size_t i = 0; i < m->ne; i++) {
		vigil_affected a = { 0 };
		size_t k = 0;
		if ((rc = fill_entry(m, &m->e[i], na, &a)) < 0)
			return rc;
		a.vendor_severity = v->vendor_severity; /* per package: one CVE, several packages */
		a.severity = v->severity;
		while (k < n && strcmp(aff[k].package, a.package) != 0)
			k++;
		if (k == n)
			aff[n++] = a;
		else if ((rc = fold(m, &aff[k], &a)) < 0)
			return rc;
	}
	v->affected = aff;
	v->naffected = n;
	if (!(v->source = feed_cstr(m->ctx, mar_family_name[m->fam])))
		return oom_or_code();
	return m->ctx->emit(m->ctx->emit_ud, v);
}

static int definition(void *ud, const xmlNode *def)
{
	struct mar *m = ud;
	const char *cls = oval_attr(def, "class");
	const xmlNode *md = feed_xml_child(def, "metadata"), *crit = feed_xml_child(def, "criteria");
	vigil_vuln v = { .cvss3_score = -1, .cvss2_score = -1 };
	bool na = false;
	int rc;

	if (!cls || strcmp(cls, "vulnerability") != 0)
		return 0; /* inventory, patch: none upstream */
	m->def_id = oval_attr(def, "id") ? oval_attr(def, "id") : "(no id)";
	m->def_line = feed_xml_line(def);
	m->ne = m->ngroups = m->ncriteria = 0;
	if (!md) {
		feed_warn(m->ctx, "line %ld: definition %s: no <metadata>: skipped", m->def_line, m->def_id);
		return 0;
	}
	vigil_error_clear();
	if ((rc = read_metadata(m, md, &v, &na)) < 0 || (crit && (rc = walk(m, crit, 0)) < 0))
		goto fail;
	if (!v.id) {
		feed_warn(m->ctx, "line %ld: definition %s: no CVE id in <reference> or <title>: skipped",
			  m->def_line, m->def_id);
		return 0;
	}
	if (m->ne == 0) {
		feed_warn(m->ctx, "line %ld: definition %s (%s): no package it can compare: skipped", m->def_line,
			  m->def_id, v.id);
		return 0;
	}
	if ((rc = emit(m, &v, na)) < 0)
		goto fail;
	return 0;
fail:
	vigil_error_prefix("definition %s (line %ld): ", m->def_id, m->def_line);
	return rc;
}

int feed_mariner_oval(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	struct mar *m = NULL;
	int rc;

	if (!ctx || !ctx->arena || !ctx->emit || (!data && len))
		return vigil_error_set(VIGIL_EINVAL, "feed_mariner_oval: bad arguments");
	if (!(m = calloc(1, sizeof(*m))))
		return vigil_error_oom();
	m->ctx = ctx;
	data = data ? data : "";
	if ((rc = namespace_of(m, data, len)) < 0 || (rc = oval_index_read(&m->ix, data, len)) < 0 ||
	    (rc = oval_each_definition(data, len, definition, m)) < 0)
		goto out;
	if (m->skipped)
		feed_warn(ctx, "%llu criteria skipped, the first: %s", (unsigned long long)m->skipped,
			  m->skipped_first);
out:
	oval_index_free(m->ix);
	free(m);
	return rc;
}
