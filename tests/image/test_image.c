/* tests/image/test_image.c: img_open() on real small images made by
 * umoci and skopeo (tests/image/make-layouts.sh, run into a temporary
 * folder): OCI layouts with gzip and zstd layers, tags, digests, a nested
 * multi-platform index, docker-archives (skopeo's, a multi-image one, a
 * Docker 25 style one with an OCI layout inside), root filesystems; and the
 * broken copies: missing index.json, bad JSON, digest mismatch, "../" in a
 * digest, indexes nested too deep, truncated archive. Expected digests come
 * from the script (computed by python from the files), and every layer is
 * streamed and hashed. */
#include "helpers.h"
#include "image/image.h"
#include "util/error.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[256];
static json_t *expected;

/* fmt with "%D" replaced by the layouts folder (a rotating static buffer). */
static const char *P(const char *fmt)
{
	static char buf[4][1024];
	static int k;
	k = (k + 1) % 4;
	const char *d = strstr(fmt, "%D");
	if (d)
		snprintf(buf[k], sizeof(buf[k]), "%.*s%s%s", (int)(d - fmt), fmt, dir, d + 2);
	else
		snprintf(buf[k], sizeof(buf[k]), "%s", fmt);
	return buf[k];
}

static const char *exp_str(const char *img, const char *key)
{
	return json_string_value(json_object_get(json_object_get(expected, img), key));
}

static const char *exp_at(const char *img, const char *key, size_t i)
{
	return json_string_value(json_array_get(json_object_get(json_object_get(expected, img), key), i));
}

static uint64_t exp_size(const char *img, size_t i)
{
	return (uint64_t)json_integer_value(
		json_array_get(json_object_get(json_object_get(expected, img), "sizes"), i));
}

/* Streams layer i and returns "sha256:<hex>" of its bytes, and the count. */
static void hash_layer(vigil_image *img, size_t i, char out[VIGIL_DIGEST_MAX], uint64_t *count)
{
	vigil_istream *s;
	assert_int_equal(img_open_layer(img, i, &s), 0);
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	EVP_DigestInit(c, EVP_sha256());
	char buf[4096];
	ssize_t r;
	*count = 0;
	while ((r = vigil_istream_read(s, buf, sizeof(buf))) > 0) {
		EVP_DigestUpdate(c, buf, (size_t)r);
		*count += (uint64_t)r;
	}
	assert_int_equal(r, 0);
	unsigned char md[32];
	unsigned int n;
	EVP_DigestFinal(c, md, &n);
	EVP_MD_CTX_free(c);
	memcpy(out, "sha256:", 7);
	for (unsigned int k = 0; k < n; k++)
		snprintf(out + 7 + 2 * k, 3, "%02x", md[k]);
	vigil_istream_close(s);
}

static vigil_image *open_ok(const char *ref, const char *platform)
{
	vigil_image *img = NULL;
	int rc = img_open(ref, platform, &img);
	if (rc < 0)
		fail_msg("%s: %s", ref, vigil_error_message());
	return img;
}

static void open_fails(const char *ref, const char *platform, int code, const char *needle,
		       const char *needle2)
{
	vigil_image *img = (vigil_image *)1;
	int rc = img_open(ref, platform, &img);
	if (rc != code)
		fail_msg("%s: want %d, got %d (%s)", ref, code, rc, vigil_error_message());
	assert_null(img);
	if (needle && !strstr(vigil_error_message(), needle))
		fail_msg("%s: message \"%s\" lacks \"%s\"", ref, vigil_error_message(), needle);
	if (needle2 && !strstr(vigil_error_message(), needle2))
		fail_msg("%s: message \"%s\" lacks \"%s\"", ref, vigil_error_message(), needle2);
}

/* Checks an OCI image against expected[name]: digests, media types, sizes,
 * and that every stream hashes to its digest. */
