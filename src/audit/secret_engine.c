/* audit/secret_engine.c: finding the rules' matches in a file's bytes.
 *
 * Two steps (docs/audit.md (Secrets), "Engine"):
 * 1. A prefilter says where a rule may match: where one of its keywords
 *    (caseless) is. With Hyperscan (x86-64 Debian: libhyperscan) every
 *    keyword is a literal of one database (secret_scanner.c; a rule with
 *    no keywords is represented by its own regex in prefilter mode) and
 *    one pass reports them all. Without Hyperscan (or with
 *    VIGIL_SECRET_ENGINE=pcre2) the keywords are chained by their first
 *    two bytes and found in one pass too.
 * 2. PCRE2 (JIT) runs each rule only over windows around its hits: the
 *    hit's line with the line before and after (at most SECRET_LINE_WINDOW
 *    bytes either side), SECRET_MULTILINE_SPAN either side for multiline
 *    rules; overlapping windows are merged, the subject is the whole
 *    buffer so look-behinds see past a window's start. A rule with no
 *    keywords and no Hyperscan pattern runs over the whole file.
 * Then the secret group is checked against the rule's entropy and allow
 * regexes, and a generic rule's match is dropped when a specific rule
 * matched the same bytes. */
#define _GNU_SOURCE /* memrchr */
#include "audit/secret_engine.h"

#include "util/error.h"
#include "util/grow.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double secret_entropy(const uint8_t *p, size_t n)
{
	size_t c[256] = { 0 };
	double e = 0;
	for (size_t i = 0; i < n; i++)
		c[p[i]]++;
	for (int i = 0; i < 256 && n; i++)
		if (c[i]) {
			double f = (double)c[i] / (double)n;
			e -= f * log2(f);
		}
	return e;
}

/* ---- windows ---- */

static size_t line_start(const uint8_t *b, size_t lo, size_t at)
{
	const uint8_t *p = at > lo ? memrchr(b + lo, '\n', at - lo) : NULL;
	return p ? (size_t)(p - b) + 1 : lo;
}

static size_t line_end(const uint8_t *b, size_t at, size_t hi)
{
	const uint8_t *p = at < hi ? memchr(b + at, '\n', hi - at) : NULL;
	return p ? (size_t)(p - b) : hi;
}

static int add_window(secret_scanner *sc, struct rstate *st, size_t off)
{
	const uint8_t *b = sc->buf;
	size_t n = sc->len, lo, hi, last;
	struct win *w = st->nw ? &st->w[st->nw - 1] : NULL;
	if (off > n)
		off = n;
	if (w && off < w->last_line && off >= w->lo)
		return 0; /* the window already covers this line and the next */
	if (st->r->multiline) {
		lo = off > SECRET_MULTILINE_SPAN ? off - SECRET_MULTILINE_SPAN : 0;
		hi = n - off > SECRET_MULTILINE_SPAN ? off + SECRET_MULTILINE_SPAN : n;
		last = hi;
	} else {
		size_t cl = off > SECRET_LINE_WINDOW ? off - SECRET_LINE_WINDOW : 0;
		size_t ch = n - off > SECRET_LINE_WINDOW ? off + SECRET_LINE_WINDOW : n;
		size_t ls = line_start(b, cl, off);
		lo = line_start(b, cl, ls ? ls - 1 : 0);
		size_t le = line_end(b, off, ch);
		last = le < ch ? le + 1 : ch;
		hi = line_end(b, last, ch);
	}
	if (w && lo <= w->hi) {
		if (lo < w->lo)
			w->lo = lo;
		if (hi > w->hi) {
			w->hi = hi;
			w->last_line = last;
		}
		return 0;
	}
	if (vigil_grow((void **)&st->w, &st->capw, st->nw, sizeof(*st->w), 16, SECRET_MAX_HITS) < 0)
		return vigil_error_oom();
	st->w[st->nw++] = (struct win){ lo, hi, last };
	return 0;
}

/* ---- confirming with PCRE2 ---- */

/* The rule's allow expressions, then the global allow rules' regexes. */
static bool allowed(const secret_ruleset *rs, const secret_rule *r, const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < r->nallow; i++)
		if (secret_re_hit(r->allow_re[i], (const char *)s, n))
			return true;
	for (size_t i = 0; i < rs->nallow; i++)
		if (!rs->allow[i].disabled && rs->allow[i].regex_re &&
		    secret_re_hit(rs->allow[i].regex_re, (const char *)s, n))
			return true;
	return false;
}

static int keep(secret_scanner *sc, const struct rstate *st, PCRE2_SIZE *ov)
{
	const secret_rule *r = st->r;
	size_t s = ov[0], e = ov[1];
	if (r->group_no && ov[2 * r->group_no] != PCRE2_UNSET) {
		s = ov[2 * r->group_no];
		e = ov[2 * r->group_no + 1];
	}
	if (e <= s)
		return 0;
	if (r->entropy > 0 && secret_entropy(sc->buf + s, e - s) < r->entropy)
		return 0;
	if (allowed(sc->rs, r, sc->buf + s, e - s))
		return 0;
	if (sc->nm >= SECRET_MAX_FILE_MATCHES) {
		sc->too_many = true;
		return 0;
	}
	if (vigil_grow((void **)&sc->m, &sc->capm, sc->nm, sizeof(*sc->m), 16, SECRET_MAX_FILE_MATCHES) < 0)
		return vigil_error_oom();
	sc->m[sc->nm++] = (secret_match){ .rule = r, .start = ov[0], .end = ov[1], .sstart = s, .send = e };
	return 0;
}

