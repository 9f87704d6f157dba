/* fuzz/rpm_harness.h: what the rpm database fuzz targets share: run
 * scan_rpmdb_parse() of one kind on the bytes, arena, strings and context
 * set up and freed each run. */
#ifndef VIGIL_FUZZ_RPM_HARNESS_H
#define VIGIL_FUZZ_RPM_HARNESS_H

#include "scanner/scanner.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static void rh_ignore_warning(void *ud, const char *msg)
{
	(void)ud;
	(void)msg;
}

static int rh_count_file(void *ud, vigil_pkg_type type, const char *pkg, vigil_slice path)
{
	/* reads every byte handed over (a dangling path is caught) */
	volatile size_t n = strlen(pkg) + (size_t)type;
	for (size_t i = 0; i < path.len; i++)
		n += (unsigned char)path.ptr[i];
	(void)n;
	(void)ud;
	return 0;
}

static int rh_run(vigil_rpmdb_kind kind, const uint8_t *data, size_t size)
{
	vigil_arena *arena = vigil_arena_new(64 * 1024 * 1024);
	vigil_intern *strings = arena ? vigil_intern_new(arena) : NULL;
	if (strings) {
		vigil_scan_ctx ctx = { .arena = arena, .strings = strings, .path = "fuzz",
				       .warn = rh_ignore_warning, .file = rh_count_file };
		vigil_pkg_list l = { 0 };
		(void)scan_rpmdb_parse(&ctx, kind, data, size, &l);
		scan_pkg_list_free(&l);
	}
	vigil_intern_free(strings);
	vigil_arena_free(arena);
	return 0;
}

#endif
