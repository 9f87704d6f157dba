/* util/html.c: the JSON data and CSP hashes of vigil's HTML pages (html.h). */
#include "util/html.h"

#include "util/base64.h"
#include "util/error.h"

#include <openssl/evp.h>
#include <stdio.h>

int vigil_html_put_json(vigil_buf *b, const char *s, size_t len)
{
	int rc = 0;
	for (size_t i = 0, start = 0; i <= len && rc == 0; i++) {
		const char *esc = i == len ? NULL : s[i] == '<' ? "\\u003c" : s[i] == '>' ? "\\u003e"
			: s[i] == '&' ? "\\u0026" : NULL;
		if (!esc && i < len)
			continue;
		rc = vigil_buf_append(b, s + start, i - start);
		if (rc == 0 && esc)
			rc = vigil_buf_puts(b, esc);
		start = i + 1;
	}
	return rc;
}

int vigil_html_csp_hash(const char *p, size_t n, char *out, size_t outn)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char b64[VIGIL_BASE64_ENCODED_LEN(EVP_MAX_MD_SIZE) + 1];
	if (!EVP_Digest(p, n, md, &mdlen, EVP_sha256(), NULL))
		return vigil_error_set(VIGIL_ERROR, "html: SHA-256 failed");
	if (vigil_base64_encode(md, mdlen, 0, b64, sizeof(b64)) < 0)
		return vigil_error_set(VIGIL_ERROR, "html: base64 failed");
	snprintf(out, outn, "'sha256-%s'", b64);
	return 0;
}
