/* fuzz/fuzz_lang_gemfile_lock.c: runs scan_lang_gemfile_lock_parse() on arbitrary bytes
 * (a Bundler Gemfile.lock). */
#include "pkg_harness.h"
#include "scanner/lang/rpn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return ph_run(scan_lang_gemfile_lock_parse, "app/Gemfile.lock", data, size);
}
