/* audit/inspect_config.c: an image config (the OCI image spec's
 * application/vnd.oci.image.config.v1+json, Docker's v1 image JSON) read
 * into an inspect report: the top level (architecture, os, created ...),
 * config.* (Entrypoint, Cmd, Env masked, ExposedPorts, Labels ...) and
 * every history entry, matched in order to the layers. A member of the
 * wrong type is an error naming it; more than VIGIL_INSPECT_MAX_ITEMS
 * entries of a list are cut with a warning. */
#include "audit/inspect_priv.h"
#include "audit/audit_priv.h"

#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *keep(vigil_inspect_report *r, const char *s, size_t n)
{
	if (n > VIGIL_INSPECT_MAX_STRING) {
		inspect_warn(r, "a config string of %zu bytes: the first %d kept", n, VIGIL_INSPECT_MAX_STRING);
		n = VIGIL_INSPECT_MAX_STRING;
	}
	return vigil_arena_strndup(r->internal->arena, s, n);
}

/* A string member: *out NULL when absent or null. */
static int get_str(vigil_inspect_report *r, const json_t *o, const char *key, const char *where,
		   const char **out)
{
	const json_t *v = o ? json_object_get(o, key) : NULL;
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return vigil_error_set(VIGIL_EFORMAT, "image config: %s%s: not a string", where, key);
	if (!(*out = keep(r, json_string_value(v), json_string_length(v))))
		return vigil_error_oom();
	return 0;
}

static size_t capped(vigil_inspect_report *r, size_t n, const char *what)
{
	if (n <= VIGIL_INSPECT_MAX_ITEMS)
		return n;
	inspect_warn(r, "image config: %s has %zu entries: the first %d kept", what, n, VIGIL_INSPECT_MAX_ITEMS);
	return VIGIL_INSPECT_MAX_ITEMS;
}

/* An array of strings (Entrypoint, Cmd, Shell, OnBuild); Docker also
 * writes a lone string for Entrypoint/Cmd of old images: one element. */
static int get_strv(vigil_inspect_report *r, const json_t *o, const char *key, const char *const **out,
		    size_t *n)
{
	const json_t *v = o ? json_object_get(o, key) : NULL;
	*out = NULL;
	*n = 0;
	if (!v || json_is_null(v))
		return 0;
	size_t cnt = json_is_string(v) ? 1 : json_is_array(v) ? capped(r, json_array_size(v), key) : 0;
	if (!json_is_string(v) && !json_is_array(v))
		return vigil_error_set(VIGIL_EFORMAT, "image config: config.%s: not an array of strings", key);
	const char **a = vigil_arena_calloc(r->internal->arena, cnt + 1, sizeof(*a));
	if (!a)
		return vigil_error_oom();
	for (size_t i = 0; i < cnt; i++) {
		const json_t *e = json_is_string(v) ? v : json_array_get(v, i);
		if (!json_is_string(e))
			return vigil_error_set(VIGIL_EFORMAT, "image config: config.%s[%zu]: not a string", key, i);
		if (!(a[i] = keep(r, json_string_value(e), json_string_length(e))))
			return vigil_error_oom();
	}
	*out = a;
	*n = cnt;
	return 0;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The keys of an object ({"80/tcp": {}}), sorted. */
static int get_keys(vigil_inspect_report *r, const json_t *o, const char *key, const char *const **out,
		    size_t *n)
{
	const json_t *v = o ? json_object_get(o, key) : NULL;
	const char *k;
	const json_t *x;
	size_t i = 0;
	*out = NULL;
	*n = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return vigil_error_set(VIGIL_EFORMAT, "image config: config.%s: not an object", key);
	size_t cnt = capped(r, json_object_size(v), key);
	const char **a = vigil_arena_calloc(r->internal->arena, cnt + 1, sizeof(*a));
	if (!a)
		return vigil_error_oom();
	json_object_foreach((json_t *)v, k, x) {
		if (i == cnt)
			break;
		if (!(a[i++] = keep(r, k, strlen(k))))
			return vigil_error_oom();
	}
	qsort(a, cnt, sizeof(*a), by_str);
	*out = a;
	*n = cnt;
	return 0;
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const vigil_inspect_label *)a)->key, ((const vigil_inspect_label *)b)->key);
}

static int get_labels(vigil_inspect_report *r, const json_t *o)
{
	const json_t *v = o ? json_object_get(o, "Labels") : NULL, *x;
	const char *k;
	size_t i = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return vigil_error_set(VIGIL_EFORMAT, "image config: config.Labels: not an object");
	size_t cnt = capped(r, json_object_size(v), "Labels");
	vigil_inspect_label *a = vigil_arena_calloc(r->internal->arena, cnt + 1, sizeof(*a));
	if (!a)
		return vigil_error_oom();
	json_object_foreach((json_t *)v, k, x) {
		if (i == cnt)
			break;
		if (!json_is_string(x))
			return vigil_error_set(VIGIL_EFORMAT, "image config: config.Labels[\"%.200s\"]: not a string", k);
		a[i].key = keep(r, k, strlen(k));
		a[i].value = keep(r, json_string_value(x), json_string_length(x));
		if (!a[i].key || !a[i++].value)
			return vigil_error_oom();
	}
	qsort(a, cnt, sizeof(*a), by_key);
	r->labels = a;
	r->label_count = cnt;
	return 0;
}

