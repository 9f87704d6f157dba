/* tests/notifier/test_stomp_session.c: vigil_notify_mq_publish() over
 * STOMP against a scripted broker on 127.0.0.1 (a thread here): the
 * frames vigil sends (CONNECT with host, login, passcode, heart-beat 0,0;
 * SEND with destination, content-type, content-length, receipt), what it
 * does with answers a real broker may give (a RECEIPT for another id
 * first, ERROR after SEND, STOMP 1.1 only, a closed connection, bytes
 * that are not STOMP, silence) and failover past a refused port. The
 * RabbitMQ side is in tests/integration/test_notify_mq.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "notifier/notify_mq_priv.h"
#include "util/error.h"

/* The broker: answers[i] is written after the i-th frame received
 * (NULL: close; "" : say nothing and wait for the client to go). */
typedef struct broker {
	int lfd, port;
	const char *answers[4];
	size_t answer_len[4];
	char got[8192];
	size_t got_len;
	pthread_t th;
} broker;

static void *broker_main(void *arg)
{
	broker *b = arg;
	int fd = accept(b->lfd, NULL, NULL);
	size_t frames = 0;
	if (fd < 0)
		return NULL;
	while (frames < 4) {
		ssize_t n = recv(fd, b->got + b->got_len, sizeof(b->got) - b->got_len, 0);
		if (n <= 0)
			break;
		size_t from = b->got_len;
		b->got_len += (size_t)n;
		for (size_t i = from; i < b->got_len && frames < 4; i++) {
			if (b->got[i] != 0)
				continue;
			const char *a = b->answers[frames];
			size_t len = b->answer_len[frames] ? b->answer_len[frames] : a ? strlen(a) : 0;
			frames++;
			if (!a)
				goto out;
			if (len && send(fd, a, len, MSG_NOSIGNAL) < 0)
				goto out;
		}
	}
	char sink[256];
	while (recv(fd, sink, sizeof(sink), 0) > 0) /* until the client closes */
		;
out:
	close(fd);
	return NULL;
}

static void broker_start(broker *b)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);
	b->lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(b->lfd >= 0);
	assert_int_equal(bind(b->lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(b->lfd, 4), 0);
	assert_int_equal(getsockname(b->lfd, (struct sockaddr *)&sa, &sl), 0);
	b->port = ntohs(sa.sin_port);
	assert_int_equal(pthread_create(&b->th, NULL, broker_main, b), 0);
}

static void broker_stop(broker *b)
{
	pthread_join(b->th, NULL);
	close(b->lfd);
	b->got[b->got_len < sizeof(b->got) ? b->got_len : sizeof(b->got) - 1] = 0;
}

/* a port nothing listens on */
static int dead_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	getsockname(fd, (struct sockaddr *)&sa, &sl);
	close(fd);
	return ntohs(sa.sin_port);
}

static const char CONNECTED[] = "CONNECTED\nversion:1.2\nheart-beat:0,0\n\n";
static char uri_a[64], uri_b[64];
static char *uris[2] = { uri_a, uri_b };

static int publish(broker *b, const char *body)
{
	vigil_notify_mq t = { .kind = VIGIL_NOTIFY_STOMP, .uris = uris, .n_uris = 1, .destination = "/queue/clair",
			      .login = "clair", .passcode = "pw", .timeout_ms = 2000 };
	snprintf(uri_a, sizeof(uri_a), "127.0.0.1:%d", b->port);
	return vigil_notify_mq_publish(&t, "application/json", body, strlen(body));
}

/* frames as arrays: sizeof counts the NUL that ends the last one */
static const char RECEIPTS[] = "RECEIPT\nreceipt-id:other\n\n\0\nRECEIPT\nreceipt-id:vigil-1\n\n";
static const char RECEIPT[] = "RECEIPT\nreceipt-id:vigil-1\n\n";
static const char ERROR_FRAME[] = "ERROR\nmessage:not_found\n\nNOT_FOUND - no exchange 'x'\n";
static const char V11[] = "CONNECTED\nversion:1.1\n\n";
static const char SENT[] = "CONNECT\naccept-version:1.2\nhost:127.0.0.1\nlogin:clair\npasscode:pw\nheart-beat:0,0\n\n\0"
			   "SEND\ndestination:/queue/clair\ncontent-type:application/json\ncontent-length:7\n"
			   "receipt:vigil-1\n\n{\"a\":1}\0DISCONNECT\n\n";

