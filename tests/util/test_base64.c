/* tests/util/test_base64.c: util/base64.c against the RFC 4648 section 10
 * vectors both ways, base64url (RFC 7515 appendix C: no padding), and what
 * the strict wrapper refuses: other alphabets, whitespace, misplaced or
 * missing padding, non-canonical trailing bits, output past its cap. */
#include "helpers.h"
#include "util/base64.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *plain, *b64;
} rfc4648[] = {
	{ "", "" },           { "f", "Zg==" },          { "fo", "Zm8=" },         { "foo", "Zm9v" },
	{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
};

static int dec(const char *s, int flags, char *out, size_t max, size_t *n)
{
	return vigil_base64_decode(s, strlen(s), flags, out, max, n);
}

static void test_rfc4648(void **state)
{
	char out[32], back[32];
	size_t n;
	for (size_t i = 0; i < sizeof(rfc4648) / sizeof(rfc4648[0]); i++) {
		size_t pl = strlen(rfc4648[i].plain);
		assert_int_equal(vigil_base64_encode(rfc4648[i].plain, pl, 0, out, sizeof(out)), 0);
		assert_string_equal(out, rfc4648[i].b64);
		assert_int_equal(strlen(out), VIGIL_BASE64_ENCODED_LEN(pl));
		assert_int_equal(dec(rfc4648[i].b64, 0, back, sizeof(back), &n), 0);
		assert_int_equal(n, pl);
		assert_memory_equal(back, rfc4648[i].plain, pl);
		/* without padding: accepted only when asked for */
		char nopad[16];
		size_t k = strcspn(rfc4648[i].b64, "=");
		memcpy(nopad, rfc4648[i].b64, k);
		nopad[k] = '\0';
		assert_int_equal(dec(nopad, VIGIL_BASE64_NOPAD, back, sizeof(back), &n), 0);
		assert_int_equal(n, pl);
		if (k % 4)
			assert_int_equal(dec(nopad, 0, back, sizeof(back), &n), VIGIL_EFORMAT);
	}
}

static void test_url(void **state)
{
	/* RFC 7515 appendix C: bytes 3 236 255 224 193 -> "A-z_4ME" */
	const unsigned char raw[] = { 3, 236, 255, 224, 193 };
	char out[16], back[16];
	size_t n;
	assert_int_equal(vigil_base64_encode(raw, sizeof(raw), VIGIL_BASE64_URL, out, sizeof(out)), 0);
	assert_string_equal(out, "A-z_4ME");
	assert_int_equal(dec("A-z_4ME", VIGIL_BASE64_URL, back, sizeof(back), &n), 0);
	assert_int_equal(n, sizeof(raw));
	assert_memory_equal(back, raw, sizeof(raw));
	assert_int_equal(vigil_base64_encode(raw, sizeof(raw), 0, out, sizeof(out)), 0);
	assert_string_equal(out, "A+z/4ME=");
	/* each alphabet refuses the other's characters; url refuses padding */
	assert_int_equal(dec("A+z/4ME", VIGIL_BASE64_URL, back, sizeof(back), &n), VIGIL_EFORMAT);
	assert_int_equal(dec("A-z_4ME=", 0, back, sizeof(back), &n), VIGIL_EFORMAT);
	assert_int_equal(dec("A-z_4ME=", VIGIL_BASE64_URL, back, sizeof(back), &n), VIGIL_EFORMAT);
	/* a JWT header */
	assert_int_equal(dec("eyJhbGciOiJIUzI1NiJ9", VIGIL_BASE64_URL, back, sizeof(back), &n), 0);
	assert_int_equal(n, 15);
	assert_memory_equal(back, "{\"alg\":\"HS256\"}", 15);
}

static void test_bad(void **state)
{
	char out[64];
	size_t n = 99;
	const char *bad[] = {
		"Zm9v\n", " Zm9v", "Zm 9v", "Zm9v=", "Zm9v====", "Z===", "=Zm9", "Zg=a", "Zm9v!", "Zh==", "Zm9=",
		"Z", "Zm9vY",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(dec(bad[i], 0, out, sizeof(out), &n), VIGIL_EFORMAT);
		assert_int_equal(n, 0);
	}
	/* non-canonical trailing bits ("Zh" would be 'f' with stray bits) */
	assert_int_equal(dec("Zh", VIGIL_BASE64_NOPAD, out, sizeof(out), &n), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "canonical"));
	assert_int_equal(dec("Zm9", VIGIL_BASE64_URL, out, sizeof(out), &n), VIGIL_EFORMAT);
	/* a length no encoding has, even unpadded */
	assert_int_equal(dec("Zm9vY", VIGIL_BASE64_NOPAD, out, sizeof(out), &n), VIGIL_EFORMAT);
	/* a NUL inside the input is not of the alphabet */
	assert_int_equal(vigil_base64_decode("Zm\0v", 4, 0, out, sizeof(out), &n), VIGIL_EFORMAT);
}

static void test_caps(void **state)
{
	char out[8];
	size_t n;
	/* "foobar" is 6 bytes: fits in 6, not in 5 */
	assert_int_equal(dec("Zm9vYmFy", 0, out, 6, &n), 0);
	assert_int_equal(dec("Zm9vYmFy", 0, out, 5, &n), VIGIL_ELIMIT);
	assert_int_equal(dec("Zm9vYmE=", 0, out, 5, &n), 0);
	assert_int_equal(n, 5);
	/* encoding: room for the NUL is needed */
	assert_int_equal(vigil_base64_encode("foo", 3, 0, out, 4), VIGIL_ELIMIT);
	assert_int_equal(vigil_base64_encode("foo", 3, 0, out, 5), 0);
	assert_int_equal(vigil_base64_encode("x", VIGIL_BASE64_MAX_IN + 1ul, 0, out, sizeof(out)), VIGIL_ELIMIT);
	assert_int_equal(vigil_base64_decode("AAAA", VIGIL_BASE64_MAX_IN + 4ul, 0, out, sizeof(out), &n),
			 VIGIL_ELIMIT);
}

static void test_long(void **state)
{
	/* longer than one internal chunk (512 characters): all 256 byte values, 5 times */
	unsigned char raw[1280];
	for (size_t i = 0; i < sizeof(raw); i++)
		raw[i] = (unsigned char)(i * 7 + 3);
	char *enc = malloc(VIGIL_BASE64_ENCODED_LEN(sizeof(raw)) + 1);
	unsigned char *back = malloc(sizeof(raw));
	size_t n;
	assert_non_null(enc);
	assert_non_null(back);
	for (int flags = 0; flags <= VIGIL_BASE64_URL; flags++) {
		assert_int_equal(vigil_base64_encode(raw, sizeof(raw) - 1, flags, enc,
						     VIGIL_BASE64_ENCODED_LEN(sizeof(raw)) + 1), 0);
		assert_int_equal(vigil_base64_decode(enc, strlen(enc), flags | VIGIL_BASE64_NOPAD, back,
						     sizeof(raw), &n), 0);
		assert_int_equal(n, sizeof(raw) - 1);
		assert_memory_equal(back, raw, n);
	}
	free(enc);
	free(back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4648),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
