/* fuzz/fuzz_rpm_file_digests.c: scan_rpm_header_parse() on one header blob
 * with ctx->file_detail set (scanner/rpm_header.c: FILEDIGESTS,
 * FILEDIGESTALGO, FILEFLAGS, FILEMODES, FILESTATES per file), every
 * detail read back. */
#include "scan_callbacks.h"
#include "scanner/scanner.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static int on_detail(void *ud, const char *pkg, const vigil_file_detail *d)
{
	volatile size_t n = strlen(pkg) + strlen(d->digest) + d->algo + d->flags + d->mode + (size_t)d->state;
	for (size_t i = 0; i < d->path.len; i++)
		n += (unsigned char)d->path.ptr[i];
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
			       .warn = fz_ignore_warning, .file_detail = on_detail };
	vigil_package p;
	(void)scan_rpm_header_parse(&ctx, data, size, &p);
	vigil_intern_free(strings);
	vigil_arena_free(arena);
	return 0;
}
