/* audit/secret_engine.h: the scanner's state, shared by secret_engine.c
 * (prefilter, windows, confirmation) and secret_scanner.c (building it,
 * one file's scan). */
#ifndef VIGIL_AUDIT_SECRET_ENGINE_H
#define VIGIL_AUDIT_SECRET_ENGINE_H

#include "audit/secret_priv.h"

#ifdef VIGIL_HAVE_HYPERSCAN
#include <hs/hs.h>
#endif

#define SECRET_MAX_HITS ((size_t)1 << 24)

struct win {
	size_t lo, hi;
	size_t last_line; /* start of the last line the window covers */
};

struct rstate {
	const secret_rule *r;
	pcre2_match_data *md;
	struct win *w;
	size_t nw, capw;
	bool hs;        /* fed by its Hyperscan pattern (else by keywords) */
	bool whole;     /* no prefilter: the whole file */
	bool applies;   /* for the file at hand */
};

struct kw {
	const char *s;
	size_t len;
	size_t rule;    /* index in st */
};

struct hit {
	size_t off;
	size_t rule;
};

struct secret_scanner {
	const secret_ruleset *rs;
	struct rstate *st;
	size_t n;
	struct kw *kw;
	size_t nkw, capkw;
	bool use_hs;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	uint32_t *head;   /* 65536 chains of keywords by their first two bytes (index + 1) */
	uint32_t *next;
	bool single[256]; /* one-byte keywords (chained at head[0]) */
	bool any_single;
	uint8_t lower[256]; /* tolower of each byte */
	struct hit *hits;
	size_t nhits, caphits;
	secret_match *m;
	size_t nm, capm;
	const uint8_t *buf;
	size_t len;
	bool too_many;
	char engine[160];
#ifdef VIGIL_HAVE_HYPERSCAN
	hs_database_t *db;
	hs_scratch_t *scratch;
#endif
};

/* The prefilter's hits of sc->buf turned into each rule's windows. */
int secret_scan_hits(secret_scanner *sc);
/* Chains the keywords by their first two bytes (secret_keyword_index). */
int secret_keyword_index(secret_scanner *sc);
/* PCRE2 over buf[lo, hi) for one rule; matches kept in sc->m. */
int secret_run_window(secret_scanner *sc, struct rstate *st, size_t lo, size_t hi, void (*warn)(void *, const char *),
		      void *ud, const char *path);

#endif
