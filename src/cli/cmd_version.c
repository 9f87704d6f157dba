/* cli/cmd_version.c: vigil version. */
#include "cli.h"

int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("vigil %s\n", vigil_version());
	return CLI_OK;
}
