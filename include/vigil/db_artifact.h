/* vigil/db_artifact.h: the vulnerability database as an OCI artifact, so
 * that a fresh machine has current data in seconds: `vigil db push REF`
 * publishes the store's data to any OCI registry, `vigil db pull REF` (and
 * `vigil db update --from REF`) fetches it, verifies it and imports it.
 *
 * The artifact (an OCI image manifest, v1.1 style, see docs/db-update.md):
 *   artifactType  application/vnd.vigil.db.v1
 *   config        application/vnd.vigil.db.config.v1+json: the schema (bundle
 *                 format) version and each feed's timestamp, record count and
 *                 fingerprint
 *   layers[0]     application/vnd.vigil.db.bundle.v1.tar+zstd: the verified
 *                 bundle of vigil_db_export() (vigil/db.h)
 *   annotations   org.opencontainers.image.created, dev.vigil.db.schema-version,
 *                 dev.vigil.db.updated (the newest feed's time), and when
 *                 signed dev.vigil.db.signature (base64) and
 *                 dev.vigil.db.signature.key (sha256 of the public key's DER)
 * The signature (ECDSA P-256 or RSA with SHA-256, or Ed25519) is over the
 * text "vigil-db-signature-v1 BUNDLE_DIGEST CONFIG_DIGEST".
 *
 * A pull writes nothing until everything is verified: the manifest (its
 * artifactType and media types), the config's schema version, the
 * signature when a key is given, the bundle's digest and size as it
 * streams to a temp file, then the bundle itself (vigil_db_import_bundle
 * verifies every member and record before its first write).
 *
 *   vigil_db_artifact_options o;
 *   vigil_db_artifact_options_init(&o);
 *   o.registry = &ro;                       vigil/registry.h
 *   o.verify_key = "db-pub.pem";            optional
 *   rc = vigil_db_pull(store, "registry.example/vigil/db:1", &o, &info, &res, &nres);
 */
#ifndef VIGIL_DB_ARTIFACT_H
#define VIGIL_DB_ARTIFACT_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/common.h"
#include "vigil/db.h"
#include "vigil/registry.h"
#include "vigil/store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VIGIL_DB_ARTIFACT_TYPE        "application/vnd.vigil.db.v1"
#define VIGIL_DB_ARTIFACT_CONFIG_TYPE "application/vnd.vigil.db.config.v1+json"
#define VIGIL_DB_ARTIFACT_BUNDLE_TYPE "application/vnd.vigil.db.bundle.v1.tar+zstd"
/* The schema version of the config and the bundle inside (VIGIL_DB_BUNDLE_VERSION). */
#define VIGIL_DB_ARTIFACT_SCHEMA      1
/* The largest bundle a pull accepts (4 GiB). */
#define VIGIL_DB_ARTIFACT_MAX_BUNDLE  ((uint64_t)4 << 30)

typedef struct vigil_db_artifact_progress {
	const char *phase;      /* "exporting", "uploading", "downloading", "verifying", "importing" */
	uint64_t done, total;   /* bytes of the bundle (total 0: unknown) */
} vigil_db_artifact_progress;

typedef struct vigil_db_artifact_options {
	const vigil_registry_options *registry; /* NULL: defaults (Docker config credentials, HTTPS) */
	const char *bundle;       /* push: publish this bundle file instead of exporting the store */
	const char *sign_key;     /* push: a PEM private key (EC P-256, Ed25519, RSA): sign */
	const char *verify_key;   /* pull: a PEM public key: the artifact must carry a good signature */
	const char *tmpdir;       /* pull and push: where the bundle is staged (NULL: $TMPDIR, else /tmp) */
	uint64_t max_bundle;      /* pull: 0: VIGIL_DB_ARTIFACT_MAX_BUNDLE */
	const vigil_db_import_options *import; /* pull: warnings, force (may be NULL) */
	void (*progress)(void *ud, const vigil_db_artifact_progress *p); /* may be NULL */
	void *ud;
} vigil_db_artifact_options;

typedef struct vigil_db_artifact_info {
	char manifest_digest[136]; /* "sha256:..." of the manifest pushed or pulled */
	char bundle_digest[136];
	uint64_t bundle_size;
	int schema_version;
	size_t nfeeds;
	int64_t updated;          /* the newest feed's time (unix) */
	int bundle_skipped;       /* push: the registry had the bundle's blob already */
	int signed_;              /* pushed with a signature / pulled with one verified */
} vigil_db_artifact_info;

VIGIL_EXTERN(void) vigil_db_artifact_options_init(vigil_db_artifact_options *o);

/* Publishes the store's data (or opt->bundle) to ref ("HOST/REPO:TAG").
 * info may be NULL. */
VIGIL_EXTERN(int) vigil_db_push(vigil_store *s, const char *ref, const vigil_db_artifact_options *opt,
				vigil_db_artifact_info *info);

/* Fetches ref ("HOST/REPO:TAG" or "@sha256:..."), verifies it and imports
 * its bundle; the store is untouched when anything fails before the
 * import, and the import itself verifies before it writes. *results as
 * vigil_db_import_bundle()'s (malloc'd). info may be NULL. */
VIGIL_EXTERN(int) vigil_db_pull(vigil_store *s, const char *ref, const vigil_db_artifact_options *opt,
				vigil_db_artifact_info *info, vigil_db_import_result **results, size_t *nresults);

#ifdef __cplusplus
}
#endif
#endif
