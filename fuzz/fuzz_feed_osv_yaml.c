/* fuzz/fuzz_feed_osv_yaml.c: feed_osv_yaml() on arbitrary bytes (an OSV document written as YAML (PyPA)),
 * every field of every emitted record read back (fuzz/feed_harness.h). */
#include "feed_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fh_run(feed_osv_yaml, data, size, 0);
}
