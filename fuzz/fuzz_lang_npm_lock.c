/* fuzz/fuzz_lang_npm_lock.c: runs scan_npm_lock_parse() on arbitrary bytes
 * (a package-lock.json, any lockfileVersion). */
#include "pkg_harness.h"
#include "scanner/lang/node_lock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return ph_run(scan_npm_lock_parse, "app/package-lock.json", data, size);
}
