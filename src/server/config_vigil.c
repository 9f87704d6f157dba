/* server/config_vigil.c: the config keys that are vigil's own, beside
 * Clair's: matcher.period and matcher.disable_updaters as Clair's Go
 * reads them, indexer.max_layer_size (docs/layers.md), the layer-URI
 * fetch policy indexer.fetch.* (docs/net.md) and Harbor's scanner API
 * harbor.* (docs/harbor.md). Values are checked here and
 * a bad one is an error naming the key and line (config_priv.h). */
#include "server/config_priv.h"
#include "util/error.h"
#include "vigil/fetch.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest matcher.period text read. */
#define SRV_MAX_DURATION_TEXT 64

/* matcher.period: a Go duration of at least 1 s. */
int cfg_get_period(struct cfg *g, const yaml_node_t *v, const char *key, long *out)
{
	char s[SRV_MAX_DURATION_TEXT] = "";
	long t = 0;
	int rc;
	if (cfg_is_null(v))
		return 0;
	if (v->type != YAML_SCALAR_NODE)
		return cfg_bad(g, v, key, "not a duration (Go's: \"30m\", \"6h\", \"1h30m\")");
	if ((rc = cfg_get_str(g, v, key, s, sizeof(s))) < 0)
		return rc;
	if (!s[0])
		return 0;
	if (srv_go_duration(s, SRV_MAX_UPDATE_PERIOD_S, &t) < 0)
		return cfg_bad(g, v, key, "not a duration (Go's: \"30m\", \"6h\", \"1h30m\") of at most 366 days");
	if (t < 1)
		return cfg_bad(g, v, key, "shorter than 1 s");
	*out = t;
	return 0;
}

/* A YAML boolean as Go's yaml reads it: true/false in any of its cases. */
int cfg_get_bool(struct cfg *g, const yaml_node_t *v, const char *key, bool *out)
{
	static const char *const yes[] = { "true", "True", "TRUE", NULL };
	static const char *const no[] = { "false", "False", "FALSE", NULL };
	const char *s = v->type == YAML_SCALAR_NODE ? (const char *)v->data.scalar.value : "";
	if (cfg_is_null(v))
		return 0;
	if (v->type == YAML_SCALAR_NODE && cfg_one_of(s, yes))
		*out = true;
	else if (v->type == YAML_SCALAR_NODE && cfg_one_of(s, no))
		*out = false;
	else
		return cfg_bad(g, v, key, "not true or false");
	return 0;
}

/* indexer.max_layer_size: the cap on a layer's decompressed bytes (vigil's
 * key, see docs/layers.md): bytes with an optional K, M, G, T (KiB...)
 * suffix, powers of 1024, or "none". */
int cfg_get_max_layer_size(struct cfg *g, const char *path, const yaml_node_t *v)
{
	static const char units[] = "BKMGT";
	char s[32] = "", *end;
	unsigned long long n;
	int rc;
	if ((rc = cfg_get_str(g, v, path, s, sizeof(s))) < 0 || !s[0])
		return rc;
	if (!strcmp(s, "none")) {
		g->c->max_layer_size = UINT64_MAX;
		return 0;
	}
	errno = 0;
	n = strtoull(s, &end, 10);
	const char *u = *end ? strchr(units, *end) : units;
	if (s[0] < '0' || s[0] > '9' || errno || !n || !u || !*u ||
	    (*end && end[1] && strcmp(end + 1, "iB")) || n > (UINT64_MAX >> (10 * (u - units))))
		return cfg_bad(g, v, path, "not a size (bytes, with K, M, G or T) or none");
	g->c->max_layer_size = (uint64_t)n << (10 * (u - units));
	return 0;
}

/* ---- indexer.fetch: the layer-URI fetch policy (docs/net.md) ---- */

/* A list of CIDRs (or one string of them), each checked, joined into
 * out[VIGIL_FETCH_MAX_LIST] with ", "; the whole list checked again for
 * the count. */
