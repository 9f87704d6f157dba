/* layer/digest.c: the digests of a layer (OpenSSL EVP sha256/sha512) and
 * the hasher that feeds them. Small layers are hashed inline; once
 * VIGIL_LAYER_ASYNC_HASH_AFTER bytes went through, blocks are queued to one
 * helper thread so that hashing runs beside decompression on another core
 * (see layer_priv.h). A thread that cannot be started leaves it inline. */
#include "layer/layer_priv.h"
#include "util/digest.h"
#include "util/error.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- digests ---- */

int layer_ldigest_init(vigil_ldigest *d, const char *spec, const char *what)
{
	memset(d, 0, sizeof(*d));
	if (!spec)
		return 0;
	const char *colon = strchr(spec, ':');
	size_t alen = colon ? (size_t)(colon - spec) : strlen(spec), hexlen = 0;
	const EVP_MD *md = vigil_digest_md(vigil_slice_make(spec, alen), &hexlen);
	if (!md)
		return vigil_error_set(VIGIL_EUNSUPPORTED,
				       "%s digest '%.80s': algorithm not supported (sha256, sha512)",
				       what, spec);
	d->alg = hexlen == 64 ? "sha256" : "sha512";
	d->len = hexlen / 2;
	if (colon) {
		vigil_slice hex = vigil_slice_cstr(colon + 1);
		if (hex.len != hexlen)
			return vigil_error_set(VIGIL_EFORMAT, "%s digest '%.150s': expected %zu hex digits",
					       what, spec, hexlen);
		if (!vigil_hex_decode(hex, d->want, d->len))
			return vigil_error_set(VIGIL_EFORMAT, "%s digest '%.150s': not hex", what, spec);
		d->check = 1;
	}
	d->ctx = EVP_MD_CTX_new();
	if (!d->ctx)
		return vigil_error_oom();
	if (EVP_DigestInit_ex(d->ctx, md, NULL) != 1)
		return vigil_error_set(VIGIL_ERROR, "%s digest: cannot start %s", what, d->alg);
	return 0;
}

static int compare(vigil_ldigest *d, const uint8_t *got, const char *who, const char *content)
{
	if (!d->check || memcmp(got, d->want, d->len) == 0)
		return 0;
	char want[2 * VIGIL_LDIGEST_MAX_BYTES + 1];
	vigil_hex_encode(d->want, d->len, want);
	return vigil_error_set(VIGIL_EDIGEST, "digest mismatch: %s says %s:%s, %s is %s", who,
			       d->alg, want, content, d->result);
}

