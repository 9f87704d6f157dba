/* server/config.c: the server's YAML configuration, read with libyaml's
 * document loader. It accepts the keys of Clair v4's own config that mean
 * the same thing in vigil (http_listen_addr, introspection_addr, log_level,
 * indexer.connstring, matcher.connstring, matcher.period,
 * matcher.disable_updaters, auth.psk.key and auth.psk.iss)
 * plus vigil's mode and threads and registry_events (events_conf.c), so an existing Clair deployment's file
 * mostly just works; and Clair 2's layout (everything under clair:, its
 * api.port, api.healthport, database.options.source and updater.interval
 * mapped on the same settings), so a Clair 2 deployment's file does too.
 * Clair keys vigil has no use for, and unknown keys, are
 * warnings naming the key; a bad value is an error naming the key and line,
 * and so are auth.keyserver and clair.api.cafile (vigil fails closed
 * rather than serve without the authentication asked for). log_level is read in any case, as Clair.
 * See docs/server.md. */
#include "server/config_priv.h"
#include "util/base64.h"
#include "util/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Named limits of a config file. */
#define SRV_CONFIG_MAX_SIZE  ((size_t)1024 * 1024) /* the file */
#define SRV_CONFIG_MAX_DEPTH 32                    /* nested mappings and lists */
#define SRV_CONFIG_MAX_NODES 100000                /* nodes visited (aliases included) */
#define SRV_CONFIG_MAX_THREADS 1024


int cfg_line_of(const yaml_node_t *n)
{
	return (int)n->start_mark.line + 1;
}

