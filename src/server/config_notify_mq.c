/* server/config_notify_mq.c: Clair's notifier.amqp and notifier.stomp
 * blocks (github.com/quay/clair config/notifier.go) read into a
 * vigil_notify_mq, with the config walk's helpers (config.c), so a Clair
 * deployment's file works as it is:
 *
 *   amqp:  exchange {name, type, durability, auto_delete}, uris, routing_key,
 *          direct, rollup, callback, tls {root_ca, cert, key}
 *   stomp: destination, uris (host:port), direct, rollup, callback,
 *          user {login, passcode}, tls {root_ca, cert, key}
 *
 * The checks are Clair's (uris required; amqp: routing_key required; a
 * callback without a trailing '/' gets one, with a warning; rollup 1 and
 * callback with direct are warnings) plus what delivery needs: a stomp
 * destination, and a callback unless direct (Clair would send callbacks
 * "/<id>"). Unknown keys are warnings naming them, with Clair's spelling
 * when it is a near miss (durable, login). srv_notify_mq_load() reads
 * just these two blocks of a file for `vigil notify test`. */
#include "server/config_notify_mq.h"
#include "vigil/server.h"
#include "util/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CFG_MQ_MAX_STRING 4096          /* one string value */
#define CFG_MQ_MAX_URIS   64            /* notifier.*.uris */
#define CFG_MQ_MAX_ROLLUP 100000        /* notifications per message */
#define CFG_MQ_MAX_FILE   ((size_t)1024 * 1024)

/* A string value, malloc'ed into *dst (replacing it); null keeps it. */
static int get_dup(struct cfg *g, const yaml_node_t *v, const char *key, char **dst)
{
	char *s;
	int rc;
	if (cfg_is_null(v))
		return 0;
	if (!(s = calloc(1, CFG_MQ_MAX_STRING + 1)))
		return vigil_error_oom();
	if ((rc = cfg_get_str(g, v, key, s, CFG_MQ_MAX_STRING + 1)) < 0) {
		free(s);
		return rc;
	}
	free(*dst);
	*dst = s;
	return 0;
}

static int get_flag(struct cfg *g, const yaml_node_t *v, const char *key, int *out)
{
	bool b = *out != 0;
	int rc = cfg_get_bool(g, v, key, &b);
	*out = b;
	return rc;
}

static int get_uris(struct cfg *g, const yaml_node_t *v, const char *key, vigil_notify_mq *o)
{
	int rc;
	if (cfg_is_null(v))
		return 0;
	if (v->type != YAML_SEQUENCE_NODE)
		return cfg_bad(g, v, key, "not a list of strings");
	size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (n > CFG_MQ_MAX_URIS)
		return cfg_bad(g, v, key, "more than 64 URIs");
	for (size_t i = 0; o->uris && i < o->n_uris; i++)
		free(o->uris[i]);
	free(o->uris);
	o->n_uris = 0;
	if (!(o->uris = calloc(n ? n : 1, sizeof(*o->uris))))
		return vigil_error_oom();
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		const yaml_node_t *e = cfg_node(g, *it);
		if (!e)
			return cfg_bad(g, v, key, "too many nodes");
		if (e->type != YAML_SCALAR_NODE || cfg_is_null(e) || !e->data.scalar.length)
			return cfg_bad(g, e, key, "a URI is not a string");
		if ((rc = get_dup(g, e, key, &o->uris[o->n_uris])) < 0)
			return rc;
		o->n_uris++;
	}
	return 0;
}

static int tls_fields(struct cfg *g, const char *path, const yaml_node_t *v, vigil_notify_mq *o)
{
	const char *leaf = strrchr(path, '.') + 1;
	if (!strcmp(leaf, "root_ca"))
		return get_dup(g, v, path, &o->tls_root_ca);
	if (!strcmp(leaf, "cert"))
		return get_dup(g, v, path, &o->tls_cert);
	if (!strcmp(leaf, "key"))
		return get_dup(g, v, path, &o->tls_key);
	cfg_unknown(g, path, v);
	return 0;
}

/* The walker's callbacks get no user data: the target being read is
 * the thread's (one config is read at a time per thread). */
static _Thread_local vigil_notify_mq *walk_out;

static int tls_key(struct cfg *g, const char *path, const yaml_node_t *v, int depth)
{
	return tls_fields(g, path, v, walk_out);
}

