/* version/composer.c: Composer's versions (composer/semver src/
 * VersionParser.php, Constraint.php, Comparator.php) and the PHP function
 * they rest on, version_compare() (php-src ext/standard/versioning.c).
 *
 * PHP's version_compare canonicalizes ("-", "_", "+" and other non-alphanumerics
 * become ".", a "." goes between digits and letters), then compares the
 * dot-separated parts: numbers as numbers (strtol: saturating at
 * LONG_MAX), words by the special forms dev < alpha=a < beta=b < RC=rc <
 * (a number) < pl=p (matched as prefixes, anything else below dev); a
 * longer version wins with a number and loses with a word after it.
 *
 * normalize() gives the 4-part form Composer stores ("v1.0" ->
 * "1.0.0.0", "1.0.0RC1dev" -> "1.0.0.0-RC1-dev", "1.x-dev" ->
 * "1.9999999.9999999.9999999-dev", dates, "dev-*" branches, aliases and
 * @stability flags dropped). Its regular expressions are replayed with
 * small matchers that try alternatives in the order PCRE would.
 *
 * version_compare itself is in php_compare.c. The scheme's order
 * (vigil_composer_cmp) normalizes both versions then
 * applies version_compare; branches, which Composer never orders, sort
 * below every release and by bytes among themselves. Invalid versions
 * sort after valid ones, by bytes. */
#include "vigil/version.h"
#include "version/composer.h"
#include "version/internal.h"
#include "util/error.h"

#include <string.h>

/* ---- the MODIFIER regular expression, replayed ---------------------- */
/* [._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*+)?)?([.-]?dev)?
 * case-insensitive; g[0] word, g[1] numbers, g[2] dev. The continuation
 * decides whether what follows the modifier matches. */
typedef struct cp_cont {
	int mode; /* 0: end of string; 1: build? then end; 2: build? then " +- +" */
	size_t n;
	int cs; /* words case-sensitive (the pattern without /i) */
} cp_cont;

static int cp_ws(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static int cp_ieq(const char *s, size_t i, size_t n, const char *w)
{
	size_t l = strlen(w);
	if (i > n || n - i < l)
		return 0;
	for (size_t k = 0; k < l; k++)
		if (vv_tolower((unsigned char)s[i + k]) != vv_tolower((unsigned char)w[k]))
			return 0;
	return 1;
}

static int cp_seq(const char *s, size_t i, size_t n, const char *w)
{
	size_t l = strlen(w);
	return i <= n && n - i >= l && !memcmp(s + i, w, l);
}

#define CP_NO ((size_t)-1)

/* What follows a modifier ending at d: the end of the whole match, or CP_NO. */
static size_t cp_cont_at(const char *s, size_t d, const cp_cont *c)
{
	size_t n = c->n;
	if (c->mode == 0)
		return d == n ? d : CP_NO;
	size_t ends[2] = { CP_NO, d };
	if (d + 1 < n && s[d] == '+' && !cp_ws(s[d + 1])) {
		size_t e = d + 1;
		while (e < n && !cp_ws(s[e]))
			e++;
		ends[0] = e;
	}
	for (int k = 0; k < 2; k++) {
		size_t e = ends[k], f = e;
		if (e == CP_NO)
			continue;
		if (c->mode == 1) {
			if (e == n)
				return e;
			continue;
		}
		while (f < n && s[f] == ' ')
			f++;
		if (f > e && f + 1 < n && s[f] == '-' && s[f + 1] == ' ')
			return e;
	}
	return CP_NO;
}

static size_t cp_dev_then(const char *s, size_t q, const cp_cont *c, cp_cap *dev)
{
	int (*eq)(const char *, size_t, size_t, const char *) = c->cs ? cp_seq : cp_ieq;
	size_t n = c->n, r;
	if (q < n && (s[q] == '.' || s[q] == '-') && eq(s, q + 1, n, "dev") &&
	    (r = cp_cont_at(s, q + 4, c)) != CP_NO) {
		*dev = (cp_cap){ s + q, 4 };
		return r;
	}
	if (eq(s, q, n, "dev") && (r = cp_cont_at(s, q + 3, c)) != CP_NO) {
		*dev = (cp_cap){ s + q, 3 };
		return r;
	}
	*dev = (cp_cap){ NULL, 0 };
	return cp_cont_at(s, q, c);
}

/* The end of the modifier and what follows it, or CP_NO. */
static size_t cp_modifier(const char *s, size_t j, const cp_cont *c, cp_cap g[3])
{
	int (*eq)(const char *, size_t, size_t, const char *) = c->cs ? cp_seq : cp_ieq;
	static const char *const words[] = { "stable", "beta", "b", "RC", "alpha", "a", "patch", "pl", "p" };
	size_t n = c->n, r;
	int seps = (j < n && (s[j] == '.' || s[j] == '_' || s[j] == '-')) ? 2 : 1;
	for (int t = 0; t < seps; t++) {
		size_t k = j + (seps == 2 && t == 0);
		for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
			if (!eq(s, k, n, words[w]))
				continue;
			size_t e = k + strlen(words[w]), e2 = e;
			for (;;) {
				size_t q = e2;
				if (q < n && (s[q] == '.' || s[q] == '-'))
					q++;
				if (q >= n || !vv_digit((unsigned char)s[q]))
					break;
				while (q < n && vv_digit((unsigned char)s[q]))
					q++;
				e2 = q;
			}
			size_t opts[2] = { e2, e };
			for (int o = 0; o < (e2 == e ? 1 : 2); o++) {
				if ((r = cp_dev_then(s, opts[o], c, &g[2])) != CP_NO) {
					g[0] = (cp_cap){ s + k, e - k };
					g[1] = (cp_cap){ s + e, opts[o] - e };
					return r;
				}
			}
		}
		if ((r = cp_dev_then(s, k, c, &g[2])) != CP_NO) {
			g[0] = g[1] = (cp_cap){ NULL, 0 };
			return r;
		}
	}
	return CP_NO;
}

