/* fuzz/fuzz_lang_java.c: runs the streamed Java archive scanner
 * (scan_lang_java_parse_limits, small limits so a run stays short) and the
 * zipped-egg scanner on arbitrary bytes, as a tar entry's stream. Every
 * string of every package is read back (a dangling one is caught). */
#include "pkg_harness.h"
#include "scanner/lang/java.h"
#include "util/stream.h"

static const scan_java_limits fz_limits = {
	.max_depth = 3,
	.max_entries = 2000,
	.max_member = 4096,
	.max_nested = 1 << 20,
	.max_inflated = 4 << 20,
	.ratio = 20,
	.ratio_floor = 1 << 20,
};

static int fz_java(vigil_scan_ctx *ctx, const char *data, size_t len, vigil_pkg_list *out)
{
	vigil_istream *in;
	int rc = vigil_istream_from_mem(data, len, &in);
	if (rc == 0)
		rc = scan_lang_java_parse_limits(ctx, in, len, &fz_limits, out);
	vigil_istream_close(in);
	return rc;
}

static int fz_egg(vigil_scan_ctx *ctx, const char *data, size_t len, vigil_pkg_list *out)
{
	vigil_istream *in;
	int rc = vigil_istream_from_mem(data, len, &in);
	if (rc == 0)
		rc = scan_lang_egg_parse_stream(ctx, in, len, out);
	vigil_istream_close(in);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ph_run(fz_java, "app/lib/x-1.0.jar", data, size);
	return ph_run(fz_egg, "usr/lib/python3/site-packages/x-1.0-py3.11.egg", data, size);
}
