/* feed/yaml_json.h: one YAML document as a jansson tree (feed/yaml_json.c):
 * scalars are strings as written, plain nulls are null; no aliases. */
#ifndef VIGIL_FEED_YAML_JSON_H
#define VIGIL_FEED_YAML_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "feed/feed.h"

/* Nesting of containers, nodes of one document, bytes of one scalar. */
#define FEED_YAML_MAX_DEPTH 64
#define FEED_YAML_MAX_NODES 2000000
#define FEED_YAML_MAX_SCALAR (1024 * 1024)

/* *out gets the document (json null for an empty stream); the caller
 * decrefs it. what names the input in messages ("rubysec YAML"). */
int feed_yaml_to_json(const char *what, const char *data, size_t len, json_t **out);

/* A feed file that is one YAML document: at most max bytes ("<name>: N
 * bytes (limit M)"), read into a tree ("<name> YAML: ..." on failure) and
 * handed to parse. name names the feed in messages ("rubysec"). */
int feed_yaml_parse(vigil_feed_ctx *ctx, const char *name, const char *data, size_t len, size_t max,
		    int (*parse)(vigil_feed_ctx *ctx, json_t *doc));

#endif
