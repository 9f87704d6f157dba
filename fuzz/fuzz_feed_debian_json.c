/* fuzz/fuzz_feed_debian_json.c: feed_debian_json() on arbitrary bytes (the Debian security tracker JSON),
 * every field of every emitted record read back (fuzz/feed_harness.h). */
#include "feed_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fh_run(feed_debian_json, data, size, 0);
}
