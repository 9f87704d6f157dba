/* db/lookup.c: vigil_db_lookup(): the current records of one id, decoded,
 * with NVD's CVSS attached to those that have none (the enrichment NVD is
 * loaded for). */
#include "db/db.h"
#include "store/store_vuln.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

struct nvd {
	vigil_arena *arena;
	vigil_vuln v;
	int found;
};

static int take_nvd(void *ud, const char *feed, const char *rec, size_t len)
{
	struct nvd *n = ud;
	if (n->found)
		return 0;
	int rc = db_vuln_decode(rec, len, n->arena, &n->v);
	n->found = rc == 0;
	return rc;
}

struct walk {
	vigil_store *s;
	vigil_arena *arena;
	int (*fn)(void *, const char *, const vigil_vuln *, int);
	void *ud;
};

static const char *cve_of(const vigil_vuln *v)
{
	if (strncmp(v->id, "CVE-", 4) == 0)
		return v->id;
	for (size_t i = 0; i < v->naliases; i++)
		if (v->aliases[i] && strncmp(v->aliases[i], "CVE-", 4) == 0)
			return v->aliases[i];
	return NULL;
}

static int each(void *ud, const char *feed, const char *rec, size_t len)
{
	struct walk *w = ud;
	vigil_vuln v;
	int rc = db_vuln_decode(rec, len, w->arena, &v), enriched = 0;
	if (rc < 0)
		return rc;
	const char *cve = cve_of(&v);
	if (strcmp(feed, "nvd") != 0 && v.cvss3_score < 0 && v.cvss2_score < 0 && cve) {
		struct nvd n = { .arena = w->arena };
		if ((rc = store_vuln_by_name(w->s, cve, "nvd", take_nvd, &n)) < 0)
			return rc;
		if (n.found && (n.v.cvss3_score >= 0 || n.v.cvss2_score >= 0)) {
			v.cvss3_vector = n.v.cvss3_vector;
			v.cvss3_score = n.v.cvss3_score;
			v.cvss2_vector = n.v.cvss2_vector;
			v.cvss2_score = n.v.cvss2_score;
			if (v.severity == VIGIL_SEV_UNKNOWN)
				v.severity = n.v.severity;
			enriched = 1;
		}
	}
	return w->fn(w->ud, feed, &v, enriched);
}

int vigil_db_lookup(vigil_store *s, const char *id,
		    int (*fn)(void *ud, const char *feed, const vigil_vuln *v, int enriched), void *ud)
{
	struct walk w = { .s = s, .arena = vigil_arena_new(0), .fn = fn, .ud = ud };
	if (!w.arena)
		return vigil_error_oom();
	int rc = store_vuln_by_name(s, id, NULL, each, &w);
	vigil_arena_free(w.arena);
	return rc;
}
