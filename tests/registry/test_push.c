/* tests/registry/test_push.c: the push side of the registry client
 * (registry/push.c, net/send.c) against a small registry the test runs on
 * 127.0.0.1 (tests/th_http.c), for what a real docker-registry does not
 * do: HEAD finds the blob (no upload), a relative upload Location, the
 * body arriving whole with its digest in the PUT's query, a file body, a
 * Location on another origin refused before anything (credentials
 * included) is sent there, a registry that stores another digest than the
 * one sent, a POST answered 200 instead of 202, a manifest PUT with its
 * Content-Type, and a registry that refuses the upload (405). The
 * conversation with Debian's docker-registry is
 * tests/integration/test_db_artifact.sh's. */
#define _GNU_SOURCE /* strcasestr */
#include "helpers.h"
#include "net/net.h"
#include "registry/registry.h"
#include "th_http.h"
#include "util/digest.h"
#include "util/error.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

enum mode { EXISTS, RELATIVE, OTHER_ORIGIN, WRONG_DIGEST, POST_200, READ_ONLY };
static _Atomic int mode;
static _Atomic int puts_seen, posts_seen;
static char got_body[256], got_query[1024], got_ctype[128];
static _Atomic size_t got_len;

#define BODY "the bundle's bytes"

static void answer(int fd, const char *status, const char *headers)
{
	char buf[1024];
	int n = snprintf(buf, sizeof(buf), "HTTP/1.1 %s\r\n%sContent-Length: 0\r\nConnection: close\r\n\r\n", status, headers);
	th_http_send(fd, buf, (size_t)n);
}

static size_t content_length(const char *req)
{
	const char *p = strcasestr(req, "\r\nContent-Length:");
	size_t n = 0;
	if (!p)
		return 0;
	for (p += 17; *p == ' '; p++)
		;
	for (; *p >= '0' && *p <= '9'; p++)
		n = n * 10 + (size_t)(*p - '0');
	return n;
}

static void serve(int fd)
{
	char req[8192], path[1024], hdr[600];
	if (th_http_read_request(fd, req, sizeof(req), path, sizeof(path), " ") < 0)
		return;
	if (!strncmp(req, "HEAD ", 5)) {
		answer(fd, mode == EXISTS ? "200 OK" : "404 Not Found", "");
	} else if (!strncmp(req, "POST ", 5)) {
		posts_seen++;
		if (mode == READ_ONLY)
			answer(fd, "405 Method Not Allowed", "");
		else if (mode == POST_200)
			answer(fd, "200 OK", "");
		else
			answer(fd, "202 Accepted",
			       mode == OTHER_ORIGIN ? "Location: http://127.0.0.2:1/v2/r/blobs/uploads/u1?_state=s\r\n"
						    : "Location: /v2/r/blobs/uploads/u1?_state=s3cr3t\r\n");
	} else if (!strncmp(req, "PUT ", 4)) {
		size_t n = content_length(req), got = 0;
		char body[256];
		ssize_t r;
		const char *end = strstr(req, "\r\n\r\n") + 4; /* what came with the head */
		puts_seen++;
		got = strlen(end) < sizeof(body) - 1 ? strlen(end) : sizeof(body) - 1;
		memcpy(body, end, got);
		while (got < n && got < sizeof(body) - 1 && (r = recv(fd, body + got, n - got, 0)) > 0)
			got += (size_t)r;
		body[got] = '\0';
		snprintf(got_body, sizeof(got_body), "%s", body);
		got_len = got;
		snprintf(got_query, sizeof(got_query), "%s", path);
		const char *ct = strcasestr(req, "\r\nContent-Type: ");
		snprintf(got_ctype, sizeof(got_ctype), "%.*s", ct ? (int)strcspn(ct + 16, "\r") : 0, ct ? ct + 16 : "");
		if (mode == WRONG_DIGEST)
			snprintf(hdr, sizeof(hdr),
				 "Docker-Content-Digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\r\n");
		else
			hdr[0] = '\0';
		answer(fd, "201 Created", hdr);
	} else {
		answer(fd, "400 Bad Request", "");
	}
}

