/* tests/net/test_net.c: net/, vigil's one HTTP client. The pure parts:
 * CIDR parsing (IPv4, IPv6, IPv4-mapped, edge prefixes, bad input and the
 * list limits), the address check (the built-in link-local and
 * unspecified refusals, mapped forms, deny and allow lists, the
 * link-local exception) and the header lines (status line, "Name: value",
 * validators). Then transfers against a small HTTP server this test runs
 * on 127.0.0.1 in a thread (no packet goes anywhere else; refused
 * addresses are never connected to at all):
 *   - a deny list of 127.0.0.0/8, set through the server's YAML config
 *     (indexer.fetch.deny) and reg_url_configure(), refuses a layer
 *     URI to the test's server with an error naming the redacted URL, and
 *     the server sees no connection: the check is on the connect path; a
 *     redirect to a denied address is refused the same way;
 *   - a source trickling bytes faster than the stall rule ends at the
 *     layer-URI deadline;
 *   - a 200 kB header line and a header of many lines over the cap are
 *     VIGIL_ELIMIT "response header over N bytes from URL";
 *   - a failing fetch of a URL with a password and a signature repeats
 *     neither;
 *   - the all-or-nothing mode into a buffer, and its 304. */
#include "helpers.h"
#include "th_http.h"
#include "net/net.h"
#include "registry/registry.h"
#include "server/server.h"
#include "util/error.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- CIDRs ---- */

static void cidr_is(const char *in, const char *want)
{
	net_cidr c;
	char out[NET_MAX_CIDR_TEXT];
	if (net_cidr_parse(in, strlen(in), &c) < 0)
		fail_msg("%s: %s", in, vigil_error_message());
	net_cidr_format(&c, out, sizeof(out));
	if (strcmp(out, want))
		fail_msg("%s: got %s, want %s", in, out, want);
}

static void test_cidr_parse(void **state)
{
	cidr_is("10.0.0.0/8", "10.0.0.0/8");
	cidr_is("0.0.0.0/0", "0.0.0.0/0");
	cidr_is("192.0.2.1", "192.0.2.1/32");
	cidr_is("192.0.2.1/32", "192.0.2.1/32");
	cidr_is("fd00::/8", "fd00::/8");
	cidr_is("::/0", "::/0");
	cidr_is("::1", "::1/128");
	cidr_is("2001:db8::1/128", "2001:db8::1/128");
	cidr_is("FE80::/10", "fe80::/10");
	cidr_is("::ffff:10.0.0.0/104", "::ffff:10.0.0.0/104");
	const char *bad[] = {
		"", "/8", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.1/8", "fd00::1/8", "10.0.0.0/-1",
		"10.0.0.0/08", "10.0.0.0/8/8", "10.0.0/8", "010.0.0.0/8", "example.com/8", "10.0.0.0 /8",
		"10.0.0.0/1000", "::ffff:10.0.0.1/104", "1:2:3:4:5:6:7:8:9/128",
		"0000000000000000000000000000000000000000000000000000000000000000000/1",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		net_cidr c;
		int rc = net_cidr_parse(bad[i], strlen(bad[i]), &c);
		if (rc != VIGIL_EFORMAT)
			fail_msg("\"%s\": %d, want VIGIL_EFORMAT", bad[i], rc);
		assert_non_null(strstr(vigil_error_message(), "CIDR"));
	}
	net_cidr c;
	assert_int_equal(net_cidr_parse("10.0.0.0\0/8", 11, &c), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "NUL"));
	assert_int_equal(net_cidr_parse("10.0.0.1/8", 10, &c), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "host bits"));
}

