/* feed/suse_oval.c: SUSE OVAL (ftp.suse.com/pub/projects/security/oval/
 * suse.linux.enterprise.server.15.xml, opensuse.leap.15.5.xml ..., already
 * decompressed), read with the shared streaming OVAL reader (feed/oval.h).
 *
 * Each <definition class="vulnerability"> is one CVE (its <title>, else its
 * reference source="CVE"). Its criteria pair platforms with packages:
 *   AND( OR("SUSE Linux Enterprise Server 15 SP1 is installed", ...),
 *        OR("kernel-default-4.12.14-197.89.2 is installed", ...) )
 * A platform is a criterion whose comment is "<product name> is installed"
 * (a name with spaces: package comments have none); the platforms of an AND
 * (direct, or an OR of platforms only) scope the package criteria beside
 * them and below them, mapped to namespaces with the table the CVRF parser
 * uses (feed_suse_product_namespace: every SUSE Linux Enterprise product and
 * module of release 15 SP1 is "sles:15.1"). A package criterion is an
 * rpminfo test: state evr "less than" X -> FIXED in X (the epoch kept as
 * written, "0:..."), with the state's arch pattern "(aarch64|x86_64)" as
 * the entry's architectures; "<pkg> is not affected" (state version == 0)
 * -> NOT_AFFECTED. Anything else (another evr operation, a test the file
 * does not have) is skipped and counted in one warning per file.
 * Severity from advisory/severity, CVSS v3 from advisory/cve@cvss3, SUSE-SU
 * references as aliases. Decisions in docs/feeds-suse.md. */
#include "feed/oval.h"
#include "feed/suse.h"
#include "feed/vendors.h"
#include "feed/xml_dom.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Nesting of <criteria> inside one definition. */
#define VIGIL_SUSE_OVAL_MAX_DEPTH 32
/* <criterion> elements of one definition. */
#define VIGIL_SUSE_OVAL_MAX_CRITERIA 100000
/* Distinct namespaces the platforms of one criteria level give. */
#define VIGIL_SUSE_OVAL_MAX_NS 64
/* References (links, aliases) of one definition. */
#define VIGIL_SUSE_OVAL_MAX_REFS 4096

struct nsset {
	char ns[VIGIL_SUSE_OVAL_MAX_NS][VIGIL_SUSE_NS_MAX];
	size_t n;
};

struct soval {
	vigil_feed_ctx *ctx;
	vigil_oval_index *ix;
	const char *def_id;
	vigil_affected *aff;
	size_t naff, caff, ncriteria;
	uint64_t no_test, not_compared, bad;
};

static vigil_slice attr(const xmlNode *n, const char *name)
{
	return vigil_slice_cstr(oval_attr(n, name));
}

static const char *str(struct soval *o, vigil_slice s)
{
	return s.len ? feed_str(o->ctx, s.ptr, s.len) : NULL;
}

/* ---- platforms ---- */

/* "SUSE Linux Enterprise Server 15 SP1 is installed" -> the product name. */
static bool platform_name(const xmlNode *c, vigil_slice *name)
{
	static const char post[] = " is installed";
	vigil_slice s = vigil_slice_trim(attr(c, "comment"));
	if (!feed_xml_is(c, "criterion") || !vigil_slice_ends_with(s, post))
		return false;
	*name = vigil_slice_sub(s, 0, s.len - (sizeof(post) - 1));
	return vigil_slice_find(*name, ' ') >= 0;
}

static int ns_add(struct nsset *set, const xmlNode *c)
{
	vigil_slice name;
	char ns[VIGIL_SUSE_NS_MAX];
	if (!platform_name(c, &name) || !feed_suse_product_namespace(name, ns))
		return 0; /* SUSE Manager, Storage ...: not a namespace vigil scans */
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->ns[i], ns) == 0)
			return 0;
	if (set->n == VIGIL_SUSE_OVAL_MAX_NS)
		return vigil_error_set(VIGIL_ELIMIT, "line %ld: more than %d platforms", feed_xml_line(c),
				       VIGIL_SUSE_OVAL_MAX_NS);
	memcpy(set->ns[set->n++], ns, sizeof(ns));
	return 0;
}

/* A <criteria> holding platform criteria only. */
static bool platforms_only(const xmlNode *crit)
{
	vigil_slice name;
	size_t n = 0;
	for (const xmlNode *c = crit->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!platform_name(c, &name))
			return false;
		n++;
	}
	return n > 0;
}

/* ---- packages ---- */

/* "(aarch64|ppc64le|s390x|x86_64)" -> "aarch64|ppc64le|s390x|x86_64";
 * empty (every arch) for any other pattern. */
