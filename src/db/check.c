/* db/check.c: vigil_db_check(): the reasons a scan that finds nothing may
 * be wrong, said loudly (missing data, failed or stale feeds, nothing for
 * the image's distribution), so that an empty database never passes for a
 * clean image. */
#include "db/db.h"
#include "store/store_vuln.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void say(vigil_db_message_fn fn, void *ud, int *n, const char *msg)
{
	(*n)++;
	if (fn)
		fn(ud, msg);
}

int vigil_db_check(vigil_store *s, const char *namespace, int64_t max_age, vigil_db_message_fn fn,
		   void *ud)
{
	vigil_db_feed_status *fs = NULL;
	size_t n = 0;
	int problems = 0, rc;
	int64_t now = (int64_t)time(NULL), with_data = 0;
	char msg[1024];

	if (max_age <= 0)
		max_age = VIGIL_DB_DEFAULT_MAX_AGE;
	if ((rc = vigil_db_status(s, &fs, &n)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const vigil_db_feed_status *f = &fs[i];
		with_data += f->has_data;
		if (f->last_error[0]) {
			snprintf(msg, sizeof(msg), "feed %s: its last update failed (%s): %s", f->feed,
				 f->has_data ? "its previous data is used" : "it has no data", f->last_error);
			say(fn, ud, &problems, msg);
		}
		if (f->has_data && now - f->last.created > max_age) {
			snprintf(msg, sizeof(msg), "feed %s: data is %lld days old (older than %lld days): run 'vigil db update'",
				 f->feed, (long long)((now - f->last.created) / 86400), (long long)(max_age / 86400));
			say(fn, ud, &problems, msg);
		}
	}
	free(fs);
	if (with_data == 0) {
		say(fn, ud, &problems, "no vulnerability data at all: every scan would find nothing. "
			"Run 'vigil db update' (or 'vigil db import DIR' where the feeds cannot be reached)");
		return problems;
	}
	if (namespace && *namespace) {
		int64_t count = 0;
		if ((rc = store_namespace_count(s, namespace, &count)) < 0)
			return rc;
		if (count == 0) {
			snprintf(msg, sizeof(msg), "no vulnerability data for %s: findings for its packages would be missing. "
				 "Load the feed of that distribution", namespace);
			say(fn, ud, &problems, msg);
		}
	}
	return problems;
}
