/* store/pg_conn.c: the connections of the PostgreSQL backend (see
 * pg_priv.h): the connection string (postgres:// URI or "key=value"
 * conninfo, plus vigil's own pool_size), the pool with its queue, the
 * error mapping (a lost server is VIGIL_EUNAVAILABLE, naming the database,
 * never the password) and the query helpers the pg*.c files share. */
#include "store/pg_priv.h"
#include "util/error.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PG_MAX_MSG 400 /* of a server message quoted in ours */

/* ---- errors and queries ---- */

/* The first line of a libpq message, without "ERROR:  " and the newline. */
static void first_line(const char *m, char *out, size_t n)
{
	size_t len;
	if (!m || !*m)
		m = "unknown error";
	if (!strncmp(m, "ERROR:  ", 8) || !strncmp(m, "FATAL:  ", 8))
		m += 8;
	len = strcspn(m, "\n");
	if (len >= n)
		len = n - 1;
	memcpy(out, m, len);
	out[len] = '\0';
}

int pg_error(PGconn *c, const PGresult *res, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *m = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char msg[PG_MAX_MSG];
	int gone = !c || PQstatus(c) == CONNECTION_BAD ||
		   (state && (!strncmp(state, "08", 2) || !strcmp(state, "57P01") || !strcmp(state, "57P02") ||
			      !strcmp(state, "57P03")));
	if (!m || !*m)
		m = res ? PQresultErrorMessage(res) : NULL;
	if (!m || !*m)
		m = c ? PQerrorMessage(c) : "no connection";
	first_line(m, msg, sizeof(msg));
	if (gone)
		return vigil_error_set(VIGIL_EUNAVAILABLE, "postgres: %s: database %s on %s:%s is unavailable: %s",
				       what, c ? PQdb(c) : "?", c && PQhost(c) ? PQhost(c) : "?",
				       c && PQport(c) ? PQport(c) : "?", msg);
	if (state)
		return vigil_error_set(VIGIL_ESTORE, "postgres: %s: %s (SQLSTATE %s)", what, msg, state);
	return vigil_error_set(VIGIL_ESTORE, "postgres: %s: %s", what, msg);
}

int pg_exec(PGconn *c, const char *sql)
{
	PGresult *res = PQexec(c, sql);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	int rc = 0;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		char what[64];
		snprintf(what, sizeof(what), "%.48s", sql);
		rc = pg_error(c, res, what);
	}
	PQclear(res);
	return rc;
}

int pg_query_fmt(PGconn *c, const char *what, const char *sql, int nparams, const char *const *params,
		 const int *lengths, const int *formats, int result_format, PGresult **out)
{
	PGresult *res = PQexecParams(c, sql, nparams, NULL, params, lengths, formats, result_format);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	*out = NULL;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		int rc = pg_error(c, res, what);
		PQclear(res);
		return rc;
	}
	*out = res;
	return 0;
}

int pg_query(PGconn *c, const char *what, const char *sql, int nparams, const char *const *params,
	     PGresult **out)
{
	return pg_query_fmt(c, what, sql, nparams, params, NULL, NULL, 0, out);
}

int pg_query_bin(PGconn *c, const char *what, const char *sql, int nparams, const char *const *params,
		 const int *lengths, const int *formats, PGresult **out)
{
	return pg_query_fmt(c, what, sql, nparams, params, lengths, formats, 0, out);
}

int pg_tx_end(PGconn *c, int rc)
{
	if (rc < 0) {
		PGresult *res = PQexec(c, "ROLLBACK");
		PQclear(res);
		return rc;
	}
	return pg_exec(c, "COMMIT");
}

/* ---- the connection string ---- */

static int parse_pool_size(const char *v, size_t len, size_t *pool)
{
	char buf[16], *end;
	long n;
	if (len == 0 || len >= sizeof(buf))
		goto bad;
	memcpy(buf, v, len);
	buf[len] = '\0';
	errno = 0;
	n = strtol(buf, &end, 10);
	if (errno || *end || n < 1 || n > PG_POOL_MAX)
		goto bad;
	*pool = (size_t)n;
	return 0;
bad:
	return vigil_error_set(VIGIL_EINVAL, "postgres: pool_size must be a number from 1 to %d", PG_POOL_MAX);
}

