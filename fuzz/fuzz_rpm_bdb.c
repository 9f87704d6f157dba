/* fuzz/fuzz_rpm_bdb.c: runs vigil_rpmdb_parse() on a Berkeley DB hash Packages file with the fuzzer's bytes (arena, strings
 * and context set up and freed each run). */
#include "scanner/scanner.h"

#include <stddef.h>
#include <stdint.h>

static void ignore_warning(void *ud, const char *msg)
{
	(void)ud;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vigil_arena *arena = vigil_arena_new(64 * 1024 * 1024);
	vigil_intern *strings = arena ? vigil_intern_new(arena) : NULL;
	if (!strings) {
		vigil_arena_free(arena);
		return 0;
	}
	vigil_scan_ctx ctx = { arena, strings, NULL, "fuzz", ignore_warning, NULL };
	vigil_pkg_list l = { 0 };
	(void)vigil_rpmdb_parse(&ctx, VIGIL_RPMDB_BDB, data, size, &l);
	vigil_pkg_list_free(&l);
	vigil_intern_free(strings);
	vigil_arena_free(arena);
	return 0;
}
