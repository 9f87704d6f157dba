/* feed/ubuntu_oval.c: Ubuntu OVAL, as Canonical publishes it at
 * security-metadata.canonical.com/oval/ (OVAL 5.11.1, already decompressed:
 * see feed/bz2.h): com.ubuntu.<codename>.cve.oval.xml has one definition of
 * class "vulnerability" per CVE, com.ubuntu.<codename>.usn.oval.xml one of
 * class "patch" per USN. Each becomes one vulnerability of source "ubuntu"
 * whose affected entries are BINARY packages of "ubuntu:<version>" (the
 * codename of the definition id "oval:com.ubuntu.<codename>:def:N"): the
 * criteria tree is walked for dpkginfo tests, whose object names the
 * binaries (<name>, or a var_ref to a constant_variable listing them) and
 * whose state "evr less than 0:V" makes them FIXED in V ("0:" dropped: the
 * version as the CVE tracker writes it). A test without a state is told by
 * its criterion's comment: "needs fixing", "may need fixing", "defer
 * addressing it", "pending publication" -> NOT_FIXED; "a decision has been
 * made to ignore" -> WILL_NOT_FIX; anything else -> AFFECTED. Running-kernel
 * tests (uname_test/variable_test), unknown_tests and the package OVAL
 * (pkg.oval.xml, reference source "Package") are skipped and tallied. The
 * document is streamed with the shared OVAL reader (feed/oval_read.c).
 * Decisions in docs/feeds-ubuntu-oval.md. */
#include "feed/ubuntu_oval.h"
#include "util/error.h"
#include "util/grow.h"

#include <stdlib.h>
#include <string.h>

static bool contains(vigil_slice s, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; k && i + k <= s.len; i++)
		if (s.ptr[i] == needle[0] && memcmp(s.ptr + i, needle, k) == 0)
			return true;
	return false;
}

static const char *const *list_copy(struct uoval *o, const struct strlist *l)
{
	const char **v = vigil_arena_calloc(o->ctx->arena, l->n, sizeof(*v));
	if (v)
		memcpy(v, l->v, l->n * sizeof(*v));
	return v;
}

/* ---- packages ---- */

/* A Debian package name: [a-z0-9][a-z0-9+.-]*. */
static bool valid_name(vigil_slice s)
{
	if (s.len == 0 || s.len > VIGIL_UOVAL_MAX_NAME)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			  (i > 0 && (c == '+' || c == '.' || c == '-'));
		if (!ok)
			return false;
	}
	return true;
}

/* A dpkg version: a digit first, then [A-Za-z0-9.+~:-]. */
static bool valid_version(vigil_slice s)
{
	if (s.len == 0 || s.len > VIGIL_UOVAL_MAX_NAME || s.ptr[0] < '0' || s.ptr[0] > '9')
		return false;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '+' || c == '~' || c == ':' || c == '-'))
			return false;
	}
	return true;
}

/* What a criterion's comment says of a test with no version to compare. */
static vigil_vuln_state comment_state(struct uoval *o, vigil_slice c)
{
	if (contains(c, "a decision has been made to ignore"))
		return VIGIL_STATE_WILL_NOT_FIX;
	if (contains(c, "needs fixing") || contains(c, "may need fixing") || contains(c, "defer addressing") ||
	    contains(c, "pending publication"))
		return VIGIL_STATE_NOT_FIXED;
	if (!contains(c, "no release version available") && !contains(c, "is not known"))
		o->guessed++;
	return VIGIL_STATE_AFFECTED;
}

