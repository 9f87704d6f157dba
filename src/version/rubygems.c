/* version/rubygems.c: Gem::Version (rubygems/rubygems lib/rubygems/version.rb)
 * ordering, step by step as Ruby does it:
 *   1. valid: \s*(N(.alnum+)*(-[alnum-]+(.[alnum-]+)*)?)?\s* ; blank is "0";
 *   2. stripped, every "-" read as ".pre." ("1.0.0-1" is "1.0.0.pre.1");
 *   3. canonical form: trailing ".0"s after a letter or dot dropped, and,
 *      for a prerelease (any letter), the first run of zeros and dots that
 *      starts a segment and ends at a letter dropped ("5.0.0.rc2" -> "5.rc2");
 *   4. segments: digit runs (numbers, any size) and letter runs (strings);
 *   5. <=>: equal strings or canonical segments are equal; else pairwise, a
 *      string sorts before a number, numbers by value, strings by bytes;
 *      the rest of the longer list decides (a string: it is smaller; a
 *      non-zero number: it is larger).
 * The parsed form (gem_parse) is shared with range_rubygems.c through
 * version/gem.h. Invalid versions sort after valid ones, by bytes. */
#include "vigil/version.h"
#include "version/gem.h"
#include "version/internal.h"

#include <string.h>

static int gem_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int gem_id(unsigned char c) { return vv_alnum(c) || c == '-'; }

/* N(.alnum+)*(-id+(.id+)*)? over all of s[i..n); 1 when it matches. */
static int gem_pattern(const char *s, size_t i, size_t n)
{
	size_t st = i;
	while (i < n && vv_digit((unsigned char)s[i]))
		i++;
	if (i == st)
		return 0;
	while (i + 1 < n && s[i] == '.' && vv_alnum((unsigned char)s[i + 1])) {
		i++;
		while (i < n && vv_alnum((unsigned char)s[i]))
			i++;
	}
	if (i + 1 < n && s[i] == '-' && gem_id((unsigned char)s[i + 1])) {
		i++;
		while (i < n && gem_id((unsigned char)s[i]))
			i++;
		while (i + 1 < n && s[i] == '.' && gem_id((unsigned char)s[i + 1])) {
			i++;
			while (i < n && gem_id((unsigned char)s[i]))
				i++;
		}
	}
	return i == n;
}

int gem_pattern_full(const char *s, size_t n)
{
	return n > 0 && gem_pattern(s, 0, n);
}

/* Step 3 on o->canon (in place). */
static void gem_canonical(gemv *o)
{
	char *s = o->canon;
	size_t n = o->clen, q = n;

	while (q > 0 && (s[q - 1] == '.' || s[q - 1] == '0'))
		q--;
	if (q < n) {
		size_t p = 0;
		if (q >= 1 && vv_alpha((unsigned char)s[q - 1]))
			p = q;
		for (size_t k = q; !p && k + 1 < n; k++)
			if (s[k] == '.')
				p = k + 1;
		if (p)
			n = p;
	}
	if (o->prerelease) {
		for (size_t p = 0; p < n; p++) {
			if ((p && s[p - 1] != '.') || (s[p] != '0' && s[p] != '.'))
				continue;
			size_t e = p;
			while (e < n && (s[e] == '0' || s[e] == '.'))
				e++;
			if (e < n && vv_alpha((unsigned char)s[e])) {
				memmove(s + p, s + e, n - e);
				n -= e - p;
				break;
			}
		}
	}
	o->clen = n;
}

/* Step 4 over s[0..n) into segs. */
static int gem_segments(const char *s, size_t n, gseg *seg, int max)
{
	int k = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t st = i;
		if (vv_digit(c)) {
			while (i < n && vv_digit((unsigned char)s[i]))
				i++;
			while (st + 1 < i && s[st] == '0')
				st++;
			if (k == max)
				return -1;
			seg[k++] = (gseg){ s + st, (uint16_t)(i - st), 1 };
		} else if (vv_alpha(c)) {
			while (i < n && vv_alpha((unsigned char)s[i]))
				i++;
			if (k == max)
				return -1;
			seg[k++] = (gseg){ s + st, (uint16_t)(i - st), 0 };
		} else {
			i++;
		}
	}
	return k;
}

int gem_parse(const char *v, size_t len, gemv *o)
{
	size_t a = 0, b = len, o_len = 0;

	if (len > VIGIL_VERSION_MAX_LEN)
		return 0;
	while (a < b && gem_space((unsigned char)v[a]))
		a++;
	while (b > a && (gem_space((unsigned char)v[b - 1]) || v[b - 1] == '\0'))
		b--;
	if (a == b) {
		v = "0", a = 0, b = 1;
	} else if (!gem_pattern(v, a, b)) {
		return 0;
	}
	o->prerelease = 0;
	for (size_t i = a; i < b; i++) {
		if (v[i] == '-') {
			if (o_len + 5 > GEM_BUF)
				return 0;
			memcpy(o->str + o_len, ".pre.", 5);
			o_len += 5;
		} else {
			if (o_len + 1 > GEM_BUF)
				return 0;
			o->str[o_len++] = v[i];
		}
		o->prerelease |= vv_alpha((unsigned char)v[i]);
	}
	o->slen = o_len;
	memcpy(o->canon, o->str, o_len);
	o->clen = o_len;
	gem_canonical(o);
	o->nseg = gem_segments(o->canon, o->clen, o->seg, GEM_MAX_SEGS);
	return o->nseg >= 0;
}

static int gseg_eq(const gseg *x, const gseg *y)
{
	return x->num == y->num && x->n == y->n && !memcmp(x->p, y->p, x->n);
}

static int gseg_zero(const gseg *x) { return x->num && x->n == 1 && x->p[0] == '0'; }

int gem_cmp(const gemv *x, const gemv *y)
{
	int i, same = x->nseg == y->nseg;

	if (x->slen == y->slen && !memcmp(x->str, y->str, x->slen))
		return 0;
	for (i = 0; same && i < x->nseg; i++)
		same = gseg_eq(&x->seg[i], &y->seg[i]);
	if (same)
		return 0;
	int limit = x->nseg < y->nseg ? x->nseg : y->nseg;
	for (i = 0; i < limit; i++) {
		const gseg *l = &x->seg[i], *r = &y->seg[i];
		if (gseg_eq(l, r))
			continue;
		if (l->num != r->num)
			return l->num ? 1 : -1;
		if (l->num)
			return vv_numcmp(l->p, l->n, r->p, r->n);
		return vv_bytecmp(l->p, l->n, r->p, r->n);
	}
	const gemv *rest = x->nseg > limit ? x : y;
	int sign = rest == x ? 1 : -1;
	for (; i < rest->nseg; i++) {
		if (!rest->seg[i].num)
			return -sign;
		if (!gseg_zero(&rest->seg[i]))
			return sign;
	}
	return 0;
}

int vigil_rubygems_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	gemv x, y;
	int va = gem_parse(a, alen, &x), vb = gem_parse(b, blen, &y);

	if (!va || !vb)
		return va != vb ? (va ? -1 : 1) : vv_bytecmp(a, alen, b, blen);
	return gem_cmp(&x, &y);
}

int vigil_rubygems_valid(const char *v, size_t len)
{
	gemv x;
	return gem_parse(v, len, &x);
}