static void check_oci(vigil_image *img, const char *name)
{
	assert_int_equal(img_get_kind(img), VIGIL_IMAGE_LAYERS);
	assert_string_equal(img_manifest_digest(img), exp_str(name, "manifest"));
	assert_string_equal(img_config_digest(img), exp_str(name, "config"));
	size_t n = json_array_size(json_object_get(json_object_get(expected, name), "layers"));
	assert_int_equal(img_layer_count(img), n);
	for (size_t i = 0; i < n; i++) {
		const vigil_layer_desc *l = img_layer(img, i);
		char h[VIGIL_DIGEST_MAX];
		uint64_t count;
		assert_string_equal(l->digest, exp_at(name, "layers", i));
		assert_string_equal(l->diff_id, exp_at(name, "diff_ids", i));
		assert_string_equal(l->media_type, exp_at(name, "media", i));
		assert_int_equal(l->verify, VIGIL_VERIFY_BLOB);
		assert_int_equal(l->size, exp_size(name, i));
		hash_layer(img, i, h, &count);
		assert_string_equal(h, l->digest);
		assert_int_equal(count, l->size);
	}
	assert_null(img_layer(img, n));
}

static void test_oci_tag(void **state)
{
	vigil_image *img = open_ok(P("oci:%D/oci:two"), NULL);
	check_oci(img, "two");
	assert_string_equal(img_platform_name(img), "linux/amd64");
	assert_string_equal(img_ref(img), P("oci:%D/oci:two"));
	assert_null(img_rootfs(img));
	vigil_istream *s = (vigil_istream *)1;
	assert_int_equal(img_open_layer(img, 2, &s), VIGIL_EINVAL);
	assert_null(s);
	img_free(img);

	img = open_ok(P("oci:%D/oci:one"), "linux/amd64");
	check_oci(img, "one");
	img_free(img);
	img = open_ok(P("oci:%D/oci:empty"), NULL);
	assert_int_equal(img_layer_count(img), 0);
	img_free(img);
	img_free(NULL);
}

static void test_oci_zstd_and_detect(void **state)
{
	vigil_image *img = open_ok(P("oci:%D/oci-zstd"), NULL);
	check_oci(img, "zstd");
	/* the same content as the gzip image */
	for (size_t i = 0; i < 2; i++)
		assert_string_equal(img_layer(img, i)->diff_id, exp_at("two", "diff_ids", i));
	img_free(img);
	img = open_ok(P("%D/oci-zstd"), NULL); /* bare path: an OCI layout */
	check_oci(img, "zstd");
	img_free(img);
}

static void test_oci_selection(void **state)
{
	open_fails(P("oci:%D/oci"), NULL, VIGIL_EINVAL, "give a tag", "empty, one, two");
	open_fails(P("oci:%D/oci:nope"), NULL, VIGIL_ENOTFOUND, "no tag nope", "one");
	char ref[1024];
	snprintf(ref, sizeof(ref), "oci:%s/oci@%s", dir, exp_str("two", "manifest"));
	vigil_image *img = open_ok(ref, NULL);
	check_oci(img, "two");
	img_free(img);
	snprintf(ref, sizeof(ref), "oci:%s/oci@sha256:%064d", dir, 0);
	open_fails(ref, NULL, VIGIL_ENOTFOUND, "no manifest or index sha256:0000", NULL);
	/* a digest that is not one is part of the folder name */
	open_fails(P("oci:%D/oci@sha256:12"), NULL, VIGIL_ENOTFOUND, "oci@sha256", NULL);
}

