/* tests/db/test_fetch.c: one transfer of `vigil db update` (db/fetch.c)
 * against a small HTTP server this test runs on 127.0.0.1 in a thread: a
 * real Alpine secdb file served with an ETag and a Last-Modified, the 304
 * of a conditional request, and the failures that must leave the old file
 * in place and name the URL: HTTP 500, a body cut short, a stalled body, a
 * server that never answers, a body over the size cap (with and without a
 * Content-Length), a redirect to ftp, a redirect loop, a 404 (an error, or
 * skipped for an optional URL), and a port nobody listens on (unreachable);
 * a URL with a password and a signature is named without either. Also the
 * validators kept in the store (store/sqlite_fetch.c). */
#include "db/fetch.h"
#include "helpers.h"
#include "th_http.h"
#include "store/store.h"
#include "util/error.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ETAG "\"v1-abc\""
#define LASTMOD "Sat, 20 Jun 2020 10:00:00 GMT"

static char dir[64];
static int port;
static th_http *srv;
static char *body;         /* the real file served at /feed.json */
static size_t body_len;


static void head(int fd, const char *status, long long clen, const char *extra)
{
	char h[512];
	int k = snprintf(h, sizeof(h), "HTTP/1.1 %s\r\nConnection: close\r\n%s", status, extra ? extra : "");
	if (clen >= 0)
		k += snprintf(h + k, sizeof(h) - (size_t)k, "Content-Length: %lld\r\n", clen);
	snprintf(h + k, sizeof(h) - (size_t)k, "\r\n");
	th_http_send(fd, h, strlen(h));
}

/* Sleeps up to ms, sooner when the test stops. */
static void nap(int ms)
{
	for (int i = 0; i < ms / 50 && !th_http_stopping(); i++) {
		struct timespec ts = { 0, 50 * 1000000L };
		nanosleep(&ts, NULL);
	}
}


static void serve(int fd)
{
	char req[4096], path[256];
	if (th_http_read_request(fd, req, sizeof(req), path, sizeof(path), " ") < 0)
		return;
	char big[8192];
	memset(big, 'x', sizeof(big));
	if (!strcmp(path, "/feed.json")) {
		if (strstr(req, "If-None-Match: " ETAG) || strstr(req, "If-Modified-Since: " LASTMOD)) {
			head(fd, "304 Not Modified", -1, "ETag: " ETAG "\r\n");
			return;
		}
		head(fd, "200 OK", (long long)body_len, "ETag: " ETAG "\r\nLast-Modified: " LASTMOD "\r\n");
		th_http_send(fd, body, body_len);
	} else if (!strcmp(path, "/500")) {
		head(fd, "500 Internal Server Error", 6, NULL);
		th_http_send(fd, "broken", 6);
	} else if (!strcmp(path, "/404")) {
		head(fd, "404 Not Found", 0, NULL);
	} else if (!strcmp(path, "/truncated")) {
		head(fd, "200 OK", 1000, NULL);
		th_http_send(fd, big, 100);
	} else if (!strcmp(path, "/stall")) {
		head(fd, "200 OK", 100000, NULL);
		th_http_send(fd, big, 10);
		nap(8000);
	} else if (!strcmp(path, "/silent")) {
		nap(8000);
	} else if (!strcmp(path, "/big")) {
		head(fd, "200 OK", 8192, NULL);
		th_http_send(fd, big, sizeof(big));
	} else if (!strcmp(path, "/big-nolength")) {
		head(fd, "200 OK", -1, NULL);
		for (int i = 0; i < 4; i++)
			th_http_send(fd, big, sizeof(big));
	} else if (!strcmp(path, "/ftp")) {
		head(fd, "302 Found", 0, "Location: ftp://127.0.0.1/feed\r\n");
	} else if (!strcmp(path, "/loop")) {
		head(fd, "302 Found", 0, "Location: /loop\r\n");
	} else if (!strcmp(path, "/moved")) {
		head(fd, "301 Moved Permanently", 0, "Location: /feed.json\r\n");
	} else {
		head(fd, "404 Not Found", 0, NULL);
	}
}

