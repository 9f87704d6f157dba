/* cli/cli.h: what the subcommands of the vigil command share. The CLI uses
 * only the public API (include/vigil/). Exit codes: 0 success, 1 an error
 * (bad input, unreadable image, store failure), 2 bad usage. */
#ifndef VIGIL_CLI_H
#define VIGIL_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "vigil/vigil.h"

#define CLI_OK 0
#define CLI_ERROR 1
#define CLI_USAGE 2

int cmd_index(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_sbom(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_manifest(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_vercmp(int argc, char **argv);
int cmd_cache(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_notify(int argc, char **argv);
/* vigil db update, on an open store (cmd_db_update.c). */
int cmd_db_update(vigil_store *s, int argc, char **argv);

/* The names of the commands (main.c's table), NULL-terminated. */
const char *const *cli_command_names(void);
/* The subcommands of vigil db (cmd_db.c), for the usage and suggestions. */
struct cli_subcommand {
	const char *name, *help;
};
extern const struct cli_subcommand cli_db_subcommands[];

/* The first of .vigilignore, .trivyignore, .trivyignore.yaml, .grype.yaml
 * in the current folder, NULL when none (cli/conf.c). */
const char *cli_ignore_file_found(void);

/* "vigil: error: <message>" on stderr; returns CLI_ERROR. */
int cli_fail(const char *what);
/* Prints a usage error and returns CLI_USAGE. */
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool cli_parse_int(const char *s, long min, long max, long *out);

/* Terminal progress on stderr: shown only when stderr is a terminal and
 * not quiet; it erases itself when done. */
typedef struct cli_progress cli_progress;
cli_progress *cli_progress_new(bool quiet);
void cli_progress_cb(void *ud, const vigil_index_progress *p);
void cli_progress_done(cli_progress *p);
void cli_warn_cb(void *ud, const char *msg);

/* Records an indexed image in the store for vigil inspect's family tree
 * and tag history (cli/image_record.c): findings -1 when not scanned. A
 * failure is a warning (the index or scan itself succeeded). */
void cli_record_image(vigil_store *store, const char *ref, const vigil_index_report *ir, long long findings);

/* Human sizes: "88.1 MB". */
const char *cli_size(unsigned long long bytes, char *buf, size_t n);

#endif
