/* cli/suggest.h: "did you mean" (cli/suggest.c) and the conventions every
 * command shares through its getopt table (cli/conf.c): options also from
 * VIGIL_<FLAG> environment variables and a vigil.yaml file.
 *
 *   while ((c = cli_getopt(argc, argv, "qh", longopts, "index")) != -1)
 *       switch (c) { ...; default: return cli_usage("index: see 'vigil index --help'"); }
 *
 * cli_getopt is getopt_long that first returns the options that the
 * config file and the environment give (those the command line does not
 * give itself), then the command line's; an unknown option is reported
 * with a suggestion from longopts before it returns '?'. */
#ifndef VIGIL_CLI_SUGGEST_H
#define VIGIL_CLI_SUGGEST_H

#include <getopt.h>
#include <stddef.h>

typedef struct cli_suggestion {
	const char *best;
	size_t dist;
} cli_suggestion;

/* Optimal string alignment distance, ASCII case ignored; (size_t)-1 past
 * 64 bytes. */
size_t cli_distance(const char *a, size_t na, const char *b, size_t nb);
/* Considers name as a suggestion for word (len bytes). */
void cli_suggest_add(cli_suggestion *s, const char *word, size_t len, const char *name);
/* The nearest of a NULL-terminated list, NULL when none is near. */
const char *cli_suggest_list(const char *word, const char *const *names);
/* The nearest long option name for "--severty" / "--severty=x". */
const char *cli_suggest_option(const char *word, const struct option *longopts);
/* "vigil: CMD: unknown option 'ARG' (did you mean '--X'?)" on stderr. */
void cli_bad_option(const char *cmd, const char *arg, const struct option *longopts);

/* getopt_long with the config file and the environment first (see above).
 * cmd names the command in messages and selects the config file's
 * section ("scan", "db update"). A broken config file or a bad value is
 * reported and the process exits 2. */
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts, const char *cmd);

/* For commands that parse argv by hand: *argv gets a new vector with the
 * config file's and the environment's options (as "--flag" ["value"])
 * inserted before (*argv)[first]; *argc is updated. opts names the flags
 * the command takes. The vector lives until the process ends. CLI_OK, or
 * CLI_USAGE after printing why. */
int cli_conf_argv(const char *cmd, const struct option *opts, int first, int *argc, char ***argv);

#endif
