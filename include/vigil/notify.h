/* vigil/notify.h: the notifier (Clair v4's, issue 12). After the
 * vulnerability data changes, every manifest the server has indexed is
 * matched again and compared with what it matched the last time (its
 * baseline); the differences become ONE notification set (a UUID) with an
 * entry per (manifest, vulnerability, reason "added" | "removed"). The set
 * is kept in the store until it is deleted (acknowledged) or expires, read
 * by pages as Clair's GET /notifier/api/v1/notification/{id}, and
 * announced once per fleet to the configured targets (a webhook; AMQP or
 * STOMP where built in) with retries until a target takes it.
 *
 *   vigil_notifier_options o;
 *   vigil_notifier_options_init(&o);
 *   o.store = st;
 *   o.webhook_target = "http://127.0.0.1:9000/hook";
 *   o.webhook_callback = "http://127.0.0.1:6060/notifier/api/v1/notification/";
 *   vigil_notifier *n;
 *   if (vigil_notifier_start(&o, &n) < 0) ...   // a thread: generation + delivery
 *   vigil_notifier_kick(n);                      // after a feed update
 *   vigil_notifier_stop(n);
 *
 * See docs/notifier.md. */
#ifndef VIGIL_NOTIFY_H
#define VIGIL_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/common.h"
#include "vigil/index.h"
#include "vigil/notify_mq.h"
#include "vigil/store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VIGIL_NOTIFY_ID_MAX        40      /* a notification id: a UUID + NUL, with room */
#define VIGIL_NOTIFY_DEFAULT_PAGE  500     /* Clair's page size when none (or 0) is asked */
#define VIGIL_NOTIFY_MAX_PAGE      10000   /* the most entries one page holds */
#define VIGIL_NOTIFY_MAX_HEADERS   32      /* webhook.headers lines */
#define VIGIL_NOTIFY_MAX_ENTRIES   1000000 /* entries of one set: past it, the rest waits for the next run */

/* ---- generation (notifier/generate.c) ---- */
typedef struct vigil_notify_generation {
	int ran;                           /* 0: nothing to do (data unchanged) or another node generates */
	char id[VIGIL_NOTIFY_ID_MAX];      /* the set made, "" when no manifest changed */
	size_t entries;                    /* its entries */
	size_t manifests;                  /* manifests matched */
	size_t failed;                     /* manifests that could not be matched (baseline kept) */
} vigil_notify_generation;

/* When the vulnerability data changed since the last generation (the
 * newest update operation of some feed differs; force: in any case),
 * matches every stored manifest again, diffs it with its baseline and
 * commits, in one transaction, the new set and the new baselines. A
 * manifest without a baseline gets one and no entries. One node of the
 * store generates at a time (the lock "notify:generate"). warn (may be
 * NULL) hears of manifests that could not be matched. */
VIGIL_EXTERN(int) vigil_notify_generate(vigil_store *s, int force, void (*warn)(void *ud, const char *msg), void *ud,
					vigil_notify_generation *out);

/* Records what ir (the index report of manifest hash, just made) matches
 * now as its baseline, unless it has one: a manifest indexed between two
 * updates is compared with the data it was indexed under. */
VIGIL_EXTERN(int) vigil_notify_baseline(vigil_store *s, const char *hash, const vigil_index_report *ir);

/* Clair's internal affected_manifest query: body {"vulnerabilities":
 * [claircore Vulnerability, ...]}; answers {"vulnerable_manifests":
 * {manifest: [vulnerability id, ...]}, "vulnerabilities": {id: the
 * vulnerability as given}}. A manifest is affected when vigil's match of
 * it now has that vulnerability's name for that package (affected.c).
 * VIGIL_EINVAL for a body that is not one. */
VIGIL_EXTERN(int) vigil_notify_affected(vigil_store *s, const char *body, size_t len, char **json, size_t *outlen);

