/* fuzz/fuzz_feed_suse_cvrf.c: feed_suse_cvrf() on arbitrary bytes (one SUSE
 * CVRF advisory), every field of every emitted record read back
 * (fuzz/feed_harness.h). */
#include "feed/vendors.h"
#include "feed_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fh_run(feed_suse_cvrf, data, size, 0);
}
