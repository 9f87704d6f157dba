/* tests/image/test_tarindex.c: the docker-archive tar reader and the JSON
 * parsers of the image module on hand-made input (no tools needed): tar
 * archives written here header by header (ustar, pax path, GNU long name,
 * links, base-256 sizes) with valid and hostile contents (absurd sizes,
 * truncation, bad checksums, "..", link loops and escapes, member count),
 * and the index/manifest/config/manifest.json parsers on bad documents. */
#include "helpers.h"
#include "image/image_priv.h"
#include "util/error.h"

#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- a small tar writer ---- */

struct tw {
	unsigned char *buf;
	size_t len, cap;
};

static void tw_grow(struct tw *t, size_t n)
{
	if (t->len + n > t->cap) {
		t->cap = (t->len + n) * 2;
		t->buf = realloc(t->buf, t->cap);
		assert_non_null(t->buf);
	}
}

static void tw_bytes(struct tw *t, const void *p, size_t n)
{
	tw_grow(t, n + 512);
	memcpy(t->buf + t->len, p, n);
	t->len += n;
	size_t pad = (512 - n % 512) % 512;
	memset(t->buf + t->len, 0, pad);
	t->len += pad;
}

/* One header; size_override (when not 0) writes a base-256 size of that. */
static void tw_header(struct tw *t, const char *name, char type, uint64_t size, const char *link,
		      uint64_t base256, bool bad_sum)
{
	unsigned char h[512] = { 0 };
	snprintf((char *)h, 100, "%s", name);
	memcpy(h + 100, "0000644", 7);
	memcpy(h + 108, "0000000", 7);
	memcpy(h + 116, "0000000", 7);
	if (base256) {
		h[124] = 0x80;
		for (int i = 0; i < 8; i++)
			h[135 - i] = (unsigned char)(base256 >> (8 * i));
	} else {
		snprintf((char *)h + 124, 12, "%011llo", (unsigned long long)size);
	}
	memcpy(h + 136, "00000000000", 11);
	h[156] = (unsigned char)type;
	if (link)
		snprintf((char *)h + 157, 100, "%s", link);
	memcpy(h + 257, "ustar\0" "00", 8);
	memset(h + 148, ' ', 8);
	unsigned sum = 0;
	for (int i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum + (bad_sum ? 1 : 0));
	tw_bytes(t, h, 512);
}

static void tw_file(struct tw *t, const char *name, const void *data, size_t n)
{
	tw_header(t, name, '0', n, NULL, 0, false);
	if (n)
		tw_bytes(t, data, n);
}

static void tw_pax(struct tw *t, const char *key, const char *value)
{
	char rec[8192];
	size_t body = strlen(key) + strlen(value) + 3; /* ' ', '=', '\n' */
	size_t len = body + 1;
	while (len != body + (size_t)snprintf(NULL, 0, "%zu", len))
		len = body + (size_t)snprintf(NULL, 0, "%zu", len);
	int n = snprintf(rec, sizeof(rec), "%zu %s=%s\n", len, key, value);
	tw_header(t, "PaxHeaders/x", 'x', (size_t)n, NULL, 0, false);
	tw_bytes(t, rec, (size_t)n);
}

static void tw_end(struct tw *t)
{
	unsigned char z[1024] = { 0 };
	tw_grow(t, sizeof(z));
	memcpy(t->buf + t->len, z, sizeof(z));
	t->len += sizeof(z);
}

static void sha256(const void *p, size_t n, char out[VIGIL_DIGEST_MAX])
{
	assert_int_equal(vigil_digest_sha256(p, n, out), 0);
}

static char tmpdir[64];

static const char *write_tar(struct tw *t, const char *name)
{
	static char path[256];
	snprintf(path, sizeof(path), "docker-archive:%s/%s", tmpdir, name);
	FILE *f = fopen(path + 15, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(t->buf, 1, t->len, f), t->len);
	fclose(f);
	free(t->buf);
	memset(t, 0, sizeof(*t));
	return path;
}

