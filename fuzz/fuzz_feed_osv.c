/* fuzz/fuzz_feed_osv.c: feed_osv() on arbitrary bytes (an OSV document or array),
 * every field of every emitted record read back (fuzz/feed_harness.h). */
#include "feed_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fh_run(feed_osv, data, size, 0);
}
