/* db/update.c: `vigil db update` (vigil/db_update.h): the catalog with its
 * sources file and overrides -> one thread per feed downloading
 * (update_feed.c) -> on this thread, as each feed's download ends, either
 * "unchanged" (every URL answered 304: no write at all) or
 * vigil_db_import() of its folder in one transaction, then the validators
 * of what was imported are kept for the next conditional requests. A feed
 * that fails is noted for `vigil db status` and keeps its data; the others
 * go on. */
#include "db/fetch.h"
#include "store/store_fetch.h"
#include "store/store_vuln.h"
#include "util/error.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define NVD_HOST "https://services.nvd.nist.gov/"
#define NVD_DELAY_MS 6000     /* NVD: 5 requests in 30 s without an API key */
#define NVD_KEY_DELAY_MS 700  /* 50 in 30 s with one */
#define TICK_MS 200

struct feed {
	vigil_feed_job job;
	struct update *up;
	_Atomic int64_t bytes;
	pthread_t thread;
	bool started, done, handled;
};

struct update {
	vigil_store *s;
	const vigil_db_update_options *opt;
	vigil_fetch_limits lim;
	char cache[4096];
	char mirror_url[VIGIL_SOURCES_MAX_URL + 1];
	const char *mirror_dir;
	vigil_sources sources;
	struct feed *feeds;
	size_t nfeeds, running, done;
	vigil_db_feed_status *status;
	size_t nstatus;
	_Atomic int64_t bytes;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	vigil_db_update_result *res;
	size_t nres, cres;
};

static void on_bytes(void *ud, int64_t delta)
{
	struct feed *fd = ud;
	atomic_fetch_add(&fd->bytes, delta);
	atomic_fetch_add(&fd->up->bytes, delta);
}

static void *worker(void *arg)
{
	struct feed *fd = arg;
	struct update *up = fd->up;
	db_feed_job_run(&fd->job);
	pthread_mutex_lock(&up->mu);
	fd->done = true;
	up->running--;
	pthread_cond_signal(&up->cv);
	pthread_mutex_unlock(&up->mu);
	return NULL;
}

static int read_config(vigil_sources *src, const char *path, bool must_exist)
{
	FILE *fp = fopen(path, "re");
	char *buf = NULL;
	int rc;
	if (!fp) {
		if (!must_exist && errno == ENOENT)
			return 0;
		return vigil_error_set(VIGIL_EIO, "sources file %s: %s", path, strerror(errno));
	}
	if (!(buf = malloc(VIGIL_SOURCES_MAX_CONFIG + 1))) {
		fclose(fp);
		return vigil_error_oom();
	}
	size_t len = fread(buf, 1, VIGIL_SOURCES_MAX_CONFIG + 1, fp);
	fclose(fp);
	rc = db_sources_parse_config(src, buf, len, path);
	free(buf);
	return rc;
}

static int load_sources(const vigil_db_update_options *opt, vigil_sources *out)
{
	char path[4096];
	const char *cfg = opt ? opt->config : NULL;
	bool explicit = cfg != NULL;
	int rc = db_sources_default(out);
	if (rc < 0)
		return rc;
	if (!cfg && (cfg = getenv("VIGIL_SOURCES")) && *cfg)
		explicit = true;
	if (!explicit) {
		const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
		cfg = NULL;
		if (xdg && *xdg == '/')
			snprintf(path, sizeof(path), "%s/vigil/sources.conf", xdg), cfg = path;
		else if (home && *home)
			snprintf(path, sizeof(path), "%s/.config/vigil/sources.conf", home), cfg = path;
	}
	if (cfg && (rc = read_config(out, cfg, explicit)) < 0)
		goto fail;
	db_sources_new_layer(out);
	for (size_t i = 0; opt && i < opt->nsource_urls; i++)
		if ((rc = db_sources_override(out, opt->source_urls[i])) < 0)
			goto fail;
	return 0;
fail:
	db_sources_free(out);
	return rc;
}

static void limits(const vigil_db_update_options *o, vigil_fetch_limits *l)
{
	l->connect_timeout_s = o && o->connect_timeout_s > 0 ? o->connect_timeout_s : VIGIL_DB_UPDATE_CONNECT_TIMEOUT_S;
	l->timeout_s = o && o->timeout_s > 0 ? o->timeout_s : VIGIL_DB_UPDATE_TIMEOUT_S;
	l->stall_time_s = o && o->stall_time_s > 0 ? o->stall_time_s : VIGIL_DB_UPDATE_STALL_TIME_S;
	l->stall_bytes = o && o->stall_bytes > 0 ? o->stall_bytes : VIGIL_DB_UPDATE_STALL_BYTES;
	l->max_bytes = o && o->max_bytes > 0 ? o->max_bytes : VIGIL_DB_UPDATE_MAX_BYTES;
	l->max_redirects = VIGIL_DB_UPDATE_MAX_REDIRECTS;
}

