/* fuzz/fuzz_version_rubygems_range.c: Gem requirements (src/version/range_rubygems.c) on
 * arbitrary bytes, through vigil_version_satisfies("rubygems"). */
#include "fuzz_version_range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_range("rubygems", data, size);
}
