/* notifier/notify_mq_priv.h: what the files of the message-queue delivery
 * share (mq.c: the front door, one attempt per URI; mq_amqp.c: AMQP over
 * librabbitmq; mq_stomp.c: a STOMP 1.2 session; stomp_frame.c: the STOMP
 * frame codec, pure and fuzzed; mq_sock.c: a TCP or TLS connection with a
 * deadline, for STOMP and plain AMQP). Included by those files and their
 * tests only. */
#ifndef VIGIL_NOTIFIER_NOTIFY_MQ_PRIV_H
#define VIGIL_NOTIFIER_NOTIFY_MQ_PRIV_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/slice.h"
#include "vigil/notify_mq.h"

/* ---- named limits ---- */
#define MQ_DEFAULT_TIMEOUT_MS 10000            /* per URI when the config says 0 */
#define MQ_MAX_TIMEOUT_MS     (10 * 60 * 1000) /* what a caller may ask */
#define MQ_MAX_URIS           64               /* URIs of one target */
#define MQ_MAX_URI            2048             /* one URI */
#define MQ_MAX_BODY           ((size_t)128 * 1024 * 1024) /* a message (RabbitMQ's default cap) */
#define MQ_MAX_ERRORS         4096             /* the joined message of a failed publish */
#define MQ_MAX_PEER_TEXT      200              /* bytes of a broker's error text repeated */

#define STOMP_MAX_FRAME   ((size_t)64 * 1024) /* a frame from the broker, whole */
#define STOMP_MAX_HEADERS 64                  /* headers of one frame */
#define STOMP_MAX_LINE    ((size_t)8 * 1024)  /* the command or one header line */
#define STOMP_MAX_OUT_HEADER 4096             /* a header value vigil sends */

/* ---- deadlines (mq.c) ---- */
/* Milliseconds on the monotonic clock. */
int64_t mq_now_ms(void);
/* What is left of a deadline, at least 0. */
int mq_left_ms(int64_t deadline);

/* A broker's own text made safe to repeat: printable ASCII only, at most
 * MQ_MAX_PEER_TEXT bytes, URLs in it redacted. */
void mq_peer_text(const char *p, size_t n, char *out, size_t outsz);

/* ---- one attempt per URI: 0, VIGIL_EUNAVAILABLE, VIGIL_ENOMEM; the
 * message starts with red (the URI redacted) and names the step ---- */
int mq_amqp_try(const vigil_notify_mq *c, const char *uri, const char *red, const char *content_type,
		const char *body, size_t len, int64_t deadline);
int mq_stomp_try(const vigil_notify_mq *c, const char *uri, const char *red, const char *content_type,
		 const char *body, size_t len, int64_t deadline);
/* Checked before any connection: VIGIL_EINVAL naming the URI and why. */
int mq_amqp_check_uri(const char *uri, const char *red);

/* ---- STOMP addresses (mq_stomp.c) ---- */
typedef struct mq_stomp_addr {
	char host[256];
	char port[8];
	char vhost[256];     /* the URI's path, decoded; "" when none */
	char login[256], passcode[256];
	bool has_login;      /* userinfo in the URI */
	bool tls;
} mq_stomp_addr;
/* host:port, stomp://[l:p@]host[:port][/vhost], stomp+ssl://...; [v6]
 * hosts. VIGIL_EINVAL with the reason (the caller names the URI). */
int mq_stomp_parse_addr(const char *uri, bool tls_default, mq_stomp_addr *a);

/* ---- connections (mq_sock.c) ---- */
typedef struct mq_sock {
	int fd;
	void *ssl;      /* SSL *, NULL for plain TCP */
	void *ctx;      /* SSL_CTX * */
} mq_sock;
/* Connects to host:port (every address getaddrinfo gives, in order) and,
 * when tls, does the TLS handshake verifying the peer against the
 * system's CAs plus c->tls_root_ca, with c->tls_cert/key as the client's.
 * VIGIL_EUNAVAILABLE "<red>: connect: ..." / "<red>: tls: ...". */
int mq_sock_open(mq_sock *s, const char *host, const char *port, bool tls, const vigil_notify_mq *c,
		 const char *red, int64_t deadline);
int mq_sock_write(mq_sock *s, const char *p, size_t n, const char *red, const char *step, int64_t deadline);
/* Up to cap bytes into p; *got 0 at the end of the stream. */
int mq_sock_read(mq_sock *s, char *p, size_t cap, size_t *got, const char *red, const char *step,
		 int64_t deadline);
void mq_sock_close(mq_sock *s);
/* The fd of a plain connection handed over (librabbitmq owns it after). */
int mq_sock_release(mq_sock *s);

/* SIGPIPE blocked for the calling thread while a publish writes to a
 * socket the peer may have closed (libpq's pq_block_sigpipe): a pending
 * SIGPIPE raised meanwhile is consumed before the mask is restored. */
typedef struct mq_sigpipe {
	sigset_t old;
	bool was_pending;
} mq_sigpipe;
void mq_sigpipe_block(mq_sigpipe *s);
void mq_sigpipe_restore(mq_sigpipe *s);

/* ---- the STOMP frame codec (stomp_frame.c) ---- */
typedef struct stomp_header {
	vigil_slice name, value;
} stomp_header;

typedef struct stomp_frame {
	vigil_slice command;
	stomp_header h[STOMP_MAX_HEADERS];
	size_t nh;
	vigil_slice body;          /* points into the parsed input */
	char store[STOMP_MAX_FRAME]; /* unescaped header names and values */
	size_t used;
} stomp_frame;

/* Parses one frame at the start of buf (heart-beat EOLs before it are
 * skipped). 0 and *consumed when a whole frame is there; 1 when more
 * bytes are needed; VIGIL_EFORMAT or VIGIL_ELIMIT (a named limit) with
 * the message set. Header values are unescaped (STOMP 1.2) except in
 * CONNECT and CONNECTED frames; a repeated header keeps its first value;
 * a content-length header decides where the body ends, else the first
 * NUL. */
int stomp_frame_parse(const char *buf, size_t len, stomp_frame *f, size_t *consumed);
/* The first value of header name, or NULL. */
const vigil_slice *stomp_frame_get(const stomp_frame *f, const char *name);
/* Appends a frame: hdrs are name, value pairs ending with NULL; escaped
 * unless the command is CONNECT or STOMP (whose values may then hold no
 * CR, LF or ':' in names). VIGIL_EINVAL for a NUL in a header or a
 * value over STOMP_MAX_OUT_HEADER; VIGIL_ELIMIT past the buffer's cap. */
int stomp_frame_write(vigil_buf *out, const char *command, const char *const *hdrs, const char *body,
		      size_t len);

#endif
