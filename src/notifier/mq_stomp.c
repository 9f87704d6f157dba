/* notifier/mq_stomp.c: one STOMP 1.2 publish, the way Clair's notifier
 * sends (go-stomp: CONNECT, SEND with a receipt, DISCONNECT), hand-written
 * because it is small: a connection per publish (STOMP has no
 * multiplexing), the frames of stomp_frame.c, mq_sock.c for TCP and TLS.
 *
 *   CONNECT  accept-version:1.2, host, login, passcode, heart-beat:0,0
 *   <-       CONNECTED (version 1.2 required) | ERROR
 *   SEND     destination, content-type, content-length, receipt:vigil-1
 *   <-       RECEIPT receipt-id:vigil-1 (the broker has it) | ERROR
 *   DISCONNECT, close
 *
 * Heart-beats are off (0,0): a session lasts one message. Frames from the
 * broker are read into one buffer of STOMP_MAX_FRAME bytes; anything
 * bigger is an error, never a bigger buffer. The host header is the URI's
 * path when it has one (RabbitMQ reads it as the virtual host), else the
 * host name (STOMP 1.2, Clair). An ERROR frame's message header and body
 * are repeated, cut to MQ_MAX_PEER_TEXT and redacted. */
#include "notifier/notify_mq_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STOMP_RECEIPT_ID "vigil-1"

/* ---- addresses ---- */

static bool pct_decode(vigil_slice in, char *out, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < in.len; i++) {
		char ch = in.ptr[i];
		if (ch == '%') {
			int hi = i + 2 < in.len ? vigil_hex_digit(in.ptr[i + 1]) : -1;
			int lo = hi >= 0 ? vigil_hex_digit(in.ptr[i + 2]) : -1;
			if (lo < 0)
				return false;
			ch = (char)(hi * 16 + lo);
			i += 2;
		}
		if (!ch || k + 1 >= n)
			return false;
		out[k++] = ch;
	}
	out[k] = 0;
	return true;
}

static bool copy_slice(vigil_slice s, char *out, size_t n)
{
	if (s.len >= n || memchr(s.ptr, 0, s.len))
		return false;
	memcpy(out, s.ptr, s.len);
	out[s.len] = 0;
	return true;
}

int mq_stomp_parse_addr(const char *uri, bool tls_default, mq_stomp_addr *a)
{
	vigil_slice s = vigil_slice_cstr(uri), auth, hostport, path = { "", 0 }, h, p;
	ptrdiff_t i;
	bool schemed = true;
	memset(a, 0, sizeof(*a));
	a->tls = tls_default;
	snprintf(a->port, sizeof(a->port), "%s", "61613");
	if (vigil_slice_starts_with(s, "stomp://")) {
		s = vigil_slice_sub(s, 8, s.len);
	} else if (vigil_slice_starts_with(s, "stomp+ssl://") || vigil_slice_starts_with(s, "stomp+tls://")) {
		s = vigil_slice_sub(s, 12, s.len);
		a->tls = true;
		snprintf(a->port, sizeof(a->port), "%s", "61614");
	} else if (strstr(uri, "://")) {
		return vigil_error_set(VIGIL_EINVAL, "not host:port, stomp:// or stomp+ssl://");
	} else if (vigil_slice_find(s, '/') >= 0 || vigil_slice_find(s, '@') >= 0) {
		return vigil_error_set(VIGIL_EINVAL, "not host:port (a path or userinfo needs stomp://)");
	} else {
		schemed = false;
	}
	if ((i = vigil_slice_find(s, '/')) >= 0) {
		path = vigil_slice_sub(s, (size_t)i + 1, s.len);
		s = vigil_slice_sub(s, 0, (size_t)i);
	}
	hostport = s;
	if ((i = vigil_slice_rfind(s, '@')) >= 0) {
		auth = vigil_slice_sub(s, 0, (size_t)i);
		hostport = vigil_slice_sub(s, (size_t)i + 1, s.len);
		vigil_slice l, pw;
		bool has_pw = vigil_slice_split(auth, ':', &l, &pw);
		if (!pct_decode(l, a->login, sizeof(a->login)) ||
		    (has_pw && !pct_decode(pw, a->passcode, sizeof(a->passcode))))
			return vigil_error_set(VIGIL_EINVAL, "bad userinfo");
		a->has_login = true;
	}
	if (!pct_decode(path, a->vhost, sizeof(a->vhost)))
		return vigil_error_set(VIGIL_EINVAL, "bad path (the virtual host)");
	if (hostport.len && hostport.ptr[0] == '[') {
		i = vigil_slice_find(hostport, ']');
		if (i < 0)
			return vigil_error_set(VIGIL_EINVAL, "no ']' after an IPv6 address");
		h = vigil_slice_sub(hostport, 1, (size_t)i - 1);
		p = vigil_slice_sub(hostport, (size_t)i + 1, hostport.len);
		if (p.len && p.ptr[0] != ':')
			return vigil_error_set(VIGIL_EINVAL, "junk after ']'");
		p = vigil_slice_sub(p, p.len ? 1 : 0, p.len);
	} else if (!vigil_slice_split(hostport, ':', &h, &p)) {
		p = vigil_slice_make("", 0);
		if (!schemed)
			return vigil_error_set(VIGIL_EINVAL, "no port (Clair's STOMP URIs are host:port)");
	}
	uint64_t port = 0;
	if (p.len && (!vigil_slice_to_u64(p, 65535, &port) || port == 0))
		return vigil_error_set(VIGIL_EINVAL, "bad port");
	if (p.len && !copy_slice(p, a->port, sizeof(a->port)))
		return vigil_error_set(VIGIL_EINVAL, "bad port");
	if (!h.len || !copy_slice(h, a->host, sizeof(a->host)))
		return vigil_error_set(VIGIL_EINVAL, "no host");
	return 0;
}

