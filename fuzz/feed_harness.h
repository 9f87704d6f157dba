/* fuzz/feed_harness.h: what every feed parser's fuzz target does: run the
 * parser on the bytes (bzip2 ones decompressed first when asked) and read
 * every field of every record it emits, so that ASan sees any pointer that
 * is not a live, NUL-terminated string of the arena. */
#ifndef VIGIL_FUZZ_FEED_HARNESS_H
#define VIGIL_FUZZ_FEED_HARNESS_H

#include "feed/bz2.h"
#include "feed/feed.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t fh_len(const char *s)
{
	return s ? strlen(s) : 0;
}

static int fh_touch(void *ud, const vigil_vuln *v)
{
	volatile size_t *n = ud;
	*n += fh_len(v->id) + fh_len(v->source) + fh_len(v->summary) + fh_len(v->description) +
	      fh_len(v->published) + fh_len(v->modified) + fh_len(v->vendor_severity) +
	      fh_len(v->cvss3_vector) + fh_len(v->cvss2_vector) + (size_t)v->severity;
	for (size_t i = 0; i < v->naliases; i++)
		*n += fh_len(v->aliases[i]);
	for (size_t i = 0; i < v->nlinks; i++)
		*n += fh_len(v->links[i]);
	for (size_t i = 0; i < v->naffected; i++) {
		const vigil_affected *a = &v->affected[i];
		*n += fh_len(a->namespace) + fh_len(a->package) + fh_len(a->scheme) + fh_len(a->fixed) +
		      fh_len(a->module) + fh_len(a->arch) + fh_len(a->vendor_severity) + fh_len(a->symbols) +
		      (size_t)a->state +
		      (size_t)a->severity;
		for (size_t r = 0; r < a->nranges; r++) {
			*n += fh_len(a->ranges[r].type);
			for (size_t e = 0; e < a->ranges[r].nevents; e++)
				*n += fh_len(a->ranges[r].events[e].version) + (size_t)a->ranges[r].events[e].kind;
		}
	}
	return 0;
}

static void fh_no_warn(void *ud, const char *msg)
{
	(void)ud;
	(void)msg;
}

/* Runs parse on data; bz2: inputs starting "BZh" are decompressed first. */
static int fh_run(int (*parse)(vigil_feed_ctx *, const char *, size_t), const uint8_t *data,
		  size_t size, int bz2)
{
	volatile size_t n = 0;
	vigil_arena *arena = vigil_arena_new(64 * 1024 * 1024);
	vigil_intern *strings = arena ? vigil_intern_new(arena) : NULL;
	const char *in = (const char *)data;
	char *plain = NULL;
	size_t len = size;
	if (bz2 && size >= 3 && memcmp(data, "BZh", 3) == 0) {
		if (feed_bunzip2(in, size, 16 * 1024 * 1024, &plain, &len) < 0)
			goto out;
		in = plain;
	}
	if (strings) {
		vigil_feed_ctx ctx = { .arena = arena, .strings = strings, .file = "fuzz", .emit = fh_touch,
				       .emit_ud = (void *)&n, .warn = fh_no_warn };
		parse(&ctx, in, len);
	}
out:
	free(plain);
	vigil_intern_free(strings);
	vigil_arena_free(arena);
	return 0;
}

#endif
