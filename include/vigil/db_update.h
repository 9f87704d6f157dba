/* vigil/db_update.h: `vigil db update`: fetch each vulnerability feed from
 * its upstream (or a mirror) and import what changed.
 *
 * Each feed (a "source": debian, debian-lists, ubuntu, alpine, redhat-oval,
 * osv, nvd) has one or more URLs in a built-in catalog that a config file or
 * NAME=URL overrides replace. The feeds are fetched in parallel, one thread
 * each, with conditional requests (the ETag and Last-Modified of what was
 * last imported are kept per URL in the store): a feed whose every URL
 * answers 304 costs one request per URL and writes nothing. A feed that
 * changed is downloaded into its folder under the cache directory, its
 * archives unpacked, and imported with vigil_db_import() in one
 * transaction. A feed that fails (HTTP error, timeout, stall, TLS error,
 * body cut short, size cap) keeps its previous data, its failure is noted
 * for `vigil db status`, and the other feeds go on. */
#ifndef VIGIL_DB_UPDATE_H
#define VIGIL_DB_UPDATE_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/common.h"
#include "vigil/db.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Defaults of the transfer limits (each can be changed in the options). */
#define VIGIL_DB_UPDATE_CONNECT_TIMEOUT_S 30
#define VIGIL_DB_UPDATE_TIMEOUT_S 3600          /* one request, start to end */
#define VIGIL_DB_UPDATE_STALL_TIME_S 60         /* below STALL_BYTES a second for this long: fail */
#define VIGIL_DB_UPDATE_STALL_BYTES 1024
#define VIGIL_DB_UPDATE_MAX_BYTES ((int64_t)4 * 1024 * 1024 * 1024) /* one file */
#define VIGIL_DB_UPDATE_MAX_REDIRECTS 5

typedef enum vigil_db_update_state {
	VIGIL_DB_UPDATE_UPDATED = 1,   /* a new operation was written */
	VIGIL_DB_UPDATE_UNCHANGED = 2, /* every URL answered 304, or the same fingerprint: nothing written */
	VIGIL_DB_UPDATE_FAILED = 3,    /* error says why; the feed's previous data is untouched */
} vigil_db_update_state;

typedef struct vigil_db_update_progress {
	size_t feeds_done, feeds_total;
	int64_t bytes;         /* downloaded so far by this update, all feeds */
	const char *message;   /* what just happened ("alpine: importing"), or NULL */
} vigil_db_update_progress;

typedef struct vigil_db_update_options {
	/* The feeds to update (NULL/0: every feed of the catalog). */
	const char *const *sources;
	size_t nsources;
	/* "NAME=URL" overrides: the first for a NAME replaces its catalog URLs,
	 * the next ones add to them. A new NAME adds a feed. */
	const char *const *source_urls;
	size_t nsource_urls;
	/* A sources file ("NAME URL [FILE] [optional]" lines, see
	 * docs/db-update.md). NULL: $VIGIL_SOURCES, else
	 * $XDG_CONFIG_HOME/vigil/sources.conf or ~/.config/vigil/sources.conf
	 * when it exists. */
	const char *config;
	/* A folder (DIR/<feed>/...) or an http(s) URL (URL/<feed>/<file>) to
	 * take the feeds from instead of their upstreams. */
	const char *mirror;
	/* Where downloads go (<cache_dir>/<feed>/). NULL: "feeds" beside the
	 * default store (~/.cache/vigil/feeds). */
	const char *cache_dir;
	int parallel;                 /* feeds fetched at once (0: all) */
	long connect_timeout_s;       /* 0: the defaults above */
	long timeout_s;
	long stall_time_s;
	long stall_bytes;
	int64_t max_bytes;
	long nvd_delay_ms;            /* pause between NVD API pages: 0: 6 s, 0.7 s with $NVD_API_KEY
	                               * (for the NVD host only); < 0: none */
	int force;                    /* import even when nothing changed */
	void (*progress)(void *ud, const vigil_db_update_progress *p); /* may be NULL */
	vigil_db_message_fn warn;     /* skipped URLs, records skipped by the importer (may be NULL) */
	void *ud;
} vigil_db_update_options;

typedef struct vigil_db_update_result {
	char feed[32];
	vigil_db_update_state state;
	char error[1024];       /* FAILED: what happened, naming the URL */
	int unreachable;        /* FAILED because no server could be reached (DNS, connect) */
	vigil_db_op op;         /* UPDATED: the new operation; UNCHANGED: the current one */
	int64_t requests;       /* HTTP requests made (0 for a folder mirror) */
	int64_t not_modified;   /* of which answered 304 */
	int64_t skipped;        /* of which answered 404 for an optional URL */
	int64_t bytes;          /* bytes downloaded */
	int64_t files;          /* feed files imported */
	int64_t warnings;       /* records skipped, URLs skipped */
} vigil_db_update_result;

/* Updates the feeds; *results (malloc'd, *nresults of them, one per feed
 * and one more per other feed an upstream turned out to hold) says how
 * each went. Returns 0 when every feed succeeded, else the first failure's
 * code (the other feeds were still updated). Fails as a whole (nothing
 * fetched) only on bad options: an unknown feed name, a bad sources file. */
VIGIL_EXTERN(int) vigil_db_update(vigil_store *s, const vigil_db_update_options *opt,
		    vigil_db_update_result **results, size_t *nresults);

/* 1 when there were results and every one failed for want of a reachable
 * server: the machine is offline (or blocked), not the feeds broken. */
VIGIL_EXTERN(int) vigil_db_update_offline(const vigil_db_update_result *r, size_t n);

/* Prints the catalog after the config and overrides of opt (feed, kind,
 * URL, file) through fn, one line each. */
VIGIL_EXTERN(int) vigil_db_update_list(const vigil_db_update_options *opt, vigil_db_message_fn fn, void *ud);

#ifdef __cplusplus
}
#endif
#endif
