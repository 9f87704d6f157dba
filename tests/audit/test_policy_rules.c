/* tests/audit/test_policy_rules.c: every rule of the audit policy
 * (audit/policy.c, policy_rules.c) passing, failing and not judged, on a
 * real walk: a root filesystem made here (dir:), with an image config
 * given to the walk, an inventory and findings built as the matcher's. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "audit/policy_priv.h"
#include "audit/walk_priv.h"
#include "util/error.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 2026-12-06T00:00:00Z */
#define NOW ((int64_t)1796515200)
#define DAY ((int64_t)86400)

static char root[64];

static void put(const char *rel, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/vigil-policy-rules-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	put("README", "a root filesystem\n"); /* fsroot.c sorts an empty folder's NULL list (UBSan) */
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

struct run {
	audit_walk *w;
};

/* One audit of the folder with the policy text, the config JSON (NULL: none). */
static audit_walk *audit(const char *policy_text, const char *config, const vigil_index_report *ir,
			 const vigil_vuln_report *vr)
{
	char ref[128], pol[128];
	audit_walk *w = NULL;
	audit_walk_options wo = { .now = NOW };
	vigil_audit_options o;
	vigil_audit_options_init(&o);
	snprintf(pol, sizeof(pol), "%s.policy.yaml", root);
	FILE *f = fopen(pol, "w");
	assert_non_null(f);
	fputs(policy_text, f);
	fclose(f);
	o.policy_path = pol;
	o.index = ir;
	o.vulns = vr;
	o.now = NOW;
	snprintf(ref, sizeof(ref), "dir:%s", root);
	if (audit_walk_open(ref, &wo, &w) < 0)
		fail_msg("%s", vigil_error_message());
	if (config) {
		json_error_t je;
		assert_non_null(w->config = json_loads(config, 0, &je));
	}
	if (audit_walk_add(w, &audit_policy_checker, &o) < 0 || audit_walk_run(w) < 0)
		fail_msg("%s", vigil_error_message());
	unlink(pol);
	return w;
}

static const vigil_audit_policy_result *result(audit_walk *w, size_t i)
{
	size_t n;
	const vigil_audit_policy_result *p = audit_walk_policy(w, &n);
	assert_true(i < n);
	return &p[i];
}

static void verdict(audit_walk *w, size_t i, int passed, const char *evidence)
{
	const vigil_audit_policy_result *p = result(w, i);
	if (p->passed != passed || !strstr(p->evidence, evidence))
		fail_msg("rule %s: got %d '%s', want %d '%s'", p->rule, p->passed, p->evidence, passed, evidence);
}

static const vigil_audit_finding *finding(audit_walk *w, const char *rule)
{
	size_t n;
	const vigil_audit_finding *f = audit_walk_findings(w, &n);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(f[i].rule, rule))
			return &f[i];
	return NULL;
}

#define LOGIN "rules: {pass-max-days: {}, pass-min-days: {}, pass-min-len: {}}\n"

