/* vigil/digest.h: content digests as the OCI and Clair APIs write them,
 * "sha256:<64 lowercase hex>" (or "sha512:<128 lowercase hex>"): checking
 * one a client sent, and making one. The library's own implementation
 * (util/digest.c), published for its clients (the server checks every
 * digest of a request with it).
 *
 *   char d[VIGIL_DIGEST_STR_MAX];
 *   if (vigil_digest_check(hash, "hash") < 0) ... 400 with vigil_error_message()
 *   vigil_digest_sha256(body, len, d);
 */
#ifndef VIGIL_DIGEST_H
#define VIGIL_DIGEST_H

#include <stddef.h>

#include "vigil/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VIGIL_DIGEST_STR_MAX 136 /* "sha512:" + 128 hex + NUL */

/* 0 when digest is "sha256:" or "sha512:" and lowercase hex of the exact
 * length; else VIGIL_EFORMAT or VIGIL_EUNSUPPORTED (another algorithm)
 * with "<what>: ..." set. NULL is VIGIL_EFORMAT. */
VIGIL_EXTERN(int) vigil_digest_check(const char *digest, const char *what);
/* "sha256:<hex of data>" into out. */
VIGIL_EXTERN(int) vigil_digest_sha256(const void *data, size_t len, char out[VIGIL_DIGEST_STR_MAX]);

#ifdef __cplusplus
}
#endif
#endif
