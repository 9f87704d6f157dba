/* tests/server/test_report_cache.c: the VulnerabilityReport cache of vigil
 * serve (server/report_cache.c): capped in bytes, not in entries (ten big
 * reports no longer take ten copies' worth of memory), least recently used
 * out first, one entry per manifest (a new feeds' state replaces it), a
 * blob evicted while a response still holds it stays valid, drop, and the
 * generation that refuses a report made from a record dropped meanwhile.
 * Also the public Manifest (vigil/manifest.h): the layers id a stored
 * report is bound to, and the v4 error shape's redaction of URLs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/report_cache.h"
#include "server/server.h"
#include "util/error.h"
#include "vigil/manifest.h"

#define MB ((size_t)1024 * 1024)

static srv_blob *big(size_t n, char fill)
{
	char *d = malloc(n);
	assert_non_null(d);
	memset(d, fill, n);
	srv_blob *b = srv_blob_new(d, n);
	free(d);
	assert_non_null(b);
	return b;
}

static void test_cap_in_bytes(void **state)
{
	(void)state;
	srv_rcache *c;
	size_t n, bytes;
	char key[32];
	assert_int_equal(srv_rcache_new(10 * MB, &c), 0);
	/* ten 3 MB reports in a 10 MB cache: three stay, the newest */
	for (int i = 0; i < 10; i++) {
		srv_blob *b = big(3 * MB, (char)('a' + i));
		snprintf(key, sizeof(key), "sha256:%d", i);
		srv_rcache_put(c, key, "fp", b, srv_rcache_gen(c));
		srv_blob_unref(b);
		srv_rcache_usage(c, &n, &bytes);
		assert_true(bytes <= 10 * MB);
	}
	srv_rcache_usage(c, &n, &bytes);
	assert_int_equal(n, 3);
	assert_true(bytes > 9 * MB);
	assert_null(srv_rcache_get(c, "sha256:0", "fp"));
	assert_null(srv_rcache_get(c, "sha256:6", "fp"));
	for (int i = 7; i < 10; i++) {
		snprintf(key, sizeof(key), "sha256:%d", i);
		srv_blob *b = srv_rcache_get(c, key, "fp");
		assert_non_null(b);
		assert_int_equal(b->data[0], 'a' + i);
		srv_blob_unref(b);
	}
	/* a report bigger than the whole cache is not kept (and evicts nothing) */
	srv_blob *huge = big(11 * MB, 'z');
	srv_rcache_put(c, "sha256:huge", "fp", huge, srv_rcache_gen(c));
	srv_blob_unref(huge);
	assert_null(srv_rcache_get(c, "sha256:huge", "fp"));
	srv_rcache_usage(c, &n, &bytes);
	assert_int_equal(n, 3);
	srv_rcache_free(c);
}

static void test_lru(void **state)
{
	(void)state;
	srv_rcache *c;
	size_t n, bytes;
	assert_int_equal(srv_rcache_new(7 * MB, &c), 0);
	srv_blob *a = big(3 * MB, 'a'), *b = big(3 * MB, 'b'), *d = big(3 * MB, 'd');
	srv_rcache_put(c, "A", "fp", a, srv_rcache_gen(c));
	srv_rcache_put(c, "B", "fp", b, srv_rcache_gen(c));
	/* A used: B is the least recently used and goes when D comes */
	srv_blob *got = srv_rcache_get(c, "A", "fp");
	assert_ptr_equal(got, a);
	srv_blob_unref(got);
	srv_rcache_put(c, "D", "fp", d, srv_rcache_gen(c));
	assert_null(srv_rcache_get(c, "B", "fp"));
	assert_non_null(got = srv_rcache_get(c, "A", "fp"));
	srv_blob_unref(got);
	/* B, evicted, is still ours (a response sending it) */
	assert_int_equal(b->data[3 * MB - 1], 'b');
	srv_blob_unref(a);
	srv_blob_unref(b);
	srv_blob_unref(d);
	srv_rcache_usage(c, &n, &bytes);
	assert_int_equal(n, 2);
	srv_rcache_free(c);
}

