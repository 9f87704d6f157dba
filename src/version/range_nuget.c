/* version/range_nuget.c: NuGet version ranges as VersionRange.Parse and
 * Satisfies read them: "[a,b]" inclusive, "(a,b)" exclusive (mixed
 * allowed), an empty side unbounded ("(,2.0]", "[1.0,)"), "[a]" exactly a,
 * a bare "a" is ">= a"; floating "*", "1.*", "1.2.*" give their lowest
 * version as an inclusive minimum (Satisfies ignores the float itself).
 * Invalid: more than two parts, both sides empty, min above max, an empty
 * interval "(a,a)", prerelease floats ("1.0-*": unsupported, an error). */
#include "vigil/version.h"
#include "version/internal.h"
#include "version/nuget.h"
#include "version/range.h"
#include "util/error.h"

#include <string.h>

static int nr_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && (s[i] < '\t' || s[i] > '\r'))
			return 0;
	return 1;
}

static int nr_bad(const char *c, size_t clen, const char *why)
{
	return vigil_error_set(VIGIL_EFORMAT, "invalid nuget range \"%.*s\": %s", (int)clen, c, why);
}

/* A bound: a version, or a float ("*", "1.*", "1.2.*") read as its
 * lowest version (the '*' as 0). */
static int nr_bound(const char *s, size_t n, int allow_float, char *buf, size_t cap, nuv *o)
{
	while (n && nr_blank(s, 1))
		s++, n--;
	while (n && nr_blank(s + n - 1, 1))
		n--;
	const char *star = n ? memchr(s, '*', n) : NULL;
	if (!star)
		return nu_parse(s, n, o);
	if (!allow_float || n >= cap || star != s + n - 1 || (n > 1 && s[n - 2] != '.') ||
	    memchr(s, '-', n) || memchr(s, '+', n))
		return 0;
	memcpy(buf, s, n);
	buf[n - 1] = '0';
	return nu_parse(buf, n, o);
}

int vr_nuget_satisfies(const char *c, size_t clen, const char *v, size_t vlen, int *result)
{
	nuv ver, lo, hi;
	char lbuf[VIGIL_VERSION_MAX_LEN + 1], hbuf[VIGIL_VERSION_MAX_LEN + 1];
	int has_lo = 0, has_hi = 0, lo_inc = 1, hi_inc = 0;
	size_t a = 0, b = clen;

	*result = 0;
	if (clen > VIGIL_VERSION_CONSTRAINT_MAX_LEN)
		return vigil_error_set(VIGIL_ELIMIT, "nuget range of %zu bytes (limit %d)", clen,
				       VIGIL_VERSION_CONSTRAINT_MAX_LEN);
	if (!nu_parse(v, vlen, &ver))
		return vigil_error_set(VIGIL_EFORMAT, "invalid nuget version \"%.*s\"",
				       (int)(vlen > 128 ? 128 : vlen), v);
	while (a < b && nr_blank(c + a, 1))
		a++;
	while (b > a && nr_blank(c + b - 1, 1))
		b--;
	if (a == b)
		return nr_bad(c, clen, "empty");
	if (c[a] == '[' || c[a] == '(') {
		if (b - a < 2 || (c[b - 1] != ']' && c[b - 1] != ')'))
			return nr_bad(c, clen, "no closing ] or )");
		lo_inc = c[a] == '[', hi_inc = c[b - 1] == ']';
		const char *in = c + a + 1;
		size_t n = b - a - 2;
		const char *comma = memchr(in, ',', n);
		size_t ln = comma ? (size_t)(comma - in) : n;
		const char *hs = comma ? comma + 1 : in;
		size_t hn = comma ? n - ln - 1 : n;
		if (comma && memchr(hs, ',', hn))
			return nr_bad(c, clen, "more than two parts");
		if (ln == 0 && (!comma || hn == 0))
			return nr_bad(c, clen, "no bound");
		if (!nr_blank(in, ln)) {
			if (!nr_bound(in, ln, 1, lbuf, sizeof(lbuf), &lo))
				return nr_bad(c, clen, "bad minimum version");
			has_lo = 1;
		}
		if (!nr_blank(hs, hn)) {
			if (!nr_bound(hs, hn, 0, hbuf, sizeof(hbuf), &hi))
				return nr_bad(c, clen, "bad maximum version");
			has_hi = 1;
		}
		if (!has_lo && !has_hi)
			return nr_bad(c, clen, "no bound");
		if (has_lo && has_hi) {
			int r = nu_cmp(&lo, &hi);
			if (r > 0 || (r == 0 && (!lo_inc || !hi_inc)))
				return nr_bad(c, clen, "empty interval");
		}
	} else {
		if (!nr_bound(c + a, b - a, 1, lbuf, sizeof(lbuf), &lo))
			return nr_bad(c, clen, "not a version");
		has_lo = 1;
	}
	int ok = 1;
	if (has_lo)
		ok = lo_inc ? nu_cmp(&lo, &ver) <= 0 : nu_cmp(&lo, &ver) < 0;
	if (has_hi)
		ok &= hi_inc ? nu_cmp(&hi, &ver) >= 0 : nu_cmp(&hi, &ver) > 0;
	*result = ok;
	return 0;
}
