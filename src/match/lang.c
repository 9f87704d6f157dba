/* match/lang.c: language packages (PyPI, npm, Maven, Go, crates.io,
 * RubyGems, Packagist, NuGet) against the records of their ecosystem.
 *
 * The namespace comes from the package's type and the name is normalised
 * as the ecosystem compares names (feed/lang_eco.c: the table the feeds
 * wrote the records with), so one store lookup finds every record of the
 * package, whatever feed wrote it (OSV, RubySec, FriendsOfPHP, the
 * Node.js WG). Each record's affected entry is evaluated on its ranges in
 * the ecosystem's order (eval.c: introduced / fixed / last_affected, an
 * explicit versions list, GIT ranges ignored): language records always
 * carry ranges, so a "fixed" state never stands for "below fixed" alone
 * (an introduced event matters: jackson-databind 2.9 is not affected by a
 * 2.13-only bug).
 *
 * Records that matched and share an id (a record's id or one of its
 * aliases: GHSA-x aliasing CVE-y, PYSEC-z aliasing both) are one
 * vulnerability and give ONE finding. Its id is the matched record id
 * ranked first: the ecosystem's own database (GO-, PYSEC-, RUSTSEC-),
 * then GHSA-, then CVE-, then the rest, ties by byte order; every other
 * id of the group is an alias. The finding's fixed version is the highest
 * fixed version the records give above the package's version (upgrading
 * to it clears them all), its severity the highest of the records', its
 * Go symbols the union of theirs.
 *
 * A package whose file an OS package owns (VIGIL_PKG_F_OS_OWNED) is not
 * matched unless opt->lang_os_owned: the OS vendor patches it in place
 * and its own feed decides (docs/matching.md). */
#include "feed/lang_eco.h"
#include "match/match_priv.h"
#include "store/store_vuln.h"
#include "util/error.h"
#include "util/grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Records matched for one package. */
#define LANG_MAX_CANDS 100000

struct lcand {
	const struct mrow *r;
	const vigil_vuln *rec;
	const vigil_affected *af;
	const char *fixed, *range;
	size_t up;                 /* union-find parent */
};

static size_t root(struct lcand *c, size_t i)
{
	while (c[i].up != i)
		i = c[i].up = c[c[i].up].up;
	return i;
}

static bool has_id(const vigil_vuln *v, const char *id)
{
	if (!strcmp(v->id, id))
		return true;
	for (size_t i = 0; i < v->naliases; i++)
		if (!strcmp(v->aliases[i], id))
			return true;
	return false;
}

static bool shares_id(const vigil_vuln *a, const vigil_vuln *b)
{
	if (has_id(b, a->id))
		return true;
	for (size_t i = 0; i < a->naliases; i++)
		if (has_id(b, a->aliases[i]))
			return true;
	return false;
}

/* Lower is preferred as a finding's id. */
static int id_rank(const char *id)
{
	if (!strncmp(id, "GO-", 3) || !strncmp(id, "PYSEC-", 6) || !strncmp(id, "RUSTSEC-", 8))
		return 0;
	if (!strncmp(id, "GHSA-", 5))
		return 1;
	if (!strncmp(id, "CVE-", 4))
		return 2;
	return 3;
}

static bool better_id(const char *a, const char *b)
{
	int ra = id_rank(a), rb = id_rank(b);
	return ra != rb ? ra < rb : strcmp(a, b) < 0;
}

/* Appends s to list[*n] unless there already (or equal to skip). */
static void add_unique(const char **list, size_t *n, size_t max, const char *s, const char *skip)
{
	if (!s || !strcmp(s, skip) || *n >= max)
		return;
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(list[i], s))
			return;
	list[(*n)++] = s;
}

/* The aliases and Go symbols of group g (primary id skipped). */
static int group_lists(struct vigil_match_internal *m, struct lcand *c, size_t n, size_t g, const char *primary,
		       vigil_finding *f)
{
	size_t nal = 0, nsym = 0;
	for (size_t i = 0; i < n; i++) {
		if (root(c, i) != g)
			continue;
		nal += 1 + c[i].rec->naliases;
		for (const char *p = c[i].af->symbols; p && *p; p++)
			nsym += *p == '\n';
		nsym += c[i].af->symbols != NULL;
	}
	const char **al = vigil_arena_alloc(m->arena, (nal ? nal : 1) * sizeof(*al));
	const char **sy = vigil_arena_alloc(m->arena, (nsym ? nsym : 1) * sizeof(*sy));
	if (!al || !sy)
		return vigil_error_code();
	f->naliases = f->nsymbols = 0;
	for (size_t i = 0; i < n; i++) {
		if (root(c, i) != g)
			continue;
		add_unique(al, &f->naliases, nal, c[i].rec->id, primary);
		for (size_t k = 0; k < c[i].rec->naliases; k++)
			add_unique(al, &f->naliases, nal, c[i].rec->aliases[k], primary);
		for (const char *p = c[i].af->symbols; p && *p;) {
			const char *e = strchr(p, '\n');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			const char *s = vigil_intern_str(m->strs, p, len);
			if (!s)
				return vigil_error_code();
			add_unique(sy, &f->nsymbols, nsym, s, "");
			p += len + (e != NULL);
		}
	}
	f->aliases = f->naliases ? al : NULL;
	f->symbols = f->nsymbols ? sy : NULL;
	return 0;
}

