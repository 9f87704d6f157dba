/* audit/verify_priv.h: the parts of vigil verify (vigil/verify.h) that the
 * unit tests and the fuzz target reach: cosign's signature manifest (the
 * "sha256-<hex>.sig" tag) and its simple signing payloads
 * (verify_payload.c), and one signature checked against a key and an
 * image digest (verify_check.c). The registry flow is verify.c. */
#ifndef VIGIL_AUDIT_VERIFY_PRIV_H
#define VIGIL_AUDIT_VERIFY_PRIV_H

#include <jansson.h>
#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>

#include "util/pkey.h"
#include "vigil/verify.h"

/* ---- named limits ---- */
#define VERIFY_MAX_SIGNATURES   64                     /* layers of one .sig manifest */
#define VERIFY_MAX_PAYLOAD      ((size_t)1 << 20)      /* one payload blob (cosign's are ~250 bytes) */
#define VERIFY_MAX_SIG_B64      (4 * ((VIGIL_PKEY_MAX_SIGNATURE + 2) / 3)) /* the signature annotation */
#define VERIFY_MAX_REFERENCE    4096                   /* critical.identity.docker-reference */
#define VERIFY_MAX_DIGEST       135                    /* "sha512:" + 128 hex */
#define VERIFY_MAX_TYPE         256                    /* critical.type */
#define VERIFY_MAX_MEDIA_TYPE   255                    /* a layer's mediaType */
#define VERIFY_MAX_ANNOTATION   4096                   /* KEY=VALUE asked for, and the value found */
#define VERIFY_MAX_ERROR        1024                   /* one signature's error message */

#define VERIFY_MEDIA_SIMPLESIGNING "application/vnd.dev.cosign.simplesigning.v1+json"
#define VERIFY_ANN_SIGNATURE       "dev.cosignproject.cosign/signature"
#define VERIFY_PAYLOAD_TYPE        "cosign container image signature"

/* One layer of the .sig manifest. err is set (and the rest may be
 * partial) when the layer cannot be a signature: another media type, no
 * or a bad signature annotation. */
typedef struct verify_layer {
	char digest[VERIFY_MAX_DIGEST + 1];
	uint64_t size;
	char media_type[VERIFY_MAX_MEDIA_TYPE + 1];
	unsigned char sig[VIGIL_PKEY_MAX_SIGNATURE];
	size_t siglen;
	int err_code;
	char err[VERIFY_MAX_ERROR];
} verify_layer;

/* Parses the .sig manifest (what names it in messages): an object with a
 * "layers" array (at most VERIFY_MAX_SIGNATURES, at least one), each with
 * a valid digest and a size. *layers is malloc'd, *n its count. */
int verify_sig_manifest_parse(const char *what, const char *data, size_t len, verify_layer **layers, size_t *n);

/* A simple signing payload, parsed. */
typedef struct verify_payload {
	json_t *root;            /* the whole document (owned) */
	char docker_reference[VERIFY_MAX_REFERENCE + 1];
	char manifest_digest[VERIFY_MAX_DIGEST + 1];
	json_t *optional;        /* borrowed from root; NULL when absent or null */
} verify_payload;

/* Parses a payload (what names it: "layer sha256:..."): JSON (duplicate
 * keys refused), an object whose critical.type is VERIFY_PAYLOAD_TYPE,
 * critical.image.docker-manifest-digest a digest, critical.identity
 * .docker-reference a string (may be absent), optional an object or null.
 * VIGIL_EFORMAT / VIGIL_ELIMIT naming what and the field. */
int verify_payload_parse(const char *what, const char *data, size_t len, verify_payload *out);
void verify_payload_free(verify_payload *p);
/* Each "KEY=VALUE" of ann must be a string member of p->optional equal to
 * VALUE: 0, else VIGIL_EDIGEST naming the first one that is not. */
int verify_payload_annotations(const char *what, const verify_payload *p, const char *const *ann, size_t n);

/* What one signature is checked against. */
typedef struct verify_want {
	EVP_PKEY *key;
	const char *key_path;
	const char *digest;      /* the image's digest */
	const char *repository;  /* "domain/repo" */
	int match_reference;
	const char *const *annotations;
	size_t annotation_count;
} verify_want;

/* Checks a payload's bytes and its signature (what: "layer sha256:..."):
 * the payload parses (verify_payload_parse), the signature verifies with
 * the key, the digest and (when asked) the reference and annotations
 * match. 0, or the error naming what; *p is filled when it parsed (free
 * it either way). */
int verify_check(const verify_want *w, const char *what, const char *payload, size_t len,
		 const unsigned char *sig, size_t siglen, verify_payload *p);

#endif
