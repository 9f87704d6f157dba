/* report/render.c: vigil_report_render, the one door to every output
 * format. A table of formats (name, aliases, media type, whether an
 * inventory alone is enough, writer); each writer is its own file of
 * src/report/ and renders into memory, so a failed render leaves nothing
 * half-written and a server can send the same bytes. */
#include "report/report_priv.h"
#include "util/error.h"
#include "vigil/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct report_fmt {
	const char *name, *alias, *media_type;
	int inventory;
	report_writer_fn write;
};

static const struct report_fmt fmts[VIGIL_FMT_COUNT] = {
	[VIGIL_FMT_TABLE] = { "table", NULL, "text/plain; charset=utf-8", 0, report_write_table },
	[VIGIL_FMT_CLAIR] = { "json", "clair", "application/json", 0, report_write_clair },
	[VIGIL_FMT_FLAT] = { "flat", "flat-json", "application/vnd.vigil.findings+json", 0, report_write_flat },
	[VIGIL_FMT_SARIF] = { "sarif", NULL, "application/sarif+json", 0, report_write_sarif },
	[VIGIL_FMT_CYCLONEDX] = { "cyclonedx", "cyclonedx-json", "application/vnd.cyclonedx+json; version=1.6", 1,
				  report_write_cyclonedx },
	[VIGIL_FMT_SPDX] = { "spdx", "spdx-json", "application/spdx+json", 1, report_write_spdx },
	[VIGIL_FMT_HTML] = { "html", NULL, "text/html; charset=utf-8", 0, report_write_html },
	[VIGIL_FMT_JUNIT] = { "junit", NULL, "application/xml", 0, report_write_junit },
	[VIGIL_FMT_GITLAB] = { "gitlab", NULL, "application/vnd.gitlab.container-scanning+json", 0, report_write_gitlab },
	[VIGIL_FMT_TEMPLATE] = { "template", NULL, "text/plain; charset=utf-8", 0, report_write_template },
};

int vigil_report_format_parse(const char *name, vigil_report_format *out)
{
	for (int i = 0; name && i < VIGIL_FMT_COUNT; i++)
		if (!strcmp(name, fmts[i].name) || (fmts[i].alias && !strcmp(name, fmts[i].alias))) {
			*out = (vigil_report_format)i;
			return 0;
		}
	return vigil_error_set(VIGIL_EINVAL, "unknown format '%s' (want table, json, flat, sarif, cyclonedx, "
			       "spdx, html, junit, gitlab or template)", name ? name : "");
}

const char *vigil_report_format_name(vigil_report_format f)
{
	return (unsigned)f < VIGIL_FMT_COUNT ? fmts[f].name : "?";
}

const char *vigil_report_format_media_type(vigil_report_format f)
{
	return (unsigned)f < VIGIL_FMT_COUNT ? fmts[f].media_type : "application/octet-stream";
}

int vigil_report_format_inventory(vigil_report_format f)
{
	return (unsigned)f < VIGIL_FMT_COUNT && fmts[f].inventory;
}

void vigil_report_options_init(vigil_report_options *o)
{
	memset(o, 0, sizeof(*o));
	o->pretty = 1;
	o->tool_name = "vigil";
}

int vigil_report_render(const vigil_report_input *in, vigil_report_format f, const vigil_report_options *o,
			char **out, size_t *len)
{
	vigil_report_options opt;
	vigil_report_input input;

	*out = NULL;
	*len = 0;
	if (!in || !in->index)
		return vigil_error_set(VIGIL_EINVAL, "report: no index report");
	if ((unsigned)f >= VIGIL_FMT_COUNT)
		return vigil_error_set(VIGIL_EINVAL, "report: format %d is not one", (int)f);
	if (!in->vulns && !fmts[f].inventory)
		return vigil_error_set(VIGIL_EINVAL, "the %s format needs vulnerability data (use 'vigil scan'); "
				       "without it only cyclonedx and spdx are written", fmts[f].name);
	if (o)
		opt = *o;
	else
		vigil_report_options_init(&opt);
	if (!opt.now)
		opt.now = (int64_t)time(NULL);
	if (!opt.tool_name)
		opt.tool_name = "vigil";
	input = *in;
	if (!input.image)
		input.image = in->index->image ? in->index->image : "";
	return fmts[f].write(&input, &opt, out, len);
}

/* The table, with the line that names the image above it. */
int report_write_table(const vigil_report_input *in, const vigil_report_options *o, char **out, size_t *len)
{
	const vigil_vuln_report *vr = in->vulns;
	FILE *f = open_memstream(out, len);
	int rc;
	if (!f)
		return vigil_error_oom();
	if (fprintf(f, "image: %s (%s, %zu packages matched of %zu)\n\n", in->image,
		    vr->namespace ? vr->namespace : "no namespace", vr->packages_matched,
		    in->index->package_count) < 0)
		rc = vigil_error_set(VIGIL_EIO, "table: cannot write");
	else
		rc = vigil_vuln_report_table(vr, f, o->color);
	if (fclose(f) != 0 && rc == 0)
		rc = vigil_error_set(VIGIL_EIO, "table: cannot write");
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*len = 0;
	}
	return rc;
}

int report_write_clair(const vigil_report_input *in, const vigil_report_options *o, char **out, size_t *len)
{
	return vigil_vuln_report_json(in->vulns, o->pretty, out, len);
}
