/* tests/server/test_config.c: the server's YAML config (server/config.c):
 * a real Clair v4 config (the shape of Clair's reference config and Red
 * Hat's examples) read over the defaults, unknown and unused keys as
 * warnings, bad values as errors naming key and line, the named limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/clair2_conf.h"
#include "server/server.h"
#include "util/error.h"

struct warns {
	int n;
	char all[4096];
};

static void on_warn(void *ud, const char *msg)
{
	struct warns *w = ud;
	w->n++;
	size_t k = strlen(w->all);
	snprintf(w->all + k, sizeof(w->all) - k, "%s\n", msg);
}

/* A combo-mode Clair config as deployments write it. */
static const char clair_config[] =
	"---\n"
	"http_listen_addr: 0.0.0.0:6060\n"
	"introspection_addr: 0.0.0.0:8089\n"
	"log_level: debug\n"
	"indexer:\n"
	"  connstring: host=clair-db port=5432 dbname=clair user=clair sslmode=disable\n"
	"  scanlock_retry: 10\n"
	"  layer_scan_concurrency: 5\n"
	"  migrations: true\n"
	"matcher:\n"
	"  connstring: host=clair-db port=5432 dbname=clair user=clair sslmode=disable\n"
	"  max_conn_pool: 100\n"
	"  migrations: true\n"
	"  indexer_addr: clair-indexer\n"
	"notifier:\n"
	"  connstring: host=clair-db port=5432 dbname=clair user=clair sslmode=disable\n"
	"  delivery_interval: 1m\n"
	"  poll_interval: 5m\n"
	"  migrations: true\n"
	"auth:\n"
	"  psk:\n"
	"    key: \"MTU5YzA4Y2ZkNzJoMQ==\"\n"
	"    iss: [\"quay\", \"clairctl\"]\n"
	"metrics:\n"
	"  name: \"prometheus\"\n"
	"wat: 1\n";

static void test_clair_config(void **st)
{
	vigil_server_config c;
	struct warns w = { 0 };
	srv_config_defaults(&c);
	assert_int_equal(srv_config_parse("config.yaml", clair_config, strlen(clair_config), &c, on_warn, &w), 0);
	assert_string_equal(c.http_listen_addr, "0.0.0.0:6060");
	assert_string_equal(c.introspection_addr, "0.0.0.0:8089");
	assert_string_equal(c.log_level, "debug");
	assert_string_equal(c.indexer_connstring,
			    "host=clair-db port=5432 dbname=clair user=clair sslmode=disable");
	assert_string_equal(c.matcher_connstring, c.indexer_connstring);
	assert_int_equal(c.auth_psk_len, 13);
	assert_memory_equal(c.auth_psk, "159c08cfd72h1", 13); /* "MTU5YzA4Y2ZkNzJoMQ==" */
	assert_int_equal(c.n_issuers, 2);
	assert_string_equal(c.auth_issuers[0], "quay");
	assert_string_equal(c.auth_issuers[1], "clairctl");
	assert_string_equal(c.mode, "combo");
	/* used keys give nothing; Clair's others and unknown ones warn by name */
	assert_non_null(strstr(w.all, "line 7: indexer.scanlock_retry: Clair key not used by vigil"));
	assert_non_null(strstr(w.all, "matcher.max_conn_pool: Clair key not used"));
	assert_non_null(strstr(w.all, "notifier.migrations: Clair key not used"));
	assert_true(c.notifier_on);
	assert_int_equal(c.notify_poll_s, 300);
	assert_int_equal(c.notify_delivery_s, 60);
	assert_non_null(strstr(w.all, "metrics: Clair key not used"));
	assert_non_null(strstr(w.all, "line 26: wat: unknown key"));
	assert_null(strstr(w.all, "connstring"));
	assert_null(strstr(w.all, "http_listen_addr"));
}

