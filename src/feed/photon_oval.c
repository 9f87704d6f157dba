/* feed/photon_oval.c: Photon OS PHSA OVAL, one file per release at
 * packages.vmware.com/photon/photon_oval_definitions/
 * (com.vmware.phsa-photon<N>.xml[.gz]). Each class="patch" definition is
 * one Photon security advisory:
 *
 *   id        PHSA-<issued year>-<release>-<number>:<seq>, from the
 *             reference source="PHSA" ref_id="PHSA:<seq>:<release>:<number>"
 *             and advisory/issued@date. The advisory PHSA-2019-3.0-0036
 *             (aquasecurity/vuln-list-update's photon/oval names files so)
 *             is written as several definitions, one per package set with
 *             that set's CVEs; one record per advisory would give every
 *             package every CVE of the advisory, and the matcher would
 *             never fold it into the package's CVE findings, hence one
 *             record per definition, <seq> (its sequence in the file) told
 *             apart. A definition without a PHSA reference or an issued
 *             date (vuln-list-update skips those) is named by its title's
 *             "PHSA-2020:00092", as claircore names every definition
 *   aliases   the advisory id, advisory/cve, and CVE references
 *             (ref_id "CVE:<seq>:CVE-...")
 *   severity  advisory/severity: Low, Moderate, Important, Critical
 *   namespace "photon:<N>.0" from the criterion "Photon OS N is installed",
 *             else advisory's <platform>Photon N</platform>, else the PHSA
 *             ref_id's release
 *   affected  each rpminfo test "<pkg> is earlier than E:V-R" (evr less
 *             than): <pkg> (a binary rpm) fixed in E:V-R. The
 *             "signed with VMware key" tests and the photon-release
 *             version pattern are not compared (as claircore and Trivy).
 *
 * The document is read with the shared streaming OVAL reader
 * (feed/oval.h); entries are deduplicated with feed/redhat.h's sets.
 * Decisions in docs/feeds-photon.md. */
#include "feed/oval.h"
#include "feed/redhat.h"
#include "feed/vendors.h"
#include "feed/xml_dom.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Nesting of <criteria> and criteria of one definition. */
#define VIGIL_PHOVAL_MAX_DEPTH 32
#define VIGIL_PHOVAL_MAX_CRITERIA 50000
/* "photon:" and a release. */
#define VIGIL_PHOVAL_NS_MAX 24
/* An advisory id made. */
#define VIGIL_PHOVAL_ID_MAX 64

struct phoval {
	vigil_feed_ctx *ctx;
	vigil_oval_index *ix;
	vigil_rh_affset aff;
	vigil_rh_strlist aliases, links;
	const char *def_id;
	const char *advisory; /* PHSA-2019-3.0-0036: an alias of the definition */
	char ns[VIGIL_PHOVAL_NS_MAX];
	size_t ncriteria;
	const char *sev_word; /* the definition's, on each of its entries */
	vigil_severity sev;
};

static vigil_slice attr(const xmlNode *n, const char *name)
{
	return vigil_slice_cstr(oval_attr(n, name));
}

/* Low, Moderate, Important, Critical (claircore's table: Moderate is
 * Medium, Important is High). */
static vigil_severity photon_severity(vigil_slice w)
{
	if (vigil_slice_eq_cstr(w, "Low"))
		return VIGIL_SEV_LOW;
	if (vigil_slice_eq_cstr(w, "Moderate"))
		return VIGIL_SEV_MEDIUM;
	if (vigil_slice_eq_cstr(w, "Important"))
		return VIGIL_SEV_HIGH;
	if (vigil_slice_eq_cstr(w, "Critical"))
		return VIGIL_SEV_CRITICAL;
	return VIGIL_SEV_UNKNOWN;
}

/* "3", "3.0" -> "photon:3.0"; false unless digits with at most one dot. */
static bool set_ns(struct phoval *o, vigil_slice rel)
{
	size_t dots = 0;
	if (o->ns[0] || rel.len == 0 || rel.len > 8)
		return o->ns[0] != '\0';
	for (size_t i = 0; i < rel.len; i++)
		if (!((rel.ptr[i] >= '0' && rel.ptr[i] <= '9') ||
		      (rel.ptr[i] == '.' && i > 0 && i + 1 < rel.len && dots++ == 0)))
			return false;
	snprintf(o->ns, sizeof(o->ns), "photon:%.*s%s", (int)rel.len, rel.ptr, dots ? "" : ".0");
	return true;
}