/* Appends len bytes of s to out (used bytes *w of n). */
static int put(char *out, size_t n, size_t *w, const char *s, size_t len)
{
	if (*w + len >= n)
		return vigil_error_set(VIGIL_ELIMIT, "postgres: connection string over %zu bytes", n - 1);
	memcpy(out + *w, s, len);
	*w += len;
	out[*w] = '\0';
	return 0;
}

/* A URI without its pool_size query parameter. */
static int strip_uri(const char *in, char *out, size_t n, size_t *pool)
{
	const char *q = strchr(in, '?');
	size_t w = 0;
	int rc, first = 1;
	out[0] = '\0';
	if ((rc = put(out, n, &w, in, q ? (size_t)(q - in) : strlen(in))) < 0 || !q)
		return rc;
	for (const char *p = q + 1; *p;) {
		size_t len = strcspn(p, "&");
		if (len > 10 && !strncmp(p, "pool_size=", 10)) {
			if ((rc = parse_pool_size(p + 10, len - 10, pool)) < 0)
				return rc;
		} else if (len && ((rc = put(out, n, &w, first ? "?" : "&", 1)) < 0 ||
				   (rc = put(out, n, &w, p, len)) < 0)) {
			return rc;
		} else if (len) {
			first = 0;
		}
		p += len;
		if (*p == '&')
			p++;
	}
	return 0;
}

/* A "key=value ..." string without its pool_size=N (values may be quoted
 * with '' and hold \-escapes, as libpq reads them). */
static int strip_kv(const char *in, char *out, size_t n, size_t *pool)
{
	size_t w = 0;
	int rc;
	const char *p = in;
	out[0] = '\0';
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		const char *start = p, *key = p, *val;
		size_t klen;
		while (*p && *p != '=' && *p != ' ' && *p != '\t')
			p++;
		klen = (size_t)(p - key);
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '=')
			return vigil_error_set(VIGIL_EINVAL, "postgres: connection string: missing \"=\" after %.*s",
					       (int)(klen > 40 ? 40 : klen), key);
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		val = p;
		if (*p == '\'') {
			for (p++; *p && *p != '\''; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p != '\'')
				return vigil_error_set(VIGIL_EINVAL, "postgres: connection string: unterminated quote");
			p++;
		} else {
			for (; *p && *p != ' ' && *p != '\t' && *p != '\n'; p++)
				if (*p == '\\' && p[1])
					p++;
		}
		if (klen == 9 && !strncmp(key, "pool_size", 9)) {
			size_t vlen = (size_t)(p - val);
			if (*val == '\'' && vlen >= 2) {
				val++;
				vlen -= 2;
			}
			if ((rc = parse_pool_size(val, vlen, pool)) < 0)
				return rc;
			continue;
		}
		if ((w && (rc = put(out, n, &w, " ", 1)) < 0) || (rc = put(out, n, &w, start, (size_t)(p - start))) < 0)
			return rc;
	}
	return 0;
}

static int is_uri(const char *s)
{
	return !strncmp(s, "postgres://", 11) || !strncmp(s, "postgresql://", 13);
}

static const char *opt(PQconninfoOption *o, const char *key)
{
	for (; o && o->keyword; o++)
		if (!strcmp(o->keyword, key))
			return o->val && *o->val ? o->val : NULL;
	return NULL;
}

void pg_set_describe(struct pg_store *p, const char *user, int password, const char *host,
			 const char *port, const char *db)
{
	const char *h = host && *host ? host : "localhost";
	if (*h == '/') /* a unix socket folder */
		snprintf(p->base.describe, sizeof(p->base.describe), "postgres://%s%s%slocalhost:%s/%s?host=%s",
			 user ? user : "", password ? ":***" : "", user ? "@" : "", port ? port : "5432",
			 db ? db : "", h);
	else
		snprintf(p->base.describe, sizeof(p->base.describe), "postgres://%s%s%s%s:%s/%s", user ? user : "",
			 password ? ":***" : "", user ? "@" : "", h, port ? port : "5432", db ? db : "");
}

