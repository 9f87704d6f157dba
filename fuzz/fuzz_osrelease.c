/* fuzz/fuzz_osrelease.c: runs scan_release_parse() on arbitrary bytes. The
 * first byte picks the kind of release file (os-release, lsb-release,
 * debian_version, alpine-release, redhat-release, system-release), the rest
 * is the file. */
#include "scanner/scanner.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vigil_distribution d;
	if (size < 1)
		return 0;
	vigil_arena *arena = vigil_arena_new(16 * 1024 * 1024);
	vigil_intern *strings = arena ? vigil_intern_new(arena) : NULL;
	if (strings) {
		vigil_scan_ctx ctx = { .arena = arena, .strings = strings, .path = "etc/os-release" };
		vigil_release_kind kind = (vigil_release_kind)(data[0] % 6);
		if (scan_release_parse(&ctx, kind, (const char *)data + 1, size - 1, &d) == 0) {
			/* touch every string: they must be NUL-terminated */
			const char *f[] = { d.did, d.name, d.version, d.version_id, d.version_code_name,
					    d.id_like, d.pretty_name, d.cpe, d.source_file };
			volatile size_t n = 0;
			for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
				n += f[i] ? strlen(f[i]) : 0;
			(void)n;
		}
	}
	vigil_intern_free(strings);
	vigil_arena_free(arena);
	return 0;
}
