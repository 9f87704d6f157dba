/* fuzz/fuzz_cvss.c: runs the CVSS calculator (feed/cvss.c) on arbitrary
 * bytes as a vector string, both versions; a score must be within 0-10. */
#include "feed/cvss.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	double s = -1;
	int version = 0;
	if (feed_cvss_base_score((const char *)data, size, &s, &version) == 0 && (s < 0 || s > 10 || !version))
		abort(); /* a fuzz oracle, not library code */
	if (feed_cvss3_base_score((const char *)data, size, &s, NULL) == 0 && (s < 0 || s > 10))
		abort();
	if (feed_cvss2_base_score((const char *)data, size, &s) == 0 && (s < 0 || s > 10))
		abort();
	return 0;
}
