/* net/net.h: vigil's one HTTP(S) client (libcurl), private to libvigil.
 * Every byte vigil pulls from the network goes through here: feed files of
 * `vigil db update` (db/fetch.c), registry manifests and blobs
 * (registry/http.c, client.c, blob.c) and the layer URIs of Clair clients
 * (registry/url.c). One policy struct says what a transfer may do; the
 * transfer code applies all of it the same way for every caller:
 *
 *   - a connect timeout, a stall rule (less than stall_bytes/s for
 *     stall_time_s), a total deadline, a body cap, a header cap;
 *   - redirects: at most max_redirects, only to http or https, an https URL
 *     never down to http; TLS always verified (peer and host name);
 *   - the address policy (net_addr_allowed), checked on every address a
 *     socket is opened for (libcurl's CURLOPT_OPENSOCKETFUNCTION), so that
 *     redirects and DNS tricks meet it too: link-local (169.254.0.0/16,
 *     fe80::/10, their IPv4-mapped forms) and unspecified (0.0.0.0/8, ::)
 *     addresses are refused by default, plus a deployment's deny and allow
 *     lists of CIDRs;
 *   - every message names the URL through vigil_redact_url(), and libcurl's
 *     own text goes through vigil_redact_text().
 *
 * Two modes over one transfer engine (a libcurl easy handle inside its own
 * multi handle, driven from the caller's thread):
 *   - streaming (pull): net_xfer_start() then net_xfer_read() until 0, then
 *     net_xfer_finish(); memory stays flat whatever the body's size (see
 *     net.c's opening comment);
 *   - all-or-nothing: net_get_file() (a temp file renamed into place when
 *     the body is whole) and net_get_buffer() (a capped buffer), with
 *     conditional requests (ETag / Last-Modified).
 * A net_xfer is reused by the sequential transfers of one thread, so they
 * share connections. See docs/net.md. */
#ifndef VIGIL_NET_NET_H
#define VIGIL_NET_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "util/buf.h"

/* ---- named limits and defaults ---- */
#define NET_MAX_URL          4096                      /* a URL given to a transfer */
#define NET_MAX_HEADER_BYTES ((size_t)64 * 1024)       /* one response's header (default cap) */
#define NET_MAX_ERROR_BODY   4096                      /* bytes of a non-2xx body kept for the caller */
#define NET_MAX_VALIDATOR    512                       /* an ETag or Last-Modified kept */
#define NET_MAX_REASON       96                        /* "404 Not Found" kept */
#define NET_MAX_MEDIA_TYPE   255                       /* a Content-Type kept (no parameters) */
#define NET_STAGE_SIZE       ((size_t)256 * 1024)      /* streaming: bytes buffered per transfer */
#define NET_MAX_CIDRS        64                        /* CIDRs of one deny or allow list */
#define NET_MAX_CIDR_TEXT    64                        /* one CIDR written out */
#define NET_MAX_CIDR_LIST    ((size_t)16 * 1024)       /* a list written as one text */
#define NET_LAYER_DEADLINE_S 1800                      /* a layer URI, whole (30 min) */
#define NET_LAYER_MAX_DEADLINE_S (7L * 24 * 3600)      /* what a config may set */

/* ---- addresses (addr.c): pure functions ---- */
/* A CIDR over 16 bytes: an IPv4 network a.b.c.d/n is ::ffff:a.b.c.d/(96+n),
 * so it matches AF_INET addresses and their IPv4-mapped AF_INET6 forms. */
typedef struct net_cidr {
	uint8_t addr[16];
	uint8_t prefix;  /* 0..128 */
	bool v4;         /* written as IPv4 (for messages) */
} net_cidr;

/* A deployment's lock-down. An address is refused when it is link-local
 * or unspecified (always, except that a link-local address inside an
 * allow CIDR that lies wholly within link-local space is let through), when
 * it is in a deny CIDR, or when the allow list is not empty and it is in
 * none of its CIDRs. All zero: the default (built-in refusals only). */
typedef struct net_addr_policy {
	net_cidr deny[NET_MAX_CIDRS];
	size_t ndeny;
	net_cidr allow[NET_MAX_CIDRS];
	size_t nallow;
} net_addr_policy;

/* "10.0.0.0/8", "fd00::/8", "::ffff:10.0.0.0/104", "192.0.2.1" (a host:
 * /32 or /128). Host bits set below the prefix are an error (a typo
 * otherwise widens or narrows the range silently). VIGIL_EFORMAT with why. */
int net_cidr_parse(const char *s, size_t len, net_cidr *out);
/* CIDRs separated by commas and/or white space, appended to v[*n..max).
 * VIGIL_ELIMIT past max or NET_MAX_CIDR_LIST bytes, VIGIL_EFORMAT naming
 * the bad entry. */
