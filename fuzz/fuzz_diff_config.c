/* fuzz/fuzz_diff_config.c: vigil diff's comparison of two image configs
 * (audit/diff_config.c) on arbitrary bytes: the input is two JSON texts
 * separated by the first NUL byte (no NUL: the same text twice); each is
 * parsed as the walk parses an image config (jansson), compared, and the
 * report rendered as JSON, table and HTML. */
#include "audit/diff_priv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t la = nul ? (size_t)(nul - data) : size;
	const char *b = nul ? (const char *)nul + 1 : (const char *)data;
	size_t lb = nul ? size - la - 1 : size;
	json_t *ja = json_loadb((const char *)data, la, 0, NULL), *jb = json_loadb(b, lb, 0, NULL);
	vigil_diff_report *r = NULL;
	if (diff_report_new(&r) == 0 && diff_config(r, ja, jb) == 0) {
		static const vigil_report_format f[] = { VIGIL_FMT_CLAIR, VIGIL_FMT_TABLE, VIGIL_FMT_HTML };
		for (size_t i = 0; i < 3; i++) {
			char *out = NULL;
			size_t len;
			if (vigil_diff_render(r, f[i], NULL, &out, &len) == 0)
				free(out);
		}
	}
	vigil_diff_report_free(r);
	json_decref(ja);
	json_decref(jb);
	return 0;
}
