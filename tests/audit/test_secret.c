/* tests/audit/test_secret.c: the secret scanner's built-in rules
 * (src/audit/secret_rules.yaml): each rule finds its positive case and not
 * its negative one, with Hyperscan and with the keyword fallback
 * (VIGIL_SECRET_ENGINE=pcre2); every built-in rule has a case here; the
 * entropy of the generic rule; the secret group; line numbers; generic
 * matches under specific ones. The cases are well-known fakes (AWS's
 * documentation keys, Slack's and jwt.io's examples) or made of repeated
 * characters, assembled at run time so that no token sits in the source. */
#include "helpers.h"
#include "audit/secret_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CASE_MAX 2048

struct tcase {
	const char *rule, *path; /* path: where the case is scanned (NULL: app/config) */
	char pos[CASE_MAX], neg[CASE_MAX];
};

static char *rep(char *out, const char *unit, size_t n)
{
	size_t u = strlen(unit), o = strlen(out);
	for (size_t i = 0; i < n; i++)
		out[o++] = unit[i % u];
	out[o] = '\0';
	return out;
}

/* 36 letters and digits, varied (the entropy of a real token). */
#define ALNUM "q8Zr2LkP0xW7vN4tY6uB3mC9hJ5sD1fG7aKe"

static size_t make_cases(struct tcase *c)
{
	size_t n = 0;
#define CASE(r) (c[n].rule = (r), c[n].path = NULL, c[n].pos[0] = c[n].neg[0] = '\0', &c[n++])
	struct tcase *t;
	t = CASE("private-key");
	rep(strcpy(t->pos, "x\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA"), "Zm9vYmFy", 80);
	strcat(t->pos, "\n-----END RSA PRIVATE KEY-----\n");
	rep(strcpy(t->neg, "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOC"), "Zm9vYmFy", 40);
	strcat(t->neg, "\n-----END PUBLIC KEY-----\n-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----\n");
	t = CASE("openssh-private-key");
	rep(strcpy(t->pos, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA"), "QUJDREVG", 70);
	strcat(t->pos, "\n-----END OPENSSH PRIVATE KEY-----\n");
	rep(strcpy(t->neg, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"), "QUJDREVG", 6);
	strcat(t->neg, " user@host\n");
	t = CASE("putty-private-key");
	strcpy(t->pos, "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: eddsa-key-20240101\n"
		       "Public-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAIOl7/9cYWQ3FT+6HbXl7aHGBxHnNvPdSHcRkLpDfTtTn\nAAAA\n"
		       "Private-Lines: 1\nAAAAIBxDh2pEw6hz7x0E8wAAXb1HwN8m6GTD0uF1nSh9YkVd\nPrivate-MAC: 0123abcd\n");
	strcpy(t->neg, "PuTTY-User-Key-File-3 is the format of PuTTYgen; Private-Lines: follow.\n");
	t = CASE("pgp-private-key");
	rep(strcpy(t->pos, "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF"), "Zm9vYmFy", 80);
	strcat(t->pos, "\n=abcd\n-----END PGP PRIVATE KEY BLOCK-----\n");
	rep(strcpy(t->neg, "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQENBF"), "Zm9vYmFy", 80);
	strcat(t->neg, "\n-----END PGP PUBLIC KEY BLOCK-----\n");
	t = CASE("aws-access-key-id");
	strcpy(t->pos, "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n");
	strcpy(t->neg, "id=AKIAIOSFODNN7EXAMPL and XAKIAIOSFODNN7EXAMPLE and AKIAIOSFODNN7EXAMPLEX\n");
	t = CASE("aws-secret-access-key");
	strcpy(t->pos, "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
	strcpy(t->neg, "aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}\n");
	t = CASE("gcp-service-account");
	strcpy(t->pos, "{\n  \"type\": \"service_account\",\n  \"project_id\": \"demo\",\n  \"private_key_id\": \"");
	rep(t->pos, "0123456789abcdef", 40);
	strcat(t->pos, "\",\n");
	strcpy(t->neg, "{\"type\": \"service_account\", \"private_key_id\": \"<your key id>\"}\n");
	t = CASE("gcp-api-key");
	rep(strcpy(t->pos, "key=AIza"), ALNUM "-_a", 35);
	rep(strcpy(t->neg, "key=AIza"), ALNUM, 20);
	t = CASE("azure-storage-account-key");
	rep(strcpy(t->pos, "DefaultEndpointsProtocol=https;AccountName=demo;AccountKey="), ALNUM "+/", 86);
	strcat(t->pos, "==;EndpointSuffix=core.windows.net\n");
	strcpy(t->neg, "AccountKey=<your key>==;\n");
	t = CASE("azure-client-secret");
	rep(strcpy(t->pos, "client_secret: abc8Q~"), ALNUM, 34);
	strcpy(t->neg, "press Q~ then abc8Q~short\n");
	t = CASE("github-pat");
	rep(strcpy(t->pos, "GITHUB_TOKEN=ghp_"), ALNUM, 36);
	rep(strcpy(t->neg, "GITHUB_TOKEN=ghp_"), ALNUM, 20);
	t = CASE("github-fine-grained-pat");
	rep(strcpy(t->pos, "github_pat_"), ALNUM "_", 82);
	rep(strcpy(t->neg, "github_pat_"), ALNUM, 30);
	t = CASE("github-oauth");
	rep(strcpy(t->pos, "gho_"), ALNUM, 36);
	rep(strcpy(t->neg, "gho_"), ALNUM, 35);
	t = CASE("github-app-token");
	rep(strcpy(t->pos, "ghs_"), ALNUM, 36);
	rep(strcpy(t->neg, "ghs_"), ALNUM, 37);
	t = CASE("github-refresh-token");
	rep(strcpy(t->pos, "ghr_"), ALNUM, 76);
	rep(strcpy(t->neg, "ghr_"), ALNUM, 12);
	t = CASE("gitlab-pat");
	rep(strcpy(t->pos, "glpat-"), ALNUM, 20);
	rep(strcpy(t->neg, "glpat-"), ALNUM, 12);
	t = CASE("gitlab-runner-token");
	rep(strcpy(t->pos, "token = glrt-"), ALNUM, 20);
	strcpy(t->neg, "glrt-abc\n");
	t = CASE("gitlab-deploy-token");
	rep(strcpy(t->pos, "gldt-"), ALNUM, 20);
	strcpy(t->neg, "gldt-123\n");
	t = CASE("slack-access-token");
	rep(strcpy(t->pos, "SLACK=xoxb-1234567890-1234567890123-"), ALNUM, 24);
	strcpy(t->neg, "SLACK=xoxb-only\n");
	t = CASE("slack-web-hook");
	strcpy(t->pos, "url: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX\n");
	strcpy(t->neg, "url: https://hooks.slack.com/services/\n");
	t = CASE("stripe-secret-token");
	rep(strcpy(t->pos, "sk_live_"), ALNUM, 24);
	rep(strcpy(t->neg, "pk_live_"), ALNUM, 24);
	t = CASE("stripe-test-secret-token");
	rep(strcpy(t->pos, "sk_test_"), ALNUM, 24);
	strcpy(t->neg, "sk_test_abc\n");
	t = CASE("npm-access-token");
	rep(strcpy(t->pos, "NPM_TOKEN=npm_"), ALNUM, 36);
	strcpy(t->neg, "run npm_install and npm_config_cache\n");
	t = CASE("npmrc-auth-token");
	rep(strcpy(t->pos, "//registry.npmjs.org/:_authToken="), ALNUM, 36);
	strcpy(t->neg, "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n");
	t = CASE("pypi-upload-token");
	rep(strcpy(t->pos, "password = pypi-AgEIcHlwaS5vcmc"), ALNUM, 60);
	rep(strcpy(t->neg, "pypi-AgEIcHlwaS5vcmc"), ALNUM, 10);
	t = CASE("jwt-token");
	strcpy(t->pos, "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6"
		       "IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\n");
	strcpy(t->neg, "header eyJhbGciOiJIUzI1NiJ9 alone\n");
	t = CASE("basic-auth-url");
	strcpy(t->pos, "DATABASE_URL=postgres://admin:s3cr3tP4ss@db.internal:5432/app\n");
	strcpy(t->neg, "https://user:${PASSWORD}@host https://example.com:8080/x ftp://u:password@h\n");
	t = CASE("docker-config-auth");
	t->path = "root/.docker/config.json";
	strcpy(t->pos, "{\n  \"auths\": {\n    \"registry.example.com\": {\n      \"auth\": \"dXNlcjpzM2NyM3RQNHNz\"\n    }\n  }\n}\n");
	strcpy(t->neg, "{\"auths\": {\"registry.example.com\": {\"auth\": \"\"}}, \"credsStore\": \"pass\"}\n");
	t = CASE("hashicorp-vault-token");
	rep(strcpy(t->pos, "VAULT_TOKEN=hvs."), ALNUM, 90);
	strcpy(t->neg, "VAULT_TOKEN=hvs.short\n");
	t = CASE("hugging-face-access-token");
	rep(strcpy(t->pos, "HF_TOKEN=hf_"), "qZrLkPxWvNtYuBmChJsDfGaKe", 34);
	rep(strcpy(t->neg, "HF_TOKEN=hf_"), "qZrLkPxWvNtYuBmChJsDfGaKe", 20);
	t = CASE("openai-api-key");
	rep(strcpy(t->pos, "OPENAI_API_KEY=sk-proj-"), ALNUM, 24);
	rep(strcat(t->pos, "T3BlbkFJ"), ALNUM, 24);
	rep(strcpy(t->neg, "OPENAI_API_KEY=sk-proj-"), ALNUM, 48);
	t = CASE("generic-secret");
	strcpy(t->pos, "api_token = \"" ALNUM "\"\n");
	strcpy(t->neg, "password = \"aaaaaaaaaaaaaaaaaaaaaaaa\"\ntoken: example-example-example\nsecret_name = my_secret_value_name\n");
#undef CASE
	return n;
}

#define SEEN_MAX 1024

struct seen {
	char ids[SEEN_MAX][40];
	uint32_t lines[SEEN_MAX];
	size_t sstart[SEEN_MAX], send[SEEN_MAX];
	size_t n;
};

static int collect(void *ud, const secret_match *m)
{
	struct seen *s = ud;
	if (s->n < SEEN_MAX) {
		snprintf(s->ids[s->n], sizeof(s->ids[0]), "%s", m->rule->id);
		s->lines[s->n] = m->line;
		s->sstart[s->n] = m->sstart;
		s->send[s->n] = m->send;
		s->n++;
	}
	return 0;
}

static bool has(const struct seen *s, const char *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->ids[i], id))
			return true;
	return false;
}

static void builtin(secret_ruleset **rs, secret_scanner **sc)
{
	*rs = secret_ruleset_new();
	assert_non_null(*rs);
	assert_int_equal(secret_ruleset_add_builtin(*rs), 0);
	assert_int_equal(secret_ruleset_compile(*rs), 0);
	assert_int_equal(secret_scanner_new(*rs, sc), 0);
}

static void scan(secret_scanner *sc, const char *path, const char *text, struct seen *s)
{
	memset(s, 0, sizeof(*s));
	assert_int_equal(secret_scan(sc, path, (const uint8_t *)text, strlen(text), collect, s, NULL), 0);
}

static void every_rule(const char *engine)
{
	static struct tcase cases[64];
	secret_ruleset *rs;
	secret_scanner *sc;
	static struct seen s;
	if (engine)
		setenv("VIGIL_SECRET_ENGINE", engine, 1);
	else
		unsetenv("VIGIL_SECRET_ENGINE");
	builtin(&rs, &sc);
	size_t n = make_cases(cases);
	for (size_t i = 0; i < n; i++) {
		const char *path = cases[i].path ? cases[i].path : "app/config";
		scan(sc, path, cases[i].pos, &s);
		if (!has(&s, cases[i].rule))
			fail_msg("%s (%s): positive case not found", cases[i].rule, secret_scanner_engine(sc));
		if (cases[i].path) { /* the rule's paths: not elsewhere */
			scan(sc, "app/config", cases[i].pos, &s);
			if (has(&s, cases[i].rule))
				fail_msg("%s: found outside its paths", cases[i].rule);
		}
		scan(sc, path, cases[i].neg, &s);
		if (has(&s, cases[i].rule))
			fail_msg("%s (%s): negative case found", cases[i].rule, secret_scanner_engine(sc));
	}
	/* every built-in rule has its case */
	for (size_t r = 0; r < rs->n; r++) {
		bool found = false;
		for (size_t i = 0; i < n && !found; i++)
			found = !strcmp(cases[i].rule, rs->rules[r].id);
		if (!found)
			fail_msg("built-in rule %s has no test case", rs->rules[r].id);
	}
	secret_scanner_free(sc);
	secret_ruleset_free(rs);
	unsetenv("VIGIL_SECRET_ENGINE");
}

static void test_rules_hyperscan(void **state)
{
	(void)state;
	every_rule(NULL);
}

static void test_rules_keywords(void **state)
{
	(void)state;
	every_rule("pcre2");
}

/* Line numbers, the secret group, the order, a generic match under a specific one. */
static void test_lines_and_groups(void **state)
{
	(void)state;
	secret_ruleset *rs;
	secret_scanner *sc;
	static struct seen s;
	builtin(&rs, &sc);
	const char *text = "# first\n\n[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
			   "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";
	scan(sc, ".aws/credentials", text, &s);
	assert_int_equal(s.n, 2); /* the generic rule stays quiet under both */
	assert_string_equal(s.ids[0], "aws-access-key-id");
	assert_int_equal(s.lines[0], 4);
	assert_int_equal(s.send[0] - s.sstart[0], 20);
	assert_memory_equal(text + s.sstart[0], "AKIAIOSFODNN7EXAMPLE", 20);
	assert_string_equal(s.ids[1], "aws-secret-access-key");
	assert_int_equal(s.lines[1], 5);
	assert_memory_equal(text + s.sstart[1], "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", 40);
	/* CRLF lines and a key on the last line without a newline */
	scan(sc, "x", "a\r\nb\r\nkey=AKIAIOSFODNN7EXAMPLE", &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.lines[0], 3);
	/* a long line: the window around the hit, not the whole line */
	char *big = calloc(1, 300000);
	assert_non_null(big);
	memset(big, 'x', 200000);
	memcpy(big + 150000, " AKIAIOSFODNN7EXAMPLE ", 22);
	scan(sc, "x", big, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.sstart[0], 150001);
	free(big);
	secret_scanner_free(sc);
	secret_ruleset_free(rs);
}

static void test_entropy(void **state)
{
	(void)state;
	assert_true(secret_entropy((const uint8_t *)"aaaaaaaa", 8) < 0.01);
	double e = secret_entropy((const uint8_t *)"abcdefgh", 8);
	assert_true(e > 2.99 && e < 3.01);
	secret_ruleset *rs;
	secret_scanner *sc;
	static struct seen s;
	builtin(&rs, &sc);
	scan(sc, "x", "db_password: \"Tr0ub4dor&3xkcd936Zq\"\n", &s); /* '&' ends the value: too short */
	assert_false(has(&s, "generic-secret"));
	scan(sc, "x", "db_password: Zx9Qw8Er7Ty6Ui5Op4\n", &s);
	assert_true(has(&s, "generic-secret"));
	scan(sc, "x", "db_password: abababababababababab\n", &s); /* 1 bit per character */
	assert_false(has(&s, "generic-secret"));
	secret_scanner_free(sc);
	secret_ruleset_free(rs);
}

/* Both engines give the same matches on text made of every case, noise
 * and long lines, in a pseudo-random order (a fixed seed). */
static void test_engines_agree(void **state)
{
	(void)state;
	static struct tcase cases[64];
	static const char *const noise[] = { "int main(void) { return 0; }\n", "see https://example.com/a?b=c\n",
					     "password: \n", "token", " secret = ${VAR}\n", "\r\n",
					     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" };
	size_t n = make_cases(cases), cap = 1 << 16, len = 0;
	char *text = malloc(cap);
	unsigned seed = 12345;
	assert_non_null(text);
	while (len + 2 * CASE_MAX < cap) {
		seed = seed * 1103515245u + 12345u;
		unsigned r = (seed >> 8) % (2 * (unsigned)n + 7);
		const char *piece = r < n ? cases[r].pos : r < 2 * n ? cases[r - n].neg : noise[r - 2 * n];
		size_t k = strlen(piece);
		memcpy(text + len, piece, k);
		len += k;
	}
	text[len] = '\0';
	static struct seen a, b;
	secret_ruleset *rs;
	secret_scanner *hs, *kw;
	unsetenv("VIGIL_SECRET_ENGINE");
	builtin(&rs, &hs);
	setenv("VIGIL_SECRET_ENGINE", "pcre2", 1);
	assert_int_equal(secret_scanner_new(rs, &kw), 0);
	unsetenv("VIGIL_SECRET_ENGINE");
	scan(hs, "app/x", text, &a);
	scan(kw, "app/x", text, &b);
	if (a.n < 100 || a.n >= SECRET_MAX_FILE_MATCHES)
		fail_msg("%zu matches: the test wants 100 to %d", a.n, SECRET_MAX_FILE_MATCHES);
	assert_int_equal(b.n, a.n);
	for (size_t i = 0; i < a.n; i++) {
		assert_string_equal(a.ids[i], b.ids[i]);
		assert_int_equal(a.sstart[i], b.sstart[i]);
		assert_int_equal(a.send[i], b.send[i]);
		assert_int_equal(a.lines[i], b.lines[i]);
	}
	free(text);
	secret_scanner_free(hs);
	secret_scanner_free(kw);
	secret_ruleset_free(rs);
}

/* Allow-paths of the built-in file: package documentation is not read. */
static void test_allow_paths(void **state)
{
	(void)state;
	secret_ruleset *rs;
	secret_scanner *sc;
	const char *id = NULL;
	builtin(&rs, &sc);
	assert_true(secret_ruleset_path_allowed(rs, "usr/share/doc/openssl/README", &id));
	assert_string_equal(id, "docs");
	assert_true(secret_ruleset_path_allowed(rs, "usr/lib/python3/dist-packages/cryptography/tests/k.pem", &id));
	assert_false(secret_ruleset_path_allowed(rs, "root/.ssh/id_rsa", &id));
	assert_false(secret_ruleset_path_allowed(rs, "app/.env", &id));
	assert_false(secret_ruleset_path_allowed(rs, "etc/ssh/ssh_host_ed25519_key", &id));
	secret_scanner_free(sc);
	secret_ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_hyperscan), cmocka_unit_test(test_rules_keywords),
		cmocka_unit_test(test_lines_and_groups), cmocka_unit_test(test_entropy),
		cmocka_unit_test(test_allow_paths), cmocka_unit_test(test_engines_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