static void test_login_defs(void **state)
{
	(void)state;
	audit_walk *w = audit(LOGIN, NULL, NULL, NULL);
	verdict(w, 0, -1, "no /etc/login.defs in the image");
	verdict(w, 2, -1, "no /etc/login.defs");
	assert_null(finding(w, "pass-max-days"));
	audit_walk_free(w);
	w = audit("rules: {pass-max-days: {if-missing: fail}, pass-min-len: {if-missing: pass}}\n", NULL, NULL, NULL);
	verdict(w, 0, 0, "no /etc/login.defs");
	verdict(w, 1, 1, "no /etc/login.defs");
	assert_non_null(finding(w, "pass-max-days"));
	audit_walk_free(w);

	put("etc/login.defs", "# shadow\nMAIL_DIR /var/mail\nPASS_MAX_DAYS\t99999\nPASS_MIN_DAYS 0\nPASS_WARN_AGE 7\n");
	w = audit(LOGIN, NULL, NULL, NULL);
	verdict(w, 0, 0, "PASS_MAX_DAYS 99999 (etc/login.defs:3), limit 90");
	verdict(w, 1, 0, "PASS_MIN_DAYS 0 (etc/login.defs:4), limit 1");
	verdict(w, 2, 0, "PASS_MIN_LEN not set in etc/login.defs (shadow's default 5), limit 8");
	const vigil_audit_finding *f = finding(w, "pass-max-days");
	assert_non_null(f);
	assert_int_equal(f->category, VIGIL_AUDIT_POLICY);
	assert_string_equal(f->path, "etc/login.defs");
	assert_int_equal(f->line, 3);
	assert_int_equal(f->layer, 0);
	assert_int_equal(f->severity, VIGIL_SEV_MEDIUM);
	assert_string_equal(f->title, "Passwords do not expire within 90 days (PASS_MAX_DAYS)");
	assert_string_equal(result(w, 0)->title, "Passwords expire within 90 days (PASS_MAX_DAYS)");
	assert_int_equal(finding(w, "pass-min-days")->severity, VIGIL_SEV_LOW);
	audit_walk_free(w);

	/* the last line of a name wins; quotes; a commented line does not count */
	put("etc/login.defs", "PASS_MAX_DAYS 99999\nPASS_MAX_DAYS \"60\"\n#PASS_MIN_LEN 4\nPASS_MIN_DAYS 2\n"
			      "  PASS_MIN_LEN 12\n");
	w = audit(LOGIN, NULL, NULL, NULL);
	verdict(w, 0, 1, "PASS_MAX_DAYS 60 (etc/login.defs:2), limit 90");
	verdict(w, 1, 1, "PASS_MIN_DAYS 2 (etc/login.defs:4), limit 1");
	verdict(w, 2, 1, "PASS_MIN_LEN 12 (etc/login.defs:5), limit 8");
	assert_null(finding(w, "pass-max-days"));
	audit_walk_free(w);

	put("etc/login.defs", "PASS_MAX_DAYS -1\nPASS_MIN_DAYS many\n");
	w = audit(LOGIN, NULL, NULL, NULL);
	verdict(w, 0, 0, "PASS_MAX_DAYS -1 (etc/login.defs:1) (passwords never expire), limit 90");
	verdict(w, 1, 0, "PASS_MIN_DAYS 'many' is not a number (etc/login.defs:2)");
	audit_walk_free(w);
	/* custom limits */
	put("etc/login.defs", "PASS_MAX_DAYS 99999\n");
	w = audit("rules: {pass-max-days: {max: 100000}}\n", NULL, NULL, NULL);
	verdict(w, 0, 1, "PASS_MAX_DAYS 99999 (etc/login.defs:1), limit 100000");
	audit_walk_free(w);
}

static void test_shadow(void **state)
{
	(void)state;
	put("etc/login.defs", "PASS_MAX_DAYS 60\nPASS_MIN_DAYS 1\nPASS_MIN_LEN 10\n");
	put("etc/shadow", "root:*:19000:0:99999:7:::\nsvc:!:19000:0:99999:7:::\nnopw::19000:0:99999:7:::\n"
			  "ok:$6$salt$hash:19000:1:60:7:::\n");
	audit_walk *w = audit(LOGIN, NULL, NULL, NULL);
	verdict(w, 0, 1, "PASS_MAX_DAYS 60 (etc/login.defs:1), limit 90"); /* locked accounts do not age */
	assert_string_equal(result(w, 0)->evidence, "PASS_MAX_DAYS 60 (etc/login.defs:1), limit 90");
	verdict(w, 1, 1, "PASS_MIN_DAYS 1");
	audit_walk_free(w);
	put("etc/shadow", "root:*:19000:0:99999:7:::\napp:$y$j9T$abc$def:19000:0:99999:7:::\n"
			  "ops:$6$salt$hash:19000:::7:::\n");
	w = audit(LOGIN, NULL, NULL, NULL);
	assert_string_equal(result(w, 0)->evidence,
			    "PASS_MAX_DAYS 60 (etc/login.defs:1), limit 90; account app has max 99999 (etc/shadow:2); "
			    "account ops has no max: never expires (etc/shadow:3)");
	assert_int_equal(result(w, 0)->passed, 0);
	const vigil_audit_finding *f = finding(w, "pass-max-days");
	assert_string_equal(f->path, "etc/shadow");
	assert_int_equal(f->line, 2);
	verdict(w, 1, 0, "PASS_MIN_DAYS 1 (etc/login.defs:2), limit 1; account app has min 0 (etc/shadow:2)");
	verdict(w, 2, 1, "PASS_MIN_LEN 10"); /* the length is not an account field */
	audit_walk_free(w);
	put("etc/login.defs", "PASS_MAX_DAYS 60\nPASS_MIN_DAYS 1\nPASS_MIN_LEN 10\n");
	put("etc/shadow", "root:*:19000:0:99999:7:::\n");
}

