/* cli/cmd_db_artifact.c: `vigil db push REF` and `vigil db pull REF` (and
 * `vigil db update --from REF`, which lands here): the database as an OCI
 * artifact (vigil/db_artifact.h). A progress line on a terminal only
 * (quiet in pipes and with -q); one result line per feed on stdout, as
 * `vigil db import` prints them; errors name the reference. Exit status: 0
 * done, 1 refused or failed (the store is as it was), 2 bad usage. */
#include "cli.h"
#include "cmd_db_artifact.h"
#include "registry_opts.h"
#include "vigil/db_artifact.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_SHOWN_WARNINGS 20

static void help_push(FILE *f)
{
	fprintf(f, "usage: vigil db push REF [options]\n\n"
		   "Publishes the store's vulnerability data as an OCI artifact (artifactType\n"
		   VIGIL_DB_ARTIFACT_TYPE ") to REF (HOST/REPO:TAG).\n\n"
		   "  --bundle FILE         publish this bundle ('vigil db export') instead of the store\n"
		   "  --sign-key KEY.pem    sign it (EC P-256, Ed25519 or RSA private key)\n"
		   "  -q, --quiet           no progress line\n" CLI_REGISTRY_HELP);
}

static void help_pull(FILE *f)
{
	fprintf(f, "usage: vigil db pull REF [options]   (also: vigil db update --from REF)\n\n"
		   "Fetches the vulnerability data published with 'vigil db push', verifies it and\n"
		   "imports it; nothing is written unless all of it checks out.\n\n"
		   "  --verify-key PUB.pem  require a good signature by this public key\n"
		   "  --force               write new operations even for unchanged feeds\n"
		   "  -q, --quiet           no progress line\n" CLI_REGISTRY_HELP
		   "\nThe default REF of 'vigil db update' is $VIGIL_DB_REPOSITORY when set, else\n"
		   "vigil.yaml's db.repository (db: {repository: REF}).\n");
}

struct ui {
	bool tty, drawn;
	long warnings;
	struct timespec t0;
};

static void on_progress(void *ud, const vigil_db_artifact_progress *p)
{
	struct ui *ui = ud;
	char a[32], b[32];
	if (!ui->tty)
		return;
	if (p->total)
		fprintf(stderr, "\r\033[K%s %s/%s", p->phase, cli_size(p->done, a, sizeof(a)),
			cli_size(p->total, b, sizeof(b)));
	else
		fprintf(stderr, "\r\033[K%s", p->phase);
	fflush(stderr);
	ui->drawn = true;
}

static void on_warn(void *ud, const char *msg)
{
	struct ui *ui = ud;
	if (ui->warnings++ >= MAX_SHOWN_WARNINGS)
		return;
	if (ui->drawn)
		fprintf(stderr, "\r\033[K");
	fprintf(stderr, "vigil: warning: %s\n", msg);
}

static void erase(struct ui *ui)
{
	if (ui->drawn)
		fprintf(stderr, "\r\033[K");
	ui->drawn = false;
}

static const struct {
	const char *flag;
	int code;
	bool value;
} reg_flags[] = {
	{ "--username", CLI_OPT_REG_USERNAME, true },
	{ "--password", CLI_OPT_REG_PASSWORD, true },
	{ "--insecure-registry", CLI_OPT_REG_INSECURE, false },
	{ "--registry-config", CLI_OPT_REG_CONFIG, true },
};

int cli_db_art_arg(cli_db_art *a, int argc, char **argv, int *i)
{
	const char *f = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
	for (size_t k = 0; k < sizeof(reg_flags) / sizeof(reg_flags[0]); k++)
		if (!strcmp(f, reg_flags[k].flag)) {
			if (reg_flags[k].value && !v)
				return cli_usage("db: %s needs a value", f);
			cli_registry_opt(&a->reg, reg_flags[k].code, reg_flags[k].value ? v : NULL);
			*i += reg_flags[k].value;
			return 1;
		}
	const char **dest = !strcmp(f, "--bundle")       ? &a->bundle
			    : !strcmp(f, "--sign-key")   ? &a->sign_key
			    : !strcmp(f, "--verify-key") ? &a->verify_key
			    : !strcmp(f, "--from")       ? &a->ref
			    /* the name of vigil.yaml's db.repository key, as a flag */
			    : !strcmp(f, "--repository") ? &a->repository
							 : NULL;
	if (dest) {
		if (!v)
			return cli_usage("db: %s needs a value", f);
		*dest = v;
		(*i)++;
		return 1;
	}
	if (!strcmp(f, "-q") || !strcmp(f, "--quiet"))
		return a->quiet = true, 1;
	if (!strcmp(f, "--force"))
		return a->force = true, 1;
	return 0;
}

