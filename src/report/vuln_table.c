/* report/vuln_table.c: a vulnerability report as a text table for people
 * (and grep), grouped by package:
 *
 *   libssl1.1 1.1.1d-0+deb10u6
 *     CVE-2021-3711  Critical    1.1.1d-0+deb10u7  9.8  SM2 decryption buffer overflow
 *     CVE-2021-3449  Medium      (not fixed)       5.9  NULL pointer deref in signature_algorithms
 *
 *   2 vulnerabilities in 1 package: Critical 1, High 0, Medium 1, Low 0, Negligible 0, Unknown 0 (1 fixable)
 *   filtered out: 3 (1 ignored)
 *
 * A language package's line names its type ("requests 2.28.1 (pypi)"); a
 * Go finding that names vulnerable symbols gets a "symbols:" line.
 *
 * Columns are as wide as the widest value of the report (within caps), so
 * they line up across packages. Every string from a feed is cleaned of
 * control characters (no escape sequence of a feed reaches the terminal);
 * colour escapes around the severity only when asked for. */
#include "util/buf.h"
#include "util/error.h"
#include "util/utf8.h"
#include "vigil/match.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_MAX_ID     24  /* id column: wider ids overflow it */
#define TABLE_MAX_FIXED  32  /* fixed-version column */
#define TABLE_MAX_TITLE  60  /* characters of a title before "..." */
#define TABLE_MAX_FIELD  256 /* characters of any other value */
#define TABLE_SEV_WIDTH  10  /* "Negligible" */
#define TABLE_MAX_SYMBOLS 8  /* Go symbols listed under a finding */
#define TABLE_MAX_SEEN   ((size_t)1 << 24) /* package indexes counted exactly */

static const char *const sev_colors[] = {
	"\033[2m",    /* Unknown: dim */
	"\033[2m",    /* Negligible: dim */
	"\033[36m",   /* Low: cyan */
	"\033[33m",   /* Medium: yellow */
	"\033[31m",   /* High: red */
	"\033[1;91m", /* Critical: bold bright red */
};
#define COLOR_RESET "\033[0m"

/* Appends s to b: control characters and runs of white space become one
 * space (none at the ends), an invalid UTF-8 byte '?'; past max characters
 * (max >= 4) it is cut to max - 3 and "..." ends it. */
static void put_clean(vigil_buf *b, const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0, i = 0, chars = 0, cut = b->len;
	bool space = false;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t len = 1;
		bool bad = false;
		if (c < 0x20 || c == 0x7f || c == ' ') {
			space = true;
			i++;
			continue;
		}
		if (c >= 0x80) {
			size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
			if (n - i >= want && vigil_utf8_prefix(s + i, want) == want)
				len = want;
			else
				bad = true;
		}
		for (int k = space && chars ? 0 : 1; k < 2; k++) {
			/* k == 0: the space before this character; k == 1: the character */
			if (chars == max - 3)
				cut = b->len;
			if (chars == max) {
				b->len = cut;
				b->data[cut] = '\0';
				vigil_buf_puts(b, "...");
				return;
			}
			if (k == 0)
				vigil_buf_putc(b, ' ');
			else if (bad)
				vigil_buf_putc(b, '?');
			else
				vigil_buf_append(b, s + i, len);
			chars++;
		}
		space = false;
		i += len;
	}
}

/* Width in characters of s once cleaned (capped at max). */
static size_t clean_width(const char *s, size_t max)
{
	vigil_buf b;
	size_t w = 0;
	vigil_buf_init(&b, 4096);
	put_clean(&b, s, max);
	for (size_t i = 0; i < b.len; i++)
		w += ((unsigned char)b.data[i] & 0xC0) != 0x80;
	vigil_buf_free(&b);
	return w;
}

static void pad(vigil_buf *b, size_t have, size_t want)
{
	while (have++ < want)
		vigil_buf_putc(b, ' ');
}

static const char *fixed_text(const vigil_finding *f)
{
	if (f->fixed)
		return f->fixed;
	return f->state == VIGIL_STATE_WILL_NOT_FIX ? "(will not fix)" : "(not fixed)";
}