/* ---- normalize ------------------------------------------------------ */

static int cp_trimc(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0' || c == '\v'; }

typedef struct cp_out {
	char *p;
	size_t n, cap;
	int over;
} cp_out;

static void co_put(cp_out *o, const char *s, size_t n)
{
	if (o->n + n >= o->cap) {
		o->over = 1;
		return;
	}
	memcpy(o->p + o->n, s, n);
	o->n += n;
}

static void co_s(cp_out *o, const char *s) { co_put(o, s, strlen(s)); }

/* "-" expandStability(word) ltrim(numbers, ".-"), then "-dev". */
static void cp_modifiers(cp_out *o, const cp_cap g[3])
{
	if (g[0].p && g[0].n) {
		char w[8] = { 0 };
		for (size_t i = 0; i < g[0].n && i < 7; i++)
			w[i] = (char)vv_tolower((unsigned char)g[0].p[i]);
		if (g[0].n == 6 && !memcmp(g[0].p, "stable", 6))
			return;
		co_s(o, "-");
		co_s(o, !strcmp(w, "a") ? "alpha" : !strcmp(w, "b") ? "beta" :
			(!strcmp(w, "p") || !strcmp(w, "pl")) ? "patch" : !strcmp(w, "rc") ? "RC" : w);
		const char *num = g[1].p;
		size_t nn = g[1].n;
		while (nn && (*num == '.' || *num == '-'))
			num++, nn--;
		co_put(o, num, nn);
	}
	if (g[2].p && g[2].n)
		co_s(o, "-dev");
}

/* ^v?(\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3}){0,2})MODIFIER$: the ends
 * of group 1 tried in PCRE's order; returns that end, or 0. */
static size_t cp_date_p1(const char *s, size_t i, size_t n, int reps, cp_cap g[3])
{
	if (reps < 2) {
		int seps = (i < n && (s[i] == '.' || s[i] == ':' || s[i] == '-')) ? 2 : 1;
		for (int t = 0; t < seps; t++) {
			size_t j = i + (seps == 2 && t == 0), d = j, r;
			while (d < n && d - j < 3 && vv_digit((unsigned char)s[d]))
				d++;
			for (size_t e = d; e > j; e--)
				if ((r = cp_date_p1(s, e, n, reps + 1, g)))
					return r;
		}
	}
	cp_cont c = { 0, n, 0 };
	return cp_modifier(s, i, &c, g) != CP_NO ? i : 0;
}

static size_t cp_date_p0(const char *s, size_t i, size_t n, int reps, cp_cap g[3])
{
	if (reps < 6) {
		int seps = (i < n && (s[i] == '.' || s[i] == ':' || s[i] == '-')) ? 2 : 1;
		for (int t = 0; t < seps; t++) {
			size_t j = i + (seps == 2 && t == 0), r;
			if (j + 1 < n && vv_digit((unsigned char)s[j]) && vv_digit((unsigned char)s[j + 1]) &&
			    (r = cp_date_p0(s, j + 2, n, reps + 1, g)))
				return r;
		}
	}
	return reps >= 1 ? cp_date_p1(s, i, n, 0, g) : 0;
}

/* ^v?(\d{1,5}+)(\.\d++)?(\.\d++)?(\.\d++)?MODIFIER$ */
static int cp_classical(const char *s, size_t n, cp_out *o)
{
	size_t i = (n && (s[0] == 'v' || s[0] == 'V')), st = i;
	cp_cap g[3];
	while (i < n && i - st < 5 && vv_digit((unsigned char)s[i]))
		i++;
	if (i == st)
		return 0;
	size_t ends[4] = { i, 0, 0, 0 }, starts[4] = { st, 0, 0, 0 };
	int k = 1;
	for (; k < 4; k++) {
		if (i + 1 < n && s[i] == '.' && vv_digit((unsigned char)s[i + 1])) {
			starts[k] = i;
			i++;
			while (i < n && vv_digit((unsigned char)s[i]))
				i++;
			ends[k] = i;
		} else {
			break;
		}
	}
	cp_cont c = { 0, n, 0 };
	if (cp_modifier(s, i, &c, g) == CP_NO)
		return 0;
	co_put(o, s + starts[0], ends[0] - starts[0]);
	for (int j = 1; j < 4; j++) {
		if (j < k)
			co_put(o, s + starts[j], ends[j] - starts[j]);
		else
			co_s(o, ".0");
	}
	cp_modifiers(o, g);
	return 1;
}

static int cp_date(const char *s, size_t n, cp_out *o)
{
	size_t st = (n && (s[0] == 'v' || s[0] == 'V')), i = st;
	cp_cap g[3];
	while (i < n && i - st < 4 && vv_digit((unsigned char)s[i]))
		i++;
	if (i - st != 4)
		return 0;
	size_t e = cp_date_p0(s, i, n, 0, g);
	if (!e)
		return 0;
	for (size_t k = st; k < e; k++)
		co_put(o, vv_digit((unsigned char)s[k]) ? s + k : ".", 1);
	cp_modifiers(o, g);
	return 1;
}

/* normalizeBranch(name) when it gives a numeric branch ("1.x" ->
 * "1.9999999.9999999.9999999-dev"); 0 otherwise. */
static int cp_branch(const char *s, size_t n, cp_out *o)
{
	while (n && cp_trimc(*s))
		s++, n--;
	while (n && cp_trimc(s[n - 1]))
		n--;
	size_t i = (n && (s[0] == 'v' || s[0] == 'V')), st = i;
	while (i < n && vv_digit((unsigned char)s[i]))
		i++;
	if (i == st)
		return 0;
	size_t mark = o->n;
	co_put(o, s + st, i - st);
	int k = 1;
	for (; k < 4 && i < n; k++) {
		if (s[i] != '.' || i + 1 >= n)
			break;
		char c = s[i + 1];
		if (c == 'x' || c == 'X' || c == '*') {
			co_s(o, ".9999999");
			i += 2;
		} else if (vv_digit((unsigned char)c)) {
			size_t b = ++i;
			while (i < n && vv_digit((unsigned char)s[i]))
				i++;
			co_s(o, ".");
			co_put(o, s + b, i - b);
		} else {
			break;
		}
	}
	if (i != n) {
		o->n = mark;
		return 0;
	}
	for (; k < 4; k++)
		co_s(o, ".9999999");
	co_s(o, "-dev");
	return 1;
}

long cp_normalize(const char *v, size_t len, char *out, size_t cap)
{
	static const char *const stab[] = { "stable", "RC", "beta", "alpha", "dev" };
	cp_out o = { out, 0, cap, 0 };
	const char *s = v;
	size_t n = len;

	if (!cap)
		return -2;
	out[0] = '\0';
	if (len > VIGIL_VERSION_MAX_LEN)
		return -1;
	while (n && cp_trimc(*s))
		s++, n--;
	while (n && cp_trimc(s[n - 1]))
		n--;
	/* ^([^,\s]++) ++as ++([^,\s]++)$ */
	size_t a = 0;
	while (a < n && s[a] != ',' && !cp_ws(s[a]))
		a++;
	if (a && a < n && s[a] == ' ') {
		size_t b = a;
		while (b < n && s[b] == ' ')
			b++;
		if (b + 2 < n && s[b] == 'a' && s[b + 1] == 's' && s[b + 2] == ' ') {
			size_t c = b + 2, d;
			while (c < n && s[c] == ' ')
				c++;
			for (d = c; d < n && s[d] != ',' && !cp_ws(s[d]); d++)
				;
			if (d == n && c < n)
				n = a;
		}
	}
	/* @(?:stable|RC|beta|alpha|dev)$ */
	for (size_t k = 0; k < sizeof(stab) / sizeof(stab[0]); k++) {
		size_t l = strlen(stab[k]);
		if (n > l && s[n - l - 1] == '@' && cp_ieq(s, n - l, n, stab[k])) {
			n -= l + 1;
			break;
		}
	}
	if ((n == 6 && !memcmp(s, "master", 6)) || (n == 5 && !memcmp(s, "trunk", 5)) ||
	    (n == 7 && !memcmp(s, "default", 7))) {
		co_s(&o, "dev-");
		co_put(&o, s, n);
		goto done;
	}
	if (cp_ieq(s, 0, n, "dev-")) {
		co_s(&o, "dev-");
		co_put(&o, s + 4, n - 4);
		goto done;
	}
	/* ^([^,\s+]++)\+[^\s]++$ */
	for (a = 0; a < n && s[a] != ',' && s[a] != '+' && !cp_ws(s[a]); a++)
		;
	if (a && a + 1 < n && s[a] == '+') {
		size_t b = a + 1;
		while (b < n && !cp_ws(s[b]))
			b++;
		if (b == n)
			n = a;
	}
	if (cp_classical(s, n, &o) || (o.n = 0, cp_date(s, n, &o)))
		goto done;
	o.n = 0;
	/* (.*?)[.-]?dev$ */
	if (n >= 3 && cp_ieq(s, n - 3, n, "dev")) {
		size_t m = n - 3;
		if (m && (s[m - 1] == '.' || s[m - 1] == '-'))
			m--;
		if (cp_branch(s, m, &o))
			goto done;
	}
	return -1;
done:
	if (o.over)
		return -2;
	out[o.n] = '\0';
	return (long)o.n;
}

const char *cp_stability(const char *v, size_t len)
{
	char low[CP_NORM_MAX];
	cp_cap g[3];
	const char *hash = memchr(v, '#', len);
	if (hash)
		len = (size_t)(hash - v);
	if (cp_is_branch(v, len) || (len >= 4 && !memcmp(v + len - 4, "-dev", 4)))
		return "dev";
	if (len >= sizeof(low))
		return "stable";
	for (size_t i = 0; i < len; i++)
		low[i] = (char)vv_tolower((unsigned char)v[i]);
	const char *plus = memchr(low, '+', len);
	size_t end = plus ? (size_t)(plus - low) : len;
	/* MODIFIER(?:\+.*)?$ at the first position where it matches */
	for (size_t i = 0; i <= end; i++) {
		cp_cont c = { 0, end, 0 };
		if (cp_modifier(low, i, &c, g) == CP_NO)
			continue;
		if (g[2].p)
			return "dev";
		if (g[0].p) {
			if ((g[0].n == 4 && !memcmp(g[0].p, "beta", 4)) || (g[0].n == 1 && g[0].p[0] == 'b'))
				return "beta";
			if ((g[0].n == 5 && !memcmp(g[0].p, "alpha", 5)) || (g[0].n == 1 && g[0].p[0] == 'a'))
				return "alpha";
			if (g[0].n == 2 && !memcmp(g[0].p, "rc", 2))
				return "RC";
		}
		return "stable";
	}
	return "stable";
}

size_t cp_version_regex(const char *s, size_t i, size_t n, int end_is_hyphen, cp_cap g[9])
{
	cp_cont c = { end_is_hyphen ? 2 : 1, n, 0 };
	size_t j = i + (i < n && (s[i] == 'v' || s[i] == 'V')), st, r;

	memset(g, 0, 9 * sizeof(*g));
	for (int k = 1; k <= 4; k++) {
		st = j + (k > 1);
		if (k > 1 && (j >= n || s[j] != '.'))
			break;
		size_t e = st;
		while (e < n && vv_digit((unsigned char)s[e]))
			e++;
		if (e == st) {
			if (k == 1)
				return 0;
			break;
		}
		g[k] = (cp_cap){ s + st, e - st };
		j = e;
	}
	if ((r = cp_modifier(s, j, &c, g + 5)) != CP_NO)
		return r;
	memset(g + 5, 0, 3 * sizeof(*g));
	if (j + 1 < n && s[j] == '.' && (s[j + 1] == 'x' || s[j + 1] == 'X' || s[j + 1] == '*')) {
		size_t k = j + 2;
		size_t ends[2] = { CP_NO, CP_NO };
		if (k < n && (s[k] == '.' || s[k] == '-') && cp_ieq(s, k + 1, n, "dev"))
			ends[0] = k + 4;
		if (cp_ieq(s, k, n, "dev"))
			ends[1] = k + 3;
		for (int t = 0; t < 2; t++) {
			if (ends[t] != CP_NO && (r = cp_cont_at(s, ends[t], &c)) != CP_NO) {
				g[8] = (cp_cap){ s + j + 1, ends[t] - j - 1 };
				return r;
			}
		}
	}
	return 0;
}

/* ---- the public functions ------------------------------------------- */

int vigil_composer_normalize(const char *v, size_t len, char *out, size_t cap)
{
	if (!v && len)
		return vigil_error_set(VIGIL_EINVAL, "composer normalize: NULL version");
	long r = cp_normalize(v ? v : "", len, out, cap);
	if (r == -1)
		return vigil_error_set(VIGIL_EFORMAT, "invalid composer version \"%.*s\"",
				       (int)(len > 128 ? 128 : len), v);
	if (r < 0)
		return vigil_error_set(VIGIL_ELIMIT, "composer version \"%.*s\": normalized form over "
				       "%zu bytes", (int)(len > 128 ? 128 : len), v, cap);
	return 0;
}

int vigil_composer_valid(const char *v, size_t len)
{
	char out[CP_NORM_MAX];
	return cp_normalize(v, len, out, sizeof(out)) >= 0;
}

int vigil_composer_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	char x[CP_NORM_MAX], y[CP_NORM_MAX];
	long xl = cp_normalize(a, alen, x, sizeof(x)), yl = cp_normalize(b, blen, y, sizeof(y));

	if (xl < 0 || yl < 0)
		return (xl < 0) != (yl < 0) ? (xl < 0 ? 1 : -1) : vv_bytecmp(a, alen, b, blen);
	int bx = cp_is_branch(x, (size_t)xl), by = cp_is_branch(y, (size_t)yl);
	if (bx || by)
		return bx != by ? (bx ? -1 : 1) : vv_bytecmp(x, (size_t)xl, y, (size_t)yl);
	return cp_php_compare(x, (size_t)xl, y, (size_t)yl);
}

