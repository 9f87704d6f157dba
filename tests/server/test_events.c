/* tests/server/test_events.c: push-triggered scanning's pure parts: the
 * registry notification envelope (server/events_parse.c) on the bodies
 * Debian's docker-registry 2.8.2 posted (fuzz corpus) and on edge cases,
 * distribution's repository grammar, and the registry_events: config
 * section (server/events_conf.c): defaults, secrets from the environment
 * and files, and errors naming key and line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/events.h"
#include "server/server.h"
#include "util/error.h"

static char *slurp(const char *name, size_t *len)
{
	char path[1024];
	const char *src = getenv("VIGIL_SOURCE_DIR");
	snprintf(path, sizeof(path), "%s/fuzz/corpus/fuzz_srv_registry_events/%s", src ? src : ".", name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *b = malloc(1 << 16);
	assert_non_null(b);
	*len = fread(b, 1, 1 << 16, f);
	fclose(f);
	return b;
}

/* One event of a corpus body: its kind (and the event into *out). */
static srv_ev_kind one(const char *name, srv_event *out)
{
	size_t len;
	char *b = slurp(name, &len), msg[512];
	srv_event_batch batch;
	assert_int_equal(srv_events_parse(b, len, &batch, msg, sizeof(msg)), 0);
	assert_int_equal(batch.n, 1);
	*out = batch.ev[0];
	srv_events_batch_free(&batch);
	free(b);
	return out->kind;
}

static void test_real_bodies(void **state)
{
	srv_event e;
	(void)state;
	assert_int_equal(one("manifest-push-tag.json", &e), SRV_EV_MANIFEST);
	assert_string_equal(e.repo, "demo/app");
	assert_string_equal(e.tag, "v2");
	assert_string_equal(e.digest, "sha256:54951427eb71a40d6b91939813d74da34386b8e61daa10ab0f67ab815a5bf9c7");
	assert_string_equal(e.host, "127.0.0.1:47112");
	assert_string_equal(e.url_host, "127.0.0.1:47112");
	assert_int_equal(one("manifest-push-digest.json", &e), SRV_EV_MANIFEST);
	assert_string_equal(e.tag, "");
	assert_int_equal(one("index-push.json", &e), SRV_EV_INDEX);
	assert_string_equal(e.repo, "demo/multi");
	assert_int_equal(one("blob-push.json", &e), SRV_EV_IGNORE);
	assert_non_null(strstr(e.why, "application/octet-stream"));
	assert_int_equal(one("blob-pull.json", &e), SRV_EV_IGNORE);
	assert_int_equal(one("blob-mount.json", &e), SRV_EV_IGNORE);
	assert_int_equal(one("manifest-delete.json", &e), SRV_EV_IGNORE);
	assert_non_null(strstr(e.why, "\"delete\""));
	assert_int_equal(one("tag-delete.json", &e), SRV_EV_IGNORE);
}

static int parse(const char *body, srv_event_batch *b, char *msg)
{
	return srv_events_parse(body, strlen(body), b, msg, 512);
}

#define D64 "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define PUSH(target, req) "{\"action\":\"push\",\"target\":{\"mediaType\":" \
	"\"application/vnd.docker.distribution.manifest.v2+json\"," target "},\"request\":{" req "}}"

