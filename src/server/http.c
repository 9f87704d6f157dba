/* server/http.c: the HTTP engine of vigil serve, on libmicrohttpd. The API
 * listener is a socket of its own whose accept thread hands each connection
 * to the least loaded of --threads worker daemons (one epoll thread each);
 * the introspection listener is one daemon, and so is Harbor's scanner API
 * listener (harbor.c answers all of its requests). For each request the engine collects the body
 * (at most SRV_MAX_BODY: a bigger Content-Length is answered 413 before it
 * is read), finds the route (srv_route_find: {} matches one segment),
 * checks the bearer token when auth is configured (401; POST
 * /registry/events checks its own, events.c), calls the
 * handler and writes its answer: Content-Type, ETag (and 304 when
 * If-None-Match names it), Location. Handlers never touch the socket.
 *
 * Indexing requests (POST index_report, POST /v1/layers) fetch layers and
 * may take minutes: they run on a thread of their own while the
 * connection is suspended, so the pool keeps answering the fast routes.
 * The gate (gate.c) caps them: index_concurrency at once, index_queue
 * waiting, 429 beyond; at shutdown it answers the ones still running 503
 * so that libmicrohttpd is never stopped with a suspended connection.
 * The listening sockets are made in listen.c.
 *
 * Request headers: each at most SRV_MAX_HEADER, at most SRV_MAX_HEADERS of
 * them, SRV_MAX_HEADERS_BYTES in all, else a JSON 431. libmicrohttpd's
 * connection memory (SRV_CONN_MEMORY) is made larger than that, so the
 * engine sees them and answers JSON; only a request head over that memory
 * gets libmicrohttpd's own (HTML) 431.
 *
 * Every request is counted (route, code, latency) for /metrics, and
 * counted in flight from its first byte to its completion, which is what
 * graceful shutdown waits for. */
#define _GNU_SOURCE /* accept4, pipe2 */
#include "server/events.h"
#include "server/harbor.h"
#include "server/http_priv.h"
#include "util/buf.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SRV_MAX_WORKERS        64   /* worker daemons of the API listener */
#define SRV_ACCEPT_BATCH       64   /* accepts per wake-up of the accept thread */
#define SRV_ACCEPT_BACKOFF_MS  10   /* pause when out of file descriptors */
#define SRV_MAX_HEADERS        100  /* request headers */
#define SRV_MAX_HEADERS_BYTES  ((size_t)64 * 1024) /* all of them */
#define SRV_CONN_MEMORY        ((size_t)256 * 1024) /* libmicrohttpd's per connection */
#define SRV_STOP_FLUSH_MS      2000 /* at shutdown: time to send the 503s */


static double since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *mc)
{
	struct conn *c = calloc(1, sizeof(*c));
	(void)mc;
	if (!c)
		return NULL;
	c->s = ((struct conn *)cls)->s;
	c->intro = ((struct conn *)cls)->intro;
	c->harbor = ((struct conn *)cls)->harbor;
	atomic_init(&c->refs, 1);
	c->uri = strndup(uri ? uri : "", SRV_MAX_URI);
	vigil_buf_init(&c->body, SRV_MAX_BODY);
	clock_gettime(CLOCK_MONOTONIC, &c->t0);
	atomic_fetch_add(&c->s->inflight, 1);
	return c;
}

void srv_http_response_clear(srv_response *rs)
{
	free(rs->body);
	srv_blob_unref(rs->blob);
	memset(rs, 0, sizeof(*rs));
}

void srv_http_conn_unref(struct conn *c)
{
	if (atomic_fetch_sub(&c->refs, 1) != 1)
		return;
	free(c->uri);
	vigil_buf_free(&c->body);
	vigil_arena_free(c->rq.arena);
	srv_http_response_clear(&c->rs);
	srv_http_response_clear(&c->trs);
	free(c);
}

static void on_completed(void *cls, struct MHD_Connection *mc, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct conn *c = *con_cls;
	(void)cls;
	(void)mc;
	(void)toe;
	if (!c)
		return;
	atomic_fetch_sub(&c->s->inflight, 1);
	*con_cls = NULL;
	srv_http_conn_unref(c); /* an abandoned indexing thread may still hold it */
}

struct hdr_count {
	size_t n, bytes;
	int bad;
};

static enum MHD_Result header_len(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct hdr_count *h = cls;
	size_t len = strlen(key) + (value ? strlen(value) : 0) + 2;
	(void)kind;
	h->n++;
	h->bytes += len;
	h->bad = len > SRV_MAX_HEADER ? 1 : h->n > SRV_MAX_HEADERS ? 2 : h->bytes > SRV_MAX_HEADERS_BYTES ? 3 : 0;
	return h->bad ? MHD_NO : MHD_YES;
}

