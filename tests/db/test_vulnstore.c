/* tests/db/test_vulnstore.c: update operations in the store: one
 * transaction per feed, records shared by content hash, diffs between
 * operations, garbage collection, and an aborted run leaving nothing. */
#include "db/db.h"
#include "helpers.h"
#include "store/store.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[64];
static vigil_store *s;

static int setup(void **state)
{
	return th_temp_store("vulnstore", dir, &s);
}

static int teardown(void **state)
{
	return th_temp_store_free(dir, s);
}

/* One feed run holding records "CVE-<n> fixed in <fixed>" for each n. */
static void run(const char *feed, const int *ids, size_t n, const char *fixed, const char *fp, vigil_db_op *op)
{
	vigil_vuln_writer *w;
	assert_int_equal(store_vuln_begin(s, feed, &w), 0);
	for (size_t i = 0; i < n; i++) {
		char id[32], *json, hash[72];
		size_t len;
		snprintf(id, sizeof(id), "CVE-2020-%d", ids[i]);
		vigil_affected a = { .namespace = "alpine:3.11", .package = "openssl", .is_source = 1,
				     .scheme = "apk", .state = VIGIL_STATE_FIXED, .fixed = fixed };
		vigil_vuln v = { .id = id, .source = "alpine", .severity = VIGIL_SEV_HIGH,
				 .cvss3_score = -1, .cvss2_score = -1, .affected = &a, .naffected = 1 };
		assert_int_equal(db_vuln_canonical(&v, &json, &len, hash), 0);
		assert_int_equal(store_vuln_put(w, &v, hash, json, len), 0);
		free(json);
	}
	assert_int_equal(store_vuln_commit(w, fp, op), 0);
}

static long changes[2];
static char last_id[64];

static int count_change(void *ud, vigil_db_change c, const char *source, const char *id, const char *hash)
{
	changes[c == VIGIL_DB_ADDED ? 0 : 1]++;
	snprintf(last_id, sizeof(last_id), "%s", id);
	return 0;
}

static void diff(const char *a, const char *b)
{
	changes[0] = changes[1] = 0;
	assert_int_equal(vigil_db_diff(s, a, b, count_change, NULL), 0);
}

