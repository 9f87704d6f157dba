/* cli/cmd_sbom.c: vigil sbom IMAGE: the image's inventory as an SBOM,
 * CycloneDX 1.6 JSON (default) or SPDX 2.3 JSON. The image is indexed
 * exactly as `vigil index` and `vigil scan` do (same references, registry
 * and layer options); no vulnerability data is needed: the store is only
 * the layer cache, and an empty or new one is fine.
 *
 * The document's time is now, or $SOURCE_DATE_EPOCH when set (the same
 * image then gives the same bytes: reproducible-builds.org's convention).
 *
 * Exit status: 0 written, 1 an error (unreadable image, store, output),
 * 2 bad usage. */
#include "cli.h"
#include "layer_opts.h"
#include "outputs.h"
#include "registry_opts.h"
#include "suggest.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *f)
{
	fprintf(f,
		"usage: vigil sbom IMAGE [options]\n\n"
		"The packages of an image as an SBOM (no vulnerability data needed).\n"
		"IMAGE is any reference 'vigil index' takes: docker-archive:PATH, oci:DIR[:TAG],\n"
		"dir:PATH, a path, or REGISTRY/REPO[:TAG|@sha256:HEX] (docker:// allowed).\n\n"
		"options:\n"
		"  --format LIST         cyclonedx (default: CycloneDX 1.6 JSON) or spdx (SPDX 2.3\n"
		"                        JSON); both at once: cyclonedx=bom.cdx.json,spdx=bom.spdx.json\n"
		"  -o, --output FILE     write the format that names no file to FILE (not stdout)\n"
		"  --db PATH             the store, used as the layer cache (default: $VIGIL_DB or\n"
		"                        ~/.cache/vigil/vigil.db)\n"
		"  --no-cache            read every layer, do not use the cache\n"
		"  --platform OS/ARCH    the platform to pick from a multi-platform index\n"
		"  --threads N           layers read at once (default: number of cores)\n"
		"  -q, --quiet           no progress line\n"
		CLI_LAYER_HELP
		CLI_REGISTRY_HELP
		"\nexit status: 0 written, 1 error, 2 bad usage\n");
}

struct sbom_args {
	const char *format, *output, *db;
	bool no_cache, quiet;
	cli_outputs outs;
	vigil_index_options iopt;
	cli_registry reg;
};

/* CLI_OK, CLI_USAGE (message printed), or -1 after --help. */
static int parse_args(int argc, char **argv, struct sbom_args *a)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' }, { "output", required_argument, NULL, 'o' },
		{ "db", required_argument, NULL, 'd' }, { "no-cache", no_argument, NULL, 'n' },
		{ "platform", required_argument, NULL, 'p' }, { "threads", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' }, { "help", no_argument, NULL, 'h' },
		CLI_REGISTRY_LONGOPTS, CLI_LAYER_LONGOPTS, { NULL, 0, NULL, 0 },
	};
	long n;
	int c, lrc;
	optind = 1;
	while ((c = cli_getopt(argc, argv, "qho:", longopts, "sbom")) != -1) {
		switch (c) {
		case 'f': a->format = optarg; break;
		case 'o': a->output = optarg; break;
		case 'd': a->db = optarg; break;
		case 'n': a->no_cache = true; break;
		case 'p': a->iopt.platform = optarg; break;
		case 't':
			if (!cli_parse_int(optarg, 1, 64, &n))
				return cli_usage("sbom: --threads takes a number from 1 to 64");
			a->iopt.threads = (int)n;
			break;
		case 'q': a->quiet = true; break;
		case 'h': help(stdout); return -1;
		default:
			if ((lrc = cli_image_opt(&a->reg, &a->iopt, c, optarg, "sbom")) != CLI_OK)
				return lrc;
			break;
		}
	}
	if (optind != argc - 1)
		return cli_usage("sbom: give exactly one IMAGE (see 'vigil sbom --help')");
	return cli_outputs_parse("sbom", a->format, a->output, 1, &a->outs);
}

int cmd_sbom(int argc, char **argv)
{
	struct sbom_args a = { .format = "cyclonedx" };
	vigil_registry_options ro;
	vigil_index_report *ir = NULL;
	vigil_store *store = NULL;
	cli_progress *prog;
	int rc;

	vigil_index_options_init(&a.iopt);
	if ((rc = parse_args(argc, argv, &a)) != CLI_OK)
		return rc == -1 ? CLI_OK : rc;
	const char *image = argv[optind];
	if ((rc = cli_registry_fill(&a.reg, &ro)) != CLI_OK)
		return rc;
	a.iopt.registry = &ro;
	if (!a.no_cache && vigil_store_open(a.db, &store) < 0)
		return cli_fail("cannot open the store");
	prog = cli_progress_new(a.quiet);
	a.iopt.store = store;
	a.iopt.progress = cli_progress_cb;
	a.iopt.progress_ud = prog;
	a.iopt.warn = cli_warn_cb;
	int err = vigil_index_image(image, &a.iopt, &ir);
	cli_progress_done(prog);
	if (err < 0) {
		rc = cli_fail(image);
		goto out;
	}
	for (size_t i = 0; i < ir->warning_count; i++)
		cli_warn_cb(NULL, ir->warnings[i]);
	vigil_report_input rin = { .index = ir, .vulns = NULL, .image = image };
	vigil_report_options ropt;
	vigil_report_options_init(&ropt);
	/* reproducible SBOMs: the reproducible-builds.org convention for the time */
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	long long t;
	if (sde && *sde) {
		char *end;
		t = strtoll(sde, &end, 10);
		if (*end || t <= 0) {
			rc = cli_usage("sbom: SOURCE_DATE_EPOCH must be a positive number of seconds, not '%s'", sde);
			goto out;
		}
		ropt.now = (int64_t)t;
	}
	rc = cli_outputs_write(&a.outs, &rin, &ropt);
out:
	vigil_index_report_free(ir);
	vigil_store_close(store);
	return rc;
}
