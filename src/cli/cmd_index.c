/* cli/cmd_index.c: vigil index IMAGE: the distribution and installed
 * packages of an image, as a table or as Clair's IndexReport JSON. */
#include "cli.h"
#include "suggest.h"
#include "layer_opts.h"
#include "registry_opts.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *f)
{
	fprintf(f,
		"usage: vigil index IMAGE [options]\n\n"
		"IMAGE is one of:\n"
		"  docker-archive:PATH[:NAME:TAG]   a 'docker save' tar\n"
		"  oci:DIR[:TAG]  oci:DIR@sha256:HEX an OCI image layout\n"
		"  oci-archive:PATH[:TAG]           a tar of an OCI layout (skopeo, podman, ctr export)\n"
		"  docker:NAME  podman:NAME         an image of the local engine (its API socket:\n"
		"                                   $DOCKER_HOST, $CONTAINER_HOST; unix:// only)\n"
		"  dir:PATH                         an unpacked root filesystem\n"
		"  sbom:FILE                        the packages of an SBOM (CycloneDX or SPDX JSON)\n"
		"  REGISTRY/REPO[:TAG|@sha256:HEX]  an image in a registry (docker:// allowed)\n\n"
		"options:\n"
		"  --format table|json   output (default: table; json is Clair v4's IndexReport)\n"
		"  --db PATH             the store (default: $VIGIL_DB or ~/.cache/vigil/vigil.db)\n"
		"  --no-cache            read every layer, do not use the cache\n"
		"  --platform OS/ARCH    the platform to pick from a multi-platform index and to\n"
		"                        require (default: the only image, else linux/amd64)\n"
		"  --threads N           layers read at once (default: number of cores)\n"
		"  -q, --quiet           no progress line\n"
		CLI_LAYER_HELP
		CLI_REGISTRY_HELP);
}

static void print_table(const vigil_index_report *r)
{
	char sz[32];
	size_t by_type[VIGIL_PKG_NUGET + 1] = { 0 }, owned = 0;
	const vigil_distribution *d = r->distribution;

	printf("image:        %s\n", r->image);
	printf("manifest:     %s\n", r->manifest_hash);
	if (d)
		printf("distribution: %s (%s %s%s%s)\n", d->pretty_name ? d->pretty_name : d->did,
		       d->did, d->version_id ? d->version_id : "?",
		       d->version_code_name ? " " : "", d->version_code_name ? d->version_code_name : "");
	else
		printf("distribution: unknown (no os-release or other release file)\n");
	for (size_t i = 0; i < r->package_count; i++) {
		if ((unsigned)r->packages[i].type <= VIGIL_PKG_NUGET)
			by_type[r->packages[i].type]++;
		owned += (r->packages[i].flags & VIGIL_PKG_F_OS_OWNED) != 0;
	}
	printf("packages:     %zu", r->package_count);
	const char *sep = " (";
	for (int t = 1; t <= VIGIL_PKG_NUGET; t++)
		if (by_type[t]) {
			printf("%s%s %zu", sep, vigil_pkg_type_name((vigil_pkg_type)t), by_type[t]);
			sep = ", ";
		}
	printf("%s", r->package_count ? ")" : "");
	if (owned)
		printf(", %zu language package%s in OS packages' files", owned, owned == 1 ? "" : "s");
	printf("\n");
	printf("layers: %zu (%zu read, %zu from cache)\n", r->layer_count,
	       r->layer_count - r->layers_cached, r->layers_cached);
	for (size_t i = 0; i < r->layer_count; i++) {
		const vigil_layer_info *l = &r->layers[i];
		printf("  %2zu  %s  %9s  %-5s  %4zu packages  %s\n", i + 1, l->digest,
		       l->size ? cli_size(l->size, sz, sizeof(sz)) : "-",
		       l->compression ? l->compression : "-", l->packages,
		       l->cached ? "cached" : "read");
	}
	if (r->package_count == 0)
		return;
	size_t wn = 4, wv = 7, wa = 4;
	for (size_t i = 0; i < r->package_count; i++) {
		const vigil_package *p = &r->packages[i];
		if (strlen(p->name) > wn) wn = strlen(p->name);
		if (strlen(p->version) > wv) wv = strlen(p->version);
		if (p->arch && strlen(p->arch) > wa) wa = strlen(p->arch);
	}
	printf("\n%-5s %-*s %-*s %-*s %-8s %s\n", "TYPE", (int)wn, "NAME", (int)wv, "VERSION",
	       (int)wa, "ARCH", "LAYER", "SOURCE");
	for (size_t i = 0; i < r->package_count; i++) {
		const vigil_package *p = &r->packages[i];
		size_t layer = 0;
		for (size_t k = 0; k < r->layer_count; k++)
			if (p->introduced_in && !strcmp(r->layers[k].digest, p->introduced_in))
				layer = k + 1;
		char src[1024] = "";
		if (p->purl)
			snprintf(src, sizeof(src), "%s %s%s%s%s", p->purl, p->package_db ? p->package_db : "",
				 p->flags & VIGIL_PKG_F_DEV ? " (dev)" : "", p->owner ? " owner=" : "",
				 p->owner ? p->owner : "");
		else if (p->source_name && (strcmp(p->source_name, p->name) || (p->source_version &&
		    strcmp(p->source_version, p->version))))
			snprintf(src, sizeof(src), "%s %s", p->source_name,
				 p->source_version ? p->source_version : "");
		printf("%-5s %-*s %-*s %-*s %-8zu %s\n", vigil_pkg_type_name(p->type), (int)wn, p->name,
		       (int)wv, p->version, (int)wa, p->arch ? p->arch : "", layer, src);
	}
}

