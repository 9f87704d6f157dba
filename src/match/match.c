/* match/match.c: vigil_match(): an index report against the current
 * vulnerability data of its namespace.
 *
 * The store is asked once per distinct package name (binary names and
 * source names), through a reader whose statements are prepared once. For
 * each package the candidate rows (its binary name's binary rows, its
 * source name's source rows) are grouped by vulnerability: a CVE id, or an
 * id carrying one ("UBUNTU-CVE-2021-3711"), is one group whatever the feed;
 * in each group the most authoritative feed of the namespace decides
 * (eval.c). Advisories (DSA, DLA, RHSA, USN: ids that are not CVEs but have
 * CVE aliases) are evaluated after: one whose CVEs were all decided for the
 * package is folded into those findings; one that names a CVE nobody else
 * decided stands as its own finding. Details (description, links, CVSS,
 * NVD's when the record has none) are attached last, from records decoded
 * once per scan (enrich.c). Language packages go to lang.c, with the
 * namespace of their ecosystem. Rules: docs/matching.md. */
#include "feed/lang_eco.h"
#include "match/match_priv.h"
#include "util/error.h"
#include "util/grow.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int match_warn(struct vigil_match_internal *m, vigil_vuln_report *r, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (m->opt->warn)
		m->opt->warn(m->opt->warn_ud, msg);
	if (r->warning_count >= MATCH_MAX_WARNINGS)
		return 0;
	int rc = vigil_grow((void **)&m->warnings, &m->alloc_warnings, r->warning_count,
			    sizeof(*m->warnings), 8, MATCH_MAX_WARNINGS);
	const char *s = rc == 0 ? vigil_arena_strdup(m->arena, msg) : NULL;
	if (!s)
		return rc < 0 ? rc : vigil_error_code();
	m->warnings[r->warning_count++] = s;
	r->warnings = m->warnings;
	return 0;
}

/* ---- rows of a package name ---- */
struct collect {
	struct vigil_match_internal *m;
	struct mrow *rows;
	size_t n, alloc;
};

static const char *in(struct vigil_match_internal *m, const char *s)
{
	return s ? vigil_intern_cstr(m->strs, s) : NULL;
}

static int collect_row(void *ud, const vigil_affected_row *r)
{
	struct collect *c = ud;
	struct vigil_match_internal *m = c->m;
	int rc;
	if (++m->rows_read > MATCH_MAX_ROWS)
		return vigil_error_set(VIGIL_ELIMIT, "more than %d affected rows for one image",
				       MATCH_MAX_ROWS);
	if ((rc = vigil_grow((void **)&c->rows, &c->alloc, c->n, sizeof(*c->rows), 16, MATCH_MAX_ROWS)) < 0)
		return rc;
	struct mrow *o = &c->rows[c->n++];
	*o = (struct mrow){
		.feed = in(m, r->feed), .id = in(m, r->id), .source = in(m, r->source),
		.package = in(m, r->package), .scheme = in(m, r->scheme), .fixed = in(m, r->fixed),
		.module = in(m, r->module), .arch = in(m, r->arch),
		.vendor_severity = in(m, r->vendor_severity), .vuln = r->vuln,
		.is_source = r->is_source, .state = r->state, .severity = r->severity,
		.rank = match_feed_rank(r->feed),
	};
	if (!o->feed || !o->id || !o->package)
		return vigil_error_code();
	return 0;
}

int match_rows_of(struct vigil_match_internal *m, const char *ns, const char *name, struct name_rows **out)
{
	struct collect c = { .m = m };
	char key[FEED_LANG_MAX_NAME + 160];
	struct name_rows *nr;
	int rc;
	/* the image's namespace is the common case: the name alone is the key */
	if (ns == m->ns)
		snprintf(key, sizeof(key), "%s", name);
	else if (snprintf(key, sizeof(key), "%s\n%s", ns, name) >= (int)sizeof(key))
		return vigil_error_set(VIGIL_ELIMIT, "%s: package name too long", ns);
	if ((nr = vigil_map_get_cstr(&m->names, key))) {
		*out = nr;
		return 0;
	}
	if (!(nr = vigil_arena_calloc(m->arena, 1, sizeof(*nr))) || !(nr->name = in(m, key)))
		return vigil_error_code();
	if ((rc = store_reader_affected(m->reader, ns, name, collect_row, &c)) < 0)
		goto out;
	if (c.n) {
		if (!(nr->rows = vigil_arena_alloc(m->arena, c.n * sizeof(*nr->rows)))) {
			rc = vigil_error_code();
			goto out;
		}
		memcpy(nr->rows, c.rows, c.n * sizeof(*nr->rows));
		nr->n = c.n;
	}
	if ((rc = vigil_map_set_cstr(&m->names, nr->name, nr)) == 0)
		*out = nr;
out:
	free(c.rows);
	return rc;
}

