/* audit/policy_parse.c: the policy file of vigil audit (docs/audit.md (Policy)):
 *
 *   rules:
 *     pass-max-days: {max: 90, severity: medium}
 *     deny-packages: {names: [telnetd, "netcat-*"]}
 *     finding-age: [{severity: critical, max-days: 7}, {severity: high, max-days: 30}]
 *     no-ssh-server: false          # off
 *
 * "rules" is a mapping of rule names, in the order the results are
 * reported; a rule's value is a mapping of its parameters, empty (the
 * defaults), true (the defaults), false (the rule is off) or a list of
 * mappings (the rule judged once per item). "version: 1" may be given.
 * "extends: builtin" starts from the built-in policy: a rule the file
 * names replaces the built-in one in place (false removes it).
 * Everything else is an error naming the file, the line and the rule: an
 * unknown rule (with the nearest known name), an unknown parameter (with
 * the known ones), a value of the wrong type, a rule given twice. */
#include "audit/policy_priv.h"

#include "audit_policy_default.h"
#include "util/error.h"
#include "util/file.h"
#include "util/slice.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const login_params[] = { "severity", "if-missing", NULL };
static const char *const ssh_params[] = { "severity", "paths", "packages", "ports", NULL };
static const char *const sev_params[] = { "severity", NULL };
static const char *const env_params[] = { "severity", "allow", NULL };
static const char *const deny_params[] = { "severity", "names", "show", NULL };
static const char *const base_params[] = { "severity", "max-days", NULL };
static const char *const age_params[] = { "severity", "max-days", "fixed-only", "show", NULL };

static const struct rule_def {
	const char *name;
	vigil_severity severity;
	int64_t limit;
	const char *limit_param; /* "max", "min", "max-days"; NULL */
	const char *const *params;
} defs[POL_KIND_COUNT] = {
	[POL_PASS_MAX_DAYS] = { "pass-max-days", VIGIL_SEV_MEDIUM, 90, "max", login_params },
	[POL_PASS_MIN_DAYS] = { "pass-min-days", VIGIL_SEV_LOW, 1, "min", login_params },
	[POL_PASS_MIN_LEN] = { "pass-min-len", VIGIL_SEV_MEDIUM, 8, "min", login_params },
	[POL_NO_SSH_SERVER] = { "no-ssh-server", VIGIL_SEV_MEDIUM, 0, NULL, ssh_params },
	[POL_NOT_ROOT] = { "not-root", VIGIL_SEV_MEDIUM, 0, NULL, sev_params },
	[POL_NO_SECRETS_IN_ENV] = { "no-secrets-in-env", VIGIL_SEV_HIGH, 0, NULL, env_params },
	[POL_DENY_PACKAGES] = { "deny-packages", VIGIL_SEV_HIGH, 0, NULL, deny_params },
	[POL_BASE_IMAGE_AGE] = { "base-image-age", VIGIL_SEV_LOW, 365, "max-days", base_params },
	[POL_FINDING_AGE] = { "finding-age", VIGIL_SEV_HIGH, 30, "max-days", age_params },
};

static const char *const ssh_paths[] = { "usr/sbin/sshd", "sbin/sshd", "usr/sbin/dropbear", "sbin/dropbear",
					 "usr/bin/dropbear", "usr/bin/tinysshd", NULL };
static const char *const ssh_packages[] = { "openssh-server", "openssh-server-pam", "dropbear", "dropbear-bin",
					    "tinysshd", "tinyssh", NULL };
static const char *const ssh_ports[] = { "22/tcp", NULL };

const char *policy_kind_name(policy_kind k)
{
	return k < POL_KIND_COUNT ? defs[k].name : NULL;
}

const char *policy_default_text(size_t *len)
{
	*len = policy_default_yaml_LEN;
	return policy_default_yaml;
}

/* ---- did you mean ---- */

static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64];
	if (la >= 63 || lb >= 63)
		return 64;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

static const char *nearest(const char *word)
{
	const char *best = NULL;
	size_t bd = 4;
	for (int k = 0; k < POL_KIND_COUNT; k++) {
		size_t d = distance(word, defs[k].name), wl = strlen(word);
		if (wl >= 4 && (!strncmp(defs[k].name, word, wl) || strstr(defs[k].name, word)))
			d = 1; /* "no-ssh", "secrets-in-env" */
		if (d < bd) {
			bd = d;
			best = defs[k].name;
		}
	}
	return best;
}

/* ---- parameters ---- */

struct ctx {
	policy *p;
	char rule[80];
	bool named[POL_KIND_COUNT]; /* the rules the file names (false included) */
};

