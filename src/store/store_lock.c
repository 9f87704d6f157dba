/* store/store_lock.c: named locks. In this process a table of the keys
 * held, with one condition variable the waiters sleep on; across nodes the
 * backend's xlock (PostgreSQL advisory locks, store/pg_lock.c), taken
 * after the in-process key so that one thread per node polls for it. A
 * key held in this process is never asked of the database twice. */
#include "store/store_priv.h"
#include "util/error.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How often a waiter asks the database again for a key another node holds. */
#define LOCK_POLL_MIN_MS 10
#define LOCK_POLL_MAX_MS 200

struct held {
	struct held *next;
	char key[VIGIL_STORE_MAX_LOCK_KEY];
};

struct store_locks {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct held *held;
};

struct vigil_store_lock {
	vigil_store *s;
	struct held *h;
	int xlocked;
};

struct store_locks *store_locks_new(void)
{
	struct store_locks *l = calloc(1, sizeof(*l));
	pthread_condattr_t ca;
	if (!l)
		return NULL;
	pthread_mutex_init(&l->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&l->cv, &ca);
	pthread_condattr_destroy(&ca);
	return l;
}

void store_locks_free(struct store_locks *l)
{
	if (!l)
		return;
	while (l->held) {
		struct held *h = l->held;
		l->held = h->next;
		free(h);
	}
	pthread_cond_destroy(&l->cv);
	pthread_mutex_destroy(&l->mu);
	free(l);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct held *find(struct store_locks *l, const char *key)
{
	for (struct held *h = l->held; h; h = h->next)
		if (!strcmp(h->key, key))
			return h;
	return NULL;
}

static void unlink_held(struct store_locks *l, struct held *h)
{
	pthread_mutex_lock(&l->mu);
	for (struct held **pp = &l->held; *pp; pp = &(*pp)->next)
		if (*pp == h) {
			*pp = h->next;
			break;
		}
	pthread_cond_broadcast(&l->cv);
	pthread_mutex_unlock(&l->mu);
	free(h);
}

/* The in-process part: 1 taken, 0 not (try, or time up), < 0 error. */
static int take_local(struct store_locks *l, const char *key, int timeout_ms, int try_only,
		      struct held **out)
{
	int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	struct held *h = calloc(1, sizeof(*h));
	if (!h)
		return vigil_error_oom();
	memcpy(h->key, key, strlen(key) + 1);
	pthread_mutex_lock(&l->mu);
	while (find(l, key)) {
		if (try_only) {
			pthread_mutex_unlock(&l->mu);
			free(h);
			return 0;
		}
		if (deadline < 0) {
			pthread_cond_wait(&l->cv, &l->mu);
			continue;
		}
		int64_t left = deadline - now_ms();
		if (left <= 0) {
			pthread_mutex_unlock(&l->mu);
			free(h);
			return 0;
		}
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += left / 1000;
		ts.tv_nsec += (left % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&l->cv, &l->mu, &ts);
	}
	h->next = l->held;
	l->held = h;
	pthread_mutex_unlock(&l->mu);
	*out = h;
	return 1;
}

static int take(vigil_store *s, const char *key, int timeout_ms, int try_only, vigil_store_lock **out)
{
	struct held *h = NULL;
	vigil_store_lock *lk;
	int64_t start = now_ms();
	int rc, poll = LOCK_POLL_MIN_MS;

	*out = NULL;
	if (strlen(key) >= VIGIL_STORE_MAX_LOCK_KEY)
		return vigil_error_set(VIGIL_ELIMIT, "lock key over %d bytes", VIGIL_STORE_MAX_LOCK_KEY - 1);
	if (!s->locks)
		return vigil_error_set(VIGIL_EINVAL, "%s: no lock table", s->describe);
	if ((rc = take_local(s->locks, key, timeout_ms, try_only, &h)) <= 0)
		goto busy;
	for (;;) {
		if (!s->xlock) {
			rc = 1;
			break;
		}
		if ((rc = s->xlock->xlock_try(s, key)) != 0)
			break;
		int64_t waited = now_ms() - start;
		if (try_only || (timeout_ms >= 0 && waited >= timeout_ms))
			break;
		struct timespec ts = { 0, (long)poll * 1000000 };
		nanosleep(&ts, NULL);
		poll = poll * 2 > LOCK_POLL_MAX_MS ? LOCK_POLL_MAX_MS : poll * 2;
	}
	if (rc <= 0) {
		unlink_held(s->locks, h);
		if (rc < 0)
			return rc;
		goto busy;
	}
	if (!(lk = calloc(1, sizeof(*lk)))) {
		if (s->xlock)
			s->xlock->xlock_release(s, key);
		unlink_held(s->locks, h);
		return vigil_error_oom();
	}
	lk->s = s;
	lk->h = h;
	lk->xlocked = s->xlock != NULL;
	*out = lk;
	return 1;
busy:
	if (rc < 0)
		return rc;
	if (try_only)
		return 0;
	return vigil_error_set(VIGIL_EUNAVAILABLE, "%s is busy (held elsewhere for over %d ms)", key, timeout_ms);
}

int vigil_store_lock_take(vigil_store *s, const char *key, int timeout_ms, vigil_store_lock **out)
{
	int rc = take(s, key, timeout_ms, 0, out);
	return rc < 0 ? rc : 0;
}

int vigil_store_lock_try(vigil_store *s, const char *key, vigil_store_lock **out)
{
	return take(s, key, 0, 1, out);
}

void vigil_store_lock_release(vigil_store_lock *lk)
{
	if (!lk)
		return;
	if (lk->xlocked && lk->s->xlock)
		lk->s->xlock->xlock_release(lk->s, lk->h->key);
	unlink_held(lk->s->locks, lk->h);
	free(lk);
}
