/* audit/diff_config.c: the image configurations of two images compared
 * field by field: Entrypoint, Cmd, User, WorkingDir, StopSignal and
 * Healthcheck as wholes; Env and Labels per variable and label;
 * ExposedPorts and Volumes per port and path; the length of the history;
 * os, architecture and variant. The value of a variable whose name looks
 * like it holds a secret (PASSWORD, TOKEN, SECRET, KEY ...) is masked:
 * a change is reported, the values are not. */
#include "audit/diff_priv.h"

#include "util/error.h"
#include "util/grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int diff_secret_name(const char *name, size_t n)
{
	static const char *const words[] = { "PASS", "SECRET", "TOKEN", "KEY", "CREDENTIAL", "AUTH", "PRIVATE",
					     "PWD", "SALT", "COOKIE", "SESSION" };
	for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
		size_t wl = strlen(words[w]);
		for (size_t i = 0; i + wl <= n; i++)
			if (strncasecmp(name + i, words[w], wl) == 0)
				return 1;
	}
	return 0;
}

/* A value as shown: cut at DIFF_MAX_VALUE, or masked. */
static const char *shown(vigil_diff_report *r, const char *v, size_t n, int mask)
{
	char buf[DIFF_MAX_VALUE + 8];
	if (!v)
		return NULL;
	if (mask) {
		snprintf(buf, sizeof(buf), "******** (%zu characters)", n);
		return diff_str(r, buf);
	}
	if (n > DIFF_MAX_VALUE) {
		memcpy(buf, v, DIFF_MAX_VALUE);
		memcpy(buf + DIFF_MAX_VALUE, "...", 4);
		return diff_str(r, buf);
	}
	return vigil_intern_str(r->internal->strs, v, n);
}

static int add(vigil_diff_report *r, const char *field, const char *key, size_t keylen, const char *a, size_t al,
	       const char *b, size_t bl, int mask)
{
	struct vigil_diff_internal *d = r->internal;
	if (r->config_count >= DIFF_MAX_CONFIG)
		return 0;
	if (vigil_grow((void **)&d->cfg, &d->capcfg, r->config_count, sizeof(*d->cfg), 16, DIFF_MAX_CONFIG) < 0)
		return vigil_error_oom();
	vigil_diff_config *x = &d->cfg[r->config_count];
	x->field = field;
	x->key = key ? vigil_intern_str(d->strs, key, keylen) : NULL;
	x->a = shown(r, a, al, mask);
	x->b = shown(r, b, bl, mask);
	x->masked = mask;
	if ((key && !x->key) || (a && !x->a) || (b && !x->b))
		return vigil_error_oom();
	r->config_count++;
	r->config = d->cfg;
	return 0;
}

