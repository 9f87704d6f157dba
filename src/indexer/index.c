/* indexer/index.c: the indexing pipeline behind vigil_index_image().
 *
 *   image ref -> layers (image/) -> cache lookups (store/)
 *             -> uncached layers read in parallel, each once, as a stream:
 *                stored bytes -> decompress + verify (layer/) -> tar walk ->
 *                layer result (layer_scan.c) -> cache
 *             -> coalesce (coalesce.c) -> report (report.c)
 *
 * A layer that fails stops the others (they see the cancel flag), nothing
 * is cached for it, and the first error is returned with the layer named.
 *
 * A layer is read once however many indexings want it at the same time:
 * before reading, a worker takes the store's lock "layer:<digest>" (held
 * across the threads of this process and, with PostgreSQL, across nodes)
 * and looks in the cache again; who waited finds the scan there. */
#include "image/image.h"
#include "indexer/coalesce.h"
#include "indexer/index_internal.h"
#include "indexer/paths.h"
#include "layer/layer.h"
#include "store/store_layers.h"
#include "store/store_locks.h"
#include "util/error.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

_Static_assert(VIGIL_INDEX_MAX_LAYER_SIZE == VIGIL_LAYER_MAX_SIZE &&
		       VIGIL_INDEX_MAX_LAYER_RATIO == VIGIL_LAYER_MAX_RATIO &&
		       VIGIL_INDEX_RATIO_FLOOR == VIGIL_LAYER_RATIO_FLOOR,
	       "the indexer's layer caps are the layer stream's defaults");

#define VIGIL_MAX_THREADS 64
#define PROGRESS_STEP (4u << 20)
/* How long a worker waits for another reader of the same layer. */
#define LAYER_LOCK_WAIT_MS (30 * 60 * 1000)

struct job {
	vigil_image *img;
	const vigil_index_options *opt;
	vigil_layer_result **results;
	size_t *todo; /* layer indexes to read */
	size_t ntodo;
	atomic_size_t next;
	volatile int cancel;
	pthread_mutex_t lock; /* progress calls, first error */
	int err;
	char errmsg[VIGIL_ERROR_MAX];
};

static void progress(struct job *j, vigil_index_event ev, size_t layer, uint64_t bytes)
{
	if (!j->opt->progress)
		return;
	const vigil_layer_desc *d = img_layer(j->img, layer);
	vigil_index_progress p = {
		.event = ev, .layer = layer, .layer_count = img_layer_count(j->img),
		.digest = d->digest, .bytes = bytes, .total = d->size,
	};
	pthread_mutex_lock(&j->lock);
	j->opt->progress(j->opt->progress_ud, &p);
	pthread_mutex_unlock(&j->lock);
}

/* ---- a pass-through stream that reports how far a layer got ---- */
struct counting {
	vigil_istream base;
	vigil_istream *in;
	struct job *job;
	size_t layer;
	uint64_t next_report;
};

static ssize_t counting_read(vigil_istream *s, void *buf, size_t n)
{
	struct counting *c = (struct counting *)s;
	ssize_t r = vigil_istream_read(c->in, buf, n);
	if (r > 0 && c->in->nread >= c->next_report) {
		c->next_report = c->in->nread + PROGRESS_STEP;
		progress(c->job, VIGIL_INDEX_PROGRESS, c->layer, c->in->nread);
	}
	return r;
}

static void counting_close(vigil_istream *s)
{
	struct counting *c = (struct counting *)s;
	vigil_istream_close(c->in);
	free(c);
}

static const struct vigil_istream_ops counting_ops = { counting_read, counting_close };

/* The options' caps on a layer's decompressed size (0: the defaults). */
static int set_limits(const vigil_index_options *opt, vigil_istream *dec)
{
	uint64_t size = opt->max_layer_size ? opt->max_layer_size : VIGIL_INDEX_MAX_LAYER_SIZE;
	uint64_t ratio = opt->max_layer_ratio ? opt->max_layer_ratio : VIGIL_INDEX_MAX_LAYER_RATIO;
	if (size == UINT64_MAX)
		size = 0;
	if (opt->max_layer_ratio == UINT_MAX)
		ratio = 0;
	return layer_stream_set_limits(dec, size, ratio, VIGIL_INDEX_RATIO_FLOOR);
}

