/* fuzz/fuzz_clair_manifest.c: the Clair v4 Manifest a client POSTs to the
 * server (image/clair_manifest.c) on hostile bytes: it must fail cleanly
 * or give an image whose layers all have a checked digest. Nothing is
 * fetched (layers are only opened by the indexer). */
#include "image/image.h"
#include "util/error.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vigil_image *img = NULL;
	if (img_open_clair_manifest((const char *)data, size, &img) == 0) {
		if (!img_manifest_digest(img) || strncmp(img_manifest_digest(img), "sha", 3))
			__builtin_trap();
		for (size_t i = 0; i < img_layer_count(img); i++)
			if (strncmp(img_layer(img, i)->digest, "sha", 3))
				__builtin_trap();
		img_free(img);
	}
	vigil_error_clear();
	return 0;
}
