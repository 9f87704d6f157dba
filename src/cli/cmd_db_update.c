/* cli/cmd_db_update.c: `vigil db update`: fetch the vulnerability feeds
 * (or take them from a mirror) and import what changed. One line per feed
 * on stdout, a progress line on a terminal only, and an exit status that
 * tells apart "all went well" (0), "some feed failed" (1), bad usage (2)
 * and "no feed could be reached at all: offline" (3). */
#include "cli.h"
#include "cmd_db_artifact.h"
#include "suggest.h"
#include "vigil/db_update.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CLI_OFFLINE 3
#define MAX_SHOWN_WARNINGS 20

static void help(FILE *f)
{
	fprintf(f,
		"usage: vigil db update [options]\n\n"
		"Fetches each vulnerability feed from its upstream (conditional requests: an\n"
		"unchanged feed costs one 304 per URL and writes nothing) and imports what changed.\n\n"
		"  --source NAME          only this feed (repeatable; see --list for the names)\n"
		"  --mirror DIR|URL       take the feeds from DIR/<feed>/ or URL/<feed>/<file>\n"
		"  --source-url NAME=URL  replace the feed's URLs (repeat to give several)\n"
		"  --config FILE          sources file: 'NAME URL [FILE] [optional]' lines\n"
		"                         (default $VIGIL_SOURCES, else ~/.config/vigil/sources.conf)\n"
		"  --cache-dir DIR        where downloads go (default: feeds/ beside the default store)\n"
		"  --parallel N           feeds fetched at once (default: all)\n"
		"  --connect-timeout S    give up connecting after S seconds (default %d)\n"
		"  --timeout S            give up one download after S seconds (default %d)\n"
		"  --stall-timeout S      fail a download slower than %d bytes/s for S seconds (default %d)\n"
		"  --max-size BYTES       largest file accepted (default %lld)\n"
		"  --force                import even when nothing changed\n"
		"  --from REF             pull the database published with 'vigil db push' instead\n"
		"                         (default $VIGIL_DB_REPOSITORY, else vigil.yaml's db.repository;\n"
		"                         --repository REF is the same flag; see 'vigil db pull --help')\n"
		"  --list                 print the feeds and their URLs, then exit\n"
		"  -q, --quiet            no progress line\n\n"
		"exit status: 0 every feed updated or unchanged, 1 some feed failed (the others\n"
		"were updated; see 'vigil db status'), 2 bad usage, 3 no feed could be reached\n"
		"(offline: use 'vigil db import DIR' or '--mirror DIR')\n",
		VIGIL_DB_UPDATE_CONNECT_TIMEOUT_S, VIGIL_DB_UPDATE_TIMEOUT_S, VIGIL_DB_UPDATE_STALL_BYTES,
		VIGIL_DB_UPDATE_STALL_TIME_S, (long long)VIGIL_DB_UPDATE_MAX_BYTES);
}

struct ui {
	bool tty, drawn;
	long warnings;
};

