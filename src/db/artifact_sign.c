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
 * verify without vigil: docs/db-update.md shows the openssl commands. The
 * keys themselves are util/pkey.c's (shared with vigil verify). */
#include "db/artifact.h"
#include "util/base64.h"
#include "util/digest.h"
#include "util/error.h"
#include "util/pkey.h"

#include <stdio.h>
#include <string.h>

int db_art_sign_text(const char *bundle_digest, const char *config_digest, char *out, size_t n)
{
	int w = snprintf(out, n, "vigil-db-signature-v1 %s %s", bundle_digest, config_digest);
	if (w < 0 || (size_t)w >= n)
		return vigil_error_set(VIGIL_ELIMIT, "the signed text is over %zu bytes", n);
	return 0;
}

int db_art_sign(const char *path, const char *text, char sig_b64[DB_ART_MAX_SIG_B64 + 1],
		char kid[DB_ART_DIGEST_MAX])
{
	EVP_PKEY *k = NULL;
	unsigned char sig[VIGIL_PKEY_MAX_SIGNATURE];
	size_t siglen = 0;
	int rc;
	if ((rc = vigil_pkey_load(path, true, &k)) < 0 || (rc = vigil_pkey_id(k, kid)) < 0 ||
	    (rc = vigil_pkey_sign(k, path, text, strlen(text), sig, &siglen)) < 0)
		goto out;
	rc = vigil_base64_encode(sig, siglen, 0, sig_b64, DB_ART_MAX_SIG_B64 + 1);
out:
	EVP_PKEY_free(k);
	return rc;
}

int db_art_verify(const char *path, const char *what, const char *text, const char *sig_b64)
{
	EVP_PKEY *k = NULL;
	const EVP_MD *md;
	unsigned char sig[DB_ART_MAX_SIGNATURE];
	size_t siglen = 0;
	int rc;
	if ((rc = vigil_pkey_load(path, false, &k)) < 0 || (rc = vigil_pkey_md(k, path, &md)) < 0)
		goto out;
	if (!sig_b64[0]) {
		rc = vigil_error_set(VIGIL_EDIGEST, "%s: unsigned, and a signature is required (--verify-key %s)", what, path);
		goto out;
	}
	if ((rc = vigil_base64_decode(sig_b64, strlen(sig_b64), 0, sig, sizeof(sig), &siglen)) < 0) {
		vigil_error_prefix("%s: annotation %s: ", what, DB_ART_ANN_SIGNATURE);
		goto out;
	}
	if ((rc = vigil_pkey_verify(k, path, text, strlen(text), sig, siglen)) == 0)
		rc = vigil_error_set(VIGIL_EDIGEST, "%s: bad signature: it does not verify with the key %s", what, path);
	else if (rc > 0)
		rc = 0;
out:
	EVP_PKEY_free(k);
	return rc;
}
