/* fuzz/fuzz_dpkg_list.c: runs scan_dpkg_list_parse() on arbitrary bytes
 * (a var/lib/dpkg/info/NAME.list), every listed file read back. */
#include "pkg_harness.h"

static int parse_list(vigil_scan_ctx *ctx, const char *data, size_t len, vigil_pkg_list *out)
{
	(void)out;
	return scan_dpkg_list_parse(ctx, data, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return ph_run(parse_list, "var/lib/dpkg/info/libc6:amd64.list", data, size);
}
