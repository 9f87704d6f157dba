/* fuzz/fuzz_lang_gobin.c: the executable readers on arbitrary bytes: the
 * bytes as a whole file (format sniffing, ELF/Mach-O/PE headers), and the
 * bytes placed after a minimal ELF header at one of three offsets (so that
 * a Go build-info blob or a zlib stream in them is read from the start of
 * a chunk or across the 64 KiB chunk boundary), read as streams by
 * scan_lang_exe_parse(); then split at the first newline into a Go version
 * and a module-info text for scan_lang_gobin_modinfo(). */
#include "scanner/lang/gorust.h"
#include "util/stream.h"

#include <stdlib.h>
#include <string.h>

static void ignore(void *ud, const char *msg)
{
	(void)ud;
	(void)msg;
}

static void touch(const vigil_pkg_list *l)
{
	volatile size_t n = 0;
	for (size_t i = 0; i < l->len; i++)
		n += strlen(l->items[i].name) + strlen(l->items[i].version) +
		     strlen(l->items[i].purl);
	(void)n;
}

static void run_exe(vigil_scan_ctx *ctx, const uint8_t *p, size_t n)
{
	vigil_pkg_list list = { 0 };
	vigil_istream *in;
	if (vigil_istream_from_mem(p, n, &in) == 0) {
		if (scan_lang_exe_parse(ctx, in, n, &list) == 0)
			touch(&list);
		vigil_istream_close(in);
	}
	scan_pkg_list_free(&list);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t pads[3] = { 64, 65536 - 16, 65536 - 32 };
	vigil_arena *arena = vigil_arena_new(64 * 1024 * 1024);
	vigil_intern *strings = arena ? vigil_intern_new(arena) : NULL;
	uint8_t *file = NULL;
	if (!strings)
		goto out;
	vigil_scan_ctx ctx = { .arena = arena, .strings = strings, .path = "usr/bin/x",
			       .warn = ignore };
	run_exe(&ctx, data, size);
	size_t pad = pads[size ? data[0] % 3 : 0];
	if ((file = calloc(1, pad + size + 1)) != NULL) {
		/* ELF64 little-endian, no program headers */
		memcpy(file, "\177ELF\2\1\1", 7);
		memcpy(file + pad, data, size);
		run_exe(&ctx, file, pad + size);
	}
	const uint8_t *nl = size ? memchr(data, '\n', size) : NULL;
	if (nl) {
		vigil_pkg_list list = { 0 };
		size_t vl = (size_t)(nl - data);
		if (scan_lang_gobin_modinfo(&ctx, (vigil_slice){ (const char *)data, vl },
					    (vigil_slice){ (const char *)nl + 1, size - vl - 1 },
					    &list) == 0)
			touch(&list);
		scan_pkg_list_free(&list);
	}
out:
	free(file);
	vigil_intern_free(strings);
	vigil_arena_free(arena);
	return 0;
}
