/* tests/report/test_template.c: the Mustache engine (report/tmpl.c) on the
 * spec's cases (interpolation, sections over lists and objects, inverted
 * sections, context lookup through the stack, dotted names, standalone
 * lines, comments), its errors with FILE:LINE:COL and its limits; and
 * `--format template` over a hand-made report (the data model). */
#include "helpers.h"
#include "report/report_priv.h"
#include "report/tmpl.h"
#include "util/error.h"
#include "vigil/report.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void renders(const char *tpl, const char *data, unsigned flags, const char *want)
{
	json_error_t je;
	json_t *d = json_loads(data, 0, &je);
	tmpl *t = NULL;
	char *out = NULL;
	size_t len = 0;
	assert_non_null(d);
	if (tmpl_compile(tpl, strlen(tpl), "t", flags, &t) < 0)
		fail_msg("compile '%s': %s", tpl, vigil_error_message());
	assert_int_equal(tmpl_render(t, d, &out, &len), 0);
	if (strcmp(out, want))
		fail_msg("template '%s'\n got '%s'\nwant '%s'", tpl, out, want);
	assert_int_equal(len, strlen(want));
	free(out);
	tmpl_free(t);
	json_decref(d);
}

static void test_interpolation(void **state)
{
	(void)state;
	renders("Hello, {{name}}!", "{\"name\":\"World\"}", 0, "Hello, World!");
	renders("{{a}}|{{b}}|{{c}}|{{d}}|{{e}}|{{missing}}", "{\"a\":1,\"b\":1.5,\"c\":true,\"d\":null,\"e\":\"<&>\"}", 0,
		"1|1.5|true||<&>|");
	renders("{{e}} {{{e}}} {{&e}}", "{\"e\":\"<a href='x'>&\\\"\"}", TMPL_HTML,
		"&lt;a href=&#39;x&#39;&gt;&amp;&quot; <a href='x'>&\" <a href='x'>&\"");
	renders("{{ a.b.c }}|{{a.b}}|{{list.1}}", "{\"a\":{\"b\":{\"c\":\"deep\"}},\"list\":[\"x\",\"y\"]}", 0, "deep||y");
	renders("no tags", "{}", 0, "no tags");
	renders("{", "{}", 0, "{");
}

static void test_sections(void **state)
{
	(void)state;
	const char *data = "{\"items\":[{\"n\":\"a\"},{\"n\":\"b\"}],\"none\":[],\"yes\":true,\"no\":false,"
			   "\"zero\":0,\"empty\":\"\",\"obj\":{\"k\":\"v\"},\"top\":\"T\"}";
	renders("{{#items}}[{{n}}{{top}}]{{/items}}", data, 0, "[aT][bT]");
	renders("{{#none}}x{{/none}}{{^none}}empty{{/none}}", data, 0, "empty");
	renders("{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}n{{/no}}", data, 0, "Yn");
	renders("{{#zero}}z{{/zero}}{{#empty}}e{{/empty}}{{^zero}}0{{/zero}}", data, 0, "0");
	renders("{{#obj}}{{k}}{{/obj}}", data, 0, "v");
	renders("{{#items}}{{.}}{{/items}}", "{\"items\":[\"x\",2]}", 0, "x2");
	renders("{{#a}}{{#b}}{{c}}{{/b}}{{/a}}", "{\"a\":{\"c\":\"outer\",\"b\":{}}}", 0, "outer");
	/* standalone lines vanish, inline tags do not */
	renders("list:\n  {{#items}}\n  - {{n}}\n  {{/items}}\nend\n", data, 0, "list:\n  - a\n  - b\nend\n");
	renders("a {{#yes}}b{{/yes}} c\n", data, 0, "a b c\n");
	renders("x\n{{! a comment\n over lines }}\ny", data, 0, "x\ny");
	renders("{{#yes}}\r\nok\r\n{{/yes}}\r\n", data, 0, "ok\r\n");
}

static void compile_fails(const char *tpl, int code, const char *msg)
{
	tmpl *t = (tmpl *)1;
	assert_int_equal(tmpl_compile(tpl, strlen(tpl), "my.tpl", 0, &t), code);
	assert_null(t);
	if (!strstr(vigil_error_message(), msg))
		fail_msg("'%s': message '%s' lacks '%s'", tpl, vigil_error_message(), msg);
}

static void test_errors(void **state)
{
	(void)state;
	compile_fails("a\n  {{#x}}", VIGIL_EFORMAT, "my.tpl:2:3: a section is not closed: 'x'");
	compile_fails("{{/x}}", VIGIL_EFORMAT, "my.tpl:1:1: no open section for the end tag 'x'");
	compile_fails("{{#x}}{{/y}}", VIGIL_EFORMAT, "open one, which is 'x'");
	compile_fails("ab {{x", VIGIL_EFORMAT, "my.tpl:1:4: a tag is not closed");
	compile_fails("{{{x}}", VIGIL_EFORMAT, "a tag is not closed");
	compile_fails("{{> part}}", VIGIL_EFORMAT, "partials are not supported");
	compile_fails("{{=<% %>=}}", VIGIL_EFORMAT, "delimiter changes are not supported");
	compile_fails("{{}}", VIGIL_EFORMAT, "empty or too long name");
	char deep[TMPL_MAX_DEPTH * 8 + 64] = "";
	for (int i = 0; i <= TMPL_MAX_DEPTH; i++)
		strcat(deep, "{{#a}}");
	compile_fails(deep, VIGIL_EFORMAT, "nested deeper");
	size_t big = TMPL_MAX_SIZE + 1;
	char *huge = malloc(big + 1);
	assert_non_null(huge);
	memset(huge, 'x', big);
	huge[big] = '\0';
	compile_fails(huge, VIGIL_ELIMIT, "over the limit");
	free(huge);
}

