/* match/enrich.c: the details of a finding, from its record: summary,
 * description, links, aliases, the vendor's word for the severity and the
 * CVSS score. A record with no CVSS gets NVD's (by its CVE id or its first
 * CVE alias) when NVD is loaded, and a finding of Unknown severity takes
 * the level of that score. An advisory of Unknown severity (a DSA or DLA
 * list gives none) is rated by the CVEs it fixes: the vendor's rating of
 * each CVE in the namespace, else NVD's, the most severe. Records are
 * decoded once per scan and kept in the scan's arena. */
#include "db/db.h"
#include "match/match_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

static const vigil_vuln no_record;

struct decode {
	struct vigil_match_internal *m;
	vigil_vuln *v;
	int found;
};

static int take(void *ud, const char *rec, size_t len)
{
	struct decode *d = ud;
	if (d->found)
		return 0;
	if (!(d->v = vigil_arena_alloc(d->m->arena, sizeof(*d->v))))
		return vigil_error_code();
	int rc = db_vuln_decode(rec, len, d->m->arena, d->v);
	if (rc < 0) {
		vigil_error_prefix("decoding a stored record: ");
		return rc;
	}
	d->found = 1;
	return 0;
}

int match_record(struct vigil_match_internal *m, int64_t vuln, const vigil_vuln **out)
{
	char key[32];
	snprintf(key, sizeof(key), "r%lld", (long long)vuln);
	const vigil_vuln *v = vigil_map_get_cstr(&m->records, key);
	struct decode d = { .m = m };
	int rc;
	if (v) {
		*out = v;
		return 0;
	}
	if ((rc = store_reader_record(m->reader, vuln, take, &d)) < 0)
		return rc;
	if (!d.found)
		return vigil_error_set(VIGIL_ESTORE, "record %lld is referenced but missing", (long long)vuln);
	const char *k = vigil_arena_strdup(m->arena, key);
	if (!k || (rc = vigil_map_set_cstr(&m->records, k, d.v)) < 0)
		return k ? rc : vigil_error_code();
	*out = d.v;
	return 0;
}

const vigil_affected *match_affected_entry(const vigil_vuln *v, const char *ns, const char *package,
					   int is_source)
{
	for (size_t i = 0; i < v->naffected; i++) {
		const vigil_affected *a = &v->affected[i];
		if (a->namespace && a->package && !strcmp(a->namespace, ns) && !strcmp(a->package, package) &&
		    a->is_source == is_source)
			return a;
	}
	return NULL;
}

/* A '\n'-joined list as an arena array. */
static int split(vigil_arena *a, const char *joined, const char *const **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!joined || !*joined)
		return 0;
	size_t count = 1;
	for (const char *p = joined; *p; p++)
		count += *p == '\n';
	const char **list = vigil_arena_alloc(a, count * sizeof(*list));
	if (!list)
		return vigil_error_code();
	for (const char *p = joined;;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (!(list[*n] = vigil_arena_strndup(a, p, len)))
			return vigil_error_code();
		(*n)++;
		if (!e)
			break;
		p = e + 1;
	}
	*out = list;
	return 0;
}

struct take_detail {
	struct vigil_match_internal *m;
	vigil_vuln *v;
};

static const char *dup_or_null(vigil_arena *a, const char *s, int *rc)
{
	const char *d = s ? vigil_arena_strdup(a, s) : NULL;
	if (s && !d)
		*rc = vigil_error_code();
	return d;
}

static int on_detail(void *ud, const vigil_vuln_detail *d)
{
	struct take_detail *t = ud;
	vigil_arena *a = t->m->arena;
	vigil_vuln *v = vigil_arena_calloc(a, 1, sizeof(*v));
	int rc = 0;
	if (!v)
		return vigil_error_code();
	v->summary = dup_or_null(a, d->summary, &rc);
	v->description = dup_or_null(a, d->description, &rc);
	v->published = dup_or_null(a, d->published, &rc);
	v->vendor_severity = dup_or_null(a, d->vendor_severity, &rc);
	v->cvss3_vector = dup_or_null(a, d->cvss3_vector, &rc);
	v->cvss2_vector = dup_or_null(a, d->cvss2_vector, &rc);
	v->cvss3_score = d->cvss3_score;
	v->cvss2_score = d->cvss2_score;
	if (rc < 0 || (rc = split(a, d->links, &v->links, &v->nlinks)) < 0 ||
	    (rc = split(a, d->aliases, &v->aliases, &v->naliases)) < 0)
		return rc;
	t->v = v;
	return 0;
}

/* What findings show of record vuln: its detail row, or the decoded record
 * when the row is missing (data written before schema 4). Cached. */
static int detail(struct vigil_match_internal *m, int64_t vuln, const vigil_vuln **out)
{
	char key[32];
	snprintf(key, sizeof(key), "d%lld", (long long)vuln);
	const vigil_vuln *v = vigil_map_get_cstr(&m->details, key);
	struct take_detail t = { .m = m };
	int rc;
	if (v) {
		*out = v;
		return 0;
	}
	rc = store_reader_detail(m->reader, vuln, on_detail, &t);
	if (rc == VIGIL_ENOTFOUND) {
		vigil_error_clear();
		if ((rc = match_record(m, vuln, &v)) < 0)
			return rc;
		t.v = (vigil_vuln *)v;
	} else if (rc < 0) {
		return rc;
	}
	const char *k = vigil_arena_strdup(m->arena, key);
	if (!k || (rc = vigil_map_set_cstr(&m->details, k, t.v)) < 0)
		return k ? rc : vigil_error_code();
	*out = t.v;
	return 0;
}

