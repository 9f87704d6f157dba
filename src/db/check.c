/* db/check.c: vigil_db_check() and vigil_db_check_namespaces(): the
 * reasons a scan that finds nothing may be wrong, said loudly (missing
 * data, failed or stale feeds, nothing for the image's distribution, data
 * whose own newest date is old or predates the release), so that an empty
 * database never passes for a clean image; and vigil_db_ready() for the
 * commands and the server that refuse an empty store.
 *
 * Per namespace: a feed speaks for a namespace when its current data has
 * rows in it (store_namespace_feeds), or when it has no data at all and
 * its name says it covers the namespace (feed_covers below: a feed whose
 * first update failed). A failed or stale feed that covers none of the
 * image's namespaces is not the image's problem. The data's own date is
 * the newest published date of a record with rows in the namespace, from
 * any covering feed (Debian's tracker JSON has no dates: the DSA/DLA lists
 * date Debian's data); a namespace none of whose records has a date is not
 * judged by date. Rules: docs/db-update.md. */
#include "db/db.h"
#include "store/store_vuln.h"
#include "util/error.h"
#include "vigil/db_health.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK_MAX_NS_FEEDS 64 /* feeds with rows in one namespace */

/* The namespaces a feed covers by its name: said only for a feed with no
 * data at all (one whose data exists says it through its rows). */
static const struct {
	const char *feed, *prefix;
} feed_covers[] = {
	{ "debian", "debian:" },       { "debian-lists", "debian:" },    { "ubuntu", "ubuntu:" },
	{ "ubuntu-osv", "ubuntu:" },   { "ubuntu-vex", "ubuntu:" },      { "ubuntu-oval", "ubuntu:" },
	{ "alpine", "alpine:" },       { "redhat-oval", "rhel:" },       { "redhat-csaf", "rhel:" },
	{ "redhat-vex", "rhel:" },     { "redhat-cve", "rhel:" },        { "osv", "osv:" },
	{ "rubysec", "osv:RubyGems" }, { "friendsofphp", "osv:Packagist" }, { "nodejs-wg", "osv:npm" },
	{ "oracle", "ol:" },
	/* the families of issue 16 */
	{ "amazon", "amzn:" },         { "rocky", "rocky:" },            { "rocky-osv", "rocky:" },
	{ "alma", "almalinux:" },      { "alma-osv", "almalinux:" },     { "suse-cvrf", "sles:" },
	{ "suse-cvrf", "opensuse-leap:" }, { "suse-oval", "sles:" },     { "suse-oval", "opensuse-leap:" },
	{ "photon", "photon:" },       { "photon-oval", "photon:" },     { "mariner", "mariner:" },
	{ "mariner", "azurelinux:" },  { "fedora", "fedora:" },          { "wolfi", "wolfi:" },
	{ "wolfi-osv", "wolfi:" },     { "chainguard", "chainguard:" },  { "chainguard-osv", "chainguard:" },
};

static int covers_by_name(const char *feed, const char *ns)
{
	for (size_t i = 0; i < sizeof(feed_covers) / sizeof(feed_covers[0]); i++)
		if (!strcmp(feed_covers[i].feed, feed) &&
		    !strncmp(ns, feed_covers[i].prefix, strlen(feed_covers[i].prefix)))
			return 1;
	return 0;
}

struct check {
	vigil_store *s;
	vigil_db_message_fn fn;
	void *ud;
	int problems;
	int64_t now, max_age, max_data_age;
	vigil_db_feed_status *fs;
	size_t nfs;
	char *said;         /* said[i]: feed fs[i] was judged already */
};

static void say(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct check *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->problems++;
	if (c->fn)
		c->fn(c->ud, msg);
}

