/* tests/scanner/gorust_fixture.h: what test_lang_go.c and
 * test_lang_rust.c share: reading an executable held in memory through
 * scan_lang_exe_parse() (as a stream, the way the indexer hands it over),
 * and comparing the packages with an expected list as a set (the upstream
 * tools sort their lists; vigil keeps the file's order). */
#ifndef VIGIL_TESTS_GORUST_FIXTURE_H
#define VIGIL_TESTS_GORUST_FIXTURE_H

#include "lang_fixture.h"
#include "scan_fixture.h"
#include "scanner/lang/gorust.h"
#include "util/error.h"
#include "util/stream.h"

/* Parses len bytes of data as an executable into f->list (emptied first). */
static int exe_mem(struct scan_fx *f, const void *data, size_t len)
{
	vigil_istream *in;
	f->list.len = 0;
	f->warnings = 0;
	if (vigil_istream_from_mem(data, len, &in) != 0)
		fail_msg("stream: %s", vigil_error_message());
	int rc = scan_lang_exe_parse(&f->ctx, in, len, &f->list);
	vigil_istream_close(in);
	return rc;
}

/* Parses a file of ../shared/testdata. */
static int exe_file(struct scan_fx *f, const char *rel)
{
	size_t len;
	char *data = th_read_file(th_data_path(rel), &len);
	if (!data)
		fail_msg("cannot read %s", rel);
	int rc = exe_mem(f, data, len);
	free(data);
	return rc;
}

static const vigil_package *find_pkg(const vigil_pkg_list *l, const char *name)
{
	for (size_t i = 0; i < l->len; i++)
		if (strcmp(l->items[i].name, name) == 0)
			return &l->items[i];
	return NULL;
}

/* Every row matches one package and there are as many packages as rows. */
static void expect_set(const vigil_pkg_list *l, struct lang_row *rows, size_t n,
		       const char *where)
{
	if (l->len != n)
		fail_msg("%s: %zu packages, want %zu", where, l->len, n);
	for (size_t i = 0; i < n; i++) {
		const vigil_package *p = NULL;
		for (size_t j = 0; j < l->len && !p; j++)
			if (vigil_slice_eq_cstr(rows[i].purl, l->items[j].purl))
				p = &l->items[j];
		if (!p)
			fail_msg("%s: no package for %.*s", where, (int)rows[i].purl.len,
				 rows[i].purl.ptr);
		lang_eq(p, &rows[i], false, where);
	}
}

/* Reads the executable at rel as the indexer would (as f->ctx.path) and
 * holds its packages to the expected list tsv, every one of type type and
 * reported from that path. */
static void check_exe(struct scan_fx *f, const char *rel, const char *tsv, vigil_pkg_type type)
{
	struct lang_row rows[16];
	char *data;
	size_t n = lang_rows(tsv, rows, 16, &data);
	if (exe_file(f, rel) != 0)
		fail_msg("%s: %s", rel, vigil_error_message());
	expect_set(&f->list, rows, n, rel);
	for (size_t i = 0; i < f->list.len; i++) {
		assert_int_equal(f->list.items[i].type, type);
		assert_string_equal(f->list.items[i].package_db, f->ctx.path);
	}
	free(data);
}

#endif
