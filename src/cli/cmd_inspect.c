/* cli/cmd_inspect.c: vigil inspect IMAGE: the image's config (env values
 * that look secret masked), its history with each layer's digest, sizes
 * and file count, the Dockerfile reconstructed from the history; with
 * --family-tree the indexed images that share its base layers; and
 * vigil inspect --tag-history REPO:TAG, the digests a tag pointed to when
 * vigil indexed it (vigil/inspect.h, docs/audit.md (vigil inspect)).
 *
 * Exit status: 0 done, 1 an error, 2 bad usage. */
#include "cli.h"
#include "outputs.h"
#include "suggest.h"
#include "registry_opts.h"
#include "vigil/inspect.h"

#include <getopt.h>
#include <string.h>

static void help(FILE *f)
{
	fprintf(f,
		"usage: vigil inspect IMAGE [options]\n"
		"       vigil inspect --tag-history REPOSITORY:TAG [options]\n\n"
		"IMAGE is any reference 'vigil index' takes (oci:DIR[:TAG], docker-archive:PATH,\n"
		"REGISTRY/REPO[:TAG|@sha256:HEX] ...). Shows its config (entrypoint, cmd, user, env with\n"
		"secret-looking values masked, ports, volumes, labels, healthcheck ...), every history\n"
		"entry with its layer's digest, compressed and uncompressed size and file count (one\n"
		"pass over the layers), and the Dockerfile reconstructed from the history.\n\n"
		"options:\n"
		"  --format table|json   output format (default: table); json: docs/audit.md (vigil inspect)\n"
		"  -o, --output FILE     write to FILE (not stdout)\n"
		"  --family-tree         add the indexed images that share its base layers: parents,\n"
		"                        children, siblings (from the store: vigil index/scan record them)\n"
		"  --tag-history REPO:TAG  the digests REPO:TAG pointed to each time vigil indexed it,\n"
		"                        with the dates and findings counts (no IMAGE: nothing is read)\n"
		"  --db PATH             the store (default: $VIGIL_DB or ~/.cache/vigil/vigil.db)\n"
		"  --no-layers           do not read the layers (no uncompressed sizes, no file counts)\n"
		"  --platform OS/ARCH    the platform to pick from a multi-platform index\n"
		"  -q, --quiet           no progress line\n" CLI_REGISTRY_HELP
		"\nexit status: 0 done, 1 error, 2 bad usage\n");
}

struct inspect_args {
	const char *format, *output, *db, *tag_history;
	bool family, quiet;
	cli_outputs outs;
	vigil_inspect_options o;
	cli_registry reg;
};

static int parse_args(int argc, char **argv, struct inspect_args *a)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' }, { "output", required_argument, NULL, 'o' },
		{ "family-tree", no_argument, NULL, 'F' }, { "tag-history", required_argument, NULL, 'T' },
		{ "db", required_argument, NULL, 'd' }, { "no-layers", no_argument, NULL, 'N' },
		{ "platform", required_argument, NULL, 'p' }, { "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' }, CLI_REGISTRY_LONGOPTS, { NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
	while ((c = cli_getopt(argc, argv, "qho:", longopts, "inspect")) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "table") && strcmp(optarg, "json"))
				return cli_usage("inspect: --format must be table or json, not '%s'", optarg);
			a->format = optarg;
			break;
		case 'o': a->output = optarg; break;
		case 'F': a->family = true; break;
		case 'T': a->tag_history = optarg; break;
		case 'd': a->db = optarg; break;
		case 'N': a->o.no_layers = 1; break;
		case 'p': a->o.platform = optarg; break;
		case 'q': a->quiet = true; break;
		case 'h': help(stdout); return -1;
		default:
			if (!cli_registry_opt(&a->reg, c, optarg))
				return cli_usage("inspect: unknown option (see 'vigil inspect --help')");
			break;
		}
	}
	if (a->tag_history && optind != argc)
		return cli_usage("inspect: --tag-history takes no IMAGE (it reads the store only)");
	if (a->tag_history && a->family)
		return cli_usage("inspect: --family-tree needs an IMAGE, not --tag-history");
	if (!a->tag_history && optind != argc - 1)
		return cli_usage("inspect: give exactly one IMAGE (see 'vigil inspect --help')");
	return cli_outputs_parse("inspect", a->format, a->output, 0, &a->outs);
}

static int render_report(void *ud, vigil_report_format f, const vigil_report_options *ro, char **out, size_t *len)
{
	(void)ro;
	return vigil_inspect_render(ud, f, out, len);
}

static int render_tags(void *ud, vigil_report_format f, const vigil_report_options *ro, char **out, size_t *len)
{
	(void)ro;
	return vigil_tag_history_render(ud, f, out, len);
}

static int tag_history(struct inspect_args *a, vigil_store *store)
{
	vigil_tag_history *h = NULL;
	vigil_report_options ropt;
	int rc;
	if (vigil_tag_history_load(store, a->tag_history, &h) < 0)
		return cli_fail(a->tag_history);
	vigil_report_options_init(&ropt);
	rc = cli_outputs_write_with(&a->outs, render_tags, h, &ropt);
	vigil_tag_history_free(h);
	return rc;
}

int cmd_inspect(int argc, char **argv)
{
	struct inspect_args a = { .format = "table" };
	vigil_registry_options ro;
	vigil_inspect_report *r = NULL;
	vigil_store *store = NULL;
	vigil_report_options ropt;
	int rc;

	vigil_inspect_options_init(&a.o);
	if ((rc = parse_args(argc, argv, &a)) != CLI_OK)
		return rc == -1 ? CLI_OK : rc;
	if ((rc = cli_registry_fill(&a.reg, &ro)) != CLI_OK)
		return rc;
	a.o.registry = &ro;
	rc = CLI_ERROR;
	if ((a.family || a.tag_history) && vigil_store_open(a.db, &store) < 0)
		return cli_fail("cannot open the store");
	if (a.tag_history) {
		rc = tag_history(&a, store);
		goto out;
	}
	const char *image = argv[optind];
	cli_progress *prog = cli_progress_new(a.quiet);
	a.o.progress = cli_progress_cb;
	a.o.progress_ud = prog;
	a.o.warn = cli_warn_cb;
	int err = vigil_inspect_image(image, &a.o, &r);
	cli_progress_done(prog);
	if (err < 0) {
		rc = cli_fail(image);
		goto out;
	}
	if (a.family && vigil_inspect_family_load(r, store) < 0) {
		rc = cli_fail("--family-tree");
		goto out;
	}
	vigil_report_options_init(&ropt);
	rc = cli_outputs_write_with(&a.outs, render_report, r, &ropt);
out:
	vigil_inspect_report_free(r);
	vigil_store_close(store);
	return rc;
}
