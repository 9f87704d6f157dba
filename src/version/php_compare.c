/* version/php_compare.c: PHP's version_compare() (php-src
 * ext/standard/versioning.c, unchanged since PHP 5.3), which Composer
 * applies to its normalized versions. php_canonicalize_version(): "-",
 * "_", "+" and other non-alphanumerics become "." (never two in a row),
 * and a "." goes between a digit and a non-digit; the first character is
 * kept as is. Then dot-separated parts compare: numbers by value (strtol,
 * saturating at LONG_MAX), words by their special form (matched as a
 * prefix: dev < alpha = a < beta = b < RC = rc < number < pl = p; any
 * other word is below dev), a word against a number as its form against
 * "#"; when one side runs out, a further number makes it larger and a
 * further word is compared with "#N#". Strings end at a NUL, as in C. */
#include "vigil/version.h"
#include "version/composer.h"
#include "version/internal.h"

#include <string.h>

#define CP_CANON_MAX (2 * VIGIL_VERSION_MAX_LEN + 2)

static int cp_ndig(char c) { return !vv_digit((unsigned char)c) && c != '.'; }

static size_t cp_canon(const char *v, size_t len, char *buf)
{
	size_t q = 0;
	char lp;
	if (!len)
		return 0;
	buf[q++] = lp = v[0];
	for (size_t i = 1; i < len; i++) {
		char c = v[i], lq = buf[q - 1];
		if (c == '-' || c == '_' || c == '+') {
			if (lq != '.')
				buf[q++] = '.';
		} else if ((cp_ndig(lp) && vv_digit((unsigned char)c)) ||
			   (vv_digit((unsigned char)lp) && cp_ndig(c))) {
			if (lq != '.')
				buf[q++] = '.';
			buf[q++] = c;
		} else if (!vv_alnum((unsigned char)c)) {
			if (lq != '.')
				buf[q++] = '.';
		} else {
			buf[q++] = c;
		}
		lp = c;
	}
	return q;
}

static int cp_special(const char *f, size_t n)
{
	static const struct { const char *name; int order; } forms[] = {
		{ "dev", 0 }, { "alpha", 1 }, { "a", 1 }, { "beta", 2 }, { "b", 2 },
		{ "RC", 3 },  { "rc", 3 },    { "#", 4 }, { "pl", 5 },   { "p", 5 },
	};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		size_t l = strlen(forms[i].name);
		if (n >= l && !memcmp(f, forms[i].name, l))
			return forms[i].order;
	}
	return -1;
}

/* strtol of a digit run: leading digits, saturating at LONG_MAX. */
static int cp_numcmp(const char *a, size_t an, const char *b, size_t bn)
{
	static const char lmax[] = "9223372036854775807";
	size_t i = 0, j = 0;
	while (i < an && vv_digit((unsigned char)a[i]))
		i++;
	while (j < bn && vv_digit((unsigned char)b[j]))
		j++;
	if (vv_numcmp(a, i, lmax, sizeof(lmax) - 1) > 0)
		a = lmax, i = sizeof(lmax) - 1;
	if (vv_numcmp(b, j, lmax, sizeof(lmax) - 1) > 0)
		b = lmax, j = sizeof(lmax) - 1;
	return vv_numcmp(a, i, b, j);
}

static int cp_php_cmp(const char *o1, size_t l1, const char *o2, size_t l2)
{
	char b1[CP_CANON_MAX], b2[CP_CANON_MAX];
	const char *v1 = o1, *v2 = o2;
	int compare = 0;

	if (!l1 || !l2)
		return (l1 > 0) - (l2 > 0);
	if (o1[0] != '#')
		l1 = cp_canon(o1, l1, b1), v1 = b1;
	if (o2[0] != '#')
		l2 = cp_canon(o2, l2, b2), v2 = b2;
	size_t p1 = 0, p2 = 0;
	int more1 = 1, more2 = 1; /* n1, n2 != NULL */
	while (p1 < l1 && p2 < l2 && more1 && more2) {
		const char *d1 = memchr(v1 + p1, '.', l1 - p1), *d2 = memchr(v2 + p2, '.', l2 - p2);
		size_t e1 = d1 ? (size_t)(d1 - v1) : l1, e2 = d2 ? (size_t)(d2 - v2) : l2;
		int g1 = vv_digit((unsigned char)v1[p1]), g2 = vv_digit((unsigned char)v2[p2]);
		more1 = d1 != NULL, more2 = d2 != NULL;
		if (g1 && g2)
			compare = cp_numcmp(v1 + p1, e1 - p1, v2 + p2, e2 - p2);
		else if (!g1 && !g2)
			compare = vv_sign(cp_special(v1 + p1, e1 - p1) - cp_special(v2 + p2, e2 - p2));
		else if (g1)
			compare = vv_sign(4 - cp_special(v2 + p2, e2 - p2));
		else
			compare = vv_sign(cp_special(v1 + p1, e1 - p1) - 4);
		if (compare)
			break;
		if (more1)
			p1 = e1 + 1;
		if (more2)
			p2 = e2 + 1;
	}
	if (compare == 0) {
		if (more1) {
			if (p1 < l1 && vv_digit((unsigned char)v1[p1]))
				compare = 1;
			else
				compare = cp_php_cmp(v1 + p1, l1 - p1, "#N#", 3);
		} else if (more2) {
			if (p2 < l2 && vv_digit((unsigned char)v2[p2]))
				compare = -1;
			else
				compare = cp_php_cmp("#N#", 3, v2 + p2, l2 - p2);
		}
	}
	return compare;
}

int cp_php_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	const char *z;
	if (alen > VIGIL_VERSION_MAX_LEN)
		alen = VIGIL_VERSION_MAX_LEN;
	if (blen > VIGIL_VERSION_MAX_LEN)
		blen = VIGIL_VERSION_MAX_LEN;
	/* a C string ends at its first NUL */
	if (alen && (z = memchr(a, '\0', alen)))
		alen = (size_t)(z - a);
	if (blen && (z = memchr(b, '\0', blen)))
		blen = (size_t)(z - b);
	return cp_php_cmp(a, alen, b, blen);
}

