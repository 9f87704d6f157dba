/* cli/cmd_diff.c: vigil diff IMAGE_A IMAGE_B: files, packages, findings
 * and configuration that differ between two images (vigil/diff.h,
 * docs/audit.md (vigil diff)). Each image is read once as a stream for its files
 * and indexed through the store's layer cache for its packages; findings
 * are compared when the store holds vulnerability data, and said not to
 * be judged otherwise.
 *
 * Exit status: 0 done (differences or not, unless --exit-code), N
 * (--exit-code N) when the images differ, 1 an error, 2 bad usage. */
#include "cli.h"
#include "layer_opts.h"
#include "outputs.h"
#include "registry_opts.h"
#include "suggest.h"
#include "vigil/diff.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *f)
{
	fprintf(f,
		"usage: vigil diff IMAGE_A IMAGE_B [options]\n\n"
		"What changed from IMAGE_A to IMAGE_B: files added, removed and changed (type, mode,\n"
		"owner, size, content hash, link target; whiteouts applied), packages added, removed,\n"
		"upgraded and downgraded, findings fixed and introduced (when the store holds\n"
		"vulnerability data), configuration changes (docs/audit.md (vigil diff)).\n"
		"Each IMAGE is any reference 'vigil index' takes.\n\n"
		"options:\n"
		"  --format LIST         table (default), json, html; several: html=d.html,table\n"
		"  -o, --output FILE     write the format that names no file to FILE\n"
		"  --no-files            skip the file comparison (packages, findings, config only)\n"
		"  --exit-code N         exit N (1, or 3-125) when the images differ\n"
		"  --db PATH             the store (layer cache; vulnerability data for the findings)\n"
		"  --platform OS/ARCH    the platform to pick from a multi-platform index\n"
		"  -q, --quiet           no progress line\n"
		CLI_LAYER_HELP
		CLI_REGISTRY_HELP
		"\nexit status: 0 done, N the images differ (--exit-code N), 1 error, 2 bad usage\n");
}

struct diff_args {
	const char *format, *output, *db;
	long exit_code;
	bool quiet;
	cli_outputs outs;
	vigil_diff_options dopt;
	vigil_index_options iopt;
	cli_registry reg;
};

static int parse_args(int argc, char **argv, struct diff_args *a)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' }, { "output", required_argument, NULL, 'o' },
		{ "no-files", no_argument, NULL, 'N' }, { "exit-code", required_argument, NULL, 'e' },
		{ "db", required_argument, NULL, 'd' }, { "platform", required_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' }, { "help", no_argument, NULL, 'h' },
		CLI_REGISTRY_LONGOPTS, CLI_LAYER_LONGOPTS, { NULL, 0, NULL, 0 },
	};
	int c, lrc;
	optind = 1;
	while ((c = cli_getopt(argc, argv, "qho:", longopts, "diff")) != -1) {
		switch (c) {
		case 'f': a->format = optarg; break;
		case 'o': a->output = optarg; break;
		case 'N': a->dopt.no_files = 1; break;
		case 'e':
			if (!cli_parse_int(optarg, 1, 125, &a->exit_code) || a->exit_code == 2)
				return cli_usage("diff: --exit-code takes 1 or a number from 3 to 125");
			break;
		case 'd': a->db = optarg; break;
		case 'p': a->dopt.platform = a->iopt.platform = optarg; break;
		case 'q': a->quiet = true; break;
		case 'h': help(stdout); return -1;
		default:
			if ((lrc = cli_image_opt(&a->reg, &a->iopt, c, optarg, "diff")) != CLI_OK)
				return lrc;
			break;
		}
	}
	if (optind != argc - 2)
		return cli_usage("diff: give exactly two images, IMAGE_A IMAGE_B (see 'vigil diff --help')");
	if ((lrc = cli_outputs_parse("diff", a->format, a->output, 0, &a->outs)) != CLI_OK)
		return lrc;
	for (size_t i = 0; i < a->outs.n; i++) {
		vigil_report_format f = a->outs.v[i].fmt;
		if (f != VIGIL_FMT_TABLE && f != VIGIL_FMT_CLAIR && f != VIGIL_FMT_FLAT && f != VIGIL_FMT_HTML)
			return cli_usage("diff: --format: %s is not a diff format (table, json, html)",
					 vigil_report_format_name(f));
	}
	return CLI_OK;
}

static int render(void *ud, vigil_report_format f, const vigil_report_options *ro, char **out, size_t *len)
{
	return vigil_diff_render(ud, f, ro, out, len);
}

int cmd_diff(int argc, char **argv)
{
	struct diff_args a = { .format = "table" };
	vigil_registry_options ro;
	vigil_diff_report *r = NULL;
	vigil_store *store = NULL;
	cli_progress *prog = NULL;
	int rc;

	vigil_diff_options_init(&a.dopt);
	vigil_index_options_init(&a.iopt);
	if ((rc = parse_args(argc, argv, &a)) != CLI_OK)
		return rc == -1 ? CLI_OK : rc;
	if ((rc = cli_registry_fill(&a.reg, &ro)) != CLI_OK)
		return rc;
	a.dopt.registry = &ro;
	a.dopt.threads = a.iopt.threads;
	if (vigil_store_open(a.db, &store) < 0)
		return cli_fail("cannot open the store");
	a.dopt.store = store;
	prog = cli_progress_new(a.quiet);
	a.dopt.progress = cli_progress_cb;
	a.dopt.progress_ud = prog;
	a.dopt.warn = cli_warn_cb;
	int err = vigil_diff_images(argv[optind], argv[optind + 1], &a.dopt, &r);
	cli_progress_done(prog);
	if (err < 0) {
		rc = cli_fail("diff");
		goto out;
	}
	if (!r->findings_judged && !a.quiet)
		fprintf(stderr, "vigil: findings not judged: %s\n", r->findings_why ? r->findings_why : "no data");
	vigil_report_options ropt;
	vigil_report_options_init(&ropt);
	if ((rc = cli_outputs_write_with(&a.outs, render, r, &ropt)) != CLI_OK)
		goto out;
	rc = a.exit_code && vigil_diff_report_differs(r) ? (int)a.exit_code : CLI_OK;
out:
	vigil_diff_report_free(r);
	vigil_store_close(store);
	return rc;
}