static int exchange_key(struct cfg *g, const char *path, const yaml_node_t *v, int depth)
{
	vigil_notify_mq *o = walk_out;
	const char *leaf = strrchr(path, '.') + 1;
	if (!strcmp(leaf, "name"))
		return get_dup(g, v, path, &o->exchange);
	if (!strcmp(leaf, "type"))
		return get_dup(g, v, path, &o->exchange_type);
	if (!strcmp(leaf, "durability"))
		return get_flag(g, v, path, &o->durable);
	if (!strcmp(leaf, "auto_delete"))
		return get_flag(g, v, path, &o->auto_delete);
	if (!strcmp(leaf, "durable"))
		cfg_warnf(g, "%s: line %d: %s: unknown key, ignored (Clair's key is exchange.durability)", g->path,
			  cfg_line_of(v), path);
	else
		cfg_unknown(g, path, v);
	return 0;
}

static int login_key(struct cfg *g, const char *path, const yaml_node_t *v, int depth)
{
	vigil_notify_mq *o = walk_out;
	const char *leaf = strrchr(path, '.') + 1;
	if (!strcmp(leaf, "login"))
		return get_dup(g, v, path, &o->login);
	if (!strcmp(leaf, "passcode"))
		return get_dup(g, v, path, &o->passcode);
	cfg_unknown(g, path, v);
	return 0;
}

/* Keys both kinds have. 1 when the key was not one of them. */
static int common_key(struct cfg *g, const char *leaf, const char *path, const yaml_node_t *v, int depth)
{
	vigil_notify_mq *o = walk_out;
	if (!strcmp(leaf, "uris"))
		return get_uris(g, v, path, o);
	if (!strcmp(leaf, "direct"))
		return get_flag(g, v, path, &o->direct);
	if (!strcmp(leaf, "callback"))
		return get_dup(g, v, path, &o->callback);
	if (!strcmp(leaf, "rollup")) {
		long long r = (long long)o->rollup;
		int rc = cfg_get_int(g, v, path, 0, CFG_MQ_MAX_ROLLUP, false, &r);
		o->rollup = (size_t)r;
		return rc;
	}
	if (!strcmp(leaf, "tls")) {
		if (!cfg_is_null(v))
			o->tls = 1; /* Clair: a tls block turns TLS on (stomp host:port) */
		return cfg_walk_map(g, v, path, tls_key, depth);
	}
	return 1;
}

static int amqp_key(struct cfg *g, const char *path, const yaml_node_t *v, int depth)
{
	const char *leaf = strrchr(path, '.') + 1;
	int rc = common_key(g, leaf, path, v, depth);
	if (rc <= 0)
		return rc;
	if (!strcmp(leaf, "exchange"))
		return cfg_walk_map(g, v, path, exchange_key, depth);
	if (!strcmp(leaf, "routing_key"))
		return get_dup(g, v, path, &walk_out->routing_key);
	cfg_unknown(g, path, v);
	return 0;
}

static int stomp_key(struct cfg *g, const char *path, const yaml_node_t *v, int depth)
{
	const char *leaf = strrchr(path, '.') + 1;
	int rc = common_key(g, leaf, path, v, depth);
	if (rc <= 0)
		return rc;
	if (!strcmp(leaf, "destination"))
		return get_dup(g, v, path, &walk_out->destination);
	if (!strcmp(leaf, "user"))
		return cfg_walk_map(g, v, path, login_key, depth);
	if (!strcmp(leaf, "login"))
		cfg_warnf(g, "%s: line %d: %s: unknown key, ignored (Clair's key is user: {login, passcode})", g->path,
			  cfg_line_of(v), path);
	else
		cfg_unknown(g, path, v);
	return 0;
}

/* Clair's validate() and lint(), and what delivery needs. */
static int check(struct cfg *g, const yaml_node_t *n, const char *what, vigil_notify_mq *o)
{
	int rc;
	if (!o->n_uris)
		return cfg_bad(g, n, what, "uris: at least one broker is required");
	if (o->kind == VIGIL_NOTIFY_AMQP && (!o->routing_key || !o->routing_key[0]))
		return cfg_bad(g, n, what, "routing_key: required (Clair requires it)");
	if (o->kind == VIGIL_NOTIFY_STOMP && (!o->destination || !o->destination[0]))
		return cfg_bad(g, n, what, "destination: required");
	if (o->exchange && o->exchange[0] && (!o->exchange_type || !o->exchange_type[0]))
		return cfg_bad(g, n, what, "exchange.type: required with exchange.name (Clair requires it)");
	if (o->rollup == 1)
		cfg_warnf(g, "%s: line %d: %s.rollup: set to 1: this means nothing", g->path, cfg_line_of(n), what);
	if (o->direct && o->callback && o->callback[0])
		cfg_warnf(g, "%s: line %d: %s: callback and direct set: callback will be ignored", g->path,
			  cfg_line_of(n), what);
	if (!o->direct) {
		size_t len = o->callback ? strlen(o->callback) : 0;
		if (!len)
			return cfg_bad(g, n, what, "callback: required unless direct is true (the URL "
						   "notifications are fetched from)");
		if (o->callback[len - 1] != '/') {
			char *s = malloc(len + 2);
			if (!s)
				return vigil_error_oom();
			memcpy(s, o->callback, len);
			memcpy(s + len, "/", 2);
			free(o->callback);
			o->callback = s;
			cfg_warnf(g, "%s: line %d: %s.callback: URL should end in a \"/\"", g->path, cfg_line_of(n),
				  what);
		}
	}
	if ((rc = vigil_notify_mq_check(o)) < 0) {
		char why[VIGIL_ERROR_MAX];
		snprintf(why, sizeof(why), "%s", vigil_error_message());
		return cfg_bad(g, n, what, why);
	}
	return 0;
}

