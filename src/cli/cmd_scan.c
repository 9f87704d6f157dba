/* cli/cmd_scan.c: vigil scan IMAGE: index the image (layers from the cache
 * when they were read before), match its packages against the
 * vulnerability database, filter, and print a table or Clair's
 * VulnerabilityReport JSON.
 *
 * Exit status: 0 done (findings or not, unless --exit-code), N (--exit-code
 * N: 1, or 3-125) when findings remain after the filters, 1 an error, 2 bad
 * usage. An error is never 0; with N >= 3 it is never the findings code
 * either (--exit-code 1, Trivy pipelines' habit, gives up that distinction). Warnings that make an
 * empty result untrustworthy (no data, stale or failed feeds, nothing for
 * the image's distribution) always go to stderr; --fail-on-warning turns
 * them into an error. A database that was never filled is an error (exit
 * 1) unless --allow-empty-db. With --require-signature --key FILE the image's
 * cosign signature is verified first (vigil/verify.h) and the digest
 * verified is what is scanned; a missing or bad signature is exit 1. */
#include "cli.h"
#include "suggest.h"
#include "layer_opts.h"
#include "outputs.h"
#include "registry_opts.h"
#include "scan_audit.h"
#include "vigil/db_health.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void help(FILE *f)
{
	fprintf(f,
		"usage: vigil scan IMAGE [options]\n\n"
		"IMAGE is any reference 'vigil index' takes: docker-archive:PATH, oci:DIR[:TAG],\n"
		"dir:PATH, a path, or REGISTRY/REPO[:TAG|@sha256:HEX] (docker:// allowed); or\n"
		"sbom:FILE, the packages of a CycloneDX or SPDX JSON SBOM (docs/scan.md).\n\n"
		"options:\n"
		"  --format LIST         output formats: table (default), json (Clair v4's\n"
		"                        VulnerabilityReport), flat, sarif, cyclonedx, spdx, html, junit,\n"
		"                        gitlab, template; several at once: sarif=out.sarif,json=out.json\n"
		"  -o, --output FILE     write the format that names no file to FILE (not stdout)\n"
		"  --template FILE       the template of --format template (docs/scan.md)\n"
		"  --db PATH             the store (default: $VIGIL_DB or ~/.cache/vigil/vigil.db)\n"
		"  --severity LIST       keep only these levels: UNKNOWN,NEGLIGIBLE,LOW,MEDIUM,HIGH,CRITICAL\n"
		"  --ignore-unfixed      drop findings that have no fixed version\n"
		"  --ignore-file FILE    drop the ids listed in FILE (ID [PACKAGE] [exp:YYYY-MM-DD] [# reason]),\n"
		"                        or Trivy's .trivyignore.yaml, Grype's .grype.yaml; default: the first\n"
		"                        of .vigilignore .trivyignore .trivyignore.yaml .grype.yaml here\n"
		"  --vex FILE            suppress what a VEX document (OpenVEX, CycloneDX, CSAF) says is\n"
		"                        not_affected or fixed (repeatable; shown as suppressed)\n"
		"  --exit-code N         exit N (1, or 3-125) when findings remain after the filters;\n"
		"                        1 is also an error: pick N >= 3 to tell them apart\n"
		"  --max-age DAYS        warn when the data is older than this (default 3)\n"
		"  --fail-on-warning     a data warning (missing or stale data) is an error (exit 1)\n"
		"  --allow-empty-db      scan even when the database was never filled (a warning, not an error)\n"
		"  --no-enrich           do not attach NVD's CVSS scores\n"
		"  --lang-os-owned       also match language packages whose files an OS package owns\n"
		"                        (off by default: the OS vendor backports their fixes)\n"
		"  --no-cache            read every layer even when cached\n"
		"  --platform OS/ARCH    the platform to pick from a multi-platform index\n"
		"  --threads N           layers read at once (default: number of cores)\n"
		"  --color auto|always|never  severity colours in the table (default: auto)\n"
		"  -q, --quiet           no progress line\n"
		"  --scanners LIST       vuln (default), secret, integrity, trojan, policy: the audit\n"
		"                        scanners of 'vigil audit' in the same report (docs/audit.md)\n"
		"  --policy FILE         the policy of the policy scanner (default: the built-in one)\n"
		"  --secret-rules FILE   more secret rules (repeatable)\n"
		"  --secret-binaries     look for secrets in binary files too\n"
		"  --require-signature   verify the registry image's cosign signature with --key first\n"
		"                        and scan the digest verified; unsigned or bad: exit 1\n"
		"  --key FILE            the cosign public key (PEM) of --require-signature\n"
		CLI_LAYER_HELP
		CLI_REGISTRY_HELP
		"\nexit status: 0 done, N findings remain (--exit-code N), 1 error, 2 bad usage\n"
		"(with --exit-code 1, 1 means findings or an error: the error message tells)\n");
}

