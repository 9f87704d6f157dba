/* indexer/chain.c: Clair v1 layer chains (vigil/index.h). Clair 2's
 * clients post an image one layer at a time, each with a name they chose
 * and its parent's name; a layer is shown with its whole ancestry.
 *
 * Put: the parent's ancestry is walked first (unknown parent, a cycle, too
 * deep: refused before anything is fetched). A name already bound to the
 * same url on the same parent, with its scan still cached, is done: Clair
 * 2's clients post every layer of an image before each GET. Anything else
 * fetches: the store's lock "layer:v1:<sha256 of the name>" makes one
 * request fetch a name at a time (across threads and, with PostgreSQL,
 * nodes), who waited looks again. The layer is fetched from its url
 * (registry/url.c: http or https only), decompressed and hashed while it
 * streams (layer/), scanned (layer_scan.c) and cached by the sha256 of its
 * bytes, so a base layer posted under several names is kept once. The
 * name is then bound to (parent, digest, source) in one statement that
 * refuses a cycle (store/sqlite_v1.c, pg_v1.c). The source is the sha256
 * of the url, so that a second poster of a name with another url never
 * gets the first poster's content: it fetches its own (docs/server.md).
 *
 * Open and report: the names are walked up to the base (at most
 * VIGIL_V1_MAX_DEPTH, a loop refused), then the cached scans are stacked
 * base first (coalesce.c) into an index report whose packages were
 * introduced in the v1 names (report.c). */
#include "indexer/coalesce.h"
#include "indexer/index_internal.h"
#include "indexer/paths.h"
#include "layer/layer.h"
#include "registry/registry.h"
#include "store/store.h"
#include "util/digest.h"
#include "util/error.h"
#include "vigil/index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHAIN_MAX_LAYER ((uint64_t)8 << 30)      /* bytes of one fetched layer (VIGIL_IMAGE_MAX_URL_LAYER) */
#define CHAIN_LOCK_MS   (30 * 60 * 1000)         /* waiting for another request's fetch of a name */

struct vigil_chain_internal {
	char **names;
	char **digests;
	char parent[VIGIL_V1_MAX_NAME + 1];
};

