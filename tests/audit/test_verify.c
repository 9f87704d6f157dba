/* tests/audit/test_verify.c: cosign signatures (audit/verify_payload.c,
 * verify_check.c, util/pkey.c): the simple signing payload and the .sig
 * manifest parsed, each refusal naming the field; signatures made in the
 * test with OpenSSL (ECDSA P-256, RSA 2048, Ed25519, as cosign makes
 * them: over the payload's bytes) verified, and refused with another key,
 * a changed payload, a payload for another digest or repository, missing
 * annotations; keys of other kinds refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "audit/verify_priv.h"
#include "util/base64.h"
#include "util/error.h"

#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define D1 "sha256:0c5d29bde4fa2b3d1a56ee6a53bd4d2ad3faab0d98e8fb2ee6ad7fd3e8e75a11"
#define D2 "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define PAYLOAD(ref, dg, opt)                                                                     \
	"{\"critical\":{\"identity\":{\"docker-reference\":\"" ref "\"},\"image\":{\"docker-manifest-digest\":\"" dg \
	"\"},\"type\":\"cosign container image signature\"},\"optional\":" opt "}"

static void test_payload_parse(void **state)
{
	verify_payload p;
	(void)state;
	const char *good = PAYLOAD("127.0.0.1:5000/app", D1, "{\"env\":\"prod\"}");
	assert_int_equal(verify_payload_parse("layer L", good, strlen(good), &p), 0);
	assert_string_equal(p.manifest_digest, D1);
	assert_string_equal(p.docker_reference, "127.0.0.1:5000/app");
	assert_non_null(p.optional);
	verify_payload_free(&p);
	verify_payload_free(NULL);
	const char *noopt = PAYLOAD("r/a", D1, "null");
	assert_int_equal(verify_payload_parse("layer L", noopt, strlen(noopt), &p), 0);
	assert_null(p.optional);
	verify_payload_free(&p);

	static const struct {
		const char *doc;
		int code;
		const char *words;
	} bad[] = {
		{ "this is not JSON", VIGIL_EFORMAT, "layer L: the payload is not JSON (line 1" },
		{ "", VIGIL_EFORMAT, "the payload is not JSON" },
		{ "[1,2]", VIGIL_EFORMAT, "the payload is an array, not an object" },
		{ "{}", VIGIL_EFORMAT, "critical: missing" },
		{ "{\"critical\":{\"type\":\"x\",\"image\":{\"docker-manifest-digest\":\"" D1 "\"}}}", VIGIL_EFORMAT,
		  "critical.type: \"x\", not \"cosign container image signature\"" },
		{ "{\"critical\":{\"type\":\"cosign container image signature\",\"image\":{}}}", VIGIL_EFORMAT,
		  "critical.image.docker-manifest-digest: missing" },
		{ "{\"critical\":{\"type\":\"cosign container image signature\",\"image\":{\"docker-manifest-digest\":\"sha256:xyz\"}}}",
		  VIGIL_EFORMAT, "\"sha256:xyz\" is not a digest" },
		{ "{\"critical\":{\"type\":\"cosign container image signature\",\"image\":{\"docker-manifest-digest\":7}}}",
		  VIGIL_EFORMAT, "docker-manifest-digest: not a string" },
		{ "{\"critical\":{\"type\":\"cosign container image signature\",\"image\":{\"docker-manifest-digest\":\"" D1
		  "\"},\"identity\":{\"docker-reference\":[]}}}", VIGIL_EFORMAT, "docker-reference: not a string" },
		{ "{\"critical\":{\"type\":\"cosign container image signature\",\"image\":{\"docker-manifest-digest\":\"" D1
		  "\"}},\"optional\":\"x\"}", VIGIL_EFORMAT, "optional: not an object" },
		{ "{\"critical\":{},\"critical\":{}}", VIGIL_EFORMAT, "duplicate" },
		{ "{\"critical\":null} trailing", VIGIL_EFORMAT, "not JSON" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = verify_payload_parse("layer L", bad[i].doc, strlen(bad[i].doc), &p);
		if (rc != bad[i].code || !strstr(vigil_error_message(), bad[i].words) ||
		    !strstr(vigil_error_message(), "layer L"))
			fail_msg("%s: rc %d, message \"%s\" (want \"%s\")", bad[i].doc, rc, vigil_error_message(),
				 bad[i].words);
		assert_null(p.root);
	}
	char *big = malloc(VERIFY_MAX_PAYLOAD + 2);
	assert_non_null(big);
	memset(big, ' ', VERIFY_MAX_PAYLOAD + 1);
	assert_int_equal(verify_payload_parse("layer L", big, VERIFY_MAX_PAYLOAD + 1, &p), VIGIL_ELIMIT);
	free(big);
}

static void test_annotations(void **state)
{
	verify_payload p;
	(void)state;
	const char *doc = PAYLOAD("r/a", D1, "{\"env\":\"prod\",\"n\":3}");
	assert_int_equal(verify_payload_parse("layer L", doc, strlen(doc), &p), 0);
	const char *ok[] = { "env=prod" };
	assert_int_equal(verify_payload_annotations("layer L", &p, ok, 1), 0);
	const char *other[] = { "env=prod", "env=dev" };
	assert_int_equal(verify_payload_annotations("layer L", &p, other, 2), VIGIL_EDIGEST);
	assert_non_null(strstr(vigil_error_message(), "annotation env is \"prod\", not \"dev\""));
	const char *absent[] = { "team=x" };
	assert_int_equal(verify_payload_annotations("layer L", &p, absent, 1), VIGIL_EDIGEST);
	assert_non_null(strstr(vigil_error_message(), "annotation team is absent"));
	const char *num[] = { "n=3" };
	assert_int_equal(verify_payload_annotations("layer L", &p, num, 1), VIGIL_EDIGEST);
	assert_non_null(strstr(vigil_error_message(), "not a string"));
	const char *junk[] = { "=x" };
	assert_int_equal(verify_payload_annotations("layer L", &p, junk, 1), VIGIL_EINVAL);
	verify_payload_free(&p);
}

#define SIGMAN(layers) "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"layers\":[" layers "]}"
#define LAYER(mt, ann) "{\"mediaType\":\"" mt "\",\"size\":250,\"digest\":\"" D2 "\"" ann "}"
#define SS VERIFY_MEDIA_SIMPLESIGNING

static void test_sig_manifest(void **state)
{
	verify_layer *l = NULL;
	size_t n = 0;
	(void)state;
	const char *good = SIGMAN(LAYER(SS, ",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"AQID\"}") ","
				  LAYER("text/plain", "") "," LAYER(SS, "") ","
				  LAYER(SS, ",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"not base64!\"}"));
	assert_int_equal(verify_sig_manifest_parse("r:sha256-x.sig", good, strlen(good), &l, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(l[0].digest, D2);
	assert_int_equal(l[0].size, 250);
	assert_int_equal(l[0].siglen, 3);
	assert_int_equal(l[0].err_code, 0);
	assert_int_equal(l[1].err_code, VIGIL_EUNSUPPORTED);
	assert_non_null(strstr(l[1].err, "layers[1]: mediaType text/plain is not a cosign signature"));
	assert_int_equal(l[2].err_code, VIGIL_EFORMAT);
	assert_non_null(strstr(l[2].err, "layers[2]: no annotation dev.cosignproject.cosign/signature"));
	assert_int_equal(l[3].err_code, VIGIL_EFORMAT);
	assert_non_null(strstr(l[3].err, "layers[3]"));
	free(l);

	static const struct {
		const char *doc;
		int code;
		const char *words;
	} bad[] = {
		{ "not json", VIGIL_EFORMAT, "the signature manifest is not JSON" },
		{ "{}", VIGIL_EFORMAT, "layers: missing" },
		{ SIGMAN(""), VIGIL_EFORMAT, "no layers" },
		{ SIGMAN("{\"size\":1}"), VIGIL_EFORMAT, "layers[0].digest: missing" },
		{ SIGMAN("{\"size\":1,\"digest\":\"md5:x\"}"), VIGIL_EFORMAT, "layers[0].digest: \"md5:x\" is not a digest" },
		{ SIGMAN("{\"digest\":\"" D1 "\"}"), VIGIL_EFORMAT, "layers[0].size: missing" },
		{ SIGMAN("{\"digest\":\"" D1 "\",\"size\":-4}"), VIGIL_EFORMAT, "layers[0].size: not a byte count" },
		{ SIGMAN("{\"digest\":\"" D1 "\",\"size\":1.5}"), VIGIL_EFORMAT, "layers[0].size: not a byte count" },
		{ SIGMAN("7"), VIGIL_EFORMAT, "layers[0]: not an object" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = verify_sig_manifest_parse("r:sha256-x.sig", bad[i].doc, strlen(bad[i].doc), &l, &n);
		if (rc != bad[i].code || !strstr(vigil_error_message(), bad[i].words) ||
		    !strstr(vigil_error_message(), "r:sha256-x.sig"))
			fail_msg("%s: rc %d, message \"%s\" (want \"%s\")", bad[i].doc, rc, vigil_error_message(),
				 bad[i].words);
		assert_null(l);
	}
	/* VERIFY_MAX_SIGNATURES + 1 layers */
	char doc[16384];
	size_t off = (size_t)snprintf(doc, sizeof(doc), "{\"layers\":[{}");
	for (int i = 0; i < VERIFY_MAX_SIGNATURES; i++)
		off += (size_t)snprintf(doc + off, sizeof(doc) - off, ",{}");
	snprintf(doc + off, sizeof(doc) - off, "]}");
	assert_int_equal(verify_sig_manifest_parse("r:x.sig", doc, strlen(doc), &l, &n), VIGIL_ELIMIT);
}

