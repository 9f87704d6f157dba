/* tests/server/test_auth.c: Clair's PSK authentication (server/auth.c):
 * tokens built here with OpenSSL exactly as clairctl builds them (HS256,
 * base64url without padding), accepted; wrong key, wrong issuer, expired,
 * not yet valid, alg none and RS256, tampered and malformed, refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/server.h"
#include "util/error.h"

#define NOW 1700000000

static void b64url(const void *p, size_t n, char *out)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	const unsigned char *s = p;
	size_t k = 0, i;
	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
		out[k++] = a[v >> 18];
		out[k++] = a[(v >> 12) & 63];
		out[k++] = a[(v >> 6) & 63];
		out[k++] = a[v & 63];
	}
	if (n - i == 1) {
		out[k++] = a[s[i] >> 2];
		out[k++] = a[(s[i] & 3) << 4];
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)s[i] << 8 | s[i + 1];
		out[k++] = a[v >> 10];
		out[k++] = a[(v >> 4) & 63];
		out[k++] = a[(v & 15) << 2];
	}
	out[k] = 0;
}

/* "Bearer header.claims.HMAC-SHA256(key)" */
static char *token(const char *header, const char *claims, const char *key)
{
	static char out[4096];
	char h[1024], c[1024], sig[128];
	unsigned char mac[32];
	unsigned int maclen = 0;
	b64url(header, strlen(header), h);
	b64url(claims, strlen(claims), c);
	char signing[2100];
	snprintf(signing, sizeof(signing), "%s.%s", h, c);
	HMAC(EVP_sha256(), key, (int)strlen(key), (unsigned char *)signing, strlen(signing), mac, &maclen);
	b64url(mac, maclen, sig);
	snprintf(out, sizeof(out), "Bearer %s.%s", signing, sig);
	return out;
}

static const char *HS = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

static void config(vigil_server_config *c)
{
	srv_config_defaults(c);
	memcpy(c->auth_psk, "secret-key-of-16", 16);
	c->auth_psk_len = 16;
	snprintf(c->auth_issuers[0], sizeof(c->auth_issuers[0]), "quay");
	snprintf(c->auth_issuers[1], sizeof(c->auth_issuers[1]), "clairctl");
	c->n_issuers = 2;
}

static void refused(const vigil_server_config *c, const char *authz, const char *why_part)
{
	char why[128];
	assert_int_equal(srv_auth_check(c, authz, NOW, why, sizeof(why)), VIGIL_EINVAL);
	if (!strstr(why, why_part))
		fail_msg("'%s' not in '%s'", why_part, why);
}

static void test_good(void **st)
{
	vigil_server_config c;
	char why[128];
	config(&c);
	const char *t = token(HS, "{\"iss\":\"clairctl\",\"iat\":1700000000,\"nbf\":1700000000,\"exp\":1700000600}",
			      "secret-key-of-16");
	assert_int_equal(srv_auth_check(&c, t, NOW, why, sizeof(why)), 0);
	/* within the leeway of 60 s on either side */
	assert_int_equal(srv_auth_check(&c, t, 1700000600 + 60, why, sizeof(why)), 0);
	assert_int_equal(srv_auth_check(&c, t, 1700000000 - 60, why, sizeof(why)), 0);
	/* lower-case scheme, no time claims */
	char lower[4096];
	snprintf(lower, sizeof(lower), "bearer %s", token(HS, "{\"iss\":\"quay\"}", "secret-key-of-16") + 7);
	assert_int_equal(srv_auth_check(&c, lower, NOW, why, sizeof(why)), 0);
	/* an empty issuer list accepts any issuer, and none */
	c.n_issuers = 0;
	assert_int_equal(srv_auth_check(&c, token(HS, "{\"iss\":\"anyone\"}", "secret-key-of-16"), NOW, why, sizeof(why)), 0);
	assert_int_equal(srv_auth_check(&c, token(HS, "{}", "secret-key-of-16"), NOW, why, sizeof(why)), 0);
	/* authentication off: everything passes */
	c.auth_psk_len = 0;
	assert_int_equal(srv_auth_check(&c, NULL, NOW, why, sizeof(why)), 0);
}

