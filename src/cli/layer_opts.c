/* cli/layer_opts.c: --max-layer-size and --max-layer-ratio (see
 * layer_opts.h). */
#include "cli.h"
#include "layer_opts.h"
#include "registry_opts.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

bool cli_parse_size(const char *s, uint64_t *out)
{
	static const struct { const char *suffix; unsigned shift; } units[] = {
		{ "", 0 }, { "B", 0 }, { "K", 10 }, { "KiB", 10 }, { "M", 20 }, { "MiB", 20 },
		{ "G", 30 }, { "GiB", 30 }, { "T", 40 }, { "TiB", 40 },
	};
	char *end;
	if (!strcmp(s, "none")) {
		*out = UINT64_MAX;
		return true;
	}
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno)
		return false;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix))
			continue;
		if (v == 0 || v > (UINT64_MAX >> units[i].shift))
			return false;
		*out = (uint64_t)v << units[i].shift;
		return true;
	}
	return false;
}

int cli_layer_opt(vigil_index_options *o, int c, const char *arg, const char *cmd)
{
	long n;
	switch (c) {
	case CLI_OPT_LAYER_SIZE:
		if (!cli_parse_size(arg, &o->max_layer_size))
			return cli_usage("%s: --max-layer-size takes a size in bytes from 1 (suffixes K, M, G, T) "
					 "or 'none', not '%s'", cmd, arg);
		return CLI_OK;
	case CLI_OPT_LAYER_RATIO:
		if (!strcmp(arg, "none"))
			o->max_layer_ratio = UINT_MAX;
		else if (cli_parse_int(arg, 2, 1000000, &n))
			o->max_layer_ratio = (unsigned)n;
		else
			return cli_usage("%s: --max-layer-ratio takes a number from 2 to 1000000 or 'none', "
					 "not '%s'", cmd, arg);
		return CLI_OK;
	default:
		return -1;
	}
}

int cli_image_opt(struct cli_registry *reg, vigil_index_options *o, int c, const char *arg, const char *cmd)
{
	int rc;
	if (cli_registry_opt(reg, c, arg))
		return CLI_OK;
	if ((rc = cli_layer_opt(o, c, arg, cmd)) >= 0)
		return rc;
	return cli_usage("see 'vigil %s --help'", cmd);
}