/* a key written as PEM (private, public) under dir */
static void make_key(const char *dir, const char *name, EVP_PKEY *k, char priv[256], char pub[256])
{
	snprintf(priv, 256, "%s/%s.pem", dir, name);
	snprintf(pub, 256, "%s/%s.pub", dir, name);
	FILE *f = fopen(priv, "w");
	assert_non_null(f);
	assert_int_equal(PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL), 1);
	fclose(f);
	assert_non_null(f = fopen(pub, "w"));
	assert_int_equal(PEM_write_PUBKEY(f, k), 1);
	fclose(f);
	EVP_PKEY_free(k);
}

static void sign(const char *priv, const char *data, unsigned char *sig, size_t *siglen)
{
	EVP_PKEY *k;
	assert_int_equal(vigil_pkey_load(priv, true, &k), 0);
	assert_int_equal(vigil_pkey_sign(k, priv, data, strlen(data), sig, siglen), 0);
	EVP_PKEY_free(k);
}

static int check(const char *pub, const char *digest, const char *repo, int match, const char *payload,
		 const unsigned char *sig, size_t siglen)
{
	EVP_PKEY *k;
	verify_payload p;
	assert_int_equal(vigil_pkey_load(pub, false, &k), 0);
	verify_want w = { .key = k, .key_path = pub, .digest = digest, .repository = repo, .match_reference = match };
	int rc = verify_check(&w, "layer L", payload, strlen(payload), sig, siglen, &p);
	verify_payload_free(&p);
	EVP_PKEY_free(k);
	return rc;
}

