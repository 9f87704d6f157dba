/* fuzz/fuzz_feed_photon_oval.c: feed_photon_oval() on arbitrary bytes (a
 * Photon PHSA OVAL document, plain or bzip2), every field of every emitted
 * record read back (fuzz/feed_harness.h). */
#include "feed/vendors.h"
#include "feed_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fh_run(feed_photon_oval, data, size, 1);
}
