/* store/pg_lock.c: the PostgreSQL side of the named locks (store_lock.c):
 * session advisory locks, on one connection per store kept for them (the
 * lock session, outside the pool, used under lock_mu). A key becomes the
 * lock's bigint: the first 8 bytes of its sha256. A node that dies ends its
 * session and the server drops its locks; a lock session that broke (the
 * server restarted) is opened again on the next try, and the locks it held
 * were lost with it: another node may take them meanwhile. */
#include "store/pg_priv.h"
#include "util/error.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

static int key_of(const char *key, char out[32])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	uint64_t v = 0;
	if (!EVP_Digest(key, strlen(key), md, &n, EVP_sha256(), NULL) || n < 8)
		return vigil_error_set(VIGIL_ESTORE, "lock %s: sha256 failed", key);
	for (int i = 0; i < 8; i++)
		v = v << 8 | md[i];
	/* two's complement: the bigint of the same 8 bytes */
	snprintf(out, 32, "%lld", v > (uint64_t)INT64_MAX ? -(long long)(~v) - 1 : (long long)v);
	return 0;
}

/* The lock session, opened when there is none or it broke. Under lock_mu. */
static int session(struct pg_store *p)
{
	if (p->lockconn && pg_conn_alive(p->lockconn))
		return 0;
	PQfinish(p->lockconn); /* its locks went with it */
	if (!(p->lockconn = pg_connect(&p->base)))
		return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_EUNAVAILABLE;
	return 0;
}

int pg_xlock_try(vigil_store *s, const char *key)
{
	struct pg_store *p = pg_store_of(s);
	char k[32];
	const char *params[] = { k };
	PGresult *res = NULL;
	int rc;
	if ((rc = key_of(key, k)) < 0)
		return rc;
	pthread_mutex_lock(&p->lock_mu);
	for (int attempt = 0; attempt < 2; attempt++) {
		if ((rc = session(p)) < 0)
			break;
		rc = pg_query(p->lockconn, "take lock", "SELECT pg_try_advisory_lock($1::bigint)", 1, params, &res);
		if (rc != VIGIL_EUNAVAILABLE)
			break;
		/* the session died under the query: once more on a new one */
		PQfinish(p->lockconn);
		p->lockconn = NULL;
	}
	if (rc == 0)
		rc = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't' ? 1 : 0;
	PQclear(res);
	pthread_mutex_unlock(&p->lock_mu);
	if (rc < 0)
		vigil_error_prefix("lock %s: ", key);
	return rc;
}

void pg_xlock_release(vigil_store *s, const char *key)
{
	struct pg_store *p = pg_store_of(s);
	char k[32];
	const char *params[] = { k };
	PGresult *res = NULL;
	if (key_of(key, k) < 0)
		return;
	pthread_mutex_lock(&p->lock_mu);
	/* a broken session holds nothing any more */
	if (p->lockconn && pg_conn_alive(p->lockconn))
		pg_query(p->lockconn, "release lock", "SELECT pg_advisory_unlock($1::bigint)", 1, params, &res);
	PQclear(res);
	pthread_mutex_unlock(&p->lock_mu);
}

void pg_lock_close(struct pg_store *p)
{
	pthread_mutex_lock(&p->lock_mu);
	PQfinish(p->lockconn);
	p->lockconn = NULL;
	pthread_mutex_unlock(&p->lock_mu);
}