static int parse(const char *cmd, int argc, char **argv, cli_db_art *a, void (*help)(FILE *))
{
	for (int i = 1; i < argc; i++) {
		int r;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			help(stdout);
			return -1;
		}
		if ((r = cli_db_art_arg(a, argc, argv, &i)) != 0) {
			if (r != 1)
				return r;
		} else if (argv[i][0] == '-' || a->ref)
			return cli_usage("db %s: unknown or extra argument '%s' (see 'vigil db %s --help')", cmd, argv[i], cmd);
		else
			a->ref = argv[i];
	}
	if (!a->ref)
		return cli_usage("db %s: give the artifact's reference (HOST/REPO:TAG)", cmd);
	return CLI_OK;
}

int cmd_db_push(vigil_store *s, int argc, char **argv)
{
	cli_db_art a = { 0 };
	struct ui ui = { 0 };
	vigil_registry_options ro;
	vigil_db_artifact_options o;
	vigil_db_artifact_info info;
	char sz[32], t[32];
	int rc;
	if ((rc = parse("push", argc, argv, &a, help_push)) != CLI_OK)
		return rc < 0 ? CLI_OK : rc;
	if (a.verify_key || a.force)
		return cli_usage("db push: --verify-key and --force are for 'vigil db pull'");
	if ((rc = cli_registry_fill(&a.reg, &ro)) != CLI_OK)
		return rc;
	vigil_db_artifact_options_init(&o);
	o.registry = &ro;
	o.bundle = a.bundle;
	o.sign_key = a.sign_key;
	o.progress = on_progress;
	o.ud = &ui;
	ui.tty = !a.quiet && isatty(2);
	rc = vigil_db_push(s, a.ref, &o, &info);
	erase(&ui);
	if (rc < 0) {
		fprintf(stderr, "vigil: error: db push: %s\n", vigil_error_message()); /* it names the reference */
		return CLI_ERROR;
	}
	strftime(t, sizeof(t), "%Y-%m-%d %H:%M UTC", gmtime(&(time_t){ (time_t)info.updated }));
	printf("pushed %s@%s: %zu feeds, newest data %s, bundle %s (%s)%s%s\n", a.ref, info.manifest_digest,
	       info.nfeeds, t, info.bundle_digest, cli_size(info.bundle_size, sz, sizeof(sz)),
	       info.bundle_skipped ? ", already in the registry" : "", info.signed_ ? ", signed" : "");
	return CLI_OK;
}

static void print_results(const vigil_db_import_result *res, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const vigil_db_import_result *r = &res[i];
		if (r->failed)
			printf("%-14s FAILED: %s (its previous data is kept)\n", r->feed, r->error);
		else if (r->unchanged)
			printf("%-14s unchanged: %lld records from operation %s\n", r->feed, (long long)r->op.vulns,
			       r->op.ref);
		else
			printf("%-14s %lld records, %lld affected packages (operation %s)\n", r->feed,
			       (long long)r->op.vulns, (long long)r->op.affected, r->op.ref);
	}
}

int cli_db_pull_run(vigil_store *s, const cli_db_art *a)
{
	struct ui ui = { 0 };
	vigil_registry_options ro;
	vigil_db_artifact_options o;
	vigil_db_artifact_info info;
	vigil_db_import_options io = { .warn = on_warn, .force = a->force };
	vigil_db_import_result *res = NULL;
	size_t n = 0;
	struct timespec t1;
	char sz[32];
	int rc;
	if (a->bundle || a->sign_key)
		return cli_usage("db pull: --bundle and --sign-key are for 'vigil db push'");
	if ((rc = cli_registry_fill(&a->reg, &ro)) != CLI_OK)
		return rc;
	vigil_db_artifact_options_init(&o);
	o.registry = &ro;
	o.verify_key = a->verify_key;
	o.import = &io;
	o.progress = on_progress;
	o.ud = io.ud = &ui;
	ui.tty = !a->quiet && isatty(2);
	clock_gettime(CLOCK_MONOTONIC, &ui.t0);
	rc = vigil_db_pull(s, a->ref, &o, &info, &res, &n);
	erase(&ui);
	print_results(res, n);
	free(res);
	if (ui.warnings > MAX_SHOWN_WARNINGS)
		fprintf(stderr, "vigil: warning: ... and %ld more warnings\n", ui.warnings - MAX_SHOWN_WARNINGS);
	if (rc < 0) {
		fprintf(stderr, "vigil: error: db pull: %s\n", vigil_error_message()); /* it names the reference */
		return CLI_ERROR;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - ui.t0.tv_sec) + (double)(t1.tv_nsec - ui.t0.tv_nsec) / 1e9;
	fprintf(stderr, "vigil: pulled %s@%s: %zu feeds, bundle %s%s, in %.2f s\n", a->ref, info.manifest_digest,
		info.nfeeds, cli_size(info.bundle_size, sz, sizeof(sz)), info.signed_ ? ", signature verified" : "",
		secs);
	return CLI_OK;
}

int cmd_db_pull(vigil_store *s, int argc, char **argv)
{
	cli_db_art a = { 0 };
	int rc = parse("pull", argc, argv, &a, help_pull);
	if (rc != CLI_OK)
		return rc < 0 ? CLI_OK : rc;
	return cli_db_pull_run(s, &a);
}
