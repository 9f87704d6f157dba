/* fuzz/fuzz_lang_pnpm.c: runs scan_pnpm_lock_parse() on arbitrary bytes
 * (a pnpm-lock.yaml). */
#include "pkg_harness.h"
#include "scanner/lang/node_lock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return ph_run(scan_pnpm_lock_parse, "app/pnpm-lock.yaml", data, size);
}
