/* tests/audit/test_secret_audit.c: the secret scanner through
 * vigil_audit_image() on a root folder (dir:): findings with rule, path,
 * layer, line and the redacted match, and the secret itself in none of the
 * table, JSON and SARIF; binary files skipped and counted, scanned with
 * secret_binaries; the size limit; inline "vigil:ignore" markers; an
 * ignore list naming the rule (plain .vigilignore, Trivy's
 * .trivyignore.yaml secrets: with paths); a user rules file; the errors. */
#include "helpers.h"
#include "util/error.h"
#include "vigil/audit.h"
#include "vigil/match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_ID "AKIAIOSFODNN7EXAMPLE"
#define KEY_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

static char root[64];

static void put(const char *rel, const void *data, size_t n)
{
	char path[256], dir[256];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	for (char *p = dir + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(dir, 0755);
		*p = '/';
	}
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/vigil-secret-audit-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	const char *env = "# deploy\nAWS_ACCESS_KEY_ID=" KEY_ID "\nAWS_SECRET_ACCESS_KEY=" KEY_SECRET "\n"
			  "OLD_KEY=AKIAI44QH8DHBEXAMPLE # vigil:ignore\n"
			  "OLD_KEY2=AKIAI44QH8DHBEXAMPLE # trivy:ignore:aws-access-key-id\n"
			  "OLD_KEY3=AKIAI44QH8DHBEXAMPLE # gitleaks:allow\n"
			  "OLD_KEY4=AKIAI44QH8DHBEXAMPLE # vigil:ignore:aws-access-key-id\n"
			  "OLD_KEY5=AKIAI44QH8DHBEXAMPLE # vigil:ignore:github-pat\n";
	put("app/.env", env, strlen(env));
	uint8_t bin[256] = { 0x7f, 'E', 'L', 'F', 0, 0 };
	memcpy(bin + 100, KEY_ID, 20);
	put("usr/bin/tool", bin, sizeof(bin));
	put("usr/share/doc/pkg/README", env, strlen(env));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static vigil_audit_report *audit(vigil_audit_options *o)
{
	char ref[96];
	vigil_audit_report *r = NULL;
	snprintf(ref, sizeof(ref), "dir:%s", root);
	o->scanners = VIGIL_AUDIT_SECRET;
	if (vigil_audit_image(ref, o, &r) < 0)
		fail_msg("audit: %s", vigil_error_message());
	return r;
}

static const vigil_audit_finding *find(const vigil_audit_finding *v, size_t n, const char *rule, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].rule, rule) && !strcmp(v[i].path, path))
			return &v[i];
	return NULL;
}

static void no_secret_in(const vigil_audit_report *r, vigil_report_format f)
{
	char *out;
	size_t len;
	assert_int_equal(vigil_audit_render(r, f, NULL, &out, &len), 0);
	assert_null(strstr(out, KEY_ID));
	assert_null(strstr(out, KEY_SECRET));
	assert_non_null(strstr(out, "aws-access-key-id"));
	free(out);
}

static void test_findings(void **state)
{
	(void)state;
	vigil_audit_options o;
	vigil_audit_options_init(&o);
	vigil_audit_report *r = audit(&o);
	const vigil_audit_finding *f = find(r->findings, r->finding_count, "aws-access-key-id", "app/.env");
	assert_non_null(f);
	assert_int_equal(f->category, VIGIL_AUDIT_SECRET);
	assert_int_equal(f->severity, VIGIL_SEV_CRITICAL);
	assert_int_equal(f->line, 2);
	assert_int_equal(f->layer, 0);
	assert_false(f->deleted);
	assert_string_equal(f->match, "AKIA************MPLE");
	f = find(r->findings, r->finding_count, "aws-secret-access-key", "app/.env");
	assert_non_null(f);
	assert_int_equal(f->line, 3);
	assert_string_equal(f->match, "wJal************************EKEY");
	/* lines 4-7 are marked; line 8's marker names another rule; the doc and the binary are not read */
	assert_int_equal(r->finding_count, 3);
	assert_string_equal(r->findings[2].rule, "aws-access-key-id");
	assert_int_equal(r->findings[2].line, 8);
	assert_int_equal(r->binaries_skipped, 1);
	assert_int_equal(r->files_scanned, 1);
	no_secret_in(r, VIGIL_FMT_TABLE);
	no_secret_in(r, VIGIL_FMT_FLAT);
	no_secret_in(r, VIGIL_FMT_SARIF);
	vigil_audit_report_free(r);
	o.secret_binaries = 1;
	r = audit(&o);
	assert_non_null(find(r->findings, r->finding_count, "aws-access-key-id", "usr/bin/tool"));
	assert_int_equal(r->binaries_skipped, 0);
	vigil_audit_report_free(r);
	vigil_audit_options_init(&o);
	o.max_secret_file = 64; /* .env is bigger: not read */
	r = audit(&o);
	assert_int_equal(r->finding_count, 0);
	vigil_audit_report_free(r);
}

