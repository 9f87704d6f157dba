/* feed/lang_ranges.c: the version constraints of RubySec, FriendsOfPHP and
 * the Node.js security WG turned into OSV ranges, so that the matcher
 * evaluates every language record one way (introduced / fixed /
 * last_affected events, match/eval.c).
 *
 * A constraint narrows an interval [lo, hi] (each bound inclusive or not,
 * NULL = unbounded). "~>" (RubyGems), "~" and "^" (npm) expand to a lower
 * and an upper bound. An interval becomes one range; RubySec's "affected
 * when no safe requirement holds" becomes the complement of the union of
 * the safe intervals, which needs the ecosystem's order to merge them
 * (feed_lang_cmp). OSV has no exclusive "introduced": an exclusive lower
 * bound (npm "> 1.2", a RubySec "<= X" safe bound) is written inclusive,
 * so the bound itself is reported too (docs/feeds-lang.md). */
#include "feed/lang_ranges.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

bool feed_constraint_next(vigil_slice *s, char stop, feed_op *op, vigil_slice *ver)
{
	size_t i = 0, n = s->len;
	const char *p = s->ptr;
	while (i < n && blank(p[i]))
		i++;
	if (i + 1 < n && p[i] == '~' && p[i + 1] == '>')
		*op = FEED_OP_PESSIMISTIC, i += 2;
	else if (i + 1 < n && p[i] == '>' && p[i + 1] == '=')
		*op = FEED_OP_GE, i += 2;
	else if (i + 1 < n && p[i] == '<' && p[i + 1] == '=')
		*op = FEED_OP_LE, i += 2;
	else if (i + 1 < n && p[i] == '!' && p[i + 1] == '=')
		*op = FEED_OP_NE, i += 2;
	else if (i < n && p[i] == '>')
		*op = FEED_OP_GT, i++;
	else if (i < n && p[i] == '<')
		*op = FEED_OP_LT, i++;
	else if (i < n && p[i] == '~')
		*op = FEED_OP_TILDE, i++;
	else if (i < n && p[i] == '^')
		*op = FEED_OP_CARET, i++;
	else if (i < n && p[i] == '=')
		*op = FEED_OP_EQ, i += 1 + (i + 1 < n && p[i + 1] == '=');
	else
		*op = FEED_OP_EQ;
	while (i < n && blank(p[i]))
		i++;
	size_t start = i;
	while (i < n && !blank(p[i]) && p[i] != stop)
		i++;
	*ver = vigil_slice_make(p + start, i - start);
	while (i < n && blank(p[i]))
		i++;
	*s = vigil_slice_sub(*s, i, n);
	if (ver->len == 1 && (ver->ptr[0] == '*' || ver->ptr[0] == 'x' || ver->ptr[0] == 'X') && *op == FEED_OP_EQ)
		*op = FEED_OP_ANY;
	return ver->len > 0 && ver->len <= VIGIL_FEED_MAX_STRING;
}

/* Numeric dot-separated parts of v before the first non-numeric part
 * ("1.2.x" -> 2, "2.2.14" -> 3, "1.0.0.rc1" -> 3), each at most 18 digits. */
static size_t numeric_parts(vigil_slice v, unsigned long long *parts, size_t max)
{
	size_t n = 0, i = 0;
	if (v.len && (v.ptr[0] == 'v' || v.ptr[0] == 'V'))
		i++;
	while (i < v.len && n < max) {
		unsigned long long x = 0;
		size_t d = 0;
		while (i < v.len && v.ptr[i] >= '0' && v.ptr[i] <= '9' && d < 18)
			x = x * 10 + (unsigned long long)(v.ptr[i++] - '0'), d++;
		if (d == 0 || (i < v.len && v.ptr[i] != '.'))
			break;
		parts[n++] = x;
		i++;
	}
	return n;
}

/* parts[0..keep) with the last one incremented ("2.2.14", keep 2 -> "2.3"),
 * then ".0" up to width parts (npm: "0.3.0"). */
