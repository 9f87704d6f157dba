/* fuzz/rpm_harness.h: what the rpm database fuzz targets share: run
 * scan_rpmdb_parse() of one kind on the bytes, arena, strings and context
 * set up and freed each run. */
#ifndef VIGIL_FUZZ_RPM_HARNESS_H
#define VIGIL_FUZZ_RPM_HARNESS_H

#include "scan_callbacks.h"
#include "scanner/scanner.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static int rh_run(vigil_rpmdb_kind kind, const uint8_t *data, size_t size)
{
	vigil_arena *arena = vigil_arena_new(64 * 1024 * 1024);
	vigil_intern *strings = arena ? vigil_intern_new(arena) : NULL;
	if (strings) {
		vigil_scan_ctx ctx = { .arena = arena, .strings = strings, .path = "fuzz",
				       .warn = fz_ignore_warning, .file = fz_count_file };
		vigil_pkg_list l = { 0 };
		(void)scan_rpmdb_parse(&ctx, kind, data, size, &l);
		scan_pkg_list_free(&l);
	}
	vigil_intern_free(strings);
	vigil_arena_free(arena);
	return 0;
}

#endif
