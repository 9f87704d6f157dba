/* util/pkey.h: PEM signing keys with OpenSSL, shared by the database
 * artifact's signature (db/artifact_sign.c) and cosign signatures (vigil
 * verify, audit/verify.c). The kinds accepted are those cosign and vigil
 * sign with: ECDSA on P-256 and RSA (2048 bits or more) over SHA-256 (RSA
 * PKCS#1 v1.5, ECDSA signatures ASN.1 DER), Ed25519 over the message
 * itself (pure Ed25519).
 *
 *   EVP_PKEY *k;
 *   if ((rc = vigil_pkey_load(path, false, &k)) < 0) ... message names path
 *   rc = vigil_pkey_verify(k, path, data, len, sig, siglen);  1, 0 or error
 *   EVP_PKEY_free(k); */
#ifndef VIGIL_UTIL_PKEY_H
#define VIGIL_UTIL_PKEY_H

#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>

#include "vigil/digest.h"

#define VIGIL_PKEY_MAX_SIGNATURE 1024 /* signature bytes (RSA-8192) */
#define VIGIL_PKEY_MAX_KIND      32   /* "ECDSA P-256", "RSA 4096", "Ed25519" */
#define VIGIL_PKEY_ID_MAX        VIGIL_DIGEST_STR_MAX /* "sha256:" + hex */

/* A PEM key file: private when want_private, else a public key (or a
 * private key's public half). VIGIL_ENOTFOUND, VIGIL_EFORMAT naming path. */
int vigil_pkey_load(const char *path, bool want_private, EVP_PKEY **out);
/* The digest k signs with (NULL for Ed25519), or VIGIL_EUNSUPPORTED naming
 * path for a kind of key outside the three. */
int vigil_pkey_md(EVP_PKEY *k, const char *path, const EVP_MD **md);
/* "ECDSA P-256", "RSA 3072", "Ed25519" (or "unknown") into out. */
const char *vigil_pkey_kind(EVP_PKEY *k, char out[VIGIL_PKEY_MAX_KIND]);
/* The sha256 of the public key's DER (SubjectPublicKeyInfo), as
 * `openssl pkey -pubout -outform DER | sha256sum` gives it. */
int vigil_pkey_id(EVP_PKEY *k, char out[VIGIL_PKEY_ID_MAX]);
/* Signs data with the private key k (its kind checked; path names it):
 * the signature into sig (VIGIL_PKEY_MAX_SIGNATURE bytes), its length in
 * *siglen. */
int vigil_pkey_sign(EVP_PKEY *k, const char *path, const void *data, size_t len, unsigned char *sig,
		    size_t *siglen);
/* 1 when sig is k's signature over data, 0 when it is not (a wrong key, a
 * changed message, bytes that are no signature), an error when k is of a
 * kind outside the three or OpenSSL fails. */
int vigil_pkey_verify(EVP_PKEY *k, const char *path, const void *data, size_t len, const unsigned char *sig,
		      size_t siglen);
/* OpenSSL's last reason, for a message ("unknown reason" when none). */
const char *vigil_pkey_ossl_reason(void);

#endif
