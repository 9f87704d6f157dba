/* tests/scanner/rpn_fixture.h: what the Ruby, PHP and .NET parser tests
 * share: parsing a file of ../shared/testdata/lang/ (or a string) with one
 * parser, and holding the result to an expected list exactly (every row
 * found, nothing more, order free: the upstream lists are sorted or in
 * map order). */
#ifndef VIGIL_TESTS_RPN_FIXTURE_H
#define VIGIL_TESTS_RPN_FIXTURE_H

#include "lang_fixture.h"
#include "scan_fixture.h"
#include "scanner/lang/rpn.h"
#include "util/error.h"

typedef int (*rpn_parse_fn)(vigil_scan_ctx *ctx, const char *data, size_t len, vigil_pkg_list *out);

/* Parses the file at rel (under the test data) into a fresh f->list. */
static int rpn_parse_file(struct scan_fx *f, rpn_parse_fn parse, const char *rel)
{
	size_t n;
	char *data = th_read_file(th_data_path(rel), &n);
	int rc;
	if (!data)
		fail_msg("cannot read %s", rel);
	f->list.len = 0;
	f->warnings = 0;
	rc = parse(&f->ctx, data, n, &f->list);
	free(data);
	return rc;
}

static int rpn_parse_text(struct scan_fx *f, rpn_parse_fn parse, const char *text)
{
	f->list.len = 0;
	f->warnings = 0;
	return parse(&f->ctx, text, strlen(text), &f->list);
}

/* The package of f->list[from..] with this purl, or NULL. */
static const vigil_package *rpn_find(const struct scan_fx *f, size_t from, vigil_slice purl)
{
	for (size_t j = from; j < f->list.len; j++)
		if (vigil_slice_eq_cstr(purl, f->list.items[j].purl))
			return &f->list.items[j];
	return NULL;
}

/* f->list[from..] holds exactly rows (each once), of type t. */
static void rpn_expect(const struct scan_fx *f, size_t from, const struct lang_row *rows, size_t n,
		       vigil_pkg_type t, const char *what)
{
	for (size_t i = 0; i < n; i++) {
		const vigil_package *p = rpn_find(f, from, rows[i].purl);
		if (!p)
			fail_msg("%s: %.*s not found", what, (int)rows[i].purl.len, rows[i].purl.ptr);
		lang_eq(p, &rows[i], false, what);
		assert_int_equal(p->type, t);
		assert_non_null(p->package_db);
	}
	if (f->list.len - from != n) {
		for (size_t j = from; j < f->list.len; j++)
			print_message("got %s\n", f->list.items[j].purl);
		fail_msg("%s: %zu packages, want %zu", what, f->list.len - from, n);
	}
}

/* Parses rel and holds it to the whole expected list at list_rel. */
static void rpn_check_file(struct scan_fx *f, rpn_parse_fn parse, const char *rel,
			   const char *list_rel, vigil_pkg_type t)
{
	struct lang_row rows[64];
	char *data;
	size_t n = lang_rows(list_rel, rows, 64, &data);
	if (rpn_parse_file(f, parse, rel) != 0)
		fail_msg("%s: %s", rel, vigil_error_message());
	rpn_expect(f, 0, rows, n, t, rel);
	free(data);
}

#endif