/* ---- one package ---- */
struct cand {
	const struct mrow *r;
	bool by_source;
	const char *key;       /* CVE id, or the record's id */
	bool is_cve;
};


static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	if (x->r->rank != y->r->rank)
		return x->r->rank < y->r->rank ? -1 : 1;
	return strcmp(x->r->id, y->r->id);
}

static bool same_opt(const char *a, const char *b)
{
	return (!a || !*a) ? (!b || !*b) : (b && !strcmp(a, b));
}

/* An AFFECTED row: the version inside the ranges of an AFFECTED entry of
 * the record for this package (module and arch as the row's). A record
 * may hold several (two files of one release imported together, each
 * with its own bound): each is judged on its own ranges, never on another
 * entry's; no such entry at all is every version, as before. */
static int eval_ranges(struct pkgctx *pc, const struct mrow *r, match_cmp_fn cmp, const char *ver,
		       struct verdict *v)
{
	const vigil_vuln *rec;
	bool any = false;
	int rc = match_record(pc->m, r->vuln, &rec);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < rec->naffected && !v->match; i++) {
		const vigil_affected *af = &rec->affected[i];
		if (af->state != VIGIL_STATE_AFFECTED || !af->namespace || !af->package ||
		    strcmp(af->namespace, pc->m->ns) != 0 || strcmp(af->package, r->package) != 0 ||
		    af->is_source != r->is_source || !same_opt(af->module, r->module) || !same_opt(af->arch, r->arch))
			continue;
		any = true;
		v->match = match_ranges(pc->m->arena, af, cmp, ver, &v->range, &v->fixed);
	}
	if (!any)
		v->match = true;
	return 0;
}

/* Does row r (found through the binary or the source name) match p? */
static int eval_row(struct pkgctx *pc, const struct cand *c, struct verdict *v)
{
	const struct mrow *r = c->r;
	const vigil_package *p = pc->p;
	const char *ver = c->by_source ? pc->src_version : p->version;
	match_cmp_fn cmp = match_comparator(r->scheme, p->type);
	memset(v, 0, sizeof(*v));
	v->r = r;
	v->by_source = c->by_source;
	v->state = (vigil_vuln_state)r->state;
	if (!cmp || !ver || !match_arch_ok(r->arch, p->arch) ||
	    (p->type == VIGIL_PKG_RPM && !match_module_ok(r->module, p->module)) ||
	    !match_flavor_ok(pc->m->ns, r->fixed, ver))
		return 0;
	switch ((vigil_vuln_state)r->state) {
	case VIGIL_STATE_NOT_AFFECTED:
		return 0;
	case VIGIL_STATE_FIXED:
		if (r->fixed && cmp(ver, strlen(ver), r->fixed, strlen(r->fixed)) < 0) {
			v->match = true;
			v->fixed = r->fixed;
		}
		return 0;
	case VIGIL_STATE_NOT_FIXED:
	case VIGIL_STATE_WILL_NOT_FIX:
		v->match = true;
		return 0;
	case VIGIL_STATE_AFFECTED:
		return eval_ranges(pc, r, cmp, ver, v);
	}
	return 0;
}

