/* fuzz/fuzz_apk_checksums.c: the integrity scanner's reader of
 * lib/apk/db/installed (R: files and their Z: checksums, audit/integrity.h)
 * on arbitrary bytes, every record read back. */
#include "integ_harness.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)integ_apk_parse((const char *)data, size, ih_item, NULL);
	return 0;
}
