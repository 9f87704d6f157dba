/* tests/audit/test_policy.c: the policy file of vigil audit
 * (audit/policy_parse.c, policy_yaml.c): the built-in policy, every form
 * a rule's value takes, and every error, each naming the file, the line
 * and the rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "audit/policy_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static policy *ok(const char *text)
{
	policy *p = NULL;
	int rc = policy_parse("p.yaml", text, strlen(text), &p);
	if (rc < 0)
		fail_msg("%s", vigil_error_message());
	return p;
}

/* Parses text, expects code rc and a message holding want. */
static void refused(const char *text, int rc, const char *want)
{
	policy *p = NULL;
	int got = policy_parse("p.yaml", text, strlen(text), &p);
	assert_null(p);
	if (got != rc || !strstr(vigil_error_message(), want))
		fail_msg("got %d '%s', want %d '%s'", got, vigil_error_message(), rc, want);
}

static void test_default(void **state)
{
	(void)state;
	static const char *const order[] = { "pass-max-days", "pass-min-days", "pass-min-len", "no-ssh-server",
					     "not-root", "no-secrets-in-env", "deny-packages", "base-image-age",
					     "finding-age" };
	policy *p = NULL;
	assert_int_equal(policy_load(NULL, &p), 0);
	assert_int_equal(p->nrules, 9);
	for (size_t i = 0; i < 9; i++)
		assert_string_equal(p->rules[i].id, order[i]);
	assert_int_equal(p->rules[0].limit, 90);
	assert_int_equal(p->rules[0].severity, VIGIL_SEV_MEDIUM);
	assert_int_equal(p->rules[0].if_missing, POL_MISSING_NOT_JUDGED);
	assert_int_equal(p->rules[1].limit, 1);
	assert_int_equal(p->rules[2].limit, 8);
	assert_int_equal(p->rules[3].paths.n, 6);
	assert_string_equal(p->rules[3].packages.v[0], "openssh-server");
	assert_int_equal(p->rules[6].names.n, 12);
	assert_string_equal(p->rules[6].names.v[0], "telnetd");
	assert_int_equal(p->rules[7].limit, 365);
	assert_int_equal(p->rules[8].limit, 30);
	assert_int_equal(p->rules[8].min_severity, VIGIL_SEV_HIGH);
	assert_int_equal(p->rules[8].severity, VIGIL_SEV_HIGH);
	assert_string_equal(p->name, "(built-in policy)");
	policy_free(p);
}

static void test_forms(void **state)
{
	(void)state;
	policy *p = ok("version: 1\n"
		       "rules:\n"
		       "  pass-max-days: {max: 60, severity: HIGH, if-missing: fail}\n"
		       "  pass-min-days:\n"
		       "  not-root: true\n"
		       "  no-ssh-server: false\n"
		       "  finding-age:\n"
		       "    - {severity: critical, max-days: 7, fixed-only: true, show: 3}\n"
		       "    - {severity: medium, max-days: 90}\n"
		       "  deny-packages: {names: [telnetd, 'netcat-*']}\n"
		       "  no-secrets-in-env: {allow: [DEMO_TOKEN]}\n");
	assert_int_equal(p->nrules, 7);
	assert_string_equal(p->rules[0].id, "pass-max-days");
	assert_int_equal(p->rules[0].limit, 60);
	assert_int_equal(p->rules[0].severity, VIGIL_SEV_HIGH);
	assert_int_equal(p->rules[0].if_missing, POL_MISSING_FAIL);
	assert_int_equal(p->rules[0].line, 3);
	assert_int_equal(p->rules[1].limit, 1); /* empty: the defaults */
	assert_int_equal(p->rules[1].severity, VIGIL_SEV_LOW);
	assert_string_equal(p->rules[2].id, "not-root");
	assert_int_equal(p->rules[3].kind, POL_FINDING_AGE); /* no-ssh-server is off */
	assert_int_equal(p->rules[3].limit, 7);
	assert_int_equal(p->rules[3].min_severity, VIGIL_SEV_CRITICAL);
	assert_int_equal(p->rules[3].severity, VIGIL_SEV_CRITICAL);
	assert_true(p->rules[3].fixed_only);
	assert_int_equal(p->rules[3].show, 3);
	assert_int_equal(p->rules[4].min_severity, VIGIL_SEV_MEDIUM);
	assert_int_equal(p->rules[4].limit, 90);
	assert_false(p->rules[4].fixed_only);
	assert_int_equal(p->rules[5].names.n, 2);
	assert_string_equal(p->rules[5].names.v[1], "netcat-*");
	assert_string_equal(p->rules[5].id, "deny-packages");
	assert_string_equal(p->rules[6].allow.v[0], "DEMO_TOKEN");
	policy_free(p);
	p = ok("rules: {}\n");
	assert_int_equal(p->nrules, 0);
	policy_free(p);
	p = ok("rules:\n");
	assert_int_equal(p->nrules, 0);
	policy_free(p);
}

