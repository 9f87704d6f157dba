/* db/merge.h: one record per (source, id) out of a feed's emissions (merge.c). */
#ifndef VIGIL_DB_MERGE_H
#define VIGIL_DB_MERGE_H

#include "db/db.h"

struct vigil_merged {
	vigil_vuln v;
	const char **aliases, **links;
	size_t naliases, caliases, nlinks, clinks;
	vigil_affected *aff;
	size_t naff, caff;
};

typedef struct vigil_merger {
	vigil_arena *arena;
	vigil_intern *strings;
	struct vigil_merged *recs;
	size_t n, cap;
	size_t *index; /* open addressing: record index + 1 */
	size_t icap;
} vigil_merger;

int db_merger_init(vigil_merger *m);
void db_merger_free(vigil_merger *m);
int db_merger_add(vigil_merger *m, const vigil_vuln *v);
/* The record as a vigil_vuln (pointing into the merger). */
void db_merged_view(const struct vigil_merged *r, vigil_vuln *out);

#endif