int vigil_index_chain_name_ok(const char *name, size_t len)
{
	if (!name || !len || len > VIGIL_V1_MAX_NAME || strlen(name) != len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return 0;
	return 1;
}

/* ---- put ---- */

static int fetch_scan(const vigil_chain_layer *l, vigil_layer_result **out)
{
	vigil_istream *raw = NULL, *dec = NULL;
	vigil_layer_result *r = NULL;
	char digest[VIGIL_LAYER_DIGEST_MAX];
	int rc;

	*out = NULL;
	if ((rc = reg_open_url(l->url, l->headers, l->nheaders, l->max_size ? l->max_size : CHAIN_MAX_LAYER,
				     &raw)) < 0)
		goto out;
	rc = layer_stream_open(raw, "sha256", NULL, &dec);
	raw = NULL; /* owned by dec, or closed */
	if (rc < 0)
		goto out;
	if ((rc = idx_layer_result_new(NULL, &r)) < 0 || (rc = idx_layer_scan_tar(dec, r, NULL)) < 0 ||
	    (rc = layer_stream_digests(dec, digest, NULL)) < 0)
		goto out;
	snprintf(r->digest, sizeof(r->digest), "%s", digest);
	r->compression = layer_stream_compression(dec);
	r->bytes = layer_stream_raw_bytes(dec);
	*out = r;
	r = NULL;
out:
	vigil_istream_close(dec);
	vigil_istream_close(raw);
	idx_layer_result_free(r);
	return rc;
}

static int cache_put(vigil_store *st, const vigil_layer_result *r)
{
	char *blob = NULL;
	size_t len = 0;
	int rc;
	if ((rc = idx_layer_result_encode(r, &blob, &len)) == 0)
		rc = store_layer_put(st, r->digest, VIGIL_SCANNERS_VERSION, blob, len);
	free(blob);
	return rc;
}

static int cache_get(vigil_store *st, const char *digest, vigil_layer_result **out)
{
	char *blob = NULL;
	size_t len = 0;
	int rc;
	*out = NULL;
	if ((rc = store_layer_get(st, digest, VIGIL_SCANNERS_VERSION, &blob, &len)) < 0)
		return rc;
	rc = idx_layer_result_decode(digest, blob, len, out);
	free(blob);
	return rc;
}

static int cache_has(vigil_store *st, const char *digest)
{
	vigil_layer_result *r = NULL;
	int ok = cache_get(st, digest, &r) == 0;
	idx_layer_result_free(r);
	vigil_error_clear();
	return ok;
}

/* 1 when name is bound to source on parent and its scan is cached. */
static int is_current(vigil_store *st, const char *name, const char *parent, const char *source, char *digest,
		      size_t digest_n)
{
	char parent_of[VIGIL_V1_MAX_NAME + 1], src[VIGIL_V1_SOURCE_MAX];
	int ok = vigil_store_v1_layer_get(st, name, parent_of, sizeof(parent_of), digest, digest_n, src,
					  sizeof(src)) == 0 &&
		 !strcmp(parent_of, parent ? parent : "") && !strcmp(src, source) && cache_has(st, digest);
	vigil_error_clear();
	return ok;
}

/* The parent must exist, must not be name nor descend from it, and its
 * ancestry must leave room for one more layer. */
static int check_parent(vigil_store *st, const char *name, const char *parent)
{
	char cur[VIGIL_V1_MAX_NAME + 1], up[VIGIL_V1_MAX_NAME + 1];
	int rc;
	snprintf(cur, sizeof(cur), "%s", parent);
	for (int depth = 1;; depth++) {
		if (!strcmp(cur, name))
			return vigil_error_set(VIGIL_EINVAL,
					       "layer %s: its parent %s is the layer itself or one of its descendants "
					       "(the ancestry would loop)",
					       name, parent);
		if (depth >= VIGIL_V1_MAX_DEPTH)
			return vigil_error_set(VIGIL_ELIMIT, "layer %s: more than %d layers below it", name,
					       VIGIL_V1_MAX_DEPTH);
		if ((rc = vigil_store_v1_layer_get(st, cur, up, sizeof(up), NULL, 0, NULL, 0)) < 0) {
			if (rc == VIGIL_ENOTFOUND)
				vigil_error_set(rc, depth == 1 ? "parent layer %s is unknown: post it first"
							       : "parent layer %s: its ancestor %s is unknown",
						parent, cur);
			return rc;
		}
		if (!up[0])
			return 0;
		snprintf(cur, sizeof(cur), "%s", up);
	}
}

static int lock_name(vigil_store *st, const char *name, int lock_ms, vigil_store_lock **out)
{
	char d[VIGIL_DIGEST_MAX], key[VIGIL_STORE_MAX_LOCK_KEY];
	int rc;
	/* names are up to 512 bytes, keys 256: the name's sha256 */
	if ((rc = vigil_digest_sha256(name, strlen(name), d)) < 0)
		return rc;
	snprintf(key, sizeof(key), "layer:v1:%s", d);
	if ((rc = vigil_store_lock_take(st, key, lock_ms, out)) == VIGIL_EUNAVAILABLE)
		vigil_error_set(rc, "another request has been indexing it for %d minutes", lock_ms / 60000);
	return rc;
}

static int fail(vigil_chain_outcome *o, vigil_chain_stage stage, int rc)
{
	o->stage = stage;
	return rc;
}

int vigil_index_chain_put(vigil_store *st, const vigil_chain_layer *l, vigil_chain_outcome *o)
{
	const char *parent = l->parent ? l->parent : "";
	char source[VIGIL_DIGEST_MAX];
	vigil_store_lock *lk = NULL;
	vigil_layer_result *r = NULL;
	int rc;

	memset(o, 0, sizeof(*o));
	if (!l->name || !vigil_index_chain_name_ok(l->name, strlen(l->name)) ||
	    (*parent && !vigil_index_chain_name_ok(parent, strlen(parent))) || !l->url)
		return fail(o, VIGIL_CHAIN_INPUT,
			    vigil_error_set(VIGIL_EINVAL, "a layer name is 1 to %d bytes without control characters",
					    VIGIL_V1_MAX_NAME));
	if ((rc = vigil_digest_sha256(l->url, strlen(l->url), source)) < 0)
		return fail(o, VIGIL_CHAIN_STORE, rc);
	if (*parent && (rc = check_parent(st, l->name, parent)) < 0)
		return fail(o, rc == VIGIL_ENOTFOUND || rc == VIGIL_EINVAL || rc == VIGIL_ELIMIT ? VIGIL_CHAIN_PARENT
											 : VIGIL_CHAIN_STORE,
			    rc);
	if (is_current(st, l->name, parent, source, o->digest, sizeof(o->digest)))
		return 0;
	if ((rc = lock_name(st, l->name, l->lock_ms > 0 ? l->lock_ms : CHAIN_LOCK_MS, &lk)) < 0)
		return fail(o, VIGIL_CHAIN_LOCK, rc);
	/* who waited finds it done */
	if (is_current(st, l->name, parent, source, o->digest, sizeof(o->digest)))
		goto out;
	if ((rc = fetch_scan(l, &r)) < 0) {
		o->stage = rc == VIGIL_ENOMEM ? VIGIL_CHAIN_STORE : VIGIL_CHAIN_FETCH;
		goto out;
	}
	if ((rc = cache_put(st, r)) < 0) {
		o->stage = VIGIL_CHAIN_STORE;
		goto out;
	}
	if ((rc = vigil_store_v1_layer_put(st, l->name, parent, r->digest, source)) < 0) {
		/* EINVAL: a cycle made by another request since check_parent */
		o->stage = rc == VIGIL_EINVAL ? VIGIL_CHAIN_PARENT : VIGIL_CHAIN_STORE;
		goto out;
	}
	snprintf(o->digest, sizeof(o->digest), "%s", r->digest);
	o->fetched = 1;
out:
	vigil_store_lock_release(lk);
	idx_layer_result_free(r);
	return rc;
}

/* ---- open and report ---- */

void vigil_index_chain_free(vigil_chain *c)
{
	if (!c)
		return;
	struct vigil_chain_internal *in = c->internal;
	if (in) {
		for (size_t i = 0; i < c->n; i++) {
			free(in->names[i]);
			free(in->digests[i]);
		}
		free(in->names);
		free(in->digests);
		free(in);
	}
	free(c);
}

static void reverse(char **a, size_t n)
{
	for (size_t i = 0; i < n / 2; i++) {
		char *t = a[i];
		a[i] = a[n - 1 - i];
		a[n - 1 - i] = t;
	}
}

int vigil_index_chain_open(vigil_store *st, const char *name, vigil_chain **out)
{
	vigil_chain *c = calloc(1, sizeof(*c));
	struct vigil_chain_internal *in = calloc(1, sizeof(*in));
	char cur[VIGIL_V1_MAX_NAME + 1], parent[VIGIL_V1_MAX_NAME + 1], digest[VIGIL_LAYER_DIGEST_MAX];
	int rc = 0;

	*out = NULL;
	if (!c || !in || !(in->names = calloc(VIGIL_V1_MAX_DEPTH, sizeof(char *))) ||
	    !(in->digests = calloc(VIGIL_V1_MAX_DEPTH, sizeof(char *)))) {
		if (in) {
			free(in->names);
			free(in);
		}
		free(c);
		return vigil_error_oom();
	}
	c->internal = in;
	if (!vigil_index_chain_name_ok(name, strlen(name))) {
		rc = vigil_error_set(VIGIL_ENOTFOUND, "layer name: 1 to %d bytes without control characters",
				     VIGIL_V1_MAX_NAME);
		goto out;
	}
	/* walk up from name, then reverse: base first */
	snprintf(cur, sizeof(cur), "%s", name);
	for (;;) {
		if (c->n == VIGIL_V1_MAX_DEPTH) {
			rc = vigil_error_set(VIGIL_ENOTFOUND, "layer %s: more than %d layers below it", name,
					     VIGIL_V1_MAX_DEPTH);
			goto out;
		}
		for (size_t i = 0; i < c->n; i++)
			if (!strcmp(in->names[i], cur)) {
				rc = vigil_error_set(VIGIL_ENOTFOUND,
						     "layer %s: its ancestry loops at %s: DELETE %s and POST the layers again",
						     name, cur, cur);
				goto out;
			}
		if ((rc = vigil_store_v1_layer_get(st, cur, parent, sizeof(parent), digest, sizeof(digest), NULL, 0)) <
		    0) {
			if (rc == VIGIL_ENOTFOUND && c->n)
				vigil_error_set(rc, "layer %s: its ancestor %s is unknown", name, cur);
			goto out;
		}
		if (!(in->names[c->n] = strdup(cur)) || !(in->digests[c->n] = strdup(digest))) {
			c->n++;
			rc = vigil_error_oom();
			goto out;
		}
		if (c->n++ == 0)
			snprintf(in->parent, sizeof(in->parent), "%s", parent);
		if (!parent[0])
			break;
		snprintf(cur, sizeof(cur), "%s", parent);
	}
	reverse(in->names, c->n);
	reverse(in->digests, c->n);
	c->names = (const char *const *)in->names;
	c->digests = (const char *const *)in->digests;
	c->parent = in->parent;
out:
	if (rc < 0) {
		vigil_index_chain_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

int vigil_index_chain_report(vigil_store *st, const vigil_chain *c, vigil_index_report **out)
{
	vigil_layer_result **results = calloc(c->n ? c->n : 1, sizeof(*results));
	const char *top = c->n ? c->names[c->n - 1] : "";
	int rc = 0;

	*out = NULL;
	if (!results)
		return vigil_error_oom();
	for (size_t i = 0; i < c->n; i++) {
		if ((rc = cache_get(st, c->digests[i], &results[i])) < 0) {
			if (rc != VIGIL_ENOTFOUND && rc != VIGIL_EFORMAT && rc != VIGIL_ELIMIT)
				goto out; /* the store's error */
			/* evicted (vigil cache clear, a new scanner version) or damaged:
			 * the layer is known but its contents are not, as if never posted */
			if (i == c->n - 1)
				rc = vigil_error_set(VIGIL_ENOTFOUND,
						     "layer %s: its scan (%s) is no longer in the layer cache "
						     "(vigil cache clear, or a new scanner version): POST the layer again",
						     c->names[i], c->digests[i]);
			else
				rc = vigil_error_set(VIGIL_ENOTFOUND,
						     "layer %s: the scan (%s) of its ancestor %s is no longer in the layer "
						     "cache (vigil cache clear, or a new scanner version): POST %s again",
						     top, c->digests[i], c->names[i], c->names[i]);
			goto out;
		}
	}
	/* report.c's builder without an image: introduced in the v1 names,
	 * named by the top layer's digest; it takes results */
	rc = idx_report_build_named(top, NULL, c->names, c->n ? c->digests[c->n - 1] : "", results, c->n,
					    out);
	results = NULL;
out:
	for (size_t i = 0; results && i < c->n; i++)
		idx_layer_result_free(results[i]);
	free(results);
	return rc;
}

int vigil_index_chain_cached(vigil_store *st, const vigil_chain *c, int *all)
{
	*all = 1;
	for (size_t i = 0; i < c->n; i++) {
		char *blob = NULL;
		size_t len = 0;
		int rc = store_layer_get(st, c->digests[i], VIGIL_SCANNERS_VERSION, &blob, &len);
		free(blob);
		if (rc == VIGIL_ENOTFOUND) {
			vigil_error_clear();
			*all = 0;
			return 0;
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}
