/* notifier/mq_amqp.c: one AMQP 0-9-1 publish over librabbitmq, as Clair's
 * notifier/amqp does it (amqp091-go), with a publisher confirm on top:
 *
 *   connect      amqp://: mq_sock.c (so "connection refused" and timeouts are
 *                worded plainly), the socket handed to librabbitmq;
 *                amqps://: librabbitmq's amqp_ssl_socket (peer and host name
 *                verified, system CAs plus tls.root_ca, tls.cert/key)
 *   login        vhost, user and password from the URI (amqp_parse_url:
 *                guest/guest@localhost:5672, vhost "/" when absent)
 *   channel 1    opened; when exchange is set, a passive exchange.declare
 *                (Clair's: a missing exchange fails the broker, which is
 *                then skipped for the next URI)
 *   confirm      confirm.select, then basic.publish (mandatory, persistent,
 *                app-id clairV4-notifier, the caller's content type) and
 *                wait for basic.ack; basic.nack or a basic.return (no queue
 *                bound for the routing key: the message would be dropped) fail
 *   close        channel and connection closed politely.
 *
 * Every step has what is left of the attempt's deadline: librabbitmq's
 * handshake and RPC timeouts are set to it, the confirm waits in
 * amqp_simple_wait_frame_noblock with it. Messages: "<uri redacted>:
 * <step>: <reason>", the broker's reply text cut and redacted. */
#include "notifier/notify_mq_priv.h"
#include "util/error.h"

#include <amqp.h>
#include <amqp_ssl_socket.h>
#include <amqp_tcp_socket.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#define AMQP_CHANNEL   1
#define AMQP_FRAME_MAX 131072
#define AMQP_APP_ID    "clairV4-notifier" /* Clair's, so consumers that filter on it keep working */

typedef struct mq_amqp_conn {
	amqp_connection_state_t conn;
	const char *red;
	int64_t deadline;
	bool channel_open;
} mq_amqp_conn;

static struct timeval left_tv(int64_t deadline)
{
	int ms = mq_left_ms(deadline);
	if (ms < 1)
		ms = 1;
	return (struct timeval){ .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };
}

static void set_timeouts(mq_amqp_conn *t)
{
	struct timeval tv = left_tv(t->deadline);
	amqp_set_handshake_timeout(t->conn, &tv);
	amqp_set_rpc_timeout(t->conn, &tv);
}

/* A connection.close or channel.close from the broker, worded. */
static void close_text(const amqp_method_t *m, char *out, size_t n)
{
	char text[MQ_MAX_PEER_TEXT + 1] = "";
	if (m->id == AMQP_CONNECTION_CLOSE_METHOD) {
		const amqp_connection_close_t *c = m->decoded;
		mq_peer_text(c->reply_text.bytes, c->reply_text.len, text, sizeof(text));
		snprintf(out, n, "the broker closed the connection: %u %s", c->reply_code, text);
	} else if (m->id == AMQP_CHANNEL_CLOSE_METHOD) {
		const amqp_channel_close_t *c = m->decoded;
		mq_peer_text(c->reply_text.bytes, c->reply_text.len, text, sizeof(text));
		snprintf(out, n, "the broker closed the channel: %u %s", c->reply_code, text);
	} else {
		snprintf(out, n, "unexpected method 0x%08x", (unsigned)m->id);
	}
}

/* librabbitmq's status, in the words the other failures use */
static const char *library_why(int status)
{
	if (status == AMQP_STATUS_TIMEOUT || status == AMQP_STATUS_HEARTBEAT_TIMEOUT)
		return "no answer (timed out)";
	if (status == AMQP_STATUS_CONNECTION_CLOSED || status == AMQP_STATUS_SOCKET_CLOSED)
		return "the broker closed the connection (wrong credentials or vhost?)";
	return amqp_error_string2(status);
}

static int reply_fail(mq_amqp_conn *t, amqp_rpc_reply_t r, const char *step)
{
	char why[320];
	switch (r.reply_type) {
	case AMQP_RESPONSE_NORMAL:
		return 0;
	case AMQP_RESPONSE_LIBRARY_EXCEPTION:
		snprintf(why, sizeof(why), "%s", library_why(r.library_error));
		break;
	case AMQP_RESPONSE_SERVER_EXCEPTION:
		close_text(&r.reply, why, sizeof(why));
		break;
	default:
		snprintf(why, sizeof(why), "no reply");
		break;
	}
	return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: %s: %s", t->red, step, why);
}

