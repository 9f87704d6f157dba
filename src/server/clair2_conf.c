/* server/clair2_conf.c: translating Clair 2's config values (see
 * clair2_conf.h). The DSN is read as libpq reads a keyword DSN
 * (PostgreSQL's conninfo_parse: pairs separated by white space, a value
 * plain or in single quotes with backslash escapes) and written back with
 * every value quoted; the keywords libpq does not know (Go's lib/pq sent
 * them to the server as settings) go into options as "-c k=v", which is
 * what libpq does with a setting. Values that would need escaping inside
 * options (white space, quotes, backslashes) are refused, not guessed. */
#include "server/clair2_conf.h"
#include "server/config_priv.h"
#include "util/buf.h"

#include <stdio.h>
#include <string.h>

/* libpq's connection keywords (PostgreSQL 17's PQconninfoOptions). */
static const char *const libpq_keywords[] = {
	"host", "hostaddr", "port", "dbname", "user", "password", "passfile", "channel_binding", "connect_timeout",
	"client_encoding", "options", "application_name", "fallback_application_name", "keepalives",
	"keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout", "replication",
	"sslmode", "sslnegotiation", "sslcompression", "sslcert", "sslkey", "sslcertmode", "sslpassword",
	"sslrootcert", "sslcrl", "sslcrldir", "sslsni", "requirepeer", "require_auth", "ssl_min_protocol_version",
	"ssl_max_protocol_version", "gssencmode", "krbsrvname", "gsslib", "gssdelegation", "service",
	"target_session_attrs", "load_balance_hosts", "min_protocol_version", "max_protocol_version", NULL
};

static int is_keyword(const char *k, size_t n)
{
	for (const char *const *w = libpq_keywords; *w; w++)
		if (strlen(*w) == n && !memcmp(*w, k, n))
			return 1;
	return 0;
}

static int quoted(vigil_buf *b, const char *v, size_t n)
{
	int rc = vigil_buf_putc(b, '\'');
	for (size_t i = 0; !rc && i < n; i++)
		rc = (v[i] == '\'' || v[i] == '\\' ? vigil_buf_putc(b, '\\') : 0) || vigil_buf_putc(b, v[i]);
	return rc || vigil_buf_putc(b, '\'');
}

int srv_clair2_dsn(const char *in, char *out, size_t n, const char **why)
{
	vigil_buf kept, opts;
	char val[1024];
	size_t pairs = 0;
	int rc = -1;
	const char *p = in;

	*why = NULL;
	if (!strncmp(in, "postgres://", 11) || !strncmp(in, "postgresql://", 13) || !strchr(in, '=')) {
		if (strlen(in) >= n)
			return (*why = "too long"), -1;
		memcpy(out, in, strlen(in) + 1);
		return 0;
	}
	vigil_buf_init(&kept, n);
	vigil_buf_init(&opts, n);
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		const char *k = p;
		size_t vn = 0;
		while (*p && *p != '=' && *p != ' ' && *p != '\t')
			p++;
		size_t kn = (size_t)(p - k);
		while (*p == ' ' || *p == '\t')
			p++;
		if (!kn || *p++ != '=')
			goto bad_syntax;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\'') { /* quoted, with backslash escapes */
			for (p++; *p && *p != '\''; p++) {
				if (*p == '\\' && p[1])
					p++;
				if (vn + 1 >= sizeof(val))
					goto too_long;
				val[vn++] = *p;
			}
			if (*p++ != '\'')
				goto bad_syntax;
		} else {
			for (; *p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r'; p++) {
				if (*p == '\\' && p[1])
					p++;
				if (vn + 1 >= sizeof(val))
					goto too_long;
				val[vn++] = *p;
			}
		}
		val[vn] = '\0';
		if (++pairs > SRV_CLAIR2_MAX_DSN_PAIRS) {
			*why = "more than 64 keyword=value pairs";
			goto out;
		}
		if (is_keyword(k, kn) && !(kn == 7 && !memcmp(k, "options", 7))) {
			if ((kept.len && vigil_buf_putc(&kept, ' ')) || vigil_buf_append(&kept, k, kn) ||
			    vigil_buf_putc(&kept, '=') || quoted(&kept, val, vn))
				goto too_long;
			continue;
		}
		if (kn != 7 || memcmp(k, "options", 7)) { /* a server setting, as lib/pq sent it */
			if (strpbrk(val, " \t\r\n'\\")) {
				*why = "a server setting's value with white space, a quote or a backslash";
				goto out;
			}
			if ((opts.len && vigil_buf_putc(&opts, ' ')) || vigil_buf_puts(&opts, "-c ") ||
			    vigil_buf_append(&opts, k, kn) || vigil_buf_putc(&opts, '=') || vigil_buf_append(&opts, val, vn))
				goto too_long;
		} else if ((opts.len && vigil_buf_putc(&opts, ' ')) || vigil_buf_append(&opts, val, vn))
			goto too_long;
	}
	if (opts.len && ((kept.len && vigil_buf_putc(&kept, ' ')) || vigil_buf_puts(&kept, "options=") ||
			 quoted(&kept, vigil_buf_cstr(&opts), opts.len)))
		goto too_long;
	if (kept.len >= n)
		goto too_long;
	memcpy(out, kept.len ? vigil_buf_cstr(&kept) : "", kept.len + 1);
	rc = 0;
	goto out;
