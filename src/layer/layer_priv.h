/* layer/layer_priv.h: what the files of the layer module share and nobody
 * else needs: a layer digest (expected value, running hash, result) and the
 * hasher, which hashes blocks inline for small layers and on one helper
 * thread for large ones, so that hashing overlaps decompression. */
#ifndef VIGIL_LAYER_LAYER_PRIV_H
#define VIGIL_LAYER_LAYER_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "layer/layer.h"

#define VIGIL_LDIGEST_MAX_BYTES 64 /* sha512 */

typedef struct vigil_ldigest {
	EVP_MD_CTX *ctx;           /* NULL: not computed */
	const char *alg;           /* "sha256", "sha512" */
	size_t len;                /* digest bytes */
	int check;                 /* want holds an expected value */
	uint8_t want[VIGIL_LDIGEST_MAX_BYTES];
	char result[VIGIL_LAYER_DIGEST_MAX]; /* "alg:hex" once finished, else "" */
} vigil_ldigest;

/* Sets d up from spec (NULL, "alg" or "alg:hex"; see layer.h). what names
 * the digest in messages ("layer blob", "layer diff_id"). */
int layer_ldigest_init(vigil_ldigest *d, const char *spec, const char *what);
/* Finishes the hash into d->result; returns 0 or VIGIL_EDIGEST (message
 * "digest mismatch: <who> says <want>, <content> is <got>"). */
int layer_ldigest_finish(vigil_ldigest *d, const char *who, const char *content);
/* Same result without hashing again (the other digest hashed the same
 * bytes with the same algorithm). */
int layer_ldigest_finish_as(vigil_ldigest *d, const vigil_ldigest *same, const char *who,
			    const char *content);
void layer_ldigest_free(vigil_ldigest *d);

typedef struct vigil_hasher vigil_hasher;

/* NULL on OOM (error set). */
vigil_hasher *layer_hasher_new(void);
/* Hashes p[0..n) into a and b (either may be NULL). Returns a ticket for
 * layer_hasher_wait(): until it is waited for, p must stay untouched. */
uint64_t layer_hasher_submit(vigil_hasher *h, EVP_MD_CTX *a, EVP_MD_CTX *b, const void *p,
			     size_t n);
/* Waits until the job of ticket (and all before it) is done. 0 waits for nothing. */
void layer_hasher_wait(vigil_hasher *h, uint64_t ticket);
void layer_hasher_wait_all(vigil_hasher *h);
/* Waits for pending jobs and stops the thread. */
void layer_hasher_free(vigil_hasher *h);

#endif
