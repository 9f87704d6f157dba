/* fuzz/fuzz_version_npm_range.c: npm ranges (src/version/range_npm.c) on
 * arbitrary bytes, with each of node-semver's option sets (the input's
 * length picks them), through vigil_npm_satisfies(). */
#include "fuzz_version_range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *c, *v;
	size_t clen, vlen;
	int res = 2;
	fuzz_split(data, size, &c, &clen, &v, &vlen);
	int rc = vigil_npm_satisfies(c, clen, v, vlen, (unsigned)(size % 4), &res);
	fuzz_check(rc, res);
	return fuzz_range("npm", data, size);
}
