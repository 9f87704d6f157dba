/* fuzz/fuzz_creds.c: the credential parsers of the registry client on
 * hostile bytes. The first byte picks the parser: a Docker config.json or
 * podman auth.json (reg_creds_parse, looked up for a few hosts: an exact
 * key, Docker Hub's aliases, host:port), or the output of a credential
 * helper (reg_creds_helper_parse); the rest is the document. Whatever the
 * input, a helper name that comes out is a bare [A-Za-z0-9._-] name. */
#include "registry/registry.h"
#include "util/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_helper(const vigil_reg_creds *cr)
{
	for (const char *c = cr->helper; *c; c++)
		if (*c == '/' || *c == ' ' || (unsigned char)*c < 0x20)
			abort();
	if (cr->helper[0] == '.')
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const hosts[] = { "docker.io", "127.0.0.1:5000", "quay.io", "h" };
	vigil_reg_creds *cr;
	if (size < 1 || !(cr = malloc(sizeof(*cr))))
		return 0;
	const char *doc = (const char *)data + 1;
	size_t len = size - 1;
	if (data[0] % 2 == 0) {
		const char *host = hosts[(data[0] / 2) % 4];
		if (reg_creds_parse("config.json", doc, len, host, cr) == 0)
			check_helper(cr);
	} else if (reg_creds_helper_parse("docker-credential-x get", doc, len, cr) == 0 && cr->found &&
		   (!cr->user[0] || !cr->pass[0])) {
		abort();
	}
	vigil_error_clear();
	free(cr);
	return 0;
}
