/* tests/db/test_db_health.c: vigil/db_health.h: whether the data is fit
 * to scan a given namespace with. Warnings are per namespace (a failed
 * feed that covers another distribution says nothing), the data's own
 * newest date is judged against the release table and the clock (or the
 * end of support), and a store never filled is not ready. The clock is
 * fixed (opt.now) and the import age is off (max_age < 0) so that only
 * the data's dates speak. */
#include "db/db.h"
#include "helpers.h"
#include "store/store.h"
#include "util/error.h"
#include "vigil/db_health.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[64];
static vigil_store *s;
static int said;
static char said_all[8192];

static int setup(void **state)
{
	return th_temp_store("health", dir, &s);
}

static int teardown(void **state)
{
	return th_temp_store_free(dir, s);
}

static void collect(void *ud, const char *msg)
{
	said++;
	size_t n = strlen(said_all);
	snprintf(said_all + n, sizeof(said_all) - n, "%s\n", msg);
}

static void reset(void)
{
	said = 0;
	said_all[0] = 0;
}

/* One record of feed: id in namespace ns, published on date (NULL: none). */
static void put(const char *feed, const char *id, const char *ns, const char *date)
{
	vigil_vuln_writer *w;
	vigil_db_op op;
	char *json, hash[72];
	size_t len;
	vigil_affected a = { .namespace = ns, .package = "openssl", .is_source = 1, .scheme = "dpkg",
			     .state = VIGIL_STATE_FIXED, .fixed = "9" };
	vigil_vuln v = { .id = id, .source = "debian", .published = date, .cvss3_score = -1,
			 .cvss2_score = -1, .affected = &a, .naffected = 1 };
	assert_int_equal(store_vuln_begin(s, feed, &w), 0);
	assert_int_equal(db_vuln_canonical(&v, &json, &len, hash), 0);
	assert_int_equal(store_vuln_put(w, &v, hash, json, len), 0);
	free(json);
	assert_int_equal(store_vuln_commit(w, "sha256:x", &op), 0);
}

static int check(const char *ns, int64_t now)
{
	vigil_db_check_options o = { .max_age = -1, .now = now };
	const char *list[] = { ns };
	reset();
	return vigil_db_check_namespaces(s, ns ? list : NULL, 1, &o, collect, NULL);
}

#define DAY ((int64_t)86400)

static void test_dates(void **state)
{
	assert_int_equal(vigil_date_days("1970-01-01"), 0);
	assert_int_equal(vigil_date_days("2000-03-01T00:00:00Z"), 11017);
	assert_int_equal(vigil_date_days("2023-06-10"), 19518);
	assert_true(vigil_date_days("2023-6-10") < 0);
	assert_true(vigil_date_days("2023-13-01") < 0);
	assert_true(vigil_date_days(NULL) < 0);
	const vigil_release *r = vigil_release_of("debian:12");
	assert_non_null(r);
	assert_string_equal(r->released, "2023-06-10");
	assert_non_null(vigil_release_of("ubuntu:18.04"));
	assert_non_null(vigil_release_of("alpine:3.10"));
	assert_non_null(vigil_release_of("rhel:9"));
	assert_null(vigil_release_of("debian:unstable"));
	assert_null(vigil_release_of("osv:PyPI"));
}

static void test_ready(void **state)
{
	char why[512];
	assert_int_equal(vigil_db_ready(s, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "never filled"));
	assert_non_null(strstr(why, "vigil db update"));
	assert_non_null(strstr(why, "vigil db import DIR"));
	assert_int_equal(store_feed_attempt(s, "redhat-oval", "broken.xml: XML: line 536"), 0);
	assert_int_equal(vigil_db_ready(s, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "1 feed tried and failed"));
	put("debian-lists", "DSA-1-1", "debian:12", "2025-07-31");
	assert_int_equal(vigil_db_ready(s, why, sizeof(why)), 1);
}