static void test_replace_drop_gen(void **state)
{
	(void)state;
	srv_rcache *c;
	size_t n, bytes;
	assert_int_equal(srv_rcache_new(MB, &c), 0);
	srv_blob *x = srv_blob_new("{\"x\":1}", 7), *y = srv_blob_new("{\"y\":2}", 7);
	srv_rcache_put(c, "H", "fp1", x, srv_rcache_gen(c));
	assert_null(srv_rcache_get(c, "H", "fp2")); /* another feeds' state */
	srv_rcache_put(c, "H", "fp2", y, srv_rcache_gen(c));
	srv_rcache_usage(c, &n, &bytes);
	assert_int_equal(n, 1); /* one entry per manifest */
	assert_null(srv_rcache_get(c, "H", "fp1"));
	srv_blob *got = srv_rcache_get(c, "H", "fp2");
	assert_ptr_equal(got, y);
	srv_blob_unref(got);
	/* dropped (re-indexed): gone; a report made before the drop is refused */
	uint64_t g = srv_rcache_gen(c);
	srv_rcache_drop(c, "H");
	assert_null(srv_rcache_get(c, "H", "fp2"));
	srv_rcache_put(c, "H", "fp2", x, g);
	assert_null(srv_rcache_get(c, "H", "fp2"));
	srv_rcache_put(c, "H", "fp2", x, srv_rcache_gen(c));
	assert_non_null(got = srv_rcache_get(c, "H", "fp2"));
	srv_blob_unref(got);
	/* a cache of 0 bytes keeps nothing */
	srv_rcache *z;
	assert_int_equal(srv_rcache_new(0, &z), 0);
	srv_rcache_put(z, "H", "fp", x, srv_rcache_gen(z));
	assert_null(srv_rcache_get(z, "H", "fp"));
	srv_rcache_free(z);
	srv_blob_unref(x);
	srv_blob_unref(y);
	srv_rcache_free(c);
}

#define D1 "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "sha256:2222222222222222222222222222222222222222222222222222222222222222"

static void test_layers_id(void **state)
{
	(void)state;
	vigil_manifest *a, *b, *c;
	const char *ja = "{\"hash\":\"" D1 "\",\"layers\":[{\"hash\":\"" D1 "\",\"uri\":\"http://127.0.0.1/a?sig=1\"},"
			 "{\"hash\":\"" D2 "\",\"uri\":\"http://127.0.0.1/b\"}]}";
	/* the same layers at other URIs with other headers: the same id */
	const char *jb = "{\"hash\":\"" D1 "\",\"layers\":[{\"hash\":\"" D1 "\",\"uri\":\"https://h/x?sig=2\","
			 "\"headers\":{\"Authorization\":[\"Bearer t\"]}},{\"hash\":\"" D2 "\",\"uri\":\"http://h/y\"}]}";
	/* the same hash, other layers (or the same in another order): another id */
	const char *jc = "{\"hash\":\"" D1 "\",\"layers\":[{\"hash\":\"" D2 "\",\"uri\":\"http://127.0.0.1/b\"},"
			 "{\"hash\":\"" D1 "\",\"uri\":\"http://127.0.0.1/a\"}]}";
	assert_int_equal(vigil_manifest_parse(ja, strlen(ja), &a), 0);
	assert_int_equal(vigil_manifest_parse(jb, strlen(jb), &b), 0);
	assert_int_equal(vigil_manifest_parse(jc, strlen(jc), &c), 0);
	assert_string_equal(vigil_manifest_hash(a), D1);
	assert_int_equal(vigil_manifest_layer_count(a), 2);
	assert_string_equal(vigil_manifest_layer_digest(a, 1), D2);
	assert_null(vigil_manifest_layer_digest(a, 2));
	assert_int_equal(strlen(vigil_manifest_layers_id(a)), 71);
	assert_string_equal(vigil_manifest_layers_id(a), vigil_manifest_layers_id(b));
	assert_string_not_equal(vigil_manifest_layers_id(a), vigil_manifest_layers_id(c));
	vigil_manifest_free(a);
	vigil_manifest_free(b);
	vigil_manifest_free(c);
	vigil_manifest_free(NULL);
	/* a bad URI is refused without repeating its secrets */
	const char *jd = "{\"hash\":\"" D1 "\",\"layers\":[{\"hash\":\"" D1 "\",\"uri\":\"ftp://al:S3CRET@h/x?sig=SIG\"}]}";
	assert_int_equal(vigil_manifest_parse(jd, strlen(jd), &a), VIGIL_EINVAL);
	assert_null(a);
	assert_null(strstr(vigil_error_message(), "S3CRET"));
	assert_null(strstr(vigil_error_message(), "SIG"));
	assert_int_equal(vigil_digest_check("sha256:zz", "digest"), VIGIL_EFORMAT);
	assert_int_equal(vigil_digest_check(D1, "digest"), 0);
}

static void test_error_redacted(void **state)
{
	(void)state;
	srv_response rs = { 0 };
	srv_error_v4(&rs, 502, "layer-fetch-failed", "layer x: http://alice:S3CRETPW@127.0.0.1:9/x?X-Amz-Signature=SIG: HTTP 404");
	assert_int_equal(rs.status, 502);
	assert_null(strstr(rs.body, "S3CRETPW"));
	assert_null(strstr(rs.body, "SIG"));
	assert_non_null(strstr(rs.body, "127.0.0.1:9/x"));
	free(rs.body);
	memset(&rs, 0, sizeof(rs));
	srv_error_v1(&rs, 422, "layer %s failed", "https://u:S3CRETPW@h/b?token=SIG");
	assert_null(strstr(rs.body, "S3CRETPW"));
	assert_null(strstr(rs.body, "SIG"));
	free(rs.body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cap_in_bytes), cmocka_unit_test(test_lru),
		cmocka_unit_test(test_replace_drop_gen), cmocka_unit_test(test_layers_id),
		cmocka_unit_test(test_error_redacted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
