/* db/merge.c: gathering the records a feed's parsers emit into one record
 * per (source, id). Parsers may emit an id several times (the Debian
 * tracker once per package, DSA lists once per release line); the importer
 * keeps one record with every affected entry (duplicates dropped), every
 * alias and link, and the most severe rating. Everything is copied into the
 * merger's own arena, so parsers may free theirs after each file. */
#include "db/merge.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

#define S(x) ((x) ? vigil_intern_cstr(m->strings, (x)) : NULL)

int db_merger_init(vigil_merger *m)
{
	memset(m, 0, sizeof(*m));
	m->arena = vigil_arena_new((size_t)2048 * 1024 * 1024);
	m->strings = m->arena ? vigil_intern_new(m->arena) : NULL;
	if (!m->strings) {
		db_merger_free(m);
		return vigil_error_oom();
	}
	return 0;
}

void db_merger_free(vigil_merger *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		free(m->recs[i].aliases);
		free(m->recs[i].links);
		free(m->recs[i].aff);
	}
	free(m->recs);
	free(m->index);
	vigil_intern_free(m->strings);
	vigil_arena_free(m->arena);
	memset(m, 0, sizeof(*m));
}

static size_t slot_of(const vigil_merger *m, const char *source, const char *id)
{
	uintptr_t h = ((uintptr_t)source * 31u) ^ ((uintptr_t)id * 2654435761u);
	return (size_t)(h ^ (h >> 17)) & (m->icap - 1);
}

static int grow_index(vigil_merger *m)
{
	size_t ncap = m->icap ? m->icap * 2 : 1024;
	size_t *ni = calloc(ncap, sizeof(*ni));
	if (!ni)
		return vigil_error_oom();
	free(m->index);
	m->index = ni;
	m->icap = ncap;
	for (size_t i = 0; i < m->n; i++) {
		size_t j = slot_of(m, m->recs[i].v.source, m->recs[i].v.id);
		while (m->index[j])
			j = (j + 1) & (m->icap - 1);
		m->index[j] = i + 1;
	}
	return 0;
}

static int push_str(const char ***arr, size_t *n, size_t *cap, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if ((*arr)[i] == s)
			return 0;
	if (*n >= VIGIL_FEED_MAX_REFS)
		return 0;
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 4;
		const char **na = realloc(*arr, nc * sizeof(*na));
		if (!na)
			return vigil_error_oom();
		*arr = na;
		*cap = nc;
	}
	(*arr)[(*n)++] = s;
	return 0;
}

static bool same_affected(const vigil_affected *a, const vigil_affected *b)
{
	/* strings are interned in the merger: pointers compare */
	if (a->namespace != b->namespace || a->package != b->package || a->is_source != b->is_source ||
	    a->state != b->state || a->fixed != b->fixed || a->module != b->module || a->arch != b->arch ||
	    a->scheme != b->scheme || a->symbols != b->symbols || a->nranges != b->nranges)
		return false;
	for (size_t i = 0; i < a->nranges; i++) {
		if (a->ranges[i].type != b->ranges[i].type || a->ranges[i].nevents != b->ranges[i].nevents)
			return false;
		for (size_t k = 0; k < a->ranges[i].nevents; k++)
			if (a->ranges[i].events[k].kind != b->ranges[i].events[k].kind ||
			    a->ranges[i].events[k].version != b->ranges[i].events[k].version)
				return false;
	}
	return true;
}

static int copy_affected(vigil_merger *m, const vigil_affected *src, vigil_affected *dst)
{
	*dst = *src;
	dst->namespace = S(src->namespace);
	dst->package = S(src->package);
	dst->scheme = S(src->scheme);
	dst->fixed = S(src->fixed);
	dst->module = S(src->module);
	dst->arch = S(src->arch);
	dst->vendor_severity = S(src->vendor_severity);
	dst->symbols = S(src->symbols);
	dst->ranges = NULL;
	if (src->nranges) {
		vigil_range *r = vigil_arena_calloc(m->arena, src->nranges, sizeof(*r));
		if (!r)
			return vigil_error_oom();
		for (size_t i = 0; i < src->nranges; i++) {
			r[i].type = S(src->ranges[i].type);
			r[i].nevents = src->ranges[i].nevents;
			vigil_range_event *e = vigil_arena_calloc(m->arena, r[i].nevents ? r[i].nevents : 1, sizeof(*e));
			if (!e)
				return vigil_error_oom();
			for (size_t k = 0; k < r[i].nevents; k++) {
				e[k].kind = src->ranges[i].events[k].kind;
				e[k].version = S(src->ranges[i].events[k].version);
			}
			r[i].events = e;
		}
		dst->ranges = r;
	}
	return 0;
}

