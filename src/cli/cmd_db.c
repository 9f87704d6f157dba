/* cli/cmd_db.c: vigil db import|status|ops|diff|gc: the vulnerability
 * database in the store. Loud on purpose: a feed that failed or has no data
 * is said plainly, and `status` exits 1 when any feed failed its last run. */
#include "cli.h"
#include "cmd_db_artifact.h"
#include "suggest.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_SHOWN_WARNINGS 20

const struct cli_subcommand cli_db_subcommands[] = {
	{ "update", "fetch the feeds (or take them from a mirror) and import what changed" },
	{ "import", "load feed files or folders, or a bundle" },
	{ "export", "write the whole database as one verified bundle" },
	{ "push", "publish the database as an OCI artifact to a registry" },
	{ "pull", "fetch the database from a registry, verify it, swap it in" },
	{ "status", "per feed: last update, its age, records, last error" },
	{ "check", "exit 1 and say why when data is missing, failed or stale" },
	{ "show", "the current records of an id" },
	{ "ops", "update operations, newest first" },
	{ "diff", "records added and removed between two operations" },
	{ "gc", "keep the newest N operations per feed" },
	{ "migrate", "create the store or bring its schema up to date" },
	{ NULL, NULL },
};

static void help(FILE *f)
{
	fprintf(f,
		"usage: vigil db <command> [--db PATH|DSN]   (DSN: postgres://user@host:port/dbname)\n\n"
		"  update [--source NAME]... [--mirror URL|DIR]   fetch the feeds (see 'vigil db update --help')\n"
		"  import PATH...        load feed files or folders (formats detected), or a bundle\n"
		"                        [--force] [-q] (a PATH starting with '-' after --)\n"
		"  export FILE           write the whole database as one verified bundle (zstd tar)\n"
		"  push REF              publish the database as an OCI artifact (see 'vigil db push --help')\n"
		"  pull REF              fetch, verify and import a published database (also: update --from REF)\n"
		"  status                per feed: last update, its age, records, last error\n"
		"  check [NAMESPACE]     exit 1 and say why when data is missing, failed or stale\n"
		"                        (NAMESPACE as the indexer names a distribution: debian:12)\n"
		"  show ID               the current records of an id, every feed, NVD's CVSS attached\n"
		"  ops [FEED]            update operations, newest first\n"
		"  diff [REF_A] REF_B    records added and removed between two operations\n"
		"  gc [--keep N]         keep the newest N operations per feed (default 10)\n"
		"  migrate               create the store or bring its schema up to date; print its version\n");
}

/* Refused files listed after the summary (the rest are counted). */
#define MAX_SHOWN_REFUSED 100

struct warn_state {
	long shown, total;
	bool tty;
	char *refused[MAX_SHOWN_REFUSED];
	long nrefused;
};

static void on_refused(void *ud, const char *msg)
{
	struct warn_state *w = ud;
	if (w->nrefused < MAX_SHOWN_REFUSED)
		w->refused[w->nrefused] = strdup(msg);
	w->nrefused++;
}

/* "refused N files": each one with why, after the feeds' summary. */
static void print_refused(struct warn_state *w)
{
	if (w->nrefused == 0)
		return;
	printf("refused %ld file%s (the rest of each feed was imported):\n", w->nrefused,
	       w->nrefused == 1 ? "" : "s");
	for (long i = 0; i < w->nrefused && i < MAX_SHOWN_REFUSED; i++) {
		printf("  %s\n", w->refused[i] ? w->refused[i] : "(out of memory)");
		fprintf(stderr, "vigil: warning: refused %s\n", w->refused[i] ? w->refused[i] : "a file");
		free(w->refused[i]);
	}
	if (w->nrefused > MAX_SHOWN_REFUSED)
		printf("  ... and %ld more\n", w->nrefused - MAX_SHOWN_REFUSED);
}

static void on_warn(void *ud, const char *msg)
{
	struct warn_state *w = ud;
	if (w->total++ < MAX_SHOWN_WARNINGS)
		fprintf(stderr, "vigil: warning: %s\n", msg);
}

static void on_check(void *ud, const char *msg)
{
	(void)ud;
	fprintf(stderr, "vigil: warning: %s\n", msg);
}

static void on_progress(void *ud, const char *msg)
{
	struct warn_state *w = ud;
	if (w->tty)
		fprintf(stderr, "\r\033[K%s", msg);
}