static void open_fails(const char *ref, int code, const char *needle)
{
	vigil_image *img = NULL;
	int rc = img_open(ref, NULL, &img);
	if (rc != code)
		fail_msg("%s: want %d, got %d (%s)", ref, code, rc, vigil_error_message());
	assert_null(img);
	if (needle && !strstr(vigil_error_message(), needle))
		fail_msg("%s: message \"%s\" lacks \"%s\"", ref, vigil_error_message(), needle);
}

/* Writes a legacy archive: config, manifest.json with the given layer
 * paths, then the layer members (written by the caller's callback). */
static const char layer_a[] = "layer A bytes";
static const char layer_b[] = "layer B: a second, longer run of bytes";

static void add_config(struct tw *t, char *cfg_name, size_t n, int diff_ids, bool wrong_name)
{
	char da[VIGIL_DIGEST_MAX], db[VIGIL_DIGEST_MAX], cfg[1024], cd[VIGIL_DIGEST_MAX];
	sha256(layer_a, sizeof(layer_a) - 1, da);
	sha256(layer_b, sizeof(layer_b) - 1, db);
	int len = snprintf(cfg, sizeof(cfg),
			   "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
			   "\"diff_ids\":[\"%s\"%s%s%s]}}", da, diff_ids > 1 ? ",\"" : "",
			   diff_ids > 1 ? db : "", diff_ids > 1 ? "\"" : "");
	sha256(cfg, (size_t)len, cd);
	snprintf(cfg_name, n, "%.64s.json", wrong_name ? da + 7 : cd + 7);
	tw_file(t, cfg_name, cfg, (size_t)len);
}

static void add_manifest(struct tw *t, const char *cfg_name, const char *l1, const char *l2)
{
	char m[2048];
	int len = snprintf(m, sizeof(m), "[{\"Config\":\"%s\",\"RepoTags\":[\"x/y:z\"],\"Layers\":[\"%s\",\"%s\"]}]",
			   cfg_name, l1, l2);
	tw_file(t, "manifest.json", m, (size_t)len);
}

static void test_crafted_ok(void **state)
{
	struct tw t = { 0 };
	char cfg[VIGIL_DIGEST_MAX], da[VIGIL_DIGEST_MAX], db[VIGIL_DIGEST_MAX];
	char longname[200];
	memset(longname, 'n', 150);
	memcpy(longname + 150, "/layer.tar", 11);
	tw_header(&t, "./", '5', 0, NULL, 0, false);
	add_config(&t, cfg, sizeof(cfg), 2, false);
	tw_pax(&t, "path", longname);             /* a pax long name */
	tw_file(&t, "ignored-short-name", layer_a, sizeof(layer_a) - 1);
	tw_file(&t, "b/layer.tar", "old", 3);     /* replaced by the later member */
	tw_file(&t, "./b//layer.tar", layer_b, sizeof(layer_b) - 1);
	tw_header(&t, "c/layer.tar", '2', 0, "../b/layer.tar", 0, false); /* symlink */
	tw_header(&t, "d/layer.tar", '1', 0, "c/layer.tar", 0, false);    /* hard link to it */
	add_manifest(&t, cfg, longname, "d/layer.tar");
	tw_end(&t);
	const char *ref = write_tar(&t, "ok.tar");
	vigil_image *img;
	if (img_open(ref, "linux/amd64", &img) < 0)
		fail_msg("%s", vigil_error_message());
	sha256(layer_a, sizeof(layer_a) - 1, da);
	sha256(layer_b, sizeof(layer_b) - 1, db);
	assert_int_equal(img_layer_count(img), 2);
	assert_string_equal(img_layer(img, 0)->digest, da);
	assert_string_equal(img_layer(img, 1)->digest, db);
	assert_int_equal(img_layer(img, 1)->verify, VIGIL_VERIFY_DIFF);
	assert_int_equal(img_layer(img, 1)->size, sizeof(layer_b) - 1);
	assert_memory_equal(img_manifest_digest(img) + 7, cfg, 64);
	for (size_t i = 0; i < 2; i++) {
		vigil_istream *s;
		char got[64] = { 0 };
		assert_int_equal(img_open_layer(img, i, &s), 0);
		ssize_t n = vigil_istream_read_full(s, got, sizeof(got));
		assert_string_equal(got, i ? layer_b : layer_a);
		assert_int_equal(n, i ? sizeof(layer_b) - 1 : sizeof(layer_a) - 1);
		vigil_istream_close(s);
	}
	img_free(img);
}

