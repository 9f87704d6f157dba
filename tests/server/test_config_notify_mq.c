/* tests/server/test_config_notify_mq.c: Clair's notifier.amqp and
 * notifier.stomp blocks (server/config_notify_mq.c) read from YAML
 * snippets shaped like Clair's config reference: every key into the
 * target, Clair's checks and warnings (trailing '/', rollup 1, callback
 * with direct), vigil's (destination, callback), near-miss key names,
 * bad values naming key and line; and the same through cfg_notify_mq()
 * on a node, as the notifier's config handling will call it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/config_notify_mq.h"
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

static vigil_notify_mq T[2];
static size_t N;
static struct warns W;

static int load(const char *yaml)
{
	memset(&W, 0, sizeof(W));
	return srv_notify_mq_parse("c.yaml", yaml, strlen(yaml), T, &N, on_warn, &W);
}

static void clear(void)
{
	for (size_t i = 0; i < N; i++)
		vigil_notify_mq_clear(&T[i]);
	N = 0;
}

static const char full[] = "notifier:\n"
			   "  connstring: host=db\n"
			   "  amqp:\n"
			   "    exchange:\n"
			   "      name: clair\n"
			   "      type: topic\n"
			   "      durability: true\n"
			   "      auto_delete: false\n"
			   "    uris: [\"amqp://u:pw@mq1:5672/vh\", \"amqps://mq2:5671/\"]\n"
			   "    routing_key: notifications\n"
			   "    callback: http://clair-notifier/notifier/api/v1/notification\n"
			   "    rollup: 5\n"
			   "    tls: {root_ca: /ca.pem, cert: /c.pem, key: /k.pem}\n"
			   "  stomp:\n"
			   "    uris: [\"mq3:61613\"]\n"
			   "    destination: /queue/clair\n"
			   "    direct: true\n"
			   "    rollup: 1\n"
			   "    callback: http://ignored/\n"
			   "    user:\n"
			   "      login: clair\n"
			   "      passcode: s3cret\n";

static void test_full(void **state)
{
	assert_int_equal(load(full), 0);
	assert_int_equal(N, 2);
	const vigil_notify_mq *a = &T[0], *s = &T[1];
	assert_int_equal(a->kind, VIGIL_NOTIFY_AMQP);
	assert_string_equal(a->exchange, "clair");
	assert_string_equal(a->exchange_type, "topic");
	assert_int_equal(a->durable, 1);
	assert_int_equal(a->auto_delete, 0);
	assert_int_equal(a->n_uris, 2);
	assert_string_equal(a->uris[0], "amqp://u:pw@mq1:5672/vh");
	assert_string_equal(a->uris[1], "amqps://mq2:5671/");
	assert_string_equal(a->routing_key, "notifications");
	/* Clair appends the '/' with a warning */
	assert_string_equal(a->callback, "http://clair-notifier/notifier/api/v1/notification/");
	assert_non_null(strstr(W.all, "c.yaml: line 4: notifier.amqp.callback: URL should end in a \"/\""));
	assert_int_equal(a->rollup, 5);
	assert_int_equal(a->direct, 0);
	assert_int_equal(a->tls, 1);
	assert_string_equal(a->tls_root_ca, "/ca.pem");
	assert_string_equal(a->tls_cert, "/c.pem");
	assert_string_equal(a->tls_key, "/k.pem");

	assert_int_equal(s->kind, VIGIL_NOTIFY_STOMP);
	assert_string_equal(s->uris[0], "mq3:61613");
	assert_string_equal(s->destination, "/queue/clair");
	assert_int_equal(s->direct, 1);
	assert_string_equal(s->login, "clair");
	assert_string_equal(s->passcode, "s3cret");
	assert_int_equal(s->tls, 0);
	assert_non_null(strstr(W.all, "notifier.stomp.rollup: set to 1: this means nothing"));
	assert_non_null(strstr(W.all, "notifier.stomp: callback and direct set: callback will be ignored"));
	assert_int_equal(W.n, 3);
	clear();
}

static void test_absent_and_near_misses(void **state)
{
	assert_int_equal(load("notifier:\n  webhook: {target: http://x/}\n"), 0);
	assert_int_equal(N, 0);
	assert_int_equal(load("http_listen_addr: :6060\n"), 0);
	assert_int_equal(N, 0);
	assert_int_equal(load(""), 0);
	assert_int_equal(N, 0);
	/* the brief's names are not Clair's: warned, not taken */
	assert_int_equal(load("notifier:\n"
			      "  amqp:\n"
			      "    uris: [amqp://mq]\n"
			      "    routing_key: k\n"
			      "    direct: true\n"
			      "    exchange: {name: e, type: direct, durable: true}\n"
			      "    wat: 1\n"
			      "  stomp:\n"
			      "    uris: [mq:61613]\n"
			      "    destination: /topic/t\n"
			      "    direct: true\n"
			      "    login: {login: a, passcode: b}\n"),
			 0);
	assert_int_equal(N, 2);
	assert_int_equal(T[0].durable, 0);
	assert_null(T[1].login);
	assert_non_null(strstr(W.all, "line 6: notifier.amqp.exchange.durable: unknown key, ignored (Clair's key "
				      "is exchange.durability)"));
	assert_non_null(strstr(W.all, "line 7: notifier.amqp.wat: unknown key, ignored"));
	assert_non_null(strstr(W.all, "line 12: notifier.stomp.login: unknown key, ignored (Clair's key is user:"));
	clear();
}

