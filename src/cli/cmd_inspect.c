/* cli/cmd_inspect.c: vigil inspect (placeholder until its issue-15 part lands). */
#include "cli.h"

int cmd_inspect(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage("inspect: not built yet");
}
