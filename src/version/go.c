/* version/go.c: Go module versions as golang.org/x/mod/semver and
 * golang.org/x/mod/module (pseudo.go) read them.
 *
 * Ordering (semver.Compare): a leading "v" is required; "v1" and "v1.2" are
 * shorthands of "v1.0.0" and "v1.2.0" (but may carry neither a pre-release
 * nor build metadata); numbers have no leading zeros; pre-release
 * identifiers as SemVer 2.0.0; build metadata, hence "+incompatible", is
 * ignored. Invalid strings all compare EQUAL to each other and below every
 * valid version, exactly as Go does (the generic API rejects them instead).
 *
 * Pseudo-versions (vX.0.0-yyyymmddhhmmss-rev, vX.Y.(Z+1)-0.yyyymmddhhmmss-rev,
 * vX.Y.Z-pre.0.yyyymmddhhmmss-rev, each with optional +build) need no order
 * of their own: they are built to sort correctly under semver. The
 * functions below take them apart as IsPseudoVersion, PseudoVersionBase,
 * PseudoVersionRev and PseudoVersionTime do. Pure functions over slices. */
#include "vigil/version.h"
#include "version/internal.h"
#include "util/error.h"

#include <string.h>

typedef struct gv {
	const char *num[3];
	size_t numlen[3];
	const char *pre; /* with its leading '-'; prelen 0: none */
	size_t prelen;
	size_t build; /* offset of '+', or the length when none */
} gv;

static int go_ident_char(unsigned char c) { return vv_alnum(c) || c == '-'; }

/* A decimal without leading zeros; *i moves past it. */
static int go_int(const char *s, size_t n, size_t *i, const char **out, size_t *outlen)
{
	size_t st = *i;
	while (*i < n && vv_digit((unsigned char)s[*i]))
		(*i)++;
	if (*i == st || (s[st] == '0' && *i - st > 1))
		return 0;
	*out = s + st, *outlen = *i - st;
	return 1;
}

static int go_bad_num(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && vv_digit((unsigned char)s[i]))
		i++;
	return i == n && n > 1 && s[0] == '0';
}

/* Dot-separated identifiers from s[*i] to stop (or the end); pre: numeric
 * identifiers without leading zeros. */
static int go_idents(const char *s, size_t n, size_t *i, int pre)
{
	size_t st = *i;
	while (*i < n && !(pre && s[*i] == '+')) {
		unsigned char c = (unsigned char)s[*i];
		if (!go_ident_char(c) && c != '.')
			return 0;
		if (c == '.') {
			if (st == *i || (pre && go_bad_num(s + st, *i - st)))
				return 0;
			st = *i + 1;
		}
		(*i)++;
	}
	return st != *i && !(pre && go_bad_num(s + st, *i - st));
}

static int go_parse(const char *s, size_t n, gv *o)
{
	static const char zero[] = "0";
	size_t i = 1;

	if (n == 0 || s[0] != 'v' || !go_int(s, n, &i, &o->num[0], &o->numlen[0]))
		return 0;
	o->num[1] = o->num[2] = zero, o->numlen[1] = o->numlen[2] = 1;
	o->pre = NULL, o->prelen = 0, o->build = n;
	for (int k = 1; k < 3; k++) {
		if (i == n)
			return 1;
		if (s[i] != '.')
			return 0;
		i++;
		if (!go_int(s, n, &i, &o->num[k], &o->numlen[k]))
			return 0;
	}
	if (i < n && s[i] == '-') {
		size_t st = i++;
		if (!go_idents(s, n, &i, 1))
			return 0;
		o->pre = s + st, o->prelen = i - st;
	}
	if (i < n && s[i] == '+') {
		o->build = i++;
		if (!go_idents(s, n, &i, 0))
			return 0;
	}
	return i == n;
}

