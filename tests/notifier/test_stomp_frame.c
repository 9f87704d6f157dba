/* tests/notifier/test_stomp_frame.c: the STOMP 1.2 frame codec
 * (notifier/stomp_frame.c) on frames as RabbitMQ writes them (copied from
 * a real session of test_notify_mq.sh), every prefix of a frame (more
 * bytes needed, never an error), escapes, the named limits, writing and
 * reading back; STOMP addresses (Clair's host:port, stomp://,
 * stomp+ssl://); the checks of vigil_notify_mq_publish() before any
 * packet. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notifier/notify_mq_priv.h"
#include "util/error.h"

static stomp_frame *F;

static int parse(const char *buf, size_t len, size_t *consumed)
{
	return stomp_frame_parse(buf, len, F, consumed);
}

static void hdr_eq(const char *name, const char *want)
{
	const vigil_slice *v = stomp_frame_get(F, name);
	assert_non_null(v);
	assert_int_equal(v->len, strlen(want));
	assert_memory_equal(v->ptr, want, v->len);
}

/* what RabbitMQ 3.10.8 answered in test_notify_mq.sh */
static const char connected[] = "CONNECTED\nserver:RabbitMQ/3.10.8\nsession:session-9z5CL_yQT-4W8n4vqer8Rw\n"
				"heart-beat:0,0\nversion:1.2\n\n";
static const char error_frame[] = "ERROR\nmessage:Bad CONNECT\ncontent-type:text/plain\nversion:1.0,1.1,1.2\n"
				  "content-length:38\n\nVirtual host '127.0.0.1' access denied";

static void test_rabbitmq_frames(void **state)
{
	size_t used = 0;
	/* sizeof includes the NUL that ends the frame; a heart-beat EOL follows */
	char buf[512];
	memcpy(buf, connected, sizeof(connected));
	buf[sizeof(connected)] = '\n';
	assert_int_equal(parse(buf, sizeof(connected) + 1, &used), 0);
	assert_int_equal(used, sizeof(connected));
	assert_true(vigil_slice_eq_cstr(F->command, "CONNECTED"));
	hdr_eq("version", "1.2");
	hdr_eq("server", "RabbitMQ/3.10.8");
	assert_int_equal(F->body.len, 0);
	/* the trailing EOL is a heart-beat: then nothing */
	assert_int_equal(parse(buf + used, 1, &used), 1);

	assert_int_equal(parse(error_frame, sizeof(error_frame), &used), 0);
	assert_int_equal(used, sizeof(error_frame));
	assert_true(vigil_slice_eq_cstr(F->command, "ERROR"));
	hdr_eq("message", "Bad CONNECT");
	assert_int_equal(F->body.len, 38);
	assert_memory_equal(F->body.ptr, "Virtual host '127.0.0.1' access denied", 38);
}

/* Every strict prefix asks for more bytes; never an error, never a frame. */
static void test_prefixes(void **state)
{
	static const char receipt[] = "\r\n\nRECEIPT\r\nreceipt-id:vigil-1\r\n\r\n";
	const char *frames[] = { connected, error_frame, receipt };
	size_t lens[] = { sizeof(connected), sizeof(error_frame), sizeof(receipt) };
	for (size_t k = 0; k < 3; k++) {
		size_t used = 0;
		for (size_t n = 0; n < lens[k]; n++)
			assert_int_equal(parse(frames[k], n, &used), 1);
		assert_int_equal(parse(frames[k], lens[k], &used), 0);
		assert_int_equal(used, lens[k]);
	}
	hdr_eq("receipt-id", "vigil-1"); /* CR LF line ends */
}

