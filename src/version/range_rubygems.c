/* version/range_rubygems.c: Gem::Requirement (rubygems/rubygems
 * lib/rubygems/requirement.rb): requirements joined with "," all hold;
 * each is \s*(=|!=|>|<|>=|<=|~>)?\s*VERSION\s* (no operator: "="). "~> r"
 * is "v >= r && v.release < r.bump": release drops everything from the
 * first letter segment on (1.0.0.rc2 -> 1.0.0), bump drops the letter
 * segments and the last number, then adds one to the new last (1.4.4 ->
 * 1.5, 5.a -> 6). This is what bundler-audit does with rubysec's
 * patched_versions ("~> 1.2.3", ">= 2.0, < 2.1"). Limits: the
 * constraint length and VIGIL_VERSION_MAX_CLAUSES requirements. */
#include "vigil/version.h"
#include "version/gem.h"
#include "version/internal.h"
#include "version/range.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

enum { GOP_EQ, GOP_NE, GOP_GT, GOP_LT, GOP_GE, GOP_LE, GOP_PESS };

static int gr_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* The numeric segments before the first letter of g, joined with "."
 * (numbers without leading zeros); bump: Gem::Version#bump's change. */
static size_t gr_prefix(const gemv *g, int bump, char *out, size_t cap)
{
	const char *s = g->str;
	size_t n = g->slen, o = 0, starts[GEM_MAX_SEGS];
	int k = 0;

	for (size_t i = 0; i < n && !vv_alpha((unsigned char)s[i]);) {
		if (!vv_digit((unsigned char)s[i])) {
			i++;
			continue;
		}
		size_t st = i;
		while (i < n && vv_digit((unsigned char)s[i]))
			i++;
		while (st + 1 < i && s[st] == '0')
			st++;
		if (k == GEM_MAX_SEGS || o + (i - st) + 2 >= cap)
			return 0;
		if (k)
			out[o++] = '.';
		starts[k++] = o;
		memcpy(out + o, s + st, i - st);
		o += i - st;
	}
	if (!bump || k == 0)
		return o;
	if (k > 1)
		o = starts[--k] - 1; /* drop the last number and its dot */
	size_t first = starts[k - 1], i = o;
	while (i > first && out[i - 1] == '9')
		out[--i] = '0';
	if (i > first) {
		out[i - 1]++;
	} else {
		if (o + 1 >= cap)
			return 0;
		memmove(out + first + 1, out + first, o - first);
		out[first] = '1';
		o++;
	}
	return o;
}

/* One requirement s[0..n) against the parsed version v. */
static int gr_one(const char *s, size_t n, const gemv *v, const char *all, size_t alen, int *ok)
{
	size_t i = 0, e = n;
	int op = GOP_EQ, rc = 0;
	gemv *r = NULL, *x = NULL;
	char buf[GEM_BUF];

	while (i < e && gr_space((unsigned char)s[i]))
		i++;
	while (e > i && gr_space((unsigned char)s[e - 1]))
		e--;
	static const struct { const char *t; int op; } ops[] = {
		{ "!=", GOP_NE }, { ">=", GOP_GE }, { "<=", GOP_LE }, { "~>", GOP_PESS },
		{ "=", GOP_EQ },  { ">", GOP_GT },  { "<", GOP_LT },
	};
	for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
		size_t l = strlen(ops[k].t);
		if (e - i >= l && !memcmp(s + i, ops[k].t, l)) {
			op = ops[k].op, i += l;
			break;
		}
	}
	while (i < e && gr_space((unsigned char)s[i]))
		i++;
	if (!(r = malloc(sizeof(*r))) || !(x = malloc(sizeof(*x)))) {
		rc = vigil_error_set(VIGIL_ENOMEM, "rubygems requirement: out of memory");
		goto out;
	}
	if (!gem_pattern_full(s + i, e - i) || !gem_parse(s + i, e - i, r)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "illformed rubygems requirement \"%.*s\" in \"%.*s\"",
				     (int)n, s, (int)alen, all);
		goto out;
	}
	int c = gem_cmp(v, r);
	switch (op) {
	case GOP_EQ: *ok = c == 0; break;
	case GOP_NE: *ok = c != 0; break;
	case GOP_GT: *ok = c > 0; break;
	case GOP_LT: *ok = c < 0; break;
	case GOP_GE: *ok = c >= 0; break;
	case GOP_LE: *ok = c <= 0; break;
	default:
		*ok = 0;
		if (c < 0)
			break;
		/* v.release < r.bump */
		size_t bl = gr_prefix(r, 1, buf, sizeof(buf));
		if (!bl || !gem_parse(buf, bl, r))
			goto limit;
		if (v->prerelease) {
			size_t rl = gr_prefix(v, 0, buf, sizeof(buf));
			if (!rl || !gem_parse(buf, rl, x))
				goto limit;
			*ok = gem_cmp(x, r) < 0;
		} else {
			*ok = gem_cmp(v, r) < 0;
		}
	}
	goto out;
limit:
	rc = vigil_error_set(VIGIL_ELIMIT, "rubygems requirement \"%.*s\": version too long", (int)n, s);
out:
	free(r);
	free(x);
	return rc;
}

int vr_rubygems_satisfies(const char *c, size_t clen, const char *v, size_t vlen, int *result)
{
	gemv *ver = NULL;
	int rc = 0, n = 0;

	*result = 0;
	if (clen > VIGIL_VERSION_CONSTRAINT_MAX_LEN)
		return vigil_error_set(VIGIL_ELIMIT, "rubygems requirement of %zu bytes (limit %d)", clen,
				       VIGIL_VERSION_CONSTRAINT_MAX_LEN);
	if (!(ver = malloc(sizeof(*ver))))
		return vigil_error_set(VIGIL_ENOMEM, "rubygems requirement: out of memory");
	if (!gem_parse(v, vlen, ver)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "invalid rubygems version \"%.*s\"",
				     (int)(vlen > 128 ? 128 : vlen), v);
		goto out;
	}
	int all = 1;
	for (size_t i = 0; i <= clen;) {
		size_t e = i;
		while (e < clen && c[e] != ',')
			e++;
		if (++n > VIGIL_VERSION_MAX_CLAUSES) {
			rc = vigil_error_set(VIGIL_ELIMIT, "rubygems requirement with more than %d parts",
					     VIGIL_VERSION_MAX_CLAUSES);
			goto out;
		}
		int ok = 0;
		if ((rc = gr_one(c + i, e - i, ver, c, clen, &ok)) < 0)
			goto out;
		all &= ok;
		i = e + 1;
	}
	*result = all;
out:
	free(ver);
	return rc;
}
