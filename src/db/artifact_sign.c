/* db/artifact_sign.c: the optional signature of a database artifact, with
 * OpenSSL: a detached signature over the text "vigil-db-signature-v1
 * BUNDLE_DIGEST CONFIG_DIGEST", so it binds the bundle's bytes and the
 * config's (schema version, feed times) through their digests, which the
 * pull checks against the bytes it downloads. Keys are PEM files: ECDSA on
 * P-256 and RSA (2048 bits or more) sign with SHA-256 (RSA PKCS#1 v1.5,
 * ECDSA as DER), Ed25519 signs the text itself. The key id beside the
 * signature is the sha256 of the public key's DER (SubjectPublicKeyInfo),
 * as `openssl pkey -pubout -outform DER | sha256sum` gives it; the check
 * does not trust it, it only helps a reader tell keys apart. Anyone can
 * verify without vigil: docs/db-update.md shows the openssl commands. */
#include "db/artifact.h"
#include "util/base64.h"
#include "util/digest.h"
#include "util/error.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>

int db_art_sign_text(const char *bundle_digest, const char *config_digest, char *out, size_t n)
{
	int w = snprintf(out, n, "vigil-db-signature-v1 %s %s", bundle_digest, config_digest);
	if (w < 0 || (size_t)w >= n)
		return vigil_error_set(VIGIL_ELIMIT, "the signed text is over %zu bytes", n);
	return 0;
}

/* OpenSSL's last reason, for a message. */
static const char *ossl_reason(void)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;
	return r ? r : "unknown reason";
}

/* The digest a key signs with (NULL for Ed25519), or an error when vigil
 * does not sign with that kind of key. */
static int key_md(EVP_PKEY *k, const char *path, const EVP_MD **md)
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
		return vigil_error_set(VIGIL_EUNSUPPORTED, "%s: a key of a kind vigil does not sign with (EC P-256, Ed25519, RSA)",
				       path);
	}
}

/* A PEM key: private when want_private, else public (or a private key's
 * public half). */
static int load_key(const char *path, bool want_private, EVP_PKEY **out)
{
	BIO *b = BIO_new_file(path, "r");
	*out = NULL;
	if (!b)
		return vigil_error_set(VIGIL_ENOTFOUND, "%s: cannot open the key", path);
	if (!want_private)
		*out = PEM_read_bio_PUBKEY(b, NULL, NULL, NULL);
	if (!*out && BIO_reset(b) >= 0)
		*out = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	if (!*out) {
		int rc = vigil_error_set(VIGIL_EFORMAT, "%s: not a PEM %s key (%s)", path,
					 want_private ? "private" : "public", ossl_reason());
		ERR_clear_error();
		return rc;
	}
	return 0;
}

static int key_id(EVP_PKEY *k, char out[DB_ART_DIGEST_MAX])
{
	unsigned char *der = NULL;
	int n = i2d_PUBKEY(k, &der);
	if (n <= 0)
		return vigil_error_set(VIGIL_ERROR, "cannot encode the public key");
	vigil_digest_sha256(der, (size_t)n, out);
	OPENSSL_free(der);
	return 0;
}

int db_art_sign(const char *path, const char *text, char sig_b64[DB_ART_MAX_SIG_B64 + 1],
		char kid[DB_ART_DIGEST_MAX])
{
	EVP_PKEY *k = NULL;
	EVP_MD_CTX *ctx = NULL;
	const EVP_MD *md;
	unsigned char sig[DB_ART_MAX_SIGNATURE];
	size_t siglen = sizeof(sig);
	int rc;
	if ((rc = load_key(path, true, &k)) < 0 || (rc = key_md(k, path, &md)) < 0 || (rc = key_id(k, kid)) < 0)
		goto out;
	if (!(ctx = EVP_MD_CTX_new()) || EVP_DigestSignInit(ctx, NULL, md, NULL, k) != 1 ||
	    EVP_DigestSign(ctx, NULL, &siglen, (const unsigned char *)text, strlen(text)) != 1 ||
	    siglen > sizeof(sig) ||
	    EVP_DigestSign(ctx, sig, &siglen, (const unsigned char *)text, strlen(text)) != 1) {
		rc = vigil_error_set(VIGIL_ERROR, "%s: cannot sign (%s)", path, ossl_reason());
		goto out;
	}
	rc = vigil_base64_encode(sig, siglen, 0, sig_b64, DB_ART_MAX_SIG_B64 + 1);
out:
	ERR_clear_error();
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	return rc;
}

int db_art_verify(const char *path, const char *what, const char *text, const char *sig_b64)
{
	EVP_PKEY *k = NULL;
	EVP_MD_CTX *ctx = NULL;
	const EVP_MD *md;
	unsigned char sig[DB_ART_MAX_SIGNATURE];
	size_t siglen = 0;
	int rc;
	if ((rc = load_key(path, false, &k)) < 0 || (rc = key_md(k, path, &md)) < 0)
		goto out;
	if (!sig_b64[0]) {
		rc = vigil_error_set(VIGIL_EDIGEST, "%s: unsigned, and a signature is required (--verify-key %s)", what, path);
		goto out;
	}
	if ((rc = vigil_base64_decode(sig_b64, strlen(sig_b64), 0, sig, sizeof(sig), &siglen)) < 0) {
		vigil_error_prefix("%s: annotation %s: ", what, DB_ART_ANN_SIGNATURE);
		goto out;
	}
	if (!(ctx = EVP_MD_CTX_new()) || EVP_DigestVerifyInit(ctx, NULL, md, NULL, k) != 1) {
		rc = vigil_error_set(VIGIL_ERROR, "%s: cannot verify (%s)", path, ossl_reason());
		goto out;
	}
	if (EVP_DigestVerify(ctx, sig, siglen, (const unsigned char *)text, strlen(text)) != 1)
		rc = vigil_error_set(VIGIL_EDIGEST, "%s: bad signature: it does not verify with the key %s", what, path);
out:
	ERR_clear_error();
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	return rc;
}