static int add_entry(struct uoval *o, const xmlNode *c, vigil_slice pkg, vigil_slice fixed,
		     vigil_vuln_state st)
{
	int rc;
	if (!valid_name(pkg)) {
		feed_warn(o->ctx, "line %ld: %s: package name '%.*s' is not a Debian package name: skipped",
				uoval_line(c), o->id, (int)(pkg.len > 64 ? 64 : pkg.len), pkg.ptr);
		return 0;
	}
	if ((rc = vigil_grow((void **)&o->ent, &o->aent, o->nent, sizeof(*o->ent), 64, VIGIL_FEED_MAX_AFFECTED)) < 0)
		return rc == VIGIL_ELIMIT ? vigil_error_set(rc, "line %ld: more than %d affected packages", uoval_line(c),
							    VIGIL_FEED_MAX_AFFECTED)
					  : rc;
	o->ent[o->nent++] = (struct entry){ pkg, fixed, st };
	return 0;
}

/* The fixed version of a test's states ("" when none): the text of an
 * "evr less than" without the "0:" the generator puts in front. False when
 * a state has something else vigil cannot compare. */
static int test_fixed(struct uoval *o, const struct vigil_oval_test *t, vigil_slice *fixed, bool *usable)
{
	*fixed = vigil_slice_make("", 0);
	*usable = true;
	for (size_t i = 0; i < t->nstates; i++) {
		const struct vigil_oval_state *st = oval_state_get(o->ix, t->state_refs[i]);
		if (!st) {
			*usable = false;
			continue;
		}
		if (st->err.line)
			return oval_too_long(&st->err);
		for (size_t k = 0; k < st->n; k++) {
			if (st->f[k].kind != VIGIL_OVAL_EVR_LESS || fixed->len)
				*usable = false;
			else
				*fixed = st->f[k].value;
		}
	}
	if (vigil_slice_starts_with(*fixed, "0:"))
		*fixed = vigil_slice_sub(*fixed, 2, fixed->len);
	return 0;
}

static int dpkg_criterion(struct uoval *o, const xmlNode *c, const struct vigil_oval_test *t)
{
	const struct vigil_oval_object *obj = oval_object_get(o->ix, t->object_ref);
	const struct vigil_oval_variable *var = NULL;
	const char *ref = uoval_attr_cstr(c, "test_ref");
	vigil_slice fixed;
	vigil_vuln_state st;
	bool usable;
	int rc;

	if (t->check_existence && strcmp(t->check_existence, "none_exist") == 0)
		return 0; /* "not installed": not written by Ubuntu, never an entry */
	if (obj && obj->err.line)
		return oval_too_long(&obj->err);
	if (obj && obj->var_ref && (var = oval_variable_get(o->ix, obj->var_ref)) && var->err.line)
		return oval_too_long(&var->err);
	if (!obj || (obj->var_ref && !var) || (!obj->var_ref && !obj->name.len)) {
		feed_warn(o->ctx, "line %ld: %s: test %s: no object, or no constant variable of binaries: skipped",
				uoval_line(c), o->id, ref ? ref : "(none)");
		return 0;
	}
	if ((rc = test_fixed(o, t, &fixed, &usable)) < 0)
		return rc;
	if (!usable || (fixed.len && !valid_version(fixed))) {
		feed_warn(o->ctx, "line %ld: %s: test %s: state is not one plain 'evr less than' version: skipped",
				uoval_line(c), o->id, ref ? ref : "(none)");
		return 0;
	}
	st = fixed.len ? VIGIL_STATE_FIXED : comment_state(o, uoval_attr(c, "comment"));
	if (!var)
		return add_entry(o, c, obj->name, fixed, st);
	for (size_t i = 0; i < var->n; i++)
		if ((rc = add_entry(o, c, var->values[i], fixed, st)) < 0)
			return rc;
	return 0;
}

