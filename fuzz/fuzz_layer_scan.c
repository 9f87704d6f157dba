/* fuzz/fuzz_layer_scan.c: a whole layer: bytes (gzip, zstd or a plain tar)
 * through the decompressing stream, the tar walk, the path classifier, the
 * whiteout rules and every database parser, then stacking with a second
 * copy of itself (links, whiteouts, introduced_in). */
#include "indexer/coalesce.h"
#include "layer/layer.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vigil_istream *raw = NULL, *tar = NULL;
	vigil_layer_result *r = NULL;
	vigil_coalesced c;
	if (vigil_istream_from_mem(data, size, &raw) < 0)
		return 0;
	if (layer_stream_open(raw, NULL, NULL, &tar) < 0)
		return 0; /* raw was taken over */
	if (idx_layer_result_new("sha256:fuzz", &r) == 0 && idx_layer_scan_tar(tar, r, NULL) == 0) {
		vigil_layer_result *layers[2] = { r, r };
		if (idx_coalesce(layers, 2, &c) == 0)
			idx_coalesced_free(&c);
	}
	idx_layer_result_free(r);
	vigil_istream_close(tar);
	return 0;
}