/* Fills p->conninfo, p->max and a first describe (the options given,
 * libpq's defaults for the rest; never the password). */
int pg_parse_conninfo(struct pg_store *p, const char *in, int *password)
{
	char stripped[PG_MAX_CONNINFO], *err = NULL;
	size_t pool = 0, w;
	const char *env = getenv("VIGIL_PG_POOL");
	PQconninfoOption *o = NULL, *d = NULL;
	int rc;

	if (strlen(in) >= PG_MAX_CONNINFO)
		return vigil_error_set(VIGIL_ELIMIT, "postgres: connection string over %d bytes", PG_MAX_CONNINFO - 1);
	rc = is_uri(in) ? strip_uri(in, stripped, sizeof(stripped), &pool)
			: strip_kv(in, stripped, sizeof(stripped), &pool);
	if (rc < 0)
		return rc;
	if (!pool && env && *env && (rc = parse_pool_size(env, strlen(env), &pool)) < 0) {
		vigil_error_prefix("VIGIL_PG_POOL: ");
		return rc;
	}
	p->max = pool ? pool : PG_POOL_SIZE;
	if (!(o = PQconninfoParse(stripped, &err))) {
		char msg[PG_MAX_MSG];
		first_line(err, msg, sizeof(msg));
		PQfreemem(err);
		return vigil_error_set(VIGIL_EINVAL, "postgres: bad connection string: %s", msg);
	}
	w = strlen(stripped);
	memcpy(p->conninfo, stripped, w + 1);
	if (!opt(o, "connect_timeout")) {
		char add[64];
		if (is_uri(stripped))
			snprintf(add, sizeof(add), "%cconnect_timeout=%d", strchr(stripped, '?') ? '&' : '?',
				 PG_CONNECT_TIMEOUT_S);
		else
			snprintf(add, sizeof(add), "%sconnect_timeout=%d", w ? " " : "", PG_CONNECT_TIMEOUT_S);
		if ((rc = put(p->conninfo, sizeof(p->conninfo), &w, add, strlen(add))) < 0)
			goto out;
	}
	if (!opt(o, "fallback_application_name")) {
		const char *add = is_uri(p->conninfo) ? "&fallback_application_name=vigil"
						       : " fallback_application_name=vigil";
		if (is_uri(p->conninfo) && !strchr(p->conninfo, '?'))
			add = "?fallback_application_name=vigil";
		if ((rc = put(p->conninfo, sizeof(p->conninfo), &w, add, strlen(add))) < 0)
			goto out;
	}
	d = PQconndefaults();
	const char *user = opt(o, "user") ? opt(o, "user") : opt(d, "user");
	const char *host = opt(o, "host") ? opt(o, "host") : opt(o, "hostaddr") ? opt(o, "hostaddr") : opt(d, "host");
	const char *port = opt(o, "port") ? opt(o, "port") : opt(d, "port");
	const char *db = opt(o, "dbname") ? opt(o, "dbname") : opt(d, "dbname") ? opt(d, "dbname") : user;
	*password = opt(o, "password") != NULL;
	pg_set_describe(p, user, *password, host, port, db);
	rc = 0;
out:
	PQconninfoFree(o);
	PQconninfoFree(d);
	return rc;
}

/* ---- the pool ---- */

static void quiet(void *arg, const char *message) { (void)arg, (void)message; }

/* A new connection, or VIGIL_EUNAVAILABLE naming the database. */
static int connect_one(struct pg_store *p, PGconn **out)
{
	PGconn *c = PQconnectdb(p->conninfo);
	*out = NULL;
	if (!c)
		return vigil_error_oom();
	if (PQstatus(c) != CONNECTION_OK) {
		char msg[PG_MAX_MSG];
		first_line(PQerrorMessage(c), msg, sizeof(msg));
		PQfinish(c);
		return vigil_error_set(VIGIL_EUNAVAILABLE, "postgres: cannot connect to %s: %s", p->base.describe, msg);
	}
	PQsetNoticeProcessor(c, quiet, NULL);
	*out = c;
	return 0;
}

PGconn *pg_connect(vigil_store *s)
{
	PGconn *c = NULL;
	connect_one(pg_store_of(s), &c);
	return c;
}

