/* tests/indexer/test_coalesce_owned.c: language package files owned by OS
 * packages (coalesce.c): the owner is found across layers and through a
 * symlinked folder, a deleted list owns nothing, an unlisted file is not
 * owned, the first database wins; which listed paths a layer keeps
 * (idx_owned_path_kept); and the owned files through the cache encoding.
 * Layers are built in memory; the real images are in
 * tests/integration/test_lang_owned.sh. */
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

static vigil_artifact *art(vigil_layer_result *r, const char *path, vigil_art_kind kind,
			   const char *target)
{
	vigil_artifact *a;
	assert_int_equal(idx_layer_result_add(r, &a), 0);
	a->path = vigil_intern_cstr(r->strings, path);
	a->kind = kind;
	a->target = target ? vigil_intern_cstr(r->strings, target) : NULL;
	return a;
}

/* A Python metadata file at path with one package, name. */
static void py(vigil_layer_result *r, const char *path, const char *name)
{
	vigil_artifact *a = art(r, path, VIGIL_ART_FILE, NULL);
	a->db = VIGIL_DB_PYTHON;
	a->npkgs = 1;
	a->pkgs = vigil_arena_calloc(r->arena, 1, sizeof(vigil_package));
	a->pkgs[0].type = VIGIL_PKG_PYPI;
	a->pkgs[0].name = vigil_intern_cstr(r->strings, name);
	a->pkgs[0].version = vigil_intern_cstr(r->strings, "1.0");
}

/* An OS database file at path listing paths (NULL-terminated) as owner's. */
static void owns(vigil_layer_result *r, const char *path, vigil_dbkind kind, const char *owner,
		 const char *const *paths)
{
	vigil_artifact *a = art(r, path, VIGIL_ART_FILE, NULL);
	size_t n = 0;
	while (paths[n])
		n++;
	a->db = kind;
	a->nowned = n;
	a->owned = vigil_arena_calloc(r->arena, n, sizeof(*a->owned));
	for (size_t i = 0; i < n; i++) {
		a->owned[i].path = vigil_intern_cstr(r->strings, paths[i]);
		a->owned[i].owner = vigil_intern_cstr(r->strings, owner);
	}
}

static const vigil_coalesced_pkg *find(const vigil_coalesced *c, const char *name)
{
	for (size_t i = 0; i < c->npkgs; i++)
		if (!strcmp(c->pkgs[i].pkg->name, name))
			return &c->pkgs[i];
	fail_msg("no package %s", name);
	return NULL;
}

#define DP "usr/lib/python3/dist-packages/"

