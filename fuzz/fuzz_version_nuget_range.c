/* fuzz/fuzz_version_nuget_range.c: NuGet ranges (src/version/range_nuget.c) on
 * arbitrary bytes, through vigil_version_satisfies("nuget"). */
#include "fuzz_version_range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_range("nuget", data, size);
}
