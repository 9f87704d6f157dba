/* tests/audit/test_diff.c: vigil diff's comparisons on synthetic inputs:
 * two merged views (added, removed, changed by type, mode, owner, size,
 * content and link target; deleted records absent), packages (upgrades
 * and downgrades in each ecosystem's order, not the string order; several
 * versions of one name), findings (fixed, introduced, one per key), the
 * configuration (Env per variable with secrets masked, Labels, ports,
 * history), and the JSON, table and HTML made from such a report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "audit/diff_priv.h"

#include <stdlib.h>
#include <string.h>

static audit_file file(const char *path, vigil_tar_type t, uint32_t mode, int64_t uid, int64_t size, uint8_t h,
		       const char *link, uint32_t layer)
{
	audit_file f;
	memset(&f, 0, sizeof(f));
	f.path = path;
	f.type = t;
	f.mode = mode;
	f.uid = uid;
	f.gid = uid;
	f.size = size;
	f.link = link;
	f.layer = layer;
	f.hashed = t == VIGIL_TAR_FILE;
	memset(f.sha256, h, sizeof(f.sha256));
	f.seen = 1;
	return f;
}

static const char *const digests[] = { "sha256:base", "sha256:top" };

static void test_files(void **state)
{
	(void)state;
	audit_file a[] = {
		file("bin/sh", VIGIL_TAR_SYMLINK, 0777, 0, 0, 0, "dash", 0),
		file("etc/gone", VIGIL_TAR_FILE, 0644, 0, 5, 1, NULL, 0),
		file("etc/mode", VIGIL_TAR_FILE, 0644, 0, 5, 2, NULL, 0),
		file("etc/owner", VIGIL_TAR_FILE, 0644, 0, 5, 3, NULL, 0),
		file("etc/same", VIGIL_TAR_FILE, 0644, 0, 5, 4, NULL, 0),
		file("etc/text", VIGIL_TAR_FILE, 0644, 0, 5, 5, NULL, 0),
		file("etc/wh", VIGIL_TAR_FILE, 0644, 0, 5, 6, NULL, 0),
		file("opt", VIGIL_TAR_DIR, 0755, 0, 0, 0, NULL, 0),
	};
	audit_file b[] = {
		file("bin/sh", VIGIL_TAR_SYMLINK, 0777, 0, 0, 0, "bash", 1),
		file("etc/mode", VIGIL_TAR_FILE, 0600, 0, 5, 2, NULL, 1),
		file("etc/new", VIGIL_TAR_FILE, 0644, 0, 3, 7, NULL, 1),
		file("etc/owner", VIGIL_TAR_FILE, 0644, 1000, 5, 3, NULL, 1),
		file("etc/same", VIGIL_TAR_FILE, 0644, 0, 5, 4, NULL, 0),
		file("etc/text", VIGIL_TAR_FILE, 0644, 0, 9, 8, NULL, 1),
		file("etc/wh", VIGIL_TAR_FILE, 0644, 0, 5, 6, NULL, 0),
		file("opt", VIGIL_TAR_FILE, 0755, 0, 0, 9, NULL, 1),
	};
	b[6].deleted = 1; /* a whiteout of the top layer */
	const audit_file *pa[8], *pb[8];
	for (int i = 0; i < 8; i++) {
		pa[i] = &a[i];
		pb[i] = &b[i];
	}
	diff_view va = { pa, 8, digests, 1 }, vb = { pb, 8, digests, 2 };
	vigil_diff_report *r;
	assert_int_equal(diff_report_new(&r), 0);
	assert_int_equal(diff_files(r, &va, &vb), 0);
	assert_int_equal(r->files_added, 1);
	assert_int_equal(r->files_removed, 2);
	assert_int_equal(r->files_changed, 5);
	assert_int_equal(r->file_count, 8);
	const struct { const char *path; vigil_diff_change c; unsigned what; } want[] = {
		{ "bin/sh", VIGIL_DIFF_CHANGED, VIGIL_DIFF_LINK },
		{ "etc/gone", VIGIL_DIFF_REMOVED, 0 },
		{ "etc/mode", VIGIL_DIFF_CHANGED, VIGIL_DIFF_MODE },
		{ "etc/new", VIGIL_DIFF_ADDED, 0 },
		{ "etc/owner", VIGIL_DIFF_CHANGED, VIGIL_DIFF_OWNER },
		{ "etc/text", VIGIL_DIFF_CHANGED, VIGIL_DIFF_SIZE | VIGIL_DIFF_CONTENT },
		{ "etc/wh", VIGIL_DIFF_REMOVED, 0 },
		{ "opt", VIGIL_DIFF_CHANGED, VIGIL_DIFF_TYPE },
	};
	for (size_t i = 0; i < 8; i++) {
		assert_string_equal(r->files[i].path, want[i].path);
		assert_int_equal(r->files[i].change, want[i].c);
		assert_int_equal(r->files[i].what, want[i].what);
	}
	assert_null(r->files[3].a);
	assert_string_equal(r->files[3].b->layer_digest, "sha256:top");
	assert_int_equal(r->files[3].b->layer, 1);
	assert_string_equal(r->files[3].b->sha256,
			    "0707070707070707070707070707070707070707070707070707070707070707");
	assert_string_equal(r->files[0].a->link, "dash");
	assert_string_equal(r->files[0].b->link, "bash");
	assert_null(r->files[7].a->sha256); /* a folder has no hash */
	vigil_diff_report_free(r);
}

