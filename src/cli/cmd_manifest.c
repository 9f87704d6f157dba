/* cli/cmd_manifest.c: vigil manifest IMAGE: the Clair v4 Manifest JSON of a
 * registry image (as `clairctl manifest` prints it), ready to POST to
 * /indexer/api/v1/index_report of a Clair or vigil server. */
#include "cli.h"
#include "suggest.h"
#include "registry_opts.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *f)
{
	fprintf(f,
		"usage: vigil manifest IMAGE [options]\n\n"
		"Prints the Clair v4 Manifest of a registry image: its manifest digest and,\n"
		"per layer, the digest, the blob URL and the Authorization header to fetch it.\n"
		"IMAGE is REGISTRY/REPO:TAG or REGISTRY/REPO@sha256:HEX (docker:// allowed).\n\n"
		"options:\n"
		"  --platform OS/ARCH    the platform to pick from a multi-platform index\n"
		"                        (default: linux/amd64)\n"
		"  --compact             one line of JSON\n"
		CLI_REGISTRY_HELP);
}

int cmd_manifest(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "platform", required_argument, NULL, 'p' }, { "compact", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' }, CLI_REGISTRY_LONGOPTS, { NULL, 0, NULL, 0 },
	};
	const char *platform = NULL;
	bool compact = false;
	cli_registry reg = { 0 };
	vigil_registry_options ro;
	char *json = NULL;
	size_t len;
	int c, rc;

	optind = 1;
	while ((c = cli_getopt(argc, argv, "h", longopts, "manifest")) != -1) {
		switch (c) {
		case 'p': platform = optarg; break;
		case 'c': compact = true; break;
		case 'h': help(stdout); return CLI_OK;
		default:
			if (cli_registry_opt(&reg, c, optarg))
				break;
			return cli_usage("see 'vigil manifest --help'");
		}
	}
	if (optind != argc - 1)
		return cli_usage("manifest: give exactly one IMAGE (see 'vigil manifest --help')");
	if ((rc = cli_registry_fill(&reg, &ro)) != CLI_OK)
		return rc;
	if (vigil_registry_manifest_json(argv[optind], platform, &ro, !compact, &json, &len) < 0)
		return cli_fail(argv[optind]);
	fwrite(json, 1, len, stdout);
	fputc('\n', stdout);
	free(json);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "vigil: error: cannot write the output\n");
		return CLI_ERROR;
	}
	return CLI_OK;
}