/* A JSON value as text (compact), NULL for a missing or null one; malloc'd. */
static char *text_of(const json_t *v)
{
	if (!v || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return strdup(json_string_value(v));
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
}

static int whole(vigil_diff_report *r, const char *field, const json_t *a, const json_t *b)
{
	char *ta = text_of(a), *tb = text_of(b);
	int rc = 0;
	if ((ta || tb) && (!ta || !tb || strcmp(ta, tb) != 0))
		rc = add(r, field, NULL, 0, ta, ta ? strlen(ta) : 0, tb, tb ? strlen(tb) : 0, 0);
	free(ta);
	free(tb);
	return rc;
}

static int nstr_differ(const char *a, const char *b)
{
	return (a || b) && (!a || !b || strcmp(a, b) != 0);
}

/* The value of variable name (n bytes) in an Env array, NULL when unset. */
static const char *env_get(const json_t *env, const char *name, size_t n)
{
	size_t i;
	const json_t *v;
	json_array_foreach(env, i, v) {
		const char *s = json_string_value(v);
		if (s && strncmp(s, name, n) == 0 && s[n] == '=')
			return s + n + 1;
	}
	return NULL;
}

/* Env: each variable of a missing or different in b, then each new in b. */
static int env(vigil_diff_report *r, const json_t *a, const json_t *b, int from_b)
{
	size_t i;
	const json_t *v;
	int rc = 0;
	json_array_foreach(from_b ? b : a, i, v) {
		const char *s = json_string_value(v), *eq = s ? strchr(s, '=') : NULL;
		if (!eq)
			continue;
		size_t n = (size_t)(eq - s);
		const char *other = env_get(from_b ? a : b, s, n);
		int mask = diff_secret_name(s, n);
		if (from_b && !other)
			rc = add(r, "Env", s, n, NULL, 0, eq + 1, strlen(eq + 1), mask);
		else if (!from_b && (!other || strcmp(other, eq + 1) != 0))
			rc = add(r, "Env", s, n, eq + 1, strlen(eq + 1), other, other ? strlen(other) : 0, mask);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Labels, ExposedPorts, Volumes: per key; values compared as text. */
static int keyed(vigil_diff_report *r, const char *field, const json_t *a, const json_t *b, int sets)
{
	const char *k;
	const json_t *v;
	int rc = 0;
	json_object_foreach((json_t *)a, k, v) {
		const json_t *o = json_object_get(b, k);
		const char *ta = sets ? k : json_string_value(v), *tb = !o ? NULL : sets ? k : json_string_value(o);
		if (!o || (!sets && nstr_differ(ta, tb)))
			rc = add(r, field, k, strlen(k), ta, ta ? strlen(ta) : 0, tb, tb ? strlen(tb) : 0, 0);
		if (rc < 0)
			return rc;
	}
	json_object_foreach((json_t *)b, k, v) {
		const char *tb = sets ? k : json_string_value(v);
		if (!json_object_get(a, k) && (rc = add(r, field, k, strlen(k), NULL, 0, tb, tb ? strlen(tb) : 0, 0)) < 0)
			return rc;
	}
	return 0;
}

static int history(vigil_diff_report *r, const json_t *a, const json_t *b)
{
	char na[32], nb[32];
	size_t la = json_array_size(json_object_get(a, "history")), lb = json_array_size(json_object_get(b, "history"));
	if (la == lb)
		return 0;
	snprintf(na, sizeof(na), "%zu", la);
	snprintf(nb, sizeof(nb), "%zu", lb);
	return add(r, "history", NULL, 0, na, strlen(na), nb, strlen(nb), 0);
}

int diff_config(vigil_diff_report *r, const json_t *a, const json_t *b)
{
	static const char *const wholes[] = { "Entrypoint", "Cmd", "User", "WorkingDir", "StopSignal", "Healthcheck" };
	const json_t *ca = json_object_get(a, "config"), *cb = json_object_get(b, "config");
	int rc = 0;
	if (!ca)
		ca = json_object_get(a, "container_config");
	if (!cb)
		cb = json_object_get(b, "container_config");
	for (size_t i = 0; i < sizeof(wholes) / sizeof(wholes[0]) && rc == 0; i++)
		rc = whole(r, wholes[i], json_object_get(ca, wholes[i]), json_object_get(cb, wholes[i]));
	if (rc == 0)
		rc = env(r, json_object_get(ca, "Env"), json_object_get(cb, "Env"), 0);
	if (rc == 0)
		rc = env(r, json_object_get(ca, "Env"), json_object_get(cb, "Env"), 1);
	if (rc == 0)
		rc = keyed(r, "ExposedPorts", json_object_get(ca, "ExposedPorts"), json_object_get(cb, "ExposedPorts"), 1);
	if (rc == 0)
		rc = keyed(r, "Labels", json_object_get(ca, "Labels"), json_object_get(cb, "Labels"), 0);
	if (rc == 0)
		rc = keyed(r, "Volumes", json_object_get(ca, "Volumes"), json_object_get(cb, "Volumes"), 1);
	if (rc == 0)
		rc = history(r, a, b);
	if (rc == 0)
		rc = whole(r, "os", json_object_get(a, "os"), json_object_get(b, "os"));
	if (rc == 0)
		rc = whole(r, "architecture", json_object_get(a, "architecture"), json_object_get(b, "architecture"));
	if (rc == 0)
		rc = whole(r, "variant", json_object_get(a, "variant"), json_object_get(b, "variant"));
	return rc;
}
