/* feed/redhat_oval.c: Red Hat OVAL v2 streams (OVAL 5.10, one file per
 * product stream, e.g. rhel-8-including-unpatched.oval.xml, already
 * decompressed: see feed/bz2.h). Each <definition> becomes one vulnerability:
 * class "patch" is an advisory (RHSA/RHBA id, CVE aliases) whose rpminfo
 * tests "evr less than X" give FIXED entries; class "vulnerability" (the
 * "including-unpatched" part) is a CVE whose "<pkg> is installed" tests give
 * NOT_FIXED entries (WILL_NOT_FIX when advisory/affected/resolution says so,
 * NOT_AFFECTED when the same object also has a "none_exist" test). The
 * criteria tree is walked for rpminfo tests; a "Module X:Y is enabled"
 * criterion scopes the entries of its branch to that module stream;
 * signature-key tests and non-rpm tests are ignored. Namespaces come from
 * advisory/affected_cpe_list (feed/redhat.h), or from the "Red Hat Enterprise
 * Linux N is installed" criterion when a definition has no CPE list. The
 * stream is read with libxml2's xmlTextReader (feed/oval_read.c):
 * tests, objects and states into a compact index, then one <definition> at
 * a time as a small tree. Decisions in docs/feeds-redhat.md. */
#include "feed/redhat_oval.h"
#include "feed/xml_dom.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Nesting of <criteria> inside one definition. */
#define VIGIL_RHOVAL_MAX_DEPTH 32
/* <criterion> elements in one definition. */
#define VIGIL_RHOVAL_MAX_CRITERIA 50000
/* Distinct namespaces of one definition. */
#define VIGIL_RHOVAL_MAX_NAMESPACES 32
/* Resolution components (advisory/affected/resolution/component). */
#define VIGIL_RHOVAL_MAX_RESOLUTIONS 4096

struct resolution {
	const char *component; /* in the document */
	vigil_vuln_state state;
};

struct oval {
	vigil_feed_ctx *ctx;
	vigil_oval_index *ix;
	vigil_rh_affset aff;
	vigil_rh_strlist aliases, links;
	vigil_rh_skipped skipped;
	/* the definition being read */
	const char *def_id;
	bool patch;
	char ns[VIGIL_RHOVAL_MAX_NAMESPACES][VIGIL_RH_NS_MAX];
	size_t nns;
	char rhel_ns[VIGIL_RH_NS_MAX]; /* from "Red Hat Enterprise Linux N is installed" */
	vigil_map not_installed;       /* object ids with a none_exist test */
	struct resolution res[VIGIL_RHOVAL_MAX_RESOLUTIONS];
	size_t nres;
	size_t ncriteria;
};

static vigil_slice attr_slice(const xmlNode *n, const char *name)
{
	return vigil_slice_cstr(oval_attr(n, name));
}

static int text(struct oval *o, const xmlNode *n, vigil_slice *out)
{
	return oval_text(o->ctx, n, out);
}

static const char *str(struct oval *o, vigil_slice s)
{
	return s.len ? feed_str(o->ctx, s.ptr, s.len) : NULL;
}

/* ---- criteria ---- */

/* "Red Hat Enterprise Linux 8 is installed" -> "rhel:8". */
static void rhel_comment(struct oval *o, vigil_slice c)
{
	static const char pre[] = "Red Hat Enterprise Linux ", post[] = " is installed";
	if (o->rhel_ns[0] || !vigil_slice_starts_with(c, pre) || !vigil_slice_ends_with(c, post))
		return;
	vigil_slice v = vigil_slice_sub(c, sizeof(pre) - 1, c.len - (sizeof(pre) - 1) - (sizeof(post) - 1));
	uint64_t major;
	if (vigil_slice_to_u64(v, 999, &major) && major > 0)
		snprintf(o->rhel_ns, sizeof(o->rhel_ns), "rhel:%u", (unsigned)major);
}

/* "Module nodejs:12 is enabled" -> "nodejs:12". */
static bool module_comment(vigil_slice c, vigil_slice *mod)
{
	static const char pre[] = "Module ", post[] = " is enabled";
	vigil_slice m;
	if (!vigil_slice_starts_with(c, pre) || !vigil_slice_ends_with(c, post) ||
	    c.len <= sizeof(pre) + sizeof(post) - 2)
		return false;
	m = vigil_slice_sub(c, sizeof(pre) - 1, c.len - (sizeof(pre) - 1) - (sizeof(post) - 1));
	return rh_module_stream(m, mod) && mod->len == m.len;
}

