/* version/nuget.c: NuGet versions as NuGet.Versioning's NuGetVersion.Parse
 * and VersionComparer.Default read them (NuGet/NuGet.Client,
 * src/NuGet.Core/NuGet.Versioning): SemVer 2.0.0 widened to 1-4 numeric
 * parts ("1.0" == "1.0.0.0"), leading zeros allowed and ignored ("1.0.01"
 * == "1.0.1"), each part a non-negative Int32; release labels compared one
 * by one, numeric ones (Int32.TryParse: an optional '-', digits) as numbers
 * and before text, text case-INsensitively (OrdinalIgnoreCase), fewer
 * labels first; build metadata ignored. Spaces around are trimmed.
 * Invalid versions sort after valid ones, by bytes. */
#include "vigil/version.h"
#include "version/internal.h"
#include "version/nuget.h"

#include <string.h>

static int nu_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static int nu_label_char(unsigned char c) { return vv_alnum(c) || c == '-'; }

/* Digits of an Int32 (at most 2147483647 once leading zeros are gone). */
static int nu_int32(const char *s, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!vv_digit((unsigned char)s[i]))
			return 0;
	return vv_numcmp(s, n, "2147483647", 10) <= 0;
}

/* Dot-separated non-empty labels of [0-9A-Za-z-]. */
static int nu_labels(const char *s, size_t n)
{
	size_t st = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (i == st)
				return 0;
			st = i + 1;
		} else if (!nu_label_char((unsigned char)s[i])) {
			return 0;
		}
	}
	return 1;
}

int nu_parse(const char *v, size_t len, nuv *o)
{
	static const char zero[] = "0";
	size_t a = 0, b = len;

	while (a < b && nu_space((unsigned char)v[a]))
		a++;
	while (b > a && nu_space((unsigned char)v[b - 1]))
		b--;
	const char *plus = b > a ? memchr(v + a, '+', b - a) : NULL;
	size_t end = plus ? (size_t)(plus - v) : b;
	if (plus && !nu_labels(plus + 1, b - end - 1))
		return 0;
	const char *dash = end > a ? memchr(v + a, '-', end - a) : NULL;
	size_t vend = dash ? (size_t)(dash - v) : end;
	o->rel = NULL, o->rellen = 0;
	if (dash) {
		o->rel = dash + 1, o->rellen = end - vend - 1;
		if (!nu_labels(o->rel, o->rellen))
			return 0;
	}
	int k = 0;
	size_t st = a;
	for (size_t i = a; i <= vend; i++) {
		if (i < vend && v[i] != '.')
			continue;
		if (k == 4 || !nu_int32(v + st, i - st))
			return 0;
		o->num[k] = v + st, o->numlen[k] = i - st;
		k++;
		st = i + 1;
	}
	for (; k < 4; k++)
		o->num[k] = zero, o->numlen[k] = 1;
	return 1;
}

/* Int32.TryParse of a label: optional '-', digits, in range. */
static int nu_label_num(const char *s, size_t n, int *neg, const char **d, size_t *dl)
{
	*neg = n > 1 && s[0] == '-';
	*d = s + *neg, *dl = n - (size_t)*neg;
	if (!*dl)
		return 0;
	for (size_t i = 0; i < *dl; i++)
		if (!vv_digit((unsigned char)(*d)[i]))
			return 0;
	return vv_numcmp(*d, *dl, *neg ? "2147483648" : "2147483647", 10) <= 0;
}

static int nu_label_cmp(const char *x, size_t xn, const char *y, size_t yn)
{
	int nx, ny;
	const char *dx, *dy;
	size_t lx, ly;
	int ix = nu_label_num(x, xn, &nx, &dx, &lx), iy = nu_label_num(y, yn, &ny, &dy, &ly);

	if (ix && iy) {
		if (nx != ny)
			return nx ? -1 : 1;
		int r = vv_numcmp(dx, lx, dy, ly);
		return nx ? -r : r;
	}
	if (ix != iy)
		return ix ? -1 : 1;
	for (size_t i = 0; i < xn && i < yn; i++) {
		unsigned char a = vv_tolower((unsigned char)x[i]), b = vv_tolower((unsigned char)y[i]);
		if (a != b)
			return a < b ? -1 : 1;
	}
	return (xn > yn) - (xn < yn);
}

int nu_cmp(const nuv *x, const nuv *y)
{
	for (int k = 0; k < 4; k++) {
		int r = vv_numcmp(x->num[k], x->numlen[k], y->num[k], y->numlen[k]);
		if (r)
			return r;
	}
	if (!x->rel || !y->rel)
		return (x->rel == NULL) - (y->rel == NULL);
	size_t i = 0, j = 0;
	for (;;) {
		int xe = i > x->rellen, ye = j > y->rellen;
		if (xe || ye)
			return ye - xe;
		size_t is = i, js = j;
		while (i < x->rellen && x->rel[i] != '.')
			i++;
		while (j < y->rellen && y->rel[j] != '.')
			j++;
		int r = nu_label_cmp(x->rel + is, i - is, y->rel + js, j - js);
		if (r)
			return r;
		i++, j++;
	}
}

int vigil_nuget_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	nuv x, y;
	int va = nu_parse(a, alen, &x), vb = nu_parse(b, blen, &y);

	if (!va || !vb)
		return va != vb ? (va ? -1 : 1) : vv_bytecmp(a, alen, b, blen);
	return nu_cmp(&x, &y);
}

int vigil_nuget_valid(const char *v, size_t len)
{
	nuv x;
	return nu_parse(v, len, &x);
}