static int bad(struct ctx *c, const py_node *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int bad(struct ctx *c, const py_node *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return vigil_error_set(VIGIL_EFORMAT, "%s:%u: rule %s: %s", c->p->name, n->line, c->rule, msg);
}

static int p_number(struct ctx *c, const char *param, const py_node *v, int64_t *out)
{
	uint64_t x;
	if (v->type != PY_SCALAR || !vigil_slice_to_u64(vigil_slice_make(v->str, v->len), POLICY_MAX_NUMBER, &x))
		return bad(c, v, "%s: a whole number from 0 to 1000000 expected, not '%.64s'", param,
			   v->type == PY_SCALAR ? v->str : "(a list or mapping)");
	*out = (int64_t)x;
	return 0;
}

static int p_severity(struct ctx *c, const char *param, const py_node *v, vigil_severity *out)
{
	for (int s = VIGIL_SEV_UNKNOWN; v->type == PY_SCALAR && s <= VIGIL_SEV_CRITICAL; s++)
		if (!strcasecmp(v->str, vigil_severity_name((vigil_severity)s))) {
			*out = (vigil_severity)s;
			return 0;
		}
	return bad(c, v, "%s: one of negligible, low, medium, high, critical expected, not '%.64s'", param,
		   v->type == PY_SCALAR ? v->str : "(a list or mapping)");
}

static int p_bool(struct ctx *c, const char *param, const py_node *v, bool *out)
{
	if (v->type == PY_SCALAR && (!strcmp(v->str, "true") || !strcmp(v->str, "yes"))) {
		*out = true;
		return 0;
	}
	if (v->type == PY_SCALAR && (!strcmp(v->str, "false") || !strcmp(v->str, "no"))) {
		*out = false;
		return 0;
	}
	return bad(c, v, "%s: true or false expected, not '%.64s'", param,
		   v->type == PY_SCALAR ? v->str : "(a list or mapping)");
}

static int p_missing(struct ctx *c, const char *param, const py_node *v, policy_missing *out)
{
	static const char *const words[] = { "not-judged", "fail", "pass" };
	for (int i = 0; v->type == PY_SCALAR && i < 3; i++)
		if (!strcmp(v->str, words[i])) {
			*out = (policy_missing)i;
			return 0;
		}
	return bad(c, v, "%s: not-judged, fail or pass expected, not '%.64s'", param,
		   v->type == PY_SCALAR ? v->str : "(a list or mapping)");
}

static int p_list(struct ctx *c, const char *param, const py_node *v, policy_list *out)
{
	if (v->type == PY_SCALAR && !py_is_null(v))
		return bad(c, v, "%s: a list expected ([a, b]), not '%.64s'", param, v->str);
	if (v->type == PY_MAP)
		return bad(c, v, "%s: a list expected, not a mapping", param);
	if (v->n > POLICY_MAX_LIST)
		return vigil_error_set(VIGIL_ELIMIT, "%s:%u: rule %s: %s: more than %d items", c->p->name, v->line,
				       c->rule, param, POLICY_MAX_LIST);
	out->n = 0;
	if (!(out->v = vigil_arena_calloc(c->p->arena, v->n + 1, sizeof(char *))))
		return vigil_error_oom();
	for (const py_node *i = v->type == PY_SEQ ? v->first : NULL; i; i = i->next) {
		if (i->type != PY_SCALAR || !i->len)
			return bad(c, i, "%s: every item is a non-empty string", param);
		out->v[out->n++] = i->str;
	}
	return 0;
}

static policy_list fixed_list(const char *const *v)
{
	policy_list l = { (const char **)v, 0 };
	while (v[l.n])
		l.n++;
	return l;
}

static int param(struct ctx *c, policy_rule *r, const py_node *k, const py_node *v)
{
	const struct rule_def *d = &defs[r->kind];
	const char *name = k->str;
	if (d->limit_param && !strcmp(name, d->limit_param))
		return p_number(c, name, v, &r->limit);
	for (size_t i = 0; d->params[i]; i++) {
		if (strcmp(name, d->params[i]))
			continue;
		if (!strcmp(name, "severity"))
			return p_severity(c, name, v, r->kind == POL_FINDING_AGE ? &r->min_severity : &r->severity);
		if (!strcmp(name, "if-missing"))
			return p_missing(c, name, v, &r->if_missing);
		if (!strcmp(name, "fixed-only"))
			return p_bool(c, name, v, &r->fixed_only);
		if (!strcmp(name, "show"))
			return p_number(c, name, v, &r->show);
		if (!strcmp(name, "paths"))
			return p_list(c, name, v, &r->paths);
		if (!strcmp(name, "packages"))
			return p_list(c, name, v, &r->packages);
		if (!strcmp(name, "ports"))
			return p_list(c, name, v, &r->ports);
		if (!strcmp(name, "names"))
			return p_list(c, name, v, &r->names);
		if (!strcmp(name, "allow"))
			return p_list(c, name, v, &r->allow);
	}
	char known[256] = "";
	size_t o = 0;
	if (d->limit_param)
		o += (size_t)snprintf(known, sizeof(known), "%s", d->limit_param);
	for (size_t i = 0; d->params[i] && o < sizeof(known); i++)
		o += (size_t)snprintf(known + o, sizeof(known) - o, "%s%s", o ? ", " : "", d->params[i]);
	return bad(c, k, "unknown parameter '%.64s' (known: %s)", name, known);
}

static void defaults(policy_rule *r, policy_kind k, const char *id, uint32_t line)
{
	memset(r, 0, sizeof(*r));
	r->kind = k;
	r->id = id;
	r->line = line;
	r->severity = defs[k].severity;
	r->min_severity = VIGIL_SEV_HIGH;
	r->limit = defs[k].limit;
	r->show = 10;
	if (k == POL_NO_SSH_SERVER) {
		r->paths = fixed_list(ssh_paths);
		r->packages = fixed_list(ssh_packages);
		r->ports = fixed_list(ssh_ports);
	}
}

/* One instance of rule k from v (a mapping, or null/true for the defaults). */
static int instance(struct ctx *c, policy_kind k, const py_node *key, const py_node *v)
{
	policy *p = c->p;
	if (p->nrules >= POLICY_MAX_RULES)
		return vigil_error_set(VIGIL_ELIMIT, "%s:%u: more than %d rules", p->name, key->line, POLICY_MAX_RULES);
	policy_rule *r = &p->rules[p->nrules];
	defaults(r, k, defs[k].name, v ? v->line : key->line);
	if (v && v->type == PY_MAP) {
		for (const py_node *pk = v->first; pk && pk->next; pk = pk->next->next) {
			if (pk->type != PY_SCALAR)
				return bad(c, pk, "a parameter name expected");
			for (const py_node *q = v->first; q != pk; q = q->next->next)
				if (q->type == PY_SCALAR && !strcmp(q->str, pk->str))
					return bad(c, pk, "parameter '%.64s' given twice", pk->str);
			int rc = param(c, r, pk, pk->next);
			if (rc < 0)
				return rc;
		}
	} else if (v && !py_is_null(v) && !(v->type == PY_SCALAR && !strcmp(v->str, "true"))) {
		return bad(c, v, "a mapping of parameters, true, false or a list of mappings expected, not '%.64s'",
			   v->type == PY_SCALAR ? v->str : "(a list)");
	}
	if (k == POL_FINDING_AGE)
		r->severity = r->min_severity;
	p->nrules++;
	return 0;
}

static int rule(struct ctx *c, const py_node *key, const py_node *v)
{
	if (key->type != PY_SCALAR)
		return vigil_error_set(VIGIL_EFORMAT, "%s:%u: a rule name expected", c->p->name, key->line);
	snprintf(c->rule, sizeof(c->rule), "%.64s", key->str);
	int k = 0;
	while (k < POL_KIND_COUNT && strcmp(key->str, defs[k].name))
		k++;
	if (k == POL_KIND_COUNT) {
		const char *near = nearest(key->str);
		return vigil_error_set(VIGIL_EFORMAT, "%s:%u: unknown rule '%s'%s%s%s", c->p->name, key->line, c->rule,
				       near ? " (did you mean " : " (see docs/audit.md (Policy))", near ? near : "",
				       near ? "?)" : "");
	}
	c->named[k] = true;
	if (v && v->type == PY_SCALAR && v->plain && !strcmp(v->str, "false"))
		return 0;
	if (v && v->type == PY_SEQ) {
		if (!v->n)
			return bad(c, v, "an empty list: give false to turn the rule off");
		for (const py_node *i = v->first; i; i = i->next) {
			if (i->type != PY_MAP && !py_is_null(i))
				return bad(c, i, "every item of the list is a mapping of parameters");
			int rc = instance(c, (policy_kind)k, key, i);
			if (rc < 0)
				return rc;
		}
		return 0;
	}
	return instance(c, (policy_kind)k, key, v);
}

/* extends: builtin: the built-in rules, each replaced in place by the
 * file's rules of the same name (none when the file turns it off), then
 * the file's other rules. */
static int extend(policy *p, const struct ctx *c)
{
	size_t len, n = 0;
	const char *text = policy_default_text(&len);
	int rc = policy_parse("(built-in policy)", text, len, &p->base);
	if (rc < 0)
		return rc;
	policy_rule *all = vigil_arena_calloc(p->arena, POLICY_MAX_RULES + POL_KIND_COUNT, sizeof(*all));
	bool done[POL_KIND_COUNT] = { false };
	if (!all)
		return vigil_error_oom();
	for (size_t i = 0; i < p->base->nrules; i++) {
		policy_kind k = p->base->rules[i].kind;
		if (!c->named[k]) {
			all[n++] = p->base->rules[i];
			continue;
		}
		for (size_t j = 0; !done[k] && j < p->nrules; j++)
			if (p->rules[j].kind == k)
				all[n++] = p->rules[j];
		done[k] = true;
	}
	for (size_t j = 0; j < p->nrules; j++)
		if (!done[p->rules[j].kind])
			all[n++] = p->rules[j];
	if (n > POLICY_MAX_RULES)
		return vigil_error_set(VIGIL_ELIMIT, "%s: more than %d rules with the built-in ones", p->name,
				       POLICY_MAX_RULES);
	p->rules = all;
	p->nrules = n;
	return 0;
}

static int document(policy *p, const py_node *root)
{
	const py_node *rules = NULL, *ext = NULL;
	struct ctx c = { .p = p };
	int rc;
	if (!root || py_is_null(root))
		return vigil_error_set(VIGIL_EFORMAT, "%s: an empty policy (a 'rules:' mapping expected)", p->name);
	if (root->type != PY_MAP)
		return vigil_error_set(VIGIL_EFORMAT, "%s:%u: a mapping with 'rules:' expected", p->name, root->line);
	for (const py_node *k = root->first; k && k->next; k = k->next->next) {
		const py_node *v = k->next;
		if (k->type == PY_SCALAR && !strcmp(k->str, "rules") && !rules)
			rules = v;
		else if (k->type == PY_SCALAR && !strcmp(k->str, "extends") && !ext) {
			if (v->type != PY_SCALAR || strcmp(v->str, "builtin"))
				return vigil_error_set(VIGIL_EFORMAT, "%s:%u: extends: builtin expected (the built-in policy)",
						       p->name, v->line);
			ext = v;
		} else if (k->type == PY_SCALAR && !strcmp(k->str, "version")) {
			if (v->type != PY_SCALAR || strcmp(v->str, "1"))
				return vigil_error_set(VIGIL_EFORMAT, "%s:%u: version: 1 expected (the only version)",
						       p->name, v->line);
		} else
			return vigil_error_set(VIGIL_EFORMAT,
					       "%s:%u: unknown key '%.64s' (a policy has rules:, extends: and version:)",
					       p->name, k->line, k->type == PY_SCALAR ? k->str : "(not a string)");
	}
	if (!rules && !ext)
		return vigil_error_set(VIGIL_EFORMAT, "%s: no 'rules:' mapping", p->name);
	if (rules && rules->type != PY_MAP && !py_is_null(rules))
		return vigil_error_set(VIGIL_EFORMAT, "%s:%u: rules: a mapping of rule names expected", p->name,
				       rules->line);
	if (!(p->rules = vigil_arena_calloc(p->arena, POLICY_MAX_RULES, sizeof(*p->rules))))
		return vigil_error_oom();
	for (const py_node *k = rules && rules->type == PY_MAP ? rules->first : NULL; k && k->next; k = k->next->next) {
		for (const py_node *q = rules->first; q != k; q = q->next->next)
			if (q->type == PY_SCALAR && k->type == PY_SCALAR && !strcmp(q->str, k->str))
				return vigil_error_set(VIGIL_EFORMAT,
						       "%s:%u: rule '%.64s' given twice (line %u; a list of mappings judges it several times)",
						       p->name, k->line, k->str, q->line);
		if ((rc = rule(&c, k, k->next)) < 0)
			return rc;
	}
	return ext ? extend(p, &c) : 0;
}

int policy_parse(const char *name, const char *text, size_t len, policy **out)
{
	py_node *root;
	int rc;
	policy *p = calloc(1, sizeof(*p));
	*out = NULL;
	if (!p || !(p->arena = vigil_arena_new(POLICY_ARENA_CAP)) || !(p->name = vigil_arena_strdup(p->arena, name))) {
		rc = vigil_error_oom();
		goto out;
	}
	if (len > POLICY_MAX_BYTES) {
		rc = vigil_error_set(VIGIL_ELIMIT, "%s: %zu bytes (limit %zu)", name, len, POLICY_MAX_BYTES);
		goto out;
	}
	if ((rc = policy_yaml_load(p->arena, p->name, text, len, &root)) < 0 || (rc = document(p, root)) < 0)
		goto out;
	*out = p;
	p = NULL;
out:
	policy_free(p);
	return rc;
}

int policy_load(const char *path, policy **out)
{
	char *text = NULL;
	size_t len;
	int rc;
	if (!path) {
		const char *t = policy_default_text(&len);
		return policy_parse("(built-in policy)", t, len, out);
	}
	if ((rc = vigil_file_read(path, POLICY_MAX_BYTES, &text, &len)) < 0)
		return rc;
	rc = policy_parse(path, text, len, out);
	free(text);
	return rc;
}

void policy_free(policy *p)
{
	if (!p)
		return;
	policy_free(p->base);
	vigil_arena_free(p->arena);
	free(p);
}
