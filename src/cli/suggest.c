/* cli/suggest.c: "did you mean ...?" for an unknown command, subcommand,
 * option or config key. The candidate nearest to what was typed wins when
 * it is within an optimal-string-alignment (Damerau-Levenshtein with
 * adjacent transpositions) distance of 2, or when it starts with what was
 * typed (at least 2 characters); ties go to the first candidate. Words are
 * compared without regard to ASCII case, and at most CLI_SUGGEST_MAX_WORD
 * bytes of each are looked at (longer ones suggest nothing). */
#include "cli.h"
#include "suggest.h"

#include <string.h>

#define CLI_SUGGEST_MAX_WORD 64
#define CLI_SUGGEST_MAX_DIST 2

static int low(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;
	return m < c ? m : c;
}

size_t cli_distance(const char *a, size_t na, const char *b, size_t nb)
{
	size_t d[CLI_SUGGEST_MAX_WORD + 1][CLI_SUGGEST_MAX_WORD + 1];
	if (na > CLI_SUGGEST_MAX_WORD || nb > CLI_SUGGEST_MAX_WORD)
		return (size_t)-1;
	for (size_t i = 0; i <= na; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= nb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= na; i++) {
		for (size_t j = 1; j <= nb; j++) {
			size_t cost = low((unsigned char)a[i - 1]) != low((unsigned char)b[j - 1]);
			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && low((unsigned char)a[i - 1]) == low((unsigned char)b[j - 2]) &&
			    low((unsigned char)a[i - 2]) == low((unsigned char)b[j - 1]) && d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	}
	return d[na][nb];
}

void cli_suggest_add(cli_suggestion *s, const char *word, size_t len, const char *name)
{
	size_t n = strlen(name), dist;
	if (!len || !n)
		return;
	dist = cli_distance(word, len, name, n);
	if (dist > CLI_SUGGEST_MAX_DIST && len >= 2 && len < n) {
		size_t i = 0;
		while (i < len && low((unsigned char)word[i]) == low((unsigned char)name[i]))
			i++;
		if (i == len)
			dist = CLI_SUGGEST_MAX_DIST; /* a prefix counts as near */
	}
	if (dist == 0 || dist > CLI_SUGGEST_MAX_DIST)
		return;
	if (!s->best || dist < s->dist) {
		s->best = name;
		s->dist = dist;
	}
}

const char *cli_suggest_list(const char *word, const char *const *names)
{
	cli_suggestion s = { 0 };
	for (size_t i = 0; names && names[i]; i++)
		cli_suggest_add(&s, word, strlen(word), names[i]);
	return s.best;
}

const char *cli_suggest_option(const char *word, const struct option *longopts)
{
	cli_suggestion s = { 0 };
	size_t len;
	while (*word == '-')
		word++;
	len = strcspn(word, "=");
	for (size_t i = 0; longopts && longopts[i].name; i++)
		cli_suggest_add(&s, word, len, longopts[i].name);
	return s.best;
}

void cli_bad_option(const char *cmd, const char *arg, const struct option *longopts)
{
	const char *best = cli_suggest_option(arg, longopts);
	if (best)
		fprintf(stderr, "vigil: %s: unknown option '%s' (did you mean '--%s'?)\n", cmd, arg, best);
	else
		fprintf(stderr, "vigil: %s: unknown option '%s'\n", cmd, arg);
}
