/* fuzz/fuzz_feed_ubuntu_oval.c: feed_ubuntu_oval() on arbitrary bytes (an Ubuntu CVE or USN OVAL
 * document, plain or bzip2), every field of every emitted record read back (fuzz/feed_harness.h). */
#include "feed_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fh_run(feed_ubuntu_oval, data, size, 1);
}
