/* tests/registry/test_registry.c: the parsers of the registry client:
 * references with Docker's normalisation (the cases of
 * distribution/reference's normalize tests that vigil accepts, and the ones
 * it must refuse), WWW-Authenticate challenges as registries send them
 * (Docker Hub, GitLab, Quay, docker-registry, several challenges, odd
 * spacing, escapes, junk), Docker config.json credentials, a ready
 * Authorization value given (Harbor's), digests, base64 and the retry
 * backoff. */
#include "helpers.h"
#include "registry/registry.h"
#include "util/base64.h"
#include "util/digest.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHA "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

struct ref_case {
	const char *in;
	const char *domain, *host, *repo, *tag, *digest;
};

static void test_ref_ok(void **state)
{
	static const struct ref_case cases[] = {
		{ "debian", "docker.io", "registry-1.docker.io", "library/debian", "latest", "" },
		{ "debian:12", "docker.io", "registry-1.docker.io", "library/debian", "12", "" },
		{ "docker.io/debian", "docker.io", "registry-1.docker.io", "library/debian", "latest", "" },
		{ "index.docker.io/library/debian:bookworm", "docker.io", "registry-1.docker.io", "library/debian", "bookworm", "" },
		{ "bitnami/redis:7.2", "docker.io", "registry-1.docker.io", "bitnami/redis", "7.2", "" },
		{ "docker://alpine@" SHA, "docker.io", "registry-1.docker.io", "library/alpine", "", SHA },
		{ "registry:alpine:3.19@" SHA, "docker.io", "registry-1.docker.io", "library/alpine", "3.19", SHA },
		{ "quay.io/prometheus/node-exporter:v1.7.0", "quay.io", "quay.io", "prometheus/node-exporter", "v1.7.0", "" },
		{ "localhost/demo", "localhost", "localhost", "demo", "latest", "" },
		{ "localhost:5000/demo:v2", "localhost:5000", "localhost:5000", "demo", "v2", "" },
		{ "127.0.0.1:5000/a/b/c:V_2.x-y", "127.0.0.1:5000", "127.0.0.1:5000", "a/b/c", "V_2.x-y", "" },
		{ "[::1]:5000/demo", "[::1]:5000", "[::1]:5000", "demo", "latest", "" },
		{ "Example.COM/demo", "Example.COM", "Example.COM", "demo", "latest", "" },
		{ "ghcr.io/a__b/c.d/e-f--g:t", "ghcr.io", "ghcr.io", "a__b/c.d/e-f--g", "t", "" },
		{ "localhost:5000", "docker.io", "registry-1.docker.io", "library/localhost", "5000", "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vigil_reg_ref r;
		const struct ref_case *c = &cases[i];
		if (reg_ref_parse(c->in, &r) < 0)
			fail_msg("%s: %s", c->in, vigil_error_message());
		assert_string_equal(r.domain, c->domain);
		assert_string_equal(r.host, c->host);
		assert_string_equal(r.repo, c->repo);
		assert_string_equal(r.tag, c->tag);
		assert_string_equal(r.digest, c->digest);
	}
	vigil_reg_ref r;
	char out[600];
	assert_int_equal(reg_ref_parse("docker://debian:12", &r), 0);
	reg_ref_format(&r, out, sizeof(out));
	assert_string_equal(out, "docker.io/library/debian:12");
}

static void test_ref_bad(void **state)
{
	char long_name[300], long_tag[200];
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	snprintf(long_tag, sizeof(long_tag), "demo:%0129d", 0);
	const char *bad[] = {
		"", "docker://", ":tag", "demo:", "demo@", "demo@sha256:abc", "demo@md5:" SHA,
		"demo@sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
		"Upper/Case", "host.io/Upper", "a//b", "/abs", "demo/", "-demo", "demo-", "a..b", "a___b",
		"demo:-tag", "demo:.tag", "demo:t/x", "host:port/x", "host:123456/x", "[zz]:5/x",
		"bad_host.io:-1/x", long_name, long_tag, "demo:tag@" SHA "x", "white space",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vigil_reg_ref r;
		int rc = reg_ref_parse(bad[i], &r);
		if (rc >= 0)
			fail_msg("\"%s\" parsed (repo %s, tag %s)", bad[i], r.repo, r.tag);
		assert_true(rc == VIGIL_EINVAL || rc == VIGIL_ELIMIT);
		assert_true(strlen(vigil_error_message()) > 0);
	}
	vigil_reg_ref r;
	assert_int_equal(reg_ref_parse("Upper/Case", &r), VIGIL_EINVAL);
	assert_non_null(strstr(vigil_error_message(), "lower case"));
	const char *rest;
	assert_true(reg_ref_has_prefix("docker://x", &rest));
	assert_string_equal(rest, "x");
	assert_false(reg_ref_has_prefix("oci:/x", &rest));
}

static void test_challenges(void **state)
{
	vigil_reg_challenge ch;
	const char *hub = "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
			  "scope=\"repository:library/debian:pull\"";
	assert_int_equal(reg_challenge_parse(hub, strlen(hub), &ch), 0);
	assert_int_equal(ch.scheme, VIGIL_REG_AUTH_BEARER);
	assert_string_equal(ch.realm, "https://auth.docker.io/token");
	assert_string_equal(ch.service, "registry.docker.io");
	assert_string_equal(ch.scope, "repository:library/debian:pull");

	/* tokens unquoted, spaces around '=', escapes, an error param, case */
	const char *odd = "bearer  Realm = \"https://gitlab.example.com/jwt/auth\" , service=container_registry, "
			  "scope=\"repository:a/b:pull,push\",error=\"insufficient_scope\", x=\"q\\\"uote\"";
	assert_int_equal(reg_challenge_parse(odd, strlen(odd), &ch), 0);
	assert_int_equal(ch.scheme, VIGIL_REG_AUTH_BEARER);
	assert_string_equal(ch.realm, "https://gitlab.example.com/jwt/auth");
	assert_string_equal(ch.service, "container_registry");
	assert_string_equal(ch.scope, "repository:a/b:pull,push");
	assert_string_equal(ch.error, "insufficient_scope");

	/* Basic, then Bearer (several headers joined): Bearer wins */
	const char *two = "Basic realm=\"Registry Realm\", Bearer realm=\"https://quay.io/v2/auth\",service=\"quay.io\"";
	assert_int_equal(reg_challenge_parse(two, strlen(two), &ch), 0);
	assert_int_equal(ch.scheme, VIGIL_REG_AUTH_BEARER);
	assert_string_equal(ch.realm, "https://quay.io/v2/auth");
	assert_string_equal(ch.scope, "");

	const char *basic = "Basic realm=\"basic-realm\"";
	assert_int_equal(reg_challenge_parse(basic, strlen(basic), &ch), 0);
	assert_int_equal(ch.scheme, VIGIL_REG_AUTH_BASIC);
	assert_string_equal(ch.realm, "basic-realm");

	/* a token68 challenge first, a scheme alone, then Basic */
	const char *t68 = "Negotiate YIIB+w/==, NTLM, Basic realm=x";
	assert_int_equal(reg_challenge_parse(t68, strlen(t68), &ch), 0);
	assert_int_equal(ch.scheme, VIGIL_REG_AUTH_BASIC);

	/* refused */
	const struct { const char *v; int rc; } bad[] = {
		{ "Negotiate", VIGIL_EUNSUPPORTED },
		{ "", VIGIL_EUNSUPPORTED },
		{ "Bearer service=\"x\"", VIGIL_EFORMAT },
		{ "Bearer realm=\"ftp://x/token\"", VIGIL_EFORMAT },
		{ "Bearer realm=\"https://x", VIGIL_EFORMAT },
		{ "Bearer realm=\"https://a\",realm=\"https://b\"", VIGIL_EFORMAT },
		{ "Bearer realm=\"https://a\" service=x", VIGIL_EFORMAT },
		{ "Bearer realm=", VIGIL_EFORMAT },
		{ "Bearer realm=\"a\x01\"", VIGIL_EFORMAT },
		{ "=x", VIGIL_EFORMAT },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = reg_challenge_parse(bad[i].v, strlen(bad[i].v), &ch);
		if (rc != bad[i].rc)
			fail_msg("\"%s\": %d, want %d (%s)", bad[i].v, rc, bad[i].rc, vigil_error_message());
	}
	/* limits */
	char big[VIGIL_REG_MAX_AUTH_HEADER + 64];
	int n = snprintf(big, sizeof(big), "Bearer realm=\"https://x/");
	memset(big + n, 'a', VIGIL_REG_MAX_AUTH_VALUE);
	snprintf(big + n + VIGIL_REG_MAX_AUTH_VALUE, sizeof(big) - (size_t)n - VIGIL_REG_MAX_AUTH_VALUE, "\"");
	assert_int_equal(reg_challenge_parse(big, strlen(big), &ch), VIGIL_ELIMIT);
	big[0] = '\0';
	for (int i = 0; i < 20; i++)
		strcat(big, "Basic a=b, ");
	assert_int_equal(reg_challenge_parse(big, strlen(big), &ch), VIGIL_ELIMIT);
	assert_non_null(strstr(vigil_error_message(), "16 challenges"));
}

static void test_creds(void **state)
{
	vigil_reg_creds cr;
	char b64[64];
	assert_int_equal(vigil_base64_encode("alice:pa ss:1", 13, 0, b64, sizeof(b64)), 0);
	assert_string_equal(b64, "YWxpY2U6cGEgc3M6MQ==");
	char json[512];
	snprintf(json, sizeof(json),
		 "{\"auths\": {\"other.io\": {\"auth\": \"eDp5\"},"
		 " \"http://127.0.0.1:5000/v2/\": {\"auth\": \"%s\"},"
		 " \"https://index.docker.io/v1/\": {\"username\": \"bob\", \"password\": \"pw\"}},"
		 " \"credHelpers\": {\"gcr.io\": \"gcloud\"}}", b64);
	assert_int_equal(reg_creds_parse("config.json", json, strlen(json), "127.0.0.1:5000", &cr), 0);
	assert_true(cr.found);
	assert_string_equal(cr.user, "alice");
	assert_string_equal(cr.pass, "pa ss:1");
	assert_int_equal(reg_creds_parse("config.json", json, strlen(json), "docker.io", &cr), 0);
	assert_true(cr.found);
	assert_string_equal(cr.user, "bob");
	assert_int_equal(reg_creds_parse("config.json", json, strlen(json), "other.io", &cr), 0);
	assert_string_equal(cr.user, "x");
	assert_string_equal(cr.pass, "y");
	assert_int_equal(reg_creds_parse("config.json", json, strlen(json), "gcr.io", &cr), 0);
	assert_false(cr.found);
	assert_string_equal(cr.helper, "gcloud");
	assert_int_equal(reg_creds_parse("config.json", json, strlen(json), "nowhere.io", &cr), 0);
	assert_false(cr.found);

	const char *bad[] = {
		"[]", "{\"auths\": []}", "{\"auths\": {\"h\": 1}}", "{\"auths\": {\"h\": {\"auth\": \"!!\"}}}",
		"{\"auths\": {\"h\": {\"auth\": \"bm9jb2xvbg==\"}}}", /* "nocolon" */
		"{\"auths\": {\"h\": {}}, \"auths\": {}}", "{",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (reg_creds_parse("c.json", bad[i], strlen(bad[i]), "h", &cr) >= 0)
			fail_msg("%s was accepted", bad[i]);
	/* no file: no credentials; an explicit missing file: an error */
	assert_int_equal(reg_creds_load("", "h", &cr), 0);
	assert_false(cr.found);
	assert_int_equal(reg_creds_load("/nonexistent/config.json", "h", &cr), VIGIL_ENOTFOUND);
}

static void test_digests_backoff(void **state)
{
	assert_true(vigil_digest_ok(vigil_slice_make(SHA, strlen(SHA))));
	assert_false(vigil_digest_ok(vigil_slice_make(SHA "0", strlen(SHA) + 1)));
	assert_false(vigil_digest_ok(vigil_slice_make("sha256:", 7)));
	assert_int_equal(vigil_digest_verify(SHA, "", 0, "empty"), 0);
	assert_int_equal(vigil_digest_verify(SHA, "x", 1, "x"), VIGIL_EDIGEST);
	assert_int_equal(vigil_digest_verify("md5:00", "", 0, "x"), VIGIL_EUNSUPPORTED);
	assert_int_equal(reg_backoff_ms(0, -1), VIGIL_REG_RETRY_BASE_MS);
	assert_int_equal(reg_backoff_ms(2, -1), 4 * VIGIL_REG_RETRY_BASE_MS);
	assert_int_equal(reg_backoff_ms(30, -1), VIGIL_REG_RETRY_MAX_MS);
	assert_int_equal(reg_backoff_ms(0, 3), 3000);
	assert_int_equal(reg_backoff_ms(0, 99999), VIGIL_REG_RETRY_MAX_MS);
}

/* A ready Authorization value (what Harbor hands its scanners): sent
 * verbatim from the first request; Basic also decoded for a token server;
 * a Bearer one refused by the registry is final, and never repeated in the
 * message. */
static void test_given_authorization(void **state)
{
	vigil_registry_options o;
	vigil_reg_ref ref;
	vigil_reg_client *c = NULL;
	vigil_reg_resp *resp = calloc(1, sizeof(*resp));
	char *authz = NULL;
	(void)state;
	assert_non_null(resp);
	assert_int_equal(reg_ref_parse("127.0.0.1:5000/library/alpine:3.10", &ref), 0);
	vigil_registry_options_init(&o);
	o.insecure = 1;
	o.authorization = "Bearer tok.en-123_~+/=";
	assert_int_equal(reg_client_new(&ref, &o, &c), 0);
	assert_int_equal(reg_client_auth(c, &authz), 0);
	assert_string_equal(authz, "Bearer tok.en-123_~+/=");
	/* the registry refuses it: final, no token fetched, the token not repeated */
	resp->status = 401;
	snprintf(resp->www_auth, sizeof(resp->www_auth),
		 "Bearer realm=\"http://127.0.0.1:1/token\",service=\"r\",scope=\"repository:library/alpine:pull\",error=\"insufficient_scope\"");
	assert_int_equal(reg_client_unauthorized(c, resp, authz, "http://127.0.0.1:5000/v2/x"), VIGIL_EIO);
	assert_non_null(strstr(vigil_error_message(), "refused the bearer token given (no pull access)"));
	assert_null(strstr(vigil_error_message(), "tok.en"));
	free(authz);
	authz = NULL;
	reg_client_free(c);

	/* Basic: verbatim, and decoded into the credentials */
	o.authorization = "Basic YWxpY2U6cGEgc3M6MQ==";
	assert_int_equal(reg_client_new(&ref, &o, &c), 0);
	assert_int_equal(reg_client_auth(c, &authz), 0);
	assert_string_equal(authz, "Basic YWxpY2U6cGEgc3M6MQ==");
	free(authz);
	authz = NULL;
	/* a Basic challenge after Basic was sent: refused, naming the user only */
	snprintf(resp->www_auth, sizeof(resp->www_auth), "Basic realm=\"r\"");
	assert_int_equal(reg_client_unauthorized(c, resp, "Basic YWxpY2U6cGEgc3M6MQ==", "http://127.0.0.1:5000/v2/x"),
			 VIGIL_EIO);
	assert_non_null(strstr(vigil_error_message(), "refused the credentials of alice (from the Authorization given)"));
	assert_null(strstr(vigil_error_message(), "pa ss"));
	reg_client_free(c);
	c = NULL;

	const char *bad[] = { "Bearer", "Bearer ", "token", "Digest abc", "Basic !!!", "Basic bm9jb2xvbg==",
			      "Bearer a\r\nX-Evil: 1" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o.authorization = bad[i];
		if (reg_client_new(&ref, &o, &c) >= 0)
			fail_msg("\"%s\" was accepted", bad[i]);
		assert_null(c);
	}
	free(resp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ref_ok),
		cmocka_unit_test(test_ref_bad),
		cmocka_unit_test(test_challenges),
		cmocka_unit_test(test_creds),
		cmocka_unit_test(test_given_authorization),
		cmocka_unit_test(test_digests_backoff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
