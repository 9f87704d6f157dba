/* tests/store/test_notify_store.c: the notifications part of the store
 * (store_notify.h) on either backend: baselines (only_new keeps the first),
 * a committed set paged in id order, state recorded with it, baselines of
 * manifests whose report is gone dropped, delivery claims that one holder
 * gets (two stores on one database, as two nodes), release on success and
 * failure (next attempt), removal and expiry. */
#include "helpers.h"
#include "store/store.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[64];
static vigil_store *st;

static int setup(void **state)
{
	(void)state;
	return th_temp_store("notify", dir, &st);
}

static int teardown(void **state)
{
	(void)state;
	return th_temp_store_free(dir, st);
}

static void put_report(const char *hash)
{
	vigil_store_index_report r = { .report = "{}", .report_len = 2, .manifest = "{}", .manifest_len = 2 };
	snprintf(r.state, sizeof(r.state), "s");
	assert_int_equal(vigil_store_index_report_put(st, hash, &r), 0);
}

struct got {
	char text[2048];
	size_t n;
};

static int on_base(void *ud, const char *vkey, const char *summary)
{
	struct got *g = ud;
	size_t k = strlen(g->text);
	snprintf(g->text + k, sizeof(g->text) - k, "%s=%s;", vkey, summary);
	g->n++;
	return 0;
}

static int on_entry(void *ud, const store_notify_entry *e)
{
	struct got *g = ud;
	size_t k = strlen(g->text);
	snprintf(g->text + k, sizeof(g->text) - k, "%s %s %s %s;", e->id, e->manifest, e->reason, e->summary);
	g->n++;
	return 0;
}

static void test_baseline(void **state)
{
	(void)state;
	const char *keys[] = { "CVE-1|a", "CVE-2|b" }, *sums[] = { "{\"name\":\"CVE-1\"}", "{\"name\":\"CVE-2\"}" };
	store_notify_base b = { "sha256:m1", 2, keys, sums }, b2 = { "sha256:m1", 1, keys + 1, sums + 1 };
	struct got g = { "", 0 };
	int known = -1;
	put_report("sha256:m1");
	assert_int_equal(store_notify_base_get(st, "sha256:m1", &known, on_base, &g), 0);
	assert_int_equal(known, 0);
	assert_int_equal(store_notify_base_put(st, &b, 1), 0);
	/* only_new: the first baseline stays */
	assert_int_equal(store_notify_base_put(st, &b2, 1), 0);
	assert_int_equal(store_notify_base_get(st, "sha256:m1", &known, on_base, &g), 0);
	assert_int_equal(known, 1);
	assert_string_equal(g.text, "CVE-1|a={\"name\":\"CVE-1\"};CVE-2|b={\"name\":\"CVE-2\"};");
	/* replaced */
	assert_int_equal(store_notify_base_put(st, &b2, 0), 0);
	g.text[0] = '\0';
	assert_int_equal(store_notify_base_get(st, "sha256:m1", &known, on_base, &g), 0);
	assert_string_equal(g.text, "CVE-2|b={\"name\":\"CVE-2\"};");
	/* an empty baseline is still a baseline */
	store_notify_base e = { "sha256:m1", 0, NULL, NULL };
	assert_int_equal(store_notify_base_put(st, &e, 0), 0);
	g.text[0] = '\0';
	assert_int_equal(store_notify_base_get(st, "sha256:m1", &known, on_base, &g), 0);
	assert_int_equal(known, 1);
	assert_string_equal(g.text, "");
}

static const char *SET = "6e4ad270-4957-4242-b5ad-dad851379573";

static void commit_set(void)
{
	store_notify_entry es[] = {
		{ "00000000-0000-4000-8000-000000000002", "sha256:m2", "added", "{\"n\":2}" },
		{ "00000000-0000-4000-8000-000000000001", "sha256:m2", "removed", "{\"n\":1}" },
		{ "00000000-0000-4000-8000-000000000003", "sha256:m2", "added", "{\"n\":3}" },
	};
	const char *keys[] = { "CVE-9|x" }, *sums[] = { "{}" };
	store_notify_base b = { "sha256:m2", 1, keys, sums };
	store_notify_commit c = { .id = SET, .created = 1000, .entries = es, .nentries = 3, .bases = &b, .nbases = 1,
				  .state_key = "fp", .state_value = "debian=abc;" };
	assert_int_equal(store_notify_commit_set(st, &c), 0);
}

