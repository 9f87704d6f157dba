/* feed/osv_go.c: the vulnerable symbols Go vulndb records name
 * (affected[].ecosystem_specific.imports[] {path, symbols[]}), kept as
 * "golang.org/x/net/html.Parse" lines so that a Go finding can name the
 * functions that carry the bug (docs/feeds-alpine-osv-nvd.md). One capped
 * buffer; entries that are not strings are skipped (other databases use
 * ecosystem_specific for other things). */
#include "feed/osv_go.h"
#include "util/buf.h"
#include "util/error.h"

int feed_osv_go_symbols(vigil_feed_ctx *ctx, json_t *a, const char **out, bool *dropped)
{
	json_t *imports = json_object_get(json_object_get(a, "ecosystem_specific"), "imports"), *imp;
	vigil_buf b;
	size_t i, count = 0;
	int rc = 0;
	*out = NULL;
	*dropped = false;
	if (!json_is_array(imports))
		return 0;
	vigil_buf_init(&b, (size_t)FEED_OSV_MAX_SYMBOLS * 256);
	json_array_foreach(imports, i, imp) {
		json_t *path = json_object_get(imp, "path"), *syms = json_object_get(imp, "symbols"), *sym;
		size_t k;
		if (!json_is_string(path) || !json_is_array(syms))
			continue;
		json_array_foreach(syms, k, sym) {
			if (!json_is_string(sym) || json_string_length(sym) == 0)
				continue;
			if (count++ == FEED_OSV_MAX_SYMBOLS) {
				*dropped = true;
				goto done;
			}
			if ((count > 1 && (rc = vigil_buf_putc(&b, '\n')) < 0) ||
			    (rc = vigil_buf_puts(&b, json_string_value(path))) < 0 || (rc = vigil_buf_putc(&b, '.')) < 0 ||
			    (rc = vigil_buf_puts(&b, json_string_value(sym))) < 0)
				goto out;
		}
	}
done:
	if (b.len && !(*out = feed_str(ctx, b.data, b.len)))
		rc = vigil_error_code();
out:
	if (rc == VIGIL_ELIMIT)
		rc = vigil_error_set(rc, "ecosystem_specific.imports: symbols longer than %zu bytes", b.max);
	vigil_buf_free(&b);
	return rc;
}
