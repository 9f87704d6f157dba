/* fuzz/integ_harness.h: what the integrity scanner's fuzz targets share
 * (fuzz_dpkg_md5sums, fuzz_dpkg_conffiles, fuzz_dpkg_diversions,
 * fuzz_dpkg_cfg, fuzz_apk_checksums, fuzz_rpm_file_digests): callbacks that
 * read every byte of every slice a reader hands over, so that the
 * sanitizers catch a slice running past the input. */
#ifndef VIGIL_FUZZ_INTEG_HARNESS_H
#define VIGIL_FUZZ_INTEG_HARNESS_H

#include "audit/integrity.h"

static inline size_t ih_sum(vigil_slice s)
{
	size_t n = 0;
	for (size_t i = 0; i < s.len; i++)
		n += (unsigned char)s.ptr[i];
	return n;
}

static inline int ih_item(void *ud, const integ_item *it)
{
	volatile size_t n = ih_sum(it->pkg) + ih_sum(it->path) + it->digest[0] + it->digest[31] + integ_digest_len(it->algo);
	(void)n;
	(void)ud;
	return 0;
}

static inline int ih_div(void *ud, vigil_slice from, vigil_slice to, vigil_slice by)
{
	volatile size_t n = ih_sum(from) + ih_sum(to) + ih_sum(by);
	(void)n;
	(void)ud;
	return 0;
}

static inline int ih_filter(void *ud, bool include, vigil_slice glob)
{
	volatile size_t n = ih_sum(glob) + include;
	(void)n;
	(void)ud;
	return 0;
}

#endif