/* ---- one session ---- */

typedef struct stomp_session {
	mq_sock sock;
	const char *red;
	int64_t deadline;
	char *in;          /* STOMP_MAX_FRAME bytes read from the broker */
	size_t have;
	stomp_frame *f;    /* the last frame read */
	size_t consumed;
} stomp_session;

static int send_frame(stomp_session *ss, const char *command, const char *const *hdrs, const char *body,
		      size_t len, const char *step)
{
	vigil_buf out;
	int rc;
	vigil_buf_init(&out, MQ_MAX_BODY + 64 * 1024);
	if ((rc = stomp_frame_write(&out, command, hdrs, body, len)) < 0) {
		vigil_error_prefix("%s: %s: ", ss->red, step);
		goto out;
	}
	rc = mq_sock_write(&ss->sock, out.data, out.len, ss->red, step, ss->deadline);
out:
	vigil_buf_free(&out);
	return rc;
}

/* Reads until one whole frame is in ss->f. */
static int read_frame(stomp_session *ss, const char *step)
{
	int rc;
	if (ss->consumed) { /* drop the previous frame */
		memmove(ss->in, ss->in + ss->consumed, ss->have - ss->consumed);
		ss->have -= ss->consumed;
		ss->consumed = 0;
	}
	for (;;) {
		size_t got = 0;
		rc = stomp_frame_parse(ss->in, ss->have, ss->f, &ss->consumed);
		if (rc == 0)
			return 0;
		if (rc < 0) { /* a broker that speaks no STOMP: try the next one */
			char why[VIGIL_ERROR_MAX];
			snprintf(why, sizeof(why), "%s", vigil_error_message());
			return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: %s: %s", ss->red, step, why);
		}
		if ((rc = mq_sock_read(&ss->sock, ss->in + ss->have, STOMP_MAX_FRAME - ss->have, &got, ss->red, step,
				       ss->deadline)) < 0)
			return rc;
		if (!got)
			return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: %s: the broker closed the connection", ss->red,
					       step);
		ss->have += got;
	}
}

/* An ERROR frame (or another unexpected one) worded for the message. */
static int peer_error(stomp_session *ss, const char *step, const char *hint)
{
	const stomp_frame *f = ss->f;
	const vigil_slice *m = stomp_frame_get(f, "message");
	char msg[MQ_MAX_PEER_TEXT + 1] = "", body[MQ_MAX_PEER_TEXT + 1] = "";
	if (!vigil_slice_eq_cstr(f->command, "ERROR"))
		return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: %s: unexpected %.*s frame", ss->red, step,
				       (int)(f->command.len > 32 ? 32 : f->command.len), f->command.ptr);
	if (m)
		mq_peer_text(m->ptr, m->len, msg, sizeof(msg));
	mq_peer_text(f->body.ptr, f->body.len, body, sizeof(body));
	return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: %s: the broker answered ERROR: %s%s%s%s", ss->red, step,
			       msg[0] ? msg : "(no message)", body[0] ? ": " : "", body, hint);
}

