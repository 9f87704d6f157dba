/* tests/scanner/scan_fixture.h: the cmocka fixture the package database
 * tests share: an arena, its interner, a scan context whose warnings are
 * counted (the last one kept), and the list parsers fill. */
#ifndef VIGIL_TESTS_SCAN_FIXTURE_H
#define VIGIL_TESTS_SCAN_FIXTURE_H

#include "helpers.h"
#include "scanner/scanner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct scan_fx {
	vigil_arena *arena;
	vigil_intern *strings;
	vigil_scan_ctx ctx;
	vigil_pkg_list list;
	int warnings;
	char last_warning[1024];
};

static void scan_fx_warn(void *ud, const char *msg)
{
	struct scan_fx *f = ud;
	f->warnings++;
	snprintf(f->last_warning, sizeof(f->last_warning), "%s", msg);
}

/* A fixture whose ctx.path (the database path packages name) is path. */
static int scan_fx_setup(void **state, const char *path)
{
	struct scan_fx *f = calloc(1, sizeof(*f));
	if (!f || !(f->arena = vigil_arena_new(0)) || !(f->strings = vigil_intern_new(f->arena)))
		return -1;
	f->ctx = (vigil_scan_ctx){ .arena = f->arena, .strings = f->strings, .path = path,
				   .warn = scan_fx_warn, .warn_ud = f };
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct scan_fx *f = *state;
	scan_pkg_list_free(&f->list);
	vigil_intern_free(f->strings);
	vigil_arena_free(f->arena);
	free(f);
	return 0;
}

/* A whole-file parser of scanner/ (dpkg, apk, the language metadata). */
typedef int (*scan_fx_parse_fn)(vigil_scan_ctx *ctx, const char *data, size_t len, vigil_pkg_list *out);

/* Runs parse on the shared test file rel (../shared/testdata/REL), the
 * list and the warning count reset first. */
static inline int scan_fx_parse_file(struct scan_fx *f, scan_fx_parse_fn parse, const char *rel)
{
	size_t n;
	char *data = th_read_file(th_data_path(rel), &n);
	if (!data)
		fail_msg("cannot read %s", rel);
	f->list.len = 0;
	f->warnings = 0;
	int rc = parse(&f->ctx, data, n, &f->list);
	free(data);
	return rc;
}

/* The same on a C string. */
static inline int scan_fx_parse_text(struct scan_fx *f, scan_fx_parse_fn parse, const char *text)
{
	f->list.len = 0;
	f->warnings = 0;
	return parse(&f->ctx, text, strlen(text), &f->list);
}

#endif
