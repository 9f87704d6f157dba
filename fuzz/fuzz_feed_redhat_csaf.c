/* fuzz/fuzz_feed_redhat_csaf.c: feed_redhat_csaf() on arbitrary bytes (a CSAF 2.0 advisory or VEX document),
 * every field of every emitted record read back (fuzz/feed_harness.h). */
#include "feed_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fh_run(feed_redhat_csaf, data, size, 0);
}
