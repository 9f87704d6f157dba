/* server/listen.c: the listening sockets of vigil serve: "HOST:PORT",
 * ":PORT" (every address: one IPv6 socket that takes IPv4 too, or IPv4
 * alone where there is no IPv6) and "[V6]:PORT", resolved numerically as
 * given (getaddrinfo, AI_PASSIVE). Non-blocking, close-on-exec. */
#include "server/http_priv.h"
#include "util/error.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SRV_LISTEN_BACKLOG 1024 /* connections waiting for accept() */

/* "host:port", ":port", "[v6]:port" -> a socket address; *any when host is empty. */
static int parse_addr(const char *addr, struct sockaddr_storage *ss, socklen_t *sl, bool *any, uint16_t *port)
{
	char host[256];
	const char *colon = strrchr(addr, ':');
	long p = 0;
	if (!colon || !colon[1])
		return vigil_error_set(VIGIL_EINVAL, "listen address \"%s\": HOST:PORT or :PORT expected", addr);
	for (const char *q = colon + 1; *q; q++) {
		if (*q < '0' || *q > '9' || p > 65535)
			return vigil_error_set(VIGIL_EINVAL, "listen address \"%s\": bad port", addr);
		p = p * 10 + (*q - '0');
	}
	if (p > 65535)
		return vigil_error_set(VIGIL_EINVAL, "listen address \"%s\": bad port", addr);
	*port = (uint16_t)p;
	size_t hl = (size_t)(colon - addr);
	const char *h = addr;
	if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
		h++;
		hl -= 2;
	}
	if (hl >= sizeof(host))
		return vigil_error_set(VIGIL_EINVAL, "listen address \"%s\": host too long", addr);
	memcpy(host, h, hl);
	host[hl] = '\0';
	*any = hl == 0;
	if (*any)
		return 0;
	struct addrinfo hints = { 0 }, *res = NULL;
	char ps[24];
	snprintf(ps, sizeof(ps), "%ld", p);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
	int e = getaddrinfo(host, ps, &hints, &res);
	if (e || !res)
		return vigil_error_set(VIGIL_EINVAL, "listen address \"%s\": %s", addr, gai_strerror(e));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sl = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

/* A listening socket on addr: SO_REUSEADDR (a restart while old
 * connections linger), never SO_REUSEPORT (a second server on the port is
 * an error, not a silent share). An empty host: every address, v6 and v4. */
int srv_listen_on(const char *addr, int *out)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl = 0;
	bool any = false;
	uint16_t port = 0;
	int fd = -1, one = 1, zero = 0, rc;
	if ((rc = parse_addr(addr, &ss, &sl, &any, &port)) < 0)
		return rc;
	if (any) {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
		a6->sin6_family = AF_INET6;
		a6->sin6_addr = in6addr_any;
		a6->sin6_port = htons(port);
		sl = sizeof(*a6);
		if ((fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) >= 0)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
		else { /* no IPv6 here: v4 only */
			struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
			memset(&ss, 0, sizeof(ss));
			a4->sin_family = AF_INET;
			a4->sin_addr.s_addr = htonl(INADDR_ANY);
			a4->sin_port = htons(port);
			sl = sizeof(*a4);
		}
	}
	if (fd < 0 && (fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0)
		return vigil_error_set(VIGIL_EIO, "cannot listen on %s: socket: %s", addr, strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, SRV_LISTEN_BACKLOG) < 0) {
		rc = vigil_error_set(VIGIL_EIO, "cannot listen on %s: %s", addr, strerror(errno));
		close(fd);
		return rc;
	}
	*out = fd;
	return 0;
}