static void test_per_namespace(void **state)
{
	int64_t now = vigil_date_days("2025-08-15") * DAY;
	assert_int_equal(store_feed_attempt(s, "redhat-oval", "broken.xml: XML: line 536"), 0);
	assert_int_equal(store_feed_attempt(s, "ubuntu-oval", "ubuntu.xml: gone"), 0);
	put("debian-lists", "DSA-1-1", "debian:12", "2025-07-31");
	/* a Debian image: neither dead feed covers it */
	assert_int_equal(check("debian:12", now), 0);
	assert_string_equal(said_all, "");
	/* a RHEL image: the failed Red Hat feed covers it (by its name: it has no data) */
	assert_int_equal(check("rhel:9", now), 2);
	assert_non_null(strstr(said_all, "feed redhat-oval: its last update failed (it has no data)"));
	assert_non_null(strstr(said_all, "no vulnerability data for rhel:9"));
	assert_null(strstr(said_all, "ubuntu-oval"));
	assert_int_equal(check("ubuntu:22.04", now), 2);
	assert_non_null(strstr(said_all, "ubuntu-oval"));
	assert_null(strstr(said_all, "redhat-oval"));
	/* a feed with data speaks for the namespaces of its rows only */
	assert_int_equal(store_feed_attempt(s, "debian-lists", "DSA-list: gone"), 0);
	assert_int_equal(check("debian:12", now), 1);
	assert_non_null(strstr(said_all, "feed debian-lists: its last update failed (its previous data is used)"));
	assert_int_equal(check("debian:11", now), 1);
	assert_non_null(strstr(said_all, "no vulnerability data for debian:11"));
	assert_null(strstr(said_all, "feed debian-lists"));
	/* no namespace: every feed */
	assert_int_equal(check(NULL, now), 3);
	/* the import age counts for the covering feeds only */
	assert_int_equal(store_feed_attempt(s, "debian-lists", NULL), 0);
	assert_int_equal(th_store_exec(s, "UPDATE update_operation SET created_at = created_at - 864000"), 0);
	reset();
	vigil_db_check_options o = { .max_data_age = -1 }; /* the clock, as the imports */
	const char *deb = "debian:12", *rh = "rhel:9";
	assert_int_equal(vigil_db_check_namespaces(s, &deb, 1, &o, collect, NULL), 1);
	assert_non_null(strstr(said_all, "feed debian-lists: data is 10 days old (older than 3 days)"));
	reset();
	assert_int_equal(vigil_db_check_namespaces(s, &rh, 1, &o, collect, NULL), 2);
	assert_null(strstr(said_all, "debian-lists"));
}

static void test_data_date(void **state)
{
	/* the case: current enough imports, old data */
	put("debian", "CVE-2023-1", "debian:12", NULL); /* the tracker JSON has no dates */
	put("debian-lists", "DSA-5970-1", "debian:12", "2025-07-31");
	assert_int_equal(check("debian:12", vigil_date_days("2025-08-30") * DAY), 0);
	assert_int_equal(check("debian:12", vigil_date_days("2026-12-05") * DAY), 1);
	assert_non_null(strstr(said_all, "data for debian:12 ends 2025-07-31 (newest record DSA-5970-1, "
				       "feed debian-lists), 492 days ago (more than 90)"));
	/* a longer accepted age */
	vigil_db_check_options o = { .max_age = -1, .max_data_age = 600 * DAY,
				     .now = vigil_date_days("2026-12-05") * DAY };
	const char *ns = "debian:12";
	reset();
	assert_int_equal(vigil_db_check_namespaces(s, &ns, 1, &o, collect, NULL), 0);
	/* data that ends before the release */
	put("ubuntu", "CVE-2020-1", "debian:13", "2024-01-02");
	assert_int_equal(check("debian:13", vigil_date_days("2025-09-01") * DAY), 1);
	assert_non_null(strstr(said_all, "data for debian:13 ends 2024-01-02 (newest record CVE-2020-1, feed "
				       "ubuntu), before Debian 13 (trixie) was released (2025-08-09)"));
	/* a release past its end of support: judged against that end */
	put("alpine", "CVE-2021-1", "alpine:3.10", "2021-04-20");
	assert_int_equal(check("alpine:3.10", vigil_date_days("2026-12-05") * DAY), 0);
	put("alpine", "CVE-2020-2", "alpine:3.10", "2020-06-08");
	assert_int_equal(check("alpine:3.10", vigil_date_days("2026-12-05") * DAY), 1);
	assert_non_null(strstr(said_all, "327 days before the end of support of Alpine 3.10 (2021-05-01)"));
	/* no date at all: not judged; a date in the future is ignored */
	put("osv", "GO-1", "osv:Go", NULL);
	assert_int_equal(check("osv:Go", vigil_date_days("2026-12-05") * DAY), 0);
	put("rubysec", "GHSA-1", "osv:RubyGems", "2099-01-01");
	assert_int_equal(check("osv:RubyGems", vigil_date_days("2026-12-05") * DAY), 0);
	assert_int_equal(check("osv:npm", vigil_date_days("2026-12-05") * DAY), 1);
	assert_non_null(strstr(said_all, "Load the npm advisories"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test_setup_teardown(test_ready, setup, teardown),
		cmocka_unit_test_setup_teardown(test_per_namespace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_date, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
