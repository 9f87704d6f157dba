/* tests/notifier/test_notifier.c: the notifier's pieces on either store
 * backend: Clair v4 pages of a set (size, next only when more follow, bad
 * ids and tokens, unknown sets), Clair 2's view (one vulnerability per
 * page, its token), deletion, the direct bodies with rollup; the webhook
 * (a local server on 127.0.0.1: Clair's body, the headers, the JWT signed
 * with the key, 503 then 200, a receiver that hangs gives up at the
 * timeout); two notifiers on one store announce a set once; generation
 * only when the data changed. */
#include "helpers.h"
#include "notifier/notifier_priv.h"
#include "th_http.h"
#include "util/base64.h"
#include "util/error.h"
#include "vigil/db.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char dir[64];
static vigil_store *st;
static const char *SET = "6e4ad270-4957-4242-b5ad-dad851379573";

static int setup(void **state)
{
	(void)state;
	if (th_temp_store("notifier", dir, &st) < 0)
		return -1;
	store_notify_entry es[] = {
		{ "00000000-0000-4000-8000-000000000002", "sha256:m", "added",
		  "{\"name\":\"CVE-2\",\"normalized_severity\":\"High\",\"fixed_in_version\":\"2.0\",\"links\":\"https://a https://b\","
		  "\"distribution\":{\"did\":\"alpine\",\"version_id\":\"3.10.4\"}}" },
		{ "00000000-0000-4000-8000-000000000001", "sha256:m", "removed", "{\"name\":\"CVE-1\"}" },
		{ "00000000-0000-4000-8000-000000000003", "sha256:n", "added", "{\"name\":\"CVE-2\"}" },
	};
	store_notify_commit c = { .id = SET, .created = 1000, .entries = es, .nentries = 3 };
	return store_notify_commit_set(st, &c) < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	return th_temp_store_free(dir, st);
}

static json_t *page(const char *next, size_t size)
{
	char *txt = NULL;
	size_t len = 0;
	json_error_t je;
	assert_int_equal(vigil_notify_page(st, SET, next, size, &txt, &len), 0);
	json_t *o = json_loadb(txt, len, 0, &je);
	free(txt);
	assert_non_null(o);
	return o;
}

static void test_page(void **state)
{
	(void)state;
	json_t *p = page(NULL, 2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(p, "page"), "size")), 2);
	assert_string_equal(json_string_value(json_object_get(json_object_get(p, "page"), "next")),
			    "00000000-0000-4000-8000-000000000002");
	json_t *ns = json_object_get(p, "notifications");
	assert_int_equal(json_array_size(ns), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ns, 0), "reason")), "removed");
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(ns, 1), "vulnerability"), "name")),
			    "CVE-2");
	json_decref(p);
	/* the last page: no next (Clair leaves it out) */
	p = page("00000000-0000-4000-8000-000000000002", 2);
	assert_null(json_object_get(json_object_get(p, "page"), "next"));
	assert_int_equal(json_array_size(json_object_get(p, "notifications")), 1);
	json_decref(p);
	/* exactly size left: no next either */
	p = page("00000000-0000-4000-8000-000000000001", 2);
	assert_null(json_object_get(json_object_get(p, "page"), "next"));
	json_decref(p);
	/* the default size */
	p = page("", 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(p, "page"), "size")), VIGIL_NOTIFY_DEFAULT_PAGE);
	json_decref(p);
	/* upper case ids are the same ids */
	char *txt = NULL;
	size_t len = 0;
	assert_int_equal(vigil_notify_page(st, "6E4AD270-4957-4242-B5AD-DAD851379573", NULL, 1, &txt, &len), 0);
	free(txt);
	assert_int_equal(vigil_notify_page(st, "nope", NULL, 1, &txt, &len), VIGIL_EINVAL);
	assert_int_equal(vigil_notify_page(st, SET, "zz", 1, &txt, &len), VIGIL_EINVAL);
	assert_int_equal(vigil_notify_page(st, SET, NULL, VIGIL_NOTIFY_MAX_PAGE + 1, &txt, &len), VIGIL_EINVAL);
	assert_int_equal(vigil_notify_page(st, "00000000-0000-4000-8000-000000000000", NULL, 1, &txt, &len),
			 VIGIL_ENOTFOUND);
	assert_null(txt);
}