/* Constraint::versionCompare($a, $b, $op, compareBranches: true). */
static int cp_version_compare(const char *a, size_t an, const char *b, size_t bn, const char *op)
{
	int ba = cp_is_branch(a, an), bb = cp_is_branch(b, bn);
	int same = an == bn && !memcmp(a, b, an);
	if (!strcmp(op, "!=") && (ba || bb))
		return !same;
	if (ba && bb)
		return !strcmp(op, "==") && same;
	int c = cp_php_compare(a, an, b, bn);
	if (!strcmp(op, "<"))
		return c == -1;
	if (!strcmp(op, "<="))
		return c != 1;
	if (!strcmp(op, ">"))
		return c == 1;
	if (!strcmp(op, ">="))
		return c != -1;
	if (!strcmp(op, "=="))
		return c == 0;
	return c != 0;
}

int vigil_composer_compare_op(const char *a, size_t alen, const char *op, const char *b, size_t blen,
			      int *result)
{
	if (!result || !op || (!a && alen) || (!b && blen))
		return vigil_error_set(VIGIL_EINVAL, "composer compare: NULL argument");
	if (alen > VIGIL_VERSION_MAX_LEN || blen > VIGIL_VERSION_MAX_LEN)
		return vigil_error_set(VIGIL_ELIMIT, "composer compare: version over %d bytes",
				       VIGIL_VERSION_MAX_LEN);
	a = a ? a : "", b = b ? b : "";
	if (!strcmp(op, "!=") || !strcmp(op, "<>"))
		*result = cp_version_compare(a, alen, b, blen, "!=");
	else if (!strcmp(op, "==") || !strcmp(op, "="))
		*result = cp_version_compare(b, blen, a, alen, "==");
	else if (!strcmp(op, "<") || !strcmp(op, "<=") || !strcmp(op, ">") || !strcmp(op, ">="))
		*result = cp_version_compare(a, alen, b, blen, op);
	else
		return vigil_error_set(VIGIL_EINVAL, "composer compare: invalid operator \"%s\" (expected "
				       "one of ==, =, !=, <>, <, <=, >, >=)", op);
	return 0;
}

/* /-MODIFIER$/ (case-sensitive): some "-" followed by a modifier to the end. */
int cp_ends_with_modifier(const char *s, size_t n)
{
	cp_cap g[3];
	for (size_t i = 0; i < n; i++) {
		cp_cont c = { 0, n, 1 };
		if (s[i] == '-' && cp_modifier(s, i + 1, &c, g) != CP_NO)
			return 1;
	}
	return 0;
}
