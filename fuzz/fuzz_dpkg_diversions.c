/* fuzz/fuzz_dpkg_diversions.c: the integrity scanner's reader of var/lib/dpkg/diversions
 * (audit/integrity.h) on arbitrary bytes, every record read back. */
#include "integ_harness.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)integ_dpkg_diversions_parse((const char *)data, size, ih_div, NULL);
	return 0;
}
