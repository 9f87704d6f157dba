/* server/v1_layers.c: the work behind the Clair v1 layer routes. A posted
 * layer is fetched from its Path (registry/url.c: http or https only),
 * decompressed and hashed while it streams (layer/), scanned (indexer/) and
 * its scan cached by the sha256 of its bytes, so a layer shared by many
 * images or posted under several names is kept once. Concurrent posts of
 * one name fetch it once: the store's lock "layer:v1:<sha256 of the name>"
 * (across threads and, with PostgreSQL, nodes). A layer is shown with
 * its ancestry: the scans of base..name are stacked (indexer/coalesce.c,
 * whiteouts and links applied) into an index report for the matcher. */
#include "image/image_priv.h"
#include "indexer/coalesce.h"
#include "indexer/index_internal.h"
#include "indexer/paths.h"
#include "layer/layer.h"
#include "registry/registry.h"
#include "server/server.h"
#include "server/v1.h"
#include "store/store.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int v1_fetch_scan(const char *url, const char *const *headers, size_t nheaders, vigil_layer_result **out,
		  int *unreadable)
{
	vigil_istream *raw = NULL, *dec = NULL;
	vigil_layer_result *r = NULL;
	char digest[VIGIL_LAYER_DIGEST_MAX];
	int rc;

	*out = NULL;
	*unreadable = 1;
	if ((rc = vigil_reg_open_url(url, headers, nheaders, SRV_MAX_LAYER_SIZE, &raw)) < 0)
		goto out;
	rc = vigil_layer_stream_open(raw, "sha256", NULL, &dec);
	raw = NULL; /* owned by dec, or closed */
	if (rc < 0)
		goto out;
	if ((rc = vigil_layer_result_new("sha256:pending", &r)) < 0) {
		*unreadable = 0;
		goto out;
	}
	if ((rc = vigil_layer_scan_tar(dec, r, NULL)) < 0)
		goto out;
	if ((rc = vigil_layer_stream_digests(dec, digest, NULL)) < 0)
		goto out;
	snprintf(r->digest, sizeof(r->digest), "%s", digest);
	r->compression = vigil_layer_stream_compression(dec);
	r->bytes = vigil_layer_stream_raw_bytes(dec);
	*out = r;
	r = NULL;
	*unreadable = 0;
out:
	vigil_istream_close(dec);
	vigil_istream_close(raw);
	vigil_layer_result_free(r);
	return rc;
}

int v1_cache_put(vigil_store *st, const vigil_layer_result *r)
{
	char *blob = NULL;
	size_t len = 0;
	int rc;
	if ((rc = vigil_layer_result_encode(r, &blob, &len)) == 0)
		rc = vigil_store_layer_put(st, r->digest, VIGIL_SCANNERS_VERSION, blob, len);
	free(blob);
	return rc;
}

static int cache_get(vigil_store *st, const char *digest, vigil_layer_result **out)
{
	char *blob = NULL;
	size_t len = 0;
	int rc;
	*out = NULL;
	if ((rc = vigil_store_layer_get(st, digest, VIGIL_SCANNERS_VERSION, &blob, &len)) < 0)
		return rc;
	rc = vigil_layer_result_decode(digest, blob, len, out);
	free(blob);
	return rc;
}

int v1_cache_has(vigil_store *st, const char *digest)
{
	vigil_layer_result *r = NULL;
	int ok = cache_get(st, digest, &r) == 0;
	vigil_layer_result_free(r);
	vigil_error_clear();
	return ok;
}

int v1_layer_current(vigil_store *st, const char *name, const char *parent)
{
	char parent_of[V1_MAX_NAME + 1], digest[VIGIL_LAYER_DIGEST_MAX];
	int ok = vigil_store_v1_layer_get(st, name, parent_of, sizeof(parent_of), digest, sizeof(digest)) == 0 &&
		 !strcmp(parent_of, parent ? parent : "") && v1_cache_has(st, digest);
	vigil_error_clear();
	return ok;
}

int v1_layer_lock(vigil_store *st, const char *name, vigil_store_lock **out)
{
	char d[VIGIL_DIGEST_MAX], key[VIGIL_STORE_MAX_LOCK_KEY];
	int rc;
	*out = NULL;
	/* names are up to 512 bytes, keys 256: the name's sha256 */
	if ((rc = img_digest_sha256(name, strlen(name), d)) < 0)
		return rc;
	snprintf(key, sizeof(key), "layer:v1:%s", d);
	if ((rc = vigil_store_lock_take(st, key, V1_LAYER_LOCK_MS, out)) == VIGIL_EUNAVAILABLE)
		vigil_error_set(rc, "another request has been indexing it for %d minutes", V1_LAYER_LOCK_MS / 60000);
	return rc;
}

