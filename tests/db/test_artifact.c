/* tests/db/test_artifact.c: the documents of the database artifact
 * (db/artifact_doc.c) and its signature (db/artifact_sign.c). What a push
 * writes, a pull reads back; the manifests a pull must refuse (another
 * artifactType, an image, an index, no bundle layer, two, a broken digest
 * or size, over the limits, duplicate keys) and the configs (another
 * format, a newer schema, a bad time) are refused with a message naming
 * the document and the field. Signatures with EC P-256, Ed25519 and RSA
 * keys made here verify, and fail for another key, another text, a
 * damaged or missing signature; keys of other kinds are refused. */
#include "db/artifact.h"
#include "helpers.h"
#include "util/error.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define D1 "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "sha256:2222222222222222222222222222222222222222222222222222222222222222"

static void descs(db_art_desc *cfg, db_art_desc *bundle)
{
	memset(cfg, 0, sizeof(*cfg));
	memset(bundle, 0, sizeof(*bundle));
	snprintf(cfg->media_type, sizeof(cfg->media_type), "%s", VIGIL_DB_ARTIFACT_CONFIG_TYPE);
	snprintf(cfg->digest, sizeof(cfg->digest), "%s", D1);
	cfg->size = 300;
	snprintf(bundle->media_type, sizeof(bundle->media_type), "%s", VIGIL_DB_ARTIFACT_BUNDLE_TYPE);
	snprintf(bundle->digest, sizeof(bundle->digest), "%s", D2);
	bundle->size = 3856781;
}

static void test_manifest_round_trip(void **state)
{
	db_art_desc cfg, bundle;
	db_art_manifest m;
	char *json = NULL;
	size_t len = 0;
	(void)state;
	descs(&cfg, &bundle);
	assert_int_equal(db_art_manifest_build(&cfg, &bundle, 1764961200, 1764950000, NULL, NULL, &json, &len), 0);
	assert_int_equal(db_art_manifest_parse("r/db:1", json, len, &m), 0);
	assert_string_equal(m.artifact_type, VIGIL_DB_ARTIFACT_TYPE);
	assert_string_equal(m.config.digest, D1);
	assert_int_equal(m.config.size, 300);
	assert_string_equal(m.bundle.digest, D2);
	assert_int_equal(m.bundle.size, 3856781);
	assert_string_equal(m.signature, "");
	assert_non_null(strstr(json, "\"org.opencontainers.image.created\":\"2025-12-05T19:00:00Z\""));
	free(json);
	assert_int_equal(db_art_manifest_build(&cfg, &bundle, 1, 1, "c2lnbmF0dXJl", D1, &json, &len), 0);
	assert_int_equal(db_art_manifest_parse("r/db:1", json, len, &m), 0);
	assert_string_equal(m.signature, "c2lnbmF0dXJl");
	assert_string_equal(m.key_id, D1);
	free(json);
}

/* A manifest with the given pieces: artifactType (NULL: none), config
 * media type, and the layers' JSON. */
static char *manifest(const char *at, const char *ctype, const char *layers)
{
	char *s = malloc(4096);
	snprintf(s, 4096,
		 "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"%s%s%s,"
		 "\"config\":{\"mediaType\":\"%s\",\"digest\":\"" D1 "\",\"size\":10},\"layers\":%s}",
		 at ? ",\"artifactType\":\"" : "", at ? at : "", at ? "\"" : "", ctype, layers);
	return s;
}

#define BUNDLE_LAYER "{\"mediaType\":\"" VIGIL_DB_ARTIFACT_BUNDLE_TYPE "\",\"digest\":\"" D2 "\",\"size\":5}"

static void refused(const char *doc, int code, const char *words)
{
	db_art_manifest m;
	int rc = db_art_manifest_parse("reg/db:1", doc, strlen(doc), &m);
	if (rc != code || !strstr(vigil_error_message(), words) || !strstr(vigil_error_message(), "reg/db:1"))
		fail_msg("%s: rc %d (want %d), message \"%s\" (want \"%s\")", doc, rc, code, vigil_error_message(), words);
}

