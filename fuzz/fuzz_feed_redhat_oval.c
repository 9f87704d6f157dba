/* fuzz/fuzz_feed_redhat_oval.c: feed_redhat_oval() on arbitrary bytes (a Red Hat OVAL v2 stream, plain or bzip2),
 * every field of every emitted record read back (fuzz/feed_harness.h). */
#include "feed_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fh_run(feed_redhat_oval, data, size, 1);
}