void cfg_warnf(struct cfg *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cfg_warnf(struct cfg *g, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	if (!g->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	g->warn(g->ud, msg);
}

int cfg_bad(struct cfg *g, const yaml_node_t *n, const char *key, const char *why)
{
	return vigil_error_set(VIGIL_EFORMAT, "%s: line %d: %s: %s", g->path, cfg_line_of(n), key, why);
}

yaml_node_t *cfg_node(struct cfg *g, int id)
{
	if (++g->visited > SRV_CONFIG_MAX_NODES)
		return NULL;
	return yaml_document_get_node(g->doc, id);
}

/* A YAML null: ~, null, Null, NULL or nothing, written plain. */
int cfg_is_null(const yaml_node_t *n)
{
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	const char *v = (const char *)n->data.scalar.value;
	return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") || !strcmp(v, "NULL");
}

/* A string value into out (n bytes); null or "" keeps what is there. */
int cfg_get_str(struct cfg *g, const yaml_node_t *v, const char *key, char *out, size_t n)
{
	if (cfg_is_null(v))
		return 0;
	if (v->type != YAML_SCALAR_NODE)
		return cfg_bad(g, v, key, "not a string");
	size_t len = v->data.scalar.length;
	if (memchr(v->data.scalar.value, 0, len))
		return cfg_bad(g, v, key, "contains a NUL byte");
	if (len >= n) {
		char why[64];
		snprintf(why, sizeof(why), "longer than %zu bytes", n - 1);
		return cfg_bad(g, v, key, why);
	}
	if (!len)
		return 0;
	memcpy(out, v->data.scalar.value, len);
	out[len] = 0;
	return 0;
}

static int decode_key(struct cfg *g, const yaml_node_t *v)
{
	const char *key = "auth.psk.key";
	char text[1024];
	size_t k = 0, n = 0;
	int rc;
	text[0] = 0;
	if ((rc = cfg_get_str(g, v, key, text, sizeof(text))) < 0)
		return rc;
	/* folded scalars (key: >-) may carry line breaks and spaces */
	for (size_t i = 0; text[i]; i++)
		if (text[i] != ' ' && text[i] != '\n' && text[i] != '\r' && text[i] != '\t')
			text[k++] = text[i];
	text[k] = 0;
	if (!k) {
		g->c->auth_psk_len = 0;
		return 0;
	}
	rc = vigil_base64_decode(text, k, 0, g->c->auth_psk, sizeof(g->c->auth_psk), &n);
	if (rc == VIGIL_ELIMIT)
		return cfg_bad(g, v, key, "key longer than 512 bytes");
	if (rc < 0)
		return cfg_bad(g, v, key, "not valid base64 (padded, standard alphabet)");
	if (n == 0)
		return cfg_bad(g, v, key, "decodes to nothing");
	g->c->auth_psk_len = n;
	return 0;
}

static int read_issuers(struct cfg *g, const yaml_node_t *v)
{
	const char *key = "auth.psk.iss";
	vigil_server_config *c = g->c;
	int rc;
	c->n_issuers = 0;
	if (cfg_is_null(v))
		return 0;
	if (v->type == YAML_SCALAR_NODE) { /* iss: 'quay' (Red Hat's example) */
		c->auth_issuers[0][0] = 0;
		if ((rc = cfg_get_str(g, v, key, c->auth_issuers[0], sizeof(c->auth_issuers[0]))) < 0)
			return rc;
		c->n_issuers = c->auth_issuers[0][0] ? 1 : 0;
		return 0;
	}
	if (v->type != YAML_SEQUENCE_NODE)
		return cfg_bad(g, v, key, "not a list of strings");
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		const yaml_node_t *e = cfg_node(g, *it);
		if (!e)
			return cfg_bad(g, v, key, "too many nodes");
		if (c->n_issuers >= SRV_MAX_ISSUERS)
			return cfg_bad(g, e, key, "more than 16 issuers");
		if (e->type != YAML_SCALAR_NODE || cfg_is_null(e))
			return cfg_bad(g, e, key, "an issuer is not a string");
		char *dst = c->auth_issuers[c->n_issuers];
		dst[0] = 0;
		if ((rc = cfg_get_str(g, e, key, dst, sizeof(c->auth_issuers[0]))) < 0)
			return rc;
		if (dst[0])
			c->n_issuers++;
	}
	return 0;
}

static int get_threads(struct cfg *g, const yaml_node_t *v)
{
	char s[16] = "";
	int rc;
	long t = 0;
	if (cfg_is_null(v))
		return 0;
	if (v->type != YAML_SCALAR_NODE || (rc = cfg_get_str(g, v, "threads", s, sizeof(s))) < 0 || !s[0])
		return cfg_bad(g, v, "threads", "not a number");
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return cfg_bad(g, v, "threads", "not a number");
		t = t * 10 + (*p - '0');
		if (t > SRV_CONFIG_MAX_THREADS)
			return cfg_bad(g, v, "threads", "more than 1024");
	}
	g->c->threads = (int)t;
	return 0;
}

/* An integer in [min, max] (a leading '-' allowed when min < 0; for sizes
 * a K, M or G suffix, with or without "iB", multiplies by 1024s). */
int cfg_get_int(struct cfg *g, const yaml_node_t *v, const char *key, long long min, long long max,
		   bool sizes, long long *out)
{
	char s[32] = "", why[96];
	const char *p = s;
	long long t = 0, mul = 1;
	bool neg = false;
	if (cfg_is_null(v))
		return 0;
	if (v->type != YAML_SCALAR_NODE || cfg_get_str(g, v, key, s, sizeof(s)) < 0 || !s[0])
		return cfg_bad(g, v, key, "not a number");
	if (*p == '-' && min < 0) {
		neg = true;
		p++;
	}
	if (*p < '0' || *p > '9')
		return cfg_bad(g, v, key, "not a number");
	for (; *p >= '0' && *p <= '9'; p++)
		if (t <= max) /* past max it stays past max (no overflow) */
			t = t * 10 + (*p - '0');
	if (sizes && *p) {
		mul = *p == 'K' || *p == 'k' ? 1024 : *p == 'M' ? 1024 * 1024 : *p == 'G' ? 1024LL * 1024 * 1024 : 0;
		if (mul && (!strcmp(p + 1, "") || !strcmp(p + 1, "iB") || !strcmp(p + 1, "B")))
			p += strlen(p);
	}
	if (*p)
		return cfg_bad(g, v, key, "not a number");
	if (t > max / mul || (neg ? -t : t * mul) < min) {
		snprintf(why, sizeof(why), "out of range (%lld..%lld)", min, max);
		return cfg_bad(g, v, key, why);
	}
	*out = neg ? -t : t * mul;
	return 0;
}

