/* fuzz/fuzz_feed_ubuntu_vex.c: feed_ubuntu_vex() on arbitrary bytes (an Ubuntu
 * OpenVEX document), every field of every emitted record read back. */
#include "feed_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fh_run(feed_ubuntu_vex, data, size, 0);
}
