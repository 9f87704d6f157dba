/* tests/audit/test_inspect.c: vigil inspect's parts: the Dockerfile line
 * of real created_by strings (Docker's classic builder, BuildKit, kaniko,
 * buildah, Windows, apko), the masking of secret-looking env, the config
 * read into a report (and refused with the member named when a type is
 * wrong), the JSON and table, and the real alpine 3.10 archive of the
 * shared test data read end to end. */
#include "helpers.h"
#include "audit/inspect_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void instr(const char *created_by, const char *want)
{
	char *got = vigil_inspect_instruction(created_by, strlen(created_by));
	if (!want) {
		assert_null(got);
		return;
	}
	if (!got || strcmp(got, want))
		fail_msg("created_by %s\n  want %s\n  got  %s", created_by, want, got ? got : "(null)");
	free(got);
}

/* Real lines, from docker history / the configs of Docker Hub images. */
static void test_instructions(void **state)
{
	(void)state;
	/* the classic builder (alpine:3.10, debian, python images before BuildKit) */
	instr("/bin/sh -c #(nop) ADD file:d48cac34fac385cbc1de6adfdd88300f76f9bbe346cd17e64fd834d042a98326 in / ",
	      "ADD file:d48cac34fac385cbc1de6adfdd88300f76f9bbe346cd17e64fd834d042a98326 in /");
	instr("/bin/sh -c #(nop)  CMD [\"/bin/sh\"]", "CMD [\"/bin/sh\"]");
	instr("/bin/sh -c #(nop)  ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin",
	      "ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin");
	instr("/bin/sh -c #(nop)  LABEL maintainer=NGINX Docker Maintainers <docker-maint@nginx.com>",
	      "LABEL maintainer=NGINX Docker Maintainers <docker-maint@nginx.com>");
	instr("/bin/sh -c #(nop)  EXPOSE 80", "EXPOSE 80");
	instr("/bin/sh -c #(nop)  STOPSIGNAL SIGTERM", "STOPSIGNAL SIGTERM");
	instr("/bin/sh -c #(nop) WORKDIR /usr/src/app", "WORKDIR /usr/src/app");
	instr("/bin/sh -c #(nop) COPY file:238737301d47304174e4d24f4def935b29b3069c03c72ae8de97d94624382fce in /usr/local/bin/ ",
	      "COPY file:238737301d47304174e4d24f4def935b29b3069c03c72ae8de97d94624382fce in /usr/local/bin/");
	instr("/bin/sh -c #(nop)  ENTRYPOINT [\"docker-entrypoint.sh\"]", "ENTRYPOINT [\"docker-entrypoint.sh\"]");
	instr("/bin/sh -c #(nop)  USER [nobody]", "USER [nobody]");
	instr("/bin/sh -c #(nop)  VOLUME [/var/lib/postgresql/data]", "VOLUME [/var/lib/postgresql/data]");
	instr("/bin/sh -c #(nop)  HEALTHCHECK &{[\"CMD-SHELL\" \"curl -f http://localhost/ || exit 1\"] \"30s\" \"3s\" \"0s\" '\\x03'}",
	      "HEALTHCHECK &{[\"CMD-SHELL\" \"curl -f http://localhost/ || exit 1\"] \"30s\" \"3s\" \"0s\" '\\x03'}");
	instr("/bin/sh -c apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && rm -rf /var/lib/apt/lists/*",
	      "RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && rm -rf /var/lib/apt/lists/*");
	instr("|1 VERSION=1.2.3 /bin/sh -c echo $VERSION > /v", "RUN echo $VERSION > /v");
	instr("/bin/sh -c set -eux; \tapk add --no-cache --virtual .build-deps gcc", "RUN set -eux; \tapk add --no-cache --virtual .build-deps gcc");
	/* BuildKit (nginx, python, golang official images since 2023) */
	instr("RUN /bin/sh -c set -x     && groupadd --system --gid 101 nginx # buildkit",
	      "RUN set -x     && groupadd --system --gid 101 nginx");
	instr("RUN |1 TARGETARCH=amd64 /bin/sh -c set -eux; \tapt-get update # buildkit", "RUN set -eux; \tapt-get update");
	instr("RUN |2 A=1 B=two /bin/sh -c make install # buildkit", "RUN make install");
	instr("COPY docker-entrypoint.sh / # buildkit", "COPY docker-entrypoint.sh /");
	instr("COPY --chown=node:node . /app # buildkit", "COPY --chown=node:node . /app");
	instr("EXPOSE map[80/tcp:{}]", "EXPOSE 80/tcp");
	instr("EXPOSE map[443/tcp:{} 80/tcp:{}]", "EXPOSE 443/tcp 80/tcp");
	instr("STOPSIGNAL SIGQUIT", "STOPSIGNAL SIGQUIT");
	instr("CMD [\"nginx\" \"-g\" \"daemon off;\"]", "CMD [\"nginx\" \"-g\" \"daemon off;\"]");
	instr("ENV NGINX_VERSION=1.25.3", "ENV NGINX_VERSION=1.25.3");
	instr("WORKDIR /go", "WORKDIR /go");
	instr("ARG TARGETARCH", "ARG TARGETARCH");
	instr("SHELL [\"/bin/bash\" \"-o\" \"pipefail\" \"-c\"]", "SHELL [\"/bin/bash\" \"-o\" \"pipefail\" \"-c\"]");
	instr("RUN /bin/bash -o pipefail -c curl -fsSL https://example.com | tar -xz # buildkit",
	      "RUN curl -fsSL https://example.com | tar -xz");
	instr("RUN /bin/sh -eux -c apk add git # buildkit", "RUN apk add git");
	instr("/bin/bash -o pipefail -c make", "RUN make");
	/* heredoc RUN: the lines continued */
	instr("RUN /bin/sh -c a\nb # buildkit", "RUN a \\\n    b");
	/* Windows, kaniko, buildah, others */
	instr("cmd /S /C powershell -Command Install-WindowsFeature", "RUN powershell -Command Install-WindowsFeature");
	instr("RUN apt-get update", "RUN apt-get update");
	instr("COPY . /app", "COPY . /app");
	instr("apko", "# apko");
	instr("bazel build //images:base", "# bazel build //images:base");
	instr("mmdebstrap --variant=minbase bookworm", "# mmdebstrap --variant=minbase bookworm");
	instr("", NULL);
	instr("   ", NULL);
	instr("/bin/sh -c #(nop) ", NULL);
}

