/* fuzz/fuzz_lang_npm.c: runs scan_lang_npm_parse() on arbitrary bytes
 * (a node_modules/<name>/package.json). */
#include "pkg_harness.h"
#include "scanner/lang/lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return ph_run(scan_lang_npm_parse, "app/node_modules/x/package.json", data, size);
}
