/* version/range_npm.c: npm ranges as node-semver's Range (classes/range.js
 * @ 7.8.5) reads and tests them. node-semver rewrites the range text with
 * regular expressions before parsing comparators, and its corner cases
 * (which "x" means what, where a prerelease may match) live in that
 * rewriting; so this file replays the same steps on the text, in order:
 *   range: trim, whitespace runs to one space, split at "||", trim parts;
 *   part:  build metadata stripped; a hyphen range "A - B" rewritten;
 *          spaces after an operator, "~" and "^" dropped; split at spaces;
 *   token: carets, tildes, x-ranges rewritten to comparators, the first
 *          "*" dropped; ">=0.0.0" is "" (any); in loose mode what is not a
 *          comparator is dropped; every piece must then be a comparator;
 *   set:   a null set ("<0.0.0-0") is dropped when other sets exist, and a
 *          set of "any" alone makes the whole range "any";
 *   test:  some set whose comparators all hold; a prerelease version only
 *          when includePrerelease, or when a comparator of that set has a
 *          prerelease on the same MAJOR.MINOR.PATCH.
 * Texts live in a few buffers of one allocation sized from the part's
 * length (NPR_GROW); limits: VIGIL_VERSION_CONSTRAINT_MAX_LEN bytes and
 * VIGIL_VERSION_MAX_CLAUSES sets and comparators per set. Differences:
 * ASCII whitespace only; numbers of 2^53 and more are compared exactly
 * (JavaScript rounds them). */
#include "vigil/version.h"
#include "version/internal.h"
#include "version/npm.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

#define NPR_GROW 10
#define NPR_SLACK 512

typedef struct nb {
	char *p;
	size_t n, cap;
	int over;
} nb;

static void nb_put(nb *b, const char *s, size_t n)
{
	if (b->n + n > b->cap) {
		b->over = 1;
		return;
	}
	if (n)
		memcpy(b->p + b->n, s, n);
	b->n += n;
}

static void nb_s(nb *b, const char *s) { nb_put(b, s, strlen(s)); }
static void nb_c(nb *b, np_cap c) { nb_put(b, c.p, c.n); }

/* `${+d + 1}`: the number plus one, without leading zeros. */
static void nb_inc(nb *b, np_cap c)
{
	char t[NP_MAX_LENGTH + 2];
	const char *d = c.p;
	size_t n = c.n;
	while (n > 1 && *d == '0')
		d++, n--;
	if (n > NP_MAX_LENGTH) {
		b->over = 1;
		return;
	}
	t[0] = '0';
	memcpy(t + 1, d, n);
	size_t i = n + 1;
	while (t[i - 1] == '9')
		t[--i] = '0';
	t[i - 1]++;
	nb_put(b, t[0] == '0' ? t + 1 : t, t[0] == '0' ? n : n + 1);
}

static int npr_is_x(np_cap c)
{
	return !c.p || !c.n || (c.n == 1 && (c.p[0] == 'x' || c.p[0] == 'X' || c.p[0] == '*'));
}

static int npr_is0(np_cap c) { return c.p && c.n == 1 && c.p[0] == '0'; }

/* BUILD removed wherever it matches. */
static void npr_strip_build(const char *s, size_t n, nb *o)
{
	for (size_t i = 0, e; i < n;) {
		if (s[i] == '+' && (e = np_build_at(s, i, n))) {
			i = e;
			continue;
		}
		nb_put(o, s + i++, 1);
	}
}

static size_t npr_skip_ws(const char *s, size_t i, size_t n)
{
	while (i < n && np_space((unsigned char)s[i]))
		i++;
	return i;
}

