/* fuzz/fuzz_feed_redhat_csaf.c: runs vigil_feed_redhat_csaf() on arbitrary
 * bytes (a CSAF 2.0 advisory or VEX document).
 * Every string of every record is read back (they must be NUL-terminated
 * and live in the arena). */
#include "feed/feed.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t len_of(const char *s)
{
	return s ? strlen(s) : 0;
}

static int touch(void *ud, const vigil_vuln *v)
{
	volatile size_t n = len_of(v->id) + len_of(v->source) + len_of(v->summary) + len_of(v->description) +
			    len_of(v->published) + len_of(v->modified) + len_of(v->vendor_severity) +
			    len_of(v->cvss3_vector) + len_of(v->cvss2_vector);
	for (size_t i = 0; i < v->naliases; i++)
		n += strlen(v->aliases[i]);
	for (size_t i = 0; i < v->nlinks; i++)
		n += strlen(v->links[i]);
	for (size_t i = 0; i < v->naffected; i++) {
		const vigil_affected *a = &v->affected[i];
		n += strlen(a->namespace) + strlen(a->package) + strlen(a->scheme) + len_of(a->fixed) +
		     len_of(a->module) + len_of(a->arch) + (size_t)a->state;
	}
	(void)n;
	(void)ud;
	return 0;
}

static void no_warn(void *ud, const char *msg)
{
	(void)ud;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vigil_arena *arena = vigil_arena_new(64 * 1024 * 1024);
	vigil_intern *strings = arena ? vigil_intern_new(arena) : NULL;
	const char *in = (const char *)data;
	char *plain = NULL;
	size_t len = size;
	if (strings) {
		vigil_feed_ctx ctx = { .arena = arena, .strings = strings, .file = "fuzz", .emit = touch,
				       .warn = no_warn };
		vigil_feed_redhat_csaf(&ctx, in, len);
	}
	free(plain);
	vigil_intern_free(strings);
	vigil_arena_free(arena);
	return 0;
}