/* An archive that is fine up to its layers, whose members the caller adds. */
static void legacy_head(struct tw *t, const char *l1, const char *l2)
{
	char cfg[VIGIL_DIGEST_MAX];
	add_config(t, cfg, sizeof(cfg), 2, false);
	add_manifest(t, cfg, l1, l2);
}

static void test_crafted_bad(void **state)
{
	struct tw t = { 0 };
	char cfg[VIGIL_DIGEST_MAX];

	tw_header(&t, "huge", '0', 0, NULL, (uint64_t)1 << 50, false);
	tw_end(&t);
	open_fails(write_tar(&t, "huge.tar"), VIGIL_ELIMIT, "member size at offset 0");

	tw_header(&t, "big", '0', 1 << 20, NULL, 0, false);
	tw_end(&t);
	open_fails(write_tar(&t, "big.tar"), VIGIL_EFORMAT, "truncated: the member at offset 0 needs 1048576 bytes");

	tw_header(&t, "sum", '0', 0, NULL, 0, true);
	tw_end(&t);
	open_fails(write_tar(&t, "sum.tar"), VIGIL_EFORMAT, "bad tar header checksum at offset 0");

	for (int i = 0; i < 4096; i++) {
		unsigned char c = (unsigned char)(i * 2654435761u >> 13);
		tw_grow(&t, 1);
		t.buf[t.len++] = c;
	}
	open_fails(write_tar(&t, "garbage.tar"), VIGIL_EFORMAT, "checksum");

	tw_grow(&t, 100);
	memset(t.buf, 'x', 100);
	t.len = 100;
	open_fails(write_tar(&t, "small.tar"), VIGIL_EFORMAT, "too small");

	tw_file(&t, "../../etc/x", "x", 1);
	tw_end(&t);
	open_fails(write_tar(&t, "dotdot.tar"), VIGIL_EFORMAT, "bad name");

	tw_file(&t, "a", "x", 1);
	open_fails(write_tar(&t, "noend.tar"), VIGIL_EFORMAT, "no end-of-archive marker");

	tw_header(&t, "p", 'x', 5, NULL, 0, false);
	tw_bytes(&t, "9 a=b\n", 5);
	tw_file(&t, "a", "x", 1);
	tw_end(&t);
	open_fails(write_tar(&t, "pax.tar"), VIGIL_EFORMAT, "bad pax record");

	tw_header(&t, "p", 'x', VIGIL_TAR_MAX_PAX_SIZE + 1, NULL, 0, false);
	char *big = calloc(1, VIGIL_TAR_MAX_PAX_SIZE + 1);
	tw_bytes(&t, big, VIGIL_TAR_MAX_PAX_SIZE + 1);
	free(big);
	tw_end(&t);
	open_fails(write_tar(&t, "paxbig.tar"), VIGIL_ELIMIT, "extended header");

	tw_header(&t, "L", 'L', 5, NULL, 0, false);
	tw_bytes(&t, "name", 5);
	open_fails(write_tar(&t, "gnucut.tar"), VIGIL_EFORMAT, "truncated");

	/* members that are no files, links out of the archive, loops */
	legacy_head(&t, "dir", "a");
	tw_header(&t, "dir", '5', 0, NULL, 0, false);
	tw_file(&t, "a", layer_b, sizeof(layer_b) - 1);
	tw_end(&t);
	open_fails(write_tar(&t, "dirlayer.tar"), VIGIL_EFORMAT, "member dir is not a regular file");

	legacy_head(&t, "x/layer.tar", "a");
	tw_header(&t, "x/layer.tar", '2', 0, "../../../etc/passwd", 0, false);
	tw_end(&t);
	open_fails(write_tar(&t, "escape.tar"), VIGIL_EFORMAT, "leaves the archive");

	legacy_head(&t, "p", "a");
	tw_header(&t, "p", '2', 0, "q", 0, false);
	tw_header(&t, "q", '2', 0, "p", 0, false);
	tw_end(&t);
	open_fails(write_tar(&t, "loop.tar"), VIGIL_ELIMIT, "links to follow");

	legacy_head(&t, "a/../../b", "a");
	tw_end(&t);
	open_fails(write_tar(&t, "layerdotdot.tar"), VIGIL_EFORMAT, "not a path inside the archive");

	legacy_head(&t, "missing", "a");
	tw_end(&t);
	open_fails(write_tar(&t, "missing.tar"), VIGIL_ENOTFOUND, "no member missing");

	/* manifest.json and config problems */
	tw_file(&t, "manifest.json", "[{\"Config\":", 11);
	tw_end(&t);
	open_fails(write_tar(&t, "badjson.tar"), VIGIL_EFORMAT, "manifest.json: bad JSON");

	tw_file(&t, "manifest.json", "[{\"Config\":\"c\",\"Layers\":[1]}]", 29);
	tw_end(&t);
	open_fails(write_tar(&t, "badlayers.tar"), VIGIL_EFORMAT, "manifest.json: [0].Layers[0]: not a string");

	tw_file(&t, "manifest.json", "[]", 2);
	tw_end(&t);
	open_fails(write_tar(&t, "noimage.tar"), VIGIL_EFORMAT, "holds no image");

	add_config(&t, cfg, sizeof(cfg), 2, true);
	add_manifest(&t, cfg, "a", "b");
	tw_end(&t);
	open_fails(write_tar(&t, "cfgdigest.tar"), VIGIL_EDIGEST, "does not match its digest");

	add_config(&t, cfg, sizeof(cfg), 1, false);
	add_manifest(&t, cfg, "a", "b");
	tw_end(&t);
	open_fails(write_tar(&t, "count.tar"), VIGIL_EFORMAT, "1 rootfs.diff_ids for 2 Layers");

	tw_file(&t, "x", "x", 1);
	tw_end(&t);
	open_fails(write_tar(&t, "nomanifest.tar"), VIGIL_EFORMAT, "no manifest.json");
}