static void test_platforms(void **state)
{
	vigil_image *img = open_ok(P("oci:%D/multi:multi"), NULL);
	check_oci(img, "two");
	img_free(img);
	img = open_ok(P("oci:%D/multi:multi"), "linux/x86_64");
	check_oci(img, "two");
	img_free(img);
	static const char *const arm[] = { "linux/arm64", "linux/arm64/v8", "linux/aarch64" };
	for (size_t i = 0; i < 3; i++) {
		img = open_ok(P("oci:%D/multi:multi"), arm[i]);
		check_oci(img, "arm");
		assert_string_equal(img_platform_name(img), "linux/arm64/v8");
		img_free(img);
	}
	open_fails(P("oci:%D/multi:multi"), "linux/arm/v7", VIGIL_ENOTFOUND,
		   "no image for platform linux/arm/v7", "linux/amd64, linux/arm64/v8");
	open_fails(P("oci:%D/multi"), NULL, VIGIL_EINVAL, "several images", "multi, one");
	/* the index by digest, then the platform */
	char ref[1024];
	snprintf(ref, sizeof(ref), "oci:%s/multi@%s", dir, json_string_value(json_object_get(expected, "list")));
	img = open_ok(ref, "linux/arm64");
	check_oci(img, "arm");
	img_free(img);
	/* a manifest by digest must still be for an explicit platform */
	snprintf(ref, sizeof(ref), "oci:%s/multi@%s", dir, exp_str("arm", "manifest"));
	img = open_ok(ref, NULL);
	check_oci(img, "arm");
	img_free(img);
	open_fails(ref, "linux/amd64", VIGIL_ENOTFOUND, "is for linux/arm64/v8, not linux/amd64", NULL);
	static const char *const bad[] = { "linux", "linux/", "/amd64", "linux/amd64/v1/x", "Linux/amd64",
		"linux/amd 64", "" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		open_fails(P("oci:%D/multi:multi"), bad[i], VIGIL_EINVAL, "platform", NULL);
}

static void check_docker(vigil_image *img)
{
	assert_int_equal(img_get_kind(img), VIGIL_IMAGE_LAYERS);
	assert_string_equal(img_manifest_digest(img), exp_str("docker", "config"));
	assert_string_equal(img_config_digest(img), exp_str("docker", "config"));
	assert_int_equal(img_layer_count(img), 2);
	for (size_t i = 0; i < 2; i++) {
		const vigil_layer_desc *l = img_layer(img, i);
		char h[VIGIL_DIGEST_MAX];
		uint64_t count;
		assert_string_equal(l->digest, exp_at("docker", "diff_ids", i));
		assert_string_equal(l->diff_id, exp_at("docker", "diff_ids", i));
		assert_int_equal(l->verify, VIGIL_VERIFY_DIFF);
		assert_null(l->media_type);
		assert_int_equal(l->size, exp_size("docker", i));
		hash_layer(img, i, h, &count); /* uncompressed: the diff_id */
		assert_string_equal(h, l->digest);
		assert_int_equal(count, l->size);
	}
}

static void test_docker_archive(void **state)
{
	static const char *const refs[] = { "docker-archive:%D/docker.tar", "%D/docker.tar",
		"docker-archive:%D/docker.tar:demo:two", "docker-archive:%D/docker.tar:docker.io/library/demo:two",
		"docker-archive:%D/docker.tar:@0" };
	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		vigil_image *img = open_ok(P(refs[i]), NULL);
		check_docker(img);
		assert_string_equal(img_platform_name(img), "linux/amd64");
		img_free(img);
	}
	open_fails(P("docker-archive:%D/docker.tar:demo:three"), NULL, VIGIL_ENOTFOUND,
		   "no image tagged demo:three", "docker.io/library/demo:two");
	open_fails(P("docker-archive:%D/docker.tar:@1"), NULL, VIGIL_ENOTFOUND, "no image @1", NULL);
	open_fails(P("docker-archive:%D/docker.tar"), "linux/s390x", VIGIL_ENOTFOUND,
		   "is for linux/amd64, not linux/s390x", NULL);
	open_fails(P("docker-archive:%D/nope.tar"), NULL, VIGIL_ENOTFOUND, "nope.tar", NULL);
	open_fails(P("docker-archive:%D/oci"), NULL, VIGIL_EINVAL, "not a regular file", NULL);
}

static void test_docker_multi(void **state)
{
	open_fails(P("docker-archive:%D/docker-multi.tar"), NULL, VIGIL_EINVAL, "holds 2 images",
		   "docker.io/library/demo:two, docker.io/library/demo:one");
	vigil_image *img = open_ok(P("docker-archive:%D/docker-multi.tar:demo:two"), NULL);
	check_docker(img);
	img_free(img);
	static const char *const one[] = { "docker-archive:%D/docker-multi.tar:demo:one",
		"docker-archive:%D/docker-multi.tar:@1" };
	for (size_t i = 0; i < 2; i++) {
		img = open_ok(P(one[i]), NULL);
		assert_int_equal(img_layer_count(img), 1);
		assert_string_equal(img_config_digest(img), exp_str("docker-one", "config"));
		assert_string_equal(img_layer(img, 0)->digest, exp_at("docker", "diff_ids", 0));
		img_free(img);
	}
	open_fails(P("docker-archive:%D/docker-multi.tar:@2"), NULL, VIGIL_ENOTFOUND, "@0 to @1", NULL);
	open_fails(P("docker-archive:%D/docker-multi.tar:@x"), NULL, VIGIL_ENOTFOUND, NULL, NULL);
}