static void test_envelopes(void **state)
{
	srv_event_batch b;
	char msg[512];
	(void)state;
	assert_int_equal(parse("{\"events\": [", &b, msg), 400);
	assert_non_null(strstr(msg, "line 1"));
	assert_int_equal(parse("[]", &b, msg), 400);
	assert_int_equal(parse("{\"events\": 3}", &b, msg), 400);
	assert_int_equal(parse("{}", &b, msg), 0); /* omitempty: no events */
	assert_int_equal(b.n, 0);
	srv_events_batch_free(&b);
	/* depth is checked on the bytes, brackets inside strings do not count */
	char deep[256] = "{\"events\":";
	for (int i = 0; i < SRV_EV_MAX_DEPTH; i++)
		strcat(deep, "[");
	assert_int_equal(parse(deep, &b, msg), 400);
	assert_non_null(strstr(msg, "deeper than 16"));
	assert_int_equal(parse("{\"events\":[{\"id\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}]}", &b, msg), 0);
	assert_int_equal(b.ev[0].kind, SRV_EV_IGNORE); /* no action: asks for nothing */
	srv_events_batch_free(&b);
	/* a mix: one good, one malformed, one of another type: the envelope stands */
	assert_int_equal(parse("{\"events\":[" PUSH("\"digest\":\"" D64 "\",\"repository\":\"a/b\",\"tag\":\"x\"",
						       "\"host\":\"Reg.Example:5000\"")
			       ",7," PUSH("\"digest\":\"sha256:00\",\"repository\":\"a\"", "\"host\":\"r\"")
			       "," PUSH("\"digest\":\"" D64 "\",\"repository\":\"UP\"", "\"host\":\"r\"")
			       "," PUSH("\"digest\":\"" D64 "\",\"repository\":\"a\"", "") "]}",
			       &b, msg),
			 0);
	assert_int_equal(b.n, 5);
	assert_int_equal(b.ev[0].kind, SRV_EV_MANIFEST);
	assert_string_equal(b.ev[0].host, "reg.example:5000"); /* lower case */
	assert_int_equal(b.ev[1].kind, SRV_EV_BAD);
	assert_int_equal(b.ev[2].kind, SRV_EV_BAD);
	assert_non_null(strstr(b.ev[2].why, "digest"));
	assert_int_equal(b.ev[3].kind, SRV_EV_BAD);
	assert_non_null(strstr(b.ev[3].why, "repository"));
	assert_int_equal(b.ev[4].kind, SRV_EV_BAD); /* neither request.host nor target.url */
	srv_events_batch_free(&b);
	/* the host from target.url, userinfo skipped; a bad tag is dropped, not fatal */
	assert_int_equal(parse("{\"events\":[" PUSH("\"digest\":\"" D64 "\",\"repository\":\"a\",\"tag\":\"-x\","
						       "\"url\":\"https://u:p@R:5000/v2/a/manifests/x\"", "") "]}",
			       &b, msg),
			 0);
	assert_int_equal(b.ev[0].kind, SRV_EV_MANIFEST);
	assert_string_equal(b.ev[0].url_host, "r:5000");
	assert_string_equal(b.ev[0].tag, "");
	srv_events_batch_free(&b);
	/* schema 1 and artifacts are ignored */
	assert_int_equal(parse("{\"events\":[{\"action\":\"push\",\"target\":{\"mediaType\":"
			       "\"application/vnd.docker.distribution.manifest.v1+prettyjws\"}}]}", &b, msg), 0);
	assert_int_equal(b.ev[0].kind, SRV_EV_IGNORE);
	srv_events_batch_free(&b);
}

static void test_limits(void **state)
{
	srv_event_batch b;
	char msg[512];
	(void)state;
	char *big = malloc(SRV_EV_MAX_BODY + 2);
	assert_non_null(big);
	memset(big, ' ', SRV_EV_MAX_BODY + 1);
	assert_int_equal(srv_events_parse(big, SRV_EV_MAX_BODY + 1, &b, msg, sizeof(msg)), 413);
	/* SRV_EV_MAX_EVENTS + 1 events */
	size_t k = 0;
	k += (size_t)snprintf(big + k, 32, "{\"events\":[");
	for (int i = 0; i <= SRV_EV_MAX_EVENTS; i++)
		k += (size_t)snprintf(big + k, 32, "%s{}", i ? "," : "");
	k += (size_t)snprintf(big + k, 32, "]}");
	assert_int_equal(srv_events_parse(big, k, &b, msg, sizeof(msg)), 400);
	assert_non_null(strstr(msg, "limit 256"));
	free(big);
}

static void test_repo_grammar(void **state)
{
	static const char *const good[] = { "a", "demo/app", "a/b/c", "a.b", "a_b", "a__b", "a-b", "a---b", "0x/y1", NULL };
	static const char *const bad[] = { "", "A", "a/", "/a", "a//b", "a..b", "a___b", "-a", "a-", "a._b", "a b",
					   "a/../b", "a%2f", NULL };
	(void)state;
	for (size_t i = 0; good[i]; i++)
		assert_true(srv_events_repo_ok(good[i], strlen(good[i])));
	for (size_t i = 0; bad[i]; i++)
		if (srv_events_repo_ok(bad[i], strlen(bad[i])))
			fail_msg("accepted %s", bad[i]);
	char longname[300];
	memset(longname, 'a', sizeof(longname));
	assert_false(srv_events_repo_ok(longname, SRV_EV_MAX_REPO + 1));
	assert_true(srv_events_repo_ok(longname, SRV_EV_MAX_REPO));
}