static const char *age(int64_t t, char *buf, size_t n)
{
	int64_t d = (int64_t)time(NULL) - t;
	if (t <= 0)
		snprintf(buf, n, "never");
	else if (d < 120)
		snprintf(buf, n, "%llds ago", (long long)d);
	else if (d < 7200)
		snprintf(buf, n, "%lldm ago", (long long)d / 60);
	else if (d < 172800)
		snprintf(buf, n, "%lldh ago", (long long)d / 3600);
	else
		snprintf(buf, n, "%lldd ago", (long long)d / 86400);
	return buf;
}

static int db_import(vigil_store *s, int argc, char **argv)
{
	const char **paths = calloc((size_t)argc + 1, sizeof(*paths));
	size_t np = 0;
	struct warn_state ws = { .tty = isatty(2) };
	vigil_db_import_options opt = { .progress = on_progress, .warn = on_warn, .refused = on_refused,
					.ud = &ws };
	vigil_db_import_result *res = NULL;
	size_t nres = 0;
	if (!paths)
		return CLI_ERROR;
	static const struct option import_opts[] = {
		{ "force", no_argument, NULL, 0 }, { "quiet", no_argument, NULL, 'q' }, { NULL, 0, NULL, 0 },
	};
	bool opts_done = false;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (opts_done || a[0] != '-' || !a[1]) {
			paths[np++] = a;
		} else if (!strcmp(a, "--")) {
			opts_done = true;
		} else if (!strcmp(a, "--force")) {
			opt.force = 1;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			ws.tty = 0; /* no progress line; warnings and the summary stay */
		} else {
			free(paths);
			cli_bad_option("db import", a, import_opts);
			return CLI_USAGE;
		}
	}
	if (np == 0) {
		free(paths);
		return cli_usage("db import: give at least one file or folder");
	}
	struct stat st;
	int rc;
	if (np == 1 && stat(paths[0], &st) == 0 && S_ISREG(st.st_mode) && vigil_db_is_bundle(paths[0]))
		rc = vigil_db_import_bundle(s, paths[0], &opt, &res, &nres);
	else
		rc = vigil_db_import(s, paths, np, &opt, &res, &nres);
	if (ws.tty)
		fprintf(stderr, "\r\033[K");
	if (ws.total > MAX_SHOWN_WARNINGS)
		fprintf(stderr, "vigil: warning: ... and %ld more warnings (records skipped)\n",
			ws.total - MAX_SHOWN_WARNINGS);
	for (size_t i = 0; i < nres; i++) {
		vigil_db_import_result *r = &res[i];
		if (r->failed)
			printf("%-14s FAILED: %s (its previous data is kept)\n", r->feed, r->error);
		else if (r->unchanged)
			printf("%-14s unchanged (%lld files, same fingerprint): %lld records from operation %s\n",
			       r->feed, (long long)r->files, (long long)r->op.vulns, r->op.ref);
		else
			printf("%-14s %lld files -> %lld records, %lld affected packages (operation %s)%s\n",
			       r->feed, (long long)r->files, (long long)r->op.vulns, (long long)r->op.affected,
			       r->op.ref, r->refused ? " (files refused: see below)" : "");
	}
	print_refused(&ws);
	if (rc < 0 && nres == 0)
		cli_fail("db import");
	free(res);
	free(paths);
	return rc < 0 ? CLI_ERROR : CLI_OK;
}

static int db_status(vigil_store *s)
{
	vigil_db_feed_status *fs = NULL;
	size_t n = 0;
	char a[32], b[32];
	int bad = 0;
	if (vigil_db_status(s, &fs, &n) < 0)
		return cli_fail("db status");
	if (n == 0) {
		printf("%s: no vulnerability data at all. Load it with 'vigil db import DIR' or 'vigil db update'.\n",
		       vigil_store_describe(s));
		return CLI_ERROR;
	}
	printf("%-14s %-12s %-12s %9s %9s  %s\n", "FEED", "UPDATED", "TRIED", "RECORDS", "AFFECTED", "STATE");
	for (size_t i = 0; i < n; i++) {
		vigil_db_feed_status *f = &fs[i];
		bool stale = f->has_data && (int64_t)time(NULL) - f->last.created > VIGIL_DB_DEFAULT_MAX_AGE;
		const char *state = f->last_error[0] ? f->last_error : !f->has_data ? "NO DATA" : stale ? "STALE" : "ok";
		bad |= f->last_error[0] != '\0' || !f->has_data || stale;
		printf("%-14s %-12s %-12s %9lld %9lld  %s\n", f->feed,
		       f->has_data ? age(f->last.created, a, sizeof(a)) : "never",
		       age(f->last_attempt, b, sizeof(b)), (long long)f->last.vulns,
		       (long long)f->last.affected, state);
	}
	free(fs);
	return bad ? CLI_ERROR : CLI_OK;
}