/* ---- the tar index alone ---- */

/* An endless archive of empty members, made up as it is read. */
static ssize_t endless(void *ud, void *buf, size_t n, uint64_t off)
{
	struct tw t = { 0 };
	char name[32];
	snprintf(name, sizeof(name), "f%llu", (unsigned long long)(off / 512));
	tw_header(&t, name, '0', 0, NULL, 0, false);
	memcpy(buf, t.buf, n < 512 ? n : 512);
	free(t.buf);
	return (ssize_t)(n < 512 ? n : 512);
}

static void test_member_limit(void **state)
{
	vigil_arena *a = vigil_arena_new(0);
	img_tar_index idx;
	uint64_t size = (uint64_t)(VIGIL_TAR_MAX_MEMBERS + 10) * 512;
	assert_int_equal(img_tar_index_build(a, endless, NULL, size, "endless.tar", &idx), VIGIL_ELIMIT);
	assert_non_null(strstr(vigil_error_message(), "more than 100000 members"));
	assert_null(idx.m);
	vigil_arena_free(a);
}

static void test_normalize(void **state)
{
	static const char *const cases[][2] = {
		{ "./a/b", "a/b" }, { "/a//b/", "a/b" }, { "a/./b/../c", "a/c" }, { ".", "" },
		{ "..", NULL }, { "a/../../b", NULL }, { "../x", NULL },
	};
	char out[64];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = img_tar_normalize(vigil_slice_cstr(cases[i][0]), out, sizeof(out));
		if (!cases[i][1]) {
			assert_int_equal(rc, -1);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_string_equal(out, cases[i][1]);
	}
	char longp[100];
	memset(longp, 'a', sizeof(longp) - 1);
	longp[99] = '\0';
	assert_int_equal(img_tar_normalize(vigil_slice_cstr(longp), out, sizeof(out)), -1);
}

