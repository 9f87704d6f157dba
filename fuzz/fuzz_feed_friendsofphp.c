/* fuzz/fuzz_feed_friendsofphp.c: feed_friendsofphp() on arbitrary bytes (a FriendsOfPHP advisory YAML file),
 * every field of every emitted record read back (fuzz/feed_harness.h). */
#include "feed_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fh_run(feed_friendsofphp, data, size, 0);
}
