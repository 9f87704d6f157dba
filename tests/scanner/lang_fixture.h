/* tests/scanner/lang_fixture.h: what the language-package tests share:
 * reading the rows of a lang/expected/ TSV list (name, version, purl and a
 * fourth column) and comparing a parsed package with one. */
#ifndef VIGIL_TESTS_LANG_FIXTURE_H
#define VIGIL_TESTS_LANG_FIXTURE_H

#include "helpers.h"
#include "scanner/lang/lang.h"
#include "util/slice.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct lang_row {
	vigil_slice name, version, purl, extra;
};

/* Rows of the list at rel (comments and the header skipped), at most max;
 * *data owns the bytes (free() it). */
static size_t lang_rows(const char *rel, struct lang_row *rows, size_t max, char **data)
{
	size_t len, n = 0;
	vigil_slice in, line;
	*data = th_read_file(th_data_path(rel), &len);
	if (!*data)
		fail_msg("cannot read %s", rel);
	in = vigil_slice_make(*data, len);
	while (vigil_slice_next_line(&in, &line)) {
		vigil_slice f[4] = { { 0 } }, rest = line;
		if (line.len == 0 || line.ptr[0] == '#' || vigil_slice_starts_with(line, "name\t"))
			continue;
		for (int i = 0; i < 4; i++)
			vigil_slice_split(rest, '\t', &f[i], &rest);
		if (n == max)
			fail_msg("%s: more than %zu rows", rel, max);
		rows[n++] = (struct lang_row){ f[0], f[1], f[2], f[3] };
	}
	return n;
}

/* p equals row (the name case-insensitively when ci: syft lower-cases it). */
static void lang_eq(const vigil_package *p, const struct lang_row *r, bool ci, const char *where)
{
	bool name_ok = strlen(p->name) == r->name.len &&
		       (ci ? strncasecmp(p->name, r->name.ptr, r->name.len) == 0
			   : memcmp(p->name, r->name.ptr, r->name.len) == 0);
	if (!name_ok || !vigil_slice_eq_cstr(r->version, p->version) ||
	    !vigil_slice_eq_cstr(r->purl, p->purl))
		fail_msg("%s: got %s %s %s, want %.*s %.*s %.*s", where, p->name, p->version,
			 p->purl, (int)r->name.len, r->name.ptr, (int)r->version.len,
			 r->version.ptr, (int)r->purl.len, r->purl.ptr);
}

#endif