int pg_conn_alive(PGconn *c)
{
	struct pollfd pfd;
	if (!c || PQstatus(c) != CONNECTION_OK || (pfd.fd = PQsocket(c)) < 0)
		return 0;
	pfd.events = POLLIN;
	pfd.revents = 0;
	/* an idle connection has nothing to read: when it has, the server
	 * ended the session (its last word, then the end of the stream) */
	if (poll(&pfd, 1, 0) != 0)
		return 0;
	return PQtransactionStatus(c) == PQTRANS_IDLE;
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void gone_one(struct pg_store *p)
{
	pthread_mutex_lock(&p->mu);
	p->nopen--;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

int pg_conn_get(vigil_store *s, PGconn **out)
{
	struct pg_store *p = pg_store_of(s);
	int64_t deadline = mono_ms() + PG_POOL_WAIT_MS;
	PGconn *c = NULL;
	int rc;
	*out = NULL;
	pthread_mutex_lock(&p->mu);
	while (p->nidle == 0 && p->nopen >= p->max) {
		int64_t left = deadline - mono_ms();
		struct timespec ts;
		if (left <= 0) {
			pthread_mutex_unlock(&p->mu);
			return vigil_error_set(VIGIL_EUNAVAILABLE, "postgres: all %zu connections busy for %d s (%s)",
					       p->max, PG_POOL_WAIT_MS / 1000, p->base.describe);
		}
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += left / 1000;
		ts.tv_nsec += (left % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&p->cv, &p->mu, &ts);
	}
	if (p->nidle > 0)
		c = p->idle[--p->nidle];
	else
		p->nopen++;
	pthread_mutex_unlock(&p->mu);
	if (!c) {
		if ((rc = connect_one(p, &c)) < 0)
			gone_one(p);
		*out = c;
		return rc;
	}
	if (!pg_conn_alive(c)) {
		/* the server restarted (or the connection broke): a new session */
		PQreset(c);
		if (PQstatus(c) != CONNECTION_OK) {
			char msg[PG_MAX_MSG];
			first_line(PQerrorMessage(c), msg, sizeof(msg));
			PQfinish(c);
			gone_one(p);
			return vigil_error_set(VIGIL_EUNAVAILABLE, "postgres: cannot connect to %s: %s",
					       p->base.describe, msg);
		}
	}
	*out = c;
	return 0;
}

void pg_conn_put(vigil_store *s, PGconn *c)
{
	struct pg_store *p = pg_store_of(s);
	if (!c)
		return;
	if (PQstatus(c) != CONNECTION_OK || PQtransactionStatus(c) != PQTRANS_IDLE) {
		PQfinish(c); /* the server rolls back what it was in */
		gone_one(p);
		return;
	}
	pthread_mutex_lock(&p->mu);
	p->idle[p->nidle++] = c;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* One statement on a connection of the pool; *res (may be NULL: cleared). */
int pg_run(vigil_store *s, const char *what, const char *sql, int nparams, const char *const *params,
	   const int *lengths, const int *formats, int result_format, PGresult **res)
{
	PGconn *c;
	PGresult *r = NULL;
	int rc = pg_conn_get(s, &c);
	if (res)
		*res = NULL;
	if (rc < 0)
		return rc;
	rc = pg_query_fmt(c, what, sql, nparams, params, lengths, formats, result_format, &r);
	pg_conn_put(s, c);
	if (rc == 0 && res)
		*res = r;
	else
		PQclear(r);
	return rc;
}

int64_t pg_cmd_tuples(PGresult *res)
{
	const char *n = PQcmdTuples(res);
	return n && *n ? strtoll(n, NULL, 10) : 0;
}

int pg_copy_value(const PGresult *res, int row, int col, char **out, size_t *len)
{
	int n = PQgetlength(res, row, col);
	if (!(*out = malloc((size_t)n + 1)))
		return vigil_error_oom();
	if (n)
		memcpy(*out, PQgetvalue(res, row, col), (size_t)n);
	(*out)[n] = '\0';
	if (len)
		*len = (size_t)n;
	return 0;
}