static bool is_v1(const char *path) { return !strncmp(path, "/v1/", 4) || !strcmp(path, "/v1"); }

/* An error in the shape of the API the path belongs to. */
void srv_http_api_error(srv_response *rs, const char *path, int status, const char *code, const char *msg)
{
	if (is_v1(path))
		srv_error_v1(rs, status, "%s", msg);
	else
		srv_error_v4(rs, status, code, "%s", msg);
}

bool srv_etag_matches(const char *inm, const char *etag)
{
	if (!inm || !*etag)
		return false;
	if (!strcmp(inm, "*"))
		return true;
	size_t n = strlen(etag);
	for (const char *p = inm; (p = strstr(p, etag)); p += n) {
		char after = p[n];
		if (after == '\0' || after == ',' || after == ' ')
			return true;
	}
	return false;
}

static void blob_done(void *cls)
{
	srv_blob_unref(cls);
}

static enum MHD_Result send_response(struct conn *c)
{
	srv_response *rs = &c->rs;
	struct MHD_Response *r;
	int status = rs->status ? rs->status : 500;
	if (rs->etag[0] && status == 200 && srv_etag_matches(c->rq.if_none_match, rs->etag)) {
		status = 304;
		free(rs->body);
		rs->body = NULL;
		srv_blob_unref(rs->blob);
		rs->blob = NULL;
		rs->len = 0;
	}
	bool head = c->rq.method && !strcmp(c->rq.method, "HEAD");
	if (rs->blob && !head) {
		/* shared: sent as it is, the reference dropped when MHD is done */
		r = MHD_create_response_from_buffer_with_free_callback_cls(rs->blob->len, rs->blob->data,
									   blob_done, rs->blob);
		if (r)
			rs->blob = NULL;
	} else if (rs->body && !head) {
		r = MHD_create_response_from_buffer(rs->len, rs->body, MHD_RESPMEM_MUST_FREE);
		if (r)
			rs->body = NULL; /* libmicrohttpd frees it */
	} else {
		r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	}
	if (!r)
		return MHD_NO;
	if (status != 304 && (rs->body || rs->blob || rs->len || rs->content_type))
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
					rs->content_type ? rs->content_type : "application/json");
	if (rs->etag[0])
		MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, rs->etag);
	if (rs->location[0])
		MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, rs->location);
	for (size_t i = 0; i < sizeof(rs->link) / sizeof(rs->link[0]); i++)
		if (rs->link[i][0])
			MHD_add_response_header(r, MHD_HTTP_HEADER_LINK, rs->link[i]);
	if (status == 401) /* RFC 6750: what the client must send */
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"vigil\"");
	if (rs->allow[0])
		MHD_add_response_header(r, "Allow", rs->allow);
	if (rs->retry_after > 0) {
		char ra[24];
		snprintf(ra, sizeof(ra), "%d", rs->retry_after);
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
	if (rs->refresh_after > 0) {
		char ra[24];
		snprintf(ra, sizeof(ra), "%d", rs->refresh_after);
		MHD_add_response_header(r, "Refresh-After", ra);
	}
	enum MHD_Result ret = MHD_queue_response(c->mc, (unsigned int)status, r);
	MHD_destroy_response(r);
	if (!c->intro && !c->harbor)
		srv_metrics_observe(c->s, srv_metrics_route_index(c->route), status, since(&c->t0));
	return ret;
}

