/* server/v1_cache.c: the rendered answers of GET /v1/layers/{name}, as
 * v4_index.c keeps VulnerabilityReports. Building one answer walks the
 * chain in the store, decodes every layer's cached scan, stacks them,
 * matches the packages against the vulnerability data and renders the
 * JSON: about 2.5 ms of CPU for the Ubuntu 18.04 layer, nearly all of it
 * the matcher's queries and the rendering (docs/benchmarks.md). The
 * answer changes only when the chain (a name re-posted on another parent
 * or from another Path, a layer deleted), the feeds' data (an update
 * operation) or the layer cache (evicted scans) change, so it is kept:
 *
 *   key     the layer name and the query flags ("fv:<name>")
 *   valid   for the chain it was made from ("name=digest;..." base first),
 *           the feeds' state (the newest update operation of every feed),
 *           and the generation of this process's v1 writes (POST, DELETE)
 *   checked within V1_CHECK_MS and no write since: served with no store
 *           round trip; else the chain is walked again (and each scan's
 *           presence looked up) and the entry kept when it is the same
 *
 * A write on another node of the same PostgreSQL shows within
 * V1_CHECK_MS, as a feed update does for v4. Bodies are shared,
 * reference-counted blobs (srv_blob) sent without a copy; at most
 * V1_CACHE_MAX_ENTRIES entries and V1_CACHE_MAX_BYTES of bodies, the
 * oldest checked evicted first. One table per process (one server). */
#include "server/v1.h"
#include "util/buf.h"
#include "util/error.h"
#include "vigil/db.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct v1_entry {
	char *key, *fp, *chain;
	const void *store;
	srv_blob *blob;
	uint64_t gen;
	int64_t checked_ms;
};

static struct {
	pthread_mutex_t mu;
	struct v1_entry e[V1_CACHE_MAX_ENTRIES];
	size_t n, bytes;
	char fp[V1_FP_MAX];
	const void *fp_store;
	int64_t fp_ms;
} C = { .mu = PTHREAD_MUTEX_INITIALIZER, .fp_ms = -1 };
static atomic_uint_fast64_t G = 1; /* generation of this process's v1 writes */

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void v1_cache_bump(void) { atomic_fetch_add(&G, 1); }
uint64_t v1_cache_generation(void) { return atomic_load(&G); }

int v1_feeds_state(vigil_store *st, char *out, size_t n)
{
	vigil_db_feed_status *fs = NULL;
	size_t k = 0;
	vigil_buf b;
	int64_t t = now_ms();
	int rc;

	pthread_mutex_lock(&C.mu);
	if (C.fp_ms >= 0 && C.fp_store == st && t - C.fp_ms < V1_CHECK_MS) {
		snprintf(out, n, "%s", C.fp);
		pthread_mutex_unlock(&C.mu);
		return 0;
	}
	pthread_mutex_unlock(&C.mu);
	if ((rc = vigil_db_status(st, &fs, &k)) < 0)
		return rc;
	vigil_buf_init(&b, V1_FP_MAX - 1);
	for (size_t i = 0; i < k; i++)
		if (fs[i].has_data)
			vigil_buf_printf(&b, "%s=%s;", fs[i].feed, fs[i].last.ref);
	free(fs);
	snprintf(out, n, "%s", b.data ? b.data : "");
	vigil_buf_free(&b);
	pthread_mutex_lock(&C.mu);
	snprintf(C.fp, sizeof(C.fp), "%s", out);
	C.fp_store = st;
	C.fp_ms = t;
	pthread_mutex_unlock(&C.mu);
	return 0;
}

static void entry_free(struct v1_entry *e)
{
	if (e->blob)
		C.bytes -= e->blob->len;
	free(e->key);
	free(e->fp);
	free(e->chain);
	srv_blob_unref(e->blob);
	memset(e, 0, sizeof(*e));
}

static struct v1_entry *find(const void *st, const char *key)
{
	for (size_t i = 0; i < C.n; i++)
		if (C.e[i].store == st && !strcmp(C.e[i].key, key))
			return &C.e[i];
	return NULL;
}

srv_blob *v1_cache_get(vigil_store *st, const char *key, const char *fp, const char *chain, uint64_t gen)
{
	srv_blob *b = NULL;
	int64_t t = now_ms();
	pthread_mutex_lock(&C.mu);
	struct v1_entry *e = find(st, key);
	if (e && !strcmp(e->fp, fp)) {
		if (!chain && e->gen == atomic_load(&G) && t - e->checked_ms < V1_CHECK_MS) {
			b = srv_blob_ref(e->blob);
		} else if (chain && !strcmp(e->chain, chain)) {
			e->gen = gen;
			e->checked_ms = t;
			b = srv_blob_ref(e->blob);
		}
	}
	pthread_mutex_unlock(&C.mu);
	return b;
}

/* The entry checked longest ago (the caller holds the lock). */
static size_t oldest(void)
{
	size_t k = 0;
	for (size_t i = 1; i < C.n; i++)
		if (C.e[i].checked_ms < C.e[k].checked_ms)
			k = i;
	return k;
}

void v1_cache_put(vigil_store *st, const char *key, const char *fp, const char *chain, uint64_t gen, srv_blob *b)
{
	struct v1_entry ne = { .key = strdup(key), .fp = strdup(fp), .chain = strdup(chain), .store = st,
			       .gen = gen, .checked_ms = now_ms() };
	if (!ne.key || !ne.fp || !ne.chain || b->len > V1_CACHE_MAX_BYTES) {
		free(ne.key);
		free(ne.fp);
		free(ne.chain);
		return;
	}
	pthread_mutex_lock(&C.mu);
	struct v1_entry *e = find(st, key);
	if (e)
		entry_free(e);
	else {
		while (C.n && (C.n == V1_CACHE_MAX_ENTRIES || C.bytes + b->len > V1_CACHE_MAX_BYTES)) {
			size_t k = oldest();
			entry_free(&C.e[k]);
			C.e[k] = C.e[--C.n];
		}
		e = &C.e[C.n++];
	}
	*e = ne;
	e->blob = srv_blob_ref(b);
	C.bytes += b->len;
	pthread_mutex_unlock(&C.mu);
}

void v1_cache_clear(void)
{
	pthread_mutex_lock(&C.mu);
	for (size_t i = 0; i < C.n; i++)
		entry_free(&C.e[i]);
	C.n = 0;
	C.bytes = 0;
	C.fp_ms = -1;
	pthread_mutex_unlock(&C.mu);
}