/* "Photon OS 3 is installed" -> "3". */
static void release_criterion(struct phoval *o, vigil_slice c)
{
	static const char pre[] = "Photon OS ", post[] = " is installed";
	if (vigil_slice_starts_with(c, pre) && vigil_slice_ends_with(c, post) && c.len > sizeof(pre) + sizeof(post) - 2)
		set_ns(o, vigil_slice_sub(c, sizeof(pre) - 1, c.len - (sizeof(pre) - 1) - (sizeof(post) - 1)));
}

static int criterion(struct phoval *o, const xmlNode *c)
{
	const struct vigil_oval_test *t = oval_test_get(o->ix, oval_attr(c, "test_ref"));
	const struct vigil_oval_object *obj;
	vigil_slice fixed = { 0 };
	vigil_affected a = { 0 };

	if (++o->ncriteria > VIGIL_PHOVAL_MAX_CRITERIA)
		return vigil_error_set(VIGIL_ELIMIT, "line %ld: more than %d criteria", feed_xml_line(c),
				       VIGIL_PHOVAL_MAX_CRITERIA);
	if (!t || t->kind != VIGIL_OVAL_TEST_RPMINFO)
		return 0;
	if (!(obj = oval_object_get(o->ix, t->object_ref)))
		return 0;
	if (obj->err.line)
		return oval_too_long(&obj->err);
	for (size_t i = 0; i < t->nstates; i++) {
		const struct vigil_oval_state *st = oval_state_get(o->ix, t->state_refs[i]);
		for (size_t k = 0; st && k < st->n; k++)
			if (st->f[k].kind == VIGIL_OVAL_EVR_LESS)
				fixed = st->f[k].value;
		if (st && st->err.line)
			return oval_too_long(&st->err);
	}
	if (fixed.len == 0)
		return 0; /* the signature test, the photon-release pattern */
	if (!rh_valid_name(obj->name) || !rh_valid_evr(fixed)) {
		feed_warn(o->ctx, "line %ld: definition %s: bad package name or evr: skipped", feed_xml_line(c), o->def_id);
		return 0;
	}
	a.namespace = feed_cstr(o->ctx, o->ns);
	a.package = feed_str(o->ctx, obj->name.ptr, obj->name.len);
	a.fixed = feed_str(o->ctx, fixed.ptr, fixed.len);
	if (!a.namespace || !a.package || !a.fixed)
		return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
	a.scheme = "rpm";
	a.state = VIGIL_STATE_FIXED;
	a.vendor_severity = o->sev_word;
	a.severity = o->sev;
	return rh_affset_add(&o->aff, &a);
}