bad_syntax:
	*why = "not a keyword=value connection string";
	goto out;
too_long:
	*why = "too long";
out:
	vigil_buf_free(&kept);
	vigil_buf_free(&opts);
	return rc;
}

/* ---- the clair: keys (config.c walks them here) ---- */

/* ---- Clair 2's layout: everything under a top-level clair: ----
 * (coreos/clair v2 cmd/clair/config.go, config.example.yaml) */
#define SRV_CONFIG_MAX_INTERVAL_S (30L * 24 * 3600) /* clair.updater.interval */

/* A Go duration of whole seconds ("2h", "1h30m", "90s", "0"): seconds. */
static int get_go_duration(struct cfg *g, const yaml_node_t *v, const char *key, long *out)
{
	char s[32] = "";
	if (cfg_is_null(v))
		return 0;
	if (v->type != YAML_SCALAR_NODE || cfg_get_str(g, v, key, s, sizeof(s)) < 0 ||
	    srv_go_duration(s, SRV_CONFIG_MAX_INTERVAL_S, out) < 0)
		return cfg_bad(g, v, key, "not a duration (Go's: 2h, 30m, 1h30m, 90s) of at most 30 days");
	if (*out < 1 && strcmp(s, "0") && strcmp(s, "+0"))
		return cfg_bad(g, v, key, "shorter than 1 s");
	return 0;
}

/* Clair 2's database source, as libpq reads it (clair2_conf.c). */
static int get_source(struct cfg *g, const yaml_node_t *v, const char *key)
{
	char s[sizeof(g->c->indexer_connstring)] = "";
	const char *why;
	int rc;
	if ((rc = cfg_get_str(g, v, key, s, sizeof(s))) < 0 || !s[0])
		return rc;
	if (srv_clair2_dsn(s, g->c->indexer_connstring, sizeof(g->c->indexer_connstring), &why) < 0)
		return cfg_bad(g, v, key, why);
	return 0;
}

/* A port (1..65535) as the listen address ":PORT". */
static int get_port(struct cfg *g, const yaml_node_t *v, const char *key, char *addr, size_t n)
{
	long long port = 0;
	int rc;
	if (cfg_is_null(v))
		return 0;
	if ((rc = cfg_get_int(g, v, key, 1, 65535, false, &port)) < 0)
		return rc;
	snprintf(addr, n, ":%lld", port);
	return 0;
}

static const char *const clair2_ignored[] = { "clair.api.timeout", "clair.api.paginationkey", "clair.api.servername",
					      "clair.api.certfile", "clair.api.keyfile", "clair.database.type",
					      "clair.database.options.cachesize", "clair.database.options.paginationkey",
					      "clair.updater.enabledupdaters", "clair.notifier", "clair.worker", NULL };

int cfg_clair2_key(struct cfg *g, const char *path, const yaml_node_t *v, int depth)
{
	vigil_server_config *c = g->c;
	if (!strcmp(path, "clair.api") || !strcmp(path, "clair.database") || !strcmp(path, "clair.updater") ||
	    !strcmp(path, "clair.database.options"))
		return cfg_walk_map(g, v, path, cfg_clair2_key, depth);
	if (!strcmp(path, "clair.api.port"))
		return get_port(g, v, path, c->http_listen_addr, sizeof(c->http_listen_addr));
	if (!strcmp(path, "clair.api.healthport")) /* the introspection listener answers GET /health */
		return get_port(g, v, path, c->introspection_addr, sizeof(c->introspection_addr));
	if (!strcmp(path, "clair.database.options.source"))
		return get_source(g, v, path);
	if (!strcmp(path, "clair.updater.interval")) {
		long t = -2;
		int rc = get_go_duration(g, v, path, &t);
		if (rc == 0 && t > 0)
			c->update_period_s = t;
		else if (rc == 0 && t == 0)
			c->disable_updaters = true; /* Clair 2's 0: the updater off */
		return rc;
	}
	if (!strcmp(path, "clair.api.cafile") && !cfg_is_null(v) &&
	    !(v->type == YAML_SCALAR_NODE && !v->data.scalar.length))
		/* failing closed: Clair 2 asked every client for a certificate */
		return cfg_bad(g, v, path, "client certificate authentication is not supported by vigil "
				       "(use auth.psk, or a TLS proxy): refusing to serve without it");
	if (cfg_one_of(path, clair2_ignored) || !strcmp(path, "clair.api.cafile"))
		cfg_warnf(g, "%s: line %d: %s: Clair 2 key not used by vigil, ignored", g->path, cfg_line_of(v), path);
	else
		cfg_unknown(g, path, v);
	return 0;
}

