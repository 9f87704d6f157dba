/* notifier/notifier_priv.h: what the files of the notifier share:
 * generate.c (baselines, the diff, the set), summary.c (a manifest's
 * current vulnerability set as Clair's VulnerabilitySummary objects),
 * page.c (Clair v4 and Clair 2 pages, deletion), deliver.c (the thread:
 * generation, claims, retries, expiry), target.c (a delivery target:
 * deliver(target, id) -> 0 or VIGIL_EUNAVAILABLE to retry; the webhook). */
#ifndef VIGIL_NOTIFIER_PRIV_H
#define VIGIL_NOTIFIER_PRIV_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "store/store_notify.h"
#include "vigil/notify.h"

#define NTF_STATE_FEEDS   "feeds"            /* notify_state: the data's state at the last generation */
#define NTF_LOCK          "notify:generate"  /* one generating node at a time */
#define NTF_MAX_FP        8192               /* the data's state written out */
#define NTF_MAX_URL       4096               /* a target or callback URL */

/* A random (version 4) UUID, lowercase, 36 chars + NUL. */
int ntf_uuid(char out[VIGIL_NOTIFY_ID_MAX]);
/* The data's state: "feed=<newest op ref>;" for every feed with data. */
int ntf_feeds_state(vigil_store *s, char *out, size_t n);

/* The current set of manifest hash (summary.c): an object vkey ->
 * summary (a JSON string, compact) made by matching ir. vkey is
 * "<vulnerability>|<package>|<fixed in>", so a fix that changes shows as
 * removed + added. */
int ntf_current_set(vigil_store *s, const vigil_index_report *ir, json_t **out);
/* Indexes manifest hash again from its stored Manifest (the layer cache)
 * and makes its current set. */
int ntf_manifest_set(vigil_store *s, const char *hash, json_t **out);

/* ---- targets (target.c) ---- */
enum ntf_kind { NTF_WEBHOOK = 1, NTF_AMQP, NTF_STOMP };

typedef struct ntf_target {
	enum ntf_kind kind;
	char url[NTF_MAX_URL];          /* webhook: target */
	char callback[NTF_MAX_URL];     /* ends in "/" */
	char **headers;                 /* "Name: value" */
	size_t nheaders;
	unsigned char psk[512];
	size_t psk_len;
	long timeout_s;
	/* AMQP/STOMP: the broker (a copy; callback is in .callback above)
	 * and the store the direct mode's pages are read from */
	vigil_notify_mq mq;
	vigil_store *store;
} ntf_target;

/* The body of a callback message: {"notification_id": id, "callback":
 * callback + id} (malloc'd). */
int ntf_callback_body(const ntf_target *t, const char *id, char **body, size_t *len);
/* Announces set id to t: 0 when t took it, VIGIL_EUNAVAILABLE (try again
 * later) with the reason set, or another error (also retried). */
int ntf_deliver(const ntf_target *t, const char *id);
/* "Bearer <HS256 JWT>" with iss "clair-notifier", iat/nbf/exp around now. */
int ntf_sign(const unsigned char *key, size_t key_len, int64_t now, char *out, size_t n);

#endif
