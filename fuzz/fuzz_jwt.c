/* fuzz/fuzz_jwt.c: the Authorization check (server/auth.c) on hostile
 * tokens. The key is fixed ("fuzz-key"), the issuer list holds "quay";
 * only a token whose HMAC was forged could pass, so a pass on anything but
 * the seeds' signed tokens is worth a look, and a crash is a bug. */
#include "server/server.h"
#include "util/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vigil_server_config c;
	char why[128];
	srv_config_defaults(&c);
	memcpy(c.auth_psk, "fuzz-key", 8);
	c.auth_psk_len = 8;
	memcpy(c.auth_issuers[0], "quay", 5);
	c.n_issuers = 1;
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	(void)srv_auth_check(&c, s, 1700000000, why, sizeof(why));
	if (strnlen(why, sizeof(why)) == sizeof(why))
		__builtin_trap();
	free(s);
	vigil_error_clear();
	return 0;
}
