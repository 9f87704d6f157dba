/* audit/inspect_mask.c: secrets kept out of the history too. A password
 * masked in the env would be in clear in the "ENV DB_PASSWORD=..." line
 * that set it, and a build argument in "RUN |1 TOKEN=... /bin/sh -c ...":
 * every NAME=VALUE of a created_by whose pair looks secret
 * (vigil_inspect_env_secret), and every env value masked, is replaced by
 * its mask in each entry's created_by and instruction (the Dockerfile is
 * built from those afterwards). */
#include "audit/inspect_priv.h"
#include "audit/audit_priv.h"

#include "util/buf.h"
#include "util/error.h"

#include <ctype.h>
#include <string.h>

/* Secret values one report masks in its history. */
#define INSPECT_MAX_SECRETS 256
/* Shortest value replaced (shorter ones would hit unrelated text). */
#define INSPECT_MIN_SECRET 4

struct secrets {
	const char *value[INSPECT_MAX_SECRETS];
	const char *mask[INSPECT_MAX_SECRETS];
	size_t n;
};

static int add(vigil_inspect_report *r, struct secrets *s, const char *name, size_t nl, const char *v, size_t vl)
{
	vigil_arena *a = r->internal->arena;
	if (vl < INSPECT_MIN_SECRET || s->n == INSPECT_MAX_SECRETS)
		return 0;
	char *nm = vigil_arena_strndup(a, name, nl), *val = vigil_arena_strndup(a, v, vl);
	if (!nm || !val)
		return vigil_error_oom();
	int kind = vigil_inspect_env_secret(nm, val, NULL);
	if (!kind)
		return 0;
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->value[i], val))
			return 0;
	s->value[s->n] = val;
	s->mask[s->n] = kind == 1 ? audit_redact(a, val, vl) : audit_redact(a, "", 8);
	if (!s->mask[s->n])
		return vigil_error_oom();
	s->n++;
	return 0;
}

/* The NAME=VALUE pairs of a created_by (ENV, ARG, LABEL, build arguments). */
static int scan_pairs(vigil_inspect_report *r, struct secrets *s, const char *p)
{
	int rc = 0;
	for (size_t i = 0; p[i] && rc == 0; i++) {
		if (p[i] != '=' || i == 0)
			continue;
		size_t b = i;
		while (b > 0 && (isalnum((unsigned char)p[b - 1]) || p[b - 1] == '_'))
			b--;
		if (b == i || (b > 0 && !isspace((unsigned char)p[b - 1])))
			continue;
		const char *v = p + i + 1;
		size_t vl = 0;
		char q = (*v == '"' || *v == '\'') ? *v : 0;
		if (q) {
			v++;
			while (v[vl] && v[vl] != q)
				vl++;
		} else {
			while (v[vl] && !isspace((unsigned char)v[vl]))
				vl++;
		}
		rc = add(r, s, p + b, i - b, v, vl);
	}
	return rc;
}

/* s with every secret replaced by its mask (s itself when none is in it). */
static const char *masked(vigil_inspect_report *r, const struct secrets *s, const char *str, int *rc)
{
	vigil_buf b;
	size_t i = 0;
	int hit = 0;
	if (!str)
		return NULL;
	vigil_buf_init(&b, VIGIL_INSPECT_MAX_STRING * 4);
	while (str[i] && *rc == 0) {
		size_t k = 0;
		while (k < s->n && strncmp(str + i, s->value[k], strlen(s->value[k])))
			k++;
		if (k < s->n) {
			*rc = vigil_buf_puts(&b, s->mask[k]);
			i += strlen(s->value[k]);
			hit = 1;
		} else {
			*rc = vigil_buf_putc(&b, str[i++]);
		}
	}
	const char *out = hit && *rc == 0 ? vigil_arena_strndup(r->internal->arena, vigil_buf_cstr(&b), b.len) : str;
	if (!out && *rc == 0)
		*rc = vigil_error_oom();
	vigil_buf_free(&b);
	return out;
}

int inspect_mask_history(vigil_inspect_report *r, const char *const *env_raw, size_t n)
{
	struct secrets s = { .n = 0 };
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *eq = env_raw[i] ? strchr(env_raw[i], '=') : NULL;
		if (eq)
			rc = add(r, &s, env_raw[i], (size_t)(eq - env_raw[i]), eq + 1, strlen(eq + 1));
	}
	for (size_t i = 0; i < r->history_count && rc == 0; i++)
		if (r->history[i].created_by)
			rc = scan_pairs(r, &s, r->history[i].created_by);
	if (rc < 0 || !s.n)
		return rc;
	vigil_inspect_history *h = (vigil_inspect_history *)r->history;
	for (size_t i = 0; i < r->history_count && rc == 0; i++) {
		h[i].created_by = masked(r, &s, h[i].created_by, &rc);
		h[i].instruction = masked(r, &s, h[i].instruction, &rc);
		h[i].comment = masked(r, &s, h[i].comment, &rc);
	}
	return rc;
}
