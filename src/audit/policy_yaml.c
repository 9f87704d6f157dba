/* audit/policy_yaml.c: a policy file's YAML as a small tree that keeps the
 * line of every node, so that an error in the file names its line
 * ("policy.yaml:4: unknown rule ..."). libyaml's event parser drives a
 * stack of open containers; scalars are kept as written (the policy
 * reader decides what is a number). Refused: aliases (VIGIL_EUNSUPPORTED),
 * a second document, nesting deeper than POLICY_MAX_DEPTH, more than
 * POLICY_MAX_NODES nodes, a scalar longer than POLICY_MAX_SCALAR. */
#include "audit/policy_priv.h"

#include "util/error.h"

#include <string.h>
#include <yaml.h>

struct py_state {
	vigil_arena *a;
	const char *name;
	py_node *stack[POLICY_MAX_DEPTH];
	int depth;
	size_t nodes;
	int docs;
	py_node *root;
};

bool py_is_null(const py_node *n)
{
	if (!n)
		return true;
	if (n->type != PY_SCALAR || !n->plain)
		return false;
	return n->len == 0 || !strcmp(n->str, "~") || !strcmp(n->str, "null") || !strcmp(n->str, "Null") ||
	       !strcmp(n->str, "NULL");
}

static py_node *node(struct py_state *s, py_type t, uint32_t line)
{
	if (++s->nodes > POLICY_MAX_NODES) {
		vigil_error_set(VIGIL_ELIMIT, "%s:%u: more than %d YAML nodes", s->name, line, POLICY_MAX_NODES);
		return NULL;
	}
	py_node *n = vigil_arena_calloc(s->a, 1, sizeof(*n));
	if (!n) {
		vigil_error_oom();
		return NULL;
	}
	n->type = t;
	n->line = line;
	if (s->depth == 0) {
		s->root = n;
		return n;
	}
	py_node *top = s->stack[s->depth - 1];
	if (top->last)
		top->last->next = n;
	else
		top->first = n;
	top->last = n;
	top->n++;
	return n;
}

static int event(struct py_state *s, const yaml_event_t *ev)
{
	uint32_t line = (uint32_t)ev->start_mark.line + 1;
	py_node *n;
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++s->docs > 1)
			return vigil_error_set(VIGIL_EFORMAT, "%s:%u: a second YAML document (one policy per file)",
					       s->name, line);
		return 0;
	case YAML_ALIAS_EVENT:
		return vigil_error_set(VIGIL_EUNSUPPORTED, "%s:%u: YAML aliases are not supported in a policy",
				       s->name, line);
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.length > POLICY_MAX_SCALAR)
			return vigil_error_set(VIGIL_ELIMIT, "%s:%u: a value of %zu bytes (limit %d)", s->name, line,
					       ev->data.scalar.length, POLICY_MAX_SCALAR);
		if (!(n = node(s, PY_SCALAR, line)))
			return vigil_error_code();
		n->len = ev->data.scalar.length;
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		if (!(n->str = vigil_arena_strndup(s->a, (const char *)ev->data.scalar.value, n->len)))
			return vigil_error_oom();
		if (memchr(n->str, '\0', n->len))
			return vigil_error_set(VIGIL_EFORMAT, "%s:%u: a value holds a NUL byte", s->name, line);
		return 0;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (s->depth >= POLICY_MAX_DEPTH)
			return vigil_error_set(VIGIL_ELIMIT, "%s:%u: YAML nested deeper than %d", s->name, line,
					       POLICY_MAX_DEPTH);
		if (!(n = node(s, ev->type == YAML_MAPPING_START_EVENT ? PY_MAP : PY_SEQ, line)))
			return vigil_error_code();
		s->stack[s->depth++] = n;
		return 0;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (s->depth > 0)
			s->depth--;
		return 0;
	default:
		return 0;
	}
}

int policy_yaml_load(vigil_arena *a, const char *name, const char *data, size_t len, py_node **root)
{
	yaml_parser_t p;
	yaml_event_t ev;
	struct py_state s = { .a = a, .name = name };
	int rc = 0;
	bool done = false;
	*root = NULL;
	if (!yaml_parser_initialize(&p))
		return vigil_error_oom();
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = vigil_error_set(VIGIL_EFORMAT, "%s:%zu: YAML: %s%s%s", name, p.problem_mark.line + 1,
					     p.problem ? p.problem : "syntax error", p.context ? " " : "",
					     p.context ? p.context : "");
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		rc = event(&s, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	if (rc == 0)
		*root = s.root;
	return rc;
}
