/* tests/util/test_redact.c: no credential, token or signature survives
 * vigil_redact_url() / vigil_redact_text(). */
#include "helpers.h"
#include "util/redact.h"

#include <string.h>

static void test_url(void **state)
{
	char out[VIGIL_REDACT_MAX];
	assert_string_equal(vigil_redact_url("http://alice:S3CRETPW@host:8080/x?X-Amz-Signature=abc&X-Amz-Date=1",
					     out, sizeof(out)),
			    "http://***@host:8080/x?X-Amz-Signature=***&X-Amz-Date=***");
	assert_string_equal(vigil_redact_url("https://reg.example/v2/a/blobs/sha256:1", out, sizeof(out)),
			    "https://reg.example/v2/a/blobs/sha256:1");
	assert_string_equal(vigil_redact_url("https://h/p?token#frag", out, sizeof(out)), "https://h/p?token");
	assert_string_equal(vigil_redact_url("https://user@h", out, sizeof(out)), "https://***@h");
	assert_string_equal(vigil_redact_url(NULL, out, sizeof(out)), "");
	/* not a URL: nothing after the first ':', '@' or '?' */
	assert_string_equal(vigil_redact_url("http:/a/lice:S3CRET@127.0.0.1/x", out, sizeof(out)), "http:***");
	assert_string_equal(vigil_redact_url("alice:S3CRET@host", out, sizeof(out)), "alice:***");
	assert_string_equal(vigil_redact_url("/tmp/layer.tar", out, sizeof(out)), "/tmp/layer.tar");
	/* '@' in the path is not userinfo */
	assert_string_equal(vigil_redact_url("http://h/a@b", out, sizeof(out)), "http://h/a@b");
}

static void test_text(void **state)
{
	char out[VIGIL_REDACT_MAX];
	vigil_redact_text("layer sha256:1: GET http://alice:S3CRETPW@10.0.0.1/x?sig=ZZZ: 404 'ftp://u:p@h/'",
			  out, sizeof(out));
	assert_null(strstr(out, "S3CRETPW"));
	assert_null(strstr(out, "ZZZ"));
	assert_null(strstr(out, "u:p"));
	assert_string_equal(out, "layer sha256:1: GET http://***@10.0.0.1/x?sig=*** 404 'ftp://***@h/'");
	assert_string_equal(vigil_redact_text("no url :// here", out, sizeof(out)), "no url :// here");
}

static void test_truncation(void **state)
{
	char out[12];
	vigil_redact_url("http://a:b@host/very/long/path", out, sizeof(out));
	assert_int_equal(strlen(out), 11);
	assert_null(strstr(out, "a:b"));
	char none[1];
	vigil_redact_url("http://x", none, 1);
	assert_string_equal(none, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_truncation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
