/* audit/secret_scanner.c: the scanner built from a compiled rule set (the
 * Hyperscan database of the rules' regexes in prefilter mode, the keyword
 * list, PCRE2's match data and JIT stack), and one file's scan: the rules
 * that apply to its path, the prefilter, PCRE2 over the windows, generic
 * matches under specific ones dropped, line numbers (secret_engine.c has
 * the steps). VIGIL_SECRET_ENGINE=pcre2 in the environment turns
 * Hyperscan off (the fallback's path, for tests and benchmarks). */
#include "audit/secret_engine.h"

#include "util/error.h"
#include "util/grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void secret_scanner_free(secret_scanner *sc)
{
	if (!sc)
		return;
	for (size_t i = 0; i < sc->n; i++) {
		pcre2_match_data_free(sc->st[i].md);
		free(sc->st[i].w);
	}
	free(sc->st);
	free(sc->kw);
	free(sc->head);
	free(sc->next);
	free(sc->hits);
	free(sc->m);
	pcre2_match_context_free(sc->mctx);
	pcre2_jit_stack_free(sc->jit);
#ifdef VIGIL_HAVE_HYPERSCAN
	hs_free_scratch(sc->scratch);
	hs_free_database(sc->db);
#endif
	free(sc);
}

const char *secret_scanner_engine(const secret_scanner *sc)
{
	return sc->engine;
}

#ifdef VIGIL_HAVE_HYPERSCAN
/* A keyword as a Hyperscan pattern: every byte escaped. */
static char *hs_literal(const char *kw)
{
	size_t n = strlen(kw);
	char *p = malloc(4 * n + 1);
	for (size_t i = 0; p && i < n; i++)
		snprintf(p + 4 * i, 5, "\\x%02x", (unsigned char)kw[i]);
	if (p)
		p[4 * n] = '\0';
	return p;
}

/* One database: every keyword as a caseless literal (id n + its index),
 * and the regex, in prefilter mode, of each rule that has no keywords (id
 * its index). A regex Hyperscan refuses leaves its rule to run over whole
 * files. */
static int build_hs(secret_scanner *sc)
{
	size_t max = sc->nkw + sc->n + 1;
	char **expr = calloc(max, sizeof(*expr));
	unsigned *flags = calloc(max, sizeof(*flags)), *ids = calloc(max, sizeof(*ids));
	bool *rx = calloc(sc->n + 1, sizeof(*rx));
	int rc = 0;
	if (!expr || !flags || !ids || !rx) {
		rc = vigil_error_oom();
		goto out;
	}
	for (size_t i = 0; i < sc->n; i++)
		rx[i] = sc->st[i].r->nkeywords == 0;
	for (size_t tries = 0; tries <= sc->n + 1; tries++) {
		unsigned k = 0;
		for (size_t i = 0; i < sc->nkw; i++) {
			if (!(expr[k] = hs_literal(sc->kw[i].s))) {
				rc = vigil_error_oom();
				goto out;
			}
			flags[k] = HS_FLAG_CASELESS;
			ids[k++] = (unsigned)(sc->n + i);
		}
		for (size_t i = 0; i < sc->n; i++)
			if (rx[i] && (expr[k] = strdup(sc->st[i].r->regex))) {
				flags[k] = HS_FLAG_PREFILTER | HS_FLAG_ALLOWEMPTY;
				ids[k++] = (unsigned)i;
			}
		hs_compile_error_t *err = NULL;
		int ok = k && hs_compile_multi((const char *const *)expr, flags, ids, k, HS_MODE_BLOCK, NULL, &sc->db,
					       &err) == HS_SUCCESS;
		int bad = err ? err->expression : -1;
		hs_free_compile_error(err);
		for (unsigned i = 0; i < k; i++) {
			free(expr[i]);
			expr[i] = NULL;
		}
		if (ok || !k)
			break;
		sc->db = NULL;
		if (bad < 0 || (unsigned)bad >= k || ids[bad] >= sc->n)
			break; /* not one rule's regex: the keywords' fallback for all */
		rx[ids[bad]] = false;
	}
	for (size_t i = 0; sc->db && i < sc->n; i++) {
		sc->st[i].hs = sc->st[i].r->nkeywords || rx[i];
		sc->st[i].whole = !sc->st[i].hs;
	}
	if (sc->db && hs_alloc_scratch(sc->db, &sc->scratch) != HS_SUCCESS)
		rc = vigil_error_oom();
out:
	free(expr);
	free(flags);
	free(ids);
	free(rx);
	return rc;
}
#endif

static int add_keywords(secret_scanner *sc, size_t i)
{
	const secret_rule *r = sc->st[i].r;
	for (size_t k = 0; k < r->nkeywords; k++) {
		if (vigil_grow((void **)&sc->kw, &sc->capkw, sc->nkw, sizeof(*sc->kw), 64,
			       (size_t)SECRET_MAX_RULES * SECRET_MAX_LIST) < 0)
			return vigil_error_oom();
		sc->kw[sc->nkw++] = (struct kw){ r->keywords[k], strlen(r->keywords[k]), i };
	}
	sc->st[i].whole = r->nkeywords == 0;
	return 0;
}