static int db_ops(vigil_store *s, const char *feed)
{
	vigil_db_op *ops = NULL;
	size_t n = 0;
	char a[32];
	if (vigil_db_ops(s, feed, &ops, &n) < 0)
		return cli_fail("db ops");
	for (size_t i = 0; i < n; i++)
		printf("%s  %-14s %-10s %8lld records  %s\n", ops[i].ref, ops[i].feed,
		       age(ops[i].created, a, sizeof(a)), (long long)ops[i].vulns, ops[i].fingerprint);
	free(ops);
	return CLI_OK;
}

static int show_record(void *ud, const char *feed, const vigil_vuln *v, int enriched)
{
	int *n = ud;
	(*n)++;
	printf("%s  [feed %s, source %s]\n", v->id, feed, v->source ? v->source : "?");
	printf("  severity: %s%s%s%s\n", vigil_severity_name(v->severity), v->vendor_severity ? " (vendor: " : "",
	       v->vendor_severity ? v->vendor_severity : "", v->vendor_severity ? ")" : "");
	if (v->cvss3_score >= 0)
		printf("  cvss3:    %.1f %s%s\n", v->cvss3_score, v->cvss3_vector ? v->cvss3_vector : "",
		       enriched ? "  (from NVD)" : "");
	if (v->cvss2_score >= 0)
		printf("  cvss2:    %.1f %s%s\n", v->cvss2_score, v->cvss2_vector ? v->cvss2_vector : "",
		       enriched ? "  (from NVD)" : "");
	for (size_t i = 0; i < v->naliases && i < 8; i++)
		printf("  alias:    %s\n", v->aliases[i]);
	for (size_t i = 0; i < v->nlinks && i < 3; i++)
		printf("  link:     %s\n", v->links[i]);
	for (size_t i = 0; i < v->naffected; i++) {
		const vigil_affected *a = &v->affected[i];
		printf("  %-14s %-28s %-7s %-12s %s%s%s\n", a->namespace, a->package, a->is_source ? "source" : "binary",
		       vigil_vuln_state_name(a->state), a->fixed ? a->fixed : "", a->module ? " module " : "",
		       a->module ? a->module : "");
	}
	return 0;
}

static int print_change(void *ud, vigil_db_change c, const char *source, const char *id, const char *hash)
{
	long *count = ud;
	count[c == VIGIL_DB_ADDED ? 0 : 1]++;
	printf("%s %s %s %s\n", c == VIGIL_DB_ADDED ? "+" : "-", id, source, hash);
	return 0;
}