static void test_extends(void **state)
{
	(void)state;
	policy *p = ok("extends: builtin\n"
		       "rules:\n"
		       "  finding-age: [{severity: critical, max-days: 7}, {}]\n"
		       "  pass-max-days: {max: 60}\n"
		       "  no-ssh-server: false\n");
	static const char *const order[] = { "pass-max-days", "pass-min-days", "pass-min-len", "not-root",
					     "no-secrets-in-env", "deny-packages", "base-image-age", "finding-age",
					     "finding-age" };
	assert_int_equal(p->nrules, 9);
	for (size_t i = 0; i < 9; i++)
		assert_string_equal(p->rules[i].id, order[i]);
	assert_int_equal(p->rules[0].limit, 60);
	assert_int_equal(p->rules[1].limit, 1);
	assert_string_equal(p->rules[5].names.v[0], "telnetd"); /* the built-in list */
	assert_int_equal(p->rules[7].min_severity, VIGIL_SEV_CRITICAL);
	assert_int_equal(p->rules[8].min_severity, VIGIL_SEV_HIGH);
	assert_int_equal(p->rules[8].limit, 30);
	policy_free(p);
	p = ok("extends: builtin\n");
	assert_int_equal(p->nrules, 9);
	policy_free(p);
	refused("extends: default\n", VIGIL_EFORMAT, "p.yaml:1: extends: builtin expected");
	refused("extends: builtin\nrules:\n  pass-max-dayz: {}\n", VIGIL_EFORMAT, "p.yaml:3: unknown rule 'pass-max-dayz'");
}

static void test_unknown(void **state)
{
	(void)state;
	refused("rules:\n  pass-max-days: {max: 90}\n  pass-max-dayz: {max: 90}\n", VIGIL_EFORMAT,
		"p.yaml:3: unknown rule 'pass-max-dayz' (did you mean pass-max-days?)");
	refused("rules:\n  no-ssh: {}\n", VIGIL_EFORMAT, "p.yaml:2: unknown rule 'no-ssh' (did you mean no-ssh-server?)");
	refused("rules:\n  frobnicate: {}\n", VIGIL_EFORMAT,
		"p.yaml:2: unknown rule 'frobnicate' (see docs/audit.md (Policy))");
	refused("rules:\n  pass-max-days: {maxx: 90}\n", VIGIL_EFORMAT,
		"p.yaml:2: rule pass-max-days: unknown parameter 'maxx' (known: max, severity, if-missing)");
	refused("rules:\n  deny-packages:\n    name: [x]\n", VIGIL_EFORMAT,
		"p.yaml:3: rule deny-packages: unknown parameter 'name' (known: severity, names, show)");
	refused("ruels:\n  not-root: {}\n", VIGIL_EFORMAT, "p.yaml:1: unknown key 'ruels'");
	refused("version: 2\nrules: {}\n", VIGIL_EFORMAT, "p.yaml:1: version: 1 expected");
	refused("version: 1\n", VIGIL_EFORMAT, "p.yaml: no 'rules:' mapping");
	refused("", VIGIL_EFORMAT, "p.yaml: an empty policy");
	refused("- a\n- b\n", VIGIL_EFORMAT, "p.yaml:1: a mapping with 'rules:' expected");
	refused("rules: [not-root]\n", VIGIL_EFORMAT, "p.yaml:1: rules: a mapping of rule names expected");
}

static void test_types(void **state)
{
	(void)state;
	refused("rules:\n  pass-max-days: {max: ninety}\n", VIGIL_EFORMAT,
		"p.yaml:2: rule pass-max-days: max: a whole number from 0 to 1000000 expected, not 'ninety'");
	refused("rules:\n  pass-max-days: {max: -1}\n", VIGIL_EFORMAT, "max: a whole number");
	refused("rules:\n  pass-max-days: {max: 99999999}\n", VIGIL_EFORMAT, "not '99999999'");
	refused("rules:\n  pass-max-days: {max: [1]}\n", VIGIL_EFORMAT, "not '(a list or mapping)'");
	refused("rules:\n  not-root: {severity: urgent}\n", VIGIL_EFORMAT,
		"p.yaml:2: rule not-root: severity: one of negligible, low, medium, high, critical expected, not 'urgent'");
	refused("rules:\n  deny-packages: {names: telnetd}\n", VIGIL_EFORMAT,
		"rule deny-packages: names: a list expected ([a, b]), not 'telnetd'");
	refused("rules:\n  deny-packages: {names: {a: b}}\n", VIGIL_EFORMAT, "names: a list expected, not a mapping");
	refused("rules:\n  deny-packages:\n    names:\n      - telnetd\n      - [x]\n", VIGIL_EFORMAT,
		"p.yaml:5: rule deny-packages: names: every item is a non-empty string");
	refused("rules:\n  finding-age: {fixed-only: maybe}\n", VIGIL_EFORMAT,
		"rule finding-age: fixed-only: true or false expected, not 'maybe'");
	refused("rules:\n  pass-min-len: {if-missing: skip}\n", VIGIL_EFORMAT,
		"if-missing: not-judged, fail or pass expected, not 'skip'");
	refused("rules:\n  not-root: 3\n", VIGIL_EFORMAT,
		"p.yaml:2: rule not-root: a mapping of parameters, true, false or a list of mappings expected, not '3'");
	refused("rules:\n  not-root: []\n", VIGIL_EFORMAT, "rule not-root: an empty list");
	refused("rules:\n  not-root: [x]\n", VIGIL_EFORMAT, "every item of the list is a mapping");
	refused("rules:\n  not-root: {}\n  pass-min-len: {}\n  not-root: {}\n", VIGIL_EFORMAT,
		"p.yaml:4: rule 'not-root' given twice (line 2");
	refused("rules:\n  not-root: {severity: low, severity: high}\n", VIGIL_EFORMAT,
		"rule not-root: parameter 'severity' given twice");
	refused("rules:\n  not-root: {[a]: b}\n", VIGIL_EFORMAT, "a parameter name expected");
}

