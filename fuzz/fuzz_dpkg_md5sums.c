/* fuzz/fuzz_dpkg_md5sums.c: the integrity scanner's reader of var/lib/dpkg/info/NAME.md5sums
 * (audit/integrity.h) on arbitrary bytes, every record read back. */
#include "integ_harness.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)integ_dpkg_md5sums_parse(vigil_slice_cstr("coreutils"), (const char *)data, size, ih_item, NULL);
	return 0;
}
