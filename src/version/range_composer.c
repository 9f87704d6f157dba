/* version/range_composer.c: Composer constraints as composer/semver's
 * VersionParser::parseConstraints() reads them and Constraint::matches()
 * tests them against an installed version (Constraint('==', version),
 * branches not comparable): "||" or "|" between alternatives; "," or a
 * space between constraints that must all hold (not after an operator,
 * not around the " - " of a hyphen range, not before "as"); each one an
 * exact or compared version (=, ==, !=, <>, <, <=, >, >=), a wildcard
 * ("*", "1.2.*"), a tilde ("~1.2"), a caret ("^1.2"), a hyphen range
 * ("1.0 - 2.0"), with optional alias ("as"), @stability flag and #ref.
 * Every version is normalized (composer.c); bounds get "-dev" where
 * Composer adds it (">= 1.0" is ">= 1.0.0.0-dev", so that 1.0's
 * prereleases count). Both sides are then compared with PHP's
 * version_compare. This is how FriendsOfPHP/security-advisories' branch
 * constraints (">=2.0.0,<2.0.5") are read. Limits: the constraint length
 * and VIGIL_VERSION_MAX_CLAUSES constraints in all. */
#include "vigil/version.h"
#include "version/composer.h"
#include "version/internal.h"
#include "version/range.h"
#include "util/error.h"

#include <string.h>

enum { COP_EQ, COP_LT, COP_LE, COP_GT, COP_GE, COP_NE, COP_ALL };

typedef struct crx {
	const char *ver; /* the installed version, normalized */
	size_t vlen;
	int count;
	const char *all; /* the whole constraint, for messages */
	size_t alen;
} crx;