static void test_docker25(void **state)
{
	vigil_image *img = open_ok(P("docker-archive:%D/docker25.tar:demo:two"), NULL);
	assert_string_equal(img_manifest_digest(img), exp_str("docker25", "manifest"));
	assert_string_equal(img_config_digest(img), exp_str("docker25", "config"));
	assert_int_equal(img_layer_count(img), 2);
	for (size_t i = 0; i < 2; i++) {
		const vigil_layer_desc *l = img_layer(img, i);
		char h[VIGIL_DIGEST_MAX];
		uint64_t count;
		assert_string_equal(l->digest, exp_at("docker25", "layers", i));
		assert_int_equal(l->verify, VIGIL_VERIFY_BLOB);
		assert_string_equal(l->media_type, "application/vnd.oci.image.layer.v1.tar");
		hash_layer(img, i, h, &count);
		assert_string_equal(h, l->digest);
		assert_int_equal(count, exp_size("docker25", i));
	}
	img_free(img);
}

struct reader {
	vigil_image *img;
	size_t layer;
	char hash[VIGIL_DIGEST_MAX];
	uint64_t count;
};

static void *read_layer(void *arg)
{
	struct reader *r = arg;
	for (int k = 0; k < 20; k++)
		hash_layer(r->img, r->layer, r->hash, &r->count);
	return NULL;
}

/* Layers of one archive read from several threads at once (shared fd). */
static void test_parallel_streams(void **state)
{
	static const char *const refs[] = { "docker-archive:%D/docker.tar", "oci:%D/oci:two" };
	for (size_t k = 0; k < 2; k++) {
		vigil_image *img = open_ok(P(refs[k]), NULL);
		struct reader r[4];
		pthread_t t[4];
		for (size_t i = 0; i < 4; i++) {
			r[i] = (struct reader){ .img = img, .layer = i % 2 };
			assert_int_equal(pthread_create(&t[i], NULL, read_layer, &r[i]), 0);
		}
		for (size_t i = 0; i < 4; i++) {
			pthread_join(t[i], NULL);
			assert_string_equal(r[i].hash, k == 0 ? img_layer(img, r[i].layer)->diff_id
							    : img_layer(img, r[i].layer)->digest);
		}
		img_free(img);
	}
}

static void test_rootfs_and_refs(void **state)
{
	static const char *const refs[] = { "dir:%D/rootfs", "%D/rootfs", "%D/bad-noindex" };
	for (size_t i = 0; i < 3; i++) {
		vigil_image *img = open_ok(P(refs[i]), NULL);
		assert_int_equal(img_get_kind(img), VIGIL_IMAGE_ROOTFS);
		assert_non_null(strstr(img_rootfs(img), i < 2 ? "/rootfs" : "/bad-noindex"));
		assert_null(img_manifest_digest(img));
		assert_int_equal(img_layer_count(img), 0);
		img_free(img);
	}
	open_fails(P("dir:%D/docker.tar"), NULL, VIGIL_EINVAL, "not a folder", NULL);
	open_fails(P("dir:%D/none"), NULL, VIGIL_ENOTFOUND, "none", NULL);
	open_fails("dir:", NULL, VIGIL_EINVAL, "no folder", NULL);
	open_fails("oci:", NULL, VIGIL_EINVAL, "no folder", NULL);
	open_fails("docker-archive:", NULL, VIGIL_EINVAL, "no file", NULL);
	open_fails("", NULL, VIGIL_EINVAL, "empty", NULL);
	/* registry references (image/registry.c; the network is tested in
	 * tests/integration/test_registry.sh): refused before any request */
	open_fails("Not_A_Ref", NULL, VIGIL_EINVAL, "nor a registry reference", NULL);
	open_fails("docker://demo@sha256:abc", NULL, VIGIL_EINVAL, "digest", NULL);
	open_fails("registry:Upper/Case", NULL, VIGIL_EINVAL, "lower case", NULL);
	open_fails("containers-storage:x", NULL, VIGIL_EUNSUPPORTED, "containers-storage transport", NULL);
	open_fails("/nonexistent/vigil/image", NULL, VIGIL_ENOTFOUND, "/nonexistent/vigil/image", NULL);
	open_fails(P("oci:%D/none"), NULL, VIGIL_ENOTFOUND, "none", NULL);
	char *big = malloc(VIGIL_IMAGE_MAX_REF + 10);
	memset(big, 'a', VIGIL_IMAGE_MAX_REF + 9);
	big[VIGIL_IMAGE_MAX_REF + 9] = '\0';
	open_fails(big, NULL, VIGIL_ELIMIT, "reference", NULL);
	free(big);
}