static void on_progress(void *ud, const vigil_db_update_progress *p)
{
	struct ui *ui = ud;
	char b[32];
	if (!ui->tty)
		return;
	fprintf(stderr, "\r\033[Kfeeds %zu/%zu done · %s downloaded%s%s", p->feeds_done, p->feeds_total,
		cli_size((unsigned long long)p->bytes, b, sizeof(b)), p->message ? " · " : "",
		p->message ? p->message : "");
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

static void print_line(void *ud, const char *msg)
{
	(void)ud;
	printf("%s\n", msg);
}

static void print_result(const vigil_db_update_result *r)
{
	char b[32];
	const char *size = cli_size((unsigned long long)r->bytes, b, sizeof(b));
	switch (r->state) {
	case VIGIL_DB_UPDATE_UPDATED:
		printf("%-13s updated: %lld files -> %lld records, %lld affected packages (operation %s); "
		       "%lld requests, %s\n",
		       r->feed, (long long)r->files, (long long)r->op.vulns, (long long)r->op.affected, r->op.ref,
		       (long long)r->requests, size);
		break;
	case VIGIL_DB_UPDATE_UNCHANGED:
		if (r->requests > 0 && r->not_modified + r->skipped == r->requests) {
			char skipped[64] = "";
			if (r->skipped)
				snprintf(skipped, sizeof(skipped), " (and %lld optional URLs not found)",
					 (long long)r->skipped);
			printf("%-13s unchanged: %lld requests answered 304 Not Modified%s; %lld records "
			       "(operation %s)\n",
			       r->feed, (long long)r->not_modified, skipped, (long long)r->op.vulns, r->op.ref);
		}
		else
			printf("%-13s unchanged: same content as before; %lld records (operation %s); "
			       "%lld requests, %s\n",
			       r->feed, (long long)r->op.vulns, r->op.ref, (long long)r->requests, size);
		break;
	default:
		printf("%-13s FAILED: %s (its previous data is kept)\n", r->feed, r->error);
		break;
	}
}

struct args {
	cli_db_art art; /* --from REF and the options of a pull */
	vigil_db_update_options opt;
	const char **sources, **urls;
	bool list, quiet;
};

static bool number(const char *flag, const char *v, long max, long *out)
{
	if (!v || !cli_parse_int(v, 1, max, out)) {
		cli_usage("db update: %s takes a number from 1 to %ld", flag, max);
		return false;
	}
	return true;
}

/* The flags of parse(), by name: for $VIGIL_<FLAG>, vigil.yaml and suggestions. */
static const struct option update_opts[] = {
	{ "source", required_argument, NULL, 0 }, { "source-url", required_argument, NULL, 0 },
	{ "mirror", required_argument, NULL, 0 }, { "config", required_argument, NULL, 0 },
	{ "cache-dir", required_argument, NULL, 0 }, { "parallel", required_argument, NULL, 0 },
	{ "connect-timeout", required_argument, NULL, 0 }, { "timeout", required_argument, NULL, 0 },
	{ "stall-timeout", required_argument, NULL, 0 }, { "max-size", required_argument, NULL, 0 },
	{ "force", no_argument, NULL, 0 }, { "list", no_argument, NULL, 0 },
	/* the database as an OCI artifact (cmd_db_artifact.c) */
	{ "from", required_argument, NULL, 0 }, { "repository", required_argument, NULL, 0 },
	{ "verify-key", required_argument, NULL, 0 },
	{ "username", required_argument, NULL, 0 }, { "password", required_argument, NULL, 0 },
	{ "insecure-registry", no_argument, NULL, 0 }, { "registry-config", required_argument, NULL, 0 },
	{ "quiet", no_argument, NULL, 'q' }, { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
};

static int parse(int argc, char **argv, struct args *a)
{
	long n;
	size_t ns = 0, nu = 0;
	for (int i = 0; i < argc; i++) {
		const char *f = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = true;
		if (!strcmp(f, "--source") && v)
			a->sources[ns++] = v;
		else if (!strcmp(f, "--source-url") && v)
			a->urls[nu++] = v;
		else if (!strcmp(f, "--mirror") && v)
			a->opt.mirror = v;
		else if (!strcmp(f, "--config") && v)
			a->opt.config = v;
		else if (!strcmp(f, "--cache-dir") && v)
			a->opt.cache_dir = v;
		else if (!strcmp(f, "--parallel")) {
			if (!number(f, v, 64, &n))
				return CLI_USAGE;
			a->opt.parallel = (int)n;
		} else if (!strcmp(f, "--connect-timeout")) {
			if (!number(f, v, 3600, &n))
				return CLI_USAGE;
			a->opt.connect_timeout_s = n;
		} else if (!strcmp(f, "--timeout")) {
			if (!number(f, v, 86400, &n))
				return CLI_USAGE;
			a->opt.timeout_s = n;
		} else if (!strcmp(f, "--stall-timeout")) {
			if (!number(f, v, 3600, &n))
				return CLI_USAGE;
			a->opt.stall_time_s = n;
		} else if (!strcmp(f, "--max-size")) {
			if (!number(f, v, 1L << 62, &n))
				return CLI_USAGE;
			a->opt.max_bytes = n;
		} else {
			takes = false;
			if (!strcmp(f, "--force"))
				a->opt.force = 1;
			else if (!strcmp(f, "--list"))
				a->list = true;
			else if (!strcmp(f, "-q") || !strcmp(f, "--quiet"))
				a->quiet = true;
			else if (!strcmp(f, "--help") || !strcmp(f, "-h")) {
				help(stdout);
				return -1;
			} else if ((n = cli_db_art_arg(&a->art, argc, argv, &i)) != 0) {
				if (n != 1)
					return (int)n;
			} else if (cli_suggest_option(f, update_opts) && strncmp(f, "--", 2) == 0) {
				cli_bad_option("db update", f, update_opts);
				return CLI_USAGE;
			} else
				return cli_usage("db update: unknown or incomplete option '%s' (see 'vigil db update --help')", f);
		}
		if (takes)
			i++;
	}
	a->opt.sources = a->sources;
	a->opt.nsources = ns;
	a->opt.source_urls = a->urls;
	a->opt.nsource_urls = nu;
	return CLI_OK;
}

static int summary(const vigil_db_update_result *res, size_t n, struct ui *ui)
{
	size_t up = 0, same = 0, failed = 0;
	for (size_t i = 0; i < n; i++) {
		print_result(&res[i]);
		up += res[i].state == VIGIL_DB_UPDATE_UPDATED;
		same += res[i].state == VIGIL_DB_UPDATE_UNCHANGED;
		failed += res[i].state == VIGIL_DB_UPDATE_FAILED;
	}
	if (ui->warnings > MAX_SHOWN_WARNINGS)
		fprintf(stderr, "vigil: warning: ... and %ld more warnings\n", ui->warnings - MAX_SHOWN_WARNINGS);
	if (vigil_db_update_offline(res, n)) {
		fprintf(stderr,
			"vigil: no feed could be reached: all %zu failed to connect (no network, or blocked).\n"
			"vigil: the vulnerability data was not changed. Offline, load feed files with 'vigil db import DIR' "
			"or use 'vigil db update --mirror DIR'.\n",
			n);
		return CLI_OFFLINE;
	}
	fprintf(stderr, "vigil: %zu feeds: %zu updated, %zu unchanged, %zu failed\n", n, up, same, failed);
	return failed ? CLI_ERROR : CLI_OK;
}

int cmd_db_update(vigil_store *s, int argc, char **argv)
{
	struct ui ui = { 0 };
	struct args a = { 0 };
	vigil_db_update_result *res = NULL;
	size_t n = 0;
	int rc;
	if ((rc = cli_conf_argv("db update", update_opts, 0, &argc, &argv)) != CLI_OK)
		return rc;
	a.sources = calloc((size_t)argc + 1, sizeof(*a.sources));
	a.urls = calloc((size_t)argc + 1, sizeof(*a.urls));
	if (!a.sources || !a.urls) {
		rc = CLI_ERROR;
		goto out;
	}
	if ((rc = parse(argc, argv, &a)) != CLI_OK) {
		rc = rc < 0 ? CLI_OK : rc;
		goto out;
	}
	/* the artifact: --from, else $VIGIL_DB_REPOSITORY, else vigil.yaml's
	 * db.repository (--repository), unless feeds were named */
	const char *repo = getenv("VIGIL_DB_REPOSITORY");
	if (!repo || !*repo)
		repo = a.art.repository;
	if (!a.art.ref && repo && *repo && !a.opt.mirror && !a.opt.nsources && !a.opt.nsource_urls && !a.list)
		a.art.ref = repo;
	if (a.art.ref) {
		a.art.quiet = a.art.quiet || a.quiet;
		a.art.force = a.art.force || a.opt.force;
		rc = a.opt.mirror || a.opt.nsources || a.list
			     ? cli_usage("db update: --from takes the whole database; not with --mirror, --source or --list")
			     : cli_db_pull_run(s, &a.art);
		goto out;
	}
	if (a.list) {
		rc = vigil_db_update_list(&a.opt, print_line, NULL) < 0 ? cli_fail("db update --list") : CLI_OK;
		goto out;
	}
	ui.tty = !a.quiet && isatty(2);
	a.opt.progress = on_progress;
	a.opt.warn = on_warn;
	a.opt.ud = &ui;
	int urc = vigil_db_update(s, &a.opt, &res, &n);
	if (ui.drawn)
		fprintf(stderr, "\r\033[K");
	if (urc < 0 && n == 0) {
		rc = urc == VIGIL_EINVAL || urc == VIGIL_EFORMAT ? cli_usage("db update: %s", vigil_error_message())
								  : cli_fail("db update");
		goto out;
	}
	rc = summary(res, n, &ui);
out:
	free(res);
	free(a.sources);
	free(a.urls);
	return rc;
}