static void test_operations(void **state)
{
	vigil_db_op op1, op2, op3, last;
	vigil_db_feed_status *fs;
	size_t n;
	run("alpine", (int[]){ 1, 2, 3 }, 3, "1.1.1g-r0", "sha256:aa", &op1);
	assert_int_equal(op1.vulns, 3);
	assert_int_equal(op1.affected, 3);
	/* the same records again: shared, nothing added or removed */
	run("alpine", (int[]){ 1, 2, 3 }, 3, "1.1.1g-r0", "sha256:bb", &op2);
	diff(op1.ref, op2.ref);
	assert_int_equal(changes[0] + changes[1], 0);
	/* CVE-3 changes its fixed version, CVE-2 goes, CVE-4 comes */
	run("alpine", (int[]){ 1, 3, 4 }, 3, "1.1.1h-r0", "sha256:cc", &op3);
	diff(op2.ref, op3.ref);
	assert_int_equal(changes[0], 3); /* 1 and 3 changed, 4 new */
	assert_int_equal(changes[1], 3); /* 1 and 3 changed, 2 gone */
	diff(NULL, op1.ref);
	assert_int_equal(changes[0], 3);
	assert_int_equal(changes[1], 0);
	assert_int_equal(store_feed_last_op(s, "alpine", &last), 0);
	assert_string_equal(last.ref, op3.ref);
	assert_string_equal(last.fingerprint, "sha256:cc");
	assert_int_equal(store_feed_last_op(s, "debian", &last), VIGIL_ENOTFOUND);

	/* a run that fails leaves the feed as it was */
	vigil_vuln_writer *w;
	assert_int_equal(store_vuln_begin(s, "alpine", &w), 0);
	store_vuln_abort(w);
	assert_int_equal(store_feed_attempt(s, "alpine", "https://example/x: 500"), 0);
	assert_int_equal(store_feed_last_op(s, "alpine", &last), 0);
	assert_string_equal(last.ref, op3.ref);
	assert_int_equal(vigil_db_status(s, &fs, &n), 0);
	assert_int_equal(n, 1);
	assert_true(fs[0].has_data);
	assert_string_equal(fs[0].last_error, "https://example/x: 500");
	free(fs);

	/* gc keeps the newest operation and the records it holds */
	int64_t ops_removed, vulns_removed;
	assert_int_equal(vigil_db_gc(s, 1, &ops_removed, &vulns_removed), 0);
	assert_int_equal(ops_removed, 2);
	assert_int_equal(vulns_removed, 3); /* CVE-1, 2, 3 at 1.1.1g */
	vigil_db_op *ops;
	assert_int_equal(vigil_db_ops(s, NULL, &ops, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(ops[0].ref, op3.ref);
	free(ops);
	diff(NULL, op3.ref);
	assert_int_equal(changes[0], 3);
	assert_int_equal(vigil_db_diff(s, op1.ref, op3.ref, count_change, NULL), VIGIL_ENOTFOUND);
}

static void test_canonical_is_stable(void **state)
{
	char *j1, *j2, h1[72], h2[72];
	size_t l1, l2;
	vigil_range_event ev[] = { { VIGIL_EVENT_INTRODUCED, "0" }, { VIGIL_EVENT_FIXED, "1.2.3" } };
	vigil_range r = { "SEMVER", ev, 2 };
	vigil_affected a = { .namespace = "osv:Go", .package = "golang.org/x/net", .scheme = "semver",
			     .ranges = &r, .nranges = 1 };
	const char *aliases[] = { "CVE-2022-1" };
	vigil_vuln v = { .id = "GO-2022-0001", .source = "osv", .aliases = aliases, .naliases = 1,
			 .cvss3_score = 7.5, .cvss3_vector = "CVSS:3.1/AV:N", .cvss2_score = -1,
			 .affected = &a, .naffected = 1 };
	assert_int_equal(db_vuln_canonical(&v, &j1, &l1, h1), 0);
	assert_int_equal(db_vuln_canonical(&v, &j2, &l2, h2), 0);
	assert_string_equal(h1, h2);
	assert_non_null(strstr(j1, "{\"introduced\":\"0\"},{\"fixed\":\"1.2.3\"}"));
	assert_non_null(strstr(j1, "\"score\":7.5"));
	assert_null(strstr(j1, "cvss2"));
	free(j2);
	ev[1].version = "1.2.4";
	assert_int_equal(db_vuln_canonical(&v, &j2, &l2, h2), 0);
	assert_string_not_equal(h1, h2);
	free(j1);
	free(j2);
}

static int said;
static char said_all[4096];

static void collect(void *ud, const char *msg)
{
	said++;
	size_t n = strlen(said_all);
	snprintf(said_all + n, sizeof(said_all) - n, "%s\n", msg);
}

static void test_check(void **state)
{
	vigil_store *empty;
	assert_int_equal(th_store_open(dir, "empty", &empty), 0);
	said = 0;
	said_all[0] = 0;
	assert_int_equal(vigil_db_check(empty, "debian:12", 0, collect, NULL), 1);
	assert_non_null(strstr(said_all, "no vulnerability data at all"));
	vigil_store_close(empty);

	/* s holds alpine data (test_operations) whose last run failed */
	said = 0;
	said_all[0] = 0;
	assert_int_equal(vigil_db_check(s, "alpine:3.11", 0, collect, NULL), 1);
	assert_non_null(strstr(said_all, "feed alpine: its last update failed ("));
	assert_int_equal(store_feed_attempt(s, "alpine", NULL), 0);
	assert_int_equal(vigil_db_check(s, "alpine:3.11", 0, NULL, NULL), 0);
	/* nothing for the image's distribution */
	said_all[0] = 0;
	assert_int_equal(vigil_db_check(s, "debian:12", 0, collect, NULL), 1);
	assert_non_null(strstr(said_all, "no vulnerability data for debian:12"));
	/* ten days old */
	assert_int_equal(th_store_exec(s, "UPDATE update_operation SET created_at = created_at - 864000"), 0);
	said_all[0] = 0;
	assert_int_equal(vigil_db_check(s, "alpine:3.11", 0, collect, NULL), 1);
	assert_non_null(strstr(said_all, "data is 10 days old"));
	assert_int_equal(vigil_db_check(s, "alpine:3.11", 30 * 86400, NULL, NULL), 0);
}

static void put_one(const char *feed, const vigil_vuln *v)
{
	vigil_vuln_writer *w;
	vigil_db_op op;
	char *json, hash[72];
	size_t len;
	assert_int_equal(store_vuln_begin(s, feed, &w), 0);
	assert_int_equal(db_vuln_canonical(v, &json, &len, hash), 0);
	assert_int_equal(store_vuln_put(w, v, hash, json, len), 0);
	free(json);
	assert_int_equal(store_vuln_commit(w, "sha256:x", &op), 0);
}

static int seen;
static double seen_score;
static int seen_enriched;
static vigil_severity seen_sev;

static int on_record(void *ud, const char *feed, const vigil_vuln *v, int enriched)
{
	if (!strcmp(feed, (const char *)ud)) {
		seen++;
		seen_score = v->cvss3_score;
		seen_enriched = enriched;
		seen_sev = v->severity;
	}
	return 0;
}

static void test_nvd_enrichment(void **state)
{
	vigil_affected a = { .namespace = "debian:12", .package = "curl", .is_source = 1, .scheme = "dpkg",
			     .state = VIGIL_STATE_FIXED, .fixed = "7.88.1-10+deb12u4" };
	const char *cves[] = { "CVE-2023-9999" };
	vigil_vuln nvd = { .id = "CVE-2023-9999", .source = "nvd", .severity = VIGIL_SEV_CRITICAL,
			   .cvss3_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", .cvss3_score = 9.8,
			   .cvss2_score = -1 };
	vigil_vuln deb = { .id = "CVE-2023-9999", .source = "debian", .cvss3_score = -1, .cvss2_score = -1,
			   .affected = &a, .naffected = 1 };
	vigil_vuln dsa = { .id = "DSA-9999-1", .source = "debian", .severity = VIGIL_SEV_HIGH,
			   .aliases = cves, .naliases = 1, .cvss3_score = -1, .cvss2_score = -1,
			   .affected = &a, .naffected = 1 };
	put_one("nvd", &nvd);
	put_one("debian", &deb);
	put_one("debian-lists", &dsa);
	seen = 0;
	assert_int_equal(vigil_db_lookup(s, "CVE-2023-9999", on_record, "debian"), 0);
	assert_int_equal(seen, 1);
	assert_true(seen_enriched);
	assert_true(seen_score > 9.7 && seen_score < 9.9);
	assert_int_equal(seen_sev, VIGIL_SEV_CRITICAL); /* Unknown takes NVD's level */
	seen = 0;
	assert_int_equal(vigil_db_lookup(s, "DSA-9999-1", on_record, "debian-lists"), 0);
	assert_int_equal(seen, 1);
	assert_true(seen_enriched);                     /* through its CVE alias */
	assert_int_equal(seen_sev, VIGIL_SEV_HIGH);     /* the vendor's level stays */
	seen = 0;
	assert_int_equal(vigil_db_lookup(s, "CVE-2023-9999", on_record, "nvd"), 0);
	assert_int_equal(seen, 1);
	assert_false(seen_enriched);
	seen = 0;
	assert_int_equal(vigil_db_lookup(s, "CVE-0000-0000", on_record, "debian"), 0);
	assert_int_equal(seen, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_operations),
		cmocka_unit_test(test_canonical_is_stable),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_nvd_enrichment),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