static void test_ssh(void **state)
{
	(void)state;
	static const vigil_package pk[] = {
		{ .name = "bash", .version = "5.2", .package_db = "var/lib/dpkg/status" },
		{ .name = "openssh-server", .version = "1:9.2p1-2", .package_db = "var/lib/dpkg/status" },
	};
	vigil_index_report ir = { .packages = pk, .package_count = 1 };
	audit_walk *w = audit("rules: {no-ssh-server: {}}\n", NULL, &ir, NULL);
	assert_string_equal(result(w, 0)->evidence, "no SSH server (looked for 6 paths, 6 package names)");
	audit_walk_free(w);
	w = audit("rules: {no-ssh-server: {}}\n", NULL, NULL, NULL);
	assert_string_equal(result(w, 0)->evidence, "no SSH server (looked for 6 paths; packages not checked: no inventory)");
	audit_walk_free(w);
	ir.package_count = 2;
	w = audit("rules: {no-ssh-server: {}}\n", NULL, &ir, NULL);
	verdict(w, 0, 0, "package openssh-server 1:9.2p1-2 (var/lib/dpkg/status)");
	assert_string_equal(finding(w, "no-ssh-server")->package, "openssh-server");
	audit_walk_free(w);
	put("usr/sbin/sshd", "\177ELF");
	w = audit("rules: {no-ssh-server: {severity: high}}\n", NULL, NULL, NULL);
	verdict(w, 0, 0, "/usr/sbin/sshd (layer 0)");
	assert_string_equal(finding(w, "no-ssh-server")->path, "usr/sbin/sshd");
	assert_int_equal(finding(w, "no-ssh-server")->severity, VIGIL_SEV_HIGH);
	audit_walk_free(w);
	w = audit("rules: {no-ssh-server: {paths: [opt/ssh/sshd]}}\n", "{\"config\":{\"ExposedPorts\":{\"22/tcp\":{},\"80/tcp\":{}}}}",
		  NULL, NULL);
	verdict(w, 0, 0, "ExposedPorts 22/tcp (image config)");
	audit_walk_free(w);
	w = audit("rules: {no-ssh-server: {paths: [opt/ssh/sshd], ports: ['2222/*']}}\n",
		  "{\"config\":{\"ExposedPorts\":{\"22/tcp\":{},\"80/tcp\":{}}}}", NULL, NULL);
	assert_string_equal(result(w, 0)->evidence, "no SSH server (looked for 1 path, 1 exposed port; packages not checked: no inventory)");
	audit_walk_free(w);
	w = audit("rules: {no-ssh-server: {paths: [opt/ssh/sshd]}}\n", NULL, NULL, NULL);
	verdict(w, 0, 1, "no SSH server (looked for 1 path;");
	audit_walk_free(w);
}