static int read_layer(struct job *j, size_t i, vigil_layer_result **out)
{
	const vigil_layer_desc *d = img_layer(j->img, i);
	vigil_istream *raw = NULL, *dec = NULL;
	vigil_layer_result *r = NULL;
	struct counting *cnt = NULL;
	int rc;

	progress(j, VIGIL_INDEX_LAYER_START, i, 0);
	if ((rc = img_open_layer(j->img, i, &raw)) < 0) {
		vigil_error_prefix("layer %s: ", d->digest);
		goto out;
	}
	cnt = calloc(1, sizeof(*cnt));
	if (!cnt) {
		rc = vigil_error_oom();
		goto out;
	}
	cnt->base.ops = &counting_ops;
	cnt->in = raw;
	cnt->job = j;
	cnt->layer = i;
	cnt->next_report = PROGRESS_STEP;
	raw = NULL;
	rc = layer_stream_open(&cnt->base, d->verify == VIGIL_VERIFY_BLOB ? d->digest : NULL,
				     d->verify == VIGIL_VERIFY_DIFF ? d->digest : NULL, &dec);
	cnt = NULL; /* owned by dec now, or freed */
	if (rc < 0 || (rc = set_limits(j->opt, dec)) < 0) {
		vigil_error_prefix("layer %s: ", d->digest);
		goto out;
	}
	if ((rc = idx_layer_result_new(d->digest, &r)) < 0)
		goto out;
	if ((rc = idx_layer_scan_tar(dec, r, &j->cancel)) < 0)
		goto out;
	r->compression = layer_stream_compression(dec);
	r->bytes = d->size;
	*out = r;
	r = NULL;
	progress(j, VIGIL_INDEX_LAYER_DONE, i, d->size);
out:
	vigil_istream_close(dec);
	vigil_istream_close(raw);
	idx_layer_result_free(r);
	return rc;
}

static void store_result(struct job *j, const vigil_layer_result *r)
{
	char *blob = NULL;
	size_t len = 0;
	vigil_store *s = j->opt->store;
	if (!s)
		return;
	if (idx_layer_result_encode(r, &blob, &len) < 0 ||
	    store_layer_put(s, r->digest, VIGIL_SCANNERS_VERSION, blob, len) < 0) {
		if (j->opt->warn) {
			char msg[VIGIL_ERROR_MAX + 64];
			snprintf(msg, sizeof(msg), "could not cache layer %s: %s", r->digest,
				 vigil_error_message());
			pthread_mutex_lock(&j->lock);
			j->opt->warn(j->opt->warn_ud, msg);
			pthread_mutex_unlock(&j->lock);
		}
	}
	free(blob);
}

static int cached(vigil_store *s, const char *digest, vigil_layer_result **out);

/* Reads layer i under its lock, or takes the scan another reader cached
 * while this one waited. */
static int read_layer_once(struct job *j, size_t i, vigil_layer_result **out)
{
	const vigil_layer_desc *d = img_layer(j->img, i);
	vigil_store *s = j->opt->store;
	vigil_store_lock *lk = NULL;
	char key[VIGIL_STORE_MAX_LOCK_KEY];
	int rc;
	if (!s || j->opt->no_cache_read)
		return read_layer(j, i, out);
	snprintf(key, sizeof(key), "layer:%s", d->digest);
	if ((rc = vigil_store_lock_take(s, key, LAYER_LOCK_WAIT_MS, &lk)) < 0) {
		vigil_error_prefix("layer %s: ", d->digest);
		return rc;
	}
	if (cached(s, d->digest, out)) {
		progress(j, VIGIL_INDEX_LAYER_CACHED, i, 0);
		rc = 0;
	} else if ((rc = read_layer(j, i, out)) == 0)
		store_result(j, *out);
	vigil_store_lock_release(lk);
	return rc;
}

static void *worker(void *arg)
{
	struct job *j = arg;
	for (;;) {
		size_t k = atomic_fetch_add(&j->next, 1);
		if (k >= j->ntodo || j->cancel)
			break;
		size_t i = j->todo[k];
		vigil_layer_result *r = NULL;
		int rc = read_layer_once(j, i, &r);
		if (rc < 0) {
			pthread_mutex_lock(&j->lock);
			if (!j->err && rc != VIGIL_ECANCELED) {
				j->err = rc;
				snprintf(j->errmsg, sizeof(j->errmsg), "%s", vigil_error_message());
			}
			j->cancel = 1;
			pthread_mutex_unlock(&j->lock);
			break;
		}
		if (!j->opt->store || j->opt->no_cache_read)
			store_result(j, r);
		j->results[i] = r;
	}
	return NULL;
}

static int cached(vigil_store *s, const char *digest, vigil_layer_result **out)
{
	char *blob = NULL;
	size_t len = 0;
	*out = NULL;
	if (store_layer_get(s, digest, VIGIL_SCANNERS_VERSION, &blob, &len) < 0)
		return 0; /* not cached (or unreadable): read the layer */
	int rc = idx_layer_result_decode(digest, blob, len, out);
	free(blob);
	return rc == 0;
}

