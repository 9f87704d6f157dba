/* feed/oracle_oval.c: Oracle Linux ELSA OVAL (com.oracle.elsa-all.xml,
 * com.oracle.elsa-ol<N>.xml; OVAL 5.3, already decompressed: feed/bz2.h).
 * Each class="patch" <definition> is one ELSA and becomes one vulnerability:
 * its id from the title ("ELSA-2024-1234: ..." or "ELSA-2018-1196-1: ..."),
 * the CVEs it fixes as aliases, the vendor's severity word kept beside its
 * level (ora_severity), and one FIXED entry per "<pkg> is earlier than
 * <evr>" criterion.
 *
 * The criteria tree is read as Oracle writes it and as vunnel and
 * trivy-db read it: by the criterion comments. "Oracle Linux N is
 * installed" gives the namespace "ol:N", "Oracle Linux arch is X" the
 * architecture and "Module X:Y is enabled" the modularity stream of the
 * entries of its branch (its siblings and their subtrees); "signed with
 * the ... key" and "is ksplice-based" criteria are conditions vigil does
 * not test. When the document has the test a package criterion refers to
 * (Oracle's own files do; the test fixtures of vuln-list-update keep only
 * the definitions), the rpminfo object's name and the state's "evr less
 * than" win over the comment.
 *
 * Architectures: the same package and fixed version found under every
 * architecture branch of a definition applies to all (arch NULL, so a
 * noarch package matches); a version that only some branches carry keeps
 * those ("x86_64", "aarch64|x86_64"). Ksplice builds (".ksplice1." in the
 * release) are kept as entries; the matcher compares them only with
 * ksplice packages, and Oracle's "_fips" builds only with "_fips" ones
 * (match/flavor.c). The document is read with the shared streaming reader
 * (feed/oval.h): a document that is not well-formed is refused whole, so
 * `vigil db import` refuses that one file. Decisions in docs/feeds-oracle.md. */
#include "feed/oval.h"
#include "feed/redhat.h"
#include "feed/vendors.h"
#include "feed/xml_dom.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Nesting of <criteria> inside one definition. */
#define VIGIL_ORAOVAL_MAX_DEPTH 32
/* <criterion> elements in one definition. */
#define VIGIL_ORAOVAL_MAX_CRITERIA 50000
/* Distinct architectures named by one definition. */
#define VIGIL_ORAOVAL_MAX_ARCHES 16
/* The longest id ("ELSA-2018-1196-1") and architecture word accepted. */
#define VIGIL_ORAOVAL_MAX_ID 64
#define VIGIL_ORAOVAL_MAX_ARCH 64

/* What a branch of the criteria tree sets for the entries below it. */
struct scope {
	char ns[VIGIL_RH_NS_MAX]; /* "ol:8", "" when not yet known */
	vigil_slice arch, module;
};

struct ora {
	vigil_feed_ctx *ctx;
	vigil_oval_index *ix;
	vigil_rh_affset aff;
	vigil_rh_strlist aliases, links;
	/* the definition being read */
	const char *def_id;
	char platform_ns[VIGIL_RH_NS_MAX]; /* from a single <platform>, "" otherwise */
	vigil_slice arches[VIGIL_ORAOVAL_MAX_ARCHES];
	size_t narches, ncriteria, nskipped;
};

static vigil_slice attr(const xmlNode *n, const char *name)
{
	return vigil_slice_cstr(oval_attr(n, name));
}

static const char *str(struct ora *o, vigil_slice s)
{
	return s.len ? feed_str(o->ctx, s.ptr, s.len) : NULL;
}

static int copy_failed(void)
{
	return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
}

/* The offset of needle in s, -1 when absent. */
static ptrdiff_t find(vigil_slice s, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; k && i + k <= s.len; i++)
		if (memcmp(s.ptr + i, needle, k) == 0)
			return (ptrdiff_t)i;
	return -1;
}

/* ELSA severity words -> vigil's levels (docs/feeds-oracle.md). "N/A" and
 * anything else is UNKNOWN. */
static vigil_severity ora_severity(vigil_slice w)
{
	static const struct {
		const char *word;
		vigil_severity sev;
	} t[] = { { "low", VIGIL_SEV_LOW },
		  { "moderate", VIGIL_SEV_MEDIUM },
		  { "important", VIGIL_SEV_HIGH },
		  { "critical", VIGIL_SEV_CRITICAL } };
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (w.len == strlen(t[i].word) && strncasecmp(w.ptr, t[i].word, w.len) == 0)
			return t[i].sev;
	return VIGIL_SEV_UNKNOWN;
}

