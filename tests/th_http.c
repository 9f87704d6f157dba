/* tests/th_http.c: a small HTTP server on 127.0.0.1 for the tests of the
 * HTTP client (tests/net, tests/db): one listening socket on an ephemeral
 * port, one thread accepting, one detached thread per connection (so a
 * stalling answer holds up no other) that runs the test's handler on the
 * socket and closes it. The handler reads the request and writes whatever
 * the test needs, bad answers included. */
#include "th_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct th_http {
	int lfd;
	pthread_t thr;
	void (*handler)(int fd);
};

static atomic_int th_stop, th_accepted;

struct conn {
	int fd;
	void (*handler)(int fd);
};

static void *connection(void *arg)
{
	struct conn c = *(struct conn *)arg;
	free(arg);
	c.handler(c.fd);
	shutdown(c.fd, SHUT_RDWR);
	close(c.fd);
	return NULL;
}

static void *accepter(void *arg)
{
	th_http *s = arg;
	while (!th_stop) {
		struct pollfd p = { s->lfd, POLLIN, 0 };
		pthread_t t;
		if (poll(&p, 1, 100) <= 0)
			continue;
		int fd = accept(s->lfd, NULL, NULL);
		if (fd < 0)
			continue;
		th_accepted++;
		struct conn *c = malloc(sizeof(*c));
		if (c) {
			c->fd = fd;
			c->handler = s->handler;
		}
		if (c && pthread_create(&t, NULL, connection, c) == 0) {
			pthread_detach(t);
		} else {
			free(c);
			close(fd);
		}
	}
	return NULL;
}

int th_http_start(void (*handler)(int fd), th_http **out, int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	th_http *s = calloc(1, sizeof(*s));
	*out = NULL;
	if (!s)
		return -1;
	s->handler = handler;
	th_stop = 0;
	s->lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (s->lfd < 0 || bind(s->lfd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(s->lfd, 16) != 0 ||
	    getsockname(s->lfd, (struct sockaddr *)&a, &al) != 0 ||
	    pthread_create(&s->thr, NULL, accepter, s) != 0) {
		if (s->lfd >= 0)
			close(s->lfd);
		free(s);
		return -1;
	}
	*port = ntohs(a.sin_port);
	*out = s;
	return 0;
}

void th_http_stop(th_http *s, int settle_ms)
{
	if (!s)
		return;
	th_stop = 1;
	pthread_join(s->thr, NULL);
	close(s->lfd);
	free(s);
	struct timespec ts = { settle_ms / 1000, (long)(settle_ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

int th_http_stopping(void)
{
	return th_stop;
}

int th_http_accepted(void)
{
	return th_accepted;
}

int th_http_read_request(int fd, char *req, size_t n, char *path, size_t pn, const char *path_end)
{
	size_t got = 0;
	req[0] = '\0';
	while (got < n - 1 && !strstr(req, "\r\n\r\n")) {
		ssize_t r = recv(fd, req + got, n - 1 - got, 0);
		if (r <= 0)
			return -1;
		got += (size_t)r;
		req[got] = '\0';
	}
	const char *sp = strchr(req, ' ');
	if (!sp)
		return -1;
	size_t pl = strcspn(sp + 1, path_end);
	snprintf(path, pn, "%.*s", (int)(pl < pn - 1 ? pl : pn - 1), sp + 1);
	return 0;
}

void th_http_send(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n > 0) {
		ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		c += w;
		n -= (size_t)w;
	}
}