static void test_not_root(void **state)
{
	(void)state;
	const char *pol = "rules: {not-root: {}}\n";
	audit_walk *w = audit(pol, NULL, NULL, NULL);
	verdict(w, 0, -1, "no image config (a root filesystem)");
	audit_walk_free(w);
	w = audit(pol, "{\"config\":{\"Env\":[]}}", NULL, NULL);
	verdict(w, 0, 0, "no User in the image config: the container runs as root (uid 0)");
	assert_null(finding(w, "not-root")->path);
	assert_int_equal(finding(w, "not-root")->layer, VIGIL_AUDIT_NO_LAYER);
	audit_walk_free(w);
	w = audit(pol, "{\"config\":{\"User\":\"0:0\"}}", NULL, NULL);
	verdict(w, 0, 0, "User '0:0' (uid 0)");
	audit_walk_free(w);
	w = audit(pol, "{\"config\":{\"User\":\"root:wheel\"}}", NULL, NULL);
	verdict(w, 0, 0, "User 'root:wheel' (uid 0)");
	audit_walk_free(w);
	w = audit(pol, "{\"config\":{\"User\":\"1000:1000\"}}", NULL, NULL);
	verdict(w, 0, 1, "User '1000:1000' (uid 1000)");
	audit_walk_free(w);
	w = audit(pol, "{\"config\":{\"User\":\"app\"}}", NULL, NULL);
	verdict(w, 0, 1, "User 'app' (no etc/passwd to look up its uid)");
	audit_walk_free(w);
	put("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1001:1001::/app:/bin/sh\ntoor:x:0:0::/:/bin/sh\n");
	w = audit(pol, "{\"config\":{\"User\":\"app\"}}", NULL, NULL);
	verdict(w, 0, 1, "User 'app' is uid 1001 (etc/passwd:2)");
	audit_walk_free(w);
	w = audit(pol, "{\"config\":{\"User\":\"toor\"}}", NULL, NULL);
	verdict(w, 0, 0, "User 'toor' is uid 0 (etc/passwd:3)");
	assert_string_equal(finding(w, "not-root")->path, "etc/passwd");
	assert_int_equal(finding(w, "not-root")->line, 3);
	audit_walk_free(w);
	w = audit(pol, "{\"config\":{\"User\":\"nobody\"}}", NULL, NULL);
	verdict(w, 0, 1, "User 'nobody' (not in etc/passwd");
	audit_walk_free(w);
}

static void test_env(void **state)
{
	(void)state;
	const char *pol = "rules: {no-secrets-in-env: {}}\n";
	audit_walk *w = audit(pol, "{\"config\":{\"Env\":[\"PATH=/usr/bin\",\"GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\","
				   "\"POSTGRES_PASSWORD_FILE=/run/secrets/pg\",\"TOKEN_TTL=3600\",\"EMPTY_SECRET=\","
				   "\"TOKENIZERS_PARALLELISM=false\",\"NODE_AUTH_TOKEN=${NPM_TOKEN}\",\"PIN_PASSWORD=1234\"]}}",
			      NULL, NULL);
	verdict(w, 0, 1, "8 variables in the image config, none looks secret");
	audit_walk_free(w);
	w = audit(pol, "{\"config\":{\"Env\":[\"PATH=/usr/bin\",\"MYSQL_ROOT_PASSWORD=hunter2-is-not-safe\","
		       "\"BUILD=AKIAIOSFODNN7EXAMPLE\",\"DB=postgres://app:pw123@db/app\",\"gh_token=x\"]}}",
		  NULL, NULL);
	const vigil_audit_policy_result *r = result(w, 0);
	assert_int_equal(r->passed, 0);
	assert_string_equal(r->evidence, "Env MYSQL_ROOT_PASSWORD=hunt***********safe (its name), "
					 "BUILD=AKIA************MPLE (an AWS access key id), "
					 "DB=post*******************/app (a password in a URL), gh_token=* (its name) "
					 "in the image config");
	assert_null(strstr(r->evidence, "hunter2"));
	assert_null(strstr(r->evidence, "pw123"));
	assert_int_equal(finding(w, "no-secrets-in-env")->severity, VIGIL_SEV_HIGH);
	audit_walk_free(w);
	w = audit("rules: {no-secrets-in-env: {allow: [MYSQL_*, BUILD, DB, gh_token]}}\n",
		  "{\"config\":{\"Env\":[\"MYSQL_ROOT_PASSWORD=hunter2\",\"BUILD=AKIAIOSFODNN7EXAMPLE\"]}}", NULL, NULL);
	verdict(w, 0, 1, "2 variables in the image config, none looks secret");
	audit_walk_free(w);
	w = audit(pol, "{\"config\":{}}", NULL, NULL);
	verdict(w, 0, 1, "0 variables");
	audit_walk_free(w);
	w = audit(pol, NULL, NULL, NULL);
	verdict(w, 0, -1, "no image config");
	audit_walk_free(w);
}

