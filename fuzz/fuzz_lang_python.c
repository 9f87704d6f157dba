/* fuzz/fuzz_lang_python.c: runs scan_lang_python_parse() on arbitrary bytes
 * (a *.dist-info/METADATA or *.egg-info/PKG-INFO). */
#include "scanner/lang/lang.h"

#include <stdint.h>
#include <string.h>

static void no_warn(void *ud, const char *msg)
{
	(void)ud;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vigil_pkg_list list = { 0 };
	vigil_arena *arena = vigil_arena_new(64 * 1024 * 1024);
	vigil_intern *strings = arena ? vigil_intern_new(arena) : NULL;
	if (strings) {
		vigil_scan_ctx ctx = { .arena = arena, .strings = strings,
				       .path = "usr/lib/python3/dist-packages/x.dist-info/METADATA", .warn = no_warn };
		if (scan_lang_python_parse(&ctx, (const char *)data, size, &list) == 0) {
			volatile size_t n = 0;
			for (size_t i = 0; i < list.len; i++) {
				const vigil_package *p = &list.items[i];
				n += strlen(p->name) + strlen(p->version) + strlen(p->purl);
			}
			(void)n;
		}
	}
	scan_pkg_list_free(&list);
	vigil_intern_free(strings);
	vigil_arena_free(arena);
	return 0;
}
