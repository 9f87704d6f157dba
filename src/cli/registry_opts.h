/* cli/registry_opts.h: the registry options that every command reading
 * images takes (vigil index, vigil scan, vigil manifest):
 *
 *   static const struct option longopts[] = { ..., CLI_REGISTRY_LONGOPTS, { NULL, 0, NULL, 0 } };
 *   cli_registry reg = { 0 };
 *   ... in the getopt loop:  default: if (cli_registry_opt(&reg, c, optarg)) break; ...
 *   vigil_registry_options ro;
 *   if ((rc = cli_registry_fill(&reg, &ro)) != CLI_OK) return rc;
 *   opt.registry = &ro;
 *
 * The password comes from --password or else $VIGIL_REGISTRY_PASSWORD (so
 * that it stays out of the process list). */
#ifndef VIGIL_CLI_REGISTRY_OPTS_H
#define VIGIL_CLI_REGISTRY_OPTS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "vigil/registry.h"

enum {
	CLI_OPT_REG_USERNAME = 0x1100,
	CLI_OPT_REG_PASSWORD,
	CLI_OPT_REG_INSECURE,
	CLI_OPT_REG_CONFIG,
};

#define CLI_REGISTRY_LONGOPTS                                                    \
	{ "username", required_argument, NULL, CLI_OPT_REG_USERNAME },            \
	{ "password", required_argument, NULL, CLI_OPT_REG_PASSWORD },            \
	{ "insecure-registry", no_argument, NULL, CLI_OPT_REG_INSECURE },         \
	{ "registry-config", required_argument, NULL, CLI_OPT_REG_CONFIG }

#define CLI_REGISTRY_HELP                                                                          \
	"  --username USER       registry user (with --password or $VIGIL_REGISTRY_PASSWORD);\n"    \
	"                        default: the Docker config file's credentials, else anonymous\n"  \
	"  --password PASS       registry password or token\n"                                     \
	"  --insecure-registry   plain HTTP to the registry (TLS is otherwise always verified)\n" \
	"  --registry-config F   a Docker config.json with credentials (default:\n"              \
	"                        $DOCKER_CONFIG/config.json, else ~/.docker/config.json)\n"

typedef struct cli_registry {
	const char *username, *password, *config;
	bool insecure;
} cli_registry;

/* Takes getopt's c when it is a registry option: true, else false. */
bool cli_registry_opt(cli_registry *r, int c, const char *arg);
/* Checks the options and fills o (which points into r and the
 * environment). CLI_OK, or CLI_USAGE with the message printed. */
int cli_registry_fill(const cli_registry *r, vigil_registry_options *o);

#endif
