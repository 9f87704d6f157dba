/* tests/util/test_json_arena.c: util/json_arena.c: a tree parsed inside a
 * scope is used and dropped with it (the sanitizer build sees no leak and
 * no bad free), a tree made before the scope survives it and is freed
 * after, a second scope on the same thread is refused, the cap turns into
 * jansson's allocation failure, and threads outside any scope keep
 * malloc/free while another thread's scope is open. */
#include "helpers.h"
#include "util/error.h"
#include "util/json_arena.h"

#include <jansson.h>
#include <pthread.h>
#include <string.h>

static void test_scope(void **state)
{
	(void)state;
	json_t *before = json_pack("{s:s}", "kept", "outside");
	assert_non_null(before);
	assert_int_equal(vigil_json_arena_begin(0), 0);
	assert_int_equal(vigil_json_arena_begin(0), VIGIL_EINVAL); /* one scope per thread */
	json_error_t je;
	json_t *doc = json_loads("{\"a\":[1,2,{\"b\":\"c\"}],\"d\":\"e\"}", 0, &je);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(doc, "a"), 2), "b")), "c");
	json_decref(doc);
	vigil_json_arena_end();
	/* the tree made outside is intact and freed with free() */
	assert_string_equal(json_string_value(json_object_get(before, "kept")), "outside");
	json_decref(before);
	vigil_json_arena_end(); /* no scope open: nothing to do */
}

static void test_cap(void **state)
{
	(void)state;
	char big[4096];
	memset(big, 'x', sizeof(big) - 3);
	big[0] = '"';
	big[sizeof(big) - 2] = '"';
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(vigil_json_arena_begin(1024), 0);
	json_error_t je;
	assert_null(json_loads(big, JSON_DECODE_ANY, &je)); /* past the cap: out of memory */
	vigil_json_arena_end();
	json_t *ok = json_loads(big, JSON_DECODE_ANY, &je); /* malloc again */
	assert_non_null(ok);
	json_decref(ok);
}

static void *other_thread(void *arg)
{
	(void)arg;
	json_t *o = json_pack("{s:[i,i]}", "x", 1, 2);
	void *ok = o ? (void *)1 : NULL;
	json_decref(o);
	return ok;
}

static void test_other_threads(void **state)
{
	(void)state;
	pthread_t t;
	void *ok = NULL;
	assert_int_equal(vigil_json_arena_begin(0), 0);
	assert_int_equal(pthread_create(&t, NULL, other_thread, NULL), 0);
	assert_int_equal(pthread_join(t, &ok), 0);
	assert_non_null(ok);
	vigil_json_arena_end();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_other_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
