/* fuzz/fuzz_dpkg_cfg.c: the integrity scanner's reader of a dpkg.cfg file (path-exclude, path-include)
 * (audit/integrity.h) on arbitrary bytes, every record read back. */
#include "integ_harness.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)integ_dpkg_cfg_parse((const char *)data, size, ih_filter, NULL);
	return 0;
}