/* ---- reading (notifier/page.c) ---- */
/* 1 when id is a UUID as Clair writes them (36 characters, lower or upper hex). */
VIGIL_EXTERN(int) vigil_notify_id_ok(const char *id);
/* Clair's notification page of set id: {"page": {"size", "next"?},
 * "notifications": [{id, manifest, reason, vulnerability}]}: the entries
 * after next (NULL or "": from the start), at most size (0: the default);
 * "next" is there only when more entries follow. VIGIL_EINVAL for a bad
 * id, next or size; VIGIL_ENOTFOUND for an unknown set. *json malloc'd. */
VIGIL_EXTERN(int) vigil_notify_page(vigil_store *s, const char *id, const char *next, size_t size, char **json,
				    size_t *len);
/* Clair 2's (v1) view of set id: {"Notification": {Name, Created,
 * Notified, Limit, Page, NextPage?, New: {Vulnerability,
 * LayersIntroducingVulnerability}, Old: ...}} paged by entries (page: ""
 * or a token from NextPage; limit 0: 100). Same errors. */
VIGIL_EXTERN(int) vigil_notify_v1_page(vigil_store *s, const char *id, const char *page, size_t limit, char **json,
				       size_t *len);
/* Deletes (acknowledges) set id; *deleted 0 when there was none. */
VIGIL_EXTERN(int) vigil_notify_delete(vigil_store *s, const char *id, int *deleted);

/* ---- delivery (notifier/deliver.c, webhook.c) ---- */
typedef struct vigil_notifier vigil_notifier;

typedef struct vigil_notifier_options {
	vigil_store *store;              /* required */
	int generate;                    /* 1: this node generates sets (combo, matcher) */
	/* the webhook (Clair's notifier.webhook): POSTs {"notification_id",
	 * "callback": callback + id}; NULL target: none */
	const char *webhook_target;
	const char *webhook_callback;    /* ends in "/" (added when missing) */
	const char *const *webhook_headers; /* "Name: value" lines */
	size_t nwebhook_headers;
	/* auth.psk: a webhook POST carries "Authorization: Bearer <JWT>"
	 * (HS256, iss "clair-notifier") when a key is set, as Clair signs */
	const unsigned char *psk;
	size_t psk_len;
	/* Clair's notifier.amqp and notifier.stomp (vigil/notify_mq.h): each
	 * set is published to them (the callback message, or in direct mode
	 * the set's notifications, `rollup` per message); copied */
	const vigil_notify_mq *mq;
	size_t nmq;
	long poll_interval_s;            /* how often the data's state is checked (0: 60) */
	long delivery_interval_s;        /* the longest wait between retries (0: 3600) */
	long attempt_timeout_s;          /* one delivery attempt (0: 30) */
	long retention_s;                /* sets older than this are deleted (0: kept until deleted) */
	const char *node;                /* this node's name in claims (NULL: host:pid) */
	void (*log)(void *ud, const char *msg); /* what happens (may be NULL) */
	void *log_ud;
} vigil_notifier_options;

VIGIL_EXTERN(void) vigil_notifier_options_init(vigil_notifier_options *o);
/* Checks o and starts the notifier's thread (generation when o->generate,
 * delivery when a target is set, expiry). The options' strings are copied. */
VIGIL_EXTERN(int) vigil_notifier_start(const vigil_notifier_options *o, vigil_notifier **out);
/* Wakes the thread: generate now (the data was just updated) and deliver. */
VIGIL_EXTERN(void) vigil_notifier_kick(vigil_notifier *n);
/* Stops the thread (an attempt in progress ends at its timeout) and frees n. NULL is fine. */
VIGIL_EXTERN(void) vigil_notifier_stop(vigil_notifier *n);
/* Sets delivered by this notifier and attempts that failed, since start. */
VIGIL_EXTERN(void) vigil_notifier_counts(vigil_notifier *n, uint64_t *delivered, uint64_t *failed,
					 uint64_t *generated);

/* The body Clair's direct mode of AMQP/STOMP sends (for those targets):
 * the JSON array of the notifications of set id, at most rollup per
 * message (0: all in one); fn gets each message. */
VIGIL_EXTERN(int) vigil_notify_direct_bodies(vigil_store *s, const char *id, size_t rollup,
					     int (*fn)(void *ud, const char *body, size_t len), void *ud);

#ifdef __cplusplus
}
#endif
#endif
