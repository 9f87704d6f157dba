/* server/clair2_conf.c: translating Clair 2's config values (see
 * clair2_conf.h). The DSN is read as libpq reads a keyword DSN
 * (PostgreSQL's conninfo_parse: pairs separated by white space, a value
 * plain or in single quotes with backslash escapes) and written back with
 * every value quoted; the keywords libpq does not know (Go's lib/pq sent
 * them to the server as settings) go into options as "-c k=v", which is
 * what libpq does with a setting. Values that would need escaping inside
 * options (white space, quotes, backslashes) are refused, not guessed. */
#include "server/clair2_conf.h"
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