/* Sets up rq from the connection; the path is the decoded one given. */
static int build_request(struct conn *c, const char *method, const char *url)
{
	srv_request *rq = &c->rq;
	if (!(rq->arena = vigil_arena_new(SRV_REQ_ARENA_CAP)))
		return VIGIL_ENOMEM;
	const char *q = strchr(c->uri, '?');
	rq->method = method;
	rq->path = url;
	rq->target = c->uri; /* the path before decoding: a %00 shows here only */
	rq->query = q ? vigil_arena_strdup(rq->arena, q + 1) : "";
	if (!rq->query)
		return VIGIL_ENOMEM;
	if (vigil_buf_puts(&c->body, "") < 0) /* NUL-terminated even when empty */
		return VIGIL_ENOMEM;
	rq->body = c->body.data;
	rq->body_len = c->body.len;
	rq->if_none_match = MHD_lookup_connection_value(c->mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	rq->authorization = MHD_lookup_connection_value(c->mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	rq->conn = c->mc;
	return 0;
}

const char *srv_request_header(const srv_request *rq, const char *name)
{
	return rq->conn ? MHD_lookup_connection_value((struct MHD_Connection *)rq->conn, MHD_HEADER_KIND, name)
			: NULL;
}

static bool is_slow(const struct srv_route *r)
{
	return r->name && (!strcmp(r->name, "index_report_post") || !strcmp(r->name, "v1_layer_post"));
}

void srv_http_run_handler(struct conn *c, srv_response *rs)
{
	vigil_error_clear();
	int rc = c->route->fn(c->s, &c->rq, rs);
	if (!rs->status) {
		/* a handler that failed without answering */
		if (rc < 0)
			srv_http_api_error(rs, c->rq.path, 500, "internal-error",
				  *vigil_error_message() ? vigil_error_message() : "internal error");
		else
			rs->status = 500;
	}
}

static enum MHD_Result dispatch(struct conn *c, const char *method, const char *url)
{
	vigil_srv *s = c->s;
	bool other = false;
	if (build_request(c, method, url) < 0)
		return MHD_NO;
	if (c->intro) {
		srv_introspection(s, &c->rq, &c->rs);
		return send_response(c);
	}
	if (c->harbor) {
		srv_harbor_dispatch(s, &c->rq, c->too_big ? 413 : c->bad_header ? 431 : 0, &c->rs);
		return send_response(c);
	}
	if (c->too_big) {
		char msg[128];
		snprintf(msg, sizeof(msg), "request body over the limit of %zu bytes", SRV_MAX_BODY);
		srv_http_api_error(&c->rs, url, 413, "too-large", msg);
		return send_response(c);
	}
	if (c->bad_header) {
		char msg[128];
		if (c->bad_header == 1)
			snprintf(msg, sizeof(msg), "a request header is over %d bytes", SRV_MAX_HEADER);
		else if (c->bad_header == 2)
			snprintf(msg, sizeof(msg), "more than %d request headers", SRV_MAX_HEADERS);
		else
			snprintf(msg, sizeof(msg), "request headers over %zu bytes in all", SRV_MAX_HEADERS_BYTES);
		srv_http_api_error(&c->rs, url, 431, "bad-request", msg);
		return send_response(c);
	}
	c->route = srv_route_find(c->rq.arena, method, url, c->rq.params, &c->rq.nparams, &other);
	if (!c->route) {
		srv_http_api_error(&c->rs, url, other ? 405 : 404, other ? "method-not-allowed" : "not-found",
			  other ? "method not allowed" : "no such endpoint");
		if (other)
			srv_route_methods(url, c->rs.allow, sizeof(c->rs.allow));
		return send_response(c);
	}
	if (!srv_route_allowed(s, c->route)) { /* modes.c */
		char msg[128];
		snprintf(msg, sizeof(msg), "this node runs in %s mode and does not serve this endpoint", s->conf.mode);
		c->route = NULL;
		srv_http_api_error(&c->rs, url, 404, "not-found", msg);
		return send_response(c);
	}
	if (s->conf.auth_psk_len > 0 && c->route->fn != srv_events_post) { /* it checks its own token */
		char why[256] = "";
		if (srv_auth_check(&s->conf, c->rq.authorization, (int64_t)time(NULL), why, sizeof(why)) != 0) {
			char msg[320];
			snprintf(msg, sizeof(msg), "unauthorized: %s", why[0] ? why : "a bearer token is needed");
			srv_http_api_error(&c->rs, url, 401, "unauthorized", msg);
			return send_response(c);
		}
	}
	if (is_slow(c->route)) {
		/* suspended first: whatever the gate decides resumes it */
		c->async = true;
		MHD_suspend_connection(c->mc);
		srv_gate_enter(c);
		return MHD_YES;
	}
	srv_http_run_handler(c, &c->rs);
	return send_response(c);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *mc, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	struct conn *c = *con_cls;
	(void)cls;
	(void)version;
	if (!c)
		return MHD_NO;
	c->mc = mc;
	if (!c->started) {
		c->started = true;
		const char *cl = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl) {
			unsigned long long n = 0;
			for (const char *p = cl; *p >= '0' && *p <= '9' && n <= SRV_MAX_BODY; p++)
				n = n * 10 + (unsigned long long)(*p - '0');
			if (n > SRV_MAX_BODY) {
				/* answered before the body is read; the connection is closed after */
				c->too_big = true;
				return dispatch(c, method, url);
			}
		}
		struct hdr_count h = { 0, 0, 0 };
		MHD_get_connection_values(mc, MHD_HEADER_KIND, header_len, &h);
		c->bad_header = h.bad;
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!c->too_big && vigil_buf_append(&c->body, upload_data, *upload_data_size) < 0)
			c->too_big = true;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (c->async)
		return c->done ? send_response(c) : MHD_YES;
	if (c->rq.arena)
		return MHD_YES; /* answered already */
	return dispatch(c, method, url);
}

/* ---- listeners ---- */

static struct conn api_cls, intro_cls, harbor_cls;

/* The API listener: the engine's own listening socket and accept thread,
 * which gives each new connection to the worker (a single-threaded epoll
 * daemon) with the fewest open connections, round-robin among equals.
 * libmicrohttpd's own thread pool lets whichever worker wakes first accept
 * a burst of connections, so a burst of clients could land on one or two
 * workers while the others idled (32 wrk connections: two of four workers
 * busy, p99 133 ms; docs/benchmarks.md, "vigil serve"). One API listener
 * per process, as the closures above (api_cls). */
struct listener {
	int fd;                               /* the listening socket */
	int wake[2];                          /* a pipe: written to stop the accept thread */
	pthread_t th;
	bool running;
	size_t n;                             /* worker daemons */
	struct MHD_Daemon *w[SRV_MAX_WORKERS];
	atomic_int open[SRV_MAX_WORKERS];     /* connections open on each worker */
	unsigned rr;                          /* the accept thread's round-robin start */
};
static struct listener api_l = { .fd = -1, .wake = { -1, -1 } };

/* A connection closed: its worker has one less (the accept thread counts
 * it when it hands it over, so that a burst of accepts spreads before the
 * workers have started the connections). A connection a worker drops
 * before starting it stays counted: that only skews the balance. */
static void on_connection(void *cls, struct MHD_Connection *mc, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	(void)mc;
	(void)socket_context;
	if (toe == MHD_CONNECTION_NOTIFY_CLOSED && cls)
		atomic_fetch_sub((atomic_int *)cls, 1);
}

/* A daemon of the engine: a worker of the API listener (listen_fd < 0:
 * connections come from the accept thread), the introspection listener or
 * Harbor's scanner API listener on its own socket (cls says which). Each
 * runs one epoll thread. */
static struct MHD_Daemon *start_daemon(vigil_srv *s, struct conn *cls, int listen_fd, atomic_int *open)
{
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME;
	cls->s = s;
	cls->intro = cls == &intro_cls;
	cls->harbor = cls == &harbor_cls;
	if (listen_fd < 0)
		flags |= MHD_USE_NO_LISTEN_SOCKET;
	return MHD_start_daemon(flags, 0, NULL, NULL, on_request, cls, MHD_OPTION_URI_LOG_CALLBACK, on_uri, cls,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, cls, MHD_OPTION_CONNECTION_TIMEOUT,
				(unsigned)SRV_CONN_TIMEOUT_S, MHD_OPTION_CONNECTION_MEMORY_LIMIT, SRV_CONN_MEMORY,
				MHD_OPTION_NOTIFY_CONNECTION, on_connection,
				(void *)open, listen_fd >= 0 ? MHD_OPTION_LISTEN_SOCKET : MHD_OPTION_END,
				(MHD_socket)listen_fd, MHD_OPTION_END);
}

/* The worker with the fewest open connections, from the round-robin start. */
static size_t pick_worker(struct listener *l)
{
	size_t best = l->rr++ % l->n;
	int least = atomic_load(&l->open[best]);
	for (size_t k = 1; k < l->n; k++) {
		size_t i = (best + k) % l->n;
		int o = atomic_load(&l->open[i]);
		if (o < least) {
			least = o;
			best = i;
		}
	}
	return best;
}

static void *accept_main(void *arg)
{
	struct listener *l = arg;
	struct pollfd p[2] = { { .fd = l->fd, .events = POLLIN }, { .fd = l->wake[0], .events = POLLIN } };
	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents)
			break;
		for (int k = 0; k < SRV_ACCEPT_BATCH; k++) {
			struct sockaddr_storage ss;
			socklen_t sl = sizeof(ss);
			int fd = accept4(l->fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
			if (fd < 0) {
				if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
					/* out of descriptors: let connections close rather than spin */
					struct timespec ts = { 0, SRV_ACCEPT_BACKOFF_MS * 1000 * 1000 };
					nanosleep(&ts, NULL);
				}
				break;
			}
			size_t w = pick_worker(l);
			/* libmicrohttpd closes fd when the worker cannot take it */
			if (MHD_add_connection(l->w[w], fd, (struct sockaddr *)&ss, sl) == MHD_YES)
				atomic_fetch_add(&l->open[w], 1);
		}
	}
	return NULL;
}