int mq_amqp_check_uri(const char *uri, const char *red)
{
	struct amqp_connection_info ci;
	char *copy = strdup(uri);
	int rc = 0;
	if (!copy)
		return vigil_error_oom();
	if (strncmp(uri, "amqp://", 7) && strncmp(uri, "amqps://", 8))
		rc = vigil_error_set(VIGIL_EINVAL, "%s: not an amqp:// or amqps:// URI", red);
	else if (amqp_parse_url(copy, &ci) != AMQP_STATUS_OK)
		rc = vigil_error_set(VIGIL_EINVAL, "%s: not a valid AMQP URI (amqp://user:pass@host:port/vhost)", red);
	free(copy);
	return rc;
}

static int open_socket(mq_amqp_conn *t, const vigil_notify_mq *c, struct amqp_connection_info *ci)
{
	char port[8];
	int rc;
	snprintf(port, sizeof(port), "%d", ci->port);
	if (!ci->ssl) {
		mq_sock s;
		amqp_socket_t *sock = amqp_tcp_socket_new(t->conn);
		if (!sock)
			return vigil_error_oom();
		if ((rc = mq_sock_open(&s, ci->host, port, false, c, t->red, t->deadline)) < 0)
			return rc;
		amqp_tcp_socket_set_sockfd(sock, mq_sock_release(&s));
		return 0;
	}
	amqp_socket_t *sock = amqp_ssl_socket_new(t->conn);
	if (!sock)
		return vigil_error_set(VIGIL_ENOMEM, "%s: tls: cannot set up librabbitmq's TLS socket", t->red);
	amqp_ssl_socket_set_verify_peer(sock, 1);
	amqp_ssl_socket_set_verify_hostname(sock, 1);
	amqp_ssl_socket_set_ssl_versions(sock, AMQP_TLSv1_2, AMQP_TLSvLATEST);
	SSL_CTX *ctx = amqp_ssl_socket_get_context(sock);
	if (ctx && SSL_CTX_set_default_verify_paths(ctx) != 1)
		return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: tls: cannot load the system's CAs", t->red);
	if (c->tls_root_ca && c->tls_root_ca[0] && amqp_ssl_socket_set_cacert(sock, c->tls_root_ca) != AMQP_STATUS_OK)
		return vigil_error_set(VIGIL_EINVAL, "%s: tls: root_ca %s cannot be read", t->red, c->tls_root_ca);
	if (c->tls_cert && c->tls_cert[0] &&
	    amqp_ssl_socket_set_key(sock, c->tls_cert, c->tls_key && c->tls_key[0] ? c->tls_key : c->tls_cert) !=
		    AMQP_STATUS_OK)
		return vigil_error_set(VIGIL_EINVAL, "%s: tls: cert %s / key %s cannot be read", t->red, c->tls_cert,
				       c->tls_key ? c->tls_key : "");
	struct timeval tv = left_tv(t->deadline);
	int st = amqp_socket_open_noblock(sock, ci->host, ci->port, &tv);
	bool tls_step = st == AMQP_STATUS_SSL_ERROR || st == AMQP_STATUS_SSL_HOSTNAME_VERIFY_FAILED ||
			st == AMQP_STATUS_SSL_PEER_VERIFY_FAILED || st == AMQP_STATUS_SSL_CONNECTION_FAILED;
	if (st != AMQP_STATUS_OK)
		return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: %s: %s", t->red,
				       tls_step ? "tls handshake" : "connect: cannot reach the broker", library_why(st));
	return 0;
}

/* Frames until basic.ack for our one message. */
static int wait_confirm(mq_amqp_conn *t)
{
	bool returned = false;
	char why[320] = "";
	for (;;) {
		amqp_frame_t f;
		struct timeval tv = left_tv(t->deadline);
		if (mq_left_ms(t->deadline) <= 0)
			return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: confirm: no answer (timed out)", t->red);
		amqp_maybe_release_buffers(t->conn);
		int st = amqp_simple_wait_frame_noblock(t->conn, &f, &tv);
		if (st == AMQP_STATUS_TIMEOUT)
			return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: confirm: no answer (timed out)", t->red);
		if (st != AMQP_STATUS_OK)
			return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: confirm: %s", t->red, amqp_error_string2(st));
		if (f.frame_type != AMQP_FRAME_METHOD)
			continue; /* the header and body of a returned message */
		switch (f.payload.method.id) {
		case AMQP_BASIC_ACK_METHOD:
			if (returned)
				return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: publish: %s", t->red, why);
			return 0;
		case AMQP_BASIC_NACK_METHOD:
			return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: confirm: the broker refused the message (nack)",
					       t->red);
		case AMQP_BASIC_RETURN_METHOD: {
			const amqp_basic_return_t *r = f.payload.method.decoded;
			char text[MQ_MAX_PEER_TEXT + 1];
			mq_peer_text(r->reply_text.bytes, r->reply_text.len, text, sizeof(text));
			snprintf(why, sizeof(why), "the broker returned the message: %u %s (no queue is bound to "
				 "the exchange for this routing key)", r->reply_code, text);
			returned = true;
			break;
		}
		case AMQP_CHANNEL_CLOSE_METHOD:
			t->channel_open = false;
			/* fall through */
		case AMQP_CONNECTION_CLOSE_METHOD:
			close_text(&f.payload.method, why, sizeof(why));
			return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: publish: %s", t->red, why);
		default:
			break;
		}
	}
}

