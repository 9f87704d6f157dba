/* tests/helpers.c: see helpers.h. */
#include "helpers.h"
#include "db/db.h"
#include "store/store_vuln.h"
#include "store/pg_priv.h"
#include "store/sqlite_priv.h"
#include "vigil/common.h"
#include "vigil/store.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *th_testdata(void)
{
	static char path[4096];
	const char *env = getenv("VIGIL_TESTDATA");
	struct stat st;
	if (!env || !*env)
		env = "../shared/testdata";
	snprintf(path, sizeof(path), "%s", env);
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return NULL;
	return path;
}

const char *th_testdata_or_skip(void)
{
	const char *p = th_testdata();
	if (!p) {
		printf("SKIP: shared test data not found (set VIGIL_TESTDATA or put it at ../shared/testdata)\n");
		exit(77);
	}
	return p;
}

const char *th_data_path(const char *rel)
{
	static char path[4096];
	snprintf(path, sizeof(path), "%s/%s", th_testdata_or_skip(), rel);
	return path;
}

char *th_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) < 0) {
		fclose(f);
		return NULL;
	}
	long n = ftell(f);
	rewind(f);
	char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[n] = '\0';
		if (len)
			*len = (size_t)n;
	}
	return buf;
}

/* ---- scratch stores on either backend ---- */

#define TH_MAX_LOC 512
#define TH_DB_LIST "pg-databases" /* in the scratch folder: "name dbname" lines */

const char *th_pg(void)
{
	const char *p = getenv("VIGIL_TEST_PG");
	return p && *p ? p : NULL;
}

void th_skip_if_pg(const char *why)
{
	if (th_pg()) {
		printf("SKIP: on PostgreSQL (VIGIL_TEST_PG is set): %s\n", why);
		exit(77);
	}
}

/* The base DSN with its database replaced by db. */
static int pg_dsn(const char *db, char *out, size_t n)
{
	const char *base = th_pg(), *auth, *path, *query;
	int w;
	if (!strncmp(base, "postgres://", 11) || !strncmp(base, "postgresql://", 13)) {
		auth = strstr(base, "://") + 3;
		path = auth + strcspn(auth, "/?");
		query = strchr(path, '?');
		w = snprintf(out, n, "%.*s/%s%s", (int)(path - base), base, db, query ? query : "");
	} else {
		w = snprintf(out, n, "%s dbname=%s", base, db); /* the last dbname wins */
	}
	return w < 0 || (size_t)w >= n ? -1 : 0;
}

/* Runs sql on the base database: 0, or -1 (said on stderr). */
static int pg_admin(const char *sql)
{
	PGconn *c = PQconnectdb(th_pg());
	PGresult *r = NULL;
	int rc = -1;
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "th: cannot connect to %s: %s", th_pg(), PQerrorMessage(c));
		goto out;
	}
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		fprintf(stderr, "th: %s: %s", sql, PQerrorMessage(c));
	else
		rc = 0;
out:
	PQclear(r);
	PQfinish(c);
	return rc;
}

int th_store_location(const char *dir, const char *name, char *out, size_t n)
{
	static int counter;
	char list[128], line[256], db[64], sql[128];
	size_t k = 0;
	FILE *f;
	int w;
	if (!th_pg()) {
		w = snprintf(out, n, "%s/%s.db", dir, name);
		return w < 0 || (size_t)w >= n ? -1 : 0;
	}
	snprintf(list, sizeof(list), "%s/" TH_DB_LIST, dir);
	if ((f = fopen(list, "r"))) {
		while (fgets(line, sizeof(line), f)) {
			char *sp = strchr(line, ' ');
			if (!sp)
				continue;
			*sp = '\0';
			sp[strcspn(sp + 1, "\n") + 1] = '\0';
			if (!strcmp(line, name)) {
				fclose(f);
				return pg_dsn(sp + 1, out, n);
			}
		}
		fclose(f);
	}
	/* vigil_<name>_<pid>_<n>: lower case letters, digits and _ */
	k = (size_t)snprintf(db, sizeof(db), "vigil_");
	for (const char *p = name; *p && k < 40; p++)
		db[k++] = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ? *p
			  : (*p >= 'A' && *p <= 'Z')				? (char)(*p - 'A' + 'a')
											: '_';
	snprintf(db + k, sizeof(db) - k, "_%ld_%d", (long)getpid(), ++counter);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", db);
	if (pg_admin(sql) < 0 || !(f = fopen(list, "a")))
		return -1;
	fprintf(f, "%s %s\n", name, db);
	fclose(f);
	return pg_dsn(db, out, n);
}

int th_store_open(const char *dir, const char *name, vigil_store **s)
{
	char loc[TH_MAX_LOC];
	*s = NULL;
	if (th_store_location(dir, name, loc, sizeof(loc)) < 0)
		return -1;
	if (vigil_store_open(loc, s) < 0) {
		fprintf(stderr, "th: store %s: %s\n", name, vigil_error_message());
		return -1;
	}
	return 0;
}

int th_store_exec(vigil_store *s, const char *sql)
{
	int rc;
	if (store_is_pg(vigil_store_describe(s))) {
		PGconn *c;
		if ((rc = pg_conn_get(s, &c)) == 0) {
			rc = pg_exec(c, sql);
			pg_conn_put(s, c);
		}
	} else {
		rc = sqlite3_exec(sqlite_db(s), sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : sqlite_error(sqlite_db(s), sql);
	}
	if (rc < 0)
		fprintf(stderr, "th: %s\n", vigil_error_message());
	return rc < 0 ? -1 : 0;
}

int th_temp_store(const char *name, char dir[64], vigil_store **s)
{
	*s = NULL;
	snprintf(dir, 64, "/tmp/vigil-%.32s-XXXXXX", name);
	if (!mkdtemp(dir))
		return -1;
	return th_store_open(dir, "v", s);
}

int th_temp_store_free(const char *dir, vigil_store *s)
{
	char cmd[128], list[128], line[256], sql[128];
	FILE *f;
	int rc = 0;
	vigil_store_close(s);
	snprintf(list, sizeof(list), "%s/" TH_DB_LIST, dir);
	if (th_pg() && (f = fopen(list, "r"))) {
		while (fgets(line, sizeof(line), f)) {
			char *db = strchr(line, ' ');
			if (!db)
				continue;
			db[strcspn(db, "\n")] = '\0';
			snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", db + 1);
			if (pg_admin(sql) < 0)
				rc = -1;
		}
		fclose(f);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? rc : -1;
}

void th_feed(vigil_store *s, const char *name, const vigil_vuln *v, size_t n)
{
	vigil_vuln_writer *w;
	vigil_db_op op;
	assert_int_equal(store_vuln_begin(s, name, &w), 0);
	for (size_t i = 0; i < n; i++) {
		char *json, hash[72];
		size_t len;
		assert_int_equal(db_vuln_canonical(&v[i], &json, &len, hash), 0);
		assert_int_equal(store_vuln_put(w, &v[i], hash, json, len), 0);
		free(json);
	}
	assert_int_equal(store_vuln_commit(w, "sha256:test", &op), 0);
}
