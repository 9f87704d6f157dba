/* tests/th_http.h: a small HTTP server on 127.0.0.1 for the HTTP client's
 * tests (th_http.c). One server at a time per test program.
 *
 *   static void serve(int fd) { ... read the request, write an answer ... }
 *   th_http *srv; int port;
 *   th_http_start(serve, &srv, &port);   ...   th_http_stop(srv, 400);
 */
#ifndef VIGIL_TESTS_TH_HTTP_H
#define VIGIL_TESTS_TH_HTTP_H

#include <stdatomic.h>
#include <stddef.h>

typedef struct th_http th_http;

/* Listens on 127.0.0.1 (an ephemeral port into *port) and runs handler on
 * each connection in a thread of its own, closing the socket after: 0, or
 * -1. */
int th_http_start(void (*handler)(int fd), th_http **out, int *port);
/* Stops accepting, then waits settle_ms for the connection threads (which
 * watch th_http_stopping()) to end. NULL is fine. */
void th_http_stop(th_http *s, int settle_ms);
/* 1 once th_http_stop was called: a handler that naps or trickles stops. */
int th_http_stopping(void);
/* Connections accepted so far. */
int th_http_accepted(void);
/* Reads a request head (up to "\r\n\r\n") into req[n] and its target,
 * cut at any of path_end (" ?" drops the query), into path[pn]: 0, or -1
 * when the client went away or sent no request line. */
int th_http_read_request(int fd, char *req, size_t n, char *path, size_t pn, const char *path_end);
/* Writes all of p (until the client goes away). */
void th_http_send(int fd, const void *p, size_t n);

#endif
