/* fuzz/fuzz_vex.c: match/vex*.c (OpenVEX, CycloneDX VEX, CSAF) on any
 * bytes, then a lookup of a few findings. Properties: a document that
 * fails leaves the set as it was (a lookup answers as before), and a
 * suppression always comes with its status and document. */
#include "match/filter_priv.h"
#include "vigil/match.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const vigil_package pkgs[] = {
	{ .type = VIGIL_PKG_APK, .name = "busybox", .version = "1.24.2-r9", .arch = "x86_64" },
	{ .type = VIGIL_PKG_DPKG, .name = "bash", .version = "1:5.2-2", .arch = "amd64" },
	{ .type = VIGIL_PKG_RPM, .name = "openssl-libs", .version = "1:1.1.1k-7.el8_6", .arch = "x86_64" },
	{ .type = VIGIL_PKG_NPM, .name = "@babel/core", .version = "7.0.0" },
	{ .type = VIGIL_PKG_PYPI, .name = "Django", .version = "4.2" },
};

static int ask(const vigil_vex *v, size_t i)
{
	const char *const aliases[] = { "GHSA-aaaa-bbbb-cccc" };
	vigil_finding f = { .package = &pkgs[i % 5], .id = i & 1 ? "CVE-2016-6301" : "CVE-1",
			    .namespace = "alpine:3.4", .aliases = aliases, .naliases = 1 };
	const char *st = NULL, *j = NULL, *by = NULL;
	int r = match_vex_lookup(v, &f, &st, &j, &by);
	if (r == 1 && (!st || !by || (strcmp(st, "not_affected") && strcmp(st, "fixed"))))
		abort();
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char seed[] = "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": ["
				   "{\"vulnerability\": \"CVE-1\", \"products\": [\"pkg:apk/alpine/busybox\"],"
				   " \"status\": \"fixed\"}]}";
	vigil_vex *v = NULL;
	int before[10];
	if (vigil_vex_new(&v) < 0)
		return 0;
	if (vigil_vex_parse(v, seed, strlen(seed), "seed.json") < 0)
		abort();
	for (size_t i = 0; i < 10; i++)
		before[i] = ask(v, i);
	if (vigil_vex_parse(v, (const char *)data, size, "fuzz.json") < 0)
		for (size_t i = 0; i < 10; i++)
			if (ask(v, i) != before[i])
				abort();
	for (size_t i = 0; i < 10; i++)
		ask(v, i);
	vigil_vex_free(v);
	return 0;
}
