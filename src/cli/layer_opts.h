/* cli/layer_opts.h: the caps on a layer's decompressed size, shared by the
 * commands that read images (vigil index, vigil scan):
 *
 *   static const struct option longopts[] = { ..., CLI_LAYER_LONGOPTS, { NULL, 0, NULL, 0 } };
 *   ... in the getopt loop:
 *   default: if ((rc = cli_layer_opt(&opt, c, optarg, "index")) >= 0) { if (rc) return rc; break; } ...
 *
 * --max-layer-size SIZE: bytes with an optional binary suffix (K, M, G, T,
 * also written KiB, MiB...), or "none"; --max-layer-ratio N: 2 to 1000000,
 * or "none". They fill vigil_index_options' max_layer_size and
 * max_layer_ratio (see vigil/index.h). */
#ifndef VIGIL_CLI_LAYER_OPTS_H
#define VIGIL_CLI_LAYER_OPTS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include "vigil/index.h"

enum {
	CLI_OPT_LAYER_SIZE = 0x1200,
	CLI_OPT_LAYER_RATIO,
};

#define CLI_LAYER_LONGOPTS                                                \
	{ "max-layer-size", required_argument, NULL, CLI_OPT_LAYER_SIZE }, \
	{ "max-layer-ratio", required_argument, NULL, CLI_OPT_LAYER_RATIO }

#define CLI_LAYER_HELP                                                                    \
	"  --max-layer-size SIZE\n"                                                          \
	"                        a layer decompressing to more than SIZE bytes is an error\n" \
	"                        (K, M, G, T: powers of 1024; 'none': no cap; default 64G)\n" \
	"  --max-layer-ratio N   past 1G decompressed, a layer over N times its compressed\n" \
	"                        size is an error (a bomb); 'none': no cap (default 200)\n"

/* Parses "123", "10M", "64GiB", "none" (UINT64_MAX) into *out. */
bool cli_parse_size(const char *s, uint64_t *out);

/* Handles option c of cmd: -1 when c is not one of these, CLI_OK when it
 * was taken into o, CLI_USAGE (message printed) on a bad value. */
int cli_layer_opt(vigil_index_options *o, int c, const char *arg, const char *cmd);

/* The default branch of the getopt loop of a command that reads images
 * (index, scan, sbom): a registry option (registry_opts.h) or a layer cap;
 * CLI_OK when taken, else CLI_USAGE (printed), for a bad value or an
 * option the command does not know:
 *   default: if ((rc = cli_image_opt(&reg, &opt, c, optarg, "scan")) != CLI_OK) return rc; break; */
struct cli_registry;
int cli_image_opt(struct cli_registry *reg, vigil_index_options *o, int c, const char *arg, const char *cmd);

#endif