static int cache_dir(const vigil_db_update_options *opt, char *out, size_t n)
{
	if (opt && opt->cache_dir && *opt->cache_dir) {
		if ((size_t)snprintf(out, n, "%s", opt->cache_dir) >= n)
			return vigil_error_set(VIGIL_ELIMIT, "cache folder path too long");
	} else {
		int rc = vigil_store_default_path(out, n);
		if (rc < 0)
			return rc;
		char *slash = strrchr(out, '/');
		size_t k = slash ? (size_t)(slash - out) : 0;
		if (!slash || k + 7 >= n)
			return vigil_error_set(VIGIL_ELIMIT, "%s: no folder for the feed cache", out);
		memcpy(out + k, "/feeds", 7);
	}
	return db_mkdirs(out);
}

/* The feeds asked for, in catalog order; all when none named. */
static int select_feeds(struct update *up)
{
	const vigil_db_update_options *o = up->opt;
	for (size_t i = 0; o && i < o->nsources; i++) {
		if (db_sources_find(&up->sources, o->sources[i]))
			continue;
		char known[1024] = "";
		for (size_t k = 0; k < up->sources.n; k++)
			snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s", k ? ", " : "",
				 up->sources.v[k].name);
		return vigil_error_set(VIGIL_EINVAL, "unknown feed '%.64s' (known: %s)", o->sources[i], known);
	}
	if (!(up->feeds = calloc(up->sources.n ? up->sources.n : 1, sizeof(*up->feeds))))
		return vigil_error_oom();
	for (size_t k = 0; k < up->sources.n; k++) {
		bool want = !o || o->nsources == 0;
		for (size_t i = 0; o && i < o->nsources && !want; i++)
			want = !strcmp(o->sources[i], up->sources.v[k].name);
		if (want)
			up->feeds[up->nfeeds++].job.src = &up->sources.v[k];
	}
	return 0;
}

static vigil_db_update_result *new_result(struct update *up, const char *feed)
{
	if (up->nres == up->cres) {
		size_t nc = up->cres ? up->cres * 2 : 16;
		vigil_db_update_result *nr = realloc(up->res, nc * sizeof(*nr));
		if (!nr)
			return NULL;
		up->res = nr;
		up->cres = nc;
	}
	vigil_db_update_result *r = &up->res[up->nres++];
	memset(r, 0, sizeof(*r));
	snprintf(r->feed, sizeof(r->feed), "%s", feed);
	return r;
}

static void progress(struct update *up, const char *msg)
{
	if (!up->opt || !up->opt->progress)
		return;
	vigil_db_update_progress p = { .feeds_done = up->done, .feeds_total = up->nfeeds,
				       .bytes = atomic_load(&up->bytes), .message = msg };
	up->opt->progress(up->opt->ud, &p);
}

static void relay_progress(void *ud, const char *msg) { progress(ud, msg); }

static void relay_warn(void *ud, const char *msg)
{
	struct update *up = ud;
	if (up->opt && up->opt->warn)
		up->opt->warn(up->opt->ud, msg);
}

/* The feed has data and its last run succeeded: an all-304 answer means
 * that data is current. */
static bool current(struct update *up, const char *feed)
{
	for (size_t i = 0; i < up->nstatus; i++)
		if (!strcmp(up->status[i].feed, feed))
			return up->status[i].has_data && up->status[i].last_error[0] == '\0';
	return false;
}

static void fail_feed(struct update *up, vigil_db_update_result *r, const char *error)
{
	r->state = VIGIL_DB_UPDATE_FAILED;
	snprintf(r->error, sizeof(r->error), "%s", error);
	store_feed_attempt(up->s, r->feed, r->error);
}

static void save_validators(struct update *up, vigil_feed_job *j)
{
	for (size_t i = 0; i < j->nurls; i++) {
		vigil_feed_url *u = &j->urls[i];
		if (u->fetched && store_fetch_put(up->s, u->url, u->etag, u->last_modified) < 0)
			relay_warn(up, vigil_error_message());
	}
}

