/* server/report_cache.c: the VulnerabilityReports vigil serve keeps in
 * memory, so a GET of a report already matched under the current feeds
 * waits on nothing. One entry per manifest hash (its report under one
 * feeds' state); capped in bytes (report_cache_bytes, default 256 MiB:
 * a big image's report is tens of MB, so a count cap let ten of them take
 * gigabytes), least recently used out first. A chained hash table
 * (SRV_RCACHE_BUCKETS heads) finds an entry, a doubly linked list keeps
 * the use order; one mutex guards both. The blobs are reference-counted
 * and shared with the responses sending them: an evicted report still
 * being sent lives until its last response is done (it no longer counts).
 *
 * Identical blobs are not shared: a VulnerabilityReport names its
 * manifest hash, so two hashes never have the same bytes.
 *
 * A generation counter closes the race of a report made from a store
 * record that is replaced meanwhile: srv_rcache_drop bumps it, and put is
 * refused when it moved since the caller read the record. */
#include "server/report_cache.h"
#include "util/error.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct rc_entry {
	struct rc_entry *hnext;        /* the bucket's chain */
	struct rc_entry *prev, *next;  /* use order: head most recent */
	char *key, *fp;
	srv_blob *blob;
	size_t bytes;
};

struct srv_rcache {
	pthread_mutex_t mu;
	size_t cap, bytes, n;
	uint64_t gen;
	struct rc_entry *head, *tail;
	struct rc_entry *b[SRV_RCACHE_BUCKETS];
};

int srv_rcache_new(size_t cap, srv_rcache **out)
{
	srv_rcache *c = calloc(1, sizeof(*c));
	*out = NULL;
	if (!c)
		return vigil_error_oom();
	pthread_mutex_init(&c->mu, NULL);
	c->cap = cap;
	*out = c;
	return 0;
}

static size_t bucket(const char *key)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return (size_t)(h % SRV_RCACHE_BUCKETS);
}

static struct rc_entry **find(srv_rcache *c, const char *key)
{
	struct rc_entry **pp = &c->b[bucket(key)];
	while (*pp && strcmp((*pp)->key, key))
		pp = &(*pp)->hnext;
	return pp;
}

static void unlink_lru(srv_rcache *c, struct rc_entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		c->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		c->tail = e->prev;
	e->prev = e->next = NULL;
}

static void push_front(srv_rcache *c, struct rc_entry *e)
{
	e->prev = NULL;
	e->next = c->head;
	if (c->head)
		c->head->prev = e;
	c->head = e;
	if (!c->tail)
		c->tail = e;
}

/* Removes the entry *pp points to (a bucket link). */
static void remove_at(srv_rcache *c, struct rc_entry **pp)
{
	struct rc_entry *e = *pp;
	*pp = e->hnext;
	unlink_lru(c, e);
	c->bytes -= e->bytes;
	c->n--;
	srv_blob_unref(e->blob);
	free(e->key);
	free(e->fp);
	free(e);
}

void srv_rcache_free(srv_rcache *c)
{
	if (!c)
		return;
	while (c->tail)
		remove_at(c, find(c, c->tail->key));
	pthread_mutex_destroy(&c->mu);
	free(c);
}

srv_blob *srv_rcache_get(srv_rcache *c, const char *key, const char *fp)
{
	srv_blob *b = NULL;
	pthread_mutex_lock(&c->mu);
	struct rc_entry *e = *find(c, key);
	if (e && !strcmp(e->fp, fp)) {
		b = srv_blob_ref(e->blob);
		unlink_lru(c, e);
		push_front(c, e);
	}
	pthread_mutex_unlock(&c->mu);
	return b;
}

uint64_t srv_rcache_gen(srv_rcache *c)
{
	pthread_mutex_lock(&c->mu);
	uint64_t g = c->gen;
	pthread_mutex_unlock(&c->mu);
	return g;
}

void srv_rcache_put(srv_rcache *c, const char *key, const char *fp, srv_blob *b, uint64_t gen)
{
	size_t bytes = sizeof(struct rc_entry) + b->len + strlen(key) + strlen(fp) + 2;
	struct rc_entry *e;
	if (bytes > c->cap || !(e = calloc(1, sizeof(*e))))
		return;
	if (!(e->key = strdup(key)) || !(e->fp = strdup(fp))) {
		free(e->key);
		free(e);
		return;
	}
	e->bytes = bytes;
	pthread_mutex_lock(&c->mu);
	if (gen != c->gen) { /* dropped meanwhile: made from what is gone */
		pthread_mutex_unlock(&c->mu);
		free(e->key);
		free(e->fp);
		free(e);
		return;
	}
	struct rc_entry **pp = find(c, key);
	if (*pp)
		remove_at(c, pp);
	while (c->tail && c->bytes + bytes > c->cap)
		remove_at(c, find(c, c->tail->key));
	e->blob = srv_blob_ref(b);
	e->hnext = c->b[bucket(key)];
	c->b[bucket(key)] = e;
	push_front(c, e);
	c->bytes += bytes;
	c->n++;
	pthread_mutex_unlock(&c->mu);
}

void srv_rcache_drop(srv_rcache *c, const char *key)
{
	pthread_mutex_lock(&c->mu);
	struct rc_entry **pp = find(c, key);
	if (*pp)
		remove_at(c, pp);
	c->gen++;
	pthread_mutex_unlock(&c->mu);
}

void srv_rcache_usage(srv_rcache *c, size_t *entries, size_t *bytes)
{
	pthread_mutex_lock(&c->mu);
	*entries = c->n;
	*bytes = c->bytes;
	pthread_mutex_unlock(&c->mu);
}
