/* audit/secret_rules.c: the secret rules: the built-in file
 * (src/audit/secret_rules.yaml, embedded at build time) and the user's
 * --secret-rules files, read in order into one set (a rule whose id is
 * already there replaces it; disabled: true silences it), then compiled
 * with PCRE2 (JIT where the platform has it). Every error names the file
 * and the line (docs/audit.md (Secrets) gives the format). */
#include "audit/secret_priv.h"

#include "secret_rules_data.h"
#include "util/error.h"
#include "util/file.h"
#include "util/grow.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

secret_ruleset *secret_ruleset_new(void)
{
	return calloc(1, sizeof(secret_ruleset));
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void rev_free(pcre2_code **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		pcre2_code_free(v[i]);
	free(v);
}

static void rule_clear(secret_rule *r)
{
	free(r->id);
	free(r->title);
	free(r->regex);
	free(r->group);
	strv_free(r->keywords, r->nkeywords);
	strv_free(r->paths, r->npaths);
	strv_free(r->allow, r->nallow);
	strv_free(r->allow_paths, r->nallow_paths);
	pcre2_code_free(r->re);
	rev_free(r->paths_re, r->npaths);
	rev_free(r->allow_re, r->nallow);
	rev_free(r->allow_paths_re, r->nallow_paths);
	memset(r, 0, sizeof(*r));
}

static void allow_clear(secret_allow_path *a)
{
	free(a->id);
	free(a->path);
	free(a->regex);
	free(a->description);
	pcre2_code_free(a->re);
	pcre2_code_free(a->regex_re);
	memset(a, 0, sizeof(*a));
}

void secret_ruleset_free(secret_ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n; i++)
		rule_clear(&rs->rules[i]);
	for (size_t i = 0; i < rs->nallow; i++)
		allow_clear(&rs->allow[i]);
	strv_free(rs->files, rs->nfiles);
	free(rs->rules);
	free(rs->allow);
	free(rs);
}

/* ---- reading a file's tree ---- */

struct rctx {
	secret_ruleset *rs;
	const char *name;
};

static int bad(const struct rctx *c, const secret_yaml *y, const char *what)
{
	return vigil_error_set(VIGIL_EFORMAT, "%s:%zu: %s", c->name, y ? y->line : 0, what);
}

static int scalar(const struct rctx *c, const secret_yaml *y, const char *key, size_t max, char **out)
{
	char msg[160];
	if (y->kind != SY_SCALAR) {
		snprintf(msg, sizeof(msg), "%s: a string expected", key);
		return bad(c, y, msg);
	}
	if (y->len > max || strlen(y->str) != y->len) {
		snprintf(msg, sizeof(msg), "%s: longer than %zu bytes or has a NUL", key, max);
		return bad(c, y, msg);
	}
	free(*out);
	if (!(*out = strdup(y->str)))
		return vigil_error_oom();
	return 0;
}

static int boolean(const struct rctx *c, const secret_yaml *y, const char *key, bool *out)
{
	char msg[160];
	if (y->kind == SY_SCALAR && (!strcasecmp(y->str, "true") || !strcasecmp(y->str, "yes"))) {
		*out = true;
		return 0;
	}
	if (y->kind == SY_SCALAR && (!strcasecmp(y->str, "false") || !strcasecmp(y->str, "no"))) {
		*out = false;
		return 0;
	}
	snprintf(msg, sizeof(msg), "%s: true or false expected", key);
	return bad(c, y, msg);
}

/* A list of strings (a single string is a list of one). */
static int strlist(const struct rctx *c, const secret_yaml *y, const char *key, size_t max, bool lower,
		   char ***out, size_t *n)
{
	char msg[160];
	size_t cnt = y->kind == SY_SEQ ? y->nkids : 1;
	if (y->kind == SY_MAP || cnt > SECRET_MAX_LIST) {
		snprintf(msg, sizeof(msg), "%s: a list of at most %d strings expected", key, SECRET_MAX_LIST);
		return bad(c, y, msg);
	}
	strv_free(*out, *n);
	*n = 0;
	if (!(*out = calloc(cnt + 1, sizeof(char *))))
		return vigil_error_oom();
	for (size_t i = 0; i < cnt; i++) {
		const secret_yaml *k = y->kind == SY_SEQ ? y->kids[i] : y;
		int rc = scalar(c, k, key, max, &(*out)[i]);
		if (rc < 0)
			return rc;
		(*n)++;
		if (!k->len)
			return bad(c, k, "an empty string in a list");
		for (char *p = (*out)[i]; lower && *p; p++)
			*p = (char)tolower((unsigned char)*p);
	}
	return 0;
}

