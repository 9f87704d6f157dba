/* fuzz/fuzz_feed_oracle_oval.c: feed_oracle_oval() on arbitrary bytes (an Oracle Linux ELSA OVAL
 * document, plain or bzip2), every field of every emitted record read back (fuzz/feed_harness.h). */
#include "feed_harness.h"
#include "feed/vendors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fh_run(feed_oracle_oval, data, size, 1);
}