static void test_commit_page(void **state)
{
	(void)state;
	struct got g = { "", 0 };
	int found = -1, known = 0;
	char v[64];
	put_report("sha256:m2");
	commit_set();
	assert_int_equal(store_notify_state_get(st, "fp", v, sizeof(v)), 0);
	assert_string_equal(v, "debian=abc;");
	assert_int_equal(store_notify_state_get(st, "nope", v, sizeof(v)), 0);
	assert_string_equal(v, "");
	assert_int_equal(store_notify_page(st, SET, "", 2, &found, on_entry, &g), 0);
	assert_int_equal(found, 1);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.text, "00000000-0000-4000-8000-000000000001 sha256:m2 removed {\"n\":1};"
				    "00000000-0000-4000-8000-000000000002 sha256:m2 added {\"n\":2};");
	g.text[0] = '\0';
	g.n = 0;
	assert_int_equal(store_notify_page(st, SET, "00000000-0000-4000-8000-000000000002", 2, &found, on_entry, &g), 0);
	assert_int_equal(g.n, 1);
	assert_non_null(strstr(g.text, "-000000000003 "));
	/* unknown set */
	assert_int_equal(store_notify_page(st, "00000000-0000-4000-8000-00000000dead", "", 2, &found, on_entry, &g), 0);
	assert_int_equal(found, 0);
	store_notify_info info;
	assert_int_equal(store_notify_info_get(st, SET, &info), 0);
	assert_int_equal(info.entries, 3);
	assert_int_equal(info.created, 1000);
	assert_int_equal(info.delivered_at, 0);
	assert_int_equal(store_notify_info_get(st, "x", &info), VIGIL_ENOTFOUND);
	/* the baseline written with it; a manifest whose report is deleted loses its own */
	assert_int_equal(store_notify_base_get(st, "sha256:m2", &known, on_base, &g), 0);
	assert_int_equal(known, 1);
	int deleted = 0;
	assert_int_equal(vigil_store_index_report_delete(st, "sha256:m2", &deleted), 0);
	store_notify_commit none = { 0 };
	assert_int_equal(store_notify_commit_set(st, &none), 0);
	assert_int_equal(store_notify_base_get(st, "sha256:m2", &known, on_base, &g), 0);
	assert_int_equal(known, 0);
}

static void test_claims(void **state)
{
	(void)state;
	vigil_store *other = NULL;
	char id[STORE_NOTIFY_ID_MAX], id2[STORE_NOTIFY_ID_MAX];
	int got = 0, got2 = 0, deleted = 0;
	int64_t removed = 0;
	store_notify_info info;
	/* a second store on the same database: another node */
	assert_int_equal(th_store_open(dir, "v", &other), 0);
	assert_int_equal(store_notify_claim(st, "node-a", 2000, 30, id, &got), 0);
	assert_int_equal(got, 1);
	assert_string_equal(id, SET);
	assert_int_equal(store_notify_claim(other, "node-b", 2001, 30, id2, &got2), 0);
	assert_int_equal(got2, 0);
	/* a release by a node that does not hold it changes nothing */
	assert_int_equal(store_notify_release(other, SET, "node-b", 1, 2002, 0, NULL), 0);
	assert_int_equal(store_notify_info_get(st, SET, &info), 0);
	assert_int_equal(info.delivered_at, 0);
	/* failure: due again at 2100, not before */
	assert_int_equal(store_notify_release(st, SET, "node-a", 0, 2003, 2100, "connection refused"), 0);
	assert_int_equal(store_notify_claim(other, "node-b", 2050, 30, id2, &got2), 0);
	assert_int_equal(got2, 0);
	assert_int_equal(store_notify_claim(other, "node-b", 2100, 30, id2, &got2), 0);
	assert_int_equal(got2, 1);
	/* node-b dies: its lease lapses and node-a takes it over */
	assert_int_equal(store_notify_claim(st, "node-a", 2129, 30, id, &got), 0);
	assert_int_equal(got, 0);
	assert_int_equal(store_notify_claim(st, "node-a", 2131, 30, id, &got), 0);
	assert_int_equal(got, 1);
	assert_int_equal(store_notify_release(st, SET, "node-a", 1, 2132, 0, NULL), 0);
	assert_int_equal(store_notify_info_get(st, SET, &info), 0);
	assert_int_equal(info.delivered_at, 2132);
	assert_int_equal(info.attempts, 2);
	assert_int_equal(store_notify_claim(other, "node-b", 9999, 30, id2, &got2), 0);
	assert_int_equal(got2, 0);
	vigil_store_close(other);
	/* expiry, then removal */
	assert_int_equal(store_notify_expire(st, 1000, &removed), 0);
	assert_int_equal(removed, 0);
	assert_int_equal(store_notify_remove(st, SET, &deleted), 0);
	assert_int_equal(deleted, 1);
	assert_int_equal(store_notify_remove(st, SET, &deleted), 0);
	assert_int_equal(deleted, 0);
	commit_set();
	assert_int_equal(store_notify_expire(st, 1001, &removed), 0);
	assert_int_equal(removed, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_baseline),
		cmocka_unit_test(test_commit_page),
		cmocka_unit_test(test_claims),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