static vigil_package pkg(vigil_pkg_type t, const char *name, const char *version)
{
	vigil_package p;
	memset(&p, 0, sizeof(p));
	p.type = t;
	p.name = name;
	p.version = version;
	p.arch = "x86_64";
	return p;
}

static void test_packages(void **state)
{
	(void)state;
	/* string order would get every one of these wrong */
	vigil_package a[] = {
		pkg(VIGIL_PKG_DPKG, "bash", "5.2.15-2+b2"),
		pkg(VIGIL_PKG_DPKG, "curl", "7.88.1-10"),
		pkg(VIGIL_PKG_APK, "musl", "1.1.9-r0"),
		pkg(VIGIL_PKG_APK, "zlib", "1.2.11-r3"),
		pkg(VIGIL_PKG_RPM, "openssl", "1:1.1.1k-9.el8"),
		pkg(VIGIL_PKG_PYPI, "django", "4.2rc1"),
		pkg(VIGIL_PKG_NPM, "lodash", "4.17.9"),
		pkg(VIGIL_PKG_NPM, "lodash", "3.10.1"),
		pkg(VIGIL_PKG_DPKG, "gone", "1.0"),
		pkg(VIGIL_PKG_DPKG, "epochs", "1:1.0"),
	};
	vigil_package b[] = {
		pkg(VIGIL_PKG_DPKG, "bash", "5.2.15-2+b10"),
		pkg(VIGIL_PKG_DPKG, "curl", "7.88.1-9"),
		pkg(VIGIL_PKG_APK, "musl", "1.1.24-r2"),
		pkg(VIGIL_PKG_APK, "zlib", "1.2.11-r1"),
		pkg(VIGIL_PKG_RPM, "openssl", "1:1.1.1k-12.el8"),
		pkg(VIGIL_PKG_PYPI, "django", "4.2"),
		pkg(VIGIL_PKG_NPM, "lodash", "4.17.21"),
		pkg(VIGIL_PKG_NPM, "lodash", "3.10.1"),
		pkg(VIGIL_PKG_DPKG, "new", "2.0"),
		pkg(VIGIL_PKG_DPKG, "epochs", "1:1.0"),
	};
	vigil_diff_report *r;
	assert_int_equal(diff_report_new(&r), 0);
	assert_int_equal(diff_packages(r, a, 10, b, 10), 0);
	assert_int_equal(r->pkgs_upgraded, 5); /* bash, musl, openssl, django, lodash 4 */
	assert_int_equal(r->pkgs_downgraded, 2); /* curl, zlib */
	assert_int_equal(r->pkgs_added, 1);
	assert_int_equal(r->pkgs_removed, 1);
	assert_int_equal(r->package_count, 9);
	for (size_t i = 0; i < r->package_count; i++) {
		const vigil_diff_package *p = &r->packages[i];
		if (!strcmp(p->name, "curl") || !strcmp(p->name, "zlib"))
			assert_int_equal(p->change, VIGIL_DIFF_DOWNGRADED);
		else if (!strcmp(p->name, "lodash")) {
			assert_int_equal(p->change, VIGIL_DIFF_UPGRADED);
			assert_string_equal(p->version_a, "4.17.9");
			assert_string_equal(p->version_b, "4.17.21");
		} else if (!strcmp(p->name, "new"))
			assert_int_equal(p->change, VIGIL_DIFF_ADDED);
		else if (!strcmp(p->name, "gone"))
			assert_int_equal(p->change, VIGIL_DIFF_REMOVED);
		else
			assert_int_equal(p->change, VIGIL_DIFF_UPGRADED);
	}
	vigil_diff_report_free(r);

	/* the same dpkg version written two ways: changed, not up or down */
	vigil_package c = pkg(VIGIL_PKG_DPKG, "x", "1.0"), d = pkg(VIGIL_PKG_DPKG, "x", "0:1.0");
	assert_int_equal(diff_report_new(&r), 0);
	assert_int_equal(diff_packages(r, &c, 1, &d, 1), 0);
	assert_int_equal(r->pkgs_changed, 1);
	vigil_diff_report_free(r);
}

