/* fuzz/fuzz_srv_manifest.c: the body of POST /indexer/api/v1/index_report
 * as the server parses it (vigil_manifest_parse: validated and hashed in
 * one parse) on hostile bytes: it fails cleanly with a message that never
 * holds a URI's userinfo password ("S3CRET" in the seeds), or gives a
 * Manifest whose hash and layers are checked digests and whose layers id
 * is a sha256 digest that does not depend on the URIs. */
#include "util/error.h"
#include "vigil/manifest.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vigil_manifest *m = NULL;
	if (vigil_manifest_parse((const char *)data, size, &m) == 0) {
		if (vigil_digest_check(vigil_manifest_hash(m), "hash") < 0 ||
		    strlen(vigil_manifest_layers_id(m)) != 71 || strncmp(vigil_manifest_layers_id(m), "sha256:", 7))
			__builtin_trap();
		for (size_t i = 0; i < vigil_manifest_layer_count(m); i++)
			if (vigil_digest_check(vigil_manifest_layer_digest(m, i), "layer") < 0)
				__builtin_trap();
		if (vigil_manifest_layer_digest(m, vigil_manifest_layer_count(m)))
			__builtin_trap();
		vigil_manifest_free(m);
	} else if (m || strstr(vigil_error_message(), ":S3CRET@")) {
		__builtin_trap();
	}
	vigil_error_clear();
	return 0;
}