/* ---- JSON parsers ---- */

enum doc { INDEX, MANIFEST, CONFIG };

static void parse_fails(enum doc kind, const char *json, int code, const char *needle)
{
	vigil_arena *a = vigil_arena_new(0);
	img_index i;
	img_manifest m;
	img_config c;
	size_t n = strlen(json);
	int rc = kind == INDEX ? img_parse_index(a, "doc", json, n, &i)
		: kind == MANIFEST ? img_parse_manifest(a, "doc", json, n, &m)
		: img_parse_config(a, "doc", json, n, &c);
	if (rc != code)
		fail_msg("%s: want %d got %d (%s)", json, code, rc, vigil_error_message());
	if (needle && !strstr(vigil_error_message(), needle))
		fail_msg("%s: message \"%s\" lacks \"%s\"", json, vigil_error_message(), needle);
	vigil_arena_free(a);
}

#define IDX(j, c, n) parse_fails(INDEX, j, c, n)
#define MAN(j, c, n) parse_fails(MANIFEST, j, c, n)
#define CFG(j, c, n) parse_fails(CONFIG, j, c, n)
#define D64 "sha256:0000000000000000000000000000000000000000000000000000000000000000"
#define CONF "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" D64 "\",\"size\":2}"

static void test_json_parsers(void **state)
{
	IDX("{\"schemaVersion\":2,\"manifests\":[]}", 0, NULL);
	IDX("[]", VIGIL_EFORMAT, "doc: not a JSON object");
	IDX("{\"schemaVersion\":1,\"manifests\":[]}", VIGIL_EUNSUPPORTED, "schema 1");
	IDX("{\"schemaVersion\":2}", VIGIL_EFORMAT, "doc: manifests: missing");
	IDX("{\"schemaVersion\":2,\"manifests\":[],\"manifests\":[]}", VIGIL_EFORMAT, "duplicate");
	IDX("{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"" D64 "\",\"size\":-1}]}", VIGIL_EFORMAT,
	    "manifests[0].size");
	IDX("{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"SHA256:00\",\"size\":1}]}", VIGIL_EUNSUPPORTED,
	    "manifests[0].digest: digest algorithm");
	IDX("{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"sha256:" "ABCDEF0000000000000000000000000000000000000000000000000000000000\",\"size\":1}]}",
	    VIGIL_EFORMAT, "not lowercase hex");
	IDX("{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"md5:00\",\"size\":1}]}", VIGIL_EUNSUPPORTED, "md5");
	IDX("{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"" D64 "\",\"size\":1,\"platform\":{\"os\":\"linux\"}}]}",
	    VIGIL_EFORMAT, "manifests[0].platform.architecture: missing");
	IDX("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"manifests\":[]}",
	    VIGIL_EFORMAT, "is not an index");
	/* too many descriptors */
	size_t cap = 200 * (VIGIL_IMAGE_MAX_MANIFESTS + 2);
	char *many = malloc(cap);
	size_t n = (size_t)snprintf(many, cap, "{\"schemaVersion\":2,\"manifests\":[");
	for (int i = 0; i <= VIGIL_IMAGE_MAX_MANIFESTS; i++)
		n += (size_t)snprintf(many + n, cap - n, "%s{\"digest\":\"" D64 "\",\"size\":1}", i ? "," : "");
	snprintf(many + n, cap - n, "]}");
	IDX(many, VIGIL_ELIMIT, "manifests: 1025 items (limit 1024)");
	free(many);
	/* a JSON document over the size limit */
	char *huge = malloc(VIGIL_IMAGE_MAX_JSON_SIZE + 2);
	memset(huge, ' ', VIGIL_IMAGE_MAX_JSON_SIZE + 1);
	huge[VIGIL_IMAGE_MAX_JSON_SIZE + 1] = '\0';
	IDX(huge, VIGIL_ELIMIT, "bytes of JSON");
	free(huge);
	/* deep nesting is jansson's to refuse */
	char deep[5000];
	memset(deep, '[', 4500);
	deep[4500] = '\0';
	IDX(deep, VIGIL_EFORMAT, "bad JSON");

	MAN("{\"schemaVersion\":2," CONF ",\"layers\":[]}", 0, NULL);
	MAN("{\"schemaVersion\":2,\"layers\":[]}", VIGIL_EFORMAT, "config: missing");
	MAN("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" D64
	    "\",\"size\":2},\"layers\":[]}", VIGIL_EUNSUPPORTED, "not a container image");
	MAN("{\"schemaVersion\":2," CONF ",\"layers\":[{\"mediaType\":\"application/x-helm\",\"digest\":\"" D64
	    "\",\"size\":2}]}", VIGIL_EUNSUPPORTED, "layers[0]: media type application/x-helm");
	MAN("{\"schemaVersion\":2," CONF ",\"layers\":[{\"digest\":\"" D64 "\",\"size\":2}]}", VIGIL_EFORMAT,
	    "layers[0].mediaType: missing");
	MAN("{\"schemaVersion\":2," CONF ",\"layers\":{}}", VIGIL_EFORMAT, "layers: not an array");
	MAN("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\"," CONF ",\"layers\":[]}",
	    VIGIL_EFORMAT, "not an image manifest");

	CFG("{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" D64 "\"]}}", 0, NULL);
	CFG("{\"rootfs\":{\"type\":\"snapshot\",\"diff_ids\":[]}}", VIGIL_EUNSUPPORTED, "rootfs.type");
	CFG("{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:../../x\"]}}", VIGIL_EFORMAT,
	    "rootfs.diff_ids[0]");
	CFG("{}", VIGIL_EFORMAT, "rootfs: missing");
	CFG("{\"os\":7,\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}", VIGIL_EFORMAT, "os: not a string");
	CFG("{\"os\":\"linux\\u0000x\",\"rootfs\":{}}", VIGIL_EFORMAT, "bad JSON");
}

static void test_platform_parse(void **state)
{
	vigil_arena *a = vigil_arena_new(0);
	img_platform p, h = { "linux", "arm", NULL };
	assert_int_equal(img_platform_parse(a, "linux/arm/v7", &p), 0);
	assert_true(img_platform_match(&p, &h)); /* arm's default variant is v7 */
	assert_int_equal(img_platform_parse(a, "linux/arm/v6", &p), 0);
	assert_false(img_platform_match(&p, &h));
	assert_int_equal(img_platform_parse(a, "linux/arm", &p), 0);
	h.variant = "v6";
	assert_true(img_platform_match(&p, &h));
	assert_int_equal(img_platform_parse(a, "windows/amd64", &p), 0);
	h = (img_platform){ "linux", "amd64", NULL };
	assert_false(img_platform_match(&p, &h));
	assert_int_equal(img_platform_parse(a, "linux/i386", &p), 0);
	assert_string_equal(p.arch, "386");
	vigil_arena_free(a);
}

static int setup(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vigil-tarindex-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crafted_ok),
		cmocka_unit_test(test_crafted_bad),
		cmocka_unit_test(test_member_limit),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_json_parsers),
		cmocka_unit_test(test_platform_parse),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
