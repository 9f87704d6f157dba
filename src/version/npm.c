/* version/npm.c: versions as npm's node-semver (npm/node-semver
 * classes/semver.js, internal/re.js) reads and orders them. Strict form:
 * "v"? MAJOR.MINOR.PATCH (no leading zeros) [-pre] [+build], spaces around
 * trimmed, at most 256 bytes, each number at most 2^53-1. Loose form (the
 * "loose" option): any of "v", "=" and spaces in front, leading zeros, and
 * a pre-release without its "-" ("1.2.3beta"). Order: SemVer 2.0.0 (build
 * ignored, all-digit identifiers as numbers and before the others, the
 * rest by bytes). It differs from the plain "semver" scheme only in what
 * it accepts. Invalid versions sort after valid ones, by bytes.
 *
 * The grammar is written as prefix matchers mirroring re.js token by token
 * (see version/npm.h), so that range_npm.c can replay node-semver's
 * regular-expression rewriting of ranges exactly. */
#include "vigil/version.h"
#include "version/internal.h"
#include "version/npm.h"

#include <string.h>

#define NP_MAX_SAFE "9007199254740991"

int np_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static int np_idc(unsigned char c) { return vv_alnum(c) || c == '-'; }

/* NUMERICIDENTIFIER (0|[1-9]\d*) or NUMERICIDENTIFIERLOOSE (\d+). */
static size_t np_num_at(const char *s, size_t i, size_t n, int loose)
{
	if (i >= n || !vv_digit((unsigned char)s[i]))
		return 0;
	if (!loose && s[i] == '0')
		return i + 1;
	while (i < n && vv_digit((unsigned char)s[i]))
		i++;
	return i;
}

/* PRERELEASEIDENTIFIER[LOOSE]: a run of [0-9A-Za-z-]; strictly, an
 * all-digit run with a leading zero matches only its "0". */
static size_t np_ident_at(const char *s, size_t i, size_t n, int loose)
{
	size_t e = i;
	int digits = 1;
	while (e < n && np_idc((unsigned char)s[e]))
		digits &= vv_digit((unsigned char)s[e++]);
	if (e == i)
		return 0;
	if (!loose && digits && e - i > 1 && s[i] == '0')
		return i + 1;
	return e;
}

static size_t np_idents_at(const char *s, size_t i, size_t n, int loose)
{
	size_t e = np_ident_at(s, i, n, loose), f;
	if (!e)
		return 0;
	while (e < n && s[e] == '.' && (f = np_ident_at(s, e + 1, n, loose)))
		e = f;
	return e;
}

/* PRERELEASE (-idents) or PRERELEASELOOSE (-?idents); *cap the idents. */
static size_t np_pre_at(const char *s, size_t i, size_t n, int loose, np_cap *cap)
{
	size_t st = i, e;
	if (i < n && s[i] == '-' && i + 1 < n && np_idc((unsigned char)s[i + 1]))
		st = i + 1;
	else if (!loose)
		return 0;
	if (!(e = np_idents_at(s, st, n, loose)))
		return 0;
	cap->p = s + st, cap->n = e - st;
	return e;
}

size_t np_build_at(const char *s, size_t i, size_t n)
{
	size_t e = i + 1;
	if (i >= n || s[i] != '+' || e >= n || !np_idc((unsigned char)s[e]))
		return 0;
	for (;;) {
		while (e < n && np_idc((unsigned char)s[e]))
			e++;
		if (e + 1 < n && s[e] == '.' && np_idc((unsigned char)s[e + 1]))
			e++;
		else
			return e;
	}
}

/* XRANGEIDENTIFIER[LOOSE]: a number, x, X or *. */
static size_t np_xid_at(const char *s, size_t i, size_t n, int loose, np_cap *cap)
{
	size_t e = 0;
	if (i < n && (s[i] == 'x' || s[i] == 'X' || s[i] == '*'))
		e = i + 1;
	else
		e = np_num_at(s, i, n, loose);
	if (e)
		cap->p = s + i, cap->n = e - i;
	return e;
}

static size_t np_skip_vsp(const char *s, size_t i, size_t n)
{
	while (i < n && (s[i] == 'v' || s[i] == '=' || np_space((unsigned char)s[i])))
		i++;
	return i;
}

