/* fuzz/fuzz_base64.c: util/base64.c and util/digest.c's hex on any bytes.
 * Properties: whatever decodes re-encodes to the same text (one encoding
 * per byte string: the strict wrapper refuses the others), in both
 * alphabets, padded or not; hex decodes what it encodes. */
#include "util/base64.h"
#include "util/digest.h"
#include "util/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void round_trip(const char *in, size_t n, int flags)
{
	unsigned char *dec = malloc(n + 1);
	char *enc = malloc(n + 8);
	size_t len = 0;
	if (!dec || !enc)
		abort();
	if (vigil_base64_decode(in, n, flags, dec, n, &len) == 0) {
		if (vigil_base64_encode(dec, len, flags & VIGIL_BASE64_URL, enc, n + 8) != 0)
			abort();
		size_t k = strlen(enc);
		/* the input may lack the padding the encoder writes (NOPAD) */
		if (k < n || memcmp(enc, in, n) != 0)
			abort();
		for (size_t i = n; i < k; i++)
			if (enc[i] != '=')
				abort();
	}
	free(dec);
	free(enc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	if (size > 4096)
		return 0;
	for (int flags = 0; flags < 4; flags++)
		round_trip(in, size, flags);
	/* hex both ways */
	char *hex = malloc(2 * size + 1);
	unsigned char *back = malloc(size + 1);
	if (!hex || !back)
		abort();
	vigil_hex_encode(data, size, hex);
	if (!vigil_hex_decode(vigil_slice_make(hex, 2 * size), back, size) || memcmp(back, data, size) != 0)
		abort();
	if (size && !vigil_hex_is_lower(vigil_slice_make(hex, 2 * size)))
		abort();
	vigil_digest_ok(vigil_slice_make(in, size));
	vigil_digest_check_slice(vigil_slice_make(in, size), "fuzz");
	free(hex);
	free(back);
	vigil_error_clear();
	return 0;
}