static void test_notifier_keys(void **st)
{
	static const char y[] = "notifier:\n"
				"  poll_interval: 2s\n"
				"  delivery_interval: 1m\n"
				"  retention: 720h\n"
				"  attempt_timeout: 10s\n"
				"  webhook:\n"
				"    target: http://127.0.0.1:9000/hook\n"
				"    callback: http://clair:6060/notifier/api/v1/notification/\n"
				"    signed: true\n"
				"    headers:\n"
				"      X-One: [a, b]\n"
				"      X-Two: c\n";
	vigil_server_config c;
	struct warns w = { 0 };
	(void)st;
	srv_config_defaults(&c);
	assert_false(c.notifier_on);
	assert_int_equal(srv_config_parse("n.yaml", y, strlen(y), &c, on_warn, &w), 0);
	assert_true(c.notifier_on);
	assert_int_equal(c.notify_poll_s, 2);
	assert_int_equal(c.notify_delivery_s, 60);
	assert_int_equal(c.notify_retention_s, 720 * 3600);
	assert_int_equal(c.notify_timeout_s, 10);
	assert_string_equal(c.webhook_target, "http://127.0.0.1:9000/hook");
	assert_string_equal(c.webhook_callback, "http://clair:6060/notifier/api/v1/notification/");
	assert_true(c.webhook_signed);
	assert_int_equal(c.n_webhook_headers, 3);
	assert_string_equal(c.webhook_headers[0], "X-One: a");
	assert_string_equal(c.webhook_headers[1], "X-One: b");
	assert_string_equal(c.webhook_headers[2], "X-Two: c");
	assert_int_equal(w.n, 0);
}

static void test_defaults_and_empty(void **st)
{
	vigil_server_config c;
	srv_config_defaults(&c);
	assert_string_equal(c.http_listen_addr, ":6060");
	assert_string_equal(c.introspection_addr, ":8089");
	assert_string_equal(c.log_level, "info");
	assert_string_equal(c.mode, "combo");
	assert_int_equal(c.auth_psk_len, 0);
	/* empty file, and Clair's reference with "" and nil everywhere: defaults */
	assert_int_equal(srv_config_parse("e", "", 0, &c, NULL, NULL), 0);
	const char *ref = "http_listen_addr: \"\"\nintrospection_addr: \"\"\nlog_level: \"\"\ntls: {}\n"
			  "indexer:\n  connstring: \"\"\nmatcher:\n  connstring: \"\"\nauth:\n  psk: nil\n";
	/* psk: nil is the string "nil", not a mapping: Clair's docs print Go's nil */
	assert_int_equal(srv_config_parse("ref", ref, strlen(ref), &c, NULL, NULL), VIGIL_EFORMAT);
	const char *ref2 = "http_listen_addr: \"\"\nlog_level: \"\"\nindexer:\n  connstring: \"\"\nauth:\n  psk: ~\n";
	assert_int_equal(srv_config_parse("ref", ref2, strlen(ref2), &c, NULL, NULL), 0);
	assert_string_equal(c.http_listen_addr, ":6060");
	assert_string_equal(c.log_level, "info");
	/* vigil's own keys, a single issuer, a folded key (Red Hat's example) */
	const char *own = "mode: indexer\nthreads: 8\nauth:\n  psk:\n    key: >-\n"
			  "      MDQ4ODBlNDAtNDc0ZC00MWUxLThhMzAtOTk0MzEwMGQwYTMxCg==\n    iss: 'issuer'\n";
	assert_int_equal(srv_config_parse("own", own, strlen(own), &c, NULL, NULL), 0);
	assert_string_equal(c.mode, "indexer");
	assert_int_equal(c.threads, 8);
	assert_int_equal(c.n_issuers, 1);
	assert_string_equal(c.auth_issuers[0], "issuer");
	assert_int_equal(c.auth_psk_len, 37);
	assert_memory_equal(c.auth_psk, "04880e40-474d-41e1-8a30-9943100d0a31\n", 37);
}