static void test_deny(void **state)
{
	(void)state;
	static const vigil_package pk[] = {
		{ .name = "bash", .version = "5.2", .package_db = "var/lib/dpkg/status" },
		{ .name = "netcat-openbsd", .version = "1.219-1", .package_db = "var/lib/dpkg/status" },
		{ .name = "telnet", .source_name = "inetutils", .version = "2.4-2", .package_db = "var/lib/dpkg/status",
		  .introduced_in = "rootfs" },
	};
	vigil_index_report ir = { .packages = pk, .package_count = 3 };
	audit_walk *w = audit("rules: {deny-packages: {names: [telnetd, rsh-server]}}\n", NULL, &ir, NULL);
	verdict(w, 0, 1, "none of 2 names among 3 packages");
	audit_walk_free(w);
	w = audit("rules: {deny-packages: {names: ['*net*'], show: 0}}\n", NULL, &ir, NULL);
	verdict(w, 0, 0, "2 packages of the deny list");
	assert_string_equal(result(w, 0)->evidence, "2 packages of the deny list");
	audit_walk_free(w);
	w = audit("rules: {deny-packages: {names: [telnetd, 'netcat-*', inetutils], show: 1}}\n", NULL, &ir, NULL);
	verdict(w, 0, 0, "netcat-openbsd 1.219-1 (var/lib/dpkg/status) and 1 more");
	const vigil_audit_finding *f = finding(w, "deny-packages");
	assert_string_equal(f->package, "netcat-openbsd");
	assert_string_equal(f->path, "var/lib/dpkg/status");
	assert_int_equal(f->severity, VIGIL_SEV_HIGH);
	audit_walk_free(w);
	w = audit("rules: {deny-packages: {names: [inetutils]}}\n", NULL, &ir, NULL);
	verdict(w, 0, 0, "telnet 2.4-2 (var/lib/dpkg/status)"); /* by its source */
	assert_int_equal(finding(w, "deny-packages")->layer, 0); /* dir: is the layer "rootfs" */
	audit_walk_free(w);
	w = audit("rules: {deny-packages: {names: [telnetd]}}\n", NULL, NULL, NULL);
	verdict(w, 0, -1, "no inventory of the image");
	audit_walk_free(w);
}

static void test_base_age(void **state)
{
	(void)state;
	const char *pol = "rules: {base-image-age: {max-days: 100}}\n";
	audit_walk *w = audit(pol, "{\"created\":\"2026-12-01T10:00:00Z\",\"history\":[{\"created\":\"2026-01-02T03:04:05Z\","
				   "\"created_by\":\"/bin/sh -c #(nop) ADD file:0123 in / \"},{\"created\":\"2026-12-01T10:00:00Z\"}]}",
			      NULL, NULL);
	verdict(w, 0, 0, "base built 2026-01-02 (history[0]: /bin/sh -c #(nop) ADD file:0123 in / ), 337 days ago, limit 100");
	assert_int_equal(finding(w, "base-image-age")->severity, VIGIL_SEV_LOW);
	audit_walk_free(w);
	w = audit(pol, "{\"created\":\"2026-11-01\"}", NULL, NULL);
	verdict(w, 0, 1, "base built 2026-11-01 (the config's created), 35 days ago, limit 100");
	audit_walk_free(w);
	w = audit(pol, "{\"created\":\"1970-01-01T00:00:00Z\",\"history\":[{\"created\":\"1970-01-01T00:00:00Z\"}]}", NULL,
		  NULL);
	verdict(w, 0, -1, "no build date in the image config");
	audit_walk_free(w);
	w = audit(pol, "{\"architecture\":\"amd64\"}", NULL, NULL);
	verdict(w, 0, -1, "no build date");
	audit_walk_free(w);
}