static void masked(const char *name, const char *value, int want)
{
	const char *why = NULL;
	int got = vigil_inspect_env_secret(name, value, &why);
	if ((got != 0) != want)
		fail_msg("%s=%s: want %s, got %s (%s)", name, value, want ? "masked" : "shown", got ? "masked" : "shown",
			 why ? why : "");
}

static void test_env_secret(void **state)
{
	(void)state;
	masked("DB_PASSWORD", "hunter2", 1);
	masked("MYSQL_ROOT_PASSWORD", "example", 1);
	masked("API_TOKEN", "abc", 1);
	masked("GITHUB_TOKEN", "x", 1);
	masked("CLIENT_SECRET", "s", 1);
	masked("STRIPE_API_KEY", "k", 1);
	masked("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", 1);
	masked("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", 1);
	masked("SOMETHING", "AKIAIOSFODNN7EXAMPLE", 1); /* the value says it */
	masked("GOOGLE_APPLICATION_CREDENTIALS", "/secrets/key.json", 1);
	masked("DATABASE_URL", "postgres://app:s3cret@db:5432/app", 1);
	masked("TLS_KEY", "-----BEGIN RSA PRIVATE KEY-----\nMIIE", 1);
	masked("X", "ghp_16C7e42F292c6912E7710c838347Ae178B4a", 1);
	masked("SESSION", "9fJ2kQ7xLm4Pz8Rt1Vb6Nc3Wd5Ys0Ha", 1); /* high entropy */
	/* not secrets: what official images set */
	masked("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 0);
	masked("PWD", "/app", 0);
	masked("NGINX_VERSION", "1.25.3", 0);
	masked("PYTHON_SHA256", "8fb5f9fbc7609fa822cb31549884575db7fd9657cbffb89510b5d7975963a83a", 0);
	masked("LANG", "C.UTF-8", 0);
	masked("AWS_DEFAULT_REGION", "eu-west-1", 0);
	masked("JAVA_HOME", "/opt/java/openjdk", 0);
	masked("DB_PASSWORD", "", 0); /* nothing to hide */
	masked("KEYRING_DIR", "/etc/apt/keyrings", 0);
}

static const char *config_json =
	"{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\",\"created\":\"2024-01-02T03:04:05Z\","
	"\"author\":\"ops\",\"config\":{\"Entrypoint\":[\"/docker-entrypoint.sh\"],\"Cmd\":[\"nginx\",\"-g\",\"daemon off;\"],"
	"\"User\":\"101:101\",\"WorkingDir\":\"/srv\",\"StopSignal\":\"SIGQUIT\","
	"\"Env\":[\"PATH=/usr/bin\",\"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\",\"EMPTY\"],"
	"\"ExposedPorts\":{\"80/tcp\":{},\"443/tcp\":{}},\"Volumes\":{\"/data\":{}},"
	"\"Labels\":{\"org.opencontainers.image.source\":\"https://github.com/x/y\",\"a\":\"b\"},"
	"\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"curl -f http://localhost/\"],\"Interval\":30000000000,"
	"\"Timeout\":3000000000,\"Retries\":3},\"OnBuild\":[\"RUN make\"]},"
	"\"history\":[{\"created\":\"2024-01-01T00:00:00Z\",\"created_by\":\"/bin/sh -c #(nop) ADD file:ab in / \"},"
	"{\"created_by\":\"/bin/sh -c #(nop)  CMD [\\\"bash\\\"]\",\"empty_layer\":true},"
	"{\"created_by\":\"RUN /bin/sh -c apt-get update # buildkit\",\"comment\":\"buildkit.dockerfile.v0\"}]}";

static vigil_inspect_report *parse(const char *json, size_t layers, int *rc)
{
	static const char *const digests[] = { "sha256:l0", "sha256:l1", "sha256:l2" };
	vigil_inspect_report *r;
	json_error_t je;
	json_t *j = json_loads(json, 0, &je);
	assert_non_null(j);
	assert_int_equal(inspect_report_new(&r), 0);
	vigil_audit_layer *v = vigil_arena_calloc(r->internal->arena, 3, sizeof(*v));
	for (size_t i = 0; i < layers; i++) {
		v[i].digest = digests[i];
		v[i].files = 10 + i;
	}
	r->image = "test";
	r->layers = v;
	r->layer_count = layers;
	*rc = inspect_config_parse(r, j);
	json_decref(j);
	return r;
}

static void test_config(void **state)
{
	int rc;
	char *out;
	size_t len;
	(void)state;
	vigil_inspect_report *r = parse(config_json, 2, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(r->architecture, "arm64");
	assert_string_equal(r->variant, "v8");
	assert_int_equal(r->entrypoint_count, 1);
	assert_int_equal(r->cmd_count, 3);
	assert_string_equal(r->cmd[2], "daemon off;");
	assert_string_equal(r->user, "101:101");
	assert_string_equal(r->working_dir, "/srv");
	assert_int_equal(r->env_count, 3);
	assert_false(r->env[0].masked);
	assert_true(r->env[1].masked);
	assert_string_equal(r->env[1].value, "AKIA************MPLE");
	assert_string_equal(r->env[2].name, "EMPTY");
	assert_int_equal(vigil_inspect_env_secret("DB_PASSWORD", "correct-horse-battery", NULL), 2);
	assert_int_equal(vigil_inspect_env_secret("X", "AKIAIOSFODNN7EXAMPLE", NULL), 1);
	assert_string_equal(r->env[2].value, "");
	assert_int_equal(r->exposed_port_count, 2);
	assert_string_equal(r->exposed_ports[0], "443/tcp"); /* sorted */
	assert_int_equal(r->label_count, 2);
	assert_string_equal(r->labels[0].key, "a");
	assert_string_equal(r->healthcheck, "CMD-SHELL curl -f http://localhost/");
	assert_string_equal(r->healthcheck_options, "interval=30s timeout=3s retries=3");
	assert_int_equal(r->history_count, 3);
	assert_int_equal(r->history[0].layer, 0);
	assert_int_equal(r->history[1].layer, VIGIL_AUDIT_NO_LAYER);
	assert_true(r->history[1].empty_layer);
	assert_int_equal(r->history[2].layer, 1);
	assert_string_equal(r->history[2].comment, "buildkit.dockerfile.v0");
	assert_string_equal(r->dockerfile, "FROM scratch\nADD file:ab in /\nCMD [\"bash\"]\nRUN apt-get update\n");
	assert_int_equal(r->warning_count, 0);
	assert_int_equal(vigil_inspect_render(r, VIGIL_FMT_CLAIR, &out, &len), 0);
	json_error_t je;
	json_t *j = json_loadb(out, len, 0, &je);
	assert_non_null(j);
	json_t *env1 = json_array_get(json_object_get(json_object_get(j, "config"), "env"), 1);
	assert_string_equal(json_string_value(json_object_get(env1, "value")), "AKIA************MPLE");
	json_t *hist = json_object_get(j, "history");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(json_array_get(hist, 2), "layer"), "files")), 11);
	assert_true(json_is_null(json_object_get(json_array_get(hist, 1), "layer")));
	json_decref(j);
	free(out);
	assert_int_equal(vigil_inspect_render(r, VIGIL_FMT_TABLE, &out, &len), 0);
	assert_non_null(strstr(out, "Entrypoint   [\"/docker-entrypoint.sh\"]"));
	assert_non_null(strstr(out, "AWS_ACCESS_KEY_ID=AKIA************MPLE   (masked: an AWS access key id)"));
	assert_non_null(strstr(out, "Healthcheck  CMD-SHELL curl -f http://localhost/ (interval=30s timeout=3s retries=3)"));
	assert_null(strstr(out, "AKIAIOSFODNN7EXAMPLE"));
	free(out);
	assert_int_equal(vigil_inspect_render(r, VIGIL_FMT_SARIF, &out, &len), VIGIL_EINVAL);
	vigil_inspect_report_free(r);

	/* three layers, two history entries that made one: a warning, matched in order */
	r = parse(config_json, 3, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(r->warning_count, 1);
	vigil_inspect_report_free(r);
}