static void test_escapes(void **state)
{
	static const char msg[] = "MESSAGE\nkey:a\\cb\\nc\\\\d\\re\nkey:second\n\nbody";
	static const char raw[] = "CONNECTED\nweird:a\\cb\n\n";
	size_t used;
	assert_int_equal(parse(msg, sizeof(msg), &used), 0);
	hdr_eq("key", "a:b\nc\\d\re"); /* and the first of repeated headers */
	assert_int_equal(parse(raw, sizeof(raw), &used), 0);
	hdr_eq("weird", "a\\cb"); /* CONNECTED: not unescaped */

	static const char *const bad[] = {
		"MESSAGE\nk:\\t\n\n",        /* undefined escape */
		"MESSAGE\nk:ends in \\\n\n",  /* an escape cut short */
		"MESSAGE\nno colon\n\n",      /* a header without ':' */
		"MESSAGE\n:empty name\n\n",   /* an empty name */
		"message\n\n",                /* lower case */
		"MES5AGE\n\n",                /* not letters */
		"MESSAGE\ncontent-length:3\n\nabcd", /* no NUL after the body */
		"MESSAGE\ncontent-length:-1\n\n",
		"MESSAGE\ncontent-length:\n\n",
		"MESSAGE\nk:bare\rcr\n\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = parse(bad[i], strlen(bad[i]) + 1, &used);
		if (rc != VIGIL_EFORMAT)
			fail_msg("case %zu (%s): rc %d, want VIGIL_EFORMAT", i, bad[i], rc);
	}
}

static void test_limits(void **state)
{
	size_t cap = STOMP_MAX_FRAME + 4096, n = 0, used;
	char *big = malloc(cap);
	assert_non_null(big);
	/* too many headers */
	n = (size_t)snprintf(big, cap, "MESSAGE\n");
	for (int i = 0; i <= STOMP_MAX_HEADERS; i++)
		n += (size_t)snprintf(big + n, cap - n, "h%d:v\n", i);
	n += (size_t)snprintf(big + n, cap - n, "\n");
	big[n++] = 0;
	assert_int_equal(parse(big, n, &used), VIGIL_ELIMIT);
	assert_non_null(strstr(vigil_error_message(), "more than 64 headers"));
	/* a line over STOMP_MAX_LINE, even before its end arrives */
	memset(big, 'A', cap);
	assert_int_equal(parse(big, STOMP_MAX_LINE + 2, &used), VIGIL_ELIMIT);
	assert_non_null(strstr(vigil_error_message(), "a line over 8192 bytes"));
	/* a body without content-length past the frame cap */
	n = (size_t)snprintf(big, cap, "MESSAGE\n\n");
	memset(big + n, 'x', cap - n);
	assert_int_equal(parse(big, cap, &used), VIGIL_ELIMIT);
	/* content-length over the cap: refused before the bytes come */
	n = (size_t)snprintf(big, cap, "MESSAGE\ncontent-length:99999999999999999999999\n\n");
	assert_int_equal(parse(big, n, &used), VIGIL_EFORMAT);
	n = (size_t)snprintf(big, cap, "MESSAGE\ncontent-length:%zu\n\n", STOMP_MAX_FRAME + 1);
	assert_int_equal(parse(big, n, &used), VIGIL_ELIMIT);
	assert_non_null(strstr(vigil_error_message(), "content-length over 65536 bytes"));
	/* endless heart-beats */
	memset(big, '\n', cap);
	big[cap - 1] = 'X';
	assert_int_equal(parse(big, cap, &used), VIGIL_ELIMIT);
	free(big);
}

static void test_write_read_back(void **state)
{
	vigil_buf out;
	size_t used;
	const char body[] = "a\0b\nc"; /* a NUL in the body: content-length carries it */
	const char *hdrs[] = { "destination", "/queue/a:b", "content-type", "text/plain", "content-length", "5",
			       "receipt", "r\\1\n", NULL };
	vigil_buf_init(&out, 4096);
	assert_int_equal(stomp_frame_write(&out, "SEND", hdrs, body, 5), 0);
	assert_non_null(strstr(out.data, "destination:/queue/a\\cb\n"));
	assert_int_equal(parse(out.data, out.len, &used), 0);
	assert_int_equal(used, out.len);
	hdr_eq("destination", "/queue/a:b");
	hdr_eq("receipt", "r\\1\n");
	assert_int_equal(F->body.len, 5);
	assert_memory_equal(F->body.ptr, body, 5);

	/* CONNECT is not escaped: a line break in a value is refused */
	vigil_buf_reset(&out);
	const char *conn[] = { "accept-version", "1.2", "host", "/", "passcode", "p:w", NULL };
	assert_int_equal(stomp_frame_write(&out, "CONNECT", conn, NULL, 0), 0);
	assert_string_equal(out.data, "CONNECT\naccept-version:1.2\nhost:/\npasscode:p:w\n\n");
	assert_int_equal(out.len, strlen(out.data) + 1);
	vigil_buf_reset(&out);
	const char *nl[] = { "login", "a\nb", NULL };
	assert_int_equal(stomp_frame_write(&out, "CONNECT", nl, NULL, 0), VIGIL_EINVAL);
	/* the buffer's cap */
	vigil_buf_free(&out);
	vigil_buf_init(&out, 16);
	assert_int_equal(stomp_frame_write(&out, "SEND", hdrs, body, 5), VIGIL_ELIMIT);
	vigil_buf_free(&out);
}

