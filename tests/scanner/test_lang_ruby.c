/* tests/scanner/test_lang_ruby.c: the gemspec and Gemfile.lock parsers
 * (scanner/lang/gemspec.c, gemfile.c) on the upstream fixtures of
 * lang/ruby/ (every row of lang/expected/ruby_*.tsv, trivy's
 * Gemfile_bundler2.lock as trivy reads it), on Debian's rubygems-integration
 * tree of lang/debian-bookworm-2026-12/, and on bad input and limits. */
#include "rpn_fixture.h"

#include <dirent.h>

static int setup(void **state)
{
	return scan_fx_setup(state, "usr/local/bundle/specifications/x-1.gemspec");
}

static void test_gemspecs(void **state)
{
	struct scan_fx *f = *state;
	struct lang_row rows[16];
	char *data, rel[256];
	size_t n = lang_rows("lang/expected/ruby_gemspecs.tsv", rows, 16, &data);
	assert_int_equal(n, 6);
	for (size_t i = 0; i < n; i++) {
		snprintf(rel, sizeof(rel), "lang/ruby/%.*s", (int)rows[i].extra.len,
			 rows[i].extra.ptr);
		if (rpn_parse_file(f, scan_lang_gemspec_parse, rel) != 0)
			fail_msg("%s: %s", rel, vigil_error_message());
		rpn_expect(f, 0, &rows[i], 1, VIGIL_PKG_GEM, rel);
		assert_string_equal(f->list.items[0].package_db,
				    "usr/local/bundle/specifications/x-1.gemspec");
	}
	free(data);
	/* trivy: "failed to parse gemspec" */
	assert_int_equal(rpn_parse_file(f, scan_lang_gemspec_parse, "lang/ruby/trivy_malformed00.gemspec"),
			 VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "spec.name"));
	assert_int_equal(rpn_parse_file(f, scan_lang_gemspec_parse, "lang/ruby/trivy_malformed01.gemspec"),
			 VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "s.version"));
	assert_int_equal(f->list.len, 0);
}

/* Every gemspec of Debian's two rubygems-integration folders: 10 gems,
 * each named and versioned as its file. */
static void test_debian(void **state)
{
	static const char *const dirs[] = {
		"usr/share/rubygems-integration/all/specifications",
		"usr/lib/x86_64-linux-gnu/rubygems-integration/3.1.0/specifications",
	};
	struct scan_fx *f = *state;
	size_t total = 0;
	for (size_t d = 0; d < 2; d++) {
		char dir[1024], rel[1024];
		struct dirent *e;
		snprintf(dir, sizeof(dir), "%s", th_data_path("lang/debian-bookworm-2026-12/rootfs/"));
		strncat(dir, dirs[d], sizeof(dir) - strlen(dir) - 1);
		DIR *dp = opendir(dir);
		if (!dp)
			fail_msg("cannot open %s", dir);
		while ((e = readdir(dp)) != NULL) {
			char want[512];
			if (e->d_name[0] == '.')
				continue;
			snprintf(rel, sizeof(rel), "%s/%s", dirs[d], e->d_name);
			assert_true(scan_lang_gemspec_path(vigil_slice_cstr(rel)));
			snprintf(rel, sizeof(rel), "lang/debian-bookworm-2026-12/rootfs/%s/%s", dirs[d],
				 e->d_name);
			if (rpn_parse_file(f, scan_lang_gemspec_parse, rel) != 0)
				fail_msg("%s: %s", rel, vigil_error_message());
			assert_int_equal(f->list.len, 1);
			snprintf(want, sizeof(want), "%s-%s.gemspec", f->list.items[0].name,
				 f->list.items[0].version);
			assert_string_equal(want, e->d_name);
			total++;
		}
		closedir(dp);
	}
	assert_int_equal(total, 10);
}

static void test_gemfile_locks(void **state)
{
	struct scan_fx *f = *state;
	rpn_check_file(f, scan_lang_gemfile_lock_parse, "lang/ruby/syft_Gemfile.lock",
		       "lang/expected/ruby_syft_Gemfile.lock.tsv", VIGIL_PKG_GEM);
	assert_int_equal(f->list.len, 52); /* PATH and GIT gems in, BAD-SECTION out */
	rpn_check_file(f, scan_lang_gemfile_lock_parse, "lang/ruby/trivy_Gemfile_normal.lock",
		       "lang/expected/ruby_trivy_Gemfile_normal.lock.tsv", VIGIL_PKG_GEM);
	/* trivy_Gemfile_bundler2.lock: its list is withheld; these are the
	 * GEM specs as trivy reads them (x86_64-linux platform, BUNDLED WITH 2.3.7) */
	static const char *const bundler2[] = {
		"pkg:gem/coderay@1.1.3",   "pkg:gem/concurrent-ruby@1.1.10",
		"pkg:gem/dotenv@2.7.6",    "pkg:gem/faker@2.21.0",
		"pkg:gem/i18n@1.10.0",     "pkg:gem/json@2.6.2",
		"pkg:gem/method_source@1.0.0", "pkg:gem/pry@0.14.1",
	};
	assert_int_equal(rpn_parse_file(f, scan_lang_gemfile_lock_parse,
					"lang/ruby/trivy_Gemfile_bundler2.lock"), 0);
	assert_int_equal(f->list.len, 8);
	for (size_t i = 0; i < 8; i++)
		assert_non_null(rpn_find(f, 0, vigil_slice_cstr(bundler2[i])));
	assert_int_equal(rpn_parse_file(f, scan_lang_gemfile_lock_parse,
					"lang/ruby/trivy_Gemfile_malformed.lock"), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "line 1"));
}