static int strv_push(const struct rctx *c, const secret_yaml *y, const char *key, char ***v, size_t *n)
{
	char *copy = NULL;
	int rc = scalar(c, y, key, SECRET_MAX_REGEX, &copy);
	if (rc < 0)
		return rc;
	char **g = *n < SECRET_MAX_LIST ? realloc(*v, (*n + 2) * sizeof(**v)) : NULL;
	if (!g) {
		free(copy);
		return *n < SECRET_MAX_LIST ? vigil_error_oom() : bad(c, y, "more than 64 allow expressions");
	}
	*v = g;
	g[(*n)++] = copy;
	g[*n] = NULL;
	return 0;
}

/* Trivy's allow-rules of a rule: [{id, description, path, regex}]. */
static int trivy_allow(const struct rctx *c, secret_rule *r, const secret_yaml *y)
{
	int rc = 0;
	if (y->kind != SY_SEQ)
		return bad(c, y, "allow-rules: a list of {id, description, path, regex} expected");
	for (size_t i = 0; i < y->nkids && rc == 0; i++) {
		const secret_yaml *e = y->kids[i];
		if (e->kind != SY_MAP)
			return bad(c, e, "allow-rules: a mapping expected");
		for (size_t j = 0; j + 1 < e->nkids && rc == 0; j += 2) {
			const char *k = e->kids[j]->kind == SY_SCALAR ? e->kids[j]->str : "";
			if (!strcmp(k, "path"))
				rc = strv_push(c, e->kids[j + 1], k, &r->allow_paths, &r->nallow_paths);
			else if (!strcmp(k, "regex"))
				rc = strv_push(c, e->kids[j + 1], k, &r->allow, &r->nallow);
			else if (strcmp(k, "id") && strcmp(k, "description"))
				rc = bad(c, e->kids[j], "unknown key of an allow rule (id, description, path, regex)");
		}
	}
	return rc;
}

static int severity(const struct rctx *c, const secret_yaml *y, vigil_severity *out)
{
	static const char *const names[] = { "unknown", "negligible", "low", "medium", "high", "critical" };
	for (int i = 0; y->kind == SY_SCALAR && i < 6; i++)
		if (!strcasecmp(y->str, names[i])) {
			*out = (vigil_severity)i;
			return 0;
		}
	return bad(c, y, "severity: one of LOW, MEDIUM, HIGH, CRITICAL expected");
}

static int entropy(const struct rctx *c, const secret_yaml *y, double *out)
{
	char *end = NULL;
	double v = y->kind == SY_SCALAR ? strtod(y->str, &end) : -1;
	if (y->kind != SY_SCALAR || end == y->str || *end || !(v >= 0 && v <= 8))
		return bad(c, y, "entropy: a number of bits per character from 0 to 8 expected");
	*out = v;
	return 0;
}

static int rule_key(const struct rctx *c, secret_rule *r, const char *k, const secret_yaml *v)
{
	char msg[320];
	if (!strcmp(k, "id"))
		return scalar(c, v, k, SECRET_MAX_STR, &r->id);
	if (!strcmp(k, "title"))
		return scalar(c, v, k, SECRET_MAX_STR, &r->title);
	if (!strcmp(k, "severity"))
		return severity(c, v, &r->severity);
	if (!strcmp(k, "regex")) {
		r->regex_line = v->line;
		return scalar(c, v, k, SECRET_MAX_REGEX, &r->regex);
	}
	if (!strcmp(k, "keywords"))
		return strlist(c, v, k, SECRET_MAX_STR, true, &r->keywords, &r->nkeywords);
	if (!strcmp(k, "secret-group") || !strcmp(k, "secret-group-name"))
		return scalar(c, v, k, SECRET_MAX_STR, &r->group);
	if (!strcmp(k, "entropy"))
		return entropy(c, v, &r->entropy);
	if (!strcmp(k, "multiline"))
		return boolean(c, v, k, &r->multiline);
	if (!strcmp(k, "generic"))
		return boolean(c, v, k, &r->generic);
	if (!strcmp(k, "disabled"))
		return boolean(c, v, k, &r->disabled);
	if (!strcmp(k, "paths") || !strcmp(k, "path"))
		return strlist(c, v, k, SECRET_MAX_REGEX, false, &r->paths, &r->npaths);
	if (!strcmp(k, "allow"))
		return strlist(c, v, k, SECRET_MAX_REGEX, false, &r->allow, &r->nallow);
	if (!strcmp(k, "allow-paths"))
		return strlist(c, v, k, SECRET_MAX_REGEX, false, &r->allow_paths, &r->nallow_paths);
	if (!strcmp(k, "allow-rules"))
		return trivy_allow(c, r, v);
	if (!strcmp(k, "category") || !strcmp(k, "description"))
		return 0; /* Trivy's, shown nowhere */
	snprintf(msg, sizeof(msg),
		 "unknown key '%.64s' of a rule (id, title, severity, regex, keywords, secret-group, entropy, "
		 "multiline, generic, paths, allow, allow-paths, allow-rules, disabled)", k);
	return bad(c, v, msg);
}