static void test_addresses(void **state)
{
	mq_stomp_addr a;
	assert_int_equal(mq_stomp_parse_addr("broker.example:61613", false, &a), 0);
	assert_string_equal(a.host, "broker.example");
	assert_string_equal(a.port, "61613");
	assert_string_equal(a.vhost, "");
	assert_false(a.tls);
	assert_int_equal(mq_stomp_parse_addr("broker:61614", true, &a), 0); /* tls: block */
	assert_true(a.tls);
	assert_int_equal(mq_stomp_parse_addr("[::1]:61613", false, &a), 0);
	assert_string_equal(a.host, "::1");
	assert_int_equal(mq_stomp_parse_addr("stomp://u%40x:p%3Aw@mq:1234/%2F", false, &a), 0);
	assert_true(a.has_login);
	assert_string_equal(a.login, "u@x");
	assert_string_equal(a.passcode, "p:w");
	assert_string_equal(a.host, "mq");
	assert_string_equal(a.port, "1234");
	assert_string_equal(a.vhost, "/");
	assert_int_equal(mq_stomp_parse_addr("stomp+ssl://mq", false, &a), 0);
	assert_true(a.tls);
	assert_string_equal(a.port, "61614");
	assert_int_equal(mq_stomp_parse_addr("stomp://mq", false, &a), 0);
	assert_string_equal(a.port, "61613");

	static const char *const bad[] = { "mq", "mq:0", "mq:65536", "mq:x", "http://mq:1", "u:p@mq:1", "mq:1/vh",
					   "[::1", "stomp://mq:1/%zz", "stomp://:1", "stomp://%00@mq:1" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (mq_stomp_parse_addr(bad[i], false, &a) != VIGIL_EINVAL)
			fail_msg("%s: accepted", bad[i]);
}

/* A bad target is VIGIL_EINVAL before any connection. */
static void test_publish_checks(void **state)
{
	char *uris[] = { "amqp://u:secret@127.0.0.1:1/", "ftp://x" };
	vigil_notify_mq t = { .kind = VIGIL_NOTIFY_AMQP, .uris = uris, .n_uris = 1 };
	assert_int_equal(vigil_notify_mq_publish(&t, "application/json", "{}", 2), VIGIL_EINVAL);
	assert_non_null(strstr(vigil_error_message(), "no routing_key"));
	t.routing_key = "k";
	t.n_uris = 2;
	assert_int_equal(vigil_notify_mq_publish(&t, "application/json", "{}", 2), VIGIL_EINVAL);
	assert_non_null(strstr(vigil_error_message(), "ftp://x: not an amqp:// or amqps:// URI"));
	t.kind = VIGIL_NOTIFY_STOMP;
	t.n_uris = 1;
	assert_int_equal(vigil_notify_mq_publish(&t, "application/json", "{}", 2), VIGIL_EINVAL);
	assert_non_null(strstr(vigil_error_message(), "no destination"));
	t.kind = 7;
	assert_int_equal(vigil_notify_mq_check(&t), VIGIL_EINVAL);
	assert_int_equal(vigil_notify_mq_check(NULL), VIGIL_EINVAL);
	vigil_notify_mq_clear(NULL);
	char out[64];
	t.kind = VIGIL_NOTIFY_AMQP;
	assert_string_equal(vigil_notify_mq_uri_redacted(&t, 0, out, sizeof(out)), "amqp://***@127.0.0.1:1/");
	assert_string_equal(vigil_notify_mq_uri_redacted(&t, 9, out, sizeof(out)), "");
}

static int setup(void **state)
{
	F = malloc(sizeof(*F));
	return F ? 0 : -1;
}

static int teardown(void **state)
{
	free(F);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rabbitmq_frames), cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_escapes),         cmocka_unit_test(test_limits),
		cmocka_unit_test(test_write_read_back), cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_publish_checks),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