static void test_findings(void **state)
{
	(void)state;
	vigil_package musl = pkg(VIGIL_PKG_APK, "musl", "1.1.22-r3"), ssl = pkg(VIGIL_PKG_APK, "libssl", "1.1.1d");
	vigil_finding a[3], b[2];
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	a[0] = (vigil_finding){ .id = "CVE-1", .package = &musl, .severity = VIGIL_SEV_HIGH };
	a[1] = (vigil_finding){ .id = "CVE-2", .package = &ssl, .fixed = "1.1.1g" };
	a[2] = (vigil_finding){ .id = "CVE-2", .package = &ssl, .feed = "other" }; /* same key */
	b[0] = (vigil_finding){ .id = "CVE-2", .package = &ssl };
	b[1] = (vigil_finding){ .id = "CVE-3", .package = &musl };
	vigil_diff_report *r;
	assert_int_equal(diff_report_new(&r), 0);
	assert_int_equal(diff_findings(r, a, 3, b, 2), 0);
	assert_int_equal(r->fixed_count, 1);
	assert_string_equal(r->fixed[0].id, "CVE-1");
	assert_string_equal(r->fixed[0].package, "musl");
	assert_int_equal(r->fixed[0].severity, VIGIL_SEV_HIGH);
	assert_int_equal(r->introduced_count, 1);
	assert_string_equal(r->introduced[0].id, "CVE-3");
	vigil_diff_report_free(r);
}