static int get_env(vigil_inspect_report *r, const json_t *o, const char *const **raw, size_t *nraw)
{
	const char *const *v;
	size_t n;
	int rc = get_strv(r, o, "Env", &v, &n);
	*raw = v;
	*nraw = n;
	if (rc < 0 || !n)
		return rc;
	vigil_inspect_env *e = vigil_arena_calloc(r->internal->arena, n, sizeof(*e));
	if (!e)
		return vigil_error_oom();
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(v[i], '=');
		size_t nl = eq ? (size_t)(eq - v[i]) : strlen(v[i]);
		e[i].name = vigil_arena_strndup(r->internal->arena, v[i], nl);
		e[i].value = eq ? eq + 1 : "";
		if (!e[i].name)
			return vigil_error_oom();
		int kind = vigil_inspect_env_secret(e[i].name, e[i].value, &e[i].why);
		size_t vl = strlen(e[i].value);
		if (kind) {
			e[i].masked = 1;
			/* a known token format keeps its ends (AKIA****MPLE), anything else none */
			e[i].value = kind == 1 ? audit_redact(r->internal->arena, e[i].value, vl)
					       : audit_redact(r->internal->arena, "", 8); /* "********": not even its length */
			if (!e[i].value)
				return vigil_error_oom();
		}
	}
	r->env = e;
	r->env_count = n;
	return 0;
}

static const char *duration(char *b, size_t n, json_int_t ns)
{
	if (ns % 1000000000 == 0)
		snprintf(b, n, "%llds", (long long)(ns / 1000000000));
	else
		snprintf(b, n, "%lldms", (long long)(ns / 1000000));
	return b;
}

/* Healthcheck {"Test": ["CMD-SHELL", "..."], "Interval": ns, ...}. */
static int get_health(vigil_inspect_report *r, const json_t *o)
{
	static const char *const durs[] = { "Interval", "Timeout", "StartPeriod", "StartInterval" };
	static const char *const names[] = { "interval", "timeout", "start-period", "start-interval" };
	const json_t *h = o ? json_object_get(o, "Healthcheck") : NULL;
	const char *const *test;
	size_t nt;
	char d[32];
	vigil_buf b;
	int rc;
	if (!h || json_is_null(h))
		return 0;
	if (!json_is_object(h))
		return vigil_error_set(VIGIL_EFORMAT, "image config: config.Healthcheck: not an object");
	if ((rc = get_strv(r, h, "Test", &test, &nt)) < 0)
		return vigil_error_set(VIGIL_EFORMAT, "image config: config.Healthcheck.Test: not an array of strings");
	vigil_buf_init(&b, VIGIL_INSPECT_MAX_STRING * 2);
	for (size_t i = 0; rc == 0 && i < nt; i++)
		rc = vigil_buf_printf(&b, "%s%s", i ? " " : "", test[i]);
	if (rc == 0 && !(r->healthcheck = vigil_arena_strdup(r->internal->arena, vigil_buf_cstr(&b))))
		rc = vigil_error_oom();
	vigil_buf_reset(&b);
	for (size_t i = 0; rc == 0 && i < 4; i++) {
		const json_t *v = json_object_get(h, durs[i]);
		if (v && json_is_integer(v) && json_integer_value(v) > 0)
			rc = vigil_buf_printf(&b, "%s%s=%s", b.len ? " " : "", names[i],
					      duration(d, sizeof(d), json_integer_value(v)));
	}
	const json_t *rt = json_object_get(h, "Retries");
	if (rc == 0 && rt && json_is_integer(rt) && json_integer_value(rt) > 0)
		rc = vigil_buf_printf(&b, "%sretries=%lld", b.len ? " " : "", (long long)json_integer_value(rt));
	if (rc == 0 && b.len && !(r->healthcheck_options = vigil_arena_strdup(r->internal->arena, vigil_buf_cstr(&b))))
		rc = vigil_error_oom();
	vigil_buf_free(&b);
	return rc;
}