static json_t *v1(const char *pg, size_t limit)
{
	char *txt = NULL;
	size_t len = 0;
	json_error_t je;
	assert_int_equal(vigil_notify_v1_page(st, SET, pg, limit, &txt, &len), 0);
	json_t *o = json_loadb(txt, len, 0, &je);
	free(txt);
	assert_non_null(o);
	json_t *n = json_incref(json_object_get(o, "Notification"));
	json_decref(o);
	return n;
}

static void test_v1(void **state)
{
	(void)state;
	json_t *n = v1(NULL, 10);
	assert_string_equal(json_string_value(json_object_get(n, "Name")), SET);
	assert_string_equal(json_string_value(json_object_get(n, "Created")), "1000");
	assert_null(json_object_get(n, "Notified"));
	/* the first vulnerability by name: CVE-1, removed */
	assert_null(json_object_get(n, "New"));
	json_t *old = json_object_get(n, "Old");
	assert_string_equal(json_string_value(json_object_get(json_object_get(old, "Vulnerability"), "Name")), "CVE-1");
	const char *next = json_string_value(json_object_get(n, "NextPage"));
	assert_non_null(next);
	char tok[64];
	snprintf(tok, sizeof(tok), "%s", next);
	json_decref(n);
	n = v1(tok, 1);
	json_t *nw = json_object_get(n, "New"), *vv = json_object_get(nw, "Vulnerability");
	assert_string_equal(json_string_value(json_object_get(vv, "Name")), "CVE-2");
	assert_string_equal(json_string_value(json_object_get(vv, "NamespaceName")), "alpine:3.10");
	assert_string_equal(json_string_value(json_object_get(vv, "Link")), "https://a");
	assert_string_equal(json_string_value(json_object_get(vv, "FixedBy")), "2.0");
	/* limit 1: one of its two manifests */
	assert_int_equal(json_array_size(json_object_get(nw, "LayersIntroducingVulnerability")), 1);
	assert_null(json_object_get(n, "NextPage"));
	json_decref(n);
	char *txt = NULL;
	size_t len = 0;
	assert_int_equal(vigil_notify_v1_page(st, SET, "!!", 1, &txt, &len), VIGIL_EINVAL);
	assert_int_equal(vigil_notify_v1_page(st, "00000000-0000-4000-8000-000000000000", NULL, 1, &txt, &len),
			 VIGIL_ENOTFOUND);
}

static int on_body(void *ud, const char *body, size_t len)
{
	json_error_t je;
	json_t *a = json_loadb(body, len, 0, &je);
	assert_true(json_is_array(a));
	*(size_t *)ud += 1;
	json_decref(a);
	return 0;
}

static void test_direct(void **state)
{
	(void)state;
	size_t n = 0;
	assert_int_equal(vigil_notify_direct_bodies(st, SET, 2, on_body, &n), 0);
	assert_int_equal(n, 2); /* 3 entries, 2 per message */
	n = 0;
	assert_int_equal(vigil_notify_direct_bodies(st, SET, 0, on_body, &n), 0);
	assert_int_equal(n, 1);
}

/* ---- the webhook ---- */
static char last_req[8192];
static int answers; /* requests answered so far */

static void hook(int fd)
{
	char req[8192], path[256];
	if (th_http_read_request(fd, req, sizeof(req), path, sizeof(path), " ?") < 0)
		return;
	snprintf(last_req, sizeof(last_req), "%s", req);
	const char *r = answers++ < 1 ? "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"
				      : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
	th_http_send(fd, r, strlen(r));
}

static void hang(int fd)
{
	char req[8192], path[256];
	if (th_http_read_request(fd, req, sizeof(req), path, sizeof(path), " ?") < 0)
		return;
	while (!th_http_stopping())
		usleep(20000);
}