int cfg_get_small(struct cfg *g, const yaml_node_t *v, const char *key, long long min, long long max, int *out)
{
	long long t = *out;
	int rc = cfg_get_int(g, v, key, min, max, false, &t);
	*out = (int)t;
	return rc;
}

int cfg_one_of(const char *v, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(v, *set))
			return 1;
	return 0;
}

/* Keys of a section: name = value handler. */

int cfg_walk_map(struct cfg *g, const yaml_node_t *m, const char *prefix, key_fn fn, int depth)
{
	if (depth > SRV_CONFIG_MAX_DEPTH)
		return cfg_bad(g, m, prefix[0] ? prefix : "(top)", "nested too deep");
	if (cfg_is_null(m))
		return 0;
	if (m->type != YAML_MAPPING_NODE)
		return cfg_bad(g, m, prefix[0] ? prefix : "(top)", "not a mapping");
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = cfg_node(g, p->key), *v = cfg_node(g, p->value);
		char path[256];
		int rc;
		if (!k || !v)
			return cfg_bad(g, m, prefix, "too many nodes");
		if (k->type != YAML_SCALAR_NODE)
			return cfg_bad(g, k, prefix[0] ? prefix : "(top)", "a key is not a string");
		snprintf(path, sizeof(path), "%s%s%.*s", prefix, prefix[0] ? "." : "",
			 (int)(k->data.scalar.length > 128 ? 128 : k->data.scalar.length),
			 (const char *)k->data.scalar.value);
		if ((rc = fn(g, path, v, depth + 1)) < 0)
			return rc;
	}
	return 0;
}

void cfg_ignored(struct cfg *g, const char *path, const yaml_node_t *v)
{
	cfg_warnf(g, "%s: line %d: %s: Clair key not used by vigil, ignored", g->path, cfg_line_of(v), path);
}

void cfg_unknown(struct cfg *g, const char *path, const yaml_node_t *v)
{
	cfg_warnf(g, "%s: line %d: %s: unknown key, ignored", g->path, cfg_line_of(v), path);
}

static int psk_key(struct cfg *g, const char *path, const yaml_node_t *v, int depth)
{
	if (!strcmp(path, "auth.psk.key"))
		return decode_key(g, v);
	if (!strcmp(path, "auth.psk.iss"))
		return read_issuers(g, v);
	cfg_unknown(g, path, v);
	return 0;
}

static int auth_key(struct cfg *g, const char *path, const yaml_node_t *v, int depth)
{
	if (!strcmp(path, "auth.psk"))
		return cfg_walk_map(g, v, path, psk_key, depth);
	if (!strcmp(path, "auth.keyserver")) {
		/* failing closed: serving without the authentication asked for
		 * would open the API to anyone */
		if (!cfg_is_null(v) && !(v->type == YAML_MAPPING_NODE &&
				     v->data.mapping.pairs.top == v->data.mapping.pairs.start))
			return cfg_bad(g, v, path, "Quay's keyserver authentication is not supported by vigil "
					       "(use auth.psk): refusing to serve without it");
		cfg_ignored(g, path, v);
	} else
		cfg_unknown(g, path, v);
	return 0;
}

static const char *const indexer_clair[] = { "scanlock_retry", "layer_scan_concurrency", "migrations",
					     "scanner", "airgap", NULL };
static const char *const matcher_clair[] = { "indexer_addr", "migrations", "update_retention",
					     "max_conn_pool", "cache_age", NULL };