static vigil_slice arch_of(vigil_slice p)
{
	if (p.len > 2 && p.ptr[0] == '(' && p.ptr[p.len - 1] == ')')
		p = vigil_slice_sub(p, 1, p.len - 2);
	if (p.len == 0 || p.len > 256)
		return vigil_slice_make("", 0);
	for (size_t i = 0; i < p.len; i++) {
		char c = p.ptr[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '|'))
			return vigil_slice_make("", 0);
	}
	return p;
}

static bool valid_token(vigil_slice s)
{
	if (s.len == 0 || s.len > 1024)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if ((unsigned char)s.ptr[i] <= ' ' || (unsigned char)s.ptr[i] >= 0x7f || s.ptr[i] == '/')
			return false;
	return true;
}

static int push(struct soval *o, const vigil_affected *a)
{
	if (o->naff == o->caff) {
		size_t nc = o->caff ? o->caff * 2 : 16;
		vigil_affected *na;
		if (o->naff >= VIGIL_FEED_MAX_AFFECTED)
			return vigil_error_set(VIGIL_ELIMIT, "more than %d affected packages", VIGIL_FEED_MAX_AFFECTED);
		if (!(na = realloc(o->aff, nc * sizeof(*na))))
			return vigil_error_oom();
		o->aff = na;
		o->caff = nc;
	}
	o->aff[o->naff++] = *a;
	return 0;
}

static int package(struct soval *o, const xmlNode *c, const struct nsset *set)
{
	const struct vigil_oval_test *t = oval_test_get(o->ix, oval_attr(c, "test_ref"));
	const struct vigil_oval_object *obj;
	vigil_slice fixed = { 0 }, arch = { 0 }, other = { 0 };
	vigil_affected a = { .scheme = "rpm" };
	bool not_affected = vigil_slice_ends_with(vigil_slice_trim(attr(c, "comment")), " is not affected");
	if (++o->ncriteria > VIGIL_SUSE_OVAL_MAX_CRITERIA)
		return vigil_error_set(VIGIL_ELIMIT, "line %ld: more than %d criteria", feed_xml_line(c),
				       VIGIL_SUSE_OVAL_MAX_CRITERIA);
	if (!set->n)
		return 0;
	if (!t) {
		o->no_test++;
		return 0;
	}
	if (t->kind != VIGIL_OVAL_TEST_RPMINFO)
		return 0;
	if (!(obj = oval_object_get(o->ix, t->object_ref)) || !obj->name.len) {
		o->no_test++;
		return 0;
	}
	if (obj->err.line)
		return oval_too_long(&obj->err);
	for (size_t i = 0; i < t->nstates; i++) {
		const struct vigil_oval_state *st = oval_state_get(o->ix, t->state_refs[i]);
		for (size_t k = 0; st && k < st->n; k++) {
			if (st->f[k].kind == VIGIL_OVAL_EVR_LESS)
				fixed = st->f[k].value;
			else if (st->f[k].kind == VIGIL_OVAL_ARCH)
				arch = arch_of(st->f[k].value);
			else if (st->f[k].kind == VIGIL_OVAL_OTHER)
				other = st->f[k].value;
		}
		if (st && st->err.line)
			return oval_too_long(&st->err);
	}
	if (fixed.len) {
		a.state = VIGIL_STATE_FIXED;
	} else if (not_affected && vigil_slice_eq_cstr(other, "0")) {
		a.state = VIGIL_STATE_NOT_AFFECTED;
	} else {
		o->not_compared++;
		return 0;
	}
	if (!valid_token(obj->name) || (fixed.len && !valid_token(fixed))) {
		o->bad++;
		return 0;
	}
	a.package = str(o, obj->name);
	a.fixed = str(o, fixed);
	a.arch = str(o, arch);
	if (!a.package || (fixed.len && !a.fixed) || (arch.len && !a.arch))
		return vigil_error_or_oom();
	for (size_t i = 0; i < set->n; i++) {
		int rc;
		if (!(a.namespace = feed_cstr(o->ctx, set->ns[i])))
			return vigil_error_or_oom();
		if ((rc = push(o, &a)) < 0)
			return rc;
	}
	return 0;
}

