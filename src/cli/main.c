/* cli/main.c: the vigil command: dispatches to one file per subcommand. */
#include <stdio.h>
#include <string.h>

#include "vigil/common.h"

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "version") == 0) {
		printf("vigil %s\n", vigil_version());
		return 0;
	}
	fprintf(stderr, "usage: vigil version\n");
	return 2;
}