static void test_cidr_list(void **state)
{
	net_cidr v[NET_MAX_CIDRS];
	size_t n = 0;
	const char *ok = " 10.0.0.0/8, 192.168.0.0/16\n\tfd00::/8,,";
	assert_int_equal(net_cidr_list_parse(ok, strlen(ok), v, NET_MAX_CIDRS, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[2].prefix, 8);
	n = 0;
	assert_int_equal(net_cidr_list_parse("", 0, v, NET_MAX_CIDRS, &n), 0);
	assert_int_equal(n, 0);
	/* the bad entry is named */
	assert_int_equal(net_cidr_list_parse("10.0.0.0/8 10.0.0.0/40", 22, v, NET_MAX_CIDRS, &n), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "10.0.0.0/40"));
	/* limits: entries, bytes */
	n = 0;
	assert_int_equal(net_cidr_list_parse("1.0.0.0/8 2.0.0.0/8 3.0.0.0/8", 29, v, 2, &n), VIGIL_ELIMIT);
	assert_non_null(strstr(vigil_error_message(), "more than 2 CIDRs"));
	char *big = malloc(NET_MAX_CIDR_LIST + 2);
	memset(big, ' ', NET_MAX_CIDR_LIST + 1);
	n = 0;
	assert_int_equal(net_cidr_list_parse(big, NET_MAX_CIDR_LIST + 1, v, NET_MAX_CIDRS, &n), VIGIL_ELIMIT);
	free(big);
}

/* ---- the address check ---- */

static bool allowed(const net_addr_policy *p, const char *ip, char *why, size_t whyn)
{
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	if (inet_pton(AF_INET, ip, &a4.sin_addr) == 1)
		return net_addr_allowed(p, (struct sockaddr *)&a4, sizeof(a4), why, whyn);
	assert_int_equal(inet_pton(AF_INET6, ip, &a6.sin6_addr), 1);
	return net_addr_allowed(p, (struct sockaddr *)&a6, sizeof(a6), why, whyn);
}

static void expect(const net_addr_policy *p, const char *ip, bool want, const char *why_has)
{
	char why[192];
	bool got = allowed(p, ip, why, sizeof(why));
	if (got != want)
		fail_msg("%s: %s, want %s (%s)", ip, got ? "allowed" : "refused", want ? "allowed" : "refused", why);
	if (why_has && !strstr(why, why_has))
		fail_msg("%s: why \"%s\" lacks \"%s\"", ip, why, why_has);
}

static void add(net_cidr *v, size_t *n, const char *s)
{
	assert_int_equal(net_cidr_list_parse(s, strlen(s), v, NET_MAX_CIDRS, n), 0);
}

static void test_addr_default(void **state)
{
	/* the default policy (NULL, or all zero) */
	expect(NULL, "127.0.0.1", true, NULL);
	expect(NULL, "10.1.2.3", true, NULL);
	expect(NULL, "192.168.1.1", true, NULL);
	expect(NULL, "172.16.0.1", true, NULL);
	expect(NULL, "::1", true, NULL);
	expect(NULL, "fd00::1", true, NULL);
	expect(NULL, "::ffff:127.0.0.1", true, NULL);
	expect(NULL, "169.254.169.254", false, "169.254.169.254 is link-local");
	expect(NULL, "169.254.0.0", false, "link-local");
	expect(NULL, "169.254.255.255", false, "link-local");
	expect(NULL, "169.253.255.255", true, NULL);
	expect(NULL, "169.255.0.0", true, NULL);
	expect(NULL, "::ffff:169.254.169.254", false, "169.254.169.254 is link-local");
	expect(NULL, "fe80::1", false, "fe80::1 is link-local");
	expect(NULL, "febf:ffff::1", false, "link-local");
	expect(NULL, "fec0::1", true, NULL);
	expect(NULL, "fe7f::1", true, NULL);
	expect(NULL, "0.0.0.0", false, "unspecified");
	expect(NULL, "0.1.2.3", false, "unspecified");
	expect(NULL, "::ffff:0.0.0.0", false, "unspecified");
	expect(NULL, "::", false, "unspecified");
	expect(NULL, "1.0.0.0", true, NULL);
	net_addr_policy zero;
	memset(&zero, 0, sizeof(zero));
	expect(&zero, "169.254.169.254", false, NULL);
	expect(&zero, "127.0.0.1", true, NULL);
	/* not an IP socket */
	struct sockaddr sa = { .sa_family = AF_UNIX };
	assert_false(net_addr_allowed(NULL, &sa, sizeof(sa), NULL, 0));
	struct sockaddr_in short4 = { .sin_family = AF_INET };
	assert_false(net_addr_allowed(NULL, (struct sockaddr *)&short4, 4, NULL, 0));
}