static void listener_stop_accepting(struct listener *l)
{
	if (l->running) {
		ssize_t w = write(l->wake[1], "x", 1);
		(void)w;
		pthread_join(l->th, NULL);
		l->running = false;
	}
	for (int i = 0; i < 2; i++)
		if (l->wake[i] >= 0) {
			close(l->wake[i]);
			l->wake[i] = -1;
		}
	if (l->fd >= 0) {
		close(l->fd);
		l->fd = -1;
	}
}

static void listener_stop(struct listener *l)
{
	listener_stop_accepting(l);
	for (size_t i = 0; i < l->n; i++)
		MHD_stop_daemon(l->w[i]);
	l->n = 0;
}

static int listener_start(vigil_srv *s, struct listener *l, const char *addr, int workers)
{
	int rc;
	size_t n = workers < 1 ? 1 : workers > SRV_MAX_WORKERS ? SRV_MAX_WORKERS : (size_t)workers;
	if ((rc = srv_listen_on(addr, &l->fd)) < 0)
		return rc;
	if (pipe2(l->wake, O_CLOEXEC) < 0) {
		rc = vigil_error_set(VIGIL_EIO, "pipe: %s", strerror(errno));
		goto fail;
	}
	for (l->n = 0; l->n < n; l->n++) {
		atomic_init(&l->open[l->n], 0);
		if (!(l->w[l->n] = start_daemon(s, &api_cls, -1, &l->open[l->n]))) {
			rc = vigil_error_set(VIGIL_EIO, "cannot start the HTTP engine for %s", addr);
			goto fail;
		}
	}
	if (pthread_create(&l->th, NULL, accept_main, l)) {
		rc = vigil_error_set(VIGIL_EIO, "cannot start the accept thread of %s", addr);
		goto fail;
	}
	l->running = true;
	return 0;
fail:
	listener_stop(l);
	return rc;
}

