/* version/rpm.c: RPM version comparison: rpmvercmp() on bare strings
 * (alphanumeric segments, digits newer than letters, '~' older and '^'
 * newer than the end, other characters only separate) and the
 * [epoch:]version[-release] comparison of rpm's labelCompare (missing
 * epoch = 0). Slices in, no allocation. */
#include "vigil/version.h"
#include "version/internal.h"

#include <string.h>

int vigil_rpmvercmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;

	if (alen == blen && (alen == 0 || memcmp(a, b, alen) == 0))
		return 0;
	while (i < alen || j < blen) {
		while (i < alen && !vv_alnum((unsigned char)a[i]) && a[i] != '~' && a[i] != '^')
			i++;
		while (j < blen && !vv_alnum((unsigned char)b[j]) && b[j] != '~' && b[j] != '^')
			j++;
		/* '~' sorts before everything, even the end */
		if ((i < alen && a[i] == '~') || (j < blen && b[j] == '~')) {
			if (i >= alen || a[i] != '~')
				return 1;
			if (j >= blen || b[j] != '~')
				return -1;
			i++, j++;
			continue;
		}
		/* '^' sorts after the end, before anything else */
		if ((i < alen && a[i] == '^') || (j < blen && b[j] == '^')) {
			if (i >= alen)
				return -1;
			if (j >= blen)
				return 1;
			if (a[i] != '^')
				return 1;
			if (b[j] != '^')
				return -1;
			i++, j++;
			continue;
		}
		if (!(i < alen && j < blen))
			break;
		size_t as = i, bs = j;
		int isnum = vv_digit((unsigned char)a[i]);
		if (isnum) {
			while (i < alen && vv_digit((unsigned char)a[i]))
				i++;
			while (j < blen && vv_digit((unsigned char)b[j]))
				j++;
		} else {
			while (i < alen && vv_alpha((unsigned char)a[i]))
				i++;
			while (j < blen && vv_alpha((unsigned char)b[j]))
				j++;
		}
		/* a segment of the other type: numeric is newer */
		if (j == bs)
			return isnum ? 1 : -1;
		int r = isnum ? vv_numcmp(a + as, i - as, b + bs, j - bs)
			      : vv_bytecmp(a + as, i - as, b + bs, j - bs);
		if (r)
			return r;
	}
	if (i >= alen && j >= blen)
		return 0;
	return i >= alen ? -1 : 1;
}

typedef struct rpm_evr {
	const char *e, *v, *r;
	size_t elen, vlen, rlen;
	int has_r;
} rpm_evr;

static void parse_evr(const char *s, size_t n, rpm_evr *o)
{
	size_t k = 0;

	while (k < n && vv_digit((unsigned char)s[k]))
		k++;
	if (k < n && s[k] == ':') {
		o->e = s, o->elen = k;
		s += k + 1, n -= k + 1;
	} else {
		o->e = s, o->elen = 0;
	}
	const char *dash = NULL;
	for (size_t i = n; i > 0; i--)
		if (s[i - 1] == '-') {
			dash = s + i - 1;
			break;
		}
	o->v = s;
	if (dash) {
		o->vlen = (size_t)(dash - s);
		o->r = dash + 1, o->rlen = n - o->vlen - 1, o->has_r = 1;
	} else {
		o->vlen = n, o->r = s + n, o->rlen = 0, o->has_r = 0;
	}
}

int vigil_rpm_evr_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	rpm_evr x, y;
	int r;

	parse_evr(a, alen, &x);
	parse_evr(b, blen, &y);
	if ((r = vv_numcmp(x.e, x.elen, y.e, y.elen)) != 0)
		return r;
	if ((r = vigil_rpmvercmp(x.v, x.vlen, y.v, y.vlen)) != 0)
		return r;
	if (x.has_r && y.has_r)
		return vigil_rpmvercmp(x.r, x.rlen, y.r, y.rlen);
	return 0;
}

/* Printable ASCII without spaces, a non-empty version, a numeric epoch. */
int vigil_rpm_valid(const char *v, size_t len)
{
	rpm_evr x;

	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)v[i] <= ' ' || (unsigned char)v[i] >= 0x7f)
			return 0;
	parse_evr(v, len, &x);
	if (x.vlen == 0 || (x.has_r && x.rlen == 0))
		return 0;
	if (memchr(x.v, ':', x.vlen) || (x.rlen && memchr(x.r, ':', x.rlen)))
		return 0;
	return 1;
}
