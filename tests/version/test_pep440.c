/* tests/version/test_pep440.c: PEP 440 against pypa/packaging's tests:
 * versions/pep440.tsv (the VERSIONS list, strictly ascending) and
 * versions/pep440_normalize.tsv (each spelling equals its normalized
 * form; the file keeps Python escapes \t, \n, \N{...}, decoded here). */
#include "vectors.h"

static size_t unescape(vigil_slice in, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < in.len && o + 4 < cap; i++) {
		if (in.ptr[i] != '\\' || i + 1 >= in.len) {
			out[o++] = in.ptr[i];
			continue;
		}
		char c = in.ptr[++i];
		if (c == 't') {
			out[o++] = '\t';
		} else if (c == 'n') {
			out[o++] = '\n';
		} else if (c == 'N') {
			vigil_slice rest = vigil_slice_sub(in, i + 1, in.len);
			ptrdiff_t end = vigil_slice_find(rest, '}');
			if (vigil_slice_starts_with(rest, "{NARROW NO-BREAK SPACE}"))
				memcpy(out + o, "\xe2\x80\xaf", 3), o += 3;
			else if (vigil_slice_starts_with(rest, "{PARAGRAPH SEPARATOR}"))
				memcpy(out + o, "\xe2\x80\xa9", 3), o += 3;
			else
				fail_msg("unknown escape %.*s", (int)rest.len, rest.ptr);
			i += (size_t)end + 1;
		} else {
			out[o++] = '\\';
			out[o++] = c;
		}
	}
	return o;
}

static void test_vectors(void **state)
{
	(void)state;
	th_testdata_or_skip();
	vec_failures = 0;
	assert_int_equal(vec_cmp_file("pep440.tsv", vigil_pep440_cmp, "pep440", 1), 426);
	vec_cmp_ctx c = { vigil_pep440_cmp, "pep440", 1, unescape };
	assert_int_equal(vec_each("pep440_normalize.tsv", vec_cmp_row, &c), 102);
	printf("%d failing checks\n", vec_failures);
	assert_int_equal(vec_failures, 0);
}

static void test_bad_input(void **state)
{
	(void)state;
	int res;
	static const char *const bad[] = { "1.0+", "french toast", "1.0." };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(vigil_version_compare("pep440", bad[i], strlen(bad[i]), "1.0", 3, &res),
				 VIGIL_EFORMAT);
	vec_junk(vigil_pep440_cmp, "pep440");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