int cfg_notify_mq(struct cfg *g, const yaml_node_t *n, vigil_notify_mq_kind kind, vigil_notify_mq *out)
{
	const char *what = kind == VIGIL_NOTIFY_AMQP ? "notifier.amqp" : "notifier.stomp";
	int rc;
	memset(out, 0, sizeof(*out));
	out->kind = kind;
	if (kind != VIGIL_NOTIFY_AMQP && kind != VIGIL_NOTIFY_STOMP)
		return vigil_error_set(VIGIL_EINVAL, "%s: unknown delivery kind %d", g->path, (int)kind);
	if (n->type != YAML_MAPPING_NODE)
		return cfg_bad(g, n, what, "not a mapping");
	walk_out = out;
	rc = cfg_walk_map(g, n, what, kind == VIGIL_NOTIFY_AMQP ? amqp_key : stomp_key, 1);
	walk_out = NULL;
	if (rc == 0)
		rc = check(g, n, what, out);
	if (rc < 0)
		vigil_notify_mq_clear(out);
	return rc;
}

/* ---- just the two blocks of a file ---- */

static const yaml_node_t *map_get(struct cfg *g, const yaml_node_t *m, const char *key)
{
	if (!m || m->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = cfg_node(g, p->key);
		if (k && k->type == YAML_SCALAR_NODE && !strcmp((const char *)k->data.scalar.value, key))
			return cfg_node(g, p->value);
	}
	return NULL;
}

int srv_notify_mq_parse(const char *what, const char *data, size_t len, vigil_notify_mq out[2], size_t *n,
			void (*warn)(void *ud, const char *msg), void *ud)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	vigil_server_config dummy;
	struct cfg g = { .path = what, .doc = &doc, .c = &dummy, .warn = warn, .ud = ud };
	static const vigil_notify_mq_kind kinds[] = { VIGIL_NOTIFY_AMQP, VIGIL_NOTIFY_STOMP };
	static const char *const keys[] = { "amqp", "stomp" };
	int rc = 0;

	*n = 0;
	memset(&dummy, 0, sizeof(dummy));
	if ((rc = cfg_yaml_load(what, data, len, CFG_MQ_MAX_FILE, &parser, &doc)) < 0)
		return rc;
	const yaml_node_t *root = yaml_document_get_root_node(&doc), *notifier = map_get(&g, root, "notifier");
	for (size_t i = 0; i < 2 && rc == 0; i++) {
		const yaml_node_t *b = map_get(&g, notifier, keys[i]);
		if (!b || cfg_is_null(b))
			continue;
		if ((rc = cfg_notify_mq(&g, b, kinds[i], &out[*n])) == 0)
			(*n)++;
	}
	if (rc < 0) {
		for (size_t i = 0; i < *n; i++)
			vigil_notify_mq_clear(&out[i]);
		*n = 0;
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
}

int srv_notify_mq_load(const char *path, vigil_notify_mq out[2], size_t *n, void (*warn)(void *ud, const char *msg),
		       void *ud)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t len;
	int rc;
	*n = 0;
	if (!f)
		return vigil_error_set(VIGIL_EIO, "%s: cannot open: %s", path, strerror(errno));
	if (!(data = malloc(CFG_MQ_MAX_FILE + 1))) {
		rc = vigil_error_oom();
		goto out;
	}
	len = fread(data, 1, CFG_MQ_MAX_FILE + 1, f);
	if (ferror(f))
		rc = vigil_error_set(VIGIL_EIO, "%s: cannot read", path);
	else
		rc = srv_notify_mq_parse(path, data, len, out, n, warn, ud);
out:
	free(data);
	fclose(f);
	return rc;
}

int vigil_server_notify_targets(const char *config_path, vigil_notify_mq **out, size_t *n,
				void (*warn)(void *ud, const char *msg), void *ud)
{
	vigil_notify_mq *t = calloc(2, sizeof(*t));
	int rc;
	*out = NULL;
	*n = 0;
	if (!t)
		return vigil_error_oom();
	if ((rc = srv_notify_mq_load(config_path, t, n, warn, ud)) < 0) {
		free(t);
		return rc;
	}
	*out = t;
	return 0;
}
