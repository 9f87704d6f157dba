/* fuzz/fuzz_lang_yarn.c: runs scan_yarn_lock_parse() on arbitrary bytes
 * (a yarn.lock, v1 or berry). */
#include "pkg_harness.h"
#include "scanner/lang/node_lock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return ph_run(scan_yarn_lock_parse, "app/yarn.lock", data, size);
}