static int cr_ws(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static int cr_trimc(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0' || c == '\v'; }

static int cr_bad(const crx *x, const char *s, size_t n)
{
	return vigil_error_set(VIGIL_EFORMAT, "could not parse composer constraint \"%.*s\" in \"%.*s\"",
			       (int)n, s, (int)x->alen, x->all);
}

/* Constraint(op, cv)->matches(Constraint('==', ver)), compareBranches false. */
static int cr_match(const crx *x, int op, const char *cv, size_t cn)
{
	const char *v = x->ver;
	size_t vn = x->vlen;
	int bv = cp_is_branch(v, vn), bc = cp_is_branch(cv, cn);
	int same = vn == cn && !memcmp(v, cv, vn);
	if (op == COP_ALL)
		return 1;
	if (op == COP_NE)
		return (bv || bc) ? !same : cp_php_compare(v, vn, cv, cn) != 0;
	if (bv && bc)
		return op == COP_EQ && same;
	if (bv || bc)
		return 0;
	int c = cp_php_compare(v, vn, cv, cn);
	switch (op) {
	case COP_EQ: return c == 0;
	case COP_LT: return c < 0;
	case COP_LE: return c <= 0;
	case COP_GT: return c > 0;
	default: return c >= 0;
	}
}

/* One constraint (op, version) into the running AND. */
static int cr_add(crx *x, int op, const char *cv, size_t cn, int *ok)
{
	if (++x->count > VIGIL_VERSION_MAX_CLAUSES)
		return vigil_error_set(VIGIL_ELIMIT, "composer constraint \"%.*s\": more than %d parts",
				       (int)x->alen, x->all, VIGIL_VERSION_MAX_CLAUSES);
	*ok &= cr_match(x, op, cv, cn);
	return 0;
}

/* normalize(s) into out; -1 invalid. */
static long cr_norm(const char *s, size_t n, char *out)
{
	return cp_normalize(s, n, out, CP_NORM_MAX);
}

static int cr_empty(cp_cap c) { return !c.p || !c.n; }
/* The hyphen range's $empty: like empty() but "0" is not empty. */
static int cr_empty0(cp_cap c) { return (c.p && c.n == 1 && c.p[0] == '0') ? 0 : cr_empty(c); }

/* d + 1 as a number (PHP's "$x += 1" on a digit string; "" is 0). */
static size_t cr_inc(const char *d, size_t dn, char *t, size_t cap)
{
	while (dn > 1 && *d == '0')
		d++, dn--;
	if (!dn)
		d = "0", dn = 1;
	if (dn + 2 > cap)
		return 0;
	t[0] = '0';
	memcpy(t + 1, d, dn);
	size_t k = dn + 1;
	while (t[k - 1] == '9')
		t[--k] = '0';
	t[k - 1]++;
	if (t[0] == '0') {
		memmove(t, t + 1, dn);
		return dn;
	}
	return dn + 1;
}

/* manipulateVersionString(g, position, increment) . "-dev"; 0: too long. */
static size_t cr_manip(const cp_cap g[9], int position, int inc, char *out, size_t cap)
{
	size_t o = 0;
	for (int i = 1; i <= 4; i++) {
		char t[VIGIL_VERSION_MAX_LEN + 2];
		size_t tn = 0;
		if (i > position) {
			t[tn++] = '0';
		} else if (i == position && inc) {
			if (!(tn = cr_inc(g[i].p ? g[i].p : "", g[i].p ? g[i].n : 0, t, sizeof(t))))
				return 0;
		} else if (g[i].p) {
			if (g[i].n >= sizeof(t))
				return 0;
			memcpy(t, g[i].p, g[i].n);
			tn = g[i].n;
		}
		if (o + tn + 6 >= cap)
			return 0;
		if (i > 1)
			out[o++] = '.';
		memcpy(out + o, t, tn);
		o += tn;
	}
	memcpy(out + o, "-dev", 5);
	return o + 4;
}

/* "~VR" or "^VR": a lower and an upper bound. */
static int cr_tilde_caret(crx *x, const char *s, size_t n, const cp_cap g[9], int caret, int *ok)
{
	char low[CP_NORM_MAX], high[CP_NORM_MAX], tmp[CP_NORM_MAX];
	int position;
	long ll;
	size_t hl;

	if (caret) {
		if (!(g[1].n == 1 && g[1].p[0] == '0') || cr_empty(g[2]))
			position = 1;
		else if (!(g[2].n == 1 && g[2].p[0] == '0') || cr_empty(g[3]))
			position = 2;
		else
			position = 3;
	} else {
		position = !cr_empty(g[4]) ? 4 : !cr_empty(g[3]) ? 3 : !cr_empty(g[2]) ? 2 : 1;
		if (!cr_empty(g[8]))
			position++;
	}
	int dev = cr_empty(g[5]) && cr_empty(g[7]) && cr_empty(g[8]);
	if (n - 1 + 4 >= sizeof(tmp))
		return cr_bad(x, s, n);
	memcpy(tmp, s + 1, n - 1);
	memcpy(tmp + n - 1, "-dev", dev ? 4 : 0);
	if ((ll = cr_norm(tmp, n - 1 + (dev ? 4 : 0), low)) < 0)
		return cr_bad(x, s, n);
	int hp = caret ? position : (position - 1 > 1 ? position - 1 : 1);
	if (!(hl = cr_manip(g, hp, 1, high, sizeof(high))))
		return cr_bad(x, s, n);
	int rc = cr_add(x, COP_GE, low, (size_t)ll, ok);
	return rc < 0 ? rc : cr_add(x, COP_LT, high, hl, ok);
}

/* ^v?(\d++)(?:\.(\d++))?(?:\.(\d++))?(?:\.[xX*])++$ ; 0: no match. */
static int cr_xrange(crx *x, const char *s, size_t n, int *ok, int *rc)
{
	cp_cap g[9];
	size_t i = (n && s[0] == 'v');
	int k = 1, stars = 0;
	memset(g, 0, sizeof(g));
	for (; k <= 3 && i < n; k++) {
		size_t st = i + (k > 1);
		if (k > 1 && s[i] != '.')
			break;
		size_t e = st;
		while (e < n && vv_digit((unsigned char)s[e]))
			e++;
		if (e == st)
			break;
		g[k] = (cp_cap){ s + st, e - st };
		i = e;
	}
	if (!g[1].p)
		return 0;
	while (i + 1 < n && s[i] == '.' && (s[i + 1] == 'x' || s[i + 1] == 'X' || s[i + 1] == '*'))
		i += 2, stars++;
	if (!stars || i != n)
		return 0;
	char low[CP_NORM_MAX], high[CP_NORM_MAX];
	int position = g[3].p ? 3 : g[2].p ? 2 : 1;
	size_t ll = cr_manip(g, position, 0, low, sizeof(low)), hl = cr_manip(g, position, 1, high, sizeof(high));
	if (!ll || !hl) {
		*rc = cr_bad(x, s, n);
		return 1;
	}
	if (!strcmp(low, "0.0.0.0-dev")) {
		*rc = cr_add(x, COP_LT, high, hl, ok);
		return 1;
	}
	*rc = cr_add(x, COP_GE, low, ll, ok);
	if (*rc == 0)
		*rc = cr_add(x, COP_LT, high, hl, ok);
	return 1;
}

/* "FROM - TO" (versionRegex on both sides); 0: no match. */
static int cr_hyphen(crx *x, const char *s, size_t n, int *ok, int *rc)
{
	cp_cap f[9], t[9];
	size_t fe = cp_version_regex(s, 0, n, 1, f), ts;
	char low[CP_NORM_MAX + 4], high[CP_NORM_MAX];
	long ll, hl;

	if (!fe)
		return 0;
	ts = fe;
	while (ts < n && s[ts] == ' ')
		ts++;
	ts++; /* the '-' */
	while (ts < n && s[ts] == ' ')
		ts++;
	if (cp_version_regex(s, ts, n, 0, t) != n)
		return 0;
	if ((ll = cr_norm(s, fe, low)) < 0 || (hl = cr_norm(s + ts, n - ts, high)) < 0) {
		*rc = cr_bad(x, s, n);
		return 1;
	}
	if (cr_empty(f[5]) && cr_empty(f[7]) && cr_empty(f[8]))
		memcpy(low + ll, "-dev", 5), ll += 4;
	*rc = cr_add(x, COP_GE, low, (size_t)ll, ok);
	if (*rc < 0)
		return 1;
	if ((!cr_empty0(t[2]) && !cr_empty0(t[3])) || !cr_empty(t[5]) || !cr_empty(t[7]) || !cr_empty(t[8])) {
		*rc = cr_add(x, COP_LE, high, (size_t)hl, ok);
		return 1;
	}
	cp_cap hm[9] = { { NULL, 0 }, t[1], t[2], t[3], t[4] };
	size_t hn = cr_manip(hm, cr_empty0(t[2]) ? 1 : 2, 1, high, sizeof(high));
	*rc = hn ? cr_add(x, COP_LT, high, hn, ok) : cr_bad(x, s, n);
	return 1;
}

/* ^(<>|!=|>=?|<=?|==?)?\s*(.*) */
static int cr_basic(crx *x, const char *s, size_t n, const char *stab, int *ok)
{
	static const struct { const char *t; int op; } ops[] = {
		{ "<>", COP_NE }, { "!=", COP_NE }, { ">=", COP_GE }, { ">", COP_GT },
		{ "<=", COP_LE }, { "<", COP_LT },  { "==", COP_EQ }, { "=", COP_EQ },
	};
	char v[CP_NORM_MAX + 16], tmp[CP_NORM_MAX];
	int op = COP_EQ, has_op = 0, eqop = 1;
	size_t i = 0;
	long vl;

	for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
		size_t l = strlen(ops[k].t);
		if (n >= l && !memcmp(s, ops[k].t, l)) {
			op = ops[k].op, i = l, has_op = 1;
			eqop = ops[k].op == COP_EQ;
			break;
		}
	}
	while (i < n && cr_ws(s[i]))
		i++;
	const char *m2 = s + i;
	size_t m2n = n - i;
	if ((vl = cr_norm(m2, m2n, v)) < 0) {
		int plain = m2n > 4 && !memcmp(m2 + m2n - 4, "-dev", 4);
		for (size_t k = 0; plain && k < m2n; k++)
			plain = vv_alnum((unsigned char)m2[k]) || m2[k] == '-' || m2[k] == '.' || m2[k] == '/';
		if (!plain || m2n + 4 > sizeof(tmp))
			return cr_bad(x, s, n);
		memcpy(tmp, "dev-", 4);
		memcpy(tmp + 4, m2, m2n - 4);
		if ((vl = cr_norm(tmp, m2n, v)) < 0)
			return cr_bad(x, s, n);
	}
	(void)has_op;
	if (!eqop && stab && !strcmp(cp_stability(v, (size_t)vl), "stable")) {
		size_t sl = strlen(stab);
		if ((size_t)vl + sl + 2 > sizeof(v))
			return cr_bad(x, s, n);
		v[vl++] = '-';
		memcpy(v + vl, stab, sl);
		vl += (long)sl;
	} else if (op == COP_LT || op == COP_GE) {
		char low[CP_NORM_MAX];
		if (m2n >= sizeof(low))
			return cr_bad(x, s, n);
		for (size_t k = 0; k < m2n; k++)
			low[k] = (char)vv_tolower((unsigned char)m2[k]);
		if (!cp_ends_with_modifier(low, m2n) && !cp_is_branch(m2, m2n)) {
			memcpy(v + vl, "-dev", 4);
			vl += 4;
		}
	}
	return cr_add(x, op, v, (size_t)vl, ok);
}

/* parseConstraint()'s first steps on s[0..*n): the alias dropped, an
 * @stability flag taken into stab (not "stable"; "*" when alone), a #ref
 * dropped. *s may be pointed at "*". */
static void cr_strip(const char **sp, size_t *np, char stab[8])
{
	static const char *const stabs[] = { "stable", "RC", "beta", "alpha", "dev" };
	const char *s = *sp;
	size_t n = *np, a;

	/* ^([^,\s]++) ++as ++([^,\s]++)$ */
	for (a = 0; a < n && s[a] != ',' && !cr_ws(s[a]); a++)
		;
	if (a && a < n && s[a] == ' ') {
		size_t b = a, d;
		while (b < n && s[b] == ' ')
			b++;
		if (b + 2 < n && s[b] == 'a' && s[b + 1] == 's' && s[b + 2] == ' ') {
			size_t c = b + 2;
			while (c < n && s[c] == ' ')
				c++;
			for (d = c; d < n && s[d] != ',' && !cr_ws(s[d]); d++)
				;
			if (d == n && c < n)
				n = a;
		}
	}
	/* ^([^,\s]*?)@(stable|RC|beta|alpha|dev)$ */
	for (size_t at = 0; at < n; at++) {
		if (s[at] == ',' || cr_ws(s[at]))
			break;
		if (s[at] != '@')
			continue;
		size_t k, l = n - at - 1;
		for (k = 0; k < 5; k++) {
			size_t wl = strlen(stabs[k]), i;
			if (wl != l)
				continue;
			for (i = 0; i < wl && vv_tolower((unsigned char)s[at + 1 + i]) == vv_tolower((unsigned char)stabs[k][i]); i++)
				;
			if (i == wl)
				break;
		}
		if (k == 5)
			continue;
		if (!(l == 6 && !memcmp(s + at + 1, "stable", 6)))
			memcpy(stab, s + at + 1, l);
		if (at == 0)
			s = "*", n = 1;
		else
			n = at;
		break;
	}
	/* ^(dev-[^,\s@]+?|[^,\s@]+?\.x-dev)#.+$ */
	for (size_t h = 1; h + 1 < n; h++) {
		if (s[h] != '#')
			continue;
		int clean = 1;
		for (size_t i = 0; i < h && clean; i++)
			clean = s[i] != ',' && s[i] != '@' && !cr_ws(s[i]);
		if (!clean)
			break;
		char lo[6];
		for (int i = 0; i < 6 && (size_t)i < h; i++)
			lo[i] = (char)vv_tolower((unsigned char)s[(h >= 6 ? h - 6 : 0) + (size_t)i]);
		if ((h > 4 && (s[0] | 0x20) == 'd' && (s[1] | 0x20) == 'e' && (s[2] | 0x20) == 'v' && s[3] == '-') ||
		    (h >= 7 && !memcmp(lo, ".x-dev", 6))) {
			n = h;
			break;
		}
	}
	*sp = s, *np = n;
}

/* parseConstraint(): one constraint of an AND list into *ok. */
static int cr_one(crx *x, const char *s, size_t n, int *ok)
{
	char stab[8] = { 0 };
	cp_cap g[9];
	int rc = 0;

	cr_strip(&s, &n, stab);
	/* ^(v)?[xX*](\.[xX*])*$ */
	{
		size_t i = (n && (s[0] == 'v' || s[0] == 'V')), parts = 0;
		int all = i < n;
		while (all && i < n) {
			if (parts && s[i] == '.')
				i++;
			else if (parts)
				all = 0;
			if (all && i < n && (s[i] == 'x' || s[i] == 'X' || s[i] == '*'))
				i++, parts++;
			else
				all = 0;
		}
		if (all && parts) {
			if (s[0] == 'v' || s[0] == 'V' || parts > 1)
				return cr_add(x, COP_GE, "0.0.0.0-dev", 11, ok);
			return cr_add(x, COP_ALL, "", 0, ok);
		}
	}
	if (n && s[0] == '~') {
		size_t st = (n > 1 && s[1] == '>') ? 2 : 1;
		if (cp_version_regex(s, st, n, 0, g) == n) {
			if (st == 2)
				return vigil_error_set(VIGIL_EFORMAT, "composer constraint \"%.*s\": invalid "
						       "operator \"~>\", you probably meant to use \"~\"", (int)n, s);
			return cr_tilde_caret(x, s, n, g, 0, ok);
		}
	}
	if (n && s[0] == '^' && cp_version_regex(s, 1, n, 0, g) == n)
		return cr_tilde_caret(x, s, n, g, 1, ok);
	if (cr_xrange(x, s, n, ok, &rc) || cr_hyphen(x, s, n, ok, &rc))
		return rc;
	return cr_basic(x, s, n, stab[0] ? stab : NULL, ok);
}

/* The AND separator of parseConstraints at s[a], or 0:
 * (?<!^|as|[=>< ,]) *(?<!-)[, ](?!-) *(?!,|as|$) ; returns its end. */
static size_t cr_and_sep(const char *s, size_t a, size_t n)
{
	if (a == 0 || strchr("=>< ,", s[a - 1]) || (a >= 2 && s[a - 2] == 'a' && s[a - 1] == 's'))
		return 0;
	size_t b0 = a;
	while (b0 < n && s[b0] == ' ')
		b0++;
	for (size_t c = b0 + 1; c-- > a;) {
		if (c >= n || (s[c] != ',' && s[c] != ' ') || (c > 0 && s[c - 1] == '-') ||
		    (c + 1 < n && s[c + 1] == '-'))
			continue;
		size_t e0 = c + 1;
		while (e0 < n && s[e0] == ' ')
			e0++;
		for (size_t e = e0 + 1; e-- > c + 1;)
			if (e < n && s[e] != ',' && !(s[e] == 'a' && e + 1 < n && s[e + 1] == 's'))
				return e;
	}
	return 0;
}

int vr_composer_satisfies(const char *c, size_t clen, const char *v, size_t vlen, int *result)
{
	char ver[CP_NORM_MAX];
	long vn;
	crx x = { ver, 0, 0, c, clen };
	int any = 0, rc;

	*result = 0;
	if (clen > VIGIL_VERSION_CONSTRAINT_MAX_LEN)
		return vigil_error_set(VIGIL_ELIMIT, "composer constraint of %zu bytes (limit %d)", clen,
				       VIGIL_VERSION_CONSTRAINT_MAX_LEN);
	if ((vn = cp_normalize(v, vlen, ver, sizeof(ver))) < 0)
		return vigil_error_set(VIGIL_EFORMAT, "invalid composer version \"%.*s\"",
				       (int)(vlen > 128 ? 128 : vlen), v);
	x.vlen = (size_t)vn;
	const char *s = c;
	size_t n = clen;
	while (n && cr_trimc(*s))
		s++, n--;
	while (n && cr_trimc(s[n - 1]))
		n--;
	/* \s*\|\|?\s* between alternatives */
	for (size_t i = 0;;) {
		size_t e = i;
		while (e < n && s[e] != '|')
			e++;
		size_t pe = e, next = e;
		while (pe > i && cr_ws(s[pe - 1]))
			pe--;
		if (e < n) {
			next = e + 1 + (e + 1 < n && s[e + 1] == '|');
			while (next < n && cr_ws(s[next]))
				next++;
		}
		/* AND list of s[i..pe) */
		int all = 1;
		for (size_t a = i, st = i; a <= pe; a++) {
			size_t sep = a < pe ? cr_and_sep(s + i, a - i, pe - i) : 0;
			if (a < pe && !sep)
				continue;
			if ((rc = cr_one(&x, s + st, a - st, &all)) < 0)
				return rc;
			if (a == pe)
				break;
			st = i + sep;
			a = st - 1;
		}
		any |= all;
		if (e >= n)
			break;
		i = next;
	}
	*result = any;
	return 0;
}