static void expect_error(const char *yaml, int code, const char *msg)
{
	vigil_server_config c, before;
	srv_config_defaults(&c);
	before = c;
	assert_int_equal(srv_config_parse("bad.yaml", yaml, strlen(yaml), &c, NULL, NULL), code);
	if (!strstr(vigil_error_message(), msg))
		fail_msg("'%s' not in '%s'", msg, vigil_error_message());
	assert_memory_equal(&c, &before, sizeof(c)); /* nothing applied */
}

static void test_bad_values(void **st)
{
	expect_error("http_listen_addr: [1, 2]\n", VIGIL_EFORMAT, "bad.yaml: line 1: http_listen_addr: not a string");
	expect_error("log_level: info\nauth:\n  psk:\n    key: 'not base64!'\n", VIGIL_EFORMAT,
		     "line 4: auth.psk.key: not valid base64");
	expect_error("auth:\n  psk:\n    key: abc\n", VIGIL_EFORMAT, "auth.psk.key: not valid base64");
	expect_error("auth:\n  psk:\n    key: c2VjcmV0\n    iss: {a: b}\n", VIGIL_EFORMAT,
		     "line 4: auth.psk.iss: not a list of strings");
	expect_error("auth:\n  psk:\n    iss: [[a]]\n", VIGIL_EFORMAT, "auth.psk.iss: an issuer is not a string");
	expect_error("log_level: loud\n", VIGIL_EFORMAT, "log_level: not one of");
	/* the notifier's keys */
	expect_error("notifier:\n  amqp:\n    direct: true\n", VIGIL_EFORMAT,
		     "line 3: notifier.amqp: uris: at least one broker is required");
	expect_error("notifier:\n  stomp: {}\n", VIGIL_EFORMAT, "notifier.stomp: uris: at least one broker is required");
	expect_error("notifier:\n  webhook:\n    target: ftp://x/\n", VIGIL_EFORMAT,
		     "notifier.webhook.target: not an http or https URL");
	expect_error("notifier:\n  webhook:\n    target: http://x/\n", VIGIL_EFORMAT,
		     "notifier.webhook: target and callback are both required");
	expect_error("notifier:\n  webhook:\n    target: http://x/\n    callback: http://y/\n"
		     "    headers:\n      'X-A': \"a\\r\\nInjected: 1\"\n", VIGIL_EFORMAT,
		     "notifier.webhook.headers.X-A: a header name or value with a line break");
	expect_error("notifier:\n  poll_interval: soon\n", VIGIL_EFORMAT, "notifier.poll_interval: not a duration");
	expect_error("mode: notifier\n", VIGIL_EFORMAT, "mode: not one of combo");
	expect_error("threads: -1\n", VIGIL_EFORMAT, "threads: not a number");
	expect_error("threads: 5000\n", VIGIL_EFORMAT, "threads: more than 1024");
	expect_error("indexer: 3\n", VIGIL_EFORMAT, "line 1: indexer: not a mapping");
	expect_error("- a\n- b\n", VIGIL_EFORMAT, "(top): not a mapping");
	expect_error("a: [\n", VIGIL_EFORMAT, "bad.yaml: line");
	expect_error("[a, b]: 1\n", VIGIL_EFORMAT, "a key is not a string");

	/* limits: a long value, too many issuers, a long key, depth, size */
	char big[2048];
	snprintf(big, sizeof(big), "log_level: %0200d\n", 0);
	expect_error(big, VIGIL_EFORMAT, "log_level: longer than 15 bytes");
	char iss[1024] = "auth:\n  psk:\n    iss: [";
	for (int i = 0; i < 17; i++)
		strcat(iss, i ? ", x" : "x");
	strcat(iss, "]\n");
	expect_error(iss, VIGIL_EFORMAT, "more than 16 issuers");
	char key[2048] = "auth:\n  psk:\n    key: ";
	for (int i = 0; i < 180; i++)
		strcat(key, "QUFB"); /* 540 bytes decoded */
	strcat(key, "\n");
	expect_error(key, VIGIL_EFORMAT, "auth.psk.key: key longer than 512 bytes");
	char deep[1024] = "";
	for (int i = 0; i < 40; i++)
		strcat(deep, "[");
	for (int i = 0; i < 40; i++)
		strcat(deep, "]");
	char deepdoc[1200];
	snprintf(deepdoc, sizeof(deepdoc), "auth:\n  psk:\n    iss: %s\n", deep);
	expect_error(deepdoc, VIGIL_EFORMAT, "auth.psk.iss");
	char nested[2048] = "";
	for (int i = 0; i < 40; i++) {
		char lvl[128];
		snprintf(lvl, sizeof(lvl), "%*sauth:\n", 2 * i, "");
		strcat(nested, lvl);
	}
	vigil_server_config c;
	srv_config_defaults(&c);
	struct warns w = { 0 };
	assert_int_equal(srv_config_parse("n", nested, strlen(nested), &c, on_warn, &w), 0); /* auth.auth: unknown */
	size_t huge = (size_t)1024 * 1024 + 1;
	char *h = malloc(huge);
	memset(h, '#', huge);
	assert_int_equal(srv_config_parse("h", h, huge, &c, NULL, NULL), VIGIL_ELIMIT);
	free(h);
	/* billion laughs: aliases are visited node by node, capped */
	const char *laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
			     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
			     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
			     "auth: {psk: {iss: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]}}\n";
	assert_int_equal(srv_config_parse("l", laughs, strlen(laughs), &c, NULL, NULL), VIGIL_EFORMAT);
}

