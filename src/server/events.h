/* server/events.h: push-triggered scanning. A Docker distribution
 * registry (docker-registry, distribution v2 and v3) posts its
 * notifications to POST /registry/events; each push of an image manifest
 * or index from a configured registry is queued and indexed by a worker
 * thread, its IndexReport stored under the manifest digest as if a Clair
 * client had posted it. What the files share: the envelope parser
 * (events_parse.c, fuzzed by fuzz/fuzz_srv_registry_events.c), the
 * handler, queue and workers (events.c), the config keys (events_conf.c).
 * See docs/server.md, "Push-triggered scanning". */
#ifndef VIGIL_SERVER_EVENTS_H
#define VIGIL_SERVER_EVENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "server/events_conf.h"
#include "server/server.h"
#include "vigil/manifest.h"

/* Named limits of an envelope. A registry posts one event per envelope
 * (distribution's httpSink), about 1 KiB, with references a few more. */
#define SRV_EV_MAX_BODY   ((size_t)1024 * 1024) /* the body: 413 beyond */
#define SRV_EV_MAX_EVENTS 256                   /* events of one envelope */
#define SRV_EV_MAX_DEPTH  16                    /* nested objects and arrays */
#define SRV_EV_MAX_REPO   255                   /* a repository name (distribution's NameTotalLengthMax) */
#define SRV_EV_MAX_TAG    128                   /* a tag (distribution's grammar) */
#define SRV_EV_MAX_URL    4096                  /* target.url */
#define SRV_EV_MAX_MEDIA  256                   /* target.mediaType */

/* What an event asks for. */
typedef enum srv_ev_kind {
	SRV_EV_IGNORE,   /* not a push of a manifest: a pull, a blob, a mount, a delete... */
	SRV_EV_BAD,      /* a manifest push whose target is malformed (why says what) */
	SRV_EV_MANIFEST, /* a push of an image manifest (Docker schema 2, OCI) */
	SRV_EV_INDEX,    /* a push of a manifest list or OCI index */
} srv_ev_kind;

typedef struct srv_event {
	srv_ev_kind kind;
	char why[128];                          /* IGNORE and BAD: the reason, for the log */
	char repo[SRV_EV_MAX_REPO + 1];         /* target.repository, checked against the grammar */
	char digest[VIGIL_MANIFEST_DIGEST_MAX]; /* target.digest, checked */
	char tag[SRV_EV_MAX_TAG + 1];           /* target.tag ("" none or not valid: for logs only) */
	char host[SRV_EV_MAX_HOST];             /* request.host, lower case ("" absent) */
	char url_host[SRV_EV_MAX_HOST];         /* the host[:port] of target.url, lower case ("" absent) */
} srv_event;

typedef struct srv_event_batch {
	srv_event *ev;
	size_t n;
} srv_event_batch;

/* Parses an envelope ({"events": [...]}). 0 and the events (each
 * classified; a malformed event is SRV_EV_BAD, never the envelope's
 * failure: a registry retries a refused envelope for ever), or the HTTP
 * status to answer with the reason in msg: 400 (not JSON, no events
 * array, too deep, too many events), 413 (over SRV_EV_MAX_BODY), 500
 * (out of memory). Free with srv_events_batch_free either way. */
int srv_events_parse(const char *body, size_t len, srv_event_batch *out, char *msg, size_t msg_n);
void srv_events_batch_free(srv_event_batch *b);
/* 1 when name is a repository name of distribution's grammar
 * (path-component ("/" path-component)*, lower case). */
int srv_events_repo_ok(const char *name, size_t len);

/* ---- the handler, the queue and the workers (events.c) ---- */
struct srv_events;
/* Starts the workers when registries are configured (s->events stays
 * NULL otherwise: the endpoint answers 404). */
int srv_events_start(vigil_srv *s);
/* Stops taking events, drops the queued ones (the registry pushes them
 * again at its next push; logged), waits up to grace_s for the indexings
 * running; returns the workers still running (then s must outlive them). */
int srv_events_stop(vigil_srv *s, int grace_s);
void srv_events_free(vigil_srv *s); /* after a stop that returned 0 */
/* POST /registry/events. */
int srv_events_post(vigil_srv *s, const srv_request *rq, srv_response *rs);
/* The counters in Prometheus text (appended to b; metrics.c). */
struct vigil_buf;
void srv_events_metrics(vigil_srv *s, struct vigil_buf *b);

#endif
