/* fuzz/fuzz_www_authenticate.c: WWW-Authenticate challenges
 * (registry/challenge.c) and Docker config.json credentials
 * (registry/creds.c) on hostile bytes. The first byte picks the parser;
 * for credentials the domain looked up is "127.0.0.1:5000". */
#include "registry/registry.h"
#include "util/error.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *doc = (const char *)data + 1;
	size_t len = size - 1;
	if (data[0] % 2 == 0) {
		vigil_reg_challenge ch;
		if (reg_challenge_parse(doc, len, &ch) == 0 &&
		    (ch.scheme != VIGIL_REG_AUTH_BEARER && ch.scheme != VIGIL_REG_AUTH_BASIC))
			__builtin_trap();
	} else {
		vigil_reg_creds cr;
		if (reg_creds_parse("config.json", doc, len, "127.0.0.1:5000", &cr) == 0 && cr.found &&
		    (strlen(cr.user) > VIGIL_REG_MAX_USER || strlen(cr.pass) > VIGIL_REG_MAX_PASSWORD))
			__builtin_trap();
	}
	vigil_error_clear();
	return 0;
}