/* The indexing gate, the report cache and the shutdown grace (issue 11). */
/* matcher.period, Go's duration syntax, into the periodic update's period
 * when --update-period is not given; matcher.disable_updaters turns it
 * off (issue 12: it was ignored, so nothing updated). */
static void test_matcher_period(void **st)
{
	static const struct {
		const char *text;
		long s;
	} ok[] = { { "30m", 1800 },	{ "6h", 21600 },   { "1h30m", 5400 }, { "90s", 90 },
		   { "1.5h", 5400 },	{ "2h45m30s", 9930 }, { "\"45s\"", 45 }, { "+10m", 600 },
		   { "1500ms", 1 },	{ "8760h", 31536000 } };
	static const char *const bad[] = { "30",  "-5m", "1h30", "h",  "1x",   "1.h5", "0", "500ms",
					   "0s", "9000h", "1d",  "m30", "[1]", "1 h" };
	char y[256];
	struct warns w = { 0 };
	vigil_server_config c;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		srv_config_defaults(&c);
		snprintf(y, sizeof(y), "matcher:\n  period: %s\n", ok[i].text);
		if (srv_config_parse("p.yaml", y, strlen(y), &c, on_warn, &w) != 0)
			fail_msg("%s: %s", ok[i].text, vigil_error_message());
		if (c.update_period_s != ok[i].s)
			fail_msg("%s: %ld s, want %ld", ok[i].text, c.update_period_s, ok[i].s);
		assert_int_equal(srv_config_update_period(&c, 0), ok[i].s);
		assert_int_equal(srv_config_update_period(&c, 7), 7); /* --update-period wins */
	}
	assert_null(strstr(w.all, "period")); /* read, not "Clair key not used" */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		srv_config_defaults(&c);
		snprintf(y, sizeof(y), "matcher:\n  period: %s\n", bad[i]);
		if (srv_config_parse("p.yaml", y, strlen(y), &c, NULL, NULL) != VIGIL_EFORMAT)
			fail_msg("'%s' accepted (%ld s)", bad[i], c.update_period_s);
		if (!strstr(vigil_error_message(), "p.yaml: line 2: matcher.period: "))
			fail_msg("'%s': %s", bad[i], vigil_error_message());
	}
	/* the parser itself: Go's units and the cap */
	long t = -1;
	assert_int_equal(srv_go_duration("2500000000ns", 100, &t), 0);
	assert_int_equal(t, 2);
	assert_int_equal(srv_go_duration("3000000\xc2\xb5s", 100, &t), 0);
	assert_int_equal(t, 3);
	assert_int_equal(srv_go_duration("0", 100, &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(srv_go_duration("101s", 100, &t), -1);
	assert_int_equal(srv_go_duration("99999999999999999999h", 100, &t), -1);
	assert_int_equal(srv_go_duration("", 100, &t), -1);
	/* no period: no update, as before */
	srv_config_defaults(&c);
	assert_int_equal(srv_config_update_period(&c, 0), 0);
	/* disable_updaters: true turns the config's period off */
	const char *off = "matcher:\n  period: 6h\n  disable_updaters: true\n";
	assert_int_equal(srv_config_parse("off", off, strlen(off), &c, on_warn, &w), 0);
	assert_int_equal(c.update_period_s, 21600);
	assert_true(c.disable_updaters);
	assert_int_equal(srv_config_update_period(&c, 0), 0);
	const char *on = "matcher:\n  period: 1h\n  disable_updaters: false\n";
	srv_config_defaults(&c);
	assert_int_equal(srv_config_parse("on", on, strlen(on), &c, on_warn, &w), 0);
	assert_int_equal(srv_config_update_period(&c, 0), 3600);
	assert_null(strstr(w.all, "disable_updaters"));
	const char *notbool = "matcher:\n  disable_updaters: maybe\n";
	assert_int_equal(srv_config_parse("nb", notbool, strlen(notbool), &c, NULL, NULL), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "nb: line 2: matcher.disable_updaters: not true or false"));
	(void)st;
}

