/* fuzz/fuzz_tarwalk.c: the whole layer path on arbitrary bytes: layer
 * stream (plain, gzip or zstd as sniffed) -> tar walk, reading the data of
 * small entries and checking what every entry says of itself (a normalized
 * path: no "", no leading or trailing '/', no "." or ".." component).
 * Never a crash or leak; errors are fine. */
#include "layer/layer.h"
#include "util/error.h"

#include <stdint.h>
#include <string.h>

static int bad_path(const char *p, size_t n)
{
	if (n == 0 || strlen(p) != n || p[0] == '/' || p[n - 1] == '/')
		return 1;
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && p[j] != '/')
			j++;
		size_t c = j - i;
		if (c == 0 || (c == 1 && p[i] == '.') || (c == 2 && p[i] == '.' && p[i + 1] == '.'))
			return 1;
		i = j + 1;
	}
	return 0;
}

static int on_entry(void *ud, const vigil_tar_entry *e, vigil_tar_walk *w)
{
	vigil_buf *b = ud;
	if (bad_path(e->path, e->path_len) || e->size < 0 || e->size > VIGIL_TAR_MAX_ENTRY_SIZE)
		__builtin_trap();
	if (e->type == VIGIL_TAR_HARDLINK && (!e->link || bad_path(e->link, strlen(e->link))))
		__builtin_trap();
	if (e->type == VIGIL_TAR_SYMLINK && !e->link)
		__builtin_trap();
	if (e->type == VIGIL_TAR_FILE && (e->path_len & 1)) {
		int rc = layer_tar_read(w, b);
		if (rc == VIGIL_ELIMIT)
			return 0; /* too large: skipped */
		if (rc < 0)
			return rc;
		if (b->len > b->max)
			__builtin_trap();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vigil_istream *raw, *s;
	vigil_buf b;
	if (vigil_istream_from_mem(data, size, &raw) < 0)
		return 0;
	if (layer_stream_open(raw, "sha256", (size & 1) ? "sha256" : NULL, &s) < 0)
		return 0;
	vigil_buf_init(&b, 64 * 1024);
	(void)layer_tar_walk_stream(s, on_entry, &b);
	vigil_buf_free(&b);
	vigil_istream_close(s);
	return 0;
}
