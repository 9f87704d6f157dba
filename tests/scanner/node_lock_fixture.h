/* tests/scanner/node_lock_fixture.h: what the Node.js lock file tests
 * share: parse a lang/node/ fixture with one of the parsers of
 * scanner/lang/node_lock.h and compare the result, row by row and in
 * number, with its lang/expected/ list (name, version, purl, dev).
 *
 * The expected lists write a package trivy lists without a version (a
 * workspace or file: package) with the purl "pkg:npm/<name>@"; the purl
 * spec leaves the "@" out when there is no version, and so does vigil:
 * that one difference is allowed. */
#ifndef VIGIL_TESTS_NODE_LOCK_FIXTURE_H
#define VIGIL_TESTS_NODE_LOCK_FIXTURE_H

#include "lang_fixture.h"
#include "scan_fixture.h"
#include "scanner/lang/node_lock.h"
#include "util/error.h"

typedef int (*nl_parse_fn)(vigil_scan_ctx *ctx, const char *data, size_t len, vigil_pkg_list *out);

static int nl_parse_text(struct scan_fx *f, nl_parse_fn parse, const char *text)
{
	f->list.len = 0;
	f->warnings = 0;
	return parse(&f->ctx, text, strlen(text), &f->list);
}

/* Parses lang/node/<file> and returns the package count. */
static size_t nl_parse_fixture(struct scan_fx *f, nl_parse_fn parse, const char *file)
{
	char rel[256];
	size_t len;
	snprintf(rel, sizeof(rel), "lang/node/%s", file);
	char *data = th_read_file(th_data_path(rel), &len);
	if (!data)
		fail_msg("cannot read %s", rel);
	f->list.len = 0;
	f->warnings = 0;
	if (parse(&f->ctx, data, len, &f->list) != 0)
		fail_msg("%s: %s", file, vigil_error_message());
	free(data);
	return f->list.len;
}

static bool nl_purl_eq(const struct lang_row *r, const char *purl)
{
	vigil_slice want = r->purl;
	if (r->version.len == 0 && want.len > 0 && want.ptr[want.len - 1] == '@')
		want.len--;
	return vigil_slice_eq_cstr(want, purl);
}

/* lang/node/<file> gives exactly the rows of lang/expected/node_<file>.tsv. */
static void nl_check(struct scan_fx *f, nl_parse_fn parse, const char *file)
{
	struct lang_row rows[64];
	char rel[256], *data;
	snprintf(rel, sizeof(rel), "lang/expected/node_%s.tsv", file);
	size_t n = lang_rows(rel, rows, 64, &data);
	size_t got = nl_parse_fixture(f, parse, file);
	if (got != n)
		fail_msg("%s: %zu packages, want %zu", file, got, n);
	for (size_t i = 0; i < n; i++) {
		const vigil_package *p = NULL;
		for (size_t j = 0; j < got && !p; j++)
			if (vigil_slice_eq_cstr(rows[i].name, f->list.items[j].name) &&
			    vigil_slice_eq_cstr(rows[i].version, f->list.items[j].version))
				p = &f->list.items[j];
		if (!p)
			fail_msg("%s: %.*s@%.*s not found", file, (int)rows[i].name.len, rows[i].name.ptr,
				 (int)rows[i].version.len, rows[i].version.ptr);
		if (rows[i].version.len > 0)
			lang_eq(p, &rows[i], false, file);
		else if (!nl_purl_eq(&rows[i], p->purl))
			fail_msg("%s: purl %s, want %.*s", file, p->purl, (int)rows[i].purl.len,
				 rows[i].purl.ptr);
		bool dev = vigil_slice_eq_cstr(rows[i].extra, "1");
		if (dev != ((p->flags & VIGIL_PKG_F_DEV) != 0))
			fail_msg("%s: %s@%s dev %d, want %d", file, p->name, p->version,
				 !dev, dev);
		assert_int_equal(p->type, VIGIL_PKG_NPM);
		assert_string_equal(p->package_db, f->ctx.path);
	}
	free(data);
}

/* A file larger than the cap is refused before it is parsed. */
static void nl_check_too_large(struct scan_fx *f, nl_parse_fn parse)
{
	size_t n = VIGIL_MAX_NODE_LOCK_FILE + 1;
	char *big = malloc(n);
	assert_non_null(big);
	memset(big, ' ', n);
	f->list.len = 0;
	assert_int_equal(parse(&f->ctx, big, n, &f->list), VIGIL_ELIMIT);
	assert_int_equal(f->list.len, 0);
	free(big);
}

#endif
