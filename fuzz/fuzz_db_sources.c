/* fuzz/fuzz_db_sources.c: runs the sources file parser of `vigil db
 * update` (db/sources.c) on arbitrary bytes over the built-in catalog, then
 * checks what it built: every URL http(s), every file name safe and unique
 * within its feed; the same bytes also go to the NVD page reader and, split
 * at the first newline, to a NAME=URL override. */
#include "db/fetch.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void check(vigil_sources *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const vigil_source *src = &s->v[i];
		if (!db_source_name_ok(src->name, strlen(src->name)))
			abort(); /* fuzz oracles, not library code */
		for (size_t k = 0; k < src->nurls; k++) {
			const char *u = src->urls[k].url, *f = src->urls[k].file;
			if (strncasecmp(u, "http://", 7) != 0 && strncasecmp(u, "https://", 8) != 0)
				abort();
			if (!db_source_file_ok(f, strlen(f)) || strchr(f, '/'))
				abort();
			for (size_t m = 0; m < k; m++)
				if (!strcmp(f, src->urls[m].file))
					abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vigil_sources s;
	int64_t a, b, c;
	if (db_sources_default(&s) < 0)
		return 0;
	db_sources_parse_config(&s, (const char *)data, size, "fuzz.conf");
	check(&s);
	const uint8_t *nl = memchr(data, '\n', size);
	size_t first = nl ? (size_t)(nl - data) : size;
	char *line = malloc(first + 1);
	if (line) {
		memcpy(line, data, first);
		line[first] = '\0';
		db_sources_new_layer(&s);
		db_sources_override(&s, line);
		check(&s);
		free(line);
	}
	db_sources_free(&s);
	db_nvd_page_info((const char *)data, size, &a, &b, &c);
	return 0;
}
