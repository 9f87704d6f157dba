/* cli/cmd_verify.c: vigil verify (placeholder until its issue-15 part lands). */
#include "cli.h"

int cmd_verify(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage("verify: not built yet");
}
