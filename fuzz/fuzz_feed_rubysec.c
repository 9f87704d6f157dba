/* fuzz/fuzz_feed_rubysec.c: feed_rubysec() on arbitrary bytes (a RubySec advisory YAML file),
 * every field of every emitted record read back (fuzz/feed_harness.h). */
#include "feed_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fh_run(feed_rubysec, data, size, 0);
}
