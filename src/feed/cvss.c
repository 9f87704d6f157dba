/* feed/cvss.c: CVSS v3.1, v3.0 and v2.0 base scores from vector strings
 * (see cvss.h). A vector is read as '/'-separated "METRIC:VALUE" pairs
 * checked against a table of the metrics of its version; the base metrics
 * feed the equations of the FIRST.org specifications:
 *   v3: ISS = 1 - (1-C)(1-I)(1-A); Impact = 6.42 ISS (scope unchanged) or
 *       7.52 (ISS-0.029) - 3.25 (ISS-0.02)^15 (changed); Exploitability =
 *       8.22 AV AC PR UI; Base = Roundup(min(Impact + Expl, 10)), times
 *       1.08 inside the min when the scope changed; 0 when Impact <= 0.
 *   v2: Impact = 10.41 (1-(1-C)(1-I)(1-A)); Exploitability = 20 AV AC Au;
 *       Base = round1((0.6 Impact + 0.4 Expl - 1.5) f), f = 0 when Impact
 *       is 0, else 1.176.
 * No libm: the roundings are done on integers. */
#include "feed/cvss.h"
#include "util/error.h"
#include "util/slice.h"

#include <string.h>

struct metric {
	const char *key;
	const char *values; /* allowed values, '|'-separated; the index is what the equations use */
};

/* v3: the eight base metrics first, in the equations' order. */
enum { V3_AV, V3_AC, V3_PR, V3_UI, V3_S, V3_C, V3_I, V3_A, V3_NBASE };
static const struct metric v3_metrics[] = {
	{ "AV", "N|A|L|P" }, { "AC", "L|H" }, { "PR", "N|L|H" }, { "UI", "N|R" },
	{ "S", "U|C" }, { "C", "H|L|N" }, { "I", "H|L|N" }, { "A", "H|L|N" },
	/* temporal */
	{ "E", "X|U|P|F|H" }, { "RL", "X|O|T|W|U" }, { "RC", "X|U|R|C" },
	/* environmental */
	{ "CR", "X|L|M|H" }, { "IR", "X|L|M|H" }, { "AR", "X|L|M|H" },
	{ "MAV", "X|N|A|L|P" }, { "MAC", "X|L|H" }, { "MPR", "X|N|L|H" }, { "MUI", "X|N|R" },
	{ "MS", "X|U|C" }, { "MC", "X|N|L|H" }, { "MI", "X|N|L|H" }, { "MA", "X|N|L|H" },
};

enum { V2_AV, V2_AC, V2_AU, V2_C, V2_I, V2_A, V2_NBASE };
static const struct metric v2_metrics[] = {
	{ "AV", "L|A|N" }, { "AC", "H|M|L" }, { "Au", "M|S|N" },
	{ "C", "N|P|C" }, { "I", "N|P|C" }, { "A", "N|P|C" },
	/* temporal */
	{ "E", "U|POC|F|H|ND" }, { "RL", "OF|TF|W|U|ND" }, { "RC", "UC|UR|C|ND" },
	/* environmental */
	{ "CDP", "N|L|LM|MH|H|ND" }, { "TD", "N|L|M|H|ND" },
	{ "CR", "L|M|H|ND" }, { "IR", "L|M|H|ND" }, { "AR", "L|M|H|ND" },
};

#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

/* Index of v in the '|'-list, or -1. */
static int value_index(const char *list, vigil_slice v)
{
	int idx = 0;
	const char *p = list;
	for (;;) {
		const char *end = strchr(p, '|');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == v.len && memcmp(p, v.ptr, n) == 0)
			return idx;
		if (!end)
			return -1;
		p = end + 1;
		idx++;
	}
}

/* Reads "K:V/K:V..." (body starts at offset off of the whole vector) into
 * vals[] (the value index per metric of tbl, -1 when absent) and checks
 * that the first nbase metrics are all present. */
static int parse_metrics(const char *what, vigil_slice body, size_t off, const struct metric *tbl,
			 size_t n, size_t nbase, int *vals)
{
	vigil_slice rest = body, part, key, val;
	for (size_t i = 0; i < n; i++)
		vals[i] = -1;
	while (rest.len) {
		size_t at = off + (size_t)(rest.ptr - body.ptr);
		vigil_slice_split(rest, '/', &part, &rest);
		if (!vigil_slice_split(part, ':', &key, &val) || key.len == 0 || val.len == 0)
			return vigil_error_set(VIGIL_EFORMAT, "%s vector: \"%.*s\" at offset %zu is not METRIC:VALUE",
					       what, (int)(part.len > 16 ? 16 : part.len), part.ptr, at);
		size_t m = 0;
		while (m < n && !vigil_slice_eq_cstr(key, tbl[m].key))
			m++;
		if (m == n)
			return vigil_error_set(VIGIL_EFORMAT, "%s vector: unknown metric \"%.*s\" at offset %zu",
					       what, (int)(key.len > 16 ? 16 : key.len), key.ptr, at);
		if (vals[m] >= 0)
			return vigil_error_set(VIGIL_EFORMAT, "%s vector: metric %s repeated at offset %zu",
					       what, tbl[m].key, at);
		vals[m] = value_index(tbl[m].values, val);
		if (vals[m] < 0)
			return vigil_error_set(VIGIL_EFORMAT, "%s vector: bad value \"%.*s\" for %s at offset %zu",
					       what, (int)(val.len > 16 ? 16 : val.len), val.ptr, tbl[m].key, at);
		if (rest.len == 0 && part.ptr + part.len < body.ptr + body.len)
			return vigil_error_set(VIGIL_EFORMAT, "%s vector: ends with '/'", what);
	}
	for (size_t i = 0; i < nbase; i++)
		if (vals[i] < 0)
			return vigil_error_set(VIGIL_EFORMAT, "%s vector: base metric %s is missing", what,
					       tbl[i].key);
	return 0;
}