static void test_limits(void **st)
{
	vigil_server_config c;
	(void)st;
	srv_config_defaults(&c);
	assert_int_equal(c.index_concurrency, 0);
	assert_int_equal(c.index_queue, SRV_INDEX_QUEUE);
	assert_true(c.report_cache_bytes == SRV_RCACHE_DEFAULT);
	assert_int_equal(c.shutdown_grace_s, SRV_SHUTDOWN_GRACE_S);
	struct warns w = { 0 };
	const char *y = "indexer:\n  index_report_request_concurrency: 3\n  index_report_queue: 0\n"
			"report_cache_bytes: 64MiB\nshutdown_grace: 5\n";
	assert_int_equal(srv_config_parse("l", y, strlen(y), &c, on_warn, &w), 0);
	assert_int_equal(w.n, 0); /* Clair's key is used now, not warned about */
	assert_int_equal(c.index_concurrency, 3);
	assert_int_equal(c.index_queue, 0);
	assert_true(c.report_cache_bytes == 64LL * 1024 * 1024);
	assert_int_equal(c.shutdown_grace_s, 5);
	const char *y2 = "indexer:\n  index_report_request_concurrency: -1\nreport_cache_bytes: 1000\n";
	assert_int_equal(srv_config_parse("l", y2, strlen(y2), &c, NULL, NULL), 0);
	assert_int_equal(c.index_concurrency, -1);
	assert_true(c.report_cache_bytes == 1000);
	expect_error("report_cache_bytes: lots\n", VIGIL_EFORMAT, "line 1: report_cache_bytes: not a number");
	expect_error("report_cache_bytes: -5\n", VIGIL_EFORMAT, "report_cache_bytes: not a number");
	expect_error("report_cache_bytes: 5T\n", VIGIL_EFORMAT, "report_cache_bytes: not a number");
	expect_error("shutdown_grace: 100000\n", VIGIL_EFORMAT, "shutdown_grace: out of range");
	expect_error("indexer:\n  index_report_queue: -1\n", VIGIL_EFORMAT, "indexer.index_report_queue: not a number");
	expect_error("indexer:\n  index_report_queue: 99999999999999999999\n", VIGIL_EFORMAT,
		     "indexer.index_report_queue: out of range");
}