static void test_output_limit(void **state)
{
	(void)state;
	/* 64 levels of 2-element lists would be 2^64 copies: the output cap stops it */
	json_t *d = json_pack("{s:[i,i,i,i,i,i,i,i,i,i,i,i,i,i,i,i]}", "l", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
	char tpl[4096] = "";
	for (int i = 0; i < 8; i++)
		strcat(tpl, "{{#l}}");
	strcat(tpl, "0123456789012345678901234567890123456789");
	for (int i = 0; i < 8; i++)
		strcat(tpl, "{{/l}}");
	tmpl *t;
	char *out;
	size_t len;
	assert_int_equal(tmpl_compile(tpl, strlen(tpl), "t", 0, &t), 0);
	assert_int_equal(tmpl_render(t, d, &out, &len), VIGIL_ELIMIT);
	assert_non_null(strstr(vigil_error_message(), "output passes"));
	tmpl_free(t);
	json_decref(d);
}

static const vigil_distribution dist = { .did = "alpine", .version_id = "3.10.4", .pretty_name = "Alpine 3.10" };
static const vigil_package pkgs[] = {
	{ .type = VIGIL_PKG_APK, .name = "musl", .version = "1.1.22-r3", .arch = "x86_64", .introduced_in = "sha256:aa",
	  .package_db = "lib/apk/db/installed" },
};
static const vigil_layer_info layers[] = { { .digest = "sha256:aa", .size = 10, .packages = 1,
					     .created_by = "/bin/sh -c #(nop) ADD file:x in /" } };
static const vigil_index_report ir = { .manifest_hash = "sha256:m", .distribution = &dist, .packages = pkgs,
				       .package_count = 1, .layers = layers, .layer_count = 1 };
static const char *const links[] = { "https://example.org/CVE-2019-14697" };

static void test_report(void **state)
{
	(void)state;
	vigil_finding f[] = {
		{ .package = &pkgs[0], .id = "CVE-2019-14697", .severity = VIGIL_SEV_CRITICAL, .fixed = "1.1.22-r3",
		  .state = VIGIL_STATE_FIXED, .cvss_score = 9.8, .summary = "musl x87 stack <overflow>", .links = links,
		  .nlinks = 1 },
		{ .package = &pkgs[0], .id = "CVE-2020-0001", .severity = VIGIL_SEV_LOW, .state = VIGIL_STATE_NOT_FIXED,
		  .cvss_score = -1, .description = "line one\nline two" },
	};
	vigil_vuln_report vr = { .index = &ir, .namespace = "alpine:3.10", .findings = f, .finding_count = 2 };
	vigil_report_input in = { .index = &ir, .vulns = &vr, .image = "alpine-310.tar.gz" };
	vigil_report_options o;
	vigil_report_options_init(&o);
	o.now = 1764963000; /* 2025-12-05T19:30:00Z */
	o.template_text = "{{image}} {{namespace}} {{generated}} {{distribution.id}}\n"
			  "{{summary.total}} total, {{summary.critical}} critical, {{summary.fixable}} fixable\n"
			  "{{#findings}}\n"
			  "{{id}},{{severity_lower}},{{package}},{{purl}},{{#fixable}}{{fixed}}{{/fixable}}{{^fixable}}-{{/fixable}},{{title}},{{first_link}}\n"
			  "{{/findings}}\n"
			  "{{#layers}}{{index}} {{digest}} {{created_by}}{{/layers}}\n";
	char *out;
	size_t len;
	assert_int_equal(vigil_report_render(&in, VIGIL_FMT_TEMPLATE, &o, &out, &len), 0);
	assert_string_equal(out, "alpine-310.tar.gz alpine:3.10 2025-12-05T19:30:00Z alpine\n"
				 "2 total, 1 critical, 1 fixable\n"
				 "CVE-2019-14697,critical,musl,pkg:apk/alpine/musl@1.1.22-r3?arch=x86_64&distro=alpine-3.10.4,"
				 "1.1.22-r3,musl x87 stack <overflow>,https://example.org/CVE-2019-14697\n"
				 "CVE-2020-0001,low,musl,pkg:apk/alpine/musl@1.1.22-r3?arch=x86_64&distro=alpine-3.10.4,-,"
				 "line one,\n"
				 "0 sha256:aa /bin/sh -c #(nop) ADD file:x in /\n");
	free(out);
	/* a template error names the template; nothing is rendered */
	o.template_text = "{{#findings}}";
	assert_int_equal(vigil_report_render(&in, VIGIL_FMT_TEMPLATE, &o, &out, &len), VIGIL_EFORMAT);
	assert_null(out);
	assert_non_null(strstr(vigil_error_message(), "template:1:1"));
	o.template_text = NULL;
	o.template_path = "/nonexistent/x.tpl";
	assert_int_equal(vigil_report_render(&in, VIGIL_FMT_TEMPLATE, &o, &out, &len), VIGIL_ENOTFOUND);
	assert_non_null(strstr(vigil_error_message(), "/nonexistent/x.tpl"));
	o.template_path = NULL;
	assert_int_equal(vigil_report_render(&in, VIGIL_FMT_TEMPLATE, &o, &out, &len), VIGIL_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interpolation), cmocka_unit_test(test_sections), cmocka_unit_test(test_errors),
		cmocka_unit_test(test_output_limit), cmocka_unit_test(test_report),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