static const struct vigil_oval_test *test_of(struct oval *o, const xmlNode *criterion)
{
	return oval_test_get(o->ix, oval_attr(criterion, "test_ref"));
}

/* Before the walk: the RHEL version criterion and the "none_exist" tests. */
static int prescan(struct oval *o, const xmlNode *criteria, int depth)
{
	if (depth > VIGIL_RHOVAL_MAX_DEPTH)
		return vigil_error_set(VIGIL_ELIMIT, "line %ld: criteria nested deeper than %d",
				       feed_xml_line(criteria), VIGIL_RHOVAL_MAX_DEPTH);
	for (xmlNode *c = criteria->children; c; c = c->next) {
		int rc = 0;
		if (feed_xml_is(c, "criteria")) {
			rc = prescan(o, c, depth + 1);
		} else if (feed_xml_is(c, "criterion")) {
			const struct vigil_oval_test *t = test_of(o, c);
			const char *ce = t ? t->check_existence : NULL;
			const char *obj = t ? t->object_ref : NULL;
			rhel_comment(o, attr_slice(c, "comment"));
			if (ce && strcmp(ce, "none_exist") == 0 && obj)
				rc = vigil_map_add(&o->not_installed, obj, strlen(obj), (void *)obj);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

static bool arch_token(vigil_slice s)
{
	if (s.len == 0 || s.len > 256)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '|'))
			return false;
	}
	return true;
}

/* What one rpminfo test says: package, and fixed/arch from its states. */
struct rpmtest {
	vigil_slice package, fixed, arch;
	bool signature, other_state;
};

static int read_rpmtest(struct oval *o, const struct vigil_oval_test *t, struct rpmtest *rt)
{
	const struct vigil_oval_object *obj = oval_object_get(o->ix, t->object_ref);
	memset(rt, 0, sizeof(*rt));
	if (obj && obj->err.line)
		return oval_too_long(&obj->err);
	if (obj)
		rt->package = obj->name;
	for (size_t i = 0; i < t->nstates; i++) {
		const struct vigil_oval_state *st = oval_state_get(o->ix, t->state_refs[i]);
		if (!st)
			continue;
		for (size_t k = 0; k < st->n; k++) {
			const struct vigil_oval_field *f = &st->f[k];
			if (f->kind == VIGIL_OVAL_SIGNATURE)
				rt->signature = true;
			else if (f->kind == VIGIL_OVAL_EVR_LESS)
				rt->fixed = f->value;
			else if (f->kind == VIGIL_OVAL_ARCH)
				rt->arch = f->value;
			else
				rt->other_state = true;
		}
		if (st->err.line)
			return oval_too_long(&st->err);
	}
	return 0;
}

static vigil_vuln_state resolution_state(struct oval *o, vigil_slice pkg, vigil_vuln_state st)
{
	for (size_t i = 0; i < o->nres; i++)
		if (vigil_slice_eq_cstr(pkg, o->res[i].component))
			return o->res[i].state;
	return st;
}

static int add_entry(struct oval *o, const xmlNode *c, const struct rpmtest *rt, vigil_vuln_state st,
		     vigil_slice mod)
{
	vigil_affected a = { 0 };
	if (!rh_valid_name(rt->package) || (rt->fixed.len && !rh_valid_evr(rt->fixed)) ||
	    (rt->arch.len && !arch_token(rt->arch))) {
		feed_warn(o->ctx, "line %ld: definition %s: test %s: bad package name, evr or arch: skipped",
				feed_xml_line(c), o->def_id, oval_attr(c, "test_ref") ? oval_attr(c, "test_ref") : "(none)");
		return 0;
	}
	a.package = str(o, rt->package);
	a.fixed = str(o, rt->fixed);
	a.arch = str(o, rt->arch);
	a.module = str(o, mod);
	if (!a.package || (rt->fixed.len && !a.fixed) || (rt->arch.len && !a.arch) || (mod.len && !a.module))
		return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
	a.scheme = "rpm";
	a.state = st;
	for (size_t i = 0; i < o->nns; i++) {
		int rc;
		if (!(a.namespace = feed_cstr(o->ctx, o->ns[i])))
			return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
		if ((rc = rh_affset_add(&o->aff, &a)) < 0) {
			vigil_error_prefix("line %ld: ", feed_xml_line(c));
			return rc;
		}
	}
	return 0;
}

