/* feed/yaml_json.c: one YAML document read into a jansson tree, so that the
 * YAML feeds of language ecosystems (OSV written as YAML by the PyPA
 * advisory database, RubySec, FriendsOfPHP) go through the same JSON
 * getters as every other feed.
 *
 * libyaml's event parser (yaml_parser_parse) drives a stack of open
 * containers. Every scalar becomes a JSON string exactly as written (no
 * type guessing: "1.10" stays "1.10", a version never becomes a number),
 * except the plain YAML nulls (empty, "~", "null") which become JSON null.
 * Refused: aliases and anchors' uses (VIGIL_EUNSUPPORTED), a second
 * document, mapping keys that are not scalars, duplicate keys. Errors name
 * the line. Limits: FEED_YAML_MAX_DEPTH, FEED_YAML_MAX_NODES,
 * FEED_YAML_MAX_SCALAR, and the caller's file size cap. */
#include "feed/yaml_json.h"
#include "util/error.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

struct yj {
	const char *what;
	json_t *stack[FEED_YAML_MAX_DEPTH];
	json_t *keys[FEED_YAML_MAX_DEPTH]; /* pending key of a mapping (a json string), NULL when none */
	int depth;
	size_t nodes;
	int docs;
	json_t *root;
};

static bool is_null(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return n == 0 || (n == 1 && v[0] == '~') ||
	       (n == 4 && (!memcmp(v, "null", 4) || !memcmp(v, "Null", 4) || !memcmp(v, "NULL", 4)));
}

/* Puts value into the open container (or makes it the root); steals it. */
static int put(struct yj *y, json_t *value, size_t line, bool is_key_scalar)
{
	if (!value)
		return vigil_error_oom();
	if (++y->nodes > FEED_YAML_MAX_NODES) {
		json_decref(value);
		return vigil_error_set(VIGIL_ELIMIT, "%s line %zu: more than %d nodes", y->what, line,
				       FEED_YAML_MAX_NODES);
	}
	if (y->depth == 0) {
		y->root = value;
		return 0;
	}
	json_t *top = y->stack[y->depth - 1];
	if (json_is_array(top))
		return json_array_append_new(top, value) == 0 ? 0 : vigil_error_oom();
	json_t **key = &y->keys[y->depth - 1];
	if (!*key) {
		if (!is_key_scalar || !json_is_string(value)) {
			json_decref(value);
			return vigil_error_set(VIGIL_EUNSUPPORTED, "%s line %zu: a mapping key that is not a string",
					       y->what, line);
		}
		*key = value;
		return 0;
	}
	const char *k = json_string_value(*key);
	int rc = 0;
	if (json_object_get(top, k))
		rc = vigil_error_set(VIGIL_EFORMAT, "%s line %zu: key \"%.64s\" given twice", y->what, line, k);
	else if (json_object_set_new(top, k, value) != 0)
		rc = vigil_error_oom();
	else
		value = NULL;
	json_decref(value);
	json_decref(*key);
	*key = NULL;
	return rc;
}

static int open_container(struct yj *y, json_t *c, size_t line)
{
	if (!c)
		return vigil_error_oom();
	if (y->depth >= FEED_YAML_MAX_DEPTH) {
		json_decref(c);
		return vigil_error_set(VIGIL_ELIMIT, "%s line %zu: nested deeper than %d", y->what, line,
				       FEED_YAML_MAX_DEPTH);
	}
	json_incref(c); /* one reference for the stack, one for the parent */
	int rc = put(y, c, line, false);
	if (rc < 0) {
		json_decref(c);
		return rc;
	}
	y->stack[y->depth] = c;
	y->keys[y->depth] = NULL;
	y->depth++;
	return 0;
}

static int on_event(struct yj *y, const yaml_event_t *ev)
{
	size_t line = ev->start_mark.line + 1;
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++y->docs > 1)
			return vigil_error_set(VIGIL_EUNSUPPORTED, "%s line %zu: a second YAML document", y->what, line);
		return 0;
	case YAML_ALIAS_EVENT:
		return vigil_error_set(VIGIL_EUNSUPPORTED, "%s line %zu: YAML aliases are not read", y->what, line);
	case YAML_SCALAR_EVENT: {
		if (ev->data.scalar.length > FEED_YAML_MAX_SCALAR)
			return vigil_error_set(VIGIL_ELIMIT, "%s line %zu: a scalar of %zu bytes (limit %d)", y->what,
					       line, ev->data.scalar.length, FEED_YAML_MAX_SCALAR);
		json_t *v = is_null(ev) ? json_null()
					: json_stringn((const char *)ev->data.scalar.value, ev->data.scalar.length);
		if (!v)
			return vigil_error_set(VIGIL_EFORMAT, "%s line %zu: a scalar that is not UTF-8", y->what, line);
		return put(y, v, line, true);
	}
	case YAML_SEQUENCE_START_EVENT:
		return open_container(y, json_array(), line);
	case YAML_MAPPING_START_EVENT:
		return open_container(y, json_object(), line);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (y->depth > 0) {
			y->depth--;
			json_decref(y->keys[y->depth]);
			y->keys[y->depth] = NULL;
			json_decref(y->stack[y->depth]);
		}
		return 0;
	default:
		return 0;
	}
}

int feed_yaml_to_json(const char *what, const char *data, size_t len, json_t **out)
{
	struct yj y = { .what = what };
	yaml_parser_t p;
	yaml_event_t ev;
	bool done = false;
	int rc = 0;

	*out = NULL;
	if (!yaml_parser_initialize(&p))
		return vigil_error_oom();
	yaml_parser_set_input_string(&p, (const unsigned char *)(data ? data : ""), len);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = vigil_error_set(VIGIL_EFORMAT, "%s line %zu: %s", what, p.problem_mark.line + 1,
					     p.problem ? p.problem : "not YAML");
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		rc = on_event(&y, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	while (y.depth > 0) {
		y.depth--;
		json_decref(y.keys[y.depth]);
		json_decref(y.stack[y.depth]);
	}
	if (rc < 0) {
		json_decref(y.root);
		return rc;
	}
	*out = y.root ? y.root : json_null();
	return 0;
}

int feed_yaml_parse(vigil_feed_ctx *ctx, const char *name, const char *data, size_t len, size_t max,
		    int (*parse)(vigil_feed_ctx *ctx, json_t *doc))
{
	char what[64];
	json_t *doc;
	int rc;
	if (!data && len)
		return vigil_error_set(VIGIL_EINVAL, "%s: no data", name);
	if (len > max)
		return vigil_error_set(VIGIL_ELIMIT, "%s: %zu bytes (limit %zu)", name, len, max);
	snprintf(what, sizeof(what), "%s YAML", name);
	if ((rc = feed_yaml_to_json(what, data ? data : "", len, &doc)) < 0)
		return rc;
	rc = parse(ctx, doc);
	json_decref(doc);
	return rc;
}