int layer_ldigest_finish(vigil_ldigest *d, const char *who, const char *content)
{
	uint8_t got[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (!d->ctx)
		return 0;
	if (EVP_DigestFinal_ex(d->ctx, got, &n) != 1 || n != d->len)
		return vigil_error_set(VIGIL_ERROR, "%s: cannot finish %s", who, d->alg);
	vigil_digest_format(d->alg, got, n, d->result);
	return compare(d, got, who, content);
}

int layer_ldigest_finish_as(vigil_ldigest *d, const vigil_ldigest *same, const char *who,
			    const char *content)
{
	uint8_t got[VIGIL_LDIGEST_MAX_BYTES];
	memcpy(d->result, same->result, sizeof(d->result));
	vigil_hex_decode(vigil_slice_sub(vigil_slice_cstr(same->result), 7, 2 * d->len), got, d->len);
	return compare(d, got, who, content);
}

void layer_ldigest_free(vigil_ldigest *d)
{
	if (!d)
		return;
	EVP_MD_CTX_free(d->ctx);
	d->ctx = NULL;
}

/* ---- hasher ---- */

#define HASH_QUEUE 8

struct hash_job {
	EVP_MD_CTX *a, *b;
	const void *p;
	size_t n;
};

struct vigil_hasher {
	uint64_t inline_bytes;   /* hashed inline so far */
	int threaded;            /* the worker runs */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct hash_job q[HASH_QUEUE];
	uint64_t submitted, completed; /* tickets: job k is ticket k */
	int stop;
};

static void hash_job_run(const struct hash_job *j)
{
	/* EVP_DigestUpdate of a started sha256/sha512 context cannot fail. */
	if (j->a)
		(void)EVP_DigestUpdate(j->a, j->p, j->n);
	if (j->b)
		(void)EVP_DigestUpdate(j->b, j->p, j->n);
}

static void *hasher_main(void *arg)
{
	vigil_hasher *h = arg;
	pthread_mutex_lock(&h->mu);
	for (;;) {
		while (h->completed == h->submitted && !h->stop)
			pthread_cond_wait(&h->work, &h->mu);
		if (h->completed == h->submitted)
			break; /* stop, and nothing left */
		struct hash_job j = h->q[h->completed % HASH_QUEUE];
		pthread_mutex_unlock(&h->mu);
		hash_job_run(&j);
		pthread_mutex_lock(&h->mu);
		h->completed++;
		pthread_cond_broadcast(&h->done);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

vigil_hasher *layer_hasher_new(void)
{
	vigil_hasher *h = calloc(1, sizeof(*h));
	if (!h)
		vigil_error_oom();
	return h;
}

static void start_thread(vigil_hasher *h)
{
	if (pthread_mutex_init(&h->mu, NULL) != 0)
		return;
	if (pthread_cond_init(&h->work, NULL) != 0)
		goto no_work;
	if (pthread_cond_init(&h->done, NULL) != 0)
		goto no_done;
	if (pthread_create(&h->thread, NULL, hasher_main, h) != 0)
		goto no_thread;
	h->threaded = 1;
	return;
no_thread:
	pthread_cond_destroy(&h->done);
no_done:
	pthread_cond_destroy(&h->work);
no_work:
	pthread_mutex_destroy(&h->mu);
}

uint64_t layer_hasher_submit(vigil_hasher *h, EVP_MD_CTX *a, EVP_MD_CTX *b, const void *p,
			     size_t n)
{
	struct hash_job j = { a, b, p, n };
	if ((!a && !b) || n == 0)
		return 0;
	if (!h->threaded && h->inline_bytes >= VIGIL_LAYER_ASYNC_HASH_AFTER)
		start_thread(h);
	if (!h->threaded) {
		hash_job_run(&j);
		h->inline_bytes += n;
		return 0;
	}
	pthread_mutex_lock(&h->mu);
	while (h->submitted - h->completed >= HASH_QUEUE)
		pthread_cond_wait(&h->done, &h->mu);
	h->q[h->submitted % HASH_QUEUE] = j;
	uint64_t ticket = ++h->submitted;
	pthread_cond_signal(&h->work);
	pthread_mutex_unlock(&h->mu);
	return ticket;
}

void layer_hasher_wait(vigil_hasher *h, uint64_t ticket)
{
	if (!h || !h->threaded || ticket == 0)
		return;
	pthread_mutex_lock(&h->mu);
	while (h->completed < ticket)
		pthread_cond_wait(&h->done, &h->mu);
	pthread_mutex_unlock(&h->mu);
}

void layer_hasher_wait_all(vigil_hasher *h)
{
	if (!h || !h->threaded)
		return;
	pthread_mutex_lock(&h->mu);
	while (h->completed < h->submitted)
		pthread_cond_wait(&h->done, &h->mu);
	pthread_mutex_unlock(&h->mu);
}

void layer_hasher_free(vigil_hasher *h)
{
	if (!h)
		return;
	if (h->threaded) {
		pthread_mutex_lock(&h->mu);
		h->stop = 1;
		pthread_cond_signal(&h->work);
		pthread_mutex_unlock(&h->mu);
		pthread_join(h->thread, NULL);
		pthread_cond_destroy(&h->done);
		pthread_cond_destroy(&h->work);
		pthread_mutex_destroy(&h->mu);
	}
	free(h);
}
