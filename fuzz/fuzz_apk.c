/* fuzz/fuzz_apk.c: runs scan_apk_parse() on arbitrary bytes (a
 * lib/apk/db/installed file). */
#include "pkg_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return ph_run(scan_apk_parse, "lib/apk/db/installed", data, size);
}
