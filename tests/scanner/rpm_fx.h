/* tests/scanner/rpm_fx.h: what the rpm database tests share: the
 * fixture, parsing a file of the shared data with one reader, finding a
 * package by name. */
#ifndef VIGIL_TESTS_RPM_FX_H
#define VIGIL_TESTS_RPM_FX_H

#include "helpers.h"
#include "scan_fixture.h"
#include "scanner/scanner.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* ---- context ---- */

static int setup(void **state)
{
	return scan_fx_setup(state, "var/lib/rpm/Packages");
}

__attribute__((unused)) static int parse_file(struct scan_fx *f, vigil_rpmdb_kind kind, const char *rel)
{
	size_t len;
	char *data = th_read_file(th_data_path(rel), &len);
	assert_non_null(data);
	f->list.len = 0;
	int rc = scan_rpmdb_parse(&f->ctx, kind, (const uint8_t *)data, len, &f->list);
	if (rc < 0)
		printf("%s: %s\n", rel, vigil_error_message());
	free(data);
	return rc;
}

__attribute__((unused)) static const vigil_package *find(const struct scan_fx *f, const char *name)
{
	for (size_t i = 0; i < f->list.len; i++)
		if (strcmp(f->list.items[i].name, name) == 0)
			return &f->list.items[i];
	return NULL;
}
#endif