int net_cidr_list_parse(const char *s, size_t len, net_cidr *v, size_t max, size_t *n);
void net_cidr_format(const net_cidr *c, char *out, size_t n);
/* The address as text ("169.254.169.254", "fe80::1"). */
void net_addr_format(const struct sockaddr *sa, socklen_t salen, char *out, size_t n);
/* True when the policy (NULL: the default) lets vigil connect to sa; else
 * false with why ("169.254.169.254 is link-local") when why is not NULL.
 * Not AF_INET or AF_INET6: false. */
bool net_addr_allowed(const net_addr_policy *p, const struct sockaddr *sa, socklen_t salen, char *why,
		      size_t whyn);

/* ---- the policy of a transfer ---- */
typedef struct net_policy {
	long connect_timeout_s;    /* 0: libcurl's (300 s) */
	long stall_bytes;          /* less than this many bytes/s ... */
	long stall_time_s;         /* ... for this long: stalled (0: no stall rule) */
	long deadline_s;           /* the whole transfer, redirects included; 0: none */
	uint64_t max_body;         /* a bigger body fails with VIGIL_ELIMIT; 0: none */
	long max_redirects;        /* 0: none followed */
	size_t max_header;         /* bytes of one response's header; 0: NET_MAX_HEADER_BYTES */
	bool allow_http;           /* plain http URLs too (https never redirects down to http) */
	bool compressed;           /* ask for gzip/deflate/br and decode (Accept-Encoding) */
	const net_addr_policy *addr; /* NULL: the default (copied at start) */
	const char *user_agent;    /* NULL: "vigil/VERSION" (copied at start) */
	const char *tls_hint;      /* appended to TLS failures ("; ..."), or NULL; a static
	                              string (read when the transfer ends) */
	const char *unix_socket;   /* a local engine's API socket (image/engine.c): every
	                              connection goes to this path (CURLOPT_UNIX_SOCKET_PATH),
	                              plain http only, no redirects; only then is an AF_UNIX
	                              socket opened. NULL: TCP. Read during the transfer. */
} net_policy;

/* ---- a response's header (parse.c) ---- */
typedef struct net_resp {
	long status;                          /* of the last response; 0: none */
	char reason[NET_MAX_REASON];          /* "404 Not Found" */
	char content_type[NET_MAX_MEDIA_TYPE + 1]; /* without parameters */
	char etag[NET_MAX_VALIDATOR];         /* "" when none or too long to keep */
	char last_modified[NET_MAX_VALIDATOR];
	bool encoded;                         /* a Content-Encoding other than identity */
	long retry_after_s;                   /* Retry-After in seconds, -1 when none */
	int64_t range_start;                  /* of a 206's Content-Range, -1 when none */
	size_t header_bytes;                  /* of this response so far */
	bool header_done;                     /* its blank line was seen */
} net_resp;

/* "HTTP/1.1 404 Not Found" (CRLF or not): true with the status (100..999)
 * and "404 Not Found" in reason; false when the line is not a status line. */
bool net_status_line(const char *p, size_t n, long *status, char *reason, size_t rn);
/* "Name: value": true with name and the value trimmed of blanks and CRLF;
 * false for a line with no colon or an empty or invalid name. */
bool net_header_split(const char *p, size_t n, const char **name, size_t *nlen, const char **value,
		      size_t *vlen);
/* Forgets r and starts a new response (the status line's). */
void net_resp_reset(net_resp *r);
/* One raw header line (status line, header or the blank line) into r;
 * true when it was a status line (r was reset for a new response). */
bool net_resp_line(net_resp *r, const char *p, size_t n);

/* ---- transfers (net.c, get.c) ---- */
typedef struct net_req {
	const char *url;
	const char *const *headers; /* more "Name: value" lines, or NULL (libcurl sends
	                               Authorization and Cookie to the first host only,
	                               the others to every host a redirect goes to) */
	size_t nheaders;
	const char *etag;           /* conditional: If-None-Match (NULL or "": none) */
	const char *last_modified;  /* conditional: If-Modified-Since */
	/* every header line of every response (after net_resp_line; name NULL for
	 * the status line, which starts a new response), or NULL */
	void (*on_header)(void *ud, const net_resp *r, const char *name, size_t nlen, const char *value,
			  size_t vlen);
	void (*progress)(void *ud, int64_t delta); /* body bytes received, or NULL */
	void *ud;
} net_req;