static int setup(void **state)
{
	th_testdata_or_skip();
	if (!(body = th_read_file(th_data_path("feeds/alpine/secdb-json/v3.11/main.json"), &body_len)))
		return -1;
	snprintf(dir, sizeof(dir), "/tmp/vigil-fetch-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	return th_http_start(serve, &srv, &port);
}

static int teardown(void **state)
{
	th_http_stop(srv, 300); /* the connection threads nap in 50 ms steps */
	free(body);
	return th_temp_store_free(dir, NULL); /* the folder, and a PostgreSQL store's database */
}

static const vigil_fetch_limits lim = { .connect_timeout_s = 5, .timeout_s = 20, .stall_time_s = 1,
					.stall_bytes = 1000, .max_redirects = 3, .max_bytes = 4096 * 1024 };

/* GET path into dir/name; rc, message, time taken in *secs. */
static int get(const char *path, const char *name, const vigil_fetch_limits *l, const char *etag,
	       bool missing_ok, vigil_fetch_resp *resp, char *url, double *secs)
{
	char dest[128];
	vigil_fetcher *f = NULL;
	struct timespec t0, t1;
	snprintf(url, 128, "http://127.0.0.1:%d%s", port, path);
	snprintf(dest, sizeof(dest), "%s/%s", dir, name);
	assert_int_equal(db_fetcher_new(l ? l : &lim, NULL, NULL, &f), 0);
	vigil_fetch_req req = { .url = url, .dest = dest, .etag = etag, .missing_ok = missing_ok };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = db_fetch(f, &req, resp);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (secs)
		*secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	db_fetcher_free(f);
	return rc;
}

static void assert_file_is(const char *name, const char *want, size_t want_len)
{
	char path[128];
	size_t len = 0;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	char *got = th_read_file(path, &len);
	assert_non_null(got);
	assert_int_equal(len, want_len);
	assert_memory_equal(got, want, want_len);
	free(got);
}

static void assert_no_temp(const char *name)
{
	char path[128];
	struct stat st;
	snprintf(path, sizeof(path), "%s/.%s.part", dir, name);
	assert_int_not_equal(stat(path, &st), 0);
}

static void test_get_and_304(void **state)
{
	vigil_fetch_resp r;
	char url[128];
	assert_int_equal(get("/feed.json", "feed.json", NULL, NULL, false, &r, url, NULL), 0);
	assert_int_equal(r.status, 200);
	assert_false(r.not_modified);
	assert_int_equal(r.bytes, (int64_t)body_len);
	assert_string_equal(r.etag, ETAG);
	assert_string_equal(r.last_modified, LASTMOD);
	assert_file_is("feed.json", body, body_len);
	/* the same again, conditional: 304 and the file as it was */
	assert_int_equal(get("/feed.json", "feed.json", NULL, ETAG, false, &r, url, NULL), 0);
	assert_int_equal(r.status, 304);
	assert_true(r.not_modified);
	assert_file_is("feed.json", body, body_len);
	/* a redirect to it is followed */
	assert_int_equal(get("/moved", "moved.json", NULL, NULL, false, &r, url, NULL), 0);
	assert_int_equal(r.status, 200);
	assert_file_is("moved.json", body, body_len);
}

/* A failure names the URL and what happened, and leaves the old file. */
static void expect_failure(const char *path, const vigil_fetch_limits *l, int code, const char *what,
			   double max_secs)
{
	vigil_fetch_resp r;
	char url[128], old[] = "the previous download";
	double secs = 0;
	FILE *fp;
	char dest[128];
	snprintf(dest, sizeof(dest), "%s/keep.json", dir);
	assert_non_null(fp = fopen(dest, "w"));
	fputs(old, fp);
	fclose(fp);
	int rc = get(path, "keep.json", l, NULL, false, &r, url, &secs);
	assert_int_equal(rc, code);
	const char *msg = vigil_error_message();
	if (!strstr(msg, url) || !strstr(msg, what))
		fail_msg("%s: want '%s' in the message, got '%s'", path, what, msg);
	if (secs > max_secs)
		fail_msg("%s: took %.1f s (want under %.1f)", path, secs, max_secs);
	assert_file_is("keep.json", old, strlen(old));
	assert_no_temp("keep.json");
}

static void test_http_error(void **state) { expect_failure("/500", NULL, VIGIL_EIO, "HTTP 500 Internal Server Error", 5); }
static void test_cut_short(void **state) { expect_failure("/truncated", NULL, VIGIL_EIO, "cut short", 5); }
static void test_stall(void **state) { expect_failure("/stall", NULL, VIGIL_EIO, "stalled", 6); }
static void test_silent(void **state) { expect_failure("/silent", NULL, VIGIL_EIO, "stalled", 6); }
static void test_redirect_ftp(void **state) { expect_failure("/ftp", NULL, VIGIL_EIO, "only http and https", 5); }
static void test_redirect_loop(void **state) { expect_failure("/loop", NULL, VIGIL_EIO, "more than 3 redirects", 5); }
static void test_not_found(void **state) { expect_failure("/404", NULL, VIGIL_EIO, "HTTP 404", 5); }

static void test_size_cap(void **state)
{
	vigil_fetch_limits small = lim;
	small.max_bytes = 4096;
	expect_failure("/big", &small, VIGIL_ELIMIT, "size cap of 4096 bytes", 5);
	expect_failure("/big-nolength", &small, VIGIL_ELIMIT, "size cap of 4096 bytes", 5);
}

static void test_total_timeout(void **state)
{
	vigil_fetch_limits t = lim;
	t.timeout_s = 1;
	t.stall_time_s = 30;
	expect_failure("/silent", &t, VIGIL_EIO, "timed out after 1 s", 4);
}

static void test_optional_404(void **state)
{
	vigil_fetch_resp r;
	char url[128];
	assert_int_equal(get("/404", "gone.json", NULL, NULL, true, &r, url, NULL), 0);
	assert_true(r.missing);
	assert_int_equal(r.status, 404);
	assert_no_temp("gone.json");
}

static void test_unreachable(void **state)
{
	/* a port of this machine that nothing listens on */
	int s2 = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	assert_int_equal(bind(s2, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(s2, (struct sockaddr *)&a, &al), 0);
	close(s2);
	char url[128], dest[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/feed.json", ntohs(a.sin_port));
	snprintf(dest, sizeof(dest), "%s/nowhere.json", dir);
	vigil_fetcher *f = NULL;
	vigil_fetch_resp r;
	assert_int_equal(db_fetcher_new(&lim, NULL, NULL, &f), 0);
	vigil_fetch_req req = { .url = url, .dest = dest };
	assert_int_equal(db_fetch(f, &req, &r), VIGIL_EIO);
	assert_true(r.unreachable);
	assert_non_null(strstr(vigil_error_message(), "cannot connect"));
	/* not a scheme vigil fetches */
	req.url = "file:///etc/passwd";
	assert_int_equal(db_fetch(f, &req, &r), VIGIL_EIO);
	db_fetcher_free(f);
}

/* A feed URL with a password or a presigned query: never repeated. */
static void test_redacted(void **state)
{
	char url[160], dest[128];
	vigil_fetcher *f = NULL;
	vigil_fetch_resp r;
	snprintf(url, sizeof(url), "http://alice:S3CRETPW@127.0.0.1:%d/500?X-Amz-Signature=SIG", port);
	snprintf(dest, sizeof(dest), "%s/secret.json", dir);
	assert_int_equal(db_fetcher_new(&lim, NULL, NULL, &f), 0);
	vigil_fetch_req req = { .url = url, .dest = dest };
	assert_int_equal(db_fetch(f, &req, &r), VIGIL_EIO);
	const char *msg = vigil_error_message();
	if (strstr(msg, "S3CRETPW") || strstr(msg, "=SIG") || !strstr(msg, "http://***@127.0.0.1:") ||
	    !strstr(msg, "HTTP 404")) /* the test server reads the query as part of the path */
		fail_msg("not redacted, or the URL not named: %s", msg);
	db_fetcher_free(f);
}

static void test_store_validators(void **state)
{
	char etag[VIGIL_FETCH_MAX_VALIDATOR], lm[VIGIL_FETCH_MAX_VALIDATOR];
	vigil_store *s = NULL;
	assert_int_equal(th_store_open(dir, "v", &s), 0);
	assert_int_equal(store_fetch_get(s, "https://x/a", etag, sizeof(etag), lm, sizeof(lm)), VIGIL_ENOTFOUND);
	assert_int_equal(store_fetch_put(s, "https://x/a", ETAG, LASTMOD), 0);
	assert_int_equal(store_fetch_put(s, "https://x/b", NULL, ""), 0);
	assert_int_equal(store_fetch_get(s, "https://x/a", etag, sizeof(etag), lm, sizeof(lm)), 0);
	assert_string_equal(etag, ETAG);
	assert_string_equal(lm, LASTMOD);
	assert_int_equal(store_fetch_get(s, "https://x/b", etag, sizeof(etag), lm, sizeof(lm)), 0);
	assert_string_equal(etag, "");
	assert_string_equal(lm, "");
	assert_int_equal(store_fetch_put(s, "https://x/a", "\"v2\"", NULL), 0);
	assert_int_equal(store_fetch_get(s, "https://x/a", etag, sizeof(etag), lm, sizeof(lm)), 0);
	assert_string_equal(etag, "\"v2\"");
	assert_string_equal(lm, "");
	vigil_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_and_304),
		cmocka_unit_test(test_http_error),
		cmocka_unit_test(test_cut_short),
		cmocka_unit_test(test_stall),
		cmocka_unit_test(test_silent),
		cmocka_unit_test(test_redirect_ftp),
		cmocka_unit_test(test_redirect_loop),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_size_cap),
		cmocka_unit_test(test_total_timeout),
		cmocka_unit_test(test_optional_404),
		cmocka_unit_test(test_unreachable),
		cmocka_unit_test(test_redacted),
		cmocka_unit_test(test_store_validators),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