int secret_run_window(secret_scanner *sc, struct rstate *st, size_t lo, size_t hi, void (*warn)(void *, const char *),
		      void *ud, const char *path)
{
	size_t at = lo;
	while (at <= hi) {
		int rc = pcre2_match(st->r->re, sc->buf, hi, at, 0, st->md, sc->mctx);
		if (rc == PCRE2_ERROR_NOMATCH)
			return 0;
		if (rc < 0) {
			char msg[400];
			PCRE2_UCHAR e[160];
			pcre2_get_error_message(rc, e, sizeof(e));
			snprintf(msg, sizeof(msg), "secret rule %s on %s: %s (bytes %zu-%zu not searched)", st->r->id,
				 path, (const char *)e, lo, hi);
			if (warn)
				warn(ud, msg);
			return 0;
		}
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(st->md);
		if ((rc = keep(sc, st, ov)) < 0)
			return rc;
		at = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	}
	return 0;
}

/* ---- prefilters ---- */

static int push_hit(secret_scanner *sc, size_t off, size_t rule)
{
	if (sc->nhits >= SECRET_MAX_HITS)
		return 0;
	if (vigil_grow((void **)&sc->hits, &sc->caphits, sc->nhits, sizeof(*sc->hits), 256, SECRET_MAX_HITS) < 0)
		return vigil_error_oom();
	sc->hits[sc->nhits++] = (struct hit){ off, rule };
	return 0;
}

static int by_off(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* The keyword index: the keywords chained by their first two bytes
 * (lowercased), so that one pass over the bytes finds them all. */
int secret_keyword_index(secret_scanner *sc)
{
	for (int i = 0; i < 256; i++)
		sc->lower[i] = (uint8_t)tolower(i);
	if (!(sc->head = calloc(65536, sizeof(*sc->head))) || !(sc->next = calloc(sc->nkw + 1, sizeof(*sc->next))))
		return vigil_error_oom();
	for (size_t k = sc->nkw; k-- > 0;) {
		const struct kw *w = &sc->kw[k];
		unsigned key = w->len >= 2 ? (unsigned)((uint8_t)w->s[0] << 8 | (uint8_t)w->s[1]) : 0;
		if (w->len < 2) {
			sc->single[(uint8_t)w->s[0]] = true;
			sc->any_single = true;
		}
		sc->next[k] = sc->head[key];
		sc->head[key] = (uint32_t)k + 1;
	}
	return 0;
}

static bool kw_at(const uint8_t *lower, const uint8_t *p, size_t room, const struct kw *w)
{
	if (w->len > room)
		return false;
	for (size_t i = 0; i < w->len; i++)
		if (lower[p[i]] != (uint8_t)w->s[i])
			return false;
	return true;
}

static int chain(secret_scanner *sc, uint32_t k, size_t i)
{
	for (; k; k = sc->next[k - 1]) {
		const struct kw *w = &sc->kw[k - 1];
		if (!sc->st[w->rule].applies || (sc->use_hs && sc->st[w->rule].hs) || !kw_at(sc->lower, sc->buf + i, sc->len - i, w))
			continue;
		int rc = push_hit(sc, i, w->rule);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Keywords found case-insensitively in one pass (the fallback of Hyperscan). */
static int keyword_hits(secret_scanner *sc)
{
	const uint8_t *b = sc->buf, *lower_tab = sc->lower;
	size_t n = sc->len;
	int rc = 0;
	for (size_t i = 0; i + 1 < n && rc == 0; i++) {
		uint32_t k = sc->head[(unsigned)lower_tab[b[i]] << 8 | lower_tab[b[i + 1]]];
		if (k)
			rc = chain(sc, k, i);
		if (sc->any_single && sc->single[lower_tab[b[i]]] && rc == 0)
			rc = chain(sc, sc->head[0], i);
	}
	if (n && sc->any_single && sc->single[lower_tab[b[n - 1]]] && rc == 0)
		rc = chain(sc, sc->head[0], n - 1);
	return rc;
}

#ifdef VIGIL_HAVE_HYPERSCAN
static int on_hs(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags, void *ud)
{
	secret_scanner *sc = ud;
	size_t off = to ? (size_t)to - 1 : 0;
	struct rstate *st = id < sc->n ? &sc->st[id] : &sc->st[sc->kw[id - sc->n].rule];
	if (!st->applies)
		return 0;
	return add_window(sc, st, off) < 0 ? 1 : 0;
}
#endif

int secret_scan_hits(secret_scanner *sc)
{
	int rc;
	sc->nhits = 0;
	bool kw = false;
	for (size_t i = 0; i < sc->n; i++)
		kw |= sc->st[i].applies && !(sc->use_hs && sc->st[i].hs) && !sc->st[i].whole;
	if (kw && (rc = keyword_hits(sc)) < 0)
		return rc;
	if (sc->nhits > 1)
		qsort(sc->hits, sc->nhits, sizeof(*sc->hits), by_off);
	for (size_t i = 0; i < sc->nhits; i++)
		if ((rc = add_window(sc, &sc->st[sc->hits[i].rule], sc->hits[i].off)) < 0)
			return rc;
#ifdef VIGIL_HAVE_HYPERSCAN
	if (sc->use_hs && sc->db && sc->len <= UINT32_MAX) {
		hs_error_t e = hs_scan(sc->db, (const char *)sc->buf, (unsigned)sc->len, 0, sc->scratch, on_hs, sc);
		if (e != HS_SUCCESS && e != HS_SCAN_TERMINATED)
			return vigil_error_set(VIGIL_ERROR, "hyperscan: scan failed (%d)", (int)e);
		if (e == HS_SCAN_TERMINATED)
			return vigil_error_code() ? vigil_error_code() : VIGIL_ENOMEM;
	}
#endif
	return 0;
}
