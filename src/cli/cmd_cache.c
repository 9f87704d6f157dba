/* cli/cmd_cache.c: vigil cache [stats|clear] [--db PATH]: the layer cache. */
#include "cli.h"

#include <string.h>

int cmd_cache(int argc, char **argv)
{
	const char *db = NULL, *action = "stats";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			db = argv[++i];
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: vigil cache [stats|clear] [--db PATH]\n");
			return CLI_OK;
		} else if (!strcmp(argv[i], "stats") || !strcmp(argv[i], "clear"))
			action = argv[i];
		else
			return cli_usage("cache: unknown argument '%s'", argv[i]);
	}
	vigil_store *s;
	long long n = 0;
	if (vigil_store_open(db, &s) < 0)
		return cli_fail("cannot open the store");
	int rc = !strcmp(action, "clear") ? vigil_store_cache_clear(s, &n) : vigil_store_cache_count(s, &n);
	if (rc < 0) {
		vigil_store_close(s);
		return cli_fail(NULL);
	}
	printf("%s: %lld cached layer scan%s%s\n", vigil_store_describe(s), n, n == 1 ? "" : "s",
	       !strcmp(action, "clear") ? " removed" : "");
	vigil_store_close(s);
	return CLI_OK;
}
