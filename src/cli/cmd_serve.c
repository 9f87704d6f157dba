/* cli/cmd_serve.c: vigil serve [--listen ADDR] [--introspection-listen ADDR]
 * [--db PATH] [--config FILE] [--threads N]: the Clair-compatible server
 * (vigil/server.h, docs/server.md). Runs until SIGTERM or SIGINT. */
#include "cli.h"
#include "vigil/server.h"

#include <string.h>

static const char usage[] =
	"usage: vigil serve [--listen ADDR] [--introspection-listen ADDR] [--db PATH]\n"
	"                   [--config FILE] [--threads N] [--mode combo|indexer|matcher]\n"
	"                   [--update-period SECONDS] [--update-mirror DIR|URL] [--update-sources FILE]\n"
	"  --listen ADDR                the API address (Clair's http_listen_addr, default :6060)\n"
	"  --introspection-listen ADDR  /healthz, /readyz, /metrics (introspection_addr, default :8089)\n"
	"  --db PATH                    the store (default: the config's connstring, else the user's cache)\n"
	"  --config FILE                a Clair-style YAML config\n"
	"  --threads N                  worker threads (default: 2 x cores)\n"
	"  --mode MODE                  combo (default), indexer or matcher, as Clair's\n"
	"  --update-period SECONDS      run the feed update every SECONDS (and at start), on one\n"
	"                               node of the database at a time (default: never)\n"
	"  --update-mirror DIR|URL      take the feeds from a mirror (as vigil db update --mirror)\n"
	"  --update-sources FILE        a sources file (as vigil db update --config)\n";

int cmd_serve(int argc, char **argv)
{
	vigil_server_options o;
	vigil_server_options_init(&o);
	o.warn = cli_warn_cb;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage, stdout);
			return CLI_OK;
		}
		if (i + 1 >= argc)
			return cli_usage("serve: unknown argument or missing value: '%s'", a);
		if (!strcmp(a, "--listen"))
			o.listen = argv[++i];
		else if (!strcmp(a, "--introspection-listen"))
			o.introspection_listen = argv[++i];
		else if (!strcmp(a, "--db"))
			o.db = argv[++i];
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
		} else
			return cli_usage("serve: unknown argument '%s'", a);
	}
	if (vigil_server_run(&o) < 0)
		return cli_fail(NULL);
	return CLI_OK;
}
