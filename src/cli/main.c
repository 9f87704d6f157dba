/* cli/main.c: the vigil command: finds the subcommand and hands over.
 * 'vigil help CMD [SUB]' is 'vigil CMD [SUB] --help'; an unknown command
 * gets the nearest name (cli/suggest.c). The usage lists this table (and
 * the db subcommands of cmd_db.c's), so a new entry shows by itself. */
#include "cli.h"
#include "suggest.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} commands[] = {
	{ "scan", cmd_scan, "find the vulnerabilities of an image's packages" },
	{ "sbom", cmd_sbom, "write an image's packages as an SBOM (CycloneDX or SPDX)" },
	{ "audit", cmd_audit, "secrets, integrity, trojan indicators and policy of an image" },
	{ "inspect", cmd_inspect, "an image's config, layers, history, family tree and tag history" },
	{ "diff", cmd_diff, "how two images differ: files, packages, findings, config" },
	{ "verify", cmd_verify, "verify an image's cosign signature with a public key" },
	{ "index", cmd_index, "list the distribution and packages of an image" },
	{ "manifest", cmd_manifest, "print the Clair v4 manifest of a registry image" },
	{ "db", cmd_db, "the vulnerability database: import, status, ops, diff, gc" },
	{ "cache", cmd_cache, "show or clear the layer cache" },
	{ "serve", cmd_serve, "the Clair-compatible server (v4 and v1 APIs)" },
	{ "notify", cmd_notify, "notify test: send a test message to the config's AMQP/STOMP brokers" },
	{ "vercmp", cmd_vercmp, "compare two versions: vercmp SCHEME A B (or --satisfies SCHEME V C)" },
	{ "version", cmd_version, "print the version" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: vigil <command> [options]\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++) {
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
		if (!strcmp(commands[i].name, "db"))
			for (size_t k = 0; cli_db_subcommands[k].name; k++)
				fprintf(f, "    db %-9s %s\n", cli_db_subcommands[k].name, cli_db_subcommands[k].help);
	}
	fprintf(f, "\n'vigil help <command>' or 'vigil <command> --help' tells more. Every option\n"
		   "can also come from $VIGIL_<OPTION> or vigil.yaml (docs/scan.md, Configuration).\n");
}

const char *const *cli_command_names(void)
{
	static const char *names[NCOMMANDS + 1];
	for (size_t i = 0; i < NCOMMANDS; i++)
		names[i] = commands[i].name;
	return names;
}

static int unknown_command(const char *name);

/* vigil help [CMD [SUB]]: CMD [SUB] --help. */
static int help_of(int argc, char **argv)
{
	char *args[4];
	if (argc < 3) {
		usage(stdout);
		return CLI_OK;
	}
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(argv[2], commands[i].name))
			continue;
		int n = 0;
		args[n++] = argv[2];
		if (argc > 3)
			args[n++] = argv[3];
		args[n++] = "--help";
		args[n] = NULL;
		return commands[i].fn(n, args);
	}
	return unknown_command(argv[2]);
}

int cli_fail(const char *what)
{
	const char *msg = vigil_error_message();
	/* a message that already names what failed ("sbom:x.json: ...") says it once */
	if (what && !strncmp(msg, what, strlen(what)) && msg[strlen(what)] == ':')
		what = NULL;
	fprintf(stderr, "vigil: error: %s%s%s\n", what ? what : "", what ? ": " : "", msg);
	return CLI_ERROR;
}

int cli_usage(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "vigil: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return CLI_USAGE;
}

bool cli_parse_int(const char *s, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

const char *cli_size(unsigned long long bytes, char *buf, size_t n)
{
	if (bytes >= 1000ULL * 1000 * 1000)
		snprintf(buf, n, "%.1f GB", (double)bytes / 1e9);
	else if (bytes >= 1000ULL * 1000)
		snprintf(buf, n, "%.1f MB", (double)bytes / 1e6);
	else if (bytes >= 1000)
		snprintf(buf, n, "%.1f kB", (double)bytes / 1e3);
	else
		snprintf(buf, n, "%llu B", bytes);
	return buf;
}

static int unknown_command(const char *name)
{
	const char *hint = cli_suggest_list(name, cli_command_names());
	if (hint)
		fprintf(stderr, "vigil: unknown command '%s' (did you mean '%s'?)\n", name, hint);
	else
		fprintf(stderr, "vigil: unknown command '%s'\n", name);
	fprintf(stderr, "run 'vigil help' for the list of commands\n");
	return CLI_USAGE;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		argc = 2;
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
		return help_of(argc, argv);
	if (!strcmp(argv[1], "--version"))
		return cmd_version(argc - 1, argv + 1);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	return unknown_command(argv[1]);
}
