/* tests/indexer/test_coalesce.c: stacking layer results: whiteouts, opaque
 * folders, links resolved inside the image, introduced_in; and the cache
 * encoding of a layer result. Layers are built in memory here; the real
 * images are in tests/integration. */
#include "helpers.h"
#include "indexer/coalesce.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static vigil_layer_result *layer(const char *digest)
{
	vigil_layer_result *r;
	assert_int_equal(idx_layer_result_new(digest, &r), 0);
	return r;
}

static void art(vigil_layer_result *r, const char *path, vigil_art_kind kind, const char *target)
{
	vigil_artifact *a;
	assert_int_equal(idx_layer_result_add(r, &a), 0);
	a->path = vigil_intern_cstr(r->strings, path);
	a->kind = kind;
	a->target = target ? vigil_intern_cstr(r->strings, target) : NULL;
}

/* A dpkg database at path holding "name=version" packages. */
static void db(vigil_layer_result *r, const char *path, vigil_dbkind kind, const char *const *pkgs)
{
	vigil_artifact *a;
	size_t n = 0;
	while (pkgs[n])
		n++;
	assert_int_equal(idx_layer_result_add(r, &a), 0);
	a->path = vigil_intern_cstr(r->strings, path);
	a->kind = VIGIL_ART_FILE;
	a->db = kind;
	a->npkgs = n;
	a->pkgs = vigil_arena_calloc(r->arena, n ? n : 1, sizeof(vigil_package));
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(pkgs[i], '=');
		a->pkgs[i].type = VIGIL_PKG_DPKG;
		a->pkgs[i].name = vigil_intern_str(r->strings, pkgs[i], (size_t)(eq - pkgs[i]));
		a->pkgs[i].version = vigil_intern_cstr(r->strings, eq + 1);
		a->pkgs[i].arch = vigil_intern_cstr(r->strings, "amd64");
	}
}

static void release(vigil_layer_result *r, const char *path, const char *id, const char *ver)
{
	vigil_artifact *a;
	assert_int_equal(idx_layer_result_add(r, &a), 0);
	a->path = vigil_intern_cstr(r->strings, path);
	a->kind = VIGIL_ART_FILE;
	a->db = VIGIL_DB_OS_RELEASE;
	a->dist = vigil_arena_calloc(r->arena, 1, sizeof(*a->dist));
	a->dist->did = vigil_intern_cstr(r->strings, id);
	a->dist->version_id = ver ? vigil_intern_cstr(r->strings, ver) : NULL;
}

/* The layer index package name came in, or -1 when it is absent. */
static int intro(const vigil_coalesced *c, const char *name)
{
	for (size_t i = 0; i < c->npkgs; i++)
		if (!strcmp(c->pkgs[i].pkg->name, name))
			return (int)c->pkgs[i].layer;
	return -1;
}

static void run(vigil_layer_result **l, size_t n, vigil_coalesced *c)
{
	assert_int_equal(idx_coalesce(l, n, c), 0);
}

static void free_all(vigil_layer_result **l, size_t n, vigil_coalesced *c)
{
	for (size_t i = 0; i < n; i++)
		idx_layer_result_free(l[i]);
	idx_coalesced_free(c);
}

static void test_added_in_layer_two(void **state)
{
	vigil_layer_result *l[3] = { layer("sha256:1"), layer("sha256:2"), layer("sha256:3") };
	vigil_coalesced c;
	release(l[0], "usr/lib/os-release", "debian", "12");
	art(l[0], "etc/os-release", VIGIL_ART_SYMLINK, "../usr/lib/os-release");
	db(l[0], "var/lib/dpkg/status", VIGIL_DB_DPKG_STATUS, (const char *[]){ "libc6=2.36", "bash=5.2", NULL });
	db(l[1], "var/lib/dpkg/status", VIGIL_DB_DPKG_STATUS,
	   (const char *[]){ "libc6=2.36", "bash=5.2", "curl=7.88", NULL });
	/* layer 3 touches nothing of interest */
	run(l, 3, &c);
	assert_non_null(c.dist);
	assert_string_equal(c.dist->did, "debian");
	assert_int_equal(c.npkgs, 3);
	assert_int_equal(intro(&c, "libc6"), 0);
	assert_int_equal(intro(&c, "bash"), 0);
	assert_int_equal(intro(&c, "curl"), 1);
	assert_int_equal(c.nwarn, 0);
	free_all(l, 3, &c);
}

