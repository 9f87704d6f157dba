/* tests/scanner/scan_fixture.h: the cmocka fixture the package database
 * tests share: an arena, its interner, a scan context whose warnings are
 * counted (the last one kept), and the list parsers fill. */
#ifndef VIGIL_TESTS_SCAN_FIXTURE_H
#define VIGIL_TESTS_SCAN_FIXTURE_H

#include "scanner/scanner.h"

#include <stdio.h>
#include <stdlib.h>

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

#endif