static void test_frames_sent(void **state)
{
	broker b = { .answers = { CONNECTED, RECEIPTS }, .answer_len = { sizeof(CONNECTED), sizeof(RECEIPTS) } };
	broker_start(&b);
	assert_int_equal(publish(&b, "{\"a\":1}"), 0);
	broker_stop(&b);
	assert_int_equal(b.got_len, sizeof(SENT));
	assert_memory_equal(b.got, SENT, sizeof(SENT));
}

static void check_fails(broker *b, const char *want)
{
	broker_start(b);
	int rc = publish(b, "x");
	broker_stop(b);
	assert_int_equal(rc, VIGIL_EUNAVAILABLE);
	if (!strstr(vigil_error_message(), want))
		fail_msg("message \"%s\", want \"%s\"", vigil_error_message(), want);
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "notify stomp: 127.0.0.1:%d: ", b->port);
	assert_memory_equal(vigil_error_message(), prefix, strlen(prefix));
}

static void test_broker_answers(void **state)
{
	broker e = { .answers = { CONNECTED, ERROR_FRAME }, .answer_len = { sizeof(CONNECTED), sizeof(ERROR_FRAME) } };
	check_fails(&e, "send: the broker answered ERROR: not_found: NOT_FOUND - no exchange 'x'");

	broker v11 = { .answers = { V11 }, .answer_len = { sizeof(V11) } };
	check_fails(&v11, "connect: the broker does not speak STOMP 1.2 (version 1.1)");

	broker closed = { .answers = { NULL } };
	check_fails(&closed, "connect: the broker closed the connection");

	broker http = { .answers = { "HTTP/1.1 400 Bad Request\r\n\r\n" } };
	check_fails(&http, "connect: stomp frame: a command that is not upper-case letters");

	broker silent = { .answers = { CONNECTED, "" }, .answer_len = { sizeof(CONNECTED) } };
	check_fails(&silent, "receipt: no answer (timed out)");

	/* a frame over the limit: no bigger buffer, an error */
	char *big = malloc(STOMP_MAX_FRAME + 64);
	assert_non_null(big);
	memcpy(big, "ERROR\n\n", 7);
	memset(big + 7, 'x', STOMP_MAX_FRAME + 56);
	broker huge = { .answers = { big } };
	huge.answer_len[0] = STOMP_MAX_FRAME + 64;
	check_fails(&huge, "connect: stomp frame: over 65536 bytes");
	free(big);
}

static void test_failover(void **state)
{
	broker b = { .answers = { CONNECTED, RECEIPT }, .answer_len = { sizeof(CONNECTED), sizeof(RECEIPT) } };
	broker_start(&b);
	int dead = dead_port();
	snprintf(uri_a, sizeof(uri_a), "stomp://127.0.0.1:%d/%%2F", dead);
	snprintf(uri_b, sizeof(uri_b), "stomp://u:p@127.0.0.1:%d/vh", b.port);
	vigil_notify_mq t = { .kind = VIGIL_NOTIFY_STOMP, .uris = uris, .n_uris = 2, .destination = "/topic/t",
			      .timeout_ms = 2000 };
	assert_int_equal(vigil_notify_mq_publish(&t, "text/plain", "hi", 2), 0);
	broker_stop(&b);
	assert_non_null(strstr(b.got, "host:vh\nlogin:u\npasscode:p\n")); /* from the URI */

	/* both dead: one message naming each, with a password redacted */
	snprintf(uri_b, sizeof(uri_b), "stomp://u:s3cret@127.0.0.1:%d", dead);
	assert_int_equal(vigil_notify_mq_publish(&t, "text/plain", "hi", 2), VIGIL_EUNAVAILABLE);
	char want[256];
	snprintf(want, sizeof(want),
		 "notify stomp: no broker took the message: stomp://127.0.0.1:%d/%%2F: connect: cannot reach the "
		 "broker: Connection refused; stomp://***@127.0.0.1:%d: connect: cannot reach the broker: "
		 "Connection refused",
		 dead, dead);
	assert_string_equal(vigil_error_message(), want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frames_sent),
		cmocka_unit_test(test_broker_answers),
		cmocka_unit_test(test_failover),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