/* A feed's own state: its last run failed, or its import is old. Once. */
static void judge_feed(struct check *c, size_t i)
{
	const vigil_db_feed_status *f = &c->fs[i];
	if (c->said[i])
		return;
	c->said[i] = 1;
	if (f->last_error[0])
		say(c, "feed %s: its last update failed (%s): %s", f->feed,
		    f->has_data ? "its previous data is used" : "it has no data", f->last_error);
	if (f->has_data && c->max_age > 0 && c->now - f->last.created > c->max_age)
		say(c, "feed %s: data is %lld days old (older than %lld days): run 'vigil db update'", f->feed,
		    (long long)((c->now - f->last.created) / 86400), (long long)(c->max_age / 86400));
}

struct ns_state {
	struct check *c;
	int64_t rows;
	char newest[16], newest_id[128], newest_feed[32];
	const char *feeds[CHECK_MAX_NS_FEEDS];
	size_t nfeeds;
	char names[CHECK_MAX_NS_FEEDS][32];
};

static int on_feed(void *ud, const vigil_ns_feed *f)
{
	struct ns_state *st = ud;
	st->rows += f->rows;
	if (st->nfeeds < CHECK_MAX_NS_FEEDS) {
		snprintf(st->names[st->nfeeds], sizeof(st->names[0]), "%s", f->feed);
		st->feeds[st->nfeeds] = st->names[st->nfeeds];
		st->nfeeds++;
	}
	if (f->newest && strcmp(f->newest, st->newest) > 0) {
		snprintf(st->newest, sizeof(st->newest), "%s", f->newest);
		snprintf(st->newest_id, sizeof(st->newest_id), "%s", f->newest_id ? f->newest_id : "?");
		snprintf(st->newest_feed, sizeof(st->newest_feed), "%s", f->feed);
	}
	return 0;
}

/* The data's own date against the release and the clock. */
static void judge_date(struct check *c, const char *ns, const struct ns_state *st)
{
	const vigil_release *rel = vigil_release_of(ns);
	int64_t newest = vigil_date_days(st->newest), today = c->now / 86400;
	if (newest < 0)
		return; /* no record of the namespace has a date: not judged */
	if (rel && newest < vigil_date_days(rel->released)) {
		say(c, "data for %s ends %s (newest record %s, feed %s), before %s was released (%s): "
		    "it says nothing about the packages of that release. Load current data ('vigil db update')",
		    ns, st->newest, st->newest_id, st->newest_feed, rel->name, rel->released);
		return;
	}
	if (c->max_data_age < 0)
		return;
	int64_t eol = rel && rel->eol[0] ? vigil_date_days(rel->eol) : -1;
	int64_t ref = eol >= 0 && eol < today ? eol : today, gap = ref - newest;
	if (gap * 86400 <= c->max_data_age)
		return;
	if (ref == today)
		say(c, "data for %s ends %s (newest record %s, feed %s), %lld days ago (more than %lld): "
		    "what was published since is missing. Run 'vigil db update'", ns, st->newest, st->newest_id,
		    st->newest_feed, (long long)gap, (long long)(c->max_data_age / 86400));
	else
		say(c, "data for %s ends %s (newest record %s, feed %s), %lld days before the end of support "
		    "of %s (%s): what was published since is missing. Run 'vigil db update'", ns, st->newest,
		    st->newest_id, st->newest_feed, (long long)gap, rel->name, rel->eol);
}

