/* tests/db/test_import.c: `vigil db import` on real feeds: the Ubuntu CVE
 * tracker and the Debian tracker lists from ../shared/testdata/feeds, an
 * unchanged second import that writes nothing, a forced one whose diff is
 * empty, a broken feed that keeps its previous data while others go on, and
 * a bundle round trip that refuses a damaged bundle. */
#include "db/db.h"
#include "helpers.h"
#include "store/store.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char dir[64];
static vigil_store *s;

static int setup(void **state)
{
	th_testdata_or_skip();
	return th_temp_store("import", dir, &s);
}

static int teardown(void **state)
{
	return th_temp_store_free(dir, s);
}

static const vigil_db_import_result *find(const vigil_db_import_result *r, size_t n, const char *feed)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(r[i].feed, feed))
			return &r[i];
	return NULL;
}

static long diffs;
static int count(void *ud, vigil_db_change c, const char *src, const char *id, const char *h)
{
	diffs++;
	return 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_real_feeds(void **state)
{
	char uct[4096], lists[4096];
	snprintf(uct, sizeof(uct), "%s", th_data_path("feeds/ubuntu/uct"));
	snprintf(lists, sizeof(lists), "%s", th_data_path("feeds/debian/tracker-lists"));
	const char *paths[] = { uct, lists };
	vigil_db_import_result *r;
	size_t n;
	assert_int_equal(vigil_db_import(s, paths, 2, NULL, &r, &n), 0);
	const vigil_db_import_result *u = find(r, n, "ubuntu"), *d = find(r, n, "debian-lists");
	assert_non_null(u);
	assert_non_null(d);
	assert_int_equal(u->files, 6509);
	assert_int_equal(u->op.vulns, 6509);       /* one record per CVE file */
	assert_int_equal(u->op.affected, 70593);   /* as the parser test counts them */
	assert_int_equal(d->files, 2);
	assert_int_equal(d->op.vulns, 5406 + 3534); /* every DSA and DLA */
	char ubuntu_ref[40];
	snprintf(ubuntu_ref, sizeof(ubuntu_ref), "%s", u->op.ref);
	free(r);

	/* the same input again: unchanged, nothing written */
	assert_int_equal(vigil_db_import(s, paths, 2, NULL, &r, &n), 0);
	assert_true(find(r, n, "ubuntu")->unchanged);
	assert_string_equal(find(r, n, "ubuntu")->op.ref, ubuntu_ref);
	free(r);
	vigil_db_op *ops;
	assert_int_equal(vigil_db_ops(s, NULL, &ops, &n), 0);
	assert_int_equal(n, 2);
	free(ops);

	/* forced: a new operation holding the very same records */
	vigil_db_import_options force = { .force = 1 };
	assert_int_equal(vigil_db_import(s, paths, 1, &force, &r, &n), 0);
	diffs = 0;
	assert_int_equal(vigil_db_diff(s, ubuntu_ref, r[0].op.ref, count, NULL), 0);
	assert_int_equal(diffs, 0);
	free(r);

	/* a broken Ubuntu file fails that feed only; its data stays */
	char bad[256], badfile[300];
	snprintf(bad, sizeof(bad), "%s/broken", dir);
	mkdir(bad, 0700);
	snprintf(badfile, sizeof(badfile), "%s/CVE-2099-0001", bad);
	write_file(badfile, "Candidate: CVE-2099-0001\nPublicDate: 2099-01-01\n\x01\x02 garbage \xff\n");
	const char *mixed[] = { bad, lists };
	int rc = vigil_db_import(s, mixed, 2, &force, &r, &n);
	assert_true(rc < 0);
	assert_true(find(r, n, "ubuntu")->failed);
	assert_non_null(strstr(find(r, n, "ubuntu")->error, "CVE-2099-0001"));
	assert_false(find(r, n, "debian-lists")->failed);
	free(r);
	vigil_db_feed_status *fs;
	assert_int_equal(vigil_db_status(s, &fs, &n), 0);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(fs[i].feed, "ubuntu")) {
			assert_true(fs[i].has_data);
			assert_int_equal(fs[i].last.vulns, 6509);
			assert_non_null(strstr(fs[i].last_error, "CVE-2099-0001"));
		}
	free(fs);

	/* nothing importable at all is an error, not a silent success */
	const char *nothing[] = { th_data_path("pkgdb/os-release") };
	assert_int_equal(vigil_db_import(s, nothing, 1, NULL, &r, &n), VIGIL_ENOTFOUND);
}

static char refused_msgs[4][512];
static int nrefused_msgs;
static void on_refused(void *ud, const char *msg)
{
	(void)ud;
	if (nrefused_msgs < 4)
		snprintf(refused_msgs[nrefused_msgs], sizeof(refused_msgs[0]), "%s", msg);
	nrefused_msgs++;
}

