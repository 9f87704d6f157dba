/* fuzz/fuzz_lang_dotnet_deps.c: runs scan_lang_dotnet_deps_parse() on arbitrary bytes
 * (a .NET app's <app>.deps.json). */
#include "pkg_harness.h"
#include "scanner/lang/rpn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return ph_run(scan_lang_dotnet_deps_parse, "app/App.deps.json", data, size);
}