static void test_addr_lists(void **state)
{
	net_addr_policy p;
	memset(&p, 0, sizeof(p));
	add(p.deny, &p.ndeny, "127.0.0.0/8, 10.0.0.0/8");
	expect(&p, "127.0.0.1", false, "127.0.0.1 is in the denied range 127.0.0.0/8");
	expect(&p, "127.255.255.255", false, NULL);
	expect(&p, "::ffff:127.0.0.1", false, "127.0.0.0/8"); /* the mapped form too */
	expect(&p, "10.9.9.9", false, "10.0.0.0/8");
	expect(&p, "128.0.0.1", true, NULL);
	expect(&p, "::1", true, NULL); /* an IPv4 CIDR says nothing of IPv6 */
	/* an IPv6 /0 covers the mapped IPv4 addresses too */
	memset(&p, 0, sizeof(p));
	add(p.deny, &p.ndeny, "::/0");
	expect(&p, "8.8.8.8", false, NULL);
	expect(&p, "2001:db8::1", false, NULL);
	/* an allow list locks down to itself */
	memset(&p, 0, sizeof(p));
	add(p.allow, &p.nallow, "10.0.0.0/8 fd00::/8");
	expect(&p, "10.1.1.1", true, NULL);
	expect(&p, "fd12::1", true, NULL);
	expect(&p, "192.168.1.1", false, "192.168.1.1 is in no allowed range");
	expect(&p, "127.0.0.1", false, NULL);
	/* deny wins over allow */
	add(p.deny, &p.ndeny, "10.1.0.0/16");
	expect(&p, "10.1.1.1", false, "10.1.0.0/16");
	expect(&p, "10.2.1.1", true, NULL);
	/* a wide allow never lifts the built-in refusals ... */
	memset(&p, 0, sizeof(p));
	add(p.allow, &p.nallow, "0.0.0.0/0, ::/0");
	expect(&p, "169.254.169.254", false, "link-local");
	expect(&p, "fe80::1", false, "link-local");
	expect(&p, "0.0.0.0", false, "unspecified");
	expect(&p, "8.8.8.8", true, NULL);
	/* ... an allow CIDR inside link-local space does, for itself only */
	add(p.allow, &p.nallow, "169.254.10.0/24 fe80::1/128");
	expect(&p, "169.254.10.7", true, NULL);
	expect(&p, "::ffff:169.254.10.7", true, NULL);
	expect(&p, "169.254.169.254", false, "link-local");
	expect(&p, "fe80::1", true, NULL);
	expect(&p, "fe80::2", false, NULL);
	/* the edges of a prefix that is not a multiple of 8 */
	memset(&p, 0, sizeof(p));
	add(p.deny, &p.ndeny, "172.16.0.0/12");
	expect(&p, "172.15.255.255", true, NULL);
	expect(&p, "172.16.0.0", false, NULL);
	expect(&p, "172.31.255.255", false, NULL);
	expect(&p, "172.32.0.0", true, NULL);
}

/* ---- header lines ---- */

