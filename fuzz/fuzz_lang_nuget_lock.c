/* fuzz/fuzz_lang_nuget_lock.c: runs scan_lang_nuget_lock_parse() on arbitrary bytes
 * (a NuGet packages.lock.json). */
#include "pkg_harness.h"
#include "scanner/lang/rpn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return ph_run(scan_lang_nuget_lock_parse, "app/packages.lock.json", data, size);
}
