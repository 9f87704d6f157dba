/* version/semver.c: Semantic Versioning 2.0.0 precedence: MAJOR.MINOR.PATCH
 * compared as numbers, a pre-release sorts before its release, its
 * dot-separated identifiers compared numerically when both are numeric,
 * numeric before alphanumeric, else by ASCII; build metadata is ignored.
 * Loose mode is node-semver's loose mode and lives in npm.c. Invalid
 * versions sort after valid ones, by bytes. */
#include "vigil/version.h"
#include "version/internal.h"

#include <string.h>

typedef struct sv {
	const char *num[3];
	size_t numlen[3];
	const char *pre;
	size_t prelen; /* 0: no pre-release */
} sv;

static int is_ident_char(unsigned char c)
{
	return vv_alnum(c) || c == '-';
}

/* A numeric identifier: digits, no leading zero unless "0". */
static int numeric_ok(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!vv_digit((unsigned char)s[i]))
			return 0;
	return n == 1 || s[0] != '0';
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!vv_digit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Dot-separated identifiers; numeric ones without leading zeros when strict_num. */
static int idents_ok(const char *s, size_t n, int strict_num)
{
	size_t i = 0;
	while (i <= n) {
		size_t st = i;
		while (i < n && s[i] != '.') {
			if (!is_ident_char((unsigned char)s[i]))
				return 0;
			i++;
		}
		if (i == st)
			return 0;
		if (strict_num && all_digits(s + st, i - st) && !numeric_ok(s + st, i - st))
			return 0;
		i++;
	}
	return 1;
}

static int parse(const char *s, size_t n, sv *o)
{
	size_t i = 0;

	for (int k = 0; k < 3; k++) {
		size_t st = i;
		while (i < n && vv_digit((unsigned char)s[i]))
			i++;
		if (!numeric_ok(s + st, i - st))
			return 0;
		o->num[k] = s + st, o->numlen[k] = i - st;
		if (k < 2) {
			if (i >= n || s[i] != '.')
				return 0;
			i++;
		}
	}
	o->pre = s + i, o->prelen = 0;
	if (i < n && s[i] == '-') {
		size_t st = ++i;
		while (i < n && s[i] != '+')
			i++;
		if (!idents_ok(s + st, i - st, 1))
			return 0;
		o->pre = s + st, o->prelen = i - st;
	}
	if (i < n && s[i] == '+') {
		i++;
		if (!idents_ok(s + i, n - i, 0))
			return 0;
		i = n;
	}
	return i == n;
}

static int ident_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int ad = all_digits(a, an), bd = all_digits(b, bn);
	if (ad && bd)
		return vv_numcmp(a, an, b, bn);
	if (ad != bd)
		return ad ? -1 : 1;
	return vv_bytecmp(a, an, b, bn);
}

static int pre_cmp(const sv *x, const sv *y)
{
	if (!x->prelen || !y->prelen)
		return (x->prelen == 0) - (y->prelen == 0);
	size_t i = 0, j = 0;
	for (;;) {
		if (i > x->prelen && j > y->prelen)
			return 0;
		if (i > x->prelen)
			return -1;
		if (j > y->prelen)
			return 1;
		size_t is = i, js = j;
		while (i < x->prelen && x->pre[i] != '.')
			i++;
		while (j < y->prelen && y->pre[j] != '.')
			j++;
		int r = ident_cmp(x->pre + is, i - is, y->pre + js, j - js);
		if (r)
			return r;
		i++, j++;
	}
}

static int compare(const char *a, size_t alen, const char *b, size_t blen)
{
	sv x, y;
	int va = parse(a, alen, &x), vb = parse(b, blen, &y);

	if (!va || !vb)
		return va != vb ? (va ? -1 : 1) : vv_bytecmp(a, alen, b, blen);
	for (int k = 0; k < 3; k++) {
		int r = vv_numcmp(x.num[k], x.numlen[k], y.num[k], y.numlen[k]);
		if (r)
			return r;
	}
	return pre_cmp(&x, &y);
}

int vigil_semver_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	return compare(a, alen, b, blen);
}


int vigil_semver_valid(const char *v, size_t len, int loose)
{
	sv x;
	return loose ? vigil_npm_valid(v, len, 1) : parse(v, len, &x);
}