static int go_is_num(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!vv_digit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* semver.comparePrerelease over "-a.b" strings ("" sorts last). */
static int go_pre_cmp(const char *x, size_t xn, const char *y, size_t yn)
{
	if (xn == yn && (xn == 0 || !memcmp(x, y, xn)))
		return 0;
	if (xn == 0)
		return 1;
	if (yn == 0)
		return -1;
	size_t i = 1, j = 1;
	while (i < xn && j < yn) {
		size_t is = i, js = j;
		while (i < xn && x[i] != '.')
			i++;
		while (j < yn && y[j] != '.')
			j++;
		const char *dx = x + is, *dy = y + js;
		size_t lx = i - is, ly = j - js;
		if (lx != ly || memcmp(dx, dy, lx)) {
			int nx = go_is_num(dx, lx), ny = go_is_num(dy, ly);
			if (nx != ny)
				return nx ? -1 : 1;
			if (nx)
				return vv_numcmp(dx, lx, dy, ly);
			return vv_bytecmp(dx, lx, dy, ly);
		}
		if (i < xn)
			i++;
		if (j < yn)
			j++;
		if ((i == xn) != (j == yn))
			return i == xn ? -1 : 1;
	}
	if (i == xn && j == yn)
		return 0;
	return i == xn ? -1 : 1;
}

int vigil_go_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	gv x, y;
	int va = go_parse(a, alen, &x), vb = go_parse(b, blen, &y);

	if (!va || !vb)
		return va - vb;
	for (int k = 0; k < 3; k++) {
		int r = vv_numcmp(x.num[k], x.numlen[k], y.num[k], y.numlen[k]);
		if (r)
			return r;
	}
	return go_pre_cmp(x.pre, x.prelen, y.pre, y.prelen);
}

int vigil_go_valid(const char *v, size_t len)
{
	gv x;
	return go_parse(v, len, &x);
}

/* ^v[0-9]+\.(0\.0-|\d+\.\d+-([^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(\+build)?$
 * with at least two '-' and a valid semver: the pieces of a pseudo-version. */
typedef struct gpseudo {
	size_t base_end; /* v[:base_end] is "vX.0.0", "vX.Y.Z-0" or "vX.Y.Z-pre.0" */
	size_t ts;       /* offset of the 14-digit timestamp */
	size_t rev, revlen;
	size_t build;    /* offset of '+', or the length */
} gpseudo;

static int go_pseudo_parse(const char *s, size_t n, gpseudo *p)
{
	gv x;
	size_t dashes = 0;

	if (!go_parse(s, n, &x) || !x.prelen)
		return 0;
	for (size_t i = 0; i < n; i++)
		dashes += s[i] == '-';
	if (dashes < 2)
		return 0;
	p->build = x.build;
	/* rev: after the last '-' before the build */
	size_t j = p->build;
	while (j > 0 && s[j - 1] != '-')
		j--;
	if (j == 0 || j == p->build)
		return 0;
	p->rev = j, p->revlen = p->build - j;
	for (size_t k = j; k < p->build; k++)
		if (!vv_alnum((unsigned char)s[k]))
			return 0;
	if (j < 16)
		return 0;
	p->ts = j - 15;
	if (!go_is_num(s + p->ts, 14) || s[p->ts - 1] == '+')
		return 0;
	char sep = s[p->ts - 1];
	p->base_end = p->ts - 1;
	const char *pre = x.pre;
	size_t pre_off = (size_t)(pre - s);
	if (sep == '-') {
		/* form (1): vX.0.0-ts-rev; the pre-release is exactly "-ts-rev" */
		return pre_off == p->base_end && x.numlen[1] == 1 && x.num[1][0] == '0' &&
		       x.numlen[2] == 1 && x.num[2][0] == '0' && x.num[1] != x.num[2];
	}
	/* forms (2)-(5): "...0." before the timestamp, inside the pre-release */
	if (sep != '.' || p->base_end < pre_off + 2 || s[p->base_end - 1] != '0')
		return 0;
	size_t z = p->base_end - 1; /* the "0" */
	return z == pre_off + 1 || s[z - 1] == '.';
}

int vigil_go_is_pseudo(const char *v, size_t len)
{
	gpseudo p;
	return go_pseudo_parse(v, len, &p);
}

static int go_not_pseudo(const char *v, size_t len)
{
	return vigil_error_set(VIGIL_EFORMAT, "go version \"%.*s\" is not a pseudo-version",
			       (int)(len > 128 ? 128 : len), v);
}

