/* server/auth.c: Clair's pre-shared key authentication. A request carries
 * "Authorization: Bearer <JWT>" where the JWT is signed with HMAC-SHA256
 * (alg HS256, nothing else: "none", RS256 and the rest are refused) with the
 * key of auth.psk.key; its iss claim must be one of auth.psk.iss (any issuer
 * when the list is empty), and exp, nbf and iat are checked against the
 * clock with SRV_AUTH_LEEWAY_S of leeway. The signature is checked before
 * the claims are read, and compared in constant time. clairctl and Quay
 * send such tokens. */
#include "server/server.h"
#include "util/base64.h"
#include "util/error.h"

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define SRV_AUTH_MAX_PART 4096 /* decoded header or payload */

static int deny(char *why, size_t why_n, const char *msg)
{
	if (why && why_n)
		snprintf(why, why_n, "%s", msg);
	return vigil_error_set(VIGIL_EINVAL, "authorization: %s", msg);
}

/* base64url without padding (RFC 7515 section 2; util/base64.c) into out
 * (max bytes): the decoded length, or -1. */
static long b64url_decode(const char *s, size_t n, unsigned char *out, size_t max)
{
	size_t k = 0;
	return vigil_base64_decode(s, n, VIGIL_BASE64_URL, out, max, &k) < 0 ? -1 : (long)k;
}

/* A NumericDate claim: 1 and *t when present, 0 absent, -1 not a number. */
static int num_claim(json_t *o, const char *name, double *t)
{
	json_t *v = json_object_get(o, name);
	if (!v)
		return 0;
	if (!json_is_number(v))
		return -1;
	*t = json_number_value(v);
	return 1;
}

int srv_auth_check(const vigil_server_config *c, const char *authorization, int64_t now, char *why,
		   size_t why_n)
{
	unsigned char part[SRV_AUTH_MAX_PART + 1];
	unsigned char mac[EVP_MAX_MD_SIZE], sig[64];
	unsigned int maclen = 0;
	json_t *hdr = NULL, *claims = NULL;
	double t;
	int rc, r;

	if (why && why_n)
		why[0] = 0;
	if (!c->auth_psk_len)
		return 0; /* authentication is off */
	if (!authorization || !*authorization)
		return deny(why, why_n, "missing Authorization header");
	if (strncasecmp(authorization, "Bearer ", 7) != 0)
		return deny(why, why_n, "not a Bearer token");
	const char *tok = authorization + 7;
	while (*tok == ' ')
		tok++;
	size_t len = strnlen(tok, SRV_AUTH_MAX_TOKEN + 1);
	if (len > SRV_AUTH_MAX_TOKEN)
		return deny(why, why_n, "token longer than 8192 bytes");
	const char *d1 = memchr(tok, '.', len);
	const char *d2 = d1 ? memchr(d1 + 1, '.', len - (size_t)(d1 + 1 - tok)) : NULL;
	if (!d1 || !d2 || memchr(d2 + 1, '.', len - (size_t)(d2 + 1 - tok)))
		return deny(why, why_n, "malformed token (not three parts)");

	/* header: HS256 only */
	long n = b64url_decode(tok, (size_t)(d1 - tok), part, SRV_AUTH_MAX_PART);
	if (n <= 0)
		return deny(why, why_n, "malformed token header");
	if (!(hdr = json_loadb((const char *)part, (size_t)n, JSON_REJECT_DUPLICATES, NULL)) ||
	    !json_is_object(hdr)) {
		rc = deny(why, why_n, "token header is not a JSON object");
		goto out;
	}
	const char *alg = json_string_value(json_object_get(hdr, "alg"));
	if (!alg || strcmp(alg, "HS256") != 0) {
		rc = deny(why, why_n, "token algorithm is not HS256");
		goto out;
	}
	if (json_object_get(hdr, "crit")) {
		rc = deny(why, why_n, "token has critical header parameters");
		goto out;
	}

	/* signature over "header.payload", compared in constant time */
	long sn = b64url_decode(d2 + 1, len - (size_t)(d2 + 1 - tok), sig, sizeof(sig));
	if (!HMAC(EVP_sha256(), c->auth_psk, (int)c->auth_psk_len, (const unsigned char *)tok,
		  (size_t)(d2 - tok), mac, &maclen)) {
		rc = deny(why, why_n, "cannot compute HMAC");
		goto out;
	}
	if (sn != (long)maclen || CRYPTO_memcmp(sig, mac, maclen) != 0) {
		rc = deny(why, why_n, "bad token signature");
		goto out;
	}

	/* claims */
	n = b64url_decode(d1 + 1, (size_t)(d2 - d1 - 1), part, SRV_AUTH_MAX_PART);
	if (n <= 0 || !(claims = json_loadb((const char *)part, (size_t)n, JSON_REJECT_DUPLICATES, NULL)) ||
	    !json_is_object(claims)) {
		rc = deny(why, why_n, "token claims are not a JSON object");
		goto out;
	}
	if (c->n_issuers) {
		const char *iss = json_string_value(json_object_get(claims, "iss"));
		size_t i;
		for (i = 0; iss && i < c->n_issuers; i++)
			if (!strcmp(iss, c->auth_issuers[i]))
				break;
		if (!iss || i == c->n_issuers) {
			rc = deny(why, why_n, iss ? "token issuer not allowed" : "token has no issuer");
			goto out;
		}
	}
	if ((r = num_claim(claims, "exp", &t)) < 0 || (r && (double)now > t + SRV_AUTH_LEEWAY_S)) {
		rc = deny(why, why_n, r < 0 ? "token exp is not a number" : "token expired");
		goto out;
	}
	if ((r = num_claim(claims, "nbf", &t)) < 0 || (r && (double)now + SRV_AUTH_LEEWAY_S < t)) {
		rc = deny(why, why_n, r < 0 ? "token nbf is not a number" : "token not valid yet");
		goto out;
	}
	if ((r = num_claim(claims, "iat", &t)) < 0 || (r && (double)now + SRV_AUTH_LEEWAY_S < t)) {
		rc = deny(why, why_n, r < 0 ? "token iat is not a number" : "token issued in the future");
		goto out;
	}
	rc = 0;
out:
	json_decref(hdr);
	json_decref(claims);
	return rc;
}