int srv_http_start(vigil_srv *s, const char *api_addr, const char *intro_addr)
{
	int rc, fd = -1;
	srv_gate_config(s->index_limit, s->index_queue);
	if ((rc = listener_start(s, &api_l, api_addr, s->threads)) < 0)
		return rc;
	s->api = api_l.w[0];
	if (intro_addr && *intro_addr) {
		if ((rc = srv_listen_on(intro_addr, &fd)) < 0 ||
		    (!(s->intro = start_daemon(s, &intro_cls, fd, NULL)) &&
		     (rc = vigil_error_set(VIGIL_EIO, "cannot start the HTTP engine for %s", intro_addr)) < 0)) {
			if (fd >= 0)
				close(fd);
			listener_stop(&api_l);
			s->api = NULL;
			return rc;
		}
	}
	return 0;
}

int srv_http_start_harbor(vigil_srv *s, const char *addr)
{
	int rc, fd = -1;
	if ((rc = srv_listen_on(addr, &fd)) < 0)
		return rc;
	if (!(s->harbor_d = start_daemon(s, &harbor_cls, fd, NULL))) {
		close(fd);
		return vigil_error_set(VIGIL_EIO, "cannot start the HTTP engine for %s", addr);
	}
	return 0;
}

static void wait_inflight(vigil_srv *s, long ms)
{
	for (long i = 0; i < ms / 50 && atomic_load(&s->inflight) > 0; i++) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

int srv_http_stop(vigil_srv *s, int grace_s)
{
	int left = 0;
	if (s->api) {
		listener_stop_accepting(&api_l);
		wait_inflight(s, (long)grace_s * 1000);
		if (atomic_load(&s->inflight) > 0) {
			srv_log(s, "%ld requests still in flight after %d s: answering the indexing ones 503 and stopping",
				(long)atomic_load(&s->inflight), grace_s);
			left = srv_gate_abandon();
			wait_inflight(s, SRV_STOP_FLUSH_MS); /* the 503s go out */
		} else {
			left = srv_gate_abandon();
		}
		listener_stop(&api_l);
		s->api = NULL;
	}
	if (s->intro) {
		MHD_stop_daemon(s->intro);
		s->intro = NULL;
	}
	if (s->harbor_d) {
		MHD_stop_daemon(s->harbor_d);
		s->harbor_d = NULL;
	}
	return left;
}