static void suppressed_by(const char *name, const char *text, size_t want_kept, size_t want_suppressed)
{
	vigil_ignore_list *l = NULL;
	vigil_audit_options o;
	if (vigil_ignore_list_parse(text, strlen(text), name, &l) < 0)
		fail_msg("%s: %s", name, vigil_error_message());
	vigil_audit_options_init(&o);
	o.ignore = l;
	vigil_audit_report *r = audit(&o);
	assert_int_equal(r->finding_count, want_kept);
	assert_int_equal(r->suppressed_count, want_suppressed);
	assert_string_equal(r->suppressed[0].rule, "aws-access-key-id");
	vigil_audit_report_free(r);
	vigil_ignore_list_free(l);
}

static void test_ignore_files(void **state)
{
	(void)state;
	suppressed_by(".vigilignore", "aws-access-key-id\n", 1, 2);
	suppressed_by(".trivyignore", "aws-access-key-id # a test key\n", 1, 2);
	suppressed_by(".trivyignore.yaml", "secrets:\n  - id: aws-access-key-id\n    paths: [\"app/*\"]\n", 1, 2);
	suppressed_by(".trivyignore.yaml", "secrets:\n  - id: aws-access-key-id\n  - id: aws-secret-access-key\n"
					   "    paths: [\"/app/.env\"]\n", 0, 3);
	/* a path that does not hold ignores nothing */
	vigil_ignore_list *l = NULL;
	const char *t = "secrets:\n  - id: aws-access-key-id\n    paths: [\"etc/*\"]\n";
	assert_int_equal(vigil_ignore_list_parse(t, strlen(t), ".trivyignore.yaml", &l), 0);
	vigil_audit_options o;
	vigil_audit_options_init(&o);
	o.ignore = l;
	vigil_audit_report *r = audit(&o);
	assert_int_equal(r->finding_count, 3);
	vigil_audit_report_free(r);
	vigil_ignore_list_free(l);
}

static void test_user_rules(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "%s.rules.yaml", root);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("rules:\n  - id: deploy-comment\n    severity: low\n    regex: '# (?P<secret>deploy)'\n", f);
	fclose(f);
	const char *files[] = { path };
	vigil_audit_options o;
	vigil_audit_options_init(&o);
	o.secret_rules = files;
	o.secret_rule_count = 1;
	o.no_builtin_secret_rules = 1;
	vigil_audit_report *r = audit(&o);
	assert_int_equal(r->finding_count, 1);
	assert_string_equal(r->findings[0].rule, "deploy-comment");
	assert_int_equal(r->findings[0].line, 1);
	assert_string_equal(r->findings[0].match, "******");
	vigil_audit_report_free(r);
	/* a bad file fails the audit naming it and its line */
	f = fopen(path, "w");
	fputs("rules:\n  - id: x\n    regex: '(?<bad'\n", f);
	fclose(f);
	char ref[96];
	snprintf(ref, sizeof(ref), "dir:%s", root);
	o.scanners = VIGIL_AUDIT_SECRET;
	assert_int_equal(vigil_audit_image(ref, &o, &r), VIGIL_EFORMAT);
	char want[160];
	snprintf(want, sizeof(want), "%s:3:", path);
	assert_non_null(strstr(vigil_error_message(), want));
	unlink(path);
	/* no rules at all */
	o.secret_rule_count = 0;
	assert_int_equal(vigil_audit_image(ref, &o, &r), VIGIL_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_findings),
		cmocka_unit_test(test_ignore_files),
		cmocka_unit_test(test_user_rules),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