static void test_bad_layouts(void **state)
{
	open_fails(P("oci:%D/bad-noindex"), NULL, VIGIL_ENOTFOUND, "bad-noindex/index.json", NULL);
	open_fails(P("oci:%D/bad-json:two"), NULL, VIGIL_EFORMAT, "index.json: bad JSON at line 1", NULL);
	open_fails(P("oci:%D/bad-traversal"), NULL, VIGIL_EFORMAT, "index.json: manifests[0].digest", NULL);
	open_fails(P("oci:%D/bad-layout:two"), NULL, VIGIL_EUNSUPPORTED, "oci-layout: imageLayoutVersion", NULL);
	open_fails(P("oci:%D/bad-digest:two"), NULL, VIGIL_EDIGEST, "does not match its digest",
		   exp_str("two", "manifest"));
	open_fails(P("oci:%D/bad-size"), NULL, VIGIL_EDIGEST, "its descriptor says", NULL);
	open_fails(P("oci:%D/bad-missing-layer:two"), NULL, VIGIL_ENOTFOUND,
		   exp_at("two", "layers", 1) + 7, NULL);
	open_fails(P("oci:%D/foreign"), NULL, VIGIL_EUNSUPPORTED, "layer 2", "non-distributable");
	open_fails(P("oci:%D/deep:deep"), NULL, VIGIL_ELIMIT, "nested more than 4 deep", NULL);
	open_fails(P("docker-archive:%D/docker-truncated.tar"), NULL, VIGIL_EFORMAT, "truncated", NULL);
	open_fails(P("%D/layer1.tar"), NULL, VIGIL_EFORMAT, "no manifest.json", NULL);
	open_fails(P("docker-archive:%D/expected.json"), NULL, VIGIL_EFORMAT, "expected.json", NULL);
}

static int setup(void **state)
{
	const char *src = getenv("VIGIL_SOURCE_DIR");
	char cmd[1024], path[512];
	snprintf(dir, sizeof(dir), "/tmp/vigil-image-test-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(cmd, sizeof(cmd), "sh '%s/tests/image/make-layouts.sh' '%s' > '%s.log' 2>&1",
		 src ? src : ".", dir, dir);
	int rc = system(cmd);
	if (WIFEXITED(rc) && WEXITSTATUS(rc) == 77) {
		printf("SKIP: umoci, skopeo or python3 missing\n");
		exit(77);
	}
	if (rc != 0) {
		snprintf(cmd, sizeof(cmd), "cat '%s.log'", dir);
		if (system(cmd) != 0)
			return -1;
		return -1;
	}
	snprintf(path, sizeof(path), "%s/expected.json", dir);
	expected = json_load_file(path, 0, NULL);
	return expected ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[600];
	json_decref(expected);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s.log'", dir, dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oci_tag),
		cmocka_unit_test(test_oci_zstd_and_detect),
		cmocka_unit_test(test_oci_selection),
		cmocka_unit_test(test_platforms),
		cmocka_unit_test(test_docker_archive),
		cmocka_unit_test(test_docker_multi),
		cmocka_unit_test(test_docker25),
		cmocka_unit_test(test_parallel_streams),
		cmocka_unit_test(test_rootfs_and_refs),
		cmocka_unit_test(test_bad_layouts),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
