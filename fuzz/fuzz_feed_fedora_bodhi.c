/* fuzz/fuzz_feed_fedora_bodhi.c: feed_fedora_bodhi() on arbitrary bytes (a Bodhi /updates/ page, one
 * update or an array of them), every field of every emitted record read back (fuzz/feed_harness.h);
 * the same bytes go to the sniff and to the page reader of `vigil db update` (db/fetch_bodhi.c). */
#include "db/fetch.h"
#include "feed/vendors.h"
#include "feed_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t page = 0, pages = 0;
	(void)feed_fedora_sniff("fuzz.json", (const char *)data, size < 65536 ? size : 65536);
	(void)db_bodhi_page_info((const char *)data, size, &page, &pages);
	return fh_run(feed_fedora_bodhi, data, size, 0);
}