/* "Oracle Linux 8 is installed" (also "Oracle Linux 8.2 is installed") -> "ol:8". */
static bool release_comment(vigil_slice c, char ns[VIGIL_RH_NS_MAX])
{
	static const char pre[] = "Oracle Linux ";
	size_t i = sizeof(pre) - 1, d;
	uint64_t major;
	if (!vigil_slice_starts_with(c, pre) || !vigil_slice_ends_with(c, " is installed"))
		return false;
	for (d = i; d < c.len && c.ptr[d] >= '0' && c.ptr[d] <= '9'; d++)
		;
	if (!vigil_slice_to_u64(vigil_slice_sub(c, i, d - i), 999, &major) || major == 0)
		return false;
	snprintf(ns, VIGIL_RH_NS_MAX, "ol:%u", (unsigned)major);
	return true;
}

static bool arch_token(vigil_slice s)
{
	if (s.len == 0 || s.len > VIGIL_ORAOVAL_MAX_ARCH)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
		      c == '|'))
			return false;
	}
	return true;
}

/* "Oracle Linux arch is aarch64" -> "aarch64". */
static bool arch_comment(vigil_slice c, vigil_slice *arch)
{
	static const char pre[] = "Oracle Linux arch is ";
	if (!vigil_slice_starts_with(c, pre))
		return false;
	*arch = vigil_slice_trim(vigil_slice_sub(c, sizeof(pre) - 1, c.len - (sizeof(pre) - 1)));
	return arch_token(*arch);
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

/* Remembers each architecture word of the definition ("x86_64|i386" is two). */
static int note_arches(struct ora *o, vigil_slice a)
{
	vigil_slice head, rest = a;
	bool more = true;
	while (more) {
		more = vigil_slice_split(rest, '|', &head, &rest);
		bool seen = head.len == 0;
		for (size_t i = 0; i < o->narches && !seen; i++)
			seen = vigil_slice_eq(o->arches[i], head);
		if (seen)
			continue;
		if (o->narches == VIGIL_ORAOVAL_MAX_ARCHES)
			return vigil_error_set(VIGIL_ELIMIT, "definition %s: more than %d architectures", o->def_id,
					       VIGIL_ORAOVAL_MAX_ARCHES);
		o->arches[o->narches++] = head;
	}
	return 0;
}

/* The package and fixed EVR of a "<pkg> is earlier than <evr>" criterion:
 * the test's rpminfo object and "evr less than" state when the document
 * has them, else the comment. False when it is no such criterion. */
static int package_test(struct ora *o, const xmlNode *c, vigil_slice *pkg, vigil_slice *evr, bool *is_pkg)
{
	static const char sep[] = " is earlier than ";
	vigil_slice cm = vigil_slice_trim(attr(c, "comment"));
	const struct vigil_oval_test *t = oval_test_get(o->ix, oval_attr(c, "test_ref"));
	ptrdiff_t at = find(cm, sep);
	*is_pkg = false;
	if (at > 0) {
		*pkg = vigil_slice_trim(vigil_slice_sub(cm, 0, (size_t)at));
		*evr = vigil_slice_trim(vigil_slice_sub(cm, (size_t)at + sizeof(sep) - 1,
							cm.len - (size_t)at - (sizeof(sep) - 1)));
		*is_pkg = true;
	}
	if (!t || t->kind != VIGIL_OVAL_TEST_RPMINFO)
		return 0;
	const struct vigil_oval_object *obj = oval_object_get(o->ix, t->object_ref);
	if (obj && obj->err.line)
		return oval_too_long(&obj->err);
	for (size_t i = 0; i < t->nstates; i++) {
		const struct vigil_oval_state *st = oval_state_get(o->ix, t->state_refs[i]);
		for (size_t k = 0; st && k < st->n; k++)
			if (st->f[k].kind == VIGIL_OVAL_EVR_LESS && obj && obj->name.len) {
				*pkg = obj->name;
				*evr = st->f[k].value;
				*is_pkg = true;
			}
		if (st && st->err.line)
			return oval_too_long(&st->err);
	}
	return 0;
}

static int add_entry(struct ora *o, const xmlNode *c, const struct scope *sc, vigil_slice pkg, vigil_slice evr)
{
	vigil_affected a = { .scheme = "rpm", .state = VIGIL_STATE_FIXED };
	const char *ns = sc->ns[0] ? sc->ns : o->platform_ns;
	if (!rh_valid_name(pkg) || !rh_valid_evr(evr)) {
		feed_warn(o->ctx, "line %ld: definition %s: bad package name or version in \"%.*s is earlier than %.*s\": skipped",
			  feed_xml_line(c), o->def_id, (int)(pkg.len < 200 ? pkg.len : 200), pkg.ptr,
			  (int)(evr.len < 200 ? evr.len : 200), evr.ptr);
		return 0;
	}
	if (!ns[0]) {
		o->nskipped++;
		return 0;
	}
	if (!(a.namespace = feed_cstr(o->ctx, ns)) || !(a.package = str(o, pkg)) || !(a.fixed = str(o, evr)) ||
	    (sc->arch.len && !(a.arch = str(o, sc->arch))) || (sc->module.len && !(a.module = str(o, sc->module))))
		return copy_failed();
	int rc = rh_affset_add(&o->aff, &a);
	if (rc < 0)
		vigil_error_prefix("line %ld: ", feed_xml_line(c));
	return rc;
}

static int walk(struct ora *o, const xmlNode *criteria, int depth, struct scope sc)
{
	vigil_slice v;
	int rc;
	if (depth > VIGIL_ORAOVAL_MAX_DEPTH)
		return vigil_error_set(VIGIL_ELIMIT, "line %ld: criteria nested deeper than %d",
				       feed_xml_line(criteria), VIGIL_ORAOVAL_MAX_DEPTH);
	/* what the criterions of this level set applies to the whole level */
	for (xmlNode *c = criteria->children; c; c = c->next) {
		vigil_slice cm = vigil_slice_trim(attr(c, "comment"));
		if (!feed_xml_is(c, "criterion"))
			continue;
		if (++o->ncriteria > VIGIL_ORAOVAL_MAX_CRITERIA)
			return vigil_error_set(VIGIL_ELIMIT, "line %ld: more than %d criteria", feed_xml_line(c),
					       VIGIL_ORAOVAL_MAX_CRITERIA);
		if (release_comment(cm, sc.ns))
			continue;
		if (arch_comment(cm, &v)) {
			sc.arch = v;
			if ((rc = note_arches(o, v)) < 0)
				return rc;
		} else if (module_comment(cm, &v)) {
			sc.module = v;
		}
	}
	for (xmlNode *c = criteria->children; c; c = c->next) {
		vigil_slice pkg, evr;
		bool is_pkg;
		rc = 0;
		if (feed_xml_is(c, "criteria"))
			rc = walk(o, c, depth + 1, sc);
		else if (feed_xml_is(c, "criterion") && (rc = package_test(o, c, &pkg, &evr, &is_pkg)) == 0 && is_pkg)
			rc = add_entry(o, c, &sc, pkg, evr);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Distinct '|'-separated words of s. */
static size_t count_arches(const char *s)
{
	vigil_slice seen[VIGIL_ORAOVAL_MAX_ARCHES + 1], head, rest = vigil_slice_cstr(s);
	size_t n = 0;
	bool more = true;
	while (more && n <= VIGIL_ORAOVAL_MAX_ARCHES) {
		bool dup = false;
		more = vigil_slice_split(rest, '|', &head, &rest);
		for (size_t i = 0; i < n && !dup; i++)
			dup = vigil_slice_eq(seen[i], head);
		if (!dup && head.len)
			seen[n++] = head;
	}
	return n;
}

/* An entry found under every architecture branch of the definition
 * applies to all architectures (noarch packages included). */
static void widen_arches(struct ora *o)
{
	for (size_t i = 0; i < o->aff.n; i++)
		if (o->aff.v[i].arch && o->narches && count_arches(o->aff.v[i].arch) == o->narches)
			o->aff.v[i].arch = NULL;
}

/* ---- metadata ---- */

/* "7.5/CVSS:3.1/AV:N/..." -> 7.5 and "CVSS:3.1/AV:N/..." when above *score. */
static int cvss_attr(struct ora *o, vigil_slice a, double *score, const char **vector)
{
	vigil_slice num, vec;
	double s;
	if (!vigil_slice_split(a, '/', &num, &vec) || !rh_parse_score(num, &s) || vec.len == 0 ||
	    vec.len > 256 || s <= *score)
		return 0;
	if (!(*vector = str(o, vec)))
		return copy_failed();
	*score = s;
	return 0;
}

/* Digits from *i on: their count. */
static size_t digits(vigil_slice s, size_t *i)
{
	size_t d = *i;
	while (*i < s.len && s.ptr[*i] >= '0' && s.ptr[*i] <= '9')
		(*i)++;
	return *i - d;
}

/* "ELSA-2007-0057", "ELSA-2018-1196-1": capitals, '-', a 4-digit year,
 * '-', digits, an optional "-<digits>" revision. */
static bool valid_id(vigil_slice s)
{
	size_t i = 0;
	if (s.len > VIGIL_ORAOVAL_MAX_ID)
		return false;
	while (i < s.len && s.ptr[i] >= 'A' && s.ptr[i] <= 'Z')
		i++;
	if (i < 2 || i >= s.len || s.ptr[i++] != '-' || digits(s, &i) != 4 || i >= s.len || s.ptr[i++] != '-' ||
	    digits(s, &i) == 0)
		return false;
	if (i < s.len && (s.ptr[i++] != '-' || digits(s, &i) == 0))
		return false;
	return i == s.len;
}

/* The ELSA id: the title up to its first ':' (as vuln-list-update and
 * vunnel take it). */
static int definition_id(struct ora *o, const xmlNode *md, vigil_slice *title, vigil_slice *id)
{
	int rc = oval_text(o->ctx, feed_xml_child(md, "title"), title);
	ptrdiff_t colon;
	if (rc < 0)
		return rc;
	*title = vigil_slice_trim(*title);
	colon = vigil_slice_find(*title, ':');
	*id = vigil_slice_trim(colon > 0 ? vigil_slice_sub(*title, 0, (size_t)colon) : *title);
	return 0;
}

/* "Oracle Linux 7" in the only <platform>: the namespace of entries whose
 * branch names no release. */
static void platform_ns(struct ora *o, const xmlNode *md)
{
	static const char pre[] = "Oracle Linux ";
	size_t n = 0;
	vigil_slice p = { 0 };
	for (xmlNode *c = feed_xml_child(feed_xml_child(md, "affected"), "platform"); c; c = c->next)
		if (feed_xml_is(c, "platform") && c->children && c->children->type == XML_TEXT_NODE) {
			p = vigil_slice_trim(vigil_slice_cstr((const char *)c->children->content));
			n++;
		}
	o->platform_ns[0] = '\0';
	if (n != 1 || !vigil_slice_starts_with(p, pre))
		return;
	uint64_t major;
	if (vigil_slice_to_u64(vigil_slice_sub(p, sizeof(pre) - 1, p.len - (sizeof(pre) - 1)), 999, &major) &&
	    major > 0)
		snprintf(o->platform_ns, sizeof(o->platform_ns), "ol:%u", (unsigned)major);
}

static int read_metadata(struct ora *o, const xmlNode *md, vigil_vuln *v)
{
	xmlNode *adv = feed_xml_child(md, "advisory");
	vigil_slice s;
	int rc;
	if ((rc = oval_text(o->ctx, feed_xml_child(md, "description"), &s)) < 0)
		return rc;
	v->description = str(o, vigil_slice_trim(s));
	for (xmlNode *r = md->children; r; r = r->next) {
		vigil_slice src = attr(r, "source"), id = vigil_slice_trim(attr(r, "ref_id"));
		if (!feed_xml_is(r, "reference"))
			continue;
		if ((rc = rh_strlist_add(o->ctx, &o->links, attr(r, "ref_url"), "links")) < 0)
			return rc;
		if (vigil_slice_eq_cstr(src, "CVE") && (rc = rh_strlist_add(o->ctx, &o->aliases, id, "aliases")) < 0)
			return rc;
	}
	if ((rc = oval_text(o->ctx, feed_xml_child(adv, "severity"), &s)) < 0)
		return rc;
	s = vigil_slice_trim(s);
	v->vendor_severity = str(o, s);
	v->severity = ora_severity(s);
	v->published = str(o, attr(feed_xml_child(adv, "issued"), "date"));
	for (xmlNode *c = adv ? adv->children : NULL; c; c = c->next) {
		if (!feed_xml_is(c, "cve"))
			continue;
		if ((rc = oval_text(o->ctx, c, &s)) < 0 ||
		    (rc = rh_strlist_add(o->ctx, &o->aliases, vigil_slice_trim(s), "aliases")) < 0 ||
		    (rc = rh_strlist_add(o->ctx, &o->links, attr(c, "href"), "links")) < 0 ||
		    (rc = cvss_attr(o, attr(c, "cvss3"), &v->cvss3_score, &v->cvss3_vector)) < 0 ||
		    (rc = cvss_attr(o, attr(c, "cvss2"), &v->cvss2_score, &v->cvss2_vector)) < 0)
			return rc;
	}
	return 0;
}

static void reset(struct ora *o)
{
	o->aff.n = 0;
	o->aliases.n = o->links.n = 0;
	o->narches = o->ncriteria = o->nskipped = 0;
}

static int definition(void *ud, const xmlNode *def)
{
	struct ora *o = ud;
	const char *cls = oval_attr(def, "class");
	const xmlNode *md = feed_xml_child(def, "metadata"), *crit = feed_xml_child(def, "criteria");
	vigil_vuln v = { .cvss3_score = -1, .cvss2_score = -1 };
	vigil_slice title, id;
	struct scope sc = { .ns = "" };
	int rc;

	if (!cls || strcmp(cls, "patch") != 0)
		return 0; /* inventory, compliance: none in ELSA OVAL */
	reset(o);
	vigil_error_clear();
	o->def_id = oval_attr(def, "id") ? oval_attr(def, "id") : "(no id)";
	if (!md) {
		feed_warn(o->ctx, "line %ld: definition %s: no <metadata>: skipped", feed_xml_line(def), o->def_id);
		return 0;
	}
	if ((rc = definition_id(o, md, &title, &id)) < 0)
		goto fail;
	if (!valid_id(id)) {
		feed_warn(o->ctx, "line %ld: definition %s: title \"%.*s\" does not start with an ELSA id: skipped",
			  feed_xml_line(def), o->def_id, (int)(title.len < 120 ? title.len : 120), title.ptr);
		return 0;
	}
	if (!(v.id = str(o, id)) || (title.len && !(v.summary = str(o, title))))
		return copy_failed();
	platform_ns(o, md);
	if ((rc = read_metadata(o, md, &v)) < 0 || (crit && (rc = walk(o, crit, 0, sc)) < 0))
		goto fail;
	if (o->nskipped)
		feed_warn(o->ctx, "line %ld: %s: %zu package entries under no \"Oracle Linux N is installed\": skipped",
			  feed_xml_line(def), v.id, o->nskipped);
	widen_arches(o);
	if ((rc = rh_affset_take(&o->aff, &v.affected, &v.naffected)) < 0 ||
	    (rc = rh_strlist_take(o->ctx, &o->aliases, &v.aliases, &v.naliases)) < 0 ||
	    (rc = rh_strlist_take(o->ctx, &o->links, &v.links, &v.nlinks)) < 0)
		goto fail;
	if (!(v.source = feed_cstr(o->ctx, "oracle")) || vigil_error_code() == VIGIL_ENOMEM ||
	    vigil_error_code() == VIGIL_ELIMIT) /* a copy that failed on the way */
		return copy_failed();
	return o->ctx->emit(o->ctx->emit_ud, &v);
fail:
	vigil_error_prefix("definition %s (line %ld): ", o->def_id, feed_xml_line(def));
	return rc;
}

int feed_oracle_oval(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	struct ora *o = NULL;
	int rc;

	if (!ctx || !ctx->arena || !ctx->emit || (!data && len))
		return vigil_error_set(VIGIL_EINVAL, "feed_oracle_oval: bad arguments");
	if (!(o = calloc(1, sizeof(*o))))
		return vigil_error_oom();
	o->ctx = ctx;
	rh_affset_init(&o->aff, ctx);
	if ((rc = oval_index_read(&o->ix, data ? data : "", len)) < 0 ||
	    (rc = oval_each_definition(data ? data : "", len, definition, o)) < 0)
		goto out;
out:
	oval_index_free(o->ix);
	rh_affset_free(&o->aff);
	rh_strlist_free(&o->aliases);
	rh_strlist_free(&o->links);
	free(o);
	return rc;
}

/* "com.oracle.elsa-all.xml", "com.oracle.elsa-ol8.xml" (bz2 stripped by
 * the importer), or an OVAL document whose ids are "oval:com.oracle.elsa:". */
bool feed_oracle_sniff(const char *base, const char *p, size_t n)
{
	vigil_slice s = vigil_slice_make(p, n);
	if (!n || p[0] != '<')
		return false;
	if (strncmp(base, "com.oracle.elsa", 15) == 0)
		return true;
	return find(s, "oval_definitions") >= 0 && find(s, "oval:com.oracle.elsa:") >= 0;
}
