/* tests/store/test_store.c: the store on either backend (SQLite, or
 * PostgreSQL with VIGIL_TEST_PG): every part of the interface filled in,
 * every operation of each part; migrations, layer cache put and get, two
 * connections; and for SQLite files that are not stores and the default
 * path (skipped on PostgreSQL). */
#include "helpers.h"
#include "store/store_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/vigil-store-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	return th_temp_store_free(dir, NULL);
}

static void test_layer_cache(void **state)
{
	char path[512];
	vigil_store *s, *s2;
	char *blob = NULL;
	size_t len = 0;
	long long n = -1;
	assert_int_equal(th_store_location(dir, "a", path, sizeof(path)), 0);
	assert_int_equal(vigil_store_open(path, &s), 0);
	assert_int_equal(store_layer_get(s, "sha256:1", "v1", &blob, &len), VIGIL_ENOTFOUND);
	assert_int_equal(store_layer_put(s, "sha256:1", "v1", "{\"x\":1}", 7), 0);
	/* a second connection (another process would be the same) sees it */
	assert_int_equal(vigil_store_open(path, &s2), 0);
	assert_int_equal(store_layer_get(s2, "sha256:1", "v1", &blob, &len), 0);
	assert_int_equal(len, 7);
	assert_memory_equal(blob, "{\"x\":1}", 7);
	free(blob);
	/* another scanner version is another key */
	assert_int_equal(store_layer_get(s2, "sha256:1", "v2", &blob, &len), VIGIL_ENOTFOUND);
	assert_int_equal(vigil_store_cache_count(s2, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(vigil_store_cache_clear(s, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(vigil_store_cache_count(s2, &n), 0);
	assert_int_equal(n, 0);
	assert_non_null(strstr(vigil_store_describe(s), th_pg() ? "/vigil_a_" : "a.db"));
	int v = 0;
	assert_int_equal(vigil_store_schema_version(s, &v), 0);
	assert_true(v > 0);
	vigil_store_close(s2);
	vigil_store_close(s);
	vigil_store_close(NULL);
	/* reopening an up-to-date store migrates nothing and works */
	assert_int_equal(vigil_store_open(path, &s), 0);
	vigil_store_close(s);
}

/* A backend has every part (both do today) and, in a part, every
 * operation: a hole would be a NULL call through the wrappers. */
static void test_parts_complete(void **state)
{
	vigil_store *s;
	assert_int_equal(th_store_open(dir, "parts", &s), 0);
	assert_non_null(s->core);
	assert_non_null(s->core->close);
	assert_non_null(s->core->schema_version);

	const struct store_layer_ops *l = s->layers;
	assert_non_null(l);
	assert_true(l->layer_get && l->layer_put && l->cache_clear && l->cache_count);

	const struct store_vuln_ops *v = s->vuln;
	assert_non_null(v);
	assert_true(v->vuln_begin && v->vuln_put && v->vuln_commit && v->vuln_abort && v->feed_attempt &&
		    v->db_gc);
	assert_true(v->feed_last_op && v->db_status && v->db_ops && v->db_diff && v->vuln_by_name &&
		    v->namespace_count && v->op_records);
	assert_true(v->reader_open && v->reader_affected && v->reader_record && v->reader_detail &&
		    v->reader_named_detail && v->reader_close);

	assert_non_null(s->fetch);
	assert_true(s->fetch->fetch_get && s->fetch->fetch_put);

	const struct store_report_ops *r = s->reports;
	assert_non_null(r);
	assert_true(r->report_get && r->report_put && r->report_delete);
	assert_true(r->v1_layer_put && r->v1_layer_get && r->v1_layer_delete && r->v1_namespaces &&
		    r->v1_ns_vulns);

	/* both are shared by several processes (SQLite) or nodes (PostgreSQL) */
	assert_non_null(s->xlock);
	assert_true(s->xlock->xlock_try && s->xlock->xlock_release);

	const struct store_notify_ops *n = s->notify;
	assert_non_null(n);
	assert_true(n->manifests && n->base_get && n->base_put && n->commit && n->state_get && n->page && n->info &&
		    n->remove && n->claim && n->release && n->expire);

	assert_non_null(s->images);
	assert_true(s->images->put && s->images->each);
	vigil_store_close(s);
}

static void test_not_a_store(void **state)
{
	char path[128];
	vigil_store *s = NULL;
	if (th_pg()) {
		printf("SKIP: on PostgreSQL (VIGIL_TEST_PG is set): damaged SQLite files\n");
		skip();
	}
	snprintf(path, sizeof(path), "%s/garbage.db", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 0; i < 4096; i++)
		fputc("garbage!"[i % 8], f);
	fclose(f);
	assert_true(vigil_store_open(path, &s) < 0);
	assert_null(s);
	assert_non_null(strstr(vigil_error_message(), "garbage.db"));
	snprintf(path, sizeof(path), "%s/missing/dir/x.db", dir);
	assert_true(vigil_store_open(path, &s) < 0);
	/* a PostgreSQL server that is not there */
	assert_int_equal(vigil_store_open("postgres://127.0.0.1:1/x", &s), VIGIL_EUNAVAILABLE);
	assert_null(s);
}

static void test_default_path(void **state)
{
	char path[4096], want[256];
	if (th_pg()) {
		printf("SKIP: on PostgreSQL (VIGIL_TEST_PG is set): the default SQLite path\n");
		skip();
	}
	setenv("XDG_CACHE_HOME", dir, 1);
	unsetenv("VIGIL_DB");
	assert_int_equal(vigil_store_default_path(path, sizeof(path)), 0);
	snprintf(want, sizeof(want), "%s/vigil/vigil.db", dir);
	assert_string_equal(path, want);
	assert_int_equal(access(path, F_OK) != 0, 1); /* the folder is made, not the file */
	setenv("VIGIL_DB", "/tmp/elsewhere.db", 1);
	assert_int_equal(vigil_store_default_path(path, sizeof(path)), 0);
	assert_string_equal(path, "/tmp/elsewhere.db");
	unsetenv("VIGIL_DB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parts_complete),
		cmocka_unit_test(test_layer_cache),
		cmocka_unit_test(test_not_a_store),
		cmocka_unit_test(test_default_path),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
