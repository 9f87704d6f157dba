/* cli/outputs.h: --format / --output of the commands that write reports
 * (scan, sbom). "--format sarif" writes one format to stdout (or to
 * --output FILE); "--format sarif=out.sarif,json=out.json,table" writes
 * several at once, at most one of them to stdout. Every format is rendered
 * before anything is written, and each file is written to a temporary
 * name beside it and renamed, so a failure leaves nothing half-written. */
#ifndef VIGIL_CLI_OUTPUTS_H
#define VIGIL_CLI_OUTPUTS_H

#include "vigil/report.h"

#define CLI_MAX_OUTPUTS 16

typedef struct cli_output {
	vigil_report_format fmt;
	const char *path; /* NULL: stdout */
} cli_output;

typedef struct cli_outputs {
	cli_output v[CLI_MAX_OUTPUTS];
	size_t n;
} cli_outputs;

/* Parses spec ("table", "sarif=FILE,json") and --output (the file of the
 * one format that names none; NULL: stdout). inventory_only: refuse the
 * formats that need vulnerability data (vigil sbom). CLI_OK or CLI_USAGE
 * (message printed). spec and output must outlive o. */
int cli_outputs_parse(const char *cmd, const char *spec, const char *output, int inventory_only,
		      cli_outputs *o);
/* 1 when one of o's formats is f. */
int cli_outputs_has(const cli_outputs *o, vigil_report_format f);
/* Renders every output, then writes them. CLI_OK or CLI_ERROR (message printed). */
int cli_outputs_write(const cli_outputs *o, const vigil_report_input *in, const vigil_report_options *ro);
/* The same for any report: render(ud, format, options, &out, &len) makes
 * each format (audit, inspect, diff reports). */
typedef int (*cli_render_fn)(void *ud, vigil_report_format f, const vigil_report_options *ro, char **out,
			     size_t *len);
int cli_outputs_write_with(const cli_outputs *o, cli_render_fn render, void *ud, const vigil_report_options *ro);

#endif