static int criterion(struct oval *o, const xmlNode *c, vigil_slice mod)
{
	const struct vigil_oval_test *t = test_of(o, c);
	struct rpmtest rt;
	const char *ce;
	int rc;
	if (++o->ncriteria > VIGIL_RHOVAL_MAX_CRITERIA)
		return vigil_error_set(VIGIL_ELIMIT, "line %ld: more than %d criteria",
				       feed_xml_line(c), VIGIL_RHOVAL_MAX_CRITERIA);
	if (!t) {
		feed_warn(o->ctx, "line %ld: definition %s: unknown test %s: skipped", feed_xml_line(c),
				o->def_id, oval_attr(c, "test_ref") ? oval_attr(c, "test_ref") : "(none)");
		return 0;
	}
	if (t->kind != VIGIL_OVAL_TEST_RPMINFO)
		return 0; /* rpmverifyfile (the RHEL release), uname, ... */
	ce = t->check_existence;
	if (ce && strcmp(ce, "none_exist") == 0)
		return 0; /* "is not installed": read by prescan() */
	if ((rc = read_rpmtest(o, t, &rt)) < 0)
		return rc;
	if (rt.fixed.len)
		return add_entry(o, c, &rt, VIGIL_STATE_FIXED, mod);
	if (rt.signature || rt.other_state || o->patch)
		return 0; /* "signed with Red Hat key", or nothing vigil compares */
	const char *oref = t->object_ref;
	vigil_vuln_state st = VIGIL_STATE_NOT_FIXED;
	if (oref && vigil_map_get_cstr(&o->not_installed, oref))
		st = VIGIL_STATE_NOT_AFFECTED;
	else
		st = resolution_state(o, rt.package, st);
	return add_entry(o, c, &rt, st, mod);
}