static void test_load_file(void **st)
{
	char path[] = "/tmp/vigil-config-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, clair_config, strlen(clair_config)), (ssize_t)strlen(clair_config));
	close(fd);
	vigil_server_config c;
	srv_config_defaults(&c);
	assert_int_equal(srv_config_load(path, &c, NULL, NULL), 0);
	assert_int_equal(c.n_issuers, 2);
	unlink(path);
	assert_int_equal(srv_config_load(path, &c, NULL, NULL), VIGIL_EIO);
	assert_non_null(strstr(vigil_error_message(), path));
}

/* Clair 2's config (coreos/clair v2's config.example.yaml, as the
 * tutorials deploy it): the clair: layout was a warning "clair: unknown
 * key" and none of its settings applied. */
static const char clair2_config[] =
	"clair:\n"
	"  database:\n"
	"    type: pgsql\n"
	"    options:\n"
	"      source: host=localhost port=5432 user=postgres sslmode=disable statement_timeout=60000\n"
	"      cachesize: 16384\n"
	"  api:\n"
	"    port: 6060\n"
	"    healthport: 6061\n"
	"    timeout: 900s\n"
	"    paginationkey:\n"
	"    servername:\n"
	"    cafile:\n"
	"    keyfile:\n"
	"    certfile:\n"
	"  updater:\n"
	"    interval: 2h\n"
	"    enabledupdaters: [debian, ubuntu]\n"
	"  notifier:\n"
	"    attempts: 3\n"
	"    renotifyinterval: 2h\n"
	"    http:\n"
	"      endpoint:\n"
	"  wat: 1\n";

static void test_clair2_config(void **st)
{
	vigil_server_config c;
	struct warns w = { 0 };
	srv_config_defaults(&c);
	assert_int_equal(srv_config_parse("clair2.yaml", clair2_config, strlen(clair2_config), &c, on_warn, &w), 0);
	assert_string_equal(c.http_listen_addr, ":6060");
	assert_string_equal(c.introspection_addr, ":6061"); /* GET /health there */
	/* libpq refuses statement_timeout as a keyword: a setting in options, as lib/pq sent it */
	assert_string_equal(c.indexer_connstring, "host='localhost' port='5432' user='postgres' sslmode='disable' "
						  "options='-c statement_timeout=60000'");
	assert_int_equal(c.update_period_s, 7200);
	/* keys read but not used warn by name; the ones applied do not */
	assert_non_null(strstr(w.all, "line 3: clair.database.type: Clair 2 key not used by vigil"));
	assert_non_null(strstr(w.all, "clair.database.options.cachesize: Clair 2 key not used"));
	assert_non_null(strstr(w.all, "clair.api.timeout: Clair 2 key not used"));
	assert_non_null(strstr(w.all, "clair.updater.enabledupdaters: Clair 2 key not used"));
	assert_non_null(strstr(w.all, "clair.notifier: Clair 2 key not used"));
	assert_non_null(strstr(w.all, "line 24: clair.wat: unknown key"));
	assert_null(strstr(w.all, "clair.api.port"));
	assert_null(strstr(w.all, "healthport"));
	assert_null(strstr(w.all, "source"));
	assert_null(strstr(w.all, "interval: "));
	assert_null(strstr(w.all, "clair: unknown"));
	/* other ports, durations; 0 turns the updater off, as Clair 2 */
	const char *y = "clair:\n  api:\n    port: 16060\n    healthport: 16061\n  updater:\n    interval: 1h30m\n";
	assert_int_equal(srv_config_parse("y", y, strlen(y), &c, NULL, NULL), 0);
	assert_string_equal(c.http_listen_addr, ":16060");
	assert_string_equal(c.introspection_addr, ":16061");
	assert_int_equal(c.update_period_s, 5400);
	y = "clair:\n  updater:\n    interval: 0\n";
	assert_int_equal(srv_config_parse("y", y, strlen(y), &c, NULL, NULL), 0);
	assert_true(c.disable_updaters);
	assert_int_equal(srv_config_update_period(&c, 0), 0);
	y = "clair:\n  updater:\n    interval: 90s\n";
	assert_int_equal(srv_config_parse("y", y, strlen(y), &c, NULL, NULL), 0);
	assert_int_equal(c.update_period_s, 90);
}

