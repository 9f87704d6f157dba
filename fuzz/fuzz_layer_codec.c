/* fuzz/fuzz_layer_codec.c: decoding a cached layer result (the cache is
 * input too: a damaged or hostile store must not crash a scan). */
#include "indexer/layer_result.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vigil_layer_result *r = NULL;
	if (idx_layer_result_decode("sha256:fuzz", (const char *)data, size, &r) == 0) {
		char *blob = NULL;
		size_t len = 0;
		if (idx_layer_result_encode(r, &blob, &len) == 0)
			free(blob);
	}
	idx_layer_result_free(r);
	return 0;
}