static void test_signatures(void **state)
{
	char dir[] = "/tmp/vigil-verify-keysXXXXXX";
	char priv[4][256], pub[4][256], kind[VIGIL_PKEY_MAX_KIND];
	unsigned char sig[VIGIL_PKEY_MAX_SIGNATURE];
	size_t siglen;
	(void)state;
	assert_non_null(mkdtemp(dir));
	make_key(dir, "ec", EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"), priv[0], pub[0]);
	make_key(dir, "ed", EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"), priv[1], pub[1]);
	make_key(dir, "rsa", EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048), priv[2], pub[2]);
	make_key(dir, "p384", EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384"), priv[3], pub[3]);
	static const char *const kinds[] = { "ECDSA P-256", "Ed25519", "RSA 2048" };
	const char *payload = PAYLOAD("index.docker.io/library/app", D1, "null");
	const char *other = PAYLOAD("index.docker.io/library/app", D2, "null");
	for (int i = 0; i < 3; i++) {
		EVP_PKEY *k;
		assert_int_equal(vigil_pkey_load(pub[i], false, &k), 0);
		assert_string_equal(vigil_pkey_kind(k, kind), kinds[i]);
		EVP_PKEY_free(k);
		sign(priv[i], payload, sig, &siglen);
		assert_int_equal(check(pub[i], D1, "docker.io/library/app", 1, payload, sig, siglen), 0);
		assert_int_equal(check(priv[i], D1, "docker.io/library/app", 0, payload, sig, siglen), 0);
		/* another key */
		assert_int_equal(check(pub[(i + 1) % 3], D1, "r/a", 0, payload, sig, siglen), VIGIL_EDIGEST);
		assert_non_null(strstr(vigil_error_message(), "layer L: bad signature: it does not verify with the key"));
		/* the payload changed under the signature */
		assert_int_equal(check(pub[i], D2, "r/a", 0, other, sig, siglen), VIGIL_EDIGEST);
		assert_non_null(strstr(vigil_error_message(), "bad signature"));
		/* a good signature of a payload for another image */
		assert_int_equal(check(pub[i], D2, "r/a", 0, payload, sig, siglen), VIGIL_EDIGEST);
		assert_non_null(strstr(vigil_error_message(), "digest mismatch: the payload signs " D1 ", the image is " D2));
		/* the repository, when asked */
		assert_int_equal(check(pub[i], D1, "127.0.0.1:5000/app", 0, payload, sig, siglen), 0);
		assert_int_equal(check(pub[i], D1, "127.0.0.1:5000/app", 1, payload, sig, siglen), VIGIL_EDIGEST);
		assert_non_null(strstr(vigil_error_message(), "names the repository \"index.docker.io/library/app\""));
		/* a damaged signature, and bytes that are no signature at all */
		sig[siglen / 2] ^= 1;
		assert_int_equal(check(pub[i], D1, "r/a", 0, payload, sig, siglen), VIGIL_EDIGEST);
		assert_int_equal(check(pub[i], D1, "r/a", 0, payload, sig, 3), VIGIL_EDIGEST);
		assert_int_equal(check(pub[i], D1, "r/a", 0, payload, sig, 0), VIGIL_EDIGEST);
	}
	/* not JSON: named before the signature is looked at */
	sign(priv[0], "not json", sig, &siglen);
	assert_int_equal(check(pub[0], D1, "r/a", 0, "not json", sig, siglen), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "layer L: the payload is not JSON"));
	/* a P-384 key is refused by name */
	assert_int_equal(check(pub[3], D1, "r/a", 0, payload, sig, siglen), VIGIL_EUNSUPPORTED);
	assert_non_null(strstr(vigil_error_message(), "P-256 expected"));
	char path[300];
	for (int i = 0; i < 4; i++) {
		unlink(priv[i]);
		unlink(pub[i]);
	}
	snprintf(path, sizeof(path), "%s", dir);
	rmdir(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_payload_parse),
		cmocka_unit_test(test_annotations),
		cmocka_unit_test(test_sig_manifest),
		cmocka_unit_test(test_signatures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