int vigil_go_pseudo_rev(const char *v, size_t len, const char **rev, size_t *revlen)
{
	gpseudo p;
	if (!go_pseudo_parse(v, len, &p))
		return go_not_pseudo(v, len);
	*rev = v + p.rev, *revlen = p.revlen;
	return 0;
}

static int go_leap(unsigned y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static unsigned go_num(const char *s, size_t n)
{
	unsigned r = 0;
	for (size_t i = 0; i < n; i++)
		r = r * 10 + (unsigned)(s[i] - '0');
	return r;
}

int vigil_go_pseudo_time(const char *v, size_t len, char out[21])
{
	static const unsigned mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	gpseudo p;
	if (!go_pseudo_parse(v, len, &p))
		return go_not_pseudo(v, len);
	const char *t = v + p.ts;
	unsigned y = go_num(t, 4), mo = go_num(t + 4, 2), d = go_num(t + 6, 2);
	unsigned h = go_num(t + 8, 2), mi = go_num(t + 10, 2), se = go_num(t + 12, 2);
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] + (mo == 2 && go_leap(y)) || h > 23 ||
	    mi > 59 || se > 59)
		return vigil_error_set(VIGIL_EFORMAT, "go pseudo-version \"%.*s\": malformed time %.14s",
				       (int)(len > 128 ? 128 : len), v, t);
	memcpy(out, t, 4);
	out[4] = '-', memcpy(out + 5, t + 4, 2), out[7] = '-', memcpy(out + 8, t + 6, 2);
	out[10] = 'T', memcpy(out + 11, t + 8, 2), out[13] = ':', memcpy(out + 14, t + 10, 2);
	out[16] = ':', memcpy(out + 17, t + 12, 2), out[19] = 'Z', out[20] = '\0';
	return 0;
}

static int go_put(char *out, size_t cap, size_t *o, const char *s, size_t n)
{
	if (*o + n >= cap)
		return 0;
	memcpy(out + *o, s, n);
	*o += n;
	return 1;
}

int vigil_go_pseudo_base(const char *v, size_t len, char *out, size_t cap)
{
	gpseudo p;
	gv x;
	size_t o = 0;

	if (!cap)
		return vigil_error_set(VIGIL_EINVAL, "go pseudo-version base: no room");
	out[0] = '\0';
	if (!go_pseudo_parse(v, len, &p))
		return go_not_pseudo(v, len);
	const char *build = v + p.build;
	size_t blen = len - p.build;
	go_parse(v, len, &x);
	size_t pre_off = (size_t)(x.pre - v);
	if (pre_off == p.base_end) { /* form (1): no base */
		if (blen)
			return vigil_error_set(VIGIL_EFORMAT, "go pseudo-version \"%.*s\" lacks base "
					       "version, but has build metadata", (int)len, v);
		return 0;
	}
	if (p.base_end == pre_off + 2) { /* "-0": the patch before Z+1 */
		const char *pt = x.num[2];
		size_t pl = x.numlen[2], i = pl;
		char dec[VIGIL_VERSION_MAX_LEN];
		if (pl > sizeof(dec))
			return vigil_error_set(VIGIL_ELIMIT, "go pseudo-version: patch too long");
		memcpy(dec, pt, pl);
		while (i > 0 && dec[i - 1] == '0')
			dec[--i] = '9';
		if (i == 0)
			return vigil_error_set(VIGIL_EFORMAT, "go pseudo-version \"%.*s\": version before "
					       "it would have a negative patch number", (int)len, v);
		size_t off = 0;
		if (i == 1 && dec[0] == '1' && pl > 1)
			off = 1;
		else
			dec[i - 1]--;
		if (!go_put(out, cap, &o, v, (size_t)(pt - v)) || !go_put(out, cap, &o, dec + off, pl - off))
			goto room;
	} else if (!go_put(out, cap, &o, v, p.base_end - 2)) { /* drop ".0" */
		goto room;
	}
	if (!go_put(out, cap, &o, build, blen))
		goto room;
	out[o] = '\0';
	return 0;
room:
	out[0] = '\0';
	return vigil_error_set(VIGIL_ELIMIT, "go pseudo-version base: more than %zu bytes", cap - 1);
}