/* ^\s*(XRANGEPLAIN)\s+-\s+(XRANGEPLAIN)\s*$ -> hyphenReplace; 0: no match. */
static int npr_hyphen(const char *s, size_t n, int loose, int incpr, nb *o)
{
	np_cap f[4], t[4];
	size_t fs = npr_skip_ws(s, 0, n), fe, ts, te, j;
	const char *z = incpr ? "-0" : "";

	if (!(fe = np_xrange_at(s, fs, n, loose, f)))
		return 0;
	j = npr_skip_ws(s, fe, n);
	if (j == fe || j >= n || s[j] != '-')
		return 0;
	ts = npr_skip_ws(s, j + 1, n);
	if (ts == j + 1 || !(te = np_xrange_at(s, ts, n, loose, t)) || npr_skip_ws(s, te, n) != n)
		return 0;
	size_t start = o->n;
	if (npr_is_x(f[0])) {
	} else if (npr_is_x(f[1])) {
		nb_s(o, ">="), nb_c(o, f[0]), nb_s(o, ".0.0"), nb_s(o, z);
	} else if (npr_is_x(f[2])) {
		nb_s(o, ">="), nb_c(o, f[0]), nb_s(o, "."), nb_c(o, f[1]), nb_s(o, ".0"), nb_s(o, z);
	} else {
		nb_s(o, ">="), nb_put(o, s + fs, fe - fs);
		if (!f[3].p)
			nb_s(o, z);
	}
	if (o->n > start && !npr_is_x(t[0]))
		nb_s(o, " ");
	if (npr_is_x(t[0])) {
	} else if (npr_is_x(t[1])) {
		nb_s(o, "<"), nb_inc(o, t[0]), nb_s(o, ".0.0-0");
	} else if (npr_is_x(t[2])) {
		nb_s(o, "<"), nb_c(o, t[0]), nb_s(o, "."), nb_inc(o, t[1]), nb_s(o, ".0-0");
	} else if (t[3].p) {
		nb_s(o, "<="), nb_c(o, t[0]), nb_s(o, "."), nb_c(o, t[1]), nb_s(o, "."), nb_c(o, t[2]);
		nb_s(o, "-"), nb_c(o, t[3]);
	} else if (incpr) {
		nb_s(o, "<"), nb_c(o, t[0]), nb_s(o, "."), nb_c(o, t[1]), nb_s(o, "."), nb_inc(o, t[2]);
		nb_s(o, "-0");
	} else {
		nb_s(o, "<="), nb_put(o, s + ts, te - ts);
	}
	return 1;
}

/* GTLT: ((?:<|>)?=?) at i; returns its end. */
static size_t npr_gtlt(const char *s, size_t i, size_t n)
{
	if (i < n && (s[i] == '<' || s[i] == '>'))
		i++;
	if (i < n && s[i] == '=')
		i++;
	return i;
}

/* COMPARATORTRIM: (\s*)GTLT\s*(LOOSEPLAIN|XRANGEPLAIN) -> $1$2$3, global. */
static void npr_comparator_trim(const char *s, size_t n, nb *o)
{
	for (size_t i = 0; i < n;) {
		size_t g = npr_gtlt(s, npr_skip_ws(s, i, n), n), w = npr_skip_ws(s, g, n), e;
		npv tmp;
		np_cap c[4];
		if ((e = np_looseplain_at(s, w, n, &tmp)) || (e = np_xrange_at(s, w, n, 0, c))) {
			nb_put(o, s + i, g - i);
			nb_put(o, s + w, e - w);
			i = e;
		} else {
			nb_put(o, s + i++, 1);
		}
	}
}

/* TILDETRIM (\s*)~>?\s+ -> $1~ (op '~'), CARETTRIM (\s*)\^\s+ -> $1^ (op '^'). */
static void npr_lone_trim(const char *s, size_t n, char op, nb *o)
{
	for (size_t i = 0; i < n;) {
		size_t k = npr_skip_ws(s, i, n), t = k + 1, w;
		if (k < n && s[k] == op) {
			if (op == '~' && t < n && s[t] == '>')
				t++;
			if ((w = npr_skip_ws(s, t, n)) > t) {
				nb_put(o, s + i, k - i);
				nb_put(o, &op, 1);
				i = w;
				continue;
			}
		}
		nb_put(o, s + i++, 1);
	}
}

