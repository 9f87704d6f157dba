/* server/http_priv.h: what the HTTP engine's files share: the connection
 * (http.c: requests and responses on libmicrohttpd), the gate of indexing
 * requests (gate.c) and the listening sockets (listen.c). */
#ifndef VIGIL_SERVER_HTTP_PRIV_H
#define VIGIL_SERVER_HTTP_PRIV_H

#include <microhttpd.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

#include "server/srv_priv.h"
#include "util/buf.h"

#define SRV_RETRY_AFTER_S 5 /* what a 429 (or a 503 at shutdown) asks the client to wait */

/* One request on a connection: made by on_uri, freed when both
 * libmicrohttpd (on_completed) and an indexing thread (gate.c) let go. */
struct conn {
	vigil_srv *s;
	atomic_int refs;           /* libmicrohttpd's, and the indexing thread's */
	bool intro;                /* on the introspection listener */
	bool harbor;               /* on Harbor's scanner API listener (harbor.c) */
	bool started, too_big, async, done;
	int bad_header;            /* 1: one too long, 2: too many, 3: too many bytes */
	/* the gate's (under gate.mu) */
	bool queued, abandoned;
	struct conn *qnext;        /* the queue */
	struct conn *anext;        /* every indexing connection running or queued */
	srv_response trs;          /* the thread's answer, moved to rs unless abandoned */
	char *uri;                 /* the raw request target */
	vigil_buf body;
	struct timespec t0;
	struct MHD_Connection *mc;
	const struct srv_route *route;
	srv_request rq;
	srv_response rs;
};

/* The answer's pieces (http.c). */
void srv_http_response_clear(srv_response *rs);
void srv_http_conn_unref(struct conn *c); /* frees c with the last reference */
/* An error in the shape of the API the path belongs to (v1 or v4). */
void srv_http_api_error(srv_response *rs, const char *path, int status, const char *code, const char *msg);
/* Runs c's route handler into rs (a 500 when it did not answer). */
void srv_http_run_handler(struct conn *c, srv_response *rs);

/* The gate (gate.c): at most limit indexing requests at once (< 0: no
 * cap), each on a thread of its own, qmax more waiting suspended. */
void srv_gate_config(int limit, int qmax);
/* Takes a suspended indexing connection: a thread now, the queue, or a
 * 429 (or a 503 once stopping); it is resumed when answered. */
void srv_gate_enter(struct conn *c);
/* Shutdown: every indexing connection running or queued is answered 503
 * and resumed; returns the threads still running. */
int srv_gate_abandon(void);

/* A listening socket on "HOST:PORT", ":PORT" (every address, v6 and v4)
 * or "[V6]:PORT" (listen.c). */
int srv_listen_on(const char *addr, int *out);

#endif
