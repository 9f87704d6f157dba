/* vigil/report.h: every output format of a scan or an inventory, behind
 * one call. A writer renders into memory (so a failure leaves nothing
 * half-written); the caller writes the bytes where they go.
 *
 *   vigil_report_input in = { .index = ir, .vulns = vr, .image = "alpine:3.19" };
 *   vigil_report_options o;
 *   vigil_report_options_init(&o);
 *   vigil_report_format f;
 *   char *out; size_t len;
 *   if (vigil_report_format_parse("sarif", &f) == 0 &&
 *       vigil_report_render(&in, f, &o, &out, &len) == 0) fwrite(out, 1, len, stdout);
 *
 * Inventory formats (CycloneDX, SPDX) work without vulnerability data
 * (vulns NULL: `vigil sbom`); the others need it. docs/scan.md shows each. */
#ifndef VIGIL_REPORT_H
#define VIGIL_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/common.h"
#include "vigil/index.h"
#include "vigil/match.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vigil_report_format {
	VIGIL_FMT_TABLE = 0,  /* the terminal table (report/vuln_table.c) */
	VIGIL_FMT_CLAIR,      /* Clair v4's VulnerabilityReport ("json") */
	VIGIL_FMT_FLAT,       /* one object per finding, for scripts ("flat") */
	VIGIL_FMT_SARIF,      /* SARIF 2.1.0 as GitHub code scanning reads it */
	VIGIL_FMT_CYCLONEDX,  /* CycloneDX 1.6 JSON: components, and vulnerabilities when known */
	VIGIL_FMT_SPDX,       /* SPDX 2.3 JSON */
	VIGIL_FMT_HTML,       /* one self-contained page */
	VIGIL_FMT_JUNIT,      /* JUnit XML */
	VIGIL_FMT_GITLAB,     /* GitLab container scanning report JSON */
	VIGIL_FMT_TEMPLATE,   /* the user's template (options.template_path) */
	VIGIL_FMT_COUNT
} vigil_report_format;

/* "table", "json" (= "clair"), "flat", "sarif", "cyclonedx", "spdx"
 * (= "spdx-json"), "html", "junit", "gitlab", "template"; VIGIL_EINVAL
 * naming the known ones otherwise. */
VIGIL_EXTERN(int) vigil_report_format_parse(const char *name, vigil_report_format *out);
VIGIL_EXTERN(const char *) vigil_report_format_name(vigil_report_format f);
/* The media type a server answers with ("application/sarif+json"). */
VIGIL_EXTERN(const char *) vigil_report_format_media_type(vigil_report_format f);
/* 1 when the format can be written from an inventory alone (vulns NULL). */
VIGIL_EXTERN(int) vigil_report_format_inventory(vigil_report_format f);

typedef struct vigil_report_input {
	const vigil_index_report *index; /* required */
	const vigil_vuln_report *vulns;  /* NULL: inventory only */
	const char *image;               /* the reference as the user gave it; NULL: index->image */
	const char *audit_json;          /* HTML: the audit report's JSON (vigil/audit.h), drawn in a
	                                    section of its own (vigil scan --scanners); NULL: none */
} vigil_report_input;

typedef struct vigil_report_options {
	int color;                   /* table: severity colours */
	int pretty;                  /* JSON formats: indented (default 1) */
	const char *template_path;   /* VIGIL_FMT_TEMPLATE: the template file */
	const char *template_text;   /* ... or its text (wins over the path) */
	int64_t now;                 /* the document's timestamp (unix time; 0: the clock) */
	const char *tool_name;       /* "vigil" by default */
} vigil_report_options;

VIGIL_EXTERN(void) vigil_report_options_init(vigil_report_options *o);

/* Renders in as format f into *out (malloc'd, *len bytes, NUL-terminated).
 * VIGIL_EINVAL when the format needs vulnerability data and in->vulns is
 * NULL, or the template is missing; VIGIL_EFORMAT for a template with a
 * syntax error (naming the file, line and column). */
VIGIL_EXTERN(int) vigil_report_render(const vigil_report_input *in, vigil_report_format f,
				     const vigil_report_options *o, char **out, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
