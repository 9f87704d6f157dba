/* vigil/verify.h: cosign signatures of registry images, checked with a
 * public key (vigil verify, vigil scan --require-signature).
 *
 * The image reference (as vigil/registry.h takes it) is resolved to the
 * digest of the document it names: the manifest, or the index of a
 * multi-platform image (what `cosign sign` signs by default). The
 * signatures are the manifest under cosign's tag convention in the same
 * repository, "sha256-<hex>.sig": each layer of media type
 * application/vnd.dev.cosign.simplesigning.v1+json is a payload (Red Hat's
 * simple signing JSON) and its annotation dev.cosignproject.cosign/signature
 * the base64 signature over the payload's bytes. A signature verifies when
 * (1) the payload blob matches its digest, (2) it is JSON of the simple
 * signing form with critical.type "cosign container image signature", (3)
 * the signature verifies with the key (ECDSA P-256 or RSA >= 2048 over
 * SHA-256, Ed25519), (4) critical.image.docker-manifest-digest is the
 * image's digest, and (5) the annotations asked for are in optional (and
 * critical.identity.docker-reference is the image's repository, when
 * asked). The image is verified when at least one signature is. See
 * docs/audit.md (vigil verify).
 *
 *   vigil_verify_options vo;
 *   vigil_verify_options_init(&vo);
 *   vo.key_path = "cosign.pub";
 *   vo.registry = &ro;
 *   vigil_verify_result *res;
 *   int rc = vigil_verify_image("127.0.0.1:5000/app:1", &vo, &res);
 *   rc 0: verified (res->pinned is "127.0.0.1:5000/app@sha256:..."); rc < 0:
 *   not (message set; res, when not NULL, tells each signature's fate)
 *   vigil_verify_result_free(res);
 */
#ifndef VIGIL_VERIFY_H
#define VIGIL_VERIFY_H

#include <stddef.h>

#include "vigil/common.h"
#include "vigil/registry.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VIGIL_VERIFY_MAX_ANNOTATIONS 32 /* annotations a caller may require */

typedef struct vigil_verify_options {
	const char *key_path;    /* PEM public key (cosign.pub, or an RSA/Ed25519 SubjectPublicKeyInfo) */
	const vigil_registry_options *registry; /* NULL: defaults */
	const char *const *annotations; /* "KEY=VALUE": each must be in the payload's optional
	                                   (as a string), as cosign verify -a checks */
	size_t annotation_count;
	int match_reference;     /* 1: critical.identity.docker-reference must be the image's
	                            repository (cosign does not check it; a copied image fails) */
} vigil_verify_options;

VIGIL_EXTERN(void) vigil_verify_options_init(vigil_verify_options *o);

/* One signature (a layer of the .sig manifest) and what became of it. */
typedef struct vigil_verify_signature {
	char *layer_digest;      /* the payload blob's digest */
	char *payload;           /* the payload's bytes (NUL-terminated), NULL when not fetched */
	size_t payload_len;
	char *docker_reference;  /* critical.identity.docker-reference, "" when absent */
	char *manifest_digest;   /* critical.image.docker-manifest-digest, "" when absent */
	int verified;            /* 1: every check passed */
	char *error;             /* why not verified, NULL when verified */
} vigil_verify_signature;

typedef struct vigil_verify_result {
	char *repository;        /* "127.0.0.1:5000/app" */
	char *digest;            /* the image's digest (of its manifest or index) */
	char *media_type;        /* that document's media type */
	char *pinned;            /* "REPOSITORY@DIGEST": scan this to read what was verified */
	char *signature_ref;     /* "REPOSITORY:sha256-HEX.sig" */
	char *signature_digest;  /* the .sig manifest's digest, NULL when there is none */
	char *key_path;
	char key_kind[32];       /* "ECDSA P-256", "RSA 3072", "Ed25519" */
	char key_id[136];        /* sha256 of the key's DER SubjectPublicKeyInfo */
	vigil_verify_signature *signatures;
	size_t signature_count;
	size_t verified_count;
} vigil_verify_result;

/* Verifies ref's cosign signatures with the key. 0 when at least one
 * verifies. Otherwise an error with a message naming what failed:
 * VIGIL_ENOTFOUND "no signature: REPO:sha256-HEX.sig not found",
 * VIGIL_EDIGEST a bad signature or a payload for another digest,
 * VIGIL_EFORMAT a payload that is not simple signing JSON (naming its
 * layer), VIGIL_EUNSUPPORTED a kind of key vigil does not handle; and the
 * registry's errors. *out is set (also on those failures, once the image
 * was resolved: NULL before) and freed by the caller. */
VIGIL_EXTERN(int) vigil_verify_image(const char *ref, const vigil_verify_options *opt,
				     vigil_verify_result **out);
VIGIL_EXTERN(void) vigil_verify_result_free(vigil_verify_result *r);

/* The result as JSON (malloc'd, NUL-terminated): {"image", "digest",
 * "media_type", "pinned", "signature_ref", "signature_digest", "verified",
 * "key": {"path", "kind", "id"}, "signatures": [{"layer", "verified",
 * "error", "docker_reference", "docker_manifest_digest", "payload" (the
 * payload JSON itself when it parses)}]}. */
VIGIL_EXTERN(int) vigil_verify_result_json(const vigil_verify_result *r, int pretty, char **json, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
