/* cli/scan_audit.h: the audit part of `vigil scan --scanners` (scan_audit.c). */
#ifndef VIGIL_CLI_SCAN_AUDIT_H
#define VIGIL_CLI_SCAN_AUDIT_H

#include "cli.h"
#include "vigil/audit.h"

#define CLI_SCAN_MAX_RULES 32

typedef struct cli_scan_audit {
	bool given;              /* --scanners was given */
	bool vuln;               /* it names vuln (or was not given) */
	unsigned bits;           /* the audit scanners it names */
	const char *policy;      /* --policy */
	const char *rules[CLI_SCAN_MAX_RULES]; /* --secret-rules */
	size_t nrules;
	int secret_binaries;
} cli_scan_audit;

/* Parses --scanners LIST. CLI_OK or CLI_USAGE (printed). */
int cli_scan_audit_parse(cli_scan_audit *s, const char *list);
/* Runs the audit scanners in one pass that also indexes, into store (the
 * layer cache; NULL: none), the layers it lacks; inputs (see
 * vigil_audit_options) runs between the layers and the conclusions.
 * Returns vigil_audit_image()'s code; nothing printed. */
int cli_scan_audit_run(cli_scan_audit *s, const char *image, const vigil_index_options *iopt, vigil_store *store,
		       int (*inputs)(void *ud, const vigil_index_report **ir, const vigil_vuln_report **vr),
		       void *inputs_ud, const vigil_ignore_list *ignore, bool quiet, vigil_audit_report **out);

typedef struct cli_scan_render_input {
	const vigil_report_input *report;  /* the vulnerability report */
	const vigil_audit_report *audit;   /* NULL: none ran */
	bool vulns_given;                  /* false: the audit alone (--scanners without vuln) */
} cli_scan_render_input;
/* The cli_render_fn of scan: both reports in one document. */
int cli_scan_render(void *ud, vigil_report_format f, const vigil_report_options *ro, char **out, size_t *len);

#endif