static void test_refused(void **st)
{
	vigil_server_config c;
	config(&c);
	const char *claims = "{\"iss\":\"quay\",\"exp\":1700000600}";
	refused(&c, token(HS, claims, "another-key"), "bad token signature");
	refused(&c, token(HS, "{\"iss\":\"evil\"}", "secret-key-of-16"), "issuer not allowed");
	refused(&c, token(HS, "{\"sub\":\"x\"}", "secret-key-of-16"), "no issuer");
	refused(&c, token(HS, "{\"iss\":\"quay\",\"exp\":1699999939}", "secret-key-of-16"), "expired");
	refused(&c, token(HS, "{\"iss\":\"quay\",\"nbf\":1700000061}", "secret-key-of-16"), "not valid yet");
	refused(&c, token(HS, "{\"iss\":\"quay\",\"iat\":1700000061}", "secret-key-of-16"), "issued in the future");
	refused(&c, token(HS, "{\"iss\":\"quay\",\"exp\":\"soon\"}", "secret-key-of-16"), "exp is not a number");
	refused(&c, token("{\"alg\":\"none\"}", claims, "secret-key-of-16"), "not HS256");
	refused(&c, token("{\"alg\":\"RS256\"}", claims, "secret-key-of-16"), "not HS256");
	refused(&c, token("{\"alg\":\"HS512\"}", claims, "secret-key-of-16"), "not HS256");
	refused(&c, token("{\"typ\":\"JWT\"}", claims, "secret-key-of-16"), "not HS256");
	refused(&c, token("{\"alg\":\"HS256\",\"crit\":[\"b64\"]}", claims, "secret-key-of-16"), "critical");
	refused(&c, token("[1]", claims, "secret-key-of-16"), "not a JSON object");
	refused(&c, token(HS, "[\"quay\"]", "secret-key-of-16"), "claims are not a JSON object");

	/* alg none with an empty signature, as attackers send it */
	char none[1024], h[256], p[256];
	b64url("{\"alg\":\"none\"}", 14, h);
	b64url(claims, strlen(claims), p);
	snprintf(none, sizeof(none), "Bearer %s.%s.", h, p);
	refused(&c, none, "not HS256");

	/* tampered claims with the old signature */
	char t[4096];
	snprintf(t, sizeof(t), "%s", token(HS, claims, "secret-key-of-16"));
	char *dot1 = strchr(t, '.');
	char *dot2 = strchr(dot1 + 1, '.');
	char evil[256];
	b64url("{\"iss\":\"quay\",\"exp\":1900000000}", 31, evil);
	char tampered[4096];
	snprintf(tampered, sizeof(tampered), "%.*s.%s%s", (int)(dot1 - t), t, evil, dot2);
	refused(&c, tampered, "bad token signature");
	/* one bit of the signature changed */
	t[strlen(t) - 2] = t[strlen(t) - 2] == 'A' ? 'B' : 'A';
	refused(&c, t, "bad token signature");

	/* malformed */
	refused(&c, NULL, "missing");
	refused(&c, "", "missing");
	refused(&c, "Basic dXNlcjpwYXNz", "not a Bearer");
	refused(&c, "Bearer ", "not three parts");
	refused(&c, "Bearer a.b", "not three parts");
	refused(&c, "Bearer a.b.c.d", "not three parts");
	refused(&c, "Bearer !!!.e30.AAAA", "malformed token header");
	refused(&c, "Bearer .e30.AAAA", "malformed token header");
	refused(&c, "Bearer eyJhbGciOiJIUzI1NiJ9.e30.A", "bad token signature");
	char *longtok = malloc(SRV_AUTH_MAX_TOKEN + 64);
	memcpy(longtok, "Bearer ", 7);
	memset(longtok + 7, 'A', SRV_AUTH_MAX_TOKEN + 1);
	longtok[7 + SRV_AUTH_MAX_TOKEN + 1] = 0;
	refused(&c, longtok, "longer than 8192");
	free(longtok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
