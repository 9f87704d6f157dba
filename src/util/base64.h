/* util/base64.h: the one home of base64 (RFC 4648), on OpenSSL's
 * EVP_EncodeBlock/EVP_DecodeBlock with a strict wrapper around them:
 *
 *   - the alphabet is checked first (no whitespace, no line breaks: a caller
 *     that reads folded text strips it itself);
 *   - '=' only as the last one or two characters of a padded quartet;
 *   - padding is required unless VIGIL_BASE64_NOPAD (then optional, and
 *     rejected with VIGIL_BASE64_URL, RFC 7515 section 2);
 *   - the unused low bits of the last character must be zero (one encoding
 *     per byte string);
 *   - input at most VIGIL_BASE64_MAX_IN characters, output at most the
 *     caller's max bytes.
 *
 * base64url (VIGIL_BASE64_URL) is the same code with '-' '_' translated to
 * '+' '/' on the way in (and back on the way out). Nothing allocates.
 *
 *   unsigned char key[512]; size_t n;
 *   if (vigil_base64_decode(s, len, 0, key, sizeof(key), &n) < 0) ... message set */
#ifndef VIGIL_UTIL_BASE64_H
#define VIGIL_UTIL_BASE64_H

#include <stddef.h>

#define VIGIL_BASE64_URL 1   /* '-' and '_' for 62 and 63; written without padding */
#define VIGIL_BASE64_NOPAD 2 /* decoding: padding optional */

#define VIGIL_BASE64_MAX_IN (16u << 20) /* characters decoded or bytes encoded at once */

/* Characters (without the NUL) that encoding n bytes gives, padded. */
#define VIGIL_BASE64_ENCODED_LEN(n) (4 * (((size_t)(n) + 2) / 3))

/* n bytes as base64 (flags: VIGIL_BASE64_URL) and a NUL into out (outn
 * bytes: VIGIL_BASE64_ENCODED_LEN(n) + 1 is always enough). 0, or
 * VIGIL_ELIMIT when it does not fit. */
int vigil_base64_encode(const void *p, size_t n, int flags, char *out, size_t outn);

/* Decodes in[0..n) (flags: VIGIL_BASE64_URL, VIGIL_BASE64_NOPAD) into out,
 * at most max bytes; the length in *outlen. 0, VIGIL_EFORMAT (not base64 of
 * the kind asked for: the message says what) or VIGIL_ELIMIT (longer than
 * max or VIGIL_BASE64_MAX_IN). Nothing is promised about out on failure. */
int vigil_base64_decode(const char *in, size_t n, int flags, void *out, size_t max, size_t *outlen);

#endif
