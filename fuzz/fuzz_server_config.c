/* fuzz/fuzz_server_config.c: the server's YAML config (server/config.c) on
 * hostile bytes: it must fail cleanly or give a config whose strings are
 * terminated and whose counts are within their limits. */
#include "server/server.h"
#include "util/error.h"

#include <stdint.h>
#include <string.h>

static void drop(void *ud, const char *msg)
{
	(void)ud;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vigil_server_config c;
	srv_config_defaults(&c);
	if (srv_config_parse("fuzz.yaml", (const char *)data, size, &c, drop, NULL) == 0) {
		if (c.n_issuers > SRV_MAX_ISSUERS || c.auth_psk_len > sizeof(c.auth_psk) ||
		    strnlen(c.http_listen_addr, sizeof(c.http_listen_addr)) == sizeof(c.http_listen_addr) ||
		    strnlen(c.indexer_connstring, sizeof(c.indexer_connstring)) == sizeof(c.indexer_connstring) ||
		    c.threads < 0)
			__builtin_trap();
	}
	vigil_error_clear();
	return 0;
}
