/* cli/scan_audit.c: the audit scanners of `vigil scan --scanners
 * vuln,secret,integrity,trojan,policy`: the options they take on scan's
 * command line, the audit run with the scan's inventory, findings and
 * ignore rules, and the render callback that puts both reports in one
 * document (vigil_audit_render_scan). */
#include "scan_audit.h"

#include <stdlib.h>
#include <string.h>

int cli_scan_audit_parse(cli_scan_audit *s, const char *list)
{
	int vuln = 0;
	if (vigil_audit_scanners_parse(list, &s->bits, &vuln) < 0)
		return cli_usage("scan: --scanners: %s", vigil_error_message());
	s->given = true;
	s->vuln = vuln != 0;
	return CLI_OK;
}

int cli_scan_audit_run(cli_scan_audit *s, const char *image, const vigil_index_options *iopt, vigil_store *store,
		       int (*inputs)(void *ud, const vigil_index_report **ir, const vigil_vuln_report **vr),
		       void *inputs_ud, const vigil_ignore_list *ignore, bool quiet, vigil_audit_report **out)
{
	vigil_audit_options o;
	*out = NULL;
	vigil_audit_options_init(&o);
	o.scanners = s->bits;
	o.platform = iopt->platform;
	o.registry = iopt->registry;
	o.policy_path = s->policy;
	o.secret_rules = s->rules;
	o.secret_rule_count = s->nrules;
	o.secret_binaries = s->secret_binaries;
	o.store = store;
	o.inputs = inputs;
	o.inputs_ud = inputs_ud;
	o.ignore = ignore;
	o.warn = cli_warn_cb;
	cli_progress *prog = cli_progress_new(quiet);
	o.progress = cli_progress_cb;
	o.progress_ud = prog;
	int err = vigil_audit_image(image, &o, out);
	cli_progress_done(prog);
	return err;
}

int cli_scan_render(void *ud, vigil_report_format f, const vigil_report_options *ro, char **out, size_t *len)
{
	const cli_scan_render_input *in = ud;
	if (!in->vulns_given)
		return vigil_audit_render(in->audit, f, ro, out, len);
	return vigil_audit_render_scan(in->audit, in->report, f, ro, out, len);
}
