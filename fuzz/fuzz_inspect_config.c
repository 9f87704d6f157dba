/* fuzz/fuzz_inspect_config.c: an image config as vigil inspect reads it
 * (audit/inspect_config.c): arbitrary bytes parsed as JSON (the image
 * module's size cap) into a report with two layers, every history
 * created_by turned into a Dockerfile line, the env tested for secrets,
 * then the report rendered as table and JSON. The first byte, when the
 * rest is not JSON, is the whole input to vigil_inspect_instruction. */
#include "audit/inspect_priv.h"
#include "image/image.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void render(const vigil_inspect_report *r)
{
	char *out = NULL;
	size_t len = 0;
	if (vigil_inspect_render(r, VIGIL_FMT_TABLE, &out, &len) == 0)
		free(out);
	if (vigil_inspect_render(r, VIGIL_FMT_CLAIR, &out, &len) == 0)
		free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static vigil_audit_layer layers[2] = { { .digest = "sha256:0" }, { .digest = "sha256:1" } };
	vigil_inspect_report *r = NULL;
	json_error_t je;
	if (size > VIGIL_IMAGE_MAX_JSON_SIZE)
		return 0;
	char *line = vigil_inspect_instruction((const char *)data, size);
	free(line);
	json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
	if (!j)
		return 0;
	if (inspect_report_new(&r) == 0) {
		r->image = "fuzz";
		r->layers = layers;
		r->layer_count = 2;
		if (inspect_config_parse(r, j) == 0)
			render(r);
	}
	vigil_inspect_report_free(r);
	json_decref(j);
	return 0;
}
