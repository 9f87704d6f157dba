/* fuzz/fuzz_feed_nvd.c: feed_nvd() on arbitrary bytes (an NVD CVE API 2.0 page),
 * every field of every emitted record read back (fuzz/feed_harness.h). */
#include "feed_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fh_run(feed_nvd, data, size, 0);
}