/* NVD's CVSS of a CVE, NULL when NVD has none (cached either way). */
static int nvd_record(struct vigil_match_internal *m, const char *cve, const vigil_vuln **out)
{
	const vigil_vuln *v = vigil_map_get_cstr(&m->nvd, cve);
	struct take_detail t = { .m = m };
	int rc;
	*out = NULL;
	if (v) {
		*out = v == &no_record ? NULL : v;
		return 0;
	}
	rc = store_reader_named_detail(m->reader, "nvd", cve, on_detail, &t);
	if (rc == VIGIL_ENOTFOUND)
		vigil_error_clear();
	else if (rc < 0)
		return rc;
	if ((rc = vigil_map_set_cstr(&m->nvd, cve, t.v ? (void *)t.v : (void *)&no_record)) < 0)
		return rc;
	*out = t.v;
	return 0;
}

static void take_cvss(vigil_finding *f, const vigil_vuln *v, const char *source)
{
	if (v->cvss3_score >= 0) {
		f->cvss_score = v->cvss3_score;
		f->cvss_vector = v->cvss3_vector;
		f->cvss_source = source;
	} else if (v->cvss2_score >= 0) {
		f->cvss_score = v->cvss2_score;
		f->cvss_vector = v->cvss2_vector;
		f->cvss_source = source;
	}
}

/* The vendor's own rating of cve for the package of row r in the image's
 * namespace: the most severe level of the rows of other feeds whose id is
 * that CVE (the Debian tracker's per-release urgency, Ubuntu's priority,
 * Red Hat's impact). UNKNOWN when none rates it. */
static int vendor_cve_level(struct vigil_match_internal *m, const struct mrow *r, const char *cve,
			    vigil_severity *out)
{
	struct name_rows *nr;
	int rc;
	*out = VIGIL_SEV_UNKNOWN;
	if ((rc = match_rows_of(m, m->ns, r->package, &nr)) < 0)
		return rc;
	for (size_t i = 0; i < nr->n; i++) {
		const struct mrow *o = &nr->rows[i];
		if (o->is_source == r->is_source && o->feed != r->feed && o->severity > (int)*out &&
		    match_cve_key(m->strs, o->id) == cve)
			*out = (vigil_severity)o->severity;
	}
	return 0;
}

/* An advisory (DSA, DLA, RHSA, USN: not a CVE, CVE aliases) rated by its
 * CVEs: for each, the vendor's rating of that CVE in the namespace, else
 * NVD's CVSS; the advisory takes the most severe, and NVD's highest score
 * when it has none. docs/matching.md, "Advisories". */
static int advisory_by_cves(struct vigil_match_internal *m, vigil_finding *f, const struct mrow *r,
			    const vigil_vuln *rec)
{
	const vigil_vuln *best_nvd = NULL;
	double best_score = -1;
	vigil_severity level = VIGIL_SEV_UNKNOWN;
	int rc;
	if (f->namespace != m->ns || !m->ns || match_cve_key(m->strs, r->id))
		return 0;
	for (size_t i = 0; i < rec->naliases; i++) {
		const char *cve = match_cve_key(m->strs, rec->aliases[i]);
		const vigil_vuln *nvd = NULL;
		vigil_severity v;
		if (!cve)
			continue;
		if ((rc = vendor_cve_level(m, r, cve, &v)) < 0)
			return rc;
		if (!m->opt->no_enrich && (rc = nvd_record(m, cve, &nvd)) < 0)
			return rc;
		double score = !nvd ? -1 : nvd->cvss3_score >= 0 ? nvd->cvss3_score : nvd->cvss2_score;
		if (score > best_score) {
			best_score = score;
			best_nvd = nvd;
		}
		if (v == VIGIL_SEV_UNKNOWN && score >= 0)
			v = vigil_severity_from_cvss(score);
		if (v > level)
			level = v;
	}
	if (f->cvss_score < 0 && best_nvd)
		take_cvss(f, best_nvd, "nvd");
	if (f->severity == VIGIL_SEV_UNKNOWN)
		f->severity = level;
	return 0;
}

int match_enrich(struct vigil_match_internal *m, vigil_finding *f, const struct mrow *r)
{
	const vigil_vuln *rec = NULL, *nvd = NULL;
	int rc;
	if ((rc = detail(m, r->vuln, &rec)) < 0)
		return rc;
	f->summary = rec->summary;
	f->description = rec->description;
	f->published = rec->published;
	f->links = rec->links;
	f->nlinks = rec->nlinks;
	if (!f->aliases) { /* language findings bring the ids of their whole group (lang.c) */
		f->aliases = rec->aliases;
		f->naliases = rec->naliases;
	}
	f->vendor_severity = r->vendor_severity ? r->vendor_severity : rec->vendor_severity;
	f->cvss_score = -1;
	take_cvss(f, rec, r->source);
	if (f->severity == VIGIL_SEV_UNKNOWN && (rc = advisory_by_cves(m, f, r, rec)) < 0)
		return rc;
	if (f->cvss_score < 0 && !m->opt->no_enrich) {
		const char *cve = match_cve_key(m->strs, r->id);
		for (size_t i = 0; !cve && i < rec->naliases; i++)
			cve = match_cve_key(m->strs, rec->aliases[i]);
		if (cve && (rc = nvd_record(m, cve, &nvd)) < 0)
			return rc;
		if (nvd)
			take_cvss(f, nvd, "nvd");
	}
	if (f->severity == VIGIL_SEV_UNKNOWN && f->cvss_score >= 0)
		f->severity = vigil_severity_from_cvss(f->cvss_score);
	return 0;
}
