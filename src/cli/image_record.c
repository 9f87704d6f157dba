/* cli/image_record.c: what `vigil index` and `vigil scan` leave in the
 * store about the image they read: one record (reference, repository, tag,
 * manifest digest, layer digests, date, findings count) that vigil
 * inspect --family-tree and --tag-history read (docs/audit.md (vigil inspect)). */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>

void cli_record_image(vigil_store *store, const char *ref, const vigil_index_report *ir, long long findings)
{
	if (!store || !ir || !ir->manifest_hash)
		return;
	const char **layers = calloc(ir->layer_count + 1, sizeof(*layers));
	if (!layers) {
		fprintf(stderr, "vigil: warning: the image record: out of memory\n");
		return;
	}
	for (size_t i = 0; i < ir->layer_count; i++)
		layers[i] = ir->layers[i].digest;
	vigil_store_image rec = { .reference = ref, .manifest_digest = ir->manifest_hash, .layers = layers,
				  .layer_count = ir->layer_count, .findings = findings };
	if (vigil_store_image_record(store, &rec) < 0)
		fprintf(stderr, "vigil: warning: the image record (vigil inspect --family-tree): %s\n",
			vigil_error_message());
	free(layers);
}
