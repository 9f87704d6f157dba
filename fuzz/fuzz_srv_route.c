/* fuzz/fuzz_srv_route.c: the server's request-target handling on hostile
 * bytes: route matching over the v4 and v1 tables (srv_route_find: {} is
 * one non-empty segment, at most SRV_MAX_PARAMS) and query decoding
 * (srv_query_get: percent-decoding, '+', flags without '='). The input is
 * "METHOD PATH[?QUERY]"; every parameter found must be a non-empty segment
 * without '/', and every decoded value fits the arena. */
#include "server/server.h"
#include "util/arena.h"
#include "util/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[] = { "latest", "cur", "prev", "features", "vulnerabilities", "limit", "page", "" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1), *path, *query;
	vigil_arena *a = vigil_arena_new((size_t)1 << 20);
	const char *params[SRV_MAX_PARAMS], *v;
	size_t n = 0;
	bool other = false;
	if (!in || !a)
		goto out;
	memcpy(in, data, size);
	in[size] = '\0';
	path = strchr(in, ' ');
	if (path)
		*path++ = '\0';
	else
		path = in + size;
	query = strchr(path, '?');
	if (query)
		*query++ = '\0';
	const struct srv_route *r = srv_route_find(a, in, path, params, &n, &other);
	if (r) {
		if (strcmp(r->method, in) || n > SRV_MAX_PARAMS)
			__builtin_trap();
		for (size_t i = 0; i < n; i++)
			if (!params[i][0] || strchr(params[i], '/'))
				__builtin_trap();
	}
	for (size_t i = 0; query && i < sizeof(names) / sizeof(names[0]); i++)
		if (srv_query_get(a, query, names[i], &v) == 1 && (!v || strlen(v) > strlen(query)))
			__builtin_trap();
out:
	vigil_arena_free(a);
	free(in);
	vigil_error_clear();
	return 0;
}
