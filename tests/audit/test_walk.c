/* tests/audit/test_walk.c: the audit pass over real OCI layouts written
 * here: the merged view after replacements, whiteouts, opaque folders,
 * folder deletions and hard links (with the layer and hash of each
 * version and of the one it replaced), the owners and modes, the per-layer
 * counts, what a checker is handed (bytes, chunks, the order of calls), a
 * dir: root filesystem walked as one layer, and the report's formats. */
#include "audit_th.h"

#include "audit/audit_priv.h"
#include "vigil/audit.h"

#include <jansson.h>
#include <unistd.h>

static void add_owned(th_tar *t, const char *path, unsigned perm, int64_t uid, const char *text)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_copy_pathname(e, path);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, perm);
	archive_entry_set_uid(e, uid);
	archive_entry_set_gid(e, uid + 1);
	archive_entry_set_mtime(e, 1700000000, 0);
	archive_entry_set_size(e, (la_int64_t)strlen(text));
	assert_int_equal(archive_write_header(t->a, e), ARCHIVE_OK);
	assert_int_equal(archive_write_data(t->a, text, strlen(text)), (la_ssize_t)strlen(text));
	archive_entry_free(e);
}

/* base: bin/ls, a hard link to it, a symlink, a library folder, opt/app and opt/data */
static void base_layer(vigil_buf *out)
{
	th_tar t;
	th_tar_begin(&t, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
	th_tar_add(&t, "bin", AE_IFDIR, 0755, NULL, 0, NULL, 0);
	add_owned(&t, "bin/ls", 0755, 0, "ls version A\n");
	th_tar_add(&t, "bin/dir", AE_IFREG, 0755, "bin/ls", 1, NULL, 0);
	th_tar_add(&t, "bin/sh", AE_IFLNK, 0777, "dash", 0, NULL, 0);
	th_tar_file(&t, "usr/lib/x/lib.so", "lib\n");
	th_tar_file(&t, "opt/app/f1", "one\n");
	th_tar_file(&t, "opt/app/f2", "two\n");
	th_tar_file(&t, "opt/data/d1", "d1\n");
	th_tar_file(&t, "opt/data/sub/d2", "d2\n");
	th_tar_end(&t);
	*out = t.out;
}

/* upper: bin/ls replaced (owner 1000, setuid), f1 deleted, x/ made opaque, opt/data deleted */
static void upper_layer(vigil_buf *out)
{
	th_tar t;
	th_tar_begin(&t, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
	add_owned(&t, "bin/ls", 04755, 1000, "ls version B, trojaned\n");
	th_tar_add(&t, "opt/app/.wh.f1", AE_IFREG, 0644, NULL, 0, NULL, 0);
	th_tar_add(&t, "usr/lib/x/.wh..wh..opq", AE_IFREG, 0644, NULL, 0, NULL, 0);
	th_tar_file(&t, "usr/lib/x/new.so", "new\n");
	th_tar_add(&t, "opt/.wh.data", AE_IFREG, 0644, NULL, 0, NULL, 0);
	th_tar_end(&t);
	*out = t.out;
}

static void sha256_of(const char *text, uint8_t out[32])
{
	unsigned len;
	assert_int_equal(EVP_Digest(text, strlen(text), out, &len, EVP_sha256(), NULL), 1);
}

static audit_walk *open_walk(const char *dir, unsigned hashes)
{
	char ref[128];
	audit_walk *w;
	audit_walk_options o = { .hashes = hashes };
	snprintf(ref, sizeof(ref), "oci:%s:t", dir);
	if (audit_walk_open(ref, &o, &w) < 0)
		fail_msg("open: %s", vigil_error_message());
	return w;
}

static void two_layers(char dir[64])
{
	vigil_buf l[2];
	const char *cb[] = { "/bin/sh -c #(nop) ADD file:abc in /", "RUN /bin/sh -c chmod u+s /bin/ls # buildkit" };
	base_layer(&l[0]);
	upper_layer(&l[1]);
	ath_tmpdir(dir);
	ath_layout(dir, l, 2, "\"User\":\"app\",\"Env\":[\"PATH=/bin\"]", cb);
	vigil_buf_free(&l[0]);
	vigil_buf_free(&l[1]);
}

static void test_merged_view(void **state)
{
	char dir[64];
	uint8_t a[32], b[32];
	two_layers(dir);
	audit_walk *w = open_walk(dir, AUDIT_HASH_SHA256);
	assert_int_equal(audit_walk_run(w), 0);
	sha256_of("ls version A\n", a);
	sha256_of("ls version B, trojaned\n", b);

	const audit_file *ls = audit_fs_get(w, "/bin/ls");
	assert_non_null(ls);
	assert_false(ls->deleted);
	assert_int_equal(ls->layer, 1);
	assert_int_equal(ls->prev_layer, 0);
	assert_int_equal(ls->mode, 04755);
	assert_int_equal(ls->uid, 1000);
	assert_int_equal(ls->gid, 1001);
	assert_true(ls->hashed && ls->prev_hashed);
	assert_memory_equal(ls->sha256, b, 32);
	assert_memory_equal(ls->prev_sha256, a, 32);

	/* the hard link keeps the content it was made with (the base's bin/ls) */
	const audit_file *hl = audit_fs_get(w, "bin/dir");
	assert_int_equal(hl->type, VIGIL_TAR_HARDLINK);
	assert_true(hl->hashed);
	assert_memory_equal(hl->sha256, a, 32);
	assert_string_equal(audit_fs_get(w, "bin/sh")->link, "dash");

	assert_true(audit_fs_get(w, "opt/app/f1")->deleted);
	assert_false(audit_fs_get(w, "opt/app/f2")->deleted);
	assert_true(audit_fs_get(w, "usr/lib/x/lib.so")->deleted);
	assert_false(audit_fs_get(w, "usr/lib/x/new.so")->deleted);
	assert_true(audit_fs_get(w, "opt/data/d1")->deleted);
	assert_true(audit_fs_get(w, "opt/data/sub/d2")->deleted);
	assert_null(audit_fs_get(w, "no/such/file"));

	const vigil_audit_layer *l0 = audit_walk_layer(w, 0), *l1 = audit_walk_layer(w, 1);
	assert_int_equal(l0->files, 8); /* bin/ls, dir, sh, lib.so, f1, f2, d1, d2 (folders not counted) */
	assert_int_equal(l1->files, 2);
	assert_int_equal(l1->whiteouts, 3);
	assert_true(l0->uncompressed > 0 && l0->uncompressed == l0->size);
	assert_string_equal(l1->created_by, "RUN /bin/sh -c chmod u+s /bin/ls # buildkit");
	const json_t *cfg = audit_walk_config(w);
	assert_string_equal(json_string_value(json_object_get(json_object_get(cfg, "config"), "User")), "app");

	const audit_file **all;
	size_t n;
	assert_int_equal(audit_fs_sorted(w, &all, &n), 0);
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(all[i - 1]->path, all[i]->path) < 0);
	free(all);
	audit_walk_free(w);
	ath_rmdir(dir);
}

/* A checker that records what it is handed. */
struct rec {
	int layers_begun, layers_ended, finished, whiteouts;
	size_t chunk_bytes;
	char ls_bytes[64];
	int ls_seen;
};

static int rec_init(audit_walk *w, const vigil_audit_options *o, void **st)
{
	*st = calloc(1, sizeof(struct rec));
	return *st ? 0 : VIGIL_ENOMEM;
}
static int rec_begin(void *st, audit_walk *w, size_t l) { ((struct rec *)st)->layers_begun++; return 0; }
static int rec_end(void *st, audit_walk *w, size_t l) { ((struct rec *)st)->layers_ended++; return 0; }
static int rec_finish(void *st, audit_walk *w)
{
	struct rec *r = st;
	r->finished++;
	vigil_audit_finding f = { .category = VIGIL_AUDIT_TROJAN, .rule = "test-rule", .title = "setuid ls",
				  .severity = VIGIL_SEV_HIGH, .path = "bin/ls", .layer = 1,
				  .other_layer = 0, .evidence = "mode 4755" };
	return audit_add_finding(w, &f);
}
static int rec_entry(void *st, audit_walk *w, const audit_entry *e)
{
	if (!strcmp(e->path, "bin/ls"))
		return AUDIT_WANT_BYTES | AUDIT_WANT_CHUNKS;
	return AUDIT_SKIP;
}
static int rec_chunk(void *st, audit_walk *w, const audit_entry *e, const uint8_t *p, size_t n)
{
	((struct rec *)st)->chunk_bytes += n;
	return 0;
}
static int rec_entry_end(void *st, audit_walk *w, const audit_entry *e, const audit_file *f, const uint8_t *b,
			 size_t n)
{
	struct rec *r = st;
	if (e->whiteout || e->opaque)
		r->whiteouts++;
	if (b && !strcmp(e->path, "bin/ls") && n < sizeof(r->ls_bytes)) {
		memcpy(r->ls_bytes, b, n);
		r->ls_bytes[n] = '\0';
		r->ls_seen++;
	}
	return 0;
}
static void rec_free(void *st) { free(st); }

static const audit_checker rec_checker = {
	.name = "rec", .init = rec_init, .layer_begin = rec_begin, .entry = rec_entry, .chunk = rec_chunk,
	.entry_end = rec_entry_end, .layer_end = rec_end, .finish = rec_finish, .free = rec_free,
};

static void test_checker_calls(void **state)
{
	char dir[64];
	two_layers(dir);
	audit_walk *w = open_walk(dir, 0);
	assert_int_equal(audit_walk_add(w, &rec_checker, NULL), 0);
	assert_int_equal(audit_walk_run(w), 0);
	/* the state is the walk's: reach it through a finding and the counters */
	size_t n;
	const vigil_audit_finding *f = audit_walk_findings(w, &n);
	assert_int_equal(n, 1);
	assert_string_equal(f[0].rule, "test-rule");
	assert_non_null(f[0].layer_digest);
	assert_non_null(f[0].other_layer_digest);
	assert_string_not_equal(f[0].layer_digest, f[0].other_layer_digest);
	assert_int_equal(audit_walk_run(w), VIGIL_EINVAL); /* one pass only */
	audit_walk_free(w);
	ath_rmdir(dir);
}

/* The same through a checker whose state the test keeps. */
static struct rec *kept;
static int keep_init(audit_walk *w, const vigil_audit_options *o, void **st)
{
	int rc = rec_init(w, o, st);
	kept = *st;
	return rc;
}
static void keep_free(void *st) { (void)st; }

static void test_checker_bytes(void **state)
{
	char dir[64];
	audit_checker c = rec_checker;
	c.init = keep_init;
	c.free = keep_free;
	two_layers(dir);
	audit_walk *w = open_walk(dir, 0);
	assert_int_equal(audit_walk_add(w, &c, NULL), 0);
	assert_int_equal(audit_walk_run(w), 0);
	assert_int_equal(kept->layers_begun, 2);
	assert_int_equal(kept->layers_ended, 2);
	assert_int_equal(kept->finished, 1);
	assert_int_equal(kept->whiteouts, 3);
	assert_int_equal(kept->ls_seen, 2);
	assert_string_equal(kept->ls_bytes, "ls version B, trojaned\n");
	assert_int_equal(kept->chunk_bytes, strlen("ls version A\n") + strlen("ls version B, trojaned\n"));
	free(kept);
	audit_walk_free(w);
	ath_rmdir(dir);
}

static void test_rootfs(void **state)
{
	char dir[64], path[128], ref[96];
	ath_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/etc", dir);
	mkdir(path, 0755);
	ath_write(dir, "etc/passwd", "root:x:0:0::/root:/bin/sh\n", 26);
	snprintf(path, sizeof(path), "%s/etc/link", dir);
	assert_int_equal(symlink("passwd", path), 0);
	snprintf(ref, sizeof(ref), "dir:%s", dir);
	audit_walk *w;
	audit_walk_options o = { .hashes = AUDIT_HASH_MD5 };
	assert_int_equal(audit_walk_open(ref, &o, &w), 0);
	assert_int_equal(audit_walk_layer_count(w), 1);
	assert_int_equal(audit_walk_run(w), 0);
	const audit_file *f = audit_fs_get(w, "etc/passwd");
	assert_non_null(f);
	assert_int_equal(f->type, VIGIL_TAR_FILE);
	assert_int_equal(f->size, 26);
	assert_true(f->hashed);
	assert_int_equal(audit_fs_get(w, "etc/link")->type, VIGIL_TAR_SYMLINK);
	assert_int_equal(audit_fs_get(w, "etc")->type, VIGIL_TAR_DIR);
	assert_int_equal(audit_walk_layer(w, 0)->files, 2);
	assert_null(audit_walk_config(w));
	audit_walk_free(w);
	ath_rmdir(dir);
}

static void test_bad_image(void **state)
{
	audit_walk *w = (audit_walk *)1;
	assert_true(audit_walk_open("oci:/nonexistent/layout:t", NULL, &w) < 0);
	assert_null(w);
	assert_non_null(strstr(vigil_error_message(), "/nonexistent/layout"));
}

static void test_scanners_parse(void **state)
{
	unsigned b;
	int vuln;
	assert_int_equal(vigil_audit_scanners_parse("vuln,secret,integrity", &b, &vuln), 0);
	assert_int_equal(b, VIGIL_AUDIT_SECRET | VIGIL_AUDIT_INTEGRITY);
	assert_int_equal(vuln, 1);
	assert_int_equal(vigil_audit_scanners_parse("policy,trojan", &b, NULL), 0);
	assert_int_equal(b, VIGIL_AUDIT_POLICY | VIGIL_AUDIT_TROJAN);
	assert_int_equal(vigil_audit_scanners_parse("secret,vulns", &b, &vuln), VIGIL_EINVAL);
	assert_non_null(strstr(vigil_error_message(), "unknown scanner 'vulns'"));
	assert_int_equal(vigil_audit_scanners_parse("vuln", &b, NULL), VIGIL_EINVAL);
	assert_int_equal(vigil_audit_scanners_parse("", &b, NULL), VIGIL_EINVAL);
}

/* The formats of a report made by hand: JSON members, SARIF's shape, the table. */
static void test_render(void **state)
{
	vigil_audit_finding f[2] = {
		{ .category = VIGIL_AUDIT_SECRET, .rule = "aws-access-key-id", .title = "AWS access key id",
		  .severity = VIGIL_SEV_CRITICAL, .path = "app/.env", .layer = 0, .layer_digest = "sha256:aa",
		  .other_layer = VIGIL_AUDIT_NO_LAYER, .line = 3, .match = "AKIA************MPLE", .deleted = 1 },
		{ .category = VIGIL_AUDIT_POLICY, .rule = "not-root", .title = "runs as root",
		  .severity = VIGIL_SEV_MEDIUM, .layer = VIGIL_AUDIT_NO_LAYER, .other_layer = VIGIL_AUDIT_NO_LAYER,
		  .evidence = "User is empty" },
	};
	vigil_audit_layer l = { .digest = "sha256:aa", .size = 10, .uncompressed = 20, .files = 3 };
	vigil_audit_report r = { .image = "oci:x", .layers = &l, .layer_count = 1, .findings = f,
				 .finding_count = 2, .scanners = VIGIL_AUDIT_ALL };
	char *out;
	size_t len;
	json_error_t je;
	assert_int_equal(vigil_audit_render(&r, VIGIL_FMT_CLAIR, NULL, &out, &len), 0);
	json_t *j = json_loadb(out, len, 0, &je);
	assert_non_null(j);
	json_t *f0 = json_array_get(json_object_get(j, "findings"), 0);
	assert_string_equal(json_string_value(json_object_get(f0, "match")), "AKIA************MPLE");
	assert_int_equal(json_integer_value(json_object_get(f0, "line")), 3);
	assert_true(json_is_true(json_object_get(f0, "deleted")));
	assert_true(json_is_null(json_object_get(json_array_get(json_object_get(j, "findings"), 1), "path")));
	json_decref(j);
	free(out);

	assert_int_equal(vigil_audit_render(&r, VIGIL_FMT_SARIF, NULL, &out, &len), 0);
	j = json_loadb(out, len, 0, &je);
	json_t *run = json_array_get(json_object_get(j, "runs"), 0);
	json_t *rules = json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
	assert_int_equal(json_array_size(rules), 2);
	json_t *res = json_array_get(json_object_get(run, "results"), 0);
	assert_string_equal(json_string_value(json_object_get(res, "level")), "error");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(json_object_get(
				 json_array_get(json_object_get(res, "locations"), 0), "physicalLocation"), "region"),
							"startLine")),
			 3);
	json_decref(j);
	free(out);

	assert_int_equal(vigil_audit_render(&r, VIGIL_FMT_TABLE, NULL, &out, &len), 0);
	assert_non_null(strstr(out, "2 audit findings"));
	assert_non_null(strstr(out, "/app/.env:3 (deleted later)"));
	assert_null(strstr(out, "AKIAIOSFODNN7EXAMPLE"));
	free(out);
	assert_int_equal(vigil_audit_render(&r, VIGIL_FMT_SPDX, NULL, &out, &len), VIGIL_EINVAL);
	assert_int_equal(vigil_audit_report_failed(&r, VIGIL_SEV_UNKNOWN), 1);
	assert_int_equal(vigil_audit_report_failed(&r, VIGIL_SEV_CRITICAL), 1);
	f[0].severity = VIGIL_SEV_LOW;
	assert_int_equal(vigil_audit_report_failed(&r, VIGIL_SEV_HIGH), 0);
}

static void test_redact(void **state)
{
	vigil_arena *a = vigil_arena_new(1 << 20);
	assert_string_equal(audit_redact(a, "AKIAIOSFODNN7EXAMPLE", 20), "AKIA************MPLE");
	assert_string_equal(audit_redact(a, "short", 5), "*****");
	assert_true(strlen(audit_redact(a, "0123456789012345678901234567890123456789", 40)) == 32);
	vigil_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merged_view),   cmocka_unit_test(test_checker_calls),
		cmocka_unit_test(test_checker_bytes), cmocka_unit_test(test_rootfs),
		cmocka_unit_test(test_bad_image),     cmocka_unit_test(test_scanners_parse),
		cmocka_unit_test(test_render),        cmocka_unit_test(test_redact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