static int walk(struct soval *o, const xmlNode *crit, int depth, const struct nsset *up)
{
	struct nsset *local = NULL;
	const struct nsset *use = up;
	bool and = !vigil_slice_eq_cstr(attr(crit, "operator"), "OR"), found = false;
	int rc = 0;
	if (depth > VIGIL_SUSE_OVAL_MAX_DEPTH)
		return vigil_error_set(VIGIL_ELIMIT, "line %ld: criteria nested deeper than %d", feed_xml_line(crit),
				       VIGIL_SUSE_OVAL_MAX_DEPTH);
	for (const xmlNode *c = and ? crit->children : NULL; c && rc == 0; c = c->next) {
		vigil_slice name;
		bool plat = feed_xml_is(c, "criterion") ? platform_name(c, &name) : feed_xml_is(c, "criteria") && platforms_only(c);
		if (!plat)
			continue;
		if (!local && !(local = calloc(1, sizeof(*local))))
			return vigil_error_oom();
		found = true;
		if (feed_xml_is(c, "criterion"))
			rc = ns_add(local, c);
		for (const xmlNode *p = feed_xml_is(c, "criteria") ? c->children : NULL; p && rc == 0; p = p->next)
			if (feed_xml_is(p, "criterion"))
				rc = ns_add(local, p);
	}
	if (found)
		use = local;
	for (const xmlNode *c = crit->children; c && rc == 0; c = c->next) {
		vigil_slice name;
		if (feed_xml_is(c, "criterion") && !platform_name(c, &name))
			rc = package(o, c, use);
		else if (feed_xml_is(c, "criteria") && !(and && platforms_only(c)))
			rc = walk(o, c, depth + 1, use);
	}
	free(local);
	return rc;
}

/* ---- metadata ---- */

static int aff_cmp(const void *x, const void *y)
{
	const vigil_affected *a = x, *b = y;
	int r = strcmp(a->namespace, b->namespace);
	if (!r)
		r = strcmp(a->package, b->package);
	if (!r)
		r = (int)a->state - (int)b->state;
	if (!r)
		r = strcmp(a->fixed ? a->fixed : "", b->fixed ? b->fixed : "");
	return r ? r : strcmp(a->arch ? a->arch : "", b->arch ? b->arch : "");
}

/* "7/CVSS:3.1/AV:L/..." -> 7.0 and its vector, when above *score. */
static void cvss3(struct soval *o, vigil_slice a, vigil_vuln *v)
{
	vigil_slice num, vec;
	char buf[16], *end;
	double s;
	if (!vigil_slice_split(a, '/', &num, &vec) || num.len == 0 || num.len >= sizeof(buf) || vec.len == 0 ||
	    vec.len > 256)
		return;
	memcpy(buf, num.ptr, num.len);
	buf[num.len] = '\0';
	s = strtod(buf, &end);
	if (*end || s < 0 || s > 10 || s <= v->cvss3_score)
		return;
	if ((v->cvss3_vector = str(o, vec)))
		v->cvss3_score = s;
}

static int refs(struct soval *o, const xmlNode *md, vigil_vuln *v)
{
	size_t n = 0, nl = 0, na = 0;
	const char **links, **aliases;
	for (const xmlNode *r = md->children; r; r = r->next)
		n += feed_xml_is(r, "reference");
	if (n > VIGIL_SUSE_OVAL_MAX_REFS)
		return vigil_error_set(VIGIL_ELIMIT, "more than %d references", VIGIL_SUSE_OVAL_MAX_REFS);
	if (!n)
		return 0;
	if (!(links = vigil_arena_calloc(o->ctx->arena, n, sizeof(char *))) ||
	    !(aliases = vigil_arena_calloc(o->ctx->arena, n, sizeof(char *))))
		return vigil_error_oom();
	for (const xmlNode *r = md->children; r; r = r->next) {
		vigil_slice url = vigil_slice_trim(attr(r, "ref_url")), id = vigil_slice_trim(attr(r, "ref_id"));
		if (!feed_xml_is(r, "reference"))
			continue;
		if (url.len && url.len <= 2048 && !(links[nl++] = str(o, url)))
			return vigil_error_or_oom();
		if (vigil_slice_eq_cstr(attr(r, "source"), "SUSE-SU") && id.len < 128 &&
		    (vigil_slice_starts_with(id, "SUSE-SU-") || vigil_slice_starts_with(id, "openSUSE-SU-")) &&
		    !(aliases[na++] = str(o, id)))
			return vigil_error_or_oom();
	}
	v->links = links, v->nlinks = nl;
	v->aliases = aliases, v->naliases = na;
	return 0;
}

static int metadata(struct soval *o, const xmlNode *md, vigil_vuln *v)
{
	const xmlNode *adv = feed_xml_child(md, "advisory");
	vigil_slice s;
	int rc;
	if ((rc = oval_text(o->ctx, feed_xml_child(md, "description"), &s)) < 0)
		return rc;
	v->description = str(o, vigil_slice_trim(s));
	if ((rc = oval_text(o->ctx, feed_xml_child(adv, "severity"), &s)) < 0)
		return rc;
	v->vendor_severity = str(o, vigil_slice_trim(s));
	v->severity = feed_suse_severity(v->vendor_severity);
	v->published = str(o, attr(feed_xml_child(adv, "issued"), "date"));
	v->modified = str(o, attr(feed_xml_child(adv, "updated"), "date"));
	for (const xmlNode *c = adv ? adv->children : NULL; c; c = c->next)
		if (feed_xml_is(c, "cve"))
			cvss3(o, attr(c, "cvss3"), v);
	return refs(o, md, v);
}