static void test_clair2_bad_values(void **st)
{
	expect_error("clair:\n  api:\n    port: 70000\n", VIGIL_EFORMAT, "line 3: clair.api.port: out of range");
	expect_error("clair:\n  api:\n    healthport: x\n", VIGIL_EFORMAT, "line 3: clair.api.healthport: not a number");
	expect_error("clair:\n  updater:\n    interval: 2 hours\n", VIGIL_EFORMAT,
		     "line 3: clair.updater.interval: not a duration");
	expect_error("clair:\n  updater:\n    interval: 100ms\n", VIGIL_EFORMAT, "clair.updater.interval: shorter than 1 s");
	expect_error("clair:\n  updater:\n    interval: 800h\n", VIGIL_EFORMAT, "of at most 30 days");
	expect_error("clair:\n  database:\n    options:\n      source: [a]\n", VIGIL_EFORMAT,
		     "line 4: clair.database.options.source: not a string");
	/* failing closed: Clair 2 asked clients for a certificate */
	expect_error("clair:\n  api:\n    cafile: /etc/clair/ca.pem\n", VIGIL_EFORMAT,
		     "line 3: clair.api.cafile: client certificate authentication is not supported");
	expect_error("clair: 1\n", VIGIL_EFORMAT, "line 1: clair: not a mapping");
}

static void test_clair2_dsn(void **st)
{
	char out[256];
	const char *why;
	assert_int_equal(srv_clair2_dsn("postgresql://u:p@db/clair?sslmode=disable", out, sizeof(out), &why), 0);
	assert_string_equal(out, "postgresql://u:p@db/clair?sslmode=disable");
	assert_int_equal(srv_clair2_dsn("/var/lib/vigil.db", out, sizeof(out), &why), 0);
	assert_string_equal(out, "/var/lib/vigil.db");
	assert_int_equal(srv_clair2_dsn(" host = db  password='it''s' dbname=clair", out, sizeof(out), &why), -1);
	assert_int_equal(srv_clair2_dsn("host=db password='it\\'s a \\\\ pw' options='-c search_path=x' lock_timeout=5s",
					out, sizeof(out), &why), 0);
	assert_string_equal(out, "host='db' password='it\\'s a \\\\ pw' options='-c search_path=x -c lock_timeout=5s'");
	assert_int_equal(srv_clair2_dsn("host=db statement_timeout='1 min'", out, sizeof(out), &why), -1);
	assert_non_null(strstr(why, "white space"));
	assert_int_equal(srv_clair2_dsn("host=db =x", out, sizeof(out), &why), -1);
	assert_int_equal(srv_clair2_dsn("host=db port", out, sizeof(out), &why), -1);
	assert_int_equal(srv_clair2_dsn("host=db password='open", out, sizeof(out), &why), -1);
	assert_int_equal(srv_clair2_dsn("host=a-very-long-host-name-indeed", out, 16, &why), -1);
	assert_string_equal(why, "too long");
	long t = 0;
	assert_int_equal(srv_go_duration("1h30m15s", 86400, &t), 0);
	assert_int_equal(t, 5415);
	assert_int_equal(srv_go_duration("25h", 86400, &t), -1);
	assert_int_equal(srv_go_duration("99999999999999999999h", 86400, &t), -1);
	assert_int_equal(srv_go_duration("1.5h", 86400, &t), 0);
	assert_int_equal(t, 5400);
	assert_int_equal(srv_go_duration("h", 86400, &t), -1);
	assert_int_equal(srv_go_duration("", 86400, &t), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clair_config),
		cmocka_unit_test(test_defaults_and_empty),
		cmocka_unit_test(test_notifier_keys),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_clair2_config),
		cmocka_unit_test(test_clair2_bad_values),
		cmocka_unit_test(test_clair2_dsn),
		cmocka_unit_test(test_matcher_period),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
