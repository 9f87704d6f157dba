/* fuzz/fuzz_rpm_ndb.c: scan_rpmdb_parse() on the fuzzer's bytes as an ndb Packages.db file
 * (fuzz/rpm_harness.h). */
#include "rpm_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return rh_run(VIGIL_RPMDB_NDB, data, size);
}