int cmd_db(int argc, char **argv)
{
	const char *db = NULL;
	char **args = calloc((size_t)argc + 1, sizeof(*args));
	int nargs = 0, rc;
	vigil_store *s = NULL;
	if (!args)
		return CLI_ERROR;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			db = argv[++i];
		else if ((!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) &&
			 !(nargs > 0 && (!strcmp(args[0], "update") || !strcmp(args[0], "push") ||
					 !strcmp(args[0], "pull")))) {
			help(stdout);
			free(args);
			return CLI_OK;
		} else
			args[nargs++] = argv[i];
	}
	if (nargs == 0) {
		help(stderr);
		free(args);
		return CLI_USAGE;
	}
	/* vigil db help [update], vigil db update --help: no store needed */
	if (!strcmp(args[0], "help") || !strcmp(args[0], "update")) {
		bool upd = !strcmp(args[0], "update") || (nargs > 1 && !strcmp(args[1], "update"));
		bool asked = !strcmp(args[0], "help");
		for (int i = 1; i < nargs; i++)
			asked |= !strcmp(args[i], "--help") || !strcmp(args[i], "-h");
		if (asked) {
			char *h[] = { "--help", NULL };
			free(args);
			if (upd)
				return cmd_db_update(NULL, 1, h);
			help(stdout);
			return CLI_OK;
		}
	}
	if (vigil_store_open(db, &s) < 0) {
		free(args);
		return cli_fail("cannot open the store");
	}
	const char *cmd = args[0];
	if (!strcmp(cmd, "import")) {
		rc = db_import(s, nargs - 1, args + 1);
	} else if (!strcmp(cmd, "update")) {
		rc = cmd_db_update(s, nargs - 1, args + 1);
	} else if (!strcmp(cmd, "push")) {
		rc = cmd_db_push(s, nargs, args);
	} else if (!strcmp(cmd, "pull")) {
		rc = cmd_db_pull(s, nargs, args);
	} else if (!strcmp(cmd, "export")) {
		size_t nf = 0;
		if (nargs != 2)
			rc = cli_usage("db export: give the bundle's file name");
		else if (vigil_db_export(s, args[1], &nf) < 0)
			rc = cli_fail("db export");
		else {
			printf("%s: %zu feeds\n", args[1], nf);
			rc = CLI_OK;
		}
	} else if (!strcmp(cmd, "status")) {
		rc = db_status(s);
	} else if (!strcmp(cmd, "show")) {
		int n = 0;
		if (nargs != 2)
			rc = cli_usage("db show: give one id (CVE-2023-38545, DSA-5380-1, GO-2022-0001 ...)");
		else if (vigil_db_lookup(s, args[1], show_record, &n) < 0)
			rc = cli_fail("db show");
		else if (n == 0) {
			fprintf(stderr, "vigil: %s: no such record in the current data\n", args[1]);
			rc = CLI_ERROR;
		} else
			rc = CLI_OK;
	} else if (!strcmp(cmd, "check")) {
		struct warn_state ws = { 0 };
		int problems = vigil_db_check(s, nargs > 1 ? args[1] : NULL, 0, on_check, &ws);
		if (problems < 0)
			rc = cli_fail("db check");
		else {
			if (problems == 0)
				printf("the vulnerability data is present and fresh%s%s\n", nargs > 1 ? " for " : "",
				       nargs > 1 ? args[1] : "");
			rc = problems ? CLI_ERROR : CLI_OK;
		}
	} else if (!strcmp(cmd, "migrate")) {
		int version = 0;
		/* opening migrated it */
		if (nargs != 1)
			rc = cli_usage("db migrate takes no arguments");
		else if (vigil_store_schema_version(s, &version) < 0)
			rc = cli_fail("db migrate");
		else {
			printf("schema version %d (%s)\n", version, vigil_store_describe(s));
			rc = CLI_OK;
		}
	} else if (!strcmp(cmd, "ops")) {
		rc = db_ops(s, nargs > 1 ? args[1] : NULL);
	} else if (!strcmp(cmd, "diff")) {
		long count[2] = { 0, 0 };
		if (nargs < 2 || nargs > 3)
			rc = cli_usage("db diff: give REF_B, or REF_A REF_B");
		else if (vigil_db_diff(s, nargs == 3 ? args[1] : NULL, args[nargs - 1], print_change, count) < 0)
			rc = cli_fail("db diff");
		else {
			fprintf(stderr, "%ld added, %ld removed\n", count[0], count[1]);
			rc = CLI_OK;
		}
	} else if (!strcmp(cmd, "gc")) {
		long keep = 0;
		int64_t ops = 0, vulns = 0;
		if (nargs == 3 && !strcmp(args[1], "--keep") && !cli_parse_int(args[2], 1, 1000000, &keep))
			rc = cli_usage("db gc: --keep takes a number of operations");
		else if (vigil_db_gc(s, (int)keep, &ops, &vulns) < 0)
			rc = cli_fail("db gc");
		else {
			printf("removed %lld operations and %lld records no kept operation holds\n",
			       (long long)ops, (long long)vulns);
			rc = CLI_OK;
		}
	} else {
		const char *names[sizeof(cli_db_subcommands) / sizeof(cli_db_subcommands[0])];
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			names[i] = cli_db_subcommands[i].name;
		const char *hint = cli_suggest_list(cmd, names);
		if (hint)
			rc = cli_usage("db: unknown command '%s' (did you mean 'db %s'?)", cmd, hint);
		else
			rc = cli_usage("db: unknown command '%s' (see 'vigil db --help')", cmd);
	}
	vigil_store_close(s);
	free(args);
	return rc;
}