size_t np_xrange_at(const char *s, size_t i, size_t n, int loose, np_cap cap[4])
{
	size_t e, f;
	memset(cap, 0, 4 * sizeof(*cap));
	i = np_skip_vsp(s, i, n);
	if (!(e = np_xid_at(s, i, n, loose, &cap[0])))
		return 0;
	if (e < n && s[e] == '.' && (f = np_xid_at(s, e + 1, n, loose, &cap[1]))) {
		e = f;
		if (e < n && s[e] == '.' && (f = np_xid_at(s, e + 1, n, loose, &cap[2]))) {
			e = f;
			if ((f = np_pre_at(s, e, n, loose, &cap[3])))
				e = f;
			if ((f = np_build_at(s, e, n)))
				e = f;
		}
	}
	return e;
}

/* MAINVERSION[LOOSE] PRERELEASE[LOOSE]? BUILD? at i. */
static size_t np_main_at(const char *s, size_t i, size_t n, int loose, npv *o)
{
	size_t e = i, f;
	memset(o, 0, sizeof(*o));
	for (int k = 0; k < 3; k++) {
		if (k) {
			if (e >= n || s[e] != '.')
				return 0;
			e++;
		}
		if (!(f = np_num_at(s, e, n, loose)))
			return 0;
		o->num[k].p = s + e, o->num[k].n = f - e;
		e = f;
	}
	if ((f = np_pre_at(s, e, n, loose, &o->pre)))
		e = f;
	if ((f = np_build_at(s, e, n)))
		e = f;
	return e;
}

size_t np_looseplain_at(const char *s, size_t i, size_t n, npv *o)
{
	return np_main_at(s, np_skip_vsp(s, i, n), n, 1, o);
}

int np_parse(const char *s, size_t n, int loose, npv *o)
{
	size_t a = 0, b = n, e;

	if (n > NP_MAX_LENGTH)
		return 0;
	while (a < b && np_space((unsigned char)s[a]))
		a++;
	while (b > a && np_space((unsigned char)s[b - 1]))
		b--;
	if (loose)
		e = np_looseplain_at(s, a, b, o);
	else
		e = np_main_at(s, a + (a < b && s[a] == 'v'), b, 0, o);
	if (e != b || !e)
		return 0;
	for (int k = 0; k < 3; k++)
		if (vv_numcmp(o->num[k].p, o->num[k].n, NP_MAX_SAFE, sizeof(NP_MAX_SAFE) - 1) > 0)
			return 0;
	return 1;
}

static int np_all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!vv_digit((unsigned char)s[i]))
			return 0;
	return 1;
}

int np_cmp(const npv *x, const npv *y)
{
	for (int k = 0; k < 3; k++) {
		int r = vv_numcmp(x->num[k].p, x->num[k].n, y->num[k].p, y->num[k].n);
		if (r)
			return r;
	}
	if (!x->pre.p || !y->pre.p)
		return (x->pre.p == NULL) - (y->pre.p == NULL);
	const char *a = x->pre.p, *b = y->pre.p;
	size_t an = x->pre.n, bn = y->pre.n, i = 0, j = 0;
	for (;;) {
		int ae = i > an, be = j > bn;
		if (ae || be)
			return be - ae;
		size_t is = i, js = j;
		while (i < an && a[i] != '.')
			i++;
		while (j < bn && b[j] != '.')
			j++;
		int da = np_all_digits(a + is, i - is), db = np_all_digits(b + js, j - js), r;
		if (da && db)
			r = vv_numcmp(a + is, i - is, b + js, j - js);
		else if (da != db)
			r = da ? -1 : 1;
		else
			r = vv_bytecmp(a + is, i - is, b + js, j - js);
		if (r)
			return r;
		i++, j++;
	}
}

static int np_compare(const char *a, size_t alen, const char *b, size_t blen, int loose)
{
	npv x, y;
	int va = np_parse(a, alen, loose, &x), vb = np_parse(b, blen, loose, &y);

	if (!va || !vb)
		return va != vb ? (va ? -1 : 1) : vv_bytecmp(a, alen, b, blen);
	return np_cmp(&x, &y);
}

int vigil_npm_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	return np_compare(a, alen, b, blen, 0);
}

int vigil_semver_loose_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	return np_compare(a, alen, b, blen, 1);
}

int vigil_npm_valid(const char *v, size_t len, int loose)
{
	npv x;
	return np_parse(v, len, loose, &x);
}
