/* tests/store/test_pg.c: the PostgreSQL backend on a real server
 * (VIGIL_TEST_PG, the base DSN of scripts/pg-test.sh; skips without it):
 * the pool (more threads than connections queue and all succeed; a caller
 * that waits too long gets VIGIL_EUNAVAILABLE), connections and the lock
 * session killed under the store and made again, named locks between two
 * stores on one database (two nodes), a closed node's locks released,
 * migrations applied once by stores opening together, a newer schema
 * refused, describe without the password, an unreachable server, the
 * connection string's pool_size, and the layer cache, fetch validators,
 * v1 layers and listings and index reports round trips. */
#include "helpers.h"
#include "store/pg_priv.h"
#include "util/error.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define NTHREADS 8
#define NOPS 25
#define NOPENERS 6

static char dir[64];

static int setup(void **state)
{
	if (!th_pg()) {
		printf("SKIP: VIGIL_TEST_PG is not set (the PostgreSQL tests run as pg/store/test_pg under ctest)\n");
		exit(77);
	}
	snprintf(dir, sizeof(dir), "/tmp/vigil-pg-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) { return th_temp_store_free(dir, NULL); }

/* Runs sql on the database at loc; the first value of the first row in
 * out (may be NULL). */
static void sql_at(const char *loc, const char *sql, char *out, size_t n)
{
	PGconn *c = PQconnectdb(loc);
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(c));
	if (out)
		snprintf(out, n, "%s", PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	PQfinish(c);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_layer_cache_binary(void **state)
{
	vigil_store *s;
	char *blob = NULL, etag[64], lm[64];
	size_t len = 0;
	long long n = -1;
	const char data[] = { 'a', 0, 'b', 0, 0, (char)0xff, '\\', 'x', 0, 'z' };
	assert_int_equal(th_store_open(dir, "cache", &s), 0);
	assert_non_null(strstr(vigil_store_describe(s), "postgres://postgres@127.0.0.1:"));
	assert_int_equal(store_layer_get(s, "sha256:1", "v1", &blob, &len), VIGIL_ENOTFOUND);
	assert_int_equal(store_layer_put(s, "sha256:1", "v1", data, sizeof(data)), 0);
	assert_int_equal(store_layer_get(s, "sha256:1", "v1", &blob, &len), 0);
	assert_int_equal(len, sizeof(data));
	assert_memory_equal(blob, data, sizeof(data));
	assert_int_equal(blob[len], 0);
	free(blob);
	/* replaced, and another scanner version is another key */
	assert_int_equal(store_layer_put(s, "sha256:1", "v1", "{}", 2), 0);
	assert_int_equal(store_layer_put(s, "sha256:1", "v2", "", 0), 0);
	assert_int_equal(store_layer_get(s, "sha256:1", "v1", &blob, &len), 0);
	assert_int_equal(len, 2);
	assert_memory_equal(blob, "{}", 2);
	free(blob);
	assert_int_equal(store_layer_get(s, "sha256:1", "v2", &blob, &len), 0);
	assert_int_equal(len, 0);
	free(blob);
	assert_int_equal(vigil_store_cache_count(s, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(vigil_store_cache_clear(s, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(vigil_store_cache_count(s, &n), 0);
	assert_int_equal(n, 0);
	/* fetch validators */
	assert_int_equal(store_fetch_get(s, "https://x/a", etag, sizeof(etag), lm, sizeof(lm)), VIGIL_ENOTFOUND);
	assert_int_equal(store_fetch_put(s, "https://x/a", "\"e1\"", "Tue, 01 Aug 2023 00:00:00 GMT"), 0);
	assert_int_equal(store_fetch_put(s, "https://x/a", "\"e2\"", NULL), 0);
	assert_int_equal(store_fetch_get(s, "https://x/a", etag, sizeof(etag), lm, sizeof(lm)), 0);
	assert_string_equal(etag, "\"e2\"");
	assert_string_equal(lm, "");
	vigil_store_close(s);
}

static int on_ns(void *ud, const char *ns, const char *scheme)
{
	char *out = ud;
	size_t n = strlen(out);
	snprintf(out + n, 512 - n, "%s=%s;", ns, scheme);
	return 0;
}

static int on_vuln(void *ud, const char *name, int64_t vuln, int severity)
{
	char *out = ud;
	size_t n = strlen(out);
	snprintf(out + n, 512 - n, "%s/%lld/%d;", name, (long long)vuln, severity);
	return 0;
}

static void test_v1_and_reports(void **state)
{
	vigil_store *s;
	char loc[512], parent[128], digest[128], got[512];
	int64_t removed = -1;
	int deleted = -1;
	assert_int_equal(th_store_location(dir, "v1", loc, sizeof(loc)), 0);
	assert_int_equal(vigil_store_open(loc, &s), 0);
	/* a tree a <- b <- c, a <- d, e alone; a cycle x <-> y refused */
	assert_int_equal(vigil_store_v1_layer_put(s, "a", "", "sha256:a", "sha256:src"), 0);
	assert_int_equal(vigil_store_v1_layer_put(s, "b", "a", "sha256:b", "sha256:src"), 0);
	assert_int_equal(vigil_store_v1_layer_put(s, "c", "b", "sha256:c", "sha256:src"), 0);
	assert_int_equal(vigil_store_v1_layer_put(s, "d", NULL, "sha256:old", "sha256:src"), 0);
	assert_int_equal(vigil_store_v1_layer_put(s, "d", "a", "sha256:d", "sha256:src"), 0); /* replaced */
	assert_int_equal(vigil_store_v1_layer_put(s, "e", "", "sha256:e", "sha256:src"), 0);
	assert_int_equal(vigil_store_v1_layer_put(s, "x", "y", "sha256:x", "sha256:src"), 0);
	assert_int_equal(vigil_store_v1_layer_put(s, "y", "x", "sha256:y", "sha256:src"), VIGIL_EINVAL);
	assert_int_equal(vigil_store_v1_layer_put(s, "x", "x", "sha256:x", "sha256:src"), VIGIL_EINVAL);
	assert_int_equal(vigil_store_v1_layer_get(s, "d", parent, sizeof(parent), digest, sizeof(digest), got, sizeof(got)), 0);
	assert_string_equal(parent, "a");
	assert_string_equal(digest, "sha256:d");
	assert_string_equal(got, "sha256:src");
	assert_int_equal(vigil_store_v1_layer_get(s, "a", parent, sizeof(parent), digest, sizeof(digest), NULL, 0), 0);
	assert_string_equal(parent, "");
	assert_int_equal(vigil_store_v1_layer_get(s, "zz", parent, sizeof(parent), digest, sizeof(digest), NULL, 0),
			 VIGIL_ENOTFOUND);
	assert_int_equal(vigil_store_v1_layer_delete(s, "b", &removed), 0);
	assert_int_equal(removed, 2); /* b and c */
	assert_int_equal(vigil_store_v1_layer_delete(s, "a", &removed), 0);
	assert_int_equal(removed, 2); /* a and d */
	assert_int_equal(vigil_store_v1_layer_delete(s, "a", &removed), 0);
	assert_int_equal(removed, 0);
	assert_int_equal(vigil_store_v1_layer_delete(s, "x", &removed), 0);
	assert_int_equal(removed, 1); /* y was never written */
	assert_int_equal(vigil_store_v1_layer_get(s, "e", parent, sizeof(parent), digest, sizeof(digest), NULL, 0), 0);

	/* the listings read match_row (written here as a feed's commit would) */
	sql_at(loc,
	       "INSERT INTO match_row (namespace, package, aid, feed, vuln, name, source, is_source, scheme, state, "
	       "fixed, module, arch, severity) VALUES "
	       "('ubuntu:18.04', 'curl', 1, 'ubuntu', 7, 'CVE-a', 'ubuntu', 1, 'dpkg', 1, NULL, NULL, NULL, 2),"
	       "('ubuntu:18.04', 'curl', 2, 'ubuntu', 5, 'CVE-B', 'ubuntu', 1, 'dpkg', 1, NULL, NULL, NULL, 3),"
	       "('ubuntu:18.04', 'zlib', 3, 'ubuntu', 4, 'CVE-B', 'ubuntu', 1, 'dpkg', 1, NULL, NULL, NULL, 4),"
	       "('alpine:3.11', 'musl', 4, 'alpine', 9, 'CVE-c', 'alpine', 0, 'apk', 1, NULL, NULL, NULL, 1)",
	       NULL, 0);
	got[0] = 0;
	assert_int_equal(vigil_store_v1_namespaces(s, on_ns, got), 0);
	assert_string_equal(got, "alpine:3.11=apk;ubuntu:18.04=dpkg;");
	got[0] = 0;
	/* bytewise order as in SQLite: "CVE-B" before "CVE-a" */
	assert_int_equal(vigil_store_v1_ns_vulns(s, "ubuntu:18.04", "", 10, on_vuln, got), 0);
	assert_string_equal(got, "CVE-B/4/4;CVE-a/7/2;");
	got[0] = 0;
	assert_int_equal(vigil_store_v1_ns_vulns(s, "ubuntu:18.04", "", 1, on_vuln, got), 0);
	assert_string_equal(got, "CVE-B/4/4;");
	got[0] = 0;
	assert_int_equal(vigil_store_v1_ns_vulns(s, "ubuntu:18.04", "CVE-B", 1, on_vuln, got), 0);
	assert_string_equal(got, "CVE-a/7/2;");

	/* index reports, binary as they come */
	vigil_stored_report r = { 0 }, back;
	r.report = "{\"a\":1}\0tail";
	r.report_len = 12;
	r.manifest = "{\"m\":2}";
	r.manifest_len = 7;
	snprintf(r.state, sizeof(r.state), "state-1");
	assert_int_equal(store_report_get(s, "sha256:m", &back), VIGIL_ENOTFOUND);
	assert_int_equal(store_report_put(s, "sha256:m", &r), 0);
	assert_int_equal(store_report_get(s, "sha256:m", &back), 0);
	assert_int_equal(back.report_len, 12);
	assert_memory_equal(back.report, r.report, 12);
	assert_int_equal(back.manifest_len, 7);
	assert_string_equal(back.manifest, "{\"m\":2}");
	assert_string_equal(back.state, "state-1");
	store_stored_report_free(&back);
	snprintf(r.state, sizeof(r.state), "state-2");
	assert_int_equal(store_report_put(s, "sha256:m", &r), 0);
	assert_int_equal(store_report_get(s, "sha256:m", &back), 0);
	assert_string_equal(back.state, "state-2");
	store_stored_report_free(&back);
	assert_int_equal(store_report_delete(s, "sha256:m", &deleted), 0);
	assert_int_equal(deleted, 1);
	assert_int_equal(store_report_delete(s, "sha256:m", &deleted), 0);
	assert_int_equal(deleted, 0);
	vigil_store_close(s);
}

struct worker {
	vigil_store *s;
	int id, failed;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	char digest[64], data[64], *blob;
	size_t len;
	for (int i = 0; i < NOPS; i++) {
		snprintf(digest, sizeof(digest), "sha256:%d-%d", w->id, i);
		snprintf(data, sizeof(data), "scan %d of %d", i, w->id);
		if (store_layer_put(w->s, digest, "v1", data, strlen(data)) < 0 ||
		    store_layer_get(w->s, digest, "v1", &blob, &len) < 0) {
			fprintf(stderr, "worker %d: %s\n", w->id, vigil_error_message());
			w->failed++;
			continue;
		}
		if (len != strlen(data) || memcmp(blob, data, len))
			w->failed++;
		free(blob);
	}
	return NULL;
}

static void test_pool_queue(void **state)
{
	char loc[512];
	vigil_store *s;
	pthread_t t[NTHREADS];
	struct worker w[NTHREADS];
	long long n = 0;
	assert_int_equal(th_store_location(dir, "pool", loc, sizeof(loc)), 0);
	strncat(loc, "?pool_size=2", sizeof(loc) - strlen(loc) - 1);
	assert_int_equal(vigil_store_open(loc, &s), 0);
	struct pg_store *p = pg_store_of(s);
	assert_int_equal(p->max, 2);
	assert_null(strstr(p->conninfo, "pool_size"));
	assert_non_null(strstr(p->conninfo, "connect_timeout=5"));
	for (int i = 0; i < NTHREADS; i++) {
		w[i] = (struct worker){ .s = s, .id = i };
		assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].failed, 0);
	}
	assert_true(p->nopen <= 2);
	assert_int_equal(vigil_store_cache_count(s, &n), 0);
	assert_int_equal(n, NTHREADS * NOPS);
	vigil_store_close(s);
}

static void test_pool_timeout(void **state)
{
	char loc[512];
	vigil_store *s;
	PGconn *c1 = NULL, *c2 = NULL;
	long long n;
	assert_int_equal(th_store_location(dir, "pool", loc, sizeof(loc)), 0);
	setenv("VIGIL_PG_POOL", "1", 1);
	assert_int_equal(vigil_store_open(loc, &s), 0);
	unsetenv("VIGIL_PG_POOL");
	assert_int_equal(pg_store_of(s)->max, 1);
	assert_int_equal(pg_conn_get(s, &c1), 0);
	double t0 = now_s();
	assert_int_equal(vigil_store_cache_count(s, &n), VIGIL_EUNAVAILABLE);
	double waited = now_s() - t0;
	printf("waited %.2f s for a connection\n", waited);
	assert_true(waited >= PG_POOL_WAIT_MS / 1000.0 - 0.1 && waited < PG_POOL_WAIT_MS / 1000.0 + 5);
	assert_non_null(strstr(vigil_error_message(), "all 1 connections busy for 10 s"));
	assert_null(c2);
	pg_conn_put(s, c1);
	assert_int_equal(vigil_store_cache_count(s, &n), 0);
	vigil_store_close(s);
	/* a bad pool_size is refused */
	vigil_store *bad = NULL;
	assert_int_equal(vigil_store_open("postgres://127.0.0.1:1/x?pool_size=0", &bad), VIGIL_EINVAL);
	assert_int_equal(vigil_store_open("host=127.0.0.1 port=1 pool_size=65", &bad), VIGIL_EINVAL);
	assert_non_null(strstr(vigil_error_message(), "pool_size"));
	assert_null(bad);
}

static void test_two_nodes(void **state)
{
	char loc[512];
	vigil_store *a, *b;
	vigil_store_lock *la = NULL, *lb = NULL, *lk = NULL;
	char *blob;
	size_t len;
	assert_int_equal(th_store_location(dir, "nodes", loc, sizeof(loc)), 0);
	assert_int_equal(vigil_store_open(loc, &a), 0);
	assert_int_equal(vigil_store_open(loc, &b), 0);
	assert_int_equal(vigil_store_lock_try(a, "layer:sha256:1", &la), 1);
	assert_int_equal(vigil_store_lock_try(b, "layer:sha256:1", &lb), 0);
	assert_null(lb);
	assert_int_equal(vigil_store_lock_try(b, "layer:sha256:2", &lk), 1); /* another key */
	vigil_store_lock_release(lk);
	/* waiting: given up after the time */
	assert_int_equal(vigil_store_lock_take(b, "layer:sha256:1", 300, &lb), VIGIL_EUNAVAILABLE);
	vigil_store_lock_release(la);
	assert_int_equal(vigil_store_lock_try(b, "layer:sha256:1", &lb), 1);
	assert_int_equal(vigil_store_lock_try(a, "layer:sha256:1", &la), 0);
	/* node b goes away holding it: its session ends, the lock with it */
	vigil_store_close(b);
	free(lb); /* the handle of a closed store: only its memory is left */
	assert_int_equal(vigil_store_lock_take(a, "layer:sha256:1", 5000, &la), 0);

	/* every session of a killed by the server (as a restart does): the
	 * pool's connections are made again, the lock session too, and the
	 * lock a held went with it */
	assert_int_equal(store_layer_put(a, "sha256:k", "v1", "x", 1), 0);
	sql_at(loc,
	       "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
	       "WHERE datname = current_database() AND pid <> pg_backend_pid()",
	       NULL, 0);
	usleep(200 * 1000);
	assert_int_equal(store_layer_get(a, "sha256:k", "v1", &blob, &len), 0);
	free(blob);
	assert_int_equal(vigil_store_open(loc, &b), 0);
	assert_int_equal(vigil_store_lock_try(b, "layer:sha256:1", &lb), 1); /* a's was lost */
	vigil_store_lock_release(lb);
	vigil_store_lock_release(la);
	assert_int_equal(vigil_store_lock_try(a, "layer:sha256:1", &la), 1); /* a's session is back */
	vigil_store_lock_release(la);
	vigil_store_close(b);
	vigil_store_close(a);
}

struct opener {
	const char *loc;
	int rc;
	char err[256];
};

static void *open_one(void *arg)
{
	struct opener *o = arg;
	vigil_store *s = NULL;
	o->rc = vigil_store_open(o->loc, &s);
	snprintf(o->err, sizeof(o->err), "%s", o->rc < 0 ? vigil_error_message() : "");
	vigil_store_close(s);
	return NULL;
}

static void test_migrations(void **state)
{
	char loc[512], got[64], want[16];
	pthread_t t[NOPENERS];
	struct opener o[NOPENERS];
	vigil_store *s;
	int v = -1;
	assert_int_equal(th_store_location(dir, "migrate", loc, sizeof(loc)), 0);
	for (int i = 0; i < NOPENERS; i++) {
		o[i] = (struct opener){ .loc = loc };
		assert_int_equal(pthread_create(&t[i], NULL, open_one, &o[i]), 0);
	}
	for (int i = 0; i < NOPENERS; i++) {
		pthread_join(t[i], NULL);
		if (o[i].rc < 0)
			fail_msg("opener %d: %s", i, o[i].err);
	}
	sql_at(loc, "SELECT count(*) FROM schema_version", got, sizeof(got));
	assert_string_equal(got, "1");
	snprintf(want, sizeof(want), "%d", pg_nmigrations);
	sql_at(loc, "SELECT version FROM schema_version", got, sizeof(got));
	assert_string_equal(got, want);
	sql_at(loc, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'index_report'", got,
	       sizeof(got));
	assert_string_equal(got, "1");
	assert_int_equal(vigil_store_open(loc, &s), 0);
	assert_int_equal(vigil_store_schema_version(s, &v), 0);
	assert_int_equal(v, pg_nmigrations);
	vigil_store_close(s);
	/* a schema newer than this vigil knows is refused */
	sql_at(loc, "UPDATE schema_version SET version = 999", NULL, 0);
	s = NULL;
	assert_int_equal(vigil_store_open(loc, &s), VIGIL_ESTORE);
	assert_null(s);
	assert_non_null(strstr(vigil_error_message(), "schema version 999 is newer"));
}

static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	close(fd);
	return ntohs(a.sin_port);
}

static void test_describe_and_unreachable(void **state)
{
	char loc[512], uri[600], kv[600], port[16], db[64];
	vigil_store *s = NULL;
	/* loc is postgres://postgres@127.0.0.1:PORT/DB */
	assert_int_equal(th_store_location(dir, "describe", loc, sizeof(loc)), 0);
	const char *at = strchr(loc, '@'), *colon = strchr(at, ':'), *slash = strchr(colon, '/');
	snprintf(port, sizeof(port), "%.*s", (int)(slash - colon - 1), colon + 1);
	snprintf(db, sizeof(db), "%s", slash + 1);
	/* trust authentication takes any password */
	snprintf(uri, sizeof(uri), "postgres://postgres:s3cret@127.0.0.1:%s/%s", port, db);
	assert_int_equal(vigil_store_open(uri, &s), 0);
	printf("describe: %s\n", vigil_store_describe(s));
	assert_null(strstr(vigil_store_describe(s), "s3cret"));
	char want[256];
	snprintf(want, sizeof(want), "postgres://postgres:***@127.0.0.1:%s/%s", port, db);
	assert_string_equal(vigil_store_describe(s), want);
	vigil_store_close(s);
	/* the key=value form, with pool_size */
	snprintf(kv, sizeof(kv), "host=127.0.0.1 port=%s dbname=%s user=postgres password='s3 cret' pool_size=3", port,
		 db);
	assert_true(store_is_pg(kv));
	assert_int_equal(vigil_store_open(kv, &s), 0);
	assert_int_equal(pg_store_of(s)->max, 3);
	assert_null(strstr(vigil_store_describe(s), "cret"));
	assert_null(strstr(pg_store_of(s)->conninfo, "pool_size"));
	vigil_store_close(s);
	/* nothing listening */
	snprintf(uri, sizeof(uri), "postgres://postgres:s3cret@127.0.0.1:%d/nothing_here", free_port());
	s = NULL;
	double t0 = now_s();
	assert_int_equal(vigil_store_open(uri, &s), VIGIL_EUNAVAILABLE);
	printf("unreachable (%.2f s): %s\n", now_s() - t0, vigil_error_message());
	assert_null(s);
	assert_non_null(strstr(vigil_error_message(), "cannot connect to postgres://postgres:***@127.0.0.1:"));
	assert_non_null(strstr(vigil_error_message(), "/nothing_here"));
	assert_null(strstr(vigil_error_message(), "s3cret"));
	/* a database that does not exist on a server that does */
	snprintf(uri, sizeof(uri), "postgres://postgres@127.0.0.1:%s/vigil_no_such_db", port);
	assert_int_equal(vigil_store_open(uri, &s), VIGIL_EUNAVAILABLE);
	assert_non_null(strstr(vigil_error_message(), "vigil_no_such_db"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layer_cache_binary),
		cmocka_unit_test(test_v1_and_reports),
		cmocka_unit_test(test_pool_queue),
		cmocka_unit_test(test_pool_timeout),
		cmocka_unit_test(test_two_nodes),
		cmocka_unit_test(test_migrations),
		cmocka_unit_test(test_describe_and_unreachable),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