static void test_owned_across_layers(void **state)
{
	(void)state;
	vigil_layer_result *l[3] = { layer("sha256:a"), layer("sha256:b"), layer("sha256:c") };
	vigil_coalesced c;
	py(l[0], DP "Django-3.2.egg-info/PKG-INFO", "Django");
	py(l[0], DP "six-1.16.dist-info/METADATA", "six");
	py(l[0], "opt/venv/mine-1.0.dist-info/METADATA", "mine");
	py(l[0], DP "gone-1.0.dist-info/METADATA", "gone");
	/* lib -> usr/lib: a list written before the /usr merge still finds it */
	art(l[0], "lib", VIGIL_ART_SYMLINK, "usr/lib");
	owns(l[1], "var/lib/dpkg/info/python3-django.list", VIGIL_DB_DPKG_LIST, "dpkg:python3-django",
	     (const char *const[]){ DP "Django-3.2.egg-info/PKG-INFO", DP "absent/METADATA", NULL });
	owns(l[1], "var/lib/dpkg/info/python3-six.list", VIGIL_DB_DPKG_LIST, "dpkg:python3-six",
	     (const char *const[]){ "lib/python3/dist-packages/six-1.16.dist-info/METADATA", NULL });
	owns(l[1], "var/lib/dpkg/info/python3-gone.list", VIGIL_DB_DPKG_LIST, "dpkg:python3-gone",
	     (const char *const[]){ DP "gone-1.0.dist-info/METADATA", NULL });
	/* the package purged later: its list deleted */
	art(l[2], "var/lib/dpkg/info/python3-gone.list", VIGIL_ART_WHITEOUT, NULL);
	assert_int_equal(idx_coalesce(l, 3, &c), 0);
	assert_int_equal(c.npkgs, 4);
	const vigil_coalesced_pkg *p = find(&c, "Django");
	assert_int_equal(p->flags, VIGIL_PKG_F_OS_OWNED);
	assert_string_equal(p->owner, "dpkg:python3-django");
	assert_int_equal(p->layer, 0); /* ownership does not change introduced_in */
	p = find(&c, "six");
	assert_int_equal(p->flags, VIGIL_PKG_F_OS_OWNED);
	assert_string_equal(p->owner, "dpkg:python3-six");
	p = find(&c, "mine");
	assert_int_equal(p->flags, 0);
	assert_null(p->owner);
	p = find(&c, "gone");
	assert_int_equal(p->flags, 0);
	assert_null(p->owner);
	/* listed paths that resolve to nothing are no warning */
	assert_int_equal(c.nwarn, 0);
	idx_coalesced_free(&c);
	for (size_t i = 0; i < 3; i++)
		idx_layer_result_free(l[i]);
}

static void test_first_database_wins(void **state)
{
	(void)state;
	vigil_layer_result *l[1] = { layer("sha256:a") };
	vigil_coalesced c;
	const char *const files[] = { DP "x-1.dist-info/METADATA", NULL };
	py(l[0], DP "x-1.dist-info/METADATA", "x");
	/* rpm's database comes after apk's in idx_db_files */
	owns(l[0], "var/lib/rpm/rpmdb.sqlite", VIGIL_DB_RPM_SQLITE, "rpm:python3-x", files);
	owns(l[0], "lib/apk/db/installed", VIGIL_DB_APK, "apk:py3-x", files);
	assert_int_equal(idx_coalesce(l, 1, &c), 0);
	assert_string_equal(find(&c, "x")->owner, "apk:py3-x");
	idx_coalesced_free(&c);
	idx_layer_result_free(l[0]);
}

/* A folder deleted above the files: the view has no package left; an
 * opaque root hides everything; many files stack in linear time (the
 * hash index: here only checked for the right answer). */
static void test_index_hides(void **state)
{
	(void)state;
	vigil_layer_result *l[3] = { layer("sha256:a"), layer("sha256:b"), layer("sha256:c") };
	vigil_coalesced c;
	char path[128];
	for (int i = 0; i < 2000; i++) {
		snprintf(path, sizeof(path), "app/node_modules/p%d/package.json", i);
		py(l[0], path, "p");
	}
	art(l[1], "app/node_modules", VIGIL_ART_OPAQUE, NULL);
	py(l[1], "app/node_modules/p7/package.json", "p7");
	assert_int_equal(idx_coalesce(l, 2, &c), 0);
	assert_int_equal(c.npkgs, 1);
	assert_int_equal(c.pkgs[0].layer, 1);
	idx_coalesced_free(&c);
	art(l[2], "", VIGIL_ART_OPAQUE, NULL);
	assert_int_equal(idx_coalesce(l, 3, &c), 0);
	assert_int_equal(c.npkgs, 0);
	idx_coalesced_free(&c);
	for (size_t i = 0; i < 3; i++)
		idx_layer_result_free(l[i]);
}

