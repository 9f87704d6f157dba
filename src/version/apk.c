/* version/apk.c: Alpine version comparison, as apk-tools' version.c:
 * digit{.digit}...{letter}{_suffix{digits}}...{~hash}{-r#}, with the
 * suffixes _alpha _beta _pre _rc (older than none) and _cvs _svn _git _hg
 * _p (newer); a digit run with a leading zero after the first compares as
 * a string (Gentoo rule). Invalid versions still get apk's deterministic
 * order (tokens compared until one side turns invalid). */
#include "vigil/version.h"
#include "version/internal.h"

#include <string.h>

enum {
	T_INITIAL_DIGIT,
	T_DIGIT,
	T_LETTER,
	T_SUFFIX,
	T_SUFFIX_NO,
	T_COMMIT_HASH,
	T_REVISION_NO,
	T_END,
	T_INVALID,
};

enum { S_INVALID, S_ALPHA, S_BETA, S_PRE, S_RC, S_NONE, S_CVS, S_SVN, S_GIT, S_HG, S_P };

typedef struct tok {
	int type;
	int suffix;
	const char *v; /* the token's text */
	size_t vlen;
	const char *p; /* the rest of the input */
	size_t n;
} tok;

static int suffix_value(const char *s, size_t n)
{
	static const char *const names[] = { "alpha", "beta", "pre", "rc", "",
					     "cvs", "svn", "git", "hg", "p" };
	if (n == 0)
		return S_INVALID;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0)
			return (int)i + S_ALPHA;
	return S_INVALID;
}

static void take(tok *t, size_t k)
{
	t->p += k, t->n -= k;
}

static void parse_digits(tok *t)
{
	size_t k = 0;
	while (k < t->n && vv_digit((unsigned char)t->p[k]))
		k++;
	t->v = t->p, t->vlen = k;
	take(t, k);
	if (k == 0)
		t->type = T_INVALID;
}

static void tok_first(tok *t, const char *s, size_t n)
{
	t->p = s, t->n = n, t->suffix = S_INVALID;
	t->type = T_INITIAL_DIGIT;
	parse_digits(t);
}

static void tok_next(tok *t)
{
	size_t k;

	if (t->n == 0) {
		t->type = T_END;
		return;
	}
	unsigned char c = (unsigned char)t->p[0];
	if (vv_lower(c)) {
		if (t->type > T_DIGIT)
			goto invalid;
		t->v = t->p, t->vlen = 1;
		t->type = T_LETTER;
		take(t, 1);
	} else if (c == '.') {
		if (t->type > T_DIGIT)
			goto invalid;
		take(t, 1);
		t->type = T_DIGIT;
		parse_digits(t);
	} else if (c == '_') {
		if (t->type > T_SUFFIX_NO)
			goto invalid;
		take(t, 1);
		for (k = 0; k < t->n && vv_lower((unsigned char)t->p[k]); k++)
			;
		t->v = t->p, t->vlen = k;
		t->suffix = suffix_value(t->p, k);
		if (t->suffix == S_INVALID)
			goto invalid;
		take(t, k);
		t->type = T_SUFFIX;
	} else if (c == '~') {
		if (t->type >= T_COMMIT_HASH)
			goto invalid;
		take(t, 1);
		for (k = 0; k < t->n && (vv_digit((unsigned char)t->p[k]) ||
					 (t->p[k] >= 'a' && t->p[k] <= 'f'));
		     k++)
			;
		if (k == 0)
			goto invalid;
		t->v = t->p, t->vlen = k;
		take(t, k);
		t->type = T_COMMIT_HASH;
	} else if (c == '-') {
		if (t->type >= T_REVISION_NO || t->n < 2 || t->p[1] != 'r')
			goto invalid;
		take(t, 2);
		t->type = T_REVISION_NO;
		parse_digits(t);
	} else if (vv_digit(c)) {
		if (t->type != T_SUFFIX)
			goto invalid;
		t->type = T_SUFFIX_NO;
		parse_digits(t);
	} else {
		goto invalid;
	}
	return;
invalid:
	t->type = T_INVALID;
}

static int tok_cmp(const tok *a, const tok *b)
{
	switch (a->type) {
	case T_DIGIT:
		if (a->v[0] == '0' || b->v[0] == '0')
			break; /* leading zero: string sort */
		/* fall through */
	case T_INITIAL_DIGIT:
	case T_SUFFIX_NO:
	case T_REVISION_NO:
		return vv_numcmp(a->v, a->vlen, b->v, b->vlen);
	case T_SUFFIX:
		return (a->suffix > b->suffix) - (a->suffix < b->suffix);
	default:
		break;
	}
	return vv_bytecmp(a->v, a->vlen, b->v, b->vlen);
}

/* fuzzy: equal as soon as b (the pattern) has ended. */
static int apk_compare(const char *a, size_t alen, const char *b, size_t blen, int fuzzy)
{
	tok ta, tb;

	tok_first(&ta, a, alen);
	tok_first(&tb, b, blen);
	while (ta.type == tb.type && ta.type < T_END) {
		int r = tok_cmp(&ta, &tb);
		if (r)
			return r;
		tok_next(&ta);
		tok_next(&tb);
	}
	if (ta.type == tb.type || (fuzzy && tb.type == T_END))
		return 0;
	if (ta.type == T_SUFFIX && ta.suffix < S_NONE)
		return -1;
	if (tb.type == T_SUFFIX && tb.suffix < S_NONE)
		return 1;
	if (ta.type > tb.type)
		return -1;
	if (tb.type > ta.type)
		return 1;
	return 0;
}

int vigil_apk_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	return apk_compare(a, alen, b, blen, 0);
}

int vigil_apk_fuzzy_match(const char *a, size_t alen, const char *b, size_t blen)
{
	return apk_compare(a, alen, b, blen, 1) == 0;
}

int vigil_apk_valid(const char *v, size_t len)
{
	tok t;

	tok_first(&t, v, len);
	while (t.type < T_END)
		tok_next(&t);
	return t.type == T_END;
}
