/* tests/util/test_digest.c: util/digest.c against the FIPS 180-2 vectors
 * (sha256/sha512 of "", "abc" and the 448-bit message), the digest-string
 * rules of the OCI image spec, hex both ways, and the streaming hash. */
#include "helpers.h"
#include "util/digest.h"
#include "util/error.h"

#include <string.h>

#define E256 "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define ABC256 "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define ABC512                                                                            \
	"sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836" \
	"ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
#define MSG448 "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
#define MSG448_256 "sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"

static void test_hex(void **state)
{
	char out[16];
	unsigned char b[4];
	vigil_hex_encode("\x00\x7f\xff\x10", 4, out);
	assert_string_equal(out, "007fff10");
	vigil_hex_encode("", 0, out);
	assert_string_equal(out, "");
	assert_true(vigil_hex_decode(vigil_slice_cstr("007FfF10"), b, 4));
	assert_memory_equal(b, "\x00\x7f\xff\x10", 4);
	assert_false(vigil_hex_decode(vigil_slice_cstr("007fff1"), b, 4));   /* short */
	assert_false(vigil_hex_decode(vigil_slice_cstr("007fff100"), b, 4)); /* long */
	assert_false(vigil_hex_decode(vigil_slice_cstr("007fffg0"), b, 4));  /* not hex */
	assert_true(vigil_hex_is_lower(vigil_slice_cstr("0123456789abcdef")));
	assert_false(vigil_hex_is_lower(vigil_slice_cstr("0123456789ABCDEF")));
	assert_false(vigil_hex_is_lower(vigil_slice_cstr("")));
}

static void test_ok(void **state)
{
	assert_true(vigil_digest_ok(vigil_slice_cstr(E256)));
	assert_true(vigil_digest_ok(vigil_slice_cstr(ABC512)));
	assert_true(vigil_digest_is_sha256(vigil_slice_cstr(E256)));
	assert_false(vigil_digest_is_sha256(vigil_slice_cstr(ABC512)));
	assert_false(vigil_digest_ok(vigil_slice_cstr(E256 "0")));               /* 65 digits */
	assert_false(vigil_digest_ok(vigil_slice_make(E256, strlen(E256) - 1))); /* 63 */
	assert_false(vigil_digest_ok(vigil_slice_cstr("sha256:")));
	assert_false(vigil_digest_ok(vigil_slice_cstr("sha256")));
	assert_false(vigil_digest_ok(vigil_slice_cstr("")));
	assert_false(vigil_digest_ok(vigil_slice_cstr(
		"sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"))); /* upper */
	assert_false(vigil_digest_ok(vigil_slice_cstr(
		"md5:d41d8cd98f00b204e9800998ecf8427e")));
	assert_false(vigil_digest_ok(vigil_slice_cstr(
		"sha384:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")));
	/* a NUL inside the slice is not hex */
	char nul[] = E256;
	nul[20] = '\0';
	assert_false(vigil_digest_ok(vigil_slice_make(nul, sizeof(nul) - 1)));
	assert_false(vigil_digest_is_sha256(vigil_slice_make(nul, sizeof(nul) - 1)));
}

static void test_check_messages(void **state)
{
	assert_int_equal(vigil_digest_check_slice(vigil_slice_cstr(E256), "x"), 0);
	assert_int_equal(vigil_digest_check_slice(vigil_slice_cstr("nocolon"), "manifest.config.digest"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "manifest.config.digest: \"nocolon\" is not a digest"));
	assert_int_equal(vigil_digest_check_slice(vigil_slice_cstr("md5:00"), "d"), VIGIL_EUNSUPPORTED);
	assert_non_null(strstr(vigil_error_message(), "\"md5\" is not supported"));
	assert_int_equal(vigil_digest_check_slice(vigil_slice_cstr("sha256:abc"), "d"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "has 3 hex digits, not 64"));
	assert_int_equal(vigil_digest_check_slice(vigil_slice_cstr(
				 "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85G"), "d"),
			 VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "not lowercase hex at 70"));
	/* what cannot be a digest is not quoted: it may be a misplaced secret */
	assert_int_equal(vigil_digest_check_slice(vigil_slice_cstr("alice:S3CRET@sha256:00"), "hash"), VIGIL_EFORMAT);
	assert_null(strstr(vigil_error_message(), "S3CRET"));
	assert_non_null(strstr(vigil_error_message(), "hash: not a digest (algorithm:hex): 22 bytes"));
	/* the public C-string form, NULL included */
	assert_int_equal(vigil_digest_check(NULL, "hash"), VIGIL_EFORMAT);
	assert_int_equal(vigil_digest_check(E256, "hash"), 0);
}

