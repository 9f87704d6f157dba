/* cli/cmd_notify.c: vigil notify test --config FILE [--body FILE]
 * [--content-type T] [--timeout SECONDS]: sends one test message through
 * every message-queue target of a Clair config (notifier.amqp,
 * notifier.stomp), to each of its URIs on its own, the way the notifier
 * will deliver, so a platform team sees the wiring work (or why not)
 * before a vulnerability update happens. One line per broker:
 *
 *   amqp  amqp://mq1:5672 (exchange clair, routing key notifications): ok
 *   stomp mq2:61613 (destination /queue/clair): failed: ... connect: cannot reach the broker: ...
 *
 * The default body is what the notifier sends for a target: a callback
 * message {"notification_id": ..., "callback": "<callback><id>"} (a new
 * random id each run, printed), or for direct delivery an empty list of
 * notifications "[]"; --body sends a file's bytes instead. --failover
 * sends one message per target instead, through its URIs in order. Exit 0 when
 * every broker took its message, 1 when one did not or the config is bad
 * (no target: an error), 2 on bad usage. Uses the public API only. */
#include "cli.h"
#include "vigil/notify_mq.h"
#include "vigil/server.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define NOTIFY_MAX_BODY ((size_t)16 * 1024 * 1024) /* --body file */

typedef struct notify_opts {
	const char *config, *body_path, *content_type;
	long timeout_s;
	bool failover; /* one message per target, its URIs tried in order */
} notify_opts;

static void usage(FILE *f)
{
	fprintf(f, "usage: vigil notify test --config FILE [--body FILE] [--content-type TYPE] [--timeout SECONDS]\n"
		   "  sends one test message to every AMQP and STOMP broker of a Clair config's\n"
		   "  notifier block (each URI on its own); prints ok or failed with the reason per broker.\n"
		   "  --body FILE          the message to send (default: a Clair callback message, or\n"
		   "                       [] for direct delivery)\n"
		   "  --content-type TYPE  default application/json\n"
		   "  --timeout SECONDS    per broker: connect, publish and confirm (default 10)\n"
		   "  --failover           one message per target, its URIs tried in order until a\n"
		   "                       broker takes it (as the notifier delivers)\n"
		   "  exit 0 when every broker took its message, 1 otherwise\n");
}

static int read_body(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;
	if (!f)
		return vigil_error_set(VIGIL_EIO, "%s: cannot open: %s", path, strerror(errno));
	if (!(b = malloc(NOTIFY_MAX_BODY + 1))) {
		fclose(f);
		return vigil_error_oom();
	}
	*len = fread(b, 1, NOTIFY_MAX_BODY + 1, f);
	int bad = ferror(f);
	fclose(f);
	if (bad || *len > NOTIFY_MAX_BODY) {
		free(b);
		return bad ? vigil_error_set(VIGIL_EIO, "%s: cannot read", path)
			   : vigil_error_set(VIGIL_ELIMIT, "%s: larger than %zu bytes", path, NOTIFY_MAX_BODY);
	}
	*out = b;
	return 0;
}

/* A random UUID (version 4) from /dev/urandom. */
static int new_id(char out[37])
{
	unsigned char r[16];
	FILE *f = fopen("/dev/urandom", "rb");
	size_t got = f ? fread(r, 1, sizeof(r), f) : 0;
	if (f)
		fclose(f);
	if (got != sizeof(r))
		return vigil_error_set(VIGIL_EIO, "/dev/urandom: cannot read");
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2],
		 r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
	return 0;
}

/* The notifier's message for target t: a callback, or [] when direct. */
static int default_body(const vigil_notify_mq *t, const char *id, char **out, size_t *len)
{
	const char *cb = t->callback ? t->callback : "";
	size_t n = strlen(cb) + 128;
	if (t->direct) {
		*out = strdup("[]");
		*len = 2;
		return *out ? 0 : vigil_error_oom();
	}
	for (const char *p = cb; *p; p++)
		if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
			return vigil_error_set(VIGIL_EINVAL, "callback: a character JSON would need escaped");
	if (!(*out = malloc(n)))
		return vigil_error_oom();
	*len = (size_t)snprintf(*out, n, "{\"notification_id\":\"%s\",\"callback\":\"%s%s\"}", id, cb, id);
	return 0;
}

