/* db/artifact.h: the documents of the database artifact (artifact_doc.c:
 * the OCI manifest and the config blob, written and read), its signature
 * (artifact_sign.c) and the push and pull (artifact.c); the public API is
 * vigil/db_artifact.h. */
#ifndef VIGIL_DB_ARTIFACT_PRIV_H
#define VIGIL_DB_ARTIFACT_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/db.h"
#include "vigil/db_artifact.h"

/* ---- named limits ---- */
#define DB_ART_MAX_MANIFEST   ((size_t)4 * 1024 * 1024) /* the registry's cap too */
#define DB_ART_MAX_CONFIG     ((size_t)1024 * 1024)     /* the config blob */
#define DB_ART_MAX_LAYERS     16                        /* layers of the manifest */
#define DB_ART_MAX_MEDIA_TYPE 255
#define DB_ART_MAX_SIGNATURE  1024                      /* signature bytes (RSA-8192) */
#define DB_ART_MAX_SIG_B64    (4 * ((DB_ART_MAX_SIGNATURE + 2) / 3))
#define DB_ART_MAX_FEEDS      256                       /* feeds in the config */
#define DB_ART_DIGEST_MAX     136
#define DB_ART_CHUNK          ((size_t)256 * 1024)      /* bytes read or hashed at once */

#define DB_ART_MANIFEST_TYPE "application/vnd.oci.image.manifest.v1+json"
#define DB_ART_ANN_SIGNATURE "dev.vigil.db.signature"
#define DB_ART_ANN_KEY       "dev.vigil.db.signature.key"
#define DB_ART_FORMAT        "vigil-db-artifact"

typedef struct db_art_desc {
	char media_type[DB_ART_MAX_MEDIA_TYPE + 1];
	char digest[DB_ART_DIGEST_MAX];
	uint64_t size;
} db_art_desc;

/* What a pull needs of the manifest. */
typedef struct db_art_manifest {
	char artifact_type[DB_ART_MAX_MEDIA_TYPE + 1]; /* "" when absent */
	db_art_desc config, bundle;
	char signature[DB_ART_MAX_SIG_B64 + 1];        /* base64, "" when unsigned */
	char key_id[DB_ART_DIGEST_MAX];                /* "" when not said */
} db_art_manifest;

typedef struct db_art_config {
	int schema;          /* the schema (bundle format) version */
	int64_t created;     /* when it was pushed (unix) */
	int64_t updated;     /* the newest feed's time (unix) */
	size_t nfeeds;
} db_art_config;

/* A vigil database artifact's manifest (what names it in messages): the
 * artifactType (or, absent, the config's media type) must be vigil's, and
 * exactly one layer the bundle. VIGIL_EUNSUPPORTED for another kind of
 * artifact or image, VIGIL_EFORMAT for a broken one, VIGIL_ELIMIT past a
 * limit. */
int db_art_manifest_parse(const char *what, const char *data, size_t len, db_art_manifest *out);
/* The config blob: its format and schema version (newer than
 * VIGIL_DB_ARTIFACT_SCHEMA: VIGIL_EUNSUPPORTED) and times. */
int db_art_config_parse(const char *what, const char *data, size_t len, db_art_config *out);

/* The config of a bundle's feeds (*json malloc'd); *updated the newest
 * feed's time. */
int db_art_config_build(const vigil_db_bundle_feed *f, size_t n, int64_t now, char **json, size_t *len,
			int64_t *updated);
/* The manifest (*json malloc'd); sig_b64 and key_id NULL when unsigned. */
int db_art_manifest_build(const db_art_desc *config, const db_art_desc *bundle, int64_t now, int64_t updated,
			  const char *sig_b64, const char *key_id, char **json, size_t *len);

/* "2026-12-05T19:00:00Z" into out (21 bytes at least). */
void db_art_time(int64_t t, char *out, size_t n);

/* ---- what push (artifact.c) and pull (artifact_pull.c) share ---- */
struct vigil_reg_ref;
struct vigil_reg_client;
void db_art_say(const vigil_db_artifact_options *o, const char *phase, uint64_t done, uint64_t total);
/* A new empty file in the temp folder (o->tmpdir, $TMPDIR, /tmp) named
 * vigil-db-WHAT-XXXXXX; its path in out. */
int db_art_stage_file(const vigil_db_artifact_options *o, const char *what, char *out, size_t n);
/* The reference parsed and a registry client for it; what gets the
 * reference as messages name it ("domain/repo:tag", or refstr when it
 * does not parse). */
int db_art_client(const char *refstr, const vigil_db_artifact_options *o, struct vigil_reg_ref *ref,
		  struct vigil_reg_client **c, char *what, size_t n);
/* The current error's message starts with what (prefixed when not yet). */
void db_art_name_error(const char *what);

/* ---- signatures (artifact_sign.c) ---- */
/* The text signed: "vigil-db-signature-v1 BUNDLE_DIGEST CONFIG_DIGEST". */
int db_art_sign_text(const char *bundle_digest, const char *config_digest, char *out, size_t n);
/* Signs text with the PEM private key at path: the signature in base64
 * into sig_b64 and the sha256 of the public key's DER into key_id. */
int db_art_sign(const char *path, const char *text, char sig_b64[DB_ART_MAX_SIG_B64 + 1],
		char key_id[DB_ART_DIGEST_MAX]);
/* Verifies sig_b64 over text with the PEM public key at path (a private
 * key's public half is accepted too); what names the artifact. */
int db_art_verify(const char *path, const char *what, const char *text, const char *sig_b64);

#endif
