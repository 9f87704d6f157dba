/* fuzz/fuzz_ignore.c: runs vigil_ignore_list_parse() on arbitrary bytes and,
 * when they parse, filters a small report with the list (ids, aliases,
 * advisories, packages, expiry at a fixed time) and lists expired rules. */
#include "vigil/match.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void sink(void *ud, const char *msg)
{
	size_t *n = ud;
	*n += strlen(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const vigil_package pkgs[] = { { .name = "openssl" }, { .name = "zlib1g" } };
	static const char *const aliases[] = { "GHSA-abcd-efgh-ijkl", "CVE-2021-0001" };
	static const char *const advisories[] = { "DSA-5000-1" };
	vigil_ignore_list *l = NULL;
	if (vigil_ignore_list_parse((const char *)data, size, "fuzz", &l) < 0)
		return 0;
	vigil_finding f[3] = {
		{ .package = &pkgs[0], .id = "CVE-2021-3711", .fixed = "1.1", .severity = VIGIL_SEV_HIGH,
		  .aliases = aliases, .naliases = 2, .advisories = advisories, .nadvisories = 1 },
		{ .package = &pkgs[1], .id = "cve-2018-25032", .severity = VIGIL_SEV_LOW },
		{ .package = NULL, .package_index = 1, .id = "TEMP-0000000-ABCDEF" },
	};
	vigil_vuln_report r = { .findings = f, .finding_count = 3 };
	vigil_filter flt = { .ignore = l, .now = 1709294400, .ignore_unfixed = size & 1 };
	vigil_vuln_report_filter(&r, &flt);
	free(r.suppressed); /* a hand-made report: the filter's array is ours to free */
	size_t n = 0;
	vigil_ignore_list_expired(l, 1709294400, sink, &n);
	vigil_ignore_list_free(l);
	return 0;
}
