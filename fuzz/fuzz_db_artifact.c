/* fuzz/fuzz_db_artifact.c: runs the readers of a pulled database artifact
 * (db/artifact_doc.c) on arbitrary bytes: the same bytes as a manifest and
 * as a config blob. A manifest that is accepted must name a bundle layer
 * of vigil's media type with a well-formed digest, a config of vigil's
 * type within its cap, an artifactType that is vigil's or none; written
 * back (db_art_manifest_build) and read again it must give the same
 * descriptors and signature. An accepted config has a schema version vigil
 * reads. */
#include "db/artifact.h"
#include "util/digest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_manifest(const db_art_manifest *m)
{
	db_art_manifest again;
	char *json = NULL;
	size_t len = 0;
	if (strcmp(m->bundle.media_type, VIGIL_DB_ARTIFACT_BUNDLE_TYPE) != 0 ||
	    strcmp(m->config.media_type, VIGIL_DB_ARTIFACT_CONFIG_TYPE) != 0 || m->config.size > DB_ART_MAX_CONFIG ||
	    !vigil_digest_ok(vigil_slice_cstr(m->bundle.digest)) || !vigil_digest_ok(vigil_slice_cstr(m->config.digest)) ||
	    (m->artifact_type[0] && strcmp(m->artifact_type, VIGIL_DB_ARTIFACT_TYPE) != 0))
		abort(); /* fuzz oracles, not library code */
	if (db_art_manifest_build(&m->config, &m->bundle, 0, 0, m->signature[0] ? m->signature : NULL, m->key_id,
				  &json, &len) < 0)
		return;
	if (db_art_manifest_parse("again", json, len, &again) < 0 || strcmp(again.bundle.digest, m->bundle.digest) ||
	    again.bundle.size != m->bundle.size || strcmp(again.config.digest, m->config.digest) ||
	    again.config.size != m->config.size || strcmp(again.signature, m->signature))
		abort();
	free(json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	db_art_manifest m;
	db_art_config c;
	if (db_art_manifest_parse("fuzz", (const char *)data, size, &m) == 0)
		check_manifest(&m);
	if (db_art_config_parse("fuzz", (const char *)data, size, &c) == 0 &&
	    (c.schema < 1 || c.schema > VIGIL_DB_ARTIFACT_SCHEMA))
		abort();
	return 0;
}
