/* tests/audit/test_secret_rules.c: the secret rules files (audit/secret_rules.c,
 * secret_yaml.c, secret_compile.c): a user rule added, a built-in one
 * replaced and silenced by id, an allow-path dropped; every error names the
 * file and the line (bad regex, unknown key, bad YAML, a missing id or
 * regex, a secret-group that is not a group, a bad severity or entropy). */
#include "helpers.h"
#include "audit/secret_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int load(secret_ruleset *rs, const char *text)
{
	int rc = secret_ruleset_add(rs, "my-rules.yaml", text, strlen(text));
	return rc < 0 ? rc : secret_ruleset_compile(rs);
}

static void expect_error(const char *text, const char *where, const char *what)
{
	secret_ruleset *rs = secret_ruleset_new();
	assert_non_null(rs);
	int rc = load(rs, text);
	if (rc >= 0)
		fail_msg("no error for: %s", text);
	assert_int_equal(rc, VIGIL_EFORMAT);
	if (!strstr(vigil_error_message(), where) || !strstr(vigil_error_message(), what))
		fail_msg("error '%s' does not say '%s' and '%s'", vigil_error_message(), where, what);
	secret_ruleset_free(rs);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("rules:\n  - id: a\n    regex: 'abc(('\n", "my-rules.yaml:3:", "bad regex");
	expect_error("rules:\n  - id: a\n    regex: abc\n    colour: red\n", "my-rules.yaml:4:", "unknown key 'colour'");
	expect_error("rules:\n  - id: a\n    regex: [abc\n", "my-rules.yaml:", "YAML");
	expect_error("rules:\n  - regex: abc\n", "my-rules.yaml:2:", "needs an id");
	expect_error("rules:\n  - id: a\n    title: no regex\n", "my-rules.yaml:2:", "needs a regex");
	expect_error("rules:\n  - id: a\n    regex: 'x(?P<v>y)'\n    secret-group: secret\n", "my-rules.yaml:2:",
		     "secret-group 'secret'");
	expect_error("rules:\n  - id: a\n    regex: x\n    severity: URGENT\n", "my-rules.yaml:4:", "severity");
	expect_error("rules:\n  - id: a\n    regex: x\n    entropy: lots\n", "my-rules.yaml:4:", "entropy");
	expect_error("rules:\n  - id: a\n    regex: x\n    keywords: {a: b}\n", "my-rules.yaml:4:", "keywords");
	expect_error("rules:\n  - id: 'a b'\n    regex: x\n", "my-rules.yaml:2:", "id:");
	expect_error("rulez: []\n", "my-rules.yaml:1:", "unknown key 'rulez' at the top");
	expect_error("rules: []\nexclude-block:\n  regexes: [x]\n", "my-rules.yaml:2:", "unknown key 'exclude-block'");
	expect_error("rules: 3\n", "my-rules.yaml:1:", "a list expected");
	expect_error("allow-paths:\n  - id: p\n    path: '(('\n", "my-rules.yaml:2:", "bad regex");
	expect_error("rules:\n  - &a {id: x, regex: y}\n  - *a\n", "my-rules.yaml:3:", "aliases");
	expect_error("rules:\n  - id: a\n    regex: x\n    allow: ['[z']\n", "my-rules.yaml:2:", "allow");
}

static const secret_rule *rule(const secret_ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->rules[i].id, id))
			return &rs->rules[i];
	return NULL;
}

static int count(void *ud, const secret_match *m)
{
	(void)m;
	(*(int *)ud)++;
	return 0;
}

static int scan(const secret_ruleset *rs, const char *path, const char *text)
{
	secret_scanner *sc;
	int n = 0;
	assert_int_equal(secret_scanner_new(rs, &sc), 0);
	assert_int_equal(secret_scan(sc, path, (const uint8_t *)text, strlen(text), count, &n, NULL), 0);
	secret_scanner_free(sc);
	return n;
}