#define SCAN_MAX_VEX 64 /* --vex documents of one scan */

struct scan_args {
	const char *format, *output, *template_path, *db, *severity, *ignore_file, *color;
	cli_outputs outs;
	const char *vex[SCAN_MAX_VEX]; /* --vex FILE, in order */
	size_t nvex;
	long exit_code, max_age_days;
	bool ignore_unfixed, fail_on_warning, no_enrich, no_cache, quiet, lang_os_owned, allow_empty_db;
	cli_scan_audit audit;
	bool require_signature;
	const char *key;
	vigil_index_options iopt;
	cli_registry reg;
};

static int parse_args(int argc, char **argv, struct scan_args *a)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' }, { "db", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' }, { "template", required_argument, NULL, 'T' },
		{ "severity", required_argument, NULL, 's' }, { "ignore-unfixed", no_argument, NULL, 'u' },
		{ "ignore-file", required_argument, NULL, 'i' }, { "exit-code", required_argument, NULL, 'e' },
		{ "max-age", required_argument, NULL, 'm' }, { "fail-on-warning", no_argument, NULL, 'w' },
		{ "no-enrich", no_argument, NULL, 'E' }, { "no-cache", no_argument, NULL, 'n' },
		{ "lang-os-owned", no_argument, NULL, 'O' }, { "allow-empty-db", no_argument, NULL, 'Z' },
		{ "vex", required_argument, NULL, 'V' },
		{ "scanners", required_argument, NULL, 'A' }, { "policy", required_argument, NULL, 'P' },
		{ "secret-rules", required_argument, NULL, 'R' }, { "secret-binaries", no_argument, NULL, 'B' },
		{ "require-signature", no_argument, NULL, 'S' }, { "key", required_argument, NULL, 'K' },
		{ "platform", required_argument, NULL, 'p' }, { "threads", required_argument, NULL, 't' },
		{ "color", required_argument, NULL, 'c' }, { "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' }, CLI_REGISTRY_LONGOPTS, CLI_LAYER_LONGOPTS, { NULL, 0, NULL, 0 },
	};
	long n;
	int lrc;
	int c;
	optind = 1;
	while ((c = cli_getopt(argc, argv, "qho:", longopts, "scan")) != -1) {
		switch (c) {
		case 'f': a->format = optarg; break;
		case 'o': a->output = optarg; break;
		case 'T': a->template_path = optarg; break;
		case 'd': a->db = optarg; break;
		case 's': a->severity = optarg; break;
		case 'u': a->ignore_unfixed = true; break;
		case 'i': a->ignore_file = optarg; break;
		case 'V':
			if (a->nvex == SCAN_MAX_VEX)
				return cli_usage("scan: --vex: at most %d documents", SCAN_MAX_VEX);
			a->vex[a->nvex++] = optarg;
			break;
		case 'e':
			if (!cli_parse_int(optarg, 1, 125, &a->exit_code) || a->exit_code == 2)
				return cli_usage("scan: --exit-code takes 1 or a number from 3 to 125 "
						 "(2 means bad usage; 1 also means an error)");
			break;
		case 'm':
			if (!cli_parse_int(optarg, 1, 36500, &a->max_age_days))
				return cli_usage("scan: --max-age takes a number of days from 1 to 36500");
			break;
		case 'w': a->fail_on_warning = true; break;
		case 'A':
			if ((lrc = cli_scan_audit_parse(&a->audit, optarg)) != CLI_OK)
				return lrc;
			break;
		case 'P': a->audit.policy = optarg; break;
		case 'R':
			if (a->audit.nrules == CLI_SCAN_MAX_RULES)
				return cli_usage("scan: --secret-rules: at most %d files", CLI_SCAN_MAX_RULES);
			a->audit.rules[a->audit.nrules++] = optarg;
			break;
		case 'B': a->audit.secret_binaries = 1; break;
		case 'E': a->no_enrich = true; break;
		case 'O': a->lang_os_owned = true; break;
		case 'Z': a->allow_empty_db = true; break;
		case 'n': a->no_cache = true; break;
		case 'p': a->iopt.platform = optarg; break;
		case 't':
			if (!cli_parse_int(optarg, 1, 64, &n))
				return cli_usage("scan: --threads takes a number from 1 to 64");
			a->iopt.threads = (int)n;
			break;
		case 'c':
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
				return cli_usage("scan: --color must be auto, always or never");
			a->color = optarg;
			break;
		case 'q': a->quiet = true; break;
		case 'S': a->require_signature = true; break;
		case 'K': a->key = optarg; break;
		case 'h': help(stdout); return -1;
		default:
			if ((lrc = cli_image_opt(&a->reg, &a->iopt, c, optarg, "scan")) != CLI_OK)
				return lrc;
			break;
		}
	}
	if (optind != argc - 1)
		return cli_usage("scan: give exactly one IMAGE (see 'vigil scan --help')");
	if (a->require_signature != (a->key != NULL))
		return cli_usage("scan: --require-signature and --key FILE go together");
	int orc = cli_outputs_parse("scan", a->format, a->output, 0, &a->outs);
	if (orc != CLI_OK)
		return orc;
	if (cli_outputs_has(&a->outs, VIGIL_FMT_TEMPLATE) && !a->template_path)
		return cli_usage("scan: --format template needs --template FILE");
	return CLI_OK;
}