/* The verdict of one group (candidates of one key, best feed first). */
static int eval_group(struct pkgctx *pc, const struct cand *g, size_t n, struct verdict *out)
{
	int best = g[0].r->rank, rc;
	match_cmp_fn cmp = match_comparator(g[0].r->scheme, pc->p->type);
	memset(out, 0, sizeof(*out));
	/* the vendor cleared this very binary */
	for (size_t i = 0; i < n && g[i].r->rank == best; i++)
		if (!g[i].by_source && g[i].r->state == VIGIL_STATE_NOT_AFFECTED)
			return 0;
	for (size_t i = 0; i < n && g[i].r->rank == best; i++) {
		struct verdict v;
		if ((rc = eval_row(pc, &g[i], &v)) < 0)
			return rc;
		if (!v.match)
			continue;
		if (!out->match) {
			*out = v;
		} else if (out->fixed && !v.fixed) {
			*out = v; /* no fix anywhere beats a fix */
		} else if (out->fixed && v.fixed && cmp &&
			   cmp(v.fixed, strlen(v.fixed), out->fixed, strlen(out->fixed)) > 0) {
			*out = v; /* the highest fixed version among several builds */
		}
	}
	return 0;
}

int match_add_finding(struct pkgctx *pc, const struct verdict *v)
{
	vigil_vuln_report *rep = pc->rep;
	struct vigil_match_internal *m = pc->m;
	size_t n = rep->finding_count;
	int rc;
	if ((rc = vigil_grow((void **)&rep->findings, &m->alloc_findings, n, sizeof(*rep->findings), 64,
			     MATCH_MAX_FINDINGS)) < 0 ||
	    (rc = vigil_grow((void **)pc->frows, pc->alloc_frows, n, sizeof(**pc->frows), 64,
			     MATCH_MAX_FINDINGS)) < 0)
		return rc == VIGIL_ELIMIT ? vigil_error_set(rc, "more than %d findings", MATCH_MAX_FINDINGS) : rc;
	vigil_finding *f = &rep->findings[n];
	memset(f, 0, sizeof(*f));
	f->package_index = pc->index;
	f->package = pc->p;
	f->id = v->r->id;
	f->feed = v->r->feed;
	f->source = v->r->source;
	f->namespace = m->ns;
	f->matched_name = v->r->package;
	f->by_source = v->by_source;
	f->state = v->state == VIGIL_STATE_FIXED && !v->fixed ? VIGIL_STATE_AFFECTED : v->state;
	f->fixed = v->fixed;
	f->affected_range = v->range;
	if (!f->affected_range && v->fixed) {
		size_t len = strlen(v->fixed) + 3;
		char *s = vigil_arena_alloc(m->arena, len);
		if (!s)
			return vigil_error_code();
		snprintf(s, len, "< %s", v->fixed);
		f->affected_range = s;
	}
	f->module = v->r->module;
	f->severity = (vigil_severity)v->r->severity;
	f->cvss_score = -1;
	f->introduced_in = pc->p->introduced_in;
	(*pc->frows)[n] = v->r;
	rep->finding_count++;
	return 0;
}

/* An advisory that matched: fold it into the findings of its CVEs when
 * every one of them was decided for this package; else it stands. */
static int advisory(struct pkgctx *pc, const struct verdict *v, const char *const *decided,
		    size_t ndecided, size_t first)
{
	struct vigil_match_internal *m = pc->m;
	const vigil_vuln *rec;
	size_t cves = 0, known = 0;
	int rc;
	if ((rc = match_record(m, v->r->vuln, &rec)) < 0)
		return rc;
	for (size_t i = 0; i < rec->naliases; i++) {
		const char *k = match_cve_key(m->strs, rec->aliases[i]);
		if (!k)
			continue;
		cves++;
		for (size_t j = 0; j < ndecided; j++)
			if (decided[j] == k) {
				known++;
				break;
			}
	}
	if (cves == 0 || known < cves)
		return match_add_finding(pc, v);
	for (size_t i = first; i < pc->rep->finding_count; i++) {
		vigil_finding *f = &pc->rep->findings[i];
		const char *k = match_cve_key(m->strs, f->id);
		bool named = false;
		for (size_t a = 0; k && a < rec->naliases && !named; a++)
			named = match_cve_key(m->strs, rec->aliases[a]) == k;
		if (!named)
			continue;
		const char **adv = vigil_arena_alloc(m->arena, (f->nadvisories + 1) * sizeof(*adv));
		if (!adv)
			return vigil_error_code();
		if (f->nadvisories)
			memcpy(adv, f->advisories, f->nadvisories * sizeof(*adv));
		adv[f->nadvisories++] = v->r->id;
		f->advisories = adv;
	}
	return 0;
}

