/* notifier/mq_sock.c: one TCP connection, optionally TLS (OpenSSL), with a
 * deadline on every step, for the STOMP session and for plain AMQP
 * (whose socket is handed to librabbitmq so that a refused or silent
 * broker is told apart in words librabbitmq does not have).
 *
 * Design: the socket is non-blocking from the start; connect, the TLS
 * handshake, reads and writes wait in poll() for at most what is left of
 * the attempt's deadline, so no step can hang past it. Names are resolved
 * with getaddrinfo (blocking: the resolver has no deadline; a broker is
 * named in a config, usually an IP or a local name). Every address is
 * tried in order; the message keeps the last failure. TLS: TLS 1.2 at
 * least, the peer verified against the system's CAs plus the config's
 * root_ca, the host name checked (SSL_set1_host) and sent as SNI (an IP
 * address is checked against the certificate's IP SANs), a client
 * certificate when the config gives one (Clair's tls: cert, key). Writes
 * use MSG_NOSIGNAL; OpenSSL's writes run under mq_sigpipe_block(). */
#include "notifier/notify_mq_priv.h"
#include "util/error.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int64_t mq_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int mq_left_ms(int64_t deadline)
{
	int64_t left = deadline - mq_now_ms();
	return left < 0 ? 0 : left > MQ_MAX_TIMEOUT_MS ? MQ_MAX_TIMEOUT_MS : (int)left;
}

void mq_sigpipe_block(mq_sigpipe *s)
{
	sigset_t pipe, pending;
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	sigpending(&pending);
	s->was_pending = sigismember(&pending, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe, &s->old);
}

void mq_sigpipe_restore(mq_sigpipe *s)
{
	sigset_t pipe, pending;
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	sigpending(&pending);
	if (!s->was_pending && sigismember(&pending, SIGPIPE)) {
		struct timespec zero = { 0, 0 };
		while (sigtimedwait(&pipe, NULL, &zero) < 0 && errno == EINTR)
			;
	}
	pthread_sigmask(SIG_SETMASK, &s->old, NULL);
}

/* 1 ready, 0 timed out, -1 poll failed */
static int wait_fd(int fd, short ev, int64_t deadline)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = ev };
		int left = mq_left_ms(deadline), r = poll(&p, 1, left);
		if (r > 0)
			return 1;
		if (r == 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

static int connect_one(const struct addrinfo *ai, int64_t deadline, int *fd_out, char *why, size_t n)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol), err = 0;
	socklen_t el = sizeof(err);
	if (fd < 0) {
		snprintf(why, n, "socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS) {
		snprintf(why, n, "%s", strerror(errno));
		goto fail;
	}
	int w = wait_fd(fd, POLLOUT, deadline);
	if (w == 0) {
		snprintf(why, n, "no answer (timed out)");
		goto fail;
	}
	if (w < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0 || err) {
		snprintf(why, n, "%s", strerror(err ? err : errno));
		goto fail;
	}
	*fd_out = fd;
	return 0;
fail:
	close(fd);
	return -1;
}

static const char *ssl_why(char *out, size_t n)
{
	unsigned long e = ERR_get_error(), last = e;
	while (e) { /* the last error of the queue is the one that says why */
		last = e;
		e = ERR_get_error();
	}
	if (!last)
		snprintf(out, n, "the connection was closed");
	else
		ERR_error_string_n(last, out, n);
	return out;
}

static int tls_setup(mq_sock *s, const char *host, const vigil_notify_mq *c, const char *red)
{
	char why[256];
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	SSL *ssl = NULL;
	s->ctx = ctx;
	if (!ctx)
		return vigil_error_oom();
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if (SSL_CTX_set_default_verify_paths(ctx) != 1)
		ERR_clear_error();
	if (c->tls_root_ca && c->tls_root_ca[0] && SSL_CTX_load_verify_locations(ctx, c->tls_root_ca, NULL) != 1)
		return vigil_error_set(VIGIL_EINVAL, "%s: tls: root_ca %s: %s", red, c->tls_root_ca,
				       ssl_why(why, sizeof(why)));
	if (c->tls_cert && c->tls_cert[0] &&
	    (SSL_CTX_use_certificate_chain_file(ctx, c->tls_cert) != 1 ||
	     SSL_CTX_use_PrivateKey_file(ctx, c->tls_key && c->tls_key[0] ? c->tls_key : c->tls_cert,
					 SSL_FILETYPE_PEM) != 1))
		return vigil_error_set(VIGIL_EINVAL, "%s: tls: cert %s / key %s: %s", red, c->tls_cert,
				       c->tls_key ? c->tls_key : "", ssl_why(why, sizeof(why)));
	if (!(ssl = SSL_new(ctx)))
		return vigil_error_oom();
	s->ssl = ssl;
	SSL_set_fd(ssl, s->fd);
	unsigned char ip[16];
	if (inet_pton(AF_INET, host, ip) == 1 || inet_pton(AF_INET6, host, ip) == 1) {
		/* an address: checked against the certificate's IP SANs, no SNI */
		if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) != 1)
			return vigil_error_set(VIGIL_EINVAL, "%s: tls: cannot check address %s", red, host);
		return 0;
	}
	SSL_set_tlsext_host_name(ssl, host);
	SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (SSL_set1_host(ssl, host) != 1)
		return vigil_error_set(VIGIL_EINVAL, "%s: tls: cannot check host name %s", red, host);
	return 0;
}

