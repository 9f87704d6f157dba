/* tests/server/test_harbor.c: Harbor's scanner API (server/harbor*.c)
 * without a network: the report mapping (Harbor's severity scale with
 * Negligible folded into Low, fix_version only when a fix is known, the
 * highest severity on top, CVSS v3 and v2 in preferred_cvss and
 * vendor_attributes, the layer), the SBOMs (SPDX 2.3 and CycloneDX 1.6 with
 * purls, the same output for the same input), and the request checks of
 * the listener (401 without the token, 400 for bad JSON or types, 422 for
 * missing or invalid fields, 404/405), each an ErrorResponse, and the
 * harbor.* config keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/harbor.h"
#include "server/srv_priv.h"
#include "util/arena.h"
#include "util/error.h"

static json_t *parse(const char *txt, size_t len)
{
	json_error_t je;
	json_t *o = json_loadb(txt, len, 0, &je);
	if (!o)
		fail_msg("not JSON: %s: %.*s", je.text, (int)len, txt);
	return o;
}

static const char *str_at(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void test_severity_scale(void **state)
{
	(void)state;
	assert_string_equal(srv_harbor_severity(VIGIL_SEV_UNKNOWN), "Unknown");
	assert_string_equal(srv_harbor_severity(VIGIL_SEV_NEGLIGIBLE), "Low");
	assert_string_equal(srv_harbor_severity(VIGIL_SEV_LOW), "Low");
	assert_string_equal(srv_harbor_severity(VIGIL_SEV_MEDIUM), "Medium");
	assert_string_equal(srv_harbor_severity(VIGIL_SEV_HIGH), "High");
	assert_string_equal(srv_harbor_severity(VIGIL_SEV_CRITICAL), "Critical");
	assert_string_equal(srv_harbor_severity((vigil_severity)42), "Unknown");
}

static const vigil_package pkgs[] = {
	{ .type = VIGIL_PKG_APK, .name = "musl", .version = "1.1.22-r3", .arch = "x86_64", .introduced_in = "sha256:aa" },
	{ .type = VIGIL_PKG_DPKG, .name = "libc6", .version = "1:2.36-9+deb12u1", .arch = "amd64" },
};
static const vigil_distribution alpine = { .did = "alpine", .version_id = "3.10.4" };

static void test_vuln_report(void **state)
{
	(void)state;
	static const char *const links[] = { "https://security.alpinelinux.org/vuln/CVE-2019-14697", "not a url" };
	vigil_finding f[3] = {
		{ .package = &pkgs[0], .id = "CVE-2019-14697", .fixed = "1.1.22-r4", .severity = VIGIL_SEV_CRITICAL,
		  .source = "alpine", .cvss_score = 9.8, .cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		  .cvss_source = "nvd", .description = "musl before 1.1.23 ...", .links = links, .nlinks = 2,
		  .introduced_in = "sha256:aa" },
		{ .package = &pkgs[1], .id = "CVE-2010-4756", .severity = VIGIL_SEV_NEGLIGIBLE, .cvss_score = 4.0,
		  .cvss_vector = "AV:N/AC:L/Au:S/C:N/I:N/A:P", .cvss_source = "nvd", .summary = "glob" },
		{ .package = &pkgs[1], .id = "TEMP-0", .severity = VIGIL_SEV_UNKNOWN, .cvss_score = -1 },
	};
	vigil_vuln_report vr = { .findings = f, .finding_count = 3 };
	srv_harbor_artifact a = { .repository = "library/alpine", .digest = "sha256:00", .mime_type = HARBOR_MT_DOCKER };
	char *txt;
	size_t len;
	assert_int_equal(srv_harbor_vuln_json(&vr, &a, 1764939922, &txt, &len), 0);
	json_t *o = parse(txt, len), *v = json_object_get(o, "vulnerabilities");
	assert_string_equal(str_at(o, "generated_at"), "2025-12-05T13:05:22Z");
	assert_string_equal(str_at(o, "severity"), "Critical");
	assert_string_equal(str_at(json_object_get(o, "artifact"), "repository"), "library/alpine");
	assert_null(json_object_get(json_object_get(o, "artifact"), "tag")); /* not given: absent */
	assert_string_equal(str_at(json_object_get(o, "scanner"), "name"), "vigil");
	assert_int_equal(json_array_size(v), 3);

	json_t *i0 = json_array_get(v, 0), *i1 = json_array_get(v, 1), *i2 = json_array_get(v, 2);
	assert_string_equal(str_at(i0, "id"), "CVE-2019-14697");
	assert_string_equal(str_at(i0, "package"), "musl");
	assert_string_equal(str_at(i0, "version"), "1.1.22-r3");
	assert_string_equal(str_at(i0, "fix_version"), "1.1.22-r4");
	assert_string_equal(str_at(i0, "severity"), "Critical");
	assert_int_equal(json_array_size(json_object_get(i0, "links")), 1); /* URLs only */
	assert_string_equal(str_at(json_object_get(i0, "layer"), "digest"), "sha256:aa");
	json_t *pc = json_object_get(i0, "preferred_cvss");
	assert_true(json_real_value(json_object_get(pc, "score_v3")) == 9.8);
	assert_non_null(str_at(pc, "vector_v3"));
	json_t *nvd = json_object_get(json_object_get(json_object_get(i0, "vendor_attributes"), "CVSS"), "nvd");
	assert_true(json_real_value(json_object_get(nvd, "V3Score")) == 9.8);

	/* no fix known: no fix_version; Negligible is Low; a v2 vector */
	assert_null(json_object_get(i1, "fix_version"));
	assert_string_equal(str_at(i1, "severity"), "Low");
	assert_string_equal(str_at(i1, "description"), "glob"); /* the summary when no description */
	assert_true(json_real_value(json_object_get(json_object_get(i1, "preferred_cvss"), "score_v2")) == 4.0);
	assert_null(json_object_get(json_object_get(i1, "preferred_cvss"), "score_v3"));
	/* no score: no CVSS at all */
	assert_string_equal(str_at(i2, "severity"), "Unknown");
	assert_null(json_object_get(i2, "preferred_cvss"));
	json_decref(o);
	free(txt);

	/* nothing found: Unknown on top, an empty list */
	vr.finding_count = 0;
	assert_int_equal(srv_harbor_vuln_json(&vr, &a, 0, &txt, &len), 0);
	o = parse(txt, len);
	assert_string_equal(str_at(o, "severity"), "Unknown");
	assert_int_equal(json_array_size(json_object_get(o, "vulnerabilities")), 0);
	json_decref(o);
	free(txt);
}