static int import(struct update *up, struct feed *fd, vigil_db_update_result *main)
{
	vigil_feed_job *j = &fd->job;
	vigil_db_import_options io = { .progress = relay_progress, .warn = relay_warn, .ud = up,
				       .force = up->opt && up->opt->force };
	vigil_db_import_result *ir = NULL;
	size_t nir = 0;
	int rc = vigil_db_import(up->s, (const char *const *)j->paths, j->npaths, &io, &ir, &nir);
	if (rc < 0 && nir == 0) {
		fail_feed(up, main, vigil_error_message());
		return rc;
	}
	bool main_used = false;
	for (size_t i = 0; i < nir; i++) {
		vigil_db_update_result *r = main;
		if (main_used || strcmp(ir[i].feed, main->feed) != 0) {
			/* the upstream held another feed too: its own line */
			char feed[32];
			snprintf(feed, sizeof(feed), "%s", ir[i].feed);
			ptrdiff_t at = main - up->res;
			if (!(r = new_result(up, feed))) {
				free(ir);
				return vigil_error_oom();
			}
			main = up->res + at;
		} else {
			main_used = true;
		}
		r->state = ir[i].failed ? VIGIL_DB_UPDATE_FAILED
			   : ir[i].unchanged ? VIGIL_DB_UPDATE_UNCHANGED : VIGIL_DB_UPDATE_UPDATED;
		snprintf(r->error, sizeof(r->error), "%s", ir[i].error);
		r->op = ir[i].op;
		r->files = ir[i].files;
		r->warnings += ir[i].warnings;
	}
	if (!main_used) {
		/* nothing of this feed in what was fetched */
		char msg[1024];
		snprintf(msg, sizeof(msg), "%s: the download held no %s file (only other feeds)", j->src->name,
			 j->src->name);
		fail_feed(up, main, msg);
		rc = rc < 0 ? rc : VIGIL_EFORMAT;
	}
	free(ir);
	return rc;
}

/* On this thread, once fd's download is over. */
static int handle(struct update *up, struct feed *fd)
{
	vigil_feed_job *j = &fd->job;
	vigil_db_update_result *r = new_result(up, j->src->name);
	int rc = 0;
	if (!r)
		return vigil_error_oom();
	for (char *line = j->warnings, *nl; line && *line; line = nl + 1) {
		if (!(nl = strchr(line, '\n')))
			break;
		*nl = '\0';
		relay_warn(up, line);
		r->warnings++;
	}
	r->requests = j->requests;
	r->not_modified = j->not_modified;
	r->skipped = j->skipped;
	r->bytes = atomic_load(&fd->bytes);
	if (j->rc < 0) {
		r->unreachable = j->unreachable;
		fail_feed(up, r, j->error);
		rc = j->rc;
	} else if (j->all_not_modified && !(up->opt && up->opt->force) && current(up, r->feed)) {
		r->state = VIGIL_DB_UPDATE_UNCHANGED;
		store_feed_last_op(up->s, r->feed, &r->op);
	} else {
		char msg[80];
		snprintf(msg, sizeof(msg), "%s: importing", r->feed);
		progress(up, msg);
		if ((rc = import(up, fd, r)) == 0)
			save_validators(up, j);
	}
	return rc;
}

static void start(struct update *up, struct feed *fd)
{
	fd->up = up;
	vigil_feed_job *j = &fd->job;
	const char *key = getenv("NVD_API_KEY");
	bool nvd_host = j->src->nurls && strncasecmp(j->src->urls[0].url, NVD_HOST, strlen(NVD_HOST)) == 0;
	long delay = up->opt ? up->opt->nvd_delay_ms : 0;
	j->store = up->s;
	j->cache_dir = up->cache;
	j->mirror_dir = up->mirror_dir;
	j->mirror_url = up->mirror_url[0] ? up->mirror_url : NULL;
	j->lim = &up->lim;
	j->nvd_api_key = nvd_host && key && *key ? key : NULL;
	j->nvd_delay_ms = delay < 0 || j->mirror_url ? 0 : delay > 0 ? delay
			  : !nvd_host ? 0 : j->nvd_api_key ? NVD_KEY_DELAY_MS : NVD_DELAY_MS;
	j->progress = on_bytes;
	j->ud = fd;
	fd->started = true;
	up->running++;
	if (pthread_create(&fd->thread, NULL, worker, fd) != 0) {
		/* no thread to be had: download it here */
		fd->started = false;
		pthread_mutex_unlock(&up->mu);
		db_feed_job_run(j);
		pthread_mutex_lock(&up->mu);
		fd->done = true;
		up->running--;
	}
}

