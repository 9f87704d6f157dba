/* fuzz/fuzz_feed_wolfi_advisory.c: feed_wolfi_advisory() on arbitrary bytes (a
 * wolfi-dev/advisories YAML file, a CGA OSV JSON document or its all.json index), every
 * field of every emitted record read back (fuzz/feed_harness.h). */
#include "feed/vendors.h"
#include "feed_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fh_run(feed_wolfi_advisory, data, size, 0);
}
