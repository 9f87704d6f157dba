/* fuzz/fuzz_feed_debian_list.c: feed_debian_list() on arbitrary bytes (a Debian tracker DSA/DLA/CVE list),
 * every field of every emitted record read back (fuzz/feed_harness.h). */
#include "feed_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fh_run(feed_debian_list, data, size, 0);
}
