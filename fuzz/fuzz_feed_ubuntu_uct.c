/* fuzz/fuzz_feed_ubuntu_uct.c: feed_ubuntu_uct() on arbitrary bytes (an Ubuntu CVE tracker file),
 * every field of every emitted record read back (fuzz/feed_harness.h). */
#include "feed_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fh_run(feed_ubuntu_uct, data, size, 0);
}