static int check_ns(struct check *c, const char *ns)
{
	struct ns_state *st = calloc(1, sizeof(*st));
	char today[16];
	time_t t = (time_t)(c->now + 86400); /* a day ahead: feeds date in their own time zone */
	struct tm tm;
	int rc;
	if (!st)
		return vigil_error_oom();
	st->c = c;
	gmtime_r(&t, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	if ((rc = store_namespace_feeds(c->s, ns, today, on_feed, st)) < 0)
		goto out;
	for (size_t i = 0; i < c->nfs; i++) {
		const vigil_db_feed_status *f = &c->fs[i];
		int covers = !f->has_data && covers_by_name(f->feed, ns);
		for (size_t j = 0; !covers && j < st->nfeeds; j++)
			covers = !strcmp(st->feeds[j], f->feed);
		if (covers)
			judge_feed(c, i);
	}
	if (st->rows == 0) {
		if (!strncmp(ns, "osv:", 4))
			say(c, "no vulnerability data for %s: findings for its packages would be missing. "
			    "Load the %s advisories ('vigil db update')", ns, ns + 4);
		else
			say(c, "no vulnerability data for %s: findings for its packages would be missing. "
			    "Load the feed of that distribution", ns);
	} else {
		judge_date(c, ns, st);
	}
out:
	free(st);
	return rc;
}

int vigil_db_check_namespaces(vigil_store *s, const char *const *ns, size_t n,
			      const vigil_db_check_options *opt, vigil_db_message_fn fn, void *ud)
{
	struct check c = { .s = s, .fn = fn, .ud = ud };
	size_t with_data = 0;
	int rc;
	c.now = opt && opt->now ? opt->now : (int64_t)time(NULL);
	c.max_age = opt && opt->max_age ? opt->max_age : VIGIL_DB_DEFAULT_MAX_AGE;
	c.max_data_age = opt && opt->max_data_age ? opt->max_data_age : 0;
	if (c.max_data_age == 0)
		c.max_data_age = c.max_age > VIGIL_DB_DEFAULT_MAX_DATA_AGE ? c.max_age : VIGIL_DB_DEFAULT_MAX_DATA_AGE;
	if ((rc = vigil_db_status(s, &c.fs, &c.nfs)) < 0)
		return rc;
	if (c.nfs && !(c.said = calloc(c.nfs, 1))) {
		rc = vigil_error_oom();
		goto out;
	}
	for (size_t i = 0; i < c.nfs; i++)
		with_data += c.fs[i].has_data != 0;
	if (with_data == 0) {
		for (size_t i = 0; i < c.nfs; i++)
			judge_feed(&c, i); /* why nothing was ever loaded */
		say(&c, "no vulnerability data at all: every scan would find nothing. "
		    "Run 'vigil db update' (or 'vigil db import DIR' where the feeds cannot be reached)");
		goto out;
	}
	if (!ns)
		for (size_t i = 0; i < c.nfs; i++)
			judge_feed(&c, i);
	for (size_t i = 0; ns && i < n && rc == 0; i++)
		if (ns[i] && *ns[i])
			rc = check_ns(&c, ns[i]);
out:
	free(c.said);
	free(c.fs);
	return rc < 0 ? rc : c.problems;
}

int vigil_db_check(vigil_store *s, const char *namespace, int64_t max_age, vigil_db_message_fn fn,
		   void *ud)
{
	vigil_db_check_options o = { .max_age = max_age };
	return vigil_db_check_namespaces(s, namespace && *namespace ? &namespace : NULL, 1, &o, fn, ud);
}

int vigil_db_ready(vigil_store *s, char *why, size_t n)
{
	vigil_db_feed_status *fs = NULL;
	size_t nfs = 0, with_data = 0, failed = 0;
	int rc;
	if (n)
		why[0] = 0;
	if ((rc = vigil_db_status(s, &fs, &nfs)) < 0)
		return rc;
	for (size_t i = 0; i < nfs; i++) {
		with_data += fs[i].has_data != 0;
		failed += fs[i].last_error[0] != 0;
	}
	free(fs);
	if (with_data)
		return 1;
	if (failed)
		snprintf(why, n, "the vulnerability database holds no data: %zu feed%s tried and failed "
			 "('vigil db status' says why). Run 'vigil db update' or 'vigil db import DIR'",
			 failed, failed == 1 ? "" : "s");
	else
		snprintf(why, n, "the vulnerability database was never filled: a scan would find nothing. "
			 "Run 'vigil db update' or 'vigil db import DIR'");
	return 0;
}