static void test_finding_age(void **state)
{
	(void)state;
	static const vigil_package pk[] = {
		{ .name = "openssl", .version = "3.0.9-1", .package_db = "var/lib/dpkg/status" },
		{ .name = "libssl3", .version = "3.0.9-1", .package_db = "var/lib/dpkg/status" },
	};
	vigil_index_report ir = { .packages = pk, .package_count = 2 };
	vigil_finding f[] = {
		{ .package = &pk[0], .id = "CVE-2023-0002", .severity = VIGIL_SEV_HIGH, .published = "2023-02-07T00:00:00Z",
		  .fixed = "3.0.8" },
		{ .package = &pk[1], .id = "CVE-2023-0002", .severity = VIGIL_SEV_HIGH, .published = "2023-02-07T00:00:00Z",
		  .fixed = "3.0.8" },
		{ .package = &pk[0], .id = "CVE-2023-0001", .severity = VIGIL_SEV_CRITICAL, .published = "2023-01-01" },
		{ .package = &pk[0], .id = "CVE-2026-0003", .severity = VIGIL_SEV_CRITICAL, .published = "2026-12-01" },
		{ .package = &pk[0], .id = "CVE-2020-0004", .severity = VIGIL_SEV_LOW, .published = "2020-01-01" },
		{ .package = &pk[0], .id = "CVE-2020-0005", .severity = VIGIL_SEV_HIGH },
	};
	vigil_vuln_report vr = { .index = &ir, .findings = f, .finding_count = 6 };
	audit_walk *w = audit("rules: {finding-age: {}}\n", NULL, &ir, &vr);
	verdict(w, 0, 0, "2 vulnerabilities of severity High or worse published more than 30 days ago: "
			 "CVE-2023-0001 (openssl, 2023-01-01, Critical), CVE-2023-0002 (openssl, 2023-02-07, High) "
			 "(1 without a publication date not judged)");
	assert_string_equal(finding(w, "finding-age")->path, "var/lib/dpkg/status");
	audit_walk_free(w);
	w = audit("rules: {finding-age: [{severity: critical, max-days: 7, show: 0}, {fixed-only: true},"
		  " {severity: critical, max-days: 5000}]}\n",
		  NULL, &ir, &vr);
	verdict(w, 0, 0, "1 vulnerability of severity Critical or worse published more than 7 days ago");
	verdict(w, 1, 0, "1 vulnerability of severity High or worse with a fix published more than 30 days ago: "
			 "CVE-2023-0002 (openssl");
	verdict(w, 2, 1, "none of 6 findings is Critical or worse and published more than 5000 days ago");
	assert_int_equal(result(w, 0)->severity, VIGIL_SEV_CRITICAL);
	assert_string_equal(result(w, 0)->evidence,
			    "1 vulnerability of severity Critical or worse published more than 7 days ago");
	audit_walk_free(w);
	w = audit("rules: {finding-age: {}}\n", NULL, &ir, NULL);
	verdict(w, 0, -1, "no vulnerability data: run vigil db update");
	audit_walk_free(w);
}

static void test_bad_policy(void **state)
{
	(void)state;
	char ref[128], pol[128];
	audit_walk *w = NULL;
	vigil_audit_options o;
	vigil_audit_options_init(&o);
	snprintf(pol, sizeof(pol), "%s.bad.yaml", root);
	FILE *f = fopen(pol, "w");
	fputs("rules:\n  not-rot: {}\n", f);
	fclose(f);
	o.policy_path = pol;
	snprintf(ref, sizeof(ref), "dir:%s", root);
	assert_int_equal(audit_walk_open(ref, NULL, &w), 0);
	assert_int_equal(audit_walk_add(w, &audit_policy_checker, &o), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), ":2: unknown rule 'not-rot' (did you mean not-root?)"));
	audit_walk_free(w);
	unlink(pol);
	/* through the front door: the report says it, and fails nothing else */
	vigil_audit_report *r = NULL;
	o.policy_path = NULL;
	o.scanners = VIGIL_AUDIT_POLICY;
	o.now = NOW;
	assert_int_equal(vigil_audit_image(ref, &o, &r), 0);
	assert_int_equal(r->policy_count, 9);
	assert_int_equal(vigil_audit_report_failed(r, VIGIL_SEV_UNKNOWN), 0); /* nothing judged fails */
	vigil_audit_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_policy), cmocka_unit_test(test_login_defs), cmocka_unit_test(test_shadow),
		cmocka_unit_test(test_ssh),
		cmocka_unit_test(test_not_root),   cmocka_unit_test(test_env),        cmocka_unit_test(test_deny),
		cmocka_unit_test(test_base_age),   cmocka_unit_test(test_finding_age),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
