/* fuzz/fuzz_lang_cargo.c: runs scan_lang_cargo_lock_parse() (a Cargo.lock)
 * and scan_lang_cargo_audit_json() (an inflated .dep-v0) on arbitrary
 * bytes. */
#include "pkg_harness.h"
#include "scanner/lang/gorust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ph_run(scan_lang_cargo_lock_parse, "app/Cargo.lock", data, size);
	return ph_run(scan_lang_cargo_audit_json, "usr/bin/x", data, size);
}
