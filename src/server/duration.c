/* server/duration.c: Go's time.ParseDuration syntax, as Clair's config
 * writes durations (matcher.period: "30m", "6h", "1h30m"): a sum of
 * [digits][.digits]unit terms, units h, m, s, ms, us (or µs), ns. Summed in
 * nanoseconds in int64 with every step checked against the caller's cap
 * (so no overflow), then truncated to whole seconds. A sign other than a
 * leading "+" is refused (a period is never negative). */
#include "server/server.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* The units of Go's time.ParseDuration in nanoseconds. */
static const struct {
	const char *unit;
	int64_t ns;
} go_units[] = { { "ns", 1 }, { "us", 1000 }, { "\xc2\xb5s", 1000 }, { "\xce\xbcs", 1000 },
		 { "ms", 1000000 }, { "s", 1000000000 }, { "m", 60000000000LL }, { "h", 3600000000000LL } };

/* Go's time.ParseDuration ("30m", "6h", "1h30m", "1.5h", "90s", "0"):
 * [+]digits[.digits]unit, repeated; the sum in whole seconds into *out.
 * No sign but +, and at most max_s seconds. */
int srv_go_duration(const char *s, long max_s, long *out)
{
	int64_t total = 0, cap = (int64_t)max_s * 1000000000LL;
	if (*s == '+')
		s++;
	if (!strcmp(s, "0")) {
		*out = 0;
		return 0;
	}
	if (!*s)
		return -1;
	while (*s) {
		int64_t whole = 0, frac = 0, scale = 1, ns = 0;
		bool digits = false;
		size_t k, u = sizeof(go_units) / sizeof(go_units[0]);
		for (; *s >= '0' && *s <= '9'; s++, digits = true)
			if ((whole = whole * 10 + (*s - '0')) > cap)
				return -1;
		if (*s == '.')
			for (s++; *s >= '0' && *s <= '9'; s++, digits = true)
				if (scale < 1000000000000LL) {
					frac = frac * 10 + (*s - '0');
					scale *= 10;
				}
		if (!digits)
			return -1;
		/* the first that matches: "ms" is before "m" */
		for (k = 0; k < u; k++)
			if (!strncmp(s, go_units[k].unit, strlen(go_units[k].unit)))
				break;
		if (k == u)
			return -1;
		s += strlen(go_units[k].unit);
		if (whole > cap / go_units[k].ns)
			return -1;
		ns = whole * go_units[k].ns + (int64_t)((double)frac * (double)go_units[k].ns / (double)scale);
		if ((total += ns) > cap)
			return -1;
	}
	*out = (long)(total / 1000000000LL);
	return 0;
}
