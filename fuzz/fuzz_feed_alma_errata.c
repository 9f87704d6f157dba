/* fuzz/fuzz_feed_alma_errata.c: feed_alma_errata() on arbitrary bytes (an
 * AlmaLinux errata.json array or an errata.full.json {"data": [...]}),
 * every field of every emitted record read back (fuzz/feed_harness.h). */
#include "feed_harness.h"
#include "feed/vendors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fh_run(feed_alma_errata, data, size, 0);
}