static int check_len(const char *what, const char *vec, size_t len)
{
	if (!vec || len == 0)
		return vigil_error_set(VIGIL_EFORMAT, "%s vector: empty", what);
	if (len > VIGIL_CVSS_MAX_VECTOR)
		return vigil_error_set(VIGIL_ELIMIT, "%s vector: %zu characters (limit %d)", what, len,
				       VIGIL_CVSS_MAX_VECTOR);
	return 0;
}

/* x^15 without libm. */
static double pow15(double x)
{
	double x3 = x * x * x, x5 = x3 * x * x;
	return x5 * x5 * x5;
}

/* CVSS v3.1 Roundup (specification, Appendix A): exact on one decimal. */
static double roundup31(double x)
{
	long long i = (long long)(x * 100000.0 + 0.5);
	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (double)(i / 10000 + 1) / 10.0;
}

/* CVSS v3.0 Roundup: the smallest one-decimal number >= x (ceil(x*10)/10). */
static double roundup30(double x)
{
	double t = x * 10.0;
	long long i = (long long)t;
	if ((double)i < t)
		i++;
	return (double)i / 10.0;
}

int feed_cvss3_base_score(const char *vec, size_t len, double *score, int *version)
{
	static const double av[] = { 0.85, 0.62, 0.55, 0.2 }, ac[] = { 0.77, 0.44 },
			    pr_u[] = { 0.85, 0.62, 0.27 }, pr_c[] = { 0.85, 0.68, 0.5 },
			    ui[] = { 0.85, 0.62 }, cia[] = { 0.56, 0.22, 0.0 };
	int vals[COUNT(v3_metrics)], rc, minor;
	vigil_slice v = vigil_slice_make(vec, len);
	if ((rc = check_len("CVSS v3", vec, len)) < 0)
		return rc;
	if (vigil_slice_starts_with(v, "CVSS:3.1/"))
		minor = 1;
	else if (vigil_slice_starts_with(v, "CVSS:3.0/"))
		minor = 0;
	else
		return vigil_error_set(VIGIL_EFORMAT, "CVSS v3 vector: does not start with CVSS:3.0/ or CVSS:3.1/");
	rc = parse_metrics("CVSS v3", vigil_slice_sub(v, 9, len), 9, v3_metrics, COUNT(v3_metrics),
			   V3_NBASE, vals);
	if (rc < 0)
		return rc;
	int changed = vals[V3_S] == 1;
	double iss = 1.0 - (1.0 - cia[vals[V3_C]]) * (1.0 - cia[vals[V3_I]]) * (1.0 - cia[vals[V3_A]]);
	double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow15(iss - 0.02) : 6.42 * iss;
	double expl = 8.22 * av[vals[V3_AV]] * ac[vals[V3_AC]] *
		      (changed ? pr_c : pr_u)[vals[V3_PR]] * ui[vals[V3_UI]];
	double base = 0.0;
	if (impact > 0) {
		double sum = changed ? 1.08 * (impact + expl) : impact + expl;
		if (sum > 10.0)
			sum = 10.0;
		base = minor ? roundup31(sum) : roundup30(sum);
	}
	*score = base;
	if (version)
		*version = minor ? VIGIL_CVSS_V31 : VIGIL_CVSS_V30;
	return 0;
}

int feed_cvss2_base_score(const char *vec, size_t len, double *score)
{
	static const double av[] = { 0.395, 0.646, 1.0 }, ac[] = { 0.35, 0.61, 0.71 },
			    au[] = { 0.45, 0.56, 0.704 }, cia[] = { 0.0, 0.275, 0.660 };
	int vals[COUNT(v2_metrics)], rc;
	size_t off = 0;
	if ((rc = check_len("CVSS v2", vec, len)) < 0)
		return rc;
	if (vec[0] == '(') {
		if (len < 2 || vec[len - 1] != ')')
			return vigil_error_set(VIGIL_EFORMAT, "CVSS v2 vector: unbalanced parenthesis");
		off = 1;
		len -= 1;
	}
	rc = parse_metrics("CVSS v2", vigil_slice_make(vec + off, len - off), off, v2_metrics,
			   COUNT(v2_metrics), V2_NBASE, vals);
	if (rc < 0)
		return rc;
	double impact = 10.41 * (1.0 - (1.0 - cia[vals[V2_C]]) * (1.0 - cia[vals[V2_I]]) *
					       (1.0 - cia[vals[V2_A]]));
	double expl = 20.0 * av[vals[V2_AV]] * ac[vals[V2_AC]] * au[vals[V2_AU]];
	double base = impact == 0.0 ? 0.0 : (0.6 * impact + 0.4 * expl - 1.5) * 1.176;
	if (base < 0)
		base = 0;
	*score = (double)(long long)(base * 10.0 + 0.5) / 10.0;
	return 0;
}

int feed_cvss_base_score(const char *vec, size_t len, double *score, int *version)
{
	if (vec && vigil_slice_starts_with(vigil_slice_make(vec, len), "CVSS:3."))
		return feed_cvss3_base_score(vec, len, score, version);
	int rc = feed_cvss2_base_score(vec, len, score);
	if (rc == 0 && version)
		*version = VIGIL_CVSS_V2;
	return rc;
}

vigil_severity feed_cvss2_severity(double score)
{
	/* the v3 scale, but CVSS v2 has no Critical: 7.0 to 10.0 is High */
	vigil_severity s = vigil_severity_from_cvss(score);
	return s == VIGIL_SEV_CRITICAL ? VIGIL_SEV_HIGH : s;
}