/* A secret in the env is masked in the history lines that set it too,
 * and a secret build argument of a RUN. */
static void test_history_masked(void **state)
{
	int rc;
	(void)state;
	vigil_inspect_report *r = parse(
		"{\"config\":{\"Env\":[\"DB_PASSWORD=correct-horse\",\"LANG=C\"]},\"history\":["
		"{\"created_by\":\"/bin/sh -c #(nop)  ENV DB_PASSWORD=correct-horse LANG=C\",\"empty_layer\":true},"
		"{\"created_by\":\"RUN |1 NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123 /bin/sh -c npm ci # buildkit\"},"
		"{\"created_by\":\"/bin/sh -c echo correct-horse > /etc/pw\"}]}",
		1, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(r->history[0].instruction, "ENV DB_PASSWORD=******** LANG=C");
	assert_string_equal(r->history[0].created_by, "/bin/sh -c #(nop)  ENV DB_PASSWORD=******** LANG=C");
	assert_string_equal(r->history[1].created_by,
			    "RUN |1 NPM_TOKEN=npm_************************0123 /bin/sh -c npm ci # buildkit");
	assert_string_equal(r->history[2].instruction, "RUN echo ******** > /etc/pw");
	assert_null(strstr(r->dockerfile, "correct-horse"));
	assert_string_equal(r->env[0].value, "********");
	vigil_inspect_report_free(r);
}

static void refused(const char *json, const char *member)
{
	int rc;
	vigil_inspect_report *r = parse(json, 0, &rc);
	assert_int_equal(rc, VIGIL_EFORMAT);
	if (!strstr(vigil_error_message(), member))
		fail_msg("want %s in: %s", member, vigil_error_message());
	vigil_inspect_report_free(r);
}

static void test_config_refused(void **state)
{
	(void)state;
	refused("[]", "not a JSON object");
	refused("{\"config\":[]}", "config: not an object");
	refused("{\"config\":{\"Env\":[\"A=1\",3]}}", "config.Env[1]: not a string");
	refused("{\"config\":{\"Labels\":{\"a\":1}}}", "config.Labels[\"a\"]");
	refused("{\"config\":{\"ExposedPorts\":[\"80\"]}}", "config.ExposedPorts: not an object");
	refused("{\"config\":{\"User\":0}}", "config.User: not a string");
	refused("{\"history\":{}}", "history: not an array");
	refused("{\"history\":[{\"created_by\":1}]}", "history[0].created_by");
	refused("{\"history\":[{},{\"empty_layer\":\"yes\"}]}", "history[1].empty_layer");
	refused("{\"os\":[]}", "os: not a string");
}

/* The shared alpine 3.10 archive (Docker Hub's alpine:3.10 of 2020-01-23). */
static void test_real_alpine(void **state)
{
	char path[1024];
	vigil_inspect_report *r;
	(void)state;
	const char *td = getenv("VIGIL_TESTDATA");
	snprintf(path, sizeof(path), "docker-archive:%s/images/trivy_alpine-3.10.4/alpine-310.tar.gz", td ? td : "");
	if (!td || !*td || access(path + 15, R_OK) != 0) {
		printf("SKIP: no shared test data (VIGIL_TESTDATA)\n");
		skip();
	}
	assert_int_equal(vigil_inspect_image(path, NULL, &r), 0);
	assert_string_equal(r->config_digest, "sha256:af341ccd2df8b0e2d67cf8dd32e087bfda4e5756ebd1c76bbf3efa0dc246590e");
	assert_int_equal(r->layer_count, 1);
	assert_string_equal(r->layers[0].digest, "sha256:531743b7098cb2aaf615641007a129173f63ed86ca32fe7b5a246a1c47286028");
	assert_int_equal(r->layers[0].uncompressed, 5818880);
	assert_int_equal(r->history_count, 2);
	assert_string_equal(r->history[1].instruction, "CMD [\"/bin/sh\"]");
	assert_string_equal(r->dockerfile, "FROM scratch\nADD file:d48cac34fac385cbc1de6adfdd88300f76f9bbe346cd17e64fd834d042a98326 in /\nCMD [\"/bin/sh\"]\n");
	assert_string_equal(r->docker_version, "18.06.1-ce");
	vigil_inspect_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_instructions),
		cmocka_unit_test(test_env_secret),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_config_refused),
		cmocka_unit_test(test_history_masked),
		cmocka_unit_test(test_real_alpine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
