/* server/config_notify.c: Clair's notifier: keys (config/notifier.go):
 * notifier.webhook.{target, callback, headers, signed},
 * notifier.poll_interval, notifier.delivery_interval, and vigil's
 * notifier.retention (how long a set is kept unacknowledged; absent: until
 * deleted) and notifier.attempt_timeout (one delivery attempt). Durations
 * are Go's ("30s", "5m", "6h"); Clair's minimum of one minute is not
 * imposed (tests and small sites poll faster). The notifier is on when the
 * config has a notifier: section. headers is Go's http.Header: a name
 * with a value or a list of values; a CR or LF in either is refused.
 * notifier.amqp and notifier.stomp are another part's (config_notify_mq.c
 * at merge): in this build they are an error, not a silent loss.
 * connstring is taken silently (the sets live in the server's store);
 * indexer_addr, matcher_addr, migrations and disable_summary are Clair's
 * and mean nothing to vigil (one database, one process). */
#include "server/config_notify_mq.h"
#include "server/config_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

static const char *const notifier_clair[] = { "indexer_addr", "matcher_addr", "migrations", "disable_summary",
					      NULL };

static int header_line(struct cfg *g, const char *key, const char *name, const yaml_node_t *v)
{
	vigil_server_config *c = g->c;
	char val[SRV_NOTIFY_MAX_HEADER] = "";
	int rc;
	if (c->n_webhook_headers >= SRV_NOTIFY_MAX_HEADERS)
		return cfg_bad(g, v, key, "too many headers");
	if ((rc = cfg_get_str(g, v, key, val, sizeof(val))) < 0)
		return rc;
	if (strpbrk(name, "\r\n: \t") || strpbrk(val, "\r\n") || !*name)
		return cfg_bad(g, v, key, "a header name or value with a line break, colon or blank");
	if ((size_t)snprintf(c->webhook_headers[c->n_webhook_headers], SRV_NOTIFY_MAX_HEADER, "%s: %s", name, val) >=
	    SRV_NOTIFY_MAX_HEADER)
		return cfg_bad(g, v, key, "header too long");
	c->n_webhook_headers++;
	return 0;
}

static int headers_key(struct cfg *g, const char *path, const yaml_node_t *v, int depth)
{
	const char *name = path + strlen("notifier.webhook.headers.");
	(void)depth;
	if (v->type != YAML_SEQUENCE_NODE)
		return header_line(g, path, name, v);
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		const yaml_node_t *e = cfg_node(g, *it);
		int rc;
		if (!e)
			return cfg_bad(g, v, path, "too many nodes");
		if ((rc = header_line(g, path, name, e)) < 0)
			return rc;
	}
	return 0;
}

static int url_key(struct cfg *g, const char *path, const yaml_node_t *v, char *out, size_t n)
{
	int rc = cfg_get_str(g, v, path, out, n);
	if (rc < 0)
		return rc;
	if (*out && strncmp(out, "http://", 7) && strncmp(out, "https://", 8))
		return cfg_bad(g, v, path, "not an http or https URL");
	return 0;
}

static int webhook_key(struct cfg *g, const char *path, const yaml_node_t *v, int depth)
{
	vigil_server_config *c = g->c;
	if (!strcmp(path, "notifier.webhook.target"))
		return url_key(g, path, v, c->webhook_target, sizeof(c->webhook_target));
	if (!strcmp(path, "notifier.webhook.callback"))
		return url_key(g, path, v, c->webhook_callback, sizeof(c->webhook_callback));
	if (!strcmp(path, "notifier.webhook.headers"))
		return cfg_walk_map(g, v, path, headers_key, depth);
	if (!strcmp(path, "notifier.webhook.signed"))
		/* Clair: deprecated; requests are signed whenever auth.psk is set */
		return cfg_get_bool(g, v, path, &c->webhook_signed);
	cfg_unknown(g, path, v);
	return 0;
}

int cfg_notifier_key(struct cfg *g, const char *path, const yaml_node_t *v, int depth)
{
	vigil_server_config *c = g->c;
	const char *leaf = path + strlen("notifier.");
	c->notifier_on = true;
	if (!strcmp(path, "notifier.webhook")) {
		int rc = cfg_walk_map(g, v, path, webhook_key, depth);
		if (rc == 0 && !cfg_is_null(v) && (!c->webhook_target[0] || !c->webhook_callback[0]))
			return cfg_bad(g, v, path, "target and callback are both required");
		return rc;
	}
	if (!strcmp(path, "notifier.connstring"))
		return 0; /* the notifier's sets live in the store the server opened */
	if (!strcmp(path, "notifier.poll_interval"))
		return cfg_get_period(g, v, path, &c->notify_poll_s);
	if (!strcmp(path, "notifier.delivery_interval"))
		return cfg_get_period(g, v, path, &c->notify_delivery_s);
	if (!strcmp(path, "notifier.retention"))
		return cfg_get_period(g, v, path, &c->notify_retention_s);
	if (!strcmp(path, "notifier.attempt_timeout"))
		return cfg_get_period(g, v, path, &c->notify_timeout_s);
	if (!strcmp(path, "notifier.amqp") || !strcmp(path, "notifier.stomp")) {
		/* checked here, with the file's line numbers; the notifier reads
		 * the blocks again at start (srv_notify_mq_load, run.c) */
		vigil_notify_mq t;
		int rc = cfg_notify_mq(g, v, !strcmp(path, "notifier.amqp") ? VIGIL_NOTIFY_AMQP : VIGIL_NOTIFY_STOMP, &t);
		vigil_notify_mq_clear(&t);
		(void)depth;
		return rc;
	}
	if (cfg_one_of(leaf, notifier_clair))
		cfg_ignored(g, path, v);
	else
		cfg_unknown(g, path, v);
	return 0;
}
