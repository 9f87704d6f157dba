/* fuzz/fuzz_srv_v1_body.c: the POST /v1/layers body parser
 * (server/v1_body.c) on hostile bytes: it must answer 0 or an HTTP status
 * (400, 422, 500) with a terminated message, and on 0 give a name and a
 * parent that are valid layer names, an http(s) Path, and at most
 * V1_MAX_HEADERS headers of at most V1_MAX_HEADER bytes without CR or LF.
 * The seeds include Clair 0.x's top-level {"ID", "Path", "ParentID",
 * "ImageFormat"} (analyze-local-images), read as a layer too. */
#include "server/v1.h"
#include "util/error.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	v1_post p;
	char msg[2048];
	int st = v1_post_parse((const char *)data, size, &p, msg, sizeof(msg));
	if (strnlen(msg, sizeof(msg)) == sizeof(msg))
		__builtin_trap();
	if (st == 0) {
		if (!vigil_index_chain_name_ok(p.name, strlen(p.name)) ||
		    (*p.parent && !vigil_index_chain_name_ok(p.parent, strlen(p.parent))) ||
		    (strncasecmp(p.path, "http://", 7) && strncasecmp(p.path, "https://", 8)) ||
		    p.nheaders > V1_MAX_HEADERS)
			__builtin_trap();
		for (size_t i = 0; i < p.nheaders; i++)
			if (strlen(p.headers[i]) > V1_MAX_HEADER || strpbrk(p.headers[i], "\r\n"))
				__builtin_trap();
	} else if (st != 400 && st != 422 && st != 500) {
		__builtin_trap();
	}
	v1_post_free(&p);
	vigil_error_clear();
	return 0;
}
