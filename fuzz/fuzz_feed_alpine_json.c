/* fuzz/fuzz_feed_alpine_json.c: feed_alpine_json() on arbitrary bytes (an Alpine secdb JSON file),
 * every field of every emitted record read back (fuzz/feed_harness.h). */
#include "feed_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fh_run(feed_alpine_json, data, size, 0);
}
