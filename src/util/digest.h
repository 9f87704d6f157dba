/* util/digest.h: the one home of content digests ("sha256:<64 lowercase
 * hex>", "sha512:<128 lowercase hex>", the OCI image-spec form) and of hex.
 *
 *   if (!vigil_digest_ok(vigil_slice_cstr(d)))            ... not a digest
 *   rc = vigil_digest_verify(d, data, len, "manifest");    ... VIGIL_EDIGEST
 *   vigil_hash h; vigil_hash_init(&h, "sha256"); vigil_hash_update(&h, p, n);
 *   vigil_hash_final(&h, out);  vigil_hash_free(&h);        -> "sha256:..."
 *
 * Digest strings are validated strictly (lowercase hex, exact length) as
 * the image spec and the distribution spec require; hex decoding accepts
 * either case. Hashing is OpenSSL EVP. */
#ifndef VIGIL_UTIL_DIGEST_H
#define VIGIL_UTIL_DIGEST_H

#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/slice.h"
#include "vigil/digest.h"

/* "sha512:" + 128 hex + NUL fits (= VIGIL_DIGEST_MAX of image/image.h) */
#define VIGIL_SHA256_HEX 64
#define VIGIL_SHA256_STR_LEN (7 + VIGIL_SHA256_HEX) /* "sha256:<64 hex>" */

/* ---- hex ---- */

/* n bytes as 2n lowercase hex digits and a NUL into out (2n+1 bytes). */
void vigil_hex_encode(const void *p, size_t n, char *out);
/* Exactly 2n hex digits (either case) into n bytes; false otherwise. */
bool vigil_hex_decode(vigil_slice hex, void *out, size_t n);
/* Only lowercase hex digits (0-9, a-f), at least one. */
bool vigil_hex_is_lower(vigil_slice s);

/* ---- digest strings ---- */

/* The EVP digest of an algorithm name ("sha256", "sha512") and its hex
 * length; NULL for any other. */
const EVP_MD *vigil_digest_md(vigil_slice alg, size_t *hexlen);
/* "sha256:<64 lowercase hex>" or "sha512:<128 lowercase hex>". */
bool vigil_digest_ok(vigil_slice d);
/* "sha256:<64 lowercase hex>" only. */
bool vigil_digest_is_sha256(vigil_slice d);
/* As vigil_digest_ok(), with the message saying what is wrong: 0,
 * VIGIL_EFORMAT or VIGIL_EUNSUPPORTED ("<what>: ..."). */
int vigil_digest_check_slice(vigil_slice d, const char *what);
/* vigil_digest_check() (vigil/digest.h) is the same for a C string. */
/* Hashes data with d's algorithm and compares: 0, VIGIL_EDIGEST ("<what>:
 * content does not match its digest D (it hashes to ...)"), or the error of
 * vigil_digest_check(). */
int vigil_digest_verify(const char *d, const void *data, size_t len, const char *what);
/* "<alg>:<hex of md>" into out, which holds strlen(alg) + 2n + 2 bytes
 * (72 for sha256, VIGIL_DIGEST_STR_MAX for any); "" when that exceeds
 * VIGIL_DIGEST_STR_MAX. */
void vigil_digest_format(const char *alg, const void *md, size_t n, char *out);
/* vigil_digest_sha256() (vigil/digest.h): "sha256:<hex of data>" into out. */

/* ---- streaming ---- */

typedef struct vigil_hash {
	EVP_MD_CTX *ctx; /* NULL before init and after free */
	const char *alg; /* "sha256", "sha512" */
} vigil_hash;

/* alg "sha256" or "sha512"; VIGIL_EUNSUPPORTED for others. */
int vigil_hash_init(vigil_hash *h, const char *alg);
void vigil_hash_update(vigil_hash *h, const void *p, size_t n);
/* "<alg>:<hex>" into out; the context can be freed or initialised again. */
int vigil_hash_final(vigil_hash *h, char out[VIGIL_DIGEST_STR_MAX]);
void vigil_hash_free(vigil_hash *h); /* NULL and a never-initialised (zeroed) one are fine */

#endif
