/* fuzz/fuzz_lang_gomod.c: runs scan_lang_gomod_parse() on arbitrary bytes
 * (a go.mod). */
#include "pkg_harness.h"
#include "scanner/lang/gorust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return ph_run(scan_lang_gomod_parse, "src/app/go.mod", data, size);
}