static void test_upgrade_and_readd(void **state)
{
	vigil_layer_result *l[3] = { layer("sha256:1"), layer("sha256:2"), layer("sha256:3") };
	vigil_coalesced c;
	db(l[0], "var/lib/dpkg/status", VIGIL_DB_DPKG_STATUS, (const char *[]){ "a=1", "b=1", NULL });
	db(l[1], "var/lib/dpkg/status", VIGIL_DB_DPKG_STATUS, (const char *[]){ "a=2", NULL });
	db(l[2], "var/lib/dpkg/status", VIGIL_DB_DPKG_STATUS, (const char *[]){ "a=2", "b=1", NULL });
	run(l, 3, &c);
	assert_int_equal(intro(&c, "a"), 1); /* upgraded in layer 2 */
	assert_int_equal(intro(&c, "b"), 2); /* removed in 2, back in 3 */
	free_all(l, 3, &c);
}

static void test_whiteouts(void **state)
{
	vigil_layer_result *l[2] = { layer("sha256:1"), layer("sha256:2") };
	vigil_coalesced c;
	db(l[0], "var/lib/dpkg/status", VIGIL_DB_DPKG_STATUS, (const char *[]){ "a=1", NULL });
	db(l[0], "var/lib/dpkg/status.d/x", VIGIL_DB_DPKG_STATUS_D, (const char *[]){ "x=1", NULL });
	db(l[0], "var/lib/dpkg/status.d/y", VIGIL_DB_DPKG_STATUS_D, (const char *[]){ "y=1", NULL });
	art(l[1], "var/lib/dpkg/status", VIGIL_ART_WHITEOUT, NULL);
	art(l[1], "var/lib/dpkg/status.d/x", VIGIL_ART_WHITEOUT, NULL);
	run(l, 2, &c);
	assert_int_equal(c.npkgs, 1);
	assert_int_equal(intro(&c, "y"), 0);
	idx_coalesced_free(&c);
	/* the whole folder deleted */
	art(l[1], "var/lib/dpkg", VIGIL_ART_WHITEOUT, NULL);
	run(l, 2, &c);
	assert_int_equal(c.npkgs, 0);
	free_all(l, 2, &c);
}

static void test_opaque_folder(void **state)
{
	vigil_layer_result *l[2] = { layer("sha256:1"), layer("sha256:2") };
	vigil_coalesced c;
	db(l[0], "var/lib/dpkg/status", VIGIL_DB_DPKG_STATUS, (const char *[]){ "a=1", "b=1", NULL });
	db(l[0], "var/lib/dpkg/status.d/x", VIGIL_DB_DPKG_STATUS_D, (const char *[]){ "x=1", NULL });
	art(l[1], "var/lib/dpkg", VIGIL_ART_OPAQUE, NULL);
	db(l[1], "var/lib/dpkg/status", VIGIL_DB_DPKG_STATUS, (const char *[]){ "b=1", "n=1", NULL });
	run(l, 2, &c);
	assert_int_equal(c.npkgs, 2);
	assert_int_equal(intro(&c, "b"), 0); /* same package, still present since layer 1 */
	assert_int_equal(intro(&c, "n"), 1);
	assert_int_equal(intro(&c, "x"), -1);
	free_all(l, 2, &c);
}

static void test_links_stay_inside(void **state)
{
	vigil_layer_result *l[2] = { layer("sha256:1"), layer("sha256:2") };
	vigil_coalesced c;
	/* rpm's folder moved behind a symlink, as Fedora does */
	art(l[0], "var/lib/rpm", VIGIL_ART_SYMLINK, "../../usr/lib/sysimage/rpm");
	db(l[0], "usr/lib/sysimage/rpm/Packages", VIGIL_DB_RPM_BDB, (const char *[]){ "r=1", NULL });
	/* absolute link out of the image: resolved in the image, where nothing is */
	art(l[1], "var/lib/dpkg/status", VIGIL_ART_SYMLINK, "/etc/passwd");
	/* a loop */
	art(l[1], "etc/os-release", VIGIL_ART_SYMLINK, "os-release");
	art(l[1], "usr/lib/os-release", VIGIL_ART_SYMLINK, "../../../../usr/lib/os-release");
	run(l, 2, &c);
	assert_int_equal(c.npkgs, 1);
	assert_string_equal(c.pkgs[0].package_db, "usr/lib/sysimage/rpm/Packages");
	assert_null(c.dist);
	bool passwd = false, loop = false;
	for (size_t i = 0; i < c.nwarn; i++) {
		passwd |= strstr(c.warnings[i], "etc/passwd") != NULL;
		loop |= strstr(c.warnings[i], "too many levels") != NULL;
	}
	assert_true(passwd);
	assert_true(loop);
	free_all(l, 2, &c);
}