static int section_key(struct cfg *g, const char *path, const yaml_node_t *v, int depth)
{
	const char *dot = strchr(path, '.');
	if (!strcmp(path, "indexer.fetch"))
		return cfg_walk_map(g, v, path, cfg_fetch_key, depth);
	const char *leaf = dot ? dot + 1 : path;
	if (!strcmp(path, "indexer.max_layer_size"))
		return cfg_get_max_layer_size(g, path, v);
	if (!strcmp(leaf, "connstring")) {
		if (!strncmp(path, "indexer.", 8))
			return cfg_get_str(g, v, path, g->c->indexer_connstring, sizeof(g->c->indexer_connstring));
		return cfg_get_str(g, v, path, g->c->matcher_connstring, sizeof(g->c->matcher_connstring));
	}
	if (!strcmp(path, "indexer.index_report_request_concurrency"))
		return cfg_get_small(g, v, path, -1000000, 1000000, &g->c->index_concurrency);
	if (!strcmp(path, "indexer.index_report_queue"))
		return cfg_get_small(g, v, path, 0, SRV_MAX_INDEX_QUEUE, &g->c->index_queue);
	if (!strcmp(path, "matcher.period"))
		return cfg_get_period(g, v, path, &g->c->update_period_s);
	if (!strcmp(path, "matcher.disable_updaters"))
		return cfg_get_bool(g, v, path, &g->c->disable_updaters);
	if (!strcmp(path, "matcher.lang_os_owned")) /* vigil: match language packages an OS package owns */
		return cfg_get_bool(g, v, path, &g->c->lang_os_owned);
	if (cfg_one_of(leaf, strncmp(path, "indexer.", 8) ? matcher_clair : indexer_clair))
		cfg_ignored(g, path, v);
	else
		cfg_unknown(g, path, v);
	return 0;
}

static const char *const top_clair[] = { "tls", "matchers", "updaters", "trace", "metrics", NULL };
static const char *const log_levels[] = { "debug-color", "debug", "info", "warn", "warning", "error", "fatal",
					  "panic", NULL };
static const char *const modes[] = { "combo", "indexer", "matcher", NULL };

static int top_key(struct cfg *g, const char *path, const yaml_node_t *v, int depth)
{
	vigil_server_config *c = g->c;
	int rc;
	if (!strcmp(path, "http_listen_addr"))
		return cfg_get_str(g, v, path, c->http_listen_addr, sizeof(c->http_listen_addr));
	if (!strcmp(path, "introspection_addr"))
		return cfg_get_str(g, v, path, c->introspection_addr, sizeof(c->introspection_addr));
	if (!strcmp(path, "log_level")) {
		char lv[sizeof(c->log_level)] = "";
		if ((rc = cfg_get_str(g, v, path, lv, sizeof(lv))) < 0)
			return rc;
		/* as Clair: any case ("INFO"), and "warning" */
		for (char *p = lv; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		if (lv[0] && !cfg_one_of(lv, log_levels))
			return cfg_bad(g, v, path, "not one of debug-color, debug, info, warn, error, fatal, panic");
		if (!strcmp(lv, "warning"))
			snprintf(lv, sizeof(lv), "warn");
		if (lv[0])
			memcpy(c->log_level, lv, sizeof(lv));
		return 0;
	}
	if (!strcmp(path, "mode")) {
		char m[sizeof(c->mode)] = "";
		if ((rc = cfg_get_str(g, v, path, m, sizeof(m))) < 0)
			return rc;
		if (m[0] && !cfg_one_of(m, modes))
			return cfg_bad(g, v, path, "not one of combo, indexer, matcher");
		if (m[0])
			memcpy(c->mode, m, sizeof(m));
		return 0;
	}
	if (!strcmp(path, "threads"))
		return get_threads(g, v);
	if (!strcmp(path, "report_cache_bytes"))
		return cfg_get_int(g, v, path, 0, (long long)1 << 40, true, &c->report_cache_bytes);
	if (!strcmp(path, "shutdown_grace"))
		return cfg_get_small(g, v, path, 0, SRV_MAX_SHUTDOWN_GRACE_S, &c->shutdown_grace_s);
	if (!strcmp(path, "indexer") || !strcmp(path, "matcher"))
		return cfg_walk_map(g, v, path, section_key, depth);
	if (!strcmp(path, "auth"))
		return cfg_walk_map(g, v, path, auth_key, depth);
	if (!strcmp(path, "clair"))
		return cfg_walk_map(g, v, path, cfg_clair2_key, depth);
	if (!strcmp(path, "registry_events"))
		return cfg_walk_map(g, v, path, cfg_events_key, depth);
	if (!strcmp(path, "harbor"))
		return cfg_walk_map(g, v, path, cfg_harbor_key, depth);
	if (!strcmp(path, "notifier")) {
		c->notifier_on = true;
		return cfg_walk_map(g, v, path, cfg_notifier_key, depth);
	}
	if (cfg_one_of(path, top_clair))
		cfg_ignored(g, path, v);
	else
		cfg_unknown(g, path, v);
	return 0;
}

void srv_config_defaults(vigil_server_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->http_listen_addr, sizeof(c->http_listen_addr), ":6060");
	snprintf(c->introspection_addr, sizeof(c->introspection_addr), ":8089");
	snprintf(c->log_level, sizeof(c->log_level), "info");
	snprintf(c->mode, sizeof(c->mode), "combo");
	c->index_queue = SRV_INDEX_QUEUE;
	c->report_cache_bytes = SRV_RCACHE_DEFAULT;
	c->shutdown_grace_s = SRV_SHUTDOWN_GRACE_S;
	c->events.workers = SRV_EV_DEFAULT_WORKERS;
	c->events.queue = SRV_EV_DEFAULT_QUEUE;
	snprintf(c->events.platform, sizeof(c->events.platform), "%s", SRV_EV_DEFAULT_PLATFORM);
}