static int get_cidrs(struct cfg *g, const yaml_node_t *v, const char *key, char *out)
{
	const yaml_node_t *one = v;
	yaml_node_item_t *it = NULL, *end = NULL;
	char why[256];
	size_t len = 0;
	out[0] = '\0';
	if (cfg_is_null(v))
		return 0;
	if (v->type == YAML_SEQUENCE_NODE) {
		it = v->data.sequence.items.start;
		end = v->data.sequence.items.top;
	} else if (v->type != YAML_SCALAR_NODE)
		return cfg_bad(g, v, key, "not a list of CIDRs");
	for (;;) {
		if (it) {
			if (it == end)
				break;
			if (!(one = cfg_node(g, *it++)))
				return cfg_bad(g, v, key, "too many nodes");
		}
		if (one->type != YAML_SCALAR_NODE)
			return cfg_bad(g, one, key, "a CIDR is not a string");
		const char *s = (const char *)one->data.scalar.value;
		size_t n = one->data.scalar.length;
		if (vigil_fetch_cidrs_check(s, n) < 0) {
			snprintf(why, sizeof(why), "%s", vigil_error_message());
			return cfg_bad(g, one, key, why);
		}
		if (len + n + 3 > VIGIL_FETCH_MAX_LIST)
			return cfg_bad(g, one, key, "the list is too long");
		if (len) {
			memcpy(out + len, ", ", 2);
			len += 2;
		}
		memcpy(out + len, s, n);
		out[len += n] = '\0';
		if (!it)
			break;
	}
	if (vigil_fetch_cidrs_check(out, len) < 0) {
		snprintf(why, sizeof(why), "%s", vigil_error_message());
		return cfg_bad(g, v, key, why);
	}
	return 0;
}

/* seconds: "90", "90s", "30m", "2h" */
static int get_duration(struct cfg *g, const yaml_node_t *v, const char *key, long *out)
{
	char s[24] = "";
	long t = 0, unit = 1;
	size_t i = 0;
	if (cfg_is_null(v))
		return 0;
	if (v->type != YAML_SCALAR_NODE || cfg_get_str(g, v, key, s, sizeof(s)) < 0 || !s[0])
		return cfg_bad(g, v, key, "not a duration (seconds, or a number with s, m or h)");
	for (; s[i] >= '0' && s[i] <= '9'; i++)
		if ((t = t * 10 + (s[i] - '0')) > VIGIL_FETCH_MAX_DEADLINE_S)
			return cfg_bad(g, v, key, "longer than 7 days");
	if (s[i] == 'm' || s[i] == 'h')
		unit = s[i] == 'm' ? 60 : 3600;
	if (!i || (s[i] && (s[i + 1] || !strchr("smh", s[i]))))
		return cfg_bad(g, v, key, "not a duration (seconds, or a number with s, m or h)");
	if (!t || t * unit > VIGIL_FETCH_MAX_DEADLINE_S)
		return cfg_bad(g, v, key, "not between 1 s and 7 days");
	*out = t * unit;
	return 0;
}

int cfg_fetch_key(struct cfg *g, const char *path, const yaml_node_t *v, int depth)
{
	if (!strcmp(path, "indexer.fetch.deny"))
		return get_cidrs(g, v, path, g->c->fetch_deny);
	if (!strcmp(path, "indexer.fetch.allow"))
		return get_cidrs(g, v, path, g->c->fetch_allow);
	if (!strcmp(path, "indexer.fetch.deadline"))
		return get_duration(g, v, path, &g->c->fetch_deadline_s);
	cfg_unknown(g, path, v);
	return 0;
}


/* ---- harbor: the pluggable scanner API's listener (docs/harbor.md) ---- */

int cfg_harbor_key(struct cfg *g, const char *path, const yaml_node_t *v, int depth)
{
	vigil_server_config *c = g->c;
	int rc;
	(void)depth;
	if (!strcmp(path, "harbor.listen"))
		return cfg_get_str(g, v, path, c->harbor_listen, sizeof(c->harbor_listen));
	if (!strcmp(path, "harbor.token")) {
		if ((rc = cfg_get_str(g, v, path, c->harbor_token, sizeof(c->harbor_token))) < 0)
			return rc;
		for (const char *p = c->harbor_token; *p; p++)
			if (*p <= 0x20 || *p > 0x7e)
				return cfg_bad(g, v, path, "not a token (visible ASCII, no spaces)");
		return 0;
	}
	cfg_unknown(g, path, v);
	return 0;
}
