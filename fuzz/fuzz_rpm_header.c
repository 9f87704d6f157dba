/* fuzz/fuzz_rpm_header.c: runs scan_rpm_header_parse() on one header blob with the fuzzer's bytes (arena, strings
 * and context set up and freed each run). */
#include "scan_callbacks.h"
#include "scanner/scanner.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
			       .warn = fz_ignore_warning, .file = fz_count_file };
	vigil_package p;
	(void)scan_rpm_header_parse(&ctx, data, size, &p);
	vigil_intern_free(strings);
	vigil_arena_free(arena);
	return 0;
}