static int conf(const char *yaml, vigil_server_config *c)
{
	srv_config_defaults(c);
	return srv_config_parse("t.yml", yaml, strlen(yaml), c, NULL, NULL);
}

static void test_config(void **state)
{
	vigil_server_config c;
	char path[] = "/tmp/vigil-test-events-XXXXXX";
	(void)state;
	assert_int_equal(conf("", &c), 0);
	assert_int_equal(c.events.nreg, 0);
	assert_int_equal(c.events.workers, SRV_EV_DEFAULT_WORKERS);
	assert_int_equal(c.events.queue, SRV_EV_DEFAULT_QUEUE);
	assert_string_equal(c.events.platform, "linux/amd64");

	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "pw-from-file\n\n", 14), 14);
	close(fd);
	setenv("VIGIL_TEST_EV_TOKEN", "tok-from-env", 1);
	char yaml[2048];
	snprintf(yaml, sizeof(yaml),
		 "registry_events:\n"
		 "  token_env: VIGIL_TEST_EV_TOKEN\n"
		 "  workers: 3\n"
		 "  queue: 10\n"
		 "  platform: linux/arm64/v8\n"
		 "  registries:\n"
		 "    - host: Registry.Example.com:5000\n"
		 "      username: robot\n"
		 "      password_file: %s\n"
		 "      platform: linux/amd64\n"
		 "    - host: 127.0.0.1:5000\n"
		 "      insecure: true\n"
		 "      docker_config: /etc/vigil/config.json\n",
		 path);
	assert_int_equal(conf(yaml, &c), 0);
	assert_string_equal(c.events.token, "tok-from-env");
	assert_int_equal(c.events.workers, 3);
	assert_int_equal(c.events.queue, 10);
	assert_string_equal(c.events.platform, "linux/arm64/v8");
	assert_int_equal(c.events.nreg, 2);
	assert_string_equal(c.events.reg[0].host, "registry.example.com:5000");
	assert_string_equal(c.events.reg[0].username, "robot");
	assert_string_equal(c.events.reg[0].password, "pw-from-file");
	assert_false(c.events.reg[0].insecure);
	assert_true(c.events.reg[1].insecure);
	assert_string_equal(c.events.reg[1].docker_config, "/etc/vigil/config.json");
	unlink(path);

	static const struct {
		const char *yaml, *want;
	} bad[] = {
		{ "registry_events:\n  registries:\n    - host: reg.example.com\n      insecure: true\n", "loopback host only" },
		{ "registry_events:\n  registries:\n    - insecure: false\n", "without host" },
		{ "registry_events:\n  registries:\n    - host: https://r/x\n", "not a host" },
		{ "registry_events:\n  registries:\n    - host: r\n      username: u\n", "go together" },
		{ "registry_events:\n  registries:\n    - host: r\n    - host: R\n", "same host twice" },
		{ "registry_events:\n  registries: r\n", "not a list" },
		{ "registry_events:\n  token_env: VIGIL_TEST_EV_UNSET_VARIABLE\n", "not set" },
		{ "registry_events:\n  token_file: /nonexistent/vigil/token\n", "No such file" },
		{ "registry_events:\n  token_file: /dev/zero\n", "not a regular file" },
		{ "registry_events:\n  workers: 0\n", "out of range" },
		{ "registry_events:\n  queue: 100001\n", "out of range" },
		{ "registry_events:\n  platform: amd64\n", "not a platform" },
	};
	unsetenv("VIGIL_TEST_EV_UNSET_VARIABLE");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(conf(bad[i].yaml, &c), VIGIL_EFORMAT);
		if (!strstr(vigil_error_message(), bad[i].want) || !strstr(vigil_error_message(), "registry_events"))
			fail_msg("%s: %s", bad[i].yaml, vigil_error_message());
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_bodies),
		cmocka_unit_test(test_envelopes),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_repo_grammar),
		cmocka_unit_test(test_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