static void test_paths(void **state)
{
	(void)state;
	static const char *const gemspec_yes[] = {
		"usr/local/bundle/specifications/rake-13.0.3.gemspec",
		"usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec",
		"usr/share/rubygems-integration/all/specifications/rack-2.2.22.gemspec",
		"specifications/x-1.gemspec",
	};
	static const char *const gemspec_no[] = {
		"app/x.gemspec", "usr/local/bundle/gems/rake-13.0.3/rake.gemspec",
		"a/specifications/x.gemspec.bak", "a/specifications/.gemspec",
		"a/specifications/sub/x.gemspec", "a/default/x.gemspec", "a/xspecifications/x.gemspec",
	};
	static const char *const lock_yes[] = { "app/Gemfile.lock", "Gemfile.lock", "srv/gems.locked" };
	static const char *const lock_no[] = { "app/Gemfile", "app/xGemfile.lock", "Gemfile.lock/x" };
	for (size_t i = 0; i < sizeof(gemspec_yes) / sizeof(*gemspec_yes); i++)
		if (!scan_lang_gemspec_path(vigil_slice_cstr(gemspec_yes[i])))
			fail_msg("%s: not matched", gemspec_yes[i]);
	for (size_t i = 0; i < sizeof(gemspec_no) / sizeof(*gemspec_no); i++)
		if (scan_lang_gemspec_path(vigil_slice_cstr(gemspec_no[i])))
			fail_msg("%s: matched", gemspec_no[i]);
	for (size_t i = 0; i < sizeof(lock_yes) / sizeof(*lock_yes); i++)
		assert_true(scan_lang_gemfile_lock_path(vigil_slice_cstr(lock_yes[i])));
	for (size_t i = 0; i < sizeof(lock_no) / sizeof(*lock_no); i++)
		assert_false(scan_lang_gemfile_lock_path(vigil_slice_cstr(lock_no[i])));
}

/* The value forms of real gemspecs. */
static void test_gemspec_forms(void **state)
{
	static const struct {
		const char *text, *purl;
	} ok[] = {
		{ "Gem::Specification.new do |s|\n  s.name = %q{trie}\n  s.version = \"0.2.3\"\nend\n",
		  "pkg:gem/trie@0.2.3" },
		{ "Gem::Specification.new do |spec|\r\n spec.name = 'x'.freeze\r\n"
		  " spec.version = Gem::Version.new(\"1.0.0.rc1\")\r\n",
		  "pkg:gem/x@1.0.0.rc1" },
		{ "# stub: a 1 ruby lib\nGem::Specification.new { |g|\n\tg.name=%q<a-b>\n"
		  "\tg.name_x = \"no\"\n\tg.version = %Q(2.0).freeze\n}\n",
		  "pkg:gem/a-b@2.0" },
		/* the first assignment wins */
		{ "Gem::Specification.new do |s|\ns.name = \"a\"\ns.version = \"1\"\ns.name = \"b\"\n",
		  "pkg:gem/a@1" },
	};
	struct scan_fx *f = *state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(*ok); i++) {
		if (rpn_parse_text(f, scan_lang_gemspec_parse, ok[i].text) != 0)
			fail_msg("%zu: %s", i, vigil_error_message());
		assert_int_equal(f->list.len, 1);
		assert_string_equal(f->list.items[0].purl, ok[i].purl);
	}
}

static void test_gemspec_bad(void **state)
{
	struct scan_fx *f = *state;
	assert_int_equal(rpn_parse_text(f, scan_lang_gemspec_parse, ""), VIGIL_EFORMAT);
	assert_int_equal(rpn_parse_text(f, scan_lang_gemspec_parse, "s.name = \"x\"\ns.version = \"1\"\n"),
			 VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "Gem::Specification.new"));
	/* a constant is no value */
	assert_int_equal(rpn_parse_text(f, scan_lang_gemspec_parse,
					"Gem::Specification.new do |s|\ns.name = \"x\"\n"
					"s.version = X::VERSION\n"),
			 VIGIL_EFORMAT);
	assert_int_equal(rpn_parse_text(f, scan_lang_gemspec_parse,
					"Gem::Specification.new do |s|\ns.name = \"x\n"
					"s.version = \"1\"\n"),
			 VIGIL_EFORMAT);
	/* a name with a space is no name: skipped with a warning */
	assert_int_equal(rpn_parse_text(f, scan_lang_gemspec_parse,
					"Gem::Specification.new do |s|\ns.name = \"a b\"\n"
					"s.version = \"1\"\n"),
			 0);
	assert_int_equal(f->list.len, 0);
	assert_int_equal(f->warnings, 1);
}

