/* tests/util/test_json.c: util/json.c: each getter on present, absent,
 * null and wrong-typed members, required members, the caps, the path in
 * every message, and a non-object parent. */
#include "helpers.h"
#include "util/error.h"
#include "util/json.h"

#include <string.h>

static json_t *doc(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &e);
	assert_non_null(j);
	return j;
}

#define MSG(s) assert_string_equal(vigil_error_message(), (s))

static void test_str(void **state)
{
	json_t *j = doc("{\"id\": \"CVE-1\", \"empty\": \"\", \"n\": null, \"num\": 7, \"pad\": \"  x \\n\","
			" \"nul\": \"a\\u0000b\"}");
	vigil_slice s;
	assert_int_equal(vigil_json_str(j, "", "id", 0, 100, &s), 0);
	assert_true(vigil_slice_eq_cstr(s, "CVE-1"));
	assert_int_equal(vigil_json_str(j, "", "empty", 0, 100, &s), 0);
	assert_string_equal(s.ptr, ""); /* present and empty */
	assert_int_equal(s.len, 0);
	assert_int_equal(vigil_json_str(j, "", "absent", 0, 100, &s), 0);
	assert_non_null(s.ptr); /* absent: "", never NULL */
	assert_int_equal(s.len, 0);
	assert_int_equal(vigil_json_str(j, "", "n", 0, 100, &s), 0); /* null reads as absent */
	assert_int_equal(s.len, 0);
	assert_int_equal(vigil_json_str(j, "doc", "absent", VIGIL_JSON_REQUIRED, 100, &s), VIGIL_EFORMAT);
	MSG("doc.absent: missing");
	assert_int_equal(vigil_json_str(j, "", "n", VIGIL_JSON_REQUIRED, 100, &s), VIGIL_EFORMAT);
	MSG("n: missing");
	assert_int_equal(vigil_json_str(j, "vulnerabilities[3]", "num", 0, 100, &s), VIGIL_EFORMAT);
	MSG("vulnerabilities[3].num: not a string");
	assert_string_equal(s.ptr, "");
	assert_int_equal(vigil_json_str(j, "", "id", 0, 4, &s), VIGIL_ELIMIT);
	MSG("id: 5 bytes (limit 4)");
	assert_int_equal(vigil_json_str(j, "", "id", 0, 5, &s), 0);
	assert_int_equal(vigil_json_str(j, "", "pad", VIGIL_JSON_TRIM, 1, &s), 0); /* cap after trimming */
	assert_true(vigil_slice_eq_cstr(s, "x"));
	assert_int_equal(vigil_json_str(j, "", "nul", 0, 100, &s), 0); /* the length is jansson's */
	assert_int_equal(s.len, 3);
	json_decref(j);
}

static void test_arr_obj_num(void **state)
{
	json_t *j = doc("{\"a\": [1, 2, 3], \"o\": {\"x\": 1}, \"r\": 2.5, \"i\": 4, \"s\": \"7\", \"t\": true}");
	json_t *v;
	double d = -1;
	assert_int_equal(vigil_json_arr(j, "p", "a", 0, 3, &v), 0);
	assert_int_equal(json_array_size(v), 3);
	assert_int_equal(vigil_json_arr(j, "p", "a", 0, 2, &v), VIGIL_ELIMIT);
	MSG("p.a: 3 items (limit 2)");
	assert_null(v);
	assert_int_equal(vigil_json_arr(j, "p", "o", 0, 9, &v), VIGIL_EFORMAT);
	MSG("p.o: not an array");
	assert_int_equal(vigil_json_arr(j, "p", "none", 0, 9, &v), 0);
	assert_null(v);
	assert_int_equal(vigil_json_arr(j, "p", "none", VIGIL_JSON_REQUIRED, 9, &v), VIGIL_EFORMAT);
	assert_int_equal(vigil_json_obj(j, "", "o", 0, &v), 0);
	assert_non_null(json_object_get(v, "x"));
	assert_int_equal(vigil_json_obj(j, "", "a", 0, &v), VIGIL_EFORMAT);
	MSG("a: not an object");
	assert_int_equal(vigil_json_num(j, "", "r", 0, &d), 1);
	assert_true(d == 2.5);
	assert_int_equal(vigil_json_num(j, "", "i", 0, &d), 1); /* an integer is a number */
	assert_true(d == 4);
	assert_int_equal(vigil_json_num(j, "", "none", 0, &d), 0);
	assert_true(d == 4); /* untouched */
	assert_int_equal(vigil_json_num(j, "", "s", 0, &d), VIGIL_EFORMAT);
	MSG("s: not a number");
	assert_int_equal(vigil_json_get(j, "", "t", JSON_TRUE, 0, &v), 0); /* either boolean */
	assert_int_equal(vigil_json_get(j, "", "i", JSON_FALSE, 0, &v), VIGIL_EFORMAT);
	MSG("i: not a boolean");
	json_decref(j);
}

static void test_want_and_parents(void **state)
{
	json_t *j = doc("[1, \"x\"]");
	json_t *v;
	vigil_slice s;
	assert_int_equal(vigil_json_want(j, JSON_ARRAY, "(root)"), 0);
	assert_int_equal(vigil_json_want(j, JSON_OBJECT, "(root)"), VIGIL_EFORMAT);
	MSG("(root): not an object");
	assert_int_equal(vigil_json_want(NULL, JSON_OBJECT, "x"), 0); /* absent passes */
	assert_int_equal(vigil_json_want(json_array_get(j, 0), JSON_STRING, "a[0]"), VIGIL_EFORMAT);
	MSG("a[0]: not a string");
	/* a parent that is not an object (or NULL) has no members */
	assert_int_equal(vigil_json_get(j, "", "k", JSON_STRING, 0, &v), 0);
	assert_null(v);
	assert_int_equal(vigil_json_str(NULL, NULL, "k", 0, 9, &s), 0);
	assert_int_equal(vigil_json_str(NULL, NULL, "k", VIGIL_JSON_REQUIRED, 9, &s), VIGIL_EFORMAT);
	MSG("k: missing");
	assert_string_equal(vigil_json_type_name(JSON_ARRAY), "an array");
	assert_string_equal(vigil_json_type_name(JSON_NULL), "null");
	json_decref(j);
}

static void test_error_or_oom(void **state)
{
	vigil_error_clear();
	assert_int_equal(vigil_error_or_oom(), VIGIL_ENOMEM);
	vigil_error_set(VIGIL_ELIMIT, "arena: limit");
	assert_int_equal(vigil_error_or_oom(), VIGIL_ELIMIT);
	MSG("arena: limit");
}

/* A body that does not parse is never quoted back: it may hold a token. */
static void test_error_text(void **state)
{
	json_error_t je;
	char out[JSON_ERROR_TEXT_LENGTH];
	const char *body = "{\"layers\":[{\"headers\":{\"Authorization\":[\"Bearer SECRETTOKEN";
	assert_null(json_loadb(body, strlen(body), 0, &je));
	assert_non_null(strstr(je.text, "SECRETTOKEN")); /* jansson quotes it ... */
	vigil_json_error_text(&je, out, sizeof(out));
	assert_null(strstr(out, "SECRETTOKEN"));          /* ... vigil does not */
	assert_string_equal(out, "premature end of input");
	assert_string_equal(vigil_json_error_text(NULL, out, sizeof(out)), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_str),
		cmocka_unit_test(test_arr_obj_num),
		cmocka_unit_test(test_want_and_parents),
		cmocka_unit_test(test_error_or_oom),
		cmocka_unit_test(test_error_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