typedef enum net_fail {
	NET_OK = 0,
	NET_FAIL_HTTP,        /* a complete answer, not the status wanted */
	NET_FAIL_RESOLVE,     /* the host name did not resolve */
	NET_FAIL_CONNECT,     /* no connection (refused, unreachable, connect timeout) */
	NET_FAIL_REFUSED,     /* the address policy refused every address */
	NET_FAIL_STALL,       /* the stall rule */
	NET_FAIL_DEADLINE,    /* the total deadline */
	NET_FAIL_BROKEN,      /* the connection broke or the body was cut short */
	NET_FAIL_REDIRECTS,   /* more than max_redirects */
	NET_FAIL_SCHEME,      /* a URL or redirect to another scheme, or https to http */
	NET_FAIL_BODY_CAP,    /* max_body */
	NET_FAIL_HEADER_CAP,  /* max_header */
	NET_FAIL_TLS,         /* TLS handshake or verification */
	NET_FAIL_LOCAL,       /* the temp file or buffer could not be written */
	NET_FAIL_OTHER,
} net_fail;

typedef struct net_outcome {
	net_fail fail;
	bool retryable;      /* 429, 5xx (not 501, 505), no connection, stalled, broken */
	bool unreachable;    /* the host could not be resolved or connected to */
	bool not_modified;   /* all-or-nothing: 304 to a conditional request */
	uint64_t bytes;      /* body bytes received */
} net_outcome;

typedef struct net_xfer net_xfer;

/* curl_global_init, once per process (thread-safe). */
int net_global_init(void);
/* A transfer context: reuse it for the sequential transfers of one thread. */
int net_xfer_new(net_xfer **out);
void net_xfer_free(net_xfer *x);

/* Streaming: starts a GET (nothing is sent before the first read). The
 * policy and request are copied (their strings too). */
int net_xfer_start(net_xfer *x, const net_policy *p, const net_req *rq);
/* Up to n bytes of a 2xx answer's body; 0 once the transfer is over
 * (net_xfer_finish tells how); negative only when libcurl itself fails. */
ssize_t net_xfer_read(net_xfer *x, void *buf, size_t n);
/* After the transfer: 0 when it completed with a 2xx status, else the
 * error with a message naming the (redacted) URL: VIGIL_EIO,
 * VIGIL_ELIMIT for the body and header caps, VIGIL_EUNSUPPORTED for the
 * address policy (see fail.c, docs/net.md). o may be NULL. */
int net_xfer_finish(net_xfer *x, net_outcome *o);
const net_resp *net_xfer_resp(const net_xfer *x);
uint64_t net_xfer_body_bytes(const net_xfer *x);
/* The first NET_MAX_ERROR_BODY bytes of a non-2xx answer's body. */
const char *net_xfer_error_body(const net_xfer *x, size_t *len);
/* The URL of the transfer, redacted (for messages). */
const char *net_xfer_url(const net_xfer *x);

/* All-or-nothing into dest: the body goes to "dir/.name.part", fsync'ed and
 * renamed over dest only when it is whole and the status is 200; a 304 to a
 * conditional request (o->not_modified) and any failure leave dest as it
 * was, and the temp file is removed. Same codes as net_xfer_finish. */
int net_get_file(net_xfer *x, const net_policy *p, const net_req *rq, const char *dest, net_outcome *o);
/* All-or-nothing into out (reset first; its own cap applies as well as
 * max_body): 200 only, or a 304 to a conditional request. */
int net_get_buffer(net_xfer *x, const net_policy *p, const net_req *rq, vigil_buf *out, net_outcome *o);
/* POSTs body[0..len) (the caller gives its Content-Type in rq->headers)
 * and drops the answer's body (post.c): 0 for a 2xx answer, else the
 * codes of net_xfer_finish (o->retryable says whether trying again may
 * help). */
int net_post(net_xfer *x, const net_policy *p, const net_req *rq, const char *body, size_t len, net_outcome *o);

/* ---- sending (send.c) ---- */
#define NET_SEND_CHUNK ((size_t)64 * 1024) /* libcurl's upload buffer: what one read gives */
/* The body of a request that sends: data[0..len) in memory, or len bytes of
 * file from its current position (file NULL and data NULL: an empty body). */
typedef struct net_body {
	const char *data;
	FILE *file;
	uint64_t len;
	void (*sent)(void *ud, int64_t delta); /* body bytes sent, or NULL */
	void *ud;
} net_body;
/* method ("PUT", "POST", "PATCH", "HEAD") to rq->url with body (NULL:
 * none; HEAD never sends one); the answer's body is dropped. 0 for a 2xx
 * answer, else the codes of net_xfer_finish (o->retryable says whether
 * trying again may help; rq->on_header sees the answer's headers: a
 * Location, a digest). Redirects as the policy says (uploads want none). */
int net_send(net_xfer *x, const net_policy *p, const net_req *rq, const char *method, const net_body *body,
	     net_outcome *o);

#endif