static void test_verify(void **state)
{
	assert_int_equal(vigil_digest_verify(E256, "", 0, "empty"), 0);
	assert_int_equal(vigil_digest_verify(ABC256, "abc", 3, "abc"), 0);
	assert_int_equal(vigil_digest_verify(ABC512, "abc", 3, "abc"), 0);
	assert_int_equal(vigil_digest_verify(MSG448_256, MSG448, strlen(MSG448), "m"), 0);
	assert_int_equal(vigil_digest_verify(E256, "abc", 3, "blob x"), VIGIL_EDIGEST);
	assert_non_null(strstr(vigil_error_message(), "blob x: content does not match its digest " E256
							  " (it hashes to " ABC256 ")"));
	assert_int_equal(vigil_digest_verify("md5:00", "", 0, "x"), VIGIL_EUNSUPPORTED);
	assert_int_equal(vigil_digest_verify("sha256:00", "", 0, "x"), VIGIL_EFORMAT);
}

static void test_format_and_sha256(void **state)
{
	char out[VIGIL_DIGEST_STR_MAX];
	assert_int_equal(vigil_digest_sha256("abc", 3, out), 0);
	assert_string_equal(out, ABC256);
	assert_int_equal(vigil_digest_sha256("", 0, out), 0);
	assert_string_equal(out, E256);
	vigil_digest_format("sha256", "\xab\x01", 2, out);
	assert_string_equal(out, "sha256:ab01");
	unsigned char big[200] = { 0 };
	vigil_digest_format("sha512", big, sizeof(big), out); /* would not fit: "" */
	assert_string_equal(out, "");
}

static void test_stream(void **state)
{
	vigil_hash h = { 0 };
	char out[VIGIL_DIGEST_STR_MAX];
	vigil_hash_free(&h); /* never initialised */
	vigil_hash_free(NULL);
	assert_int_equal(vigil_hash_init(&h, "sha256"), 0);
	for (const char *p = MSG448; *p; p += 7)
		vigil_hash_update(&h, p, 7);
	vigil_hash_update(&h, NULL, 0);
	assert_int_equal(vigil_hash_final(&h, out), 0);
	assert_string_equal(out, MSG448_256);
	vigil_hash_free(&h);
	vigil_hash_free(&h); /* twice is fine */
	assert_int_equal(vigil_hash_init(&h, "sha512"), 0);
	vigil_hash_update(&h, "a", 1);
	vigil_hash_update(&h, "bc", 2);
	assert_int_equal(vigil_hash_final(&h, out), 0);
	assert_string_equal(out, ABC512);
	vigil_hash_free(&h);
	assert_int_equal(vigil_hash_init(&h, "md5"), VIGIL_EUNSUPPORTED);
	assert_null(h.ctx);
	assert_int_equal(vigil_hash_init(&h, NULL), VIGIL_EUNSUPPORTED);
	assert_int_equal(vigil_hash_final(&h, out), VIGIL_ERROR);
	assert_string_equal(out, "");
	vigil_hash_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_ok),
		cmocka_unit_test(test_check_messages),
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_format_and_sha256),
		cmocka_unit_test(test_stream),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
