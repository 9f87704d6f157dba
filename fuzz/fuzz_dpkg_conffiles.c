/* fuzz/fuzz_dpkg_conffiles.c: the integrity scanner's reader of the Conffiles: of a dpkg status file
 * (audit/integrity.h) on arbitrary bytes, every record read back. */
#include "integ_harness.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)integ_dpkg_status_parse((const char *)data, size, ih_item, NULL);
	return 0;
}