static int get_inner(vigil_inspect_report *r, const json_t *c, const char *const **env_raw, size_t *nenv)
{
	int rc;
	const char *in = "config.";
	if (c && !json_is_object(c))
		return vigil_error_set(VIGIL_EFORMAT, "image config: config: not an object");
	if ((rc = get_strv(r, c, "Entrypoint", &r->entrypoint, &r->entrypoint_count)) < 0 ||
	    (rc = get_strv(r, c, "Cmd", &r->cmd, &r->cmd_count)) < 0 ||
	    (rc = get_strv(r, c, "Shell", &r->shell, &r->shell_count)) < 0 ||
	    (rc = get_strv(r, c, "OnBuild", &r->onbuild, &r->onbuild_count)) < 0 ||
	    (rc = get_str(r, c, "User", in, &r->user)) < 0 ||
	    (rc = get_str(r, c, "WorkingDir", in, &r->working_dir)) < 0 ||
	    (rc = get_str(r, c, "StopSignal", in, &r->stop_signal)) < 0 || (rc = get_env(r, c, env_raw, nenv)) < 0 ||
	    (rc = get_keys(r, c, "ExposedPorts", &r->exposed_ports, &r->exposed_port_count)) < 0 ||
	    (rc = get_keys(r, c, "Volumes", &r->volumes, &r->volume_count)) < 0 || (rc = get_labels(r, c)) < 0)
		return rc;
	return get_health(r, c);
}

static int history_entry(vigil_inspect_report *r, const json_t *h, size_t i, vigil_inspect_history *out)
{
	char where[48];
	const json_t *el = json_object_get(h, "empty_layer");
	int rc;
	snprintf(where, sizeof(where), "history[%zu].", i);
	if (!json_is_object(h))
		return vigil_error_set(VIGIL_EFORMAT, "image config: history[%zu]: not an object", i);
	if ((rc = get_str(r, h, "created", where, &out->created)) < 0 ||
	    (rc = get_str(r, h, "created_by", where, &out->created_by)) < 0 ||
	    (rc = get_str(r, h, "comment", where, &out->comment)) < 0 ||
	    (rc = get_str(r, h, "author", where, &out->author)) < 0)
		return rc;
	if (el && !json_is_boolean(el) && !json_is_null(el))
		return vigil_error_set(VIGIL_EFORMAT, "image config: history[%zu].empty_layer: not a boolean", i);
	out->empty_layer = el && json_is_true(el);
	out->layer = VIGIL_AUDIT_NO_LAYER;
	if (out->created_by) {
		vigil_buf b;
		vigil_buf_init(&b, VIGIL_INSPECT_MAX_STRING * 2);
		if ((rc = inspect_instruction_buf(&b, out->created_by, strlen(out->created_by))) == 0 && b.len &&
		    !(out->instruction = vigil_arena_strdup(r->internal->arena, vigil_buf_cstr(&b))))
			rc = vigil_error_oom();
		vigil_buf_free(&b);
	}
	return rc;
}

/* Every history entry; those that made a layer get the next layer. */
static int get_history(vigil_inspect_report *r, const json_t *config)
{
	const json_t *h = json_object_get(config, "history");
	size_t next = 0;
	int rc;
	if (!h || json_is_null(h))
		return 0;
	if (!json_is_array(h))
		return vigil_error_set(VIGIL_EFORMAT, "image config: history: not an array");
	size_t n = capped(r, json_array_size(h), "history");
	vigil_inspect_history *v = vigil_arena_calloc(r->internal->arena, n + 1, sizeof(*v));
	if (!v)
		return vigil_error_oom();
	for (size_t i = 0; i < n; i++) {
		if ((rc = history_entry(r, json_array_get(h, i), i, &v[i])) < 0)
			return rc;
		if (!v[i].empty_layer && next < r->layer_count)
			v[i].layer = next++;
	}
	r->history = v;
	r->history_count = n;
	size_t made = 0;
	for (size_t i = 0; i < n; i++)
		made += !v[i].empty_layer;
	if (r->layer_count && made != r->layer_count)
		inspect_warn(r, "the history has %zu entries that made a layer, the image %zu layers: "
			     "matched in order", made, r->layer_count);
	return 0;
}

int inspect_config_parse(vigil_inspect_report *r, const json_t *config)
{
	int rc;
	if (!config)
		return 0;
	if (!json_is_object(config))
		return vigil_error_set(VIGIL_EFORMAT, "image config: not a JSON object");
	if ((rc = get_str(r, config, "architecture", "", &r->architecture)) < 0 ||
	    (rc = get_str(r, config, "os", "", &r->os)) < 0 || (rc = get_str(r, config, "variant", "", &r->variant)) < 0 ||
	    (rc = get_str(r, config, "created", "", &r->created)) < 0 ||
	    (rc = get_str(r, config, "author", "", &r->author)) < 0 ||
	    (rc = get_str(r, config, "docker_version", "", &r->docker_version)) < 0)
		return rc;
	const json_t *c = json_object_get(config, "config");
	const char *const *env_raw = NULL;
	size_t nenv = 0;
	if ((rc = get_inner(r, c && !json_is_null(c) ? c : NULL, &env_raw, &nenv)) < 0 ||
	    (rc = get_history(r, config)) < 0 || (rc = inspect_mask_history(r, env_raw, nenv)) < 0)
		return rc;
	return inspect_dockerfile_build(r);
}
