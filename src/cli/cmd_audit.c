/* cli/cmd_audit.c: vigil audit IMAGE: secrets, integrity against the
 * package manager's checksums, trojan and backdoor indicators, and the
 * configuration policy, in one pass over the layers (vigil/audit.h,
 * docs/audit.md). The policy's inventory and age rules use the image's
 * index (layers from the cache) and, when the store holds vulnerability
 * data, its findings.
 *
 * Exit status: 0 done (findings or not, unless --exit-code), N (--exit-code
 * N) when a finding at or above --fail-severity (default: any) remains or a
 * policy rule failed, 1 an error, 2 bad usage. */
#include "cli.h"
#include "layer_opts.h"
#include "outputs.h"
#include "registry_opts.h"
#include "suggest.h"
#include "vigil/audit.h"
#include "vigil/db_health.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define AUDIT_MAX_RULE_FILES 32

static void help(FILE *f)
{
	fprintf(f,
		"usage: vigil audit IMAGE [options]\n\n"
		"What a version scan cannot see, in one pass over every layer (docs/audit.md).\n"
		"IMAGE is any reference 'vigil index' takes.\n\n"
		"options:\n"
		"  --scanners LIST       secret,integrity,trojan,policy (default: all four)\n"
		"  --format LIST         table (default), json, sarif; several: sarif=a.sarif,table\n"
		"  -o, --output FILE     write the format that names no file to FILE\n"
		"  --secret-rules FILE   more secret rules (repeatable; docs/audit.md gives the format)\n"
		"  --no-builtin-rules    only the --secret-rules files\n"
		"  --secret-binaries     look for secrets in binary files too\n"
		"  --policy FILE         the policy (default: the built-in one, docs/audit.md)\n"
		"  --ignore-file FILE    drop findings whose rule (and path) a rule names; default: the\n"
		"                        first of .vigilignore .trivyignore .trivyignore.yaml .grype.yaml here\n"
		"  --severity LEVEL      drop findings below LEVEL (LOW, MEDIUM, HIGH, CRITICAL)\n"
		"  --exit-code N         exit N (1, or 3-125) when a finding remains or a policy rule fails\n"
		"  --db PATH             the store (layer cache; vulnerability data for the policy)\n"
		"  --platform OS/ARCH    the platform to pick from a multi-platform index\n"
		"  -q, --quiet           no progress line\n"
		CLI_LAYER_HELP
		CLI_REGISTRY_HELP
		"\nexit status: 0 done, N findings remain (--exit-code N), 1 error, 2 bad usage\n");
}

struct audit_args {
	const char *format, *output, *db, *ignore_file, *scanners, *severity;
	const char *rules[AUDIT_MAX_RULE_FILES];
	size_t nrules;
	long exit_code;
	bool quiet;
	cli_outputs outs;
	vigil_audit_options aopt;
	vigil_index_options iopt;
	cli_registry reg;
};

static int parse_severity(const char *s, vigil_severity *out)
{
	static const char *const names[] = { "unknown", "negligible", "low", "medium", "high", "critical" };
	for (int i = 0; i < 6; i++)
		if (!strcasecmp(s, names[i])) {
			*out = (vigil_severity)i;
			return 0;
		}
	return -1;
}

static int parse_args(int argc, char **argv, struct audit_args *a)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' }, { "output", required_argument, NULL, 'o' },
		{ "scanners", required_argument, NULL, 'S' }, { "secret-rules", required_argument, NULL, 'r' },
		{ "no-builtin-rules", no_argument, NULL, 'B' }, { "secret-binaries", no_argument, NULL, 'b' },
		{ "policy", required_argument, NULL, 'P' }, { "ignore-file", required_argument, NULL, 'i' },
		{ "severity", required_argument, NULL, 's' }, { "exit-code", required_argument, NULL, 'e' },
		{ "db", required_argument, NULL, 'd' }, { "platform", required_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' }, { "help", no_argument, NULL, 'h' },
		CLI_REGISTRY_LONGOPTS, CLI_LAYER_LONGOPTS, { NULL, 0, NULL, 0 },
	};
	int c, lrc;
	optind = 1;
	while ((c = cli_getopt(argc, argv, "qho:", longopts, "audit")) != -1) {
		switch (c) {
		case 'f': a->format = optarg; break;
		case 'o': a->output = optarg; break;
		case 'S': a->scanners = optarg; break;
		case 'r':
			if (a->nrules == AUDIT_MAX_RULE_FILES)
				return cli_usage("audit: --secret-rules: at most %d files", AUDIT_MAX_RULE_FILES);
			a->rules[a->nrules++] = optarg;
			break;
		case 'B': a->aopt.no_builtin_secret_rules = 1; break;
		case 'b': a->aopt.secret_binaries = 1; break;
		case 'P': a->aopt.policy_path = optarg; break;
		case 'i': a->ignore_file = optarg; break;
		case 's': a->severity = optarg; break;
		case 'e':
			if (!cli_parse_int(optarg, 1, 125, &a->exit_code) || a->exit_code == 2)
				return cli_usage("audit: --exit-code takes 1 or a number from 3 to 125");
			break;
		case 'd': a->db = optarg; break;
		case 'p': a->aopt.platform = a->iopt.platform = optarg; break;
		case 'q': a->quiet = true; break;
		case 'h': help(stdout); return -1;
		default:
			if ((lrc = cli_image_opt(&a->reg, &a->iopt, c, optarg, "audit")) != CLI_OK)
				return lrc;
			break;
		}
	}
	if (optind != argc - 1)
		return cli_usage("audit: give exactly one IMAGE (see 'vigil audit --help')");
	if (a->scanners && vigil_audit_scanners_parse(a->scanners, &a->aopt.scanners, NULL) < 0)
		return cli_usage("audit: --scanners: %s", vigil_error_message());
	if (a->severity && parse_severity(a->severity, &a->aopt.min_severity) < 0)
		return cli_usage("audit: --severity takes one of UNKNOWN, NEGLIGIBLE, LOW, MEDIUM, HIGH, CRITICAL");
	a->aopt.secret_rules = a->rules;
	a->aopt.secret_rule_count = a->nrules;
	return cli_outputs_parse("audit", a->format, a->output, 0, &a->outs);
}