static void test_gemspec_limits(void **state)
{
	struct scan_fx *f = *state;
	const char *head = "Gem::Specification.new do |s|\ns.name = \"x\"\ns.version = \"1\"\n";
	size_t n = VIGIL_LANG_GEMSPEC_MAX_SIZE + 1;
	char *big = malloc(n);
	assert_non_null(big);
	memset(big, '#', n);
	memcpy(big, head, strlen(head));
	f->list.len = 0;
	assert_int_equal(scan_lang_gemspec_parse(&f->ctx, big, n, &f->list), VIGIL_ELIMIT);
	assert_int_equal(scan_lang_gemspec_parse(&f->ctx, big, n - 1, &f->list), 0);
	assert_int_equal(f->list.len, 1);
	/* a line over VIGIL_LANG_GEMSPEC_MAX_LINE is not looked at */
	memset(big, ' ', n);
	memcpy(big, head, 31);
	memcpy(big + VIGIL_LANG_GEMSPEC_MAX_LINE + 40, "s.name = \"x\"\ns.version = \"1\"\n", 30);
	big[VIGIL_LANG_GEMSPEC_MAX_LINE + 39] = '\n';
	memcpy(big + VIGIL_LANG_GEMSPEC_MAX_LINE + 70, "\n", 1);
	f->list.len = 0;
	assert_int_equal(scan_lang_gemspec_parse(&f->ctx, big, VIGIL_LANG_GEMSPEC_MAX_LINE + 71,
						 &f->list), 0);
	assert_int_equal(f->list.len, 1);
	free(big);
}

static void test_gemfile_lock_small(void **state)
{
	struct scan_fx *f = *state;
	const char *text = "GIT\n  remote: https://example.invalid/x.git\n  revision: abc\n"
			   "  specs:\n    x (0.1.0)\n\n"
			   "GEM\n  remote: https://rubygems.org/\n  specs:\n"
			   "    nokogiri (1.13.6-arm64-darwin)\n      racc (~> 1.4)\n"
			   "    nokogiri (1.13.6-x86_64-linux)\n      racc (~> 1.4)\n"
			   "    racc (1.6.0)\n    broken\n   three (1.0)\n\n"
			   "PLATFORMS\n  x86_64-linux\n\nDEPENDENCIES\n  nokogiri\n  x!\n\n"
			   "CHECKSUMS\n  racc (1.6.0) sha256=00\n    y (9.9)\n\n"
			   "BUNDLED WITH\n   2.5.3\n";
	assert_int_equal(rpn_parse_text(f, scan_lang_gemfile_lock_parse, text), 0);
	assert_int_equal(f->list.len, 3);
	assert_string_equal(f->list.items[0].purl, "pkg:gem/x@0.1.0");
	assert_string_equal(f->list.items[1].purl, "pkg:gem/nokogiri@1.13.6");
	assert_string_equal(f->list.items[2].purl, "pkg:gem/racc@1.6.0");
	assert_int_equal(f->list.items[2].type, VIGIL_PKG_GEM);
	assert_int_equal(f->warnings, 1); /* "broken" */
	assert_non_null(strstr(f->last_warning, "line 15"));
	assert_int_equal(rpn_parse_text(f, scan_lang_gemfile_lock_parse, ""), 0);
	assert_int_equal(f->list.len, 0);
}

static void test_gemfile_lock_bad(void **state)
{
	struct scan_fx *f = *state;
	char *big;
	assert_int_equal(rpn_parse_text(f, scan_lang_gemfile_lock_parse,
					"GEM\n  specs:\n    a (1)\nnot a header\n"),
			 VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "line 4"));
	assert_int_equal(rpn_parse_text(f, scan_lang_gemfile_lock_parse, "{\"a\": 1}\n"),
			 VIGIL_EFORMAT);
	big = malloc(VIGIL_LANG_GEMFILE_MAX_LINE + 16);
	assert_non_null(big);
	memcpy(big, "GEM\n  specs:\n", 13);
	memset(big + 13, ' ', VIGIL_LANG_GEMFILE_MAX_LINE + 1);
	big[VIGIL_LANG_GEMFILE_MAX_LINE + 14] = '\0';
	assert_int_equal(rpn_parse_text(f, scan_lang_gemfile_lock_parse, big), VIGIL_ELIMIT);
	assert_non_null(strstr(vigil_error_message(), "line 3"));
	free(big);
	f->list.len = 0;
	assert_int_equal(scan_lang_gemfile_lock_parse(&f->ctx, "GEM\n",
						      VIGIL_LANG_GEMFILE_LOCK_MAX_SIZE + 1, &f->list),
			 VIGIL_ELIMIT);
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_gemspecs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_debian, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gemfile_locks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gemspec_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gemspec_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gemspec_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gemfile_lock_small, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gemfile_lock_bad, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