static vigil_reg_client *client(int port)
{
	char ref[64];
	vigil_reg_ref r;
	vigil_reg_client *c = NULL;
	vigil_registry_options o;
	vigil_registry_options_init(&o);
	o.insecure = 1;
	o.config_path = "";
	snprintf(ref, sizeof(ref), "127.0.0.1:%d/r:1", port);
	assert_int_equal(reg_ref_parse(ref, &r), 0);
	assert_int_equal(reg_client_new(&r, &o, &c), 0);
	reg_client_want_push(c);
	return c;
}

static void test_push(void **state)
{
	th_http *srv = NULL;
	int port;
	char d[VIGIL_DIGEST_STR_MAX], md[VIGIL_REG_MAX_DIGEST + 1];
	bool skipped;
	(void)state;
	vigil_digest_sha256(BODY, strlen(BODY), d);
	net_body b = { .data = BODY, .len = strlen(BODY) };
	assert_int_equal(th_http_start(serve, &srv, &port), 0);
	vigil_reg_client *c = client(port);

	mode = EXISTS;
	assert_int_equal(reg_push_blob(c, d, &b, &skipped), 0);
	assert_true(skipped);
	assert_int_equal(posts_seen, 0);

	mode = RELATIVE;
	assert_int_equal(reg_push_blob(c, d, &b, &skipped), 0);
	assert_false(skipped);
	assert_string_equal(got_body, BODY);
	char want[256];
	snprintf(want, sizeof(want), "/v2/r/blobs/uploads/u1?_state=s3cr3t&digest=sha256%%3A%s", d + 7);
	assert_string_equal(got_query, want);
	assert_string_equal(got_ctype, "application/octet-stream");

	/* from a file, from where it stands */
	FILE *f = tmpfile();
	fputs("skip me|" BODY, f);
	fseek(f, 8, SEEK_SET);
	net_body fb = { .file = f, .len = strlen(BODY) };
	got_body[0] = '\0';
	assert_int_equal(reg_push_blob(c, d, &fb, &skipped), 0);
	assert_string_equal(got_body, BODY);
	fclose(f);

	mode = OTHER_ORIGIN;
	int before = puts_seen;
	assert_int_equal(reg_push_blob(c, d, &b, &skipped), VIGIL_EIO);
	assert_non_null(strstr(vigil_error_message(), "sends the upload to another origin"));
	assert_non_null(strstr(vigil_error_message(), "_state=***")); /* redacted */
	assert_int_equal(puts_seen, before);

	mode = WRONG_DIGEST;
	assert_int_equal(reg_push_blob(c, d, &b, &skipped), VIGIL_EDIGEST);
	assert_non_null(strstr(vigil_error_message(), "the registry stored the blob as sha256:0000"));

	mode = POST_200;
	assert_int_equal(reg_push_blob(c, d, &b, &skipped), VIGIL_EIO);
	assert_non_null(strstr(vigil_error_message(), "should answer 202"));

	mode = READ_ONLY;
	assert_int_equal(reg_push_blob(c, d, &b, &skipped), VIGIL_EIO);
	assert_non_null(strstr(vigil_error_message(), "405"));
	assert_non_null(strstr(vigil_error_message(), d));

	mode = RELATIVE;
	const char *doc = "{\"schemaVersion\":2}";
	assert_int_equal(reg_put_manifest(c, "1", "application/vnd.oci.image.manifest.v1+json", doc, strlen(doc), md), 0);
	assert_string_equal(got_body, doc);
	assert_string_equal(got_query, "/v2/r/manifests/1");
	assert_string_equal(got_ctype, "application/vnd.oci.image.manifest.v1+json");
	vigil_digest_sha256(doc, strlen(doc), d);
	assert_string_equal(md, d);
	mode = WRONG_DIGEST;
	assert_int_equal(reg_put_manifest(c, "1", "application/vnd.oci.image.manifest.v1+json", doc, strlen(doc), md),
			 VIGIL_EDIGEST);

	reg_client_free(c);
	th_http_stop(srv, 400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_push),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
