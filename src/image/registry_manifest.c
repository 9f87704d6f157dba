/* image/registry_manifest.c: vigil_registry_manifest_json(): the Clair v4
 * Manifest of a registry image, what `clairctl manifest` prints and what
 * POST /indexer/api/v1/index_report takes: the manifest digest and, per
 * layer, its digest, the blob URL on the registry and the headers a
 * fetcher needs (the Authorization the registry asked for: a bearer token,
 * valid for its expires_in, or the Basic credentials; none when anonymous
 * access works). Unlike clairctl, the URI is the registry's blob URL, not
 * where it redirects to: presigned storage URLs expire, and a fetcher that
 * follows the redirect gets there anyway. */
#include "image/image_priv.h"
#include "registry/registry.h"
#include "util/error.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

void vigil_registry_options_init(vigil_registry_options *o)
{
	memset(o, 0, sizeof(*o));
}

static int set_new(json_t *o, const char *key, json_t *v)
{
	if (!v || json_object_set_new(o, key, v) < 0)
		return vigil_error_oom();
	return 0;
}

int vigil_registry_manifest_json(const char *ref, const char *platform,
				 const vigil_registry_options *opt, int pretty, char **json,
				 size_t *len)
{
	vigil_image *img = NULL;
	json_t *root = NULL, *layers = NULL;
	char *authz = NULL, url[VIGIL_REG_MAX_URL];
	int rc;
	*json = NULL;
	*len = 0;
	if ((rc = img_open_opts(ref, platform, opt, &img)) < 0)
		goto out;
	vigil_reg_client *c = img_registry_client(img);
	if (!c) {
		rc = vigil_error_set(VIGIL_EINVAL, "%s: not a registry image (a Clair manifest names layer URLs)", ref);
		goto out;
	}
	if ((rc = reg_client_auth(c, &authz)) < 0)
		goto out;
	if (!(root = json_object())) {
		rc = vigil_error_oom();
		goto out;
	}
	if ((rc = set_new(root, "hash", json_string(img_manifest_digest(img)))) < 0 ||
	    (rc = set_new(root, "layers", json_array())) < 0)
		goto out;
	layers = json_object_get(root, "layers"); /* borrowed */
	for (size_t i = 0; i < img_layer_count(img); i++) {
		const vigil_layer_desc *l = img_layer(img, i);
		json_t *layer = json_object();
		if (!layer || json_array_append_new(layers, layer) < 0) {
			rc = vigil_error_oom();
			goto out;
		}
		if ((rc = set_new(layer, "hash", json_string(l->digest))) < 0 ||
		    (rc = reg_blob_url(c, l->digest, url, sizeof(url))) < 0 ||
		    (rc = set_new(layer, "uri", json_string(url))) < 0 ||
		    (rc = set_new(layer, "headers", json_object())) < 0)
			goto out;
		if (authz && (rc = set_new(json_object_get(layer, "headers"), "Authorization",
					   json_pack("[s]", authz))) < 0)
			goto out;
	}
	*json = json_dumps(root, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
	if (!*json) {
		rc = vigil_error_oom();
		goto out;
	}
	*len = strlen(*json);
out:
	if (authz)
		memset(authz, 0, strlen(authz));
	free(authz);
	json_decref(root);
	img_free(img);
	return rc;
}
