/* report/tmpl.h: a Mustache template engine (mustache.github.io, the spec's
 * interpolation, sections, inverted sections and comments) over a jansson
 * value, for `vigil scan --format template`. Logic-less on purpose: what a
 * report needs (counts, lists, flags) is in the data model (template.c).
 *
 *   tmpl *t;
 *   if (tmpl_compile(text, len, "my.tpl", &t) < 0) ... "my.tpl:3:7: unclosed section 'findings'"
 *   tmpl_render(t, data, &out, &outlen);
 *
 * Differences from the spec, all documented in docs/scan.md: partials
 * ({{> x}}) and delimiter changes ({{=<% %>=}}) are refused with an error;
 * an empty string is falsy in a section (as in most implementations);
 * {{x}} escapes for HTML only with TMPL_HTML, since reports are mostly
 * text: {{{x}}} and {{&x}} are always raw. */
#ifndef VIGIL_REPORT_TMPL_H
#define VIGIL_REPORT_TMPL_H

#include <jansson.h>
#include <stddef.h>

#define TMPL_MAX_SIZE   (1024 * 1024)         /* bytes of a template */
#define TMPL_MAX_TAGS   65536                 /* tags of a template */
#define TMPL_MAX_DEPTH  32                    /* nested sections */
#define TMPL_MAX_NAME   256                   /* bytes of a tag's name */
#define TMPL_MAX_OUTPUT ((size_t)256 << 20)   /* bytes rendered */

#define TMPL_HTML 0x1 /* {{x}} escapes & < > " ' */

typedef struct tmpl tmpl;

/* VIGIL_EFORMAT "NAME:LINE:COL: what" on a syntax error, VIGIL_ELIMIT past
 * the limits. */
int tmpl_compile(const char *text, size_t len, const char *name, unsigned flags, tmpl **out);
/* Renders t over data into *out (malloc'd, NUL-terminated). VIGIL_ELIMIT
 * when the output passes TMPL_MAX_OUTPUT. */
int tmpl_render(const tmpl *t, json_t *data, char **out, size_t *len);
void tmpl_free(tmpl *t);

#endif
