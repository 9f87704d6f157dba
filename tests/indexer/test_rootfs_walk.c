/* tests/indexer/test_rootfs_walk.c: dir:PATH finds language package files
 * anywhere in the tree (rootfs.c): in dot folders too; a symlinked folder
 * leading out of the tree is not followed, a symlink named like a language
 * file is recorded and not read, a fifo so named is passed by without
 * blocking; a file over its kind's limit and folders nested past
 * ROOTFS_MAX_DEPTH are warnings, the rest still read. */
#define _GNU_SOURCE
#include "helpers.h"
#include "indexer/layer_result.h"
#include "util/error.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64], outside[64];

static void put(const char *base, const char *rel, const char *text)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s/%s", base, rel);
	for (char *s = strchr(p + strlen(base) + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(p) : unlink(p);
}

static const vigil_artifact *find(const vigil_layer_result *r, const char *path)
{
	for (size_t i = 0; i < r->nart; i++)
		if (!strcmp(r->arts[i].path, path))
			return &r->arts[i];
	return NULL;
}

static bool warned(const vigil_layer_result *r, const char *part)
{
	for (size_t i = 0; i < r->nwarn; i++)
		if (strstr(r->warnings[i], part))
			return true;
	return false;
}

static void test_walk(void **state)
{
	(void)state;
	char p[4096];
	snprintf(root, sizeof(root), "/tmp/vigil-walk-XXXXXX");
	snprintf(outside, sizeof(outside), "/tmp/vigil-walk-out-XXXXXX");
	assert_non_null(mkdtemp(root));
	assert_non_null(mkdtemp(outside));
	put(root, "app/node_modules/a/package.json", "{\"name\":\"a\",\"version\":\"1.0.0\"}");
	put(root, ".venv/lib/python3.11/site-packages/x-1.0.dist-info/METADATA",
	    "Metadata-Version: 2.1\nName: x\nVersion: 1.0\n");
	put(outside, "node_modules/evil/package.json", "{\"name\":\"evil\",\"version\":\"6.6.6\"}");
	/* a folder linked out of the tree, absolute and relative */
	snprintf(p, sizeof(p), "%s/abs", root);
	assert_int_equal(symlink(outside, p), 0);
	snprintf(p, sizeof(p), "%s/app/rel", root);
	assert_int_equal(symlink("../../../../../../..", p), 0);
	/* a symlink named like a language file */
	snprintf(p, sizeof(p), "%s/app/node_modules/b", root);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/app/node_modules/b/package.json", root);
	assert_int_equal(symlink("/etc/passwd", p), 0);
	/* a fifo so named */
	snprintf(p, sizeof(p), "%s/app/node_modules/c", root);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/app/node_modules/c/package.json", root);
	assert_int_equal(mkfifo(p, 0644), 0);
	/* a package.json over its 1 MiB limit (sparse) */
	put(root, "app/node_modules/big/package.json", "{");
	snprintf(p, sizeof(p), "%s/app/node_modules/big/package.json", root);
	assert_int_equal(truncate(p, 2 * 1024 * 1024), 0);
	/* 70 folders deep */
	char deep[1024];
	size_t dl = 0;
	for (int i = 0; i < 70; i++)
		dl += (size_t)snprintf(deep + dl, sizeof(deep) - dl, "d/");
	snprintf(deep + dl, sizeof(deep) - dl, "node_modules/deep/package.json");
	put(root, deep, "{\"name\":\"deep\",\"version\":\"1.0.0\"}");

	vigil_layer_result *r = NULL;
	if (idx_layer_scan_rootfs(root, &r) < 0)
		fail_msg("rootfs: %s", vigil_error_message());
	const vigil_artifact *a = find(r, "app/node_modules/a/package.json");
	assert_non_null(a);
	assert_int_equal(a->db, VIGIL_DB_NPM);
	assert_int_equal(a->npkgs, 1);
	assert_string_equal(a->pkgs[0].name, "a");
	a = find(r, ".venv/lib/python3.11/site-packages/x-1.0.dist-info/METADATA");
	assert_non_null(a);
	assert_int_equal(a->npkgs, 1);
	a = find(r, "app/node_modules/b/package.json");
	assert_non_null(a);
	assert_int_equal(a->kind, VIGIL_ART_SYMLINK);
	assert_string_equal(a->target, "/etc/passwd");
	assert_null(find(r, "app/node_modules/c/package.json"));
	a = find(r, "app/node_modules/big/package.json");
	assert_non_null(a);
	assert_int_equal(a->npkgs, 0);
	assert_true(warned(r, "app/node_modules/big/package.json: 2097152 bytes (limit 1048576)"));
	assert_true(warned(r, "folders nested too deep"));
	for (size_t i = 0; i < r->nart; i++)
		for (size_t j = 0; j < r->arts[i].npkgs; j++)
			if (!strcmp(r->arts[i].pkgs[j].name, "evil") || !strcmp(r->arts[i].pkgs[j].name, "deep"))
				fail_msg("%s read at %s", r->arts[i].pkgs[j].name, r->arts[i].path);
	/* the same tree gives the same digest */
	vigil_layer_result *again = NULL;
	assert_int_equal(idx_layer_scan_rootfs(root, &again), 0);
	assert_string_equal(r->digest, again->digest);
	idx_layer_result_free(again);
	idx_layer_result_free(r);
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	nftw(outside, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