static void test_replace_and_silence(void **state)
{
	(void)state;
	secret_ruleset *rs = secret_ruleset_new();
	assert_int_equal(secret_ruleset_add_builtin(rs), 0);
	size_t builtin = rs->n;
	const char *user = "rules:\n"
			   "  - id: internal-token\n"
			   "    title: ACME internal token\n"
			   "    severity: critical\n"
			   "    keywords: [acme_]\n"
			   "    regex: '\\bacme_(?P<secret>[a-z0-9]{32})\\b'\n"
			   "    paths: ['^app/']\n"
			   "  - id: jwt-token\n"
			   "    disabled: true\n"
			   "  - id: aws-access-key-id\n"
			   "    title: AWS key (ours)\n"
			   "    severity: low\n"
			   "    regex: '(?P<key>AKIA[A-Z0-9]{16})'\n"
			   "    secret-group: key\n"
			   "allow-paths:\n"
			   "  - id: docs\n"
			   "    disabled: true\n"
			   "  - id: fixtures\n"
			   "    path: '^srv/fixtures/'\n";
	assert_int_equal(load(rs, user), 0);
	assert_int_equal(rs->n, builtin + 1);
	const secret_rule *r = rule(rs, "internal-token");
	assert_non_null(r);
	assert_int_equal(r->severity, VIGIL_SEV_CRITICAL);
	assert_int_equal(r->line, 2);
	assert_string_equal(r->file, "my-rules.yaml");
	assert_true(rule(rs, "jwt-token")->disabled);
	r = rule(rs, "aws-access-key-id");
	assert_int_equal(r->severity, VIGIL_SEV_LOW);
	assert_int_equal(r->nkeywords, 0); /* replaced whole: no keywords, the whole file */
	assert_int_equal(r->group_no, 1);
	assert_int_equal(scan(rs, "app/x", "t=acme_0123456789abcdef0123456789abcdef\n"), 1);
	assert_int_equal(scan(rs, "etc/x", "t=acme_0123456789abcdef0123456789abcdef\n"), 0); /* paths */
	assert_int_equal(scan(rs, "x", "k=AKIAIOSFODNN7EXAMPLE\n"), 1);
	assert_int_equal(scan(rs, "x", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U\n"), 0);
	assert_false(secret_ruleset_path_allowed(rs, "usr/share/doc/a/README", NULL));
	assert_true(secret_ruleset_path_allowed(rs, "srv/fixtures/key.pem", NULL));
	secret_ruleset_free(rs);
}

/* A Trivy trivy-secret.yaml (the shape of Trivy's docs) loads as it is. */
static void test_trivy_config(void **state)
{
	(void)state;
	secret_ruleset *rs = secret_ruleset_new();
	assert_int_equal(secret_ruleset_add_builtin(rs), 0);
	const char *trivy = "rules:\n"
			    "  - id: rule1\n"
			    "    category: general\n"
			    "    title: Generic Rule\n"
			    "    severity: HIGH\n"
			    "    path:\n"
			    "      - .*\\.sh\n"
			    "    keywords:\n"
			    "      - secret\n"
			    "    regex: (?i)(?P<key>(secret))(=|:).{0,5}['\"](?P<secret>[0-9a-zA-Z\\-_=]{8,64})['\"]\n"
			    "    secret-group-name: secret\n"
			    "    allow-rules:\n"
			    "      - id: skip-text\n"
			    "        description: skip text files\n"
			    "        path: .*\\.txt\n"
			    "      - id: skip-dummy\n"
			    "        regex: ^dummy\n"
			    "allow-rules:\n"
			    "  - id: social-security-number\n"
			    "    description: skip social security number\n"
			    "    regex: '^\\d{3}-\\d{2}-\\d{4}$'\n"
			    "disable-rules:\n"
			    "  - slack-access-token\n"
			    "  - twilio-api-key\n"
			    "disable-allow-rules:\n"
			    "  - markdown\n"
			    "  - docs\n";
	assert_int_equal(load(rs, trivy), 0);
	const secret_rule *r = rule(rs, "rule1");
	assert_non_null(r);
	assert_int_equal(r->nallow_paths, 1);
	assert_int_equal(r->nallow, 1);
	assert_int_equal(r->group_no, 4);
	assert_true(rule(rs, "slack-access-token")->disabled);
	assert_false(secret_ruleset_path_allowed(rs, "usr/share/doc/a/README", NULL));
	assert_int_equal(scan(rs, "run.sh", "secret='s3cr3tv4lue'\n"), 1);
	assert_int_equal(scan(rs, "notes.txt", "secret='s3cr3tv4lue'\n"), 0);     /* the rule's allowed path */
	assert_int_equal(scan(rs, "run.sh", "secret='dummyvalue'\n"), 0);        /* the rule's allowed regex */
	assert_int_equal(scan(rs, "run.sh", "secret='123-45-6789'\n"), 0);       /* the global allowed regex */
	secret_ruleset_free(rs);
	/* enable-builtin-rules: only those of the built-in ones */
	rs = secret_ruleset_new();
	assert_int_equal(secret_ruleset_add_builtin(rs), 0);
	assert_int_equal(load(rs, "enable-builtin-rules: [github-pat]\n"), 0);
	assert_false(rule(rs, "github-pat")->disabled);
	assert_true(rule(rs, "aws-access-key-id")->disabled);
	secret_ruleset_free(rs);
	expect_error("rules:\n  - id: a\n    regex: x\n    allow-rules: [{id: b, colour: red}]\n", "my-rules.yaml:4:",
		     "unknown key of an allow rule");
}

static void test_file_load(void **state)
{
	(void)state;
	char path[] = "/tmp/vigil-secret-rules-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *text = "# mine\nrules:\n  - id: a\n    regex: 'x+('\n";
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	secret_ruleset *rs = secret_ruleset_new();
	assert_int_equal(secret_ruleset_load(rs, path), 0);
	assert_int_equal(secret_ruleset_compile(rs), VIGIL_EFORMAT);
	char want[64];
	snprintf(want, sizeof(want), "%s:4:", path);
	assert_non_null(strstr(vigil_error_message(), want));
	secret_ruleset_free(rs);
	unlink(path);
	rs = secret_ruleset_new();
	assert_true(secret_ruleset_load(rs, "/nonexistent/rules.yaml") < 0);
	assert_non_null(strstr(vigil_error_message(), "/nonexistent/rules.yaml"));
	secret_ruleset_free(rs);
	/* empty files and empty lists are no rules, not errors */
	rs = secret_ruleset_new();
	assert_int_equal(load(rs, ""), 0);
	assert_int_equal(load(rs, "rules:\nallow-paths: []\n"), 0);
	assert_int_equal(rs->n, 0);
	secret_ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_replace_and_silence),
		cmocka_unit_test(test_trivy_config),
		cmocka_unit_test(test_file_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