static int criterion(struct uoval *o, const xmlNode *c)
{
	const struct vigil_oval_test *t = oval_test_get(o->ix, uoval_attr_cstr(c, "test_ref"));
	if (++o->ncriteria > VIGIL_UOVAL_MAX_CRITERIA)
		return vigil_error_set(VIGIL_ELIMIT, "line %ld: more than %d criteria (VIGIL_UOVAL_MAX_CRITERIA)",
				       uoval_line(c), VIGIL_UOVAL_MAX_CRITERIA);
	if (vigil_slice_eq_cstr(uoval_attr(c, "negate"), "true"))
		return 0; /* "not ...": never written by Ubuntu for packages */
	if (!t) {
		feed_warn(o->ctx, "line %ld: %s: unknown test %s: skipped", uoval_line(c), o->id,
				uoval_attr_cstr(c, "test_ref") ? uoval_attr_cstr(c, "test_ref") : "(none)");
		return 0;
	}
	switch (t->kind) {
	case VIGIL_OVAL_TEST_DPKGINFO:
		return dpkg_criterion(o, c, t);
	case VIGIL_OVAL_TEST_VARIABLE:
		o->kernel++; /* "linux package in jammy was vulnerable but has been fixed (...)" */
		return 0;
	case VIGIL_OVAL_TEST_UNKNOWN:
		o->unknown_tests++;
		return 0;
	default:
		return 0; /* uname_test ("Is kernel linux running?"), release checks */
	}
}

