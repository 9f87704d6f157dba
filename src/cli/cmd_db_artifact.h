/* cli/cmd_db_artifact.h: `vigil db push`, `vigil db pull` and the
 * `--from REF` of `vigil db update` (cmd_db_artifact.c). */
#ifndef VIGIL_CLI_CMD_DB_ARTIFACT_H
#define VIGIL_CLI_CMD_DB_ARTIFACT_H

#include <stdbool.h>

#include "registry_opts.h"
#include "vigil/store.h"

typedef struct cli_db_art {
	const char *ref, *bundle, *sign_key, *verify_key;
	const char *repository; /* --repository: vigil.yaml's db.repository, the last resort */
	bool quiet, force;
	cli_registry reg;
} cli_db_art;

int cmd_db_push(vigil_store *s, int argc, char **argv);
int cmd_db_pull(vigil_store *s, int argc, char **argv);
/* argv[*i] when it is an option of push or pull (--from, --verify-key,
 * the registry options, -q, --force ...): 1 (and *i moved past its
 * value), 0 when it is not one, or CLI_USAGE (printed) when its value is
 * missing. */
int cli_db_art_arg(cli_db_art *a, int argc, char **argv, int *i);
/* The pull of a->ref into s, with its output. */
int cli_db_pull_run(vigil_store *s, const cli_db_art *a);

#endif
