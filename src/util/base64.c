/* util/base64.c: strict base64 and base64url on OpenSSL's EVP block
 * coders (see base64.h). Decoding goes through a stack buffer of
 * B64_CHUNK characters at a time: checked, translated, padded, then handed
 * to EVP_DecodeBlock, whose output counts padding as zero bytes. */
#include "util/base64.h"
#include "util/error.h"

#include <openssl/evp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define B64_CHUNK 512 /* characters per EVP_DecodeBlock call, a multiple of 4 */

static const char std_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64_value(char c, int flags)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (flags & VIGIL_BASE64_URL)
		return c == '-' ? 62 : c == '_' ? 63 : -1;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

int vigil_base64_encode(const void *p, size_t n, int flags, char *out, size_t outn)
{
	size_t len = VIGIL_BASE64_ENCODED_LEN(n);
	if (n > VIGIL_BASE64_MAX_IN || outn < len + 1)
		return vigil_error_set(VIGIL_ELIMIT, "base64: %zu bytes do not fit in %zu", n, outn);
	if (EVP_EncodeBlock((unsigned char *)out, p, (int)n) != (int)len)
		return vigil_error_set(VIGIL_ERROR, "base64: encoding failed");
	out[len] = '\0';
	if (flags & VIGIL_BASE64_URL) {
		for (size_t i = 0; i < len; i++)
			out[i] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
		while (len && out[len - 1] == '=')
			out[--len] = '\0';
	}
	return 0;
}

/* The length of in without its padding, after checking where '=' may be. */
static int b64_body(const char *in, size_t n, int flags, size_t *body)
{
	size_t k = n;
	while (k && in[k - 1] == '=' && n - k < 2)
		k--;
	size_t pad = n - k;
	if (pad && ((flags & VIGIL_BASE64_URL) || n % 4))
		return vigil_error_set(VIGIL_EFORMAT, "base64: padding where there should be none");
	if (!pad && n % 4 && !(flags & (VIGIL_BASE64_NOPAD | VIGIL_BASE64_URL)))
		return vigil_error_set(VIGIL_EFORMAT, "base64: length %zu is not a multiple of 4", n);
	if (k % 4 == 1)
		return vigil_error_set(VIGIL_EFORMAT, "base64: length %zu is not that of any encoding", n);
	*body = k;
	return 0;
}

int vigil_base64_decode(const char *in, size_t n, int flags, void *out, size_t max, size_t *outlen)
{
	unsigned char chunk[B64_CHUNK], dec[B64_CHUNK / 4 * 3];
	size_t body = 0, o = 0;
	int rc, last = 0;
	*outlen = 0;
	if (n > VIGIL_BASE64_MAX_IN)
		return vigil_error_set(VIGIL_ELIMIT, "base64: %zu characters (limit %u)", n, VIGIL_BASE64_MAX_IN);
	if ((rc = b64_body(in, n, flags, &body)) < 0)
		return rc;
	if (body / 4 * 3 + (body % 4 ? body % 4 - 1 : 0) > max)
		return vigil_error_set(VIGIL_ELIMIT, "base64: decodes to more than %zu bytes", max);
	for (size_t i = 0; i < body; i += B64_CHUNK) {
		size_t m = body - i < B64_CHUNK ? body - i : B64_CHUNK, pad = 0;
		for (size_t j = 0; j < m; j++) {
			if ((last = b64_value(in[i + j], flags)) < 0)
				return vigil_error_set(VIGIL_EFORMAT, "base64: character %zu is not of the alphabet",
						       i + j);
			chunk[j] = (unsigned char)std_alphabet[last];
		}
		while (m % 4) {
			chunk[m++] = '=';
			pad++;
		}
		int got = EVP_DecodeBlock(dec, chunk, (int)m);
		if (got < 0 || (size_t)got != m / 4 * 3)
			return vigil_error_set(VIGIL_EFORMAT, "base64: not valid");
		memcpy((unsigned char *)out + o, dec, m / 4 * 3 - pad);
		o += m / 4 * 3 - pad;
	}
	/* the bits of the last character that encode no byte must be zero */
	if ((body % 4 == 2 && (last & 15)) || (body % 4 == 3 && (last & 3)))
		return vigil_error_set(VIGIL_EFORMAT, "base64: not the canonical encoding (trailing bits)");
	*outlen = o;
	return 0;
}
