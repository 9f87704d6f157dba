/* tests/registry/test_creds_files.c: credentials as Docker and podman keep
 * them: config.json's credHelpers / credsStore (which helper is named for
 * a host, Docker's precedence over "auths"), the output of
 * `docker-credential-NAME get` (good, identity token, junk, limits), the
 * helper run for real (fake helper scripts on PATH: credentials, "not
 * found", a failure, junk, a helper that hangs and is killed), and the
 * order of the files read (REGISTRY_AUTH_FILE, DOCKER_CONFIG,
 * XDG_RUNTIME_DIR/containers/auth.json, ~/.config/containers/auth.json,
 * ~/.docker/config.json). */
#include "helpers.h"
#include "registry/registry.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char dir[256];

static void put(const char *rel, const char *text, mode_t mode)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0700);
		*p = '/';
	}
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/vigil-creds-XXXXXX");
	assert_non_null(mkdtemp(dir));
	/* helpers: ok prints credentials for the host it is asked about; the
	 * others fail in their ways */
	put("bin/docker-credential-ok",
	    "#!/bin/sh\n[ \"$1\" = get ] || exit 3\nread -r host\n"
	    "case $host in\n"
	    "  reg.example:5000) printf '{\"ServerURL\":\"%s\",\"Username\":\"helperuser\",\"Secret\":\"s3cret\"}' \"$host\";;\n"
	    "  https://index.docker.io/v1/) printf '{\"ServerURL\":\"x\",\"Username\":\"hub\",\"Secret\":\"hubpw\"}';;\n"
	    "  tok.example) printf '{\"ServerURL\":\"x\",\"Username\":\"<token>\",\"Secret\":\"idtok\"}';;\n"
	    "  *) echo 'credentials not found in native keychain'; exit 1;;\n"
	    "esac\n",
	    0755);
	put("bin/docker-credential-broken", "#!/bin/sh\necho 'error getting credentials - err: exit status 1, out: `locked keyring`'\nexit 1\n", 0755);
	put("bin/docker-credential-junk", "#!/bin/sh\necho 'Secret: s3cret'\n", 0755);
	put("bin/docker-credential-hang", "#!/bin/sh\nexec sleep 60\n", 0755);
	char path[1024];
	snprintf(path, sizeof(path), "%s/bin:/usr/bin:/bin", dir);
	setenv("PATH", path, 1);
	unsetenv("REGISTRY_AUTH_FILE");
	unsetenv("DOCKER_CONFIG");
	unsetenv("XDG_RUNTIME_DIR");
	setenv("HOME", dir, 1);
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_helper_named(void **state)
{
	vigil_reg_creds cr;
	const char *json = "{\"auths\": {\"reg.example:5000\": {\"auth\": \"dTpw\"}, \"a.io\": {\"auth\": \"dTpw\"}},"
			   " \"credsStore\": \"desktop\", \"credHelpers\": {\"reg.example:5000\": \"ok\","
			   " \"https://index.docker.io/v1/\": \"hub-helper\"}}";
	assert_int_equal(reg_creds_parse("c.json", json, strlen(json), "reg.example:5000", &cr), 0);
	assert_true(cr.found); /* the auths entry, for when the helper has nothing */
	assert_string_equal(cr.helper, "ok");
	assert_int_equal(reg_creds_parse("c.json", json, strlen(json), "docker.io", &cr), 0);
	assert_string_equal(cr.helper, "hub-helper");
	assert_int_equal(reg_creds_parse("c.json", json, strlen(json), "a.io", &cr), 0);
	assert_string_equal(cr.helper, "desktop");
	json = "{\"credsStore\": \"\"}";
	assert_int_equal(reg_creds_parse("c.json", json, strlen(json), "a.io", &cr), 0);
	assert_string_equal(cr.helper, "");
	const char *bad[] = {
		"{\"credsStore\": \"../../bin/sh\"}", "{\"credsStore\": \"a b\"}", "{\"credsStore\": 3}",
		"{\"credHelpers\": {\"a.io\": \".x\"}}", "{\"credHelpers\": []}",
		"{\"credsStore\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (reg_creds_parse("c.json", bad[i], strlen(bad[i]), "a.io", &cr) >= 0)
			fail_msg("%s was accepted", bad[i]);
}

static void test_helper_output(void **state)
{
	vigil_reg_creds cr;
	const char *ok = "{\"ServerURL\": \"h\", \"Username\": \"u\", \"Secret\": \"p\"}\n";
	assert_int_equal(reg_creds_helper_parse("h", ok, strlen(ok), &cr), 0);
	assert_true(cr.found);
	assert_string_equal(cr.user, "u");
	assert_string_equal(cr.pass, "p");
	const char *tok = "{\"Username\": \"<token>\", \"Secret\": \"t\"}";
	assert_int_equal(reg_creds_helper_parse("h", tok, strlen(tok), &cr), 0);
	assert_false(cr.found);
	assert_non_null(strstr(cr.note, "identity token"));
	const char *bad[] = { "", "Secret: s3cret", "[]", "{\"Username\": \"u\"}", "{\"Username\": 1, \"Secret\": \"p\"}",
			      "{\"Username\": \"\", \"Secret\": \"p\"}", "{\"Username\": \"u\\u0000x\", \"Secret\": \"p\"}",
			      "{\"Username\": \"u\", \"Secret\": \"p\", \"Secret\": \"q\"}" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (reg_creds_helper_parse("h", bad[i], strlen(bad[i]), &cr) >= 0)
			fail_msg("%s was accepted", bad[i]);
		assert_null(strstr(vigil_error_message(), "s3cret"));
		assert_false(cr.found);
	}
}

static void test_helper_run(void **state)
{
	vigil_reg_creds cr;
	assert_int_equal(reg_creds_helper_get("ok", "reg.example:5000", &cr), 0);
	assert_true(cr.found);
	assert_string_equal(cr.user, "helperuser");
	assert_string_equal(cr.pass, "s3cret");
	assert_int_equal(reg_creds_helper_get("ok", "docker.io", &cr), 0); /* asked as https://index.docker.io/v1/ */
	assert_string_equal(cr.user, "hub");
	assert_int_equal(reg_creds_helper_get("ok", "elsewhere.io", &cr), 0);
	assert_false(cr.found);
	assert_int_equal(reg_creds_helper_get("ok", "tok.example", &cr), 0);
	assert_false(cr.found);
	assert_int_equal(reg_creds_helper_get("broken", "a.io", &cr), VIGIL_EIO);
	assert_non_null(strstr(vigil_error_message(), "docker-credential-broken get failed (exit 1)"));
	assert_int_equal(reg_creds_helper_get("junk", "a.io", &cr), VIGIL_EFORMAT);
	assert_null(strstr(vigil_error_message(), "s3cret"));
	assert_int_equal(reg_creds_helper_get("absent", "a.io", &cr), VIGIL_ENOTFOUND);
	assert_non_null(strstr(vigil_error_message(), "docker-credential-absent"));
	time_t t0 = time(NULL);
	assert_int_equal(reg_creds_helper_get("hang", "a.io", &cr), VIGIL_EIO);
	assert_non_null(strstr(vigil_error_message(), "no answer in"));
	assert_true(time(NULL) - t0 <= VIGIL_REG_HELPER_TIMEOUT_S + 3);
}

static void test_file_order(void **state)
{
	vigil_reg_creds cr;
	char p[600];
	/* ~/.docker/config.json: auths */
	put(".docker/config.json", "{\"auths\": {\"a.io\": {\"auth\": \"ZG9ja2VyOnB3\"}}}", 0600); /* docker:pw */
	assert_int_equal(reg_creds_load(NULL, "a.io", &cr), 0);
	assert_string_equal(cr.user, "docker");
	assert_non_null(strstr(cr.source, ".docker/config.json"));
	/* ~/.config/containers/auth.json comes first */
	put(".config/containers/auth.json", "{\"auths\": {\"a.io\": {\"auth\": \"cG9kbWFuOnB3\"}}}", 0600); /* podman:pw */
	assert_int_equal(reg_creds_load(NULL, "a.io", &cr), 0);
	assert_string_equal(cr.user, "podman");
	/* but a file without the host is skipped */
	assert_int_equal(reg_creds_load(NULL, "b.io", &cr), 0);
	assert_false(cr.found);
	put(".docker/config.json", "{\"auths\": {\"b.io\": {\"auth\": \"ZG9ja2VyOnB3\"}}}", 0600);
	assert_int_equal(reg_creds_load(NULL, "b.io", &cr), 0);
	assert_string_equal(cr.user, "docker");
	/* $XDG_RUNTIME_DIR/containers/auth.json before ~/.config */
	snprintf(p, sizeof(p), "%s/run", dir);
	setenv("XDG_RUNTIME_DIR", p, 1);
	put("run/containers/auth.json", "{\"auths\": {\"a.io\": {\"auth\": \"eGRnOnB3\"}}}", 0600); /* xdg:pw */
	assert_int_equal(reg_creds_load(NULL, "a.io", &cr), 0);
	assert_string_equal(cr.user, "xdg");
	/* $DOCKER_CONFIG before those; ~/.docker no longer read */
	snprintf(p, sizeof(p), "%s/dc", dir);
	setenv("DOCKER_CONFIG", p, 1);
	put("dc/config.json", "{\"auths\": {\"a.io\": {}}, \"credHelpers\": {\"a.io\": \"broken\", \"reg.example:5000\": \"ok\"}}", 0600);
	assert_int_equal(reg_creds_load(NULL, "reg.example:5000", &cr), 0);
	assert_string_equal(cr.user, "helperuser");
	assert_non_null(strstr(cr.source, "docker-credential-ok"));
	assert_int_equal(reg_creds_load(NULL, "a.io", &cr), VIGIL_EIO); /* its helper fails: said */
	assert_non_null(strstr(vigil_error_message(), "dc/config.json"));
	assert_int_equal(reg_creds_load(NULL, "b.io", &cr), 0); /* ~/.docker skipped */
	assert_false(cr.found);
	/* $REGISTRY_AUTH_FILE first of all */
	snprintf(p, sizeof(p), "%s/raf.json", dir);
	setenv("REGISTRY_AUTH_FILE", p, 1);
	put("raf.json", "{\"auths\": {\"a.io\": {\"auth\": \"cmFmOnB3\"}}}", 0600); /* raf:pw */
	assert_int_equal(reg_creds_load(NULL, "a.io", &cr), 0);
	assert_string_equal(cr.user, "raf");
	/* a broken file is an error naming it */
	put("raf.json", "{\"auths\": ", 0600);
	assert_int_equal(reg_creds_load(NULL, "a.io", &cr), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "raf.json"));
	/* a file given is the only one */
	snprintf(p, sizeof(p), "%s/.docker/config.json", dir);
	assert_int_equal(reg_creds_load(p, "b.io", &cr), 0);
	assert_string_equal(cr.user, "docker");
	unsetenv("REGISTRY_AUTH_FILE");
	unsetenv("DOCKER_CONFIG");
	unsetenv("XDG_RUNTIME_DIR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_helper_named),
		cmocka_unit_test(test_helper_output),
		cmocka_unit_test(test_helper_run),
		cmocka_unit_test(test_file_order),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