static void test_manifest_refused(void **state)
{
	char *s;
	(void)state;
	/* without artifactType the config's media type says it (image-spec 1.0 writers) */
	s = manifest(NULL, VIGIL_DB_ARTIFACT_CONFIG_TYPE, "[" BUNDLE_LAYER "]");
	db_art_manifest m;
	assert_int_equal(db_art_manifest_parse("x", s, strlen(s), &m), 0);
	free(s);
	s = manifest("application/vnd.example.sbom", VIGIL_DB_ARTIFACT_CONFIG_TYPE, "[" BUNDLE_LAYER "]");
	refused(s, VIGIL_EUNSUPPORTED, "artifactType application/vnd.example.sbom, not a vigil database");
	free(s);
	s = manifest(NULL, "application/vnd.oci.image.config.v1+json",
		     "[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" D2 "\",\"size\":5}]");
	refused(s, VIGIL_EUNSUPPORTED, "config media type application/vnd.oci.image.config.v1+json, not a vigil database");
	free(s);
	s = manifest(VIGIL_DB_ARTIFACT_TYPE, VIGIL_DB_ARTIFACT_CONFIG_TYPE, "[]");
	refused(s, VIGIL_EUNSUPPORTED, "no " VIGIL_DB_ARTIFACT_BUNDLE_TYPE " layer");
	free(s);
	s = manifest(VIGIL_DB_ARTIFACT_TYPE, VIGIL_DB_ARTIFACT_CONFIG_TYPE, "[" BUNDLE_LAYER "," BUNDLE_LAYER "]");
	refused(s, VIGIL_EFORMAT, "more than one");
	free(s);
	s = manifest(VIGIL_DB_ARTIFACT_TYPE, VIGIL_DB_ARTIFACT_CONFIG_TYPE,
		     "[{\"mediaType\":\"" VIGIL_DB_ARTIFACT_BUNDLE_TYPE "\",\"digest\":\"sha256:12\",\"size\":5}]");
	refused(s, VIGIL_EFORMAT, "layers[0].digest: \"sha256:12\" is not a digest");
	free(s);
	s = manifest(VIGIL_DB_ARTIFACT_TYPE, VIGIL_DB_ARTIFACT_CONFIG_TYPE,
		     "[{\"mediaType\":\"" VIGIL_DB_ARTIFACT_BUNDLE_TYPE "\",\"digest\":\"" D2 "\",\"size\":-1}]");
	refused(s, VIGIL_EFORMAT, "layers[0].size: negative");
	free(s);
	s = manifest(VIGIL_DB_ARTIFACT_TYPE, VIGIL_DB_ARTIFACT_CONFIG_TYPE,
		     "[{\"mediaType\":\"" VIGIL_DB_ARTIFACT_BUNDLE_TYPE "\",\"digest\":\"" D2 "\",\"size\":\"5\"}]");
	refused(s, VIGIL_EFORMAT, "layers[0].size");
	free(s);
	/* 17 layers */
	char layers[4096] = "[";
	for (int i = 0; i < DB_ART_MAX_LAYERS + 1; i++)
		snprintf(layers + strlen(layers), sizeof(layers) - strlen(layers), "%s%s", i ? "," : "", BUNDLE_LAYER);
	strncat(layers, "]", sizeof(layers) - strlen(layers) - 1);
	s = manifest(VIGIL_DB_ARTIFACT_TYPE, VIGIL_DB_ARTIFACT_CONFIG_TYPE, layers);
	refused(s, VIGIL_ELIMIT, "layers");
	free(s);
	refused("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}",
		VIGIL_EUNSUPPORTED, "not an OCI image manifest");
	refused("{\"schemaVersion\":1}", VIGIL_EUNSUPPORTED, "schemaVersion 1");
	refused("{\"schemaVersion\":2,\"schemaVersion\":2}", VIGIL_EFORMAT, "not JSON");
	refused("[1]", VIGIL_EFORMAT, "not an object");
	refused("{\"schemaVersion\":2", VIGIL_EFORMAT, "not JSON");
	refused("{\"schemaVersion\":2,\"layers\":[]}", VIGIL_EFORMAT, "config: missing");
	/* a config past the limit is refused before it is fetched */
	refused("{\"schemaVersion\":2,\"artifactType\":\"" VIGIL_DB_ARTIFACT_TYPE "\",\"config\":{\"mediaType\":\""
		VIGIL_DB_ARTIFACT_CONFIG_TYPE "\",\"digest\":\"" D1 "\",\"size\":2000000},\"layers\":[" BUNDLE_LAYER "]}",
		VIGIL_ELIMIT, "config: 2000000 bytes (limit 1048576)");
	refused("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" VIGIL_DB_ARTIFACT_CONFIG_TYPE "\",\"digest\":\"" D1
		"\",\"size\":1},\"layers\":[" BUNDLE_LAYER "],\"annotations\":{\"" DB_ART_ANN_SIGNATURE "\":7}}",
		VIGIL_EFORMAT, "annotations." DB_ART_ANN_SIGNATURE ": not a string");
}