static int read_layers(vigil_image *img, const vigil_index_options *opt,
		       vigil_layer_result **results, size_t n)
{
	struct job j = { .img = img, .opt = opt, .results = results };
	pthread_t tids[VIGIL_MAX_THREADS];
	int nthreads, started = 0, rc = 0;

	j.todo = calloc(n ? n : 1, sizeof(*j.todo));
	if (!j.todo)
		return vigil_error_oom();
	pthread_mutex_init(&j.lock, NULL);
	for (size_t i = 0; i < n; i++) {
		if (opt->store && !opt->no_cache_read && cached(opt->store, img_layer(img, i)->digest, &results[i])) {
			progress(&j, VIGIL_INDEX_LAYER_CACHED, i, 0);
			continue;
		}
		j.todo[j.ntodo++] = i;
	}
	nthreads = opt->threads > 0 ? opt->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (nthreads < 1)
		nthreads = 1;
	if (nthreads > VIGIL_MAX_THREADS)
		nthreads = VIGIL_MAX_THREADS;
	if ((size_t)nthreads > j.ntodo)
		nthreads = (int)j.ntodo;
	for (int t = 1; t < nthreads; t++) {
		if (pthread_create(&tids[t], NULL, worker, &j) != 0)
			break;
		started++;
	}
	if (j.ntodo)
		worker(&j); /* this thread works too */
	for (int t = 1; t <= started; t++)
		pthread_join(tids[t], NULL);
	if (j.err)
		rc = vigil_error_set(j.err, "%s", j.errmsg);
	pthread_mutex_destroy(&j.lock);
	free(j.todo);
	return rc;
}

void vigil_index_options_init(vigil_index_options *opt)
{
	memset(opt, 0, sizeof(*opt));
}

/* Indexes an opened image (takes it). */
static int index_opened(const char *ref, vigil_image *img, const vigil_index_options *opt,
			vigil_index_report **out)
{
	vigil_layer_result **results = NULL;
	size_t n = 0;
	int rc;
	if (img_get_kind(img) == VIGIL_IMAGE_ROOTFS) {
		n = 1;
		results = calloc(1, sizeof(*results));
		if (!results) {
			rc = vigil_error_oom();
			goto out;
		}
		if ((rc = idx_layer_scan_rootfs(img_rootfs(img), &results[0])) < 0)
			goto out;
	} else {
		n = img_layer_count(img);
		results = calloc(n ? n : 1, sizeof(*results));
		if (!results) {
			rc = vigil_error_oom();
			goto out;
		}
		if (opt->progress) {
			vigil_index_progress p = { .event = VIGIL_INDEX_IMAGE_OPENED, .layer_count = n };
			opt->progress(opt->progress_ud, &p);
		}
		if ((rc = read_layers(img, opt, results, n)) < 0)
			goto out;
	}
	rc = idx_report_build(ref, img, results, n, out);
	results = NULL; /* owned by the report, even on failure */
	n = 0;
out:
	for (size_t i = 0; results && i < n; i++)
		idx_layer_result_free(results[i]);
	free(results);
	img_free(img);
	return rc;
}

/* opt, or the defaults (in *defaults) when it is NULL. */
static const vigil_index_options *options_or_defaults(const vigil_index_options *opt,
						      vigil_index_options *defaults)
{
	if (opt)
		return opt;
	vigil_index_options_init(defaults);
	return defaults;
}

int vigil_index_image(const char *ref, const vigil_index_options *opt_in, vigil_index_report **out)
{
	vigil_index_options defaults;
	const vigil_index_options *opt = options_or_defaults(opt_in, &defaults);
	vigil_image *img = NULL;
	int rc;

	*out = NULL;
	if (ref && !strncmp(ref, VIGIL_SBOM_REF_PREFIX, strlen(VIGIL_SBOM_REF_PREFIX)))
		return idx_index_sbom(ref, out);
	if ((rc = img_open_opts(ref, opt->platform, opt->registry, &img)) < 0)
		return rc;
	return index_opened(ref, img, opt, out);
}

int vigil_index_manifest(const char *manifest_json, size_t len, const vigil_index_options *opt_in,
			 vigil_index_report **out)
{
	vigil_index_options defaults;
	const vigil_index_options *opt = options_or_defaults(opt_in, &defaults);
	vigil_image *img = NULL;
	int rc;

	*out = NULL;
	if ((rc = img_open_clair_manifest(manifest_json, len, &img)) < 0)
		return rc;
	return index_opened(img_manifest_digest(img), img, opt, out);
}

int vigil_index_manifest_parsed(vigil_manifest *m, const vigil_index_options *opt_in, vigil_index_report **out)
{
	vigil_index_options defaults;
	const vigil_index_options *opt = options_or_defaults(opt_in, &defaults);
	vigil_image *img = img_manifest_take_image(m);

	*out = NULL;
	if (!img)
		return vigil_error_set(VIGIL_EINVAL, "no Manifest to index");
	return index_opened(img_manifest_digest(img), img, opt, out);
}

const char *vigil_index_scanners_version(void) { return VIGIL_SCANNERS_VERSION; }
