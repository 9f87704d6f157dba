/* vigil/notify_mq.h: the notifier's message-queue delivery, as Clair's
 * notifier does it: AMQP 0-9-1 (RabbitMQ and friends) and STOMP 1.2
 * (RabbitMQ's STOMP plugin, ActiveMQ, Artemis). One call publishes one
 * message and returns once the broker has taken it: an AMQP publisher
 * confirm (basic.ack), a STOMP RECEIPT. See docs/notifier-mq.md.
 *
 *   vigil_notify_mq t = { .kind = VIGIL_NOTIFY_AMQP, .uris = uris, .n_uris = 1,
 *                         .exchange = "clair", .routing_key = "notifications" };
 *   if (vigil_notify_mq_publish(&t, "application/json", body, len) < 0)
 *       fprintf(stderr, "%s\n", vigil_error_message()); // retry later when VIGIL_EUNAVAILABLE
 *
 * Each publish opens its own connection (the notifier sends seldom: a
 * connection kept open for hours only meets half-dead TCP), tries the URIs
 * in order and stops at the first broker that confirms. The caller owns
 * the struct; vigil_notify_mq_clear() frees the strings of one that
 * was filled by a config reader (every member malloc'ed). */
#ifndef VIGIL_NOTIFY_MQ_H
#define VIGIL_NOTIFY_MQ_H

#include "vigil/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { VIGIL_NOTIFY_AMQP = 1, VIGIL_NOTIFY_STOMP = 2 } vigil_notify_mq_kind;

typedef struct vigil_notify_mq {
	vigil_notify_mq_kind kind;
	/* Tried in order until one works. AMQP: amqp://user:pass@host:port/vhost
	 * or amqps://... (RabbitMQ's URI spec). STOMP: host:port (Clair's form),
	 * stomp://[login:passcode@]host:port[/vhost] or stomp+ssl://...; the
	 * path, when there is one, is sent as the CONNECT frame's host header
	 * (RabbitMQ reads it as the virtual host: stomp://h:61613/%2F), else
	 * the host name is (STOMP 1.2, as Clair). */
	char **uris;
	size_t n_uris;
	/* AMQP. exchange NULL or "": the default exchange; else it must exist
	 * (a passive declare, as Clair's: exchange_type, durable and
	 * auto_delete are sent with it and ignored by the broker). */
	char *exchange, *exchange_type;
	int durable, auto_delete;
	char *routing_key;
	/* STOMP: destination (required), login and passcode (may be NULL). */
	char *destination, *login, *passcode;
	/* Clair's delivery-mode keys, used by the notifier, not by publish. */
	int direct;
	size_t rollup;
	char *callback;
	/* TLS (Clair's tls: block): amqps:// and stomp+ssl:// always use TLS;
	 * tls set makes a STOMP host:port use it too. The peer is always
	 * verified against the system's CAs plus tls_root_ca; tls_cert and
	 * tls_key (PEM files) are the client's certificate when given. */
	int tls;
	char *tls_root_ca, *tls_cert, *tls_key;
	int timeout_ms;                  /* per URI (connect + publish + confirm); 0: 10000 */
} vigil_notify_mq;

/* 0 once the broker has the message (AMQP publisher confirm; STOMP RECEIPT);
 * VIGIL_EUNAVAILABLE when no broker can be reached or it refused (the caller
 * retries later: connection refused or timed out, login refused, a missing
 * exchange, a nack, a message no queue was bound to take, a STOMP ERROR);
 * VIGIL_EINVAL for a bad configuration (no URI, an unknown scheme, no
 * routing key or destination). The message names each URI tried
 * (redacted: no password) and the step that failed:
 * "<uri>: login: 403 ACCESS_REFUSED ...", where <uri> has its userinfo
 * replaced by three stars. */
VIGIL_EXTERN(int) vigil_notify_mq_publish(const vigil_notify_mq *c, const char *content_type, const char *body,
					  size_t len);
/* The checks publish makes before any connection, for a caller that
 * wants a bad configuration refused when it is loaded: 0 or VIGIL_EINVAL
 * naming the field or URI. */
VIGIL_EXTERN(int) vigil_notify_mq_check(const vigil_notify_mq *c);
/* uris[i] with its userinfo and query values replaced by three stars,
 * into out[n] (for logs and messages); returns out ("" when i is out of
 * range). */
VIGIL_EXTERN(const char *) vigil_notify_mq_uri_redacted(const vigil_notify_mq *c, size_t i, char *out, size_t n);
/* A deep copy of src into *dst (zeroed first; free with
 * vigil_notify_mq_clear(), also after an error). */
VIGIL_EXTERN(int) vigil_notify_mq_copy(vigil_notify_mq *dst, const vigil_notify_mq *src);
/* Frees the members and zeroes the struct; NULL ok. */
VIGIL_EXTERN(void) vigil_notify_mq_clear(vigil_notify_mq *c);

#ifdef __cplusplus
}
#endif
#endif
