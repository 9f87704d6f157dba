/* server/config_priv.h: what the files of the config reader share
 * (config.c: the walk, Clair v4's keys and the helpers; config_vigil.c:
 * vigil's own keys, the fetch policy and sizes; clair2_conf.c: Clair 2's
 * clair: layout; config_notify.c: notifier:). Included by those only. */
#ifndef VIGIL_SERVER_CONFIG_PRIV_H
#define VIGIL_SERVER_CONFIG_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "server/server.h"

struct cfg {
	const char *path;
	yaml_document_t *doc;
	vigil_server_config *c;
	void (*warn)(void *ud, const char *msg);
	void *ud;
	size_t visited;
};

typedef int (*key_fn)(struct cfg *g, const char *path, const yaml_node_t *v, int depth);

/* ---- helpers (config.c) ---- */
int cfg_line_of(const yaml_node_t *n);
/* Loads len bytes of YAML (at most max) into doc, parser initialised;
 * the caller deletes both. An error (too big, not YAML with its line)
 * leaves nothing to delete. */
int cfg_yaml_load(const char *what, const char *data, size_t len, size_t max, yaml_parser_t *parser,
		  yaml_document_t *doc);
void cfg_warnf(struct cfg *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* VIGIL_EFORMAT: "<file>: line N: <key>: <why>". */
int cfg_bad(struct cfg *g, const yaml_node_t *n, const char *key, const char *why);
/* The node id, or NULL past SRV_CONFIG_MAX_NODES visits. */
yaml_node_t *cfg_node(struct cfg *g, int id);
int cfg_is_null(const yaml_node_t *n);
int cfg_get_str(struct cfg *g, const yaml_node_t *v, const char *key, char *out, size_t n);
int cfg_get_int(struct cfg *g, const yaml_node_t *v, const char *key, long long min, long long max,
		bool sizes, long long *out);
int cfg_get_small(struct cfg *g, const yaml_node_t *v, const char *key, long long min, long long max, int *out);
int cfg_one_of(const char *v, const char *const *set);
int cfg_walk_map(struct cfg *g, const yaml_node_t *m, const char *prefix, key_fn fn, int depth);
void cfg_ignored(struct cfg *g, const char *path, const yaml_node_t *v);
void cfg_unknown(struct cfg *g, const char *path, const yaml_node_t *v);

/* ---- vigil's keys (config_vigil.c) ---- */
int cfg_get_period(struct cfg *g, const yaml_node_t *v, const char *key, long *out);
int cfg_get_bool(struct cfg *g, const yaml_node_t *v, const char *key, bool *out);
int cfg_get_max_layer_size(struct cfg *g, const char *path, const yaml_node_t *v);
/* indexer.fetch.{deny,allow,deadline} */
int cfg_fetch_key(struct cfg *g, const char *path, const yaml_node_t *v, int depth);
/* harbor.{listen,token} (docs/harbor.md) */
int cfg_harbor_key(struct cfg *g, const char *path, const yaml_node_t *v, int depth);

/* ---- registry_events: push-triggered scanning (events_conf.c) ---- */
int cfg_events_key(struct cfg *g, const char *path, const yaml_node_t *v, int depth);

/* ---- notifier: (config_notify.c) ---- */
int cfg_notifier_key(struct cfg *g, const char *path, const yaml_node_t *v, int depth);

/* ---- Clair 2's clair: layout (clair2_conf.c) ---- */
int cfg_clair2_key(struct cfg *g, const char *path, const yaml_node_t *v, int depth);

#endif