static int render(void *ud, vigil_report_format f, const vigil_report_options *ro, char **out, size_t *len)
{
	return vigil_audit_render(ud, f, ro, out, len);
}

struct audit_inputs {
	struct audit_args *a;
	const char *image;
	vigil_store *store;
	vigil_index_report *ir;
	vigil_vuln_report *vr;
};

/* The image's inventory (its layers were just cached by the pass) and its
 * findings when the store holds vulnerability data, for the policy's
 * rules; a failure is a warning (the rules that need them are "not
 * judged"). */
static int policy_inputs(void *ud, const vigil_index_report **ir, const vigil_vuln_report **vr)
{
	struct audit_inputs *in = ud;
	vigil_match_options mopt;
	char why[256];
	in->a->iopt.store = in->store;
	in->a->iopt.warn = NULL;
	if (vigil_index_image(in->image, &in->a->iopt, &in->ir) < 0) {
		fprintf(stderr, "vigil: warning: the policy's inventory: %s\n", vigil_error_message());
		return 0;
	}
	*ir = in->ir;
	if (!in->store || vigil_db_ready(in->store, why, sizeof(why)) != 1)
		return 0;
	vigil_match_options_init(&mopt);
	mopt.store = in->store;
	if (vigil_match(in->ir, &mopt, &in->vr) < 0)
		fprintf(stderr, "vigil: warning: the policy's findings: %s\n", vigil_error_message());
	*vr = in->vr;
	return 0;
}

int cmd_audit(int argc, char **argv)
{
	struct audit_args a = { .format = "table" };
	vigil_registry_options ro;
	vigil_ignore_list *ignore = NULL;
	vigil_audit_report *r = NULL;
	vigil_store *store = NULL;
	cli_progress *prog = NULL;
	int rc;

	vigil_audit_options_init(&a.aopt);
	vigil_index_options_init(&a.iopt);
	if ((rc = parse_args(argc, argv, &a)) != CLI_OK)
		return rc == -1 ? CLI_OK : rc;
	const char *image = argv[optind];
	if ((rc = cli_registry_fill(&a.reg, &ro)) != CLI_OK)
		return rc;
	a.iopt.registry = a.aopt.registry = &ro;
	rc = CLI_ERROR;
	if (!a.ignore_file && (a.ignore_file = cli_ignore_file_found()) && !a.quiet)
		fprintf(stderr, "vigil: ignore rules from %s (found in the current folder)\n", a.ignore_file);
	if (a.ignore_file && vigil_ignore_list_load(a.ignore_file, &ignore) < 0)
		return cli_fail("--ignore-file");
	a.aopt.ignore = ignore;
	struct audit_inputs in = { .a = &a, .image = image };
	if (vigil_store_open(a.db, &store) < 0) {
		rc = cli_fail("cannot open the store");
		goto out;
	}
	/* the pass indexes into the cache the layers it lacks, so the policy's
	 * inventory reads none again */
	a.aopt.store = in.store = store;
	if (a.aopt.scanners & VIGIL_AUDIT_POLICY) {
		a.aopt.inputs = policy_inputs;
		a.aopt.inputs_ud = &in;
	}
	prog = cli_progress_new(a.quiet);
	a.aopt.progress = cli_progress_cb;
	a.aopt.progress_ud = prog;
	a.aopt.warn = cli_warn_cb;
	int err = vigil_audit_image(image, &a.aopt, &r);
	cli_progress_done(prog);
	if (err < 0) {
		rc = cli_fail(image);
		goto out;
	}
	vigil_report_options ropt;
	vigil_report_options_init(&ropt);
	if ((rc = cli_outputs_write_with(&a.outs, render, r, &ropt)) != CLI_OK)
		goto out;
	rc = a.exit_code && vigil_audit_report_failed(r, VIGIL_SEV_UNKNOWN) ? (int)a.exit_code : CLI_OK;
out:
	vigil_audit_report_free(r);
	vigil_vuln_report_free(in.vr);
	vigil_index_report_free(in.ir);
	vigil_ignore_list_free(ignore);
	vigil_store_close(store);
	return rc;
}
