/* util/pkey.c: PEM signing keys with OpenSSL (see pkey.h). */
#include "util/pkey.h"
#include "util/error.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>

const char *vigil_pkey_ossl_reason(void)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;
	return r ? r : "unknown reason";
}

int vigil_pkey_md(EVP_PKEY *k, const char *path, const EVP_MD **md)
{
	char group[64] = "";
	size_t gl = 0;
	switch (EVP_PKEY_get_base_id(k)) {
	case EVP_PKEY_ED25519:
		*md = NULL;
		return 0;
	case EVP_PKEY_EC:
		if (!EVP_PKEY_get_utf8_string_param(k, "group", group, sizeof(group), &gl) ||
		    strcmp(group, "prime256v1") != 0)
			return vigil_error_set(VIGIL_EUNSUPPORTED, "%s: an EC key on %s (P-256 expected)", path,
					       group[0] ? group : "an unknown curve");
		*md = EVP_sha256();
		return 0;
	case EVP_PKEY_RSA:
		if (EVP_PKEY_get_bits(k) < 2048)
			return vigil_error_set(VIGIL_EUNSUPPORTED, "%s: an RSA key of %d bits (2048 at least)", path,
					       EVP_PKEY_get_bits(k));
		*md = EVP_sha256();
		return 0;
	default:
		return vigil_error_set(VIGIL_EUNSUPPORTED,
				       "%s: a key of a kind vigil does not handle (EC P-256, Ed25519, RSA)", path);
	}
}

const char *vigil_pkey_kind(EVP_PKEY *k, char out[VIGIL_PKEY_MAX_KIND])
{
	switch (EVP_PKEY_get_base_id(k)) {
	case EVP_PKEY_ED25519: snprintf(out, VIGIL_PKEY_MAX_KIND, "Ed25519"); break;
	case EVP_PKEY_EC: snprintf(out, VIGIL_PKEY_MAX_KIND, "ECDSA P-%d", EVP_PKEY_get_bits(k)); break;
	case EVP_PKEY_RSA: snprintf(out, VIGIL_PKEY_MAX_KIND, "RSA %d", EVP_PKEY_get_bits(k)); break;
	default: snprintf(out, VIGIL_PKEY_MAX_KIND, "unknown"); break;
	}
	return out;
}

int vigil_pkey_load(const char *path, bool want_private, EVP_PKEY **out)
{
	BIO *b = BIO_new_file(path, "r");
	*out = NULL;
	if (!b) {
		ERR_clear_error();
		return vigil_error_set(VIGIL_ENOTFOUND, "%s: cannot open the key", path);
	}
	if (!want_private)
		*out = PEM_read_bio_PUBKEY(b, NULL, NULL, NULL);
	if (!*out && BIO_reset(b) >= 0)
		*out = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	if (!*out) {
		int rc = vigil_error_set(VIGIL_EFORMAT, "%s: not a PEM %s key (%s)", path,
					 want_private ? "private" : "public", vigil_pkey_ossl_reason());
		ERR_clear_error();
		return rc;
	}
	ERR_clear_error();
	return 0;
}

int vigil_pkey_id(EVP_PKEY *k, char out[VIGIL_PKEY_ID_MAX])
{
	unsigned char *der = NULL;
	int n = i2d_PUBKEY(k, &der);
	if (n <= 0) {
		ERR_clear_error();
		return vigil_error_set(VIGIL_ERROR, "cannot encode the public key");
	}
	vigil_digest_sha256(der, (size_t)n, out);
	OPENSSL_free(der);
	return 0;
}

int vigil_pkey_sign(EVP_PKEY *k, const char *path, const void *data, size_t len, unsigned char *sig,
		    size_t *siglen)
{
	EVP_MD_CTX *ctx = NULL;
	const EVP_MD *md;
	int rc;
	*siglen = VIGIL_PKEY_MAX_SIGNATURE;
	if ((rc = vigil_pkey_md(k, path, &md)) < 0)
		return rc;
	if (!(ctx = EVP_MD_CTX_new()) || EVP_DigestSignInit(ctx, NULL, md, NULL, k) != 1 ||
	    EVP_DigestSign(ctx, NULL, siglen, data, len) != 1 || *siglen > VIGIL_PKEY_MAX_SIGNATURE ||
	    EVP_DigestSign(ctx, sig, siglen, data, len) != 1)
		rc = vigil_error_set(VIGIL_ERROR, "%s: cannot sign (%s)", path, vigil_pkey_ossl_reason());
	ERR_clear_error();
	EVP_MD_CTX_free(ctx);
	return rc;
}

int vigil_pkey_verify(EVP_PKEY *k, const char *path, const void *data, size_t len, const unsigned char *sig,
		      size_t siglen)
{
	EVP_MD_CTX *ctx = NULL;
	const EVP_MD *md;
	int rc;
	if ((rc = vigil_pkey_md(k, path, &md)) < 0)
		return rc;
	if (!(ctx = EVP_MD_CTX_new()) || EVP_DigestVerifyInit(ctx, NULL, md, NULL, k) != 1)
		rc = vigil_error_set(VIGIL_ERROR, "%s: cannot verify (%s)", path, vigil_pkey_ossl_reason());
	else
		rc = EVP_DigestVerify(ctx, sig, siglen, data, len) == 1;
	ERR_clear_error();
	EVP_MD_CTX_free(ctx);
	return rc;
}
