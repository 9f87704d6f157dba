/* fuzz/fuzz_feed_gz.c: feed/gz.c on any bytes, with a small output cap.
 * Properties: it returns 0 or a negative code, never more than the cap
 * bytes, and what it returns is NUL-terminated at its length; whatever
 * gzip(1) would refuse fails with a message instead of a crash. */
#include "feed/gz.h"
#include "util/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_GZ_CAP ((size_t)1 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *out = NULL;
	size_t len = 0;
	int rc = feed_gunzip((const char *)data, size, FUZZ_GZ_CAP, &out, &len);
	if (rc == 0) {
		if (!out || len > FUZZ_GZ_CAP || out[len] != '\0')
			abort();
	} else if (rc > 0 || out || !vigil_error_message()[0]) {
		abort();
	}
	free(out);
	vigil_error_clear();
	return 0;
}