/* replaceCaret on one whitespace-free token. */
static void npr_caret(const char *s, size_t n, int loose, int incpr, nb *o)
{
	np_cap c[4];
	const char *z = incpr ? "-0" : "";
	if (!n || s[0] != '^' || np_xrange_at(s, 1, n, loose, c) != n) {
		nb_put(o, s, n);
		return;
	}
	np_cap M = c[0], m = c[1], p = c[2], pr = c[3];
	if (npr_is_x(M))
		return;
	nb_s(o, ">="), nb_c(o, M), nb_s(o, ".");
	if (npr_is_x(m)) {
		nb_s(o, "0.0"), nb_s(o, z), nb_s(o, " <"), nb_inc(o, M), nb_s(o, ".0.0-0");
		return;
	}
	nb_c(o, m), nb_s(o, ".");
	if (npr_is_x(p)) {
		nb_s(o, "0"), nb_s(o, z), nb_s(o, " <");
		if (npr_is0(M))
			nb_c(o, M), nb_s(o, "."), nb_inc(o, m), nb_s(o, ".0-0");
		else
			nb_inc(o, M), nb_s(o, ".0.0-0");
		return;
	}
	nb_c(o, p);
	if (pr.p)
		nb_s(o, "-"), nb_c(o, pr);
	nb_s(o, " <");
	if (npr_is0(M) && npr_is0(m))
		nb_c(o, M), nb_s(o, "."), nb_c(o, m), nb_s(o, "."), nb_inc(o, p), nb_s(o, "-0");
	else if (npr_is0(M))
		nb_c(o, M), nb_s(o, "."), nb_inc(o, m), nb_s(o, ".0-0");
	else
		nb_inc(o, M), nb_s(o, ".0.0-0");
}

/* replaceTilde on one whitespace-free token. */
static void npr_tilde(const char *s, size_t n, int loose, int incpr, nb *o)
{
	np_cap c[4];
	const char *z = incpr ? "-0" : "";
	size_t st = (n > 1 && s[1] == '>') ? 2 : 1;
	if (!n || s[0] != '~' || np_xrange_at(s, st, n, loose, c) != n) {
		nb_put(o, s, n);
		return;
	}
	np_cap M = c[0], m = c[1], p = c[2], pr = c[3];
	if (npr_is_x(M))
		return;
	nb_s(o, ">="), nb_c(o, M), nb_s(o, ".");
	if (npr_is_x(m)) {
		nb_s(o, "0.0"), nb_s(o, z), nb_s(o, " <"), nb_inc(o, M), nb_s(o, ".0.0-0");
		return;
	}
	nb_c(o, m), nb_s(o, ".");
	if (npr_is_x(p))
		nb_s(o, "0"), nb_s(o, z);
	else if (pr.p)
		nb_c(o, p), nb_s(o, "-"), nb_c(o, pr);
	else
		nb_c(o, p);
	nb_s(o, " <"), nb_c(o, M), nb_s(o, "."), nb_inc(o, m), nb_s(o, ".0-0");
}

/* replaceXRange on one whitespace-free token. */
static void npr_xrange(const char *s, size_t n, int loose, int incpr, nb *o)
{
	np_cap c[4];
	size_t g = npr_gtlt(s, 0, n);
	if (!n || np_xrange_at(s, g, n, loose, c) != n) {
		nb_put(o, s, n);
		return;
	}
	char gt[3] = { 0 };
	memcpy(gt, s, g);
	np_cap M = c[0], m = c[1], p = c[2];
	int xM = npr_is_x(M), xm = xM || npr_is_x(m), xp = xm || npr_is_x(p);
	const char *pr = incpr ? "-0" : "";
	if (!strcmp(gt, "=") && xp)
		gt[0] = '\0';
	if (xM) {
		nb_s(o, (!strcmp(gt, ">") || !strcmp(gt, "<")) ? "<0.0.0-0" : "*");
	} else if (gt[0] && xp) {
		int incM = 0, incm = 0;
		if (!strcmp(gt, ">")) {
			memcpy(gt, ">=", 3);
			incM = xm, incm = !xm;
		} else if (!strcmp(gt, "<=")) {
			memcpy(gt, "<", 2);
			incM = xm, incm = !xm;
		}
		if (!strcmp(gt, "<"))
			pr = "-0";
		nb_s(o, gt);
		if (incM)
			nb_inc(o, M);
		else
			nb_c(o, M);
		nb_s(o, ".");
		if (xm)
			nb_s(o, "0");
		else if (incm)
			nb_inc(o, m);
		else
			nb_c(o, m);
		nb_s(o, ".0"), nb_s(o, pr);
	} else if (xm) {
		nb_s(o, ">="), nb_c(o, M), nb_s(o, ".0.0"), nb_s(o, pr);
		nb_s(o, " <"), nb_inc(o, M), nb_s(o, ".0.0-0");
	} else if (xp) {
		nb_s(o, ">="), nb_c(o, M), nb_s(o, "."), nb_c(o, m), nb_s(o, ".0"), nb_s(o, pr);
		nb_s(o, " <"), nb_c(o, M), nb_s(o, "."), nb_inc(o, m), nb_s(o, ".0-0");
	} else {
		nb_put(o, s, n);
	}
}

