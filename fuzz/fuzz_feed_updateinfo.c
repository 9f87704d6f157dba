/* fuzz/fuzz_feed_updateinfo.c: feed_updateinfo() on arbitrary bytes (an
 * Amazon ALAS or Rocky updateinfo.xml), every field of every emitted record
 * read back (fuzz/feed_harness.h); the same bytes through the repomd.xml
 * and mirror.list readers of `vigil db update` (db/fetch_repomd.c). */
#include "db/fetch.h"
#include "feed/vendors.h"
#include "feed_harness.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char href[600], digest[160], base[VIGIL_SOURCES_MAX_URL];
	if (db_repomd_updateinfo((const char *)data, size, href, sizeof(href), digest, sizeof(digest)) == 0 &&
	    (!href[0] || !digest[0]))
		__builtin_trap();
	if (db_repomd_base((const char *)data, size, base, sizeof(base)) == 0 && !base[0])
		__builtin_trap();
	vigil_error_clear();
	return fh_run(feed_updateinfo, data, size, 0);
}