static void test_header_lines(void **state)
{
	long st = 0;
	char reason[NET_MAX_REASON];
	assert_true(net_status_line("HTTP/1.1 404 Not Found\r\n", 24, &st, reason, sizeof(reason)));
	assert_int_equal(st, 404);
	assert_string_equal(reason, "404 Not Found");
	assert_true(net_status_line("HTTP/2 200\r\n", 12, &st, reason, sizeof(reason)));
	assert_int_equal(st, 200);
	assert_string_equal(reason, "200");
	const char *not_status[] = { "HTTP/1.1 20 OK", "HTTP/1.1 2000 OK", "HTTP/1.1 abc", "HTTP/1.1 099 x",
				     "ETag: x", "", "HTTP/", "HTTP/1.1" };
	for (size_t i = 0; i < sizeof(not_status) / sizeof(not_status[0]); i++)
		if (net_status_line(not_status[i], strlen(not_status[i]), &st, reason, sizeof(reason)))
			fail_msg("\"%s\" read as a status line", not_status[i]);
	const char *name, *value;
	size_t nl, vl;
	assert_true(net_header_split("ETag:  \"v1\" \r\n", 14, &name, &nl, &value, &vl));
	assert_int_equal(nl, 4);
	assert_int_equal(vl, 4);
	assert_memory_equal(value, "\"v1\"", 4);
	assert_false(net_header_split(": x\r\n", 5, &name, &nl, &value, &vl));
	assert_false(net_header_split("No colon\r\n", 10, &name, &nl, &value, &vl));
	assert_false(net_header_split("Bad name: x\r\n", 13, &name, &nl, &value, &vl));

	net_resp r;
	net_resp_reset(&r);
	const char *lines[] = {
		"HTTP/1.1 302 Found\r\n", "ETag: \"old\"\r\n", "\r\n",
		"HTTP/1.1 206 Partial Content\r\n", "Content-Type: application/json; charset=utf-8\r\n",
		"Content-Range: bytes 100-199/200\r\n", "Retry-After: 7\r\n", "Last-Modified: Sat, 20 Jun 2020\r\n",
		"Content-Encoding: gzip\r\n", "\r\n",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		net_resp_line(&r, lines[i], strlen(lines[i]));
	assert_int_equal(r.status, 206);
	assert_string_equal(r.etag, ""); /* the redirect's, forgotten */
	assert_string_equal(r.content_type, "application/json");
	assert_int_equal(r.range_start, 100);
	assert_int_equal(r.retry_after_s, 7);
	assert_string_equal(r.last_modified, "Sat, 20 Jun 2020");
	assert_true(r.encoded);
	assert_true(r.header_done);
	/* a validator too long to keep is not kept at all; junk numbers are ignored */
	char etag[NET_MAX_VALIDATOR + 16];
	int k = snprintf(etag, sizeof(etag), "ETag: ");
	memset(etag + k, 'e', sizeof(etag) - (size_t)k - 1);
	etag[sizeof(etag) - 1] = '\0';
	net_resp_reset(&r);
	net_resp_line(&r, etag, strlen(etag));
	net_resp_line(&r, "Retry-After: Fri, 31 Dec 1999\r\n", 31);
	net_resp_line(&r, "Content-Range: bytes -5/10\r\n", 28);
	assert_string_equal(r.etag, "");
	assert_int_equal(r.retry_after_s, -1);
	assert_int_equal(r.range_start, -1);
}

/* ---- the server on 127.0.0.1 ---- */

static int port;
static th_http *srv;


static void send_str(int fd, const char *s) { th_http_send(fd, s, strlen(s)); }

static void nap_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static void serve(int fd)
{
	char req[4096], path[256];
	if (th_http_read_request(fd, req, sizeof(req), path, sizeof(path), " ?") < 0)
		return;
	if (!strcmp(path, "/ok")) {
		if (strstr(req, "If-None-Match: \"v1\"")) {
			send_str(fd, "HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n");
			return;
		}
		send_str(fd, "HTTP/1.1 200 OK\r\nConnection: close\r\nETag: \"v1\"\r\nContent-Length: 5\r\n\r\nhello");
	} else if (!strcmp(path, "/trickle")) {
		/* faster than the stall rule (1 byte/s), forever: only a deadline ends it */
		send_str(fd, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1000000\r\n\r\n");
		for (int i = 0; i < 100 && !th_http_stopping(); i++) {
			th_http_send(fd, "x", 1);
			nap_ms(200);
		}
	} else if (!strcmp(path, "/bigheader") || !strcmp(path, "/manyheaders")) {
		send_str(fd, "HTTP/1.1 200 OK\r\nConnection: close\r\n");
		char line[1100];
		if (!strcmp(path, "/bigheader")) {
			send_str(fd, "X-Big: ");
			memset(line, 'a', 1000);
			for (int i = 0; i < 200; i++)
				th_http_send(fd, line, 1000);
			send_str(fd, "\r\n");
		} else {
			memset(line, 'b', sizeof(line));
			for (int i = 0; i < 100; i++) {
				int k = snprintf(line, 16, "X-H%d: ", i);
				line[k] = 'b';
				memcpy(line + 1000, "\r\n", 2);
				th_http_send(fd, line, 1002);
			}
		}
		send_str(fd, "Content-Length: 2\r\n\r\nok");
	} else if (!strcmp(path, "/to-denied")) {
		char h[256];
		snprintf(h, sizeof(h), "HTTP/1.1 302 Found\r\nConnection: close\r\nContent-Length: 0\r\n"
				       "Location: http://127.0.0.2:%d/ok?token=SECRETTOKEN\r\n\r\n", port);
		send_str(fd, h);
	} else {
		send_str(fd, "HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
	}
}

static int setup(void **state)
{
	return th_http_start(serve, &srv, &port);
}

static int teardown(void **state)
{
	th_http_stop(srv, 400); /* the connection threads see it and end */
	reg_url_configure(NULL, 0);
	return 0;
}

/* Reads a layer URI to its end: rc, bytes read, seconds taken. */
static int read_url(const char *url, size_t *got, double *secs)
{
	vigil_istream *s = NULL;
	char buf[4096];
	ssize_t r = 0;
	struct timespec t0, t1;
	*got = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = reg_open_url(url, NULL, 0, 1 << 20, &s);
	while (rc >= 0 && (r = vigil_istream_read(s, buf, sizeof(buf))) > 0)
		*got += (size_t)r;
	if (rc >= 0 && r < 0)
		rc = (int)r;
	vigil_istream_close(s);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (secs)
		*secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return rc;
}

static void has(const char *msg, const char *want)
{
	if (getenv("VIGIL_TEST_VERBOSE"))
		print_message("message: %s\n", msg);
	if (!strstr(msg, want))
		fail_msg("want \"%s\" in \"%s\"", want, msg);
}

static void lacks(const char *msg, const char *secret)
{
	if (strstr(msg, secret))
		fail_msg("\"%s\" repeated in \"%s\"", secret, msg);
}

static void test_config_deny_loopback(void **state)
{
	vigil_server_config c;
	char url[128], msg[VIGIL_ERROR_MAX];
	size_t got;
	const char *yaml = "indexer:\n  fetch:\n    deny: [\"127.0.0.0/8\", \"::1/128\"]\n    deadline: 2m\n";
	srv_config_defaults(&c);
	assert_int_equal(srv_config_parse("t.yaml", yaml, strlen(yaml), &c, NULL, NULL), 0);
	assert_string_equal(c.fetch_deny, "127.0.0.0/8, ::1/128");
	assert_string_equal(c.fetch_allow, "");
	assert_int_equal(c.fetch_deadline_s, 120);
	assert_int_equal(vigil_fetch_policy_set(c.fetch_deny, c.fetch_allow, c.fetch_deadline_s), 0);
	/* allowed by default: the server answers */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/ok", port);
	assert_int_equal(reg_url_configure(NULL, 0), 0);
	assert_int_equal(read_url(url, &got, NULL), 0);
	assert_int_equal(got, 5);
	/* denied: refused before any connection, the URL named (redacted) */
	assert_int_equal(vigil_fetch_policy_set(c.fetch_deny, c.fetch_allow, c.fetch_deadline_s), 0);
	int before = th_http_accepted();
	snprintf(url, sizeof(url), "http://bob:PASSW0RD@127.0.0.1:%d/ok?sig=SIGNED", port);
	assert_int_equal(read_url(url, &got, NULL), VIGIL_EUNSUPPORTED);
	snprintf(msg, sizeof(msg), "%s", vigil_error_message());
	has(msg, "refused by the address policy");
	has(msg, "127.0.0.1 is in the denied range 127.0.0.0/8");
	char red[128];
	snprintf(red, sizeof(red), "http://***@127.0.0.1:%d/ok?sig=***", port);
	has(msg, red);
	lacks(msg, "PASSW0RD");
	lacks(msg, "SIGNED");
	nap_ms(200);
	assert_int_equal(th_http_accepted(), before); /* the hook is on the connect path: no connection */
	/* "localhost" resolves to the same: refused too, whichever address it gives */
	snprintf(url, sizeof(url), "http://localhost:%d/ok", port);
	assert_int_equal(read_url(url, &got, NULL), VIGIL_EUNSUPPORTED);
	assert_int_equal(th_http_accepted(), before);
	reg_url_configure(NULL, 0);

	/* bad values are errors naming the key */
	const char *bad[] = {
		"indexer:\n  fetch:\n    deny: [\"127.0.0.1/8\"]\n", "indexer:\n  fetch:\n    allow: {a: 1}\n",
		"indexer:\n  fetch:\n    deadline: 0\n", "indexer:\n  fetch:\n    deadline: 8d\n",
		"indexer:\n  fetch:\n    deadline: 10000h\n", "indexer:\n  fetch:\n    deny: [[\"1.0.0.0/8\"]]\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		srv_config_defaults(&c);
		if (srv_config_parse("t.yaml", bad[i], strlen(bad[i]), &c, NULL, NULL) != VIGIL_EFORMAT)
			fail_msg("accepted: %s", bad[i]);
		has(vigil_error_message(), "indexer.fetch.");
	}
	/* one string of CIDRs, and a plain number of seconds */
	const char *one = "indexer:\n  fetch:\n    allow: 10.0.0.0/8, fd00::/8\n    deadline: 90\n";
	srv_config_defaults(&c);
	assert_int_equal(srv_config_parse("t.yaml", one, strlen(one), &c, NULL, NULL), 0);
	assert_string_equal(c.fetch_allow, "10.0.0.0/8, fd00::/8");
	assert_int_equal(c.fetch_deadline_s, 90);
	assert_int_equal(reg_url_configure(NULL, -1), VIGIL_EINVAL);
	/* the public call: a bad list changes nothing and names the list */
	assert_int_equal(vigil_fetch_policy_set("10.0.0.1/8", NULL, 0), VIGIL_EFORMAT);
	has(vigil_error_message(), "the fetch deny list: ");
	assert_int_equal(vigil_fetch_cidrs_check("10.0.0.0/8 fd00::/8", 19), 0);
	assert_int_equal(vigil_fetch_policy_set(NULL, NULL, 0), 0);
}

static void test_redirect_to_denied(void **state)
{
	net_addr_policy p;
	char url[128], msg[VIGIL_ERROR_MAX];
	size_t got;
	memset(&p, 0, sizeof(p));
	add(p.deny, &p.ndeny, "127.0.0.2/32");
	assert_int_equal(reg_url_configure(&p, 0), 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/to-denied", port);
	assert_int_equal(read_url(url, &got, NULL), VIGIL_EUNSUPPORTED);
	snprintf(msg, sizeof(msg), "%s", vigil_error_message());
	has(msg, url);
	has(msg, "redirected to http://127.0.0.2:");
	has(msg, "127.0.0.2 is in the denied range 127.0.0.2/32");
	lacks(msg, "SECRETTOKEN");
	reg_url_configure(NULL, 0);
}

static void test_deadline_trickle(void **state)
{
	char url[128];
	size_t got;
	double secs = 0;
	assert_int_equal(reg_url_configure(NULL, 2), 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/trickle", port);
	assert_int_equal(read_url(url, &got, &secs), VIGIL_EIO);
	has(vigil_error_message(), "timed out after 2 s");
	has(vigil_error_message(), url);
	assert_true(got > 3);    /* the bytes came faster than the stall rule */
	assert_true(secs < 5.0); /* ... and the deadline ended it */
	reg_url_configure(NULL, 0);
}

static void test_header_cap(void **state)
{
	char url[128], want[192];
	size_t got;
	const char *paths[] = { "/bigheader", "/manyheaders" };
	for (size_t i = 0; i < 2; i++) {
		snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, paths[i]);
		assert_int_equal(read_url(url, &got, NULL), VIGIL_ELIMIT);
		snprintf(want, sizeof(want), "response header over %zu bytes from %s", NET_MAX_HEADER_BYTES, url);
		has(vigil_error_message(), want);
	}
	/* a cap of the policy's own, in the all-or-nothing mode */
	net_xfer *x = NULL;
	vigil_buf b;
	vigil_buf_init(&b, 1024);
	net_policy p = { .connect_timeout_s = 5, .deadline_s = 10, .max_redirects = 2, .allow_http = true,
			 .max_header = 4096 };
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/manyheaders", port);
	net_req rq = { .url = url };
	assert_int_equal(net_xfer_new(&x), 0);
	assert_int_equal(net_get_buffer(x, &p, &rq, &b, NULL), VIGIL_ELIMIT);
	has(vigil_error_message(), "response header over 4096 bytes from");
	net_xfer_free(x);
	vigil_buf_free(&b);
}

static void test_redaction(void **state)
{
	char url[160], msg[VIGIL_ERROR_MAX];
	size_t got;
	/* an HTTP error */
	snprintf(url, sizeof(url), "http://alice:S3CRETPW@127.0.0.1:%d/x?X-Amz-Signature=SIG", port);
	assert_int_equal(read_url(url, &got, NULL), VIGIL_ENOTFOUND);
	snprintf(msg, sizeof(msg), "%s", vigil_error_message());
	has(msg, "HTTP 404");
	has(msg, "X-Amz-Signature=***");
	lacks(msg, "S3CRETPW");
	assert_null(strstr(msg, "=SIG"));
	/* a connection refused (libcurl's own text in the message) */
	int s2 = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	assert_int_equal(bind(s2, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(s2, (struct sockaddr *)&a, &al), 0);
	close(s2);
	snprintf(url, sizeof(url), "http://alice:S3CRETPW@127.0.0.1:%d/x?X-Amz-Signature=SIG", ntohs(a.sin_port));
	assert_int_equal(read_url(url, &got, NULL), VIGIL_EIO);
	snprintf(msg, sizeof(msg), "%s", vigil_error_message());
	has(msg, "cannot connect");
	lacks(msg, "S3CRETPW");
	assert_null(strstr(msg, "=SIG"));
	/* the all-or-nothing mode says the same */
	net_xfer *x = NULL;
	vigil_buf b;
	vigil_buf_init(&b, 1024);
	net_policy p = { .connect_timeout_s = 5, .deadline_s = 10, .allow_http = true };
	net_req rq = { .url = url };
	assert_int_equal(net_xfer_new(&x), 0);
	assert_int_equal(net_get_buffer(x, &p, &rq, &b, NULL), VIGIL_EIO);
	lacks(vigil_error_message(), "S3CRETPW");
	assert_null(strstr(vigil_error_message(), "=SIG"));
	net_xfer_free(x);
	vigil_buf_free(&b);
}

static void test_buffer_mode(void **state)
{
	net_xfer *x = NULL;
	net_outcome o;
	vigil_buf b;
	char url[128];
	vigil_buf_init(&b, 1024);
	net_policy p = { .connect_timeout_s = 5, .deadline_s = 10, .stall_bytes = 1, .stall_time_s = 5,
			 .max_redirects = 2, .allow_http = true };
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/ok", port);
	net_req rq = { .url = url };
	assert_int_equal(net_xfer_new(&x), 0);
	assert_int_equal(net_get_buffer(x, &p, &rq, &b, &o), 0);
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.data, "hello", 5);
	assert_string_equal(net_xfer_resp(x)->etag, "\"v1\"");
	/* conditional: 304, the buffer empty */
	rq.etag = "\"v1\"";
	assert_int_equal(net_get_buffer(x, &p, &rq, &b, &o), 0);
	assert_true(o.not_modified);
	assert_int_equal(b.len, 0);
	/* the buffer's cap is a body cap */
	vigil_buf small;
	vigil_buf_init(&small, 3);
	rq.etag = NULL;
	assert_int_equal(net_get_buffer(x, &p, &rq, &small, &o), VIGIL_ELIMIT);
	assert_int_equal(o.fail, NET_FAIL_BODY_CAP);
	has(vigil_error_message(), "size cap of 3 bytes");
	/* not a scheme net fetches; https only when plain http is not allowed */
	rq.url = "file:///etc/passwd";
	assert_int_equal(net_get_buffer(x, &p, &rq, &b, &o), VIGIL_EIO);
	has(vigil_error_message(), "only http and https URLs");
	p.allow_http = false;
	rq.url = url;
	assert_int_equal(net_get_buffer(x, &p, &rq, &b, &o), VIGIL_EIO);
	has(vigil_error_message(), "only https URLs");
	net_xfer_free(x);
	vigil_buf_free(&b);
	vigil_buf_free(&small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cidr_parse),
		cmocka_unit_test(test_cidr_list),
		cmocka_unit_test(test_addr_default),
		cmocka_unit_test(test_addr_lists),
		cmocka_unit_test(test_header_lines),
		cmocka_unit_test(test_config_deny_loopback),
		cmocka_unit_test(test_redirect_to_denied),
		cmocka_unit_test(test_deadline_trickle),
		cmocka_unit_test(test_header_cap),
		cmocka_unit_test(test_redaction),
		cmocka_unit_test(test_buffer_mode),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