int cmd_index(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' }, { "db", required_argument, NULL, 'd' },
		{ "no-cache", no_argument, NULL, 'n' }, { "platform", required_argument, NULL, 'p' },
		{ "threads", required_argument, NULL, 't' }, { "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' }, CLI_REGISTRY_LONGOPTS, CLI_LAYER_LONGOPTS, { NULL, 0, NULL, 0 },
	};
	cli_registry reg = { 0 };
	vigil_registry_options ro;
	const char *format = "table", *db = NULL;
	bool no_cache = false, quiet = false;
	vigil_index_options opt;
	vigil_index_report *report = NULL;
	vigil_store *store = NULL;
	cli_progress *prog = NULL;
	int c, rc = CLI_ERROR;
	long n;
	int lrc;

	vigil_index_options_init(&opt);
	optind = 1;
	while ((c = cli_getopt(argc, argv, "qh", longopts, "index")) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "table") && strcmp(optarg, "json"))
				return cli_usage("index: --format must be table or json, not '%s'", optarg);
			format = optarg;
			break;
		case 'd': db = optarg; break;
		case 'n': no_cache = true; break;
		case 'p': opt.platform = optarg; break;
		case 't':
			if (!cli_parse_int(optarg, 1, 64, &n))
				return cli_usage("index: --threads takes a number from 1 to 64");
			opt.threads = (int)n;
			break;
		case 'q': quiet = true; break;
		case 'h': help(stdout); return CLI_OK;
		default:
			if ((lrc = cli_image_opt(&reg, &opt, c, optarg, "index")) != CLI_OK)
				return lrc;
			break;
		}
	}
	if (optind != argc - 1)
		return cli_usage("index: give exactly one IMAGE (see 'vigil index --help')");
	if ((rc = cli_registry_fill(&reg, &ro)) != CLI_OK)
		return rc;
	opt.registry = &ro;
	rc = CLI_ERROR;
	if (!no_cache && vigil_store_open(db, &store) < 0)
		return cli_fail("cannot open the store");
	prog = cli_progress_new(quiet);
	opt.store = store;
	opt.progress = cli_progress_cb;
	opt.progress_ud = prog;
	opt.warn = cli_warn_cb;
	int err = vigil_index_image(argv[optind], &opt, &report);
	cli_progress_done(prog);
	if (err < 0) {
		rc = cli_fail(argv[optind]);
		goto out;
	}
	for (size_t i = 0; i < report->warning_count; i++)
		cli_warn_cb(NULL, report->warnings[i]);
	cli_record_image(store, argv[optind], report, -1); /* vigil inspect --family-tree */
	if (!strcmp(format, "json")) {
		char *json;
		size_t len;
		if (vigil_index_report_json(report, 1, &json, &len) < 0) {
			rc = cli_fail("json");
			goto out;
		}
		fwrite(json, 1, len, stdout);
		fputc('\n', stdout);
		free(json);
	} else {
		print_table(report);
	}
	if (fflush(stdout) != 0) {
		fprintf(stderr, "vigil: error: cannot write the output\n");
		goto out;
	}
	rc = CLI_OK;
out:
	vigil_index_report_free(report);
	vigil_store_close(store);
	return rc;
}
