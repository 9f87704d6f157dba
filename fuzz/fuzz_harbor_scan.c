/* fuzz/fuzz_harbor_scan.c: the ScanRequest parser of Harbor's scanner API
 * (server/harbor.c) on hostile bytes: an answer of 0 or a 4xx/5xx status
 * with a terminated reason; when accepted, a request whose strings are
 * terminated, whose host and repository are non-empty, whose digest is
 * checked and which makes at least one report. Nothing is fetched. */
#include "server/harbor.h"
#include "util/error.h"
#include "vigil/digest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	srv_harbor_scan sc;
	char why[512];
	memset(&sc, 0, sizeof(sc));
	why[0] = '\0';
	int st = srv_harbor_parse_scan((const char *)data, size, &sc, why, sizeof(why));
	if (st != 0 && (st < 400 || st > 599 || !why[0] || strnlen(why, sizeof(why)) == sizeof(why)))
		__builtin_trap();
	if (st == 0 && (!sc.host[0] || !sc.art.repository[0] || !sc.outputs ||
			strnlen(sc.art.tag, sizeof(sc.art.tag)) == sizeof(sc.art.tag) ||
			vigil_digest_check(sc.art.digest, "digest") < 0 ||
			(sc.authorization && strncmp(sc.authorization, "B", 1))))
		__builtin_trap();
	free(sc.authorization);
	vigil_error_clear();
	return 0;
}
