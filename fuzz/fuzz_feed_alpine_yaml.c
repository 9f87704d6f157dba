/* fuzz/fuzz_feed_alpine_yaml.c: feed_alpine_yaml() on arbitrary bytes (an Alpine secdb YAML file),
 * every field of every emitted record read back (fuzz/feed_harness.h). */
#include "feed_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fh_run(feed_alpine_yaml, data, size, 0);
}
