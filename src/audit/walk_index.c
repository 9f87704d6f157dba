/* audit/walk_index.c: the indexer riding on the audit pass. For each
 * layer the layer cache does not hold yet, the indexer's scan
 * (indexer/layer_scan.c) sees every entry of the same walk and takes the
 * data it wants through the walk's pipe (walk.c), so the layer is read
 * once for both; its result is cached under the layer's digest as
 * vigil_index_image() caches it, and the index that follows (vigil scan
 * --scanners vuln,...) reads no layer again. A layer already cached is
 * not indexed twice. A result that cannot be cached is a warning. */
#include "audit/walk_priv.h"

#include "image/image.h"
#include "indexer/paths.h"
#include "store/store_layers.h"
#include "util/error.h"

#include <stdlib.h>

int walk_index_layer_begin(audit_walk *w, size_t i)
{
	char *blob = NULL;
	size_t len = 0;
	const char *digest = w->layers[i].digest;
	int rc;
	w->iscan = NULL;
	w->iresult = NULL;
	if (!w->index_store || img_get_kind(w->img) == VIGIL_IMAGE_ROOTFS)
		return 0;
	if (store_layer_get(w->index_store, digest, VIGIL_SCANNERS_VERSION, &blob, &len) == 0) {
		free(blob); /* cached already */
		return 0;
	}
	if ((rc = idx_layer_result_new(digest, &w->iresult)) < 0)
		return rc;
	if ((rc = idx_layer_scan_begin(w->iresult, NULL, &w->iscan)) < 0) {
		idx_layer_result_free(w->iresult);
		w->iresult = NULL;
	}
	return rc;
}

int walk_index_layer_end(audit_walk *w, size_t i, vigil_istream *dec, int rc)
{
	char *blob = NULL;
	size_t len = 0;
	if (!w->iscan)
		return rc;
	rc = idx_layer_scan_end(w->iscan, dec, rc);
	w->iscan = NULL;
	if (rc == 0) {
		w->iresult->compression = dec ? layer_stream_compression(dec) : NULL;
		w->iresult->bytes = w->layers[i].size;
		if (idx_layer_result_encode(w->iresult, &blob, &len) < 0 ||
		    store_layer_put(w->index_store, w->layers[i].digest, VIGIL_SCANNERS_VERSION, blob, len) < 0)
			audit_warn(w, "could not cache layer %s: %s", w->layers[i].digest, vigil_error_message());
		else
			w->layers_indexed++;
	}
	free(blob);
	idx_layer_result_free(w->iresult);
	w->iresult = NULL;
	return rc;
}