static const char *bumped_to(vigil_feed_ctx *ctx, const unsigned long long *parts, size_t keep, size_t width)
{
	char buf[128];
	size_t off = 0;
	for (size_t i = 0; i < keep || i < width; i++) {
		int w = snprintf(buf + off, sizeof(buf) - off, "%s%llu", i ? "." : "",
				 i < keep ? parts[i] + (i + 1 == keep) : 0);
		if (w < 0 || (size_t)w >= sizeof(buf) - off)
			return NULL;
		off += (size_t)w;
	}
	return feed_str(ctx, buf, off);
}

static const char *bumped(vigil_feed_ctx *ctx, const unsigned long long *parts, size_t keep)
{
	return bumped_to(ctx, parts, keep, 0);
}

bool feed_npm_partial(vigil_feed_ctx *ctx, feed_op *op, vigil_slice *ver)
{
	unsigned long long parts[3];
	char buf[96];
	size_t np = numeric_parts(*ver, parts, 3), digits = 0;
	int w;
	for (size_t i = 0; i < ver->len; i++)
		digits += (ver->ptr[i] >= '0' && ver->ptr[i] <= '9') || ver->ptr[i] == '.' ||
			  (i == 0 && (ver->ptr[i] == 'v' || ver->ptr[i] == 'V'));
	if (np == 0 || np >= 3 || digits != ver->len)
		return true; /* a full version, or one the comparator judges as written */
	if (*op == FEED_OP_LE || *op == FEED_OP_GT) { /* <=1.2: <1.3.0; >1.2: >=1.3.0 */
		const char *b = bumped(ctx, parts, np);
		if (!b)
			return false;
		w = snprintf(buf, sizeof(buf), "%s%s", b, np == 1 ? ".0.0" : ".0");
		*op = *op == FEED_OP_LE ? FEED_OP_LT : FEED_OP_GE;
	} else if (*op == FEED_OP_EQ) { /* 1.2 is 1.2.x */
		w = snprintf(buf, sizeof(buf), "%.*s.x", (int)ver->len, ver->ptr);
	} else {
		w = snprintf(buf, sizeof(buf), "%.*s%s", (int)ver->len, ver->ptr, np == 1 ? ".0.0" : ".0");
	}
	const char *v = w > 0 && (size_t)w < sizeof(buf) ? feed_str(ctx, buf, (size_t)w) : NULL;
	if (!v)
		return false;
	*ver = vigil_slice_cstr(v);
	return true;
}

static void tighten(feed_lang_cmp_fn cmp, feed_bound *b, const char *v, bool incl, int dir)
{
	if (b->v) {
		int c = cmp(v, strlen(v), b->v, strlen(b->v));
		if (c * dir < 0 || (c == 0 && (incl || !b->incl)))
			return; /* the bound already there is as tight */
	}
	b->v = v;
	b->incl = incl;
}

