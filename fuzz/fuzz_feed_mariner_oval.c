/* fuzz/fuzz_feed_mariner_oval.c: feed_mariner_oval() on arbitrary bytes (an
 * Azure Linux / CBL-Mariner OVAL document). The parser takes the release
 * from the file name, so the first byte picks the name the document is
 * read under (an upstream name of each family; 4 and above: the harness's
 * "fuzz", which it must refuse);
 * every field of every emitted record is read back (fuzz/feed_harness.h). */
#include "feed/vendors.h"
#include "feed_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "cbl-mariner-2.0-oval.xml", "azurelinux-3.0-oval.xml",
					     "cbl-mariner-1.0-oval.xml", "/m/cbl-mariner-2.0-preview-oval.xml" };
	volatile size_t n = 0;
	if (size == 0)
		return 0;
	if (data[0] >= sizeof(names) / sizeof(names[0])) /* the harness's name "fuzz": refused */
		return fh_run(feed_mariner_oval, data + 1, size - 1, 0);
	vigil_arena *arena = vigil_arena_new(64 * 1024 * 1024);
	vigil_intern *strings = arena ? vigil_intern_new(arena) : NULL;
	if (strings) {
		vigil_feed_ctx ctx = { .arena = arena, .strings = strings,
				       .file = names[data[0]],
				       .emit = fh_touch, .emit_ud = (void *)&n, .warn = fh_no_warn };
		feed_mariner_oval(&ctx, (const char *)data + 1, size - 1);
		(void)feed_mariner_sniff(ctx.file, (const char *)data + 1, size - 1);
	}
	vigil_intern_free(strings);
	vigil_arena_free(arena);
	return 0;
}
