/* registry/challenge.c: the WWW-Authenticate header of a 401 (RFC 7235):
 * a comma-separated list of challenges, each a scheme token followed by
 * auth-params (name=token or name="quoted string" with backslash escapes).
 * A registry answers "Bearer realm=...,service=...,scope=..." (token auth)
 * or "Basic realm=...". Several headers are read joined by ", ". Counts and
 * lengths are capped (VIGIL_REG_MAX_CHALLENGES, _AUTH_PARAMS, _AUTH_VALUE,
 * _AUTH_HEADER); a parameter twice in one challenge is an error, as the RFC
 * forbids it. token68 challenges (no '=' pairs) are read and ignored. */
#include "registry/registry.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

struct cur {
	const char *p, *end;
	const char *all; /* for messages */
	size_t len;
};

static bool is_tchar(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool is_t68(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("-._~+/", c) != NULL);
}

static void skip_ws(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

static size_t token(struct cur *c)
{
	const char *s = c->p;
	while (c->p < c->end && is_tchar(*c->p))
		c->p++;
	return (size_t)(c->p - s);
}

static int fail(const struct cur *c, int code, const char *why)
{
	int n = c->len > 120 ? 120 : (int)c->len;
	char shown[121];
	/* printable only: the value is hostile and not NUL-terminated */
	for (int i = 0; i < n; i++)
		shown[i] = (c->all[i] >= 0x20 && c->all[i] < 0x7f) ? c->all[i] : '?';
	shown[n] = '\0';
	return vigil_error_set(code, "WWW-Authenticate \"%s%s\": %s", shown, c->len > 120 ? "..." : "", why);
}

/* A token or quoted-string value into out (cap VIGIL_REG_MAX_AUTH_VALUE) or
 * dropped when out is NULL. */
static int value(struct cur *c, char *out)
{
	size_t n = 0;
	if (c->p < c->end && *c->p == '"') {
		c->p++;
		for (;;) {
			if (c->p >= c->end)
				return fail(c, VIGIL_EFORMAT, "unterminated quoted string");
			char ch = *c->p++;
			if (ch == '"')
				break;
			if (ch == '\\') {
				if (c->p >= c->end)
					return fail(c, VIGIL_EFORMAT, "unterminated quoted string");
				ch = *c->p++;
			}
			if ((unsigned char)ch < 0x20 && ch != '\t')
				return fail(c, VIGIL_EFORMAT, "control character in a quoted string");
			if (n >= VIGIL_REG_MAX_AUTH_VALUE)
				return fail(c, VIGIL_ELIMIT, "a parameter is over 2048 bytes");
			if (out)
				out[n] = ch;
			n++;
		}
	} else {
		const char *s = c->p;
		size_t k = token(c);
		if (!k)
			return fail(c, VIGIL_EFORMAT, "a parameter has no value");
		if (k > VIGIL_REG_MAX_AUTH_VALUE)
			return fail(c, VIGIL_ELIMIT, "a parameter is over 2048 bytes");
		if (out)
			memcpy(out, s, k);
		n = k;
	}
	if (out)
		out[n] = '\0';
	return 0;
}

/* The field of a challenge a parameter goes to, NULL to drop it. */
static char *param_field(vigil_reg_challenge *ch, const char *name, size_t n, unsigned *seen, int *bit)
{
	static const char *const names[] = { "realm", "service", "scope", "error" };
	for (int i = 0; i < 4; i++)
		if (strlen(names[i]) == n && !strncasecmp(name, names[i], n)) {
			*bit = i;
			switch (i) {
			case 0: return ch->realm;
			case 1: return ch->service;
			case 2: return ch->scope;
			default: return NULL; /* error: read into a bigger buffer, then cut */
			}
		}
	*bit = -1;
	(void)seen;
	return NULL;
}

int reg_challenge_parse(const char *v, size_t len, vigil_reg_challenge *out)
{
	struct cur c = { v, v + len, v, len };
	vigil_reg_challenge cur;
	bool have_bearer = false, have_basic = false;
	size_t nchal = 0, nparams = 0;
	char schemes[128] = "";
	memset(out, 0, sizeof(*out));
	if (len > VIGIL_REG_MAX_AUTH_HEADER)
		return fail(&c, VIGIL_ELIMIT, "over 8192 bytes");
	for (;;) {
		while (c.p < c.end && (*c.p == ' ' || *c.p == '\t' || *c.p == ','))
			c.p++;
		if (c.p >= c.end)
			break;
		const char *scheme = c.p;
		size_t sl = token(&c);
		if (!sl)
			return fail(&c, VIGIL_EFORMAT, "expected an authentication scheme");
		if (++nchal > VIGIL_REG_MAX_CHALLENGES)
			return fail(&c, VIGIL_ELIMIT, "more than 16 challenges");
		memset(&cur, 0, sizeof(cur));
		if (sl == 6 && !strncasecmp(scheme, "bearer", 6))
			cur.scheme = VIGIL_REG_AUTH_BEARER;
		else if (sl == 5 && !strncasecmp(scheme, "basic", 5))
			cur.scheme = VIGIL_REG_AUTH_BASIC;
		if (strlen(schemes) + sl + 3 < sizeof(schemes))
			snprintf(schemes + strlen(schemes), sizeof(schemes) - strlen(schemes), "%s%.*s",
				 schemes[0] ? ", " : "", (int)sl, scheme);
		unsigned seen = 0;
		skip_ws(&c);
		/* auth-params ("name=value"), or a token68 ("abc+/==") to skip */
		const char *save = c.p;
		size_t nl0 = token(&c);
		skip_ws(&c);
		bool params = false;
		if (nl0 && c.p < c.end && *c.p == '=') {
			c.p++;
			skip_ws(&c);
			params = c.p < c.end && *c.p != ',' && *c.p != '=';
		}
		c.p = save;
		if (!params) {
			while (c.p < c.end && is_t68(*c.p))
				c.p++;
			while (c.p < c.end && *c.p == '=')
				c.p++;
			skip_ws(&c);
			if (c.p < c.end && *c.p != ',')
				return fail(&c, VIGIL_EFORMAT, "expected ',' after a challenge");
			goto next;
		}
		/* auth-params */
		for (;;) {
			skip_ws(&c);
			const char *pstart = c.p;
			const char *name = c.p;
			size_t nl = token(&c);
			skip_ws(&c);
			if (!nl || c.p >= c.end || *c.p != '=') {
				c.p = pstart; /* the next challenge (or the end) */
				break;
			}
			c.p++;
			skip_ws(&c);
			if (++nparams > VIGIL_REG_MAX_AUTH_PARAMS)
				return fail(&c, VIGIL_ELIMIT, "more than 32 parameters");
			int bit;
			char *field = param_field(&cur, name, nl, &seen, &bit);
			if (bit >= 0) {
				if (seen & (1u << bit))
					return fail(&c, VIGIL_EFORMAT, "a parameter is given twice in one challenge");
				seen |= 1u << bit;
			}
			if (bit == 3) {
				char err[VIGIL_REG_MAX_AUTH_VALUE + 1];
				int rc = value(&c, err);
				if (rc < 0)
					return rc;
				snprintf(cur.error, sizeof(cur.error), "%.63s", err);
			} else {
				int rc = value(&c, field);
				if (rc < 0)
					return rc;
			}
			skip_ws(&c);
			if (c.p >= c.end)
				break;
			if (*c.p != ',')
				return fail(&c, VIGIL_EFORMAT, "expected ',' between parameters");
			c.p++;
		}
next:
		if (cur.scheme == VIGIL_REG_AUTH_BEARER && !have_bearer) {
			if (!cur.realm[0])
				return fail(&c, VIGIL_EFORMAT, "Bearer challenge without a realm");
			if (strncasecmp(cur.realm, "https://", 8) && strncasecmp(cur.realm, "http://", 7))
				return fail(&c, VIGIL_EFORMAT, "the Bearer realm is not an http(s) URL");
			*out = cur;
			have_bearer = true;
		} else if (cur.scheme == VIGIL_REG_AUTH_BASIC && !have_basic && !have_bearer) {
			*out = cur;
			have_basic = true;
		}
	}
	if (!have_bearer && !have_basic)
		return vigil_error_set(VIGIL_EUNSUPPORTED, "WWW-Authenticate: no Bearer or Basic challenge (schemes: %s)",
				       schemes[0] ? schemes : "none");
	return 0;
}