bool feed_ival_apply(vigil_feed_ctx *ctx, feed_lang_cmp_fn cmp, feed_ival *iv, feed_op op, vigil_slice ver)
{
	unsigned long long parts[8];
	size_t np;
	const char *v, *up = NULL;
	if (op == FEED_OP_ANY)
		return true;
	if (op == FEED_OP_NE || !(v = feed_str(ctx, ver.ptr, ver.len)))
		return false;
	switch (op) {
	case FEED_OP_GE: tighten(cmp, &iv->lo, v, true, 1); return true;
	case FEED_OP_GT: tighten(cmp, &iv->lo, v, false, 1); return true;
	case FEED_OP_LE: tighten(cmp, &iv->hi, v, true, -1); return true;
	case FEED_OP_LT: tighten(cmp, &iv->hi, v, false, -1); return true;
	default: break;
	}
	np = numeric_parts(ver, parts, 8);
	if (op == FEED_OP_EQ && np > 0 && np < 3 && (ver.ptr[ver.len - 1] == 'x' || ver.ptr[ver.len - 1] == '*' ||
						     ver.ptr[ver.len - 1] == 'X')) {
		/* npm x-range "1.2.x": >= 1.2.0, < 1.3.0 */
		char lo[96];
		int w = np == 1 ? snprintf(lo, sizeof(lo), "%llu.0.0", parts[0])
				: snprintf(lo, sizeof(lo), "%llu.%llu.0", parts[0], parts[1]);
		const char *l = w > 0 && (size_t)w < sizeof(lo) ? feed_str(ctx, lo, (size_t)w) : NULL;
		if (!l || !(up = bumped_to(ctx, parts, np, 3)))
			return false;
		tighten(cmp, &iv->lo, l, true, 1);
		tighten(cmp, &iv->hi, up, false, -1);
		return true;
	}
	if (op == FEED_OP_EQ) {
		tighten(cmp, &iv->lo, v, true, 1);
		tighten(cmp, &iv->hi, v, true, -1);
		return true;
	}
	if (np == 0)
		return false;
	if (op == FEED_OP_PESSIMISTIC) /* Gem::Version#bump: drop the last part, raise the one before */
		up = bumped(ctx, parts, np > 1 ? np - 1 : 1);
	else if (op == FEED_OP_TILDE) /* ~1.2.3: < 1.3.0; ~1: < 2 */
		up = bumped_to(ctx, parts, np > 1 ? 2 : 1, 3);
	else if (op == FEED_OP_CARET) { /* ^1.2.3: < 2; ^0.2.3: < 0.3; ^0.0.3: < 0.0.4 */
		size_t k = 0;
		while (k + 1 < np && parts[k] == 0)
			k++;
		up = bumped_to(ctx, parts, k + 1, 3);
	}
	if (!up)
		return false;
	tighten(cmp, &iv->lo, v, true, 1);
	tighten(cmp, &iv->hi, up, false, -1);
	return true;
}

static int make_events(vigil_feed_ctx *ctx, size_t n, vigil_range_event **out)
{
	*out = vigil_arena_calloc(ctx->arena, n ? n : 1, sizeof(**out));
	return *out ? 0 : vigil_error_code();
}

int feed_range_of_ival(vigil_feed_ctx *ctx, const feed_ival *iv, vigil_range *out)
{
	vigil_range_event *ev;
	int rc;
	memset(out, 0, sizeof(*out));
	if (iv->lo.v && iv->hi.v && iv->lo.incl && iv->hi.incl && !strcmp(iv->lo.v, iv->hi.v)) {
		if ((rc = make_events(ctx, 1, &ev)) < 0)
			return rc;
		ev[0] = (vigil_range_event){ VIGIL_EVENT_INTRODUCED, iv->lo.v };
		*out = (vigil_range){ "VERSIONS", ev, 1 };
		return 0;
	}
	if ((rc = make_events(ctx, 2, &ev)) < 0)
		return rc;
	ev[0] = (vigil_range_event){ VIGIL_EVENT_INTRODUCED, iv->lo.v ? iv->lo.v : "0" };
	size_t n = 1;
	if (iv->hi.v)
		ev[n++] = (vigil_range_event){ iv->hi.incl ? VIGIL_EVENT_LAST_AFFECTED : VIGIL_EVENT_FIXED, iv->hi.v };
	*out = (vigil_range){ "ECOSYSTEM", ev, n };
	return 0;
}

/* Order of lower bounds: unbounded first, then by version, inclusive first. */
static int lo_cmp(feed_lang_cmp_fn cmp, const feed_ival *x, const feed_ival *y)
{
	if (!x->lo.v || !y->lo.v)
		return (x->lo.v != NULL) - (y->lo.v != NULL);
	int c = cmp(x->lo.v, strlen(x->lo.v), y->lo.v, strlen(y->lo.v));
	return c ? c : (int)y->lo.incl - (int)x->lo.incl;
}

