/* fuzz/fuzz_lang_python.c: runs scan_lang_python_parse() on arbitrary
 * bytes (a dist-info METADATA or an egg-info PKG-INFO). */
#include "pkg_harness.h"
#include "scanner/lang/lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return ph_run(scan_lang_python_parse, "usr/lib/python3/dist-packages/x.dist-info/METADATA", data, size);
}