/* The short title: the summary, else the description's first line. */
static const char *title_of(const vigil_finding *f, vigil_buf *tmp)
{
	const char *d = f->summary && *f->summary ? f->summary : f->description;
	const char *nl;
	if (!d)
		return "";
	while (*d == '\n' || *d == ' ')
		d++;
	if (!(nl = strchr(d, '\n')))
		return d;
	vigil_buf_reset(tmp);
	vigil_buf_append(tmp, d, (size_t)(nl - d));
	return vigil_buf_cstr(tmp);
}

static const vigil_package *package_of(const vigil_vuln_report *r, const vigil_finding *f)
{
	if (f->package)
		return f->package;
	if (r->index && f->package_index < r->index->package_count)
		return &r->index->packages[f->package_index];
	return NULL;
}

static void put_line(FILE *out, vigil_buf *line)
{
	while (line->len && line->data[line->len - 1] == ' ')
		line->data[--line->len] = '\0';
	vigil_buf_putc(line, '\n');
	fwrite(line->data, 1, line->len, out);
	vigil_buf_reset(line);
}

/* "    symbols: html.Parse, html.ParseFragment" under the id, at most
 * TABLE_MAX_SYMBOLS of them ("... and N more"). */
static void put_symbols(vigil_buf *line, FILE *out, const vigil_finding *f)
{
	vigil_buf_puts(line, "    symbols: ");
	for (size_t k = 0; k < f->nsymbols && k < TABLE_MAX_SYMBOLS; k++) {
		if (k)
			vigil_buf_puts(line, ", ");
		put_clean(line, f->symbols[k], TABLE_MAX_FIELD);
	}
	if (f->nsymbols > TABLE_MAX_SYMBOLS)
		vigil_buf_printf(line, " ... and %zu more", f->nsymbols - TABLE_MAX_SYMBOLS);
	put_line(out, line);
}

/* The findings an ignore rule or a VEX statement removed, with why: they
 * are shown, never silently dropped. */
static void put_suppressed(const vigil_vuln_report *r, FILE *out, vigil_buf *line)
{
	if (!r->suppressed_count)
		return;
	fprintf(out, "\nsuppressed: %zu\n", r->suppressed_count);
	for (size_t i = 0; i < r->suppressed_count; i++) {
		const vigil_suppression *s = &r->suppressed[i];
		const vigil_package *p = s->finding.package;
		vigil_buf_puts(line, "  ");
		put_clean(line, s->finding.id, TABLE_MAX_FIELD);
		vigil_buf_putc(line, ' ');
		put_clean(line, p ? p->name : "?", TABLE_MAX_FIELD);
		vigil_buf_putc(line, ' ');
		put_clean(line, p ? p->version : "?", TABLE_MAX_FIELD);
		vigil_buf_puts(line, "  ");
		put_clean(line, s->status, TABLE_MAX_FIELD);
		if (s->justification) {
			vigil_buf_puts(line, ": ");
			put_clean(line, s->justification, TABLE_MAX_TITLE);
		}
		if (s->by) {
			vigil_buf_puts(line, " (");
			put_clean(line, s->by, TABLE_MAX_FIELD);
			vigil_buf_putc(line, ')');
		}
		put_line(out, line);
	}
}