/* -1/0/1: hi bound a against lower bound b (may they touch?) */
static int hi_lo(feed_lang_cmp_fn cmp, const feed_bound *hi, const feed_bound *lo)
{
	if (!hi->v || !lo->v)
		return 1;
	return cmp(hi->v, strlen(hi->v), lo->v, strlen(lo->v));
}

int feed_range_complement(vigil_feed_ctx *ctx, feed_lang_cmp_fn cmp, feed_ival *safe, size_t n,
			  vigil_range *out)
{
	vigil_range_event *ev;
	size_t m = 0, k = 0;
	int rc;
	for (size_t i = 1; i < n; i++) { /* insertion sort: a handful of requirements */
		feed_ival x = safe[i];
		size_t j = i;
		for (; j > 0 && lo_cmp(cmp, &safe[j - 1], &x) > 0; j--)
			safe[j] = safe[j - 1];
		safe[j] = x;
	}
	for (size_t i = 0; i < n; i++) { /* merge in place: safe[0..m) */
		feed_ival *last = m ? &safe[m - 1] : NULL;
		int c = last ? hi_lo(cmp, &last->hi, &safe[i].lo) : -1;
		if (last && (c > 0 || (c == 0 && (last->hi.incl || safe[i].lo.incl)))) {
			if (last->hi.v && (!safe[i].hi.v || hi_lo(cmp, &safe[i].hi, &(feed_bound){ last->hi.v, 1 }) > 0))
				last->hi = safe[i].hi;
		} else {
			safe[m++] = safe[i];
		}
	}
	if ((rc = make_events(ctx, 2 * m + 2, &ev)) < 0)
		return rc;
	if (m == 0 || safe[0].lo.v)
		ev[k++] = (vigil_range_event){ VIGIL_EVENT_INTRODUCED, "0" };
	for (size_t i = 0; i < m; i++) {
		if (safe[i].lo.v)
			ev[k++] = (vigil_range_event){ safe[i].lo.incl ? VIGIL_EVENT_FIXED : VIGIL_EVENT_LAST_AFFECTED,
						       safe[i].lo.v };
		if (!safe[i].hi.v)
			break;
		ev[k++] = (vigil_range_event){ VIGIL_EVENT_INTRODUCED, safe[i].hi.v };
	}
	*out = (vigil_range){ "ECOSYSTEM", ev, k };
	return 0;
}

void feed_lang_state(vigil_affected *af)
{
	size_t fixed = 0, other = 0;
	const char *last_fixed = NULL;
	for (size_t r = 0; r < af->nranges; r++)
		for (size_t i = 0; i < af->ranges[r].nevents; i++) {
			const vigil_range_event *e = &af->ranges[r].events[i];
			if (e->kind == VIGIL_EVENT_FIXED)
				fixed++, last_fixed = e->version;
			else if (e->kind != VIGIL_EVENT_INTRODUCED || strcmp(af->ranges[r].type, "ECOSYSTEM") != 0)
				other++;
		}
	af->fixed = NULL;
	if (fixed == 1) {
		af->state = VIGIL_STATE_FIXED;
		af->fixed = last_fixed;
	} else if (fixed == 0 && other == 0 && af->nranges) {
		af->state = VIGIL_STATE_NOT_FIXED;
	} else {
		af->state = VIGIL_STATE_AFFECTED;
	}
}

int feed_lang_emit(vigil_feed_ctx *ctx, vigil_vuln *v, vigil_affected *af, const feed_lang_eco *eco,
		   const char *package)
{
	af->namespace = eco->ns;
	af->scheme = eco->scheme;
	if (!(af->package = feed_cstr(ctx, package)))
		return vigil_error_code();
	feed_lang_state(af);
	v->affected = af;
	v->naffected = 1;
	int rc = ctx->emit(ctx->emit_ud, v);
	return rc < 0 ? rc : 0;
}