static void test_sbom(void **state)
{
	(void)state;
	vigil_index_report ir = { .distribution = &alpine, .packages = pkgs, .package_count = 2 };
	srv_harbor_artifact a = { .repository = "library/alpine", .digest = "sha256:00" };
	char *txt, *again;
	size_t len, len2;

	assert_int_equal(srv_harbor_sbom_json(&ir, &a, HARBOR_OUT_SPDX, 1764939922, &txt, &len), 0);
	assert_int_equal(srv_harbor_sbom_json(&ir, &a, HARBOR_OUT_SPDX, 1764939922, &again, &len2), 0);
	assert_true(len == len2 && !memcmp(txt, again, len)); /* one input, one output */
	free(again);
	json_t *o = parse(txt, len), *sb = json_object_get(o, "sbom");
	assert_string_equal(str_at(o, "media_type"), HARBOR_MT_SPDX);
	assert_string_equal(str_at(sb, "spdxVersion"), "SPDX-2.3");
	json_t *p = json_object_get(sb, "packages");
	assert_int_equal(json_array_size(p), 4); /* the image, the OS, two packages */
	json_t *musl = json_array_get(p, 2);
	assert_string_equal(str_at(musl, "name"), "musl");
	assert_string_equal(str_at(json_array_get(json_object_get(musl, "externalRefs"), 0), "referenceLocator"),
			    "pkg:apk/alpine/musl@1.1.22-r3?arch=x86_64&distro=alpine-3.10.4");
	/* the epoch's ':' and the '+' percent-encoded */
	assert_string_equal(str_at(json_array_get(json_object_get(json_array_get(p, 3), "externalRefs"), 0),
				   "referenceLocator"),
			    "pkg:deb/alpine/libc6@1%3A2.36-9%2Bdeb12u1?arch=amd64&distro=alpine-3.10.4");
	assert_int_equal(json_array_size(json_object_get(sb, "relationships")), 4);
	json_decref(o);
	free(txt);

	assert_int_equal(srv_harbor_sbom_json(&ir, &a, HARBOR_OUT_CDX, 1764939922, &txt, &len), 0);
	o = parse(txt, len);
	sb = json_object_get(o, "sbom");
	assert_string_equal(str_at(o, "media_type"), HARBOR_MT_CDX);
	assert_string_equal(str_at(sb, "bomFormat"), "CycloneDX");
	assert_string_equal(str_at(sb, "specVersion"), "1.6");
	assert_int_equal(strncmp(str_at(sb, "serialNumber"), "urn:uuid:", 9), 0);
	assert_int_equal(json_array_size(json_object_get(sb, "components")), 3);
	assert_string_equal(str_at(json_array_get(json_object_get(sb, "components"), 1), "purl"),
			    "pkg:apk/alpine/musl@1.1.22-r3?arch=x86_64&distro=alpine-3.10.4");
	json_decref(o);
	free(txt);
}