static void describe(const vigil_notify_mq *t, size_t i, char *out, size_t n)
{
	char uri[2048];
	vigil_notify_mq_uri_redacted(t, i, uri, sizeof(uri)); /* the first URI when --failover */
	if (t->kind == VIGIL_NOTIFY_AMQP)
		snprintf(out, n, "amqp  %s (exchange %s, routing key %s)", uri,
			 t->exchange && t->exchange[0] ? t->exchange : "(default)", t->routing_key);
	else
		snprintf(out, n, "stomp %s (destination %s)", uri, t->destination);
}

/* Each URI of t on its own; returns the number that failed. */
static size_t test_target(const vigil_notify_mq *t, const notify_opts *o, const char *body, size_t blen,
			  const char *id)
{
	size_t failed = 0;
	for (size_t i = 0; i < (o->failover ? 1 : t->n_uris); i++) {
		vigil_notify_mq one = *t;
		char what[2400], *own = NULL;
		const char *b = body;
		size_t len = blen;
		int rc = 0;
		if (!o->failover) {
			one.uris = &t->uris[i];
			one.n_uris = 1;
		}
		if (o->timeout_s)
			one.timeout_ms = (int)(o->timeout_s * 1000);
		describe(&one, 0, what, sizeof(what));
		if (one.n_uris > 1) {
			size_t k = strlen(what);
			snprintf(what + k, sizeof(what) - k, " and %zu more URIs", one.n_uris - 1);
		}
		if (!b && (rc = default_body(t, id, &own, &len)) == 0)
			b = own;
		if (rc == 0)
			rc = vigil_notify_mq_publish(&one, o->content_type, b, len);
		if (rc == 0) {
			printf("%s: ok\n", what);
		} else {
			printf("%s: failed: %s\n", what, vigil_error_message());
			failed++;
		}
		fflush(stdout);
		free(own);
	}
	return failed;
}

static int notify_test(int argc, char **argv)
{
	notify_opts o = { .content_type = "application/json" };
	vigil_notify_mq *targets = NULL;
	size_t n = 0, failed = 0, blen = 0;
	char *body = NULL, id[37];
	int rc = CLI_OK;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return CLI_OK;
		}
		if (!strcmp(a, "--failover")) {
			o.failover = true;
			continue;
		}
		if (!v)
			return cli_usage("notify test: %s: unknown option or missing value (see --help)", a);
		if (!strcmp(a, "--config"))
			o.config = v;
		else if (!strcmp(a, "--body"))
			o.body_path = v;
		else if (!strcmp(a, "--content-type"))
			o.content_type = v;
		else if (!strcmp(a, "--timeout")) {
			if (!cli_parse_int(v, 1, 600, &o.timeout_s))
				return cli_usage("notify test: --timeout: seconds, 1 to 600");
		} else
			return cli_usage("notify test: %s: unknown option (see --help)", a);
		i++;
	}
	if (!o.config)
		return cli_usage("notify test: --config FILE is required");
	if (o.body_path && read_body(o.body_path, &body, &blen) < 0)
		return cli_fail("notify test");
	if (new_id(id) < 0 || vigil_server_notify_targets(o.config, &targets, &n, cli_warn_cb, NULL) < 0) {
		rc = cli_fail("notify test");
		goto out;
	}
	if (!n) {
		vigil_error_set(VIGIL_ENOTFOUND, "%s: no notifier.amqp or notifier.stomp block", o.config);
		rc = cli_fail("notify test");
		goto out;
	}
	if (!body)
		printf("test notification id %s\n", id);
	for (size_t i = 0; i < n; i++)
		failed += test_target(&targets[i], &o, body, blen, id);
	if (failed) {
		fprintf(stderr, "vigil: notify test: %zu broker%s did not take the message\n", failed,
			failed == 1 ? "" : "s");
		rc = CLI_ERROR;
	}
out:
	for (size_t i = 0; i < n; i++)
		vigil_notify_mq_clear(&targets[i]);
	free(targets);
	free(body);
	return rc;
}

int cmd_notify(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "test"))
		return notify_test(argc - 1, argv + 1);
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return CLI_OK;
	}
	usage(stderr);
	return CLI_USAGE;
}