static secret_rule *find_rule(secret_ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->rules[i].id, id))
			return &rs->rules[i];
	return NULL;
}

static int check_id(const struct rctx *c, const secret_yaml *y, const char *id)
{
	for (const char *p = id; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-_.:", *p))
			return bad(c, y, "id: letters, digits and - _ . : only");
	return 0;
}

/* One entry of rules:, into the set (replacing a rule of the same id). */
static int rule(const struct rctx *c, const secret_yaml *y)
{
	secret_rule r = { .severity = VIGIL_SEV_MEDIUM, .file = c->name, .line = y->line };
	int rc = 0;
	if (y->kind != SY_MAP) {
		rc = bad(c, y, "a rule must be a mapping");
		goto out;
	}
	for (size_t i = 0; i + 1 < y->nkids && rc == 0; i += 2) {
		if (y->kids[i]->kind != SY_SCALAR)
			rc = bad(c, y->kids[i], "a key must be a string");
		else
			rc = rule_key(c, &r, y->kids[i]->str, y->kids[i + 1]);
	}
	if (rc < 0)
		goto out;
	if (!r.id || !*r.id || (rc = check_id(c, y, r.id)) < 0) {
		rc = rc < 0 ? rc : bad(c, y, "a rule needs an id");
		goto out;
	}
	secret_rule *old = find_rule(c->rs, r.id);
	if (!r.regex && !r.disabled) {
		rc = bad(c, y, old ? "a rule replacing one needs a regex (or disabled: true to silence it)"
				   : "a rule needs a regex");
		goto out;
	}
	if (!old) {
		if (c->rs->n >= SECRET_MAX_RULES) {
			rc = bad(c, y, "too many rules");
			goto out;
		}
		if ((rc = vigil_grow((void **)&c->rs->rules, &c->rs->cap, c->rs->n, sizeof(r), 32, SECRET_MAX_RULES)) < 0)
			goto out;
		old = &c->rs->rules[c->rs->n++];
	} else {
		rule_clear(old);
	}
	if (!r.title && !(r.title = strdup(r.id))) {
		rc = vigil_error_oom();
		goto out;
	}
	*old = r;
	return 0;
out:
	rule_clear(&r);
	return rc;
}

static int allow_path(const struct rctx *c, const secret_yaml *y)
{
	secret_allow_path a = { .file = c->name, .line = y->line };
	int rc = 0;
	if (y->kind != SY_MAP)
		return bad(c, y, "an allow-path must be a mapping (id, path, regex, description)");
	for (size_t i = 0; i + 1 < y->nkids && rc == 0; i += 2) {
		const char *k = y->kids[i]->kind == SY_SCALAR ? y->kids[i]->str : "";
		const secret_yaml *v = y->kids[i + 1];
		if (!strcmp(k, "id"))
			rc = scalar(c, v, k, SECRET_MAX_STR, &a.id);
		else if (!strcmp(k, "path"))
			rc = scalar(c, v, k, SECRET_MAX_REGEX, &a.path);
		else if (!strcmp(k, "regex"))
			rc = scalar(c, v, k, SECRET_MAX_REGEX, &a.regex);
		else if (!strcmp(k, "description"))
			rc = scalar(c, v, k, SECRET_MAX_STR, &a.description);
		else if (!strcmp(k, "disabled"))
			rc = boolean(c, v, k, &a.disabled);
		else
			rc = bad(c, y->kids[i], "unknown key of an allow-path (id, path, regex, description, disabled)");
	}
	if (rc == 0 && (!a.id || (!a.path && !a.regex && !a.disabled)))
		rc = bad(c, y, "an allow-path needs an id and a path (or a regex)");
	secret_allow_path *old = NULL;
	for (size_t i = 0; rc == 0 && i < c->rs->nallow; i++)
		if (!strcmp(c->rs->allow[i].id, a.id))
			old = &c->rs->allow[i];
	if (rc == 0 && !old) {
		if (c->rs->nallow >= SECRET_MAX_RULES)
			rc = bad(c, y, "too many allow-paths");
		else if ((rc = vigil_grow((void **)&c->rs->allow, &c->rs->capallow, c->rs->nallow, sizeof(a), 16,
					  SECRET_MAX_RULES)) == 0)
			old = &c->rs->allow[c->rs->nallow++];
	} else if (rc == 0) {
		allow_clear(old);
	}
	if (rc < 0) {
		allow_clear(&a);
		return rc;
	}
	*old = a;
	return 0;
}

/* disable-rules / disable-allow-rules: [ids] (Trivy's); enable-builtin-rules:
 * [ids] keeps those of the built-in rules only. An id vigil does not have
 * is passed over: a Trivy file names Trivy's rules. */
static int by_ids(const struct rctx *c, const secret_yaml *v, int what)
{
	char **ids = NULL;
	size_t n = 0;
	int rc = strlist(c, v, what == 0 ? "disable-rules" : what == 1 ? "disable-allow-rules" : "enable-builtin-rules",
			 SECRET_MAX_STR, false, &ids, &n);
	secret_ruleset *rs = c->rs;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		for (size_t j = 0; what == 0 && j < rs->n; j++)
			rs->rules[j].disabled |= !strcmp(rs->rules[j].id, ids[i]);
		for (size_t j = 0; what == 1 && j < rs->nallow; j++)
			rs->allow[j].disabled |= !strcmp(rs->allow[j].id, ids[i]);
	}
	for (size_t j = 0; rc == 0 && what == 2 && j < rs->n; j++) {
		bool keep = strncmp(rs->rules[j].file, "builtin:", 8) != 0;
		for (size_t i = 0; !keep && i < n; i++)
			keep = !strcmp(rs->rules[j].id, ids[i]);
		rs->rules[j].disabled |= !keep;
	}
	strv_free(ids, n);
	return rc;
}

