/* cli/cmd_diff.c: vigil diff (placeholder until its issue-15 part lands). */
#include "cli.h"

int cmd_diff(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage("diff: not built yet");
}
