/* store/sqlite_lock.c: named locks across the processes sharing one
 * SQLite store (several vigil serve or vigil index processes on one
 * machine). A key is one byte of the file <store>-locks, at an offset
 * hashed from the key (62 bits: keys do not collide in practice), locked
 * with an open file description lock (F_OFD_SETLK): the lock belongs to
 * this store's descriptor, never blocks (the waiting is store_lock.c's),
 * and goes away with the process however it ends. */
#define _GNU_SOURCE
#include "store/sqlite_priv.h"
#include "util/error.h"
#include "util/map.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* FNV-1a (util/map.h) from the seed this file has always used: processes of
 * another vigil version sharing the store must lock the same bytes. */
#define LOCK_HASH_SEED 1469598103934665603ull

static off_t key_offset(const char *key)
{
	uint64_t h = vigil_hash_more(LOCK_HASH_SEED, key, strlen(key));
	return (off_t)(h & ((1ull << 62) - 1));
}

static int lockfd(struct sqlite_store *s)
{
	char path[sizeof(s->path) + 8];
	if (s->lockfd >= 0)
		return s->lockfd;
	snprintf(path, sizeof(path), "%s-locks", s->path);
	if ((s->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return vigil_error_set(VIGIL_EIO, "%s: %s", path, strerror(errno));
	return s->lockfd;
}

static int setlk(struct sqlite_store *s, const char *key, short type)
{
	struct flock fl;
	int fd, rc;
	pthread_mutex_lock(&s->lock_mu);
	if ((fd = lockfd(s)) < 0) {
		pthread_mutex_unlock(&s->lock_mu);
		return fd;
	}
	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = key_offset(key);
	fl.l_len = 1;
	if (fcntl(fd, F_OFD_SETLK, &fl) == 0)
		rc = 1;
	else if (errno == EAGAIN || errno == EACCES)
		rc = 0;
	else
		rc = vigil_error_set(VIGIL_EIO, "%s-locks: lock %s: %s", s->path, key, strerror(errno));
	pthread_mutex_unlock(&s->lock_mu);
	return rc;
}

int sqlite_xlock_try(vigil_store *s, const char *key)
{
	return setlk((struct sqlite_store *)s, key, F_WRLCK);
}

void sqlite_xlock_release(vigil_store *s, const char *key)
{
	setlk((struct sqlite_store *)s, key, F_UNLCK);
}

void sqlite_lock_close(struct sqlite_store *s)
{
	if (s->lockfd >= 0)
		close(s->lockfd);
	s->lockfd = -1;
	pthread_mutex_destroy(&s->lock_mu);
}
