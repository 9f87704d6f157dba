/* vigil/db_health.h: is the vulnerability data fit to scan a given image
 * with? (db/check.c, db/releases.c; rules in docs/db-update.md, "Is the
 * data fit to scan with").
 *
 * Everything is judged per namespace ("debian:12", "osv:PyPI"): only the
 * feeds that cover a namespace (those with rows in it, and a feed that has
 * no data at all but whose name says it covers it) speak for it; a dead
 * Red Hat feed says nothing about a Debian image. Staleness is judged twice:
 * by the time of the import (max_age), and by the data's own newest date
 * (the newest published date of the records of the namespace), against the
 * distribution's release date and against the clock (or the end of support
 * of a distribution that has reached it). */
#ifndef VIGIL_DB_HEALTH_H
#define VIGIL_DB_HEALTH_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/common.h"
#include "vigil/db.h"
#include "vigil/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The newest record of a namespace older than this (90 days) is stale. */
#define VIGIL_DB_DEFAULT_MAX_DATA_AGE ((int64_t)90 * 24 * 3600)

/* 1 when the store holds vulnerability data (an operation of some feed); 0
 * when it was never filled, with the reason and the command that fills it
 * in why; < 0 when the store does not answer. */
VIGIL_EXTERN(int) vigil_db_ready(vigil_store *s, char *why, size_t n);

typedef struct vigil_db_check_options {
	int64_t max_age;        /* since the import (0: VIGIL_DB_DEFAULT_MAX_AGE; < 0: never stale) */
	int64_t max_data_age;   /* since the data's newest date (0: the greater of max_age and
				   VIGIL_DB_DEFAULT_MAX_DATA_AGE; < 0: never stale) */
	int64_t now;            /* unix time (0: the clock) */
} vigil_db_check_options;

/* Says through fn what makes a scan of an image whose namespaces are ns[]
 * untrustworthy: no data at all; a covering feed that failed or is older
 * than max_age; no record for a namespace; the newest date of a
 * namespace's data before its distribution's release, or older than
 * max_data_age. A feed is named once. ns NULL: every feed is judged (its
 * failure and import age), as `vigil db check` with no namespace. Returns
 * the number of problems said, or a negative error. */
VIGIL_EXTERN(int) vigil_db_check_namespaces(vigil_store *s, const char *const *ns, size_t n,
					    const vigil_db_check_options *opt, vigil_db_message_fn fn,
					    void *ud);

/* A distribution release vigil knows the dates of (db/releases.c). */
typedef struct vigil_release {
	const char *ns;         /* "debian:12" */
	const char *name;       /* "Debian 12 (bookworm)" */
	const char *released;   /* "2023-06-10" */
	const char *eol;        /* end of (LTS) support, "" when not set yet */
} vigil_release;

/* The release of namespace ns, NULL when vigil has no dates for it. */
VIGIL_EXTERN(const vigil_release *) vigil_release_of(const char *ns);

/* Days since 1970-01-01 of "YYYY-MM-DD..." (the first ten characters);
 * < 0 when s does not start with such a date. */
VIGIL_EXTERN(int64_t) vigil_date_days(const char *s);

#ifdef __cplusplus
}
#endif
#endif
