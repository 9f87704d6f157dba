/* fuzz/fuzz_feed_wolfi_secdb.c: feed_wolfi_secdb() on arbitrary bytes (a Wolfi or Chainguard
 * secdb JSON file), every field of every emitted record read back (fuzz/feed_harness.h). */
#include "feed/vendors.h"
#include "feed_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fh_run(feed_wolfi_secdb, data, size, 0);
}
