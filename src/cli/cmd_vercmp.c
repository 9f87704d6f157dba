/* cli/cmd_vercmp.c: vigil vercmp SCHEME A B: prints "<", "=" or ">" for
 * how version A compares with version B in SCHEME (dpkg, rpm, apk, semver,
 * semver-loose, npm, pep440, maven, go, rubygems, composer, nuget);
 * vigil vercmp --satisfies SCHEME VERSION CONSTRAINT: prints "yes" or "no"
 * (npm, rubygems, composer, nuget). Exit 0; 1 when a version or the
 * constraint is invalid in the scheme; 2 on bad usage or an unknown
 * scheme. */
#include "cli.h"
#include "vigil/version.h"

#include <string.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: vigil vercmp SCHEME A B\n"
		   "       vigil vercmp --satisfies SCHEME VERSION CONSTRAINT\n"
		   "  compares versions A and B; prints <, = or >\n"
		   "  SCHEME: dpkg, rpm, apk, semver (crates.io), semver-loose, npm, pep440,\n"
		   "          maven, go, rubygems, composer, nuget\n"
		   "  --satisfies: whether VERSION meets CONSTRAINT; prints yes or no\n"
		   "          (npm ranges, rubygems requirements, composer constraints,\n"
		   "          nuget intervals)\n");
}

static int satisfies(char **argv)
{
	int res = 0;
	int rc = vigil_version_satisfies(argv[2], argv[3], strlen(argv[3]), argv[4], strlen(argv[4]), &res);
	if (rc == VIGIL_EINVAL)
		return cli_usage("%s", vigil_error_message());
	if (rc < 0)
		return cli_fail("vercmp --satisfies");
	printf("%s\n", res ? "yes" : "no");
	return CLI_OK;
}

int cmd_vercmp(int argc, char **argv)
{
	int res = 0, rc;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return CLI_OK;
	}
	if (argc == 5 && !strcmp(argv[1], "--satisfies"))
		return satisfies(argv);
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
