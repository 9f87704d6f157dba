/* tests/store/test_parts.c: the store's parts and their wrappers without
 * a database: a backend that lacks a part gets VIGIL_EUNSUPPORTED (naming
 * the store and the part) from every wrapper of it, its out-parameters
 * cleared; a backend's part is reached through the store it was opened on
 * (writers and readers too, through their first member); and a store
 * without cross-process locks still locks between its threads. */
#include "helpers.h"
#include "store/store_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

static int closed;

static void stub_close(vigil_store *s) { (void)s, closed++; }

static const struct store_core_ops bare_core = { .close = stub_close };

/* A store of the stub backend with only the parts given. */
static void stub_open(vigil_store *s, const struct store_layer_ops *layers, const struct store_vuln_ops *vuln)
{
	memset(s, 0, sizeof(*s));
	s->core = &bare_core;
	s->layers = layers;
	s->vuln = vuln;
	snprintf(s->describe, sizeof(s->describe), "stub:test");
	assert_non_null(s->locks = store_locks_new());
}

static void unsupported(int rc, const char *part)
{
	assert_int_equal(rc, VIGIL_EUNSUPPORTED);
	assert_non_null(strstr(vigil_error_message(), "stub:test"));
	assert_non_null(strstr(vigil_error_message(), part));
}

static int no_record(void *ud, const char *record, size_t len) { return (void)ud, (void)record, (int)len; }
static int no_ns(void *ud, const char *ns, const char *scheme) { return (void)ud, (void)ns, (void)scheme, 0; }
static int no_vuln(void *ud, const char *name, int64_t vuln, int severity)
{
	return (void)ud, (void)name, (void)vuln, severity;
}

static void test_missing_parts(void **state)
{
	vigil_store s;
	char *blob = NULL, a[64], b[64], c[80];
	size_t len = 0, n = 0;
	long long count = 0;
	int64_t removed = 0, c64 = 0;
	int deleted = 0, version = 0;
	vigil_vuln_writer *w = (vigil_vuln_writer *)&s;
	vigil_vuln_reader *r = (vigil_vuln_reader *)&s;
	vigil_db_op op;
	vigil_db_op *ops = NULL;
	vigil_db_feed_status *st = NULL;
	vigil_stored_report rep = { .report_len = 7 };

	stub_open(&s, NULL, NULL);
	unsupported(vigil_store_schema_version(&s, &version), "schema version");

	unsupported(store_layer_get(&s, "sha256:1", "v1", &blob, &len), "layer cache");
	unsupported(store_layer_put(&s, "sha256:1", "v1", "{}", 2), "layer cache");
	unsupported(vigil_store_cache_clear(&s, &count), "layer cache");
	unsupported(vigil_store_cache_count(&s, &count), "layer cache");

	unsupported(store_vuln_begin(&s, "alpine", &w), "vulnerability data");
	assert_null(w);
	store_vuln_abort(w); /* NULL is fine */
	unsupported(store_feed_attempt(&s, "alpine", NULL), "vulnerability data");
	unsupported(store_db_gc(&s, 1, &removed, &removed), "vulnerability data");
	unsupported(store_feed_last_op(&s, "alpine", &op), "vulnerability data");
	unsupported(store_db_status(&s, &st, &n), "vulnerability data");
	unsupported(store_db_ops(&s, "alpine", &ops, &n), "vulnerability data");
	unsupported(store_db_diff(&s, NULL, "x", NULL, NULL), "vulnerability data");
	unsupported(store_vuln_by_name(&s, "CVE-1", NULL, NULL, NULL), "vulnerability data");
	unsupported(store_namespace_count(&s, "alpine:3.18", &c64), "vulnerability data");
	unsupported(store_op_records(&s, "x", no_record, NULL), "vulnerability data");
	unsupported(store_reader_open(&s, &r), "vulnerability data");
	assert_null(r);
	store_reader_close(r);

	unsupported(store_fetch_get(&s, "https://x/a", a, sizeof(a), b, sizeof(b)), "fetch validators");
	unsupported(store_fetch_put(&s, "https://x/a", "\"e\"", NULL), "fetch validators");

	unsupported(store_report_get(&s, "sha256:m", &rep), "index reports");
	assert_null(rep.report);
	assert_int_equal(rep.report_len, 0); /* cleared, so freeing it is safe */
	store_stored_report_free(&rep);
	unsupported(store_report_put(&s, "sha256:m", &rep), "index reports");
	unsupported(store_report_delete(&s, "sha256:m", &deleted), "index reports");
	unsupported(vigil_store_v1_layer_put(&s, "l1", NULL, "sha256:1", "sha256:2"), "Clair v1 layers");
	unsupported(vigil_store_v1_layer_get(&s, "l1", a, sizeof(a), b, sizeof(b), c, sizeof(c)), "Clair v1 layers");
	unsupported(vigil_store_v1_layer_delete(&s, "l1", &removed), "Clair v1 layers");
	unsupported(vigil_store_v1_namespaces(&s, no_ns, NULL), "Clair v1 layers");
	unsupported(vigil_store_v1_ns_vulns(&s, "alpine:3.18", "", 10, no_vuln, NULL), "Clair v1 layers");

	closed = 0;
	vigil_store_close(&s);
	assert_int_equal(closed, 1);
}

/* ---- a stub backend with a layer cache and vulnerability data ---- */

struct vigil_vuln_writer {
	vigil_store *s;
	int puts;
};
STORE_HANDLE_CHECK(struct vigil_vuln_writer);

struct vigil_vuln_reader {
	vigil_store *s;
};
STORE_HANDLE_CHECK(struct vigil_vuln_reader);

