/* version/nuget.h: a parsed NuGetVersion, shared by nuget.c (the order)
 * and range_nuget.c (intervals). Slices into the caller's string. */
#ifndef VIGIL_VERSION_NUGET_H
#define VIGIL_VERSION_NUGET_H

#include <stddef.h>

typedef struct nuv {
	const char *num[4]; /* digits, leading zeros kept; missing parts "0" */
	size_t numlen[4];
	const char *rel; /* release labels without the '-'; rellen 0: none */
	size_t rellen;
} nuv;

/* 1 when v[0..len) is a valid NuGet version (spaces around ignored). */
int nu_parse(const char *v, size_t len, nuv *o);
/* VersionComparer.Default: numbers, then release labels (numeric ones as
 * numbers, before text; text ignoring case); build metadata ignored. */
int nu_cmp(const nuv *x, const nuv *y);

#endif
