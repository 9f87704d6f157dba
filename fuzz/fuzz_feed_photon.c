/* fuzz/fuzz_feed_photon.c: feed_photon_cve() on arbitrary bytes (a Photon
 * cve_data file, as if named cve_data_photon4.0.json, or one vuln-list row),
 * every field of every emitted record read back (fuzz/feed_harness.h). */
#include "feed/vendors.h"
#include "feed_harness.h"

static int parse(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	ctx->file = "cve_data_photon4.0.json";
	return feed_photon_cve(ctx, data, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fh_run(parse, data, size, 0);
}
