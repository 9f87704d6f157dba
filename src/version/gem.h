/* version/gem.h: a parsed Gem::Version, shared by rubygems.c (the order)
 * and range_rubygems.c (requirements). Fixed-size, on the caller's stack
 * (about 8 KB); versions longer than VIGIL_VERSION_MAX_LEN or with more
 * than GEM_MAX_SEGS segments are invalid. */
#ifndef VIGIL_VERSION_GEM_H
#define VIGIL_VERSION_GEM_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/version.h"

#define GEM_BUF (VIGIL_VERSION_MAX_LEN * 5 + 8) /* every "-" becomes ".pre." */
#define GEM_MAX_SEGS 300

typedef struct gseg {
	const char *p; /* digits without leading zeros ("0" kept), or letters */
	uint16_t n;
	uint8_t num;
} gseg;

typedef struct gemv {
	char str[GEM_BUF]; /* @version: stripped, "-" read as ".pre." */
	size_t slen;
	char canon[GEM_BUF]; /* canonical form */
	size_t clen;
	int prerelease; /* any letter */
	gseg seg[GEM_MAX_SEGS]; /* canonical segments */
	int nseg;
} gemv;

/* 1 and *o filled when v is a valid Gem::Version ("" and blanks are "0"). */
int gem_parse(const char *v, size_t len, gemv *o);
/* Gem::Version#<=>: -1, 0, 1. */
int gem_cmp(const gemv *x, const gemv *y);
/* VERSION_PATTERN over all of s[0..n) (no spaces, not empty). */
int gem_pattern_full(const char *s, size_t n);

#endif
