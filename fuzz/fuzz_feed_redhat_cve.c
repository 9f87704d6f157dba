/* fuzz/fuzz_feed_redhat_cve.c: feed_redhat_cve_json() on arbitrary bytes (a Red Hat Security Data CVE JSON),
 * every field of every emitted record read back (fuzz/feed_harness.h). */
#include "feed_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fh_run(feed_redhat_cve_json, data, size, 0);
}