/* One request through the listener's dispatcher: the status, and the
 * error message when an ErrorResponse. */
static int call(vigil_srv *s, const char *method, const char *path, const char *body, char *msg, size_t n)
{
	srv_request rq = { .method = method, .path = path, .query = "", .body = body ? body : "",
			   .body_len = body ? strlen(body) : 0 };
	srv_response rs = { 0 };
	rq.arena = vigil_arena_new(1 << 20);
	srv_harbor_dispatch(s, &rq, 0, &rs);
	msg[0] = '\0';
	if (rs.body) {
		json_t *o = parse(rs.body, rs.len);
		const char *m = str_at(json_object_get(o, "error"), "message");
		assert_non_null(m); /* every error is an ErrorResponse */
		assert_string_equal(rs.content_type, HARBOR_MT_ERROR);
		snprintf(msg, n, "%s", m ? m : "");
		json_decref(o);
	}
	free(rs.body);
	vigil_arena_free(rq.arena);
	return rs.status;
}

#define D "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static void test_requests(void **state)
{
	(void)state;
	vigil_srv *s = calloc(1, sizeof(*s));
	char m[512];
	char ok[1024];
	assert_non_null(s);
	srv_config_defaults(&s->conf);
	/* a token is set: none sent is 401 (no header can be sent here) */
	snprintf(s->conf.harbor_token, sizeof(s->conf.harbor_token), "s3cret");
	assert_int_equal(call(s, "GET", "/api/v1/metadata", NULL, m, sizeof(m)), 401);
	assert_null(strstr(m, "s3cret"));
	s->conf.harbor_token[0] = '\0';

	assert_int_equal(call(s, "GET", "/api/v1/nothing", NULL, m, sizeof(m)), 404);
	assert_int_equal(call(s, "DELETE", "/api/v1/scan", NULL, m, sizeof(m)), 405); /* with Allow: POST */
	assert_int_equal(call(s, "POST", "/api/v1/scan", "{", m, sizeof(m)), 400);
	assert_int_equal(call(s, "POST", "/api/v1/scan", "[]", m, sizeof(m)), 400);
	assert_int_equal(call(s, "POST", "/api/v1/scan", "{}", m, sizeof(m)), 422);
	assert_int_equal(call(s, "POST", "/api/v1/scan", "{\"registry\": 1, \"artifact\": {}}", m, sizeof(m)), 400);
	struct {
		const char *reg, *art, *extra;
		int status;
		const char *why;
	} cases[] = {
		{ "{}", "{\"repository\": \"a\", \"digest\": \"" D "\"}", "", 422, "registry.url: missing" },
		{ "{\"url\": 5}", "{\"repository\": \"a\", \"digest\": \"" D "\"}", "", 400, "registry.url: not a string" },
		{ "{\"url\": \"ftp://r\"}", "{\"repository\": \"a\", \"digest\": \"" D "\"}", "", 422, "registry.url" },
		{ "{\"url\": \"http://u:p@r\"}", "{\"repository\": \"a\", \"digest\": \"" D "\"}", "", 422, "registry.url" },
		{ "{\"url\": \"http://r/v2\"}", "{\"repository\": \"a\", \"digest\": \"" D "\"}", "", 422, "registry.url" },
		{ "{\"url\": \"http://r\"}", "{\"digest\": \"" D "\"}", "", 422, "artifact.repository: missing" },
		{ "{\"url\": \"http://r\"}", "{\"repository\": \"A/../b\", \"digest\": \"" D "\"}", "", 422, "artifact.repository" },
		{ "{\"url\": \"http://r\"}", "{\"repository\": \"a\", \"digest\": \"sha256:12\"}", "", 422, "artifact.digest" },
		{ "{\"url\": \"http://r\"}", "{\"repository\": \"a\", \"digest\": \"" D "\", \"mime_type\": \"text/plain\"}", "", 422,
		  "artifact.mime_type" },
		{ "{\"url\": \"http://r\", \"authorization\": \"Basic bm9jb2xvbg==\"}", "{\"repository\": \"a\", \"digest\": \"" D "\"}",
		  "", 422, "registry.authorization" },
		{ "{\"url\": \"http://r\", \"authorization\": null}", "{\"repository\": \"a\", \"digest\": \"" D "\"}", "", 400,
		  "registry.authorization: not a string" },
		{ "{\"url\": \"http://r\", \"authorization\": \"Digest x\"}", "{\"repository\": \"a\", \"digest\": \"" D "\"}", "",
		  422, "registry.authorization" },
		{ "{\"url\": \"http://r\", \"authorization\": \"Bearer a\\r\\nX: y\"}", "{\"repository\": \"a\", \"digest\": \"" D "\"}",
		  "", 422, "registry.authorization" },
		{ "{\"url\": \"http://r\"}", "{\"repository\": \"a\", \"digest\": \"" D "\"}", ", \"enabled_capabilities\": {}", 400,
		  "enabled_capabilities: not an array" },
		{ "{\"url\": \"http://r\"}", "{\"repository\": \"a\", \"digest\": \"" D "\"}",
		  ", \"enabled_capabilities\": [{\"type\": \"secrets\"}]", 422, "enabled_capabilities[0].type" },
		{ "{\"url\": \"http://r\"}", "{\"repository\": \"a\", \"digest\": \"" D "\"}",
		  ", \"enabled_capabilities\": [{\"type\": \"sbom\", \"parameters\": {\"sbom_media_types\": [\"x/y\"]}}]", 422,
		  "sbom_media_types[0]" },
		{ "{\"url\": \"http://r\"}", "{\"repository\": \"a\", \"digest\": \"" D "\"}",
		  ", \"enabled_capabilities\": [{\"type\": \"vulnerability\", \"produces_mime_types\": [\"a/b\"]}]", 422,
		  "not produced by vigil" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(ok, sizeof(ok), "{\"registry\": %s, \"artifact\": %s%s}", cases[i].reg, cases[i].art, cases[i].extra);
		int st = call(s, "POST", "/api/v1/scan", ok, m, sizeof(m));
		if (st != cases[i].status || !strstr(m, cases[i].why))
			fail_msg("%s: %d \"%s\", expected %d \"%s\"", ok, st, m, cases[i].status, cases[i].why);
		assert_null(strstr(m, "X: y"));
	}
	/* a report of an unknown id: 404 */
	assert_int_equal(srv_harbor_new(s, 1, &s->harbor), 0);
	assert_int_equal(call(s, "GET", "/api/v1/scan/0d7c3c63-0000-4000-8000-000000000000/report", NULL, m, sizeof(m)), 404);
	assert_int_equal(srv_harbor_stop(s->harbor, 5), 0);
	srv_harbor_free(s->harbor);
	free(s);
}

/* harbor.listen and harbor.token in vigil's config; a bad token is an
 * error naming the key and line, an unknown harbor key a warning. */
static void on_warn(void *ud, const char *msg)
{
	(*(int *)ud)++;
	(void)msg;
}

static void test_config_keys(void **state)
{
	(void)state;
	vigil_server_config c;
	int warns = 0;
	const char ok[] = "harbor:\n  listen: 127.0.0.1:8090\n  token: abc-123\n  other: 1\n";
	srv_config_defaults(&c);
	assert_string_equal(c.harbor_listen, "");
	assert_int_equal(srv_config_parse("h.yaml", ok, strlen(ok), &c, on_warn, &warns), 0);
	assert_string_equal(c.harbor_listen, "127.0.0.1:8090");
	assert_string_equal(c.harbor_token, "abc-123");
	assert_int_equal(warns, 1);
	const char bad[] = "harbor:\n  token: \"a b\"\n";
	srv_config_defaults(&c);
	assert_int_equal(srv_config_parse("h.yaml", bad, strlen(bad), &c, NULL, NULL), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "h.yaml: line 2: harbor.token"));
	const char notmap[] = "harbor: 5\n";
	assert_int_equal(srv_config_parse("h.yaml", notmap, strlen(notmap), &c, NULL, NULL), VIGIL_EFORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_severity_scale),
		cmocka_unit_test(test_vuln_report),
		cmocka_unit_test(test_sbom),
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_config_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