static int run(struct update *up)
{
	size_t next = 0, limit = up->opt && up->opt->parallel > 0 ? (size_t)up->opt->parallel : up->nfeeds;
	int first = 0;
	char first_msg[VIGIL_ERROR_MAX] = "";
	pthread_mutex_lock(&up->mu);
	while (up->done < up->nfeeds) {
		while (next < up->nfeeds && up->running < limit)
			start(up, &up->feeds[next++]);
		struct feed *ready = NULL;
		for (size_t i = 0; i < next && !ready; i++)
			if (up->feeds[i].done && !up->feeds[i].handled)
				ready = &up->feeds[i];
		if (ready) {
			ready->handled = true;
			pthread_mutex_unlock(&up->mu);
			int rc = handle(up, ready);
			if (rc < 0 && !first) {
				first = rc;
				snprintf(first_msg, sizeof(first_msg), "%s", vigil_error_message());
			}
			pthread_mutex_lock(&up->mu);
			up->done++;
			pthread_mutex_unlock(&up->mu);
			progress(up, NULL);
			pthread_mutex_lock(&up->mu);
			continue;
		}
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += TICK_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&up->cv, &up->mu, &ts);
		pthread_mutex_unlock(&up->mu);
		progress(up, NULL);
		pthread_mutex_lock(&up->mu);
	}
	pthread_mutex_unlock(&up->mu);
	for (size_t i = 0; i < up->nfeeds; i++)
		if (up->feeds[i].started)
			pthread_join(up->feeds[i].thread, NULL);
	return first ? vigil_error_set(first, "%s", first_msg) : 0;
}

static int prepare(struct update *up)
{
	const vigil_db_update_options *o = up->opt;
	int rc;
	limits(o, &up->lim);
	if ((rc = load_sources(o, &up->sources)) < 0 || (rc = select_feeds(up)) < 0)
		return rc;
	if (o && o->mirror && *o->mirror) {
		if (!strncasecmp(o->mirror, "http://", 7) || !strncasecmp(o->mirror, "https://", 8)) {
			size_t k = strlen(o->mirror);
			while (k > 8 && o->mirror[k - 1] == '/')
				k--;
			if (k > VIGIL_SOURCES_MAX_URL)
				return vigil_error_set(VIGIL_ELIMIT, "--mirror: URL longer than %d", VIGIL_SOURCES_MAX_URL);
			memcpy(up->mirror_url, o->mirror, k);
			up->mirror_url[k] = '\0';
		} else {
			struct stat st;
			if (stat(o->mirror, &st) != 0 || !S_ISDIR(st.st_mode))
				return vigil_error_set(VIGIL_ENOTFOUND, "--mirror %s: not a folder (or an http(s) URL)",
						       o->mirror);
			up->mirror_dir = o->mirror;
		}
	}
	if ((rc = cache_dir(o, up->cache, sizeof(up->cache))) < 0)
		return rc;
	if (vigil_db_status(up->s, &up->status, &up->nstatus) < 0)
		up->nstatus = 0;
	return up->mirror_dir ? 0 : db_fetch_global_init();
}

int vigil_db_update(vigil_store *s, const vigil_db_update_options *opt,
		    vigil_db_update_result **results, size_t *nresults)
{
	struct update up = { .s = s, .opt = opt };
	int rc;
	*results = NULL;
	*nresults = 0;
	pthread_mutex_init(&up.mu, NULL);
	pthread_cond_init(&up.cv, NULL);
	if ((rc = prepare(&up)) == 0) {
		progress(&up, NULL);
		rc = run(&up);
		*results = up.res;
		*nresults = up.nres;
		up.res = NULL;
	}
	for (size_t i = 0; i < up.nfeeds; i++)
		db_feed_job_free(&up.feeds[i].job);
	free(up.feeds);
	free(up.status);
	free(up.res);
	db_sources_free(&up.sources);
	pthread_mutex_destroy(&up.mu);
	pthread_cond_destroy(&up.cv);
	return rc;
}

int vigil_db_update_offline(const vigil_db_update_result *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].state != VIGIL_DB_UPDATE_FAILED || !r[i].unreachable)
			return 0;
	return n > 0;
}

int vigil_db_update_list(const vigil_db_update_options *opt, vigil_db_message_fn fn, void *ud)
{
	vigil_sources src;
	int rc = load_sources(opt, &src);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < src.n; i++) {
		for (size_t k = 0; k < src.v[i].nurls; k++) {
			char line[VIGIL_SOURCES_MAX_URL + 256];
			const vigil_source_url *u = &src.v[i].urls[k];
			snprintf(line, sizeof(line), "%-13s %s  ->  %s%s", src.v[i].name, u->url,
				 src.v[i].kind == VIGIL_SOURCE_NVD_PAGES ? "page-NNNNN.json (paged)" : u->file,
				 u->optional ? "  (optional)" : "");
			fn(ud, line);
		}
	}
	db_sources_free(&src);
	return 0;
}
