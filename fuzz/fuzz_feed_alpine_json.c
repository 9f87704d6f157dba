/* fuzz/fuzz_feed_alpine_json.c: runs vigil_feed_alpine_json() on arbitrary bytes
 * (an Alpine secdb JSON file), reading every field of every record it emits. */
#include "feed/feed.h"

#include <stdint.h>
#include <string.h>

static size_t slen(const char *s)
{
	return s ? strlen(s) : 0;
}

static int on_emit(void *ud, const vigil_vuln *v)
{
	volatile size_t *n = ud;
	*n += slen(v->id) + slen(v->source) + slen(v->summary) + slen(v->description) +
	      slen(v->published) + slen(v->modified) + slen(v->vendor_severity) +
	      slen(v->cvss3_vector) + slen(v->cvss2_vector) + (size_t)v->severity;
	for (size_t i = 0; i < v->naliases; i++)
		*n += slen(v->aliases[i]);
	for (size_t i = 0; i < v->nlinks; i++)
		*n += slen(v->links[i]);
	for (size_t i = 0; i < v->naffected; i++) {
		const vigil_affected *a = &v->affected[i];
		*n += slen(a->namespace) + slen(a->package) + slen(a->scheme) + slen(a->fixed) +
		      slen(a->vendor_severity) + (size_t)a->state;
		for (size_t r = 0; r < a->nranges; r++) {
			*n += slen(a->ranges[r].type);
			for (size_t e = 0; e < a->ranges[r].nevents; e++)
				*n += slen(a->ranges[r].events[e].version) + (size_t)a->ranges[r].events[e].kind;
		}
	}
	return 0;
}

static void no_warn(void *ud, const char *msg)
{
	(void)ud;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	volatile size_t n = 0;
	vigil_arena *arena = vigil_arena_new(64 * 1024 * 1024);
	vigil_intern *strings = arena ? vigil_intern_new(arena) : NULL;
	if (strings) {
		vigil_feed_ctx ctx = { .arena = arena, .strings = strings, .file = "fuzz",
				       .emit = on_emit, .emit_ud = (void *)&n, .warn = no_warn };
		vigil_feed_alpine_json(&ctx, (const char *)data, size);
	}
	vigil_intern_free(strings);
	vigil_arena_free(arena);
	return 0;
}