static void check_jwt(const char *req, const unsigned char *key, size_t klen)
{
	const char *a = strstr(req, "Authorization: Bearer ");
	if (!a)
		printf("request: %s\n", req);
	char tok[1024], claims[512];
	size_t n;
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int ml = 0;
	char sig[128];
	assert_non_null(a);
	a += strlen("Authorization: Bearer ");
	snprintf(tok, sizeof(tok), "%.*s", (int)strcspn(a, "\r\n"), a);
	char *d1 = strchr(tok, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	assert_non_null(d2);
	HMAC(EVP_sha256(), key, (int)klen, (unsigned char *)tok, (size_t)(d2 - tok), mac, &ml);
	assert_int_equal(vigil_base64_encode(mac, ml, VIGIL_BASE64_URL, sig, sizeof(sig)), 0);
	assert_string_equal(d2 + 1, sig);
	assert_int_equal(vigil_base64_decode(d1 + 1, (size_t)(d2 - d1 - 1), VIGIL_BASE64_URL | VIGIL_BASE64_NOPAD, claims,
					     sizeof(claims) - 1, &n), 0);
	claims[n] = '\0';
	assert_non_null(strstr(claims, "\"iss\":\"clair-notifier\""));
}

static void test_webhook(void **state)
{
	(void)state;
	th_http *srv;
	int port;
	ntf_target t = { .kind = NTF_WEBHOOK, .timeout_s = 5 };
	char *hs[] = { "X-Test: 1" };
	const unsigned char key[] = "secret";
	assert_int_equal(th_http_start(hook, &srv, &port), 0);
	snprintf(t.url, sizeof(t.url), "http://127.0.0.1:%d/hook", port);
	snprintf(t.callback, sizeof(t.callback), "http://clair/notifier/api/v1/notification/");
	t.headers = hs;
	t.nheaders = 1;
	memcpy(t.psk, key, 6);
	t.psk_len = 6;
	assert_int_equal(ntf_deliver(&t, SET), VIGIL_EUNAVAILABLE);
	assert_non_null(strstr(vigil_error_message(), "503"));
	assert_int_equal(ntf_deliver(&t, SET), 0);
	assert_non_null(strstr(last_req, "POST /hook HTTP/1.1"));
	assert_non_null(strstr(last_req, "Content-Type: application/json"));
	assert_non_null(strstr(last_req, "X-Test: 1"));
	check_jwt(last_req, key, 6);
	th_http_stop(srv, 200);
	/* the body */
	char *body = NULL;
	size_t len = 0;
	assert_int_equal(ntf_callback_body(&t, SET, &body, &len), 0);
	assert_string_equal(body, "{\"notification_id\":\"6e4ad270-4957-4242-b5ad-dad851379573\",\"callback\":"
				  "\"http://clair/notifier/api/v1/notification/6e4ad270-4957-4242-b5ad-dad851379573\"}");
	free(body);
	/* nobody listening: retried later */
	assert_int_equal(ntf_deliver(&t, SET), VIGIL_EUNAVAILABLE);
	/* a receiver that hangs: the attempt ends at its timeout */
	assert_int_equal(th_http_start(hang, &srv, &port), 0);
	snprintf(t.url, sizeof(t.url), "http://127.0.0.1:%d/hook", port);
	t.timeout_s = 1;
	time_t t0 = time(NULL);
	assert_int_equal(ntf_deliver(&t, SET), VIGIL_EUNAVAILABLE);
	assert_true(time(NULL) - t0 <= 3);
	th_http_stop(srv, 200);
	/* link-local is refused by net/'s policy, not connected to */
	snprintf(t.url, sizeof(t.url), "http://169.254.169.254/hook");
	assert_true(ntf_deliver(&t, SET) < 0);
}

/* Two notifiers on two handles of one store (two nodes): the set is
 * announced once, by one of them. */
static void test_deliver_once(void **state)
{
	(void)state;
	th_http *srv;
	int port;
	vigil_store *other = NULL;
	vigil_notifier *n1 = NULL, *n2 = NULL;
	vigil_notifier_options o;
	char url[64];
	store_notify_info info;
	uint64_t d1, f1, g1, d2, f2, g2;
	answers = 1; /* every request answered 200 */
	assert_int_equal(th_http_start(hook, &srv, &port), 0);
	assert_int_equal(th_store_open(dir, "v", &other), 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", port);
	vigil_notifier_options_init(&o);
	o.generate = 0;
	o.webhook_target = url;
	o.webhook_callback = "http://clair/notifier/api/v1/notification"; /* the "/" is added */
	o.store = st;
	o.node = "n1";
	assert_int_equal(vigil_notifier_start(&o, &n1), 0);
	o.store = other;
	o.node = "n2";
	assert_int_equal(vigil_notifier_start(&o, &n2), 0);
	vigil_notifier_kick(n1);
	vigil_notifier_kick(n2);
	for (int i = 0; i < 100; i++) {
		assert_int_equal(store_notify_info_get(st, SET, &info), 0);
		if (info.delivered_at)
			break;
		usleep(50000);
	}
	assert_true(info.delivered_at > 0);
	usleep(1500000); /* another tick of both: nothing more */
	vigil_notifier_counts(n1, &d1, &f1, &g1);
	vigil_notifier_counts(n2, &d2, &f2, &g2);
	vigil_notifier_stop(n1);
	vigil_notifier_stop(n2);
	vigil_store_close(other);
	th_http_stop(srv, 200);
	assert_int_equal(d1 + d2, 1);
	assert_int_equal(f1 + f2, 0);
	assert_int_equal(answers, 2); /* one request */
	assert_non_null(strstr(last_req, "/notifier/api/v1/notification/6e4ad270"));
	/* a bad target is refused at start */
	o.webhook_target = "ftp://x/";
	assert_int_equal(vigil_notifier_start(&o, &n1), VIGIL_EINVAL);
	vigil_notifier_stop(NULL);
}

static void test_generate(void **state)
{
	(void)state;
	vigil_notify_generation g;
	const char *feed = th_data_path("feeds/alpine/secdb-json/v3.10/main.json");
	vigil_db_import_result *res = NULL;
	size_t nres = 0;
	if (!feed || access(feed, R_OK) != 0) {
		printf("SKIP: no alpine feed in the test data\n");
		skip();
	}
	/* no data, nothing done */
	assert_int_equal(vigil_notify_generate(st, 0, NULL, NULL, &g), 0);
	assert_int_equal(g.ran, 0);
	assert_int_equal(vigil_db_import(st, &feed, 1, NULL, &res, &nres), 0);
	free(res);
	/* the data changed: a run, no manifest, no set */
	assert_int_equal(vigil_notify_generate(st, 0, NULL, NULL, &g), 0);
	assert_int_equal(g.ran, 1);
	assert_string_equal(g.id, "");
	/* recorded: the same data again is nothing to do */
	assert_int_equal(vigil_notify_generate(st, 0, NULL, NULL, &g), 0);
	assert_int_equal(g.ran, 0);
	/* another node generating: this one skips */
	vigil_store_lock *lk = NULL;
	assert_int_equal(vigil_store_lock_try(st, NTF_LOCK, &lk), 1);
	assert_int_equal(vigil_notify_generate(st, 1, NULL, NULL, &g), 0);
	assert_int_equal(g.ran, 0);
	vigil_store_lock_release(lk);
	int deleted = 0;
	assert_int_equal(vigil_notify_delete(st, SET, &deleted), 0);
	assert_int_equal(deleted, 1);
	assert_int_equal(vigil_notify_delete(st, "x", &deleted), VIGIL_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page),      cmocka_unit_test(test_v1),       cmocka_unit_test(test_direct),
		cmocka_unit_test(test_webhook),   cmocka_unit_test(test_deliver_once), cmocka_unit_test(test_generate),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