typedef void (*npr_step)(const char *s, size_t n, int loose, int incpr, nb *o);

/* s.split(/\s+/).map(step).join(' ') */
static void npr_each(const char *s, size_t n, npr_step step, int loose, int incpr, nb *o)
{
	size_t i = 0;
	for (;;) {
		size_t e = i;
		while (e < n && !np_space((unsigned char)s[e]))
			e++;
		step(s + i, e - i, loose, incpr, o);
		if (e == n)
			return;
		nb_s(o, " ");
		i = npr_skip_ws(s, e, n);
	}
}

static void npr_trim(const char **s, size_t *n)
{
	while (*n && np_space((unsigned char)(*s)[0]))
		(*s)++, (*n)--;
	while (*n && np_space((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* STAR (<|>)?=?\s*\* removed once, leftmost. */
static void npr_stars(const char *s, size_t n, nb *o)
{
	npr_trim(&s, &n);
	for (size_t i = 0; i < n; i++) {
		size_t j = npr_gtlt(s, i, n);
		if (j < n && np_space((unsigned char)s[j]))
			j++;
		if (j < n && s[j] == '*') {
			nb_put(o, s, i);
			nb_put(o, s + j + 1, n - j - 1);
			return;
		}
	}
	nb_put(o, s, n);
}

typedef struct npr_ctx {
	nb t[4]; /* scratch */
	int loose, incpr;
	const npv *ver;
} npr_ctx;

/* parseComparator(token), appended to o. */
static void npr_token(npr_ctx *x, const char *s, size_t n, nb *o)
{
	nb *a = &x->t[0], *b = &x->t[1];
	a->n = 0;
	npr_strip_build(s, n, a);
	b->n = 0;
	const char *p = a->p;
	size_t pn = a->n;
	npr_trim(&p, &pn);
	npr_each(p, pn, npr_caret, x->loose, x->incpr, b);
	a->n = 0;
	p = b->p, pn = b->n;
	npr_trim(&p, &pn);
	npr_each(p, pn, npr_tilde, x->loose, x->incpr, a);
	b->n = 0;
	npr_each(a->p, a->n, npr_xrange, x->loose, x->incpr, b);
	npr_stars(b->p, b->n, o);
	x->t[0].over |= a->over | b->over;
}

typedef struct npr_set {
	int count, null, any, pass, allow_pre;
} npr_set;

/* 0.0.0-0 (the version of the null set "<0.0.0-0"). */
static int npr_zero(const npv *v)
{
	for (int k = 0; k < 3; k++)
		if (vv_numcmp(v->num[k].p, v->num[k].n, "0", 1))
			return 0;
	if (!v->pre.p || memchr(v->pre.p, '.', v->pre.n))
		return 0;
	for (size_t i = 0; i < v->pre.n; i++)
		if (v->pre.p[i] != '0')
			return 0;
	return 1;
}

static int npr_same_release(const npv *a, const npv *b)
{
	for (int k = 0; k < 3; k++)
		if (vv_numcmp(a->num[k].p, a->num[k].n, b->num[k].p, b->num[k].n))
			return 0;
	return 1;
}

/* One comparator piece (no whitespace) into the set's verdicts: 0 kept or
 * dropped, -1 not a comparator, -2 too many. */
static int npr_comparator(npr_ctx *x, const char *s, size_t n, npr_set *set)
{
	const char *ge = x->incpr ? ">=0.0.0-0" : ">=0.0.0";
	if (n == strlen(ge) && !memcmp(s, ge, n))
		n = 0;
	size_t g = npr_gtlt(s, 0, n), w = g;
	npv v;
	if (w < n && np_space((unsigned char)s[w]))
		w++;
	if (n && x->loose && np_looseplain_at(s, w, n, &v) != n)
		return 0; /* loose mode drops what is not a comparator */
	if (n && !np_parse(s + w, n - w, x->loose, &v))
		return -1;
	if (++set->count > VIGIL_VERSION_MAX_CLAUSES)
		return -2;
	if (n == 0) /* any */
		return 0;
	set->any = 0;
	char op[3] = { 0 };
	memcpy(op, s, g);
	int c = np_cmp(x->ver, &v), hold;
	if (!strcmp(op, "<"))
		hold = c < 0;
	else if (!strcmp(op, "<="))
		hold = c <= 0;
	else if (!strcmp(op, ">"))
		hold = c > 0;
	else if (!strcmp(op, ">="))
		hold = c >= 0;
	else
		hold = c == 0;
	set->pass &= hold;
	if (!strcmp(op, "<") && npr_zero(&v))
		set->null = 1;
	if (v.pre.p && npr_same_release(&v, x->ver))
		set->allow_pre = 1;
	return 0;
}

/* parseRange(part) and testSet(version) for one "||" part. */
static int npr_part(npr_ctx *x, const char *s, size_t n, npr_set *set)
{
	nb *b1 = &x->t[2], *b2 = &x->t[3];
	memset(set, 0, sizeof(*set));
	set->any = set->pass = 1;
	b1->n = b2->n = 0;
	npr_strip_build(s, n, b1);
	if (!npr_hyphen(b1->p, b1->n, x->loose, x->incpr, b2))
		nb_put(b2, b1->p, b1->n);
	b1->n = 0;
	npr_comparator_trim(b2->p, b2->n, b1);
	b2->n = 0;
	npr_lone_trim(b1->p, b1->n, '~', b2);
	b1->n = 0;
	npr_lone_trim(b2->p, b2->n, '^', b1);
	if (b1->over || b2->over)
		return -2;
	/* tokens at single spaces; their comparators joined with spaces into b2 */
	nb out = { b2->p, 0, b2->cap, 0 };
	char *tok = b1->p;
	size_t tn = b1->n;
	for (size_t i = 0;;) {
		size_t e = i;
		while (e < tn && tok[e] != ' ')
			e++;
		npr_token(x, tok + i, e - i, &out);
		if (x->t[0].over || x->t[1].over || out.over)
			return -2;
		if (e >= tn)
			break;
		nb_s(&out, " ");
		i = e + 1;
	}
	/* split(/\s+/): a leading or trailing space gives an empty piece */
	const char *p = out.p;
	size_t pn = out.n;
	for (size_t i = 0;;) {
		size_t e = i;
		while (e < pn && !np_space((unsigned char)p[e]))
			e++;
		int rc = npr_comparator(x, p + i, e - i, set);
		if (rc < 0)
			return rc;
		if (e >= pn)
			break;
		i = npr_skip_ws(p, e, pn);
		if (i == pn && (rc = npr_comparator(x, p + i, 0, set)) < 0)
			return rc;
		if (i == pn)
			break;
	}
	if (!set->count)
		set->any = 0;
	if (set->pass && x->ver->pre.p && !x->incpr && !set->allow_pre)
		set->pass = 0;
	return 0;
}

/* Range's constructor on the non-empty sets, then test(): null sets
 * dropped when others exist (the first kept when all are null), a set
 * that is "any" alone replacing all; then any set that passed. */
static int npr_decide(npr_set *sets, int nsets)
{
	int first = 0, kept = nsets, pass = 0;
	if (nsets > 1) {
		kept = 0;
		for (int k = 0; k < nsets; k++)
			if (!sets[k].null)
				sets[kept++] = sets[k];
		if (!kept) {
			kept = 1;
		} else if (kept > 1) {
			for (int k = 0; k < kept; k++)
				if (sets[k].any) {
					first = k, kept = k + 1;
					break;
				}
		}
	}
	for (int k = first; k < kept; k++)
		pass |= sets[k].pass;
	return pass;
}

int vigil_npm_satisfies(const char *range, size_t rlen, const char *v, size_t vlen,
			unsigned flags, int *result)
{
	npr_ctx x;
	npv ver;
	npr_set sets[VIGIL_VERSION_MAX_CLAUSES];
	char *mem = NULL, *raw;
	size_t cap, rn = 0;
	int rc = 0, nsets = 0;

	if (!result || (!range && rlen) || (!v && vlen))
		return vigil_error_set(VIGIL_EINVAL, "npm range: NULL argument");
	*result = 0;
	if (rlen > VIGIL_VERSION_CONSTRAINT_MAX_LEN)
		return vigil_error_set(VIGIL_ELIMIT, "npm range of %zu bytes (limit %d)", rlen,
				       VIGIL_VERSION_CONSTRAINT_MAX_LEN);
	memset(&x, 0, sizeof(x));
	x.loose = !!(flags & VIGIL_NPM_LOOSE), x.incpr = !!(flags & VIGIL_NPM_INCLUDE_PRERELEASE);
	x.ver = &ver;
	if (!np_parse(v ? v : "", vlen, x.loose, &ver))
		return vigil_error_set(VIGIL_EFORMAT, "invalid npm version \"%.*s\"",
				       (int)(vlen > 128 ? 128 : vlen), v);
	cap = NPR_GROW * rlen + NPR_SLACK;
	if (!(mem = malloc(cap * 5)))
		return vigil_error_set(VIGIL_ENOMEM, "npm range: out of memory");
	raw = mem;
	for (int k = 0; k < 4; k++)
		x.t[k] = (nb){ mem + cap * (size_t)(k + 1), 0, cap, 0 };
	/* trim, whitespace runs to one space */
	const char *r = range ? range : "";
	size_t n = rlen;
	npr_trim(&r, &n);
	for (size_t i = 0; i < n; i++) {
		if (np_space((unsigned char)r[i])) {
			if (!rn || raw[rn - 1] != ' ')
				raw[rn++] = ' ';
		} else {
			raw[rn++] = r[i];
		}
	}
	for (size_t i = 0;;) {
		size_t e = i;
		while (e + 1 < rn && !(raw[e] == '|' && raw[e + 1] == '|'))
			e++;
		if (e + 1 >= rn)
			e = rn;
		if (nsets == VIGIL_VERSION_MAX_CLAUSES) {
			rc = vigil_error_set(VIGIL_ELIMIT, "npm range \"%.*s\": more than %d sets",
					     (int)rlen, range, VIGIL_VERSION_MAX_CLAUSES);
			goto out;
		}
		const char *p = raw + i;
		size_t pn = e - i;
		npr_trim(&p, &pn);
		int prc = npr_part(&x, p, pn, &sets[nsets]);
		if (prc == -2) {
			rc = vigil_error_set(VIGIL_ELIMIT, "npm range \"%.*s\": too long or too many "
					     "comparators", (int)rlen, range);
			goto out;
		}
		if (prc < 0) {
			rc = vigil_error_set(VIGIL_EFORMAT, "invalid npm range \"%.*s\"", (int)rlen, range);
			goto out;
		}
		if (sets[nsets].count)
			nsets++;
		if (e >= rn)
			break;
		i = e + 2;
	}
	if (!nsets) {
		rc = vigil_error_set(VIGIL_EFORMAT, "invalid npm range \"%.*s\"", (int)rlen, range);
		goto out;
	}
	*result = npr_decide(sets, nsets);
out:
	free(mem);
	return rc;
}