static int top(const struct rctx *c, const secret_yaml *root)
{
	static const char *const ids[] = { "disable-rules", "disable-allow-rules", "enable-builtin-rules", NULL };
	int rc = 0;
	if (root->kind != SY_MAP)
		return bad(c, root, "a mapping with rules: and allow-paths: expected");
	for (size_t i = 0; i + 1 < root->nkids && rc == 0; i += 2) {
		const secret_yaml *k = root->kids[i], *v = root->kids[i + 1];
		const char *key = k->kind == SY_SCALAR ? k->str : "";
		bool rules = !strcmp(key, "rules");
		bool allow = !strcmp(key, "allow-paths") || !strcmp(key, "allow-rules");
		int which = -1;
		for (int j = 0; ids[j]; j++)
			if (!strcmp(key, ids[j]) || (j == 1 && !strcmp(key, "disable-allow-paths")))
				which = j;
		if (which >= 0) {
			rc = by_ids(c, v, which);
			continue;
		}
		if (!rules && !allow) {
			char msg[SECRET_MAX_STR + 160];
			snprintf(msg, sizeof(msg), "unknown key '%.64s' at the top (rules, allow-paths, disable-rules, "
				 "disable-allow-rules, enable-builtin-rules)", key);
			return bad(c, k, msg);
		}
		if (v->kind == SY_SCALAR && v->len == 0)
			continue; /* "rules:" with nothing */
		if (v->kind != SY_SEQ)
			return bad(c, v, rules ? "rules: a list expected" : "allow-paths: a list expected");
		for (size_t j = 0; j < v->nkids && rc == 0; j++)
			rc = rules ? rule(c, v->kids[j]) : allow_path(c, v->kids[j]);
	}
	return rc;
}

int secret_ruleset_add(secret_ruleset *rs, const char *name, const char *text, size_t len)
{
	secret_yaml *root = NULL;
	char *kept = strdup(name);
	int rc;
	if (!kept || vigil_grow((void **)&rs->files, &rs->capfiles, rs->nfiles, sizeof(char *), 4, SECRET_MAX_RULES) < 0) {
		free(kept);
		return vigil_error_oom();
	}
	rs->files[rs->nfiles++] = kept;
	if (len > SECRET_RULES_MAX_BYTES)
		return vigil_error_set(VIGIL_ELIMIT, "%s: %zu bytes (limit %zu)", name, len, SECRET_RULES_MAX_BYTES);
	if ((rc = secret_yaml_parse(kept, text, len, &root)) < 0)
		return rc;
	struct rctx c = { rs, kept };
	if (root)
		rc = top(&c, root);
	secret_yaml_free(root);
	return rc;
}

int secret_ruleset_load(secret_ruleset *rs, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	int rc = vigil_file_read(path, SECRET_RULES_MAX_BYTES, &text, &len);
	if (rc < 0) {
		if (!strstr(vigil_error_message(), path))
			vigil_error_prefix("secret rules %s: ", path);
		return rc;
	}
	rc = secret_ruleset_add(rs, path, text, len);
	free(text);
	return rc;
}

int secret_ruleset_add_builtin(secret_ruleset *rs)
{
	return secret_ruleset_add(rs, "builtin:secret_rules.yaml", secret_rules_yaml, secret_rules_yaml_LEN);
}
