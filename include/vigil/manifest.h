/* vigil/manifest.h: a Clair v4 Manifest, validated and hashed in one
 * parse, as a handle the indexer takes (vigil_index_manifest_parsed in
 * vigil/index.h). What the server (and any client of the public API) needs
 * of a Manifest without seeing the image module's internals.
 *
 *   vigil_manifest *m;
 *   if (vigil_manifest_parse(body, len, &m) < 0)      // 400: the message names the field
 *       ...
 *   printf("%s %s\n", vigil_manifest_hash(m), vigil_manifest_layers_id(m));
 *   vigil_index_manifest_parsed(m, &opt, &report);    // takes m, even on failure
 *
 * The layers id is the identity of what a report is made from: the sha256
 * of the layer digests in order ("sha256:A\nsha256:B\n"), independent of
 * the URIs and headers (which carry expiring signatures and tokens). Two
 * Manifests with one hash and different layers id describe different
 * images: one of them lies about its hash. See docs/server.md. */
#ifndef VIGIL_MANIFEST_H
#define VIGIL_MANIFEST_H

#include <stddef.h>

#include "vigil/common.h"
#include "vigil/digest.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VIGIL_MANIFEST_DIGEST_MAX VIGIL_DIGEST_STR_MAX

typedef struct vigil_manifest vigil_manifest;

/* Parses and checks json ({"hash", "layers": [{"hash", "uri", "headers"}]}:
 * digests, http(s) URIs, headers without control characters, the limits of
 * image/image.h). VIGIL_EFORMAT, VIGIL_ELIMIT or VIGIL_EINVAL (a URI of
 * another scheme) with the field named; VIGIL_ENOMEM. */
VIGIL_EXTERN(int) vigil_manifest_parse(const char *json, size_t len, vigil_manifest **out);
/* The Manifest's hash ("sha256:..."), as given. */
VIGIL_EXTERN(const char *) vigil_manifest_hash(const vigil_manifest *m);
/* The layers id (above): "sha256:<64 hex>". */
VIGIL_EXTERN(const char *) vigil_manifest_layers_id(const vigil_manifest *m);
VIGIL_EXTERN(size_t) vigil_manifest_layer_count(const vigil_manifest *m);
/* Layer i's digest; NULL when out of range. */
VIGIL_EXTERN(const char *) vigil_manifest_layer_digest(const vigil_manifest *m, size_t i);
VIGIL_EXTERN(void) vigil_manifest_free(vigil_manifest *m); /* NULL is fine */


#ifdef __cplusplus
}
#endif
#endif