/* The CVE: the title, else the reference source="CVE" ("Mitre CVE-..."). */
static vigil_slice cve_of(struct soval *o, const xmlNode *md)
{
	vigil_slice t;
	if (oval_text(o->ctx, feed_xml_child(md, "title"), &t) == 0 && vigil_slice_starts_with(vigil_slice_trim(t), "CVE-"))
		return vigil_slice_trim(t);
	for (const xmlNode *r = md->children; r; r = r->next) {
		vigil_slice id = vigil_slice_trim(attr(r, "ref_id"));
		if (!feed_xml_is(r, "reference") || !vigil_slice_eq_cstr(attr(r, "source"), "CVE"))
			continue;
		if (vigil_slice_starts_with(id, "Mitre "))
			id = vigil_slice_sub(id, 6, id.len - 6);
		if (vigil_slice_starts_with(id, "CVE-"))
			return id;
	}
	return vigil_slice_make("", 0);
}

static int definition(void *ud, const xmlNode *def)
{
	struct soval *o = ud;
	const xmlNode *md = feed_xml_child(def, "metadata"), *crit = feed_xml_child(def, "criteria");
	vigil_vuln v = { .cvss3_score = -1, .cvss2_score = -1, .source = "suse" };
	struct nsset none = { .n = 0 };
	vigil_slice id;
	int rc;

	if (!vigil_slice_eq_cstr(attr(def, "class"), "vulnerability") || !md || !crit)
		return 0; /* patch, inventory: the CVE definitions carry everything */
	o->def_id = oval_attr(def, "id") ? oval_attr(def, "id") : "(no id)";
	o->naff = o->ncriteria = 0;
	id = cve_of(o, md);
	if (!id.len || id.len > 64) {
		feed_warn(o->ctx, "line %ld: definition %s: no CVE id: skipped", feed_xml_line(def), o->def_id);
		return 0;
	}
	if (!(v.id = str(o, id)))
		return vigil_error_or_oom();
	if ((rc = metadata(o, md, &v)) < 0 || (rc = walk(o, crit, 0, &none)) < 0) {
		vigil_error_prefix("definition %s (line %ld): ", o->def_id, feed_xml_line(def));
		return rc;
	}
	if (!o->naff)
		return 0;
	qsort(o->aff, o->naff, sizeof(*o->aff), aff_cmp);
	size_t w = 1;
	for (size_t i = 1; i < o->naff; i++)
		if (aff_cmp(&o->aff[i], &o->aff[w - 1]) != 0)
			o->aff[w++] = o->aff[i];
	vigil_affected *a = vigil_arena_calloc(o->ctx->arena, w, sizeof(*a)); /* records live in the arena */
	if (!a)
		return vigil_error_oom();
	memcpy(a, o->aff, w * sizeof(*a));
	v.affected = a;
	v.naffected = w;
	return o->ctx->emit(o->ctx->emit_ud, &v);
}

int feed_suse_oval(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	struct soval o = { .ctx = ctx };
	int rc;
	if (!ctx || !ctx->arena || !ctx->emit || (!data && len))
		return vigil_error_set(VIGIL_EINVAL, "feed_suse_oval: bad arguments");
	if ((rc = oval_index_read(&o.ix, data ? data : "", len)) < 0 ||
	    (rc = oval_each_definition(data ? data : "", len, definition, &o)) < 0)
		goto out;
	if (o.no_test)
		feed_warn(ctx, "%llu package criteria name a test or object the file does not have: skipped",
			  (unsigned long long)o.no_test);
	if (o.not_compared)
		feed_warn(ctx, "%llu package tests have no evr \"less than\" state (nor are \"not affected\"): skipped",
			  (unsigned long long)o.not_compared);
	if (o.bad)
		feed_warn(ctx, "%llu package tests with a bad name or evr: skipped", (unsigned long long)o.bad);
out:
	oval_index_free(o.ix);
	free(o.aff);
	return rc;
}

static bool has(const char *p, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(p + i, needle, k) == 0)
			return true;
	return false;
}

bool feed_suse_oval_sniff(const char *base, const char *p, size_t n)
{
	if (n == 0 || p[0] != '<' || !has(p, n, "oval_definitions"))
		return false;
	return has(p, n, "oval:org.opensuse.security:") || strncmp(base, "suse.linux.enterprise", 21) == 0 ||
	       strncmp(base, "opensuse.", 9) == 0;
}
