/* fuzz/fuzz_feed_npm_wg.c: feed_npm_wg() on arbitrary bytes (a Node.js security WG advisory JSON file),
 * every field of every emitted record read back (fuzz/feed_harness.h). */
#include "feed_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fh_run(feed_npm_wg, data, size, 0);
}