int secret_scanner_new(const secret_ruleset *rs, secret_scanner **out)
{
	secret_scanner *sc = calloc(1, sizeof(*sc));
	int rc = 0;
	*out = NULL;
	if (!sc || !(sc->st = calloc(rs->n + 1, sizeof(*sc->st))) || !(sc->mctx = pcre2_match_context_create(NULL)) ||
	    !(sc->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL))) {
		rc = vigil_error_oom();
		goto out;
	}
	sc->rs = rs;
	pcre2_jit_stack_assign(sc->mctx, NULL, sc->jit);
	pcre2_set_match_limit(sc->mctx, SECRET_MATCH_LIMIT);
	for (size_t i = 0; i < rs->n; i++) {
		const secret_rule *r = &rs->rules[i];
		if (r->disabled || !r->re)
			continue;
		struct rstate *st = &sc->st[sc->n++];
		st->r = r;
		if (!(st->md = pcre2_match_data_create_from_pattern(r->re, NULL)) || (rc = add_keywords(sc, sc->n - 1)) < 0) {
			rc = rc < 0 ? rc : vigil_error_oom();
			goto out;
		}
	}
	if ((rc = secret_keyword_index(sc)) < 0)
		goto out;
	uint32_t jit = 0;
	pcre2_config(PCRE2_CONFIG_JIT, &jit);
	const char *env = getenv("VIGIL_SECRET_ENGINE");
	sc->use_hs = !(env && !strcmp(env, "pcre2"));
#ifdef VIGIL_HAVE_HYPERSCAN
	if (sc->use_hs && (rc = build_hs(sc)) < 0)
		goto out;
	sc->use_hs = sc->use_hs && sc->db;
	if (sc->use_hs)
		snprintf(sc->engine, sizeof(sc->engine), "hyperscan %.20s + pcre2 %d.%02d%s", hs_version(),
			 PCRE2_MAJOR, PCRE2_MINOR, jit ? " jit" : "");
#else
	sc->use_hs = false;
#endif
	if (!sc->use_hs)
		snprintf(sc->engine, sizeof(sc->engine), "keywords + pcre2 %d.%02d%s", PCRE2_MAJOR, PCRE2_MINOR,
			 jit ? " jit" : "");
	*out = sc;
	sc = NULL;
out:
	secret_scanner_free(sc);
	return rc;
}

static bool rule_applies(const secret_rule *r, const char *path)
{
	size_t n = strlen(path);
	bool in = r->npaths == 0;
	for (size_t i = 0; !in && i < r->npaths; i++)
		in = secret_re_hit(r->paths_re[i], path, n);
	for (size_t i = 0; in && i < r->nallow_paths; i++)
		in = !secret_re_hit(r->allow_paths_re[i], path, n);
	return in;
}

static bool overlaps(const secret_match *a, const secret_match *b)
{
	return a->start < b->send && b->sstart < a->end;
}

/* A generic rule's match under a specific rule's secret is dropped. */
static void drop_generic(secret_scanner *sc)
{
	size_t k = 0;
	for (size_t i = 0; i < sc->nm; i++) {
		bool drop = false;
		for (size_t j = 0; sc->m[i].rule->generic && !drop && j < sc->nm; j++)
			drop = !sc->m[j].rule->generic && overlaps(&sc->m[i], &sc->m[j]);
		if (!drop)
			sc->m[k++] = sc->m[i];
	}
	sc->nm = k;
}

static int by_start(const void *pa, const void *pb)
{
	const secret_match *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->sstart != b->sstart)
		return a->sstart < b->sstart ? -1 : 1;
	return strcmp(a->rule->id, b->rule->id);
}

int secret_scan(secret_scanner *sc, const char *path, const uint8_t *p, size_t n, secret_match_fn fn, void *ud,
		void (*warn)(void *ud, const char *msg))
{
	int rc = 0;
	bool any = false;
	sc->buf = p;
	sc->len = n;
	sc->nm = 0;
	sc->too_many = false;
	for (size_t i = 0; i < sc->n; i++) {
		sc->st[i].nw = 0;
		sc->st[i].applies = rule_applies(sc->st[i].r, path ? path : "");
		any |= sc->st[i].applies;
	}
	if (!any || !n)
		return 0;
	if ((rc = secret_scan_hits(sc)) < 0)
		return rc;
	for (size_t i = 0; i < sc->n && rc == 0; i++) {
		struct rstate *st = &sc->st[i];
		if (st->applies && st->whole)
			rc = secret_run_window(sc, st, 0, n, warn, ud, path);
		for (size_t w = 0; st->applies && !st->whole && w < st->nw && rc == 0; w++)
			rc = secret_run_window(sc, st, st->w[w].lo, st->w[w].hi, warn, ud, path);
	}
	if (rc < 0)
		return rc;
	drop_generic(sc);
	if (sc->nm > 1)
		qsort(sc->m, sc->nm, sizeof(*sc->m), by_start);
	size_t at = 0;
	uint32_t line = 1;
	for (size_t i = 0; i < sc->nm && rc == 0; i++) {
		const uint8_t *nl;
		while (at < sc->m[i].start && (nl = memchr(p + at, '\n', sc->m[i].start - at))) {
			line++;
			at = (size_t)(nl - p) + 1;
		}
		if (at < sc->m[i].start)
			at = sc->m[i].start;
		sc->m[i].line = line;
		rc = fn(ud, &sc->m[i]);
	}
	if (sc->too_many && warn) {
		char msg[300];
		snprintf(msg, sizeof(msg), "%s: more than %d secret matches: the rest are not reported", path ? path : "",
			 SECRET_MAX_FILE_MATCHES);
		warn(ud, msg);
	}
	return rc;
}