static void test_config(void **state)
{
	(void)state;
	json_t *a = json_loads("{\"os\":\"linux\",\"architecture\":\"amd64\",\"history\":[{},{}],"
			       "\"config\":{\"Env\":[\"PATH=/bin\",\"DB_PASSWORD=hunter2\",\"GONE=1\"],"
			       "\"Cmd\":[\"sh\"],\"User\":\"root\",\"Labels\":{\"v\":\"1\",\"keep\":\"k\"},"
			       "\"ExposedPorts\":{\"80/tcp\":{}}}}", 0, NULL);
	json_t *b = json_loads("{\"os\":\"linux\",\"architecture\":\"arm64\",\"history\":[{},{},{}],"
			       "\"config\":{\"Env\":[\"PATH=/usr/bin:/bin\",\"DB_PASSWORD=s3cret!\",\"NEW=2\"],"
			       "\"Cmd\":[\"sh\",\"-c\",\"x\"],\"User\":\"app\",\"Labels\":{\"v\":\"2\",\"keep\":\"k\"},"
			       "\"ExposedPorts\":{\"443/tcp\":{}}}}", 0, NULL);
	vigil_diff_report *r;
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(diff_report_new(&r), 0);
	assert_int_equal(diff_config(r, a, b), 0);
	const char *want[][4] = {
		{ "Cmd", NULL, "[\"sh\"]", "[\"sh\",\"-c\",\"x\"]" },
		{ "User", NULL, "root", "app" },
		{ "Env", "PATH", "/bin", "/usr/bin:/bin" },
		{ "Env", "DB_PASSWORD", "******** (7 characters)", "******** (7 characters)" },
		{ "Env", "GONE", "1", NULL },
		{ "Env", "NEW", NULL, "2" },
		{ "ExposedPorts", "80/tcp", "80/tcp", NULL },
		{ "ExposedPorts", "443/tcp", NULL, "443/tcp" },
		{ "Labels", "v", "1", "2" },
		{ "history", NULL, "2", "3" },
		{ "architecture", NULL, "amd64", "arm64" },
	};
	assert_int_equal(r->config_count, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < r->config_count; i++) {
		const vigil_diff_config *c = &r->config[i];
		assert_string_equal(c->field, want[i][0]);
		if (want[i][1])
			assert_string_equal(c->key, want[i][1]);
		else
			assert_null(c->key);
		for (int k = 0; k < 2; k++) {
			const char *got = k ? c->b : c->a, *w = want[i][2 + k];
			if (w)
				assert_string_equal(got, w);
			else
				assert_null(got);
		}
		assert_int_equal(c->masked, !strcmp(c->field, "Env") && !strcmp(c->key, "DB_PASSWORD"));
	}
	assert_true(diff_secret_name("AWS_SECRET_ACCESS_KEY", 21));
	assert_true(diff_secret_name("api_token", 9));
	assert_false(diff_secret_name("PATH", 4));
	json_decref(a);
	json_decref(b);
	vigil_diff_report_free(r);
}

static void test_render(void **state)
{
	(void)state;
	audit_file fa = file("etc/x", VIGIL_TAR_FILE, 0644, 0, 1, 1, NULL, 0);
	audit_file fb = file("etc/x", VIGIL_TAR_FILE, 0755, 0, 1, 1, NULL, 1);
	audit_file fc = file("etc/<script>alert(1)</script>", VIGIL_TAR_FILE, 0644, 0, 1, 1, NULL, 1);
	const audit_file *pa[] = { &fa }, *pb[] = { &fc, &fb };
	diff_view va = { pa, 1, digests, 1 }, vb = { pb, 2, digests, 2 };
	vigil_diff_report *r;
	char *out;
	size_t len;
	assert_int_equal(diff_report_new(&r), 0);
	assert_int_equal(diff_files(r, &va, &vb), 0);
	assert_true(vigil_diff_report_differs(r));
	assert_int_equal(vigil_diff_render(r, VIGIL_FMT_CLAIR, NULL, &out, &len), 0);
	json_t *j = json_loads(out, 0, NULL);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(json_object_get(j, "summary"), "files"),
							    "changed")), 1);
	json_t *f1 = json_array_get(json_object_get(j, "files"), 1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(f1, "a"), "mode")), "0644");
	assert_string_equal(json_string_value(json_object_get(json_object_get(f1, "b"), "mode")), "0755");
	assert_string_equal(json_string_value(json_array_get(json_object_get(f1, "what"), 0)), "mode");
	assert_false(json_is_true(json_object_get(json_object_get(j, "findings"), "judged")));
	json_decref(j);
	free(out);
	assert_int_equal(vigil_diff_render(r, VIGIL_FMT_TABLE, NULL, &out, &len), 0);
	assert_non_null(strstr(out, "files: 1 added, 0 removed, 1 changed"));
	assert_non_null(strstr(out, "changed  mode"));
	free(out);
	assert_int_equal(vigil_diff_render(r, VIGIL_FMT_HTML, NULL, &out, &len), 0);
	assert_non_null(strstr(out, "default-src 'none'"));
	assert_null(strstr(out, "<script>alert")); /* escaped in the data */
	assert_non_null(strstr(out, "\\u003cscript\\u003ealert"));
	free(out);
	assert_int_equal(vigil_diff_render(r, VIGIL_FMT_SARIF, NULL, &out, &len), VIGIL_EINVAL);
	vigil_diff_report_free(r);
	vigil_diff_report_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files),   cmocka_unit_test(test_packages), cmocka_unit_test(test_findings),
		cmocka_unit_test(test_config),  cmocka_unit_test(test_render),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
