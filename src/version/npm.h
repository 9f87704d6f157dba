/* version/npm.h: node-semver's grammar pieces, shared by npm.c (versions
 * and their order) and range_npm.c (ranges). Each np_*_at() is the
 * regular expression of node-semver's internal/re.js of the same name
 * matched as a PREFIX at s[i] (greedy, as JavaScript would): it returns
 * the end of the match, or 0 when there is none (a match never ends at 0
 * because it is never empty), and fills the captures asked for. */
#ifndef VIGIL_VERSION_NPM_H
#define VIGIL_VERSION_NPM_H

#include <stddef.h>

#define NP_MAX_LENGTH 256 /* node-semver MAX_LENGTH */

typedef struct np_cap {
	const char *p; /* NULL: the group did not take part */
	size_t n;
} np_cap;

typedef struct npv {
	np_cap num[3];
	np_cap pre; /* without the '-'; p NULL: none */
} npv;

int np_space(unsigned char c);
/* XRANGEPLAIN[LOOSE]: [v=\s]*(XI)(?:\.(XI)(?:\.(XI)(?:PRERELEASE)?BUILD?)?)? */
size_t np_xrange_at(const char *s, size_t i, size_t n, int loose, np_cap cap[4]);
/* LOOSEPLAIN: [v=\s]*MAINVERSIONLOOSE PRERELEASELOOSE? BUILD? */
size_t np_looseplain_at(const char *s, size_t i, size_t n, npv *o);
/* BUILD: \+(id(\.id)*) */
size_t np_build_at(const char *s, size_t i, size_t n);
/* new SemVer(v, loose): trim, FULL or LOOSE, MAX_LENGTH, MAX_SAFE_INTEGER. */
int np_parse(const char *s, size_t n, int loose, npv *o);
/* SemVer#compare: -1, 0, 1. */
int np_cmp(const npv *x, const npv *y);

#endif