static int do_connect(stomp_session *ss, const mq_stomp_addr *a, const vigil_notify_mq *c)
{
	const char *login = a->has_login ? a->login : c->login, *pass = a->has_login ? a->passcode : c->passcode;
	const char *hdrs[12];
	size_t k = 0;
	int rc;
	hdrs[k++] = "accept-version";
	hdrs[k++] = "1.2";
	hdrs[k++] = "host";
	hdrs[k++] = a->vhost[0] ? a->vhost : a->host;
	if (login && login[0]) {
		hdrs[k++] = "login";
		hdrs[k++] = login;
		hdrs[k++] = "passcode";
		hdrs[k++] = pass ? pass : "";
	}
	hdrs[k++] = "heart-beat";
	hdrs[k++] = "0,0";
	hdrs[k] = NULL;
	if ((rc = send_frame(ss, "CONNECT", hdrs, NULL, 0, "connect")) < 0 ||
	    (rc = read_frame(ss, "connect")) < 0)
		return rc;
	if (!vigil_slice_eq_cstr(ss->f->command, "CONNECTED"))
		return peer_error(ss, "connect",
				  a->vhost[0] ? "" : " (RabbitMQ takes the host header as its virtual host: "
						     "give it as the URI's path, stomp://host:port/%2F)");
	const vigil_slice *v = stomp_frame_get(ss->f, "version");
	if (!v || !vigil_slice_eq_cstr(*v, "1.2"))
		return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: connect: the broker does not speak STOMP 1.2 "
				       "(version %.*s)", ss->red, v ? (int)(v->len > 16 ? 16 : v->len) : 3,
				       v ? v->ptr : "1.0");
	return 0;
}

static int do_send(stomp_session *ss, const vigil_notify_mq *c, const char *content_type, const char *body,
		   size_t len)
{
	char clen[24];
	int rc;
	snprintf(clen, sizeof(clen), "%zu", len);
	const char *hdrs[] = { "destination", c->destination, "content-type", content_type, "content-length", clen,
			       "receipt", STOMP_RECEIPT_ID, NULL };
	if ((rc = send_frame(ss, "SEND", hdrs, body, len, "send")) < 0)
		return rc;
	for (;;) {
		if ((rc = read_frame(ss, "receipt")) < 0)
			return rc;
		if (!vigil_slice_eq_cstr(ss->f->command, "RECEIPT"))
			return peer_error(ss, "send", "");
		const vigil_slice *id = stomp_frame_get(ss->f, "receipt-id");
		if (id && vigil_slice_eq_cstr(*id, STOMP_RECEIPT_ID))
			return 0;
	}
}

int mq_stomp_try(const vigil_notify_mq *c, const char *uri, const char *red, const char *content_type,
		 const char *body, size_t len, int64_t deadline)
{
	stomp_session ss = { .sock = { .fd = -1 }, .red = red, .deadline = deadline };
	mq_stomp_addr a;
	int rc;

	if ((rc = mq_stomp_parse_addr(uri, c->tls != 0, &a)) < 0) {
		vigil_error_prefix("%s: ", red);
		return rc;
	}
	ss.in = malloc(STOMP_MAX_FRAME);
	ss.f = malloc(sizeof(*ss.f));
	if (!ss.in || !ss.f) {
		rc = vigil_error_oom();
		goto out;
	}
	if ((rc = mq_sock_open(&ss.sock, a.host, a.port, a.tls, c, red, deadline)) < 0 ||
	    (rc = do_connect(&ss, &a, c)) < 0 || (rc = do_send(&ss, c, content_type, body, len)) < 0)
		goto out;
	/* the message is the broker's: a failed DISCONNECT changes nothing */
	const char *none[] = { NULL };
	if (send_frame(&ss, "DISCONNECT", none, NULL, 0, "disconnect") < 0)
		vigil_error_clear();
out:
	mq_sock_close(&ss.sock);
	free(ss.f);
	free(ss.in);
	return rc;
}