static void test_replaced_symlinked_folder(void **state)
{
	vigil_layer_result *l[3] = { layer("sha256:1"), layer("sha256:2"), layer("sha256:3") };
	vigil_coalesced c;
	db(l[0], "var/lib/dpkg/status", VIGIL_DB_DPKG_STATUS, (const char *[]){ "old=1", NULL });
	/* layer 2 makes var/lib/dpkg a link to a folder that has another status */
	art(l[1], "var/lib/dpkg", VIGIL_ART_SYMLINK, "/srv/dpkg");
	db(l[1], "srv/dpkg/status", VIGIL_DB_NONE, (const char *[]){ NULL });
	run(l, 2, &c);
	assert_int_equal(c.npkgs, 0); /* srv/dpkg/status is not a database path vigil reads */
	idx_coalesced_free(&c);
	/* layer 3 puts a real folder back */
	art(l[2], "var/lib/dpkg", VIGIL_ART_DIR, NULL);
	db(l[2], "var/lib/dpkg/status", VIGIL_DB_DPKG_STATUS, (const char *[]){ "new=1", NULL });
	run(l, 3, &c);
	assert_int_equal(c.npkgs, 1);
	assert_int_equal(intro(&c, "new"), 2);
	free_all(l, 3, &c);
}

static void test_distroless_release(void **state)
{
	vigil_layer_result *l[1] = { layer("sha256:1") };
	vigil_coalesced c;
	vigil_artifact *a;
	/* distroless: os-release without VERSION_ID, the version in etc/debian_version */
	release(l[0], "etc/os-release", "debian", NULL);
	l[0]->arts[0].dist->pretty_name = "Distroless";
	assert_int_equal(idx_layer_result_add(l[0], &a), 0);
	a->path = "etc/debian_version";
	a->kind = VIGIL_ART_FILE;
	a->db = VIGIL_DB_DEBIAN_VERSION;
	a->dist = vigil_arena_calloc(l[0]->arena, 1, sizeof(*a->dist));
	a->dist->did = "debian";
	a->dist->version_id = "11";
	a->dist->version_code_name = "bullseye";
	a->dist->pretty_name = "Debian 11";
	/* another distribution's file is not mixed in */
	release(l[0], "etc/alpine-release", "alpine", "3.18.4");
	l[0]->arts[2].db = VIGIL_DB_ALPINE_RELEASE;
	run(l, 1, &c);
	assert_non_null(c.dist);
	assert_string_equal(c.dist->did, "debian");
	assert_string_equal(c.dist->version_id, "11");
	assert_string_equal(c.dist->version_code_name, "bullseye");
	assert_string_equal(c.dist->pretty_name, "Distroless"); /* os-release wins where it speaks */
	free_all(l, 1, &c);
}

static void test_codec_roundtrip(void **state)
{
	vigil_layer_result *r = layer("sha256:abc"), *back = NULL;
	char *blob;
	size_t len;
	release(r, "etc/os-release", "alpine", "3.18.4");
	db(r, "lib/apk/db/installed", VIGIL_DB_APK, (const char *[]){ "musl=1.2.4-r2", NULL });
	art(r, "var/lib/rpm", VIGIL_ART_SYMLINK, "../../usr/lib/sysimage/rpm");
	art(r, "var/lib/dpkg", VIGIL_ART_OPAQUE, NULL);
	assert_int_equal(idx_layer_result_warn(r, "something odd"), 0);
	assert_int_equal(idx_layer_result_encode(r, &blob, &len), 0);
	assert_int_equal(idx_layer_result_decode("sha256:abc", blob, len, &back), 0);
	assert_int_equal(back->nart, r->nart);
	assert_int_equal(back->nwarn, 1);
	assert_string_equal(back->arts[0].dist->did, "alpine");
	assert_int_equal(back->arts[1].npkgs, 1);
	assert_string_equal(back->arts[1].pkgs[0].version, "1.2.4-r2");
	assert_int_equal(back->arts[1].db, VIGIL_DB_APK);
	assert_string_equal(back->arts[2].target, "../../usr/lib/sysimage/rpm");
	assert_int_equal(back->arts[3].kind, VIGIL_ART_OPAQUE);
	free(blob);
	idx_layer_result_free(back);
	/* a damaged cache entry is an error, never a crash */
	const char *bad[] = { "", "{", "[]", "{\"arts\":[{\"p\":1}]}", "{\"arts\":[{\"p\":\"x\",\"k\":\"nope\"}]}",
			      "{\"arts\":[{\"p\":\"x\",\"k\":\"file\",\"pkgs\":[{\"n\":\"a\"}]}]}" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_true(idx_layer_result_decode("sha256:abc", bad[i], strlen(bad[i]), &back) < 0);
		assert_null(back);
	}
	idx_layer_result_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_added_in_layer_two),
		cmocka_unit_test(test_upgrade_and_readd),
		cmocka_unit_test(test_whiteouts),
		cmocka_unit_test(test_opaque_folder),
		cmocka_unit_test(test_links_stay_inside),
		cmocka_unit_test(test_replaced_symlinked_folder),
		cmocka_unit_test(test_distroless_release),
		cmocka_unit_test(test_codec_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