long srv_config_update_period(const vigil_server_config *c, long option_s)
{
	if (option_s > 0)
		return option_s;
	return c->disable_updaters ? 0 : c->update_period_s;
}

/* Parses len bytes of YAML (what names the source in messages) over c. */

int cfg_yaml_load(const char *what, const char *data, size_t len, size_t max, yaml_parser_t *parser,
		  yaml_document_t *doc)
{
	int rc;
	if (len > max)
		return vigil_error_set(VIGIL_ELIMIT, "%s: larger than %zu bytes", what, max);
	if (!yaml_parser_initialize(parser))
		return vigil_error_oom();
	yaml_parser_set_input_string(parser, (const unsigned char *)data, len);
	if (!yaml_parser_load(parser, doc)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: line %zu: %s", what, parser->problem_mark.line + 1,
				     parser->problem ? parser->problem : "not YAML");
		yaml_parser_delete(parser);
		return rc;
	}
	return 0;
}

int srv_config_parse(const char *what, const char *data, size_t len, vigil_server_config *c,
		     void (*warn)(void *ud, const char *msg), void *ud)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	vigil_server_config work = *c;
	struct cfg g = { .path = what, .doc = &doc, .c = &work, .warn = warn, .ud = ud };
	int rc;

	if ((rc = cfg_yaml_load(what, data, len, SRV_CONFIG_MAX_SIZE, &parser, &doc)) < 0)
		return rc;
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (root) /* an empty file is the defaults */
		rc = cfg_walk_map(&g, root, "", top_key, 0);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (rc == 0)
		*c = work;
	return rc;
}

int srv_config_load(const char *path, vigil_server_config *c, void (*warn)(void *ud, const char *msg),
		    void *ud)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t len = 0;
	int rc;
	if (!f)
		return vigil_error_set(VIGIL_EIO, "%s: cannot open: %s", path, strerror(errno));
	data = malloc(SRV_CONFIG_MAX_SIZE + 1);
	if (!data) {
		fclose(f);
		return vigil_error_oom();
	}
	len = fread(data, 1, SRV_CONFIG_MAX_SIZE + 1, f);
	if (ferror(f)) {
		rc = vigil_error_set(VIGIL_EIO, "%s: cannot read", path);
		goto out;
	}
	if (len > SRV_CONFIG_MAX_SIZE) {
		rc = vigil_error_set(VIGIL_ELIMIT, "%s: larger than %zu bytes", path, SRV_CONFIG_MAX_SIZE);
		goto out;
	}
	rc = srv_config_parse(path, data, len, c, warn, ud);
out:
	free(data);
	fclose(f);
	return rc;
}