static int match_package(struct pkgctx *pc, struct cand **scratch, size_t *alloc)
{
	struct vigil_match_internal *m = pc->m;
	const vigil_package *p = pc->p;
	const char *src = p->source_name ? p->source_name : p->name;
	struct name_rows *bin, *srcr;
	size_t n = 0, first = pc->rep->finding_count, ndecided = 0;
	const char **decided = NULL;
	int rc;

	if ((rc = match_rows_of(m, m->ns, p->name, &bin)) < 0 || (rc = match_rows_of(m, m->ns, src, &srcr)) < 0)
		return rc;
	for (int pass = 0; pass < 2; pass++) {
		const struct name_rows *nr = pass == 0 ? bin : srcr;
		for (size_t i = 0; i < nr->n; i++) {
			const struct mrow *r = &nr->rows[i];
			if (r->is_source != pass)
				continue;
			if ((rc = vigil_grow((void **)scratch, alloc, n, sizeof(**scratch), 64, MATCH_MAX_ROWS)) < 0)
				return rc;
			const char *cve = match_cve_key(m->strs, r->id);
			(*scratch)[n++] = (struct cand){ .r = r, .by_source = pass == 1,
							 .key = cve ? cve : r->id, .is_cve = cve != NULL };
		}
	}
	if (n == 0)
		return 0;
	qsort(*scratch, n, sizeof(**scratch), cand_cmp);
	if (!(decided = malloc(n * sizeof(*decided))))
		return vigil_error_oom();
	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		for (size_t i = 0, j; i < n && rc == 0; i = j) {
			struct cand *g = &(*scratch)[i];
			for (j = i + 1; j < n && (*scratch)[j].key == g->key; j++)
				;
			if (g->is_cve != (pass == 0))
				continue;
			struct verdict v;
			if ((rc = eval_group(pc, g, j - i, &v)) < 0 || !v.match) {
				if (pass == 0)
					decided[ndecided++] = g->key;
				continue;
			}
			if (pass == 0) {
				decided[ndecided++] = g->key;
				rc = match_add_finding(pc, &v);
			} else {
				rc = advisory(pc, &v, decided, ndecided, first);
			}
		}
	}
	free(decided);
	return rc;
}

/* The source version of p as the feeds write it: rpm source versions carry
 * the binary's epoch (a SOURCERPM file name has none). */
static const char *source_version(struct vigil_match_internal *m, const vigil_package *p)
{
	const char *sv = p->source_version ? p->source_version : p->version;
	if (p->type == VIGIL_PKG_RPM && p->epoch && strcmp(p->epoch, "0") && sv && !strchr(sv, ':')) {
		size_t len = strlen(p->epoch) + strlen(sv) + 2;
		char *s = vigil_arena_alloc(m->arena, len);
		if (s)
			snprintf(s, len, "%s:%s", p->epoch, sv);
		return s;
	}
	return sv;
}

int match_packages(struct vigil_match_internal *m, vigil_vuln_report *rep, const struct mrow ***frows,
		   size_t *alloc_frows)
{
	const vigil_index_report *ir = rep->index;
	struct cand *scratch = NULL;
	size_t alloc = 0;
	int rc = 0;
	for (size_t i = 0; i < ir->package_count && rc == 0; i++) {
		const vigil_package *p = &ir->packages[i];
		if (p->type == VIGIL_PKG_RPM && !strcmp(p->name, "gpg-pubkey"))
			continue; /* keys rpm lists as packages: nothing to match */
		struct pkgctx pc = { .m = m, .rep = rep, .index = i, .p = p,
				     .src_version = source_version(m, p), .frows = frows,
				     .alloc_frows = alloc_frows };
		if (vigil_pkg_type_is_lang(p->type)) {
			rc = match_lang_package(&pc); /* lang.c */
			continue;
		}
		if (!m->ns)
			continue; /* no namespace for the distribution: warned already */
		rep->packages_matched++;
		rc = match_package(&pc, &scratch, &alloc);
	}
	free(scratch);
	return rc;
}
