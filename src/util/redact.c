/* util/redact.c: userinfo and query values out of URLs (see redact.h).
 * Pure functions over the input bytes: no allocation, no libcurl (a URL
 * that does not parse is still redacted, which a parser would refuse). */
#include "util/redact.h"

#include <stdbool.h>
#include <string.h>

typedef struct out_buf {
	char *p;
	size_t n, len;
} out_buf;

static void put(out_buf *o, const char *s, size_t k)
{
	if (o->n == 0)
		return;
	size_t room = o->n - 1 - o->len;
	if (k > room)
		k = room;
	memcpy(o->p + o->len, s, k);
	o->len += k;
	o->p[o->len] = '\0';
}

static bool is_scheme_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '-' || c == '.';
}

static bool ends_token(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' ||
	       c == '\'' || c == '<' || c == '>';
}

/* The query "a=1&b=2" as "a=***&b=***" (a bare "a" stays "a"). */
static void put_query(out_buf *o, const char *q, size_t len)
{
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && q[j] != '&' && q[j] != ';')
			j++;
		const char *eq = memchr(q + i, '=', j - i);
		if (eq) {
			put(o, q + i, (size_t)(eq - (q + i)) + 1);
			put(o, "***", 3);
		} else {
			put(o, q + i, j - i);
		}
		if (j < len)
			put(o, q + j, 1);
		i = j + 1;
	}
}

/* One URL of len bytes (from its scheme on). */
static void put_url(out_buf *o, const char *u, size_t len)
{
	const char *sep = NULL;
	for (size_t i = 0; i + 2 < len; i++)
		if (u[i] == ':' && u[i + 1] == '/' && u[i + 2] == '/') {
			sep = u + i + 3;
			break;
		}
	if (!sep) {
		/* not a URL ("http:/u:pw@h", "u:pw@h"): what follows a ':', '@'
		 * or '?' may be a credential that no parser will find */
		size_t k = 0;
		while (k < len && u[k] != ':' && u[k] != '@' && u[k] != '?')
			k++;
		put(o, u, k);
		if (k < len) {
			put(o, u + k, 1);
			put(o, "***", 3);
		}
		return;
	}
	const char *end = u + len;
	put(o, u, (size_t)(sep - u));
	/* authority: up to the first '/', '?' or '#' */
	const char *a = sep;
	while (a < end && *a != '/' && *a != '?' && *a != '#')
		a++;
	const char *at = NULL;
	for (const char *p = sep; p < a; p++)
		if (*p == '@')
			at = p;
	if (at) {
		put(o, "***@", 4);
		sep = at + 1;
	}
	put(o, sep, (size_t)(a - sep));
	const char *path_end = a;
	while (path_end < end && *path_end != '?' && *path_end != '#')
		path_end++;
	put(o, a, (size_t)(path_end - a));
	if (path_end < end && *path_end == '?') {
		const char *q = path_end + 1, *qe = q;
		while (qe < end && *qe != '#')
			qe++;
		put(o, "?", 1);
		put_query(o, q, (size_t)(qe - q));
	}
}

char *vigil_redact_url(const char *url, char *out, size_t n)
{
	out_buf o = { out, n, 0 };
	if (n)
		out[0] = '\0';
	if (url)
		put_url(&o, url, strlen(url));
	return out;
}

char *vigil_redact_text(const char *text, char *out, size_t n)
{
	out_buf o = { out, n, 0 };
	if (n)
		out[0] = '\0';
	if (!text)
		return out;
	const char *p = text;
	while (*p) {
		const char *s = strstr(p, "://");
		if (!s) {
			put(&o, p, strlen(p));
			break;
		}
		const char *start = s;
		while (start > p && is_scheme_char(start[-1]))
			start--;
		const char *e = s + 3;
		while (!ends_token(*e))
			e++;
		put(&o, p, (size_t)(start - p));
		if (start == s)
			put(&o, s, (size_t)(e - s)); /* "://" with no scheme: not a URL */
		else
			put_url(&o, start, (size_t)(e - start));
		p = e;
	}
	return out;
}