static int publish(mq_amqp_conn *t, const vigil_notify_mq *c, const char *content_type, const char *body, size_t len)
{
	amqp_basic_properties_t props = { 0 };
	amqp_bytes_t ex = amqp_cstring_bytes(c->exchange ? c->exchange : "");
	int rc;

	amqp_channel_open(t->conn, AMQP_CHANNEL);
	if ((rc = reply_fail(t, amqp_get_rpc_reply(t->conn), "channel")) < 0)
		return rc;
	t->channel_open = true;
	if (c->exchange && c->exchange[0]) {
		set_timeouts(t);
		amqp_exchange_declare(t->conn, AMQP_CHANNEL, ex,
				      amqp_cstring_bytes(c->exchange_type && c->exchange_type[0] ? c->exchange_type
												   : "direct"),
				      1, c->durable != 0, c->auto_delete != 0, 0, amqp_empty_table);
		if ((rc = reply_fail(t, amqp_get_rpc_reply(t->conn), "exchange (passive declare)")) < 0) {
			t->channel_open = false;
			return rc;
		}
	}
	set_timeouts(t);
	amqp_confirm_select(t->conn, AMQP_CHANNEL);
	if ((rc = reply_fail(t, amqp_get_rpc_reply(t->conn), "confirm.select")) < 0)
		return rc;
	props._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_APP_ID_FLAG;
	props.content_type = amqp_cstring_bytes(content_type);
	props.delivery_mode = 2; /* persistent */
	props.app_id = amqp_cstring_bytes(AMQP_APP_ID);
	int st = amqp_basic_publish(t->conn, AMQP_CHANNEL, ex, amqp_cstring_bytes(c->routing_key), 1, 0, &props,
				    (amqp_bytes_t){ .len = len, .bytes = (void *)(uintptr_t)body });
	if (st != AMQP_STATUS_OK)
		return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: publish: %s", t->red, amqp_error_string2(st));
	return wait_confirm(t);
}

int mq_amqp_try(const vigil_notify_mq *c, const char *uri, const char *red, const char *content_type,
		const char *body, size_t len, int64_t deadline)
{
	mq_amqp_conn t = { .red = red, .deadline = deadline };
	struct amqp_connection_info ci;
	char *copy = strdup(uri);
	bool logged_in = false;
	int rc;

	if (!copy)
		return vigil_error_oom();
	if (amqp_parse_url(copy, &ci) != AMQP_STATUS_OK) {
		rc = vigil_error_set(VIGIL_EINVAL, "%s: not a valid AMQP URI", red);
		goto out;
	}
	if (!(t.conn = amqp_new_connection())) {
		rc = vigil_error_oom();
		goto out;
	}
	if ((rc = open_socket(&t, c, &ci)) < 0)
		goto out;
	set_timeouts(&t);
	amqp_rpc_reply_t r = amqp_login(t.conn, ci.vhost, 0, AMQP_FRAME_MAX, 0, AMQP_SASL_METHOD_PLAIN, ci.user,
					ci.password);
	if ((rc = reply_fail(&t, r, "login")) < 0)
		goto out;
	logged_in = true;
	rc = publish(&t, c, content_type, body, len);
out:
	if (t.conn) {
		if (logged_in && mq_left_ms(deadline) > 0) { /* polite, bounded by the same deadline */
			set_timeouts(&t);
			if (t.channel_open)
				amqp_channel_close(t.conn, AMQP_CHANNEL, AMQP_REPLY_SUCCESS);
			amqp_connection_close(t.conn, AMQP_REPLY_SUCCESS);
		}
		amqp_destroy_connection(t.conn);
	}
	free(copy);
	return rc;
}
