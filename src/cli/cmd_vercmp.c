/* cli/cmd_vercmp.c: vigil vercmp SCHEME A B: prints "<", "=" or ">" for
 * how version A compares with version B in SCHEME (dpkg, rpm, apk, semver,
 * semver-loose, pep440, maven). Exit 0; 1 when a version is invalid in
 * the scheme; 2 on bad usage or an unknown scheme. */
#include "cli.h"
#include "vigil/version.h"

#include <string.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: vigil vercmp SCHEME A B\n"
		   "  compares versions A and B; prints <, = or >\n"
		   "  SCHEME: dpkg, rpm, apk, semver, semver-loose, pep440, maven\n");
}

int cmd_vercmp(int argc, char **argv)
{
	int res = 0, rc;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return CLI_OK;
	}
	if (argc != 4) {
		usage(stderr);
		return CLI_USAGE;
	}
	rc = vigil_version_compare(argv[1], argv[2], strlen(argv[2]), argv[3], strlen(argv[3]), &res);
	if (rc == VIGIL_EINVAL)
		return cli_usage("%s", vigil_error_message());
	if (rc < 0)
		return cli_fail("vercmp");
	printf("%s\n", res < 0 ? "<" : res > 0 ? ">" : "=");
	return CLI_OK;
}
