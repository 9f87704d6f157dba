/* tests/util/test_map.c: util/map.c: set/add/get with byte-string keys
 * (NULs inside, empty key), growth across many keys, replace vs keep-first,
 * the cap, clear, iteration, NULL-safe free; the FNV-1a vectors of the
 * hash; and util/intern.c on top of it. */
#include "helpers.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/intern.h"
#include "util/map.h"

#include <stdio.h>
#include <string.h>

static void test_hash(void **state)
{
	/* FNV-1a 64 reference values (Fowler/Noll/Vo test suite) */
	assert_true(vigil_hash_bytes("", 0) == 0xcbf29ce484222325ULL);
	assert_true(vigil_hash_bytes("a", 1) == 0xaf63dc4c8601ec8cULL);
	assert_true(vigil_hash_bytes("foobar", 6) == 0x85944171f73967e8ULL);
	assert_true(vigil_hash_more(vigil_hash_bytes("foo", 3), "bar", 3) == vigil_hash_bytes("foobar", 6));
}

static void test_basic(void **state)
{
	vigil_map m = { 0 };
	int a = 1, b = 2, c = 3;
	assert_null(vigil_map_get_cstr(&m, "x")); /* empty, no table */
	assert_int_equal(vigil_map_set_cstr(&m, "x", &a), 0);
	assert_int_equal(vigil_map_set(&m, "x\0y", 3, &b), 0); /* NUL inside: another key */
	assert_int_equal(vigil_map_set(&m, "", 0, &c), 0);
	assert_int_equal(vigil_map_count(&m), 3);
	assert_ptr_equal(vigil_map_get_cstr(&m, "x"), &a);
	assert_ptr_equal(vigil_map_get(&m, "x\0y", 3), &b);
	assert_ptr_equal(vigil_map_get(&m, NULL, 0), &c);
	assert_null(vigil_map_get(&m, "x\0z", 3));
	assert_null(vigil_map_get_cstr(&m, NULL));
	/* set replaces, add keeps the first */
	assert_int_equal(vigil_map_set_cstr(&m, "x", &b), 0);
	assert_ptr_equal(vigil_map_get_cstr(&m, "x"), &b);
	assert_int_equal(vigil_map_add(&m, "x", 1, &c), 0);
	assert_ptr_equal(vigil_map_get_cstr(&m, "x"), &b);
	assert_int_equal(vigil_map_add(&m, "new", 3, &c), 1);
	assert_int_equal(vigil_map_count(&m), 4);
	/* the stored key is the map's own pointer */
	static const char keep[] = "kept";
	char probe[] = "kept";
	assert_int_equal(vigil_map_add(&m, keep, 4, &a), 1);
	assert_ptr_equal(vigil_map_key(&m, probe, 4), keep);
	assert_null(vigil_map_key(&m, "nope", 4));
	vigil_map_clear(&m);
	assert_int_equal(vigil_map_count(&m), 0);
	assert_null(vigil_map_get_cstr(&m, "x"));
	assert_int_equal(vigil_map_set_cstr(&m, "x", &a), 0);
	vigil_map_free(&m);
	vigil_map_free(&m); /* twice */
	vigil_map_free(NULL);
	assert_null(vigil_map_get_cstr(&m, "x")); /* usable after free */
	vigil_map_free(&m);
}

static void test_many(void **state)
{
	enum { N = 20000 };
	static char keys[N][16];
	static int vals[N];
	vigil_map m;
	vigil_map_init(&m, 0);
	for (int i = 0; i < N; i++) {
		snprintf(keys[i], sizeof(keys[i]), "pkg-%d", i);
		vals[i] = i;
		assert_int_equal(vigil_map_add(&m, keys[i], strlen(keys[i]), &vals[i]), 1);
	}
	assert_int_equal(vigil_map_count(&m), N);
	assert_true(m.cap >= 2 * N); /* grown at half full */
	for (int i = 0; i < N; i++) {
		int *v = vigil_map_get_cstr(&m, keys[i]);
		assert_non_null(v);
		assert_int_equal(*v, i);
	}
	assert_null(vigil_map_get_cstr(&m, "pkg-20000"));
	/* iteration visits each entry once */
	size_t it = 0, seen = 0, klen;
	long sum = 0;
	const char *k;
	void *v;
	while (vigil_map_next(&m, &it, &k, &klen, &v)) {
		assert_int_equal(klen, strlen(k));
		sum += *(int *)v;
		seen++;
	}
	assert_int_equal(seen, N);
	assert_int_equal(sum, (long)N * (N - 1) / 2);
	vigil_map_free(&m);
}

static void test_cap(void **state)
{
	vigil_map m;
	int v = 0;
	vigil_map_init(&m, 3);
	assert_int_equal(vigil_map_set_cstr(&m, "a", &v), 0);
	assert_int_equal(vigil_map_set_cstr(&m, "b", &v), 0);
	assert_int_equal(vigil_map_set_cstr(&m, "c", &v), 0);
	assert_int_equal(vigil_map_set_cstr(&m, "d", &v), VIGIL_ELIMIT);
	assert_non_null(strstr(vigil_error_message(), "more than 3 entries"));
	assert_int_equal(vigil_map_add(&m, "e", 1, &v), VIGIL_ELIMIT);
	assert_int_equal(vigil_map_count(&m), 3);
	assert_null(vigil_map_get_cstr(&m, "d"));
	/* replacing an existing key is not growth */
	assert_int_equal(vigil_map_set_cstr(&m, "a", &v), 0);
	vigil_map_free(&m);
}

static void test_intern(void **state)
{
	vigil_arena *a = vigil_arena_new(0);
	vigil_intern *t = vigil_intern_new(a);
	assert_non_null(t);
	const char *x = vigil_intern_cstr(t, "libc6");
	char buf[] = "libc6:amd64";
	assert_ptr_equal(vigil_intern_str(t, buf, 5), x);
	assert_ptr_not_equal(vigil_intern_cstr(t, buf), x);
	assert_string_equal(vigil_intern_str(t, "", 0), "");
	assert_null(vigil_intern_cstr(t, NULL));
	assert_int_equal(vigil_intern_count(t), 3);
	for (int i = 0; i < 5000; i++) {
		char k[16];
		snprintf(k, sizeof(k), "%d", i % 1000);
		assert_non_null(vigil_intern_cstr(t, k));
	}
	assert_int_equal(vigil_intern_count(t), 1003);
	vigil_intern_free(t);
	vigil_intern_free(NULL);
	vigil_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_intern),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