/* CLI_OK when the store holds vulnerability data, else an error naming
 * the command that fills it. */
static int require_data(vigil_store *store)
{
	char why[512];
	int ready = vigil_db_ready(store, why, sizeof(why));
	if (ready < 0)
		return cli_fail("the vulnerability database");
	if (ready)
		return CLI_OK;
	/* the description never holds a password (store/pg_conn.c) */
	fprintf(stderr, "vigil: error: %s: %s (or give --allow-empty-db to scan anyway)\n",
		vigil_store_describe(store), why);
	return CLI_ERROR;
}

/* --require-signature: the image's cosign signature verified with --key;
 * *pinned (malloc'd) is the digest verified, to be scanned. */
static int require_signature(const struct scan_args *a, const char *image, const vigil_registry_options *ro,
			     char **pinned)
{
	vigil_verify_options vo;
	vigil_verify_result *res = NULL;
	vigil_verify_options_init(&vo);
	vo.key_path = a->key;
	vo.registry = ro;
	int rc = vigil_verify_image(image, &vo, &res) < 0 ? cli_fail(image) : CLI_OK;
	if (rc == CLI_OK && !(*pinned = strdup(res->pinned)))
		rc = cli_fail("out of memory");
	if (rc == CLI_OK && !a->quiet)
		fprintf(stderr, "vigil: signature verified: %s (key %s, %s)\n", res->pinned, a->key, res->key_kind);
	vigil_verify_result_free(res);
	return rc;
}

static bool use_color(const char *mode)
{
	if (!strcmp(mode, "always"))
		return true;
	if (!strcmp(mode, "never"))
		return false;
	const char *nc = getenv("NO_COLOR");
	return isatty(STDOUT_FILENO) && !(nc && *nc);
}

/* One scan's state, from the index to the filtered findings. */
struct scan_run {
	struct scan_args *a;
	const char *image;
	vigil_store *store;
	vigil_filter *filter;
	vigil_index_report *ir;
	vigil_vuln_report *vr;
	int cli_rc;          /* what scan_inventory() returned (errors printed) */
};

/* Index (layers from the cache), then, unless --scanners leaves vuln out,
 * match and filter. CLI_OK or CLI_ERROR (printed). */
static int scan_inventory(struct scan_run *s)
{
	struct scan_args *a = s->a;
	vigil_match_options mopt;
	cli_progress *prog = cli_progress_new(a->quiet);
	a->iopt.store = s->store;
	a->iopt.no_cache_read = a->no_cache && !a->audit.bits; /* the audit pass read them now */
	a->iopt.progress = cli_progress_cb;
	a->iopt.progress_ud = prog;
	a->iopt.warn = cli_warn_cb;
	int err = vigil_index_image(s->image, &a->iopt, &s->ir);
	cli_progress_done(prog);
	if (err < 0)
		return cli_fail(s->image);
	for (size_t i = 0; i < s->ir->warning_count; i++)
		cli_warn_cb(NULL, s->ir->warnings[i]);
	if (a->audit.given && !a->audit.vuln)
		return CLI_OK; /* --scanners without vuln: the audit scanners alone */
	/* an empty database would scan clean: an error unless asked (docs/scan.md) */
	if (!a->allow_empty_db && require_data(s->store) != CLI_OK)
		return CLI_ERROR;
	vigil_match_options_init(&mopt);
	mopt.store = s->store;
	mopt.max_age = a->max_age_days * 24 * 3600;
	mopt.no_enrich = a->no_enrich;
	mopt.lang_os_owned = a->lang_os_owned;
	mopt.warn = cli_warn_cb;
	if (vigil_match(s->ir, &mopt, &s->vr) < 0)
		return cli_fail("matching");
	if (a->fail_on_warning && s->vr->warning_count) {
		fprintf(stderr, "vigil: error: %zu data warning%s (--fail-on-warning)\n", s->vr->warning_count,
			s->vr->warning_count == 1 ? "" : "s");
		return CLI_ERROR;
	}
	if (vigil_vuln_report_filter(s->vr, s->filter) < 0)
		return cli_fail("filter");
	return CLI_OK;
}