static void test_errors(void **state)
{
	static const struct {
		const char *yaml, *want;
	} cases[] = {
		{ "notifier:\n  amqp:\n    routing_key: k\n    direct: true\n",
		  "c.yaml: line 3: notifier.amqp: uris: at least one broker is required" },
		{ "notifier:\n  amqp:\n    uris: [amqp://mq]\n    direct: true\n",
		  "line 3: notifier.amqp: routing_key: required" },
		{ "notifier:\n  amqp:\n    uris: [amqp://mq]\n    routing_key: k\n",
		  "notifier.amqp: callback: required unless direct is true" },
		{ "notifier:\n  amqp:\n    uris: [amqp://mq]\n    routing_key: k\n    direct: true\n"
		  "    exchange: {name: e}\n",
		  "exchange.type: required with exchange.name" },
		{ "notifier:\n  amqp:\n    uris: [\"http://u:pw@mq\"]\n    routing_key: k\n    direct: true\n",
		  "http://***@mq: not an amqp:// or amqps:// URI" },
		{ "notifier:\n  amqp:\n    uris: amqp://mq\n", "line 3: notifier.amqp.uris: not a list of strings" },
		{ "notifier:\n  amqp:\n    uris: [[a]]\n", "notifier.amqp.uris: a URI is not a string" },
		{ "notifier:\n  amqp:\n    direct: maybe\n", "line 3: notifier.amqp.direct: not true or false" },
		{ "notifier:\n  amqp:\n    rollup: -1\n", "notifier.amqp.rollup: not a number" },
		{ "notifier:\n  amqp:\n    rollup: 100001\n", "notifier.amqp.rollup: out of range (0..100000)" },
		{ "notifier:\n  amqp:\n    exchange: [x]\n", "notifier.amqp.exchange: not a mapping" },
		{ "notifier:\n  amqp: 5\n", "line 2: notifier.amqp: not a mapping" },
		{ "notifier:\n  stomp:\n    uris: [mq:61613]\n    direct: true\n",
		  "notifier.stomp: destination: required" },
		{ "notifier:\n  stomp:\n    uris: [mq]\n    destination: /q/x\n    direct: true\n",
		  "mq: no port (Clair's STOMP URIs are host:port)" },
		{ "notifier:\n  stomp:\n    uris: [\"stomp://mq:1\"]\n    destination: /q/x\n    direct: true\n"
		  "    user: {login: [a]}\n",
		  "notifier.stomp.user.login: not a string" },
		{ "notifier:\n  amqp: {uris: [\n", "c.yaml: line" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = load(cases[i].yaml);
		if (rc >= 0 || !strstr(vigil_error_message(), cases[i].want))
			fail_msg("case %zu: rc %d, message \"%s\", want \"%s\"", i, rc, vigil_error_message(),
				 cases[i].want);
		assert_int_equal(N, 0);
	}
	/* the limit on URIs */
	char yaml[4096] = "notifier:\n  amqp:\n    routing_key: k\n    direct: true\n    uris:\n";
	for (int i = 0; i < 65; i++)
		snprintf(yaml + strlen(yaml), sizeof(yaml) - strlen(yaml), "    - amqp://mq%d\n", i);
	assert_int_equal(load(yaml), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "more than 64 URIs"));
}

/* cfg_notify_mq() on a node, as config.c's notifier handling calls it. */
static void test_node(void **state)
{
	static const char y[] = "destination: /queue/q\nuris: [\"stomp+ssl://mq:61614\"]\ncallback: http://n/x/\n"
				"tls: {root_ca: /ca}\n";
	yaml_parser_t p;
	yaml_document_t doc;
	vigil_notify_mq out;
	struct cfg g = { .path = "snippet", .doc = &doc, .warn = on_warn, .ud = &W };
	assert_true(yaml_parser_initialize(&p));
	yaml_parser_set_input_string(&p, (const unsigned char *)y, strlen(y));
	assert_true(yaml_parser_load(&p, &doc));
	assert_int_equal(cfg_notify_mq(&g, yaml_document_get_root_node(&doc), VIGIL_NOTIFY_STOMP, &out), 0);
	assert_string_equal(out.destination, "/queue/q");
	assert_string_equal(out.callback, "http://n/x/");
	assert_int_equal(out.tls, 1);
	assert_string_equal(out.tls_root_ca, "/ca");
	assert_int_equal(vigil_notify_mq_check(&out), 0);
	vigil_notify_mq_clear(&out);
	assert_null(out.uris);
	assert_int_equal(cfg_notify_mq(&g, yaml_document_get_root_node(&doc), VIGIL_NOTIFY_AMQP, &out),
			 VIGIL_EFORMAT); /* no routing_key; stomp keys unknown there */
	assert_null(out.uris);
	yaml_document_delete(&doc);
	yaml_parser_delete(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_absent_and_near_misses),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_node),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
