/* version/dpkg.c: Debian version comparison, as dpkg's verrevcmp():
 * [epoch:]upstream[-revision], the epoch compared as a number, upstream and
 * revision by alternating non-digit runs (where '~' sorts before everything,
 * even the end, and letters before other characters) and digit runs
 * compared as numbers. Works on slices, never allocates: the matcher calls
 * it millions of times. */
#include "vigil/version.h"
#include "version/internal.h"

#include <string.h>

static inline int order(unsigned char c)
{
	if (vv_digit(c))
		return 0;
	if (vv_alpha(c))
		return c;
	if (c == '~')
		return -1;
	return c + 256;
}

static int verrevcmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;

	while (i < alen || j < blen) {
		while ((i < alen && !vv_digit((unsigned char)a[i])) ||
		       (j < blen && !vv_digit((unsigned char)b[j]))) {
			int ac = i < alen ? order((unsigned char)a[i]) : 0;
			int bc = j < blen ? order((unsigned char)b[j]) : 0;
			if (ac != bc)
				return ac < bc ? -1 : 1;
			i++, j++;
		}
		size_t as, bs;
		while (i < alen && a[i] == '0')
			i++;
		while (j < blen && b[j] == '0')
			j++;
		as = i, bs = j;
		while (i < alen && vv_digit((unsigned char)a[i]))
			i++;
		while (j < blen && vv_digit((unsigned char)b[j]))
			j++;
		if (i - as != j - bs)
			return i - as < j - bs ? -1 : 1;
		if (i - as) {
			int r = memcmp(a + as, b + bs, i - as);
			if (r)
				return vv_sign(r);
		}
	}
	return 0;
}

typedef struct evr {
	const char *e, *v, *r;
	size_t elen, vlen, rlen;
} evr;

static inline void split(const char *s, size_t n, evr *o)
{
	const char *colon = n ? memchr(s, ':', n) : NULL;
	if (colon) {
		o->e = s, o->elen = (size_t)(colon - s);
		s = colon + 1, n -= o->elen + 1;
	} else {
		o->e = s, o->elen = 0;
	}
	size_t k = n;
	while (k > 0 && s[k - 1] != '-')
		k--;
	if (k > 0) {
		o->v = s, o->vlen = k - 1;
		o->r = s + k, o->rlen = n - k;
	} else {
		o->v = s, o->vlen = n;
		o->r = s + n, o->rlen = 0;
	}
}

int vigil_dpkg_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	evr x, y;
	int r;

	split(a, alen, &x);
	split(b, blen, &y);
	if ((r = vv_numcmp(x.e, x.elen, y.e, y.elen)) != 0)
		return r;
	if ((r = verrevcmp(x.v, x.vlen, y.v, y.vlen)) != 0)
		return r;
	return verrevcmp(x.r, x.rlen, y.r, y.rlen);
}

/* As dpkg's parseversion(), accepting what it only warns about (an
 * upstream not starting with a digit, odd characters, as dpkg
 * --compare-versions does) and rejecting its errors: an empty string,
 * embedded spaces, an empty or non-numeric epoch, nothing after the colon,
 * an empty upstream or revision. */
int vigil_dpkg_valid(const char *v, size_t len)
{
	evr x;

	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r' || v[i] == '\0')
			return 0;
	split(v, len, &x);
	int has_epoch = memchr(v, ':', len) != NULL;
	if (has_epoch && x.elen == 0)
		return 0;
	for (size_t i = 0; i < x.elen; i++)
		if (!vv_digit((unsigned char)x.e[i]))
			return 0;
	size_t rest = len - (has_epoch ? x.elen + 1 : 0);
	if (rest == 0 || x.vlen == 0)
		return 0;
	if (x.vlen != rest && x.rlen == 0)
		return 0; /* "1.0-": empty revision */
	return 1;
}