static int walk(struct oval *o, const xmlNode *criteria, int depth, vigil_slice mod)
{
	vigil_slice m;
	if (depth > VIGIL_RHOVAL_MAX_DEPTH)
		return vigil_error_set(VIGIL_ELIMIT, "line %ld: criteria nested deeper than %d",
				       feed_xml_line(criteria), VIGIL_RHOVAL_MAX_DEPTH);
	if (module_comment(attr_slice(criteria, "comment"), &m))
		mod = m;
	for (xmlNode *c = criteria->children; c; c = c->next)
		if (feed_xml_is(c, "criterion") && module_comment(attr_slice(c, "comment"), &m))
			mod = m;
	for (xmlNode *c = criteria->children; c; c = c->next) {
		int rc = 0;
		if (feed_xml_is(c, "criteria"))
			rc = walk(o, c, depth + 1, mod);
		else if (feed_xml_is(c, "criterion"))
			rc = criterion(o, c, mod);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- metadata ---- */

static int read_resolutions(struct oval *o, const xmlNode *adv)
{
	for (xmlNode *r = feed_xml_child(feed_xml_child(adv, "affected"), "resolution"); r; r = r->next) {
		vigil_vuln_state st;
		if (!feed_xml_is(r, "resolution"))
			continue;
		if (!rh_fix_state(attr_slice(r, "state"), &st)) {
			feed_warn(o->ctx, "line %ld: definition %s: unknown resolution state \"%s\": ignored",
					feed_xml_line(r), o->def_id, oval_attr(r, "state") ? oval_attr(r, "state") : "");
			continue;
		}
		for (xmlNode *c = r->children; c; c = c->next) {
			if (!feed_xml_is(c, "component") || !c->children || c->children->type != XML_TEXT_NODE)
				continue;
			if (o->nres == VIGIL_RHOVAL_MAX_RESOLUTIONS)
				return vigil_error_set(VIGIL_ELIMIT, "line %ld: more than %d resolution components",
						       feed_xml_line(c), VIGIL_RHOVAL_MAX_RESOLUTIONS);
			o->res[o->nres].component = (const char *)c->children->content;
			o->res[o->nres++].state = st;
		}
	}
	return 0;
}

/* "7.5/CVSS:3.1/AV:N/..." -> 7.5 and "CVSS:3.1/AV:N/..." when above *score. */
static int cvss_attr(struct oval *o, vigil_slice a, double *score, const char **vector)
{
	vigil_slice num, vec;
	double s;
	if (!vigil_slice_split(a, '/', &num, &vec) || !rh_parse_score(num, &s) || vec.len == 0 ||
	    vec.len > 256 || s <= *score)
		return 0;
	if (!(*vector = str(o, vec)))
		return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
	*score = s;
	return 0;
}

static int add_namespace(struct oval *o, const char *ns)
{
	for (size_t i = 0; i < o->nns; i++)
		if (strcmp(o->ns[i], ns) == 0)
			return 0;
	if (o->nns == VIGIL_RHOVAL_MAX_NAMESPACES)
		return vigil_error_set(VIGIL_ELIMIT, "more than %d namespaces",
				       VIGIL_RHOVAL_MAX_NAMESPACES);
	memcpy(o->ns[o->nns++], ns, VIGIL_RH_NS_MAX);
	return 0;
}

/* Namespaces from affected_cpe_list; false (and tallied) when the list
 * names only products vigil does not map. */
static int cpe_namespaces(struct oval *o, const xmlNode *adv, bool *usable)
{
	xmlNode *list = feed_xml_child(adv, "affected_cpe_list");
	vigil_slice first = { 0 };
	size_t ncpe = 0;
	*usable = true;
	for (xmlNode *c = list ? list->children : NULL; c; c = c->next) {
		char ns[VIGIL_RH_NS_MAX];
		vigil_slice cpe;
		int rc;
		if (!feed_xml_is(c, "cpe"))
			continue;
		if ((rc = text(o, c, &cpe)) < 0)
			return rc;
		cpe = vigil_slice_trim(cpe);
		if (ncpe++ == 0)
			first = cpe;
		if (rh_cpe_namespace(cpe, ns) && (rc = add_namespace(o, ns)) < 0)
			return rc;
	}
	if (ncpe && !o->nns) {
		rh_skipped_add(o->ctx, &o->skipped, first, "not a product vigil maps to a namespace");
		*usable = false;
	}
	return 0;
}

static int read_metadata(struct oval *o, const xmlNode *md, vigil_vuln *v)
{
	xmlNode *adv = feed_xml_child(md, "advisory");
	vigil_slice s;
	int rc;
	if ((rc = text(o, feed_xml_child(md, "title"), &s)) < 0)
		return rc;
	v->summary = str(o, vigil_slice_trim(s));
	if ((rc = text(o, feed_xml_child(md, "description"), &s)) < 0)
		return rc;
	v->description = str(o, vigil_slice_trim(s));
	for (xmlNode *r = md->children; r; r = r->next) {
		vigil_slice src = attr_slice(r, "source"), id = attr_slice(r, "ref_id");
		if (!feed_xml_is(r, "reference"))
			continue;
		if ((rc = rh_strlist_add(o->ctx, &o->links, attr_slice(r, "ref_url"), "links")) < 0)
			return rc;
		if (vigil_slice_eq_cstr(src, "CVE") && !vigil_slice_eq_cstr(id, v->id) &&
		    (rc = rh_strlist_add(o->ctx, &o->aliases, id, "aliases")) < 0)
			return rc;
	}
	if ((rc = text(o, feed_xml_child(adv, "severity"), &s)) < 0)
		return rc;
	v->vendor_severity = str(o, vigil_slice_trim(s));
	v->severity = feed_severity_redhat(v->vendor_severity);
	v->published = str(o, attr_slice(feed_xml_child(adv, "issued"), "date"));
	v->modified = str(o, attr_slice(feed_xml_child(adv, "updated"), "date"));
	for (xmlNode *c = adv ? adv->children : NULL; c; c = c->next) {
		if (!feed_xml_is(c, "cve"))
			continue;
		if ((rc = text(o, c, &s)) < 0)
			return rc;
		s = vigil_slice_trim(s);
		if (!vigil_slice_eq_cstr(s, v->id) && (rc = rh_strlist_add(o->ctx, &o->aliases, s, "aliases")) < 0)
			return rc;
		if ((rc = rh_strlist_add(o->ctx, &o->links, attr_slice(c, "href"), "links")) < 0 ||
		    (rc = cvss_attr(o, attr_slice(c, "cvss3"), &v->cvss3_score, &v->cvss3_vector)) < 0 ||
		    (rc = cvss_attr(o, attr_slice(c, "cvss2"), &v->cvss2_score, &v->cvss2_vector)) < 0)
			return rc;
	}
	return read_resolutions(o, adv);
}

/* The id: the RHSA (or RHBA/RHEA) reference of a patch, the CVE reference of
 * a vulnerability, else the title up to ": ". */
static const char *definition_id(struct oval *o, const xmlNode *md)
{
	const char *want = o->patch ? "RHSA" : "CVE";
	vigil_slice title, head;
	for (xmlNode *r = md->children; r; r = r->next) {
		vigil_slice id = vigil_slice_trim(attr_slice(r, "ref_id"));
		if (feed_xml_is(r, "reference") && vigil_slice_eq_cstr(attr_slice(r, "source"), want) && id.len &&
		    id.len < 256)
			return str(o, id);
	}
	if (text(o, feed_xml_child(md, "title"), &title) < 0)
		return NULL;
	title = vigil_slice_trim(title);
	head = title;
	for (size_t i = 0; i + 1 < title.len; i++)
		if (title.ptr[i] == ':' && title.ptr[i + 1] == ' ') {
			head = vigil_slice_sub(title, 0, i);
			break;
		}
	return head.len && head.len < 256 ? str(o, head) : NULL;
}

static int definition(void *ud, const xmlNode *def)
{
	struct oval *o = ud;
	const char *cls = oval_attr(def, "class");
	const xmlNode *md = feed_xml_child(def, "metadata"), *crit = feed_xml_child(def, "criteria");
	vigil_vuln v = { .cvss3_score = -1, .cvss2_score = -1 };
	bool usable;
	int rc;

	if (!cls || (strcmp(cls, "patch") != 0 && strcmp(cls, "vulnerability") != 0))
		return 0; /* inventory, compliance, miscellaneous */
	o->patch = strcmp(cls, "patch") == 0;
	o->def_id = oval_attr(def, "id") ? oval_attr(def, "id") : "(no id)";
	o->nns = o->nres = o->ncriteria = 0;
	o->rhel_ns[0] = '\0';
	vigil_map_clear(&o->not_installed);
	if (!md) {
		feed_warn(o->ctx, "line %ld: definition %s: no <metadata>: skipped", feed_xml_line(def), o->def_id);
		return 0;
	}
	vigil_error_clear();
	if (!(v.id = definition_id(o, md))) {
		if (vigil_error_code() < 0)
			return vigil_error_code();
		feed_warn(o->ctx, "line %ld: definition %s: no id: skipped", feed_xml_line(def), o->def_id);
		return 0;
	}
	if ((rc = read_metadata(o, md, &v)) < 0 ||
	    (rc = cpe_namespaces(o, feed_xml_child(md, "advisory"), &usable)) < 0 ||
	    (crit && (rc = prescan(o, crit, 0)) < 0))
		goto fail;
	if (!usable)
		goto drop;
	if (!o->nns && o->rhel_ns[0] && (rc = add_namespace(o, o->rhel_ns)) < 0)
		goto fail;
	if (!o->nns) {
		rh_skipped_add(o->ctx, &o->skipped, vigil_slice_cstr(o->def_id), "no Red Hat Enterprise Linux release");
		goto drop;
	}
	if ((crit && (rc = walk(o, crit, 0, vigil_slice_make("", 0))) < 0) ||
	    (rc = rh_affset_take(&o->aff, &v.affected, &v.naffected)) < 0 ||
	    (rc = rh_strlist_take(o->ctx, &o->aliases, &v.aliases, &v.naliases)) < 0 ||
	    (rc = rh_strlist_take(o->ctx, &o->links, &v.links, &v.nlinks)) < 0)
		goto fail;
	if (!(v.source = feed_cstr(o->ctx, "redhat")) || vigil_error_code() == VIGIL_ENOMEM ||
	    vigil_error_code() == VIGIL_ELIMIT) /* a copy that failed on the way */
		return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
	return o->ctx->emit(o->ctx->emit_ud, &v);
drop:
	o->aff.n = 0;
	o->aliases.n = o->links.n = 0;
	return 0;
fail:
	vigil_error_prefix("definition %s (line %ld): ", o->def_id, feed_xml_line(def));
	return rc;
}

int feed_redhat_oval(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	struct oval *o = NULL;
	int rc;

	if (!ctx || !ctx->arena || !ctx->emit || (!data && len))
		return vigil_error_set(VIGIL_EINVAL, "feed_redhat_oval: bad arguments");
	if (!(o = calloc(1, sizeof(*o))))
		return vigil_error_oom();
	o->ctx = ctx;
	vigil_map_init(&o->not_installed, VIGIL_RH_MAP_MAX);
	rh_affset_init(&o->aff, ctx);
	if ((rc = oval_index_read(&o->ix, data ? data : "", len)) < 0 ||
	    (rc = oval_each_definition(data ? data : "", len, definition, o)) < 0)
		goto out;
	rh_skipped_warn(ctx, &o->skipped);
out:
	oval_index_free(o->ix);
	vigil_map_free(&o->not_installed);
	rh_affset_free(&o->aff);
	rh_strlist_free(&o->aliases);
	rh_strlist_free(&o->links);
	free(o);
	return rc;
}
