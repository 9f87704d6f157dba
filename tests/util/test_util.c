/* tests/util/test_util.c: arena, buffer, slices, interning. */
#include "helpers.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/intern.h"
#include "util/slice.h"

#include <stdio.h>
#include <string.h>

static void test_arena_cap(void **state)
{
	vigil_arena *a = vigil_arena_new(1024);
	assert_non_null(vigil_arena_alloc(a, 512));
	assert_null(vigil_arena_alloc(a, 1024));
	assert_int_equal(vigil_error_code(), VIGIL_ELIMIT);
	char *s = vigil_arena_strndup(a, "hello world", 5);
	assert_string_equal(s, "hello");
	vigil_arena_free(a);
	vigil_arena_free(NULL);
}

static void test_buf_cap(void **state)
{
	vigil_buf b;
	vigil_buf_init(&b, 8);
	assert_int_equal(vigil_buf_puts(&b, "abcd"), 0);
	assert_int_equal(vigil_buf_printf(&b, "%d", 123), 0);
	assert_string_equal(vigil_buf_cstr(&b), "abcd123");
	assert_int_equal(vigil_buf_puts(&b, "xy"), VIGIL_ELIMIT);
	assert_string_equal(vigil_buf_cstr(&b), "abcd123");
	vigil_buf_free(&b);
	vigil_buf_free(NULL);
}

static void test_slices(void **state)
{
	vigil_slice in = VIGIL_SLICE_LIT("a: 1\r\nb: 2\n\nlast"), line, k, v;
	int n = 0;
	while (vigil_slice_next_line(&in, &line))
		n++;
	assert_int_equal(n, 4);
	assert_true(vigil_slice_split(VIGIL_SLICE_LIT("key=val=x"), '=', &k, &v));
	assert_true(vigil_slice_eq_cstr(k, "key"));
	assert_true(vigil_slice_eq_cstr(v, "val=x"));
	uint64_t u;
	assert_true(vigil_slice_to_u64(VIGIL_SLICE_LIT("18446744073709551615"), UINT64_MAX, &u));
	assert_false(vigil_slice_to_u64(VIGIL_SLICE_LIT("18446744073709551616"), UINT64_MAX, &u));
	assert_false(vigil_slice_to_u64(VIGIL_SLICE_LIT("12x"), UINT64_MAX, &u));
	assert_false(vigil_slice_to_u64(VIGIL_SLICE_LIT("11"), 10, &u));
	assert_true(vigil_slice_eq_cstr(vigil_slice_trim(VIGIL_SLICE_LIT(" \t x \n")), "x"));
}

static void test_intern(void **state)
{
	vigil_arena *a = vigil_arena_new(0);
	vigil_intern *t = vigil_intern_new(a);
	const char *first = vigil_intern_cstr(t, "libc6");
	char name[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "pkg%d", i);
		assert_non_null(vigil_intern_cstr(t, name));
	}
	assert_ptr_equal(first, vigil_intern_str(t, "libc6xx", 5));
	assert_int_equal(vigil_intern_count(t), 5001);
	vigil_intern_free(t);
	vigil_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_cap),
		cmocka_unit_test(test_buf_cap),
		cmocka_unit_test(test_slices),
		cmocka_unit_test(test_intern),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
