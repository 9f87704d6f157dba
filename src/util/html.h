/* util/html.h: what vigil's self-contained HTML pages share (the scan
 * report, report/html.c; the image diff, audit/diff_html.c): the page's
 * JSON data made inert inside a <script> element, and the Content Security
 * Policy source that allows one inline script or style by its hash. */
#ifndef VIGIL_UTIL_HTML_H
#define VIGIL_UTIL_HTML_H

#include <stddef.h>

#include "util/buf.h"

/* Appends JSON text s[0..len) with '<', '>' and '&' written as \u003c,
 * \u003e, \u0026 (the same JSON value; nothing the HTML parser reads as
 * markup). 0 or the buffer's error. */
int vigil_html_put_json(vigil_buf *b, const char *s, size_t len);

/* "'sha256-BASE64'" of p[0..n) into out (outn bytes; 64 is enough). */
int vigil_html_csp_hash(const char *p, size_t n, char *out, size_t outn);

#endif