static int walk(struct phoval *o, const xmlNode *criteria, int depth, bool prescan)
{
	if (depth > VIGIL_PHOVAL_MAX_DEPTH)
		return vigil_error_set(VIGIL_ELIMIT, "line %ld: criteria nested deeper than %d", feed_xml_line(criteria),
				       VIGIL_PHOVAL_MAX_DEPTH);
	for (xmlNode *c = criteria->children; c; c = c->next) {
		int rc = 0;
		if (feed_xml_is(c, "criteria"))
			rc = walk(o, c, depth + 1, prescan);
		else if (feed_xml_is(c, "criterion") && prescan)
			release_criterion(o, attr(c, "comment"));
		else if (feed_xml_is(c, "criterion"))
			rc = criterion(o, c);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ref_id "PHSA:00001:3.0:0036" and issued "2019-10-23" -> the advisory
 * "PHSA-2019-3.0-0036" (o->advisory) and the definition's id
 * "PHSA-2019-3.0-0036:00001". */
static const char *advisory_id(struct phoval *o, const xmlNode *md, vigil_slice issued, vigil_slice *rel)
{
	char id[VIGIL_PHOVAL_ID_MAX];
	for (xmlNode *r = md->children; r; r = r->next) {
		vigil_slice ref = attr(r, "ref_id"), part[4];
		size_t n = 0;
		if (!feed_xml_is(r, "reference") || !vigil_slice_eq_cstr(attr(r, "source"), "PHSA"))
			continue;
		while (n < 3 && vigil_slice_split(ref, ':', &part[n], &ref))
			n++;
		part[n++] = ref;
		if (n != 4 || !vigil_slice_eq_cstr(part[0], "PHSA") || !part[2].len || !part[3].len ||
		    part[2].len + part[3].len > 32 || vigil_slice_find(part[3], ':') >= 0 || issued.len < 4)
			return NULL;
		*rel = part[2];
		n = (size_t)snprintf(id, sizeof(id), "PHSA-%.4s-%.*s-%.*s", issued.ptr, (int)part[2].len, part[2].ptr,
				     (int)part[3].len, part[3].ptr);
		if (n >= sizeof(id) - 18 || !(o->advisory = feed_cstr(o->ctx, id)))
			return NULL;
		snprintf(id + n, sizeof(id) - n, ":%.*s", (int)(part[1].len < 16 ? part[1].len : 16), part[1].ptr);
		return feed_cstr(o->ctx, id);
	}
	return NULL;
}

/* A definition without a PHSA reference (six of Photon 3's have an empty
 * issued date and no PHSA reference): the title's "PHSA-2020:00092". */
static const char *title_id(struct phoval *o, const xmlNode *md)
{
	vigil_slice t;
	ptrdiff_t sp;
	if (oval_text(o->ctx, feed_xml_child(md, "title"), &t) < 0)
		return NULL;
	t = vigil_slice_trim(t);
	sp = vigil_slice_find(t, ' ');
	if (sp > 0)
		t.len = (size_t)sp;
	if (!vigil_slice_starts_with(t, "PHSA-") || t.len < 6 || t.len > VIGIL_PHOVAL_ID_MAX)
		return NULL;
	return feed_str(o->ctx, t.ptr, t.len);
}

static int metadata(struct phoval *o, const xmlNode *md, vigil_vuln *v)
{
	xmlNode *adv = feed_xml_child(md, "advisory");
	vigil_slice s;
	int rc;
	if ((o->advisory && (rc = rh_strlist_add(o->ctx, &o->aliases, vigil_slice_cstr(o->advisory), "aliases")) < 0) ||
	    (rc = oval_text(o->ctx, feed_xml_child(md, "title"), &s)) < 0)
		return rc;
	v->summary = s.len ? feed_str(o->ctx, vigil_slice_trim(s).ptr, vigil_slice_trim(s).len) : NULL;
	if ((rc = oval_text(o->ctx, feed_xml_child(md, "description"), &s)) < 0)
		return rc;
	v->description = s.len ? feed_str(o->ctx, vigil_slice_trim(s).ptr, vigil_slice_trim(s).len) : NULL;
	if ((rc = oval_text(o->ctx, feed_xml_child(adv, "severity"), &s)) < 0)
		return rc;
	s = vigil_slice_trim(s);
	v->vendor_severity = s.len ? feed_str(o->ctx, s.ptr, s.len) : NULL;
	v->severity = o->sev = photon_severity(s);
	o->sev_word = v->vendor_severity;
	s = attr(feed_xml_child(adv, "updated"), "date");
	v->modified = s.len ? feed_str(o->ctx, s.ptr, s.len) : NULL;
	for (xmlNode *r = md->children; r; r = r->next) {
		vigil_slice ref = attr(r, "ref_id");
		ptrdiff_t colon = vigil_slice_rfind(ref, ':');
		if (!feed_xml_is(r, "reference"))
			continue;
		if ((rc = rh_strlist_add(o->ctx, &o->links, attr(r, "ref_url"), "links")) < 0)
			return rc;
		if (vigil_slice_eq_cstr(attr(r, "source"), "CVE") && colon >= 0 &&
		    (rc = rh_strlist_add(o->ctx, &o->aliases, vigil_slice_sub(ref, (size_t)colon + 1, ref.len),
					 "aliases")) < 0)
			return rc;
	}
	for (xmlNode *c = adv ? adv->children : NULL; c; c = c->next) {
		if (!feed_xml_is(c, "cve"))
			continue;
		if ((rc = oval_text(o->ctx, c, &s)) < 0 ||
		    (rc = rh_strlist_add(o->ctx, &o->aliases, vigil_slice_trim(s), "aliases")) < 0)
			return rc;
	}
	return 0;
}

static int definition(void *ud, const xmlNode *def)
{
	struct phoval *o = ud;
	const xmlNode *md = feed_xml_child(def, "metadata"), *crit = feed_xml_child(def, "criteria");
	vigil_vuln v = { .cvss3_score = -1, .cvss2_score = -1 };
	vigil_slice issued, rel = { 0 }, plat;
	int rc;

	if (!vigil_slice_eq_cstr(attr(def, "class"), "patch"))
		return 0;
	o->def_id = oval_attr(def, "id") ? oval_attr(def, "id") : "(no id)";
	o->ns[0] = '\0';
	o->ncriteria = 0;
	issued = attr(feed_xml_child(feed_xml_child(md, "advisory"), "issued"), "date");
	vigil_error_clear();
	o->advisory = NULL;
	if (md && !(v.id = advisory_id(o, md, issued, &rel)) && vigil_error_code() == 0)
		v.id = title_id(o, md);
	if (!v.id) {
		if (vigil_error_code() < 0)
			return vigil_error_code();
		feed_warn(o->ctx, "line %ld: definition %s: neither a PHSA reference with an issued date nor a "
			  "PHSA title: skipped", feed_xml_line(def), o->def_id);
		return 0;
	}
	v.published = issued.len ? feed_str(o->ctx, issued.ptr, issued.len) : NULL;
	if (crit && (rc = walk(o, crit, 0, true)) < 0)
		goto fail;
	if (!o->ns[0] && oval_text(o->ctx, feed_xml_child(feed_xml_child(md, "affected"), "platform"), &plat) == 0 &&
	    vigil_slice_starts_with((plat = vigil_slice_trim(plat)), "Photon "))
		set_ns(o, vigil_slice_sub(plat, 7, plat.len - 7));
	if (!o->ns[0] && !set_ns(o, rel)) {
		feed_warn(o->ctx, "line %ld: definition %s: no Photon release: skipped", feed_xml_line(def), o->def_id);
		return 0;
	}
	if ((rc = metadata(o, md, &v)) < 0 || (crit && (rc = walk(o, crit, 0, false)) < 0) ||
	    (rc = rh_affset_take(&o->aff, &v.affected, &v.naffected)) < 0 ||
	    (rc = rh_strlist_take(o->ctx, &o->aliases, &v.aliases, &v.naliases)) < 0 ||
	    (rc = rh_strlist_take(o->ctx, &o->links, &v.links, &v.nlinks)) < 0)
		goto fail;
	if (!(v.source = feed_cstr(o->ctx, "photon")))
		return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
	return o->ctx->emit(o->ctx->emit_ud, &v);
fail:
	vigil_error_prefix("definition %s (line %ld): ", o->def_id, feed_xml_line(def));
	return rc;
}

int feed_photon_oval(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	struct phoval *o;
	int rc;

	if (!ctx || !ctx->arena || !ctx->emit || (!data && len))
		return vigil_error_set(VIGIL_EINVAL, "feed_photon_oval: bad arguments");
	if (!(o = calloc(1, sizeof(*o))))
		return vigil_error_oom();
	o->ctx = ctx;
	rh_affset_init(&o->aff, ctx);
	if ((rc = oval_index_read(&o->ix, data ? data : "", len)) == 0)
		rc = oval_each_definition(data ? data : "", len, definition, o);
	oval_index_free(o->ix);
	rh_affset_free(&o->aff);
	rh_strlist_free(&o->aliases);
	rh_strlist_free(&o->links);
	free(o);
	return rc;
}

static bool has(const char *p, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (p[i] == needle[0] && memcmp(p + i, needle, k) == 0)
			return true;
	return false;
}

bool feed_photon_oval_sniff(const char *base, const char *p, size_t n)
{
	if (n == 0 || *p != '<')
		return false;
	if (base && strncmp(base, "com.vmware.phsa-photon", 22) == 0)
		return true;
	return has(p, n, "oval_definitions") && has(p, n, "oval:com.vmware.phsa:");
}
