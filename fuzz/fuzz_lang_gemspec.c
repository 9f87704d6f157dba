/* fuzz/fuzz_lang_gemspec.c: runs scan_lang_gemspec_parse() on arbitrary bytes
 * (an installed gem's specifications/<name>.gemspec). */
#include "pkg_harness.h"
#include "scanner/lang/rpn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return ph_run(scan_lang_gemspec_parse, "usr/local/bundle/specifications/x-1.gemspec", data, size);
}