static void test_yaml(void **state)
{
	(void)state;
	refused("rules:\n  not-root: {severity: low\n  pass-min-len: {}\n", VIGIL_EFORMAT, "p.yaml:3: YAML: ");
	refused("rules:\n\tnot-root: {}\n", VIGIL_EFORMAT, "p.yaml:2: YAML: ");
	refused("a: &x {b: 1}\nrules:\n  not-root: *x\n", VIGIL_EUNSUPPORTED, "p.yaml:3: YAML aliases are not supported");
	refused("rules: {}\n---\nrules: {}\n", VIGIL_EFORMAT, "p.yaml:2: a second YAML document");
	char deep[200] = "rules: ";
	memset(deep + 7, '[', 40);
	deep[47] = '\0';
	refused(deep, VIGIL_ELIMIT, "nested deeper than 16");
}

static void test_limits(void **state)
{
	(void)state;
	char *big = malloc(POLICY_MAX_BYTES + 2);
	memset(big, '#', POLICY_MAX_BYTES + 1);
	big[POLICY_MAX_BYTES + 1] = '\0';
	refused(big, VIGIL_ELIMIT, "p.yaml: 1048577 bytes (limit 1048576)");
	/* more rule instances than POLICY_MAX_RULES */
	size_t n = 0;
	n += (size_t)snprintf(big + n, 64, "rules:\n  not-root:\n");
	for (int i = 0; i <= POLICY_MAX_RULES; i++)
		n += (size_t)snprintf(big + n, 64, "    - {}\n");
	refused(big, VIGIL_ELIMIT, "more than 256 rules");
	n = (size_t)snprintf(big, 64, "rules:\n  deny-packages:\n    names: [");
	for (int i = 0; i <= POLICY_MAX_LIST; i++)
		n += (size_t)snprintf(big + n, 64, "%sp%d", i ? "," : "", i);
	snprintf(big + n, 64, "]\n");
	refused(big, VIGIL_ELIMIT, "names: more than 1024 items");
	free(big);
}

static void test_load(void **state)
{
	(void)state;
	char path[] = "/tmp/vigil-policy-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *text = "rules:\n  pass-max-dayz: {}\n";
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	policy *p = NULL;
	assert_int_equal(policy_load(path, &p), VIGIL_EFORMAT);
	char want[128];
	snprintf(want, sizeof(want), "%s:2: unknown rule 'pass-max-dayz' (did you mean pass-max-days?)", path);
	assert_string_equal(vigil_error_message(), want);
	unlink(path);
	assert_true(policy_load(path, &p) < 0);
	assert_non_null(strstr(vigil_error_message(), path));
	policy_free(NULL);
}

static void test_date(void **state)
{
	(void)state;
	int64_t t;
	assert_true(policy_date("2024-02-29T12:00:01Z", &t));
	assert_int_equal(t, 1709208001);
	assert_true(policy_date("2023-06-12", &t));
	assert_int_equal(t, 1686528000);
	assert_true(policy_date("1970-01-01T00:00:00Z", &t));
	assert_int_equal(t, 0);
	assert_true(policy_date("2023-06-12 junk", &t)); /* the day counts */
	assert_int_equal(t, 1686528000);
	assert_false(policy_date("2023-02-29", &t));
	assert_false(policy_date("2023-13-01", &t));
	assert_false(policy_date("1969-12-31", &t));
	assert_false(policy_date("2023-6-12", &t));
	assert_false(policy_date("", &t));
	assert_false(policy_date(NULL, &t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default), cmocka_unit_test(test_forms), cmocka_unit_test(test_extends),  cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_types),   cmocka_unit_test(test_yaml),   cmocka_unit_test(test_limits),
		cmocka_unit_test(test_load),    cmocka_unit_test(test_date),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