static void take(const char **dst, const char *src, vigil_merger *m)
{
	if (!*dst && src)
		*dst = vigil_intern_cstr(m->strings, src);
}

int db_merger_add(vigil_merger *m, const vigil_vuln *v)
{
	const char *source = S(v->source ? v->source : "");
	const char *id = S(v->id);
	struct vigil_merged *r = NULL;
	int rc;
	if (!id || !source)
		return v->id ? vigil_error_oom() : vigil_error_set(VIGIL_EFORMAT, "a record without an id");
	if ((m->n + 1) * 2 > m->icap && (rc = grow_index(m)) < 0)
		return rc;
	size_t j = slot_of(m, source, id);
	while (m->index[j]) {
		struct vigil_merged *c = &m->recs[m->index[j] - 1];
		if (c->v.source == source && c->v.id == id) {
			r = c;
			break;
		}
		j = (j + 1) & (m->icap - 1);
	}
	if (!r) {
		if (m->n == m->cap) {
			size_t nc = m->cap ? m->cap * 2 : 1024;
			struct vigil_merged *nr = realloc(m->recs, nc * sizeof(*nr));
			if (!nr)
				return vigil_error_oom();
			m->recs = nr;
			m->cap = nc;
		}
		r = &m->recs[m->n];
		memset(r, 0, sizeof(*r));
		r->v.source = source;
		r->v.id = id;
		r->v.cvss3_score = r->v.cvss2_score = -1;
		m->index[j] = ++m->n;
	}
	take(&r->v.summary, v->summary, m);
	take(&r->v.description, v->description, m);
	take(&r->v.published, v->published, m);
	take(&r->v.modified, v->modified, m);
	if (v->severity > r->v.severity) {
		r->v.severity = v->severity;
		r->v.vendor_severity = S(v->vendor_severity);
	} else if (v->severity == r->v.severity && !r->v.vendor_severity) {
		r->v.vendor_severity = S(v->vendor_severity);
	}
	/* a score without a vector and 0.0 is "not given" (zeroed structs) */
	if (r->v.cvss3_score < 0 && (v->cvss3_vector || v->cvss3_score > 0)) {
		r->v.cvss3_vector = S(v->cvss3_vector);
		r->v.cvss3_score = v->cvss3_score;
	}
	if (r->v.cvss2_score < 0 && (v->cvss2_vector || v->cvss2_score > 0)) {
		r->v.cvss2_vector = S(v->cvss2_vector);
		r->v.cvss2_score = v->cvss2_score;
	}
	for (size_t i = 0; i < v->naliases; i++)
		if (v->aliases[i] && (rc = push_str(&r->aliases, &r->naliases, &r->caliases, S(v->aliases[i]))) < 0)
			return rc;
	for (size_t i = 0; i < v->nlinks; i++)
		if (v->links[i] && (rc = push_str(&r->links, &r->nlinks, &r->clinks, S(v->links[i]))) < 0)
			return rc;
	for (size_t i = 0; i < v->naffected; i++) {
		vigil_affected a;
		if ((rc = copy_affected(m, &v->affected[i], &a)) < 0)
			return rc;
		bool dup = false;
		for (size_t k = 0; k < r->naff && !dup; k++)
			dup = same_affected(&r->aff[k], &a);
		if (dup)
			continue;
		if (r->naff >= VIGIL_FEED_MAX_AFFECTED)
			return vigil_error_set(VIGIL_ELIMIT, "%s: more than %d affected packages", id,
					       VIGIL_FEED_MAX_AFFECTED);
		if (r->naff == r->caff) {
			size_t nc = r->caff ? r->caff * 2 : 4;
			vigil_affected *na = realloc(r->aff, nc * sizeof(*na));
			if (!na)
				return vigil_error_oom();
			r->aff = na;
			r->caff = nc;
		}
		r->aff[r->naff++] = a;
	}
	return 0;
}

void db_merged_view(const struct vigil_merged *r, vigil_vuln *out)
{
	*out = r->v;
	out->aliases = r->aliases;
	out->naliases = r->naliases;
	out->links = r->links;
	out->nlinks = r->nlinks;
	out->affected = r->aff;
	out->naffected = r->naff;
}
