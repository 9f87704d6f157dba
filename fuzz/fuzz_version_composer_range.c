/* fuzz/fuzz_version_composer_range.c: Composer constraints (src/version/range_composer.c) on
 * arbitrary bytes, through vigil_version_satisfies("composer"). */
#include "fuzz_version_range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_range("composer", data, size);
}
