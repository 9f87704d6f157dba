/* util/digest.c: digest strings, hex and EVP hashing (see digest.h). */
#include "util/digest.h"
#include "util/error.h"

#include <string.h>

/* ---- hex ---- */

void vigil_hex_encode(const void *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

bool vigil_hex_decode(vigil_slice hex, void *out, size_t n)
{
	uint8_t *b = out;
	if (hex.len != 2 * n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int hi = vigil_hex_digit(hex.ptr[2 * i]), lo = vigil_hex_digit(hex.ptr[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

static bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

bool vigil_hex_is_lower(vigil_slice s)
{
	if (!s.len)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (!is_lower_hex(s.ptr[i]))
			return false;
	return true;
}

/* ---- digest strings ---- */

const EVP_MD *vigil_digest_md(vigil_slice alg, size_t *hexlen)
{
	if (vigil_slice_eq_cstr(alg, "sha256")) {
		*hexlen = 64;
		return EVP_sha256();
	}
	if (vigil_slice_eq_cstr(alg, "sha512")) {
		*hexlen = 128;
		return EVP_sha512();
	}
	return NULL;
}

bool vigil_digest_ok(vigil_slice d)
{
	vigil_slice alg, hex;
	size_t hexlen = 0;
	return vigil_slice_split(d, ':', &alg, &hex) && vigil_digest_md(alg, &hexlen) &&
	       hex.len == hexlen && vigil_hex_is_lower(hex);
}

bool vigil_digest_is_sha256(vigil_slice d)
{
	return d.len == VIGIL_SHA256_STR_LEN && vigil_slice_starts_with(d, "sha256:") &&
	       vigil_hex_is_lower(vigil_slice_sub(d, 7, VIGIL_SHA256_HEX));
}

/* The characters of an OCI digest: algorithm [a-z0-9+._-], ':', encoded
 * [a-zA-Z0-9=_-]. */
static bool digest_chars(vigil_slice d)
{
	for (size_t i = 0; i < d.len; i++) {
		char c = d.ptr[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' ||
		      c == '+' || c == '.' || c == '_' || c == '-' || c == '='))
			return false;
	}
	return true;
}

int vigil_digest_check_slice(vigil_slice d, const char *what)
{
	vigil_slice alg, hex;
	size_t hexlen = 0;
	if (!vigil_slice_split(d, ':', &alg, &hex) || alg.len == 0 || !digest_chars(d)) {
		/* quoted only when it could be one: a value with other characters
		 * ('@', '/', spaces) may be anything a client misplaced, a
		 * credential included */
		if (!digest_chars(d))
			return vigil_error_set(VIGIL_EFORMAT,
					       "%s: not a digest (algorithm:hex): %zu bytes, not all of them digest characters",
					       what, d.len);
		return vigil_error_set(VIGIL_EFORMAT, "%s: \"%.*s\" is not a digest (algorithm:hex)",
				       what, (int)(d.len > 80 ? 80 : d.len), d.ptr);
	}
	if (!vigil_digest_md(alg, &hexlen))
		return vigil_error_set(VIGIL_EUNSUPPORTED,
				       "%s: digest algorithm \"%.*s\" is not supported (sha256, sha512)",
				       what, (int)(alg.len > 32 ? 32 : alg.len), alg.ptr);
	if (hex.len != hexlen)
		return vigil_error_set(VIGIL_EFORMAT, "%s: %.*s digest has %zu hex digits, not %zu",
				       what, (int)alg.len, alg.ptr, hex.len, hexlen);
	for (size_t i = 0; i < hex.len; i++)
		if (!is_lower_hex(hex.ptr[i]))
			return vigil_error_set(VIGIL_EFORMAT,
					       "%s: digest has a character that is not lowercase hex at %zu",
					       what, alg.len + 1 + i);
	return 0;
}

void vigil_digest_format(const char *alg, const void *md, size_t n, char *out)
{
	size_t a = strlen(alg);
	if (a + 1 + 2 * n >= VIGIL_DIGEST_STR_MAX) { /* not a digest vigil makes */
		out[0] = '\0';
		return;
	}
	memcpy(out, alg, a);
	out[a] = ':';
	vigil_hex_encode(md, n, out + a + 1);
}

int vigil_digest_verify(const char *d, const void *data, size_t len, const char *what)
{
	vigil_slice alg, hex;
	size_t hexlen = 0;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char got[2 * EVP_MAX_MD_SIZE + 1];
	int rc;
	if ((rc = vigil_digest_check_slice(vigil_slice_cstr(d), what)) < 0)
		return rc;
	vigil_slice_split(vigil_slice_cstr(d), ':', &alg, &hex);
	if (!EVP_Digest(data, len, md, &mdlen, vigil_digest_md(alg, &hexlen), NULL))
		return vigil_error_set(VIGIL_ERROR, "%s: hashing failed", what);
	vigil_hex_encode(md, mdlen, got);
	if (!vigil_slice_eq_cstr(hex, got))
		return vigil_error_set(VIGIL_EDIGEST,
				       "%s: content does not match its digest %s (it hashes to %.*s:%s)",
				       what, d, (int)alg.len, alg.ptr, got);
	return 0;
}

int vigil_digest_check(const char *digest, const char *what)
{
	return vigil_digest_check_slice(vigil_slice_cstr(digest ? digest : ""), what);
}

int vigil_digest_sha256(const void *data, size_t len, char out[VIGIL_DIGEST_STR_MAX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL))
		return vigil_error_set(VIGIL_ERROR, "sha256 failed");
	vigil_digest_format("sha256", md, mdlen, out);
	return 0;
}

/* ---- streaming ---- */

int vigil_hash_init(vigil_hash *h, const char *alg)
{
	size_t hexlen = 0;
	const EVP_MD *md = vigil_digest_md(vigil_slice_cstr(alg), &hexlen);
	memset(h, 0, sizeof(*h));
	if (!md)
		return vigil_error_set(VIGIL_EUNSUPPORTED, "digest algorithm \"%.32s\" is not supported (sha256, sha512)",
				       alg ? alg : "");
	h->alg = hexlen == 64 ? "sha256" : "sha512";
	if (!(h->ctx = EVP_MD_CTX_new()))
		return vigil_error_oom();
	if (EVP_DigestInit_ex(h->ctx, md, NULL) != 1) {
		vigil_hash_free(h);
		return vigil_error_set(VIGIL_ERROR, "cannot start %s", alg);
	}
	return 0;
}

void vigil_hash_update(vigil_hash *h, const void *p, size_t n)
{
	/* EVP_DigestUpdate of a started sha256/sha512 context cannot fail */
	if (h->ctx && n)
		(void)EVP_DigestUpdate(h->ctx, p, n);
}

int vigil_hash_final(vigil_hash *h, char out[VIGIL_DIGEST_STR_MAX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	out[0] = '\0';
	if (!h->ctx || EVP_DigestFinal_ex(h->ctx, md, &n) != 1)
		return vigil_error_set(VIGIL_ERROR, "%s failed", h->alg ? h->alg : "hashing");
	vigil_digest_format(h->alg, md, n, out);
	return 0;
}

void vigil_hash_free(vigil_hash *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}
