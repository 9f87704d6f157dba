/* server/gate.c: the gate of the indexing requests (POST index_report,
 * POST /v1/layers), which fetch layers and may take minutes. At most
 * `limit` run at once (index_report_request_concurrency), each on a
 * detached thread of its own while its connection is suspended; up to
 * `qmax` more wait suspended with no thread (index_report_queue), and a
 * thread that finishes takes the next; beyond that the answer is 429
 * with Retry-After. One mutex guards the counters, the queue and the list
 * of every connection running or queued.
 *
 * Shutdown (srv_gate_abandon): each connection still running or queued is
 * answered 503 and resumed, so libmicrohttpd is never stopped with a
 * suspended connection (it aborts: "MHD_stop_daemon() called while we have
 * suspended connections"). A running thread finishes in the background,
 * drops its answer and its reference of the connection (a connection is
 * reference-counted: libmicrohttpd's and the thread's). MHD_resume_connection
 * is called under the mutex, so a thread and the shutdown never both
 * resume one connection; libmicrohttpd calls none of our callbacks while
 * it holds its own lock there. */
#include "server/http_priv.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static struct gate {
	pthread_mutex_t mu;
	int running;               /* threads running an indexing */
	int limit, qmax;           /* from the config (start) */
	size_t nq;
	struct conn *qhead, *qtail;
	struct conn *all;          /* running or queued */
	bool stopping;
} gate = { .mu = PTHREAD_MUTEX_INITIALIZER };

static void gate_forget(struct conn *c)
{
	for (struct conn **pp = &gate.all; *pp; pp = &(*pp)->anext)
		if (*pp == c) {
			*pp = c->anext;
			break;
		}
	c->anext = NULL;
}

/* The next queued connection (under gate.mu), or NULL. */
static struct conn *gate_pop(void)
{
	struct conn *c = gate.stopping ? NULL : gate.qhead;
	if (c) {
		gate.qhead = c->qnext;
		if (!gate.qhead)
			gate.qtail = NULL;
		gate.nq--;
		c->queued = false;
		c->qnext = NULL;
	}
	return c;
}

/* An indexing thread: runs its connection's handler, answers it (unless
 * shutdown answered it already), then takes the next queued one. */
static void *async_main(void *arg)
{
	struct conn *c = arg;
	while (c) {
		struct conn *next;
		srv_http_run_handler(c, &c->trs);
		pthread_mutex_lock(&gate.mu);
		gate_forget(c);
		if (!c->abandoned) {
			c->rs = c->trs;
			memset(&c->trs, 0, sizeof(c->trs));
			c->done = true;
			MHD_resume_connection(c->mc);
		}
		if (!(next = gate_pop()))
			gate.running--;
		pthread_mutex_unlock(&gate.mu);
		srv_http_conn_unref(c);
		c = next;
	}
	return NULL;
}

/* A suspended indexing connection answered without its handler (under
 * gate.mu): 429 when the queue is full, 503 at shutdown. */
static void gate_answer(struct conn *c, int status, const char *code, const char *msg, int retry_after)
{
	srv_http_response_clear(&c->rs);
	srv_http_api_error(&c->rs, c->rq.path, status, code, msg);
	c->rs.retry_after = retry_after;
	c->done = true;
	MHD_resume_connection(c->mc);
}

/* Takes a suspended indexing connection: runs it on a new thread when a
 * slot is free, queues it when the queue has room, else answers 429. */
void srv_gate_enter(struct conn *c)
{
	pthread_mutex_lock(&gate.mu);
	if (gate.stopping) {
		gate_answer(c, 503, "unavailable", "the server is shutting down", SRV_RETRY_AFTER_S);
	} else if (gate.limit < 0 || gate.running < gate.limit) {
		pthread_t th;
		pthread_attr_t at;
		pthread_attr_init(&at);
		pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
		atomic_fetch_add(&c->refs, 1);
		c->anext = gate.all;
		gate.all = c;
		gate.running++;
		if (pthread_create(&th, &at, async_main, c)) {
			gate.running--;
			gate_forget(c);
			atomic_fetch_sub(&c->refs, 1);
			gate_answer(c, 503, "unavailable", "cannot start a thread for the indexing", SRV_RETRY_AFTER_S);
		}
		pthread_attr_destroy(&at);
	} else if (gate.nq < (size_t)gate.qmax) {
		atomic_fetch_add(&c->refs, 1); /* the thread that will take it */
		c->queued = true;
		if (gate.qtail)
			gate.qtail->qnext = c;
		else
			gate.qhead = c;
		gate.qtail = c;
		gate.nq++;
		c->anext = gate.all;
		gate.all = c;
	} else {
		char msg[160];
		snprintf(msg, sizeof(msg), "too many indexing requests (%d running, %d waiting): try again later",
			 gate.running, gate.qmax);
		gate_answer(c, 429, "too-many-requests", msg, SRV_RETRY_AFTER_S);
	}
	pthread_mutex_unlock(&gate.mu);
}

/* Shutdown: answers every indexing connection still running or queued 503
 * and resumes it; returns the threads still running (they finish alone). */
int srv_gate_abandon(void)
{
	pthread_mutex_lock(&gate.mu);
	gate.stopping = true;
	for (struct conn *c = gate.all, *next; c; c = next) {
		next = c->anext;
		c->anext = NULL;
		if (c->queued) { /* no thread will take it: its reference goes */
			c->queued = false;
			atomic_fetch_sub(&c->refs, 1);
		} else {
			c->abandoned = true;
		}
		gate_answer(c, 503, "unavailable", "the server is shutting down: the indexing did not finish in time",
			    SRV_RETRY_AFTER_S);
	}
	gate.all = NULL;
	gate.qhead = gate.qtail = NULL;
	gate.nq = 0;
	int running = gate.running;
	pthread_mutex_unlock(&gate.mu);
	return running;
}

void srv_gate_config(int limit, int qmax)
{
	pthread_mutex_lock(&gate.mu);
	gate.limit = limit;
	gate.qmax = qmax;
	gate.stopping = false;
	pthread_mutex_unlock(&gate.mu);
}
