/* cli/cmd_verify.c: vigil verify IMAGE --key cosign.pub: the image's
 * cosign signatures (the "sha256-<hex>.sig" tag of its registry) checked
 * with a public key (vigil/verify.h, docs/audit.md (vigil verify)).
 *
 * Exit status: 0 verified, 1 not (no signature, a bad one, a payload for
 * another digest, a payload that is not simple signing JSON, a key vigil
 * does not handle, the registry failing), 2 bad usage. */
#include "cli.h"
#include "suggest.h"
#include "registry_opts.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *f)
{
	fprintf(f,
		"usage: vigil verify IMAGE --key FILE [options]\n\n"
		"Verifies the cosign signatures of a registry image with a public key: the\n"
		"manifest tagged sha256-<digest>.sig in the image's repository, each layer a\n"
		"simple signing payload and its signature. Verified when one signature checks\n"
		"with the key and its payload names the image's digest (for a multi-platform\n"
		"image: the index's digest, which `cosign sign` signs).\n"
		"IMAGE is REGISTRY/REPO:TAG or REGISTRY/REPO@sha256:HEX (docker:// allowed).\n\n"
		"options:\n"
		"  --key FILE            the PEM public key (cosign.pub: ECDSA P-256; RSA >= 2048\n"
		"                        and Ed25519 SubjectPublicKeyInfo too)\n"
		"  -a, --annotation K=V  the payload's optional part must hold K with value V\n"
		"                        (repeatable; cosign verify -a)\n"
		"  --match-reference     the payload's docker-reference must be the image's\n"
		"                        repository (cosign does not require it)\n"
		"  --format text|json    text (default) or the JSON of every signature checked\n"
		"  -q, --quiet           nothing on stdout when verified (the exit status tells)\n"
		CLI_REGISTRY_HELP
		"\nexit status: 0 verified, 1 not verified or an error, 2 bad usage\n");
}

struct verify_args {
	const char *key, *format;
	const char *ann[VIGIL_VERIFY_MAX_ANNOTATIONS];
	size_t nann;
	bool match_reference, quiet;
	cli_registry reg;
};

static int parse_args(int argc, char **argv, struct verify_args *a)
{
	static const struct option longopts[] = {
		{ "key", required_argument, NULL, 'k' }, { "annotation", required_argument, NULL, 'a' },
		{ "match-reference", no_argument, NULL, 'm' }, { "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' }, { "help", no_argument, NULL, 'h' },
		CLI_REGISTRY_LONGOPTS, { NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
	while ((c = cli_getopt(argc, argv, "a:qh", longopts, "verify")) != -1) {
		switch (c) {
		case 'k': a->key = optarg; break;
		case 'a':
			if (a->nann == VIGIL_VERIFY_MAX_ANNOTATIONS)
				return cli_usage("verify: at most %d --annotation", VIGIL_VERIFY_MAX_ANNOTATIONS);
			if (!strchr(optarg, '=') || optarg[0] == '=')
				return cli_usage("verify: --annotation takes KEY=VALUE");
			a->ann[a->nann++] = optarg;
			break;
		case 'm': a->match_reference = true; break;
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "json"))
				return cli_usage("verify: --format must be text or json");
			a->format = optarg;
			break;
		case 'q': a->quiet = true; break;
		case 'h': help(stdout); return -1;
		default:
			if (cli_registry_opt(&a->reg, c, optarg))
				break;
			return cli_usage("see 'vigil verify --help'");
		}
	}
	if (optind != argc - 1)
		return cli_usage("verify: give exactly one IMAGE (see 'vigil verify --help')");
	if (!a->key)
		return cli_usage("verify: --key FILE is required (the cosign public key)");
	return CLI_OK;
}

static void print_text(const vigil_verify_result *r)
{
	printf("Verified %s\n", r->pinned);
	printf("  signatures  %s (%s)\n", r->signature_ref, r->signature_digest);
	printf("  key         %s (%s, %s)\n", r->key_path, r->key_kind, r->key_id);
	for (size_t i = 0; i < r->signature_count; i++) {
		const vigil_verify_signature *s = &r->signatures[i];
		if (s->verified)
			printf("  verified    %s: docker-reference %s\n", s->layer_digest,
			       s->docker_reference[0] ? s->docker_reference : "(none)");
		else
			printf("  not used    %s\n", s->error);
	}
}

static int print_json(const vigil_verify_result *r)
{
	char *json = NULL;
	size_t len = 0;
	if (vigil_verify_result_json(r, 1, &json, &len) < 0)
		return cli_fail("verify: JSON");
	fwrite(json, 1, len, stdout);
	fputc('\n', stdout);
	free(json);
	return CLI_OK;
}

int cmd_verify(int argc, char **argv)
{
	struct verify_args a = { .format = "text" };
	vigil_registry_options ro;
	vigil_verify_options vo;
	vigil_verify_result *res = NULL;
	int rc = parse_args(argc, argv, &a);
	if (rc == -1)
		return CLI_OK;
	if (rc != CLI_OK)
		return rc;
	if ((rc = cli_registry_fill(&a.reg, &ro)) != CLI_OK)
		return rc;
	vigil_verify_options_init(&vo);
	vo.key_path = a.key;
	vo.registry = &ro;
	vo.annotations = a.ann;
	vo.annotation_count = a.nann;
	vo.match_reference = a.match_reference;
	int err = vigil_verify_image(argv[optind], &vo, &res);
	if (err < 0)
		rc = cli_fail(argv[optind]);
	if (res && !strcmp(a.format, "json") && print_json(res) != CLI_OK)
		rc = CLI_ERROR;
	else if (res && err >= 0 && !a.quiet && strcmp(a.format, "json") != 0)
		print_text(res);
	vigil_verify_result_free(res);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "vigil: error: cannot write the output\n");
		return CLI_ERROR;
	}
	return rc;
}
