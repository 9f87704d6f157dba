/* feed/outbuf.h: the output buffer of the in-memory decompressors (bz2.c,
 * gz.c): grown by doubling up to steps of VIGIL_FEED_OUT_MAX_STEP, never
 * past the caller's cap + 1 (one byte past the cap tells "too big"), with
 * room for a final NUL. */
#ifndef VIGIL_FEED_OUTBUF_H
#define VIGIL_FEED_OUTBUF_H

#include <stdlib.h>

#include "util/error.h"

/* Output is grown in steps of at most this. */
#define VIGIL_FEED_OUT_MAX_STEP ((size_t)64 * 1024 * 1024)

static inline int feed_out_grow(char **buf, size_t *alloc, size_t used, size_t max)
{
	size_t step = *alloc < VIGIL_FEED_OUT_MAX_STEP ? (*alloc ? *alloc : 64 * 1024) : VIGIL_FEED_OUT_MAX_STEP;
	size_t want = used + step;
	if (want > max + 1)
		want = max + 1;
	char *nb = realloc(*buf, want + 1);
	if (!nb)
		return vigil_error_oom();
	*buf = nb;
	*alloc = want;
	return 0;
}

#endif