static int walk(struct uoval *o, const xmlNode *criteria, int depth)
{
	if (depth > VIGIL_UOVAL_MAX_DEPTH)
		return vigil_error_set(VIGIL_ELIMIT, "line %ld: criteria nested deeper than %d",
				       uoval_line(criteria), VIGIL_UOVAL_MAX_DEPTH);
	for (const xmlNode *c = criteria->children; c; c = c->next) {
		int rc = 0;
		if (uoval_is_elem(c, "criteria"))
			rc = walk(o, c, depth + 1);
		else if (uoval_is_elem(c, "criterion"))
			rc = criterion(o, c);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int cmp_entry(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	size_t n = a->pkg.len < b->pkg.len ? a->pkg.len : b->pkg.len;
	int c = memcmp(a->pkg.ptr, b->pkg.ptr, n);
	if (c || a->pkg.len != b->pkg.len)
		return c ? c : (a->pkg.len < b->pkg.len ? -1 : 1);
	if (a->state != b->state)
		return a->state < b->state ? -1 : 1;
	n = a->fixed.len < b->fixed.len ? a->fixed.len : b->fixed.len;
	c = n ? memcmp(a->fixed.ptr, b->fixed.ptr, n) : 0;
	return c ? c : (a->fixed.len < b->fixed.len ? -1 : a->fixed.len > b->fixed.len);
}

/* The entries, sorted by package and deduplicated (the same binary from
 * two criteria), into the ctx arena. */
static int build_affected(struct uoval *o, vigil_vuln *v)
{
	vigil_affected *aff;
	size_t n = 0;
	if (o->nent == 0)
		return 0;
	qsort(o->ent, o->nent, sizeof(*o->ent), cmp_entry);
	if (!(aff = vigil_arena_calloc(o->ctx->arena, o->nent, sizeof(*aff))))
		return uoval_oom();
	for (size_t i = 0; i < o->nent; i++) {
		vigil_affected *a = &aff[n];
		if (i && cmp_entry(&o->ent[i - 1], &o->ent[i]) == 0)
			continue;
		a->namespace = o->ns;
		a->scheme = "dpkg";
		a->state = o->ent[i].state;
		if (!(a->package = uoval_str(o, o->ent[i].pkg)) ||
		    (o->ent[i].fixed.len && !(a->fixed = uoval_str(o, o->ent[i].fixed))))
			return uoval_oom();
		n++;
	}
	v->affected = aff;
	v->naffected = n;
	return 0;
}

static int definition(void *ud, const xmlNode *def)
{
	struct uoval *o = ud;
	vigil_slice cls = uoval_attr(def, "class");
	const xmlNode *md = uoval_child(def, "metadata"), *crit = uoval_child(def, "criteria");
	vigil_vuln v = { .source = "ubuntu", .cvss3_score = -1, .cvss2_score = -1 };
	bool package_oval;
	int rc;

	if (!vigil_slice_eq_cstr(cls, "vulnerability") && !vigil_slice_eq_cstr(cls, "patch"))
		return 0; /* inventory: "Check that Ubuntu 22.04 LTS (jammy) is installed." */
	o->usn = vigil_slice_eq_cstr(cls, "patch");
	o->def_id = uoval_attr_cstr(def, "id") ? uoval_attr_cstr(def, "id") : "(no id)";
	o->nent = o->ncriteria = o->aliases.n = o->links.n = 0;
	if (!md) {
		feed_warn(o->ctx, "line %ld: definition %s: no <metadata>: skipped", uoval_line(def), o->def_id);
		return 0;
	}
	vigil_error_clear();
	if (!(o->id = uoval_definition_id(o, md, &package_oval))) {
		if (vigil_error_code() < 0)
			return vigil_error_code();
		if (package_oval)
			o->pkg_defs++;
		else
			feed_warn(o->ctx, "line %ld: definition %s: no %s id: skipped", uoval_line(def), o->def_id,
					o->usn ? "USN" : "CVE");
		return 0;
	}
	if (!(o->ns = uoval_namespace(o, def, md, &rc)))
		return rc;
	if ((rc = uoval_read_metadata(o, md, &v)) < 0 || (crit && (rc = walk(o, crit, 0)) < 0) ||
	    (rc = build_affected(o, &v)) < 0) {
		vigil_error_prefix("definition %s (line %ld): ", o->def_id, uoval_line(def));
		return rc;
	}
	v.id = o->id;
	if ((o->aliases.n && !(v.aliases = list_copy(o, &o->aliases))) ||
	    (o->links.n && !(v.links = list_copy(o, &o->links))))
		return uoval_oom();
	v.naliases = o->aliases.n;
	v.nlinks = o->links.n;
	return o->ctx->emit(o->ctx->emit_ud, &v);
}

static void summary_warnings(struct uoval *o)
{
	vigil_feed_ctx *ctx = o->ctx;
	for (size_t i = 0; i < o->nunmapped; i++)
		feed_warn(ctx, "release '%s' is not mapped: %llu definitions skipped", o->unmapped[i].code,
				(unsigned long long)o->unmapped[i].n);
	if (o->unmapped_more)
		feed_warn(ctx, "%llu definitions of further unmapped releases skipped",
				(unsigned long long)o->unmapped_more);
	if (o->pkg_defs)
		feed_warn(ctx, "%llu definitions of the package OVAL (reference source \"Package\") skipped: "
				"only the CVE and USN OVAL are read", (unsigned long long)o->pkg_defs);
	if (o->kernel)
		feed_warn(ctx, "%llu running-kernel criteria (variable_test) skipped: kernels are not matched",
				(unsigned long long)o->kernel);
	if (o->unknown_tests)
		feed_warn(ctx, "%llu criteria with an unknown_test skipped", (unsigned long long)o->unknown_tests);
	if (o->guessed)
		feed_warn(ctx, "%llu packages without a fixed version and with an unknown comment taken as affected",
				(unsigned long long)o->guessed);
}

int feed_ubuntu_oval(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	struct uoval *o;
	int rc;

	if (!ctx || !ctx->arena || !ctx->emit || (!data && len))
		return vigil_error_set(VIGIL_EINVAL, "feed_ubuntu_oval: bad arguments");
	if (!(o = calloc(1, sizeof(*o))))
		return vigil_error_oom();
	o->ctx = ctx;
	if ((rc = oval_index_read(&o->ix, data ? data : "", len)) < 0 ||
	    (rc = oval_each_definition(data ? data : "", len, definition, o)) < 0)
		goto out;
	summary_warnings(o);
out:
	oval_index_free(o->ix);
	free(o->ent);
	free(o->aliases.v);
	free(o->links.v);
	free(o);
	return rc;
}
