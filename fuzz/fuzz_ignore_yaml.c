/* fuzz/fuzz_ignore_yaml.c: runs the YAML ignore readers (Trivy's
 * .trivyignore.yaml, Grype's .grype.yaml: match/ignore_yaml.c) on arbitrary
 * bytes, under both names, and, when they parse, filters a small report
 * (ids, aliases, package names, versions, types, database paths, purls,
 * fix states) with the list, lists expired rules and the notes. */
#include "vigil/match.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void sink(void *ud, const char *msg)
{
	size_t *n = ud;
	*n += strlen(msg);
}

static void run(const uint8_t *data, size_t size, const char *name)
{
	static const vigil_distribution d = { .did = "alpine", .version_id = "3.10.4" };
	static const vigil_package pkgs[] = {
		{ .type = VIGIL_PKG_APK, .name = "musl", .version = "1.1.22-r3", .source_name = "musl",
		  .package_db = "lib/apk/db/installed" },
		{ .type = VIGIL_PKG_NPM, .name = "@babel/traverse", .version = "7.15.4",
		  .purl = "pkg:npm/%40babel/traverse@7.15.4", .package_db = "app/package-lock.json" },
	};
	static const char *const aliases[] = { "GHSA-abcd-efgh-ijkl", "CVE-2021-0001" };
	vigil_ignore_list *l = NULL;
	if (vigil_ignore_list_parse((const char *)data, size, name, &l) < 0)
		return;
	vigil_index_report ir = { .packages = pkgs, .package_count = 2, .distribution = &d };
	vigil_finding f[3] = {
		{ .package = &pkgs[0], .id = "CVE-2099-0001", .fixed = "99.0-r0", .state = VIGIL_STATE_FIXED,
		  .aliases = aliases, .naliases = 2 },
		{ .package = &pkgs[1], .package_index = 1, .id = "GHSA-67hx-6x53-jw92", .state = VIGIL_STATE_NOT_FIXED },
		{ .package = NULL, .id = "CVE-2008-4318", .state = VIGIL_STATE_WILL_NOT_FIX },
	};
	vigil_vuln_report r = { .index = &ir, .findings = f, .finding_count = 3 };
	vigil_filter flt = { .ignore = l, .now = 1709294400 };
	vigil_vuln_report_filter(&r, &flt);
	size_t n = 0;
	vigil_ignore_list_expired(l, 1709294400, sink, &n);
	vigil_ignore_list_notes(l, sink, &n);
	free(r.suppressed);
	vigil_ignore_list_free(l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(data, size, ".trivyignore.yaml");
	run(data, size, ".grype.yaml");
	return 0;
}
