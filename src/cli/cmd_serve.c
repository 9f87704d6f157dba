/* cli/cmd_serve.c: vigil serve [--listen ADDR] [--introspection-listen ADDR]
 * [--db PATH] [--config FILE] [--threads N]: the Clair-compatible server
 * (vigil/server.h, docs/server.md). Runs until SIGTERM or SIGINT. */
#include "cli.h"
#include "suggest.h"
#include "vigil/server.h"

#include <string.h>

static const char usage[] =
	"usage: vigil serve [--listen ADDR] [--introspection-listen ADDR] [--db PATH]\n"
	"                   [--config FILE] [--threads N] [--mode combo|indexer|matcher]\n"
	"                   [--update-period SECONDS] [--update-mirror DIR|URL] [--update-sources FILE]\n"
	"                   [--index-concurrency N] [--index-queue N] [--report-cache-bytes N]\n"
	"                   [--shutdown-grace SECONDS] [--harbor-listen ADDR]\n"
	"  --listen ADDR                the API address (Clair's http_listen_addr, default :6060)\n"
	"  --introspection-listen ADDR  /healthz, /readyz, /metrics (introspection_addr, default :8089)\n"
	"  --db PATH                    the store (default: the config's connstring, else the user's cache)\n"
	"  --config FILE                a Clair-style YAML config\n"
	"  --threads N                  worker threads (default: 2 x cores)\n"
	"  --mode MODE                  combo (default), indexer or matcher, as Clair's\n"
	"  --update-period SECONDS      run the feed update every SECONDS (and at start), on one\n"
	"                               node of the database at a time (default: never)\n"
	"  --update-mirror DIR|URL      take the feeds from a mirror (as vigil db update --mirror)\n"
	"  --update-sources FILE        a sources file (as vigil db update --config)\n"
	"  --index-concurrency N        indexing requests at once (default 2 x cores; -1: no cap)\n"
	"  --index-queue N              indexing requests waiting beyond them (default 256); more: 429\n"
	"  --report-cache-bytes N       memory for cached VulnerabilityReports (default 256 MiB)\n"
	"  --shutdown-grace SECONDS     how long requests in flight may finish after SIGTERM (default 120)\n"
	"  --harbor-listen ADDR         Harbor's pluggable scanner API on ADDR (harbor.listen; docs/harbor.md)\n";

/* The flags of cmd_serve, by name: for $VIGIL_<FLAG>, vigil.yaml (its
 * serve: section; the server's own --config file is unchanged) and
 * suggestions. */
static const struct option serve_opts[] = {
	{ "listen", required_argument, NULL, 0 }, { "introspection-listen", required_argument, NULL, 0 },
	{ "db", required_argument, NULL, 0 }, { "harbor-listen", required_argument, NULL, 0 },
	{ "config", required_argument, NULL, 0 }, { "mode", required_argument, NULL, 0 },
	{ "update-mirror", required_argument, NULL, 0 }, { "update-sources", required_argument, NULL, 0 },
	{ "update-period", required_argument, NULL, 0 }, { "threads", required_argument, NULL, 0 },
	{ "index-concurrency", required_argument, NULL, 0 }, { "index-queue", required_argument, NULL, 0 },
	{ "report-cache-bytes", required_argument, NULL, 0 }, { "shutdown-grace", required_argument, NULL, 0 },
	{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
};

int cmd_serve(int argc, char **argv)
{
	vigil_server_options o;
	vigil_server_options_init(&o);
	o.warn = cli_warn_cb;
	int crc = cli_conf_argv("serve", serve_opts, 1, &argc, &argv);
	if (crc != CLI_OK)
		return crc;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage, stdout);
			return CLI_OK;
		}
		if (i + 1 >= argc) {
			bool flag = false;
			for (size_t k = 0; serve_opts[k].name; k++)
				flag |= !strncmp(a, "--", 2) && !strcmp(a + 2, serve_opts[k].name);
			if (!flag && cli_suggest_option(a, serve_opts)) {
				cli_bad_option("serve", a, serve_opts);
				return CLI_USAGE;
			}
			return cli_usage("serve: unknown argument or missing value: '%s'", a);
		}
		if (!strcmp(a, "--listen"))
			o.listen = argv[++i];
		else if (!strcmp(a, "--introspection-listen"))
			o.introspection_listen = argv[++i];
		else if (!strcmp(a, "--db"))
			o.db = argv[++i];
		else if (!strcmp(a, "--harbor-listen"))
			o.harbor_listen = argv[++i];
		else if (!strcmp(a, "--config"))
			o.config_path = argv[++i];
		else if (!strcmp(a, "--mode"))
			o.mode = argv[++i];
		else if (!strcmp(a, "--update-mirror"))
			o.update_mirror = argv[++i];
		else if (!strcmp(a, "--update-sources"))
			o.update_config = argv[++i];
		else if (!strcmp(a, "--update-period")) {
			long n;
			if (!cli_parse_int(argv[++i], 1, 366L * 24 * 3600, &n))
				return cli_usage("serve: --update-period: a number of seconds from 1 expected");
			o.update_period_s = n;
		} else if (!strcmp(a, "--threads")) {
			long n;
			if (!cli_parse_int(argv[++i], 1, 1024, &n))
				return cli_usage("serve: --threads: a number from 1 to 1024 expected");
			o.threads = (int)n;
		} else if (!strcmp(a, "--index-concurrency")) {
			long n;
			if (!cli_parse_int(argv[++i], -1, 1000000, &n) || n == 0)
				return cli_usage("serve: --index-concurrency: a number from 1 (or -1: no cap) expected");
			o.index_concurrency = (int)n;
		} else if (!strcmp(a, "--index-queue")) {
			long n;
			if (!cli_parse_int(argv[++i], 0, 100000, &n))
				return cli_usage("serve: --index-queue: a number from 0 to 100000 expected");
			o.index_queue = (int)n;
		} else if (!strcmp(a, "--report-cache-bytes")) {
			long n;
			if (!cli_parse_int(argv[++i], 0, 1L << 40, &n))
				return cli_usage("serve: --report-cache-bytes: a number of bytes expected");
			o.report_cache_bytes = n;
		} else if (!strcmp(a, "--shutdown-grace")) {
			long n;
			if (!cli_parse_int(argv[++i], 0, 86400, &n))
				return cli_usage("serve: --shutdown-grace: a number of seconds from 0 to 86400 expected");
			o.shutdown_grace_s = (int)n;
		} else {
			cli_bad_option("serve", a, serve_opts);
			return CLI_USAGE;
		}
	}
	if (vigil_server_run(&o) < 0)
		return cli_fail(NULL);
	return CLI_OK;
}
