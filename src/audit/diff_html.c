/* audit/diff_html.c: vigil diff's HTML page, in the style of the
 * vulnerability report (src/report/html.c): one self-contained file whose
 * Content Security Policy allows nothing but its own inline style and
 * script (by their SHA-256); the diff JSON is embedded with '<', '>' and
 * '&' escaped, and drawn by diff.js with textContent only. The skeleton,
 * script and style are src/report/html_assets/diff.{html,js,css} (plus
 * report.css), embedded at build time by cmake/html_assets.cmake. */
#include "audit/diff_priv.h"

#include "diff_html_assets.h" /* generated: diff_page, diff_report_css, diff_css, diff_js */
#include "util/base64.h"
#include "util/buf.h"
#include "util/html.h"
#include "util/error.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIFF_HTML_MAX ((size_t)1 << 30)

static int put_data(vigil_buf *b, const vigil_diff_report *r)
{
	json_t *j = diff_report_json(r);
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	int rc = 0;
	json_decref(j);
	if (!s)
		return vigil_error_oom();
	size_t len = strlen(s);
	rc = vigil_html_put_json(b, s, len);
	free(s);
	return rc;
}

static const char *const markers[] = { "@VIGIL_CSP@", "@VIGIL_STYLE@", "@VIGIL_DATA@", "@VIGIL_SCRIPT@" };

static int put_marker(vigil_buf *b, size_t which, const vigil_diff_report *r, const vigil_buf *style)
{
	char js[128], css[128];
	int rc;
	switch (which) {
	case 0:
		if ((rc = vigil_html_csp_hash(diff_js, diff_js_LEN, js, sizeof(js))) < 0 ||
		    (rc = vigil_html_csp_hash(style->data, style->len, css, sizeof(css))) < 0)
			return rc;
		return vigil_buf_printf(b, "default-src 'none'; script-src %s; style-src %s; img-src data:; "
					"base-uri 'none'; form-action 'none'", js, css);
	case 1:
		return vigil_buf_append(b, style->data, style->len);
	case 2:
		return put_data(b, r);
	default:
		return vigil_buf_append(b, diff_js, diff_js_LEN);
	}
}

int diff_render_html(const vigil_diff_report *r, char **out, size_t *len)
{
	const char *p = diff_page, *end = diff_page + diff_page_LEN;
	vigil_buf b, style;
	int rc = 0;
	vigil_buf_init(&b, DIFF_HTML_MAX);
	vigil_buf_init(&style, DIFF_HTML_MAX);
	if ((rc = vigil_buf_append(&style, diff_report_css, diff_report_css_LEN)) < 0 ||
	    (rc = vigil_buf_append(&style, diff_css, diff_css_LEN)) < 0)
		goto out;
	while (rc == 0 && p < end) {
		const char *m = strstr(p, "@VIGIL_");
		size_t k = 0;
		if (!m) {
			rc = vigil_buf_append(&b, p, (size_t)(end - p));
			break;
		}
		while (k < 4 && strncmp(m, markers[k], strlen(markers[k])))
			k++;
		if (k == 4) {
			rc = vigil_error_set(VIGIL_ERROR, "diff html: unknown marker in diff.html at byte %zu",
					     (size_t)(m - diff_page));
			break;
		}
		if ((rc = vigil_buf_append(&b, p, (size_t)(m - p))) == 0)
			rc = put_marker(&b, k, r, &style);
		p = m + strlen(markers[k]);
	}
	if (rc == VIGIL_ELIMIT)
		rc = vigil_error_set(VIGIL_ELIMIT, "diff html: the page exceeds %zu bytes", DIFF_HTML_MAX);
	if (rc == 0 && !(*out = vigil_buf_detach(&b, len)))
		rc = vigil_error_oom();
out:
	vigil_buf_free(&b);
	vigil_buf_free(&style);
	return rc;
}
