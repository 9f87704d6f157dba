/* fuzz/fuzz_decomp.c: the layer stream (sniffing, ISA-L gzip, zstd,
 * digests) on arbitrary bytes. The size's low bits pick the read API
 * (read() of odd sizes or the zero-copy blocks) and the digests asked for,
 * so that every path sees every input shape. Never a crash or leak;
 * errors are fine. */
#include "layer/layer.h"
#include "util/error.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *specs[] = {
		NULL, "sha256", "sha512",
		"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	};
	vigil_istream *raw, *s;
	if (vigil_istream_from_mem(data, size, &raw) < 0)
		return 0;
	if (layer_stream_open(raw, specs[size % 4], specs[(size / 4) % 4], &s) < 0)
		return 0;
	ssize_t r;
	if (size & 16) {
		const void *p;
		while ((r = layer_stream_next_block(s, &p)) > 0)
			;
	} else {
		static char buf[4099];
		while ((r = vigil_istream_read(s, buf, sizeof(buf))) > 0)
			;
	}
	char b[VIGIL_LAYER_DIGEST_MAX], d[VIGIL_LAYER_DIGEST_MAX];
	if (layer_stream_digests(s, b, d) == 0 && r == 0 && (b[0] || d[0]) &&
	    strncmp(b[0] ? b : d, "sha", 3) != 0)
		__builtin_trap(); /* a finished digest is always "alg:hex" */
	vigil_istream_close(s);
	return 0;
}
