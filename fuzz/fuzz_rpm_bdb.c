/* fuzz/fuzz_rpm_bdb.c: scan_rpmdb_parse() on the fuzzer's bytes as a Berkeley DB hash Packages file
 * (fuzz/rpm_harness.h). */
#include "rpm_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return rh_run(VIGIL_RPMDB_BDB, data, size);
}