#define OSV_DOC(id, fixed) \
	"{\"id\": \"" id "\", \"modified\": \"2024-01-01T00:00:00Z\", \"affected\": [{\"package\": " \
	"{\"ecosystem\": \"Go\", \"name\": \"example.com/m\"}, \"ranges\": [{\"type\": \"SEMVER\", " \
	"\"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"" fixed "\"}]}]}]}\n"

static void test_refused_alone(void **state)
{
	char d[256], f[512], cmd[1400];
	vigil_db_import_result *r;
	size_t n;
	vigil_store *s2;
	snprintf(d, sizeof(d), "%s/perfile", dir);
	mkdir(d, 0700);
	snprintf(f, sizeof(f), "%s/GO-2099-0001.json", d);
	write_file(f, OSV_DOC("GO-2099-0001", "1.2.0"));
	snprintf(f, sizeof(f), "%s/GO-2099-0002.json", d);
	write_file(f, "{\"id\": \"GO-2099-0002\", \"modified\": \"2024\", \"affected\": [{\"package\": ");
	snprintf(f, sizeof(f), "%s/GO-2099-0003.json", d);
	write_file(f, OSV_DOC("GO-2099-0003", "2.0.0"));
	snprintf(cmd, sizeof(cmd), "gzip -n %s", f); /* GO-2099-0003.json.gz: read through feed/gz.c */
	assert_int_equal(system(cmd), 0);
	snprintf(f, sizeof(f), "%s/GO-2099-0004.json.gz", d);
	write_file(f, "\x1f\x8b\x08\x00 not really gzip");
	assert_int_equal(th_store_open(dir, "perfile", &s2), 0);
	vigil_db_import_options opt = { .refused = on_refused };
	const char *paths[] = { d };
	nrefused_msgs = 0;
	assert_int_equal(vigil_db_import(s2, paths, 1, &opt, &r, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].feed, "osv");
	assert_false(r[0].failed);
	assert_int_equal(r[0].files, 3);
	assert_int_equal(r[0].refused, 1);
	assert_int_equal(r[0].op.vulns, 2); /* 0001 and the gzip'd 0003 */
	free(r);
	assert_int_equal(nrefused_msgs, 2);
	/* the corrupt gzip is met by the walk, the broken JSON by the parse */
	assert_non_null(strstr(refused_msgs[0], "GO-2099-0004.json.gz"));
	assert_non_null(strstr(refused_msgs[0], "gzip"));
	assert_non_null(strstr(refused_msgs[1], "GO-2099-0002.json"));
	/* named on the command line, a corrupt file is an error, not a refusal */
	const char *one[] = { f };
	assert_int_equal(vigil_db_import(s2, one, 1, &opt, &r, &n), VIGIL_EFORMAT);
	vigil_store_close(s2);
}

static void test_bundle(void **state)
{
	char bundle[128], broken[128];
	size_t nf, n;
	vigil_store *s2;
	vigil_db_import_result *r;
	snprintf(bundle, sizeof(bundle), "%s/db.vigil", dir);
	assert_int_equal(vigil_db_export(s, bundle, &nf), 0);
	assert_int_equal(nf, 2);
	assert_true(vigil_db_is_bundle(bundle));
	assert_false(vigil_db_is_bundle(th_data_path("feeds/SOURCES.md")));
	assert_int_equal(th_store_open(dir, "other", &s2), 0);
	assert_int_equal(vigil_db_import_bundle(s2, bundle, NULL, &r, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(find(r, n, "ubuntu")->op.vulns, 6509);
	assert_int_equal(find(r, n, "ubuntu")->op.affected, 70593);
	free(r);
	/* the same bundle again: unchanged */
	assert_int_equal(vigil_db_import_bundle(s2, bundle, NULL, &r, &n), 0);
	assert_true(r[0].unchanged && r[1].unchanged);
	free(r);
	/* a damaged bundle is refused before anything is written */
	snprintf(broken, sizeof(broken), "%s/broken.vigil", dir);
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), "zstd -dc %s > %s.tar && python3 -c \"import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); i=b.find(b'CVE-2020-1', 4096); b[i+4]=ord('9'); open(p,'wb').write(b)\" %s.tar && zstd -q -c %s.tar > %s",
		 bundle, broken, broken, broken, broken);
	assert_int_equal(system(cmd), 0);
	vigil_store *s3;
	assert_int_equal(th_store_open(dir, "third", &s3), 0);
	assert_int_equal(vigil_db_import_bundle(s3, broken, NULL, &r, &n), VIGIL_EDIGEST);
	assert_non_null(strstr(vigil_error_message(), "does not match the manifest"));
	vigil_db_feed_status *fs;
	assert_int_equal(vigil_db_status(s3, &fs, &n), 0);
	assert_int_equal(n, 0); /* nothing written */
	free(fs);
	vigil_store_close(s3);
	vigil_store_close(s2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_feeds),
		cmocka_unit_test(test_bundle),
		cmocka_unit_test(test_refused_alone),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
