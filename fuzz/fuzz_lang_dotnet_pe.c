/* fuzz/fuzz_lang_dotnet_pe.c: runs scan_lang_pe_parse() on arbitrary bytes
 * (a .NET assembly, through the streamed reader over memory). */
#include "pkg_harness.h"
#include "scanner/lang/rpn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return ph_run(scan_lang_pe_parse, "app/App.dll", data, size);
}
