/* tests/feed/feed_fixture.h: the cmocka fixture feed parser tests share:
 * an arena with an interner, a feed context that keeps every emitted record
 * (their strings and arrays live in the arena) and counts warnings, the
 * last one kept. */
#ifndef VIGIL_TESTS_FEED_FIXTURE_H
#define VIGIL_TESTS_FEED_FIXTURE_H

#include "feed/feed.h"

#include <stdio.h>
#include <stdlib.h>

struct feed_fx {
	vigil_arena *arena;
	vigil_intern *strings;
	vigil_feed_ctx ctx;
	vigil_vuln *recs;
	size_t n, cap;
	int warnings;
	char last_warning[1024];
};

static int feed_fx_emit(void *ud, const vigil_vuln *v)
{
	struct feed_fx *f = ud;
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 256;
		f->recs = realloc(f->recs, f->cap * sizeof(*f->recs));
		assert_non_null(f->recs);
	}
	f->recs[f->n++] = *v;
	return 0;
}

static void feed_fx_warn(void *ud, const char *msg)
{
	struct feed_fx *f = ud;
	f->warnings++;
	snprintf(f->last_warning, sizeof(f->last_warning), "%s", msg);
}

/* A fixture whose ctx names file in its messages. */
static int feed_fx_setup(void **state, const char *file)
{
	struct feed_fx *f = calloc(1, sizeof(*f));
	if (!f || !(f->arena = vigil_arena_new(0)) || !(f->strings = vigil_intern_new(f->arena)))
		return -1;
	f->ctx = (vigil_feed_ctx){ .arena = f->arena, .strings = f->strings, .file = file,
				   .emit = feed_fx_emit, .emit_ud = f, .warn = feed_fx_warn, .warn_ud = f };
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct feed_fx *f = *state;
	free(f->recs);
	vigil_intern_free(f->strings);
	vigil_arena_free(f->arena);
	free(f);
	return 0;
}

/* Forgets the records and warnings of the last parse. */
static void reset(struct feed_fx *f)
{
	f->n = 0;
	f->warnings = 0;
	f->last_warning[0] = '\0';
}

#endif