/* The report of a chain: indexer/report.c's builder without an image,
 * packages introduced in the v1 names, named by the last layer's digest.
 * Takes results (freed with the report). */
static int build_report(v1_chain *c, vigil_layer_result **results, size_t n, vigil_index_report **out)
{
	return vigil_index_report_build_named(c->names[n - 1], NULL, (const char *const *)c->names,
					      results[n - 1]->digest, results, n, out);
}

int v1_chain_load(vigil_store *st, const char *name, v1_chain *c)
{
	char (*digests)[VIGIL_LAYER_DIGEST_MAX] = NULL;
	vigil_layer_result **results = NULL;
	char cur[V1_MAX_NAME + 1], parent[V1_MAX_NAME + 1];
	size_t n = 0;
	int rc;

	memset(c, 0, sizeof(*c));
	if (strlen(name) > V1_MAX_NAME)
		return vigil_error_set(VIGIL_ENOTFOUND, "layer name longer than %d bytes", V1_MAX_NAME);
	c->names = calloc(V1_MAX_CHAIN, sizeof(*c->names));
	digests = calloc(V1_MAX_CHAIN, sizeof(*digests));
	results = calloc(V1_MAX_CHAIN, sizeof(*results));
	if (!c->names || !digests || !results) {
		rc = vigil_error_oom();
		goto out;
	}
	/* walk up from name, then reverse: base first */
	snprintf(cur, sizeof(cur), "%s", name);
	for (;;) {
		if (n == V1_MAX_CHAIN) {
			rc = vigil_error_set(VIGIL_ELIMIT, "layer %s: more than %d layers below it", name, V1_MAX_CHAIN);
			goto out;
		}
		if ((rc = vigil_store_v1_layer_get(st, cur, parent, sizeof(parent), digests[n], sizeof(digests[n]))) < 0) {
			if (rc == VIGIL_ENOTFOUND && n)
				vigil_error_set(rc, "layer %s: its ancestor %s is unknown", name, cur);
			goto out;
		}
		if (!(c->names[n] = strdup(cur))) {
			rc = vigil_error_oom();
			goto out;
		}
		if (n == 0)
			snprintf(c->parent, sizeof(c->parent), "%s", parent);
		n++;
		if (!parent[0])
			break;
		snprintf(cur, sizeof(cur), "%s", parent);
	}
	for (size_t i = 0; i < n / 2; i++) {
		char *t = c->names[i];
		c->names[i] = c->names[n - 1 - i];
		c->names[n - 1 - i] = t;
		char d[VIGIL_LAYER_DIGEST_MAX];
		memcpy(d, digests[i], sizeof(d));
		memcpy(digests[i], digests[n - 1 - i], sizeof(d));
		memcpy(digests[n - 1 - i], d, sizeof(d));
	}
	c->n = n;
	for (size_t i = 0; i < n; i++) {
		if ((rc = cache_get(st, digests[i], &results[i])) < 0) {
			if (rc != VIGIL_ENOTFOUND && rc != VIGIL_EFORMAT && rc != VIGIL_ELIMIT)
				goto out; /* the store's error */
			/* evicted (vigil cache clear, a new scanner version) or damaged:
			 * the layer is known but its contents are not, as if never posted */
			if (i == n - 1)
				rc = vigil_error_set(VIGIL_ENOTFOUND,
						     "layer %s: its scan (%s) is no longer in the layer cache "
						     "(vigil cache clear, or a new scanner version): POST the layer again",
						     c->names[i], digests[i]);
			else
				rc = vigil_error_set(VIGIL_ENOTFOUND,
						     "layer %s: the scan (%s) of its ancestor %s is no longer in the layer "
						     "cache (vigil cache clear, or a new scanner version): POST %s again",
						     name, digests[i], c->names[i], c->names[i]);
			goto out;
		}
	}
	rc = build_report(c, results, n, &c->report);
	results = NULL; /* the report's */
out:
	for (size_t i = 0; results && i < n; i++)
		vigil_layer_result_free(results[i]);
	free(results);
	free(digests);
	if (rc < 0) {
		c->n = n;
		v1_chain_free(c);
	}
	return rc;
}

void v1_chain_free(v1_chain *c)
{
	if (!c)
		return;
	vigil_index_report_free(c->report);
	for (size_t i = 0; c->names && i < V1_MAX_CHAIN; i++)
		free(c->names[i]);
	free(c->names);
	memset(c, 0, sizeof(*c));
}
