/* fuzz/fuzz_rpm_header.c: runs scan_rpm_header_parse() on one header blob with the fuzzer's bytes (arena, strings
 * and context set up and freed each run). */
#include "scanner/scanner.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static void ignore_warning(void *ud, const char *msg)
{
	(void)ud;
	(void)msg;
}

static int count_file(void *ud, vigil_pkg_type type, const char *pkg, vigil_slice path)
{
	/* reads every byte handed over (a dangling path is caught) */
	volatile size_t n = strlen(pkg) + (size_t)type;
	for (size_t i = 0; i < path.len; i++)
		n += (unsigned char)path.ptr[i];
	(void)n;
	(void)ud;
	return 0;
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
	vigil_scan_ctx ctx = { .arena = arena, .strings = strings, .path = "fuzz",
			       .warn = ignore_warning, .file = count_file };
	vigil_package p;
	(void)scan_rpm_header_parse(&ctx, data, size, &p);
	vigil_intern_free(strings);
	vigil_arena_free(arena);
	return 0;
}
