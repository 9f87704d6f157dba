/* server/updater.c: the periodic feed update of vigil serve (Clair's
 * matcher updaters). A thread runs vigil_db_update() at start and then
 * every period. Several nodes share one database, so a run first takes
 * the store's lock "feed:update" without waiting: the node that has it
 * updates, the others skip their turn (the data they serve is the same
 * database's). The period is --update-period's, else the config's
 * matcher.period (Clair's; off with matcher.disable_updaters). A run that fails keeps the previous data; the failure goes
 * to the log and to `vigil db status`. A run that updated a feed kicks
 * the notifier (notify.c). Stopping wakes the thread and
 * waits for a run in progress to end. */
#include "server/srv_priv.h"
#include "util/error.h"
#include "vigil/db_update.h"
#include "vigil/store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct srv_updater {
	vigil_srv *s;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
	long period_s;
	size_t warnings; /* of the run in progress */
	char *mirror, *config;
};

/* Records the importer skipped are counted, not logged one by one (a
 * feed's history holds thousands: releases long gone); the log at debug
 * level has them. */
static void warn_cb(void *ud, const char *msg)
{
	struct srv_updater *u = ud;
	u->warnings++;
	if (u->s->log_level <= SRV_LOG_DEBUG)
		srv_log(u->s, "feed update: %s", msg);
}

static void run_once(struct srv_updater *u)
{
	vigil_srv *s = u->s;
	vigil_store_lock *lk = NULL;
	vigil_db_update_options o;
	vigil_db_update_result *res = NULL;
	size_t n = 0, updated = 0, failed = 0;
	int rc = vigil_store_lock_try(s->store, "feed:update", &lk);
	if (rc < 0) {
		srv_log(s, "feed update: cannot take the update lock: %s", vigil_error_message());
		return;
	}
	if (rc == 0) {
		atomic_fetch_add(&s->updates_skipped, 1);
		srv_log(s, "feed update: another node is updating; skipped");
		return;
	}
	memset(&o, 0, sizeof(o));
	o.mirror = u->mirror;
	o.config = u->config;
	o.warn = warn_cb;
	o.ud = u;
	u->warnings = 0;
	rc = vigil_db_update(s->store, &o, &res, &n);
	for (size_t i = 0; i < n; i++) {
		if (res[i].state == VIGIL_DB_UPDATE_FAILED) {
			failed++;
			srv_log(s, "feed update: %s failed: %s", res[i].feed, res[i].error);
		} else if (res[i].state == VIGIL_DB_UPDATE_UPDATED)
			updated++;
	}
	if (rc < 0 && !n)
		srv_log(s, "feed update failed: %s", vigil_error_message());
	else
		srv_log(s, "feed update: %zu feeds, %zu updated, %zu failed, %zu notes (skipped records)", n,
			updated, failed, u->warnings);
	atomic_fetch_add(&s->updates_run, 1);
	free(res);
	vigil_store_lock_release(lk);
	if (updated)
		srv_notify_kick(s); /* the notifier compares every manifest with its baseline */
}

static void *loop(void *arg)
{
	struct srv_updater *u = arg;
	pthread_mutex_lock(&u->mu);
	while (!u->stop) {
		pthread_mutex_unlock(&u->mu);
		run_once(u);
		pthread_mutex_lock(&u->mu);
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += u->period_s;
		while (!u->stop && pthread_cond_timedwait(&u->cv, &u->mu, &ts) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&u->mu);
	return NULL;
}

static void updater_free(struct srv_updater *u)
{
	if (!u)
		return;
	pthread_cond_destroy(&u->cv);
	pthread_mutex_destroy(&u->mu);
	free(u->mirror);
	free(u->config);
	free(u);
}

int srv_updater_start(vigil_srv *s, const vigil_server_options *o)
{
	struct srv_updater *u;
	pthread_condattr_t ca;
	long period = srv_config_update_period(&s->conf, o->update_period_s);
	if (period <= 0 || srv_mode_of(s->conf.mode) == SRV_MODE_INDEXER)
		return 0;
	if (!(u = calloc(1, sizeof(*u))))
		return vigil_error_oom();
	u->s = s;
	u->period_s = period;
	pthread_mutex_init(&u->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&u->cv, &ca);
	pthread_condattr_destroy(&ca);
	if ((o->update_mirror && !(u->mirror = strdup(o->update_mirror))) ||
	    (o->update_config && !(u->config = strdup(o->update_config)))) {
		updater_free(u);
		return vigil_error_oom();
	}
	if (pthread_create(&u->th, NULL, loop, u) != 0) {
		updater_free(u);
		return vigil_error_set(VIGIL_ERROR, "cannot start the feed update thread");
	}
	s->updater = u;
	srv_log(s, "feed update every %ld s%s%s", u->period_s, u->mirror ? " from " : "",
		u->mirror ? u->mirror : "");
	return 0;
}

void srv_updater_stop(vigil_srv *s)
{
	struct srv_updater *u = s->updater;
	if (!u)
		return;
	pthread_mutex_lock(&u->mu);
	u->stop = 1;
	pthread_cond_broadcast(&u->cv);
	pthread_mutex_unlock(&u->mu);
	pthread_join(u->th, NULL);
	updater_free(u);
	s->updater = NULL;
}