static void test_kept_paths(void **state)
{
	(void)state;
	static const struct {
		const char *path;
		bool kept;
	} cases[] = {
		{ "/usr/lib/python3/dist-packages/x-1.dist-info/METADATA", true },
		{ "/usr/lib/python3/dist-packages/x.egg-info/PKG-INFO", true },
		{ "/usr/lib/python3/dist-packages/x-1.egg-info", true },
		{ "/usr/bin/age", true },
		{ "/usr/lib/go-1.19/pkg/tool/linux_amd64/compile", true },
		{ "/usr/lib/x86_64-linux-gnu/libz.so.1.2.13", true },
		{ "/lib64/ld-linux-x86-64.so.2", true },
		{ "usr/local/bin/tool", true },
		{ "/usr/share/doc/age/copyright", false },
		{ "/usr/share/zoneinfo/Europe/Paris", false },
		{ "/lib/terminfo/x/xterm", false },
		{ "/etc/default/useradd", false },
		{ "/usr/lib/python3/dist-packages/x/__init__.py", false },
		{ "/usr/share/man/man1/age.1.gz", false },
		{ "/", false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (idx_owned_path_kept(vigil_slice_cstr(cases[i].path)) != cases[i].kept)
			fail_msg("%s: kept should be %d", cases[i].path, cases[i].kept);
}

static void test_codec_round_trip(void **state)
{
	(void)state;
	vigil_layer_result *r = layer("sha256:a"), *back = NULL;
	char *blob;
	size_t len;
	owns(r, "var/lib/dpkg/info/a.list", VIGIL_DB_DPKG_LIST, "dpkg:a",
	     (const char *const[]){ "usr/bin/a", "usr/bin/b", NULL });
	/* two owners in one database (rpm, apk): grouped by owner */
	vigil_artifact *db = art(r, "lib/apk/db/installed", VIGIL_ART_FILE, NULL);
	db->db = VIGIL_DB_APK;
	db->nowned = 3;
	db->owned = vigil_arena_calloc(r->arena, 3, sizeof(*db->owned));
	const char *paths[] = { "usr/bin/x", "usr/bin/y", "usr/bin/z" };
	const char *owners[] = { "apk:x", "apk:y", "apk:y" };
	for (size_t i = 0; i < 3; i++) {
		db->owned[i].path = vigil_intern_cstr(r->strings, paths[i]);
		db->owned[i].owner = vigil_intern_cstr(r->strings, owners[i]);
	}
	assert_int_equal(idx_layer_result_encode(r, &blob, &len), 0);
	assert_non_null(strstr(blob, "\"own\":[[\"apk:x\",\"usr/bin/x\"],[\"apk:y\",\"usr/bin/y\",\"usr/bin/z\"]]"));
	assert_int_equal(idx_layer_result_decode("sha256:a", blob, len, &back), 0);
	assert_int_equal(back->nart, 2);
	assert_int_equal(back->arts[0].db, VIGIL_DB_DPKG_LIST);
	assert_int_equal(back->arts[0].nowned, 2);
	assert_string_equal(back->arts[0].owned[1].path, "usr/bin/b");
	assert_string_equal(back->arts[0].owned[1].owner, "dpkg:a");
	assert_int_equal(back->arts[1].nowned, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(back->arts[1].owned[i].path, paths[i]);
		assert_string_equal(back->arts[1].owned[i].owner, owners[i]);
	}
	idx_layer_result_free(back);
	free(blob);
	/* a bad group is an error, not a crash */
	const char *bad[] = {
		"{\"arts\":[{\"p\":\"a\",\"k\":\"file\",\"own\":[[]]}]}",
		"{\"arts\":[{\"p\":\"a\",\"k\":\"file\",\"own\":[[\"dpkg:a\",3]]}]}",
		"{\"arts\":[{\"p\":\"a\",\"k\":\"file\",\"own\":[\"x\"]}]}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(idx_layer_result_decode("sha256:a", bad[i], strlen(bad[i]), &back),
				 VIGIL_EFORMAT);
		assert_null(back);
	}
	idx_layer_result_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_owned_across_layers),
		cmocka_unit_test(test_first_database_wins),
		cmocka_unit_test(test_index_hides),
		cmocka_unit_test(test_kept_paths),
		cmocka_unit_test(test_codec_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