static void test_config(void **state)
{
	vigil_db_bundle_feed f[2] = {
		{ .feed = "alpine", .fingerprint = D1, .created = 1764950000, .records = 2474 },
		{ .feed = "ubuntu", .fingerprint = D2, .created = 1764960000, .records = 6509 },
	};
	db_art_config c;
	char *json = NULL;
	size_t len = 0;
	int64_t updated = 0;
	(void)state;
	assert_int_equal(db_art_config_build(f, 2, 1764961200, &json, &len, &updated), 0);
	assert_int_equal(updated, 1764960000);
	assert_int_equal(db_art_config_parse("r/db:1", json, len, &c), 0);
	assert_int_equal(c.schema, VIGIL_DB_ARTIFACT_SCHEMA);
	assert_int_equal(c.nfeeds, 2);
	assert_int_equal(c.created, 1764961200);
	assert_int_equal(c.updated, 1764960000);
	assert_non_null(strstr(json, "\"updated\":\"2025-12-05T18:40:00Z\""));
	assert_non_null(strstr(json, "\"records\":6509"));
	free(json);

	static const struct {
		const char *doc;
		int code;
		const char *words;
	} bad[] = {
		{ "{\"format\":\"other\",\"schemaVersion\":1}", VIGIL_EUNSUPPORTED, "format \"other\"" },
		{ "{\"format\":\"vigil-db-artifact\",\"schemaVersion\":2}", VIGIL_EUNSUPPORTED, "schemaVersion 2 (this vigil reads 1 to 1)" },
		{ "{\"format\":\"vigil-db-artifact\",\"schemaVersion\":0}", VIGIL_EUNSUPPORTED, "schemaVersion 0" },
		{ "{\"format\":\"vigil-db-artifact\"}", VIGIL_EFORMAT, "schemaVersion: missing" },
		{ "{\"format\":\"vigil-db-artifact\",\"schemaVersion\":1,\"updated\":\"yesterday\"}", VIGIL_EFORMAT, "updated: not a time" },
		{ "{\"format\":\"vigil-db-artifact\",\"schemaVersion\":1,\"created\":\"2026-13-45T99:00:00Z\"}", VIGIL_EFORMAT, "created: not a time" },
		{ "{\"format\":\"vigil-db-artifact\",\"schemaVersion\":1,\"feeds\":{}}", VIGIL_EFORMAT, "feeds" },
		{ "null", VIGIL_EFORMAT, "not JSON" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = db_art_config_parse("r/db:1", bad[i].doc, strlen(bad[i].doc), &c);
		if (rc != bad[i].code || !strstr(vigil_error_message(), bad[i].words) ||
		    !strstr(vigil_error_message(), "r/db:1"))
			fail_msg("%s: rc %d, message \"%s\" (want \"%s\")", bad[i].doc, rc, vigil_error_message(), bad[i].words);
	}
}

/* A key of the given kind written as PEM (private and public) under dir. */
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

static void test_signatures(void **state)
{
	char dir[] = "/tmp/vigil-art-keysXXXXXX";
	char priv[4][256], pub[4][256], text[512], sig[DB_ART_MAX_SIG_B64 + 1], kid[DB_ART_DIGEST_MAX];
	(void)state;
	assert_non_null(mkdtemp(dir));
	make_key(dir, "ec", EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"), priv[0], pub[0]);
	make_key(dir, "ed", EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"), priv[1], pub[1]);
	make_key(dir, "rsa", EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048), priv[2], pub[2]);
	make_key(dir, "p384", EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384"), priv[3], pub[3]);
	assert_int_equal(db_art_sign_text(D2, D1, text, sizeof(text)), 0);
	assert_string_equal(text, "vigil-db-signature-v1 " D2 " " D1);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(db_art_sign(priv[i], text, sig, kid), 0);
		assert_true(strlen(kid) == 71 && !strncmp(kid, "sha256:", 7));
		assert_int_equal(db_art_verify(pub[i], "r/db:1", text, sig), 0);
		assert_int_equal(db_art_verify(priv[i], "r/db:1", text, sig), 0); /* its public half */
		/* another key, another text, a damaged signature */
		assert_int_equal(db_art_verify(pub[(i + 1) % 3], "r/db:1", text, sig), VIGIL_EDIGEST);
		assert_non_null(strstr(vigil_error_message(), "r/db:1: bad signature"));
		char other[512];
		assert_int_equal(db_art_sign_text(D1, D1, other, sizeof(other)), 0);
		assert_int_equal(db_art_verify(pub[i], "r/db:1", other, sig), VIGIL_EDIGEST);
		sig[4] = sig[4] == 'A' ? 'B' : 'A';
		assert_int_equal(db_art_verify(pub[i], "r/db:1", text, sig), VIGIL_EDIGEST);
	}
	assert_int_equal(db_art_verify(pub[0], "r/db:1", text, ""), VIGIL_EDIGEST);
	assert_non_null(strstr(vigil_error_message(), "unsigned"));
	assert_int_equal(db_art_verify(pub[0], "r/db:1", text, "not base64!"), VIGIL_EFORMAT);
	assert_int_equal(db_art_sign(priv[3], text, sig, kid), VIGIL_EUNSUPPORTED);
	assert_non_null(strstr(vigil_error_message(), "P-256 expected"));
	assert_int_equal(db_art_verify(pub[0], "r/db:1", text, sig), VIGIL_EDIGEST); /* sig left as it was */
	char missing[300];
	snprintf(missing, sizeof(missing), "%s/none.pem", dir);
	assert_int_equal(db_art_sign(missing, text, sig, kid), VIGIL_ENOTFOUND);
	assert_int_equal(db_art_verify(pub[0], "r/db:1", text, "AAAA"), VIGIL_EDIGEST);
	FILE *f = fopen(missing, "w");
	fputs("-----BEGIN PUBLIC KEY-----\nnonsense\n-----END PUBLIC KEY-----\n", f);
	fclose(f);
	assert_int_equal(db_art_verify(missing, "r/db:1", text, "AAAA"), VIGIL_EFORMAT);
	for (int i = 0; i < 4; i++) {
		unlink(priv[i]);
		unlink(pub[i]);
	}
	unlink(missing);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_manifest_round_trip),
		cmocka_unit_test(test_manifest_refused),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_signatures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