static struct vigil_vuln_writer the_writer;
static struct vigil_vuln_reader the_reader;
static int calls;

static int l_get(vigil_store *s, const char *digest, const char *scanners, char **blob, size_t *len)
{
	(void)s, (void)scanners, (void)blob, (void)len;
	calls++;
	return vigil_error_set(VIGIL_ENOTFOUND, "layer %s is not cached", digest);
}
static int l_put(vigil_store *s, const char *d, const char *sc, const char *blob, size_t len)
{
	return (void)s, (void)d, (void)sc, (void)blob, calls++, (int)len;
}
static int l_clear(vigil_store *s, long long *removed) { return (void)s, *removed = 3, calls++, 0; }
static int l_count(vigil_store *s, long long *count) { return (void)s, *count = 4, calls++, 0; }
static const struct store_layer_ops stub_layers = { l_get, l_put, l_clear, l_count };

static int v_begin(vigil_store *s, const char *feed, vigil_vuln_writer **w)
{
	(void)feed;
	the_writer.s = s;
	*w = &the_writer;
	return 0;
}
static int v_put(vigil_vuln_writer *w, const vigil_vuln *v, const char *hash, const char *record, size_t len)
{
	(void)v, (void)hash, (void)record, (void)len;
	return ++w->puts;
}
static int v_commit(vigil_vuln_writer *w, const char *fingerprint, vigil_db_op *op)
{
	store_op_set(op, "ref", "alpine", fingerprint, w->puts, 0);
	return 0;
}
static void v_abort(vigil_vuln_writer *w) { w->puts = -1; }
static int v_reader_open(vigil_store *s, vigil_vuln_reader **r)
{
	the_reader.s = s;
	*r = &the_reader;
	return 0;
}
static int v_record(vigil_vuln_reader *r, int64_t vuln, vigil_store_record_fn fn, void *ud)
{
	return r == &the_reader ? fn(ud, "{}", (size_t)vuln) : VIGIL_ERROR;
}
static void v_reader_close(vigil_vuln_reader *r) { r->s = NULL; }
/* only what this test calls: a real backend fills every operation (test_store.c) */
static const struct store_vuln_ops stub_vuln = {
	.vuln_begin = v_begin, .vuln_put = v_put, .vuln_commit = v_commit, .vuln_abort = v_abort,
	.reader_open = v_reader_open, .reader_record = v_record, .reader_close = v_reader_close,
};

static int take_len(void *ud, const char *record, size_t len)
{
	(void)record;
	*(size_t *)ud = len;
	return 0;
}

static void test_parts_dispatch(void **state)
{
	vigil_store s;
	vigil_vuln_writer *w = NULL;
	vigil_vuln_reader *r = NULL;
	vigil_db_op op;
	char *blob = NULL;
	size_t len = 0;
	long long n = 0;

	stub_open(&s, &stub_layers, &stub_vuln);
	calls = 0;
	assert_int_equal(store_layer_get(&s, "sha256:1", "v1", &blob, &len), VIGIL_ENOTFOUND);
	assert_int_equal(store_layer_put(&s, "sha256:1", "v1", "{}", 2), 2);
	assert_int_equal(vigil_store_cache_clear(&s, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(vigil_store_cache_count(&s, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(calls, 4);

	/* a writer's and a reader's operations find the store they came from */
	assert_int_equal(store_vuln_begin(&s, "alpine", &w), 0);
	assert_ptr_equal(w, &the_writer);
	assert_int_equal(store_vuln_put(w, NULL, "h", "{}", 2), 1);
	assert_int_equal(store_vuln_put(w, NULL, "h", "{}", 2), 2);
	assert_int_equal(store_vuln_commit(w, "sha256:f", &op), 0);
	assert_int_equal(op.vulns, 2);
	assert_string_equal(op.fingerprint, "sha256:f");
	store_vuln_abort(w);
	assert_int_equal(the_writer.puts, -1);

	assert_int_equal(store_reader_open(&s, &r), 0);
	assert_ptr_equal(r, &the_reader);
	assert_int_equal(store_reader_record(r, 42, take_len, &len), 0);
	assert_int_equal(len, 42);
	store_reader_close(r);
	assert_null(the_reader.s);

	/* the parts it lacks are still unsupported */
	unsupported(store_fetch_put(&s, "https://x/a", NULL, NULL), "fetch validators");
	vigil_store_close(&s);
}

/* No xlock part (one process): the in-process table is the whole lock. */
static void test_locks_in_process(void **state)
{
	vigil_store s;
	vigil_store_lock *a = NULL, *b = NULL;
	stub_open(&s, NULL, NULL);
	assert_int_equal(vigil_store_lock_try(&s, "layer:sha256:1", &a), 1);
	assert_non_null(a);
	assert_int_equal(vigil_store_lock_try(&s, "layer:sha256:1", &b), 0);
	assert_null(b);
	assert_int_equal(vigil_store_lock_take(&s, "layer:sha256:1", 20, &b), VIGIL_EUNAVAILABLE);
	assert_int_equal(vigil_store_lock_try(&s, "layer:sha256:2", &b), 1);
	vigil_store_lock_release(a);
	assert_int_equal(vigil_store_lock_take(&s, "layer:sha256:1", 20, &a), 0);
	vigil_store_lock_release(a);
	vigil_store_lock_release(b);
	vigil_store_lock_release(NULL);
	vigil_store_close(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_parts),
		cmocka_unit_test(test_parts_dispatch),
		cmocka_unit_test(test_locks_in_process),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