/* Drives an SSL call that may want to read or write. 1 done, 0 retry,
 * < 0 failed (message set). */
static int ssl_step(mq_sock *s, int r, const char *red, const char *step, int64_t deadline)
{
	char why[256];
	int e = SSL_get_error(s->ssl, r), w;
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		w = wait_fd(s->fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline);
		if (w > 0)
			return 0;
		return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: %s: %s", red, step,
				       w == 0 ? "no answer (timed out)" : strerror(errno));
	}
	if (e == SSL_ERROR_ZERO_RETURN)
		return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: %s: the broker closed the connection", red, step);
	if (e == SSL_ERROR_SSL && SSL_get_verify_result(s->ssl) != X509_V_OK)
		return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: %s: certificate not trusted: %s", red, step,
				       X509_verify_cert_error_string(SSL_get_verify_result(s->ssl)));
	return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: %s: %s", red, step,
			       e == SSL_ERROR_SYSCALL && errno ? strerror(errno) : ssl_why(why, sizeof(why)));
}

int mq_sock_open(mq_sock *s, const char *host, const char *port, bool tls, const vigil_notify_mq *c,
		 const char *red, int64_t deadline)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_family = AF_UNSPEC }, *res = NULL;
	char why[256] = "no address";
	int rc, g;

	s->fd = -1;
	s->ssl = s->ctx = NULL;
	if ((g = getaddrinfo(host, port, &hints, &res)) != 0)
		return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: connect: cannot resolve %s: %s", red, host,
				       gai_strerror(g));
	for (const struct addrinfo *ai = res; ai && s->fd < 0; ai = ai->ai_next)
		if (mq_left_ms(deadline) > 0)
			connect_one(ai, deadline, &s->fd, why, sizeof(why));
	freeaddrinfo(res);
	if (s->fd < 0)
		return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: connect: cannot reach the broker: %s", red, why);
	if (!tls)
		return 0;
	if ((rc = tls_setup(s, host, c, red)) < 0)
		return rc;
	for (;;) {
		int r = SSL_connect(s->ssl);
		if (r == 1)
			return 0;
		if ((rc = ssl_step(s, r, red, "tls handshake", deadline)) < 0)
			return rc;
	}
}

int mq_sock_write(mq_sock *s, const char *p, size_t n, const char *red, const char *step, int64_t deadline)
{
	while (n) {
		ssize_t w;
		if (s->ssl) {
			size_t done = 0;
			int r = SSL_write_ex(s->ssl, p, n, &done), rc;
			if (r == 1) {
				p += done;
				n -= done;
			} else if ((rc = ssl_step(s, r, red, step, deadline)) < 0) {
				return rc;
			}
			continue;
		}
		w = send(s->fd, p, n, MSG_NOSIGNAL);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			int r = wait_fd(s->fd, POLLOUT, deadline);
			if (r > 0)
				continue;
			return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: %s: %s", red, step,
					       r == 0 ? "no answer (timed out)" : strerror(errno));
		}
		return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: %s: %s", red, step, strerror(errno));
	}
	return 0;
}

int mq_sock_read(mq_sock *s, char *p, size_t cap, size_t *got, const char *red, const char *step,
		 int64_t deadline)
{
	*got = 0;
	for (;;) {
		if (s->ssl) {
			int r = SSL_read_ex(s->ssl, p, cap, got), rc;
			if (r == 1)
				return 0;
			if (SSL_get_error(s->ssl, r) == SSL_ERROR_ZERO_RETURN)
				return 0;
			if ((rc = ssl_step(s, r, red, step, deadline)) < 0)
				return rc;
			continue;
		}
		ssize_t r = recv(s->fd, p, cap, 0);
		if (r >= 0) {
			*got = (size_t)r;
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			int w = wait_fd(s->fd, POLLIN, deadline);
			if (w > 0)
				continue;
			return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: %s: %s", red, step,
					       w == 0 ? "no answer (timed out)" : strerror(errno));
		}
		return vigil_error_set(VIGIL_EUNAVAILABLE, "%s: %s: %s", red, step, strerror(errno));
	}
}

void mq_sock_close(mq_sock *s)
{
	if (s->ssl) {
		SSL_shutdown(s->ssl); /* close_notify, without waiting for the peer's */
		SSL_free(s->ssl);
	}
	if (s->ctx)
		SSL_CTX_free(s->ctx);
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	s->ssl = s->ctx = NULL;
}

int mq_sock_release(mq_sock *s)
{
	int fd = s->fd;
	s->fd = -1;
	return fd;
}