/* One finding per group of records that alias each other. */
static int add_groups(struct pkgctx *pc, const char *ns, struct lcand *c, size_t n, match_cmp_fn cmp)
{
	for (size_t g = 0; g < n; g++) {
		size_t best = g;
		const char *fixed = NULL;
		int sev = 0, rc;
		if (root(c, g) != g)
			continue;
		for (size_t i = 0; i < n; i++) {
			if (root(c, i) != g)
				continue;
			if (better_id(c[i].rec->id, c[best].rec->id))
				best = i;
			if (c[i].fixed && (!fixed || cmp(c[i].fixed, strlen(c[i].fixed), fixed, strlen(fixed)) > 0))
				fixed = c[i].fixed;
			if (c[i].r->severity > sev)
				sev = c[i].r->severity;
		}
		struct verdict v = { .match = true, .r = c[best].r, .state = fixed ? VIGIL_STATE_FIXED
										     : VIGIL_STATE_AFFECTED,
				     .fixed = fixed, .range = c[best].range };
		if ((rc = match_add_finding(pc, &v)) < 0)
			return rc;
		vigil_finding *f = &pc->rep->findings[pc->rep->finding_count - 1];
		f->namespace = ns;
		f->severity = (vigil_severity)sev;
		if ((rc = group_lists(pc->m, c, n, g, c[best].rec->id, f)) < 0)
			return rc;
	}
	return 0;
}

/* Ranges of commits only say nothing of versions: such an entry is not
 * matched (an entry with no range at all covers every version, as OSV says). */
static bool git_only(const vigil_affected *a)
{
	for (size_t r = 0; r < a->nranges; r++)
		if (!a->ranges[r].type || strcmp(a->ranges[r].type, "GIT") != 0)
			return false;
	return a->nranges > 0;
}

/* A record lists a package once per range set (GHSA: jackson-databind
 * 2.6.x, 2.7-2.9.x, 2.10.x as three entries): the first entry of (ns,
 * package) whose ranges hold version, NULL when none does. */
static const vigil_affected *affected_match(struct vigil_match_internal *m, const vigil_vuln *rec, const char *ns,
					    const char *package, match_cmp_fn cmp, const char *version,
					    const char **range, const char **fixed)
{
	for (size_t i = 0; i < rec->naffected; i++) {
		const vigil_affected *a = &rec->affected[i];
		if (a->namespace && a->package && !a->is_source && !strcmp(a->namespace, ns) &&
		    !strcmp(a->package, package) && !git_only(a) &&
		    match_ranges(m->arena, a, cmp, version, range, fixed))
			return a;
	}
	return NULL;
}

static bool seen_before(const struct name_rows *nr, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (nr->rows[k].vuln == nr->rows[i].vuln)
			return true;
	return false;
}

int match_lang_package(struct pkgctx *pc)
{
	struct vigil_match_internal *m = pc->m;
	const vigil_package *p = pc->p;
	const feed_lang_eco *eco = feed_lang_by_type(p->type);
	char name[FEED_LANG_MAX_NAME + 1];
	struct name_rows *nr;
	struct lcand *c = NULL;
	size_t n = 0, alloc = 0;
	const char *ns;
	int rc = 0;

	if (!eco || !p->name || !p->version || !feed_lang_name(eco, p->name, strlen(p->name), name, sizeof(name)))
		return 0;
	if ((p->flags & VIGIL_PKG_F_OS_OWNED) && !m->opt->lang_os_owned)
		return 0; /* the OS vendor's: its feed decides */
	if (!(ns = vigil_intern_cstr(m->strs, eco->ns)))
		return vigil_error_code();
	if ((rc = match_rows_of(m, ns, name, &nr)) < 0)
		return rc;
	pc->rep->packages_matched++;
	match_cmp_fn cmp = match_comparator(eco->scheme, p->type);
	for (size_t i = 0; i < nr->n && rc == 0; i++) {
		const struct mrow *r = &nr->rows[i];
		const vigil_vuln *rec;
		const vigil_affected *af;
		const char *range, *fixed;
		match_cmp_fn rc_cmp = match_comparator(r->scheme, p->type);
		if (r->is_source || !rc_cmp || r->state == VIGIL_STATE_NOT_AFFECTED)
			continue;
		if (seen_before(nr, i))
			continue; /* one row per affected entry: the record is evaluated once */
		if ((rc = match_record(m, r->vuln, &rec)) < 0)
			break;
		if (!(af = affected_match(m, rec, ns, r->package, rc_cmp, p->version, &range, &fixed)))
			continue;
		if ((rc = vigil_grow((void **)&c, &alloc, n, sizeof(*c), 16, LANG_MAX_CANDS)) < 0)
			break;
		c[n] = (struct lcand){ .r = r, .rec = rec, .af = af, .fixed = fixed, .range = range, .up = n };
		n++;
	}
	for (size_t i = 0; i < n && rc == 0; i++)
		for (size_t j = i + 1; j < n; j++)
			if (root(c, i) != root(c, j) && shares_id(c[i].rec, c[j].rec))
				c[root(c, j)].up = root(c, i);
	if (rc == 0 && n)
		rc = add_groups(pc, ns, c, n, cmp);
	free(c);
	return rc;
}

int match_lang_namespaces(struct vigil_match_internal *m, const vigil_vuln_report *r, const char **ns,
			  size_t *n, size_t cap)
{
	const vigil_index_report *ir = r->index;
	bool seen[VIGIL_PKG_NUGET + 1] = { false };
	for (size_t i = 0; i < ir->package_count && *n < cap; i++) {
		const vigil_package *p = &ir->packages[i];
		const feed_lang_eco *e = feed_lang_by_type(p->type);
		if (!e || (unsigned)p->type > VIGIL_PKG_NUGET || seen[p->type])
			continue;
		if ((p->flags & VIGIL_PKG_F_OS_OWNED) && !m->opt->lang_os_owned)
			continue;
		seen[p->type] = true;
		ns[(*n)++] = e->ns;
	}
	return 0;
}