/* The audit pass's inputs callback: the inventory and findings, made
 * between the layers (read once, cached) and the audit's conclusions. */
static int scan_inputs(void *ud, const vigil_index_report **ir, const vigil_vuln_report **vr)
{
	struct scan_run *s = ud;
	if ((s->cli_rc = scan_inventory(s)) != CLI_OK)
		return vigil_error_set(VIGIL_ECANCELED, "the scan stopped");
	*ir = s->ir;
	*vr = s->vr;
	return 0;
}

int cmd_scan(int argc, char **argv)
{
	struct scan_args a = { .format = "table", .color = "auto" };
	vigil_audit_report *ar = NULL;
	vigil_ignore_list *ignore = NULL;
	vigil_vex *vex = NULL;
	vigil_filter filter = { 0 };
	vigil_registry_options ro;
	struct scan_run run = { .a = &a, .filter = &filter, .cli_rc = CLI_OK };
	char *pinned = NULL;
	int rc = CLI_ERROR;

	vigil_index_options_init(&a.iopt);
	int prc = parse_args(argc, argv, &a);
	if (prc == -1)
		return CLI_OK;
	if (prc != CLI_OK)
		return prc;
	const char *image = run.image = argv[optind];
	if ((prc = cli_registry_fill(&a.reg, &ro)) != CLI_OK)
		return prc;
	a.iopt.registry = &ro;
	if (a.severity && vigil_severity_mask_parse(a.severity, &filter.severities) < 0)
		return cli_usage("scan: --severity: %s", vigil_error_message());
	if (!a.ignore_file && (a.ignore_file = cli_ignore_file_found()) && !a.quiet)
		fprintf(stderr, "vigil: ignore rules from %s (found in the current folder)\n", a.ignore_file);
	if (a.ignore_file) {
		if (vigil_ignore_list_load(a.ignore_file, &ignore) < 0)
			return cli_fail("--ignore-file");
		vigil_ignore_list_expired(ignore, 0, cli_warn_cb, NULL);
		vigil_ignore_list_notes(ignore, cli_warn_cb, NULL);
	}
	filter.ignore_unfixed = a.ignore_unfixed;
	filter.ignore = ignore;
	for (size_t i = 0; i < a.nvex; i++) {
		if ((!vex && vigil_vex_new(&vex) < 0) || vigil_vex_load(vex, a.vex[i]) < 0) {
			rc = cli_fail("--vex");
			goto out;
		}
	}
	filter.vex = vex;
	if (a.require_signature) {
		if ((rc = require_signature(&a, image, &ro, &pinned)) != CLI_OK)
			goto out;
		image = run.image = pinned;
	}
	if (vigil_store_open(a.db, &run.store) < 0) {
		rc = cli_fail("cannot open the store");
		goto out;
	}
	if (a.audit.bits) {
		/* one pass: the audit reads each layer once and indexes into the
		 * cache the layers it lacks; the index in scan_inputs reads none */
		int err = cli_scan_audit_run(&a.audit, image, &a.iopt, a.no_cache ? NULL : run.store, scan_inputs,
					     &run, ignore, a.quiet, &ar);
		if (err < 0) {
			rc = run.cli_rc != CLI_OK ? run.cli_rc : cli_fail(image);
			goto out;
		}
	} else if ((rc = scan_inventory(&run)) != CLI_OK) {
		goto out;
	}
	vigil_report_input rin = { .index = run.ir, .vulns = run.vr, .image = image };
	cli_scan_render_input sin = { .report = &rin, .audit = ar, .vulns_given = run.vr != NULL };
	vigil_report_options ropt;
	vigil_report_options_init(&ropt);
	ropt.color = use_color(a.color);
	ropt.template_path = a.template_path;
	if ((rc = cli_outputs_write_with(&a.outs, cli_scan_render, &sin, &ropt)) != CLI_OK)
		goto out;
	if (run.ir) /* vigil inspect --tag-history */
		cli_record_image(run.store, image, run.ir, run.vr ? (long long)run.vr->finding_count : -1);
	bool found = (run.vr && run.vr->finding_count) || (ar && vigil_audit_report_failed(ar, VIGIL_SEV_UNKNOWN));
	rc = a.exit_code && found ? (int)a.exit_code : CLI_OK;
out:
	vigil_audit_report_free(ar);
	vigil_vuln_report_free(run.vr);
	vigil_index_report_free(run.ir);
	vigil_ignore_list_free(ignore);
	vigil_vex_free(vex);
	vigil_store_close(run.store);
	free(pinned);
	return rc;
}