int vigil_vuln_report_table(const vigil_vuln_report *r, FILE *out, int color)
{
	size_t idw = 0, fixw = 0, counts[VIGIL_SEV_CRITICAL + 1] = { 0 }, fixable = 0, npkgs = 0;
	size_t maxidx = 0;
	unsigned char *seen = NULL;
	vigil_buf line, tmp;
	int rc = 0;

	if (!r || !out)
		return vigil_error_set(VIGIL_EINVAL, "table: no report or no stream");
	for (size_t i = 0; i < r->finding_count; i++) {
		const vigil_finding *f = &r->findings[i];
		size_t w = clean_width(f->id, TABLE_MAX_FIELD);
		idw = w > idw ? w : idw;
		w = clean_width(fixed_text(f), TABLE_MAX_FIELD);
		fixw = w > fixw ? w : fixw;
		maxidx = f->package_index > maxidx ? f->package_index : maxidx;
	}
	idw = idw > TABLE_MAX_ID ? TABLE_MAX_ID : idw;
	fixw = fixw > TABLE_MAX_FIXED ? TABLE_MAX_FIXED : fixw;
	/* packages are counted once each even if findings come unsorted */
	if (r->finding_count && maxidx < TABLE_MAX_SEEN && !(seen = calloc(maxidx + 1, 1)))
		return vigil_error_oom();
	vigil_buf_init(&line, 64 * 1024);
	vigil_buf_init(&tmp, 1024 * 1024);
	for (size_t i = 0; i < r->finding_count; i++) {
		const vigil_finding *f = &r->findings[i];
		unsigned sev = (unsigned)f->severity <= VIGIL_SEV_CRITICAL ? (unsigned)f->severity : 0;
		if (i == 0 || f->package_index != r->findings[i - 1].package_index ||
		    f->package != r->findings[i - 1].package) {
			const vigil_package *p = package_of(r, f);
			if (i > 0)
				fputc('\n', out);
			put_clean(&line, p ? p->name : "?", TABLE_MAX_FIELD);
			vigil_buf_putc(&line, ' ');
			put_clean(&line, p ? p->version : "?", TABLE_MAX_FIELD);
			if (p && vigil_pkg_type_is_lang(p->type)) {
				/* the file tells two copies of one library apart */
				vigil_buf_printf(&line, " (%s)", vigil_pkg_type_name(p->type));
				if (p->package_db) {
					vigil_buf_puts(&line, " in ");
					put_clean(&line, p->package_db, TABLE_MAX_FIELD);
				}
			}
			put_line(out, &line);
		}
		if (!seen) {
			npkgs += i == 0 || f->package_index != r->findings[i - 1].package_index;
		} else if (!seen[f->package_index]) {
			seen[f->package_index] = 1;
			npkgs++;
		}
		counts[sev]++;
		fixable += f->fixed != NULL;
		vigil_buf_puts(&line, "  ");
		put_clean(&line, f->id, TABLE_MAX_FIELD);
		pad(&line, clean_width(f->id, TABLE_MAX_FIELD), idw);
		vigil_buf_puts(&line, "  ");
		if (color)
			vigil_buf_puts(&line, sev_colors[sev]);
		vigil_buf_puts(&line, vigil_severity_name((vigil_severity)sev));
		if (color)
			vigil_buf_puts(&line, COLOR_RESET);
		pad(&line, strlen(vigil_severity_name((vigil_severity)sev)), TABLE_SEV_WIDTH);
		vigil_buf_puts(&line, "  ");
		put_clean(&line, fixed_text(f), TABLE_MAX_FIELD);
		pad(&line, clean_width(fixed_text(f), TABLE_MAX_FIELD), fixw);
		if (f->cvss_score >= 0)
			vigil_buf_printf(&line, "  %4.1f  ", f->cvss_score);
		else
			vigil_buf_puts(&line, "     -  ");
		put_clean(&line, title_of(f, &tmp), TABLE_MAX_TITLE);
		put_line(out, &line);
		if (f->nsymbols) /* Go: the functions that carry the bug */
			put_symbols(&line, out, f);
	}
	if (r->finding_count)
		fputc('\n', out);
	fprintf(out, "%zu %s in %zu %s: Critical %zu, High %zu, Medium %zu, Low %zu, Negligible %zu, "
		"Unknown %zu (%zu fixable)\n",
		r->finding_count, r->finding_count == 1 ? "vulnerability" : "vulnerabilities", npkgs,
		npkgs == 1 ? "package" : "packages", counts[VIGIL_SEV_CRITICAL], counts[VIGIL_SEV_HIGH],
		counts[VIGIL_SEV_MEDIUM], counts[VIGIL_SEV_LOW], counts[VIGIL_SEV_NEGLIGIBLE],
		counts[VIGIL_SEV_UNKNOWN], fixable);
	if (r->filtered_out)
		fprintf(out, "filtered out: %zu (%zu ignored)\n", r->filtered_out, r->ignored);
	put_suppressed(r, out, &line);
	if (fflush(out) != 0 || ferror(out))
		rc = vigil_error_set(VIGIL_EIO, "writing the table failed");
	vigil_buf_free(&line);
	vigil_buf_free(&tmp);
	free(seen);
	return rc;
}
