/* audit/secret_yaml.c: a secret rules file read with libyaml into a small
 * tree that keeps each node's line, so that every error names the file and
 * the line (feed/yaml_json.c drops them). No aliases, no anchors' use, at
 * most SECRET_YAML_MAX_NODES nodes nested SECRET_YAML_MAX_DEPTH deep. */
#include "audit/secret_priv.h"

#include "util/error.h"
#include "util/grow.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct ystate {
	const char *name;
	secret_yaml *stack[SECRET_YAML_MAX_DEPTH];
	size_t depth, nodes;
	secret_yaml *root;
};

void secret_yaml_free(secret_yaml *y)
{
	if (!y)
		return;
	for (size_t i = 0; i < y->nkids; i++)
		secret_yaml_free(y->kids[i]);
	free(y->kids);
	free(y->str);
	free(y);
}

static int attach(struct ystate *s, secret_yaml *y)
{
	if (!s->depth) {
		s->root = y;
		return 0;
	}
	secret_yaml *p = s->stack[s->depth - 1];
	if (vigil_grow((void **)&p->kids, &p->cap, p->nkids, sizeof(*p->kids), 8, SECRET_YAML_MAX_NODES) < 0) {
		secret_yaml_free(y);
		return vigil_error_oom();
	}
	p->kids[p->nkids++] = y;
	return 0;
}

static int node(struct ystate *s, const yaml_event_t *e)
{
	size_t line = e->start_mark.line + 1;
	if (++s->nodes > SECRET_YAML_MAX_NODES)
		return vigil_error_set(VIGIL_ELIMIT, "%s:%zu: more than %d YAML nodes", s->name, line,
				       SECRET_YAML_MAX_NODES);
	secret_yaml *y = calloc(1, sizeof(*y));
	if (!y)
		return vigil_error_oom();
	y->line = line;
	if (e->type == YAML_SCALAR_EVENT) {
		y->kind = SY_SCALAR;
		y->len = e->data.scalar.length;
		if (!(y->str = malloc(y->len + 1))) {
			free(y);
			return vigil_error_oom();
		}
		memcpy(y->str, e->data.scalar.value, y->len);
		y->str[y->len] = '\0';
		return attach(s, y);
	}
	y->kind = e->type == YAML_SEQUENCE_START_EVENT ? SY_SEQ : SY_MAP;
	if (s->depth == SECRET_YAML_MAX_DEPTH) {
		free(y);
		return vigil_error_set(VIGIL_ELIMIT, "%s:%zu: nested more than %d deep", s->name, line,
				       SECRET_YAML_MAX_DEPTH);
	}
	int rc = attach(s, y);
	if (rc == 0)
		s->stack[s->depth++] = y;
	return rc;
}

static int event(struct ystate *s, const yaml_event_t *e, bool *done)
{
	switch (e->type) {
	case YAML_SCALAR_EVENT:
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		return node(s, e);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (s->depth)
			s->depth--;
		return 0;
	case YAML_ALIAS_EVENT:
		return vigil_error_set(VIGIL_EFORMAT, "%s:%zu: YAML aliases are not supported", s->name,
				       (size_t)e->start_mark.line + 1);
	case YAML_DOCUMENT_END_EVENT:
	case YAML_STREAM_END_EVENT:
		*done = true;
		return 0;
	default:
		return 0;
	}
}

int secret_yaml_parse(const char *name, const char *text, size_t len, secret_yaml **out)
{
	yaml_parser_t p;
	struct ystate s = { .name = name };
	bool done = false;
	int rc = 0;
	*out = NULL;
	if (!yaml_parser_initialize(&p))
		return vigil_error_oom();
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (!done && rc == 0) {
		yaml_event_t e;
		if (!yaml_parser_parse(&p, &e)) {
			rc = vigil_error_set(VIGIL_EFORMAT, "%s:%zu: YAML: %s", name, (size_t)p.problem_mark.line + 1,
					     p.problem ? p.problem : "cannot parse");
			break;
		}
		rc = event(&s, &e, &done);
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&p);
	if (rc < 0) {
		secret_yaml_free(s.root);
		return rc;
	}
	*out = s.root;
	return 0;
}
